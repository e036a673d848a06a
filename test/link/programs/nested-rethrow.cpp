// Nested exceptions: rethrow with `throw;`, std::throw_with_nested /
// rethrow_if_nested, std::exception_ptr carried across a thread, and an
// exception escaping a destructor-protected scope.
// CFLAGS: -pthread
// LDFLAGS: -pthread
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>

static void print_nested(const std::exception& e, int level = 0) {
  std::printf("%*s%s\n", level * 2, "", e.what());
  try { std::rethrow_if_nested(e); } catch (const std::exception& inner) { print_nested(inner, level + 1); }
}

static void open_config() { throw std::runtime_error("file not found"); }
static void load() {
  try { open_config(); } catch (...) { std::throw_with_nested(std::runtime_error("load failed")); }
}
static void start() {
  try { load(); } catch (...) { std::throw_with_nested(std::logic_error("start failed")); }
}

int main() {
  try { start(); } catch (const std::exception& e) { print_nested(e); }
  int rethrows = 0;
  try {
    try {
      try { throw std::out_of_range("deep"); }
      catch (...) { rethrows++; throw; }
    } catch (const std::logic_error&) { rethrows++; throw; }
  } catch (const std::out_of_range& e) { std::printf("rethrown twice: %s (%d)\n", e.what(), rethrows); }

  std::exception_ptr ep;
  std::thread t([&ep] {
    try { throw std::invalid_argument("from thread"); } catch (...) { ep = std::current_exception(); }
  });
  t.join();
  try { std::rethrow_exception(ep); } catch (const std::invalid_argument& e) { std::printf("exception_ptr: %s\n", e.what()); }
  auto made = std::make_exception_ptr(std::string("made"));
  try { std::rethrow_exception(made); } catch (const std::string& s) { std::printf("make_exception_ptr: %s\n", s.c_str()); }
  std::printf("uncaught_exceptions now: %d\n", std::uncaught_exceptions());
  return 0;
}
