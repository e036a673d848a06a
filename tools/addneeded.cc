// linkbox addneeded FILE LIB...: add DT_NEEDED entries (ELF) or dependent
// dylibs (Mach-O, tools/macho-edit.cc).
#include <CLI/CLI.hpp>
#include <algorithm>

#include "libformat/diagnostics.h"
#include "tools/common.h"
#include "tools/macho-edit.h"
#include "tools/tools.h"

namespace linkbox::tools {

int run_addneeded(int argc, char** argv) {
  CLI::App app{"Add DT_NEEDED entries to an ELF executable or shared library. A library already "
               "needed is not added again. New entries go before the existing ones unless --last. "
               "On a Mach-O file (every slice of a universal one) add LC_LOAD_DYLIB commands, after the "
               "existing dylibs so that their ordinals stay; --weak adds LC_LOAD_WEAK_DYLIB.",
               "linkbox addneeded"};
  std::string file, output, page_size;
  std::vector<std::string> libs;
  bool last = false, debug = false, weak = false;
  app.add_option("FILE", file, "the file to edit")->required();
  app.add_option("LIB", libs, "library names to add, e.g. libfoo.so.1")->required();
  app.add_flag("--last", last, "add the new entries after the existing DT_NEEDED entries (Mach-O: always)");
  app.add_flag("--weak", weak, "Mach-O: add LC_LOAD_WEAK_DYLIB (the program runs when the dylib is missing)");
  app.add_option("-o,--output", output, "write the result to this file instead of editing FILE");
  app.add_option("--page-size", page_size, "alignment of a segment added to the file (default: the machine's largest page)");
  app.add_flag("--debug", debug, "explain what the edit does");
  if (int status = parse_command_line(app, argc, argv); status >= 0) return status;
  if (auto status = addneeded_macho(file, libs, weak, output)) return *status;
  if (weak) {
    Diagnostics::error(file, "--weak applies to Mach-O files only");
    return 1;
  }

  auto in = load_elf(file);
  if (!in) {
    Diagnostics::error(in.error());
    return 1;
  }
  auto editor = elf::ElfEditor::open(in->elf);
  if (!editor) {
    Diagnostics::error(editor.error());
    return 1;
  }
  if (!editor->has_dynamic()) {
    Diagnostics::error(file, "not dynamic: it has no dynamic section to add DT_NEEDED entries to");
    return 1;
  }
  elf::EditOptions options;
  options.debug = debug;
  if (!page_size.empty()) {
    auto p = parse_page_size(page_size);
    if (!p) {
      Diagnostics::error(p.error());
      return 1;
    }
    options.page_size = *p;
  }
  auto& dyn = editor->mutable_dynamic();
  auto is_needed = [](const elf::DynamicEntry& e) { return e.tag == DT_NEEDED; };
  std::vector<elf::DynamicEntry> added;
  for (const auto& lib : libs) {
    if (lib.empty() || lib.find('\0') != std::string::npos) {
      Diagnostics::error(file, "invalid library name '" + lib + "'");
      return 1;
    }
    bool present = std::any_of(dyn.begin(), dyn.end(), [&](const auto& e) { return is_needed(e) && *e.text == lib; }) ||
                   std::any_of(added.begin(), added.end(), [&](const auto& e) { return *e.text == lib; });
    if (!present) added.push_back(elf::ElfEditor::string_entry(DT_NEEDED, lib));
  }
  auto first = std::find_if(dyn.begin(), dyn.end(), is_needed);
  auto at = first;
  if (last) {
    auto rlast = std::find_if(dyn.rbegin(), dyn.rend(), is_needed);
    at = rlast == dyn.rend() ? dyn.begin() : rlast.base();
  } else if (first == dyn.end()) {
    at = dyn.begin();
  }
  dyn.insert(at, added.begin(), added.end());
  if (Status s = commit_edit(*in, *editor, output, options); !s) {
    Diagnostics::error(s.error());
    return 1;
  }
  return 0;
}

}  // namespace linkbox::tools
