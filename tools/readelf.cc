// The readelf personality: binutils readelf's command line for the options
// linkbox implements, with binutils 2.40's output (libelf/readelf.h).
//
// The command line is parsed by hand, as GNU getopt would: short options can
// be combined (-hlSW), long options can be abbreviated to any unambiguous
// prefix (--file for --file-header), and options may follow file names.
// Options readelf has but linkbox does not implement are refused by name
// rather than ignored, so a script never gets a silently different report.
#include <clocale>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "libelf/readelf.h"
#include "libformat/diagnostics.h"
#include "libformat/file-type.h"
#include "libformat/mapped-file.h"
#include "tools/tools.h"

namespace linkbox::tools {
namespace {

const char* kHelp =
    "Usage: readelf <option(s)> elf-file(s)\n"
    " Display information about the contents of ELF format files\n"
    " (linkbox's readelf personality: binutils 2.40 output for these options)\n"
    " Options are:\n"
    "  -a --all               Equivalent to: -h -l -S -s -r -d -V -A -I -g -u -n\n"
    "  -h --file-header       Display the ELF file header\n"
    "  -l --program-headers   Display the program headers\n"
    "     --segments          An alias for --program-headers\n"
    "  -S --section-headers   Display the sections' header\n"
    "     --sections          An alias for --section-headers\n"
    "  -g --section-groups    Display the section groups\n"
    "  -e --headers           Equivalent to: -h -l -S\n"
    "  -s --syms              Display the symbol table\n"
    "     --symbols           An alias for --syms\n"
    "     --dyn-syms          Display the dynamic symbol table\n"
    "  -n --notes             Display the notes\n"
    "  -r --relocs            Display the relocations (if present)\n"
    "  -d --dynamic           Display the dynamic section (if present)\n"
    "  -V --version-info      Display the version sections (if present)\n"
    "  -I --histogram         Display histogram of bucket list lengths\n"
    "  -W --wide              Allow output width to exceed 80 characters\n"
    "  -H --help              Display this information\n"
    "  -v --version           Display the version number of linkbox\n"
    "Other readelf options are refused. See linkbox-readelf(1).\n";

// Every long option binutils readelf knows, so that an abbreviation is
// resolved (or found ambiguous) exactly as readelf's getopt would.
// `id` is the short letter, or a name for the long-only ones; an empty
// `id` marks an option linkbox refuses.
struct LongOption {
  const char* name;
  const char* id;
};

constexpr LongOption kLongOptions[] = {
    {"arch-specific", ""}, {"all", "a"}, {"demangle", ""}, {"archive-index", ""},
    {"use-dynamic", ""}, {"dynamic", "d"}, {"headers", "e"}, {"section-groups", "g"},
    {"help", "H"}, {"file-header", "h"}, {"histogram", "I"}, {"lint", ""},
    {"enable-checks", ""}, {"program-headers", "l"}, {"segments", "l"},
    {"full-section-name", ""}, {"notes", "n"}, {"process-links", ""}, {"string-dump", ""},
    {"relocated-dump", ""}, {"relocs", "r"}, {"section-headers", "S"}, {"sections", "S"},
    {"symbols", "s"}, {"syms", "s"}, {"silent-truncation", ""}, {"section-details", ""},
    {"unicode", ""}, {"unwind", ""}, {"version-info", "V"}, {"version", "v"}, {"wide", "W"},
    {"hex-dump", ""}, {"decompress", ""}, {"no-demangle", ""}, {"recurse-limit", ""},
    {"no-recurse-limit", ""}, {"no-recursion-limit", ""}, {"dyn-syms", "dyn-syms"},
    {"lto-syms", ""}, {"debug-dump", ""}, {"dwarf-depth", ""}, {"dwarf-start", ""},
    {"dwarf-check", ""}, {"ctf", ""}, {"ctf-symbols", ""}, {"ctf-strings", ""},
    {"ctf-parent", ""}, {"sframe", ""}, {"sym-base", ""},
};

struct CommandLine {
  elf::ReadelfOptions options;
  std::vector<std::string> files;
  bool help = false;
  bool version = false;
};

// Applies one option by its id; false when linkbox does not implement it.
bool apply(std::string_view id, CommandLine& cl) {
  elf::ReadelfOptions& o = cl.options;
  if (id == "a") {
    o.symbols = o.relocs = o.unwind = o.dynamic = o.file_header = o.section_headers = true;
    o.section_groups = o.program_headers = o.version_info = o.histogram = true;
    o.arch_specific = o.notes = true;
  } else if (id == "h") {
    o.file_header = true;
  } else if (id == "l") {
    o.program_headers = true;
  } else if (id == "S") {
    o.section_headers = true;
  } else if (id == "e") {
    o.file_header = o.program_headers = o.section_headers = true;
  } else if (id == "g") {
    o.section_groups = true;
  } else if (id == "s") {
    o.symbols = true;
  } else if (id == "dyn-syms") {
    o.dyn_syms = true;
  } else if (id == "d") {
    o.dynamic = true;
  } else if (id == "r") {
    o.relocs = true;
  } else if (id == "n") {
    o.notes = true;
  } else if (id == "V") {
    o.version_info = true;
  } else if (id == "I") {
    o.histogram = true;
  } else if (id == "W") {
    o.wide = true;
  } else if (id == "H") {
    cl.help = true;
  } else if (id == "v") {
    cl.version = true;
  } else {
    return false;
  }
  return true;
}

bool refuse(std::string_view option) {
  Diagnostics::error("", "unsupported option: " + std::string(option));
  return false;
}

bool parse_long(std::string_view arg, CommandLine& cl) {
  std::string_view body = arg.substr(2);
  size_t eq = body.find('=');
  std::string_view name = body.substr(0, eq);
  const LongOption* match = nullptr;
  bool ambiguous = false;
  for (const LongOption& o : kLongOptions) {
    std::string_view candidate = o.name;
    if (candidate == name) {
      match = &o;
      ambiguous = false;
      break;
    }
    if (candidate.substr(0, name.size()) != name) continue;
    if (match && std::string_view(match->id) != o.id) ambiguous = true;
    if (!match) match = &o;
  }
  if (!match) return refuse(arg);
  if (ambiguous) {
    Diagnostics::error("", "ambiguous option: " + std::string(arg));
    return false;
  }
  std::string full = "--" + std::string(match->name);
  // None of the options linkbox implements takes an argument.
  if (eq != std::string_view::npos || !*match->id) return refuse(eq == std::string_view::npos ? full : arg);
  if (!apply(match->id, cl)) return refuse(full);
  return true;
}

bool parse_short(std::string_view arg, CommandLine& cl) {
  for (size_t i = 1; i < arg.size(); ++i) {
    char letter[2] = {arg[i], 0};
    if (!apply(letter, cl)) return refuse(std::string("-") + arg[i]);
  }
  return true;
}

bool parse(int argc, char** argv, CommandLine& cl) {
  bool only_files = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (only_files || arg.size() < 2 || arg[0] != '-') {
      if (!only_files && !arg.empty() && arg[0] == '@') return refuse(arg);  // response files
      cl.files.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      only_files = true;
      continue;
    }
    bool ok = arg[1] == '-' ? parse_long(arg, cl) : parse_short(arg, cl);
    if (!ok) return false;
  }
  return true;
}

bool wants_output(const elf::ReadelfOptions& o) {
  return o.file_header || o.section_headers || o.section_groups || o.program_headers ||
         o.dynamic || o.relocs || o.unwind || o.symbols || o.dyn_syms || o.histogram ||
         o.version_info || o.notes || o.arch_specific;
}

// readelf prints "File: NAME" for each of several files once it has read
// the ELF identification and header; a file too short for that gets no
// such line.
bool header_readable(std::span<const uint8_t> bytes) {
  if (bytes.size() < EI_NIDENT) return false;
  size_t header = bytes[EI_CLASS] == ELFCLASS64 ? 64 : 52;
  return bytes.size() >= header;
}

bool report_one(const std::string& path, const elf::ReadelfOptions& options) {
  auto map = MappedFile::open(path);
  if (!map) {
    Diagnostics::error(map.error());
    return false;
  }
  std::span<const uint8_t> bytes = (*map)->bytes();
  FileType type = identify_file(bytes);
  if (type == FileType::archive || type == FileType::thin_archive) {
    Diagnostics::error(path, "archives are not supported by the readelf personality");
    return false;
  }
  if (options.show_file_name && header_readable(bytes)) {
    std::printf("\nFile: %s\n", path.c_str());
    std::fflush(stdout);
  }
  if (type != FileType::elf) {
    Diagnostics::error(path, "not an ELF file - it has the wrong magic bytes at the start");
    return false;
  }
  // Only the header is checked up front: like readelf, the report goes as
  // far as the file allows, and every table is bounds-checked as it is read.
  auto file = elf::ElfFile::parse_header(path, bytes);
  if (!file) {
    Diagnostics::error(file.error());
    return false;
  }
  elf::ReadelfOptions per_file = options;
  per_file.show_file_name = false;  // printed above
  return elf::print_readelf_report(*file, per_file, stdout);
}

}  // namespace

int run_readelf(int argc, char** argv) {
  // Symbol names are shown per the locale's character set, as readelf does.
  std::setlocale(LC_CTYPE, "");
  CommandLine cl;
  if (!parse(argc, argv, cl)) return 1;
  if (cl.help) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (cl.version) {
    std::printf("readelf (linkbox %s), compatible with GNU readelf 2.40\n", LINKBOX_VERSION);
    return 0;
  }
  if (!wants_output(cl.options)) {
    Diagnostics::error("", "no display option given (-h, -l, -S, -d, -s, -r, -n, -V or -a)");
    std::fputs(kHelp, stderr);
    return 1;
  }
  if (cl.files.empty()) {
    Diagnostics::error("", "no input files");
    return 1;
  }
  cl.options.show_file_name = cl.files.size() > 1;
  bool ok = true;
  for (const std::string& path : cl.files)
    if (!report_one(path, cl.options)) ok = false;
  return ok ? 0 : 1;
}

}  // namespace linkbox::tools
