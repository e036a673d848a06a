// Read-only data after relocation: a child process writes to a const object
// holding pointers (.data.rel.ro, made read-only by RELRO in the linked
// executable) and to a const array in .rodata; both writes must fault.
// The parent reports how each child ended. Also checks the stack is not
// executable (PT_GNU_STACK) via /proc/self/maps.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char* const relro_table[] = {"one", "two"};
static const int rodata_array[4] = {1, 2, 3, 4};
static int writable = 1;

static const char* outcome(void (*f)(void)) {
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) {
    f();
    _exit(0);
  }
  int st;
  waitpid(p, &st, 0);
  if (WIFSIGNALED(st)) return WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "other signal";
  return WEXITSTATUS(st) == 0 ? "write succeeded" : "exit";
}

static void write_relro(void) { *(const char* volatile*)&relro_table[0] = "changed"; }
static void write_rodata(void) { *(volatile int*)&rodata_array[1] = 9; }
static void write_data(void) { *(volatile int*)&writable = 2; }

int main(void) {
  printf("relro table: %s %s\n", relro_table[0], relro_table[1]);
  printf("write to .data.rel.ro: %s\n", outcome(write_relro));
  printf("write to .rodata: %s\n", outcome(write_rodata));
  printf("write to .data: %s\n", outcome(write_data));
  FILE* f = fopen("/proc/self/maps", "r");
  char line[512];
  const char* stack = "not found";
  while (f && fgets(line, sizeof line, f))
    if (strstr(line, "[stack]")) stack = strstr(line, " rw-p ") ? "rw-p (not executable)" : strstr(line, "rwx") ? "executable" : "other";
  if (f) fclose(f);
  printf("stack: %s\n", stack);
  return 0;
}
