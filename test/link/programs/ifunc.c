// An IFUNC defined in the program: the resolver picks an implementation;
// direct calls and calls through a pointer taken in code and one stored in
// data must all work (IRELATIVE relocations, also in static executables).
// (Whether the two pointers compare equal is not printed: in a PIE, GNU ld
// gives the code reference the PLT entry and the data reference the resolved
// function, so they differ.)
#include <stdio.h>

static int impl_fast(int x) { return x * 2; }
static int impl_slow(int x) { return x + x; }

static int resolver_calls;
// The resolver runs before relocation processing finishes; it only touches a
// static variable and returns a local function.
static int (*resolve_twice(void))(int) {
  resolver_calls++;
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse2") ? impl_fast : impl_slow;
}
int twice(int) __attribute__((ifunc("resolve_twice")));

static const char* which_impl_fast(void) { return "fast"; }
static const char* (*resolve_name(void))(void) { return which_impl_fast; }
const char* impl_name(void) __attribute__((ifunc("resolve_name")));

int (*stored)(int) = twice;

int main(void) {
  int (*taken)(int) = twice;
  printf("twice(21)=%d\n", twice(21));
  printf("through taken pointer: %d\n", taken(5));
  printf("through stored pointer: %d\n", stored(7));
  printf("impl: %s\n", impl_name());
  printf("resolver ran: %d\n", resolver_calls > 0);
  return 0;
}
