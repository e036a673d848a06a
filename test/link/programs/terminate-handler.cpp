// EXIT: 4
// std::set_terminate: an exception escaping a noexcept function calls the
// program's terminate handler, which reports the active exception and exits
// with status 4.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>

[[noreturn]] static void on_terminate() {
  std::printf("terminate handler: ");
  if (auto ep = std::current_exception()) {
    try { std::rethrow_exception(ep); } catch (const std::exception& e) { std::printf("active exception '%s'\n", e.what()); }
  } else {
    std::printf("no active exception\n");
  }
  std::fflush(stdout);
  std::_Exit(4);
}

__attribute__((noinline)) static void thrower() { throw std::runtime_error("escaped noexcept"); }
__attribute__((noinline)) static void wrapper() noexcept { thrower(); }

int main() {
  std::set_terminate(on_terminate);
  std::printf("handler installed: %d\n", std::get_terminate() == on_terminate);
  wrapper();
  std::printf("not reached\n");
  return 0;
}
