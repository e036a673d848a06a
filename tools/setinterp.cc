// linkbox setinterp FILE PATH: change the program interpreter (ELF PT_INTERP,
// Mach-O LC_LOAD_DYLINKER in tools/macho-edit.cc).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "libformat/diagnostics.h"
#include "tools/common.h"
#include "tools/macho-edit.h"
#include "tools/tools.h"

namespace linkbox::tools {

int run_setinterp(int argc, char** argv) {
  CLI::App app{"Print or change the program interpreter (PT_INTERP and .interp) of an ELF executable, "
               "or the dynamic linker (LC_LOAD_DYLINKER) of a Mach-O executable, in every slice of a "
               "universal file. On Mach-O the new path must fit in the header padding.",
               "linkbox setinterp"};
  std::string file, path, output, page_size;
  bool print = false, debug = false;
  app.add_option("FILE", file, "the executable to read or edit")->required();
  app.add_option("PATH", path, "the new interpreter path");
  app.add_flag("--print", print, "print the interpreter instead of changing it");
  app.add_option("-o,--output", output, "write the result to this file instead of editing FILE");
  app.add_option("--page-size", page_size, "alignment of a segment added to the file (default: the machine's largest page)");
  app.add_flag("--debug", debug, "explain what the edit does");
  if (int status = parse_command_line(app, argc, argv); status >= 0) return status;
  if (print == !path.empty()) {
    Diagnostics::error("setinterp", "give either --print or a new interpreter PATH");
    return 2;
  }
  if (auto status = setinterp_macho(file, path, print, output)) return *status;
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
  if (print) {
    if (!editor->interpreter()) {
      Diagnostics::error(file, "has no interpreter (no PT_INTERP)");
      return 1;
    }
    std::printf("%s\n", editor->interpreter()->c_str());
    return 0;
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
  if (Status s = editor->set_interpreter(path); !s) {
    Diagnostics::error(s.error());
    return 1;
  }
  if (Status s = commit_edit(*in, *editor, output, options); !s) {
    Diagnostics::error(s.error());
    return 1;
  }
  return 0;
}

}  // namespace linkbox::tools
