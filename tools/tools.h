// The front ends. Each takes the command line with argv[0] set to the name it
// was invoked as, and returns the process exit status.
#pragma once

#include <string_view>
#include <vector>

namespace linkbox::tools {

int run_addneeded(int argc, char** argv);
int run_install_links(int argc, char** argv);
int run_install_name_tool(int argc, char** argv);
int run_ldd(int argc, char** argv);
int run_ldd_personality(int argc, char** argv);
int run_link(int argc, char** argv);
int run_otool(int argc, char** argv);
int run_patchelf(int argc, char** argv);
int run_readdyn(int argc, char** argv);
int run_readelf(int argc, char** argv);
int run_setinterp(int argc, char** argv);
// Subcommands and personalities that are listed but not written yet.
int run_not_yet(int argc, char** argv);

struct ToolEntry {
  std::string_view name;
  bool personality;        // true: chosen by the name linkbox is invoked as
  bool subcommand;         // true: chosen by linkbox's first argument
  std::string_view summary;
  int (*run)(int, char**);
};

const std::vector<ToolEntry>& tool_table();
const ToolEntry* find_tool(std::string_view name, bool as_personality);

}  // namespace linkbox::tools
