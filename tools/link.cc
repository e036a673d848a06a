// The GNU ld front end: `linkbox link ...`, and linkbox invoked as `ld` or
// `ld.linkbox` (gcc -B, clang -fuse-ld=linkbox). It turns ld's command line
// into a LinkOptions struct and hands it to liblink.
//
// ld's syntax: long options take one or two dashes (-pie, --pie) and their
// value after '=' or as the next argument; single-letter options take their
// value joined or as the next argument (-lc, -l c); "@file" expands to the
// arguments in that file. Options that are not implemented yet are refused
// by name, never ignored.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <elf.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "libformat/diagnostics.h"
#include "liblink/driver.h"
#include "liblink/link-options.h"
#include "tools/tools.h"


namespace linkbox::tools {
namespace {

using link::InputSpec;
using link::LinkOptions;

struct UsageError {
  std::string message;
};

// Splits a response file the way GCC and binutils do: white space separates
// arguments; quotes group; a backslash escapes the next character.
std::vector<std::string> split_response_file(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  bool in_arg = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      cur += text[++i];
      in_arg = true;
    } else if (quote) {
      if (c == quote) quote = 0;
      else cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_arg = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_arg) out.push_back(cur);
      cur.clear();
      in_arg = false;
    } else {
      cur += c;
      in_arg = true;
    }
  }
  if (in_arg) out.push_back(cur);
  return out;
}

void expand_response_files(std::vector<std::string>& args, int depth = 0) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].size() < 2 || args[i][0] != '@') continue;
    std::ifstream in(args[i].substr(1));
    if (!in) continue;  // as in ld: an unreadable @name is an ordinary file name
    if (depth > 20) throw UsageError{"response files nest too deeply: " + args[i]};
    std::stringstream s;
    s << in.rdbuf();
    auto expanded = split_response_file(s.str());
    expand_response_files(expanded, depth + 1);
    args.erase(args.begin() + i);
    args.insert(args.begin() + i, expanded.begin(), expanded.end());
    i += expanded.size() - (expanded.empty() ? 0 : 1);
    if (expanded.empty()) --i;
  }
}

// Options of the shared-library issue and beyond: known to ld, not done yet.
bool not_yet(std::string_view name) {
  static const char* names[] = {
      "retain-symbols-file", "r", "relocatable",
      "wrap", "defsym-after", "T", "script", "Ttext",
      "Tdata", "Tbss", "section-start", "call-graph-ordering-file",
      };
  for (const char* n : names)
    if (name == n) return true;
  return false;
}

void print_help() {
  std::printf(
      "Usage: ld [options] file...   (linkbox link, ld, ld.linkbox)\n\n"
      "A GNU ld compatible linker for x86-64 ELF executables (PIE, non-PIE, static and\n"
      "static PIE) and shared libraries, as gcc and clang drive it. Options not\n"
      "implemented yet (-r, --wrap, ...) are refused, as are unknown ones.\n"
      "Accepted options:\n"
      "  output:   -o FILE, -m EMULATION, -e SYMBOL, -pie, -no-pie, -shared, -soname NAME,\n"
      "            -static, --no-dynamic-linker, -dynamic-linker FILE, --image-base=ADDR,\n"
      "            -Ttext-segment=ADDR, --hash-style=gnu|sysv|both,\n"
      "            --build-id[=fast|sha1|md5|uuid|0xHEX|none], --eh-frame-hdr\n"
      "  inputs:   -L DIR, -l NAME, -l:FILE, -Bstatic, -Bdynamic, --as-needed,\n"
      "            --no-as-needed, --push-state, --pop-state, --start-group, --end-group,\n"
      "            --whole-archive, --no-whole-archive, @FILE, -rpath-link DIR, --sysroot=DIR,\n"
      "            --start-lib, --end-lib\n"
      "  symbols:  -u SYMBOL, --defsym=SYMBOL=EXPR, --export-dynamic (-E), --version-script=FILE,\n"
      "            --undefined-version, --no-undefined-version, --dynamic-list=FILE,\n"
      "            --export-dynamic-symbol=GLOB, --export-dynamic-symbol-list=FILE,\n"
      "            -Bsymbolic, -Bsymbolic-functions, -Bsymbolic-non-weak-functions,\n"
      "            --exclude-libs=LIBS, --allow-multiple-definition, --no-undefined,\n"
      "            --allow-shlib-undefined, --no-allow-shlib-undefined, -init SYM, -fini SYM,\n"
      "            --unresolved-symbols=ignore-all|report-all|ignore-in-object-files|\n"
      "               ignore-in-shared-libs\n"
      "  layout:   --gc-sections, --print-gc-sections, -O0|-O1|-O2, -rpath DIR, -R DIR,\n"
      "            --icf=all|safe|none, --print-icf-sections, --keep-unique=SYMBOL,\n"
      "            --symbol-ordering-file=FILE, --no-warn-symbol-ordering,\n"
      "            --[no-]call-graph-profile-sort, --print-symbol-order=FILE,\n"
      "            --enable-new-dtags, --disable-new-dtags,\n"
      "            -z relro|norelro|now|lazy|execstack|noexecstack|separate-code|\n"
      "               noseparate-code|text|notext|defs|undefs|muldefs|nodelete|nodlopen|\n"
      "               initfirst|global|interpose|origin|start-stop-gc|nostart-stop-gc|\n"
      "               separate-loadable-segments|rel|rela|pack-relative-relocs|\n"
      "               nopack-relative-relocs|report-relative-reloc,\n"
      "            --rosegment, --no-rosegment, --pack-dyn-relocs=relr|none,\n"
      "            --compress-debug-sections=none|zlib|zstd\n"
      "  strip:    -s, -S, --strip-all, --strip-debug, -x, -X, --discard-all,\n"
      "            --discard-locals, --discard-none\n"
      "  reports:  -Map FILE, -M, -t, --trace, -y SYM, --trace-symbol=SYM, --why-extract=FILE,\n"
      "            --cref, --emit-relocs, -q, --demangle, --no-demangle, --warn-backrefs,\n"
      "            --warn-backrefs-exclude=GLOB, --noinhibit-exec,\n"
      "            --verbose, --fatal-warnings, -v, --version\n"
      "  accepted: -plugin, -plugin-opt (LTO inputs are refused), --no-ld-generated-unwind-info,\n"
      "            --apply-dynamic-relocs (always done)\n"
      "See linkbox-link(1).\n");
}

class LdParser {
 public:
  explicit LdParser(std::vector<std::string> args) : args_(std::move(args)) {}

  LinkOptions parse(bool* version_only) {
    bool saw_input = false, saw_version = false;
    for (i_ = 0; i_ < args_.size(); ++i_) {
      const std::string& a = args_[i_];
      if (a.size() < 2 || a[0] != '-') {
        add_input(InputSpec::Kind::file, a);
        saw_input = true;
        continue;
      }
      bool two = a[1] == '-';
      std::string body = a.substr(two ? 2 : 1);
      std::optional<std::string> joined;
      if (auto eq = body.find('='); eq != std::string::npos) {
        joined = body.substr(eq + 1);
        body.resize(eq);
      }
      if (body == "help") {
        *version_only = true;
        print_help();
        return o_;
      }
      if (body == "v" || body == "V" || body == "version") {
        saw_version = true;
        continue;
      }
      if (handle_long(body, joined)) continue;
      if (!two && handle_short(a)) {
        if (a.rfind("-l", 0) == 0) saw_input = true;
        continue;
      }
      if (not_yet(body)) throw UsageError{"unsupported option: " + a};
      throw UsageError{"unknown option: " + a};
    }
    for (const auto& in : o_.inputs)
      if (in.kind == InputSpec::Kind::library) saw_input = true;
    *version_only = saw_version && !saw_input;
    if (saw_version) std::printf("linkbox %s (compatible with GNU linkers)\n", LINKBOX_VERSION);
    if (!state_stack_.empty()) throw UsageError{"--push-state without a matching --pop-state"};
    if (in_lib_) throw UsageError{"--start-lib without a matching --end-lib"};
    return o_;
  }

 private:
  static uint64_t number(const std::string& v, const std::string& opt) {
    char* end = nullptr;
    errno = 0;
    uint64_t n = std::strtoull(v.c_str(), &end, 0);
    if (v.empty() || errno || *end) throw UsageError{opt + " needs a number: " + v};
    return n;
  }

  std::string value(const std::optional<std::string>& joined, const std::string& opt) {
    if (joined) return *joined;
    if (++i_ >= args_.size()) throw UsageError{"option " + opt + " needs an argument"};
    return args_[i_];
  }

  void add_input(InputSpec::Kind kind, std::string name) {
    InputSpec in;
    in.kind = kind;
    in.name = std::move(name);
    in.as_needed = state_.as_needed;
    in.whole_archive = state_.whole_archive;
    in.static_only = state_.static_only;
    in.lazy = in_lib_;
    o_.inputs.push_back(std::move(in));
  }

  void z_option(const std::string& k) {
    if (k == "relro") o_.relro = true;
    else if (k == "norelro") o_.relro = false;
    else if (k == "now") o_.now = true;
    else if (k == "lazy") o_.now = false;
    else if (k == "execstack") o_.execstack = true;
    else if (k == "noexecstack") o_.execstack = false;
    else if (k == "separate-code") o_.separate = LinkOptions::Separate::code;
    else if (k == "noseparate-code") o_.separate = LinkOptions::Separate::none;
    else if (k == "separate-loadable-segments") o_.separate = LinkOptions::Separate::loadable;
    else if (k == "text") o_.text_relocations_are_errors = true;
    else if (k == "notext") o_.text_relocations_are_errors = false;
    else if (k == "defs") o_.no_undefined = true;
    else if (k == "muldefs") o_.allow_multiple_definition = true;
    else if (k == "start-stop-gc") o_.start_stop_gc = true;
    else if (k == "nostart-stop-gc") o_.start_stop_gc = false;
    else if (k == "nodelete") o_.dt_flags_1 |= DF_1_NODELETE;
    else if (k == "nodlopen") o_.dt_flags_1 |= DF_1_NOOPEN;
    else if (k == "initfirst") o_.dt_flags_1 |= DF_1_INITFIRST;
    else if (k == "global") o_.dt_flags_1 |= DF_1_GLOBAL;
    else if (k == "interpose") o_.dt_flags_1 |= DF_1_INTERPOSE;
    else if (k == "origin") o_.dt_flags_1 |= DF_1_ORIGIN, o_.dt_flags |= DF_ORIGIN;
    else if (k == "undefs") o_.no_undefined = false;
    else if (k == "report-relative-reloc") o_.report_relative_relocs = true;
    else if (k == "rel") o_.rel_format = true;
    else if (k == "rela") o_.rel_format = false;
    else if (k == "pack-relative-relocs") o_.pack_relative_relocs = o_.relr_glibc_version = true;
    else if (k == "nopack-relative-relocs") o_.pack_relative_relocs = o_.relr_glibc_version = false;
    else throw UsageError{"unsupported option: -z " + k};
  }

  bool handle_long(const std::string& n, const std::optional<std::string>& j) {
    const std::string opt = "--" + n;
    if (n == "o" || n == "output") o_.output = value(j, opt);
    else if (n == "m") o_.emulation = value(j, opt);
    else if (n == "entry") o_.entry = value(j, opt);
    else if (n == "pie" || n == "pic-executable") o_.kind = link::OutputKind::pie;
    else if (n == "no-pie") o_.kind = link::OutputKind::executable;
    else if (n == "shared" || n == "Bshareable") o_.kind = link::OutputKind::shared;
    else if (n == "soname") o_.soname = value(j, opt);
    else if (n == "no-undefined") o_.no_undefined = true;
    else if (n == "allow-shlib-undefined") o_.allow_shlib_undefined = true;
    else if (n == "unresolved-symbols") {
      // What GNU ld and lld mean by each: undefined symbols of the objects
      // and of the linked libraries, reported or not.
      std::string v = value(j, opt);
      bool objects, libraries;
      if (v == "ignore-all") objects = false, libraries = false;
      else if (v == "report-all") objects = true, libraries = true;
      else if (v == "ignore-in-object-files") objects = false, libraries = true;
      else if (v == "ignore-in-shared-libs") objects = true, libraries = false;
      else throw UsageError{"unknown --unresolved-symbols: " + v};
      o_.ignore_undefined_in_objects = !objects;
      o_.no_undefined = objects;
      o_.allow_shlib_undefined = !libraries;
    }
    else if (n == "no-allow-shlib-undefined") o_.allow_shlib_undefined = false;
    else if (n == "version-script") o_.version_scripts.push_back(value(j, opt));
    else if (n == "dynamic-list") o_.dynamic_lists.push_back(value(j, opt));
    else if (n == "export-dynamic-symbol") o_.export_dynamic_symbols.push_back(value(j, opt));
    else if (n == "export-dynamic-symbol-list") o_.export_dynamic_symbol_lists.push_back(value(j, opt));
    else if (n == "undefined-version") o_.undefined_version = true;
    else if (n == "no-undefined-version") o_.undefined_version = false;
    else if (n == "Bsymbolic") o_.symbolic = link::Symbolic::all;
    else if (n == "Bsymbolic-functions") o_.symbolic = link::Symbolic::functions;
    else if (n == "Bsymbolic-non-weak-functions") o_.symbolic = link::Symbolic::non_weak_functions;
    else if (n == "Bno-symbolic") o_.symbolic = link::Symbolic::none;
    else if (n == "init") o_.init_symbol = value(j, opt);
    else if (n == "fini") o_.fini_symbol = value(j, opt);
    else if (n == "enable-new-dtags") o_.new_dtags = true;
    else if (n == "disable-new-dtags") o_.new_dtags = false;
    else if (n == "allow-multiple-definition") o_.allow_multiple_definition = true;
    else if (n == "trace") o_.trace = true;
    else if (n == "symbol-ordering-file") o_.symbol_ordering_file = value(j, opt);
    else if (n == "warn-symbol-ordering") o_.warn_symbol_ordering = true;
    else if (n == "no-warn-symbol-ordering") o_.warn_symbol_ordering = false;
    else if (n == "call-graph-profile-sort") o_.call_graph_profile_sort = true;
    else if (n == "no-call-graph-profile-sort") o_.call_graph_profile_sort = false;
    else if (n == "print-symbol-order") o_.print_symbol_order = value(j, opt);
    else if (n == "O0" || n == "O1" || n == "O2" || n == "O3") o_.optimize = n[1] - '0';
    else if (n == "trace-symbol") o_.trace_symbols.push_back(value(j, opt));
    else if (n == "why-extract") o_.why_extract = value(j, opt);
    else if (n == "exclude-libs") {
      std::string v = value(j, opt);
      for (size_t at = 0; at <= v.size();) {
        size_t end = v.find_first_of(",:", at);
        if (end == std::string::npos) end = v.size();
        if (end > at) o_.exclude_libs.push_back(v.substr(at, end - at));
        at = end + 1;
      }
    } else if (n == "discard-all") o_.discard = LinkOptions::Discard::all;
    else if (n == "discard-locals") o_.discard = LinkOptions::Discard::locals;
    else if (n == "discard-none") o_.discard = LinkOptions::Discard::none;
    else if (n == "image-base" || n == "Ttext-segment") o_.image_base = number(value(j, opt), opt);
    else if (n == "apply-dynamic-relocs") {
      // linkbox always writes the addends of its RELA relocations into the
      // relocated places (as ld.bfd does), which is what this asks for.
    } else if (n == "no-ld-generated-unwind-info" || n == "ld-generated-unwind-info") {
      // linkbox generates no unwind information for its PLT either way (as lld).
    }
    else if (n == "static" || n == "Bstatic" || n == "dn" || n == "non_shared") {
      if (n == "static") o_.is_static = true;
      state_.static_only = true;
    } else if (n == "Bdynamic" || n == "dy" || n == "call_shared") state_.static_only = false;
    else if (n == "no-dynamic-linker") o_.no_dynamic_linker = true;
    else if (n == "dynamic-linker") o_.dynamic_linker = value(j, opt);
    else if (n == "hash-style") {
      std::string v = value(j, opt);
      if (v == "gnu") o_.hash_style = link::HashStyle::gnu;
      else if (v == "sysv") o_.hash_style = link::HashStyle::sysv;
      else if (v == "both") o_.hash_style = link::HashStyle::both;
      else throw UsageError{"unknown --hash-style: " + v};
    } else if (n == "build-id") o_.build_id = j ? *j : "fast";
    else if (n == "library-path") o_.library_paths.push_back(value(j, opt));
    else if (n == "library") add_input(InputSpec::Kind::library, value(j, opt));
    else if (n == "as-needed") state_.as_needed = true;
    else if (n == "no-as-needed") state_.as_needed = false;
    else if (n == "whole-archive") state_.whole_archive = true;
    else if (n == "no-whole-archive") state_.whole_archive = false;
    else if (n == "push-state") state_stack_.push_back(state_);
    else if (n == "pop-state") {
      if (state_stack_.empty()) throw UsageError{"--pop-state without --push-state"};
      state_ = state_stack_.back();
      state_stack_.pop_back();
    } else if (n == "start-group" || n == "(") add_input(InputSpec::Kind::group_start, "");
    else if (n == "start-lib") {
      if (in_lib_) throw UsageError{"nested --start-lib"};
      in_lib_ = true;
      add_input(InputSpec::Kind::lib_start, "");
    } else if (n == "end-lib") {
      if (!in_lib_) throw UsageError{"stray --end-lib"};
      in_lib_ = false;
      add_input(InputSpec::Kind::lib_end, "");
    } else if (n == "warn-backrefs") o_.warn_backrefs = true;
    else if (n == "cref") o_.cref = true;
    else if (n == "emit-relocs") o_.emit_relocs = true;
    else if (n == "rosegment") o_.rosegment = true;
    else if (n == "no-rosegment") o_.rosegment = false;
    else if (n == "noinhibit-exec") o_.noinhibit_exec = true;
    else if (n == "pack-dyn-relocs") {
      std::string v = value(j, opt);
      if (v == "relr") o_.pack_relative_relocs = true;
      else if (v == "none") o_.pack_relative_relocs = false;
      else if (v == "android" || v == "android+relr") throw UsageError{"unsupported option: --pack-dyn-relocs=" + v};
      else throw UsageError{"unknown --pack-dyn-relocs: " + v};
    }
    else if (n == "compress-debug-sections") {
      std::string v = value(j, opt);
      if (v == "zlib") o_.compress_debug_sections = Compression::zlib;
      else if (v == "zstd") o_.compress_debug_sections = Compression::zstd;
      else if (v == "none") o_.compress_debug_sections.reset();
      else throw UsageError{"unknown --compress-debug-sections: " + v + " (none, zlib or zstd)"};
    }
    else if (n == "demangle") o_.demangle = true;
    else if (n == "no-demangle") o_.demangle = false;
    else if (n == "no-warn-backrefs") o_.warn_backrefs = false;
    else if (n == "warn-backrefs-exclude") o_.warn_backrefs_exclude.push_back(value(j, opt));
    else if (n == "end-group" || n == ")") add_input(InputSpec::Kind::group_end, "");
    else if (n == "eh-frame-hdr") o_.eh_frame_hdr = true;
    else if (n == "no-eh-frame-hdr") o_.eh_frame_hdr = false;
    else if (n == "undefined") o_.undefined.push_back(value(j, opt));
    else if (n == "defsym") {
      std::string v = value(j, opt);
      auto eq = v.find('=');
      if (eq == std::string::npos || eq == 0) throw UsageError{"--defsym needs SYMBOL=EXPRESSION: " + v};
      o_.defsyms.push_back({v.substr(0, eq), v.substr(eq + 1)});
    } else if (n == "rpath") o_.rpath.push_back(value(j, opt));
    else if (n == "rpath-link") o_.rpath_link.push_back(value(j, opt));
    else if (n == "sysroot") o_.sysroot = value(j, opt);
    else if (n == "export-dynamic") o_.export_dynamic = true;
    else if (n == "no-export-dynamic") o_.export_dynamic = false;
    else if (n == "gc-sections") o_.gc_sections = true;
    else if (n == "no-gc-sections") o_.gc_sections = false;
    else if (n == "print-gc-sections") o_.print_gc_sections = true;
    else if (n == "no-print-gc-sections") o_.print_gc_sections = false;
    else if (n == "icf") {
      std::string v = value(j, opt);
      if (v == "all") o_.icf = link::IcfMode::all;
      else if (v == "safe") o_.icf = link::IcfMode::safe;
      else if (v == "none") o_.icf = link::IcfMode::none;
      else throw UsageError{"unknown --icf: " + v};
    } else if (n == "print-icf-sections") o_.print_icf_sections = true;
    else if (n == "no-print-icf-sections") o_.print_icf_sections = false;
    else if (n == "keep-unique") o_.keep_unique.push_back(value(j, opt));
    else if (n == "strip-all") o_.strip = link::StripMode::all;
    else if (n == "strip-debug") o_.strip = link::StripMode::debug;
    else if (n == "Map") o_.map_file = value(j, opt);
    else if (n == "print-map") o_.map_file = "-";
    else if (n == "verbose") o_.verbose = true;
    else if (n == "fatal-warnings") o_.fatal_warnings = true;
    else if (n == "no-fatal-warnings") o_.fatal_warnings = false;
    else if (n == "plugin") o_.plugin = value(j, opt);
    else if (n == "plugin-opt") o_.plugin_options.push_back(value(j, opt));
    else if (n == "z") z_option(value(j, opt));
    else return false;
    return true;
  }

  // Single-letter options, with their value joined or in the next argument.
  bool handle_short(const std::string& a) {
    char c = a[1];
    std::string rest = a.substr(2);
    auto val = [&]() -> std::string {
      if (!rest.empty()) return rest;
      if (++i_ >= args_.size()) throw UsageError{std::string("option -") + c + " needs an argument"};
      return args_[i_];
    };
    switch (c) {
      case 'o': o_.output = val(); return true;
      case 'm': o_.emulation = val(); return true;
      case 'e': o_.entry = val(); return true;
      case 'L': o_.library_paths.push_back(val()); return true;
      case 'l': add_input(InputSpec::Kind::library, val()); return true;
      case 'u': o_.undefined.push_back(val()); return true;
      case 'R': o_.rpath.push_back(val()); return true;
      case 'h': o_.soname = val(); return true;
      case 't': if (!rest.empty()) return false; o_.trace = true; return true;
      case 'O':
        if (rest.size() != 1 || rest[0] < '0' || rest[0] > '3') return false;
        o_.optimize = rest[0] - '0';
        return true;
      case 'y': o_.trace_symbols.push_back(val()); return true;
      case 'q': if (!rest.empty()) return false; o_.emit_relocs = true; return true;
      case 'x': if (!rest.empty()) return false; o_.discard = LinkOptions::Discard::all; return true;
      case 'X': if (!rest.empty()) return false; o_.discard = LinkOptions::Discard::locals; return true;
      case 'I': o_.dynamic_linker = val(); return true;
      case 'z': z_option(val()); return true;
      case 'E': if (!rest.empty()) return false; o_.export_dynamic = true; return true;
      case 's': if (!rest.empty()) return false; o_.strip = link::StripMode::all; return true;
      case 'S': if (!rest.empty()) return false; o_.strip = link::StripMode::debug; return true;
      case 'M': if (!rest.empty()) return false; o_.map_file = "-"; return true;
      case '(': if (!rest.empty()) return false; add_input(InputSpec::Kind::group_start, ""); return true;
      case ')': if (!rest.empty()) return false; add_input(InputSpec::Kind::group_end, ""); return true;
    }
    return false;
  }

  struct State {
    bool as_needed = false, whole_archive = false, static_only = false;
  };
  std::vector<std::string> args_;
  size_t i_ = 0;
  LinkOptions o_;
  State state_;
  std::vector<State> state_stack_;
  bool in_lib_ = false;  // between --start-lib and --end-lib
};

}  // namespace

int run_link(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    Diagnostics::error("", "no input files");
    return 1;
  }
  LinkOptions options;
  bool version_only = false;
  try {
    expand_response_files(args);
    options = LdParser(std::move(args)).parse(&version_only);
  } catch (const UsageError& e) {
    Diagnostics::error("", e.message);
    return 1;
  }
  if (version_only) return 0;
  if (Status s = link::run_link(options); !s) {
    Diagnostics::error(s.error());
    return 1;
  }
  return 0;
}

}  // namespace linkbox::tools
