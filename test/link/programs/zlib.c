// LINK: /usr/lib/x86_64-linux-gnu/libz.a
// zlib from Debian's static archive: deflate + inflate round trip of
// deterministic data, with the compressed size, crc32 and adler32.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int main(void) {
  const size_t n = 1 << 20;
  unsigned char* src = malloc(n);
  unsigned seed = 12345;
  for (size_t i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    // Compressible: mostly a small alphabet with runs.
    src[i] = (unsigned char)("abcdefgh"[(seed >> 16) & 7] + ((i / 4096) & 1));
  }
  uLongf clen = compressBound(n);
  unsigned char* comp = malloc(clen);
  int rc = compress2(comp, &clen, src, n, 9);
  printf("zlib %s compress2 rc=%d %zu -> %lu bytes\n", ZLIB_VERSION, rc, n, (unsigned long)clen);
  unsigned char* back = malloc(n);
  uLongf blen = n;
  rc = uncompress(back, &blen, comp, clen);
  printf("uncompress rc=%d size=%lu equal=%d\n", rc, (unsigned long)blen, blen == n && memcmp(src, back, n) == 0);
  printf("crc32=%08lx adler32=%08lx crc32(compressed)=%08lx\n", crc32(0, src, n), adler32(1, src, n), crc32(0, comp, clen));
  printf("zlibVersion matches header: %d\n", strcmp(zlibVersion(), ZLIB_VERSION) == 0);
  free(src);
  free(comp);
  free(back);
  return 0;
}
