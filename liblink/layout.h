// Output layout (see layout.cc).
#pragma once

#include "liblink/context.h"

namespace linkbox::link {

// Sorts the chunks into output order, drops empty ones, numbers the sections.
template <typename E> void order_chunks(Context<E>& ctx);
// Gives every chunk its address and file offset; sets the TLS segment bounds.
template <typename E> void assign_addresses(Context<E>& ctx);
// Makes the program headers from the laid-out chunks.
template <typename E> void build_segments(Context<E>& ctx);

}  // namespace linkbox::link
