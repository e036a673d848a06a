// What a loader sees of a file: its kind, interpreter, SONAME, NEEDED, search
// paths, flags and version needs. Shared by readdyn, patchelf's --print-*
// options and ldd.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "libelf/elf-file.h"

namespace linkbox::elf {

enum class FileKind {
  relocatable,
  static_executable,
  static_pie,
  dynamic_executable,  // ET_EXEC with an interpreter
  pie,
  shared_library,
  core,
  other,
};

std::string_view file_kind_name(FileKind kind);

struct DynamicInfo {
  FileKind kind = FileKind::other;
  bool dynamic = false;  // has a dynamic section
  std::optional<std::string> interpreter;
  std::optional<std::string> soname;
  std::vector<std::string> needed;
  std::optional<std::string> rpath;
  std::optional<std::string> runpath;
  std::optional<uint64_t> flags;
  std::optional<uint64_t> flags_1;
  std::vector<VersionNeed> version_needs;
};

Expected<DynamicInfo> read_dynamic_info(const ElfFile& file);

// Names of the DF_* and DF_1_* bits set in a value, in bit order.
std::vector<std::string> dt_flags_names(uint64_t flags);
std::vector<std::string> dt_flags_1_names(uint64_t flags);

}  // namespace linkbox::elf
