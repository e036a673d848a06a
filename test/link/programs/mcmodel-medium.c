// CFLAGS: -mcmodel=medium
// The medium code model: arrays larger than the threshold go into .ldata /
// .lbss / .lrodata (large sections, laid out after the normal ones) and are
// addressed with 64-bit absolute or GOT-relative sequences.
#include <stdio.h>
#include <string.h>

static char large_bss[1 << 20];
char large_data[100000] = {1, 2, 3};
static const char large_rodata[70000] = "large read-only";
static int small_data = 9;

int main(void) {
  memset(large_bss, 3, sizeof large_bss);
  unsigned long s = 0;
  for (size_t i = 0; i < sizeof large_bss; i += 1000) s += large_bss[i];
  large_data[99999] = 4;
  printf("lbss sum=%lu ldata=%d,%d,%d last=%d\n", s, large_data[0], large_data[1], large_data[2], large_data[99999]);
  printf("lrodata=%s len=%zu small=%d\n", large_rodata, strlen(large_rodata), small_data);
  return 0;
}
