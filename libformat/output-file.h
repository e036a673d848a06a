// Writing a file safely: the new contents go to a temporary file in the
// target's directory, are checked, and only then renamed over the target.
// A failure at any step leaves the target exactly as it was.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <sys/types.h>

#include "libformat/expected.h"

namespace linkbox {

// Called with the bytes as they were read back from the temporary file. It
// returns an error to abandon the write.
using OutputValidator = std::function<Status(std::span<const uint8_t>)>;

// Writes `contents` to `target` through a temporary file, re-reads it, runs
// `validate` on what was read, then renames. The file gets `mode`.
Status write_file_atomically(const std::string& target, std::span<const uint8_t> contents,
                             mode_t mode, const OutputValidator& validate = {});

}  // namespace linkbox
