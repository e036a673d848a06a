#include "tools/macho-edit.h"

#include <cstdio>
#include <algorithm>
#include <functional>
#include <memory>

#include "libformat/diagnostics.h"
#include "libformat/file-type.h"
#include "libformat/mapped-file.h"
#include "libformat/output-file.h"
#include "libmacho/load-command-edits.h"
#include "libmacho/macho-editor.h"
#include "libmacho/macho-file.h"

namespace linkbox::tools {
namespace {

struct LoadedMachO {
  std::unique_ptr<MappedFile> map;
  macho::MachOFile file;
};

// nullopt: not a Mach-O file (or unreadable: the ELF path reports that).
std::optional<Expected<LoadedMachO>> load_macho(const std::string& path) {
  auto map = MappedFile::open(path);
  if (!map) return std::nullopt;
  FileType type = identify_file((*map)->bytes());
  if (type != FileType::macho && type != FileType::macho_fat) return std::nullopt;
  auto file = macho::MachOFile::parse(path, (*map)->bytes());
  if (!file) return Expected<LoadedMachO>(file.error());
  return Expected<LoadedMachO>(LoadedMachO{std::move(*map), std::move(*file)});
}

// Runs `edit` on every slice, then builds and writes the result to `output`
// (the input when empty). An unchanged file is not rewritten; a distinct
// output still receives a copy.
int edit_and_write(const LoadedMachO& in, const std::string& output,
                   const std::function<Status(macho::SliceEditor&)>& edit) {
  macho::MachOEditor editor(in.file, in.map->bytes());
  for (auto& slice : editor.slices())
    if (Status s = edit(slice); !s) {
      Diagnostics::error(s.error());
      return 1;
    }
  const std::string& target = output.empty() ? in.map->path() : output;
  auto built = editor.build(target);
  if (!built) {
    Diagnostics::error(built.error());
    return 1;
  }
  if (!*built) {
    if (target == in.map->path()) return 0;
    if (Status s = write_file_atomically(target, in.map->bytes(), in.map->mode()); !s) {
      Diagnostics::error(s.error());
      return 1;
    }
    return 0;
  }
  for (const auto& w : (*built)->warnings) Diagnostics::warning(w.file, w.message);
  if (Status s = macho::write_edited_file(in.file, target, **built, in.map->mode()); !s) {
    Diagnostics::error(s.error());
    return 1;
  }
  return 0;
}

}  // namespace

std::optional<int> addneeded_macho(const std::string& file, const std::vector<std::string>& dylibs, bool weak,
                                   const std::string& output) {
  auto in = load_macho(file);
  if (!in) return std::nullopt;
  if (!*in) {
    Diagnostics::error(in->error());
    return 1;
  }
  for (const auto& d : dylibs)
    if (d.empty() || d.find('\0') != std::string::npos) {
      Diagnostics::error(file, "invalid dylib name '" + d + "'");
      return 1;
    }
  return edit_and_write(**in, output, [&](macho::SliceEditor& slice) -> Status {
    for (const auto& d : dylibs) macho::add_dependent_dylib(slice, d, weak);
    return {};
  });
}

std::optional<int> setinterp_macho(const std::string& file, const std::string& path, bool print,
                                   const std::string& output) {
  auto in = load_macho(file);
  if (!in) return std::nullopt;
  if (!*in) {
    Diagnostics::error(in->error());
    return 1;
  }
  const auto& slices = (*in)->file.slices();
  if (print) {
    // One line when every slice agrees (the usual case), else one per slice.
    std::vector<std::pair<std::string, std::optional<std::string>>> found;
    for (const auto& s : slices) {
      macho::SliceEditor e(s);
      found.emplace_back(macho::arch_name(s.header().cputype, s.header().cpusubtype), macho::dylinker_of(e));
    }
    for (const auto& [arch, dylinker] : found)
      if (!dylinker) {
        Diagnostics::error(slices.size() > 1 ? file + " (for architecture " + arch + ")" : file,
                           "has no dynamic linker (no LC_LOAD_DYLINKER)");
        return 1;
      }
    bool same = std::all_of(found.begin(), found.end(), [&](const auto& f) { return f.second == found[0].second; });
    for (const auto& [arch, dylinker] : found) {
      if (same) {
        std::printf("%s\n", dylinker->c_str());
        break;
      }
      std::printf("%s: %s\n", arch.c_str(), dylinker->c_str());
    }
    return 0;
  }
  return edit_and_write(**in, output, [&](macho::SliceEditor& slice) { return macho::set_dylinker(slice, path); });
}

}  // namespace linkbox::tools
