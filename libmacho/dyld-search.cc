#include "libmacho/dyld-search.h"

#include "libformat/rooted-path.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

#include "libformat/mapped-file.h"
#include "libmacho/macho-file.h"
#include "libmacho/macho-types.h"
#include "libmacho/tbd.h"

namespace linkbox::macho {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}


// dyld's list splitting (PathOverrides::forEachInColonList): every element,
// empty ones included.
std::vector<std::string> colon_list(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t colon = list.find(':', start);
    if (colon == std::string::npos) {
      out.push_back(list.substr(start));
      return out;
    }
    out.push_back(list.substr(start, colon - start));
    start = colon + 1;
  }
}

std::string leaf_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "/path/Foo.framework/Versions/A/Foo" -> "Foo.framework/Versions/A/Foo";
// not a framework (the leaf is not the framework's name) -> nullopt.
// PathOverrides::getFrameworkPartialPath.
std::optional<std::string> framework_partial_path(const std::string& path) {
  size_t dot = path.rfind(".framework/");
  if (dot == std::string::npos) return std::nullopt;
  size_t start = dot == 0 ? std::string::npos : path.rfind('/', dot - 1);
  start = start == std::string::npos ? 0 : start + 1;
  if (path.substr(start, dot - start) != leaf_name(path)) return std::nullopt;
  return path.substr(start);
}

// Where an SDK keeps the stub of a dylib: X.dylib -> X.tbd, and a framework
// binary Foo -> Foo.tbd.
std::string stub_path_for(const std::string& path) {
  if (ends_with(path, ".dylib")) return path.substr(0, path.size() - 6) + ".tbd";
  return path + ".tbd";
}

std::string filetype_name(uint32_t t) {
  switch (t) {
    case MH_OBJECT: return "an object file";
    case MH_EXECUTE: return "an executable";
    case MH_DYLIB: return "a dylib";
    case MH_DYLINKER: return "a dynamic linker";
    case MH_BUNDLE: return "a bundle";
    case MH_DYLIB_STUB: return "a dylib stub";
    case MH_DSYM: return "a dSYM companion file";
    case MH_KEXT_BUNDLE: return "a kernel extension";
    default: return "of file type " + std::to_string(t);
  }
}

DylibUse use_of(uint32_t cmd) {
  switch (cmd) {
    case LC_LOAD_WEAK_DYLIB: return DylibUse::weak;
    case LC_REEXPORT_DYLIB: return DylibUse::reexport;
    case LC_LOAD_UPWARD_DYLIB: return DylibUse::upward;
    case LC_LAZY_LOAD_DYLIB: return DylibUse::lazy;
    default: return DylibUse::normal;
  }
}

std::string join_names(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The slice a process of `arch` takes, best first; nullptr if none.
const Slice* pick_slice(const MachOFile& file, const std::vector<std::string>& compatible) {
  for (const auto& want : compatible)
    for (const Slice& s : file.slices())
      if (arch_name(s.header().cputype, s.header().cpusubtype) == want) return &s;
  return nullptr;
}

std::vector<std::string> slice_archs(const MachOFile& file) {
  std::vector<std::string> out;
  for (const Slice& s : file.slices()) out.push_back(arch_name(s.header().cputype, s.header().cpusubtype));
  return out;
}

// The image a Mach-O slice describes (dependents not yet resolved).
DyldImage image_of(const Slice& s, const std::string& path, const std::string& host_path) {
  DyldImage img;
  img.form = DyldImage::Form::macho;
  img.path = path;
  img.host_path = host_path;
  img.arch = arch_name(s.header().cputype, s.header().cpusubtype);
  img.filetype = s.header().filetype;
  if (s.id_dylib()) img.install_name = s.id_dylib()->name;
  for (const Rpath& r : s.rpaths()) img.rpaths.push_back(r.path);
  for (const Dylib& d : s.dependencies()) {
    DyldDependency dep;
    dep.name = d.name;
    dep.use = use_of(d.cmd);
    img.dependencies.push_back(std::move(dep));
  }
  return img;
}

// One report: dyld's state while it launches one process.
class Resolver {
 public:
  Resolver(DyldFileSystem& files, const DyldEnvironment& env, std::string arch)
      : files_(files), env_(env), compatible_(dyld_compatible_archs(arch)) {
    report_.arch = std::move(arch);
  }

  DyldReport run(DyldImage main) {
    if (!main.identity.empty()) by_identity_[main.identity] = 0;
    report_.images.push_back(std::move(main));
    expanded_.push_back(false);
    load_dependents(0, {});
    return std::move(report_);
  }

 private:
  struct Candidate {
    std::string path;
    DyldSource source;
    std::string rpath, rpath_owner;
  };

  // JustInTimeLoader::loadDependents: this image's dependents first, then
  // theirs, each with the rpath chain through this image.
  void load_dependents(int x, std::vector<int> chain) {
    if (expanded_[x]) return;
    expanded_[x] = true;
    chain.push_back(x);
    size_t n = report_.images[x].dependencies.size();
    for (size_t k = 0; k < n; ++k) {
      std::string name = report_.images[x].dependencies[k].name;
      size_t before = report_.images.size();
      int found = -1;
      // An absolute path already loaded under that name is taken at once.
      if (starts_with(name, "/")) found = find_loaded(name);
      std::vector<DyldAttempt> tried;
      if (found < 0) found = get_loader(name, x, chain, tried);
      DyldDependency& dep = report_.images[x].dependencies[k];
      dep.image = found;
      if (found < 0) dep.tried = std::move(tried);
      if (found < 0 || report_.images.size() > before) report_.listing.push_back({found, x, k});
    }
    for (size_t k = 0; k < n; ++k)
      if (int d = report_.images[x].dependencies[k].image; d >= 0) load_dependents(d, chain);
  }

  // The path dyld gives the image, and its install name.
  int find_loaded(const std::string& path) const {
    for (size_t i = 0; i < report_.images.size(); ++i) {
      const DyldImage& img = report_.images[i];
      const std::string& own = img.stands_for.empty() ? img.path : img.stands_for;
      if (own == path || (!img.install_name.empty() && img.install_name == path)) return static_cast<int>(i);
    }
    return -1;
  }

  int get_loader(const std::string& load_path, int requester, const std::vector<int>& chain,
                 std::vector<DyldAttempt>& tried) {
    // Loader::getLoader: an @rpath/ name already loaded under that install
    // name is that image, whatever the rpaths would find now.
    if (starts_with(load_path, "@rpath/"))
      if (int i = find_loaded(load_path); i >= 0) return i;
    std::vector<Candidate> cands;
    add_candidates(load_path, requester, chain, cands);
    if (cands.empty()) {
      tried.push_back({DyldSource::install_name, "", "", load_path,
                       "dyld does not expand this (an @ prefix other than @executable_path/, @loader_path/, @rpath/)"});
      return -1;
    }
    for (const Candidate& c : cands)
      if (int i = try_candidate(c, tried); i >= 0) return i;
    return -1;
  }

  // PathOverrides::forEachPathVariant: the DYLD_ overrides, the name, the
  // fallbacks.
  void add_candidates(const std::string& load_path, int requester, const std::vector<int>& chain,
                      std::vector<Candidate>& out) {
    std::optional<std::string> framework = framework_partial_path(load_path);
    std::string leaf = leaf_name(load_path);
    if (framework && env_.framework_path) {
      for (const auto& dir : colon_list(*env_.framework_path))
        expand(dir + "/" + *framework, DyldSource::framework_path, requester, chain, out);
    } else if (!framework && env_.library_path) {
      for (const auto& dir : colon_list(*env_.library_path))
        expand(dir + "/" + leaf, DyldSource::library_path, requester, chain, out);
    }
    expand(load_path, DyldSource::install_name, requester, chain, out);
    if (framework) {
      bool custom = env_.fallback_framework_path.has_value();
      std::vector<std::string> dirs = custom ? colon_list(*env_.fallback_framework_path)
                                             : std::vector<std::string>{"/Library/Frameworks", "/System/Library/Frameworks"};
      for (const auto& dir : dirs)
        if (std::string p = dir + "/" + *framework; p != load_path)
          expand(p, custom ? DyldSource::fallback_framework_path : DyldSource::default_fallback, requester, chain, out);
    } else {
      bool custom = env_.fallback_library_path.has_value();
      std::vector<std::string> dirs =
          custom ? colon_list(*env_.fallback_library_path) : std::vector<std::string>{"/usr/local/lib", "/usr/lib"};
      for (const auto& dir : dirs)
        if (std::string p = dir + "/" + leaf; p != load_path)
          expand(p, custom ? DyldSource::fallback_library_path : DyldSource::default_fallback, requester, chain, out);
    }
  }

  // "@loader_path" or "@loader_path/..." relative to the image at
  // `image_path` (Loader::expandAtLoaderPath).
  static std::optional<std::string> at_loader_path(const std::string& p, const std::string& image_path) {
    if (!starts_with(p, "@loader_path") || (p.size() > 12 && p[12] != '/')) return std::nullopt;
    size_t slash = image_path.rfind('/');
    if (slash == std::string::npos) return std::nullopt;
    return image_path.substr(0, slash) + p.substr(12);
  }

  // Loader::expandAtExecutablePath.
  std::optional<std::string> at_executable_path(const std::string& p) const {
    if (!starts_with(p, "@executable_path") || (p.size() > 16 && p[16] != '/')) return std::nullopt;
    const std::string& main = report_.images[0].path;
    size_t slash = main.rfind('/');
    if (slash == std::string::npos) return std::nullopt;
    return p.size() > 16 ? main.substr(0, slash) + p.substr(16) : main.substr(0, slash + 1);
  }

  // Loader::forEachResolvedAtPathVar: one path, with its @ prefix expanded.
  void expand(const std::string& variant, DyldSource type, int requester, const std::vector<int>& chain,
              std::vector<Candidate>& out) {
    bool raw = type == DyldSource::install_name;
    if (auto p = at_loader_path(variant, report_.images[requester].path)) {
      out.push_back({*p, raw ? DyldSource::loader_path : type, "", ""});
      return;
    }
    if (starts_with(variant, "@loader_path") && (variant.size() == 12 || variant[12] == '/')) return;
    if (auto p = at_executable_path(variant)) {
      out.push_back({*p, raw ? DyldSource::executable_path : type, "", ""});
      return;
    }
    if (starts_with(variant, "@rpath/")) {
      std::string tail = variant.substr(6);  // starts with '/'
      for (auto link = chain.rbegin(); link != chain.rend(); ++link) {
        const DyldImage& img = report_.images[*link];
        for (const auto& rp : img.rpaths) {
          std::optional<std::string> base = at_loader_path(rp, img.path);
          if (!base) base = at_executable_path(rp);
          if (!base && !starts_with(rp, "@")) base = rp;  // absolute, or relative to the current directory
          if (!base || base->empty()) continue;
          std::string p = base->back() == '/' ? *base + tail.substr(1) : *base + tail;
          out.push_back({p, DyldSource::rpath, rp, img.path});
        }
      }
      return;
    }
    if (!starts_with(variant, "@")) out.push_back({variant, type, "", ""});
  }

  void note(std::vector<DyldAttempt>& tried, const Candidate& c, std::string result, const std::string& path = "") {
    tried.push_back({c.source, c.rpath, c.rpath_owner, path.empty() ? c.path : path, std::move(result)});
  }

  std::string want() const { return join_names(compatible_); }

  // The image at one path, or -1 (and why, in `tried`).
  int try_candidate(const Candidate& c, std::vector<DyldAttempt>& tried) {
    if (int i = find_loaded(c.path); i >= 0) return i;
    DyldFile f = files_.open(c.path);
    switch (f.status) {
      case DyldFile::Status::ok: {
        if (auto it = by_identity_.find(f.identity); !f.identity.empty() && it != by_identity_.end()) return it->second;
        if (looks_like_tbd(f.bytes)) return add_stub(c, c.path, f, tried);
        return add_macho(c, f, tried);
      }
      case DyldFile::Status::not_a_file:
        note(tried, c, "not a regular file");
        return -1;
      case DyldFile::Status::unreadable:
        note(tried, c, f.error);
        return -1;
      case DyldFile::Status::missing:
        break;
    }
    // What stands in for a missing dylib: a text stub beside it, or a
    // library inlined in a stub already loaded.
    std::string stub = stub_path_for(c.path);
    DyldFile sf = files_.open(stub);
    if (sf.status == DyldFile::Status::ok) {
      if (auto it = by_identity_.find(sf.identity); !sf.identity.empty() && it != by_identity_.end()) return it->second;
      return add_stub(c, stub, sf, tried);
    }
    if (auto it = inlined_.find(c.path); it != inlined_.end()) return add_inlined(c, it->second, tried);
    note(tried, c, "no such file");
    return -1;
  }

  int add_image(DyldImage img) {
    int index = static_cast<int>(report_.images.size());
    if (!img.identity.empty()) by_identity_.emplace(img.identity, index);
    report_.images.push_back(std::move(img));
    expanded_.push_back(false);
    return index;
  }

  void set_found(DyldImage& img, const Candidate& c) {
    img.found_by = c.source;
    img.rpath = c.rpath;
    img.rpath_owner = c.rpath_owner;
  }

  int add_macho(const Candidate& c, const DyldFile& f, std::vector<DyldAttempt>& tried) {
    if (!looks_like_macho(f.bytes)) {
      note(tried, c, "not a mach-o file");
      return -1;
    }
    auto file = MachOFile::parse(c.path, f.bytes);
    if (!file) {
      note(tried, c, "malformed mach-o file: " + file.error().message);
      return -1;
    }
    const Slice* s = pick_slice(*file, compatible_);
    if (!s) {
      note(tried, c, "mach-o file, but is an incompatible architecture (have '" + join_names(slice_archs(*file)) +
                         "', need '" + want() + "')");
      return -1;
    }
    if (s->header().filetype != MH_DYLIB) {
      note(tried, c, "not a dylib: it is " + filetype_name(s->header().filetype));
      return -1;
    }
    DyldImage img = image_of(*s, c.path, f.host_path);
    img.identity = f.identity;
    set_found(img, c);
    return add_image(std::move(img));
  }

  // The first architecture of ours the stub library has ("" if none). A
  // stub that lists none is taken for any.
  std::optional<std::string> stub_arch(const TbdLibrary& lib) const {
    if (lib.archs.empty()) return compatible_.front();
    for (const auto& a : compatible_)
      if (lib.has_arch(a)) return a;
    return std::nullopt;
  }

  DyldImage stub_image(const Candidate& c, const TbdLibrary& lib, const std::string& arch, const std::string& path,
                       const std::string& host_path, DyldImage::Form form) {
    DyldImage img;
    img.form = form;
    img.path = path;
    img.host_path = host_path;
    img.stands_for = c.path;
    img.install_name = lib.install_name;
    img.arch = arch;
    img.filetype = MH_DYLIB;
    for (auto& name : lib.reexports_for(arch)) {
      DyldDependency dep;
      dep.name = std::move(name);
      dep.use = DylibUse::reexport;
      img.dependencies.push_back(std::move(dep));
    }
    set_found(img, c);
    return img;
  }

  int add_stub(const Candidate& c, const std::string& stub, const DyldFile& f, std::vector<DyldAttempt>& tried) {
    std::string_view text(reinterpret_cast<const char*>(f.bytes.data()), f.bytes.size());
    auto tbd = parse_tbd(text, stub);
    if (!tbd) {
      note(tried, c, "malformed text stub: " + tbd.error().message, stub);
      return -1;
    }
    const TbdLibrary& lib = tbd->libraries[0];
    std::optional<std::string> arch = stub_arch(lib);
    if (!arch) {
      note(tried, c, "text stub, but for other architectures (have '" + join_names(lib.archs) + "', need '" + want() + "')",
           stub);
      return -1;
    }
    DyldImage img = stub_image(c, lib, *arch, stub, f.host_path, DyldImage::Form::text_stub);
    img.identity = f.identity;
    // The libraries inlined in it are there to be found by install name,
    // as in dyld's shared cache.
    for (size_t i = 1; i < tbd->libraries.size(); ++i)
      inlined_.emplace(tbd->libraries[i].install_name, Inlined{stub, f.host_path, tbd->libraries[i]});
    return add_image(std::move(img));
  }

  struct Inlined {
    std::string path, host_path;
    TbdLibrary library;
  };

  int add_inlined(const Candidate& c, const Inlined& in, std::vector<DyldAttempt>& tried) {
    std::optional<std::string> arch = stub_arch(in.library);
    if (!arch) {
      note(tried, c, "inlined in " + in.path + ", but for other architectures (have '" + join_names(in.library.archs) +
                         "', need '" + want() + "')");
      return -1;
    }
    return add_image(stub_image(c, in.library, *arch, in.path, in.host_path, DyldImage::Form::inlined));
  }

  DyldFileSystem& files_;
  const DyldEnvironment& env_;
  std::vector<std::string> compatible_;
  DyldReport report_;
  std::vector<bool> expanded_;
  std::map<std::string, int> by_identity_;
  std::map<std::string, Inlined> inlined_;
};

}  // namespace

std::string dyld_source_label(DyldSource source, const std::string& rpath, const std::string& rpath_owner) {
  switch (source) {
    case DyldSource::program: return "program";
    case DyldSource::install_name: return "install name";
    case DyldSource::executable_path: return "@executable_path";
    case DyldSource::loader_path: return "@loader_path";
    case DyldSource::rpath: return "rpath " + rpath + " of " + rpath_owner;
    case DyldSource::library_path: return "DYLD_LIBRARY_PATH";
    case DyldSource::framework_path: return "DYLD_FRAMEWORK_PATH";
    case DyldSource::fallback_library_path: return "DYLD_FALLBACK_LIBRARY_PATH";
    case DyldSource::fallback_framework_path: return "DYLD_FALLBACK_FRAMEWORK_PATH";
    case DyldSource::default_fallback: return "default fallback";
    case DyldSource::not_found: return "not found";
  }
  return "?";
}

std::string_view dyld_source_name(DyldSource source) {
  switch (source) {
    case DyldSource::program: return "program";
    case DyldSource::install_name: return "install-name";
    case DyldSource::executable_path: return "executable-path";
    case DyldSource::loader_path: return "loader-path";
    case DyldSource::rpath: return "rpath";
    case DyldSource::library_path: return "DYLD_LIBRARY_PATH";
    case DyldSource::framework_path: return "DYLD_FRAMEWORK_PATH";
    case DyldSource::fallback_library_path: return "DYLD_FALLBACK_LIBRARY_PATH";
    case DyldSource::fallback_framework_path: return "DYLD_FALLBACK_FRAMEWORK_PATH";
    case DyldSource::default_fallback: return "default-fallback";
    case DyldSource::not_found: return "not-found";
  }
  return "?";
}

std::string_view dylib_use_name(DylibUse use) {
  switch (use) {
    case DylibUse::normal: return "normal";
    case DylibUse::weak: return "weak";
    case DylibUse::reexport: return "reexport";
    case DylibUse::upward: return "upward";
    case DylibUse::lazy: return "lazy";
  }
  return "?";
}

bool DyldReport::missing_required() const {
  for (const auto& e : listing)
    if (e.image < 0 && dependency(e).use != DylibUse::weak) return true;
  return false;
}

std::vector<std::string> dyld_compatible_archs(const std::string& arch) {
  if (arch == "arm64e") return {"arm64e", "arm64"};
  if (arch == "x86_64h") return {"x86_64h", "x86_64"};
  return {arch};
}

HostFileSystem::HostFileSystem(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  if (root_ == "/") root_.clear();
}

HostFileSystem::~HostFileSystem() = default;

std::string HostFileSystem::host_path(const std::string& path) {
  if (auto it = placed_.find(path); it != placed_.end()) return it->second;
  if (root_.empty() || !starts_with(path, "/")) return path;
  // Inside the root, symbolic links resolve as under chroot(2); dyld
  // follows up to 32 (its MAXSYMLINKS), not the kernel's 40.
  return resolve_in_root(root_, path, 32);
}

DyldFile HostFileSystem::open(const std::string& path) {
  if (auto it = opened_.find(path); it != opened_.end()) return it->second;
  DyldFile f;
  f.host_path = host_path(path);
  struct stat st;
  if (stat(f.host_path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      f.status = DyldFile::Status::missing;
    } else {
      f.status = DyldFile::Status::unreadable;
      f.error = std::strerror(errno);
    }
  } else if (!S_ISREG(st.st_mode)) {
    f.status = DyldFile::Status::not_a_file;
  } else if (auto map = MappedFile::open(f.host_path); !map) {
    f.status = DyldFile::Status::unreadable;
    f.error = map.error().message;
  } else {
    f.status = DyldFile::Status::ok;
    f.bytes = (*map)->bytes();
    f.identity = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    maps_.push_back(std::move(*map));
  }
  return opened_.emplace(path, f).first->second;
}

DyldSearch::DyldSearch(DyldFileSystem& files, DyldEnvironment env) : files_(files), env_(std::move(env)) {}

Expected<std::vector<DyldReport>> DyldSearch::resolve(const std::string& path, const std::string& arch) {
  DyldFile f = files_.open(path);
  switch (f.status) {
    case DyldFile::Status::ok: break;
    case DyldFile::Status::missing: return make_error(path, "no such file");
    case DyldFile::Status::not_a_file: return make_error(path, "not a regular file");
    case DyldFile::Status::unreadable: return make_error(path, f.error);
  }
  if (!looks_like_macho(f.bytes)) return make_error(path, "not a Mach-O file");
  auto file = MachOFile::parse(path, f.bytes);
  if (!file) return file.error();

  std::vector<const Slice*> slices;
  if (!arch.empty()) {
    const Slice* s = pick_slice(*file, dyld_compatible_archs(arch));
    if (!s) return make_error(path, "no slice for architecture " + arch + " (it has " + join_names(slice_archs(*file)) + ")");
    slices.push_back(s);
  } else {
    for (const Slice& s : file->slices()) slices.push_back(&s);
  }

  std::vector<DyldReport> reports;
  for (const Slice* s : slices) {
    uint32_t type = s->header().filetype;
    if (type != MH_EXECUTE && type != MH_DYLIB && type != MH_BUNDLE)
      return s->error("not a program or library dyld loads: it is " + filetype_name(type));
    DyldImage main = image_of(*s, path, f.host_path);
    main.found_by = DyldSource::program;
    main.identity = f.identity;
    std::string process_arch = arch.empty() ? main.arch : arch;
    Resolver resolver(files_, env_, process_arch);
    reports.push_back(resolver.run(std::move(main)));
  }
  return reports;
}

}  // namespace linkbox::macho
