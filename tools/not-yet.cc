// Tools that are listed but not written yet refuse clearly, and never act on
// their arguments.
#include <string>

#include "libformat/diagnostics.h"
#include "tools/tools.h"

namespace linkbox::tools {

int run_not_yet(int, char** argv) {
  std::string name = argv[0];
  auto slash = name.rfind('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  Diagnostics::error("", name + ": not implemented yet in this version of linkbox");
  return 1;
}

}  // namespace linkbox::tools
