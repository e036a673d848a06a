// C++ symbol names for people: what lld and binutils print by default.
#pragma once

#include <string>
#include <string_view>

namespace linkbox {

// The demangled form of an Itanium-mangled name ("_Z..."), or empty when
// `name` is not one (or does not demangle).
std::string demangle_or_empty(std::string_view name);
// The demangled form, or `name` itself.
std::string demangle(std::string_view name);

}  // namespace linkbox
