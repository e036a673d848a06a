// __attribute__((destructor)) functions and atexit handlers at exit: both run
// after main returns (atexit handlers registered in main first), stdio output
// from destructors is flushed, and a destructor can read data main wrote.
#include <stdio.h>
#include <stdlib.h>

static int result_from_main;
static char message[64] = "unset";

__attribute__((destructor)) static void report(void) {
  printf("destructor: result_from_main=%d message=%s\n", result_from_main, message);
}
__attribute__((destructor(150))) static void late_destructor(void) { printf("destructor(150) runs after plain ones\n"); }
static void at_exit_handler(void) { printf("atexit handler\n"); }

int main(void) {
  atexit(at_exit_handler);
  result_from_main = 99;
  snprintf(message, sizeof message, "set by %s", "main");
  printf("main done\n");
  return 0;
}
