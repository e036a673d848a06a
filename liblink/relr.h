// --pack-dyn-relocs=relr and -z pack-relative-relocs: relative relocations
// in the compact SHT_RELR form (DT_RELR, glibc 2.36 and later) instead of
// 24-byte R_X86_64_RELATIVE entries in .rela.dyn.
//
// The encoding is a list of words: an even word is an address to relocate
// (and the base for what follows); an odd word is a bitmap whose bit i
// (i = 1..63) relocates base + (i - 1) * 8, after which the base moves 63
// words on. Its size depends on the final addresses, so the section is
// sized again after layout until the layout stops moving (see the driver);
// it never shrinks, and spare words at the end are empty bitmaps (1).
#pragma once

#include <cstdint>
#include <vector>

#include "liblink/context.h"

namespace linkbox::link {

// Which relative relocations can go into .relr.dyn: those at an even
// offset of a section aligned to at least 2 (ld.lld's rule), so that the
// address is even whatever the layout.
template <typename E>
bool relr_eligible(const Context<E>& ctx, const InputSection<E>& isec, uint64_t offset) {
  return ctx.opts.pack_relative_relocs && isec.align >= 2 && offset % 2 == 0;
}

template <typename E> struct RelrDynSection : Chunk<E> {
  RelrDynSection();
  // The relocated places: an input section and an offset in it, or (null
  // section) a byte offset in .got.
  std::vector<std::pair<const InputSection<E>*, uint64_t>> sites;
  std::vector<uint64_t> encoded;
  bool sized = false;  // false until addresses are known: the first size is 0
  void compute_size(Context<E>&) override {}
  // Encodes the sites at their current addresses; true when the section had
  // to grow (the layout must then be redone).
  bool update(Context<E>& ctx);
  // The addresses it relocates, sorted.
  std::vector<uint64_t> addresses(const Context<E>& ctx) const;
  void write(Context<E>& ctx, uint8_t* out) override;
  // The relative relocations it holds were recorded like the others while
  // the sections were written; takes exactly those out of ctx.dyn_relocs.
  void take_packed(Context<E>& ctx) const;
  bool keep_when_empty() const override { return !sites.empty(); }
};

// The RELR words for sorted, even addresses.
std::vector<uint64_t> encode_relr(const std::vector<uint64_t>& addresses);

}  // namespace linkbox::link
