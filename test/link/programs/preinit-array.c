// .preinit_array (allowed only in executables): runs before .init_array and
// before constructors; receives argc/argv/envp. (The arrays are not const:
// gcc puts constructors in a writable .init_array and refuses a conflict.)
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void say(const char* s) { write(1, s, strlen(s)); }
static int preinit_argc;

static void preinit_first(int argc, char** argv, char** envp) {
  (void)argv; (void)envp;
  preinit_argc = argc;
  say("preinit_array 1\n");
}
static void preinit_second(void) { say("preinit_array 2\n"); }
static void init_one(void) { say("init_array\n"); }
__attribute__((constructor)) static void ctor(void) { say("constructor\n"); }

__attribute__((section(".preinit_array"), used)) static void (*pre[])(int, char**, char**) = {
    preinit_first, (void (*)(int, char**, char**))preinit_second};
__attribute__((section(".init_array"), used)) static void (*ini)(void) = init_one;

int main(void) {
  printf("main: preinit saw argc=%d\n", preinit_argc);
  return 0;
}
