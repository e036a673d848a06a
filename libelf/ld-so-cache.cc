#include "libelf/ld-so-cache.h"

#include <algorithm>
#include <cstring>

#include "libformat/mapped-file.h"

namespace linkbox::elf {
namespace {

constexpr char kOldMagic[] = "ld.so-1.7.0";                // 11 bytes, no NUL
constexpr char kNewMagic[] = "glibc-ld.so.cache1.1";      // magic + version, 20 bytes
constexpr uint64_t kOldHeaderSize = 16;                    // magic, padding, nlibs
constexpr uint64_t kOldEntrySize = 12;                     // flags, key, value
constexpr uint64_t kNewHeaderSize = 48;
constexpr uint64_t kNewEntrySize = 24;                     // + osversion, hwcap
constexpr uint32_t kExtensionMagic = 0xeaa42174;           // (uint32_t) -358342284
constexpr uint32_t kExtensionTagHwcaps = 1;
constexpr uint64_t kHwcapExtension = 1ull << 62;
constexpr uint64_t kIsaLevelMask = (1u << 10) - 1;
constexpr uint64_t kHwcapTlsMask = 1ull << 63;

// The new header's endianness flags (cache_file_new_flags_endian_*).
constexpr uint8_t kEndianMask = 3, kEndianLittle = 2, kEndianBig = 3;

bool has_magic(std::span<const uint8_t> bytes, uint64_t offset, const char* magic) {
  size_t n = std::strlen(magic);
  return in_bounds(offset, n, bytes.size()) && std::memcmp(bytes.data() + offset, magic, n) == 0;
}

// An entry is a glibc-hwcaps one when bit 62 is the only bit set in the upper
// word outside the ISA level field.
bool is_hwcaps_entry(uint64_t hwcap) {
  return ((hwcap >> 32) & ~kIsaLevelMask) == (kHwcapExtension >> 32);
}

}  // namespace

int cache_libcmp(std::string_view a, std::string_view b) {
  // Indexing past the end reads as NUL, as in the C original.
  auto at = [](std::string_view s, size_t i) -> int {
    return i < s.size() ? static_cast<signed char>(s[i]) : 0;
  };
  auto digit = [](int c) { return c >= '0' && c <= '9'; };
  size_t i = 0, j = 0;
  while (at(a, i) != 0) {
    int c1 = at(a, i), c2 = at(b, j);
    if (digit(c1)) {
      if (!digit(c2)) return 1;
      // glibc accumulates in an int; wrap-around is kept for equal results.
      uint32_t v1 = 0, v2 = 0;
      while (digit(at(a, i))) v1 = v1 * 10 + uint32_t(at(a, i++) - '0');
      while (digit(at(b, j))) v2 = v2 * 10 + uint32_t(at(b, j++) - '0');
      if (v1 != v2) return static_cast<int32_t>(v1 - v2);
    } else if (digit(c2)) {
      return -1;
    } else if (c1 != c2) {
      return c1 - c2;
    } else {
      ++i;
      ++j;
    }
  }
  return at(a, i) - at(b, j);
}

Expected<LdSoCache> LdSoCache::open(const std::string& path, ByteOrder order) {
  auto file = MappedFile::open(path);
  if (!file) return file.error();
  std::shared_ptr<const MappedFile> shared(std::move(*file));
  auto cache = parse(path, shared->bytes(), order);
  if (!cache) return cache.error();
  cache->file_ = std::move(shared);
  return cache;
}

Expected<LdSoCache> LdSoCache::parse(std::string path, std::span<const uint8_t> bytes, ByteOrder order) {
  LdSoCache c;
  c.path_ = std::move(path);
  c.bytes_ = bytes;
  c.order_ = order;
  auto u32 = [&](uint64_t off) { return load<uint32_t>(bytes.data() + off, order); };
  uint64_t size = bytes.size();
  uint64_t new_offset;
  if (size > kNewHeaderSize && has_magic(bytes, 0, kNewMagic)) {
    new_offset = 0;
  } else if (size > kOldHeaderSize && has_magic(bytes, 0, kOldMagic)) {
    uint32_t nlibs = u32(12);
    if ((size - kOldHeaderSize) / kOldEntrySize < nlibs)
      return make_error(c.path_, "old-format entry table (" + std::to_string(nlibs) +
                                     " entries) extends past the end of the file");
    // A new-format table may follow, aligned to 8 bytes.
    uint64_t after = align_up(kOldHeaderSize + uint64_t(nlibs) * kOldEntrySize, 8);
    if (size >= after + kNewHeaderSize && has_magic(bytes, after, kNewMagic)) {
      new_offset = after;
    } else {
      c.entries_offset_ = kOldHeaderSize;
      c.entry_size_ = kOldEntrySize;
      c.count_ = nlibs;
      c.strings_offset_ = kOldHeaderSize + uint64_t(nlibs) * kOldEntrySize;
      c.strings_size_ = size - c.strings_offset_;
      return c;
    }
  } else {
    return make_error(c.path_, "not an ld.so cache (no \"glibc-ld.so.cache1.1\" or \"ld.so-1.7.0\" magic)");
  }

  uint32_t nlibs = u32(new_offset + 20);
  if ((size - new_offset - kNewHeaderSize) / kNewEntrySize < nlibs)
    return make_error(c.path_, "entry table (" + std::to_string(nlibs) +
                                   " entries) extends past the end of the file");
  uint8_t endian = bytes[new_offset + 28] & kEndianMask;
  uint8_t want = order == ByteOrder::little ? kEndianLittle : kEndianBig;
  if (bytes[new_offset + 28] != 0 && endian != want)
    return make_error(c.path_, "written for the other byte order; ld.so ignores it");
  c.new_format_ = true;
  c.entries_offset_ = new_offset + kNewHeaderSize;
  c.entry_size_ = kNewEntrySize;
  c.count_ = nlibs;
  // ld.so indexes strings from the new header and bounds them by the size
  // of the whole file.
  c.strings_offset_ = new_offset;
  c.strings_size_ = size;
  // A damaged extension directory only disables glibc-hwcaps entries.
  (void)c.load_extensions();
  return c;
}

Status LdSoCache::load_extensions() {
  auto u32 = [&](uint64_t off) { return load<uint32_t>(bytes_.data() + off, order_); };
  uint32_t ext = u32(strings_offset_ + 32);
  if (ext == 0) return {};
  if (ext % 4 != 0 || !in_bounds(ext, 8, bytes_.size()))
    return make_error(path_, "extension directory offset is out of range");
  if (u32(ext) != kExtensionMagic) return make_error(path_, "bad extension directory magic");
  uint32_t count = u32(ext + 4);
  if (!in_bounds(ext + 8, uint64_t(count) * 16, bytes_.size()))
    return make_error(path_, "extension directory extends past the end of the file");
  // Like ld.so, one bad section disables all of them.
  std::vector<uint32_t> names;
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t s = ext + 8 + uint64_t(i) * 16;
    uint32_t tag = u32(s), offset = u32(s + 8), length = u32(s + 12);
    if (!in_bounds(offset, length, bytes_.size()))
      return make_error(path_, "extension section extends past the end of the file");
    if (tag != kExtensionTagHwcaps) continue;
    names.clear();
    // The section must be non-empty, 4-byte aligned and a whole number of words.
    if (length == 0 || offset % 4 != 0 || length % 4 != 0) continue;
    for (uint32_t at = 0; at < length; at += 4) names.push_back(u32(offset + at));
  }
  hwcaps_names_ = std::move(names);
  return {};
}

LdSoCache::Raw LdSoCache::entry(uint32_t index) const {
  const uint8_t* p = bytes_.data() + entries_offset_ + uint64_t(index) * entry_size_;
  Raw r;
  r.flags = static_cast<int32_t>(load<uint32_t>(p, order_));
  r.key = load<uint32_t>(p + 4, order_);
  r.value = load<uint32_t>(p + 8, order_);
  r.hwcap = entry_size_ >= kNewEntrySize ? load<uint64_t>(p + 16, order_) : 0;
  return r;
}

std::optional<std::string_view> LdSoCache::string(uint32_t offset) const {
  // glibc's _dl_cache_verify_ptr, then a check that the string ends inside
  // the file (ld.so itself would read on).
  if (offset >= strings_size_) return std::nullopt;
  uint64_t at = strings_offset_ + offset;
  if (at >= bytes_.size()) return std::nullopt;
  const char* s = reinterpret_cast<const char*>(bytes_.data() + at);
  const void* nul = std::memchr(s, 0, bytes_.size() - at);
  if (!nul) return std::nullopt;
  return std::string_view(s, static_cast<const char*>(nul) - s);
}

std::optional<std::string_view> LdSoCache::hwcaps_name(uint32_t index) const {
  if (index >= hwcaps_names_.size()) return std::nullopt;
  uint64_t at = hwcaps_names_[index];  // from the start of the file
  if (at >= bytes_.size()) return std::nullopt;
  const char* s = reinterpret_cast<const char*>(bytes_.data() + at);
  const void* nul = std::memchr(s, 0, bytes_.size() - at);
  if (!nul) return std::nullopt;
  return std::string_view(s, static_cast<const char*>(nul) - s);
}

// glibc_hwcaps_priority: 0 means "not active here"; lower is better.
uint32_t LdSoCache::hwcaps_priority(uint64_t hwcap, const CacheMatchRules& rules) const {
  auto name = hwcaps_name(static_cast<uint32_t>(hwcap));
  if (!name) return 0;
  auto it = std::find(rules.hwcaps_subdirs.begin(), rules.hwcaps_subdirs.end(), *name);
  if (it == rules.hwcaps_subdirs.end()) return 0;
  return static_cast<uint32_t>(it - rules.hwcaps_subdirs.begin()) + 1;
}

// search_cache: a binary search over entries that ldconfig sorted in
// descending _dl_cache_libcmp order, then a forward scan over the entries
// with the same name, picking the first usable one (or, among glibc-hwcaps
// entries, the best-ranked).
std::optional<std::string> LdSoCache::lookup(std::string_view name, const CacheMatchRules& rules) const {
  uint64_t hwcap_exclude = ~(rules.hwcap_allowed | rules.platform_mask | kHwcapTlsMask);
  uint64_t platform = rules.platform_bit.value_or(~uint64_t(0));
  auto accepted = [&](int32_t flags) {
    return std::find(rules.accepted_flags.begin(), rules.accepted_flags.end(), flags) !=
           rules.accepted_flags.end();
  };
  auto same_name = [&](uint32_t key) {
    auto k = string(key);
    return k && cache_libcmp(name, *k) == 0;
  };
  int left = 0, right = static_cast<int>(count_) - 1;
  std::optional<std::string_view> best;
  uint32_t best_priority = 0;
  while (left <= right) {
    int middle = (left + right) / 2;
    auto key = string(entry(middle).key);
    if (!key) return std::nullopt;
    int cmp = cache_libcmp(name, *key);
    if (cmp != 0) {
      if (cmp < 0) left = middle + 1;
      else right = middle - 1;
      continue;
    }
    left = middle;
    while (middle > 0 && same_name(entry(middle - 1).key)) --middle;
    do {
      Raw lib = entry(middle);
      if (middle > left && !same_name(lib.key)) break;
      auto value = string(lib.value);
      if (!accepted(lib.flags) || !value) continue;
      bool named = false;
      if (entry_size_ >= kNewEntrySize) {
        named = is_hwcaps_entry(lib.hwcap);
        if (named && rules.check_isa_level) {
          uint32_t level = 1u << (((lib.hwcap >> 32) & kIsaLevelMask) & 31);
          if ((level & rules.isa_levels) != level) continue;
        }
        // glibc-hwcaps entries come first; once past them, the best one wins.
        if (!named && best) break;
        if (!named && (lib.hwcap & hwcap_exclude)) continue;
        if (rules.platform_mask && (lib.hwcap & rules.platform_mask) != 0 &&
            (lib.hwcap & rules.platform_mask) != platform)
          continue;
        if (named) {
          uint32_t priority = hwcaps_priority(lib.hwcap, rules);
          if (priority == 0) continue;
          if (best && priority >= best_priority) continue;
          best_priority = priority;
        }
      }
      best = value;
      if (!named && lib.flags == rules.default_flags) break;
    } while (++middle <= right);
    break;
  }
  if (!best) return std::nullopt;
  return std::string(*best);
}

std::vector<CacheEntry> LdSoCache::entries() const {
  std::vector<CacheEntry> out;
  for (uint32_t i = 0; i < count_; ++i) {
    Raw r = entry(i);
    CacheEntry e;
    e.flags = r.flags;
    e.name = std::string(string(r.key).value_or(""));
    e.path = std::string(string(r.value).value_or(""));
    if (entry_size_ >= kNewEntrySize) {
      e.hwcap = r.hwcap;
      if (is_hwcaps_entry(r.hwcap))
        if (auto n = hwcaps_name(static_cast<uint32_t>(r.hwcap))) e.hwcaps_subdir = std::string(*n);
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace linkbox::elf
