// atexit handlers run in reverse order of registration, including ones
// registered from inside another handler, and stdio output written by handlers
// is flushed at exit.
#include <stdio.h>
#include <stdlib.h>

static void h1(void) { printf("handler 1\n"); }
static void h2(void) { printf("handler 2\n"); }
static void late(void) { printf("late handler (registered by handler 3)\n"); }
static void h3(void) {
  printf("handler 3\n");
  atexit(late);
}
static void h4(void) { printf("handler 4 (exit status comes from exit())\n"); }

static void finish(void) {
  printf("calling exit from a nested function\n");
  exit(0);
}

int main(void) {
  atexit(h1);
  atexit(h2);
  atexit(h3);
  atexit(h4);
  printf("main registered 4 handlers\n");
  finish();
  printf("not reached\n");
  return 1;
}
