// The per-object library resolution cache note of patchelf 0.19
// (--build-resolution-cache): for each DT_NEEDED name, where the object's own
// run path finds it, so a patched loader can skip the directory walk.
//
// Note owner "NixOS", type 0x63a86cb6, in an allocated SHT_NOTE section named
// .note.nixos.ldcache. The descriptor is a sequence of "needed\0pathlist\0"
// pairs sorted by name, then a final "\0". A path list joins, in run-path
// order, "=DIR/NAME" for a directory where the library is readable now and
// "?DIR" for a directory the loader must search itself (empty, relative, with
// a $ token, absent, not searchable, or with glibc-hwcaps subdirectories).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "libelf/elf-types.h"

namespace linkbox::elf {

inline constexpr const char* kResolutionCacheSection = ".note.nixos.ldcache";
inline constexpr uint32_t kResolutionCacheNoteType = 0x63a86cb6;

// The descriptor, or nullopt with `why_not` set when there is nothing to record.
std::optional<std::vector<uint8_t>> build_resolution_cache(const std::vector<std::string>& needed,
                                                           const std::string& run_path,
                                                           std::string* why_not);

// A complete note (header, owner, descriptor, padding) in the file's byte order.
std::vector<uint8_t> make_resolution_cache_note(const Codec& codec, const std::vector<uint8_t>& desc);

}  // namespace linkbox::elf
