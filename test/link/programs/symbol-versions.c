// SKIP: static static-pie: symbol versions come from libc.so's version definitions
// Binding to a specific, non-default version of a libc symbol with .symver:
// realpath@GLIBC_2.2.5 (the old one) next to the default realpath@@GLIBC_2.3,
// and memcpy@GLIBC_2.2.5 (the pre-2.14 memmove-like memcpy).
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char* old_realpath(const char*, char*);
__asm__(".symver old_realpath, realpath@GLIBC_2.2.5");
void* old_memcpy(void*, const void*, size_t);
__asm__(".symver old_memcpy, memcpy@GLIBC_2.2.5");

int main(void) {
  char buf[PATH_MAX];
  char* r1 = old_realpath("/usr/../usr/lib/.", buf);
  printf("old realpath: %s\n", r1 ? r1 : "(null)");
  char* r2 = realpath("/usr/./bin/..", NULL);
  printf("new realpath: %s\n", r2 ? r2 : "(null)");
  free(r2);
  char s[16] = "0123456789";
  old_memcpy(s + 2, s, 8);  // overlapping: the old memcpy behaved like memmove
  printf("old memcpy: %s\n", s);
  return 0;
}
