// Pointers to libc functions: taken in code, stored in initialized data and
// in a const table, passed around; they must all compare equal (canonical
// function address) and calling through each must work.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*puts_fn)(const char*);
typedef size_t (*strlen_fn)(const char*);

int (*data_puts)(const char*) = puts;
size_t (*data_strlen)(const char*) = strlen;
static const puts_fn const_table[] = {puts, puts};
static void* const generic[] = {(void*)puts, (void*)strlen, (void*)qsort, (void*)abs};

__attribute__((noinline)) static puts_fn code_puts(void) { return puts; }
__attribute__((noinline)) static strlen_fn code_strlen(void) { return strlen; }
__attribute__((noinline)) static int same(void* a, void* b) { return a == b; }

static int cmp_int(const void* a, const void* b) { return *(const int*)a - *(const int*)b; }

int main(void) {
  puts_fn volatile via_volatile = puts;
  printf("data==code puts: %d\n", same((void*)data_puts, (void*)code_puts()));
  printf("table==code puts: %d %d\n", same((void*)const_table[0], (void*)code_puts()), same((void*)const_table[1], (void*)puts));
  printf("volatile==data puts: %d\n", same((void*)via_volatile, (void*)data_puts));
  printf("generic[0]==puts: %d generic[1]==strlen: %d\n", same(generic[0], (void*)puts), same(generic[1], (void*)code_strlen()));
  printf("data strlen==code strlen: %d\n", same((void*)data_strlen, (void*)code_strlen()));
  printf("puts!=strlen: %d\n", !same((void*)puts, (void*)strlen));
  data_puts("called through data pointer");
  const_table[1]("called through const table");
  via_volatile("called through volatile");
  printf("strlen via pointer: %zu\n", data_strlen("12345"));
  int v[] = {5, 3, 9, 1};
  void (*q)(void*, size_t, size_t, int (*)(const void*, const void*)) = (void (*)(void*, size_t, size_t, int (*)(const void*, const void*)))generic[2];
  q(v, 4, sizeof v[0], cmp_int);
  printf("qsort via pointer: %d %d %d %d\n", v[0], v[1], v[2], v[3]);
  printf("abs via pointer: %d\n", ((int (*)(int))generic[3])(-7));
  return 0;
}
