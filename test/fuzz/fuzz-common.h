// Helpers shared by the fuzz targets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace linkbox::fuzz {

// Reads every byte of a value the reader returned, so that a view pointing
// outside the input (or into freed memory) is reported by ASan here, next to
// the accessor that produced it, rather than never.
inline unsigned touch(std::span<const uint8_t> bytes) {
  unsigned sum = 0;
  for (uint8_t b : bytes) sum += b;
  return sum;
}
inline unsigned touch(std::string_view s) {
  return touch(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}
inline unsigned touch(const std::string& s) { return touch(std::string_view(s)); }
inline unsigned touch(const std::optional<std::string>& s) { return s ? touch(*s) : 0; }

// Keeps a computed value alive so the optimiser cannot drop the reads.
inline void keep(unsigned v) {
  static volatile unsigned sink;
  sink = sink + v;
}

}  // namespace linkbox::fuzz
