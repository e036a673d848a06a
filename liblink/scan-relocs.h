// The relocation scan (see scan-relocs.cc).
#pragma once

#include <vector>

#include "liblink/context.h"

namespace linkbox::link {

// Sets each referenced symbol's NEEDS_* flags and counts dynamic relocations
// into .rela.dyn. `needy` receives every symbol with a flag, in the order
// first seen, so that table layout is deterministic.
template <typename E> void scan_relocations(Context<E>& ctx, std::vector<Symbol<E>*>& needy);

// Gives the flagged symbols their GOT slots, PLT entries and copies, then
// builds .dynsym and the version tables and counts the GOT's dynamic
// relocations.
template <typename E> void assign_table_slots(Context<E>& ctx);

}  // namespace linkbox::link
