// Fuzz target: linkbox::macho::read_summary, the Mach-O header reader.
#include <cstddef>
#include <cstdint>
#include <span>

#include "libformat/file-type.h"
#include "libmacho/macho-file.h"
#include "test/fuzz/fuzz-common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  // The tools only call the reader on what identify_file calls Mach-O, but the
  // reader must not depend on that, so it sees every input.
  auto summary = linkbox::macho::read_summary("fuzz-input", bytes);
  unsigned v = 0;
  if (summary) {
    v += summary->fat + summary->is64 + summary->cputype + summary->slices;
  } else {
    v += linkbox::fuzz::touch(summary.error().file) + linkbox::fuzz::touch(summary.error().message);
  }
  v += static_cast<unsigned>(linkbox::identify_file(bytes));
  linkbox::fuzz::keep(v);
  return 0;
}
