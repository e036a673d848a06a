// Weak undefined symbols: a function and an object nobody defines must have
// address 0 (checked before use); a weak reference to a symbol that libc does
// define must resolve to it when linked in.
#include <stdio.h>
#include <string.h>

extern int missing_variable __attribute__((weak));
extern int missing_array[] __attribute__((weak));
extern void missing_function(void) __attribute__((weak));
extern size_t strlen(const char*) __attribute__((weak));

static void* const table[] = {&missing_variable, (void*)missing_function};

int main(void) {
  printf("&missing_variable is null: %d\n", &missing_variable == NULL);
  printf("missing_array is null: %d\n", missing_array == NULL);
  printf("missing_function is null: %d\n", missing_function == NULL);
  printf("table entries null: %d %d\n", table[0] == NULL, table[1] == NULL);
  if (missing_function) missing_function();
  else printf("skipped call to missing_function\n");
  if (strlen) printf("weak strlen resolved: %zu\n", strlen("four"));
  else printf("weak strlen is null\n");
  return 0;
}
