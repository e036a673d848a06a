// linkbox ldd FILE... and the `ldd` personality: the libraries ld.so would
// load, found by linkbox's model of glibc 2.36's ld.so (libelf/ld-so-search)
// instead of by running the program's loader.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "libelf/elf-types.h"
#include "libelf/ld-so-search.h"
#include "libformat/diagnostics.h"
#include "libformat/json.h"
#include "tools/common.h"
#include "tools/ldd-macho.h"
#include "tools/tools.h"

namespace linkbox::tools {
namespace {

struct LddCommandLine {
  std::vector<std::string> files;
  bool tree = false, json = false;
  std::string root;
  std::optional<std::string> library_path;
  std::optional<std::string> preload;
  std::optional<std::string> hwcaps, platform;
  bool inhibit_cache = false;
  bool relocs = false;
  bool verbose = false;
  MachOLddOptions macho;
};

// No load address is known without loading: every object is shown at 0, in
// the width glibc uses for the class (see linkbox-ldd(1)).
std::string address_field(const elf::LddReport& r) {
  bool is64 = r.target && r.target->abi.is64;
  return is64 ? "(0x0000000000000000)" : "(0x00000000)";
}

// ldd -v: the versions each object needs, after the listing (rtld.c).
void print_version_information(const elf::LddReport& r) {
  bool first = true;
  std::vector<int> order = {0};
  order.insert(order.end(), r.listing.begin(), r.listing.end());
  for (int i : order) {
    const elf::LoadedLibrary& lib = r.objects[i];
    if (lib.version_needs.empty()) continue;
    if (first) std::printf("\n\tVersion information:\n");
    first = false;
    std::printf("\t%s:\n", i == 0 ? lib.name.c_str() : lib.path.c_str());
    for (const auto& v : lib.version_needs)
      std::printf("\t\t%s (%s) %s=> %s\n", v.file.c_str(), v.version.c_str(), v.weak ? "[WEAK] " : "",
                  v.provided_by ? v.provided_by->c_str() : "not found");
  }
}

void print_glibc_format(const elf::LddReport& r) {
  for (int i : r.listing) {
    const elf::LoadedLibrary& lib = r.objects[i];
    if (lib.missing())
      std::printf("\t%s => not found\n", lib.name.c_str());
    else if (lib.name == lib.path)
      std::printf("\t%s %s\n", lib.name.c_str(), address_field(r).c_str());
    else
      std::printf("\t%s => %s %s\n", lib.name.c_str(), lib.path.c_str(), address_field(r).c_str());
  }
}

std::string label(const elf::LoadedLibrary& lib) { return elf::found_by_label(lib.found_by, lib.rpath_owner); }

// One line per DT_NEEDED entry, under the object that has it; an object's
// own entries are shown the first time it appears.
void print_tree_node(const elf::LddReport& r, int index, const std::string& asked_as, int depth,
                     std::vector<bool>& expanded) {
  const elf::LoadedLibrary& lib = r.objects[index];
  std::string indent(4 * depth, ' ');
  if (lib.missing()) {
    std::printf("%s%s => not found\n", indent.c_str(), asked_as.c_str());
    for (const auto& t : lib.tried) {
      std::string where = t.path.empty() ? "" : t.path + " ";
      std::printf("%s    tried %s[%s]: %s\n", indent.c_str(), where.c_str(),
                  elf::found_by_label(t.source, t.rpath_owner).c_str(), t.result.c_str());
    }
    return;
  }
  if (asked_as == lib.path)
    std::printf("%s%s [%s]\n", indent.c_str(), asked_as.c_str(), label(lib).c_str());
  else
    std::printf("%s%s => %s [%s]\n", indent.c_str(), asked_as.c_str(), lib.path.c_str(), label(lib).c_str());
  if (expanded[index]) return;
  expanded[index] = true;
  for (size_t k = 0; k < lib.needed.size(); ++k)
    print_tree_node(r, lib.needed[k], lib.needed_as[k], depth + 1, expanded);
}

void print_tree(const elf::LddReport& r) {
  const elf::LoadedLibrary& program = r.objects[0];
  std::string interp = r.interpreter ? " [interpreter " + *r.interpreter + "]" : "";
  std::printf("%s%s\n", program.path.c_str(), interp.c_str());
  if (r.kind == elf::LddReport::Kind::statically_linked) {
    std::printf("    statically linked\n");
    return;
  }
  std::vector<bool> expanded(r.objects.size(), false);
  expanded[0] = true;
  for (int i : r.listing)
    if (r.objects[i].preloaded) print_tree_node(r, i, r.objects[i].name + " (preload)", 1, expanded);
  for (size_t k = 0; k < program.needed.size(); ++k)
    print_tree_node(r, program.needed[k], program.needed_as[k], 1, expanded);
}

std::string json_string_or_null(const std::string& s, bool present) { return present ? json_quote(s) : "null"; }

std::string report_json(const std::string& file, const elf::LddReport& r) {
  std::string o = "  {\n    \"file\": " + json_quote(file) + ",\n";
  auto field = [&](const char* key, const std::string& value, bool last = false) {
    o += std::string("    \"") + key + "\": " + value + (last ? "\n" : ",\n");
  };
  const char* kind = r.kind == elf::LddReport::Kind::dynamic             ? "dynamic"
                     : r.kind == elf::LddReport::Kind::statically_linked ? "statically-linked"
                                                                          : "not-dynamic";
  field("status", json_quote(kind));
  if (r.kind == elf::LddReport::Kind::not_dynamic) {
    field("reason", json_quote(r.why_not_dynamic), true);
    return o + "  }";
  }
  field("machine", json_quote(elf::machine_name(r.target->abi.machine)));
  field("class", r.target->abi.is64 ? "64" : "32");
  field("interpreter", r.interpreter ? json_quote(*r.interpreter) : "null");
  field("loader", json_quote(r.target->interpreter));
  // Who needs each object, from every object's resolved DT_NEEDED entries.
  std::vector<std::vector<std::string>> needed_by(r.objects.size());
  for (size_t i = 0; i < r.objects.size(); ++i)
    for (int child : r.objects[i].needed) needed_by[child].push_back(i == 0 ? file : r.objects[i].name);
  std::string libs = "[";
  for (size_t k = 0; k < r.listing.size(); ++k) {
    const elf::LoadedLibrary& lib = r.objects[r.listing[k]];
    std::string parents = "[";
    for (size_t p = 0; p < needed_by[r.listing[k]].size(); ++p)
      parents += (p ? ", " : "") + json_quote(needed_by[r.listing[k]][p]);
    parents += "]";
    std::string tried = "[";
    for (size_t t = 0; t < lib.tried.size(); ++t) {
      const auto& a = lib.tried[t];
      tried += std::string(t ? ", " : "") + "{\"path\": " + json_string_or_null(a.path, !a.path.empty()) +
               ", \"source\": " + json_quote(elf::found_by_label(a.source, a.rpath_owner)) +
               ", \"result\": " + json_quote(a.result) + "}";
    }
    tried += "]";
    bool has_file = !lib.missing() && lib.found_by != elf::FoundBy::vdso;
    libs += std::string(k ? "," : "") + "\n      {\"name\": " + json_quote(lib.name) +
            ", \"path\": " + json_string_or_null(lib.path, !lib.missing()) +
            ", \"host_path\": " + json_string_or_null(lib.host_path, has_file) +
            ", \"found_by\": " + json_string_or_null(label(lib), !lib.missing()) +
            (lib.preloaded ? ", \"preload\": true" : "") +
            ", \"needed_by\": " + parents + ", \"tried\": " + tried + "}";
  }
  libs += r.listing.empty() ? "]" : "\n    ]";
  field("libraries", libs);
  auto strings = [](const std::vector<std::string>& v) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_quote(v[i]);
    return out + "]";
  };
  field("loader_messages", strings(r.preload_messages));
  std::vector<std::string> version_texts;
  for (const auto& m : r.version_messages) version_texts.push_back(m.text);
  field("version_messages", strings(version_texts));
  field("missing", r.any_missing() ? "true" : "false", true);
  return o + "  }";
}

// Both front ends: `glibc_personality` keeps glibc's exit status (0 when a
// library is missing) and its "not a dynamic executable" line.
int run(const LddCommandLine& cl, bool glibc_personality) {
  elf::LddOptions options;
  options.root = cl.root;
  if (cl.library_path) {
    options.library_path = cl.library_path;
  } else if (const char* env = std::getenv("LD_LIBRARY_PATH")) {
    options.library_path = std::string(env);
  }
  if (cl.preload) {
    options.preload = cl.preload;
    options.preload_source = "--preload";
  } else if (const char* env = std::getenv("LD_PRELOAD")) {
    options.preload = std::string(env);
  }
  options.cpu.hwcaps = cl.hwcaps;
  options.cpu.platform = cl.platform;
  options.inhibit_cache = cl.inhibit_cache;
  elf::LddSession session(options);

  int status = 0;
  std::vector<std::string> objects;
  bool several = cl.files.size() > 1;
  for (const auto& file : cl.files) {
    if (is_macho_file(file)) {
      status |= ldd_macho(file, cl.root, cl.macho, cl.tree, cl.json, several, glibc_personality, objects);
      continue;
    }
    // glibc's header line; the tree names the file on its first line.
    if (several && !cl.json && !cl.tree) std::printf("%s:\n", file.c_str());
    std::fflush(stdout);
    auto report = session.resolve(file);
    if (!report) {
      Diagnostics::error(report.error());
      if (cl.json)
        objects.push_back("  {\"file\": " + json_quote(file) + ", \"error\": " + json_quote(report.error().message) + "}");
      status = 1;
      continue;
    }
    const elf::LddReport& r = *report;
    // What ld.so says while loading. glibc's ldd shows it on standard
    // output, before the listing (version messages after the program's
    // name).
    for (const auto& message : r.preload_messages) {
      if (glibc_personality && !cl.json) std::printf("%s\n", message.c_str());
      else Diagnostics::warning(file, message);
    }
    for (const auto& message : r.version_messages) {
      if (glibc_personality && !cl.json)
        std::printf("%s: %s\n", r.objects[0].name.c_str(), message.text.c_str());
      else if (message.missing)
        Diagnostics::error(file, message.text);
      else
        Diagnostics::warning(file, message.text);
    }
    if (!glibc_personality && r.version_missing()) status = 1;
    if (cl.json) {
      objects.push_back(report_json(file, r));
    } else if (r.kind == elf::LddReport::Kind::not_dynamic) {
      if (glibc_personality)
        std::fprintf(stderr, "\tnot a dynamic executable\n");
      else
        Diagnostics::error(file, "not a dynamic executable: " + r.why_not_dynamic);
    } else if (cl.tree) {
      print_tree(r);
    } else if (r.kind == elf::LddReport::Kind::statically_linked) {
      std::printf("\tstatically linked\n");
    } else {
      print_glibc_format(r);
      if (cl.verbose) print_version_information(r);
    }
    if (r.kind == elf::LddReport::Kind::not_dynamic) status = 1;
    if (!glibc_personality && r.any_missing()) status = 1;
  }
  if (cl.json) {
    std::printf("[\n");
    for (size_t i = 0; i < objects.size(); ++i) std::printf("%s%s\n", objects[i].c_str(), i + 1 < objects.size() ? "," : "");
    std::printf("]\n");
  }
  return status;
}

void add_options(CLI::App& app, LddCommandLine& cl) {
  app.add_option("FILE", cl.files, "programs or shared libraries to list")->required();
  app.add_flag("--tree", cl.tree,
               "show the dependency tree, how each library was found, and every path tried for one not found");
  app.add_flag("--json", cl.json, "print a JSON array with one object per file (see linkbox-ldd(1))");
  app.add_option("--root", cl.root,
                 "resolve inside this sysroot: its files, its /etc/ld.so.cache (or ld.so.conf), its default "
                 "directories");
  app.add_option("--library-path", cl.library_path, "search these directories as LD_LIBRARY_PATH (overrides it)");
  app.add_option("--preload", cl.preload, "load these libraries first, as LD_PRELOAD (overrides it)");
  app.add_option("--hwcaps", cl.hwcaps,
                 "glibc-hwcaps subdirectories to search: a level such as x86-64-v3 (it and the levels below), "
                 "NAME:NAME... (best first), or none; default: what this CPU supports");
  app.add_option("--platform", cl.platform, "the value of $PLATFORM and of the legacy platform subdirectory");
  app.add_flag("--inhibit-cache", cl.inhibit_cache, "do not use ld.so.cache (ld.so --inhibit-cache)");
  app.add_flag("-v,--verbose", cl.verbose, "also print the symbol versions each object needs, and where they are defined");
  add_macho_ldd_options(app, cl.macho);
}

}  // namespace

int run_ldd(int argc, char** argv) {
  CLI::App app{"List the shared libraries a program or library loads, as glibc 2.36's ld.so finds them "
               "(for Mach-O, as dyld finds them), without running anything. Exits with 1 when a library is "
               "not found.",
               "linkbox ldd"};
  LddCommandLine cl;
  add_options(app, cl);
  if (int status = parse_command_line(app, argc, argv); status >= 0) return status;
  return run(cl, false);
}

int run_ldd_personality(int argc, char** argv) {
  CLI::App app{"List the shared libraries a program or library loads, in glibc ldd's format, without "
               "running anything (linkbox's ldd personality; see linkbox-ldd(1)). A missing library still "
               "exits with 0, as glibc's ldd does.",
               "ldd"};
  LddCommandLine cl;
  bool version = false, unused = false;
  add_options(app, cl);
  app.add_flag("--version", version, "print the version and exit");
  app.add_flag("-d,--data-relocs", cl.relocs, "accepted for compatibility: relocations are not processed");
  app.add_flag("-r,--function-relocs", cl.relocs, "accepted for compatibility: relocations are not processed");
  app.add_flag("-u,--unused", unused, "print unused direct dependencies (not supported)");
  // --version works without a FILE.
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--version") {
      std::printf("ldd (linkbox) %s\n", LINKBOX_VERSION);
      return 0;
    }
  if (int status = parse_command_line(app, argc, argv); status >= 0) return status;
  if (unused) {
    Diagnostics::error("ldd", "-u/--unused is not supported: it needs the program's relocations processed");
    return 1;
  }
  return run(cl, true);
}

}  // namespace linkbox::tools
