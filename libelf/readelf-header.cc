// readelf -h: the ELF file header.
//
// Section header 0 is read first because extended numbering keeps the real
// program header count, section count and section-name-table index there;
// readelf prints the header's own value followed by the real one in
// parentheses, and uses the real one from then on.
#include "libelf/readelf-file.h"
#include "libelf/readelf-names.h"

namespace linkbox::elf::readelf {
namespace {

// readelf's probe of the first section header; nothing (and no message)
// when it cannot be read.
std::optional<Shdr> first_section_header(ReadelfFile& f) {
  size_t entry = f.is32 ? 40 : 64;
  if (f.hdr.shoff == 0 || f.hdr.shentsize < entry) return std::nullopt;
  auto bytes = f.data(f.hdr.shoff, f.hdr.shentsize, nullptr);
  if (!bytes) return std::nullopt;
  return f.elf.codec().read_shdr(bytes->data());
}

std::string file_type(ReadelfFile& f) {
  unsigned type = f.hdr.type;
  switch (type) {
    case ET_NONE: return "NONE (None)";
    case ET_REL: return "REL (Relocatable file)";
    case ET_EXEC: return "EXEC (Executable file)";
    case ET_DYN:
      return f.is_pie() ? "DYN (Position-Independent Executable file)" : "DYN (Shared object file)";
    case ET_CORE: return "CORE (Core file)";
  }
  char buf[64];
  if (type >= ET_LOPROC && type <= ET_HIPROC)
    std::snprintf(buf, sizeof buf, "Processor Specific: (%x)", type);
  else if (type >= ET_LOOS && type <= ET_HIOS)
    std::snprintf(buf, sizeof buf, "OS Specific: (%x)", type);
  else
    std::snprintf(buf, sizeof buf, "<unknown>: %x", type);
  return buf;
}

}  // namespace

std::string readelf_file_type(ReadelfFile& f) { return file_type(f); }

bool process_file_header(ReadelfFile& f) {
  const Ehdr& h = f.hdr;
  std::optional<Shdr> first = first_section_header(f);
  if (f.opt.file_header) {
    Text& o = f.out;
    o.f("ELF Header:\n");
    o.f("  Magic:   ");
    for (int i = 0; i < EI_NIDENT; ++i) o.f("%2.2x ", h.ident[i]);
    o.f("\n");
    o.f("  Class:                             %s\n", elf_class_name(h.ident[EI_CLASS]).c_str());
    o.f("  Data:                              %s\n", data_encoding_name(h.ident[EI_DATA]).c_str());
    unsigned version = h.ident[EI_VERSION];
    o.f("  Version:                           %d%s\n", version,
        version == EV_CURRENT ? " (current)" : version != EV_NONE ? " <unknown>" : "");
    o.f("  OS/ABI:                            %s\n",
        osabi_name(h.ident[EI_OSABI], h.machine).c_str());
    o.f("  ABI Version:                       %d\n", h.ident[EI_ABIVERSION]);
    o.f("  Type:                              %s\n", file_type(f).c_str());
    o.f("  Machine:                           %s\n", machine_long_name(h.machine).c_str());
    o.f("  Version:                           0x%lx\n", static_cast<unsigned long>(h.version));
    o.f("  Entry point address:               ");
    f.print_vma(h.entry, Vma::prefix_hex);
    o.f("\n  Start of program headers:          ");
    f.print_vma(h.phoff, Vma::dec);
    o.f(" (bytes into file)\n  Start of section headers:          ");
    f.print_vma(h.shoff, Vma::dec);
    o.f(" (bytes into file)\n");
    o.f("  Flags:                             0x%lx%s\n", static_cast<unsigned long>(h.flags),
        machine_flags(h.flags, h.machine, h.ident[EI_OSABI]).c_str());
    o.f("  Size of this header:               %u (bytes)\n", h.ehsize);
    o.f("  Size of program headers:           %u (bytes)\n", h.phentsize);
    o.f("  Number of program headers:         %u", f.phnum);
    if (first && f.phnum == PN_XNUM && first->info != 0) o.f(" (%u)", first->info);
    o.put('\n');
    o.f("  Size of section headers:           %u (bytes)\n", h.shentsize);
    o.f("  Number of section headers:         %u", f.shnum);
    if (first && f.shnum == SHN_UNDEF) {
      f.shnum = static_cast<uint32_t>(first->size);
      o.f(" (%u)", f.shnum);
    }
    o.put('\n');
    o.f("  Section header string table index: %u", f.shstrndx);
    if (first && f.shstrndx == SHN_XINDEX) {
      f.shstrndx = first->link;
      o.f(" (%u)", f.shstrndx);
    }
    if (f.shstrndx != SHN_UNDEF && f.shstrndx >= f.shnum) {
      f.shstrndx = SHN_UNDEF;
      o.f(" <corrupt: out of range>");
    }
    o.put('\n');
  }
  if (first) {
    if (f.phnum == PN_XNUM && first->info != 0) f.phnum = first->info;
    if (f.shnum == SHN_UNDEF) f.shnum = static_cast<uint32_t>(first->size);
    if (f.shstrndx == SHN_XINDEX) f.shstrndx = first->link;
    if (f.shstrndx >= f.shnum) f.shstrndx = SHN_UNDEF;
  }
  return true;
}

}  // namespace linkbox::elf::readelf
