// readelf -V: version definitions (.gnu.version_d), version needs
// (.gnu.version_r) and the version index of every dynamic symbol
// (.gnu.version).
#include "libelf/readelf-file.h"

namespace linkbox::elf::readelf {
namespace {

unsigned long long ul(uint64_t v) { return v; }

std::string version_flags(unsigned flags) {
  if (flags == 0) return "none";
  std::string buff;
  if (flags & VER_FLG_BASE) buff += "BASE";
  if (flags & VER_FLG_WEAK) {
    if (flags & VER_FLG_BASE) buff += " | ";
    buff += "WEAK";
  }
  if (flags & 0x4) {  // VER_FLG_INFO
    if (flags & (VER_FLG_BASE | VER_FLG_WEAK)) buff += " | ";
    buff += "INFO";
  }
  if (flags & ~(VER_FLG_BASE | VER_FLG_WEAK | 0x4u)) {
    if (flags & (VER_FLG_BASE | VER_FLG_WEAK | 0x4u)) buff += " | ";
    buff += "<unknown>";
  }
  return buff;
}

bool valid_dynamic_name(const ReadelfFile& f, uint64_t offset) {
  return f.dynamic_strings && offset < f.dynamic_strings->size();
}

std::string dynamic_name(const ReadelfFile& f, uint64_t offset) {
  return std::string(c_string(*f.dynamic_strings, offset));
}

void print_section_intro(ReadelfFile& f, const Shdr& section, const char* what, uint64_t count,
                         const std::string& link_name) {
  f.out.f(count == 1 ? "\n%s section '%s' contains %llu entry:\n"
                     : "\n%s section '%s' contains %llu entries:\n",
          what, f.printable_section_name(section).c_str(), ul(count));
  f.out.f(" Addr: 0x%016llx", ul(section.addr));
  f.out.f("  Offset: 0x%08llx  Link: %u (%s)\n", ul(section.offset), section.link, link_name.c_str());
}

void print_version_definitions(ReadelfFile& f, const Shdr& section) {
  Text& o = f.out;
  print_section_intro(f, section, "Version definition", section.info,
                      f.printable_section_name_from_index(section.link));
  auto contents = f.data(section.offset, section.size, "version definition section");
  if (!contents) return;
  const uint8_t* base = contents->data();
  size_t end = contents->size();
  size_t idx = 0, cnt = 0;
  for (; cnt < section.info; ++cnt) {
    if (idx + 20 > end) break;
    const uint8_t* d = base + idx;
    unsigned version = static_cast<unsigned>(f.get(d, 2));
    unsigned flags = static_cast<unsigned>(f.get(d + 2, 2));
    unsigned ndx = static_cast<unsigned>(f.get(d + 4, 2));
    unsigned count = static_cast<unsigned>(f.get(d + 6, 2));
    uint64_t aux = f.get(d + 12, 4);
    uint64_t next = f.get(d + 16, 4);
    o.f("  %#06zx: Rev: %d  Flags: %s", idx, version, version_flags(flags).c_str());
    o.f("  Index: %d  Cnt: %d  ", ndx, count);
    if (aux > end - idx) break;
    size_t vstart = idx + aux;
    if (vstart + 8 > end) break;
    uint64_t vda_name = f.get(base + vstart, 4);
    uint64_t vda_next = f.get(base + vstart + 4, 4);
    if (valid_dynamic_name(f, vda_name))
      o.f("Name: %s\n", dynamic_name(f, vda_name).c_str());
    else
      o.f("Name index: %ld\n", static_cast<long>(vda_name));
    size_t isum = idx + aux;
    unsigned j = 1;
    for (; j < count; ++j) {
      if (vda_next < 8 && !(j == count - 1 && vda_next == 0)) {
        f.warn("Invalid vda_next field of %lx", static_cast<unsigned long>(vda_next));
        j = count;
        break;
      }
      if (vda_next > end - vstart) break;
      isum += vda_next;
      vstart += vda_next;
      if (vstart + 8 > end) break;
      vda_name = f.get(base + vstart, 4);
      vda_next = f.get(base + vstart + 4, 4);
      if (valid_dynamic_name(f, vda_name))
        o.f("  %#06zx: Parent %d: %s\n", isum, j, dynamic_name(f, vda_name).c_str());
      else
        o.f("  %#06zx: Parent %d, name index: %ld\n", isum, j, static_cast<long>(vda_name));
    }
    if (j < count) o.f("  Version def aux past end of section\n");
    if (next < 20 && !(cnt == section.info - 1 && next == 0)) {
      f.warn("Invalid vd_next field of %lx", static_cast<unsigned long>(next));
      cnt = section.info;
      break;
    }
    if (next > end - idx) break;
    idx += next;
  }
  if (cnt < section.info) o.f("  Version definition past end of section\n");
}

void print_version_needs(ReadelfFile& f, const Shdr& section) {
  Text& o = f.out;
  print_section_intro(f, section, "Version needs", section.info,
                      f.printable_section_name_from_index(section.link));
  auto contents = f.data(section.offset, section.size, "Version Needs section");
  if (!contents) return;
  const uint8_t* base = contents->data();
  size_t end = contents->size();
  size_t idx = 0, cnt = 0;
  for (; cnt < section.info; ++cnt) {
    if (idx + 16 > end) break;
    const uint8_t* n = base + idx;
    unsigned version = static_cast<unsigned>(f.get(n, 2));
    unsigned count = static_cast<unsigned>(f.get(n + 2, 2));
    uint64_t file = f.get(n + 4, 4);
    uint64_t aux = f.get(n + 8, 4);
    uint64_t next = f.get(n + 12, 4);
    o.f("  %#06zx: Version: %d", idx, version);
    if (valid_dynamic_name(f, file))
      o.f("  File: %s", dynamic_name(f, file).c_str());
    else
      o.f("  File: %lx", static_cast<unsigned long>(file));
    o.f("  Cnt: %d\n", count);
    if (aux > end - idx) break;
    size_t vstart = idx + aux;
    size_t isum = idx + aux;
    unsigned j = 0;
    for (; j < count; ++j) {
      if (vstart + 16 > end) break;
      const uint8_t* a = base + vstart;
      unsigned vna_flags = static_cast<unsigned>(f.get(a + 4, 2));
      unsigned vna_other = static_cast<unsigned>(f.get(a + 6, 2));
      uint64_t vna_name = f.get(a + 8, 4);
      uint64_t vna_next = f.get(a + 12, 4);
      if (valid_dynamic_name(f, vna_name))
        o.f("  %#06zx:   Name: %s", isum, dynamic_name(f, vna_name).c_str());
      else
        o.f("  %#06zx:   Name index: %lx", isum, static_cast<unsigned long>(vna_name));
      o.f("  Flags: %s  Version: %d\n", version_flags(vna_flags).c_str(), vna_other);
      if (vna_next < 16 && !(j == count - 1 && vna_next == 0)) {
        f.warn("Invalid vna_next field of %lx", static_cast<unsigned long>(vna_next));
        j = count;
        break;
      }
      if (vna_next > end - vstart) break;
      isum += vna_next;
      vstart += vna_next;
    }
    if (j < count) f.warn("Missing Version Needs auxiliary information");
    if (next < 16 && !(cnt == section.info - 1 && next == 0)) {
      f.warn("Invalid vn_next field of %lx", static_cast<unsigned long>(next));
      cnt = section.info;
      break;
    }
    if (next > end - idx) break;
    idx += next;
  }
  if (cnt < section.info) f.warn("Missing Version Needs information");
}

// The name of version index `value` for the .gnu.version listing: looked up
// in the needs and then the definitions, as readelf does. When the
// definition's name record cannot be read readelf abandons the entry (no
// name and no padding): `abandoned` says so.
const char* kInvalid = "*invalid*";

struct VersionName {
  std::optional<std::string> name;
  bool abandoned = false;
};

VersionName version_name_for(ReadelfFile& f, unsigned value, std::span<const uint8_t> strtab) {
  std::optional<std::string> name;
  uint64_t verneed = f.version_info[DT_VERNEEDNUM - DT_VERNEED];
  if (verneed) {
    uint64_t offset = f.offset_from_vma(verneed, 16);
    uint64_t vn_next = 0;
    do {
      auto n = f.data(offset, 16, "version need");
      if (!n) break;
      uint64_t vn_aux = f.get(n->data() + 8, 4);
      vn_next = f.get(n->data() + 12, 4);
      uint64_t a_off = offset + vn_aux;
      unsigned vna_other = 0;
      uint64_t vna_next = 0, vna_name = 0;
      std::optional<std::span<const uint8_t>> last;
      do {
        last = f.data(a_off, 16, "version need aux (2)");
        if (!last) {
          vna_next = 0;
          vna_other = 0;
        } else {
          vna_next = f.get(last->data() + 12, 4);
          vna_other = static_cast<unsigned>(f.get(last->data() + 6, 2));
        }
        a_off += vna_next;
      } while (vna_other != value && vna_next != 0);
      if (vna_other == value) {
        // readelf takes the name from the last record it managed to read.
        vna_name = last ? f.get(last->data() + 8, 4) : 0;
        name = vna_name >= strtab.size() ? std::string(kInvalid)
                                         : std::string(c_string(strtab, vna_name));
        break;
      }
      offset += vn_next;
    } while (vn_next);
  }
  uint64_t verdef = f.version_info[DT_VERNEEDNUM - DT_VERDEF];
  if (value != 0x8001 && verdef) {
    uint64_t offset = f.offset_from_vma(verdef, 20);
    unsigned vd_ndx = 0;
    uint64_t vd_next = 0, vd_aux = 0;
    do {
      auto d = f.data(offset, 20, "version def");
      if (!d) {
        vd_next = 0;
        vd_ndx = (value & 0x7fff) + 1;
        break;
      }
      vd_next = f.get(d->data() + 16, 4);
      vd_ndx = static_cast<unsigned>(f.get(d->data() + 4, 2));
      vd_aux = f.get(d->data() + 12, 4);
      offset += vd_next;
    } while (vd_ndx != (value & 0x7fff) && vd_next != 0);
    if (vd_ndx == (value & 0x7fff)) {
      auto a = f.data(offset - vd_next + vd_aux, 8, "version def aux");
      if (!a) return {name, true};
      uint64_t vda_name = f.get(a->data(), 4);
      if (vda_name >= strtab.size())
        name = std::string(kInvalid);
      else if (name && *name != kInvalid)
        name = std::string("*both*");
      else
        name = std::string(c_string(strtab, vda_name));
    }
  }
  return {name, false};
}

void print_version_symbols(ReadelfFile& f, uint32_t index, bool& found) {
  Text& o = f.out;
  const Shdr& section = f.sections[index];
  if (section.link >= f.shnum) return;
  const Shdr& link = f.sections[section.link];
  uint64_t total = section.size / 2;
  if (link.link >= f.shnum) return;
  found = true;
  auto symbols = f.symbols_of(link, static_cast<int>(section.link));
  if (!symbols) return;
  const Shdr& string_sec = f.sections[link.link];
  auto strtab = f.data(string_sec.offset, string_sec.size, "version string table");
  if (!strtab) return;
  print_section_intro(f, section, "Version symbols", total, f.printable_section_name(link));
  uint64_t off = f.offset_from_vma(f.version_info[DT_VERNEEDNUM - DT_VERSYM], total * 2);
  auto raw = f.data(off, total * 2, "version symbol data");
  if (!raw) return;
  std::vector<unsigned> data(total);
  for (uint64_t i = 0; i < total; ++i) data[i] = static_cast<unsigned>(f.get(raw->data() + 2 * i, 2));
  for (uint64_t cnt = 0; cnt < total; cnt += 4) {
    o.f("  %03x:", static_cast<unsigned>(cnt));
    for (uint64_t j = 0; j < 4 && cnt + j < total; ++j) {
      unsigned value = data[cnt + j];
      if (value == 0) {
        o.put("   0 (*local*)    ");
        continue;
      }
      if (value == 1) {
        o.put("   1 (*global*)   ");
        continue;
      }
      int nn = o.f("%4x%c", value & 0x7fff, value & 0x8000 ? 'h' : ' ');
      if (cnt + j >= symbols->size()) {
        f.warn("invalid index into symbol array");
        continue;
      }
      VersionName version = version_name_for(f, value, *strtab);
      if (version.abandoned) continue;
      const auto& name = version.name;
      if (name) nn += o.f("(%s%-*s", name->c_str(), 12 - static_cast<int>(name->size()), ")");
      if (nn < 18) o.f("%*c", 18 - nn, ' ');
    }
    o.put('\n');
  }
}

}  // namespace

bool process_version_sections(ReadelfFile& f) {
  if (!f.opt.version_info) return true;
  bool found = false;
  for (uint32_t i = 0; i < f.shnum && f.have_sections; ++i) {
    switch (f.sections[i].type) {
      case SHT_GNU_verdef:
        found = true;
        print_version_definitions(f, f.sections[i]);
        break;
      case SHT_GNU_verneed:
        found = true;
        print_version_needs(f, f.sections[i]);
        break;
      case SHT_GNU_versym:
        print_version_symbols(f, i, found);
        break;
    }
  }
  if (!found) f.out.put("\nNo version information found in this file.\n");
  return true;
}

}  // namespace linkbox::elf::readelf
