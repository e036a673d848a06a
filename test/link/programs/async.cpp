// CFLAGS: -pthread
// LDFLAGS: -pthread
// std::async with launch::async and launch::deferred, std::promise/future,
// std::packaged_task, and an exception transported through a future.
#include <cstdio>
#include <future>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

static long sum_range(long from, long to) {
  long s = 0;
  for (long i = from; i < to; i++) s += i * i % 1000;
  return s;
}

int main() {
  std::vector<std::future<long>> parts;
  for (int i = 0; i < 4; i++) parts.push_back(std::async(std::launch::async, sum_range, i * 250000L, (i + 1) * 250000L));
  long total = 0;
  for (auto& f : parts) total += f.get();
  std::printf("async total=%ld expected=%ld\n", total, sum_range(0, 1000000));
  auto lazy = std::async(std::launch::deferred, [] { return std::string("deferred ran"); });
  std::printf("%s\n", lazy.get().c_str());
  std::promise<int> p;
  std::future<int> pf = p.get_future();
  std::thread producer([&p] { p.set_value(123); });
  std::printf("promise value=%d\n", pf.get());
  producer.join();
  std::packaged_task<int(int, int)> task([](int a, int b) { return a * b; });
  auto tf = task.get_future();
  std::thread runner(std::move(task), 6, 7);
  runner.join();
  std::printf("packaged_task=%d\n", tf.get());
  auto failing = std::async(std::launch::async, []() -> int { throw std::domain_error("async failure"); });
  try { failing.get(); } catch (const std::domain_error& e) { std::printf("future rethrew: %s\n", e.what()); }
  return 0;
}
