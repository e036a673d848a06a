// Version scripts and dynamic lists, as GNU ld and lld read them.
//
//   VERS_2 { global: foo; bar*; extern "C++" { "ns::f(int)"; ns::g*; }; local: *; } VERS_1;
//
// A dynamic list (--dynamic-list) is one anonymous node of patterns:
//   { foo; bar*; extern "C++" { ns::*; }; };
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "libformat/expected.h"

namespace linkbox::link {

struct SymbolPattern {
  std::string text;
  bool cxx = false;       // matched against demangled names (extern "C++")
  bool wildcard = false;  // has glob characters and was not quoted
};

struct VersionNode {
  std::string name;  // empty: the anonymous version (globals get VER_NDX_GLOBAL)
  std::vector<SymbolPattern> globals;
  std::vector<SymbolPattern> locals;
  std::vector<std::string> parents;
};

Expected<std::vector<VersionNode>> parse_version_script(const std::string& path, std::string_view text);
Expected<std::vector<SymbolPattern>> parse_dynamic_list(const std::string& path, std::string_view text);

// Whether `name` (already demangled for C++ patterns) matches the pattern.
bool pattern_matches(const SymbolPattern& p, std::string_view name);

}  // namespace linkbox::link
