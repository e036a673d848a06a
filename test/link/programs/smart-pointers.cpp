// std::unique_ptr, std::shared_ptr, std::weak_ptr: ownership transfer,
// custom deleters, enable_shared_from_this, and destruction order.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Node : std::enable_shared_from_this<Node> {
  std::string name;
  std::shared_ptr<Node> next;
  std::weak_ptr<Node> prev;
  explicit Node(std::string n) : name(std::move(n)) { std::printf("make %s\n", name.c_str()); }
  ~Node() { std::printf("free %s\n", name.c_str()); }
  std::shared_ptr<Node> self() { return shared_from_this(); }
};

int main() {
  {
    auto a = std::make_unique<Node>("unique-a");
    std::unique_ptr<Node> b = std::move(a);
    std::printf("moved: a=%d b=%s\n", a == nullptr, b->name.c_str());
  }
  std::weak_ptr<Node> watcher;
  {
    auto first = std::make_shared<Node>("shared-1");
    auto second = std::make_shared<Node>("shared-2");
    first->next = second;
    second->prev = first;
    watcher = second;
    auto again = second->self();
    std::printf("use_count first=%ld second=%ld expired=%d\n", first.use_count(), second.use_count(), watcher.expired());
  }
  std::printf("after scope expired=%d\n", watcher.expired());
  {
    int freed = 0;
    auto deleter = [&freed](int* p) { freed += *p; delete p; };
    std::unique_ptr<int, decltype(deleter)> p(new int(5), deleter);
    std::shared_ptr<int> s(new int(7), deleter);
    std::shared_ptr<int> s2 = s;
    s.reset();
    std::printf("freed so far %d\n", freed);
    s2.reset();
    std::printf("freed after shared reset %d\n", freed);
    p.reset();
    std::printf("freed total %d\n", freed);
  }
  std::vector<std::shared_ptr<Node>> v;
  for (int i = 0; i < 3; i++) v.push_back(std::make_shared<Node>("vec-" + std::to_string(i)));
  v.erase(v.begin() + 1);
  std::printf("vector size %zu\n", v.size());
  return 0;
}
