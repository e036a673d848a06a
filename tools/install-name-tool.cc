// The install_name_tool personality: Apple's command line and messages.
//
//   install_name_tool [-change old new] ... [-rpath old new] ...
//       [-add_rpath new] ... [-prepend_rpath new] ... [-delete_rpath old] ...
//       [-delete_all_rpaths] [-id name] input
//
// Every slice of a fat file is edited. Problems in any slice are all
// reported and nothing is written; see load-command-edits.h for what each
// option does and macho-editor.h for how the file is rewritten.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "libformat/diagnostics.h"
#include "libformat/mapped-file.h"
#include "libmacho/load-command-edits.h"
#include "libmacho/macho-editor.h"
#include "libmacho/macho-file.h"
#include "tools/tools.h"

namespace linkbox::tools {
namespace {

const char kUsage[] =
    "Usage: %s [-change old new] ... [-rpath old new] ... [-add_rpath new] ... [-prepend_rpath new] ... "
    "[-delete_rpath old] ... [-delete_all_rpaths] [-id name] input\n";

struct Options {
  macho::InstallNameEdits edits;
  std::string input;
};

int usage(const char* name) {
  std::fprintf(stderr, kUsage, name);
  return 1;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Apple's checks for options that contradict each other. Returns the
// message, or an empty string.
std::string conflict(const Options& o, const std::string& option, const std::string& a, const std::string& b = "") {
  const auto& e = o.edits;
  auto rp = [](const std::pair<std::string, std::string>& r) { return "\"-rpath " + r.first + " " + r.second + "\""; };
  if (option == "-rpath") {
    for (const auto& r : e.rpaths) {
      if (r.first == a && r.second == b) return "\"-rpath " + a + " " + b + "\" specified more than once";
      if (r.first == a || r.second == a || r.first == b || r.second == b)
        return "can't specify both " + rp(r) + " and \"-rpath " + a + " " + b + "\"";
    }
    for (const auto& p : e.add_rpaths)
      if (p == a || p == b) return "can't specify both \"-add_rpath " + p + "\" and \"-rpath " + a + " " + b + "\"";
    for (const auto& p : e.prepend_rpaths)
      if (p == a || p == b) return "can't specify both \"-prepend_rpath " + p + "\" and \"-rpath " + a + " " + b + "\"";
    for (const auto& p : e.delete_rpaths)
      if (p == a || p == b) return "can't specify both \"-delete_rpath " + p + "\" and \"-rpath " + a + " " + b + "\"";
    return "";
  }
  // -add_rpath, -prepend_rpath and -delete_rpath take one path.
  const std::vector<std::pair<std::string, const std::vector<std::string>*>> singles = {
      {"-add_rpath", &e.add_rpaths}, {"-prepend_rpath", &e.prepend_rpaths}, {"-delete_rpath", &e.delete_rpaths}};
  for (const auto& [name, list] : singles) {
    if (!contains(*list, a)) continue;
    if (name == option) return "\"" + option + " " + a + "\" specified more than once";
    bool both_add = (name == "-add_rpath" && option == "-prepend_rpath") ||
                    (name == "-prepend_rpath" && option == "-add_rpath");
    if (!both_add) return "can't specify both \"" + name + " " + a + "\" and \"" + option + " " + a + "\"";
  }
  for (const auto& r : e.rpaths)
    if (r.first == a || r.second == a) return "can't specify both " + rp(r) + " and \"" + option + " " + a + "\"";
  return "";
}

// Parses the command line; returns -1 to go on, else the exit status.
int parse(int argc, char** argv, Options& o) {
  const char* name = "install_name_tool";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto need = [&](int n) {
      if (i + n < argc) return true;
      Diagnostics::error("", std::string(n == 1 && a == "-id" ? "missing argument to: " : "missing argument(s) to: ") +
                                 a + " option");
      return false;
    };
    if (a == "-help" || a == "--help" || a == "-h") {
      std::printf(kUsage, name);
      return 0;
    } else if (a == "-id") {
      if (!need(1)) return usage(name);
      if (o.edits.id) {
        Diagnostics::error("", "more than one: -id option specified");
        return usage(name);
      }
      o.edits.id = argv[++i];
      if (o.edits.id->empty()) {
        Diagnostics::error("", "cannot specify an empty id");
        return usage(name);
      }
    } else if (a == "-change") {
      if (!need(2)) return usage(name);
      o.edits.changes.emplace_back(argv[i + 1], argv[i + 2]);
      i += 2;
    } else if (a == "-rpath") {
      if (!need(2)) return usage(name);
      if (auto c = conflict(o, a, argv[i + 1], argv[i + 2]); !c.empty()) {
        Diagnostics::error("", c);
        return usage(name);
      }
      o.edits.rpaths.emplace_back(argv[i + 1], argv[i + 2]);
      i += 2;
    } else if (a == "-add_rpath" || a == "-prepend_rpath" || a == "-delete_rpath") {
      if (!need(1)) return usage(name);
      std::string path = argv[++i];
      if (auto c = conflict(o, a, path); !c.empty()) {
        Diagnostics::error("", c);
        return usage(name);
      }
      auto& list = a == "-add_rpath" ? o.edits.add_rpaths : a == "-prepend_rpath" ? o.edits.prepend_rpaths
                                                                                  : o.edits.delete_rpaths;
      list.push_back(path);
    } else if (a == "-delete_all_rpaths") {
      o.edits.delete_all_rpaths = true;
    } else if (a.size() > 1 && a[0] == '-') {
      Diagnostics::error("", "unknown option: " + a);
      return usage(name);
    } else {
      if (!o.input.empty()) {
        Diagnostics::error("", "more than one input file specified (" + a + " and " + o.input + ")");
        return usage(name);
      }
      o.input = a;
    }
  }
  if (o.input.empty() || o.edits.empty()) return usage(name);
  return -1;
}

}  // namespace

int run_install_name_tool(int argc, char** argv) {
  Diagnostics::set_program_name("install_name_tool");
  Options o;
  if (int status = parse(argc, argv, o); status >= 0) return status;

  auto map = MappedFile::open(o.input);
  if (!map) {
    Diagnostics::error("", "can't open file: " + o.input + " (" + map.error().message + ")");
    return 1;
  }
  auto bytes = (*map)->bytes();
  if (!macho::looks_like_macho(bytes)) {
    Diagnostics::error("", "input file: " + o.input + " is not a Mach-O file");
    return 1;
  }
  auto file = macho::MachOFile::parse(o.input, bytes);
  if (!file) {
    Diagnostics::error(file.error());
    return 1;
  }
  for (const auto& s : file->slices())
    if (s.header().filetype == macho::MH_DYLIB_STUB) {
      Diagnostics::error("", "input file: " + o.input +
                                 " is Mach-O dynamic shared library stub file and can't be changed");
      return 1;
    }

  macho::MachOEditor editor(*file, bytes);
  std::vector<Error> errors;
  for (auto& slice : editor.slices()) macho::apply_install_name_edits(slice, o.edits, errors);
  if (!errors.empty()) {
    for (const auto& e : errors) Diagnostics::error(e);
    return 1;
  }
  auto built = editor.build(o.input);
  if (!built) {
    Diagnostics::error(built.error());
    return 1;
  }
  if (!*built) return 0;  // nothing changed: the file is not rewritten
  for (const auto& w : (*built)->warnings) Diagnostics::warning(w.file, w.message);
  if (Status s = macho::write_edited_file(*file, o.input, **built, (*map)->mode()); !s) {
    Diagnostics::error(s.error());
    return 1;
  }
  return 0;
}

}  // namespace linkbox::tools
