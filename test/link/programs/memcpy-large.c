// Large memcpy/memmove/memset/memcmp/strlen (libc's IFUNC-selected
// implementations, resolved through IRELATIVE in static links) over buffers of
// several MiB, with overlapping moves and unaligned offsets.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long checksum(const unsigned char* p, size_t n) {
  unsigned long h = 0;
  for (size_t i = 0; i < n; i++) h = h * 131 + p[i];
  return h;
}

int main(void) {
  const size_t n = 8u << 20;
  unsigned char* a = malloc(n + 64);
  unsigned char* b = malloc(n + 64);
  for (size_t i = 0; i < n + 64; i++) a[i] = (unsigned char)(i * 2654435761u >> 13);
  memcpy(b + 3, a + 1, n);
  printf("memcpy: equal=%d checksum=%lx\n", memcmp(b + 3, a + 1, n) == 0, checksum(b + 3, n));
  memmove(b + 1000, b, n / 2);
  printf("memmove forward overlap: checksum=%lx\n", checksum(b, n));
  memmove(b, b + 777, n / 2);
  printf("memmove backward overlap: checksum=%lx\n", checksum(b, n));
  memset(b + 5, 'z', n - 10);
  b[n] = 0;
  printf("memset: checksum=%lx strlen from 5=%zu\n", checksum(b, n), strlen((char*)b + 5));
  printf("memcmp sign: %d %d\n", memcmp("abc", "abd", 3) < 0, memcmp(a, a, n) == 0);
  unsigned char* hit = memchr(a, a[n - 1], n);
  printf("memchr found at offset < n: %d\n", hit != NULL && hit < a + n);
  char small[32];
  strcpy(small, "copy");
  strcat(small, " and cat");
  printf("%s len=%zu cmp=%d\n", small, strlen(small), strncmp(small, "copy and", 8));
  free(a);
  free(b);
  return 0;
}
