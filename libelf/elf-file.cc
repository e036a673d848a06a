#include "libelf/elf-file.h"

#include <cstdio>
#include <cstring>

namespace linkbox::elf {

std::optional<std::string_view> StringTable::at(uint64_t offset) const {
  if (offset >= bytes_.size()) return std::nullopt;
  const void* nul = std::memchr(bytes_.data() + offset, 0, bytes_.size() - offset);
  if (!nul) return std::nullopt;
  const char* begin = reinterpret_cast<const char*>(bytes_.data() + offset);
  return std::string_view(begin, static_cast<const char*>(nul) - begin);
}

Expected<ElfFile> ElfFile::parse(std::string path, std::span<const uint8_t> bytes) {
  auto f = parse_header(std::move(path), bytes);
  if (!f) return f;
  if (Status s = f->parse_program_headers(); !s) return s.error();
  if (Status s = f->parse_section_headers(); !s) return s.error();
  return f;
}

Expected<ElfFile> ElfFile::parse_header(std::string path, std::span<const uint8_t> bytes) {
  ElfFile f;
  f.path_ = std::move(path);
  f.bytes_ = bytes;
  if (bytes.size() < EI_NIDENT || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0)
    return f.error("not an ELF file");
  uint8_t cls = bytes[EI_CLASS], data = bytes[EI_DATA];
  if (cls != ELFCLASS32 && cls != ELFCLASS64)
    return f.error("unknown ELF class " + std::to_string(cls));
  if (data != ELFDATA2LSB && data != ELFDATA2MSB)
    return f.error("unknown ELF byte order " + std::to_string(data));
  f.codec_ = Codec(cls == ELFCLASS64, data == ELFDATA2MSB ? ByteOrder::big : ByteOrder::little);
  if (bytes.size() < f.codec_.ehdr_size()) return f.error("truncated ELF header");
  f.ehdr_ = f.codec_.read_ehdr(bytes.data());
  return f;
}

Status ElfFile::parse_program_headers() {
  if (ehdr_.phnum == 0) return {};
  if (ehdr_.phentsize != codec_.phdr_size())
    return error("e_phentsize is " + std::to_string(ehdr_.phentsize) + ", expected " +
                 std::to_string(codec_.phdr_size()));
  uint64_t table = uint64_t(ehdr_.phnum) * ehdr_.phentsize;
  if (!in_bounds(ehdr_.phoff, table, bytes_.size()))
    return error("program header table at " + hex(ehdr_.phoff) + " (" +
                 std::to_string(ehdr_.phnum) + " entries) extends past the end of the file");
  segments_.reserve(ehdr_.phnum);
  for (uint16_t i = 0; i < ehdr_.phnum; ++i) {
    Phdr p = codec_.read_phdr(bytes_.data() + ehdr_.phoff + uint64_t(i) * ehdr_.phentsize);
    if (p.type != PT_NULL && p.filesz != 0 && !in_bounds(p.offset, p.filesz, bytes_.size()))
      return error("program header " + std::to_string(i) + ": segment at " + hex(p.offset) +
                   " of size " + hex(p.filesz) + " extends past the end of the file");
    if (p.type == PT_LOAD && p.filesz > p.memsz)
      return error("program header " + std::to_string(i) +
                   ": PT_LOAD file size is larger than its memory size");
    segments_.push_back(p);
  }
  return {};
}

Status ElfFile::parse_section_headers() {
  if (ehdr_.shoff == 0) return {};
  if (ehdr_.shentsize != codec_.shdr_size())
    return error("e_shentsize is " + std::to_string(ehdr_.shentsize) + ", expected " +
                 std::to_string(codec_.shdr_size()));
  if (!in_bounds(ehdr_.shoff, codec_.shdr_size(), bytes_.size()))
    return error("section header table at " + hex(ehdr_.shoff) +
                 " extends past the end of the file");
  // Extended numbering: a count or string-table index too large for the ELF
  // header lives in section header 0.
  Shdr first = codec_.read_shdr(bytes_.data() + ehdr_.shoff);
  uint64_t count = ehdr_.shnum ? ehdr_.shnum : first.size;
  uint64_t strndx = ehdr_.shstrndx == SHN_XINDEX ? first.link : ehdr_.shstrndx;
  if (count == 0) return {};
  uint64_t table;
  if (!checked_mul(count, ehdr_.shentsize, &table) || !in_bounds(ehdr_.shoff, table, bytes_.size()))
    return error("section header table at " + hex(ehdr_.shoff) + " (" + std::to_string(count) +
                 " entries) extends past the end of the file");
  sections_.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    sections_[i].index = static_cast<uint32_t>(i);
    sections_[i].hdr = codec_.read_shdr(bytes_.data() + ehdr_.shoff + i * ehdr_.shentsize);
  }
  if (strndx != SHN_UNDEF) {
    if (strndx >= count)
      return error("section name table index " + std::to_string(strndx) + " is out of range");
    auto names = section_data(sections_[strndx]);
    if (!names) return names.error();
    StringTable table(*names);
    for (auto& s : sections_) {
      auto n = table.at(s.hdr.name);
      s.name = n ? std::string(*n) : std::string("<corrupt>");
    }
  }
  // Every section's bytes must be in the file, so no later reader or edit
  // can stumble on one that is not.
  for (const auto& s : sections_)
    if (s.hdr.type != SHT_NULL && s.hdr.type != SHT_NOBITS)
      if (auto d = section_data(s); !d) return d.error();
  return {};
}

const Section* ElfFile::find_section(std::string_view name) const {
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

const Section* ElfFile::find_section_by_type(uint32_t type) const {
  for (const auto& s : sections_)
    if (s.hdr.type == type) return &s;
  return nullptr;
}

const Phdr* ElfFile::find_segment(uint32_t type) const {
  for (const auto& p : segments_)
    if (p.type == type) return &p;
  return nullptr;
}

Expected<std::span<const uint8_t>> ElfFile::section_data(const Section& s) const {
  if (s.hdr.type == SHT_NOBITS) return std::span<const uint8_t>();
  if (!in_bounds(s.hdr.offset, s.hdr.size, bytes_.size()))
    return error("section " + (s.name.empty() ? "#" + std::to_string(s.index) : s.name) +
                 " at " + hex(s.hdr.offset) + " of size " + hex(s.hdr.size) +
                 " extends past the end of the file");
  return bytes_.subspan(s.hdr.offset, s.hdr.size);
}

std::optional<uint64_t> ElfFile::vaddr_to_offset(uint64_t vaddr, uint64_t size) const {
  for (const auto& p : segments_) {
    if (p.type != PT_LOAD) continue;
    if (vaddr < p.vaddr) continue;
    uint64_t delta = vaddr - p.vaddr;
    if (!in_bounds(delta, size, p.filesz)) continue;
    return p.offset + delta;
  }
  return std::nullopt;
}

Expected<std::span<const uint8_t>> ElfFile::bytes_at_vaddr(uint64_t vaddr, uint64_t size,
                                                           std::string_view what) const {
  auto off = vaddr_to_offset(vaddr, size ? size : 1);
  if (!off && size == 0) return std::span<const uint8_t>();
  if (!off)
    return error(std::string(what) + " at address " + hex(vaddr) + " (size " + hex(size) +
                 ") is not inside any loaded segment");
  if (!in_bounds(*off, size, bytes_.size()))
    return error(std::string(what) + " extends past the end of the file");
  return bytes_.subspan(*off, size);
}

Expected<std::optional<std::string>> ElfFile::interpreter() const {
  const Phdr* p = find_segment(PT_INTERP);
  if (!p) return std::optional<std::string>();
  // A separate debug file keeps PT_INTERP with no bytes: an empty path.
  if (p->filesz == 0) return std::optional<std::string>(std::string());
  auto bytes = bytes_.subspan(p->offset, p->filesz);
  const void* nul = std::memchr(bytes.data(), 0, bytes.size());
  // The kernel refuses to run a program whose PT_INTERP is not a C string.
  if (!nul) return error("the interpreter path in PT_INTERP is not NUL-terminated");
  size_t len = static_cast<const uint8_t*>(nul) - bytes.data();
  return std::optional<std::string>(std::string(reinterpret_cast<const char*>(bytes.data()), len));
}

std::optional<std::pair<uint64_t, uint64_t>> ElfFile::dynamic_location() const {
  // A separate debug file (objcopy --only-keep-debug) keeps the program
  // headers but not the bytes: its .dynamic is SHT_NOBITS.
  if (const Section* s = find_section(".dynamic"); s && s->hdr.type == SHT_NOBITS) return std::nullopt;
  if (const Phdr* p = find_segment(PT_DYNAMIC)) return std::make_pair(p->offset, p->filesz);
  if (segments_.empty())
    if (const Section* s = find_section_by_type(SHT_DYNAMIC))
      return std::make_pair(s->hdr.offset, s->hdr.size);
  return std::nullopt;
}

bool ElfFile::has_dynamic() const { return dynamic_location().has_value(); }

Expected<std::vector<Dyn>> ElfFile::dynamic_entries() const {
  std::vector<Dyn> out;
  auto loc = dynamic_location();
  if (!loc) return out;
  auto [offset, size] = *loc;
  if (!in_bounds(offset, size, bytes_.size()))
    return error("dynamic section at " + hex(offset) + " extends past the end of the file");
  size_t n = size / codec_.dyn_size();
  for (size_t i = 0; i < n; ++i) {
    Dyn d = codec_.read_dyn(bytes_.data() + offset + i * codec_.dyn_size());
    if (d.tag == DT_NULL) break;
    out.push_back(d);
  }
  return out;
}

std::optional<uint64_t> ElfFile::find_tag(const std::vector<Dyn>& dyn, int64_t tag) {
  for (const auto& d : dyn)
    if (d.tag == tag) return d.val;
  return std::nullopt;
}

Expected<uint64_t> ElfFile::dynamic_strings_offset() const {
  auto dyn = dynamic_entries();
  if (!dyn) return dyn.error();
  auto addr = find_tag(*dyn, DT_STRTAB);
  if (!addr) return error("the dynamic section has no DT_STRTAB");
  auto size = find_tag(*dyn, DT_STRSZ);
  if (!size) return error("the dynamic section has no DT_STRSZ");
  auto off = vaddr_to_offset(*addr, *size ? *size : 1);
  if (!off)
    return error("dynamic string table at " + hex(*addr) + " (size " + hex(*size) +
                 ") is not inside any loaded segment");
  return *off;
}

Expected<StringTable> ElfFile::dynamic_strings() const {
  auto dyn = dynamic_entries();
  if (!dyn) return dyn.error();
  auto addr = find_tag(*dyn, DT_STRTAB);
  auto size = find_tag(*dyn, DT_STRSZ);
  if (!addr || !size) {
    if (dyn->empty()) return StringTable();
    return error("the dynamic section has no " + std::string(!addr ? "DT_STRTAB" : "DT_STRSZ"));
  }
  auto bytes = bytes_at_vaddr(*addr, *size, "dynamic string table");
  if (!bytes) return bytes.error();
  return StringTable(*bytes);
}

}  // namespace linkbox::elf
