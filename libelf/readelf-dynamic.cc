// readelf -d: the dynamic section.
//
// The pass runs for every report: it records the DT_* values later passes
// use (version tables for symbol versions, relocation tables for "there are
// no static relocations" hints) and, for the histogram (-I, part of -a),
// loads the hash tables the way readelf does.
#include <ctime>

#include "libelf/readelf-file.h"
#include "libelf/readelf-names.h"

namespace linkbox::elf::readelf {
namespace {

unsigned long long ul(uint64_t v) { return v; }

// Without a .dynsym section, the dynamic symbols are read through DT_SYMTAB,
// as many as the hash tables say there are. A table that cannot be read
// that way makes readelf give up on the dynamic section altogether.
bool load_symbols_from_dynamic(ReadelfFile& f, uint64_t count) {
  const std::vector<Phdr>* phdrs = f.program_headers();
  if (!phdrs) {
    f.error("Cannot interpret virtual addresses without program headers.");
    return false;
  }
  uint64_t vma = f.dynamic_info[DT_SYMTAB];
  for (const Phdr& p : *phdrs) {
    if (p.type != PT_LOAD) continue;
    if (p.offset + p.filesz > f.file_size()) {
      f.error("Invalid PT_LOAD entry");
      return false;
    }
    if (vma >= (p.vaddr & (0 - p.align)) && vma < p.vaddr + p.filesz) {
      // A made-up section header over the table; its name is out of range
      // of the section name table, as in readelf.
      Shdr table;
      table.offset = vma - p.vaddr + p.offset;
      table.size = count * f.dynamic_info[DT_SYMENT];
      table.entsize = f.dynamic_info[DT_SYMENT];
      table.name = static_cast<uint32_t>(f.string_table ? f.string_table->size() : 0);
      f.dynamic_symbols = f.symbols_of(table, -1);
      if (!f.dynamic_symbols || f.dynamic_symbols->size() != count) {
        f.error("Corrupt DT_SYMTAB dynamic entry");
        return false;
      }
      break;
    }
  }
  return true;
}

bool valid_dynamic_name(const ReadelfFile& f, uint64_t offset) {
  return f.dynamic_strings && offset < f.dynamic_strings->size();
}

std::string dynamic_name(const ReadelfFile& f, uint64_t offset) {
  return std::string(c_string(*f.dynamic_strings, offset));
}

// Reads `count` entries of `size` bytes at `offset` (get_dynamic_data).
std::optional<std::vector<uint64_t>> dynamic_data(ReadelfFile& f, uint64_t offset, uint64_t count,
                                                  unsigned size) {
  if (size * count / size != count) {
    f.error("Size overflow prevents reading %llu elements of size %u", ul(count), size);
    return std::nullopt;
  }
  if (size * count > f.file_size()) {
    f.error("Invalid number of dynamic entries: %llu", ul(count));
    return std::nullopt;
  }
  if (offset > f.file_size() || size * count > f.file_size() - offset) {
    f.error("Unable to read in %llu bytes of dynamic data", ul(count * size));
    return std::nullopt;
  }
  std::vector<uint64_t> values(count);
  for (uint64_t i = 0; i < count; ++i) values[i] = f.get(f.elf.bytes().data() + offset + i * size, size);
  return values;
}

// One `size`-byte word at `offset`, as readelf's fread of it.
std::optional<uint64_t> read_word(ReadelfFile& f, uint64_t offset, unsigned size) {
  if (offset > f.file_size() || size > f.file_size() - offset) return std::nullopt;
  return f.get(f.elf.bytes().data() + offset, size);
}

void load_sysv_hash(ReadelfFile& f, uint64_t& num_of_syms) {
  unsigned ent = 4;
  if ((f.hdr.machine == 0x9026 || f.hdr.machine == EM_S390 || f.hdr.machine == 0xa390) && !f.is32)
    ent = 8;
  uint64_t at = f.offset_from_vma(f.dynamic_info[DT_HASH], 16);
  auto nb = read_word(f, at, ent);
  if (!nb) {
    f.error("Failed to read in number of buckets");
  } else if (auto nc = read_word(f, at + ent, ent); !nc) {
    f.error("Failed to read in number of chains");
  } else {
    f.nbuckets = *nb;
    f.nchains = *nc;
    if (f.nbuckets != 0 && f.nchains != 0) {
      auto buckets = dynamic_data(f, at + 2 * ent, f.nbuckets, ent);
      std::optional<std::vector<uint64_t>> chains;
      // readelf reads the chains from wherever the buckets left the file
      // position, even after a failed read.
      if (buckets) chains = dynamic_data(f, at + 2 * ent + f.nbuckets * ent, f.nchains, ent);
      else chains = dynamic_data(f, at + 2 * ent, f.nchains, ent);
      if (buckets && chains) {
        f.buckets = std::move(*buckets);
        f.chains = std::move(*chains);
        num_of_syms = f.nchains;
      }
    }
  }
  if (num_of_syms == 0) {
    f.buckets.clear();
    f.chains.clear();
    f.nbuckets = 0;
  }
}

void drop_gnu_hash(ReadelfFile& f) {
  f.mipsxlat.clear();
  f.gnuchains.clear();
  f.gnubuckets.clear();
  f.ngnubuckets = 0;
  f.ngnuchains = 0;
}

void load_gnu_hash(ReadelfFile& f, uint64_t& num_of_syms) {
  uint64_t header_at = f.offset_from_vma(f.dynamic_info_gnu_hash, 16);
  if (header_at > f.file_size() || 16 > f.file_size() - header_at) {
    f.error("Failed to read in number of buckets");
    return drop_gnu_hash(f);
  }
  const uint8_t* h = f.elf.bytes().data() + header_at;
  f.ngnubuckets = f.get(h, 4);
  f.gnusymidx = f.get(h + 4, 4);
  uint64_t bitmask_words = f.get(h + 8, 4);
  uint64_t buckets_vma = f.dynamic_info_gnu_hash + 16 + bitmask_words * (f.is32 ? 4 : 8);
  auto buckets = dynamic_data(f, f.offset_from_vma(buckets_vma, 4), f.ngnubuckets, 4);
  if (!buckets) return drop_gnu_hash(f);
  f.gnubuckets = std::move(*buckets);

  uint64_t maxchain = 0xffffffff;
  for (uint64_t b : f.gnubuckets) {
    if (b == 0) continue;
    if (b < f.gnusymidx) return drop_gnu_hash(f);
    if (maxchain == 0xffffffff || b > maxchain) maxchain = b;
  }
  if (maxchain == 0xffffffff) return drop_gnu_hash(f);
  maxchain -= f.gnusymidx;

  // Walk the last chain to its end to learn how many chain words there are.
  uint64_t at = f.offset_from_vma(buckets_vma + 4 * (f.ngnubuckets + maxchain), 4);
  for (;;) {
    auto word = read_word(f, at, 4);
    if (!word) {
      f.error("Failed to determine last chain length");
      return drop_gnu_hash(f);
    }
    at += 4;
    if (maxchain + 1 == 0) return drop_gnu_hash(f);
    ++maxchain;
    if (*word & 1) break;
  }
  auto chains = dynamic_data(f, f.offset_from_vma(buckets_vma + 4 * f.ngnubuckets, 4), maxchain, 4);
  f.ngnuchains = maxchain;
  if (!chains) return drop_gnu_hash(f);
  f.gnuchains = std::move(*chains);
  if (f.dynamic_info_mips_xhash) {
    auto xlat = dynamic_data(
        f, f.offset_from_vma(buckets_vma + 4 * (f.ngnubuckets + maxchain), 4), maxchain, 4);
    if (!xlat) return drop_gnu_hash(f);
    f.mipsxlat = std::move(*xlat);
  }
  for (uint64_t hn = 0; hn < f.ngnubuckets; ++hn) {
    if (f.gnubuckets[hn] == 0) continue;
    uint64_t si = f.gnubuckets[hn];
    uint64_t off = si - f.gnusymidx;
    do {
      if (f.dynamic_info_mips_xhash) {
        if (off < f.ngnuchains && f.mipsxlat[off] >= num_of_syms) num_of_syms = f.mipsxlat[off] + 1;
      } else if (si >= num_of_syms) {
        num_of_syms = si + 1;
      }
      ++si;
    } while (off < f.ngnuchains && (f.gnuchains[off++] & 1) == 0);
  }
  if (num_of_syms == 0) drop_gnu_hash(f);
}

// get_num_dynamic_syms: only the histogram needs it in linkbox's options.
uint64_t load_hash_tables(ReadelfFile& f) {
  uint64_t num_of_syms = 0;
  if (!f.opt.histogram) return 0;
  if (f.dynamic_info[DT_HASH]) load_sysv_hash(f, num_of_syms);
  if (f.dynamic_info_gnu_hash) load_gnu_hash(f, num_of_syms);
  return num_of_syms;
}

void print_dynamic_flags(ReadelfFile& f, uint64_t flags) {
  bool first = true;
  while (flags) {
    uint64_t flag = flags & (0 - flags);
    flags &= ~flag;
    if (!first) f.out.put(' ');
    first = false;
    switch (flag) {
      case DF_ORIGIN: f.out.put("ORIGIN"); break;
      case DF_SYMBOLIC: f.out.put("SYMBOLIC"); break;
      case DF_TEXTREL: f.out.put("TEXTREL"); break;
      case DF_BIND_NOW: f.out.put("BIND_NOW"); break;
      case DF_STATIC_TLS: f.out.put("STATIC_TLS"); break;
      default: f.out.put("unknown"); break;
    }
  }
  f.out.put('\n');
}

struct FlagName {
  uint64_t bit;
  const char* name;
};

// "Flags: A B C" with leftover bits in hex, as for DT_FLAGS_1 and friends.
void print_named_flags(ReadelfFile& f, uint64_t value, std::initializer_list<FlagName> names) {
  f.out.put("Flags:");
  if (value == 0) {
    f.out.put(" None\n");
    return;
  }
  for (const FlagName& n : names)
    if (value & n.bit) {
      f.out.f(" %s", n.name);
      value ^= n.bit;
    }
  if (value != 0) f.out.f(" %llx", ul(value));
  f.out.put('\n');
}

void print_time(ReadelfFile& f, uint64_t value) {
  std::time_t t = static_cast<std::time_t>(value);
  std::tm tm;
  if (!gmtime_r(&t, &tm)) {
    f.out.f("<corrupt time val: %llx", ul(value));
    return;
  }
  f.out.f("%04u-%02u-%02uT%02u:%02u:%02u\n", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
          tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// MIPS tags that readelf prints in decimal, or decodes.
void print_mips_value(ReadelfFile& f, uint64_t tag, uint64_t val) {
  Text& o = f.out;
  switch (tag) {
    case 0x70000005: {  // DT_MIPS_FLAGS
      if (val == 0) {
        o.put("NONE");
        break;
      }
      static const char* const names[] = {
          "QUICKSTART", "NOTPOT", "NO_LIBRARY_REPLACEMENT", "NO_MOVE", "SGI_ONLY",
          "GUARANTEE_INIT", "DELTA_C_PLUS_PLUS", "GUARANTEE_START_INIT", "PIXIE",
          "DEFAULT_DELAY_LOAD", "REQUICKSTART", "REQUICKSTARTED", "CORD", "NO_UNRES_UNDEF",
          "RLD_ORDER_SAFE"};
      bool first = true;
      for (unsigned bit = 0; bit < 15; ++bit)
        if (val & (1u << bit)) {
          o.f("%s%s", first ? "" : " ", names[bit]);
          first = false;
        }
      break;
    }
    case 0x70000004:  // DT_MIPS_IVERSION
      if (valid_dynamic_name(f, val))
        o.f("Interface Version: %s", dynamic_name(f, val).c_str());
      else
        o.f("Interface Version: <corrupt: %llx>", ul(val));
      break;
    case 0x70000002: {  // DT_MIPS_TIME_STAMP
      std::time_t t = static_cast<std::time_t>(val);
      std::tm tm;
      char buf[128];
      if (gmtime_r(&t, &tm))
        std::snprintf(buf, sizeof buf, "%04u-%02u-%02uT%02u:%02u:%02u", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
      else
        std::snprintf(buf, sizeof buf, "<corrupt>");
      o.f("Time Stamp: %s", buf);
      break;
    }
    case 0x70000001: case 0x7000000a: case 0x7000000b: case 0x70000010: case 0x70000011:
    case 0x70000012: case 0x70000014: case 0x70000018: case 0x7000001a: case 0x7000001c:
    case 0x7000001e: case 0x70000021: case 0x7000002f:
      f.print_vma(val, Vma::dec);
      break;
    default:
      f.print_vma(val, Vma::prefix_hex);
      break;
  }
  o.put('\n');
}

void print_entry_value(ReadelfFile& f, const Dyn& entry) {
  Text& o = f.out;
  uint64_t tag = static_cast<uint64_t>(entry.tag), val = entry.val;
  bool show = f.opt.dynamic;
  switch (tag) {
    case DT_FLAGS:
      if (show) print_dynamic_flags(f, val);
      return;
    case DT_AUXILIARY: case DT_FILTER: case DT_CONFIG: case DT_DEPAUDIT: case DT_AUDIT:
      if (!show) return;
      switch (tag) {
        case DT_AUXILIARY: o.put("Auxiliary library"); break;
        case DT_FILTER: o.put("Filter library"); break;
        case DT_CONFIG: o.put("Configuration file"); break;
        case DT_DEPAUDIT: o.put("Dependency audit library"); break;
        case DT_AUDIT: o.put("Audit library"); break;
      }
      if (valid_dynamic_name(f, val)) {
        o.f(": [%s]\n", dynamic_name(f, val).c_str());
      } else {
        o.put(": ");
        f.print_vma(val, Vma::prefix_hex);
        o.put('\n');
      }
      return;
    case DT_FEATURE_1:
      if (show) print_named_flags(f, val, {{DTF_1_PARINIT, "PARINIT"}, {DTF_1_CONFEXP, "CONFEXP"}});
      return;
    case DT_POSFLAG_1:
      if (show)
        print_named_flags(f, val, {{DF_P1_LAZYLOAD, "LAZYLOAD"}, {DF_P1_GROUPPERM, "GROUPPERM"}});
      return;
    case DT_FLAGS_1:
      if (show)
        print_named_flags(
            f, val,
            {{DF_1_NOW, "NOW"}, {DF_1_GLOBAL, "GLOBAL"}, {DF_1_GROUP, "GROUP"},
             {DF_1_NODELETE, "NODELETE"}, {DF_1_LOADFLTR, "LOADFLTR"},
             {DF_1_INITFIRST, "INITFIRST"}, {DF_1_NOOPEN, "NOOPEN"}, {DF_1_ORIGIN, "ORIGIN"},
             {DF_1_DIRECT, "DIRECT"}, {DF_1_TRANS, "TRANS"}, {DF_1_INTERPOSE, "INTERPOSE"},
             {DF_1_NODEFLIB, "NODEFLIB"}, {DF_1_NODUMP, "NODUMP"}, {DF_1_CONFALT, "CONFALT"},
             {DF_1_ENDFILTEE, "ENDFILTEE"}, {DF_1_DISPRELDNE, "DISPRELDNE"},
             {DF_1_DISPRELPND, "DISPRELPND"}, {DF_1_NODIRECT, "NODIRECT"},
             {DF_1_IGNMULDEF, "IGNMULDEF"}, {DF_1_NOKSYMS, "NOKSYMS"}, {DF_1_NOHDR, "NOHDR"},
             {DF_1_EDITED, "EDITED"}, {DF_1_NORELOC, "NORELOC"},
             {DF_1_SYMINTPOSE, "SYMINTPOSE"}, {DF_1_GLOBAUDIT, "GLOBAUDIT"},
             {DF_1_SINGLETON, "SINGLETON"}, {DF_1_STUB, "STUB"}, {DF_1_PIE, "PIE"},
             {0x10000000, "KMOD"}, {0x20000000, "WEAKFILTER"}, {0x40000000, "NOCOMMON"}});
      return;
    case DT_PLTREL:
      f.dynamic_info[tag] = val;
      if (show) o.f("%s\n", dynamic_type_name(val, f.hdr.machine, f.hdr.ident[EI_OSABI]).c_str());
      return;
    case DT_NULL: case DT_NEEDED: case DT_PLTGOT: case DT_HASH: case DT_STRTAB: case DT_SYMTAB:
    case DT_RELA: case DT_INIT: case DT_FINI: case DT_SONAME: case DT_RPATH: case DT_SYMBOLIC:
    case DT_REL: case 36 /* DT_RELR */: case DT_DEBUG: case DT_TEXTREL: case DT_JMPREL:
    case DT_RUNPATH:
      f.dynamic_info[tag] = val;
      if (!show) return;
      if (valid_dynamic_name(f, val)) {
        std::string name = dynamic_name(f, val);
        switch (tag) {
          case DT_NEEDED:
            o.f("Shared library: [%s]", name.c_str());
            if (f.program_interpreter && name == *f.program_interpreter)
              o.put(" program interpreter");
            break;
          case DT_SONAME: o.f("Library soname: [%s]", name.c_str()); break;
          case DT_RPATH: o.f("Library rpath: [%s]", name.c_str()); break;
          case DT_RUNPATH: o.f("Library runpath: [%s]", name.c_str()); break;
          default: f.print_vma(val, Vma::prefix_hex); break;
        }
      } else {
        f.print_vma(val, Vma::prefix_hex);
      }
      o.put('\n');
      return;
    case DT_PLTRELSZ: case DT_RELASZ: case DT_STRSZ: case DT_RELSZ: case DT_RELAENT:
    case 37 /* DT_RELRENT */: case 35 /* DT_RELRSZ */: case DT_SYMENT: case DT_RELENT:
      f.dynamic_info[tag] = val;
      [[fallthrough]];
    case DT_PLTPADSZ: case DT_MOVEENT: case DT_MOVESZ: case DT_PREINIT_ARRAYSZ:
    case DT_INIT_ARRAYSZ: case DT_FINI_ARRAYSZ: case DT_GNU_CONFLICTSZ: case DT_GNU_LIBLISTSZ:
      if (show) {
        f.print_vma(val, Vma::unsigned_dec);
        o.put(" (bytes)\n");
      }
      return;
    case DT_VERDEFNUM: case DT_VERNEEDNUM: case DT_RELACOUNT: case DT_RELCOUNT:
      if (show) {
        f.print_vma(val, Vma::unsigned_dec);
        o.put('\n');
      }
      return;
    case DT_SYMINSZ: case DT_SYMINENT: case DT_SYMINFO: case 0x7ffffffe /* DT_USED */:
    case DT_INIT_ARRAY: case DT_FINI_ARRAY:
      if (!show) return;
      if (tag == 0x7ffffffe && valid_dynamic_name(f, val)) {
        std::string name = dynamic_name(f, val);
        if (!name.empty()) {
          o.f("Not needed object: [%s]\n", name.c_str());
          return;
        }
      }
      f.print_vma(val, Vma::prefix_hex);
      o.put('\n');
      return;
    case DT_BIND_NOW:
      if (show) o.put('\n');  // the value is ignored
      return;
    case DT_GNU_PRELINKED:
      if (show) print_time(f, val);
      return;
    case DT_GNU_HASH:
      f.dynamic_info_gnu_hash = val;
      if (show) {
        f.print_vma(val, Vma::prefix_hex);
        o.put('\n');
      }
      return;
    case 0x6ffffdf4:  // DT_GNU_FLAGS_1
      if (show) print_named_flags(f, val, {{1, "UNIQUE"}});
      return;
  }
  if (tag >= DT_VERSYM && tag <= DT_VERNEEDNUM) f.version_info[DT_VERNEEDNUM - tag] = val;
  if (f.hdr.machine == EM_MIPS || f.hdr.machine == 10) {
    if (tag == 0x70000036) {  // DT_MIPS_XHASH
      f.dynamic_info_mips_xhash = val;
      f.dynamic_info_gnu_hash = val;
    }
    if (show) print_mips_value(f, tag, val);
    return;
  }
  if (!show) return;
  if (f.hdr.machine == EM_AARCH64 && (tag == 0x70000001 || tag == 0x70000003)) {
    o.put('\n');  // DT_AARCH64_BTI_PLT and DT_AARCH64_PAC_PLT carry no value
    return;
  }
  f.print_vma(val, Vma::prefix_hex);
  o.put('\n');
}

}  // namespace

bool process_dynamic_section(ReadelfFile& f) {
  Text& o = f.out;
  if (f.dynamic_size <= 1) {
    if (f.opt.dynamic) o.f("\nThere is no dynamic section in this file.\n");
    return true;
  }
  if (!f.load_dynamic_section()) return false;
  const std::vector<Dyn>& entries = *f.dynamic_section;

  if (!f.dynamic_symbols || f.opt.histogram) {
    for (const Dyn& d : entries) {
      uint64_t tag = static_cast<uint64_t>(d.tag);
      if (tag == DT_SYMTAB) f.dynamic_info[DT_SYMTAB] = d.val;
      else if (tag == DT_SYMENT) f.dynamic_info[DT_SYMENT] = d.val;
      else if (tag == DT_HASH) f.dynamic_info[DT_HASH] = d.val;
      else if (tag == DT_GNU_HASH) f.dynamic_info_gnu_hash = d.val;
      else if ((f.hdr.machine == EM_MIPS || f.hdr.machine == 10) && tag == 0x70000036) {
        f.dynamic_info_mips_xhash = d.val;
        f.dynamic_info_gnu_hash = d.val;
      }
    }
    uint64_t num_of_syms = load_hash_tables(f);
    if (num_of_syms != 0 && !f.dynamic_symbols && f.dynamic_info[DT_SYMTAB] &&
        f.dynamic_info[DT_SYMENT] && !load_symbols_from_dynamic(f, num_of_syms))
      return false;
  }

  if (!f.dynamic_strings) {
    for (const Dyn& d : entries) {
      uint64_t tag = static_cast<uint64_t>(d.tag);
      if (tag == DT_STRTAB) f.dynamic_info[DT_STRTAB] = d.val;
      if (tag == DT_STRSZ) f.dynamic_info[DT_STRSZ] = d.val;
      if (f.dynamic_info[DT_STRTAB] && f.dynamic_info[DT_STRSZ]) {
        uint64_t length = f.dynamic_info[DT_STRSZ];
        uint64_t offset = f.offset_from_vma(f.dynamic_info[DT_STRTAB], length);
        f.dynamic_strings = f.data(offset, length, "dynamic string table");
        if (!f.dynamic_strings) f.error("Corrupt DT_STRTAB dynamic entry");
        break;
      }
    }
  }

  if (f.opt.dynamic && f.dynamic_addr)
    o.f(entries.size() == 1 ? "\nDynamic section at offset %#llx contains %llu entry:\n"
                            : "\nDynamic section at offset %#llx contains %llu entries:\n",
        ul(f.dynamic_addr), ul(entries.size()));
  if (f.opt.dynamic) o.f("  Tag        Type                         Name/Value\n");

  for (const Dyn& entry : entries) {
    if (f.opt.dynamic) {
      std::string type = dynamic_type_name(static_cast<uint64_t>(entry.tag), f.hdr.machine,
                                           f.hdr.ident[EI_OSABI]);
      o.put(' ');
      f.print_vma(static_cast<uint64_t>(entry.tag), Vma::full_hex);
      o.f(" (%s)%*s", type.c_str(), (f.is32 ? 27 : 19) - static_cast<int>(type.size()), " ");
    }
    print_entry_value(f, entry);
  }
  return true;
}

}  // namespace linkbox::elf::readelf
