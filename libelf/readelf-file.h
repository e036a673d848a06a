// The state the readelf printers share for one file, and the formatting
// primitives they all use.
//
// readelf does its work in a fixed order (file header, section headers,
// groups, program headers, dynamic section, relocations, unwind, symbols,
// versions, notes, architecture data) and later passes use what earlier ones
// found: the dynamic string table found through the section headers, the
// version tags found in the dynamic section, the interpreter found through
// the program headers. ReadelfFile holds that state under readelf's own
// rules, so each printer can be written as "what readelf prints for this
// part" without re-deriving the rest.
//
// Every read of file contents goes through data(), which checks the range
// against the file size, as readelf's get_data does, and reports the same
// kind of problem when it is out of range.
#pragma once

#include <array>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libelf/elf-file.h"
#include "libelf/readelf.h"

namespace linkbox::elf::readelf {

// Buffered stdout text. readelf's output is large for big symbol tables, so
// it is built in memory and written in blocks.
class Text {
 public:
  explicit Text(std::FILE* stream) : stream_(stream) {}
  ~Text() { flush(); }
  Text(const Text&) = delete;
  Text& operator=(const Text&) = delete;

  // printf into the output; returns the number of characters written.
  int f(const char* format, ...) __attribute__((format(printf, 2, 3)));
  void put(std::string_view s);
  void put(char c);
  void flush();

 private:
  void maybe_flush() {
    if (buffer_.size() >= (1u << 20)) flush();
  }
  std::FILE* stream_;
  std::string buffer_;
};

// readelf's print_vma modes.
enum class Vma { hex, dec, dec5, unsigned_dec, prefix_hex, full_hex, long_hex };

// Reserved section indices as readelf holds them. binutils widens a 16-bit
// index of 0xff00 or more by adding 0xffff0000, so SHN_ABS is 0xfffffff1
// inside readelf, while an index taken from SHT_SYMTAB_SHNDX is kept as is.
// The output depends on this (an extended index of 0xfff1 is not "ABS").
constexpr uint32_t kShnLoReserve = 0xffffff00;
constexpr uint32_t kShnLoProc = 0xffffff00;
constexpr uint32_t kShnHiProc = 0xffffff1f;
constexpr uint32_t kShnLoOs = 0xffffff20;
constexpr uint32_t kShnHiOs = 0xffffff3f;
constexpr uint32_t kShnAbs = 0xfffffff1;
constexpr uint32_t kShnCommon = 0xfffffff2;
constexpr uint32_t widen_section_index(uint32_t index16) {
  return index16 >= 0xff00 ? index16 + 0xffff0000u : index16;
}

// A symbol as readelf holds it: the section index is 32 bits wide, so that
// SHT_SYMTAB_SHNDX indices fit, and reserved indices are widened.
struct Symbol {
  uint32_t name = 0;
  uint8_t info = 0;
  uint8_t other = 0;
  uint32_t shndx = 0;
  uint64_t value = 0;
  uint64_t size = 0;
  unsigned type() const { return info & 0xf; }
  unsigned bind() const { return info >> 4; }
};

// The string at `offset` in a string table, up to its NUL or the end of the
// table. The caller checks offset < table size, as readelf does.
std::string_view c_string(std::span<const uint8_t> table, uint64_t offset);

class ReadelfFile {
 public:
  ReadelfFile(const ElfFile& elf, const ReadelfOptions& options, std::FILE* out);

  const ElfFile& elf;
  ReadelfOptions opt;  // a copy: readelf turns options off when a pass fails
  Text out;
  bool is32 = false;
  bool ok = true;  // false where readelf would exit with status 1

  // The ELF header. The counts readelf works with are kept apart, 32 bits
  // wide: extended numbering moves the real values into section header 0,
  // and they are filled in once the header has been printed.
  Ehdr hdr;
  uint32_t phnum = 0;
  uint32_t shnum = 0;
  uint32_t shstrndx = 0;

  // Program headers, read on first use (readelf's get_program_headers).
  const std::vector<Phdr>* program_headers();

  // Section headers (readelf's section_headers); sh_entsize may have been
  // corrected by the section-header pass.
  std::vector<Shdr> sections;
  bool have_sections = false;
  std::optional<std::span<const uint8_t>> string_table;  // section names

  // Dynamic section state (process_program_headers and
  // process_dynamic_section fill these in).
  uint64_t dynamic_addr = 0;
  uint64_t dynamic_size = 0;
  std::optional<std::vector<Dyn>> dynamic_section;
  std::optional<std::span<const uint8_t>> dynamic_strings;
  int dynamic_strtab_section = -1;
  std::optional<std::vector<Symbol>> dynamic_symbols;
  int dynamic_symtab_section = -1;
  std::array<uint64_t, 38> dynamic_info{};  // indexed by DT_* up to DT_RELRENT
  uint64_t dynamic_info_gnu_hash = 0;
  uint64_t dynamic_info_mips_xhash = 0;
  std::array<uint64_t, 16> version_info{};  // indexed by DT_VERNEEDNUM - tag
  std::optional<std::string> program_interpreter;
  std::vector<int> symtab_shndx_list;  // most recent first, as readelf keeps it

  // Hash tables loaded for the histogram (get_num_dynamic_syms).
  uint64_t nbuckets = 0, nchains = 0;
  std::vector<uint64_t> buckets, chains;
  uint64_t ngnubuckets = 0, ngnuchains = 0, gnusymidx = 0;
  std::vector<uint64_t> gnubuckets, gnuchains, mipsxlat;

  // Contents of the file at [offset, offset + size), or nothing (with
  // readelf's error message when `reason` is given) when that is outside the
  // file. A zero size yields nothing and no message.
  std::optional<std::span<const uint8_t>> data(uint64_t offset, uint64_t size, const char* reason);
  uint64_t file_size() const { return elf.bytes().size(); }
  // A `size`-byte integer in the file's byte order.
  uint64_t get(const uint8_t* p, unsigned size) const;
  // Sign-extended target word.
  int64_t get_signed(const uint8_t* p, unsigned size) const;

  // Section names the ways readelf prints them.
  bool section_name_valid(const Shdr& s) const;
  std::string_view section_name(const Shdr& s) const;  // section_name_print
  std::string printable_section_name(const Shdr& s) const;
  std::string printable_section_name_from_index(uint64_t index) const;
  int find_section(std::string_view name) const;  // -1 when absent

  // The file offset readelf uses for `vma` (offset_from_vma).
  uint64_t offset_from_vma(uint64_t vma, uint64_t size);

  // Symbols of a symbol table section (get_elf_symbols); nullopt when the
  // table cannot be read, with readelf's message.
  std::optional<std::vector<Symbol>> symbols_of(const Shdr& section, int section_index);
  // A symbol table and its string table (get_symtab).
  bool symtab_with_strings(int section_index, std::vector<Symbol>& symbols,
                           std::optional<std::span<const uint8_t>>& strings);

  // The dynamic section entries (get_dynamic_section), read once.
  bool load_dynamic_section();
  // Whether the file is a PIE: DT_FLAGS_1 has DF_1_PIE (is_pie).
  bool is_pie();

  // Diagnostics: readelf's warn() and error(). Both flush stdout first.
  void warn(const char* format, ...) __attribute__((format(printf, 2, 3)));
  void error(const char* format, ...) __attribute__((format(printf, 2, 3)));

  // Formatting primitives shared by the printers.
  int print_vma(uint64_t value, Vma mode);
  // readelf's print_symbol: at most |width| characters (all of them with
  // -W), padded to |width| when width is negative, "[...]" when cut.
  int print_symbol(int width, std::string_view symbol);

 private:
  void diagnostic(const char* kind, const char* format, va_list args);
  bool program_headers_loaded_ = false;
  bool program_headers_ok_ = false;
  std::vector<Phdr> program_headers_;
};

// "DYN (Shared object file)" and the like (get_file_type).
std::string readelf_file_type(ReadelfFile& f);

// The passes, in readelf's order. Each prints only when its option is on,
// but all of them run: later passes need what earlier ones find.
bool process_file_header(ReadelfFile& f);
bool process_section_headers(ReadelfFile& f);
bool process_section_groups(ReadelfFile& f);
void process_program_headers(ReadelfFile& f);
bool process_dynamic_section(ReadelfFile& f);
bool process_relocs(ReadelfFile& f);
bool process_unwind(ReadelfFile& f);
bool process_symbol_table(ReadelfFile& f);
bool process_version_sections(ReadelfFile& f);
bool process_notes(ReadelfFile& f);
bool process_gnu_liblist(ReadelfFile& f);
bool process_arch_specific(ReadelfFile& f);

// Shared between the relocation and symbol printers: the version a dynamic
// symbol refers to (get_symbol_version_string).
enum class VersionKind { undefined, hidden, public_ };
struct SymbolVersion {
  std::string name;
  VersionKind kind = VersionKind::public_;
  unsigned vna_other = 0;
};
std::optional<SymbolVersion> symbol_version(ReadelfFile& f, bool is_dynsym,
                                            std::optional<std::span<const uint8_t>> strtab,
                                            uint64_t symbol_index, const Symbol& sym);

}  // namespace linkbox::elf::readelf
