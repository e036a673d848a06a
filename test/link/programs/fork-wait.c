// fork and waitpid: children exit with chosen statuses or are killed by a
// signal; only the parent prints, after collecting every child in order.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  printf("parent before fork (flushed so children do not repeat it)\n");
  fflush(stdout);
  pid_t pids[5];
  for (int i = 0; i < 5; i++) {
    pids[i] = fork();
    if (pids[i] == 0) {
      if (i == 3) raise(SIGTERM);
      if (i == 4) abort();
      _exit(i * 10 + 1);
    }
  }
  for (int i = 0; i < 5; i++) {
    int st;
    waitpid(pids[i], &st, 0);
    if (WIFEXITED(st)) printf("child %d exited with %d\n", i, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("child %d killed by signal %d\n", i, WTERMSIG(st));
  }
  fflush(stdout);  // or the child's exit() would flush the parent's pending lines a second time
  pid_t p = fork();
  if (p == 0) {
    printf("child output goes through its own stdio buffer\n");
    exit(0);  // flushes the child's buffer
  }
  int st;
  waitpid(p, &st, 0);
  printf("last child status %d\n", WEXITSTATUS(st));
  return 0;
}
