// linkbox install-links DIR: symlinks named for each personality, so that
// `DIR/patchelf` or `gcc -BDIR` reach linkbox.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unistd.h>

#include "libformat/diagnostics.h"
#include "tools/common.h"
#include "tools/tools.h"

namespace linkbox::tools {

int run_install_links(int argc, char** argv) {
  CLI::App app{"Create symlinks to linkbox named for each of its personalities.", "linkbox install-links"};
  std::string dir;
  bool force = false;
  std::string target;
  app.add_option("DIR", dir, "directory to create the links in (created if missing)")->required();
  app.add_flag("-f,--force", force, "replace existing files of the same names");
  app.add_option("--target", target, "what the links point to (default: this linkbox binary)");
  if (int status = parse_command_line(app, argc, argv); status >= 0) return status;

  namespace fs = std::filesystem;
  std::error_code ec;
  if (target.empty()) {
    target = fs::read_symlink("/proc/self/exe", ec).string();
    if (ec) {
      Diagnostics::error("/proc/self/exe", ec.message());
      return 1;
    }
  }
  fs::create_directories(dir, ec);
  if (ec) {
    Diagnostics::error(dir, ec.message());
    return 1;
  }
  int failures = 0;
  for (const auto& t : tool_table()) {
    if (!t.personality) continue;
    fs::path link = fs::path(dir) / std::string(t.name);
    if (force) fs::remove(link, ec);
    if (::symlink(target.c_str(), link.c_str()) != 0) {
      Diagnostics::error(link.string(), std::strerror(errno));
      ++failures;
    }
  }
  return failures ? 1 : 0;
}

}  // namespace linkbox::tools
