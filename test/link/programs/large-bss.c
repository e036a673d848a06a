// Large zero-initialized (.bss) and initialized (.data) arrays: 48 MiB of
// .bss touched sparsely and fully summed, and a 256 KiB .data table.
#include <stdio.h>
#include <string.h>

#define BSS_SIZE (48u << 20)
static unsigned char big_bss[BSS_SIZE];
unsigned int global_bss[1 << 16];
static unsigned int data_table[65536] = {1, 2, 3, [65535] = 7};
static const char rodata_text[] = "rodata after a big bss";

int main(void) {
  unsigned long zeros = 0;
  for (size_t i = 0; i < BSS_SIZE; i += 4096) zeros += big_bss[i] == 0;
  printf("bss pages zero: %lu of %u\n", zeros, BSS_SIZE / 4096);
  for (size_t i = 0; i < BSS_SIZE; i += 4093) big_bss[i] = (unsigned char)i;
  unsigned long sum = 0;
  for (size_t i = 0; i < BSS_SIZE; i++) sum += big_bss[i];
  printf("bss sum after writes: %lu\n", sum);
  memset(global_bss, 0xff, sizeof global_bss);
  printf("global_bss last=%08x\n", global_bss[(1 << 16) - 1]);
  unsigned long dsum = 0;
  for (size_t i = 0; i < 65536; i++) dsum += data_table[i];
  printf("data sum=%lu %s\n", dsum, rodata_text);
  return 0;
}
