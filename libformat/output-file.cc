#include "libformat/output-file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace linkbox {
namespace {

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Error system_error(const std::string& file, const char* what) {
  return make_error(file, std::string(what) + ": " + std::strerror(errno));
}

bool write_all(int fd, std::span<const uint8_t> data) {
  const uint8_t* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

// Reads the temporary file back through a fresh mapping, so the validator sees
// what is really on disk rather than our own buffer.
Status read_back_and_validate(int fd, const std::string& target, size_t size,
                              const OutputValidator& validate) {
  if (!validate) return {};
  if (size == 0) return validate({});
  void* p = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return system_error(target, "cannot re-read the new file");
  Status s = validate({static_cast<const uint8_t*>(p), size});
  munmap(p, size);
  return s;
}

}  // namespace

Status write_file_atomically(const std::string& requested, std::span<const uint8_t> contents,
                             mode_t mode, const OutputValidator& validate) {
  // Editing through a symlink edits the file it points to, as fopen() would;
  // renaming over the link itself would silently detach it.
  std::string target = requested;
  if (char* real = realpath(requested.c_str(), nullptr)) {
    target = real;
    free(real);
  }
  struct stat old_st;
  bool had_old = ::stat(target.c_str(), &old_st) == 0;
  std::string tmpl = directory_of(target) + "/." + base_of(target) + ".linkbox-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0) return system_error(target, "cannot create a temporary file beside it");
  std::string tmp(name.data());
  auto fail = [&](Error e) -> Status {
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  };
  if (!write_all(fd, contents)) return fail(system_error(target, "cannot write"));
  if (had_old && fchown(fd, old_st.st_uid, old_st.st_gid) != 0) {
    // Not fatal: an unprivileged user cannot give a file away, and the new
    // file then simply belongs to them, as with any editor.
  }
  if (fchmod(fd, mode) != 0) return fail(system_error(target, "cannot set the file mode"));
  if (Status s = read_back_and_validate(fd, target, contents.size(), validate); !s)
    return fail(s.error());
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return system_error(target, "cannot write");
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    Error e = system_error(target, "cannot replace the file");
    ::unlink(tmp.c_str());
    return e;
  }
  return {};
}

}  // namespace linkbox
