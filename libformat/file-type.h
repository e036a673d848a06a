// Telling file formats apart by their first bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace linkbox {

enum class FileType {
  unknown,
  elf,
  macho,       // thin Mach-O, 32 or 64 bit, either byte order
  macho_fat,   // universal (fat) Mach-O
  archive,     // "!<arch>\n"
  thin_archive,
  llvm_bitcode,
  text,        // probably a linker script or a text-based stub
};

FileType identify_file(std::span<const uint8_t> bytes);
std::string_view file_type_name(FileType type);

}  // namespace linkbox
