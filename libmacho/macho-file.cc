#include "libmacho/macho-file.h"

#include "libformat/byte-order.h"

namespace linkbox::macho {

Expected<Summary> read_summary(const std::string& path, std::span<const uint8_t> b) {
  if (b.size() < 8) return make_error(path, "truncated Mach-O header");
  Summary s;
  uint32_t magic = load<uint32_t>(b.data(), ByteOrder::big);
  if (magic == 0xcafebabe || magic == 0xcafebabf) {
    s.fat = true;
    s.slices = load<uint32_t>(b.data() + 4, ByteOrder::big);
    return s;
  }
  ByteOrder order = (magic == 0xfeedface || magic == 0xfeedfacf) ? ByteOrder::big : ByteOrder::little;
  uint32_t m = load<uint32_t>(b.data(), order);
  if (m != 0xfeedface && m != 0xfeedfacf) return make_error(path, "not a Mach-O file");
  s.is64 = m == 0xfeedfacf;
  s.cputype = load<uint32_t>(b.data() + 4, order);
  return s;
}

}  // namespace linkbox::macho
