// Templates: variadic templates, fold expressions, CRTP, template static data
// members (weak/COMDAT definitions), constexpr evaluation and specialization.
#include <cstdio>
#include <string>
#include <type_traits>

template <typename T> struct Registry { static int count; static const char* tag; };
template <typename T> int Registry<T>::count = 0;
template <typename T> const char* Registry<T>::tag = "generic";
template <> const char* Registry<double>::tag = "double";

template <typename... Ts> auto sum(Ts... xs) { return (xs + ... + 0); }
template <typename... Ts> constexpr size_t count_args(Ts...) { return sizeof...(Ts); }

template <typename Derived> struct Shape {
  double area() const { return static_cast<const Derived*>(this)->area_impl(); }
  const char* kind() const { return Derived::kind_name; }
};
struct Square : Shape<Square> { double s; static constexpr const char* kind_name = "square"; double area_impl() const { return s * s; } };
struct Rect : Shape<Rect> { double w, h; static constexpr const char* kind_name = "rect"; double area_impl() const { return w * h; } };

template <typename S> void report(const Shape<S>& sh) { std::printf("%s area=%.2f\n", sh.kind(), sh.area()); }

constexpr unsigned long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
template <unsigned long N> struct Const { static constexpr unsigned long value = N; };

template <typename T> std::string describe(T) {
  if constexpr (std::is_integral_v<T>) return "integral";
  else if constexpr (std::is_floating_point_v<T>) return "floating";
  else return "other";
}

int main() {
  Registry<int>::count += 3;
  Registry<char>::count += 1;
  Registry<int>::count++;
  std::printf("Registry<int>=%d Registry<char>=%d tags: %s %s\n", Registry<int>::count, Registry<char>::count, Registry<int>::tag, Registry<double>::tag);
  std::printf("sum=%d count=%zu\n", sum(1, 2, 3, 4, 5), count_args(1, 'a', "s", 2.0));
  report(Square{{}, 3.0});
  report(Rect{{}, 2.0, 4.5});
  std::printf("fib(25) at compile time: %lu\n", Const<fib(25)>::value);
  std::printf("%s %s %s\n", describe(1).c_str(), describe(1.0f).c_str(), describe("x").c_str());
  return 0;
}
