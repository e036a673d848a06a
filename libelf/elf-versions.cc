// Symbol versioning: .gnu.version_r (needs), .gnu.version_d (definitions)
// and .gnu.version (one index a dynamic symbol), located through the dynamic
// section so they can be read from files without section headers.
#include "libelf/elf-file.h"

namespace linkbox::elf {
namespace {
constexpr uint64_t verneed_size = 16, vernaux_size = 16, verdef_size = 20, verdaux_size = 8;
}

Expected<std::vector<VersionNeed>> ElfFile::version_needs() const {
  std::vector<VersionNeed> out;
  auto dyn = dynamic_entries();
  if (!dyn) return dyn.error();
  auto addr = find_tag(*dyn, DT_VERNEED);
  if (!addr) return out;
  uint64_t count = find_tag(*dyn, DT_VERNEEDNUM).value_or(0);
  auto strings = dynamic_strings();
  if (!strings) return strings.error();
  auto start = vaddr_to_offset(*addr, verneed_size);
  if (!start) return error("DT_VERNEED at " + hex(*addr) + " is not inside any loaded segment");
  auto name_of = [&](uint32_t off, const char* what) -> Expected<std::string> {
    auto s = strings->at(off);
    if (!s) return error(std::string(what) + " name offset " + hex(off) +
                         " is outside the dynamic string table");
    return std::string(*s);
  };
  uint64_t at = *start;
  for (uint64_t i = 0; i < count; ++i) {
    // Records are found through addresses: each must lie in a loaded segment.
    if (!vaddr_to_offset(*addr + (at - *start), verneed_size))
      return error("version need record " + std::to_string(i) + " (DT_VERNEED + " + hex(at - *start) +
                   ") is outside every loaded segment");
    if (!in_bounds(at, verneed_size, bytes_.size()))
      return error("version need record at " + hex(at) + " extends past the end of the file");
    const uint8_t* p = bytes_.data() + at;
    VersionNeed need;
    need.record_offset = at;
    uint16_t cnt = codec_.get<uint16_t>(p + 2);
    need.file_offset = codec_.get<uint32_t>(p + 4);
    uint32_t aux = codec_.get<uint32_t>(p + 8);
    uint32_t next = codec_.get<uint32_t>(p + 12);
    auto file = name_of(need.file_offset, "version need file");
    if (!file) return file.error();
    need.file = *file;
    uint64_t aux_at = at + aux;
    for (uint16_t j = 0; j < cnt; ++j) {
      if (aux < vernaux_size && j == 0 && aux == 0) break;
      if (!vaddr_to_offset(*addr + (aux_at - *start), vernaux_size))
        return error("version need entry (DT_VERNEED + " + hex(aux_at - *start) +
                     ") is outside every loaded segment");
      if (!in_bounds(aux_at, vernaux_size, bytes_.size()))
        return error("version need entry at " + hex(aux_at) + " extends past the end of the file");
      const uint8_t* a = bytes_.data() + aux_at;
      VersionNeedAux v;
      v.hash = codec_.get<uint32_t>(a);
      v.flags = codec_.get<uint16_t>(a + 4);
      v.other = codec_.get<uint16_t>(a + 6);
      v.name_offset = codec_.get<uint32_t>(a + 8);
      auto name = name_of(v.name_offset, "version need");
      if (!name) return name.error();
      v.name = *name;
      need.versions.push_back(std::move(v));
      uint32_t step = codec_.get<uint32_t>(a + 12);
      if (step == 0) break;
      aux_at += step;
    }
    out.push_back(std::move(need));
    if (next == 0) break;
    at += next;
  }
  return out;
}

Expected<std::vector<VersionDef>> ElfFile::version_definitions() const {
  std::vector<VersionDef> out;
  auto dyn = dynamic_entries();
  if (!dyn) return dyn.error();
  auto addr = find_tag(*dyn, DT_VERDEF);
  if (!addr) return out;
  uint64_t count = find_tag(*dyn, DT_VERDEFNUM).value_or(0);
  auto strings = dynamic_strings();
  if (!strings) return strings.error();
  auto start = vaddr_to_offset(*addr, verdef_size);
  if (!start) return error("DT_VERDEF at " + hex(*addr) + " is not inside any loaded segment");
  uint64_t at = *start;
  for (uint64_t i = 0; i < count; ++i) {
    if (!vaddr_to_offset(*addr + (at - *start), verdef_size))
      return error("version definition " + std::to_string(i) + " (DT_VERDEF + " + hex(at - *start) +
                   ") is outside every loaded segment");
    if (!in_bounds(at, verdef_size, bytes_.size()))
      return error("version definition at " + hex(at) + " extends past the end of the file");
    const uint8_t* p = bytes_.data() + at;
    VersionDef def;
    def.flags = codec_.get<uint16_t>(p + 2);
    def.index = codec_.get<uint16_t>(p + 4);
    uint16_t cnt = codec_.get<uint16_t>(p + 6);
    uint32_t aux = codec_.get<uint32_t>(p + 12);
    uint32_t next = codec_.get<uint32_t>(p + 16);
    uint64_t aux_at = at + aux;
    for (uint16_t j = 0; j < cnt; ++j) {
      if (!in_bounds(aux_at, verdaux_size, bytes_.size()))
        return error("version definition name at " + hex(aux_at) +
                     " extends past the end of the file");
      uint32_t name = codec_.get<uint32_t>(bytes_.data() + aux_at);
      auto s = strings->at(name);
      if (!s) return error("version definition name offset " + hex(name) +
                           " is outside the dynamic string table");
      def.names.emplace_back(*s);
      uint32_t step = codec_.get<uint32_t>(bytes_.data() + aux_at + 4);
      if (step == 0) break;
      aux_at += step;
    }
    out.push_back(std::move(def));
    if (next == 0) break;
    at += next;
  }
  return out;
}

Expected<std::vector<uint16_t>> ElfFile::version_symbols() const {
  std::vector<uint16_t> out;
  auto dyn = dynamic_entries();
  if (!dyn) return dyn.error();
  auto addr = find_tag(*dyn, DT_VERSYM);
  if (!addr) return out;
  auto count = dynamic_symbol_count();
  if (!count) return count.error();
  auto bytes = bytes_at_vaddr(*addr, *count * 2, ".gnu.version table");
  if (!bytes) return bytes.error();
  out.reserve(*count);
  for (uint64_t i = 0; i < *count; ++i) out.push_back(codec_.get<uint16_t>(bytes->data() + 2 * i));
  return out;
}

}  // namespace linkbox::elf
