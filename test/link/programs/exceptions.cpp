// Exceptions thrown across several functions, with destructors of locals run
// while unwinding, a class hierarchy caught by base, catch(...) and noexcept.
#include <cstdio>
#include <stdexcept>
#include <string>

struct Tracer {
  const char* name;
  explicit Tracer(const char* n) : name(n) { std::printf("enter %s\n", name); }
  ~Tracer() { std::printf("leave %s\n", name); }
};

struct AppError : std::runtime_error {
  int code;
  AppError(const std::string& m, int c) : std::runtime_error(m), code(c) {}
};

__attribute__((noinline)) static int level3(int x) {
  Tracer t("level3");
  if (x > 2) throw AppError("too big: " + std::to_string(x), x);
  return x * 2;
}
__attribute__((noinline)) static int level2(int x) { Tracer t("level2"); return level3(x) + 1; }
__attribute__((noinline)) static int level1(int x) { Tracer t("level1"); return level2(x) + 1; }

__attribute__((noinline)) static void throws_int() { throw 7; }
__attribute__((noinline)) static void throws_string() { throw std::string("str"); }

int main() {
  for (int i = 1; i <= 3; i++) {
    try {
      std::printf("result %d\n", level1(i));
    } catch (const std::runtime_error& e) {
      const AppError* ae = dynamic_cast<const AppError*>(&e);
      std::printf("caught runtime_error '%s' code=%d\n", e.what(), ae ? ae->code : -1);
    }
  }
  try { throws_int(); } catch (long) { std::printf("wrong\n"); } catch (int v) { std::printf("caught int %d\n", v); }
  try { throws_string(); } catch (...) { std::printf("caught ... (string)\n"); }
  try {
    try { throws_int(); } catch (int) { std::printf("inner catch, throwing logic_error\n"); throw std::logic_error("from handler"); }
  } catch (const std::exception& e) { std::printf("outer caught %s\n", e.what()); }
  return 0;
}
