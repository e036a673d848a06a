// Endian-aware integer fields. Every format linkbox reads can be either byte
// order, independent of the host, so all field access goes through here.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace linkbox {

enum class ByteOrder { little, big };

constexpr ByteOrder host_byte_order =
    std::endian::native == std::endian::little ? ByteOrder::little : ByteOrder::big;

template <typename T>
constexpr T byte_swap(T v) {
  static_assert(std::is_integral_v<T>);
  if constexpr (sizeof(T) == 1) return v;
  else if constexpr (sizeof(T) == 2) return static_cast<T>(__builtin_bswap16(static_cast<uint16_t>(v)));
  else if constexpr (sizeof(T) == 4) return static_cast<T>(__builtin_bswap32(static_cast<uint32_t>(v)));
  else return static_cast<T>(__builtin_bswap64(static_cast<uint64_t>(v)));
}

template <typename T>
inline T load(const uint8_t* p, ByteOrder order) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return order == host_byte_order ? v : byte_swap(v);
}

template <typename T>
inline void store(uint8_t* p, T v, ByteOrder order) {
  if (order != host_byte_order) v = byte_swap(v);
  std::memcpy(p, &v, sizeof v);
}

// Little-endian stores, for writers of formats that are always little-endian
// (the x86-64 and AArch64 outputs of the linker).
template <typename T>
inline void store_le(uint8_t* p, T v) { store<T>(p, v, ByteOrder::little); }

// True when [offset, offset + size) lies inside a buffer of `total` bytes,
// with no overflow in the sum.
constexpr bool in_bounds(uint64_t offset, uint64_t size, uint64_t total) {
  return offset <= total && size <= total - offset;
}

// a * b, or false on overflow.
constexpr bool checked_mul(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}

constexpr bool checked_add(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

constexpr uint64_t align_up(uint64_t v, uint64_t align) {
  return align <= 1 ? v : (v + align - 1) / align * align;
}

}  // namespace linkbox
