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
// relocations with them. Not kept yet: those of SHF_MERGE input sections.
//
// .eh_frame is rebuilt record by record, so .rela.eh_frame lists the
// relocations of the records the output keeps, in output order, each at its
// place in the record's output copy; an FDE dropped with its function
// (--gc-sections, --icf, a discarded COMDAT group) takes its relocations
// along. ld.lld 14 agrees on types, symbols and addends but not on the rest:
// it places every one at its offset in the input .eh_frame (not where its
// own copy of the record lands), keeps dropped FDEs' relocations (as
// R_X86_64_NONE for a discarded group) and writes no .rela.eh_frame at all
// with --gc-sections; none of that is of use to a reader.
#pragma once

#include <unordered_set>

#include "liblink/context.h"

namespace linkbox::link {

template <typename E> struct EhFrameSection;

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

template <typename E>
struct EhFrameRelocsSection : Chunk<E> {
  explicit EhFrameRelocsSection(EhFrameSection<E>* target);
  EhFrameSection<E>* target;
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

// The local symbols (not section symbols) that the relocations --emit-relocs
// keeps name: .symtab lists them whatever -x / -X say, as ld.lld. Empty
// without the option.
template <typename E>
std::unordered_set<const Symbol<E>*> locals_named_by_relocations(const Context<E>& ctx);

// Adds a .rela<name> chunk for every output section with relocations, and
// one for .eh_frame. Runs after the output sections and .symtab exist.
template <typename E> void create_emit_relocs_sections(Context<E>& ctx);

}  // namespace linkbox::link
