// errno (a TLS variable inside libc) after failing calls, strerror texts and
// perror-like formatting, and errno per thread.
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void* thread_errno(void* arg) {
  (void)arg;
  errno = 0;
  close(-1);
  return (void*)(long)errno;
}

int main(void) {
  errno = 0;
  int fd = open("/nonexistent/link-matrix/file", O_RDONLY);
  printf("open: fd=%d errno=%d (%s)\n", fd, errno, strerror(errno));
  errno = 0;
  long v = strtol("99999999999999999999999", NULL, 10);
  printf("strtol overflow: %ld errno=ERANGE:%d\n", v, errno == ERANGE);
  errno = 0;
  close(-1);
  printf("close(-1): errno=EBADF:%d (%s)\n", errno == EBADF, strerror(errno));
  errno = 12345;
  pthread_t t;
  void* r;
  pthread_create(&t, NULL, thread_errno, NULL);
  pthread_join(t, &r);
  printf("thread saw EBADF: %d, main errno still 12345: %d\n", (int)(long)r == EBADF, errno == 12345);
  printf("strerror(ENOENT)=%s strerror(EACCES)=%s\n", strerror(ENOENT), strerror(EACCES));
  char buf[64];
  printf("strerror_r: %s\n", strerror_r(EINVAL, buf, sizeof buf) == 0 ? buf : "failed");
  return 0;
}
