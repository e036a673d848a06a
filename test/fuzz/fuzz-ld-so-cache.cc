// Fuzz target: the ld.so.cache reader. The input is parsed as a cache in
// both byte orders; every entry is listed, and lookups run for the names the
// file holds (which reach the binary search's matches and the hwcaps
// priorities) and for a few others, under rules with and without glibc-hwcaps
// subdirectories, platforms and ISA levels.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libelf/ld-so-cache.h"
#include "test/fuzz/fuzz-common.h"

namespace {

using linkbox::fuzz::touch;
namespace elf = linkbox::elf;

std::vector<elf::CacheMatchRules> all_rules() {
  std::vector<elf::CacheMatchRules> rules(3);
  rules[0].accepted_flags = {0x303};
  rules[0].default_flags = 0x303;
  rules[0].hwcap_allowed = 1u << 1;
  rules[0].platform_mask = 0xfull << 48;
  rules[0].hwcaps_subdirs = {"x86-64-v4", "x86-64-v3", "x86-64-v2"};
  rules[0].check_isa_level = true;
  rules[0].isa_levels = 0xf;
  rules[1].accepted_flags = {1, 3};
  rules[1].default_flags = 3;
  rules[1].hwcap_allowed = 1;
  rules[1].platform_mask = 0x3ull << 48;
  rules[1].platform_bit = 1ull << 49;
  rules[2].accepted_flags = {0xa03};
  rules[2].default_flags = 0xa03;
  rules[2].hwcaps_subdirs = {"x86-64-v2"};
  rules[2].check_isa_level = true;
  rules[2].isa_levels = 1;
  return rules;
}

unsigned exercise(const elf::LdSoCache& cache) {
  static const std::vector<elf::CacheMatchRules> rules = all_rules();
  unsigned v = cache.new_format();
  std::vector<std::string> names = {"libc.so.6", "", "libx.so.10", "libx.so.9"};
  for (const elf::CacheEntry& e : cache.entries()) {
    v += touch(e.name) + touch(e.path) + touch(e.hwcaps_subdir) + static_cast<unsigned>(e.flags);
    if (e.hwcap) v += static_cast<unsigned>(*e.hwcap);
    if (names.size() < 16) names.push_back(e.name);
  }
  for (const auto& name : names)
    for (const auto& r : rules) v += touch(cache.lookup(name, r));
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  for (auto order : {linkbox::ByteOrder::little, linkbox::ByteOrder::big}) {
    auto cache = elf::LdSoCache::parse("fuzz-input", bytes, order);
    if (cache) linkbox::fuzz::keep(exercise(*cache));
    else linkbox::fuzz::keep(touch(cache.error().message));
  }
  // The names compare by embedded numbers; any two strings must order.
  if (size >= 2) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    size_t half = size / 2;
    linkbox::fuzz::keep(static_cast<unsigned>(elf::cache_libcmp(text.substr(0, half), text.substr(half))));
  }
  return 0;
}
