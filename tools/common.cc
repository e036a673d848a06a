#include "tools/common.h"

#include <CLI/CLI.hpp>

#include "libformat/diagnostics.h"

#include "libformat/file-type.h"
#include "libformat/output-file.h"

namespace linkbox::tools {

Expected<LoadedElf> load_elf(const std::string& path) {
  auto map = MappedFile::open(path);
  if (!map) return map.error();
  FileType type = identify_file((*map)->bytes());
  if (type != FileType::elf) {
    if (type == FileType::macho || type == FileType::macho_fat)
      return make_error(path, "Mach-O files are not supported by this command yet");
    return make_error(path, "not an ELF file");
  }
  auto elf = elf::ElfFile::parse(path, (*map)->bytes());
  if (!elf) return elf.error();
  return LoadedElf{std::move(*map), std::move(*elf)};
}

Status commit_edit(const LoadedElf& input, elf::ElfEditor& editor, const std::string& output,
                   const elf::EditOptions& options) {
  auto image = editor.finish(options);
  if (!image) return image.error();
  const std::string& target = output.empty() ? input.map->path() : output;
  bool same_file = output.empty() || output == input.map->path();
  if (!*image) {
    if (same_file) return {};  // unchanged: leave the file byte-identical
    return write_file_atomically(target, input.map->bytes(), input.map->mode());
  }
  auto check = [&](std::span<const uint8_t> bytes) -> Status {
    auto reread = elf::ElfFile::parse(target, bytes);
    if (!reread) return make_error(target, "the edited file does not re-read: " + reread.error().message);
    if (Status s = elf::validate_layout(*reread); !s)
      return make_error(target, "the edited file failed its check: " + s.error().message);
    if (Status s = elf::verify_edit(editor, *reread); !s)
      return make_error(target, "the edited file failed its check: " + s.error().message);
    return {};
  };
  return write_file_atomically(target, **image, input.map->mode(), check);
}

Expected<uint64_t> parse_page_size(const std::string& text) {
  uint64_t v = 0;
  try {
    size_t used = 0;
    v = std::stoull(text, &used, 0);
    if (used != text.size()) v = 0;
  } catch (...) {
    v = 0;
  }
  if (v < 4096 || (v & (v - 1)) != 0)
    return make_error("", "invalid page size '" + text + "': expected a power of two of at least 4096");
  return v;
}

int parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string command = app.get_name();
    if (command.rfind("linkbox ", 0) == 0) command = command.substr(8);
    Diagnostics::error(command, e.what());
    std::fprintf(stderr, "Run '%s --help' for the options.\n", app.get_name().c_str());
    return 2;
  }
  return -1;
}

}  // namespace linkbox::tools
