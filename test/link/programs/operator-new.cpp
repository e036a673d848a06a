// Replacing the global operator new/delete: the program's definitions must be
// used by code inside libstdc++ too (the executable's definitions interpose on
// libstdc++.so's, or libstdc++.a's are not pulled in).
#include <cstdio>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

static long news, deletes;

void* operator new(std::size_t n) {
  news++;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  if (p) deletes++;
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

int main() {
  long n0 = news;
  std::vector<int>* v = new std::vector<int>(100);
  std::printf("program's own new calls: %ld\n", news - n0);
  delete v;
  long n1 = news;
  {
    // runtime_error's constructor lives in libstdc++ and copies the message
    // into storage it allocates itself.
    std::runtime_error e(std::string(200, 'x'));
    std::printf("libstdc++ allocated through our new: %d\n", news > n1 + 1);
  }
  long n2 = news;
  try { throw std::logic_error("allocated exception"); } catch (const std::exception& e) { std::printf("caught %s\n", e.what()); }
  std::printf("exception path used our new: %d\n", news > n2);
  std::printf("deletes happened: %d\n", deletes > 0);
  return 0;
}
