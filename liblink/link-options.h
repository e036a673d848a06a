// Everything a link is asked to do, as the ld front end parsed it. The core
// reads only this struct; it never sees a command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "libformat/compression.h"

namespace linkbox::link {

// One input in command-line order, with the modifiers in force where it stood.
struct InputSpec {
  enum class Kind { file, library, group_start, group_end, lib_start, lib_end };
  Kind kind = Kind::file;
  std::string name;          // a path, or for -l the library name ("c", ":libc.so.6")
  bool as_needed = false;
  bool whole_archive = false;
  bool static_only = false;  // -Bstatic in force: -l finds only archives
  bool lazy = false;         // between --start-lib and --end-lib: an object loaded like an archive member
};

enum class OutputKind { executable, pie, shared, relocatable };
enum class HashStyle { sysv, gnu, both };
enum class StripMode { none, debug, all };
enum class Symbolic { none, all, functions, non_weak_functions };
enum class IcfMode { none, safe, all };  // --icf: identical code folding (icf.h)

struct LinkOptions {
  std::string output = "a.out";
  std::string emulation;               // -m
  std::optional<std::string> entry;    // -e
  OutputKind kind = OutputKind::executable;
  bool is_static = false;              // -static: no shared libraries at all
  bool no_dynamic_linker = false;      // --no-dynamic-linker (static-pie)
  std::optional<std::string> dynamic_linker;
  std::optional<std::string> soname;   // -soname / -h (shared output)
  bool no_undefined = false;           // --no-undefined / -z defs
  bool ignore_undefined_in_objects = false;  // --unresolved-symbols=ignore-all|ignore-in-object-files
  std::optional<bool> allow_shlib_undefined;  // default: allowed for -shared only (lld)
  std::vector<std::string> version_scripts;       // --version-script
  std::vector<std::string> dynamic_lists;         // --dynamic-list
  std::vector<std::string> export_dynamic_symbols;  // --export-dynamic-symbol (globs)
  std::vector<std::string> export_dynamic_symbol_lists;  // --export-dynamic-symbol-list
  bool undefined_version = false;      // --undefined-version (lld's default is an error)
  Symbolic symbolic = Symbolic::none;  // -Bsymbolic[-functions|-non-weak-functions]
  std::string init_symbol = "_init";   // -init: DT_INIT
  std::string fini_symbol = "_fini";   // -fini: DT_FINI
  bool new_dtags = true;               // DT_RUNPATH (Debian's default) rather than DT_RPATH
  bool allow_multiple_definition = false;  // --allow-multiple-definition / -z muldefs
  uint64_t dt_flags = 0;               // -z origin
  uint64_t dt_flags_1 = 0;             // -z nodelete, nodlopen, initfirst, global, interpose, origin
  std::optional<HashStyle> hash_style;
  std::optional<std::string> build_id;  // "fast", "sha1", "md5", "uuid", "0x..." or "none"
  std::vector<std::string> library_paths;
  std::vector<InputSpec> inputs;
  std::vector<std::string> undefined;   // -u
  std::vector<std::pair<std::string, std::string>> defsyms;
  std::vector<std::string> rpath;
  std::vector<std::string> rpath_link;
  std::optional<std::string> sysroot;
  bool export_dynamic = false;
  bool gc_sections = false;
  bool print_gc_sections = false;
  IcfMode icf = IcfMode::none;
  bool print_icf_sections = false;
  std::vector<std::string> keep_unique;  // --keep-unique: symbols whose sections --icf leaves alone
  bool eh_frame_hdr = false;
  bool relro = true;
  bool now = false;
  bool execstack = false;
  // -z separate-code (the default, as Debian's ld.bfd): the code segment has
  // pages of its own in the file; -z separate-loadable-segments: every
  // segment does; -z noseparate-code: segments share file pages (each still
  // starts on a new page in memory).
  enum class Separate { none, code, loadable } separate = Separate::code;
  bool rosegment = true;  // read-only data in its own PT_LOAD; --no-rosegment puts it with the code
  bool text_relocations_are_errors = true;   // -z text (the default for PIE)
  StripMode strip = StripMode::none;
  std::optional<std::string> map_file;  // -Map; "-" means standard output (-M)
  bool emit_relocs = false;             // --emit-relocs / -q: keep the input relocations, as .rela<name>
  bool cref = false;                    // --cref: a cross reference table, in the map or on stdout
  bool demangle = true;                 // C++ names in the map and messages, as lld prints them
  bool verbose = false;
  bool trace = false;                      // -t: print each input as it is loaded
  std::vector<std::string> trace_symbols;  // -y: print where these are defined and referenced
  std::optional<std::string> why_extract;  // --why-extract=FILE ("-": standard output)
  std::vector<std::string> exclude_libs;   // --exclude-libs: archives whose symbols are not exported
  // The default drops only temporary .L labels in SHF_MERGE sections (they
  // name no single place there), as ld.bfd and ld.lld do; -X all .L labels,
  // -x every local symbol, --discard-none nothing.
  enum class Discard { merge_locals, locals, all, none } discard = Discard::merge_locals;
  std::optional<uint64_t> image_base;      // --image-base, -Ttext-segment
  bool start_stop_gc = true;               // -z start-stop-gc (ld.lld's default; -z nostart-stop-gc is GNU ld's)
  std::optional<std::string> symbol_ordering_file;  // sections of these symbols go first
  bool call_graph_profile_sort = true;     // lld's default; --symbol-ordering-file turns it off
  std::optional<std::string> print_symbol_order;  // --print-symbol-order=FILE: the call graph sort's order
  bool warn_symbol_ordering = true;
  int optimize = 1;                        // -O: 2 and up also merge string suffixes
  bool fatal_warnings = false;
  bool noinhibit_exec = false;
  bool report_relative_relocs = false;
  bool rel_format = false;                 // -z rel: Elf64_Rel dynamic relocations, addends in place     // -z report-relative-reloc (ld.bfd's)
  bool pack_relative_relocs = false;       // --pack-dyn-relocs=relr, -z pack-relative-relocs: .relr.dyn
  bool relr_glibc_version = false;         // -z pack-relative-relocs: also need GLIBC_ABI_DT_RELR from libc.so.6
  std::optional<Compression> compress_debug_sections;  // --compress-debug-sections=zlib|zstd             // --noinhibit-exec: write the output despite lld's demotable errors
  bool warn_backrefs = false;              // --warn-backrefs: what GNU ld's one-pass archive rule would miss
  std::vector<std::string> warn_backrefs_exclude;  // globs on the extracted file's name
  // The GCC/LLVM LTO plugin options, kept so an LTO input can be refused
  // with a message that names the plugin.
  std::optional<std::string> plugin;
  std::vector<std::string> plugin_options;
};

}  // namespace linkbox::link
