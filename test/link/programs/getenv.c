// getenv, setenv, putenv, unsetenv and clearenv; only variables the program
// sets itself are printed, plus the fixed ones the runner provides.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

static void show(const char* name) {
  const char* v = getenv(name);
  printf("%s=%s\n", name, v ? v : "(unset)");
}

int main(void) {
  show("LC_ALL");
  show("TZ");
  show("LINK_MATRIX_A");
  setenv("LINK_MATRIX_A", "first", 0);
  setenv("LINK_MATRIX_A", "second", 0);  // no overwrite
  show("LINK_MATRIX_A");
  setenv("LINK_MATRIX_A", "third", 1);
  show("LINK_MATRIX_A");
  static char entry[] = "LINK_MATRIX_B=from putenv";
  putenv(entry);
  show("LINK_MATRIX_B");
  entry[14] = 'F';  // putenv keeps the caller's string
  show("LINK_MATRIX_B");
  unsetenv("LINK_MATRIX_A");
  show("LINK_MATRIX_A");
  printf("secure_getenv same as getenv here: %d\n", secure_getenv("LINK_MATRIX_B") == getenv("LINK_MATRIX_B"));
  clearenv();
  show("LC_ALL");
  show("LINK_MATRIX_B");
  return 0;
}
