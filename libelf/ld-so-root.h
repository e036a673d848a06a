// The file system as the dynamic loader sees it: this system's, or a
// sysroot's, in which absolute paths and absolute symbolic links resolve
// inside the root as they would under chroot(2). It also keeps what the
// search reads more than once: the files ld.so would open (by ABI), which
// directories exist, ld.so.cache, and the root's ld.so.conf.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libelf/ld-so-cache.h"
#include "libelf/ld-so-machine.h"
#include "libelf/ld-so-object.h"
#include "libformat/rooted-path.h"

namespace linkbox::elf {

bool is_absolute(std::string_view path);
using linkbox::lexically_normal;

class LoaderFiles {
 public:
  // `root`: a canonical directory without a trailing '/', or "" for this
  // system.
  explicit LoaderFiles(std::string root);

  const std::string& root() const { return root_; }
  // The path on this system of a path the loader uses. Relative paths stay
  // relative to the current directory.
  std::string host_path(const std::string& path);
  // read_loader_object, once per file and ABI.
  std::shared_ptr<const LoaderObject> read(const std::string& host, const LoaderAbi& abi);
  // 0 when `host` is a directory, -1 when it is something else, else the
  // errno of stat.
  int directory_error(const std::string& host);
  // The root's /etc/ld.so.cache in the loader's byte order; null when there
  // is none ld.so would use.
  const LdSoCache* cache(ByteOrder order);
  // Whether a root has an /etc/ld.so.conf, to stand in for a missing cache.
  bool has_ld_so_conf();
  // The directories ldconfig would have cached from the root's ld.so.conf:
  // the configured ones (following `include`), then the default ones.
  const std::vector<std::string>& ld_so_conf_dirs(const LoaderTarget& target);

 private:
  std::string root_;
  std::map<std::string, std::shared_ptr<const LoaderObject>> files_;  // by ABI and host path
  std::map<std::string, int> stat_errors_;                           // by host path
  std::map<std::string, std::string> rooted_;                        // loader path -> host path
  std::map<std::string, std::optional<LdSoCache>> caches_;           // by byte order
  std::optional<std::vector<std::string>> conf_dirs_;
};

}  // namespace linkbox::elf
