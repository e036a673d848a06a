// The library search of glibc 2.36's ld.so, run on files instead of memory:
// what `ld.so --list` (glibc's ldd) would load for a program, found without
// executing anything, for this system or a sysroot of another architecture.
//
// The model follows elf/rtld.c, elf/dl-deps.c and elf/dl-load.c:
//  - the dependency walk is breadth first (_dl_map_object_deps); an object
//    already loaded is matched by the name it was asked for, its path, its
//    DT_SONAME, or (once opened) its device and inode;
//  - a name without '/' is searched in DT_RPATH of the requesting object and
//    of each object that loaded it, up to the program (only when the
//    requesting object has no DT_RUNPATH), then LD_LIBRARY_PATH, then the
//    requesting object's own DT_RUNPATH, then ld.so.cache, then the default
//    directories unless the requesting object has DF_1_NODEFLIB (which also
//    rejects cache entries in the default directories);
//  - every search directory is tried with the glibc-hwcaps and legacy hwcap
//    subdirectories first, and a directory found missing is not tried again;
//  - $ORIGIN, ${ORIGIN}, $LIB and $PLATFORM are expanded as ld.so does;
//  - files of the other ELF class or another machine are skipped; files ld.so
//    would refuse outright (a directory, a truncated or non-ELF file, a PIE)
//    stop the whole listing, as they stop ld.so;
//  - a library not found is listed ("not found") every time it is asked for,
//    as ld.so's trace mode does;
//  - the listing order is ld.so's link-map chain: the vDSO, the libraries in
//    load order, and ld.so itself moved behind the object that precedes it in
//    the search list.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libelf/ld-so-machine.h"
#include "libformat/expected.h"

namespace linkbox::elf {

struct LddOptions {
  // A sysroot whose files, ld.so.cache (or, without one, ld.so.conf) and
  // default directories are used; "" for this system.
  std::string root;
  // LD_LIBRARY_PATH, or what --library-path gave; nullopt when unset.
  std::optional<std::string> library_path;
  CpuOverrides cpu;
  // ld.so --inhibit-cache.
  bool inhibit_cache = false;
  // LD_PRELOAD (or --preload): names separated by spaces or colons, and
  // what messages call it.
  std::optional<std::string> preload;
  std::string preload_source = "LD_PRELOAD";
};

// Where a library came from.
enum class FoundBy {
  program,          // the file given
  vdso,             // the kernel's vDSO
  interpreter,      // ld.so itself
  path,             // the DT_NEEDED name contains '/'
  rpath,            // DT_RPATH of `rpath_owner`
  ld_library_path,  // LD_LIBRARY_PATH or --library-path
  runpath,          // DT_RUNPATH of the object that needs it
  cache,            // ld.so.cache
  ld_so_conf,       // a sysroot's ld.so.conf directories (no ld.so.cache there)
  default_dirs,     // the default directories
  not_found,
};

// The label --tree prints: "rpath of X", "ld.so.cache", ...
std::string found_by_label(FoundBy how, const std::string& rpath_owner);

// A place looked at while searching for a library.
struct SearchAttempt {
  FoundBy source = FoundBy::not_found;
  std::string rpath_owner;  // for FoundBy::rpath
  std::string path;         // the file tried, as the loader names it ("" for a cache miss)
  std::string result;       // why it was not taken: "no such file", "wrong ELF class", ...
};

// One version an object needs (a Vernaux of its DT_VERNEED), as ldd -v
// lists it.
struct LddVersionNeed {
  std::string file;      // the library named in the Verneed record
  std::string version;   // the version name
  bool weak = false;
  std::optional<std::string> provided_by;  // the path of the object that defines it, if any
};

// One object in the listing.
struct LoadedLibrary {
  std::string name;          // the name it was first asked for (ld.so's l_libname)
  std::string path;          // where it was found, as the loader names it (l_name)
  std::string host_path;     // the same file on this system (under --root)
  FoundBy found_by = FoundBy::not_found;
  std::string rpath_owner;   // the object whose DT_RPATH found it
  int needed_by = -1;        // the object that first asked for it (index), -1 for none
  std::vector<int> needed;   // what its DT_NEEDED (and filter) entries resolved to, in order
  std::vector<std::string> needed_as;  // the names those entries asked for
  std::vector<SearchAttempt> tried;  // for a library not found
  std::vector<LddVersionNeed> version_needs;
  bool preloaded = false;    // loaded from LD_PRELOAD or /etc/ld.so.preload
  bool missing() const { return found_by == FoundBy::not_found; }
};

// A message of ld.so's version check: "OBJECT: version `V' not found
// (required by REQUIRER)", or the weaker "no version information available"
// and "weak version" ones.
struct VersionMessage {
  std::string text;
  bool missing = false;  // a (non-weak) version not found: the program would not start
};

struct LddReport {
  enum class Kind {
    dynamic,            // libraries listed
    statically_linked,  // a dynamic section without DT_NEEDED ("statically linked")
    not_dynamic,        // nothing ld.so would run ("not a dynamic executable")
  };
  Kind kind = Kind::not_dynamic;
  std::string why_not_dynamic;   // for not_dynamic: what ld.so objects to
  const LoaderTarget* target = nullptr;
  std::optional<std::string> interpreter;  // the program's PT_INTERP
  // objects[0] is the program; the others in the order they were loaded.
  std::vector<LoadedLibrary> objects;
  // Indices into `objects`, in the order glibc's ldd prints them.
  std::vector<int> listing;
  // ld.so's version check (_dl_check_all_versions), in its order. glibc's
  // ldd prints them, after the program's name, before the listing.
  std::vector<VersionMessage> version_messages;
  bool version_missing() const;
  // do_preload's "ERROR: ld.so: object 'X' from LD_PRELOAD cannot be
  // preloaded (...): ignored." lines.
  std::vector<std::string> preload_messages;
  bool any_missing() const;
};

class LddResolver;

// Runs the search for one program after another, sharing what was read
// (files, directories, the cache) between them.
class LddSession {
 public:
  explicit LddSession(LddOptions options);
  ~LddSession();
  LddSession(const LddSession&) = delete;
  LddSession& operator=(const LddSession&) = delete;

  // The libraries `file` loads. `file` is a path on this system; under a
  // root, a file inside the root is seen by the loader at its path inside
  // the root. An error means ld.so would stop: a file it cannot open or
  // read, or a dependency it refuses ("error while loading shared
  // libraries").
  Expected<LddReport> resolve(const std::string& file);

 private:
  friend class LddResolver;
  struct Shared;
  std::unique_ptr<Shared> shared_;
};

}  // namespace linkbox::elf
