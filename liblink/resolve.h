// Loading the command line's inputs and resolving symbols.
//
// Inputs are read in command-line order. Objects join the link at once;
// archives enter their symbol index as lazy symbols, and a member is
// extracted when a non-weak reference needs one of them (earlier or later on
// the command line, as lld and mold do, so --start-group/--end-group are never
// needed for correctness); shared objects provide definitions that objects
// may use. linker scripts of the kind glibc installs (GROUP, INPUT,
// AS_NEEDED, OUTPUT_FORMAT, SEARCH_DIR) are read in place.
#pragma once

#include "libformat/expected.h"
#include "liblink/context.h"

namespace linkbox::link {

template <typename E> Status load_inputs(Context<E>& ctx);

// After loading: which libraries are needed (--as-needed), which symbols
// the needed libraries make the executable export.
template <typename E> void mark_needed_libraries(Context<E>& ctx);

// --no-allow-shlib-undefined (the default for executables): a linked
// library's undefined symbol that nothing defines is an error.
template <typename E> void check_shared_library_undefined(Context<E>& ctx);

}  // namespace linkbox::link
