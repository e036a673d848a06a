#include "libmacho/dyld-info-print.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace linkbox::macho {
namespace {

// llvm::raw_ostream's left_justify: pad, never truncate.
std::string ljust(std::string_view s, size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string rjust(std::string_view s, size_t width) {
  std::string out(s);
  if (out.size() < width) out.insert(0, width - out.size(), ' ');
  return out;
}

// llvm::format_hex(v, width, /*Upper=*/true): "0x" and upper-case digits,
// zero-padded to `width` characters in all.
std::string format_hex(uint64_t v, size_t width) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%" PRIX64, v);
  std::string d = digits;
  if (d.size() + 2 < width) d.insert(0, width - 2 - d.size(), '0');
  return "0x" + d;
}

std::string upper_hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%" PRIX64, v);
  return buf;
}

std::string printf_string(const char* fmt, uint64_t v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// StringRef::rfind(c, from): the last `c` strictly before `from`.
size_t rfind_before(std::string_view s, char c, size_t from) {
  size_t i = std::min(from, s.size());
  while (i != 0) {
    --i;
    if (s[i] == c) return i;
  }
  return std::string_view::npos;
}

// StringRef::slice(start, end), clamped the same way.
std::string_view slice(std::string_view s, size_t start, size_t end) {
  start = std::min(start, s.size());
  end = std::clamp(end, start, s.size());
  return s.substr(start, end - start);
}

const Segment* segment_at(const PrintContext& ctx, uint32_t index) {
  return index < ctx.segments.size() ? &ctx.segments[index] : nullptr;
}

std::string segment_name(const PrintContext& ctx, uint32_t index) {
  const Segment* seg = segment_at(ctx, index);
  return seg ? seg->name : std::string();
}

std::string section_name(const PrintContext& ctx, uint32_t index, uint64_t address) {
  const Segment* seg = segment_at(ctx, index);
  if (!seg) return {};
  const Section* sec = section_containing(*seg, address);
  return sec ? sec->sectname : std::string();
}

std::string_view type_name(uint8_t type) {
  switch (type) {
    case 1: return "pointer";
    case 2: return "text abs32";
    case 3: return "text rel32";
  }
  return "unknown";
}

// llvm's HexLength in PrintDyldInfo: ceil(floor(log2(n)) / 4), 1 for zero.
// (It undercounts powers of sixteen and their neighbours; the widths it
// yields are what llvm-objdump prints, so they are kept.)
size_t llvm_hex_length(uint64_t n) {
  if (n == 0) return 1;
  unsigned log2 = 63 - static_cast<unsigned>(__builtin_clzll(n));
  return (log2 + 3) / 4;
}

}  // namespace

std::string guess_library_short_name(std::string_view name) {
  constexpr std::string_view kDotFramework = ".framework/";
  std::string_view foo;
  size_t a = 0, b = 0, c = 0, d = 0, idx = 0;
  bool try_frameworks = true;

  a = rfind_before(name, '/', name.size());
  if (a == std::string_view::npos || a == 0) try_frameworks = false;
  if (try_frameworks) {
    foo = slice(name, a + 1, std::string_view::npos);
    idx = rfind_before(foo, '_', foo.size());
    if (idx != std::string_view::npos && foo.size() >= 2) {
      std::string_view suffix = slice(foo, idx, std::string_view::npos);
      if (suffix == "_debug" || suffix == "_profile") foo = slice(foo, 0, idx);
    }
    // Foo.framework/Foo
    b = rfind_before(name, '/', a);
    idx = b == std::string_view::npos ? 0 : b + 1;
    if (slice(name, idx, idx + foo.size()) == foo &&
        slice(name, idx + foo.size(), idx + foo.size() + kDotFramework.size()) == kDotFramework)
      return std::string(foo);
    // Foo.framework/Versions/A/Foo
    if (b != std::string_view::npos) {
      c = rfind_before(name, '/', b);
      if (c != std::string_view::npos && c != 0 && slice(name, c + 1, std::string_view::npos).starts_with("Versions/")) {
        d = rfind_before(name, '/', c);
        idx = d == std::string_view::npos ? 0 : d + 1;
        if (slice(name, idx, idx + foo.size()) == foo &&
            slice(name, idx + foo.size(), idx + foo.size() + kDotFramework.size()) == kDotFramework)
          return std::string(foo);
      }
    }
  }

  // libFoo.A.dylib, libFoo.dylib, libFoo_profile.dylib, Foo.qtx.
  a = rfind_before(name, '.', name.size());
  if (a == std::string_view::npos || a == 0) return {};
  std::string_view ext = slice(name, a, std::string_view::npos);
  if (ext == ".dylib") {
    if (a >= 3 && slice(name, a - 2, a - 1) == ".") a -= 2;
    b = rfind_before(name, '/', a);
    b = b == std::string_view::npos ? 0 : b + 1;
    std::string_view lib;
    idx = rfind_before(name, '_', name.size());
    if (idx != std::string_view::npos && idx != b) {
      lib = slice(name, b, idx);
      std::string_view suffix = slice(name, idx, a);
      if (suffix != "_debug" && suffix != "_profile") lib = slice(name, b, a);
    } else {
      lib = slice(name, b, a);
    }
    if (lib.size() >= 3 && slice(lib, lib.size() - 2, lib.size() - 1) == ".") lib = slice(lib, 0, lib.size() - 2);
    return std::string(lib);
  }
  if (ext == ".qtx") {
    b = rfind_before(name, '/', a);
    std::string_view lib = b == std::string_view::npos ? slice(name, 0, a) : slice(name, b + 1, a);
    if (lib.size() >= 3 && slice(lib, lib.size() - 2, lib.size() - 1) == ".") lib = slice(lib, 0, lib.size() - 2);
    return std::string(lib);
  }
  return {};
}

PrintContext print_context(const Slice& slice) {
  PrintContext ctx;
  ctx.segments = slice.segments();
  ctx.is64 = slice.is64();
  for (const Dylib& d : slice.dependencies()) {
    std::string s = guess_library_short_name(d.name);
    ctx.dylib_short_names.push_back(s.empty() ? d.name : s);
  }
  return ctx;
}

std::string ordinal_name(const PrintContext& ctx, int64_t ordinal) {
  switch (ordinal) {
    case BIND_SPECIAL_DYLIB_SELF: return "this-image";
    case BIND_SPECIAL_DYLIB_MAIN_EXECUTABLE: return "main-executable";
    case BIND_SPECIAL_DYLIB_FLAT_LOOKUP: return "flat-namespace";
    case BIND_SPECIAL_DYLIB_WEAK_LOOKUP: return "weak";
  }
  if (ordinal > 0) {
    if (static_cast<uint64_t>(ordinal) <= ctx.dylib_short_names.size()) return ctx.dylib_short_names[ordinal - 1];
    return "<<bad library ordinal>>";
  }
  return "<<unknown special ordinal>>";
}

std::string print_rebase_table(const std::vector<RebaseEntry>& entries, const PrintContext& ctx) {
  std::string out = "\nRebase table:\nsegment  section            address     type\n";
  for (const RebaseEntry& e : entries) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%-8s %-18s 0x%08" PRIX64 "  %s\n", segment_name(ctx, e.segment_index).c_str(),
                  section_name(ctx, e.segment_index, e.address).c_str(), e.address,
                  std::string(type_name(e.type)).c_str());
    out += buf;
  }
  return out;
}

std::string print_bind_table(const std::vector<BindEntry>& entries, const PrintContext& ctx) {
  std::string out = "\nBind table:\nsegment  section            address    type       addend dylib            symbol\n";
  for (const BindEntry& e : entries) {
    out += ljust(segment_name(ctx, e.segment_index), 8) + " " +
           ljust(section_name(ctx, e.segment_index, e.address), 18) + " " + format_hex(e.address, 10) + " " +
           ljust(type_name(e.type), 8) + " " + rjust(std::to_string(e.addend), 8) + " " +
           ljust(ordinal_name(ctx, e.ordinal), 16) + " " + std::string(e.symbol) +
           (e.flags & BIND_SYMBOL_FLAGS_WEAK_IMPORT ? " (weak_import)" : "") + "\n";
  }
  return out;
}

std::string print_lazy_bind_table(const std::vector<BindEntry>& entries, const PrintContext& ctx) {
  std::string out = "\nLazy bind table:\nsegment  section            address     dylib            symbol\n";
  for (const BindEntry& e : entries) {
    out += ljust(segment_name(ctx, e.segment_index), 8) + " " +
           ljust(section_name(ctx, e.segment_index, e.address), 18) + " " + format_hex(e.address, 10) + " " +
           ljust(ordinal_name(ctx, e.ordinal), 16) + " " + std::string(e.symbol) + "\n";
  }
  return out;
}

std::string print_weak_bind_table(const std::vector<BindEntry>& entries, const PrintContext& ctx) {
  std::string out = "\nWeak bind table:\nsegment  section            address     type       addend   symbol\n";
  for (const BindEntry& e : entries) {
    if (e.strong_definition) {
      out += "                                        strong              " + std::string(e.symbol) + "\n";
      continue;
    }
    out += ljust(segment_name(ctx, e.segment_index), 8) + " " +
           ljust(section_name(ctx, e.segment_index, e.address), 18) + " " + format_hex(e.address, 10) + " " +
           ljust(type_name(e.type), 8) + " " + rjust(std::to_string(e.addend), 8) + "   " + std::string(e.symbol) + "\n";
  }
  return out;
}

std::string print_exports_trie(const std::vector<ExportEntry>& entries, const PrintContext& ctx) {
  // Addresses are offsets from the segment that maps the file's start.
  uint64_t base = 0;
  for (const Segment& s : ctx.segments) {
    if (s.fileoff == 0 && s.filesize != 0) {
      base = s.vmaddr;
      break;
    }
  }
  std::string out = "\nExports trie:\n";
  for (const ExportEntry& e : entries) {
    if (e.reexport()) out += "[re-export] ";
    else out += printf_string("0x%08" PRIX64 "  ", e.address + base);
    out += e.name;
    std::vector<std::string> attrs;
    if (e.weak_definition()) attrs.push_back("weak_def");
    if (e.kind() == EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL) attrs.push_back("per-thread");
    if (e.kind() == EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE) attrs.push_back("absolute");
    if (e.stub_and_resolver()) attrs.push_back(printf_string("resolver=0x%08" PRIX64, e.other));
    if (!attrs.empty()) {
      out += " [";
      for (size_t i = 0; i < attrs.size(); ++i) out += (i ? ", " : "") + attrs[i];
      out += "]";
    }
    if (e.reexport()) {
      std::string dylib = "unknown";
      if (e.other >= 1 && e.other <= ctx.dylib_short_names.size()) dylib = ctx.dylib_short_names[e.other - 1];
      out += e.import_name.empty() ? " (from " + dylib + ")" : " (" + e.import_name + " from " + dylib + ")";
    }
    out += "\n";
  }
  return out;
}

std::string print_indirect_symbols(const std::vector<IndirectSection>& sections, const PrintContext& ctx) {
  std::string out;
  for (const IndirectSection& s : sections) {
    if (s.entry_size == 0) {
      out += "Can't print indirect symbols for (" + s.segname + "," + s.sectname +
             ") (size of stubs in reserved2 field is zero)\n";
      continue;
    }
    out += "Indirect symbols for (" + s.segname + "," + s.sectname + ") " + std::to_string(s.entry_count) +
           " entries";
    out += ctx.is64 ? "\naddress            index name\n" : "\naddress    index name\n";
    for (const IndirectSlot& slot : s.slots) {
      out += ctx.is64 ? printf_string("0x%016" PRIx64 " ", slot.address)
                      : printf_string("0x%08" PRIx64 " ", slot.address & 0xffffffff);
      if (slot.value == INDIRECT_SYMBOL_LOCAL) {
        out += "LOCAL\n";
        continue;
      }
      if (slot.value == (INDIRECT_SYMBOL_LOCAL | INDIRECT_SYMBOL_ABS)) {
        out += "LOCAL ABSOLUTE\n";
        continue;
      }
      if (slot.value == INDIRECT_SYMBOL_ABS) {
        out += "ABSOLUTE\n";
        continue;
      }
      out += printf_string("%5" PRIu64 " ", slot.value);
      out += slot.name.empty() ? "?" : slot.name;
      out += "\n";
    }
  }
  return out;
}

std::string print_chained_fixups(const ChainedFixupsInfo* info, const PrintContext& ctx) {
  if (!info) return {};
  const ChainedFixupsHeader& h = info->header;
  std::string out = "chained fixups header (LC_DYLD_CHAINED_FIXUPS)\n";
  out += "  fixups_version = " + std::to_string(h.fixups_version) + "\n";
  out += "  starts_offset  = " + std::to_string(h.starts_offset) + "\n";
  out += "  imports_offset = " + std::to_string(h.imports_offset) + "\n";
  out += "  symbols_offset = " + std::to_string(h.symbols_offset) + "\n";
  out += "  imports_count  = " + std::to_string(h.imports_count) + "\n";
  out += "  imports_format = " + std::to_string(h.imports_format);
  if (h.imports_format == DYLD_CHAINED_IMPORT) out += " (DYLD_CHAINED_IMPORT)";
  if (h.imports_format == DYLD_CHAINED_IMPORT_ADDEND) out += " (DYLD_CHAINED_IMPORT_ADDEND)";
  if (h.imports_format == DYLD_CHAINED_IMPORT_ADDEND64) out += " (DYLD_CHAINED_IMPORT_ADDEND64)";
  out += "\n  symbols_format = " + std::to_string(h.symbols_format);
  if (h.symbols_format == DYLD_CHAINED_SYMBOL_ZLIB) out += " (zlib compressed)";
  out += "\n";

  out += "chained starts in image\n  seg_count = " + std::to_string(info->seg_count) + "\n";
  size_t next = 0;
  for (uint32_t i = 0; i < info->seg_count; ++i) {
    uint64_t off = 0;
    if (next < info->segments.size() && info->segments[next].segment_index == i) off = info->segments[next++].info_offset;
    out += "    seg_offset[" + std::to_string(i) + "] = " + std::to_string(off) + " (" + segment_name(ctx, i) + ")\n";
  }
  for (const ChainedStartsInSegment& s : info->segments) {
    out += "chained starts in segment " + std::to_string(s.segment_index) + " (" + segment_name(ctx, s.segment_index) +
           ")\n";
    out += "  size = " + std::to_string(s.size) + "\n";
    out += printf_string("  page_size = 0x%" PRIx64 "\n", s.page_size);
    out += "  pointer_format = " + std::to_string(s.pointer_format);
    if (!chained_pointer_format_name(s.pointer_format).empty())
      out += " (" + std::string(chained_pointer_format_name(s.pointer_format)) + ")";
    out += "\n";
    out += printf_string("  segment_offset = 0x%" PRIx64 "\n", s.segment_offset);
    out += "  max_valid_pointer = " + std::to_string(s.max_valid_pointer) + "\n";
    out += "  page_count = " + std::to_string(s.page_count) + "\n";
    for (size_t i = 0; i < s.page_start.size(); ++i) {
      out += "    page_start[" + std::to_string(i) + "] = " + std::to_string(s.page_start[i]);
      if (s.page_start[i] == DYLD_CHAINED_PTR_START_NONE) out += " (DYLD_CHAINED_PTR_START_NONE)";
      out += "\n";
    }
  }
  for (size_t i = 0; i < info->imports.size(); ++i) {
    const ChainedImport& imp = info->imports[i];
    out += h.imports_format == DYLD_CHAINED_IMPORT          ? "dyld chained import"
           : h.imports_format == DYLD_CHAINED_IMPORT_ADDEND ? "dyld chained import addend"
                                                            : "dyld chained import addend64";
    out += "[" + std::to_string(i) + "]\n";
    out += "  lib_ordinal = " + std::to_string(imp.lib_ordinal) + " (" + ordinal_name(ctx, imp.lib_ordinal) + ")\n";
    out += "  weak_import = " + std::to_string(imp.weak_import ? 1 : 0) + "\n";
    out += "  name_offset = " + std::to_string(imp.name_offset) + " (" + imp.name + ")\n";
    if (h.imports_format != DYLD_CHAINED_IMPORT) out += "  addend      = " + std::to_string(imp.addend) + "\n";
  }
  return out;
}

std::string print_dyld_info(const std::vector<ChainedFixup>& fixups, const ChainedFixupsInfo* info,
                            const PrintContext& ctx) {
  size_t seg_w = 7, sect_w = 7, addr_w = 7, addend_w = 6, dylib_w = 5;
  const size_t ptr_w = 2 + (ctx.is64 ? 8 : 4) * 2;
  auto import_of = [&](const ChainedFixup& f) -> const ChainedImport* {
    return info && f.import_index < info->imports.size() ? &info->imports[f.import_index] : nullptr;
  };
  for (const ChainedFixup& f : fixups) {
    seg_w = std::max(seg_w, segment_name(ctx, f.segment_index).size());
    sect_w = std::max(sect_w, section_name(ctx, f.segment_index, f.address).size());
    addr_w = std::max(addr_w, llvm_hex_length(f.address) + 2);
    if (f.bind) {
      addend_w = std::max(addend_w, llvm_hex_length(static_cast<uint64_t>(f.addend)) + 2);
      // llvm-objdump sizes the dylib column by the symbol names; kept so the
      // columns line up with its output.
      if (const ChainedImport* imp = import_of(f)) dylib_w = std::max(dylib_w, imp->name.size());
    }
  }
  std::string out = "dyld information:\n";
  out += ljust("segment", seg_w) + " " + ljust("section", sect_w) + " " + ljust("address", addr_w) + " " +
         ljust("pointer", ptr_w) + " type   " + ljust("addend", addend_w) + " " + ljust("dylib", dylib_w) +
         " symbol/vm address\n";
  for (const ChainedFixup& f : fixups) {
    out += ljust(segment_name(ctx, f.segment_index), seg_w) + " " +
           ljust(section_name(ctx, f.segment_index, f.address), sect_w) + " 0x" + ljust(upper_hex(f.address), addr_w - 2) +
           " " + format_hex(f.raw, ptr_w) + " ";
    if (f.bind) {
      const ChainedImport* imp = import_of(f);
      out += "bind   0x" + ljust(upper_hex(static_cast<uint64_t>(f.addend)), addend_w - 2) + " " +
             ljust(imp ? ordinal_name(ctx, imp->lib_ordinal) : std::string(), dylib_w) + " " +
             (imp ? imp->name : std::string());
      if (imp && imp->weak_import) out += " (weak import)";
    } else {
      out += "rebase" + std::string(addend_w + dylib_w + 2, ' ') + "0x" + upper_hex(f.target);
    }
    if (f.auth) {
      // llvm-objdump cannot print authenticated pointers; this note is
      // linkbox's own.
      static const char* const keys[] = {"IA", "IB", "DA", "DB"};
      out += std::string(" (auth ") + keys[f.key & 3] + printf_string(" div=0x%04" PRIx64, f.diversity) +
             (f.addr_div ? " addr" : "") + ")";
    }
    out += "\n";
  }
  return out;
}

}  // namespace linkbox::macho
