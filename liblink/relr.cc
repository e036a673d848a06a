#include "liblink/relr.h"

#include <algorithm>

#include "liblink/synthetic.h"

namespace linkbox::link {

std::vector<uint64_t> encode_relr(const std::vector<uint64_t>& addresses) {
  constexpr uint64_t word = 8, bits = 63;
  std::vector<uint64_t> out;
  size_t i = 0;
  while (i < addresses.size()) {
    uint64_t base = addresses[i++];
    out.push_back(base);
    base += word;
    // Bitmaps for what follows within reach, 63 words at a time.
    for (;;) {
      uint64_t bitmap = 0;
      while (i < addresses.size() && addresses[i] >= base && addresses[i] < base + bits * word &&
             (addresses[i] - base) % word == 0) {
        bitmap |= uint64_t(1) << ((addresses[i] - base) / word);
        ++i;
      }
      if (!bitmap) break;
      out.push_back((bitmap << 1) | 1);
      base += bits * word;
    }
  }
  return out;
}

template <typename E> RelrDynSection<E>::RelrDynSection() {
  this->name = ".relr.dyn";
  this->shdr.type = SHT_RELR;
  this->shdr.flags = SHF_ALLOC;
  this->shdr.addralign = 8;
  this->shdr.entsize = 8;
}

template <typename E> std::vector<uint64_t> RelrDynSection<E>::addresses(const Context<E>& ctx) const {
  std::vector<uint64_t> a;
  a.reserve(sites.size());
  for (auto& [isec, offset] : sites) a.push_back(isec ? isec->address() + offset : ctx.syn->got->shdr.addr + offset);
  std::sort(a.begin(), a.end());
  return a;
}

template <typename E> bool RelrDynSection<E>::update(Context<E>& ctx) {
  encoded = encode_relr(addresses(ctx));
  uint64_t size = encoded.size() * 8;
  bool grew = size > this->shdr.size;
  if (grew || !sized) this->shdr.size = std::max(size, this->shdr.size);
  sized = true;
  return grew;
}

template <typename E> void RelrDynSection<E>::write(Context<E>&, uint8_t* out) {
  size_t n = this->shdr.size / 8;
  for (size_t i = 0; i < n; ++i) store_le<uint64_t>(out + i * 8, i < encoded.size() ? encoded[i] : 1);
}

template <typename E> void RelrDynSection<E>::take_packed(Context<E>& ctx) const {
  std::vector<uint64_t> packed = addresses(ctx);
  auto& rs = ctx.dyn_relocs;
  size_t before = rs.size();
  std::erase_if(rs, [&](const DynReloc& r) {
    return r.type == E::R_RELATIVE && std::binary_search(packed.begin(), packed.end(), r.offset);
  });
  if (before - rs.size() != packed.size())
    ctx.error("", "internal error: " + std::to_string(packed.size()) + " relative relocations packed, " +
                      std::to_string(before - rs.size()) + " found");
}

template struct RelrDynSection<X86_64>;

}  // namespace linkbox::link
