// The link driver. Linking arrives with the link issues; until then the
// driver refuses clearly rather than pretending.
#pragma once

#include <string>
#include <vector>

#include "libformat/expected.h"
#include "liblink/link-options.h"

namespace linkbox::link {

Status run_link(const LinkOptions& options);

}  // namespace linkbox::link
