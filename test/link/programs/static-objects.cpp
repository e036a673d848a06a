// C++ static objects: namespace-scope objects constructed in declaration
// order (with init_priority ones first) and destroyed in reverse, interleaved
// with atexit handlers and a function-local static.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

static void say(const char* a, const char* b) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%s %s\n", a, b);
  write(1, buf, std::strlen(buf));
}

struct Obj {
  const char* name;
  explicit Obj(const char* n) : name(n) { say("construct", name); }
  ~Obj() { say("destroy", name); }
};

Obj first("first");
Obj second("second");
static Obj early __attribute__((init_priority(1000))) ("early(init_priority 1000)");
static Obj earlier __attribute__((init_priority(500))) ("earlier(init_priority 500)");

static void handler_registered_in_main() { say("atexit", "registered in main"); }

static Obj& local() {
  static Obj o("function-local");
  return o;
}

Obj third("third");

int main() {
  say("main", "start");
  std::atexit(handler_registered_in_main);
  local();
  say("main", "end");
  return 0;
}
