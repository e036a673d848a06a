// A bounds-checked, read-only view of an ELF file.
//
// Every offset, size and count read from the file is checked before it is
// used, and a problem is returned as an Error naming the file and the field.
// The view works on files without section headers: everything a loader needs
// is found from the program headers and PT_DYNAMIC alone.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libelf/elf-types.h"
#include "libformat/expected.h"
#include "libformat/hex.h"

namespace linkbox::elf {

struct Section {
  uint32_t index = 0;
  Shdr hdr;
  std::string name;
};

// A string table: a run of NUL-terminated strings.
class StringTable {
 public:
  StringTable() = default;
  explicit StringTable(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  // The string at `offset`, or nullopt when it is out of range or unterminated.
  std::optional<std::string_view> at(uint64_t offset) const;
  std::span<const uint8_t> bytes() const { return bytes_; }

 private:
  std::span<const uint8_t> bytes_;
};

struct Note {
  uint64_t offset = 0;  // file offset of the note header
  uint32_t type = 0;
  std::string name;
  std::span<const uint8_t> desc;
};

struct VersionNeedAux {
  std::string name;
  uint32_t hash = 0;
  uint16_t flags = 0;
  uint16_t other = 0;  // the version index used in .gnu.version
  uint32_t name_offset = 0;
};

struct VersionNeed {
  std::string file;
  uint32_t file_offset = 0;          // offset of the name in the dynamic string table
  uint64_t record_offset = 0;        // file offset of the Elf_Verneed record
  std::vector<VersionNeedAux> versions;
};

struct VersionDef {
  uint16_t flags = 0;
  uint16_t index = 0;
  std::vector<std::string> names;    // the first is the version, the rest its parents
};

class ElfFile {
 public:
  static Expected<ElfFile> parse(std::string path, std::span<const uint8_t> bytes);
  // Checks and decodes only the identification and the ELF header; the
  // segment and section lists stay empty. For a reader that goes through
  // the rest under its own rules and must still report on a file whose
  // tables are broken (the readelf personality).
  static Expected<ElfFile> parse_header(std::string path, std::span<const uint8_t> bytes);

  const std::string& path() const { return path_; }
  std::span<const uint8_t> bytes() const { return bytes_; }
  const Codec& codec() const { return codec_; }
  const Ehdr& header() const { return ehdr_; }
  bool is64() const { return codec_.is64(); }
  uint16_t machine() const { return ehdr_.machine; }

  const std::vector<Phdr>& segments() const { return segments_; }
  const std::vector<Section>& sections() const { return sections_; }
  bool has_section_headers() const { return !sections_.empty(); }
  const Section* find_section(std::string_view name) const;
  const Section* find_section_by_type(uint32_t type) const;
  const Phdr* find_segment(uint32_t type) const;

  // Bytes of a section, checked against the file size. NOBITS sections are empty.
  Expected<std::span<const uint8_t>> section_data(const Section& s) const;
  // The file offset that holds `vaddr`, if a PT_LOAD maps [vaddr, vaddr+size)
  // from the file.
  std::optional<uint64_t> vaddr_to_offset(uint64_t vaddr, uint64_t size = 1) const;
  // Bytes at a virtual address, or an error mentioning `what`.
  Expected<std::span<const uint8_t>> bytes_at_vaddr(uint64_t vaddr, uint64_t size,
                                                    std::string_view what) const;

  // The interpreter named by PT_INTERP; nullopt when there is none.
  Expected<std::optional<std::string>> interpreter() const;

  // The dynamic array up to and excluding DT_NULL; empty when the file has no
  // PT_DYNAMIC (and no SHT_DYNAMIC section).
  Expected<std::vector<Dyn>> dynamic_entries() const;
  bool has_dynamic() const;
  // Where the dynamic array is: file offset and size in bytes.
  std::optional<std::pair<uint64_t, uint64_t>> dynamic_location() const;
  // The value of the first entry with `tag`.
  static std::optional<uint64_t> find_tag(const std::vector<Dyn>& dyn, int64_t tag);

  // The dynamic string table (DT_STRTAB/DT_STRSZ), with its file offset.
  Expected<StringTable> dynamic_strings() const;
  Expected<uint64_t> dynamic_strings_offset() const;

  // Dynamic symbols (.dynsym), found through the section headers or, without
  // them, through DT_SYMTAB and the hash tables.
  Expected<std::vector<Sym>> dynamic_symbols() const;
  Expected<uint64_t> dynamic_symbol_count() const;
  // Static symbols (.symtab); empty when stripped.
  Expected<std::vector<Sym>> static_symbols() const;
  Expected<std::vector<Sym>> symbols_in(const Section& s) const;

  Expected<std::vector<VersionNeed>> version_needs() const;
  Expected<std::vector<VersionDef>> version_definitions() const;
  // .gnu.version, one entry a dynamic symbol.
  Expected<std::vector<uint16_t>> version_symbols() const;

  // Notes from PT_NOTE segments, or SHT_NOTE sections when there are none.
  Expected<std::vector<Note>> notes() const;

  Error error(std::string message) const { return make_error(path_, std::move(message)); }

 private:
  Status parse_program_headers();
  Status parse_section_headers();
  Expected<std::vector<Note>> parse_notes(uint64_t offset, uint64_t size, uint64_t align) const;
  Expected<uint64_t> symbol_count_from_hash(const std::vector<Dyn>& dyn) const;

  std::string path_;
  std::span<const uint8_t> bytes_;
  Codec codec_;
  Ehdr ehdr_;
  std::vector<Phdr> segments_;
  std::vector<Section> sections_;
};

using linkbox::hex;  // offsets in messages

}  // namespace linkbox::elf
