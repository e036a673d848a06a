// The readelf-compatible report: what binutils 2.40's `readelf` prints for
// -h, -l, -S, -g, -d, -r, -u, -s, --dyn-syms, -I, -V, -n, -A and -W.
//
// The printers are split by concern (readelf-header.cc, readelf-sections.cc,
// readelf-segments.cc, readelf-dynamic.cc, readelf-relocs.cc,
// readelf-symbols.cc, readelf-versions.cc, readelf-notes.cc,
// readelf-arch.cc) and share one per-file state, ReadelfFile
// (readelf-file.h). The output must match binutils byte for byte, so the
// printers follow readelf's order of work, including the places where it
// reads the same table twice or prefers one source of truth over another.
#pragma once

#include <cstdio>

#include "libelf/elf-file.h"

namespace linkbox::elf {

struct ReadelfOptions {
  bool file_header = false;      // -h
  bool section_headers = false;  // -S
  bool section_groups = false;   // -g (part of -a)
  bool program_headers = false;  // -l
  bool dynamic = false;          // -d
  bool relocs = false;           // -r
  bool unwind = false;           // -u (part of -a)
  bool symbols = false;          // -s
  bool dyn_syms = false;         // --dyn-syms
  bool histogram = false;        // -I (part of -a)
  bool version_info = false;     // -V
  bool notes = false;            // -n
  bool arch_specific = false;    // -A (part of -a)
  bool wide = false;             // -W
  bool show_file_name = false;   // "File: NAME" first, as readelf does for several files
};

// Writes the report for one file to `out`. Problems readelf would warn about
// are reported on stderr as linkbox warnings, after flushing `out`, so the
// two streams interleave as readelf's do. Returns false where readelf would
// exit with status 1.
bool print_readelf_report(const ElfFile& file, const ReadelfOptions& options, std::FILE* out);

}  // namespace linkbox::elf
