// UNITS: 2
// COMDAT groups across translation units (this file is compiled with
// -DUNIT=0 and -DUNIT=1): an inline function with a static local, a template
// instantiated in both units, an inline variable and a vtable/typeinfo emitted
// in both must each end up as one copy.
#include <cstdio>
#include <typeinfo>

inline int& shared_counter() {
  static int c = 0;
  return c;
}
template <typename T> T twice_and_count(T x) {
  shared_counter()++;
  return x + x;
}
inline int inline_variable = 5;
struct Shape {
  virtual ~Shape() {}
  virtual int sides() const { return 0; }
};
template <int N> struct Poly : Shape {
  int sides() const override { return N; }
};

const std::type_info& unit1_typeinfo();
Shape* unit1_make();
int* unit1_counter_address();
int* unit1_inline_variable();

#if UNIT == 0
int main() {
  twice_and_count(1);
  twice_and_count(2.5);
  Shape* s = unit1_make();
  std::printf("counter=%d (shared with unit 1: %d)\n", shared_counter(), &shared_counter() == unit1_counter_address());
  std::printf("inline variable same object: %d value=%d\n", &inline_variable == unit1_inline_variable(), inline_variable);
  std::printf("typeinfo equal: %d, name %s\n", typeid(Poly<5>) == unit1_typeinfo(), typeid(*s).name());
  Poly<5> local;
  std::printf("sides via unit 1 object: %d, local: %d, dynamic_cast: %d\n", s->sides(), local.sides(), dynamic_cast<Poly<5>*>(s) != nullptr);
  delete s;
  return 0;
}
#else
const std::type_info& unit1_typeinfo() { return typeid(Poly<5>); }
Shape* unit1_make() {
  twice_and_count(3);
  inline_variable++;
  return new Poly<5>;
}
int* unit1_counter_address() { return &shared_counter(); }
int* unit1_inline_variable() { return &inline_variable; }
#endif
