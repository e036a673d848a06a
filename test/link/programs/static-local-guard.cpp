// CFLAGS: -pthread
// LDFLAGS: -pthread
// Function-local statics with guard variables: constructed exactly once, on
// first use, also when several threads race to the first call; a constructor
// that throws leaves the guard unset so the next call retries.
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

static std::atomic<int> constructions{0};
struct Expensive {
  int value;
  Expensive() : value(42) { constructions++; }
};
static Expensive& get() {
  static Expensive e;
  return e;
}

static int attempts = 0;
struct Flaky {
  Flaky() { if (++attempts < 3) throw std::runtime_error("not yet"); }
};
static Flaky& flaky() {
  static Flaky f;
  return f;
}

static int order_log[3];
static int order_pos;
static int& first_use(int tag) {
  static int v = (order_log[order_pos++] = tag);
  return v;
}

int main() {
  std::vector<std::thread> ts;
  int sums[6] = {};
  for (int i = 0; i < 6; i++) ts.emplace_back([i, &sums] { sums[i] = get().value + i; });
  for (auto& t : ts) t.join();
  for (int s : sums) std::printf("%d ", s);
  std::printf("\nconstructions=%d\n", constructions.load());
  for (int i = 0; i < 4; i++) {
    try { flaky(); std::printf("flaky constructed after %d attempts\n", attempts); break; }
    catch (const std::exception& e) { std::printf("attempt %d threw: %s\n", attempts, e.what()); }
  }
  first_use(7);
  first_use(8);
  std::printf("first_use value=%d initializations=%d\n", first_use(9), order_pos);
  return 0;
}
