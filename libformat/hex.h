// "0x1f": how offsets, addresses and sizes appear in diagnostics.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace linkbox {

inline std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace linkbox
