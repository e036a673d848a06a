// Constructor and destructor priorities: __attribute__((constructor(N))) run
// in increasing N before main and destructors in decreasing N after it;
// unprioritized ones run last (constructors) / first (destructors).
#include <stdio.h>
#include <unistd.h>
#include <string.h>

// Written with write(2) so the order is visible even around stdio's own set-up and tear-down.
static void say(const char* s) {
  write(1, s, strlen(s));
  write(1, "\n", 1);
}

__attribute__((constructor(300))) static void c300(void) { say("ctor 300"); }
__attribute__((constructor(101))) static void c101(void) { say("ctor 101"); }
__attribute__((constructor)) static void cplain(void) { say("ctor plain"); }
__attribute__((constructor(200))) static void c200(void) { say("ctor 200"); }
__attribute__((destructor(101))) static void d101(void) { say("dtor 101"); }
__attribute__((destructor(300))) static void d300(void) { say("dtor 300"); }
__attribute__((destructor)) static void dplain(void) { say("dtor plain"); }
__attribute__((destructor(200))) static void d200(void) { say("dtor 200"); }

int main(void) {
  say("main");
  return 0;
}
