// The otool personality: `otool -L` (the dylibs a file uses, with the
// dylib's own install name first) and `otool -D` (the install name alone),
// printed byte for byte as llvm-otool prints them. Other options are refused.
//
// Like otool, a fat file that holds a slice for the machine otool runs on
// prints only that slice; otherwise every slice, each under
// "file (architecture NAME):" when there are several.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "libformat/archive.h"
#include "libformat/byte-order.h"
#include "libformat/diagnostics.h"
#include "libformat/mapped-file.h"
#include "libmacho/macho-file.h"
#include "libmacho/macho-types.h"
#include "tools/tools.h"

namespace linkbox::tools {
namespace {

struct Options {
  bool dylibs = false;  // -L
  bool id = false;      // -D
  std::vector<std::string> files;
};

// The architecture name llvm-otool compares slices with: its own process's
// (LLVM spells AArch64 "aarch64", which no slice is called, so on an arm64
// host every slice prints).
constexpr std::string_view host_arch_name() {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__i386__)
  return "i386";
#else
  return "";
#endif
}

std::string version(uint32_t v) {
  return std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 0xff) + "." + std::to_string(v & 0xff);
}

bool is_dylib_cmd(uint32_t cmd) {
  return cmd == macho::LC_ID_DYLIB || cmd == macho::LC_LOAD_DYLIB || cmd == macho::LC_LOAD_WEAK_DYLIB ||
         cmd == macho::LC_REEXPORT_DYLIB || cmd == macho::LC_LAZY_LOAD_DYLIB || cmd == macho::LC_LOAD_UPWARD_DYLIB;
}

// One dylib command as otool prints it, read from the raw command so that a
// bad name offset prints as otool prints it.
void print_dylib(const macho::Slice& s, const macho::LoadCommand& lc, size_t index, bool just_id, std::string& out) {
  auto b = lc.bytes;
  uint32_t name = b.size() >= 12 ? load<uint32_t>(b.data() + 8, s.order()) : 0;
  uint32_t current = b.size() >= 20 ? load<uint32_t>(b.data() + 16, s.order()) : 0;
  uint32_t compat = b.size() >= 24 ? load<uint32_t>(b.data() + 20, s.order()) : 0;
  if (name >= lc.cmdsize || b.size() < 24) {
    out += "\tBad offset (" + std::to_string(name) + ") for name of ";
    switch (lc.cmd) {
      case macho::LC_ID_DYLIB: out += "LC_ID_DYLIB "; break;
      case macho::LC_LOAD_DYLIB: out += "LC_LOAD_DYLIB "; break;
      case macho::LC_LOAD_WEAK_DYLIB: out += "LC_LOAD_WEAK_DYLIB "; break;
      case macho::LC_LAZY_LOAD_DYLIB: out += "LC_LAZY_LOAD_DYLIB "; break;
      case macho::LC_REEXPORT_DYLIB: out += "LC_REEXPORT_DYLIB "; break;
      case macho::LC_LOAD_UPWARD_DYLIB: out += "LC_LOAD_UPWARD_DYLIB "; break;
      default: out += "LC_??? "; break;
    }
    out += "command " + std::to_string(index) + "\n";
    return;
  }
  std::string_view rest(reinterpret_cast<const char*>(b.data()) + name, b.size() - name);
  std::string_view text = rest.substr(0, rest.find('\0'));
  if (just_id) {
    out += std::string(text) + "\n";
    return;
  }
  out += "\t" + std::string(text) + " (compatibility version " + version(compat) + ", current version " +
         version(current);
  if (lc.cmd == macho::LC_LOAD_WEAK_DYLIB) out += ", weak";
  if (lc.cmd == macho::LC_REEXPORT_DYLIB) out += ", reexport";
  if (lc.cmd == macho::LC_LOAD_UPWARD_DYLIB) out += ", upward";
  if (lc.cmd == macho::LC_LAZY_LOAD_DYLIB) out += ", lazy";
  out += ")\n";
}

void print_slice(const Options& o, const macho::Slice& s, const std::string& header, std::string& out) {
  out += header + ":\n";
  for (bool just_id : {false, true}) {
    if (just_id ? !o.id : !o.dylibs) continue;
    const auto& cmds = s.load_commands();
    for (size_t i = 0; i < cmds.size(); ++i) {
      uint32_t cmd = cmds[i].cmd;
      if (just_id ? cmd == macho::LC_ID_DYLIB : is_dylib_cmd(cmd)) print_dylib(s, cmds[i], i, just_id, out);
    }
  }
}

void print_macho(const Options& o, const macho::MachOFile& f, const std::string& name, std::string& out) {
  const auto& slices = f.slices();
  if (f.is_fat()) {
    for (const auto& s : slices)
      if (macho::arch_name(s.header().cputype, s.header().cpusubtype) == host_arch_name()) {
        print_slice(o, s, name, out);
        return;
      }
  }
  for (const auto& s : slices) {
    std::string header = name;
    if (slices.size() > 1) header += " (architecture " + macho::arch_name(s.header().cputype, s.header().cpusubtype) + ")";
    print_slice(o, s, header, out);
  }
}

// llvm-otool calls a thin file shorter than its Mach-O header "not an object
// file" rather than malformed.
bool too_short_for_header(std::span<const uint8_t> bytes) {
  uint32_t magic = load<uint32_t>(bytes.data(), ByteOrder::big);
  bool wide = magic == macho::MH_MAGIC_64 || magic == macho::MH_CIGAM_64;
  bool thin = wide || magic == macho::MH_MAGIC || magic == macho::MH_CIGAM;
  return thin && bytes.size() < (wide ? 32u : 28u);
}

// Prints one file; false after an error (reported).
bool print_file(const Options& o, const std::string& path) {
  auto map = MappedFile::open(path);
  if (!map) {
    std::string why = map.error().message == "is a directory" ? "Is a directory" : map.error().message;
    Diagnostics::error("", "'" + path + "': " + why);
    return false;
  }
  auto bytes = (*map)->bytes();
  std::string out;
  auto malformed = [&](const Error& e) {
    std::fputs(out.c_str(), stdout);
    Diagnostics::error("", "'" + path + "': truncated or malformed object (" + e.message + ")");
    return false;
  };
  if (bytes.size() >= 8 && std::string_view(reinterpret_cast<const char*>(bytes.data()), 8) == "!<arch>\n") {
    auto ar = Archive::parse(path, bytes);
    if (!ar) return malformed(ar.error());
    out += "Archive : " + path + "\n";
    for (const auto& m : ar->members()) {
      if (m.name.rfind("__.SYMDEF", 0) == 0) continue;
      std::string member = path + "(" + m.name + ")";
      if (!macho::looks_like_macho(m.data)) continue;  // llvm-otool skips them silently
      auto f = macho::MachOFile::parse(member, m.data);
      if (!f) return malformed(f.error());
      print_macho(o, *f, member, out);
    }
  } else if (!macho::looks_like_macho(bytes) || too_short_for_header(bytes)) {
    out += path + ": is not an object file\n";
  } else {
    auto f = macho::MachOFile::parse(path, bytes);
    if (!f) return malformed(f.error());
    print_macho(o, *f, path, out);
  }
  std::fputs(out.c_str(), stdout);
  return true;
}

}  // namespace

int run_otool(int argc, char** argv) {
  Diagnostics::set_program_name("otool");
  Options o;
  bool only_files = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (!only_files && a == "--") {
      only_files = true;
    } else if (!only_files && a.size() > 1 && a[0] == '-') {
      for (size_t k = 1; k < a.size(); ++k) {
        if (a[k] == 'L') o.dylibs = true;
        else if (a[k] == 'D') o.id = true;
        else {
          Diagnostics::error("", "unsupported option: " + std::string(a) +
                                     " (this otool implements only -L and -D; see linkbox-otool(1))");
          return 1;
        }
      }
    } else {
      o.files.emplace_back(a);
    }
  }
  if (!o.dylibs && !o.id) {
    std::fprintf(stderr, "Usage: otool -L|-D file...\n");
    Diagnostics::error("", "one of -L or -D must be specified");
    return 1;
  }
  if (o.files.empty()) {
    Diagnostics::error("", "no input file");
    return 1;
  }
  int status = 0;
  for (const auto& f : o.files)
    if (!print_file(o, f)) status = 1;
  return status;
}

}  // namespace linkbox::tools
