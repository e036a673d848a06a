#include "liblink/driver.h"

namespace linkbox::link {

Status run_link(const LinkOptions& options) {
  // The command line is understood; producing output comes next. Refuse
  // rather than write something that is not a correct link.
  return make_error(options.output, "linking is not implemented yet in this version of linkbox");
}

}  // namespace linkbox::link
