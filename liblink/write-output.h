// Writing the laid-out output straight into a mapped temporary file beside
// the target, and then renaming it into place.
#pragma once

#include "libformat/expected.h"
#include "liblink/context.h"

namespace linkbox::link {

// Creates the temporary output file and fills it: every chunk, the dynamic relocations, the section
// headers and last the build ID (a hash of everything else).
template <typename E> void write_output(Context<E>& ctx);

// Checks the written file and renames it over the output path. On any
// error before this, the temporary file is removed with the Context.
template <typename E> Status commit_output(Context<E>& ctx);

}  // namespace linkbox::link
