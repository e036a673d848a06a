// Which symbols a link exports and under which version: version scripts
// (global/local patterns, wildcards, extern "C++", inheritance), .symver
// names in the inputs (foo@V1, foo@@V2), --dynamic-list and
// --export-dynamic-symbol. ld.lld's rules where GNU ld differs.
#pragma once

#include "libformat/expected.h"
#include "liblink/context.h"

namespace linkbox::link {

// Reads the version scripts and dynamic lists named on the command line.
template <typename E> Status read_version_scripts(Context<E>& ctx);

// After resolution: gives each definition its output version, makes
// local: symbols local, and decides exports from the dynamic lists.
template <typename E> void assign_symbol_versions(Context<E>& ctx);

}  // namespace linkbox::link
