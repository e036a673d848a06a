// Read-only memory-mapped input files.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <sys/types.h>

#include "libformat/expected.h"

namespace linkbox {

class MappedFile {
 public:
  // Maps `path` read-only. Errors name the file and say what the system said.
  static Expected<std::unique_ptr<MappedFile>> open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::string& path() const { return path_; }
  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  size_t size() const { return size_; }
  mode_t mode() const { return mode_; }

 private:
  MappedFile(std::string path, const uint8_t* data, size_t size, mode_t mode)
      : path_(std::move(path)), data_(data), size_(size), mode_(mode) {}
  std::string path_;
  const uint8_t* data_;
  size_t size_;
  mode_t mode_;
};

}  // namespace linkbox
