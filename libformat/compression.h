// zlib and zstd, for compressed ELF sections (SHF_COMPRESSED): reading them
// in linker inputs and writing --compress-debug-sections output.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace linkbox {

enum class Compression { zlib, zstd };

// The compressed bytes of `data` (a zlib stream or a zstd frame).
std::vector<uint8_t> compress(Compression kind, std::span<const uint8_t> data);
// Decompresses into `out`, which must be exactly the original size; false if
// the stream is corrupt or of another size.
bool decompress(Compression kind, std::span<const uint8_t> in, std::span<uint8_t> out);

}  // namespace linkbox
