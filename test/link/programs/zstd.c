// LINK: -l:libzstd.a
// zstd from Debian's static archive (found with -l:libzstd.a): one-shot and
// streaming compression round trips of deterministic data.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

static unsigned long fnv1a(const unsigned char* p, size_t n) {
  unsigned long h = 1469598103934665603ul;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ul;
  return h;
}

int main(void) {
  const size_t n = 3 << 19;
  unsigned char* src = malloc(n);
  for (size_t i = 0; i < n; i++) src[i] = (unsigned char)((i * 7 + (i >> 10)) % 61 + 'A' * ((i >> 12) & 1));
  size_t bound = ZSTD_compressBound(n);
  unsigned char* comp = malloc(bound);
  size_t clen = ZSTD_compress(comp, bound, src, n, 19);
  printf("zstd %s compress: error=%d %zu -> %zu bytes, fnv=%016lx\n", ZSTD_versionString(), (int)ZSTD_isError(clen), n, clen,
         fnv1a(comp, clen));
  unsigned long long content = ZSTD_getFrameContentSize(comp, clen);
  printf("frame content size: %llu\n", content);
  unsigned char* back = malloc(n);
  size_t dlen = ZSTD_decompress(back, n, comp, clen);
  printf("decompress: %zu bytes, equal=%d\n", dlen, dlen == n && memcmp(src, back, n) == 0);

  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_outBuffer out = {comp, bound, 0};
  ZSTD_inBuffer in = {src, n, 0};
  size_t left;
  do left = ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_end); while (left != 0 && !ZSTD_isError(left));
  printf("stream compress: %zu bytes, fnv=%016lx\n", out.pos, fnv1a(comp, out.pos));
  ZSTD_freeCCtx(cctx);
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  memset(back, 0, n);
  ZSTD_inBuffer din = {comp, out.pos, 0};
  ZSTD_outBuffer dout = {back, n, 0};
  size_t r = ZSTD_decompressStream(dctx, &dout, &din);
  printf("stream decompress: rc=%zu %zu bytes, equal=%d\n", r, dout.pos, dout.pos == n && memcmp(src, back, n) == 0);
  ZSTD_freeDCtx(dctx);
  free(src);
  free(comp);
  free(back);
  return 0;
}
