#include "libelf/readelf-file.h"

#include <climits>
#include <cstring>
#include <cwchar>

#include "libformat/byte-order.h"
#include "libformat/diagnostics.h"

namespace linkbox::elf::readelf {

int Text::f(const char* format, ...) {
  char stack[512];
  va_list args;
  va_start(args, format);
  int n = std::vsnprintf(stack, sizeof stack, format, args);
  va_end(args);
  if (n < 0) return 0;
  if (static_cast<size_t>(n) < sizeof stack) {
    buffer_.append(stack, static_cast<size_t>(n));
  } else {
    std::string big(static_cast<size_t>(n) + 1, '\0');
    va_start(args, format);
    std::vsnprintf(big.data(), big.size(), format, args);
    va_end(args);
    buffer_.append(big.data(), static_cast<size_t>(n));
  }
  maybe_flush();
  return n;
}

void Text::put(std::string_view s) {
  buffer_.append(s);
  maybe_flush();
}

void Text::put(char c) {
  buffer_.push_back(c);
  maybe_flush();
}

void Text::flush() {
  if (!buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), stream_);
  buffer_.clear();
  std::fflush(stream_);
}

std::string_view c_string(std::span<const uint8_t> table, uint64_t offset) {
  if (offset >= table.size()) return {};
  const char* begin = reinterpret_cast<const char*>(table.data() + offset);
  size_t room = table.size() - offset;
  const void* nul = std::memchr(begin, 0, room);
  return std::string_view(begin, nul ? static_cast<const char*>(nul) - begin : room);
}

ReadelfFile::ReadelfFile(const ElfFile& file, const ReadelfOptions& options, std::FILE* stream)
    : elf(file), opt(options), out(stream), is32(!file.is64()), hdr(file.header()) {
  phnum = hdr.phnum;
  shnum = hdr.shnum;
  shstrndx = hdr.shstrndx;
}

std::optional<std::span<const uint8_t>> ReadelfFile::data(uint64_t offset, uint64_t size,
                                                          const char* reason) {
  if (size == 0) return std::nullopt;
  if (!in_bounds(offset, size, file_size())) {
    if (reason)
      error("Reading %llu bytes extends past end of file for %s",
            static_cast<unsigned long long>(size), reason);
    return std::nullopt;
  }
  return elf.bytes().subspan(offset, size);
}

uint64_t ReadelfFile::get(const uint8_t* p, unsigned size) const {
  const Codec& c = elf.codec();
  switch (size) {
    case 1: return p[0];
    case 2: return c.get<uint16_t>(p);
    case 4: return c.get<uint32_t>(p);
    case 8: return c.get<uint64_t>(p);
  }
  // Odd sizes (readelf's byte_get handles 3, 5, 6 and 7): assemble by hand.
  uint64_t v = 0;
  for (unsigned i = 0; i < size; ++i) {
    unsigned shift = c.order() == ByteOrder::little ? 8 * i : 8 * (size - 1 - i);
    v |= static_cast<uint64_t>(p[i]) << shift;
  }
  return v;
}

int64_t ReadelfFile::get_signed(const uint8_t* p, unsigned size) const {
  uint64_t v = get(p, size);
  if (size < 8 && (v >> (8 * size - 1)) & 1) v |= ~0ull << (8 * size);
  return static_cast<int64_t>(v);
}

const std::vector<Phdr>* ReadelfFile::program_headers() {
  if (program_headers_loaded_) return program_headers_ok_ ? &program_headers_ : nullptr;
  program_headers_loaded_ = true;
  size_t entry = is32 ? 32 : 56;
  if (uint64_t(phnum) * entry >= file_size()) {
    error("Too many program headers - %#x - the file is not that big", phnum);
    return nullptr;
  }
  if (hdr.phentsize == 0 || phnum == 0) return nullptr;
  if (hdr.phentsize < entry) {
    error("The e_phentsize field in the ELF header is less than the size of an ELF program header");
    return nullptr;
  }
  if (hdr.phentsize > entry)
    warn("The e_phentsize field in the ELF header is larger than the size of an ELF program header");
  auto bytes = data(hdr.phoff, uint64_t(hdr.phentsize) * phnum, "program headers");
  if (!bytes) return nullptr;
  // readelf reads the table as an array of standard-size entries whatever
  // e_phentsize says; so does this.
  for (unsigned i = 0; i < phnum; ++i)
    program_headers_.push_back(elf.codec().read_phdr(bytes->data() + i * entry));
  program_headers_ok_ = true;
  return &program_headers_;
}

bool ReadelfFile::section_name_valid(const Shdr& s) const {
  return string_table && s.name < string_table->size();
}

std::string_view ReadelfFile::section_name(const Shdr& s) const {
  if (!string_table) return "<no-strings>";
  if (s.name >= string_table->size()) return "<corrupt>";
  return c_string(*string_table, s.name);
}

std::string ReadelfFile::printable_section_name(const Shdr& s) const {
  // Control characters become ^X, other non-printing bytes <XX>; at most
  // 256 output characters.
  std::string_view name = section_name(s);
  std::string out;
  unsigned remaining = 256;
  for (char ch : name) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      if (remaining < 2) break;
      out += '^';
      out += static_cast<char>(c + 0x40);
      remaining -= 2;
    } else if (c < 0x7f) {
      out += ch;
      remaining -= 1;
    } else {
      static const char hexdigits[] = "0123456789ABCDEF";
      if (remaining < 4) break;
      // readelf does this arithmetic on a signed char.
      int sc = static_cast<signed char>(ch);
      out += '<';
      out += hexdigits[(sc & 0xf0) >> 4];
      out += hexdigits[sc & 0x0f];
      out += '>';
      remaining -= 4;
    }
    if (remaining == 0) break;
  }
  return out;
}

std::string ReadelfFile::printable_section_name_from_index(uint64_t index) const {
  if (index >= shnum) return "<corrupt>";
  return printable_section_name(sections[index]);
}

int ReadelfFile::find_section(std::string_view name) const {
  if (!have_sections) return -1;
  for (size_t i = 0; i < sections.size(); ++i)
    if (section_name_valid(sections[i]) && c_string(*string_table, sections[i].name) == name)
      return static_cast<int>(i);
  return -1;
}

uint64_t ReadelfFile::offset_from_vma(uint64_t vma, uint64_t size) {
  const auto* phdrs = program_headers();
  if (!phdrs) {
    warn("Cannot interpret virtual addresses without program headers.");
    return vma;
  }
  for (const Phdr& p : *phdrs) {
    if (p.type != PT_LOAD) continue;
    if (vma >= (p.vaddr & (0 - p.align)) && vma + size <= p.vaddr + p.filesz)
      return vma - p.vaddr + p.offset;
  }
  warn("Virtual address %#llx not located in any PT_LOAD segment.",
       static_cast<unsigned long long>(vma));
  return vma;
}

std::optional<std::vector<Symbol>> ReadelfFile::symbols_of(const Shdr& section, int section_index) {
  if (section.size == 0) return std::nullopt;
  std::string name = printable_section_name(section);
  if (section.entsize == 0 || section.entsize > section.size) {
    error("Section %s has an invalid sh_entsize of %#llx", name.c_str(),
          static_cast<unsigned long long>(section.entsize));
    return std::nullopt;
  }
  if (section.size > file_size()) {
    error("Section %s has an invalid sh_size of %#llx", name.c_str(),
          static_cast<unsigned long long>(section.size));
    return std::nullopt;
  }
  uint64_t count = section.size / section.entsize;
  size_t sym_size = is32 ? 16 : 24;
  if (count * sym_size > section.size + 1) {
    error("Size (%#llx) of section %s is not a multiple of its sh_entsize (%#llx)",
          static_cast<unsigned long long>(section.size), name.c_str(),
          static_cast<unsigned long long>(section.entsize));
    return std::nullopt;
  }
  auto raw = data(section.offset, section.size, "symbols");
  if (!raw) return std::nullopt;
  std::optional<std::span<const uint8_t>> shndx;
  for (int list_index : symtab_shndx_list) {
    const Shdr& list = sections[list_index];
    if (list.link != static_cast<uint32_t>(section_index)) continue;
    if (shndx) error("Multiple symbol table index sections associated with the same symbol section");
    shndx = data(list.offset, list.size, "symbol table section indices");
    if (!shndx) return std::nullopt;
    if (list.size / 4 < count) {
      error("Index section %s has an sh_size of %#llx - expected %#llx",
            printable_section_name(list).c_str(), static_cast<unsigned long long>(list.size),
            static_cast<unsigned long long>(section.size));
      return std::nullopt;
    }
  }
  std::vector<Symbol> symbols(count);
  // The table is read as an array of standard-size symbols even when
  // sh_entsize says otherwise, and the last one may be cut short by a byte
  // (the size check above allows it); readelf reads past the end of its
  // buffer there, this reads zeros.
  for (uint64_t i = 0; i < count; ++i) {
    uint8_t entry[24] = {};
    uint64_t at = i * sym_size;
    uint64_t avail = at < raw->size() ? raw->size() - at : 0;
    std::memcpy(entry, raw->data() + at, avail < sym_size ? avail : sym_size);
    Sym s = elf.codec().read_sym(entry);
    Symbol& d = symbols[i];
    d.name = s.name;
    d.info = s.info;
    d.other = s.other;
    d.value = s.value;
    d.size = s.size;
    if (s.shndx == SHN_XINDEX && shndx)
      d.shndx = static_cast<uint32_t>(get(shndx->data() + 4 * i, 4));
    else
      d.shndx = widen_section_index(s.shndx);
  }
  return symbols;
}

bool ReadelfFile::symtab_with_strings(int section_index, std::vector<Symbol>& symbols,
                                      std::optional<std::span<const uint8_t>>& strings) {
  const Shdr& symsec = sections[section_index];
  strings.reset();
  auto syms = symbols_of(symsec, section_index);
  if (!syms) return false;
  if (symsec.link != 0) {
    if (symsec.link >= shnum) {
      error("Bad sh_link in symbol table section");
      return false;
    }
    const Shdr& strsec = sections[symsec.link];
    strings = data(strsec.offset, strsec.size, "string table");
    if (!strings) return false;
  }
  symbols = std::move(*syms);
  return true;
}

bool ReadelfFile::load_dynamic_section() {
  if (dynamic_section) return true;
  auto bytes = data(dynamic_addr, dynamic_size, "dynamic section");
  if (!bytes) return false;
  size_t entry = is32 ? 8 : 16;
  std::vector<Dyn> entries;
  // Count up to and including the first DT_NULL: SGI files hold more than
  // one section in PT_DYNAMIC.
  for (size_t at = 0; at + entry <= bytes->size(); at += entry) {
    Dyn d;
    d.tag = static_cast<int64_t>(get(bytes->data() + at, entry / 2));
    d.val = get(bytes->data() + at + entry / 2, entry / 2);
    entries.push_back(d);
    if (d.tag == DT_NULL) break;
  }
  dynamic_section = std::move(entries);
  return true;
}

bool ReadelfFile::is_pie() {
  if (dynamic_size == 0) {
    // locate_dynamic_section: PT_DYNAMIC, narrowed to the .dynamic section
    // when section names are known by now.
    uint64_t addr = 0, size = 0;
    if (phnum != 0)
      if (const auto* phdrs = program_headers()) {
        for (const Phdr& p : *phdrs) {
          if (p.type != PT_DYNAMIC) continue;
          addr = p.offset;
          size = p.filesz;
          if (have_sections) {
            int i = find_section(".dynamic");
            if (i >= 0) {
              const Shdr& s = sections[i];
              if (s.size == 0 || s.type == SHT_NOBITS) {
                addr = size = 0;
              } else {
                addr = s.offset;
                size = s.size;
              }
            }
          }
          if (addr > file_size() || size > file_size() - addr) addr = size = 0;
          break;
        }
      }
    dynamic_addr = addr;
    dynamic_size = size ? size : 1;
  }
  if (dynamic_size <= 1) return false;
  if (!load_dynamic_section()) return false;
  for (const Dyn& d : *dynamic_section)
    if (d.tag == DT_FLAGS_1) return (d.val & DF_1_PIE) != 0;
  return false;
}

void ReadelfFile::diagnostic(const char* kind, const char* format, va_list args) {
  char buf[1024];
  std::vsnprintf(buf, sizeof buf, format, args);
  out.flush();
  // readelf's errors here are not fatal (it goes on printing), so both kinds
  // are linkbox warnings.
  (void)kind;
  Diagnostics::warning(elf.path(), buf);
}

void ReadelfFile::warn(const char* format, ...) {
  va_list args;
  va_start(args, format);
  diagnostic("warning", format, args);
  va_end(args);
}

void ReadelfFile::error(const char* format, ...) {
  va_list args;
  va_start(args, format);
  diagnostic("error", format, args);
  va_end(args);
}

int ReadelfFile::print_vma(uint64_t v, Vma mode) {
  unsigned long long value = v;
  switch (mode) {
    case Vma::full_hex:
      return out.f(is32 ? "0x%8.8llx" : "0x%16.16llx", value);
    case Vma::long_hex:
      return out.f(is32 ? "%8.8llx" : "%16.16llx", value);
    case Vma::dec5:
      if (value <= 99999) return out.f("%5lld", static_cast<long long>(value));
      return out.f("0x%llx", value);
    case Vma::prefix_hex:
      return out.f("0x%llx", value);
    case Vma::hex:
      return out.f("%llx", value);
    case Vma::dec:
      return out.f("%lld", static_cast<long long>(value));
    case Vma::unsigned_dec:
      return out.f("%llu", value);
  }
  return 0;
}

int ReadelfFile::print_symbol(int width, std::string_view symbol) {
  bool pad = false;
  if (width < 0) {
    width = -width;
    pad = true;
  } else if (width == 0) {
    return 0;
  }
  bool dots = false;
  long remaining;
  if (opt.wide) {
    remaining = INT_MAX;
  } else {
    remaining = width;
    if (static_cast<long>(symbol.size()) > width) {
      remaining -= 5;
      if (remaining < 0) remaining = 0;
      dots = true;
    }
  }
  int printed = 0;
  std::mbstate_t state{};
  size_t i = 0;
  while (remaining > 0 && i < symbol.size()) {
    unsigned char c = static_cast<unsigned char>(symbol[i++]);
    if (c >= 0x20 && c < 0x7f) {
      out.put(static_cast<char>(c));
      --remaining;
      ++printed;
    } else if (c < 0x20 || c == 0x7f) {
      // Control characters are shown as ^X so they cannot upset a terminal.
      if (remaining < 2) break;
      out.put('^');
      out.put(static_cast<char>(c + 0x40));
      remaining -= 2;
      printed += 2;
    } else {
      // A multibyte character counts as one column, as the locale says.
      out.put(static_cast<char>(c));
      --remaining;
      ++printed;
      wchar_t w;
      size_t avail = symbol.size() - (i - 1);
      size_t n = std::mbrtowc(&w, symbol.data() + i - 1, avail < MB_CUR_MAX ? avail : MB_CUR_MAX,
                              &state);
      if (n != static_cast<size_t>(-1) && n != static_cast<size_t>(-2) && n > 0) {
        // readelf prints only the first byte of the character here; the
        // rest are skipped (and so never printed).
        i += n - 1;
      }
    }
  }
  if (dots) printed += out.f("[...]");
  if (pad && printed < width) {
    out.f("%-*s", width - printed, " ");
    printed = width;
  }
  return printed;
}

}  // namespace linkbox::elf::readelf
