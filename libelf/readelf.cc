// The readelf report for one file: the passes in readelf's order.
#include "libelf/readelf.h"

#include "libelf/readelf-file.h"

namespace linkbox::elf {

bool print_readelf_report(const ElfFile& file, const ReadelfOptions& options, std::FILE* out) {
  readelf::ReadelfFile f(file, options, out);
  if (options.show_file_name) f.out.f("\nFile: %s\n", file.path().c_str());
  bool ok = readelf::process_file_header(f);
  if (!readelf::process_section_headers(f)) {
    // Without section headers readelf has nothing to find these in.
    f.opt.unwind = f.opt.version_info = f.opt.arch_specific = false;
    f.opt.symbols = f.opt.dyn_syms = f.opt.relocs = false;
  }
  if (!readelf::process_section_groups(f)) f.opt.unwind = false;
  readelf::process_program_headers(f);
  ok = readelf::process_dynamic_section(f) && ok;
  ok = readelf::process_relocs(f) && ok;
  ok = readelf::process_unwind(f) && ok;
  ok = readelf::process_symbol_table(f) && ok;
  ok = readelf::process_version_sections(f) && ok;
  ok = readelf::process_notes(f) && ok;
  ok = readelf::process_gnu_liblist(f) && ok;
  ok = readelf::process_arch_specific(f) && ok;
  f.out.flush();
  return ok && f.ok;
}

}  // namespace linkbox::elf
