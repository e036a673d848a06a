// Binning input sections into output sections, and merging SHF_MERGE
// sections into deduplicated fragments.
#pragma once

#include "liblink/context.h"

namespace linkbox::link {

// The output section an input section goes to: ".text.foo" -> ".text" and so
// on, as GNU ld's default linker script and lld name them.
std::string_view output_section_name(std::string_view input_name, uint64_t flags);

// Creates the output sections and merged sections from every live input
// section (except .eh_frame, which has its own synthetic section).
template <typename E> void create_output_sections(Context<E>& ctx);

// Points every symbol defined in a mergeable section at its fragment.
template <typename E> void resolve_fragments(Context<E>& ctx);

// Turns common symbols into space in a .bss section.
template <typename E> void allocate_commons(Context<E>& ctx);

// Applies the relocations of `rels` (offsets relative to `base`) to `out`,
// which will live at `address`. Defined per architecture.
template <typename E>
void apply_relocs(Context<E>& ctx, const InputSection<E>& isec, std::span<const Rela> rels,
                  uint64_t base, uint8_t* out, uint64_t address);

}  // namespace linkbox::link
