// ARGS: -v -n 42 -x rest1 rest2
// libc data objects referenced from the program (copy relocations in a
// non-PIE executable): stdout/stderr, environ, optind/opterr/optarg/optopt
// with getopt, tzname/timezone, and libc's own view of them staying in sync.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

__attribute__((noinline)) static FILE* libc_stdout_via_function(void) {
  // fileno() and fflush() read libc's own stdout; they must agree with ours.
  return stdout;
}

int main(int argc, char** argv) {
  fprintf(stdout, "stdout is fd %d, stderr is fd %d, stdin is fd %d\n", fileno(stdout), fileno(stderr), fileno(stdin));
  printf("stdout same object: %d\n", libc_stdout_via_function() == stdout);

  setenv("LINK_MATRIX_VAR", "value-1", 1);
  int found = 0;
  for (char** e = environ; *e; e++)
    if (strcmp(*e, "LINK_MATRIX_VAR=value-1") == 0) found++;
  printf("setenv visible through environ: %d\n", found);
  char* new_env[] = {"ONLY=1", NULL};
  char** saved = environ;
  environ = new_env;
  printf("getenv after replacing environ: %s %s\n", getenv("ONLY"), getenv("PATH") ? "PATH set" : "PATH unset");
  environ = saved;

  printf("initial optind=%d opterr=%d\n", optind, opterr);
  opterr = 0;  // libc must see our store: no message for -x
  int c, n = 0, v = 0, unknown = 0;
  while ((c = getopt(argc, argv, "vn:")) != -1) {
    if (c == 'v') v++;
    else if (c == 'n') n = atoi(optarg);
    else if (c == '?') unknown = optopt;
  }
  printf("getopt: v=%d n=%d unknown=%c optind=%d rest=", v, n, unknown, optind);
  for (int i = optind; i < argc; i++) printf("%s%s", argv[i], i + 1 < argc ? "," : "\n");

  setenv("TZ", "UTC", 1);
  tzset();
  printf("tzname[0]=%s timezone=%ld daylight=%d\n", tzname[0], timezone, daylight);
  return 0;
}
