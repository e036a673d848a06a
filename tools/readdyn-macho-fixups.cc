// readdyn's Mach-O fixup views, printed as llvm-objdump prints them, so that
// a packaging script (or a test) can diff one against the other.
#include "tools/readdyn-macho-fixups.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "libformat/diagnostics.h"
#include "libformat/file-type.h"
#include "libformat/mapped-file.h"
#include "libmacho/chained-fixups.h"
#include "libmacho/dyld-info-print.h"
#include "libmacho/dyld-info.h"
#include "libmacho/export-trie.h"
#include "libmacho/indirect-symbols.h"

namespace linkbox::tools {
namespace {

using namespace linkbox::macho;

// Prints what decoded, reports what did not; false after an error.
template <typename T, typename Print>
bool show(const Expected<T>& decoded, Print print) {
  if (!decoded) {
    std::fflush(stdout);
    Diagnostics::error(decoded.error());
    return false;
  }
  std::fputs(print(*decoded).c_str(), stdout);
  return true;
}

bool print_slice(const Slice& slice, const MachoFixupOptions& o) {
  bool ok = true;
  PrintContext ctx = print_context(slice);
  // llvm-objdump's order, whatever the order of the options.
  if (o.indirect_symbols)
    ok &= show(indirect_symbol_sections(slice), [&](const auto& v) { return print_indirect_symbols(v, ctx); });
  if (o.dyld_info || o.chained_fixups) {
    auto info = chained_fixups_info(slice);
    if (!info) {
      std::fflush(stdout);
      Diagnostics::error(info.error());
      ok = false;
    } else {
      const ChainedFixupsInfo* p = *info ? &**info : nullptr;
      if (o.dyld_info) {
        Expected<std::vector<ChainedFixup>> fixups =
            p ? walk_chained_fixups(*p, fixup_context(slice)) : Expected<std::vector<ChainedFixup>>(std::vector<ChainedFixup>());
        ok &= show(fixups, [&](const auto& v) { return print_dyld_info(v, p, ctx); });
      }
      if (o.chained_fixups) std::fputs(print_chained_fixups(p, ctx).c_str(), stdout);
    }
  }
  if (o.exports_trie) ok &= show(export_entries(slice), [&](const auto& v) { return print_exports_trie(v, ctx); });
  if (o.rebase) ok &= show(rebase_entries(slice), [&](const auto& v) { return print_rebase_table(v, ctx); });
  if (o.bind)
    ok &= show(bind_entries(slice, BindKind::regular), [&](const auto& v) { return print_bind_table(v, ctx); });
  if (o.lazy_bind)
    ok &= show(bind_entries(slice, BindKind::lazy), [&](const auto& v) { return print_lazy_bind_table(v, ctx); });
  if (o.weak_bind)
    ok &= show(bind_entries(slice, BindKind::weak), [&](const auto& v) { return print_weak_bind_table(v, ctx); });
  return ok;
}

}  // namespace

void add_macho_fixup_options(CLI::App& app, MachoFixupOptions& o) {
  const char* group = "Mach-O fixups (printed as llvm-objdump --macho prints them)";
  app.add_flag("--rebase", o.rebase, "Mach-O: the rebase opcodes of LC_DYLD_INFO, decoded")->group(group);
  app.add_flag("--bind", o.bind, "Mach-O: the bind opcodes, decoded")->group(group);
  app.add_flag("--lazy-bind", o.lazy_bind, "Mach-O: the lazy bind opcodes, decoded")->group(group);
  app.add_flag("--weak-bind", o.weak_bind, "Mach-O: the weak bind opcodes, decoded")->group(group);
  app.add_flag("--exports-trie", o.exports_trie, "Mach-O: every exported symbol of the export trie")->group(group);
  app.add_flag("--indirect-symbols", o.indirect_symbols,
               "Mach-O: the indirect symbol of every stub and symbol-pointer slot")->group(group);
  app.add_flag("--chained-fixups", o.chained_fixups,
               "Mach-O: the LC_DYLD_CHAINED_FIXUPS header, segment starts and imports")->group(group);
  app.add_flag("--dyld-info", o.dyld_info, "Mach-O: every chained fixup (rebase or bind) with its address")
      ->group(group);
}

int readdyn_macho_fixups(const std::string& path, const MachoFixupOptions& options) {
  auto map = MappedFile::open(path);
  if (!map) {
    Diagnostics::error(map.error());
    return 1;
  }
  FileType type = identify_file((*map)->bytes());
  if (type != FileType::macho && type != FileType::macho_fat) {
    Diagnostics::error(path, "not a Mach-O file: the fixup options (--rebase, --bind, ...) apply to Mach-O only");
    return 1;
  }
  auto file = MachOFile::parse(path, (*map)->bytes());
  if (!file) {
    Diagnostics::error(file.error());
    return 1;
  }
  bool ok = true;
  for (const Slice& slice : file->slices()) {
    if (file->is_fat())
      std::printf("%s (architecture %s):\n", path.c_str(),
                  arch_name(slice.header().cputype, slice.header().cpusubtype).c_str());
    else
      std::printf("%s:\n", path.c_str());
    ok &= print_slice(slice, options);
  }
  std::fflush(stdout);
  return ok ? 0 : 1;
}

}  // namespace linkbox::tools
