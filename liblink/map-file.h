// -Map FILE and -M: a link map in lld's layout. One line per output
// section, per input section inside it, and per symbol defined there:
//
//              VMA              LMA     Size Align Out     In      Symbol
//           201120           201120       2b    16 .text
//           201120           201120       26    16         crt1.o:(.text)
//           201120           201120        0     1                 _start
#pragma once

#include "libformat/expected.h"
#include "liblink/context.h"

namespace linkbox::link {

// Writes the map to opts.map_file ("-" is standard output). Runs after
// layout, when every address is final.
template <typename E> Status write_map_file(Context<E>& ctx);

}  // namespace linkbox::link
