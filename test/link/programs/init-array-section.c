// UNITS: 2
// Function pointers placed directly in .init_array / .fini_array (and the
// numbered .init_array.NNNNN sections the linker sorts) by section attribute.
// This file is compiled twice (-DUNIT=0 and -DUNIT=1): unit 0 declares its
// pointers const, so in non-PIC code the compilers emit read-only ("a")
// .init_array sections, while unit 1's constructor and the CRT files use
// writable ("aw") ones; all must end up in the one array the start-up code runs.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void say(const char* s);

#if UNIT == 0
void say(const char* s) { write(1, s, strlen(s)); }

static void init_plain(void) { say("init_array plain\n"); }
static void init_500(void) { say("init_array.00500\n"); }
static void init_200(void) { say("init_array.00200\n"); }
static void fini_plain(void) { say("fini_array plain\n"); }
static void fini_300(void) { say("fini_array.00300\n"); }
static int argc_seen;
static void init_args(int argc, char** argv, char** envp) {
  (void)argv;
  argc_seen = argc + (envp != 0) * 100;
}

__attribute__((section(".init_array"), used)) static void (*const p_init_plain)(void) = init_plain;
__attribute__((section(".init_array.00500"), used)) static void (*const p_init_500)(void) = init_500;
__attribute__((section(".init_array.00200"), used)) static void (*const p_init_200)(void) = init_200;
__attribute__((section(".init_array"), used)) static void (*const p_init_args)(int, char**, char**) = init_args;
__attribute__((section(".fini_array"), used)) static void (*const p_fini_plain)(void) = fini_plain;
__attribute__((section(".fini_array.00300"), used)) static void (*const p_fini_300)(void) = fini_300;

int main(void) {
  printf("main: init function saw argc+envp marker %d\n", argc_seen);
  fflush(stdout);
  return 0;
}
#else
__attribute__((constructor)) static void unit1_constructor(void) { say("constructor in unit 1\n"); }
__attribute__((destructor)) static void unit1_destructor(void) { say("destructor in unit 1\n"); }
#endif
