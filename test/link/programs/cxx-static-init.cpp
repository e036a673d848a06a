// CFLAGS: -std=c++20
// C++ dynamic initialization of namespace-scope variables through several
// functions: values depend on earlier initializers in the same translation
// unit, constinit/constexpr values need no code, inline variables.
#include <cstdio>
#include <string>
#include <vector>

static int calls = 0;
static int next_value(int base) { return base + ++calls; }
static std::string make_label(int v) { return "label-" + std::to_string(v); }

constexpr int compile_time = 6 * 7;
constinit int constant_init = compile_time + 1;
int a = next_value(100);
int b = next_value(a);
std::string label = make_label(b);
std::vector<std::string> labels = {label, make_label(a), make_label(constant_init)};
inline int inline_var = next_value(1000);
static const int* const pointer_to_b = &b;
struct Registrar {
  std::vector<std::string> names;
  Registrar& add(const char* n) { names.push_back(n); return *this; }
};
static Registrar& registry() { static Registrar r; return r; }
static bool registered_x = (registry().add("x"), true);
static bool registered_y = (registry().add("y").add("z"), true);

int main() {
  std::printf("a=%d b=%d label=%s calls=%d inline_var=%d\n", a, b, label.c_str(), calls, inline_var);
  for (auto& l : labels) std::printf("%s ", l.c_str());
  std::printf("\n*pointer_to_b=%d constant_init=%d\n", *pointer_to_b, constant_init);
  std::printf("registered:");
  for (auto& n : registry().names) std::printf(" %s", n.c_str());
  std::printf(" (%d %d)\n", registered_x, registered_y);
  return 0;
}
