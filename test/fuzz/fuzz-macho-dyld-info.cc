// Fuzz target: the rebase and bind opcode decoders (libmacho/dyld-info.h) and
// their llvm-objdump-style printers, on a made-up image.
//
// Input layout:
//   byte 0       bits 0-1: segments - 1; bit 2: 32-bit pointers; bits 3-7:
//                the number of dylibs
//   bytes 1-8    for each of up to four segments, a 16-bit vmsize in units of
//                8 bytes (so at most 512 KiB); its data is the whole input
//   the rest     the opcode stream, decoded as rebase, bind, weak-bind and
//                lazy-bind opcodes in turn
// Each segment has two sections splitting it, so section lookups run too.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libmacho/dyld-info-print.h"
#include "libmacho/dyld-info.h"
#include "test/fuzz/fuzz-common.h"

using namespace linkbox::macho;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 9) return 0;
  std::span<const uint8_t> input(data, size);
  const unsigned nseg = (data[0] & 3) + 1;
  std::vector<Segment> segments;
  for (unsigned i = 0; i < nseg; ++i) {
    Segment s;
    s.name = "__SEG" + std::to_string(i);
    s.vmaddr = uint64_t(i) << 20;
    s.vmsize = uint64_t(data[1 + 2 * i] | data[2 + 2 * i] << 8) * 8;
    s.fileoff = 0;
    s.filesize = std::min<uint64_t>(s.vmsize, size);
    for (int half = 0; half < 2; ++half) {
      Section sec;
      sec.segname = s.name;
      sec.sectname = half ? "__second" : "__first";
      sec.addr = s.vmaddr + half * (s.vmsize / 2);
      sec.size = s.vmsize / 2;
      s.sections.push_back(sec);
    }
    segments.push_back(std::move(s));
  }
  FixupContext ctx;
  ctx.path = "fuzz-input";
  ctx.segments = segments;
  ctx.image = input;
  ctx.is64 = !(data[0] & 4);
  ctx.dylib_count = data[0] >> 3;
  PrintContext pctx;
  pctx.segments = segments;
  pctx.is64 = ctx.is64;
  for (uint32_t i = 0; i < ctx.dylib_count; ++i) pctx.dylib_short_names.push_back("lib" + std::to_string(i));

  std::span<const uint8_t> opcodes = input.subspan(9);
  unsigned v = 0;
  auto rebases = decode_rebase_opcodes(opcodes, ctx);
  if (rebases) v += linkbox::fuzz::touch(print_rebase_table(*rebases, pctx));
  else v += linkbox::fuzz::touch(rebases.error().message);
  for (BindKind kind : {BindKind::regular, BindKind::weak, BindKind::lazy}) {
    auto binds = decode_bind_opcodes(opcodes, kind, ctx);
    if (!binds) {
      v += linkbox::fuzz::touch(binds.error().message);
      continue;
    }
    v += linkbox::fuzz::touch(kind == BindKind::weak   ? print_weak_bind_table(*binds, pctx)
                              : kind == BindKind::lazy ? print_lazy_bind_table(*binds, pctx)
                                                       : print_bind_table(*binds, pctx));
  }
  linkbox::fuzz::keep(v);
  return 0;
}
