// CFLAGS: -ffunction-sections -fdata-sections
// LDFLAGS: -Wl,--gc-sections
// --gc-sections with one section per function and object: what main reaches
// (directly, through data, through __attribute__((used)) and KEEP-like
// sections such as .init_array) must survive; unused code and data go.
#include <stdio.h>

static int table_value = 40;
int unused_data[1024] = {1};
static int* const reached_through_data = &table_value;

int unused_function(int x) { return x * unused_data[x & 1023]; }
__attribute__((used)) static int kept_by_used(void) { return 1; }
static int helper(int x) { return x + 2; }
int reached_function(int x) { return helper(x) + *reached_through_data - 40; }

static int ctor_ran;
__attribute__((constructor)) static void ctor(void) { ctor_ran = 1; }

const char unused_string[] = "this string is not referenced";

int main(void) {
  printf("reached_function(40)=%d\n", reached_function(40));
  printf("constructor ran: %d\n", ctor_ran);
  printf("table_value=%d\n", *reached_through_data);
  return 0;
}
