// CFLAGS: -pthread
// LDFLAGS: -pthread
// TLS variables with large alignment (64 bytes to 4 KiB) in .tdata and .tbss:
// every thread's copy must be aligned and initialized.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

_Thread_local char small_first = 'x';
_Thread_local __attribute__((aligned(64))) int cacheline[16] = {1, 2, 3};
_Thread_local __attribute__((aligned(4096))) char page_aligned[100] = "page aligned tdata";
_Thread_local __attribute__((aligned(256))) long tbss_aligned[8];
_Thread_local __attribute__((aligned(1024))) char tbss_big[5000];

struct report { int ok64, ok4096, ok256, ok1024, init_ok; };

static void* check(void* out) {
  struct report* r = out;
  r->ok64 = ((uintptr_t)cacheline & 63) == 0;
  r->ok4096 = ((uintptr_t)page_aligned & 4095) == 0;
  r->ok256 = ((uintptr_t)tbss_aligned & 255) == 0;
  r->ok1024 = ((uintptr_t)tbss_big & 1023) == 0;
  int zero = 1;
  for (int i = 0; i < 8; i++) zero &= tbss_aligned[i] == 0;
  for (int i = 0; i < 5000; i++) zero &= tbss_big[i] == 0;
  r->init_ok = small_first == 'x' && cacheline[2] == 3 && cacheline[3] == 0 && page_aligned[0] == 'p' && zero;
  tbss_big[4999] = 1;
  cacheline[0] = 99;
  return NULL;
}

int main(void) {
  struct report r[4];
  check(&r[0]);
  for (int i = 1; i < 4; i++) {
    pthread_t t;
    pthread_create(&t, NULL, check, &r[i]);
    pthread_join(t, NULL);
  }
  for (int i = 0; i < 4; i++)
    printf("thread %d: align64=%d align4096=%d align256=%d align1024=%d initialized=%d\n", i, r[i].ok64, r[i].ok4096, r[i].ok256, r[i].ok1024,
           r[i].init_ok);
  printf("main's copy modified: %d\n", cacheline[0]);
  return 0;
}
