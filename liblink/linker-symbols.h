// Linker-defined symbols (see linker-symbols.cc).
#pragma once

#include "liblink/context.h"

namespace linkbox::link {

template <typename E> void define_linker_symbols(Context<E>& ctx);
template <typename E> void finalize_linker_symbols(Context<E>& ctx);

}  // namespace linkbox::link
