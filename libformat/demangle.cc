#include "libformat/demangle.h"

#include <cxxabi.h>

#include <cstdlib>

namespace linkbox {

std::string demangle_or_empty(std::string_view name) {
  if (name.substr(0, 2) != "_Z") return {};
  int status = 0;
  char* d = abi::__cxa_demangle(std::string(name).c_str(), nullptr, nullptr, &status);
  if (!d) return {};
  std::string out(d);
  std::free(d);
  return out;
}

std::string demangle(std::string_view name) {
  std::string d = demangle_or_empty(name);
  return d.empty() ? std::string(name) : d;
}

}  // namespace linkbox
