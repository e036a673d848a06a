// Mach-O: the start of libmacho. For now it recognises thin and fat files so
// that every tool can say clearly that Mach-O editing is not implemented yet;
// the bounds-checked reader and editor come with the Mach-O issue.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "libformat/expected.h"

namespace linkbox::macho {

struct Summary {
  bool fat = false;
  bool is64 = false;
  uint32_t cputype = 0;
  uint32_t slices = 1;
};

// Reads just the header of a thin or fat file.
Expected<Summary> read_summary(const std::string& path, std::span<const uint8_t> bytes);

}  // namespace linkbox::macho
