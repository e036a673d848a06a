// readdyn's Mach-O fixup views: --rebase, --bind, --lazy-bind, --weak-bind,
// --exports-trie, --indirect-symbols, --chained-fixups and --dyld-info, each
// printed as `llvm-objdump --macho --arch=all` prints it.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace linkbox::tools {

struct MachoFixupOptions {
  bool rebase = false, bind = false, lazy_bind = false, weak_bind = false;
  bool exports_trie = false, indirect_symbols = false, chained_fixups = false, dyld_info = false;
  bool any() const {
    return rebase || bind || lazy_bind || weak_bind || exports_trie || indirect_symbols || chained_fixups || dyld_info;
  }
};

void add_macho_fixup_options(CLI::App& app, MachoFixupOptions& options);

// Prints the selected tables of every slice of `path`: "FILE:" (or "FILE
// (architecture ARCH):" for each slice of a universal file), then the tables
// in llvm-objdump's order. Returns the exit status: 1 after any error (a
// file that is not Mach-O, or a table that does not decode).
int readdyn_macho_fixups(const std::string& path, const MachoFixupOptions& options);

}  // namespace linkbox::tools
