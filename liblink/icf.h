// --icf=all|safe: identical code folding, as ld.lld does it.
//
// Two read-only sections fold into one when they have the same flags, size,
// bytes and relocations (type, offset, addend), and each pair of relocation
// targets is the same symbol, the same place in identical sections, or the
// same piece of a merged string/constant section. "Identical" is recursive
// (f calls g, f' calls g', g and g' identical), so it is computed as lld
// does: partition by a hash, split by the constant parts, then split by the
// targets' classes until nothing splits.
//
// --icf=safe folds no section that defines an address-significant symbol
// (one in an object's .llvm_addrsig, every symbol of an object without one,
// and every exported symbol); --icf=all still keeps such read-only data
// apart, but folds code whatever its address significance.
#pragma once

#include "liblink/context.h"

namespace linkbox::link {

// Folds identical sections: the first of each class (in input order) stays;
// the others are marked dead and leave their output sections, and every
// symbol defined in them (section symbols too) moves to the kept one at the
// same offset, flagged `folded` so that their FDEs and debug information are
// dropped. Needs the output sections and the merged-section fragments, and
// must run before anything reads symbol addresses or scans relocations.
template <typename E> void fold_identical_code(Context<E>& ctx);

}  // namespace linkbox::link
