// The Mach-O reader: the fat header, the thin header and the load-command
// walk. Decoding of the individual load commands is in
// macho-load-commands.cc; names for numbers are in macho-names.cc.
#include "libmacho/macho-file.h"

#include <algorithm>

#include "libformat/byte-order.h"
#include "libformat/hex.h"

namespace linkbox::macho {
namespace {

// A Java class file also starts with 0xcafebabe, followed by its minor and
// major version (major >= 45); a real fat file has a handful of slices.
// Apple's and LLVM's tools draw the line at a small count; so do we.
constexpr uint32_t kMaxFatArches = 30;

bool is_thin_magic(uint32_t be) {
  return be == MH_MAGIC || be == MH_MAGIC_64 || be == MH_CIGAM || be == MH_CIGAM_64;
}

}  // namespace

bool Section::has_file_data() const {
  uint32_t type = flags & SECTION_TYPE;
  return type != S_ZEROFILL && type != S_GB_ZEROFILL && type != S_THREAD_LOCAL_ZEROFILL;
}

Error Slice::error(std::string message) const {
  if (!in_fat_) return make_error(path_, std::move(message));
  return make_error(path_ + " (for architecture " + arch_name(header_.cputype, header_.cpusubtype) + ")",
                    std::move(message));
}

Expected<Slice> Slice::parse(std::string path, std::span<const uint8_t> bytes, uint64_t file_offset) {
  Slice s;
  s.path_ = std::move(path);
  s.bytes_ = bytes;
  s.file_offset_ = file_offset;
  if (bytes.size() < 4) return s.error("truncated Mach-O header: the file has " + std::to_string(bytes.size()) + " bytes");
  uint32_t be = load<uint32_t>(bytes.data(), ByteOrder::big);
  if (!is_thin_magic(be)) return s.error("not a Mach-O file (bad magic " + hex(be) + ")");
  s.order_ = (be == MH_MAGIC || be == MH_MAGIC_64) ? ByteOrder::big : ByteOrder::little;
  s.is64_ = be == MH_MAGIC_64 || be == MH_CIGAM_64;
  if (bytes.size() < s.header_size())
    return s.error("truncated Mach-O header: " + std::to_string(bytes.size()) + " bytes, the header needs " +
                   std::to_string(s.header_size()));
  const uint8_t* p = bytes.data();
  Header& h = s.header_;
  h.magic = load<uint32_t>(p, s.order_);
  h.cputype = load<uint32_t>(p + 4, s.order_);
  h.cpusubtype = load<uint32_t>(p + 8, s.order_);
  h.filetype = load<uint32_t>(p + 12, s.order_);
  h.ncmds = load<uint32_t>(p + 16, s.order_);
  h.sizeofcmds = load<uint32_t>(p + 20, s.order_);
  h.flags = load<uint32_t>(p + 24, s.order_);
  if (s.is64_) h.reserved = load<uint32_t>(p + 28, s.order_);
  if (!in_bounds(s.header_size(), h.sizeofcmds, bytes.size()))
    return s.error("load commands extend past the end of the file (sizeofcmds " + std::to_string(h.sizeofcmds) +
                   ", file size " + std::to_string(bytes.size()) + ")");
  if (Status st = s.parse_load_commands(); !st) return st.error();
  return s;
}

Status Slice::parse_load_commands() {
  uint64_t end = load_commands_end();
  uint64_t offset = header_size();
  // Every command takes at least 8 bytes, so a huge ncmds fails below before
  // it can make us allocate much.
  commands_.reserve(std::min<uint64_t>(header_.ncmds, header_.sizeofcmds / 8));
  for (uint32_t i = 0; i < header_.ncmds; ++i) {
    std::string which = "load command " + std::to_string(i);
    if (!in_bounds(offset, 8, end))
      return error(which + " extends past the end of the load commands (sizeofcmds " +
                   std::to_string(header_.sizeofcmds) + ")");
    LoadCommand lc;
    lc.cmd = load<uint32_t>(bytes_.data() + offset, order_);
    lc.cmdsize = load<uint32_t>(bytes_.data() + offset + 4, order_);
    lc.offset = offset;
    if (lc.cmdsize < 8) return error(which + " (" + load_command_name(lc.cmd) + ") has cmdsize " +
                                     std::to_string(lc.cmdsize) + ", less than 8");
    if (lc.cmdsize % 4 != 0)
      return error(which + " (" + load_command_name(lc.cmd) + ") has cmdsize " + std::to_string(lc.cmdsize) +
                   ", not a multiple of 4");
    if (!in_bounds(offset, lc.cmdsize, end))
      return error(which + " (" + load_command_name(lc.cmd) + ") extends past the end of the load commands");
    lc.bytes = bytes_.subspan(offset, lc.cmdsize);
    commands_.push_back(lc);
    if (Status st = parse_command(commands_.size() - 1); !st) return st;
    offset += lc.cmdsize;
  }
  return {};
}

std::optional<LinkeditData> Slice::linkedit_data(uint32_t cmd) const {
  for (const LinkeditData& d : linkedit_data_)
    if (d.cmd == cmd) return d;
  return std::nullopt;
}

Expected<std::span<const uint8_t>> Slice::data_at(uint64_t offset, uint64_t size, std::string_view what) const {
  if (!in_bounds(offset, size, bytes_.size()))
    return error(std::string(what) + " (offset " + std::to_string(offset) + ", size " + std::to_string(size) +
                 ") extends past the end of the file (" + std::to_string(bytes_.size()) + " bytes)");
  return bytes_.subspan(offset, size);
}

Expected<std::span<const uint8_t>> Slice::linkedit_bytes(const LinkeditData& d) const {
  return data_at(d.dataoff, d.datasize, load_command_name(d.cmd) + " data");
}

Expected<std::vector<Symbol>> Slice::symbols() const {
  std::vector<Symbol> out;
  if (!symtab_) return out;
  const Symtab& st = *symtab_;
  uint64_t entry = is64_ ? 16 : 12;
  uint64_t table_size = 0;
  if (!checked_mul(st.nsyms, entry, &table_size)) return error("LC_SYMTAB nsyms is too large");
  auto table = data_at(st.symoff, table_size, "symbol table");
  if (!table) return table.error();
  auto strings = data_at(st.stroff, st.strsize, "string table");
  if (!strings) return strings.error();
  out.reserve(st.nsyms);
  for (uint32_t i = 0; i < st.nsyms; ++i) {
    const uint8_t* p = table->data() + i * entry;
    Symbol sym;
    sym.strx = load<uint32_t>(p, order_);
    sym.type = p[4];
    sym.sect = p[5];
    sym.desc = load<uint16_t>(p + 6, order_);
    sym.value = is64_ ? load<uint64_t>(p + 8, order_) : load<uint32_t>(p + 8, order_);
    if (sym.strx != 0 || st.strsize != 0) {
      if (sym.strx >= st.strsize)
        return error("symbol " + std::to_string(i) + " has string index " + std::to_string(sym.strx) +
                     " past the end of the string table (" + std::to_string(st.strsize) + " bytes)");
      const char* s = reinterpret_cast<const char*>(strings->data()) + sym.strx;
      size_t max = st.strsize - sym.strx;
      sym.name = std::string_view(s, strnlen(s, max));
    }
    out.push_back(sym);
  }
  return out;
}

Expected<std::vector<uint32_t>> Slice::indirect_symbols() const {
  std::vector<uint32_t> out;
  if (!dysymtab_ || dysymtab_->nindirectsyms == 0) return out;
  auto table = data_at(dysymtab_->indirectsymoff, uint64_t(dysymtab_->nindirectsyms) * 4, "indirect symbol table");
  if (!table) return table.error();
  out.reserve(dysymtab_->nindirectsyms);
  for (uint32_t i = 0; i < dysymtab_->nindirectsyms; ++i) out.push_back(load<uint32_t>(table->data() + i * 4, order_));
  return out;
}

uint64_t Slice::first_section_offset() const {
  // The padding ends where the first byte of section or segment content
  // starts; an editor must never write past it. Zero-size sections count:
  // their offset still marks where the linker put content.
  uint64_t first = bytes_.size();
  for (const Segment& seg : segments_) {
    for (const Section& sec : seg.sections)
      if (sec.has_file_data() && sec.offset != 0) first = std::min<uint64_t>(first, sec.offset);
    // A segment that starts after the header but has no sections (like
    // __LINKEDIT) still bounds the padding.
    if (seg.fileoff != 0 && seg.filesize != 0) first = std::min(first, seg.fileoff);
  }
  return first;
}

uint64_t Slice::header_padding() const {
  uint64_t first = first_section_offset();
  uint64_t end = load_commands_end();
  return first > end ? first - end : 0;
}

Expected<MachOFile> MachOFile::parse(std::string path, std::span<const uint8_t> bytes) {
  MachOFile f;
  f.path_ = std::move(path);
  if (bytes.size() < 4) return make_error(f.path_, "truncated Mach-O header: the file has " +
                                                   std::to_string(bytes.size()) + " bytes");
  uint32_t be = load<uint32_t>(bytes.data(), ByteOrder::big);
  if (be != FAT_MAGIC && be != FAT_MAGIC_64) {
    auto slice = Slice::parse(f.path_, bytes, 0);
    if (!slice) return slice.error();
    f.slices_.push_back(std::move(*slice));
    return f;
  }
  f.fat_ = true;
  f.fat64_ = be == FAT_MAGIC_64;
  if (bytes.size() < 8) return make_error(f.path_, "truncated fat header");
  uint32_t n = load<uint32_t>(bytes.data() + 4, ByteOrder::big);
  if (be == FAT_MAGIC && n > kMaxFatArches)
    return make_error(f.path_, "not a Mach-O file: a Java class file (0xcafebabe followed by " +
                                   std::to_string(n) + ", too many architectures for a fat header)");
  if (n > kMaxFatArches) return make_error(f.path_, "fat header has too many architectures (" + std::to_string(n) + ")");
  uint64_t entry = f.fat64_ ? 32 : 20;
  uint64_t header_end = 8 + entry * n;
  if (header_end > bytes.size())
    return make_error(f.path_, "fat header with " + std::to_string(n) + " architectures extends past the end of the file");
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t* p = bytes.data() + 8 + entry * i;
    FatArch a;
    a.cputype = load<uint32_t>(p, ByteOrder::big);
    a.cpusubtype = load<uint32_t>(p + 4, ByteOrder::big);
    if (f.fat64_) {
      a.offset = load<uint64_t>(p + 8, ByteOrder::big);
      a.size = load<uint64_t>(p + 16, ByteOrder::big);
      a.align = load<uint32_t>(p + 24, ByteOrder::big);
    } else {
      a.offset = load<uint32_t>(p + 8, ByteOrder::big);
      a.size = load<uint32_t>(p + 12, ByteOrder::big);
      a.align = load<uint32_t>(p + 16, ByteOrder::big);
    }
    std::string name = "fat architecture " + std::to_string(i) + " (" + arch_name(a.cputype, a.cpusubtype) + ")";
    if (a.align > 15) return make_error(f.path_, name + " has alignment 2^" + std::to_string(a.align) + ", more than 2^15");
    if (!in_bounds(a.offset, a.size, bytes.size()))
      return make_error(f.path_, name + " (offset " + std::to_string(a.offset) + ", size " + std::to_string(a.size) +
                                     ") extends past the end of the file (" + std::to_string(bytes.size()) + " bytes)");
    if (a.offset < header_end)
      return make_error(f.path_, name + " at offset " + std::to_string(a.offset) + " overlaps the fat header");
    for (size_t j = 0; j < f.fat_arches_.size(); ++j) {
      const FatArch& b = f.fat_arches_[j];
      if (a.cputype == b.cputype && (a.cpusubtype & ~CPU_SUBTYPE_MASK) == (b.cpusubtype & ~CPU_SUBTYPE_MASK))
        return make_error(f.path_, "fat file contains two " + arch_name(a.cputype, a.cpusubtype) + " slices");
      if (a.offset < b.offset + b.size && b.offset < a.offset + a.size)
        return make_error(f.path_, name + " overlaps fat architecture " + std::to_string(j));
    }
    f.fat_arches_.push_back(a);
  }
  for (const FatArch& a : f.fat_arches_) {
    auto slice = Slice::parse(f.path_, bytes.subspan(a.offset, a.size), a.offset);
    if (!slice) {
      Error e = slice.error();
      e.file = f.path_ + " (for architecture " + arch_name(a.cputype, a.cpusubtype) + ")";
      return e;
    }
    slice->in_fat_ = true;
    f.slices_.push_back(std::move(*slice));
  }
  return f;
}

bool looks_like_macho(std::span<const uint8_t> bytes) {
  if (bytes.size() < 4) return false;
  uint32_t be = load<uint32_t>(bytes.data(), ByteOrder::big);
  if (is_thin_magic(be)) return true;
  if (be == FAT_MAGIC_64) return true;
  return be == FAT_MAGIC && bytes.size() >= 8 && load<uint32_t>(bytes.data() + 4, ByteOrder::big) <= kMaxFatArches;
}

Expected<Summary> read_summary(const std::string& path, std::span<const uint8_t> b) {
  if (b.size() < 8) return make_error(path, "truncated Mach-O header");
  Summary s;
  uint32_t magic = load<uint32_t>(b.data(), ByteOrder::big);
  if (magic == FAT_MAGIC || magic == FAT_MAGIC_64) {
    s.fat = true;
    s.slices = load<uint32_t>(b.data() + 4, ByteOrder::big);
    return s;
  }
  if (!is_thin_magic(magic)) return make_error(path, "not a Mach-O file");
  ByteOrder order = (magic == MH_MAGIC || magic == MH_MAGIC_64) ? ByteOrder::big : ByteOrder::little;
  s.is64 = magic == MH_MAGIC_64 || magic == MH_CIGAM_64;
  s.cputype = load<uint32_t>(b.data() + 4, order);
  return s;
}

}  // namespace linkbox::macho
