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

// Where a new file for `requested` goes: editing through a symlink edits the
// file it points to, as fopen() would; renaming over the link itself would
// silently detach it.
static std::string resolve_target(const std::string& requested) {
  std::string target = requested;
  if (char* real = realpath(requested.c_str(), nullptr)) {
    target = real;
    free(real);
  }
  return target;
}

Expected<std::unique_ptr<OutputFile>> OutputFile::create(const std::string& requested, size_t size) {
  std::unique_ptr<OutputFile> out(new OutputFile());
  out->target_ = resolve_target(requested);
  out->size_ = size;
  struct stat old_st;
  if (::stat(out->target_.c_str(), &old_st) == 0) {
    out->had_old_ = true;
    out->old_uid_ = old_st.st_uid;
    out->old_gid_ = old_st.st_gid;
    if (!S_ISREG(old_st.st_mode)) {
      if (S_ISDIR(old_st.st_mode)) {
        errno = EISDIR;
        return system_error(out->target_, "cannot write");
      }
      out->in_place_ = true;
      out->fallback_.assign(size, 0);
      out->data_ = out->fallback_.data();
      return out;
    }
  }
  std::string tmpl = directory_of(out->target_) + "/." + base_of(out->target_) + ".linkbox-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  out->fd_ = mkstemp(name.data());
  if (out->fd_ < 0) return system_error(out->target_, "cannot create a temporary file beside it");
  out->tmp_ = name.data();
  if (size > 0 && ::ftruncate(out->fd_, static_cast<off_t>(size)) != 0)
    return system_error(out->target_, "cannot size the new file");
  // Reserve the blocks now: a full disk must be an error here, not a
  // SIGBUS while writing through the mapping.
  if (size > 0) {
    int err = posix_fallocate(out->fd_, 0, static_cast<off_t>(size));
    if (err == ENOSPC || err == EFBIG) {
      errno = err;
      return system_error(out->target_, "cannot write");
    }
  }
  void* p = size ? mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, out->fd_, 0) : MAP_FAILED;
  if (p != MAP_FAILED) {
    out->data_ = static_cast<uint8_t*>(p);
    out->mapped_ = true;
  } else {
    // Some file systems cannot map files; build the bytes in memory instead.
    out->fallback_.assign(size, 0);
    out->data_ = out->fallback_.data();
  }
  return out;
}

OutputFile::~OutputFile() {
  if (mapped_) munmap(data_, size_);
  if (fd_ >= 0) ::close(fd_);
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
}

Status OutputFile::commit(mode_t mode, const OutputValidator& validate) {
  if (in_place_) {
    if (validate)
      if (Status s = validate(fallback_); !s) return s;
    int fd = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return system_error(target_, "cannot write");
    bool ok = write_all(fd, fallback_);
    if (::close(fd) != 0) ok = false;
    if (!ok) return system_error(target_, "cannot write");
    return {};
  }
  if (mapped_) {
    munmap(data_, size_);
    mapped_ = false;
    data_ = nullptr;
  } else if (!write_all(fd_, fallback_)) {
    return system_error(target_, "cannot write");
  }
  if (had_old_ && fchown(fd_, old_uid_, old_gid_) != 0) {
    // Not fatal: an unprivileged user cannot give a file away.
  }
  if (fchmod(fd_, mode) != 0) return system_error(target_, "cannot set the file mode");
  if (Status s = read_back_and_validate(fd_, target_, size_, validate); !s) return s;
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return system_error(target_, "cannot write");
  if (::rename(tmp_.c_str(), target_.c_str()) != 0) return system_error(target_, "cannot replace the file");
  tmp_.clear();  // renamed: nothing to remove
  return {};
}

Status write_file_atomically(const std::string& target, std::span<const uint8_t> contents,
                             mode_t mode, const OutputValidator& validate) {
  auto out = OutputFile::create(target, contents.size());
  if (!out) return out.error();
  if (!contents.empty()) std::memcpy((*out)->data(), contents.data(), contents.size());
  return (*out)->commit(mode, validate);
}

}  // namespace linkbox
