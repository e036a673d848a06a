// Fuzz target: the export trie decoder (libmacho/export-trie.h) and its
// llvm-objdump-style printer. The whole input is the trie.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "libmacho/dyld-info-print.h"
#include "libmacho/export-trie.h"
#include "test/fuzz/fuzz-common.h"

using namespace linkbox::macho;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<Segment> segments(1);
  segments[0].name = "__TEXT";
  segments[0].vmaddr = 0x100000000;
  segments[0].filesize = 0x4000;
  PrintContext pctx;
  pctx.segments = segments;
  pctx.dylib_short_names = {"libone", "libtwo"};
  unsigned v = 0;
  auto entries = decode_export_trie(std::span<const uint8_t>(data, size), "fuzz-input");
  if (entries) {
    for (const ExportEntry& e : *entries) v += linkbox::fuzz::touch(e.name) + linkbox::fuzz::touch(e.import_name);
    v += linkbox::fuzz::touch(print_exports_trie(*entries, pctx));
  } else {
    v += linkbox::fuzz::touch(entries.error().message);
  }
  linkbox::fuzz::keep(v);
  return 0;
}
