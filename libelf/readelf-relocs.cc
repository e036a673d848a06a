// readelf -r: relocation sections (REL, RELA and RELR), found through the
// section headers.
#include "libelf/readelf-file.h"
#include "libelf/readelf-names.h"

namespace linkbox::elf::readelf {
namespace {

enum class RelKind { rel, rela, relr };

struct Reloc {
  uint64_t offset = 0;
  uint64_t info = 0;
  int64_t addend = 0;
};

unsigned long long ul(uint64_t v) { return v; }

std::optional<std::vector<Reloc>> read_relocs(ReadelfFile& f, uint64_t offset, uint64_t size,
                                              RelKind kind) {
  unsigned word = f.is32 ? 4 : 8;
  unsigned entry = kind == RelKind::rela ? 3 * word : 2 * word;
  auto bytes = f.data(offset, size, f.is32 ? "32-bit relocation data" : "64-bit relocation data");
  if (!bytes) return std::nullopt;
  std::vector<Reloc> relocs(size / entry);
  for (size_t i = 0; i < relocs.size(); ++i) {
    const uint8_t* p = bytes->data() + i * entry;
    relocs[i].offset = f.get(p, word);
    relocs[i].info = f.get(p + word, word);
    if (kind == RelKind::rela) relocs[i].addend = f.get_signed(p + 2 * word, word);
    if (!f.is32 && f.hdr.machine == EM_MIPS && f.hdr.ident[EI_DATA] != ELFDATA2MSB) {
      // Little-endian MIPS64 r_info is a 32-bit symbol index followed by
      // four single-byte fields, not one 64-bit number.
      uint64_t in = relocs[i].info;
      relocs[i].info = ((in & 0xffffffff) << 32) | ((in >> 56) & 0xff) | ((in >> 40) & 0xff00) |
                       ((in >> 24) & 0xff0000) | ((in >> 8) & 0xff000000);
    }
  }
  return relocs;
}

void dump_relr(ReadelfFile& f, uint64_t offset, uint64_t size) {
  auto bytes = f.data(offset, size, "RELR relocation data");
  if (!bytes) return;
  unsigned word = f.is32 ? 4 : 8;
  std::vector<uint64_t> addresses;
  uint64_t base = 0;
  for (size_t at = 0; at + word <= bytes->size(); at += word) {
    uint64_t entry = f.get(bytes->data() + at, word);
    if ((entry & 1) == 0) {
      addresses.push_back(entry);
      base = entry + word;
    } else {
      uint64_t addr = base;
      while ((entry >>= 1) != 0) {
        if (entry & 1) addresses.push_back(addr);
        addr += word;
      }
      base += uint64_t(word) * (word * 8 - 1);
    }
  }
  f.out.f(addresses.size() == 1 ? "  %llu offset\n" : "  %llu offsets\n", ul(addresses.size()));
  for (uint64_t a : addresses) f.out.f(f.is32 ? "%08llx\n" : "%016llx\n", ul(a));
}

unsigned reloc_type(const ReadelfFile& f, uint64_t info) {
  if (f.is32) return static_cast<unsigned>(info & 0xff);
  switch (f.hdr.machine) {
    case EM_MIPS: return static_cast<unsigned>(info & 0xff);
    case EM_SPARCV9: return static_cast<unsigned>(info & 0xff);
  }
  return static_cast<unsigned>(info & 0xffffffff);
}

uint64_t reloc_symbol(const ReadelfFile& f, uint64_t info) { return f.is32 ? info >> 8 : info >> 32; }

// The name readelf shows for a section symbol that has no name of its own.
std::string section_symbol_name(ReadelfFile& f, const Symbol& sym) {
  unsigned machine = f.hdr.machine;
  if (sym.type() != STT_SECTION) return "<null>";
  if (sym.shndx < f.shnum && f.have_sections) return std::string(f.section_name(f.sections[sym.shndx]));
  if (sym.shndx == kShnAbs) return "ABS";
  if (sym.shndx == kShnCommon) return "COMMON";
  if ((machine == EM_MIPS && sym.shndx == kShnLoReserve + 3) ||
      (machine == 140 && sym.shndx == kShnLoReserve))
    return "SCOMMON";
  if (machine == EM_MIPS && sym.shndx == kShnLoReserve + 4) return "SUNDEF";
  if ((machine == EM_X86_64 || machine == 180 || machine == 181) && sym.shndx == kShnLoReserve + 2)
    return "LARGE_COMMON";
  if (machine == EM_IA_64 && f.hdr.ident[EI_OSABI] == ELFOSABI_HPUX && sym.shndx == kShnLoReserve)
    return "ANSI_COM";
  if (machine == EM_IA_64 && f.hdr.ident[EI_OSABI] == 13 /* ELFOSABI_OPENVMS */ &&
      sym.shndx == kShnLoReserve + 1)
    return "VMS_SYMVEC";
  char buf[40];
  std::snprintf(buf, sizeof buf, "<section 0x%x>", sym.shndx);
  return buf;
}

void print_symbol_part(ReadelfFile& f, const Reloc& r, RelKind kind, uint64_t symbol_index,
                       const std::vector<Symbol>* symtab,
                       std::optional<std::span<const uint8_t>> strtab, bool is_dynsym) {
  Text& o = f.out;
  if (!symtab || symbol_index >= symtab->size()) {
    f.error(" bad symbol index: %08lx in reloc", static_cast<unsigned long>(symbol_index));
    f.ok = false;
    return;
  }
  const Symbol& sym = (*symtab)[symbol_index];
  auto version = symbol_version(f, is_dynsym, strtab, symbol_index, sym);
  auto version_suffix = [&]() {
    if (version)
      o.f(version->kind == VersionKind::public_ ? "@@%s" : "@%s", version->name.c_str());
  };
  o.put(' ');
  if (sym.type() == STT_GNU_IFUNC) {
    // An IFUNC's value is not the address used: show the name and "()".
    int width = f.is32 ? 8 : 14;
    std::string_view name = "??";
    if (strtab && sym.name != 0 && sym.name < strtab->size()) name = c_string(*strtab, sym.name);
    int len = f.print_symbol(width, name);
    version_suffix();
    o.f("()%-*s", len <= width ? (width + 1) - len : 1, " ");
  } else {
    f.print_vma(sym.value, Vma::long_hex);
    o.put(f.is32 ? "   " : " ");
  }
  if (sym.name == 0) {
    f.print_symbol(22, section_symbol_name(f, sym));
  } else if (!strtab) {
    o.f("<string table index: %3ld>", static_cast<long>(sym.name));
  } else if (sym.name >= strtab->size()) {
    f.error("<corrupt string table index: %3ld>", static_cast<long>(sym.name));
    f.ok = false;
  } else {
    f.print_symbol(22, c_string(*strtab, sym.name));
    version_suffix();
  }
  if (kind == RelKind::rela) {
    if (r.addend < 0)
      o.f(" - %llx", ul(0 - static_cast<uint64_t>(r.addend)));
    else
      o.f(" + %llx", ul(static_cast<uint64_t>(r.addend)));
  }
}

// A MIPS64 relocation packs three types; readelf shows the second and third
// on lines of their own.
void print_mips64_extra_types(ReadelfFile& f, uint64_t info) {
  Text& o = f.out;
  auto show = [&](unsigned type) {
    const char* name = relocation_type_name(EM_MIPS, type, f.hdr.flags, f.hdr.ident[EI_OSABI]);
    if (!name)
      o.f("unrecognized: %-7lx", static_cast<unsigned long>(type));
    else
      o.f("%-17.17s", name);
  };
  o.put("                    Type2: ");
  show(static_cast<unsigned>((info >> 8) & 0xff));
  o.put("\n                    Type3: ");
  show(static_cast<unsigned>((info >> 16) & 0xff));
  o.put('\n');
}

void dump_relocations(ReadelfFile& f, uint64_t offset, uint64_t size, const std::vector<Symbol>* symtab,
                      std::optional<std::span<const uint8_t>> strtab, RelKind kind, bool is_dynsym) {
  Text& o = f.out;
  if (kind == RelKind::relr) return dump_relr(f, offset, size);
  auto relocs = read_relocs(f, offset, size, kind);
  if (!relocs) return;
  bool rela = kind == RelKind::rela;
  if (f.is32) {
    if (rela)
      o.put(f.opt.wide ? " Offset     Info    Type                Sym. Value  Symbol's Name + Addend\n"
                       : " Offset     Info    Type            Sym.Value  Sym. Name + Addend\n");
    else
      o.put(f.opt.wide ? " Offset     Info    Type                Sym. Value  Symbol's Name\n"
                       : " Offset     Info    Type            Sym.Value  Sym. Name\n");
  } else {
    if (rela)
      o.put(f.opt.wide
                ? "    Offset             Info             Type               Symbol's Value  Symbol's Name + Addend\n"
                : "  Offset          Info           Type           Sym. Value    Sym. Name + Addend\n");
    else
      o.put(f.opt.wide
                ? "    Offset             Info             Type               Symbol's Value  Symbol's Name\n"
                : "  Offset          Info           Type           Sym. Value    Sym. Name\n");
  }
  for (const Reloc& r : *relocs) {
    unsigned type = reloc_type(f, r.info);
    uint64_t symbol_index = reloc_symbol(f, r.info);
    if (f.is32)
      o.f("%8.8llx  %8.8llx ", ul(r.offset & 0xffffffff), ul(r.info & 0xffffffff));
    else
      o.f(f.opt.wide ? "%16.16llx  %16.16llx " : "%12.12llx  %12.12llx ", ul(r.offset), ul(r.info));
    const char* name = relocation_type_name(f.hdr.machine, type, f.hdr.flags, f.hdr.ident[EI_OSABI]);
    if (!name)
      o.f("unrecognized: %-7lx", static_cast<unsigned long>(type));
    else
      o.f(f.opt.wide ? "%-22s" : "%-17.17s", name);
    if (symbol_index) {
      print_symbol_part(f, r, kind, symbol_index, symtab, strtab, is_dynsym);
    } else if (rela) {
      o.f("%*c", f.is32 ? 12 : 20, ' ');
      if (r.addend < 0)
        o.f("-%llx", ul(0 - static_cast<uint64_t>(r.addend)));
      else
        o.f("%llx", ul(static_cast<uint64_t>(r.addend)));
    }
    if (f.hdr.machine == EM_SPARCV9 && name && std::string_view(name) == "R_SPARC_OLO10")
      o.f(" + %llx", ul(r.info >> 8 & 0xffffff));
    o.put('\n');
    if (!f.is32 && f.hdr.machine == EM_MIPS) print_mips64_extra_types(f, r.info);
  }
}

}  // namespace

bool process_relocs(ReadelfFile& f) {
  if (!f.opt.relocs) return true;
  Text& o = f.out;
  bool found = false;
  for (uint32_t i = 0; i < f.shnum && f.have_sections; ++i) {
    const Shdr& section = f.sections[i];
    if (section.type != SHT_RELA && section.type != SHT_REL && section.type != 19) continue;
    if (section.size == 0) continue;
    o.put("\nRelocation section ");
    if (!f.string_table)
      o.f("%d", section.name);
    else
      o.f("'%s'", f.printable_section_name(section).c_str());
    uint64_t count = section.size / section.entsize;
    o.f(count == 1 ? " at offset %#llx contains %llu entry:\n"
                   : " at offset %#llx contains %llu entries:\n",
        ul(section.offset), ul(count));
    RelKind kind = section.type == SHT_RELA ? RelKind::rela
                   : section.type == SHT_REL ? RelKind::rel
                                             : RelKind::relr;
    if (section.link != 0 && section.link < f.shnum) {
      const Shdr& symsec = f.sections[section.link];
      if (symsec.type != SHT_SYMTAB && symsec.type != SHT_DYNSYM) continue;
      std::vector<Symbol> symtab;
      std::optional<std::span<const uint8_t>> strtab;
      if (!f.symtab_with_strings(static_cast<int>(section.link), symtab, strtab)) continue;
      dump_relocations(f, section.offset, section.size, &symtab, strtab, kind,
                       symsec.type == SHT_DYNSYM);
    } else {
      dump_relocations(f, section.offset, section.size, nullptr, std::nullopt, kind, false);
    }
    found = true;
  }
  if (!found) {
    static constexpr int size_tags[] = {DT_RELSZ, DT_RELASZ, 35 /* DT_RELRSZ */, DT_PLTRELSZ};
    bool dynamic = false;
    for (int tag : size_tags)
      if (f.dynamic_info[tag]) dynamic = true;
    if (dynamic) {
      o.put("\nThere are no static relocations in this file.");
      o.put("\nTo see the dynamic relocations add --use-dynamic to the command line.\n");
    } else {
      o.put("\nThere are no relocations in this file.\n");
    }
  }
  return true;
}

}  // namespace linkbox::elf::readelf
