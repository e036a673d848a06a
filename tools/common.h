// What the front ends share: opening an ELF input, and committing an edit
// safely (temporary file, structural and semantic re-check, rename).
#pragma once

#include <memory>
#include <string>

#include "libelf/elf-editor.h"
#include "libelf/elf-file.h"
#include "libformat/mapped-file.h"

namespace linkbox::tools {

struct LoadedElf {
  std::unique_ptr<MappedFile> map;
  elf::ElfFile elf;
};

// Maps and parses `path`. Non-ELF files get a clear error that names what
// they are (a Mach-O file, an archive...).
Expected<LoadedElf> load_elf(const std::string& path);

// Writes what the editor built to `output` (the input file when empty). When
// nothing changed, the input is not touched; a distinct output still receives
// a copy, as patchelf --output does.
Status commit_edit(const LoadedElf& input, elf::ElfEditor& editor, const std::string& output,
                   const elf::EditOptions& options);

// Parses a page size given on a command line: a power of two of at least
// 4096 (no Linux kernel maps smaller pages), decimal or 0x hex.
Expected<uint64_t> parse_page_size(const std::string& text);

}  // namespace linkbox::tools

namespace CLI {
class App;
}

namespace linkbox::tools {

// Parses a subcommand's command line with CLI11. Returns -1 to go on, or the
// exit status: 0 after --help, 2 after a usage error, which is reported as
// "linkbox: error: COMMAND: what".
int parse_command_line(CLI::App& app, int argc, char** argv);

}  // namespace linkbox::tools
