// EXIT: 6
// abort() with a SIGABRT handler that siglongjmps back (deterministic
// recovery), then a second abort() whose handler writes a message and
// _exits with status 6.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile int phase;

static void on_abort(int sig) {
  (void)sig;
  if (phase == 0) siglongjmp(back, 1);
  const char msg[] = "second abort: handler exits with 6\n";
  write(1, msg, sizeof msg - 1);
  _exit(6);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_abort;
  sigaction(SIGABRT, &sa, NULL);
  if (sigsetjmp(back, 1) == 0) {
    printf("calling abort\n");
    fflush(stdout);
    abort();
  }
  printf("recovered from abort with siglongjmp\n");
  fflush(stdout);
  phase = 1;
  abort();
  return 0;
}
