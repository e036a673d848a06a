// What each architecture file provides to the generic core, beyond the
// relocation table of target.h.
#pragma once

#include "liblink/context.h"

namespace linkbox::link {

// Whether a GOT-indirect load at `rel` may be rewritten to use the symbol's
// address directly (the instruction is one the patcher knows).
template <typename E> bool got_load_relaxable(const InputSection<E>& isec, const Rela& rel);

// The shape of a TLS general/local-dynamic code sequence.
enum class TlsCallShape { unknown, direct, indirect };
template <typename E> TlsCallShape tls_call_shape(const InputSection<E>& isec, const Rela& rel);

// Writes .plt (header and entries) into `out`.
template <typename E> void write_plt(Context<E>& ctx, uint8_t* out);

}  // namespace linkbox::link
