#include "libformat/compression.h"

#include <zlib.h>
#include <zstd.h>

namespace linkbox {

std::vector<uint8_t> compress(Compression kind, std::span<const uint8_t> data) {
  std::vector<uint8_t> out;
  if (kind == Compression::zlib) {
    uLongf len = compressBound(data.size());
    out.resize(len);
    // The level lld uses for debug sections: a good ratio at a modest cost.
    if (compress2(out.data(), &len, data.data(), data.size(), 6) != Z_OK) return {};
    out.resize(len);
  } else {
    out.resize(ZSTD_compressBound(data.size()));
    size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), ZSTD_CLEVEL_DEFAULT);
    if (ZSTD_isError(n)) return {};
    out.resize(n);
  }
  return out;
}

bool decompress(Compression kind, std::span<const uint8_t> in, std::span<uint8_t> out) {
  if (kind == Compression::zlib) {
    uLongf len = out.size();
    return uncompress(out.data(), &len, in.data(), in.size()) == Z_OK && len == out.size();
  }
  size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
  return !ZSTD_isError(n) && n == out.size();
}

}  // namespace linkbox
