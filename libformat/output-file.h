// Writing a file safely: the new contents go to a temporary file in the
// target's directory, are checked, and only then renamed over the target.
// A failure at any step leaves the target exactly as it was.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>
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

// A new file of known size, built in place: a temporary file beside the
// target, mapped into memory (zero-filled), so a large output is written
// once rather than built in a buffer and then copied. commit() checks and
// renames it; without a commit the temporary file is removed. A target
// that exists and is not a regular file (/dev/null, a FIFO) is written into
// directly, as GNU ld does, never replaced.
class OutputFile {
 public:
  static Expected<std::unique_ptr<OutputFile>> create(const std::string& target, size_t size);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  uint8_t* data() { return data_; }
  size_t size() const { return size_; }
  Status commit(mode_t mode, const OutputValidator& validate = {});

 private:
  OutputFile() = default;
  std::string target_, tmp_;
  int fd_ = -1;
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;          // false: data_ is a heap buffer, written at commit
  bool in_place_ = false;        // the target is a device or FIFO: written into, never replaced
  std::vector<uint8_t> fallback_;
  bool had_old_ = false;
  uid_t old_uid_ = 0;
  gid_t old_gid_ = 0;
};

}  // namespace linkbox
