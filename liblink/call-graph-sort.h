// --call-graph-profile-sort: laying out hot functions next to their callers,
// from the call graph profile that clang -fprofile-use leaves in each object
// (.llvm.call-graph-profile), as ld.lld does.
#pragma once

#include "liblink/context.h"

namespace linkbox::link {

// Reads every live object's SHT_LLVM_CALL_GRAPH_PROFILE section, clusters the
// input sections of the graph with lld's Call-Chain Clustering (C3) and puts
// the clustered sections first in their output sections, densest cluster
// first; the others keep their order after them (the --symbol-ordering-file
// model). Runs after identical code folding, like lld, so that calls to a
// folded function count for the section that stays. Writes
// --print-symbol-order when asked. Does nothing when no input has a profile.
template <typename E> void sort_by_call_graph(Context<E>& ctx);

}  // namespace linkbox::link
