// The patchelf personality: patchelf 0.19's command line and semantics on top
// of linkbox's ELF editor.
//
// patchelf applies its operations in a fixed order, whatever the order on the
// command line (see patch_one below), prints results without file names, and
// reports errors as "patchelf: MESSAGE" with exit status 1. Where patchelf's
// own behaviour is unsafe, linkbox differs on purpose and the man page says so:
// sections that move keep their old bytes, --add-needed does not add a name
// the file already needs, and every edited file is re-checked before it
// replaces the original.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

#include "libelf/dynamic-info.h"
#include "libelf/resolution-cache.h"
#include "libformat/diagnostics.h"
#include "libformat/file-type.h"
#include "libformat/mapped-file.h"
#include "tools/common.h"
#include "tools/tools.h"

namespace linkbox::tools {
namespace {

// Thrown inside this front end only, and caught in run_patchelf: patchelf
// stops at its first error.
struct PatchelfError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& message) { throw PatchelfError(message); }

const char* kHelp =
    "syntax: %s\n"
    "  [--set-interpreter FILENAME]\n"
    "  [--page-size SIZE]\n"
    "  [--print-interpreter]\n"
    "  [--print-os-abi]\t\tPrints 'EI_OSABI' field of ELF header\n"
    "  [--set-os-abi ABI]\t\tSets 'EI_OSABI' field of ELF header to ABI.\n"
    "  [--print-soname]\t\tPrints 'DT_SONAME' entry of .dynamic section. Raises an error if DT_SONAME doesn't exist\n"
    "  [--set-soname SONAME]\t\tSets 'DT_SONAME' entry to SONAME.\n"
    "  [--set-rpath RPATH]\n"
    "  [--add-rpath RPATH]\n"
    "  [--remove-rpath]\n"
    "  [--shrink-rpath]\n"
    "  [--allowed-rpath-prefixes PREFIXES]\t\tWith '--shrink-rpath', reject rpath entries not starting with the allowed prefix\n"
    "  [--print-rpath]\n"
    "  [--force-rpath]\n"
    "  [--add-needed LIBRARY]\n"
    "  [--remove-needed LIBRARY]\n"
    "  [--replace-needed LIBRARY NEW_LIBRARY]\n"
    "  [--print-needed]\n"
    "  [--no-default-lib]\n"
    "  [--no-sort]\t\tDo not sort program+section headers; useful for debugging patchelf.\n"
    "  [--clear-symbol-version SYMBOL]\n"
    "  [--add-debug-tag]\n"
    "  [--build-resolution-cache]\n"
    "  [--print-execstack]\t\tPrints whether the object requests an executable stack\n"
    "  [--clear-execstack]\n"
    "  [--set-execstack]\n"
    "  [--rename-dynamic-symbols NAME_MAP_FILE]\tRenames dynamic symbols. The map file should contain two symbols (old_name new_name) per line\n"
    "  [--no-clobber-old-sections]\t\tDo not clobber old section values - only use when the binary expects to find section info at the old location.\n"
    "  [--output FILE]\n"
    "  [--debug]\n"
    "  [--version]\n"
    "  FILENAME...\n";

struct Options {
  std::vector<std::string> files;
  std::string output;
  uint64_t page_size = 0;
  bool debug = false;
  bool print_interpreter = false, print_os_abi = false, print_soname = false;
  bool print_rpath = false, print_needed = false, print_execstack = false;
  std::string set_interpreter, set_os_abi;
  std::optional<std::string> set_soname;
  enum class Rpath { none, shrink, remove, set, add } rpath_op = Rpath::none;
  bool shrink_rpath = false, remove_rpath = false, set_rpath_given = false, add_rpath_given = false;
  std::string new_rpath;
  std::vector<std::string> allowed_prefixes;
  bool force_rpath = false;
  std::set<std::string> add_needed, remove_needed, clear_symbol_version;
  std::map<std::string, std::string> replace_needed;
  bool no_default_lib = false, add_debug_tag = false, build_resolution_cache = false;
  bool clear_execstack = false, set_execstack = false;
  std::map<std::string, std::string> rename_symbols;
  bool no_clobber = false;
};

// patchelf's @file: the whole file, unmodified, is the value.
std::string resolve_argument(const std::string& arg) {
  if (arg.empty() || arg[0] != '@') return arg;
  std::string path = arg.substr(1);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    fail("getting info about '" + path + "': " + std::strerror(errno));
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("opening '" + path + "': " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::map<std::string, std::string> read_symbol_map(const std::string& file) {
  std::ifstream in(file);
  if (!in) fail("Cannot open map file " + file + ": " + std::strerror(errno));
  std::map<std::string, std::string> out;
  std::string line;
  int n = 1;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string from, to;
    if (!(words >> from)) break;  // a blank line ends the map, as in patchelf
    if (!(words >> to)) fail(file + ":" + std::to_string(n) + ": Map file line is missing the second element");
    if (out.count(from)) fail(file + ":" + std::to_string(n) + ": Name '" + from + "' appears twice in the map file");
    if (from.find('@') != std::string::npos || to.find('@') != std::string::npos)
      fail(file + ":" + std::to_string(n) + ": Name pair contains version tag: " + from + " " + to);
    out[from] = to;
    ++n;
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep, bool keep_trailing_empty) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t at = s.find(sep, start);
    if (at == std::string::npos) {
      if (start < s.size() || keep_trailing_empty) out.push_back(s.substr(start));
      break;
    }
    out.push_back(s.substr(start, at - start));
    start = at + 1;
  }
  return out;
}

// Returns false when the run should stop with the given exit status.
bool parse(int argc, char** argv, Options& o, int* status) {
  if (argc <= 1) {
    std::fprintf(stderr, kHelp, argv[0]);
    *status = 1;
    return false;
  }
  if (const char* e = std::getenv("PATCHELF_DEBUG"); e) o.debug = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (++i >= argc) fail("missing argument");
      return argv[i];
    };
    if (a == "--set-interpreter" || a == "--interpreter") o.set_interpreter = resolve_argument(value());
    else if (a == "--page-size") {
      long v = std::atol(value().c_str());
      if (v <= 0) fail("invalid argument to --page-size");
      // patchelf accepts any positive size; one below the kernel's 4096-byte
      // pages produces a file that cannot be loaded, so linkbox refuses it.
      if (v < 4096 || (v & (v - 1)) != 0)
        fail("invalid argument to --page-size: " + std::to_string(v) + " is not a power of two of at least 4096");
      o.page_size = static_cast<uint64_t>(v);
    }
    else if (a == "--print-interpreter") o.print_interpreter = true;
    else if (a == "--print-os-abi") o.print_os_abi = true;
    else if (a == "--set-os-abi") o.set_os_abi = resolve_argument(value());
    else if (a == "--print-soname") o.print_soname = true;
    else if (a == "--set-soname") o.set_soname = resolve_argument(value());
    else if (a == "--remove-rpath") o.remove_rpath = true;
    else if (a == "--shrink-rpath") o.shrink_rpath = true;
    else if (a == "--allowed-rpath-prefixes") o.allowed_prefixes = split(value(), ':', false);
    else if (a == "--set-rpath") { o.set_rpath_given = true; o.new_rpath = resolve_argument(value()); }
    else if (a == "--add-rpath") { o.add_rpath_given = true; o.new_rpath = resolve_argument(value()); }
    else if (a == "--print-rpath") o.print_rpath = true;
    else if (a == "--force-rpath") o.force_rpath = true;
    else if (a == "--print-needed") o.print_needed = true;
    else if (a == "--add-needed") o.add_needed.insert(resolve_argument(value()));
    else if (a == "--remove-needed") o.remove_needed.insert(resolve_argument(value()));
    else if (a == "--replace-needed") {
      if (i + 2 >= argc) fail("missing argument(s)");
      std::string from = argv[++i];
      o.replace_needed[from] = argv[++i];
    }
    else if (a == "--clear-symbol-version") o.clear_symbol_version.insert(resolve_argument(value()));
    else if (a == "--print-execstack") o.print_execstack = true;
    else if (a == "--clear-execstack") o.clear_execstack = true;
    else if (a == "--set-execstack") o.set_execstack = true;
    else if (a == "--debug") o.debug = true;
    else if (a == "--no-default-lib") o.no_default_lib = true;
    else if (a == "--no-sort") { /* linkbox never sorts headers; see patchelf(1) */ }
    else if (a == "--add-debug-tag") o.add_debug_tag = true;
    else if (a == "--build-resolution-cache") o.build_resolution_cache = true;
    else if (a == "--rename-dynamic-symbols") o.rename_symbols = read_symbol_map(value());
    else if (a == "--no-clobber-old-sections") o.no_clobber = true;
    else if (a == "--output") o.output = resolve_argument(value());
    else if (a == "--help" || a == "-h") {
      std::fprintf(stderr, kHelp, argv[0]);
      *status = 0;
      return false;
    }
    else if (a == "--version") {
      // Scripts compare this version; linkbox implements 0.19.1's command line.
      std::printf("patchelf 0.19.1\n");
      *status = 0;
      return false;
    }
    else o.files.push_back(a);  // patchelf treats anything else as a file name
  }
  if (o.files.empty()) fail("missing filename");
  if (o.force_rpath && o.build_resolution_cache)
    fail("--build-resolution-cache cannot be combined with --force-rpath");
  if (!o.output.empty() && o.files.size() > 1) fail("--output option only allowed with single input file");
  if (o.set_rpath_given && o.add_rpath_given) fail("--set-rpath option not allowed with --add-rpath");
  o.rpath_op = o.shrink_rpath ? Options::Rpath::shrink
             : o.remove_rpath ? Options::Rpath::remove
             : o.set_rpath_given ? Options::Rpath::set
             : o.add_rpath_given ? Options::Rpath::add
             : Options::Rpath::none;
  return true;
}

const char* os_abi_name(uint8_t abi) {
  switch (abi) {
    case 0: return "System V";
    case 1: return "HP-UX";
    case 2: return "NetBSD";
    case 3: return "Linux";
    case 4: return "GNU Hurd";
    case 6: return "Solaris";
    case 7: return "AIX";
    case 8: return "IRIX";
    case 9: return "FreeBSD";
    case 10: return "Tru64";
    case 12: return "OpenBSD";
    case 13: return "OpenVMS";
  }
  return nullptr;
}

uint8_t parse_os_abi(std::string s) {
  auto trim = [](std::string& t) {
    t.erase(0, t.find_first_not_of(" \t\n\r\f\v"));
    t.erase(t.find_last_not_of(" \t\n\r\f\v") + 1);
  };
  trim(s);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::pair<const char*, uint8_t> names[] = {
      {"system v", 0}, {"system-v", 0}, {"sysv", 0}, {"hp-ux", 1}, {"netbsd", 2}, {"linux", 3},
      {"gnu", 3}, {"gnu hurd", 4}, {"gnu-hurd", 4}, {"hurd", 4}, {"solaris", 6}, {"aix", 7},
      {"irix", 8}, {"freebsd", 9}, {"tru64", 10}, {"openbsd", 12}, {"openvms", 13}};
  for (auto [n, v] : names)
    if (s == n) return v;
  fail("unrecognized OS ABI");
}

class Patcher {
 public:
  Patcher(const Options& o, const std::string& path) : o_(o), path_(path) {}

  void run() {
    load();
    if (o_.debug && !any_print()) std::fprintf(stderr, "patching ELF file '%s'\n", path_.c_str());
    if (o_.print_interpreter) {
      require_interp();
      std::printf("%s\n", editor_->interpreter()->c_str());
    }
    const elf::Ehdr& eh = in_->elf.header();
    if (o_.print_os_abi) {
      uint8_t abi = eh.ident[EI_OSABI];
      if (const char* n = os_abi_name(abi)) std::printf("%s\n", n);
      else std::printf("0x%02X\n", abi);
    }
    if (!o_.set_os_abi.empty()) {
      uint8_t abi = parse_os_abi(o_.set_os_abi);
      if (abi != eh.ident[EI_OSABI]) editor_->set_os_abi(abi);
    }
    if (o_.print_soname) print_soname();
    if (o_.set_soname) set_soname(*o_.set_soname);
    if (!o_.set_interpreter.empty()) {
      require_interp();
      if (*editor_->interpreter() != o_.set_interpreter) check(editor_->set_interpreter(o_.set_interpreter));
    }
    if (o_.print_rpath && !dynamic_is_nobits()) {
      require_dynamic();
      auto [rpath, runpath] = current_rpath_entries();
      const elf::DynamicEntry* cur = runpath ? runpath : rpath;
      std::printf("%s\n", cur ? cur->text->c_str() : "");
    }
    if (o_.print_execstack) print_execstack();
    else if (o_.clear_execstack) set_execstack(false);
    else if (o_.set_execstack) set_execstack(true);
    if (o_.rpath_op != Options::Rpath::none && !dynamic_is_nobits()) modify_rpath();
    if (o_.print_needed) {
      require_dynamic();
      for (const auto& e : editor_->dynamic())
        if (e.tag == DT_NEEDED) std::printf("%s\n", e.text->c_str());
    }
    if (!o_.remove_needed.empty()) remove_needed();
    if (!o_.replace_needed.empty()) replace_needed();
    if (!o_.add_needed.empty()) add_needed();
    for (const auto& sym : o_.clear_symbol_version) clear_symbol_version(sym);
    if (o_.no_default_lib) no_default_lib();
    if (o_.add_debug_tag) add_debug_tag();
    drop_stale_cache();
    if (o_.build_resolution_cache) build_resolution_cache();
    if (!o_.rename_symbols.empty()) rename_symbols();
    commit();
  }

 private:
  bool any_print() const {
    return o_.print_interpreter || o_.print_os_abi || o_.print_soname || o_.print_rpath ||
           o_.print_needed || o_.print_execstack;
  }

  void check(const Status& s) {
    if (!s) fail(s.error().file.empty() ? s.error().message : s.error().file + ": " + s.error().message);
  }

  void load() {
    auto map = MappedFile::open(path_);
    if (!map) fail("getting info about '" + path_ + "': " + map.error().message);
    auto bytes = (*map)->bytes();
    if (bytes.size() < 52) fail("missing ELF header");
    if (identify_file(bytes) != FileType::elf) fail("not an ELF executable");
    if (bytes[EI_VERSION] != EV_CURRENT) fail("unsupported ELF version");
    if (bytes[EI_CLASS] != ELFCLASS32 && bytes[EI_CLASS] != ELFCLASS64) fail("ELF executable is not 32 or 64 bit");
    auto elf = elf::ElfFile::parse(path_, bytes);
    if (!elf) fail(path_ + ": " + elf.error().message);
    uint16_t type = elf->header().type;
    if (type != ET_EXEC && type != ET_DYN) fail("wrong ELF type");
    in_.emplace(LoadedElf{std::move(*map), std::move(*elf)});
    auto editor = elf::ElfEditor::open(in_->elf);
    if (!editor) fail(path_ + ": " + editor.error().message);
    editor_.emplace(std::move(*editor));
  }

  void require_interp() {
    if (!editor_->interpreter())
      fail("cannot find section '.interp'. The input file is most likely statically linked");
  }
  void require_dynamic() {
    if (!editor_->has_dynamic())
      fail("cannot find section '.dynamic'. The input file is most likely statically linked");
  }
  // A separate debug file's .dynamic has no bytes; like patchelf, run-path
  // operations then do nothing.
  bool dynamic_is_nobits() const {
    const elf::Section* s = in_->elf.find_section(".dynamic");
    return s && s->hdr.type == SHT_NOBITS;
  }
  std::vector<elf::DynamicEntry>& dyn() { return editor_->mutable_dynamic(); }
  bool is_shared_object() const { return in_->elf.header().type == ET_DYN; }

  void print_soname() {
    require_dynamic();
    if (!is_shared_object()) return;  // patchelf only looks at ET_DYN files
    for (const auto& e : editor_->dynamic())
      if (e.tag == DT_SONAME) {
        if (!e.text->empty()) std::printf("%s\n", e.text->c_str());
        return;
      }
  }

  void set_soname(const std::string& name) {
    require_dynamic();
    if (!is_shared_object()) return;
    for (auto& e : dyn())
      if (e.tag == DT_SONAME) {
        if (*e.text != name) e.text = name;
        return;
      }
    dyn().insert(dyn().begin(), elf::ElfEditor::string_entry(DT_SONAME, name));
  }

  std::pair<elf::DynamicEntry*, elf::DynamicEntry*> current_rpath_entries() {
    elf::DynamicEntry *rpath = nullptr, *runpath = nullptr;
    for (auto& e : dyn()) {
      if (e.tag == DT_RPATH && !rpath) rpath = &e;
      if (e.tag == DT_RUNPATH && !runpath) runpath = &e;
    }
    return {rpath, runpath};
  }

  void print_execstack() {
    const elf::Phdr* stack = in_->elf.find_segment(PT_GNU_STACK);
    std::printf("execstack: %s\n", !stack ? "?" : (stack->flags & PF_X) ? "X" : "-");
  }

  void set_execstack(bool on) {
    const elf::Phdr* stack = in_->elf.find_segment(PT_GNU_STACK);
    if (stack && bool(stack->flags & PF_X) == on) return;
    editor_->set_execstack(on);
  }

  std::string shrink(const std::string& rpath) {
    std::vector<std::string> needed;
    for (const auto& e : editor_->dynamic())
      if (e.tag == DT_NEEDED) needed.push_back(*e.text);
    std::vector<bool> found(needed.size(), false);
    std::vector<std::string> kept;
    for (const auto& dir : split(rpath, ':', false)) {
      if (!dir.empty() && dir[0] != '/') {
        kept.push_back(dir);  // relative and $ORIGIN entries are kept as they are
        continue;
      }
      if (!o_.allowed_prefixes.empty()) {
        bool allowed = std::any_of(o_.allowed_prefixes.begin(), o_.allowed_prefixes.end(), [&](const std::string& p) {
          return !dir.empty() && dir.compare(0, p.size(), p) == 0;
        });
        if (!allowed) {
          if (o_.debug) std::fprintf(stderr, "removing directory '%s' from RPATH because of non-allowed prefix\n", dir.c_str());
          continue;
        }
      }
      bool useful = false;
      for (size_t i = 0; i < needed.size(); ++i) {
        if (found[i]) continue;
        std::string lib = dir + "/" + needed[i];
        auto m = MappedFile::open(lib);
        if (!m) {
          if (errno == ENOENT || m.error().message == std::strerror(ENOENT)) continue;
          fail(lib + ": " + m.error().message);
        }
        auto b = (*m)->bytes();
        if (b.size() < 52) fail("missing ELF header");
        if (identify_file(b) != FileType::elf) fail("not an ELF executable");
        auto lib_elf = elf::ElfFile::parse(lib, b);
        if (lib_elf && lib_elf->machine() == in_->elf.machine()) {
          found[i] = true;
          useful = true;
        } else if (o_.debug) {
          std::fprintf(stderr, "ignoring library '%s' because its machine type differs\n", lib.c_str());
        }
      }
      if (useful) kept.push_back(dir);
      else if (o_.debug) std::fprintf(stderr, "removing directory '%s' from RPATH\n", dir.c_str());
    }
    std::string out;
    for (size_t i = 0; i < kept.size(); ++i) out += (i ? ":" : "") + kept[i];
    return out;
  }

  void modify_rpath() {
    require_dynamic();
    auto [rpath, runpath] = current_rpath_entries();
    std::string old = runpath ? *runpath->text : rpath ? *rpath->text : "";
    if (o_.rpath_op == Options::Rpath::remove) {
      if (!rpath && !runpath) return;
      dyn().erase(std::remove_if(dyn().begin(), dyn().end(),
                                 [](const auto& e) { return e.tag == DT_RPATH || e.tag == DT_RUNPATH; }),
                  dyn().end());
      cache_invalidated_ = true;
      return;
    }
    if (o_.rpath_op == Options::Rpath::shrink && !rpath && !runpath) return;
    std::string value = o_.rpath_op == Options::Rpath::set ? o_.new_rpath
                      : o_.rpath_op == Options::Rpath::add ? (old.empty() ? o_.new_rpath : old + ":" + o_.new_rpath)
                      : shrink(old);
    // DT_RPATH becomes DT_RUNPATH unless --force-rpath, and the reverse with it.
    if (!o_.force_rpath && rpath && !runpath) { rpath->tag = DT_RUNPATH; runpath = rpath; rpath = nullptr; }
    // With both present, patchelf converts the DT_RUNPATH and leaves the
    // other DT_RPATH as it was.
    else if (o_.force_rpath && runpath) { runpath->tag = DT_RPATH; rpath = runpath; runpath = nullptr; }
    if (value == old && (rpath || runpath)) return;
    if (value.empty() && !rpath && !runpath) return;
    if (rpath || runpath) {
      if (rpath) rpath->text = value;
      if (runpath) runpath->text = value;
    } else {
      dyn().insert(dyn().begin(), elf::ElfEditor::string_entry(o_.force_rpath ? DT_RPATH : DT_RUNPATH, value));
    }
    cache_invalidated_ = true;
  }

  void remove_needed() {
    require_dynamic();
    size_t before = dyn().size();
    dyn().erase(std::remove_if(dyn().begin(), dyn().end(), [&](const auto& e) {
                  return e.tag == DT_NEEDED && o_.remove_needed.count(*e.text);
                }),
                dyn().end());
    if (dyn().size() != before) cache_invalidated_ = true;
  }

  void replace_needed() {
    require_dynamic();
    for (auto& e : dyn()) {
      if (e.tag != DT_NEEDED) continue;
      auto it = o_.replace_needed.find(*e.text);
      if (it == o_.replace_needed.end() || it->second == it->first) continue;
      if (o_.debug) std::fprintf(stderr, "replacing DT_NEEDED entry '%s' with '%s'\n", it->first.c_str(), it->second.c_str());
      e.text = it->second;
      editor_->rename_version_need_file(it->first, it->second);
      cache_invalidated_ = true;
    }
  }

  void add_needed() {
    require_dynamic();
    // patchelf inserts the new names, sorted, before every other entry. It
    // would also add a name the file already needs; linkbox does not.
    std::vector<elf::DynamicEntry> added;
    for (const auto& lib : o_.add_needed) {
      bool present = std::any_of(dyn().begin(), dyn().end(),
                                 [&](const auto& e) { return e.tag == DT_NEEDED && *e.text == lib; });
      if (!present) added.push_back(elf::ElfEditor::string_entry(DT_NEEDED, lib));
    }
    dyn().insert(dyn().begin(), added.begin(), added.end());
    cache_invalidated_ = true;
  }

  void clear_symbol_version(const std::string& sym) {
    require_dynamic();
    auto dyn_entries = in_->elf.dynamic_entries();
    if (!dyn_entries || !elf::ElfFile::find_tag(*dyn_entries, DT_VERSYM)) fail("cannot find section '.gnu.version'");
    auto n = editor_->clear_symbol_version(sym);
    if (!n) fail(path_ + ": " + n.error().message);
  }

  void no_default_lib() {
    require_dynamic();
    for (auto& e : dyn())
      if (e.tag == DT_FLAGS_1) {
        e.val |= DF_1_NODEFLIB;
        return;
      }
    dyn().insert(dyn().begin(), elf::DynamicEntry{DT_FLAGS_1, DF_1_NODEFLIB, std::nullopt, std::nullopt});
  }

  void add_debug_tag() {
    require_dynamic();
    for (const auto& e : dyn())
      if (e.tag == DT_DEBUG) return;
    dyn().insert(dyn().begin(), elf::DynamicEntry{DT_DEBUG, 0, std::nullopt, std::nullopt});
  }

  // An rpath or needed edit makes an existing resolution cache stale: it goes.
  void drop_stale_cache() {
    if (cache_invalidated_ && in_->elf.find_section(elf::kResolutionCacheSection))
      editor_->remove_note_section(elf::kResolutionCacheSection);
  }

  void build_resolution_cache() {
    const elf::Section* existing =
        cache_invalidated_ ? nullptr : in_->elf.find_section(elf::kResolutionCacheSection);
    if (!editor_->has_dynamic()) {
      if (existing) fail("--build-resolution-cache: a resolution cache note is already present; rebuild from an unpatched binary");
      std::fprintf(stderr, "warning: --build-resolution-cache: no dynamic section (statically linked?); no cache written\n");
      return;
    }
    std::vector<std::string> needed;
    for (const auto& e : editor_->dynamic())
      if (e.tag == DT_NEEDED) needed.push_back(*e.text);
    auto [rpath, runpath] = current_rpath_entries();
    std::string path = runpath ? *runpath->text : rpath ? *rpath->text : "";
    std::string why_not;
    auto desc = elf::build_resolution_cache(needed, path, &why_not);
    if (!desc) {
      if (existing) fail("--build-resolution-cache: a resolution cache note is already present; rebuild from an unpatched binary");
      std::fprintf(stderr, "warning: --build-resolution-cache: %s; no cache written\n", why_not.c_str());
      return;
    }
    auto note = elf::make_resolution_cache_note(in_->elf.codec(), *desc);
    if (existing) {
      auto data = in_->elf.section_data(*existing);
      if (data && !cache_invalidated_ && std::equal(data->begin(), data->end(), note.begin(), note.end())) {
        if (o_.debug) std::fprintf(stderr, "resolution cache already up to date\n");
        return;
      }
      fail("--build-resolution-cache: a resolution cache note is already present; rebuild from an unpatched binary");
    }
    if (o_.debug)
      for (size_t i = 0; i < desc->size();) {
        std::string name(reinterpret_cast<const char*>(desc->data() + i));
        if (name.empty()) break;
        i += name.size() + 1;
        std::string list(reinterpret_cast<const char*>(desc->data() + i));
        i += list.size() + 1;
        std::fprintf(stderr, "resolved %s to %s\n", name.c_str(), list.c_str());
      }
    editor_->set_note_section(elf::kResolutionCacheSection, std::move(note));
  }

  void rename_symbols() {
    require_dynamic();
    auto s = editor_->rename_dynamic_symbols(o_.rename_symbols);
    if (!s) fail(path_ + ": " + s.error().message);
  }

  void commit() {
    elf::EditOptions options;
    options.page_size = o_.page_size;
    options.debug = o_.debug;
    options.clobber_replaced_strings = !o_.no_clobber;
    std::string output = o_.output;
    check(commit_edit(*in_, *editor_, output, options));
  }

  const Options& o_;
  std::string path_;
  std::optional<LoadedElf> in_;
  std::optional<elf::ElfEditor> editor_;
  bool cache_invalidated_ = false;
};

}  // namespace

int run_patchelf(int argc, char** argv) {
  Diagnostics::set_program_name("patchelf");
  try {
    Options o;
    int status = 0;
    if (!parse(argc, argv, o, &status)) return status;
    for (const auto& file : o.files) Patcher(o, file).run();
    return 0;
  } catch (const PatchelfError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "patchelf: %s\n", e.what());
    return 1;
  }
}

}  // namespace linkbox::tools
