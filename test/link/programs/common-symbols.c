// UNITS: 2
// CFLAGS: -fcommon
// Tentative definitions as common symbols (-fcommon) in two translation units
// (this file compiled with -DUNIT=0 and -DUNIT=1): they merge into one object
// of the largest size, and an initialized definition wins over a common one.
#include <stdio.h>

#if UNIT == 0
int common_int;
char common_buf[16];
int init_vs_common;
double common_aligned __attribute__((aligned(32)));
int* unit1_common_int(void);
char* unit1_buf(void);
void unit1_fill(void);

int main(void) {
  unit1_fill();
  printf("same common_int: %d value=%d\n", &common_int == unit1_common_int(), common_int);
  printf("same buffer: %d last byte=%d\n", common_buf == unit1_buf(), unit1_buf()[63]);
  printf("initialized definition wins: %d\n", init_vs_common);
  printf("aligned common: %d\n", (int)(((unsigned long)&common_aligned) % 32));
  return 0;
}
#else
int common_int;
char common_buf[64];  // larger: the merged object has 64 bytes
int init_vs_common = 31;
int* unit1_common_int(void) { return &common_int; }
char* unit1_buf(void) { return common_buf; }
void unit1_fill(void) {
  common_int = 17;
  for (int i = 0; i < 64; i++) common_buf[i] = (char)i;
}
#endif
