// Fuzz target: the chained fixups decoder and chain walker
// (libmacho/chained-fixups.h) and their llvm-objdump-style printers, on a
// made-up image.
//
// Input layout:
//   byte 0       bits 0-1: segments - 1; bit 2: big-endian
//   bytes 1-2    the length L of the LC_DYLD_CHAINED_FIXUPS payload
//   bytes 3-14   for each of up to four segments: a 16-bit file offset into
//                the image and a 8-bit size, both in units of 64 bytes
//   L bytes      the payload
//   the rest     the image the segments map (their data, for the walk)
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libmacho/chained-fixups.h"
#include "libmacho/dyld-info-print.h"
#include "test/fuzz/fuzz-common.h"

using namespace linkbox::macho;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 15) return 0;
  const unsigned nseg = (data[0] & 3) + 1;
  const linkbox::ByteOrder order = data[0] & 4 ? linkbox::ByteOrder::big : linkbox::ByteOrder::little;
  size_t blob_size = std::min<size_t>(data[1] | data[2] << 8, size - 15);
  std::span<const uint8_t> blob(data + 15, blob_size);
  std::span<const uint8_t> image(data + 15 + blob_size, size - 15 - blob_size);
  std::vector<Segment> segments;
  for (unsigned i = 0; i < nseg; ++i) {
    const uint8_t* p = data + 3 + 3 * i;
    Segment s;
    s.name = "__SEG" + std::to_string(i);
    s.vmaddr = 0x100000000 + (uint64_t(i) << 16);
    s.fileoff = uint64_t(p[0] | p[1] << 8) * 64;
    s.filesize = uint64_t(p[2]) * 64;
    s.vmsize = s.filesize;
    Section sec;
    sec.segname = s.name;
    sec.sectname = "__data";
    sec.addr = s.vmaddr;
    sec.size = s.vmsize;
    s.sections.push_back(sec);
    segments.push_back(std::move(s));
  }
  FixupContext ctx;
  ctx.path = "fuzz-input";
  ctx.segments = segments;
  ctx.image = image;
  ctx.order = order;
  ctx.dylib_count = 2;
  PrintContext pctx;
  pctx.segments = segments;
  pctx.dylib_short_names = {"libone", "libtwo"};

  unsigned v = 0;
  auto info = decode_chained_fixups(blob, "fuzz-input", order);
  if (!info) {
    v += linkbox::fuzz::touch(info.error().message);
  } else {
    v += linkbox::fuzz::touch(print_chained_fixups(&*info, pctx));
    auto fixups = walk_chained_fixups(*info, ctx);
    if (fixups) v += linkbox::fuzz::touch(print_dyld_info(*fixups, &*info, pctx));
    else v += linkbox::fuzz::touch(fixups.error().message);
  }
  linkbox::fuzz::keep(v);
  return 0;
}
