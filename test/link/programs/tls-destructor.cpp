// CFLAGS: -pthread
// LDFLAGS: -pthread
// Function-local thread_local objects with destructors (__cxa_thread_atexit):
// destroyed when their thread exits, before the thread is joined, and in main
// at exit before static objects.
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

static void say(const std::string& s) {
  std::string line = s + "\n";
  write(1, line.data(), line.size());
}

struct PerThread {
  std::string name;
  explicit PerThread(std::string n) : name(std::move(n)) { say("construct " + name); }
  ~PerThread() { say("destroy " + name); }
};

struct Global {
  ~Global() { say("destroy global static"); }
} global;

static PerThread& mine(const char* who) {
  thread_local PerThread p(who);
  return p;
}

int main() {
  for (int i = 0; i < 2; i++) {
    std::thread t([i] {
      std::string n = "thread-" + std::to_string(i);
      mine(n.c_str());
      mine("ignored: already constructed");
      say("thread body done");
    });
    t.join();
    say("joined");
  }
  mine("main");
  say("main returns");
  return 0;
}
