// LDFLAGS: -pthread
// CFLAGS: -pthread
// std::thread, std::mutex, std::condition_variable and atomics; every thread's
// result is stored and printed after join, so the output does not depend on
// scheduling.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

static std::mutex mu;
static std::condition_variable cv;
static int ready_count = 0;
static long shared_total = 0;
static std::atomic<long> atomic_total{0};

static void worker(int id, long* out) {
  long sum = 0;
  for (int i = 1; i <= 10000; i++) sum += (long)i * (id + 1);
  *out = sum;
  atomic_total += sum;
  std::lock_guard<std::mutex> g(mu);
  shared_total += id;
  ready_count++;
  cv.notify_one();
}

int main() {
  const int n = 8;
  std::vector<long> results(n);
  std::vector<std::thread> ts;
  for (int i = 0; i < n; i++) ts.emplace_back(worker, i, &results[i]);
  {
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [] { return ready_count == n; });
  }
  for (auto& t : ts) t.join();
  for (int i = 0; i < n; i++) std::printf("thread %d -> %ld\n", i, results[i]);
  std::printf("shared_total=%ld atomic_total=%ld\n", shared_total, atomic_total.load());
  std::printf("hardware_concurrency>0: %d\n", std::thread::hardware_concurrency() > 0);
  return 0;
}
