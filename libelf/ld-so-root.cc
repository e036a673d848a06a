#include "libelf/ld-so-root.h"

#include "libformat/rooted-path.h"

#include <glob.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <fstream>
#include <functional>
#include <set>

namespace linkbox::elf {
namespace {

}  // namespace

bool is_absolute(std::string_view p) { return !p.empty() && p[0] == '/'; }

LoaderFiles::LoaderFiles(std::string root) : root_(std::move(root)) {}

std::string LoaderFiles::host_path(const std::string& path) {
  if (root_.empty() || !is_absolute(path)) return path;
  auto it = rooted_.find(path);
  if (it != rooted_.end()) return it->second;
  std::string host = resolve_in_root(root_, path);
  if (path.size() > 1 && path.back() == '/') host += '/';
  return rooted_.emplace(path, host).first->second;
}

std::shared_ptr<const LoaderObject> LoaderFiles::read(const std::string& host, const LoaderAbi& abi) {
  std::string key = std::to_string(abi.machine) + (abi.is64 ? ":64:" : ":32:") + host;
  auto it = files_.find(key);
  if (it != files_.end()) return it->second;
  return files_.emplace(key, read_loader_object(host, abi)).first->second;
}

int LoaderFiles::directory_error(const std::string& host) {
  auto it = stat_errors_.find(host);
  if (it != stat_errors_.end()) return it->second;
  struct stat st;
  int e = 0;
  if (stat(host.c_str(), &st) != 0) e = errno;
  else if (!S_ISDIR(st.st_mode)) e = -1;
  return stat_errors_.emplace(host, e).first->second;
}

bool LoaderFiles::has_ld_so_conf() {
  return !root_.empty() && directory_error(host_path("/etc/ld.so.conf")) == -1;
}

const LdSoCache* LoaderFiles::cache(ByteOrder order) {
  std::string key = order == ByteOrder::big ? "big" : "little";
  auto it = caches_.find(key);
  if (it == caches_.end()) {
    std::optional<LdSoCache> c;
    auto opened = LdSoCache::open(host_path("/etc/ld.so.cache"), order);
    if (opened) c = std::move(*opened);
    it = caches_.emplace(key, std::move(c)).first;
  }
  return it->second ? &*it->second : nullptr;
}

// The directories ldconfig would have put in the cache of a root that has
// an ld.so.conf but no ld.so.cache: the configured ones (with `include`
// globs, relative to the including file), then the default directories.
const std::vector<std::string>& LoaderFiles::ld_so_conf_dirs(const LoaderTarget& target) {
  if (conf_dirs_) return *conf_dirs_;
  conf_dirs_.emplace();
  std::set<std::string> seen_files;
  std::vector<std::string>& dirs = *conf_dirs_;
  auto add_dir = [&](std::string d) {
    while (d.size() > 1 && d.back() == '/') d.pop_back();
    if (!d.empty() && std::find(dirs.begin(), dirs.end(), d) == dirs.end()) dirs.push_back(d);
  };
  std::function<void(const std::string&, int)> parse = [&](const std::string& conf, int depth) {
    if (depth > 16 || !seen_files.insert(conf).second) return;
    std::ifstream in(host_path(conf));
    std::string line;
    while (std::getline(in, line)) {
      if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      size_t b = line.find_first_not_of(" \t\r");
      if (b == std::string::npos) continue;
      line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
      if (line.compare(0, 7, "include") == 0 && line.size() > 7 && (line[7] == ' ' || line[7] == '\t')) {
        std::string rest = line.substr(8);
        size_t at = 0;
        while ((at = rest.find_first_not_of(" \t", at)) != std::string::npos) {
          size_t end = rest.find_first_of(" \t", at);
          std::string pattern = rest.substr(at, end == std::string::npos ? std::string::npos : end - at);
          at = end == std::string::npos ? rest.size() : end;
          if (!is_absolute(pattern)) pattern = conf.substr(0, conf.rfind('/') + 1) + pattern;
          glob_t g{};
          std::string host_pattern = root_ + pattern;
          if (glob(host_pattern.c_str(), 0, nullptr, &g) == 0) {
            std::vector<std::string> found(g.gl_pathv, g.gl_pathv + g.gl_pathc);
            for (auto& f : found) parse(f.substr(root_.size()), depth + 1);
          }
          globfree(&g);
        }
      } else if (line.compare(0, 5, "hwcap") == 0 && line.size() > 5 && (line[5] == ' ' || line[5] == '\t')) {
        continue;  // ignored by ldconfig since glibc 2.33
      } else {
        // The libc5 "DIR=TYPE" form keeps only the directory.
        if (auto eq = line.find('='); eq != std::string::npos) line.erase(eq);
        add_dir(line);
      }
    }
  };
  parse("/etc/ld.so.conf", 0);
  for (auto d : target.system_dirs) add_dir(std::string(d));
  return dirs;
}

}  // namespace linkbox::elf
