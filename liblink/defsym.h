// --defsym=SYMBOL=EXPRESSION: symbols the command line defines.
//
// The expressions are the ones people write on a command line: a number
// (decimal, 0x hex, with an optional K or M suffix), another symbol, or a
// symbol plus or minus numbers. A definition from --defsym overrides one from
// an object file, as a linker-script assignment does in ld.bfd and lld.
#pragma once

#include "libformat/expected.h"
#include "liblink/context.h"

namespace linkbox::link {

struct DefsymExpr {
  std::string symbol;   // empty: the value is absolute
  int64_t addend = 0;
};

Expected<DefsymExpr> parse_defsym(const std::string& name, const std::string& expr);

// After symbol resolution: defines every --defsym symbol. An alias of a
// symbol takes its place (section and offset) once fragments are resolved.
template <typename E> void define_defsyms(Context<E>& ctx);
template <typename E> void resolve_defsym_aliases(Context<E>& ctx);

}  // namespace linkbox::link
