// Fuzz target: the readelf printers (libelf/readelf*.cc), on inputs checked
// only as far as the ELF header, as the personality takes them. They read what the
// other targets do not: relocation tables, raw version records, the SysV and
// GNU hash tables behind the histogram, note contents, section groups, and
// the string tables all of these point into. The whole report (-a) runs on
// the input, with and without -W (the narrow layout truncates names, which
// has its own arithmetic), and --dyn-syms on its own (a different path
// through the symbol pass).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>

#include "libelf/elf-file.h"
#include "libelf/readelf.h"
#include "test/fuzz/fuzz-common.h"

namespace {

namespace elf = linkbox::elf;

std::FILE* sink() {
  static std::FILE* f = std::fopen("/dev/null", "w");
  return f;
}

elf::ReadelfOptions everything(bool wide) {
  elf::ReadelfOptions o;
  o.file_header = o.section_headers = o.section_groups = o.program_headers = true;
  o.dynamic = o.relocs = o.unwind = o.symbols = o.histogram = o.version_info = true;
  o.notes = o.arch_specific = true;
  o.wide = wide;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The personality reads everything past the ELF header itself.
  auto f = elf::ElfFile::parse_header("fuzz-input", std::span<const uint8_t>(data, size));
  if (!f) {
    linkbox::fuzz::keep(linkbox::fuzz::touch(f.error().message));
    return 0;
  }
  unsigned v = 0;
  v += elf::print_readelf_report(*f, everything(false), sink());
  v += elf::print_readelf_report(*f, everything(true), sink());
  elf::ReadelfOptions dyn_syms;
  dyn_syms.dyn_syms = true;
  v += elf::print_readelf_report(*f, dyn_syms, sink());
  linkbox::fuzz::keep(v);
  return 0;
}
