// CFLAGS: -fno-plt
// -fno-plt: calls to libc go through the GOT (R_X86_64_GOTPCRELX, relaxable
// by the linker for symbols defined locally), also for an IFUNC'd libc
// function and for calls to the program's own global functions.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) int local_global(int x) { return x * 3; }
int (*fp)(int) = local_global;

int main(void) {
  char buf[32];
  strcpy(buf, "no-plt");
  size_t n = strlen(buf);
  printf("%s len=%zu local=%d via pointer=%d same=%d\n", buf, n, local_global(14), fp(2), fp == local_global);
  void* p = malloc(100);
  memset(p, 7, 100);
  printf("memset byte=%d\n", ((unsigned char*)p)[99]);
  free(p);
  puts("puts through the GOT");
  return 0;
}
