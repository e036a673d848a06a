// Text renderings of the fixup and export decoders, in llvm-objdump's
// formats, so that `linkbox readdyn --rebase` and friends can be diffed
// against `llvm-objdump --macho --rebase` line for line:
//   --rebase, --bind, --lazy-bind, --weak-bind, --exports-trie and
//   --indirect-symbols as llvm-objdump 14 prints them (19 prints the same),
//   --chained-fixups and --dyld-info as llvm-objdump 19 prints them.
// Each function returns what llvm-objdump prints for one image after its
// "FILE:" line, including the blank line and title it prints first.
//
// Pure functions of the decoded data, so tests can feed them directly.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libmacho/chained-fixups.h"
#include "libmacho/dyld-info.h"
#include "libmacho/export-trie.h"
#include "libmacho/indirect-symbols.h"
#include "libmacho/macho-file.h"

namespace linkbox::macho {

// What the printers need of the image besides the entries.
struct PrintContext {
  std::span<const Segment> segments;
  std::vector<std::string> dylib_short_names;  // one per dependency, in order
  bool is64 = true;
};

PrintContext print_context(const Slice& slice);

// "libfoo" for "@rpath/libfoo.dylib", "Foundation" for
// ".../Foundation.framework/Versions/C/Foundation", as llvm-objdump guesses
// short names; empty when the name has none of the known forms.
std::string guess_library_short_name(std::string_view install_name);
// "libSystem", "this-image", "flat-namespace", "weak", ... for an ordinal.
std::string ordinal_name(const PrintContext& ctx, int64_t ordinal);

std::string print_rebase_table(const std::vector<RebaseEntry>& entries, const PrintContext& ctx);
std::string print_bind_table(const std::vector<BindEntry>& entries, const PrintContext& ctx);
std::string print_lazy_bind_table(const std::vector<BindEntry>& entries, const PrintContext& ctx);
std::string print_weak_bind_table(const std::vector<BindEntry>& entries, const PrintContext& ctx);
std::string print_exports_trie(const std::vector<ExportEntry>& entries, const PrintContext& ctx);
std::string print_indirect_symbols(const std::vector<IndirectSection>& sections, const PrintContext& ctx);
// Nothing when the image has no LC_DYLD_CHAINED_FIXUPS (info is null).
std::string print_chained_fixups(const ChainedFixupsInfo* info, const PrintContext& ctx);
std::string print_dyld_info(const std::vector<ChainedFixup>& fixups, const ChainedFixupsInfo* info,
                            const PrintContext& ctx);

}  // namespace linkbox::macho
