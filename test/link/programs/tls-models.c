// CFLAGS: -fPIC -pthread
// LDFLAGS: -pthread
// Thread-local variables accessed with each TLS model (global-dynamic,
// local-dynamic, initial-exec, local-exec) from position-independent code, so
// the linker sees the general sequences and must relax them for an executable.
#include <pthread.h>
#include <stdio.h>

__thread int gd_var __attribute__((tls_model("global-dynamic"))) = 1;
static __thread int ld_var1 __attribute__((tls_model("local-dynamic"))) = 2;
static __thread int ld_var2 __attribute__((tls_model("local-dynamic")));
__thread int ie_var __attribute__((tls_model("initial-exec"))) = 4;
__thread int le_var __attribute__((tls_model("local-exec"))) = 5;
extern __thread int errno_like __attribute__((tls_model("global-dynamic")));
__thread int errno_like = 6;

__attribute__((noinline)) static int touch(int add) {
  gd_var += add;
  ld_var1 += add;
  ld_var2 += add;
  ie_var += add;
  le_var += add;
  errno_like += add;
  return gd_var + ld_var1 + ld_var2 + ie_var + le_var + errno_like;
}

static void* run(void* arg) { return (void*)(long)touch((int)(long)arg); }

int main(void) {
  int* addrs[] = {&gd_var, &ld_var1, &ld_var2, &ie_var, &le_var, &errno_like};
  int distinct = 1;
  for (int i = 0; i < 6; i++)
    for (int j = i + 1; j < 6; j++) distinct &= addrs[i] != addrs[j];
  printf("distinct addresses: %d\n", distinct);
  printf("main touch(10)=%d\n", touch(10));
  for (long i = 1; i <= 3; i++) {
    pthread_t t;
    void* r;
    pthread_create(&t, NULL, run, (void*)(i * 100));
    pthread_join(t, &r);
    printf("thread touch(%ld)=%ld\n", i * 100, (long)r);
  }
  printf("main again touch(1)=%d\n", touch(1));
  return 0;
}
