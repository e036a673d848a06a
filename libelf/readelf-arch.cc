// The parts of readelf -a that depend on the machine: -u (unwind tables)
// and -A (build attributes, and the prelink library list).
//
// readelf decodes unwind tables only for IA-64, HP-PA, ARM and C6000, and
// on x86 says there is nothing processor-specific to decode. linkbox
// decodes none: for ARM and C6000 files without an unwind index it prints
// what readelf prints; where there is a table to decode (and on IA-64 and
// HP-PA) it says decoding is not supported, in readelf's words for other
// machines, and warns. Attribute sections are not decoded either (a
// warning says so).
#include <ctime>

#include "libelf/readelf-file.h"
#include "libelf/readelf-names.h"

namespace linkbox::elf::readelf {

bool process_unwind(ReadelfFile& f) {
  if (!f.opt.unwind) return true;
  unsigned machine = f.hdr.machine;
  if (machine == EM_386 || machine == EM_X86_64) {
    f.out.put("No processor specific unwind information to decode\n");
    return true;
  }
  if (machine == EM_ARM || machine == 140) {
    // ARM EHABI index tables (SHT_ARM_EXIDX, SHT_C6000_UNWIND: both 0x70000001).
    if (!f.string_table) return false;
    bool have_index = false;
    for (uint32_t i = 0; i < f.shnum; ++i) {
      const Shdr& s = f.sections[i];
      if (s.type == SHT_SYMTAB) {
        std::vector<Symbol> symbols;
        std::optional<std::span<const uint8_t>> strings;
        if (!f.symtab_with_strings(static_cast<int>(i), symbols, strings)) return false;
      } else if (s.type == 0x70000001) {
        have_index = true;
      }
    }
    if (!have_index) {
      f.out.put("\nThere are no unwind sections in this file.\n");
      return true;
    }
  }
  if (machine == EM_ARM || machine == EM_IA_64 || machine == EM_PARISC || machine == 140)
    f.warn("decoding unwind sections of this machine is not supported");
  f.out.f("\nThe decoding of unwind sections for machine type %s is not currently supported.\n",
          machine_long_name(machine).c_str());
  return true;
}

bool process_gnu_liblist(ReadelfFile& f) {
  if (!f.opt.arch_specific) return true;
  bool res = true;
  for (uint32_t i = 0; i < f.shnum && f.have_sections; ++i) {
    const Shdr& section = f.sections[i];
    if (section.type != 0x6ffffff7 || section.link >= f.shnum) continue;  // SHT_GNU_LIBLIST
    auto entries = f.data(section.offset, section.size, "liblist section data");
    if (!entries) {
      res = false;
      continue;
    }
    const Shdr& string_sec = f.sections[section.link];
    auto strtab = f.data(string_sec.offset, string_sec.size, "liblist string table");
    if (!strtab || section.entsize != 20) {
      res = false;
      continue;
    }
    uint64_t count = section.size / 20;
    f.out.f("\nLibrary list section '%s' contains %llu entries:\n",
            f.printable_section_name(section).c_str(), static_cast<unsigned long long>(count));
    f.out.put("     Library              Time Stamp          Checksum   Version Flags\n");
    for (uint64_t cnt = 0; cnt < count; ++cnt) {
      const uint8_t* e = entries->data() + cnt * 20;
      uint64_t name = f.get(e, 4);
      std::time_t stamp = static_cast<std::time_t>(f.get(e + 4, 4));
      std::tm tm{};
      gmtime_r(&stamp, &tm);
      char timebuf[128];
      std::snprintf(timebuf, sizeof timebuf, "%04u-%02u-%02uT%02u:%02u:%02u", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
      std::string lib = name < strtab->size() ? std::string(c_string(*strtab, name)) : "<corrupt>";
      f.out.f("%3zu: ", static_cast<size_t>(cnt));
      f.out.f(f.opt.wide ? "%-20s" : "%-20.20s", lib.c_str());
      f.out.f(" %s %#010lx %-7ld %-7ld\n", timebuf, static_cast<unsigned long>(f.get(e + 8, 4)),
              static_cast<long>(f.get(e + 12, 4)), static_cast<long>(f.get(e + 16, 4)));
    }
  }
  return res;
}

bool process_arch_specific(ReadelfFile& f) {
  if (!f.opt.arch_specific) return true;
  // The attribute sections readelf would decode for this machine.
  uint32_t attributes_type = 0x6ffffff5;  // SHT_GNU_ATTRIBUTES
  switch (f.hdr.machine) {
    case EM_ARM: attributes_type = 0x70000003; break;
    case EM_RISCV: attributes_type = 0x70000003; break;
    case 45: case 93: case 195: attributes_type = 0x70000001; break;
    case 140: attributes_type = 0x70000003; break;
    case 252: attributes_type = 0x70000001; break;
    case 105: attributes_type = 0x70000003; break;
  }
  for (uint32_t i = 0; i < f.shnum && f.have_sections; ++i)
    if (f.sections[i].type == attributes_type) {
      f.warn("attribute section %s is not decoded",
             f.printable_section_name(f.sections[i]).c_str());
      break;
    }
  return true;
}

}  // namespace linkbox::elf::readelf
