// readelf -l: program headers and the section-to-segment mapping.
//
// The pass also runs without -l: it finds the dynamic section (preferring
// the .dynamic section's bounds to PT_DYNAMIC's when both exist) and the
// program interpreter, which -d prints beside a DT_NEEDED that names it.
#include "libelf/readelf-file.h"
#include "libelf/readelf-names.h"

namespace linkbox::elf::readelf {
namespace {

unsigned long long ul(uint64_t v) { return v; }

void print_segment(ReadelfFile& f, const Phdr& p) {
  Text& o = f.out;
  o.f("  %-14.14s ", segment_type_name(p.type, f.hdr.machine, f.hdr.ident[EI_OSABI]).c_str());
  char r = p.flags & PF_R ? 'R' : ' ', w = p.flags & PF_W ? 'W' : ' ', e = p.flags & PF_X ? 'E' : ' ';
  if (f.is32) {
    o.f("0x%6.6llx ", ul(p.offset));
    o.f("0x%8.8llx ", ul(p.vaddr));
    o.f("0x%8.8llx ", ul(p.paddr));
    o.f("0x%5.5llx ", ul(p.filesz));
    o.f("0x%5.5llx ", ul(p.memsz));
    o.f("%c%c%c ", r, w, e);
    o.f("%#llx", ul(p.align));
  } else if (f.opt.wide) {
    o.f("0x%6.6llx ", ul(p.offset));
    f.print_vma(p.vaddr, Vma::full_hex);
    o.put(' ');
    f.print_vma(p.paddr, Vma::full_hex);
    o.put(' ');
    o.f("0x%6.6llx ", ul(p.filesz));
    o.f("0x%6.6llx", ul(p.memsz));
    o.f(" %c%c%c ", r, w, e);
    o.f("%#llx", ul(p.align));
  } else {
    f.print_vma(p.offset, Vma::full_hex);
    o.put(' ');
    f.print_vma(p.vaddr, Vma::full_hex);
    o.put(' ');
    f.print_vma(p.paddr, Vma::full_hex);
    o.f("\n                 ");
    f.print_vma(p.filesz, Vma::full_hex);
    o.put(' ');
    f.print_vma(p.memsz, Vma::full_hex);
    o.f("  %c%c%c    ", r, w, e);
    f.print_vma(p.align, Vma::prefix_hex);
  }
  o.put('\n');
}

// Whether a section belongs in a segment's line of the mapping: binutils'
// ELF_SECTION_IN_SEGMENT_STRICT test, written out. .tbss is left out of
// every segment but PT_TLS.
bool section_in_segment(const Shdr& s, const Phdr& p) {
  bool tls = (s.flags & SHF_TLS) != 0;
  bool alloc = (s.flags & SHF_ALLOC) != 0;
  bool tbss_special = tls && s.type == SHT_NOBITS && p.type != PT_TLS;
  if (tbss_special) return false;
  uint64_t size = s.size;

  // Only PT_LOAD, PT_GNU_RELRO and PT_TLS hold TLS sections; PT_TLS holds
  // nothing else and PT_PHDR nothing at all.
  bool tls_ok = tls ? (p.type == PT_TLS || p.type == PT_GNU_RELRO || p.type == PT_LOAD)
                    : (p.type != PT_TLS && p.type != PT_PHDR);
  if (!tls_ok) return false;

  // Loadable kinds of segment only hold SHF_ALLOC sections.
  bool alloc_only = p.type == PT_LOAD || p.type == PT_DYNAMIC || p.type == PT_GNU_EH_FRAME ||
                    p.type == PT_GNU_STACK || p.type == PT_GNU_RELRO || p.type == 0x6474e554 ||
                    (p.type >= 0x6474e555 && p.type <= 0x6474e555 + 4095);
  if (!alloc && alloc_only) return false;

  // File offsets inside the segment (not for NOBITS); the subtractions wrap
  // as they do in binutils, which is what makes a zero-size segment match.
  if (s.type != SHT_NOBITS) {
    if (s.offset < p.offset) return false;
    if (s.offset - p.offset > p.filesz - 1) return false;
    if (s.offset - p.offset + size > p.filesz) return false;
  }
  // Addresses inside the segment, for SHF_ALLOC sections.
  if (alloc) {
    if (s.addr < p.vaddr) return false;
    if (s.addr - p.vaddr > p.memsz - 1) return false;
    if (s.addr - p.vaddr + size > p.memsz) return false;
  }
  // No empty sections at the very start or end of PT_DYNAMIC or PT_NOTE.
  if ((p.type == PT_DYNAMIC || p.type == PT_NOTE) && s.size == 0 && p.memsz != 0) {
    bool inside_file = s.type == SHT_NOBITS ||
                       (s.offset > p.offset && s.offset - p.offset < p.filesz);
    bool inside_memory = !alloc || (s.addr > p.vaddr && s.addr - p.vaddr < p.memsz);
    if (!(inside_file && inside_memory)) return false;
  }
  return true;
}

void check_segment(ReadelfFile& f, const std::vector<Phdr>& phdrs, size_t i,
                   const Phdr*& previous_load, uint64_t& dynamic_addr, uint64_t& dynamic_size) {
  const Phdr& p = phdrs[i];
  switch (p.type) {
    case PT_LOAD:
      if (p.memsz < p.filesz) f.error("the segment's file size is larger than its memory size");
      previous_load = &p;
      break;
    case PT_PHDR: {
      if (i > 0 && previous_load) f.error("the PHDR segment must occur before any LOAD segment");
      if (f.hdr.machine != EM_PARISC) {
        size_t j = 1;
        for (; j < phdrs.size(); ++j) {
          const Phdr& l = phdrs[j];
          if (l.type == PT_LOAD && l.offset <= p.offset &&
              l.offset + l.filesz >= p.offset + p.filesz && l.vaddr <= p.vaddr &&
              l.vaddr + l.filesz >= p.vaddr + p.filesz)
            break;
        }
        if (j == phdrs.size()) f.error("the PHDR segment is not covered by a LOAD segment");
      }
      break;
    }
    case PT_DYNAMIC: {
      if (dynamic_addr) f.error("more than one dynamic segment");
      dynamic_addr = p.offset;
      dynamic_size = p.filesz;
      if (f.have_sections) {
        int d = f.find_section(".dynamic");
        if (d < 0 || f.sections[d].size == 0) {
          if (!(f.hdr.machine == EM_IA_64 && f.hdr.ident[EI_OSABI] == 13 /* ELFOSABI_OPENVMS */))
            f.error("no .dynamic section in the dynamic segment");
          break;
        }
        if (f.sections[d].type == SHT_NOBITS) {
          dynamic_addr = dynamic_size = 0;
          break;
        }
        dynamic_addr = f.sections[d].offset;
        dynamic_size = f.sections[d].size;
      }
      if (dynamic_addr > f.file_size() || dynamic_size > f.file_size() - dynamic_addr) {
        f.error("the dynamic segment offset + size exceeds the size of the file");
        dynamic_addr = dynamic_size = 0;
      }
      break;
    }
    case PT_INTERP:
      if (p.offset >= f.file_size() || p.filesz > f.file_size() - p.offset ||
          p.filesz - 1 >= static_cast<uint64_t>(-2)) {
        f.error("Unable to find program interpreter name");
      } else {
        auto bytes = f.elf.bytes().subspan(p.offset, p.filesz);
        f.program_interpreter = std::string(c_string(bytes, 0));
        if (f.opt.program_headers)
          f.out.f("      [Requesting program interpreter: %s]\n", f.program_interpreter->c_str());
      }
      break;
  }
}

}  // namespace

void process_program_headers(ReadelfFile& f) {
  Text& o = f.out;
  if (f.phnum == 0) {
    if (f.hdr.phoff != 0)
      f.warn("possibly corrupt ELF header - it has a non-zero program header offset, but no "
             "program headers");
    else if (f.opt.program_headers)
      o.f("\nThere are no program headers in this file.\n");
    f.dynamic_addr = 0;
    f.dynamic_size = 1;
    return;
  }
  if (f.opt.program_headers && !f.opt.file_header) {
    o.f("\nElf file type is %s\n", readelf_file_type(f).c_str());
    o.f("Entry point 0x%llx\n", ul(f.hdr.entry));
    o.f(f.phnum == 1 ? "There is %d program header, starting at offset %llu\n"
                     : "There are %d program headers, starting at offset %llu\n",
        f.phnum, ul(f.hdr.phoff));
  }
  const std::vector<Phdr>* phdrs = f.program_headers();
  if (!phdrs) {
    f.dynamic_addr = 0;
    f.dynamic_size = 1;
    return;
  }
  if (f.opt.program_headers) {
    o.f("\nProgram Headers:\n");
    if (f.is32)
      o.f("  Type           Offset   VirtAddr   PhysAddr   FileSiz MemSiz  Flg Align\n");
    else if (f.opt.wide)
      o.f("  Type           Offset   VirtAddr           PhysAddr           FileSiz  MemSiz   Flg Align\n");
    else
      o.f("  Type           Offset             VirtAddr           PhysAddr\n"
          "                 FileSiz            MemSiz              Flags  Align\n");
  }
  const Phdr* previous_load = nullptr;
  uint64_t dynamic_addr = 0, dynamic_size = 0;
  for (size_t i = 0; i < phdrs->size(); ++i) {
    if (f.opt.program_headers) print_segment(f, (*phdrs)[i]);
    check_segment(f, *phdrs, i, previous_load, dynamic_addr, dynamic_size);
  }
  if (f.opt.program_headers && f.have_sections && f.string_table) {
    o.f("\n Section to Segment mapping:\n");
    o.f("  Segment Sections...\n");
    for (size_t i = 0; i < phdrs->size(); ++i) {
      o.f("   %2.2d     ", static_cast<int>(i));
      for (uint32_t j = 1; j < f.shnum; ++j)
        if (section_in_segment(f.sections[j], (*phdrs)[i]))
          o.f("%s ", f.printable_section_name(f.sections[j]).c_str());
      o.put('\n');
    }
  }
  f.dynamic_addr = dynamic_addr;
  f.dynamic_size = dynamic_size ? dynamic_size : 1;
}

}  // namespace linkbox::elf::readelf
