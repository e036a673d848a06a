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
// relocations with them. Not kept yet: .eh_frame's (ld.lld writes a
// .rela.eh_frame for the records it keeps; ours are rebuilt record by record)
// and those of SHF_MERGE input sections.
#pragma once

#include <unordered_set>

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

// The local symbols (not section symbols) that the relocations --emit-relocs
// keeps name: .symtab lists them whatever -x / -X say, as ld.lld. Empty
// without the option.
template <typename E>
std::unordered_set<const Symbol<E>*> locals_named_by_relocations(const Context<E>& ctx);

// Adds a .rela<name> chunk for every output section with relocations. Runs
// after the output sections and .symtab exist.
template <typename E> void create_emit_relocs_sections(Context<E>& ctx);

}  // namespace linkbox::link
