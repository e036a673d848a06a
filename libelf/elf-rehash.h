// Hash functions of the ELF symbol hash tables, and the rebuild of .dynsym's
// order and hash tables after dynamic symbols are renamed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "libelf/elf-file.h"

namespace linkbox::elf {

uint32_t gnu_hash(std::string_view name);
uint32_t sysv_hash(std::string_view name);

// `out` is the file image laid out like `f` (before any relocation of
// tables). `renamed` maps symbol indices to their new names.
Status rehash_dynamic_symbols(std::vector<uint8_t>& out, const ElfFile& f,
                              const std::map<uint32_t, std::string>& renamed);

}  // namespace linkbox::elf
