// readelf -s / --dyn-syms: symbol tables, with the version each dynamic
// symbol binds to; and readelf -I (part of -a): bucket-length histograms of
// the hash tables.
#include "libelf/readelf-file.h"
#include "libelf/readelf-names.h"

namespace linkbox::elf::readelf {
namespace {

unsigned long long ul(uint64_t v) { return v; }

// A record read at a file offset, or nothing when it is not all in the file
// (readelf's get_data into a local buffer, with its message).
std::optional<const uint8_t*> record_at(ReadelfFile& f, uint64_t offset, uint64_t size,
                                        const char* what) {
  auto bytes = f.data(offset, size, what);
  if (!bytes) return std::nullopt;
  return bytes->data();
}

void print_symbol_line(ReadelfFile& f, uint64_t si, const std::vector<Symbol>& symtab,
                       const Shdr* section, std::optional<std::span<const uint8_t>> strtab) {
  Text& o = f.out;
  const Symbol& sym = symtab[si];
  unsigned machine = f.hdr.machine, osabi = f.hdr.ident[EI_OSABI];
  o.f("%6lld: ", static_cast<long long>(si));
  f.print_vma(sym.value, Vma::long_hex);
  o.put(' ');
  f.print_vma(sym.size, Vma::dec5);
  o.f(" %-7s", symbol_type_name(sym.type(), machine, osabi).c_str());
  o.f(" %-6s", symbol_binding_name(sym.bind(), osabi).c_str());
  if (osabi == ELFOSABI_SOLARIS) {
    static const char* solaris[] = {"EXPORTED", "SINGLETON", "ELIMINATE"};
    unsigned v = sym.other;
    o.f(" %-7s", v >= 4 && v <= 6 ? solaris[v - 4] : symbol_visibility_name(v).c_str());
  } else {
    unsigned vis = sym.other & 3;
    o.f(" %-7s", symbol_visibility_name(vis).c_str());
    if (sym.other ^ vis) o.f(" [%s] ", symbol_other_name(sym.other ^ vis, machine).c_str());
  }
  o.f(" %4s ", symbol_index_name(sym.shndx, machine, osabi, f.shnum).c_str());

  std::string_view name;
  if (sym.type() == STT_SECTION && sym.shndx < f.shnum && f.have_sections && sym.name == 0) {
    const Shdr& s = f.sections[sym.shndx];
    name = f.section_name_valid(s) ? f.section_name(s) : "<corrupt>";
  } else {
    name = strtab && sym.name < strtab->size() ? c_string(*strtab, sym.name) : "<corrupt>";
  }
  bool is_dynsym = section == nullptr || section->type == SHT_DYNSYM;
  auto version = symbol_version(f, is_dynsym, strtab, si, sym);

  // Without -W the name gets what is left of 21 columns after the version.
  int len_avail = 21;
  if (!f.opt.wide && version) {
    len_avail -= 1 + static_cast<int>(version->name.size());
    if (version->kind == VersionKind::undefined) {
      char buffer[16];
      len_avail -= std::snprintf(buffer, sizeof buffer, " (%d)", version->vna_other);
    } else if (version->kind != VersionKind::hidden) {
      len_avail -= 1;
    }
  }
  f.print_symbol(len_avail, name);
  if (version) {
    if (version->kind == VersionKind::undefined)
      o.f("@%s (%d)", version->name.c_str(), version->vna_other);
    else
      o.f(version->kind == VersionKind::hidden ? "@%s" : "@@%s", version->name.c_str());
  }
  o.put('\n');
  if (sym.bind() == STB_LOCAL && section && si >= section->info && machine != EM_MIPS &&
      osabi != ELFOSABI_SOLARIS)
    f.warn("local symbol %llu found at index >= %s's sh_info value of %u", ul(si),
           f.printable_section_name(*section).c_str(), section->info);
}

void print_histogram_rows(ReadelfFile& f, const std::vector<uint64_t>& lengths, uint64_t nbuckets,
                          uint64_t maxlength, uint64_t nsyms) {
  std::vector<uint64_t> counts(maxlength + 1);
  for (uint64_t hn = 0; hn < nbuckets; ++hn) ++counts[lengths[hn]];
  if (nbuckets == 0) return;
  f.out.f("      0  %-10llu (%5.1f%%)\n", ul(counts[0]), (counts[0] * 100.0) / nbuckets);
  uint64_t nzero_counts = 0;
  for (uint64_t i = 1; i <= maxlength; ++i) {
    nzero_counts += counts[i] * i;
    f.out.f("%7llu  %-10llu (%5.1f%%)    %5.1f%%\n", ul(i), ul(counts[i]),
            (counts[i] * 100.0) / nbuckets, (nzero_counts * 100.0) / nsyms);
  }
}

void print_sysv_histogram(ReadelfFile& f) {
  f.out.f(f.nbuckets == 1 ? "\nHistogram for bucket list length (total of %llu bucket):\n"
                          : "\nHistogram for bucket list length (total of %llu buckets):\n",
          ul(f.nbuckets));
  std::vector<uint64_t> lengths(f.nbuckets);
  std::vector<char> visited(f.nchains);
  uint64_t maxlength = 0, nsyms = 0;
  f.out.f(" Length  Number     %% of total  Coverage\n");
  for (uint64_t hn = 0; hn < f.nbuckets; ++hn) {
    for (uint64_t si = f.buckets[hn]; si > 0;) {
      ++nsyms;
      if (maxlength < ++lengths[hn]) ++maxlength;
      if (si >= f.nchains || visited[si]) {
        f.error("histogram chain is corrupt");
        break;
      }
      visited[si] = 1;
      si = f.chains[si];
    }
  }
  print_histogram_rows(f, lengths, f.nbuckets, maxlength, nsyms);
}

void print_gnu_histogram(ReadelfFile& f) {
  const char* name = f.dynamic_info_mips_xhash ? ".MIPS.xhash" : ".gnu.hash";
  f.out.f(f.ngnubuckets == 1
              ? "\nHistogram for `%s' bucket list length (total of %llu bucket):\n"
              : "\nHistogram for `%s' bucket list length (total of %llu buckets):\n",
          name, ul(f.ngnubuckets));
  std::vector<uint64_t> lengths(f.ngnubuckets);
  uint64_t maxlength = 0, nsyms = 0;
  f.out.f(" Length  Number     %% of total  Coverage\n");
  for (uint64_t hn = 0; hn < f.ngnubuckets; ++hn) {
    if (f.gnubuckets[hn] == 0) continue;
    uint64_t length = 1;
    for (uint64_t off = f.gnubuckets[hn] - f.gnusymidx;
         off < f.ngnuchains && (f.gnuchains[off] & 1) == 0; ++off)
      ++length;
    lengths[hn] = length;
    if (length > maxlength) maxlength = length;
    nsyms += length;
  }
  print_histogram_rows(f, lengths, f.ngnubuckets, maxlength, nsyms);
}

}  // namespace

std::optional<SymbolVersion> symbol_version(ReadelfFile& f, bool is_dynsym,
                                            std::optional<std::span<const uint8_t>> strtab,
                                            uint64_t si, const Symbol& sym) {
  uint64_t versym = f.version_info[DT_VERNEEDNUM - DT_VERSYM];
  if (!is_dynsym || versym == 0) return std::nullopt;
  uint64_t table = f.offset_from_vma(versym, 2 + si * 2);
  auto entry = record_at(f, table + si * 2, 2, "version data");
  if (!entry) return std::nullopt;
  unsigned vers_data = static_cast<unsigned>(f.get(*entry, 2));
  if (vers_data == 0) return std::nullopt;

  auto name_at = [&](uint64_t offset) -> std::string {
    return strtab && offset < strtab->size() ? std::string(c_string(*strtab, offset))
                                             : std::string("<corrupt>");
  };
  SymbolVersion result;
  result.kind = (vers_data & 0x8000) ? VersionKind::hidden : VersionKind::public_;
  unsigned max_vd_ndx = 0;

  // Defined symbols normally have a definition, undefined ones a need; but
  // copy-relocated data is defined and versioned by a need, so both lists
  // are searched.
  uint64_t verdef = f.version_info[DT_VERNEEDNUM - DT_VERDEF];
  if (sym.shndx != SHN_UNDEF && vers_data != 0x8001 && verdef) {
    uint64_t off = f.offset_from_vma(verdef, 20);
    unsigned vd_ndx = 0, vd_flags = 0;
    uint64_t vd_aux = 0, vd_next = 0;
    do {
      if (auto d = record_at(f, off, 20, "version def")) {
        vd_flags = static_cast<unsigned>(f.get(*d + 2, 2));
        vd_ndx = static_cast<unsigned>(f.get(*d + 4, 2));
        vd_aux = f.get(*d + 12, 4);
        vd_next = f.get(*d + 16, 4);
      } else {
        vd_ndx = vd_flags = 0;
        vd_aux = vd_next = 0;
      }
      if ((vd_ndx & 0x7fff) > max_vd_ndx) max_vd_ndx = vd_ndx & 0x7fff;
      off += vd_next;
    } while (vd_ndx != (vers_data & 0x7fff) && vd_next != 0);
    if (vd_ndx == (vers_data & 0x7fff)) {
      if (vd_ndx == 1 && vd_flags == VER_FLG_BASE) return std::nullopt;
      off -= vd_next;
      off += vd_aux;
      if (auto a = record_at(f, off, 8, "version def aux")) {
        uint64_t vda_name = f.get(*a, 4);
        if (sym.name != vda_name) {
          result.name = name_at(vda_name);
          return result;
        }
      }
    }
  }

  uint64_t verneed = f.version_info[DT_VERNEEDNUM - DT_VERNEED];
  if (verneed) {
    uint64_t offset = f.offset_from_vma(verneed, 16);
    unsigned vna_other = 0;
    uint64_t vna_name = 0, vn_next = 0;
    do {
      auto n = record_at(f, offset, 16, "version need");
      if (!n) {
        vna_other = 0;
        vna_name = 0;
        break;
      }
      uint64_t vn_aux = f.get(*n + 8, 4);
      vn_next = f.get(*n + 12, 4);
      uint64_t vna_off = offset + vn_aux;
      uint64_t vna_next = 0;
      do {
        if (auto a = record_at(f, vna_off, 16, "version need aux (3)")) {
          vna_other = static_cast<unsigned>(f.get(*a + 6, 2));
          vna_next = f.get(*a + 12, 4);
          vna_name = f.get(*a + 8, 4);
        } else {
          vna_next = 0;
          vna_other = 0;
          vna_name = 0;
        }
        vna_off += vna_next;
      } while (vna_other != vers_data && vna_next != 0);
      if (vna_other == vers_data) break;
      offset += vn_next;
    } while (vn_next != 0);
    if (vna_other == vers_data) {
      result.kind = VersionKind::undefined;
      result.vna_other = vna_other;
      result.name = name_at(vna_name);
      return result;
    }
    if ((max_vd_ndx || (vers_data & 0x7fff) != 1) && (vers_data & 0x7fff) > max_vd_ndx) {
      result.name = "<corrupt>";
      return result;
    }
  }
  return std::nullopt;
}

bool process_symbol_table(ReadelfFile& f) {
  Text& o = f.out;
  if (!f.opt.symbols && !f.opt.dyn_syms && !f.opt.histogram) return true;
  if ((f.opt.dyn_syms || f.opt.symbols) && f.have_sections) {
    for (uint32_t i = 0; i < f.shnum; ++i) {
      const Shdr& section = f.sections[i];
      if ((section.type != SHT_SYMTAB && section.type != SHT_DYNSYM) ||
          (!f.opt.symbols && section.type == SHT_SYMTAB))
        continue;
      std::string name = f.printable_section_name(section);
      if (section.entsize == 0) {
        o.f("\nSymbol table '%s' has a sh_entsize of zero!\n", name.c_str());
        continue;
      }
      uint64_t count = section.size / section.entsize;
      o.f(count == 1 ? "\nSymbol table '%s' contains %llu entry:\n"
                     : "\nSymbol table '%s' contains %llu entries:\n",
          name.c_str(), ul(count));
      o.put(f.is32 ? "   Num:    Value  Size Type    Bind   Vis      Ndx Name\n"
                   : "   Num:    Value          Size Type    Bind   Vis      Ndx Name\n");
      auto symtab = f.symbols_of(section, static_cast<int>(i));
      if (!symtab) continue;
      std::optional<std::span<const uint8_t>> strtab;
      if (section.link == f.shstrndx) {
        strtab = f.string_table;
      } else if (section.link < f.shnum) {
        const Shdr& strsec = f.sections[section.link];
        strtab = f.data(strsec.offset, strsec.size, "string table");
      }
      for (uint64_t si = 0; si < symtab->size(); ++si)
        print_symbol_line(f, si, *symtab, &section, strtab);
    }
  } else if (f.opt.symbols) {
    o.put("\nDynamic symbol information is not available for displaying symbols.\n");
  }

  if (f.opt.histogram && !f.buckets.empty()) print_sysv_histogram(f);
  if (f.opt.histogram && !f.gnubuckets.empty()) print_gnu_histogram(f);
  return true;
}

}  // namespace linkbox::elf::readelf
