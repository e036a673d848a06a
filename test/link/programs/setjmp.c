// setjmp/longjmp across several frames, sigsetjmp/siglongjmp, and volatile locals.
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static int depth_reached;

static void dive(int depth) {
  depth_reached = depth;
  if (depth == 5) longjmp(env, depth * 10);
  dive(depth + 1);
  printf("never printed\n");
}

int main(void) {
  volatile int attempts = 0;
  int r = setjmp(env);
  attempts++;
  printf("setjmp returned %d (attempt %d)\n", r, attempts);
  if (r == 0) dive(1);
  printf("depth reached %d\n", depth_reached);

  sigjmp_buf senv;
  volatile int count = 0;
  if (sigsetjmp(senv, 1) < 3) {
    count++;
    siglongjmp(senv, count);
  }
  printf("siglongjmp loop ran %d times\n", count);
  return 0;
}
