#include "libformat/mapped-file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace linkbox {

Expected<std::unique_ptr<MappedFile>> MappedFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(path, std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return make_error(path, std::strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return make_error(path, "is a directory");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(path, "not a regular file");
  }
  size_t size = static_cast<size_t>(st.st_size);
  // An empty file cannot be mapped; it is represented by an empty span.
  static const uint8_t empty = 0;
  const uint8_t* data = &empty;
  if (size != 0) {
    void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int e = errno;
      ::close(fd);
      return make_error(path, std::string("cannot map file: ") + std::strerror(e));
    }
    data = static_cast<const uint8_t*>(p);
  }
  ::close(fd);
  return std::unique_ptr<MappedFile>(new MappedFile(path, data, size, st.st_mode & 07777));
}

MappedFile::~MappedFile() {
  if (size_ != 0) munmap(const_cast<uint8_t*>(data_), size_);
}

}  // namespace linkbox
