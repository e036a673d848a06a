// The link driver. Linking arrives with the link issues; until then the
// driver refuses clearly rather than pretending.
#pragma once

#include <string>
#include <vector>

#include "libformat/expected.h"

namespace linkbox::link {

struct LinkOptions {
  std::vector<std::string> arguments;
};

Status run_link(const LinkOptions& options);

}  // namespace linkbox::link
