#include "liblink/driver.h"

namespace linkbox::link {

Status run_link(const LinkOptions&) {
  return make_error("", "linking is not implemented yet");
}

}  // namespace linkbox::link
