// --gc-sections: dropping the input sections nothing live refers to.
#pragma once

#include "liblink/context.h"

namespace linkbox::link {

// Marks every input section reachable from the roots (the entry point, -u
// symbols, exported symbols, and sections that must stay: notes, .init,
// .fini, constructor arrays, SHF_GNU_RETAIN) through relocations, and sets
// alive = false on the rest. Runs after symbol resolution and before output
// sections exist. Non-allocated sections (debug information) always stay.
template <typename E> void collect_garbage(Context<E>& ctx);

}  // namespace linkbox::link
