// CFLAGS: -pthread
// LDFLAGS: -pthread
// C++ thread_local: namespace-scope with dynamic initializer, with a
// non-trivial destructor, and static class members; each thread reports in
// turn through a result array, printed by main.
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

static int next_seed() { static int s = 100; return s++; }

thread_local int tl_plain = 5;
thread_local std::string tl_string = "init";
thread_local int tl_dynamic = next_seed();

struct Counter {
  static thread_local int hits;
  static void hit() { hits++; }
};
thread_local int Counter::hits = 0;

static std::string results[4];

static void run(int id) {
  tl_plain += id;
  tl_string += "-" + std::to_string(id);
  for (int i = 0; i <= id; i++) Counter::hit();
  results[id] = tl_string + " plain=" + std::to_string(tl_plain) + " hits=" + std::to_string(Counter::hits) +
                " dyn>=100:" + std::to_string(tl_dynamic >= 100);
}

int main() {
  for (int id = 1; id < 4; id++) {
    std::thread t(run, id);
    t.join();  // one at a time: tl_dynamic's order is deterministic
  }
  run(0);
  for (auto& r : results) std::printf("%s\n", r.c_str());
  std::printf("main tl_dynamic=%d\n", tl_dynamic);
  return 0;
}
