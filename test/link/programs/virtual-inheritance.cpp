// Virtual and multiple inheritance: diamond with virtual base, thunks for
// this-adjusting overrides, virtual calls through each base, and
// construction/destruction order.
#include <cstdio>

struct Root {
  int id;
  explicit Root(int i) : id(i) { std::printf("Root(%d)\n", i); }
  virtual ~Root() { std::printf("~Root\n"); }
  virtual const char* name() const { return "Root"; }
  virtual int value() const { return id; }
};
struct A : virtual Root {
  A() : Root(1) { std::printf("A\n"); }
  ~A() override { std::printf("~A\n"); }
  const char* name() const override { return "A"; }
  virtual int a_only() const { return 10; }
};
struct B : virtual Root {
  B() : Root(2) { std::printf("B\n"); }
  ~B() override { std::printf("~B\n"); }
  int value() const override { return id * 100; }
  virtual int b_only() const { return 20; }
};
struct D : A, B {
  D() : Root(3) { std::printf("D\n"); }
  ~D() override { std::printf("~D\n"); }
  const char* name() const override { return "D"; }
  int a_only() const override { return 11; }
  int b_only() const override { return 21; }
};

static void show(const Root& r) { std::printf("via Root: %s value=%d\n", r.name(), r.value()); }
static void show_a(const A& a) { std::printf("via A: %s a_only=%d value=%d\n", a.name(), a.a_only(), a.value()); }
static void show_b(const B& b) { std::printf("via B: %s b_only=%d value=%d\n", b.name(), b.b_only(), b.value()); }

int main() {
  Root* r = new D;
  show(*r);
  D* d = dynamic_cast<D*>(r);
  show_a(*d);
  show_b(*d);
  B* b = d;
  std::printf("B subobject is not at offset 0: %d; back to D: %d\n", (void*)b != (void*)d, dynamic_cast<D*>(b) == d);
  delete r;
  return 0;
}
