// The facts that differ between ld.so builds, as Debian 12 (glibc 2.36) ships
// them, and what ld.so works out about the CPU at startup.
//
// Per target: the interpreter path, the default directories compiled into
// ld.so (SYSTEM_DIRS: Debian's multiarch slibdir and libdir, then /lib and
// /usr/lib), the expansion of $LIB, the vDSO's name, which ld.so.cache flags
// it accepts, and its hwcaps subdirectories.
//
// Per run: which glibc-hwcaps subdirectories are active (x86-64-v2/v3/v4 from
// the CPU's ISA level), the platform string ($PLATFORM; "haswell" or
// "xeon_phi" on suitable Intel CPUs, else AT_PLATFORM), and the legacy hwcap
// bits. glibc 2.36 still searches the legacy subdirectories ("tls",
// "x86_64", ...) built as a power set of those names (elf/dl-hwcaps.c); 2.37
// removed them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libelf/ld-so-cache.h"
#include "libelf/ld-so-object.h"
#include "libformat/expected.h"

namespace linkbox::elf {

struct LoaderTarget {
  std::string_view name;                 // "x86_64", "i386", "aarch64", ...
  LoaderAbi abi;
  std::string_view interpreter;          // ldd's RTLDLIST entry and the usual PT_INTERP
  std::string_view rtld_soname;          // ld.so's own DT_SONAME
  std::vector<std::string_view> system_dirs;  // SYSTEM_DIRS, each ending in '/'
  std::string_view dst_lib;              // what $LIB expands to
  std::string_view vdso_name;            // the kernel vDSO's DT_SONAME
  std::vector<int32_t> cache_flags;      // _dl_cache_check_flags
  int32_t cache_default = 3;             // _DL_CACHE_DEFAULT_ID
  std::vector<std::string_view> hwcaps_subdirs;  // glibc-hwcaps names, best first
  bool x86_isa_levels = false;           // cache entries carry an x86 ISA level
  // Legacy hwcaps: bit number -> name, the bits ld.so looks at
  // (HWCAP_IMPORTANT), and the platforms the cache can name.
  std::vector<std::string_view> hwcap_names;
  uint64_t hwcap_important = 0;
  uint64_t default_hwcap = 0;            // GLRO(dl_hwcap) when the CPU is not this host's
  std::vector<std::string_view> cache_platforms;  // index i is hwcap bit first_platform_bit + i
  unsigned first_platform_bit = 48;
  unsigned cache_platforms_start = 0;    // the first platform this ld.so recognises
  std::string_view default_platform;     // AT_PLATFORM when the CPU is not this host's
};

// The ld.so that loads files of this machine, class, byte order and flags
// under `root` ("" for this system), or null when linkbox has no model of it
// (today: x86-64, i386 and AArch64, little-endian; `e_flags` will pick the
// float ABI of 32-bit Arm).
// i386 has two Debian layouts: the i386 architecture's multiarch one, and the
// amd64 biarch package libc6-i386 (/lib32), chosen by where
// ROOT/lib/ld-linux.so.2 leads.
const LoaderTarget* find_loader_target(uint16_t machine, bool is64, ByteOrder order, uint32_t e_flags,
                                       const std::string& root);

// What ld.so knows about the CPU it runs on.
struct LoaderCpu {
  std::vector<std::string> hwcaps_active;  // glibc-hwcaps subdirectories, best first
  std::optional<std::string> platform;     // GLRO(dl_platform): $PLATFORM
  uint64_t hwcap = 0;                      // GLRO(dl_hwcap): legacy hwcap bits
  uint32_t x86_isa_levels = 0;             // GNU_PROPERTY_X86_ISA_1_* bits
};

struct CpuOverrides {
  // "none"; one subdirectory name, meaning "a CPU at this level" (it and the
  // lower ones are active); or a colon-separated list, best first.
  std::optional<std::string> hwcaps;
  std::optional<std::string> platform;
};

// The CPU this process runs on when the target can run here (read with
// cpuid), or the target's defaults otherwise; then the overrides.
Expected<LoaderCpu> loader_cpu(const LoaderTarget& target, const CpuOverrides& overrides);

// The subdirectories ld.so tries in every search directory, in order, each
// ending in '/' ("glibc-hwcaps/x86-64-v3/", "tls/x86_64/", ...); the last is
// "" (the directory itself).
std::vector<std::string> capability_subdirs(const LoaderTarget& target, const LoaderCpu& cpu);

// How this ld.so picks ld.so.cache entries on this CPU.
CacheMatchRules cache_match_rules(const LoaderTarget& target, const LoaderCpu& cpu);

}  // namespace linkbox::elf
