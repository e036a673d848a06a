// The library search of dyld, macOS's dynamic loader, run on files: which
// dylibs a program loads and where dyld finds them, without a Mac.
//
// The model follows dyld4 (dyld/Loader.cpp, JustInTimeLoader.cpp and
// DyldProcessConfig.cpp of apple-oss-distributions/dyld) and dyld(1):
//  - load order: an image's dependents (LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB,
//    LC_REEXPORT_DYLIB, LC_LOAD_UPWARD_DYLIB, LC_LAZY_LOAD_DYLIB) are all
//    loaded first, in load-command order, then each one's dependents in turn
//    (JustInTimeLoader::loadDependents), so an image's rpath chain is the
//    chain through which its dependents were first expanded;
//  - for each dependent, the paths tried are (PathOverrides::
//    forEachPathVariant and Loader::forEachResolvedAtPathVar):
//      1. DYLD_FRAMEWORK_PATH directories + the framework part of the name
//         ("Foo.framework/Versions/A/Foo"), for a framework; for any other
//         name, DYLD_LIBRARY_PATH directories + the name's leaf;
//      2. the name itself, with @loader_path/ (the directory of the image
//         whose load command it is), @executable_path/ (the main
//         executable's directory) or @rpath/ expanded; @rpath/ takes each
//         LC_RPATH of the image that asks, then of the image that loaded
//         that one, and so on down to the main executable (an LC_RPATH may
//         itself start with @loader_path/, meaning its own image's
//         directory, or @executable_path/);
//      3. DYLD_FALLBACK_FRAMEWORK_PATH (default /Library/Frameworks,
//         /System/Library/Frameworks) + the framework part for a framework,
//         else DYLD_FALLBACK_LIBRARY_PATH (default /usr/local/lib, /usr/lib)
//         + the leaf;
//  - a path that names an image already loaded (by its path or its install
//    name, or the same file through another link) is that image, and an
//    @rpath/ name already loaded under that install name is taken first;
//  - a file is used only if it is a Mach-O dylib with a slice for the
//    process's architecture (arm64e also takes arm64, x86_64h x86_64);
//    otherwise the search goes on;
//  - a weak dependent that is not found is left out; any other is an error
//    for dyld (here: listed as not found, and the listing goes on).
// Two additions stand in for what a Mac has and a sysroot lacks:
//  - text-based stubs: where X.dylib (or the framework binary X) is
//    missing, X.tbd is used, as an SDK provides; its re-exported libraries
//    are its dependents;
//  - the libraries inlined in a stub (libSystem's umbrella stub holds
//    /usr/lib/system/*) are found by their install names, as dyld finds
//    them in its shared cache.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libformat/expected.h"

namespace linkbox {
class MappedFile;
}

namespace linkbox::macho {

// A path the search opened.
struct DyldFile {
  enum class Status { ok, missing, not_a_file, unreadable };
  Status status = Status::missing;
  std::string host_path;            // the same file on this system
  std::string error;                // for unreadable: what the system said
  std::span<const uint8_t> bytes;   // for ok: valid as long as the file system
  std::string identity;             // the same file under another name ("" unknown)
};

// The file system as dyld sees it. The search itself does no I/O, so it can
// run on a root, an SDK or a test's fake.
class DyldFileSystem {
 public:
  virtual ~DyldFileSystem() = default;
  // `path` as dyld names it: absolute, or relative to the current directory.
  virtual DyldFile open(const std::string& path) = 0;
};

// This system's files, or those of a root (an SDK or a copied macOS tree) in
// which absolute paths, and absolute symbolic links met inside it, resolve
// as under chroot(2). Files are mapped once and kept.
class HostFileSystem : public DyldFileSystem {
 public:
  // `root`: "" for this system.
  explicit HostFileSystem(std::string root);
  ~HostFileSystem() override;
  DyldFile open(const std::string& path) override;
  // The path on this system of a path dyld uses.
  std::string host_path(const std::string& path);
  // Makes dyld see the file at `host_path` (a path on this system) as
  // `path`: the main executable, wherever it is.
  void place(const std::string& path, const std::string& host_path) { placed_[path] = host_path; }
  const std::string& root() const { return root_; }

 private:
  std::string root_;
  std::map<std::string, std::string> placed_;
  std::map<std::string, DyldFile> opened_;
  std::vector<std::unique_ptr<MappedFile>> maps_;
};

// The DYLD_* variables that steer the search (nullopt: unset).
struct DyldEnvironment {
  std::optional<std::string> library_path;             // DYLD_LIBRARY_PATH
  std::optional<std::string> framework_path;           // DYLD_FRAMEWORK_PATH
  std::optional<std::string> fallback_library_path;    // DYLD_FALLBACK_LIBRARY_PATH
  std::optional<std::string> fallback_framework_path;  // DYLD_FALLBACK_FRAMEWORK_PATH
};

// How a path to try was made.
enum class DyldSource {
  program,                  // the file given
  install_name,             // the name as it is (absolute or relative)
  executable_path,          // @executable_path/ expanded
  loader_path,              // @loader_path/ expanded
  rpath,                    // @rpath/ expanded with an LC_RPATH
  library_path,             // DYLD_LIBRARY_PATH
  framework_path,           // DYLD_FRAMEWORK_PATH
  fallback_library_path,    // DYLD_FALLBACK_LIBRARY_PATH
  fallback_framework_path,  // DYLD_FALLBACK_FRAMEWORK_PATH
  default_fallback,         // the default fallback directories
  not_found,
};

// "rpath @loader_path/../lib of /app/main", "DYLD_LIBRARY_PATH", ...
std::string dyld_source_label(DyldSource source, const std::string& rpath, const std::string& rpath_owner);
// "rpath", "DYLD_LIBRARY_PATH", ... (for --json).
std::string_view dyld_source_name(DyldSource source);

// How an image asks for a dependent (its load command).
enum class DylibUse { normal, weak, reexport, upward, lazy };
std::string_view dylib_use_name(DylibUse use);  // "normal", "weak", ...

struct DyldAttempt {
  DyldSource source = DyldSource::not_found;
  std::string rpath, rpath_owner;  // for DyldSource::rpath
  std::string path;                // the path tried
  std::string result;              // why it was not taken
};

struct DyldDependency {
  std::string name;  // as the load command names it
  DylibUse use = DylibUse::normal;
  int image = -1;    // index in DyldReport::images; -1 when not found
  std::vector<DyldAttempt> tried;  // when not found: every path tried
  bool missing() const { return image < 0; }
};

struct DyldImage {
  enum class Form {
    macho,       // a Mach-O file
    text_stub,   // a .tbd standing in for the dylib
    inlined,     // a library inlined in a .tbd
  };
  Form form = Form::macho;
  std::string path;        // the file read, as dyld names it (the .tbd for a stub)
  std::string host_path;   // that file on this system
  std::string stands_for;  // for a stub: the dylib path dyld was looking for
  std::string install_name;  // LC_ID_DYLIB or the stub's install-name ("" if none)
  std::string arch;          // of the slice (or stub architecture) used
  uint32_t filetype = 0;     // MH_EXECUTE, MH_DYLIB, ... (MH_DYLIB for stubs)
  DyldSource found_by = DyldSource::not_found;
  std::string rpath, rpath_owner;  // for DyldSource::rpath
  std::vector<std::string> rpaths;  // its LC_RPATHs
  std::vector<DyldDependency> dependencies;  // in load-command order
  std::string identity;
};

// One line of the listing: the first load of an image, or a dependency not
// found (listed each time it is asked for).
struct DyldListEntry {
  int image = -1;      // -1: not found
  int requester = 0;   // the image whose load command asked
  size_t dependency = 0;  // index in the requester's dependencies
};

struct DyldReport {
  std::string arch;                 // the process's architecture
  std::vector<DyldImage> images;    // [0] is the main executable; then load order
  std::vector<DyldListEntry> listing;
  // A dependent that is not weak was not found: dyld would not start.
  bool missing_required() const;
  const DyldDependency& dependency(const DyldListEntry& e) const {
    return images[e.requester].dependencies[e.dependency];
  }
};

// The architectures a process of `arch` loads, best first: "arm64e" ->
// arm64e, arm64; "x86_64h" -> x86_64h, x86_64; anything else itself.
std::vector<std::string> dyld_compatible_archs(const std::string& arch);

class DyldSearch {
 public:
  DyldSearch(DyldFileSystem& files, DyldEnvironment env);

  // The images dyld loads for the main executable at `path` (dyld's name for
  // it). With `arch`, the slice a process of that architecture would run;
  // without, one report per slice. An error when the file cannot be read,
  // is not Mach-O, is not something dyld runs or loads, or has no slice
  // for `arch`.
  Expected<std::vector<DyldReport>> resolve(const std::string& path, const std::string& arch = "");

 private:
  DyldFileSystem& files_;
  DyldEnvironment env_;
};

}  // namespace linkbox::macho
