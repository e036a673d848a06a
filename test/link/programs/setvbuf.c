// stdio buffering: setvbuf with a program buffer (full buffering), line
// buffering, and unbuffered, interleaved with write(2) so the resulting
// order shows what was buffered when.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buffer[256];

static void raw(const char* s) { write(1, s, strlen(s)); }

int main(void) {
  setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  printf("1 fully buffered\n");
  raw("2 raw write (appears before 1)\n");
  fflush(stdout);
  printf("3 in the program's buffer: %d\n", strncmp(buffer, "3 in", 4) == 0);
  setvbuf(stdout, NULL, _IOLBF, 0);  // implementation may flush first
  raw("4 raw\n");
  fflush(stdout);
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("5 line buffered, no newline yet... ");
  raw("6 raw (before the rest of line 5)\n");
  printf("end of 5\n");
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("7 unbuffered ");
  raw("8 raw\n");
  printf("9 done\n");
  fputs("10 via fputs\n", stdout);
  return 0;
}
