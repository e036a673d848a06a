// RTTI: typeid names, dynamic_cast up/down/cross, bad_cast from a reference cast,
// type_info equality and before().
#include <cstdio>
#include <typeinfo>

struct Base { virtual ~Base() {} };
struct Left : virtual Base { int l = 1; };
struct Right : virtual Base { int r = 2; };
struct Both : Left, Right { int b = 3; };
struct Other : Base {};
struct NotPoly { int x; };

static const char* kind(Base* p) {
  if (dynamic_cast<Both*>(p)) return "Both";
  if (dynamic_cast<Left*>(p)) return "Left";
  if (dynamic_cast<Right*>(p)) return "Right";
  if (dynamic_cast<Other*>(p)) return "Other";
  return "Base";
}

int main() {
  Base* objs[] = {new Base, new Left, new Right, new Both, new Other};
  for (Base* p : objs) std::printf("%s typeid=%s\n", kind(p), typeid(*p).name());
  Left* l = new Both;
  Right* r = dynamic_cast<Right*>(l);  // cross cast
  std::printf("cross cast ok=%d r=%d\n", r != nullptr, r ? r->r : -1);
  try {
    Base& b = *objs[4];
    Left& bad = dynamic_cast<Left&>(b);
    std::printf("no exception?! %d\n", bad.l);
  } catch (const std::bad_cast& e) {
    std::printf("caught bad_cast (%s)\n", typeid(e).name());
  }
  std::printf("typeid(int)==typeid(int): %d\n", typeid(int) == typeid(int));
  std::printf("typeid(NotPoly).name=%s\n", typeid(NotPoly).name());
  std::printf("typeid(Left)==typeid(Right): %d\n", typeid(Left) == typeid(Right));
  std::printf("void* from dynamic_cast points to most derived: %d\n",
              dynamic_cast<void*>(static_cast<Base*>(l)) == static_cast<void*>(static_cast<Both*>(l)));
  for (Base* p : objs) delete p;
  delete l;
  return 0;
}
