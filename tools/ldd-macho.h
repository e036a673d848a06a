// linkbox ldd on Mach-O files: the front end of libmacho/dyld-search. The
// ELF front end (tools/ldd.cc) hands every Mach-O file to it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace linkbox::tools {

struct MachOLddOptions {
  std::string arch;  // --arch: the process's architecture; "" for every slice
  // The DYLD_* variables, from options or else from the environment.
  std::optional<std::string> library_path, framework_path, fallback_library_path, fallback_framework_path;
};

// The Mach-O options of both ldd front ends.
void add_macho_ldd_options(CLI::App& app, MachOLddOptions& options);

// True when `path` starts like a Mach-O file (thin or fat).
bool is_macho_file(const std::string& path);

// Lists what dyld loads for `file` (under `root` when not empty), printing
// it in the list, --tree or (appended to `json_objects`) --json form.
// `several`: more than one FILE was given. Returns the exit status: 1 when
// the file cannot be listed, or (unless `glibc_personality`) when a
// dependent that is not weak is not found.
int ldd_macho(const std::string& file, const std::string& root, const MachOLddOptions& options, bool tree, bool json,
              bool several, bool glibc_personality, std::vector<std::string>& json_objects);

}  // namespace linkbox::tools
