// linkbox: one binary, many tools. The name it is invoked as picks the tool
// (`ld`, `patchelf`, ...); otherwise its first argument does (`linkbox readdyn`).
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#include "libformat/diagnostics.h"
#include "tools/tools.h"


namespace linkbox::tools {

const std::vector<ToolEntry>& tool_table() {
  static const std::vector<ToolEntry> table = {
      {"link", false, true, "link x86-64 ELF executables and shared libraries (GNU ld compatible)", run_link},
      {"relink", false, true, "relocatable link and ELF/Mach-O object conversion (not implemented yet)", run_not_yet},
      {"readdyn", false, true, "print what the loader sees: interpreter, SONAME, NEEDED, paths, flags", run_readdyn},
      {"addneeded", false, true, "add DT_NEEDED entries to an executable or shared library", run_addneeded},
      {"setinterp", false, true, "print or change the program interpreter (PT_INTERP)", run_setinterp},
      {"ldd", false, true, "list the libraries a program loads, as glibc's ld.so finds them, without running it", run_ldd},
      {"install-links", false, true, "create the personality symlinks (ld, patchelf, ...) in a directory", run_install_links},
      {"ld", true, false, "GNU ld personality (x86-64 ELF)", run_link},
      {"ld.linkbox", true, false, "GNU ld personality, for clang -fuse-ld=linkbox", run_link},
      {"patchelf", true, false, "patchelf personality: patchelf 0.19's command line", run_patchelf},
      {"ldd", true, false, "glibc ldd personality: its output, computed without running the program", run_ldd_personality},
      {"readelf", true, false, "binutils readelf personality: -h -l -S -d -s --dyn-syms -r -n -V -W -a", run_readelf},
      {"install_name_tool", true, false, "Apple install_name_tool personality: -id -change -rpath -add_rpath -prepend_rpath -delete_rpath", run_install_name_tool},
      {"otool", true, false, "otool personality: -L and -D, as llvm-otool prints them", run_otool},
  };
  return table;
}

const ToolEntry* find_tool(std::string_view name, bool as_personality) {
  for (const auto& t : tool_table())
    if (t.name == name && (as_personality ? t.personality : t.subcommand)) return &t;
  return nullptr;
}

namespace {

void print_help() {
  std::printf(
      "Usage: linkbox COMMAND [ARGS...]\n"
      "       NAME [ARGS...]   (linkbox invoked through a symlink called NAME)\n\n"
      "linkbox links, relinks, inspects and edits ELF and Mach-O files.\n\nCommands:\n");
  for (const auto& t : tool_table())
    if (t.subcommand) std::printf("  %-18s %s\n", std::string(t.name).c_str(), std::string(t.summary).c_str());
  std::printf("\nPersonalities (symlink linkbox to one of these names):\n");
  for (const auto& t : tool_table())
    if (t.personality) std::printf("  %-18s %s\n", std::string(t.name).c_str(), std::string(t.summary).c_str());
  std::printf(
      "\nOptions:\n  --help      show this help\n  --version   show the version\n\n"
      "Run 'linkbox COMMAND --help' for a command's options; see linkbox(1).\n");
}

std::string_view base_name(const char* path) {
  std::string_view p(path);
  auto slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

}  // namespace
}  // namespace linkbox::tools

namespace {
int dispatch(int argc, char** argv);
}

int main(int argc, char** argv) {
  // Bad input is reported as values; an exception reaching here is a bug or
  // an exhausted machine, and still gets a one-line diagnostic and status 1.
  try {
    return dispatch(argc, argv);
  } catch (const std::bad_alloc&) {
    linkbox::Diagnostics::error("", "out of memory");
  } catch (const std::exception& e) {
    linkbox::Diagnostics::error("", std::string("internal error: ") + e.what());
  }
  return 1;
}

namespace {
int dispatch(int argc, char** argv) {
  using namespace linkbox::tools;
  std::string_view self = argc > 0 ? base_name(argv[0]) : "linkbox";
  if (const ToolEntry* t = find_tool(self, true)) return t->run(argc, argv);
  if (argc < 2) {
    print_help();
    return 2;
  }
  std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    print_help();
    return 0;
  }
  if (command == "--version" || command == "-V") {
    std::printf("linkbox %s\n", LINKBOX_VERSION);
    return 0;
  }
  if (const ToolEntry* t = find_tool(command, false)) return t->run(argc - 1, argv + 1);
  if (self.substr(0, 7) != "linkbox")
    linkbox::Diagnostics::error("", "unknown name '" + std::string(self) +
                                        "': invoke linkbox as one of its personalities or run 'linkbox --help'");
  else
    linkbox::Diagnostics::error("", "unknown command '" + std::string(command) + "'; run 'linkbox --help'");
  return 2;
}
}  // namespace
