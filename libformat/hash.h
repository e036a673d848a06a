// Digests for build IDs: SHA-1 and MD5 (as ld's --build-id=sha1|md5 make
// them) and a fast 64-bit hash for --build-id=fast. Written here rather than
// linked from a crypto library: build IDs need no security, only stability.
// SHA-256 is here for Mach-O code signatures, whose page hashes the kernel
// compares with its own: it must be exactly FIPS 180-4.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace linkbox {

std::array<uint8_t, 20> sha1(std::span<const uint8_t> data);
std::array<uint8_t, 16> md5(std::span<const uint8_t> data);
std::array<uint8_t, 32> sha256(std::span<const uint8_t> data);
// A 64-bit hash of good quality (not cryptographic), fast enough for
// whole-output hashing.
uint64_t fast_hash64(std::span<const uint8_t> data, uint64_t seed = 0);

}  // namespace linkbox
