// Hello world in C++ (no iostream: only libstdc++'s start-up and libc).
#include <cstdio>
#include <string>

int main() {
  std::string s = "hello";
  s += ", world from C++";
  std::printf("%s (%zu chars)\n", s.c_str(), s.size());
  return 0;
}
