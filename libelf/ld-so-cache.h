// A bounds-checked reader of glibc's /etc/ld.so.cache, and the lookup ld.so
// makes in it (elf/dl-cache.c, sysdeps/generic/dl-cache.h, glibc 2.36).
//
// Three layouts exist: the old libc5 one ("ld.so-1.7.0"), the new one
// ("glibc-ld.so.cache1.1", the only one ldconfig writes by default since
// glibc 2.32), and the old one with the new one appended. New-format entries
// carry a hwcap word; with bit 62 set its low 32 bits index the glibc-hwcaps
// subdirectory names of the extension section ("x86-64-v3" ...), and ld.so
// prefers the entry whose subdirectory ranks best for the running CPU.
//
// ld.so trusts the file more than this reader does: every count, offset and
// string here is checked against the file size, and a string that runs off
// the end of the file makes its entry unusable.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libformat/byte-order.h"
#include "libformat/expected.h"

namespace linkbox {
class MappedFile;
}

namespace linkbox::elf {

// What one ld.so accepts from the cache; built from the target's facts.
struct CacheMatchRules {
  // _dl_cache_check_flags: entry flags this ld.so can use.
  std::vector<int32_t> accepted_flags;
  // _DL_CACHE_DEFAULT_ID: an entry with exactly these flags ends the search.
  int32_t default_flags = 3;
  // Legacy hwcap bits: an entry needing a bit outside `hwcap_allowed` is
  // skipped, as are entries for another platform (bits in `platform_mask`).
  uint64_t hwcap_allowed = 0;
  uint64_t platform_mask = 0;
  std::optional<uint64_t> platform_bit;
  // Active glibc-hwcaps subdirectories, best first.
  std::vector<std::string> hwcaps_subdirs;
  // x86 only: the ISA levels the CPU supports (GNU_PROPERTY_X86_ISA_1_*
  // bits); entries in glibc-hwcaps subdirectories record the level they need.
  bool check_isa_level = false;
  uint32_t isa_levels = 0;
};

struct CacheEntry {
  int32_t flags = 0;
  std::string name;                       // the key: a SONAME
  std::string path;                       // the value: where ld.so opens it
  std::optional<uint64_t> hwcap;          // new format only
  std::optional<std::string> hwcaps_subdir;  // for glibc-hwcaps entries
};

class LdSoCache {
 public:
  // Reads the cache file at `path`. `order` is the target's byte order: ld.so
  // reads the cache in its own byte order and ignores a new-format cache
  // that says it was written in the other one.
  static Expected<LdSoCache> open(const std::string& path, ByteOrder order);
  // Parses cache bytes that the caller keeps alive.
  static Expected<LdSoCache> parse(std::string path, std::span<const uint8_t> bytes, ByteOrder order);

  // The path ld.so's _dl_load_cache_lookup returns for `name`, if any.
  std::optional<std::string> lookup(std::string_view name, const CacheMatchRules& rules) const;

  // Every entry, in file order (for listings and tests).
  std::vector<CacheEntry> entries() const;
  bool new_format() const { return new_format_; }
  const std::string& path() const { return path_; }

 private:
  struct Raw {
    int32_t flags;
    uint32_t key;
    uint32_t value;
    uint64_t hwcap;
  };
  Raw entry(uint32_t index) const;
  std::optional<std::string_view> string(uint32_t offset) const;
  std::optional<std::string_view> hwcaps_name(uint32_t index) const;
  uint32_t hwcaps_priority(uint64_t hwcap, const CacheMatchRules& rules) const;
  Status load_extensions();

  std::string path_;
  std::shared_ptr<const MappedFile> file_;
  std::span<const uint8_t> bytes_;
  ByteOrder order_ = ByteOrder::little;
  bool new_format_ = false;
  uint64_t entries_offset_ = 0;   // file offset of entry 0
  uint32_t entry_size_ = 12;      // 12 (old) or 24 (new)
  uint32_t count_ = 0;
  uint64_t strings_offset_ = 0;   // file offset string indices are relative to
  uint64_t strings_size_ = 0;     // glibc's bound for string indices
  // glibc-hwcaps extension: string offsets (from the start of the file) of the
  // subdirectory names, indexed by the low 32 bits of an entry's hwcap.
  std::vector<uint32_t> hwcaps_names_;
};

// glibc's _dl_cache_libcmp: compares names with embedded numbers by value,
// so "libfoo.so.10" sorts after "libfoo.so.9".
int cache_libcmp(std::string_view a, std::string_view b);

}  // namespace linkbox::elf
