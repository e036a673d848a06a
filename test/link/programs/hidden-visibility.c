// UNITS: 2
// Hidden and protected visibility across two translation units (this file is
// compiled with -DUNIT=0 and -DUNIT=1): hidden symbols resolve inside the
// executable and are not exported; a default-visibility symbol is still
// usable; data and function pointers to hidden symbols from the other unit.
#include <stdio.h>

__attribute__((visibility("hidden"))) extern int hidden_counter;
__attribute__((visibility("hidden"))) int hidden_add(int);
__attribute__((visibility("protected"))) int protected_twice(int);
int default_vis(int);
extern int (*const unit1_fn_ptr)(int);
extern int* const unit1_data_ptr;

#if UNIT == 0
int hidden_counter = 10;
int (*const unit0_ptr)(int) = hidden_add;

int main(void) {
  printf("hidden_add(5)=%d counter=%d\n", hidden_add(5), hidden_counter);
  printf("protected_twice(21)=%d default_vis(1)=%d\n", protected_twice(21), default_vis(1));
  printf("pointer from unit 1 calls: %d, data pointer sees %d\n", unit1_fn_ptr(100), *unit1_data_ptr);
  printf("same function address in both units: %d\n", unit0_ptr == unit1_fn_ptr);
  return 0;
}
#else
__attribute__((visibility("hidden"))) int hidden_add(int x) { hidden_counter += x; return hidden_counter; }
__attribute__((visibility("protected"))) int protected_twice(int x) { return 2 * x; }
int default_vis(int x) { return hidden_add(x) + 1000; }
int (*const unit1_fn_ptr)(int) = hidden_add;
int* const unit1_data_ptr = &hidden_counter;
#endif
