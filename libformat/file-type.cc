#include "libformat/file-type.h"

#include <cstring>

#include "libformat/byte-order.h"

namespace linkbox {
namespace {
bool starts_with(std::span<const uint8_t> b, const char* magic, size_t n) {
  return b.size() >= n && std::memcmp(b.data(), magic, n) == 0;
}
}  // namespace

FileType identify_file(std::span<const uint8_t> b) {
  if (starts_with(b, "\x7f" "ELF", 4)) return FileType::elf;
  if (starts_with(b, "!<arch>\n", 8)) return FileType::archive;
  if (starts_with(b, "!<thin>\n", 8)) return FileType::thin_archive;
  if (starts_with(b, "BC\xc0\xde", 4) || starts_with(b, "\xde\xc0\x17\x0b", 4))
    return FileType::llvm_bitcode;
  if (b.size() >= 4) {
    uint32_t be = load<uint32_t>(b.data(), ByteOrder::big);
    switch (be) {
      case 0xfeedface: case 0xfeedfacf: case 0xcefaedfe: case 0xcffaedfe:
        return FileType::macho;
      case 0xcafebabe: case 0xcafebabf: {
        // Java class files share 0xcafebabe; a fat header's slice count is small.
        if (b.size() >= 8 && load<uint32_t>(b.data() + 4, ByteOrder::big) < 64)
          return FileType::macho_fat;
        break;
      }
    }
  }
  size_t probe = b.size() < 256 ? b.size() : 256;
  bool printable = probe > 0;
  for (size_t i = 0; i < probe; ++i) {
    uint8_t c = b[i];
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c != 0x1b)) { printable = false; break; }
  }
  return printable ? FileType::text : FileType::unknown;
}

std::string_view file_type_name(FileType type) {
  switch (type) {
    case FileType::elf: return "ELF";
    case FileType::macho: return "Mach-O";
    case FileType::macho_fat: return "universal Mach-O";
    case FileType::archive: return "archive";
    case FileType::thin_archive: return "thin archive";
    case FileType::llvm_bitcode: return "LLVM bitcode";
    case FileType::text: return "text";
    case FileType::unknown: break;
  }
  return "unknown";
}

}  // namespace linkbox
