// EXIT: 3
// A program whose exit status is not zero: main returns 3 after printing
// (stdout must still be flushed).
#include <stdio.h>

int main(void) {
  printf("returning 3\n");
  return 3;
}
