// readelf -S (section headers) and -g (section groups).
//
// The section-header pass runs whatever the options: it is where readelf
// finds the section names, the dynamic symbol table (.dynsym) and the
// dynamic string table (.dynstr) that later passes print from, and where it
// corrects a wrong sh_entsize for the rest of the report.
#include "libelf/readelf-file.h"
#include "libelf/readelf-names.h"

namespace linkbox::elf::readelf {
namespace {

constexpr uint32_t kGroupMaskOs = 0x0ff00000;    // GRP_MASKOS
constexpr uint32_t kGroupMaskProc = 0xf0000000;  // GRP_MASKPROC

bool load_section_headers(ReadelfFile& f) {
  size_t entry = f.is32 ? 40 : 64;
  unsigned size = f.hdr.shentsize;
  if (size == 0 || f.shnum == 0 || f.hdr.shoff == 0) return false;
  if (size < entry) {
    f.error("The e_shentsize field in the ELF header is less than the size of an ELF section header");
    return false;
  }
  if (size > entry)
    f.warn("The e_shentsize field in the ELF header is larger than the size of an ELF section header");
  auto bytes = f.data(f.hdr.shoff, uint64_t(size) * f.shnum, "section headers");
  if (!bytes) return false;
  f.sections.resize(f.shnum);
  for (uint32_t i = 0; i < f.shnum; ++i) {
    Shdr& s = f.sections[i];
    s = f.elf.codec().read_shdr(bytes->data() + uint64_t(i) * entry);
    if (s.link > f.shnum)
      f.warn("Section %u has an out of range sh_link value of %u", i, s.link);
    if ((s.flags & SHF_INFO_LINK) && s.info > f.shnum)
      f.warn("Section %u has an out of range sh_info value of %u", i, s.info);
  }
  f.have_sections = true;
  return true;
}

// readelf fixes a wrong entry size so the rest of its report can go on.
void check_entsize(ReadelfFile& f, unsigned i, uint64_t expected) {
  Shdr& s = f.sections[i];
  if (s.entsize == expected) return;
  f.error("Section %d has invalid sh_entsize of %llx", i, static_cast<unsigned long long>(s.entsize));
  f.error("(Using the expected size of %llx for the rest of this dump)",
          static_cast<unsigned long long>(expected));
  s.entsize = expected;
}

// The first look at every section: tables later passes need, and fixes.
void scan_sections(ReadelfFile& f) {
  for (uint32_t i = 0; i < f.shnum; ++i) {
    Shdr& s = f.sections[i];
    switch (s.type) {
      case SHT_DYNSYM:
        if (f.dynamic_symbols) {
          f.error("File contains multiple dynamic symbol tables");
          continue;
        }
        check_entsize(f, i, f.is32 ? 16 : 24);
        f.dynamic_symbols = f.symbols_of(s, static_cast<int>(i));
        f.dynamic_symtab_section = static_cast<int>(i);
        break;
      case SHT_STRTAB:
        if (f.section_name(s) == ".dynstr") {
          if (f.dynamic_strings) {
            f.error("File contains multiple dynamic string tables");
            continue;
          }
          f.dynamic_strings = f.data(s.offset, s.size, "dynamic strings");
          f.dynamic_strtab_section = static_cast<int>(i);
        }
        break;
      case SHT_SYMTAB_SHNDX:
        f.symtab_shndx_list.insert(f.symtab_shndx_list.begin(), static_cast<int>(i));
        break;
      case SHT_SYMTAB:
        check_entsize(f, i, f.is32 ? 16 : 24);
        break;
      case SHT_GROUP:
        check_entsize(f, i, 4);
        break;
      case SHT_REL:
        check_entsize(f, i, f.is32 ? 8 : 16);
        break;
      case SHT_RELA:
        check_entsize(f, i, f.is32 ? 12 : 24);
        break;
      case 19:  // SHT_RELR
        check_entsize(f, i, f.is32 ? 4 : 8);
        break;
    }
  }
}

bool is_symtab(const ReadelfFile& f, uint32_t index) {
  return index != 0 && index < f.shnum &&
         (f.sections[index].type == SHT_SYMTAB || f.sections[index].type == SHT_DYNSYM);
}

// readelf's sanity checks on sh_link and sh_info, printed as it prints the
// table. They only go to stderr.
void check_links(ReadelfFile& f, uint32_t i) {
  const Shdr& s = f.sections[i];
  bool dynamic_file = f.hdr.type == ET_EXEC || f.hdr.type == ET_DYN;
  switch (s.type) {
    case SHT_REL:
    case SHT_RELA:
      if (s.link == 0 && dynamic_file) break;
      [[fallthrough]];
    case SHT_SYMTAB_SHNDX:
    case SHT_GROUP:
    case SHT_HASH:
    case 0x6ffffff6:  // SHT_GNU_HASH
    case SHT_GNU_versym:
      if (!is_symtab(f, s.link))
        f.warn("[%2u]: Link field (%u) should index a symtab section.", i, s.link);
      break;
    case SHT_DYNAMIC:
    case SHT_SYMTAB:
    case SHT_DYNSYM:
    case SHT_GNU_verneed:
    case SHT_GNU_verdef:
    case 0x6ffffff7:  // SHT_GNU_LIBLIST
      if (s.link == 0 || s.link >= f.shnum || f.sections[s.link].type != SHT_STRTAB)
        f.warn("[%2u]: Link field (%u) should index a string section.", i, s.link);
      break;
    case SHT_INIT_ARRAY:
    case SHT_FINI_ARRAY:
    case SHT_PREINIT_ARRAY:
      if (s.link != 0) f.warn("[%2u]: Unexpected value (%u) in link field.", i, s.link);
      break;
  }
  switch (s.type) {
    case SHT_REL:
    case SHT_RELA: {
      if (s.info == 0 && dynamic_file) break;
      bool bad = s.info == 0 || s.info >= f.shnum;
      if (!bad) {
        uint32_t t = f.sections[s.info].type;
        bad = t != SHT_PROGBITS && t != SHT_NOBITS && t != SHT_NOTE && t != SHT_INIT_ARRAY &&
              t != SHT_FINI_ARRAY && t != SHT_PREINIT_ARRAY && t < SHT_LOOS;
      }
      if (bad) f.warn("[%2u]: Info field (%u) should index a relocatable section.", i, s.info);
      break;
    }
    case SHT_DYNAMIC:
    case SHT_HASH:
    case SHT_SYMTAB_SHNDX:
    case SHT_INIT_ARRAY:
    case SHT_FINI_ARRAY:
    case SHT_PREINIT_ARRAY:
      if (s.info != 0) f.warn("[%2u]: Unexpected value (%u) in info field.", i, s.info);
      break;
    case SHT_GROUP:
    case SHT_SYMTAB:
    case SHT_DYNSYM:
      break;
    default:
      if (s.type == SHT_NOBITS) break;
      if (s.flags & SHF_INFO_LINK) {
        if (s.info < 1 || s.info >= f.shnum)
          f.warn("[%2u]: Expected link to another section in info field", i);
      } else if (s.type < SHT_LOOS && (s.flags & 0x01000000) == 0 && s.info != 0) {
        f.warn("[%2u]: Unexpected value (%u) in info field.", i, s.info);
      }
      break;
  }
  if (s.size > f.file_size() && s.type != SHT_NOBITS && s.type != SHT_NULL && s.type < SHT_LOOS)
    f.warn("Size of section %u is larger than the entire file!", i);
}

void print_section_line(ReadelfFile& f, uint32_t i) {
  const Shdr& s = f.sections[i];
  Text& o = f.out;
  unsigned machine = f.hdr.machine, osabi = f.hdr.ident[EI_OSABI];
  auto ul = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  o.f("  [%2u] ", i);
  f.print_symbol(-17, f.section_name(s));
  o.f(f.opt.wide ? " %-15s " : " %-15.15s ", section_type_name(s.type, machine, osabi).c_str());
  std::string flags = section_flag_letters(s.flags, machine, osabi);
  if (f.is32) {
    f.print_vma(s.addr, Vma::long_hex);
    o.f(" %6.6llx %6.6llx %2.2llx", ul(s.offset), ul(s.size), ul(s.entsize));
    o.f(" %3s ", flags.c_str());
    o.f("%2u %3u %2llu\n", s.link, s.info, ul(s.addralign));
    if (s.link >= f.shnum) {
      bool special = false;
      switch (machine) {
        case EM_386: case 6: case EM_X86_64: case 180: case 181: case 11: case 18:
        case EM_SPARCV9: case EM_SPARC:
          special = s.link == 0xff00 || s.link == 0xff01;  // SHN_BEFORE, SHN_AFTER
          break;
      }
      if (!special)
        f.warn("section %u: sh_link value of %u is larger than the number of sections", i, s.link);
    }
  } else if (f.opt.wide) {
    f.print_vma(s.addr, Vma::long_hex);
    o.f(" %6.6llx %6.6llx %2.2llx", ul(s.offset), ul(s.size), ul(s.entsize));
    o.f(" %3s ", flags.c_str());
    o.f("%2u %3u ", s.link, s.info);
    o.f("%2llu\n", ul(s.addralign));
  } else {
    o.put(' ');
    f.print_vma(s.addr, Vma::long_hex);
    o.f("  %8.8llx", ul(s.offset));
    o.f("\n       ");
    f.print_vma(s.size, Vma::long_hex);
    o.f("  ");
    f.print_vma(s.entsize, Vma::long_hex);
    o.f(" %3s ", flags.c_str());
    o.f("     %2u   %3u     %llu\n", s.link, s.info, ul(s.addralign));
  }
}

void print_key_to_flags(ReadelfFile& f) {
  Text& o = f.out;
  o.f("Key to Flags:\n"
      "  W (write), A (alloc), X (execute), M (merge), S (strings), I (info),\n"
      "  L (link order), O (extra OS processing required), G (group), T (TLS),\n"
      "  C (compressed), x (unknown), o (OS specific), E (exclude),\n  ");
  switch (f.hdr.ident[EI_OSABI]) {
    case ELFOSABI_GNU:
    case ELFOSABI_FREEBSD:
      o.f("R (retain), ");
      [[fallthrough]];
    case ELFOSABI_NONE:
      o.f("D (mbind), ");
      break;
  }
  unsigned machine = f.hdr.machine;
  if (machine == EM_X86_64 || machine == 180 || machine == 181)
    o.f("l (large), ");
  else if (machine == EM_ARM)
    o.f("y (purecode), ");
  else if (machine == EM_PPC)
    o.f("v (VLE), ");
  o.f("p (processor specific)\n");
}

}  // namespace

bool process_section_headers(ReadelfFile& f) {
  Text& o = f.out;
  if (f.shnum == 0) {
    if (f.hdr.shoff != 0) {
      f.warn("possibly corrupt ELF file header - it has a non-zero section header offset, but no "
             "section headers");
      return false;
    }
    if (f.opt.section_headers) o.f("\nThere are no sections in this file.\n");
    return true;
  }
  if (f.opt.section_headers && !f.opt.file_header)
    o.f(f.shnum == 1 ? "There is %d section header, starting at offset %#llx:\n"
                     : "There are %d section headers, starting at offset %#llx:\n",
        f.shnum, static_cast<unsigned long long>(f.hdr.shoff));
  if (!load_section_headers(f)) return false;

  if (f.shstrndx != SHN_UNDEF && f.shstrndx < f.shnum) {
    const Shdr& names = f.sections[f.shstrndx];
    if (names.size != 0) f.string_table = f.data(names.offset, names.size, "string table");
  }
  scan_sections(f);

  if (!f.opt.section_headers) return true;
  o.f(f.shnum > 1 ? "\nSection Headers:\n" : "\nSection Header:\n");
  if (f.is32)
    o.f("  [Nr] Name              Type            Addr     Off    Size   ES Flg Lk Inf Al\n");
  else if (f.opt.wide)
    o.f("  [Nr] Name              Type            Address          Off    Size   ES Flg Lk Inf Al\n");
  else
    o.f("  [Nr] Name              Type             Address           Offset\n"
        "       Size              EntSize          Flags  Link  Info  Align\n");
  for (uint32_t i = 0; i < f.shnum; ++i) {
    check_links(f, i);
    print_section_line(f, i);
  }
  print_key_to_flags(f);
  return true;
}

bool process_section_groups(ReadelfFile& f) {
  if (!f.opt.unwind && !f.opt.section_groups) return true;
  Text& o = f.out;
  if (f.shnum == 0) {
    if (f.opt.section_groups) o.f("\nThere are no section groups in this file.\n");
    return true;
  }
  if (!f.have_sections) {
    f.error("Section headers are not available!");
    return false;
  }
  size_t group_count = 0;
  for (const Shdr& s : f.sections)
    if (s.type == SHT_GROUP) ++group_count;
  if (group_count == 0) {
    if (f.opt.section_groups) o.f("\nThere are no section groups in this file.\n");
    return true;
  }

  // Which group already holds each section, to report duplicates.
  std::vector<int> group_of(f.shnum, -1);
  int symtab_index = -1;
  std::optional<std::vector<Symbol>> symtab;
  int strtab_index = -1;
  std::optional<std::span<const uint8_t>> strtab;
  unsigned group_errors = 0, duplicate_errors = 0;
  bool warned_section_zero = false;

  for (uint32_t i = 0; i < f.shnum; ++i) {
    const Shdr& section = f.sections[i];
    if (section.type != SHT_GROUP) continue;
    std::string name = f.printable_section_name(section);
    if (section.link >= f.shnum || f.sections[section.link].type != SHT_SYMTAB) {
      f.error("Bad sh_link in group section `%s'", name.c_str());
      continue;
    }
    if (symtab_index != static_cast<int>(section.link)) {
      symtab_index = static_cast<int>(section.link);
      symtab = f.symbols_of(f.sections[symtab_index], symtab_index);
    }
    if (!symtab) {
      f.error("Corrupt header in group section `%s'", name.c_str());
      continue;
    }
    if (section.info >= symtab->size()) {
      f.error("Bad sh_info in group section `%s'", name.c_str());
      continue;
    }
    const Symbol& sym = (*symtab)[section.info];
    std::string group_name;
    if (sym.type() == STT_SECTION) {
      if (sym.shndx == 0 || sym.shndx >= f.shnum) {
        f.error("Bad sh_info in group section `%s'", name.c_str());
        continue;
      }
      group_name = std::string(f.section_name(f.sections[sym.shndx]));
      strtab_index = -1;
      strtab.reset();
    } else {
      const Shdr& symsec = f.sections[symtab_index];
      if (symsec.link >= f.shnum) {
        strtab_index = -1;
        strtab.reset();
      } else if (strtab_index != static_cast<int>(symsec.link)) {
        strtab_index = static_cast<int>(symsec.link);
        const Shdr& strsec = f.sections[strtab_index];
        strtab = f.data(strsec.offset, strsec.size, "string table");
      }
      group_name = strtab && sym.name < strtab->size() ? std::string(c_string(*strtab, sym.name))
                                                        : "<corrupt>";
    }
    if (section.entsize > section.size) {
      f.error("Section %s has sh_entsize (%#llx) which is larger than its size (%#llx)",
              name.c_str(), static_cast<unsigned long long>(section.entsize),
              static_cast<unsigned long long>(section.size));
      continue;
    }
    auto contents = f.data(section.offset, section.size, "section data");
    if (!contents) continue;
    // The first word is the flags, the rest section indices. readelf
    // counts the members from the size and the entry size.
    unsigned members = static_cast<unsigned>(section.size / section.entsize - 1);
    uint32_t flags = static_cast<uint32_t>(contents->size() >= 4 ? f.get(contents->data(), 4) : 0);
    if (f.opt.section_groups) {
      std::string flag_text;
      if (flags == GRP_COMDAT) {
        flag_text = "COMDAT ";
      } else if (flags != 0) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "[0x%x: %s%s%s]", flags,
                      flags & kGroupMaskOs ? "<OS specific>" : "",
                      flags & kGroupMaskProc ? "<PROC specific>" : "",
                      flags & ~(GRP_COMDAT | kGroupMaskOs | kGroupMaskProc) ? "<unknown>" : "");
        flag_text = buf;
      }
      o.f("\n%sgroup section [%5u] `%s' [%s] contains %u sections:\n", flag_text.c_str(), i,
          name.c_str(), group_name.c_str(), members);
      o.f("   [Index]    Name\n");
    }
    for (unsigned j = 0; j < members; ++j) {
      uint64_t at = 4 + uint64_t(j) * 4;
      if (at + 4 > contents->size()) break;
      uint32_t entry = static_cast<uint32_t>(f.get(contents->data() + at, 4));
      if (entry >= f.shnum) {
        if (group_errors++ < 10) {
          f.error("section [%5u] in group section [%5u] > maximum section [%5u]", entry, i,
                  f.shnum - 1);
          if (group_errors == 10)
            f.warn("Further error messages about overlarge group section indices suppressed");
        }
        continue;
      }
      if (group_of[entry] >= 0) {
        if (entry) {
          if (duplicate_errors++ < 10) {
            f.error("section [%5u] in group section [%5u] already in group section [%5u]", entry,
                    i, group_of[entry]);
            if (duplicate_errors == 10)
              f.warn("Further error messages about already contained group sections suppressed");
          }
          continue;
        }
        if (!warned_section_zero) {
          f.error("section 0 in group section [%5u]", group_of[entry]);
          warned_section_zero = true;
        }
      }
      group_of[entry] = static_cast<int>(i);
      if (f.opt.section_groups)
        o.f("   [%5u]   %s\n", entry, f.printable_section_name(f.sections[entry]).c_str());
    }
  }
  return true;
}

}  // namespace linkbox::elf::readelf
