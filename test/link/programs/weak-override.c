// UNITS: 2
// Weak definitions overridden by strong ones from another translation unit
// (this file is compiled twice, with -DUNIT=0 and -DUNIT=1), a weak
// definition nobody overrides, and weak aliases.
#include <stdio.h>

#if UNIT == 0
__attribute__((weak)) const char* greeting(void) { return "weak greeting"; }
__attribute__((weak)) const char* farewell(void) { return "weak farewell (not overridden)"; }
__attribute__((weak)) int shared_value = 1;
__attribute__((weak)) int only_weak_value = 5;
static int real_impl(void) { return 77; }
int alias_target(void) __attribute__((weak, alias("real_impl")));
const char* unit1_view(void);

int main(void) {
  printf("greeting: %s\n", greeting());
  printf("farewell: %s\n", farewell());
  printf("shared_value=%d only_weak_value=%d\n", shared_value, only_weak_value);
  printf("alias_target()=%d\n", alias_target());
  printf("unit 1 sees: %s\n", unit1_view());
  return 0;
}
#else
const char* greeting(void) { return "strong greeting from unit 1"; }
int shared_value = 2;
extern int only_weak_value;
static char buf[64];
const char* unit1_view(void) {
  snprintf(buf, sizeof buf, "shared_value=%d only_weak_value=%d", shared_value, only_weak_value);
  return buf;
}
#endif
