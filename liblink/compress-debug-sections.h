// --compress-debug-sections=zlib|zstd: the .debug_* sections of the output
// are stored compressed (SHF_COMPRESSED, an Elf64_Chdr then the stream), as
// ld.lld writes them.
#pragma once

#include "liblink/context.h"

namespace linkbox::link {

// Renders and compresses each non-empty .debug_* chunk. Runs once every
// address is final (debug sections refer to code addresses) and before the
// file offsets of non-allocated sections are assigned, since it changes
// their sizes.
template <typename E> void compress_debug_sections(Context<E>& ctx);

}  // namespace linkbox::link
