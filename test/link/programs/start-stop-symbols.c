// A custom section whose name is a C identifier, enumerated with the
// linker-defined __start_SECTION / __stop_SECTION symbols (a registration
// pattern), with entries that point at functions and strings.
#include <stdio.h>

struct command {
  const char* name;
  int (*run)(int);
};

#define REGISTER(n, f) \
  __attribute__((used, section("link_matrix_cmds"), aligned(sizeof(void*)))) static const struct command reg_##f = {n, f}

static int cmd_double(int x) { return 2 * x; }
static int cmd_square(int x) { return x * x; }
static int cmd_negate(int x) { return -x; }
REGISTER("double", cmd_double);
REGISTER("square", cmd_square);
REGISTER("negate", cmd_negate);

extern const struct command __start_link_matrix_cmds[], __stop_link_matrix_cmds[];
extern const char __start_link_matrix_missing[] __attribute__((weak));

int main(void) {
  int n = (int)(__stop_link_matrix_cmds - __start_link_matrix_cmds);
  printf("%d commands registered\n", n);
  // Print in name order: the order inside the section is up to the compiler.
  const char* names[] = {"double", "negate", "square"};
  for (int k = 0; k < 3; k++)
    for (const struct command* c = __start_link_matrix_cmds; c < __stop_link_matrix_cmds; c++)
      if (c->name == names[k] || (c->name[0] == names[k][0] && c->name[1] == names[k][1]))
        printf("%s(7)=%d\n", c->name, c->run(7));
  printf("weak __start of a missing section is null: %d\n", __start_link_matrix_missing == NULL);
  return 0;
}
