// Exceptions thrown from inside libstdc++ and caught by the program.
#include <any>
#include <cstdio>
#include <functional>
#include <map>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

int main() {
  std::vector<int> v(3, 1);
  try { v.at(10) = 1; } catch (const std::out_of_range& e) { std::printf("vector::at: out_of_range\n"); }
  try { (void)std::stoi("not a number"); } catch (const std::invalid_argument& e) { std::printf("stoi: invalid_argument (%s)\n", e.what()); }
  try { (void)std::stoi("99999999999999999999"); } catch (const std::out_of_range& e) { std::printf("stoi: out_of_range (%s)\n", e.what()); }
  std::map<std::string, int> m{{"a", 1}};
  try { (void)m.at("b"); } catch (const std::out_of_range&) { std::printf("map::at: out_of_range\n"); }
  std::string s = "abc";
  try { (void)s.substr(10); } catch (const std::out_of_range&) { std::printf("string::substr: out_of_range\n"); }
  std::function<int()> empty;
  try { empty(); } catch (const std::bad_function_call& e) { std::printf("function: %s\n", e.what()); }
  std::optional<int> none;
  try { (void)none.value(); } catch (const std::bad_optional_access& e) { std::printf("optional: %s\n", e.what()); }
  std::variant<int, std::string> var = 5;
  try { (void)std::get<std::string>(var); } catch (const std::bad_variant_access& e) { std::printf("variant: bad_variant_access\n"); }
  std::any a = 1;
  try { (void)std::any_cast<double>(a); } catch (const std::bad_any_cast& e) { std::printf("any: %s\n", e.what()); }
  try {
    volatile size_t n = static_cast<size_t>(-1) / 4;
    int* p = new int[n];
    std::printf("allocated?! %p\n", (void*)p);
  } catch (const std::bad_alloc& e) { std::printf("new[]: bad_alloc caught\n"); }
  try { std::vector<int> big; big.reserve(big.max_size() + 1); } catch (const std::length_error& e) { std::printf("reserve: length_error\n"); }
  return 0;
}
