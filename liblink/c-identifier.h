// Whether a section name is a valid C identifier: such sections get
// __start_NAME and __stop_NAME symbols, which the garbage collector, the
// linker-defined symbols and identical code folding all treat specially.
#pragma once

#include <string_view>

namespace linkbox::link {

inline bool is_c_identifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s)
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return false;
  return true;
}

}  // namespace linkbox::link
