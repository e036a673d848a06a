// --emit-relocs (-q): the output keeps the relocations of its inputs, one
// .rela<name> section per output section, as ld.lld writes them for
// executables and shared objects (tools that rewrite a linked binary, such
// as BOLT, read them).
//
// Each relocation is restated in output terms: r_offset is the address of
// the place; the symbol is its index in .symtab, and a relocation against an
// input section symbol (or a local that .symtab does not list) is rewritten
// against the output section's STT_SECTION symbol, with the addend made
// relative to the output section's start. The type stays the input's even
// when the linker relaxed the instruction, as in lld. A relocation whose
// target section is gone (--gc-sections) becomes R_X86_64_NONE against
// symbol 0, as in lld. Sections dropped by --gc-sections or --icf take their
// relocations with them. .eh_frame (which the linker rebuilds) has none.
#pragma once

#include <vector>

#include "liblink/context.h"

namespace linkbox::link {

template <typename E>
struct EmitRelocsSection : Chunk<E> {
  explicit EmitRelocsSection(OutputSection<E>* target);
  OutputSection<E>* target;
  // The size is known from the start (one entry per input relocation); the
  // entries need final addresses and .symtab indices, so they are made
  // when written.
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

// Adds a .rela<name> chunk for every output section with relocations. Runs
// after the output sections and .symtab exist.
template <typename E> void create_emit_relocs_sections(Context<E>& ctx);

}  // namespace linkbox::link
