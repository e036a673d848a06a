#include "liblink/eh-frame-records.h"

#include <cstring>

namespace linkbox::link {

EhFrameRecords split_eh_frame(std::span<const uint8_t> data, std::span<const Rela> rels) {
  EhFrameRecords out;
  uint64_t at = 0;
  uint32_t r = 0;
  while (at + 4 <= data.size()) {
    uint32_t len;
    std::memcpy(&len, data.data() + at, 4);
    if (len == 0) break;
    // 0xffffffff announces a 64-bit length, which x86-64 .eh_frame never uses.
    if (len == 0xffffffff || len > data.size() - at - 4 || len < 4) {
      out.malformed_at = at;
      break;
    }
    EhFrameRecord rec;
    rec.offset = at;
    rec.size = uint64_t(len) + 4;
    std::memcpy(&rec.id, data.data() + at + 4, 4);
    while (r < rels.size() && rels[r].offset < at) ++r;
    rec.rel_begin = r;
    while (r < rels.size() && rels[r].offset < at + rec.size) ++r;
    rec.rel_end = r;
    out.records.push_back(rec);
    at += rec.size;
  }
  return out;
}

}  // namespace linkbox::link
