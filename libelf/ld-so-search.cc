#include "libelf/ld-so-search.h"

#include "libelf/ld-so-root.h"

#include <elf.h>
#include <glob.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <set>

namespace linkbox::elf {
namespace {

// What open_path remembers about each search directory and capability
// subdirectory (r_dir_status in dl-load.c).
enum class DirStatus { unknown, nonexisting, existing };

std::string current_directory() {
  std::vector<char> buf(PATH_MAX);
  while (getcwd(buf.data(), buf.size()) == nullptr) {
    if (errno != ERANGE) return "/";
    buf.resize(buf.size() * 2);
  }
  return buf.data();
}

// _dl_dst_count's test: the length of the token `ref` (without '$') at the
// start of `input` (just past the '$'), or 0.
size_t dst_length(std::string_view input, std::string_view ref) {
  if (!input.empty() && input[0] == '{') {
    if (input.size() < ref.size() + 2 || input.substr(1, ref.size()) != ref || input[ref.size() + 1] != '}')
      return 0;
    return ref.size() + 2;
  }
  if (input.substr(0, ref.size()) != ref) return 0;
  if (input.size() > ref.size()) {
    unsigned char next = static_cast<unsigned char>(input[ref.size()]);
    if (std::isalnum(next) || next == '_') return 0;
  }
  return ref.size();
}

size_t count_dsts(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') continue;
    std::string_view rest = s.substr(i + 1);
    if (dst_length(rest, "ORIGIN") || dst_length(rest, "PLATFORM") || dst_length(rest, "LIB")) ++n;
  }
  return n;
}

LoadedLibrary program_entry(const std::string& loader_path, const std::string& file) {
  LoadedLibrary lib;
  lib.name = loader_path;
  lib.path = file;
  lib.host_path = file;
  lib.found_by = FoundBy::program;
  return lib;
}

std::string errno_text(int e) { return e == ENOENT ? "no such file" : std::strerror(e); }

}  // namespace

std::string found_by_label(FoundBy how, const std::string& rpath_owner) {
  switch (how) {
    case FoundBy::program: return "program";
    case FoundBy::vdso: return "vdso";
    case FoundBy::interpreter: return "interpreter";
    case FoundBy::path: return "path";
    case FoundBy::rpath: return "rpath of " + rpath_owner;
    case FoundBy::ld_library_path: return "LD_LIBRARY_PATH";
    case FoundBy::runpath: return "runpath";
    case FoundBy::cache: return "ld.so.cache";
    case FoundBy::ld_so_conf: return "ld.so.conf";
    case FoundBy::default_dirs: return "default";
    case FoundBy::not_found: break;
  }
  return "not found";
}

bool LddReport::version_missing() const {
  for (const auto& m : version_messages)
    if (m.missing) return true;
  return false;
}

bool LddReport::any_missing() const {
  for (int i : listing)
    if (objects[i].missing()) return true;
  return false;
}

// What all programs of one session share.
struct LddSession::Shared {
  LddOptions options;
  std::string cwd;
  LoaderFiles files{""};
  std::map<const LoaderTarget*, Expected<LoaderCpu>> cpus;
};

namespace {

// One link map, as ld.so keeps it.
struct Map {
  std::vector<std::string> names;       // l_libname: every name it was asked for
  std::string l_name;                   // where it was found
  std::string host_path;
  std::optional<std::string> soname;
  std::optional<std::string> origin;    // l_origin; nullopt when unknown
  std::shared_ptr<const LoaderObject> file;
  bool faked = false, rtld = false, vdso = false, preloaded = false;
  bool has_id = false;
  dev_t dev = 0;
  ino_t ino = 0;
  int loader = -1;                      // l_loader
  uint64_t flags_1 = 0;

  // cache_rpath's state for DT_RPATH and DT_RUNPATH: not looked at yet,
  // none (or removed because no directory exists), or directory indices.
  enum class Paths { unset, none, list };
  Paths rpath_state = Paths::unset, runpath_state = Paths::unset;
  std::vector<int> rpath_dirs, runpath_dirs;

  FoundBy found_by = FoundBy::not_found;
  std::string rpath_owner;
  std::vector<int> needed;
  std::vector<std::string> needed_as;
  std::vector<SearchAttempt> tried;
  std::vector<LddVersionNeed> version_needs;
};

struct SearchDir {
  std::string name;  // with a trailing '/', or "" (the current directory)
  std::vector<DirStatus> status;  // per capability subdirectory
};

// A fatal error ld.so reports and stops at: "OBJECT: MESSAGE".
struct LoadError {
  std::string message;
  std::string reason;  // MESSAGE alone, as do_preload shows it
};

}  // namespace

// One run of the model for one program.
class LddResolver {
 public:
  LddResolver(LddSession::Shared& shared, const LoaderTarget& target, const LoaderCpu& cpu)
      : s_(shared), t_(target), cpu_(cpu), caps_(capability_subdirs(target, cpu)),
        rules_(cache_match_rules(target, cpu)) {}

  Expected<LddReport> run(const std::string& file, const std::string& loader_path,
                          std::shared_ptr<const LoaderObject> program);

 private:
  std::string display_name(int m) const { return m == 0 ? program_name_ : maps_[m].names.front(); }
  std::optional<std::string> substitute_dsts(int m, std::string_view input) const;
  std::string expand_token(int m, const std::string& input) const;
  std::vector<int> fill_in_paths(const std::string& text, std::string_view separators, int owner);
  bool cache_path(int m, bool runpath);
  std::optional<std::string> open_verify(const std::string& path, bool* other_class,
                                         std::shared_ptr<const LoaderObject>* file, int* error,
                                         std::string* why);
  struct Found {
    std::string realname;
    std::shared_ptr<const LoaderObject> file;
  };
  std::optional<Found> open_path(const std::string& name, std::vector<int>* dirs, Map::Paths* state,
                                 FoundBy source, const std::string& owner, bool* other_class,
                                 std::vector<SearchAttempt>* tried);
  std::optional<Found> search(int loader, const std::string& name, FoundBy* how, std::string* owner,
                              std::vector<SearchAttempt>* tried, bool* other_class);
  // `trace` is ld.so's trace mode: a library not found gets a stand-in
  // instead of failing (which sets error_).
  int map_object(int loader, const std::string& name, bool trace = true);
  void preload(const std::string& name, const std::string& where, std::vector<std::string>* messages);
  int add_map(Map m);
  void map_dependencies();
  void check_versions(LddReport& report);
  std::shared_ptr<const LoaderObject> version_source(int m);
  static std::string origin_of(const std::string& realname, const std::string& cwd);

  LddSession::Shared& s_;
  const LoaderTarget& t_;
  const LoaderCpu& cpu_;
  std::vector<std::string> caps_;
  CacheMatchRules rules_;
  std::string program_name_;
  std::vector<Map> maps_;
  std::vector<int> chain_;  // the link-map chain, in load order
  std::vector<SearchDir> dirs_;
  std::map<std::string, int> dir_index_;  // GL(dl_all_dirs)
  std::vector<int> system_dirs_;
  std::vector<int> env_dirs_;
  bool have_env_dirs_ = false;
  std::vector<int> preloads_;
  std::optional<LoadError> error_;
};

std::string LddResolver::origin_of(const std::string& realname, const std::string& cwd) {
  std::string full = is_absolute(realname) ? realname : cwd + (cwd.back() == '/' ? "" : "/") + realname;
  size_t slash = full.rfind('/');
  return slash == 0 ? "/" : full.substr(0, slash);
}

// _dl_dst_substitute: nullopt when a known token has no value here (ld.so
// then drops the whole path).
std::optional<std::string> LddResolver::substitute_dsts(int m, std::string_view input) const {
  std::string out;
  for (size_t i = 0; i < input.size();) {
    if (input[i] != '$') {
      out += input[i++];
      continue;
    }
    std::string_view rest = input.substr(i + 1);
    size_t len;
    std::optional<std::string> value;
    if ((len = dst_length(rest, "ORIGIN")) != 0) value = maps_[m].origin;
    else if ((len = dst_length(rest, "PLATFORM")) != 0) value = cpu_.platform;
    else if ((len = dst_length(rest, "LIB")) != 0) value = std::string(t_.dst_lib);
    if (len == 0) {
      out += '$';
      ++i;
      continue;
    }
    if (!value) return std::nullopt;
    out += *value;
    i += 1 + len;
  }
  return out;
}

// expand_dynamic_string_token: "" when the path is to be dropped.
std::string LddResolver::expand_token(int m, const std::string& input) const {
  if (count_dsts(input) == 0) return input;
  return substitute_dsts(m, input).value_or("");
}

// fillin_rpath: split, expand, normalise the trailing slash, and share each
// directory (and what is known of it) with every other path list.
std::vector<int> LddResolver::fill_in_paths(const std::string& text, std::string_view separators, int owner) {
  std::vector<int> out;
  size_t start = 0;
  while (true) {
    size_t end = text.find_first_of(separators, start);
    std::string element = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string dir;
    bool keep = true;
    if (!element.empty()) {
      dir = expand_token(owner, element);
      if (dir.empty()) keep = false;
      while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
      if (keep && dir.back() != '/') dir += '/';
    }
    if (keep) {
      auto it = dir_index_.find(dir);
      int index;
      if (it != dir_index_.end()) {
        index = it->second;
      } else {
        index = static_cast<int>(dirs_.size());
        // Relative directories are always tried: the current directory
        // could change.
        DirStatus init = is_absolute(dir) ? DirStatus::unknown : DirStatus::existing;
        dirs_.push_back({dir, std::vector<DirStatus>(caps_.size(), init)});
        dir_index_.emplace(dir, index);
      }
      if (std::find(out.begin(), out.end(), index) == out.end()) out.push_back(index);
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// cache_rpath + decompose_rpath for DT_RPATH or DT_RUNPATH of map `m`.
bool LddResolver::cache_path(int m, bool runpath) {
  Map& map = maps_[m];
  Map::Paths& state = runpath ? map.runpath_state : map.rpath_state;
  if (state == Map::Paths::unset) {
    const std::optional<std::string>* text = nullptr;
    if (map.file) text = runpath ? &map.file->runpath : &map.file->rpath;
    if (!text || !*text || (*text)->empty()) {
      state = Map::Paths::none;
    } else {
      std::vector<int> dirs = fill_in_paths(**text, ":", m);
      state = dirs.empty() ? Map::Paths::none : Map::Paths::list;
      (runpath ? map.runpath_dirs : map.rpath_dirs) = std::move(dirs);
    }
  }
  return state == Map::Paths::list;
}

// open_verify: the file at `path`, when ld.so would take it. Sets *error to
// the errno ld.so is left with otherwise; a file that stops ld.so sets
// error_.
std::optional<std::string> LddResolver::open_verify(const std::string& path, bool* other_class,
                                                 std::shared_ptr<const LoaderObject>* file, int* error,
                                                 std::string* why) {
  auto o = s_.files.read(s_.files.host_path(path), t_.abi);
  switch (o->outcome) {
    case OpenOutcome::ok:
      *file = o;
      return path;
    case OpenOutcome::cannot_open:
      *error = o->error_number;
      *why = errno_text(o->error_number);
      break;
    case OpenOutcome::other_class:
      *other_class = true;
      *error = ENOENT;
      *why = "wrong ELF class";
      break;
    case OpenOutcome::other_machine:
      *error = ENOENT;
      *why = "wrong machine or OS ABI";
      break;
    case OpenOutcome::fatal: {
      std::string msg = path + ": " + o->message;
      if (o->error_number != 0) msg += std::string(": ") + std::strerror(o->error_number);
      if (!error_) error_ = LoadError{msg, o->message};
      *error = o->error_number;
      *why = o->message;
      break;
    }
  }
  return std::nullopt;
}

// open_path: each directory of a list, each capability subdirectory first.
std::optional<LddResolver::Found> LddResolver::open_path(const std::string& name, std::vector<int>* dirs,
                                                   Map::Paths* state, FoundBy source,
                                                   const std::string& owner, bool* other_class,
                                                   std::vector<SearchAttempt>* tried) {
  bool any = false;
  for (int d : *dirs) {
    SearchDir& dir = dirs_[d];
    bool here_any = false;
    int error = 0;
    for (size_t cap = 0; cap < caps_.size(); ++cap) {
      std::string path = dir.name + caps_[cap] + name;
      if (dir.status[cap] == DirStatus::nonexisting) {
        if (caps_[cap].empty()) tried->push_back({source, owner, path, "no such directory"});
        continue;
      }
      std::shared_ptr<const LoaderObject> file;
      std::string why;
      auto got = open_verify(path, other_class, &file, &error, &why);
      if (error_) return std::nullopt;
      if (got) {
        dir.status[cap] = DirStatus::existing;
        return Found{path, file};
      }
      if (dir.status[cap] == DirStatus::unknown) {
        // Is there a directory at all? (Not for relative ones: they start
        // out as existing.)
        // (ld.so cuts the file name off at the '/' before it, so for the
        // directory "/" itself it asks about "", which fails.)
        std::string sub = dir.name + caps_[cap];
        sub.pop_back();
        int e = s_.files.directory_error(s_.files.host_path(sub));
        if (e != 0) {
          if (e != -1) error = e;
          dir.status[cap] = DirStatus::nonexisting;
        } else {
          dir.status[cap] = DirStatus::existing;
        }
      }
      if (dir.status[cap] != DirStatus::nonexisting) {
        here_any = true;
        tried->push_back({source, owner, path, why});
      } else if (caps_[cap].empty()) {
        // Missing capability subdirectories are noise; a missing search
        // directory is worth showing.
        tried->push_back({source, owner, path, "no such directory"});
      }
    }
    // A file that exists and is readable but could not be used ends this
    // list (though not the search).
    if (here_any && error != ENOENT && error != EACCES) return std::nullopt;
    any = any || here_any;
  }
  if (!any && state) *state = Map::Paths::none;
  return std::nullopt;
}

std::optional<LddResolver::Found> LddResolver::search(int loader, const std::string& name, FoundBy* how,
                                                std::string* owner, std::vector<SearchAttempt>* tried,
                                                bool* other_class_out) {
  bool& other_class = *other_class_out;
  std::optional<Found> found;
  Map& requester = maps_[loader];
  bool loader_has_runpath = requester.file && requester.file->runpath.has_value();
  if (!loader_has_runpath) {
    bool did_main = false;
    for (int l = loader; l != -1 && !found; l = maps_[l].loader) {
      if (!cache_path(l, false)) continue;
      found = open_path(name, &maps_[l].rpath_dirs, &maps_[l].rpath_state, FoundBy::rpath, display_name(l),
                        &other_class, tried);
      if (error_) return std::nullopt;
      if (found) {
        *how = FoundBy::rpath;
        *owner = display_name(l);
      }
      did_main = did_main || l == 0;
    }
    if (!found && !did_main && cache_path(0, false)) {
      found = open_path(name, &maps_[0].rpath_dirs, &maps_[0].rpath_state, FoundBy::rpath, display_name(0),
                        &other_class, tried);
      if (found) {
        *how = FoundBy::rpath;
        *owner = display_name(0);
      }
    }
  }
  if (!found && !error_ && have_env_dirs_) {
    found = open_path(name, &env_dirs_, nullptr, FoundBy::ld_library_path, "", &other_class, tried);
    if (found) *how = FoundBy::ld_library_path;
  }
  if (!found && !error_ && cache_path(loader, true)) {
    found = open_path(name, &maps_[loader].runpath_dirs, &maps_[loader].runpath_state, FoundBy::runpath, "",
                      &other_class, tried);
    if (found) *how = FoundBy::runpath;
  }
  bool nodeflib = (maps_[loader].flags_1 & DF_1_NODEFLIB) != 0;
  if (!found && !error_ && !s_.options.inhibit_cache) {
    std::optional<std::string> cached;
    FoundBy source = FoundBy::cache;
    if (const LdSoCache* cache = s_.files.cache(t_.abi.order)) {
      cached = cache->lookup(name, rules_);
    } else if (s_.files.has_ld_so_conf()) {
      // No ld.so.cache in the root: what ldconfig would have cached from
      // its ld.so.conf (libraries under their own name, glibc-hwcaps
      // subdirectories first).
      source = FoundBy::ld_so_conf;
      bool is_lib = (name.compare(0, 3, "lib") == 0 || name.compare(0, 3, "ld-") == 0) &&
                    name.find(".so") != std::string::npos;
      const auto& conf = s_.files.ld_so_conf_dirs(t_);
      std::vector<std::string> subdirs;
      for (const auto& h : cpu_.hwcaps_active) subdirs.push_back("/glibc-hwcaps/" + h + "/");
      subdirs.push_back("/");
      for (size_t k = 0; is_lib && !cached && k < subdirs.size(); ++k)
        for (const auto& d : conf) {
          std::string candidate = (d == "/" ? "" : d) + subdirs[k] + name;
          auto o = s_.files.read(s_.files.host_path(candidate), t_.abi);
          if (o->outcome == OpenOutcome::ok && (!o->soname || *o->soname == name)) {
            cached = candidate;
            break;
          }
        }
    }
    if (!cached) {
      bool have = source == FoundBy::ld_so_conf || s_.files.cache(t_.abi.order);
      tried->push_back({source, "", "", have ? "no entry" : "no ld.so.cache"});
    } else {
      bool rejected = false;
      if (nodeflib)
        for (auto dir : t_.system_dirs)
          if (cached->compare(0, dir.size(), dir) == 0) rejected = true;
      if (rejected) {
        tried->push_back({source, "", *cached, "in a default directory, and DF_1_NODEFLIB is set"});
      } else {
        std::shared_ptr<const LoaderObject> file;
        int error = 0;
        std::string why;
        if (open_verify(*cached, &other_class, &file, &error, &why)) {
          found = Found{*cached, file};
          *how = source;
        } else if (!error_) {
          tried->push_back({source, "", *cached, why});
        }
      }
    }
  }
  if (!found && !error_) {
    if (nodeflib) {
      tried->push_back({FoundBy::default_dirs, "", "", "not searched: DF_1_NODEFLIB is set"});
    } else {
      found = open_path(name, &system_dirs_, nullptr, FoundBy::default_dirs, "", &other_class, tried);
      if (found) *how = FoundBy::default_dirs;
    }
  }
  return found;
}

// do_preload: a preloaded object is looked for as one the program needs, but
// outside trace mode: one that cannot be loaded is reported and skipped.
void LddResolver::preload(const std::string& name, const std::string& where, std::vector<std::string>* messages) {
  size_t loaded = chain_.size();
  int m = map_object(0, name, false);
  if (m < 0) {
    messages->push_back("ERROR: ld.so: object '" + name + "' from " + where + " cannot be preloaded (" +
                        error_->reason + "): ignored.");
    error_.reset();
    return;
  }
  if (chain_.size() != loaded) {
    maps_[m].preloaded = true;
    preloads_.push_back(m);
  }
}

int LddResolver::add_map(Map m) {
  maps_.push_back(std::move(m));
  int index = static_cast<int>(maps_.size()) - 1;
  chain_.push_back(index);
  return index;
}

// _dl_map_object and _dl_map_object_from_fd: the map for `name` needed by
// map `loader`; -1 when ld.so would stop (error_ says why).
int LddResolver::map_object(int loader, const std::string& name, bool trace) {
  for (int m : chain_) {
    Map& map = maps_[m];
    if (map.faked) continue;
    if (map.l_name == name || std::find(map.names.begin(), map.names.end(), name) != map.names.end()) return m;
    if (map.soname && *map.soname == name) {
      map.names.push_back(name);
      return m;
    }
  }
  std::optional<Found> found;
  FoundBy how = FoundBy::not_found;
  std::string owner;
  std::vector<SearchAttempt> tried;
  bool other_class = false;
  if (name.find('/') == std::string::npos) {
    found = search(loader, name, &how, &owner, &tried, &other_class);
  } else {
    std::string realname = expand_token(loader, name);
    std::shared_ptr<const LoaderObject> file;
    int error = 0;
    std::string why;
    if (open_verify(realname, &other_class, &file, &error, &why)) {
      found = Found{realname, file};
      how = FoundBy::path;
    } else {
      tried.push_back({FoundBy::path, "", realname, why});
    }
  }
  if (error_) return -1;
  if (!found && !trace) {
    std::string reason = other_class ? (t_.abi.is64 ? "wrong ELF class: ELFCLASS32" : "wrong ELF class: ELFCLASS64")
                                     : "cannot open shared object file";
    error_ = LoadError{name + ": " + reason, reason};
    return -1;
  }
  if (!found) {
    // Trace mode: a stand-in that is never matched again, so the name is
    // listed as missing every time it is asked for.
    Map faked;
    faked.names = {name};
    faked.l_name = name;
    faked.faked = true;
    faked.loader = loader;
    faked.tried = std::move(tried);
    return add_map(std::move(faked));
  }
  const LoaderObject& o = *found->file;
  // The same file under another name is the object already loaded.
  for (int m : chain_) {
    Map& map = maps_[m];
    if (!map.faked && map.has_id && map.dev == o.dev && map.ino == o.ino) {
      if (std::find(map.names.begin(), map.names.end(), name) == map.names.end()) map.names.push_back(name);
      return m;
    }
  }
  const char* refusal = nullptr;
  if (o.empty_dynamic) refusal = "object file has no dynamic section";
  else if (o.misaligned_load) refusal = "ELF load command address/offset not page-aligned";
  else if (!o.has_load) refusal = "object file has no loadable segments";
  else if (o.type == ET_EXEC) refusal = "cannot dynamically load executable";
  else if (!o.has_dynamic) refusal = "object file has no dynamic section";
  else if (o.flags_1 & DF_1_PIE) refusal = "cannot dynamically load position-independent executable";
  if (refusal) {
    error_ = LoadError{name + ": " + refusal, refusal};
    return -1;
  }
  Map map;
  map.names = {name};
  map.l_name = found->realname;
  map.host_path = s_.files.host_path(found->realname);
  map.soname = o.soname;
  map.origin = origin_of(found->realname, s_.cwd);
  map.file = found->file;
  map.has_id = true;
  map.dev = o.dev;
  map.ino = o.ino;
  map.loader = loader;
  map.flags_1 = o.flags_1;
  map.found_by = how;
  map.rpath_owner = owner;
  return add_map(std::move(map));
}

// _dl_map_object_deps in trace mode: breadth first, filtees inserted in
// front of the object that names them.
void LddResolver::map_dependencies() {
  struct Node {
    int map;
    bool done;
  };
  std::vector<Node> known = {{0, false}};
  std::vector<bool> reserved(1, true);
  auto is_reserved = [&](int m) { return m < static_cast<int>(reserved.size()) && reserved[m]; };
  auto reserve = [&](int m) {
    if (m >= static_cast<int>(reserved.size())) reserved.resize(m + 1, false);
    reserved[m] = true;
  };
  // Preloaded objects come right after the program in the search order.
  for (int m : preloads_) {
    known.push_back({m, false});
    reserve(m);
  }
  size_t run = 0;
  while (run < known.size()) {
    int l = known[run].map;
    known[run].done = true;
    std::shared_ptr<const LoaderObject> file = maps_[l].file;
    if (file && file->has_dynamic && !maps_[l].rtld) {
      size_t orig = run;
      for (const DependencyEntry& dep : file->dependencies) {
        std::string name = expand_token(l, dep.name);
        if (dep.tag == DT_NEEDED) {
          // An unknown token in DT_NEEDED drops the entry.
          if (name.empty() && count_dsts(dep.name) != 0) continue;
          int m = map_object(l, name);
          if (m < 0) return;
          if (!is_reserved(m)) {
            known.push_back({m, false});
            reserve(m);
          }
          maps_[l].needed.push_back(m);
          maps_[l].needed_as.push_back(name);
          continue;
        }
        // DT_AUXILIARY and DT_FILTER.
        if (name.empty() && count_dsts(dep.name) != 0) {
          if (dep.tag == DT_AUXILIARY) {
            error_ = LoadError{dep.name + ": empty dynamic string token substitution", ""};
            return;
          }
          continue;
        }
        int aux = map_object(l, name);
        if (aux < 0) {
          if (dep.tag == DT_AUXILIARY) {
            error_.reset();
            continue;
          }
          return;
        }
        maps_[l].needed.push_back(aux);
        maps_[l].needed_as.push_back(name);
        // The filtee goes where the filter is; the filter moves one on.
        Node moved = known[orig];
        known[orig] = {aux, false};
        auto move_in_chain = [&](int before) {
          chain_.erase(std::find(chain_.begin(), chain_.end(), aux));
          chain_.insert(std::find(chain_.begin(), chain_.end(), before), aux);
        };
        if (is_reserved(aux)) {
          size_t late = orig + 1;
          while (late < known.size() && known[late].map != aux) ++late;
          if (late < known.size()) {
            known.erase(known.begin() + static_cast<long>(late));
            known.insert(known.begin() + static_cast<long>(orig) + 1, moved);
            move_in_chain(moved.map);
          } else {
            known[orig] = moved;  // already earlier in the list
            continue;
          }
        } else {
          known.insert(known.begin() + static_cast<long>(orig) + 1, moved);
          reserve(aux);
          move_in_chain(moved.map);
        }
        ++orig;
      }
    }
    while (run < known.size() && known[run].done) ++run;
  }
  // ld.so leaves the chain, and comes back (glibc 2.36: only when some
  // DT_NEEDED names it) right behind the object before it in the search
  // list, which leaves out the libraries not found.
  std::vector<int> search_list;
  for (const Node& n : known)
    if (!maps_[n.map].faked) search_list.push_back(n.map);
  int rtld = 1;
  chain_.erase(std::find(chain_.begin(), chain_.end(), rtld));
  auto at = std::find(search_list.begin() + 1, search_list.end(), rtld);
  if (at != search_list.end()) chain_.insert(std::find(chain_.begin(), chain_.end(), *(at - 1)) + 1, rtld);
}

Expected<LddReport> LddResolver::run(const std::string& file, const std::string& loader_path,
                                  std::shared_ptr<const LoaderObject> program) {
  program_name_ = file;
  LddReport report;
  report.target = &t_;
  report.interpreter = program->interpreter;
  report.kind = program->has_needed ? LddReport::Kind::dynamic : LddReport::Kind::statically_linked;

  Map program_map;
  program_map.names = {loader_path};
  program_map.l_name = "";  // rtld.c clears it once the program is mapped
  program_map.host_path = file;
  program_map.soname = program->soname;
  program_map.origin = origin_of(loader_path, s_.cwd);
  program_map.file = program;
  program_map.has_id = true;
  program_map.dev = program->dev;
  program_map.ino = program->ino;
  program_map.flags_1 = program->flags_1;
  program_map.found_by = FoundBy::program;
  add_map(std::move(program_map));

  // ld.so: found by the program's PT_INTERP name, named after the path it
  // was run as, and by its DT_SONAME.
  Map rtld;
  rtld.l_name = std::string(t_.interpreter);
  rtld.names = {program->interpreter ? *program->interpreter : rtld.l_name};
  if (rtld.names.front() != t_.rtld_soname) rtld.names.emplace_back(t_.rtld_soname);
  rtld.host_path = s_.files.host_path(rtld.l_name);
  rtld.rtld = true;
  rtld.found_by = FoundBy::interpreter;
  add_map(std::move(rtld));

  Map vdso;
  vdso.names = {std::string(t_.vdso_name)};
  vdso.l_name = vdso.names.front();
  vdso.soname = vdso.l_name;
  vdso.vdso = true;
  vdso.found_by = FoundBy::vdso;
  add_map(std::move(vdso));

  if (report.kind == LddReport::Kind::statically_linked) {
    report.objects.push_back(program_entry(loader_path, file));
    return report;
  }

  // _dl_init_paths: the default directories, then LD_LIBRARY_PATH with the
  // program's tokens expanded.
  std::string system;
  for (auto d : t_.system_dirs) system += (system.empty() ? "" : ":") + std::string(d);
  system_dirs_ = fill_in_paths(system, ":", 0);
  if (s_.options.library_path && !s_.options.library_path->empty()) {
    const std::string& llp = *s_.options.library_path;
    std::string expanded = count_dsts(llp) ? substitute_dsts(0, llp).value_or("") : llp;
    env_dirs_ = fill_in_paths(expanded, ":;", 0);
    have_env_dirs_ = !env_dirs_.empty();
  }

  // LD_PRELOAD (or --preload), then /etc/ld.so.preload.
  auto split = [](const std::string& text, const char* separators) {
    std::vector<std::string> out;
    size_t at = 0;
    while (at <= text.size()) {
      size_t end = text.find_first_of(separators, at);
      if (end == std::string::npos) end = text.size();
      if (end > at) out.push_back(text.substr(at, end - at));
      at = end + 1;
    }
    return out;
  };
  if (s_.options.preload)
    for (const auto& name : split(*s_.options.preload, " :"))
      preload(name, s_.options.preload_source, &report.preload_messages);
  if (std::ifstream in(s_.files.host_path("/etc/ld.so.preload")); in) {
    std::string text, line;
    while (std::getline(in, line)) text += line.substr(0, line.find('#')) + "\n";
    for (const auto& name : split(text, ": \t\n")) preload(name, "/etc/ld.so.preload", &report.preload_messages);
  }

  map_dependencies();
  if (error_) return make_error(file, "error while loading shared libraries: " + error_->message);
  check_versions(report);
  if (error_) return make_error(file, error_->message);

  for (size_t m = 0; m < maps_.size(); ++m) {
    const Map& map = maps_[m];
    LoadedLibrary lib;
    lib.name = m == 0 ? loader_path : map.names.front();
    lib.path = m == 0 ? file : map.l_name;
    lib.host_path = map.host_path;
    lib.found_by = map.faked ? FoundBy::not_found : map.found_by;
    lib.rpath_owner = map.rpath_owner;
    lib.needed_by = map.loader;
    lib.needed = map.needed;
    lib.needed_as = map.needed_as;
    lib.tried = map.tried;
    lib.version_needs = map.version_needs;
    lib.preloaded = map.preloaded;
    report.objects.push_back(std::move(lib));
  }
  for (int m : chain_)
    if (m != 0) report.listing.push_back(m);
  return report;
}

// What ld.so knows of map `m`'s versions: the file it was read from, or for
// ld.so itself, the loader's file in the root (when it is there).
std::shared_ptr<const LoaderObject> LddResolver::version_source(int m) {
  const Map& map = maps_[m];
  if (map.file) return map.file;
  if (map.rtld) {
    auto o = s_.files.read(map.host_path, t_.abi);
    if (o->outcome == OpenOutcome::ok) return o;
  }
  return nullptr;
}

// _dl_check_all_versions in trace mode with verbose messages, and what
// ldd -v lists (rtld.c). Objects are visited in chain order; a needed file
// is matched by name as find_needed does.
void LddResolver::check_versions(LddReport& report) {
  auto name_of = [&](int m) { return m == 0 ? maps_[0].names.front() : maps_[m].l_name; };
  auto matches = [&](int m, const std::string& name) {
    const Map& map = maps_[m];
    return map.l_name == name || std::find(map.names.begin(), map.names.end(), name) != map.names.end();
  };
  std::vector<int> order;
  for (int m : chain_) order.push_back(m);
  for (int m : order) {
    if (maps_[m].faked) continue;
    auto file = version_source(m);
    if (!file || !file->has_verneed) continue;
    for (const VersionNeedEntry& need : file->version_needs) {
      if (need.version != 1) {
        error_ = LoadError{name_of(m) + ": unsupported version " + std::to_string(need.version) +
                           " of Verneed record", ""};
        return;
      }
      int provider = -1;
      for (int c : chain_)
        if (matches(c, need.file)) {
          provider = c;
          break;
        }
      if (provider < 0) {
        error_ = LoadError{"Inconsistency detected by ld.so: dl-version.c: Assertion `needed != NULL' failed! (" +
                           name_of(m) + " has a version need for " + need.file + ", which it does not load)", ""};
        return;
      }
      if (maps_[provider].faked || maps_[provider].vdso) continue;
      auto defs = version_source(provider);
      if (!defs) continue;
      for (const VersionNeedAuxEntry& aux : need.versions) {
        std::string requirer = name_of(m), provider_name = name_of(provider);
        if (!defs->has_verdef) {
          report.version_messages.push_back(
              {provider_name + ": no version information available (required by " + requirer + ")", false});
          continue;
        }
        bool found = false;
        for (const VersionDefEntry& def : defs->version_defs) {
          if (def.version != 1) {
            report.version_messages.push_back(
                {provider_name + ": unsupported version " + std::to_string(def.version) + " of Verdef record", true});
            found = true;
            break;
          }
          if (def.hash == aux.hash && def.name == aux.name) {
            found = true;
            break;
          }
        }
        if (found) continue;
        if (aux.weak) {
          report.version_messages.push_back(
              {provider_name + ": weak version `" + aux.name + "' not found (required by " + requirer + ")", false});
        } else {
          report.version_messages.push_back(
              {provider_name + ": version `" + aux.name + "' not found (required by " + requirer + ")", true});
        }
      }
    }
  }
  // ldd -v: every need, with the object of the search list that defines the
  // version (searched from the end, as rtld.c's find_needed does).
  std::vector<int> search;
  for (int m : chain_)
    if (!maps_[m].faked) search.push_back(m);
  for (int m : chain_) {
    if (maps_[m].faked) continue;
    auto file = version_source(m);
    if (!file || !file->has_verneed) continue;
    for (const VersionNeedEntry& need : file->version_needs) {
      int provider = -1;
      for (auto it = search.rbegin(); it != search.rend(); ++it)
        if (matches(*it, need.file)) {
          provider = *it;
          break;
        }
      std::shared_ptr<const LoaderObject> defs = provider >= 0 ? version_source(provider) : nullptr;
      for (const VersionNeedAuxEntry& aux : need.versions) {
        LddVersionNeed v;
        v.file = need.file;
        v.version = aux.name;
        v.weak = aux.weak;
        if (defs)
          for (const VersionDefEntry& def : defs->version_defs)
            if (def.name == aux.name) v.provided_by = maps_[provider].l_name;
        maps_[m].version_needs.push_back(std::move(v));
      }
    }
  }
}

LddSession::LddSession(LddOptions options) : shared_(std::make_unique<Shared>()) {
  shared_->options = std::move(options);
  shared_->cwd = current_directory();
  if (!shared_->options.root.empty()) {
    char* real = realpath(shared_->options.root.c_str(), nullptr);
    std::string root = real ? real : shared_->options.root;
    free(real);
    if (root == "/") root.clear();
    shared_->files = LoaderFiles(root);
  }
}

LddSession::~LddSession() = default;

Expected<LddReport> LddSession::resolve(const std::string& file) {
  Shared& s = *shared_;
  struct stat st;
  if (stat(file.c_str(), &st) != 0) return make_error(file, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return make_error(file, "not a regular file");

  // glibc's ldd runs "ld.so ./FILE" for a name without '/'.
  std::string given = file.find('/') == std::string::npos ? "./" + file : file;
  std::string loader_path = given;
  const std::string& root = s.files.root();
  if (!root.empty()) {
    std::string absolute = lexically_normal(is_absolute(given) ? given : s.cwd + "/" + given);
    if (absolute.compare(0, root.size() + 1, root + "/") != 0) {
      char* dir = realpath((absolute.substr(0, absolute.rfind('/')) + "/.").c_str(), nullptr);
      if (dir) absolute = std::string(dir) + absolute.substr(absolute.rfind('/'));
      free(dir);
    }
    if (absolute.compare(0, root.size() + 1, root + "/") == 0) loader_path = absolute.substr(root.size());
  }

  LddReport not_dynamic;
  not_dynamic.kind = LddReport::Kind::not_dynamic;
  not_dynamic.objects.push_back(program_entry(loader_path, file));

  // The loader that takes this file: by its class, byte order and machine.
  uint8_t ident[20] = {};
  {
    FILE* f = fopen(file.c_str(), "rb");
    if (!f) return make_error(file, std::strerror(errno));
    size_t n = fread(ident, 1, sizeof ident, f);
    fclose(f);
    if (n < sizeof ident || std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
      not_dynamic.why_not_dynamic = "not an ELF file";
      return not_dynamic;
    }
  }
  bool is64 = ident[EI_CLASS] == ELFCLASS64;
  ByteOrder order = ident[EI_DATA] == ELFDATA2MSB ? ByteOrder::big : ByteOrder::little;
  uint16_t machine = load<uint16_t>(ident + 18, order);
  const LoaderTarget* target = find_loader_target(machine, is64, order, 0, root);
  if (!target || (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64)) {
    not_dynamic.why_not_dynamic = "no dynamic loader known to linkbox takes this machine and class";
    return not_dynamic;
  }
  auto program = read_loader_object(file, target->abi);
  const char* refusal = nullptr;
  if (program->outcome != OpenOutcome::ok) refusal = program->outcome == OpenOutcome::fatal
                                                         ? "the dynamic loader refuses it"
                                                         : "the dynamic loader skips it";
  else if (program->empty_dynamic) refusal = "object file has no dynamic section";
  else if (program->misaligned_load) refusal = "ELF load command address/offset not page-aligned";
  else if (!program->has_load) refusal = "object file has no loadable segments";
  else if (!program->has_dynamic) refusal = "no dynamic section";
  if (refusal) {
    not_dynamic.target = target;
    not_dynamic.why_not_dynamic = program->outcome == OpenOutcome::fatal ? program->message : refusal;
    return not_dynamic;
  }

  auto cpu = s.cpus.find(target);
  if (cpu == s.cpus.end()) cpu = s.cpus.emplace(target, loader_cpu(*target, s.options.cpu)).first;
  if (!cpu->second) return cpu->second.error();
  LddResolver resolver(s, *target, *cpu->second);
  return resolver.run(file, loader_path, program);
}

}  // namespace linkbox::elf
