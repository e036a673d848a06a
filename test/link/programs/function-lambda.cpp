// std::function, lambdas with captures, std::bind, generic lambdas and
// recursion through std::function.
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

static int add(int a, int b) { return a + b; }

int main() {
  int base = 10;
  std::vector<std::function<int(int)>> fs;
  fs.push_back([base](int x) { return x + base; });
  fs.push_back([&base](int x) { return x * base; });
  fs.push_back(std::bind(add, std::placeholders::_1, 1000));
  fs.push_back([](int x) { return -x; });
  base = 3;
  for (auto& f : fs) std::printf("%d ", f(7));
  std::printf("\n");
  std::function<long(int)> fact = [&fact](int n) -> long { return n <= 1 ? 1 : n * fact(n - 1); };
  std::printf("fact(15)=%ld\n", fact(15));
  auto generic = [](auto a, auto b) { return a + b; };
  std::printf("generic: %d %.2f %s\n", generic(1, 2), generic(1.5, 2.25), generic(std::string("ab"), std::string("cd")).c_str());
  std::map<std::string, std::function<double(double, double)>> ops{
      {"+", [](double a, double b) { return a + b; }}, {"*", std::multiplies<double>()}, {"max", [](double a, double b) { return a > b ? a : b; }}};
  for (auto& [name, op] : ops) std::printf("%s -> %.1f\n", name.c_str(), op(6, 7));
  int counter = 0;
  auto inc = [counter]() mutable { return ++counter; };
  inc();
  std::printf("mutable copy: %d, original: %d\n", inc(), counter);
  std::function<void()> f2 = nullptr;
  std::printf("empty function is false: %d\n", !f2);
  return 0;
}
