// Writing the laid-out output into memory, and then to its file.
#pragma once

#include "libformat/expected.h"
#include "liblink/context.h"

namespace linkbox::link {

// Fills ctx.buffer: every chunk, the dynamic relocations, the section
// headers and last the build ID (a hash of everything else).
template <typename E> void write_output(Context<E>& ctx);

// Writes ctx.buffer to the output path through a checked temporary file.
template <typename E> Status commit_output(Context<E>& ctx);

}  // namespace linkbox::link
