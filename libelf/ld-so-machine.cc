#include "libelf/ld-so-machine.h"

#include <elf.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace linkbox::elf {
namespace {

// ldconfig's cache flags (sysdeps/generic/ldconfig.h).
constexpr int32_t FLAG_ELF = 0x0001;
constexpr int32_t FLAG_ELF_LIBC6 = 0x0003;
constexpr int32_t FLAG_X8664_LIB64 = 0x0300;
constexpr int32_t FLAG_AARCH64_LIB64 = 0x0a00;

// Bits of GLRO(dl_hwcap) on x86 (sysdeps/x86/dl-hwcap.h), named by
// _dl_x86_hwcap_flags.
constexpr uint64_t HWCAP_X86_SSE2 = 1u << 0;
constexpr uint64_t HWCAP_X86_64 = 1u << 1;
constexpr uint64_t HWCAP_X86_AVX512_1 = 1u << 2;

// AArch64: HWCAP_CPUID (bit 11) is the only bit ld.so's library search uses;
// every kernel since 4.11 sets it.
constexpr uint64_t HWCAP_AARCH64_CPUID = 1u << 11;

// cpu_features->isa_1 bits (GNU_PROPERTY_X86_ISA_1_BASELINE, _V2, _V3, _V4).
constexpr uint32_t kIsaBaseline = 1u << 0;

const std::vector<std::string_view> kX86HwcapNames = {"sse2", "x86_64", "avx512_1"};

LoaderTarget make_x86_64() {
  LoaderTarget t;
  t.name = "x86_64";
  t.abi = {EM_X86_64, true, ByteOrder::little, 4, false, 4096};
  t.interpreter = "/lib64/ld-linux-x86-64.so.2";
  t.rtld_soname = "ld-linux-x86-64.so.2";
  // Debian's SYSTEM_DIRS: the multiarch slibdir and libdir first.
  t.system_dirs = {"/lib/x86_64-linux-gnu/", "/usr/lib/x86_64-linux-gnu/", "/lib/", "/usr/lib/"};
  t.dst_lib = "lib/x86_64-linux-gnu";
  t.vdso_name = "linux-vdso.so.1";
  t.cache_flags = {FLAG_X8664_LIB64 | FLAG_ELF_LIBC6};
  t.cache_default = FLAG_X8664_LIB64 | FLAG_ELF_LIBC6;
  t.hwcaps_subdirs = {"x86-64-v4", "x86-64-v3", "x86-64-v2"};
  t.x86_isa_levels = true;
  t.hwcap_names = kX86HwcapNames;
  t.hwcap_important = HWCAP_X86_64 | HWCAP_X86_AVX512_1;
  t.default_hwcap = HWCAP_X86_64;
  // The cache names four x86 platforms; the 64-bit ld.so only knows the
  // last two (HWCAP_PLATFORMS_START 2).
  t.cache_platforms = {"i586", "i686", "haswell", "xeon_phi"};
  t.first_platform_bit = 48;
  t.cache_platforms_start = 2;
  t.default_platform = "x86_64";
  return t;
}

// The fields both i386 layouts share.
LoaderTarget make_i386_common() {
  LoaderTarget t;
  t.name = "i386";
  t.abi = {EM_386, false, ByteOrder::little, 4, false, 4096};
  t.interpreter = "/lib/ld-linux.so.2";
  t.rtld_soname = "ld-linux.so.2";
  // On an x86-64 kernel, 32-bit processes get the vDSO named linux-gate.
  t.vdso_name = "linux-gate.so.1";
  t.cache_flags = {FLAG_ELF, FLAG_ELF_LIBC6};
  t.cache_default = FLAG_ELF_LIBC6;
  t.hwcap_names = kX86HwcapNames;
  t.hwcap_important = HWCAP_X86_SSE2;
  t.default_hwcap = HWCAP_X86_SSE2;
  t.cache_platforms = {"i586", "i686"};
  t.first_platform_bit = 48;
  t.cache_platforms_start = 0;
  t.default_platform = "i686";
  return t;
}

// Debian's i386 architecture: multiarch directories.
LoaderTarget make_i386_multiarch() {
  LoaderTarget t = make_i386_common();
  t.system_dirs = {"/lib/i386-linux-gnu/", "/usr/lib/i386-linux-gnu/", "/lib/", "/usr/lib/"};
  t.dst_lib = "lib/i386-linux-gnu";
  return t;
}

// Debian amd64's libc6-i386: the biarch /lib32 layout.
LoaderTarget make_i386_biarch() {
  LoaderTarget t = make_i386_common();
  t.name = "i386 (lib32)";
  t.system_dirs = {"/lib32/", "/usr/lib32/", "/lib/", "/usr/lib/"};
  t.dst_lib = "lib32";
  return t;
}

LoaderTarget make_aarch64() {
  LoaderTarget t;
  t.name = "aarch64";
  t.abi = {EM_AARCH64, true, ByteOrder::little, 4, false, 4096};
  t.interpreter = "/lib/ld-linux-aarch64.so.1";
  t.rtld_soname = "ld-linux-aarch64.so.1";
  t.system_dirs = {"/lib/aarch64-linux-gnu/", "/usr/lib/aarch64-linux-gnu/", "/lib/", "/usr/lib/"};
  t.dst_lib = "lib/aarch64-linux-gnu";
  t.vdso_name = "linux-vdso.so.1";
  t.cache_flags = {FLAG_AARCH64_LIB64 | FLAG_ELF_LIBC6};
  t.cache_default = FLAG_AARCH64_LIB64 | FLAG_ELF_LIBC6;
  // _dl_aarch64_cap_flags, up to HWCAP_CPUID.
  t.hwcap_names = {"fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32", "atomics",
                   "fphp", "asimdhp", "cpuid"};
  t.hwcap_important = HWCAP_AARCH64_CPUID;
  t.default_hwcap = HWCAP_AARCH64_CPUID;
  t.default_platform = "aarch64";
  return t;
}

const LoaderTarget& x86_64_target() {
  static const LoaderTarget t = make_x86_64();
  return t;
}
const LoaderTarget& i386_multiarch_target() {
  static const LoaderTarget t = make_i386_multiarch();
  return t;
}
const LoaderTarget& i386_biarch_target() {
  static const LoaderTarget t = make_i386_biarch();
  return t;
}
const LoaderTarget& aarch64_target() {
  static const LoaderTarget t = make_aarch64();
  return t;
}

bool is_directory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Which i386 layout ROOT has: where its /lib/ld-linux.so.2 points, else
// which library directories exist.
const LoaderTarget& i386_target(const std::string& root) {
  char link[4096];
  ssize_t n = readlink((root + "/lib/ld-linux.so.2").c_str(), link, sizeof link - 1);
  if (n > 0) {
    std::string_view to(link, static_cast<size_t>(n));
    if (to.find("lib32") != std::string_view::npos) return i386_biarch_target();
    if (to.find("i386-linux-gnu") != std::string_view::npos) return i386_multiarch_target();
  }
  if (is_directory(root + "/lib/i386-linux-gnu") || is_directory(root + "/usr/lib/i386-linux-gnu"))
    return i386_multiarch_target();
  if (is_directory(root + "/lib32") || is_directory(root + "/usr/lib32")) return i386_biarch_target();
  return i386_multiarch_target();
}

// What cpuid says, in the terms glibc's cpu_features uses ("usable" means
// the CPU has it and the kernel saves its register state).
struct X86Features {
  bool intel = false;
  bool sse2 = false, cmov = false;
  uint32_t isa_levels = kIsaBaseline;  // GNU_PROPERTY_X86_ISA_1_* bits
  bool avx512_1 = false;               // AVX512BW, DQ and VL next to AVX512CD
  bool xeon_phi = false;               // AVX512ER and AVX512PF
  bool haswell = false;                // the "haswell" platform's features
};

#if defined(__x86_64__) || defined(__i386__)
X86Features read_x86_features() {
  X86Features f;
  unsigned a, b, c, d;
  if (!__get_cpuid(0, &a, &b, &c, &d)) return f;
  unsigned max_leaf = a;
  f.intel = b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;  // "GenuineIntel"
  unsigned c1 = 0, d1 = 0, b7 = 0, c81 = 0;
  if (__get_cpuid(1, &a, &b, &c, &d)) {
    c1 = c;
    d1 = d;
  }
  if (max_leaf >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    b7 = b;
  }
  if (__get_cpuid(0x80000001, &a, &b, &c, &d)) c81 = c;
  auto bit = [](unsigned word, int n) { return ((word >> n) & 1) != 0; };
  // XCR0: SSE and AVX state (bits 1, 2), AVX-512 state (bits 5, 6, 7).
  uint64_t xcr0 = 0;
  if (bit(c1, 27)) {
    uint32_t lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    xcr0 = (uint64_t(hi) << 32) | lo;
  }
  bool avx_state = (xcr0 & 0x6) == 0x6;
  bool avx512_state = avx_state && (xcr0 & 0xe0) == 0xe0;
  bool sse3 = bit(c1, 0), ssse3 = bit(c1, 9), fma = bit(c1, 12) && avx_state, cx16 = bit(c1, 13);
  bool sse41 = bit(c1, 19), sse42 = bit(c1, 20), movbe = bit(c1, 22), popcnt = bit(c1, 23);
  bool avx = bit(c1, 28) && avx_state, f16c = bit(c1, 29) && avx_state;
  bool lahf = bit(c81, 0), lzcnt = bit(c81, 5);
  bool bmi1 = bit(b7, 3), avx2 = bit(b7, 5) && avx, bmi2 = bit(b7, 8);
  bool avx512f = bit(b7, 16) && avx512_state, avx512dq = bit(b7, 17) && avx512_state;
  bool avx512pf = bit(b7, 26) && avx512_state, avx512er = bit(b7, 27) && avx512_state;
  bool avx512cd = bit(b7, 28) && avx512_state, avx512bw = bit(b7, 30) && avx512_state;
  bool avx512vl = bit(b7, 31) && avx512_state;
  f.sse2 = bit(d1, 26);
  f.cmov = bit(d1, 15);
  // sysdeps/x86/get-isa-level.h: each level needs the one below.
  bool v2 = cx16 && lahf && popcnt && sse3 && sse41 && sse42 && ssse3;
  bool v3 = v2 && avx && avx2 && bmi1 && bmi2 && f16c && fma && lzcnt && movbe;
  bool v4 = v3 && avx512f && avx512bw && avx512cd && avx512dq && avx512vl;
  f.isa_levels = kIsaBaseline | (v2 ? 2u : 0) | (v3 ? 4u : 0) | (v4 ? 8u : 0);
  // sysdeps/x86/cpu-features.c (init_cpu_features), Intel only.
  if (f.intel) {
    if (avx512cd) {
      if (avx512er) f.xeon_phi = avx512pf;
      else f.avx512_1 = avx512bw && avx512dq && avx512vl;
    }
    f.haswell = !f.xeon_phi && avx2 && fma && bmi1 && bmi2 && lzcnt && movbe && popcnt;
  }
  return f;
}
#endif

// The glibc-hwcaps subdirectories the ISA levels make active, best first.
std::vector<std::string> x86_64_active_hwcaps(uint32_t isa_levels) {
  std::vector<std::string> out;
  if (isa_levels & 8) out.push_back("x86-64-v4");
  if (isa_levels & 4) out.push_back("x86-64-v3");
  if (isa_levels & 2) out.push_back("x86-64-v2");
  return out;
}

// The CPU as the target's ld.so would see it on this host, when it can run
// here; otherwise nullopt.
std::optional<LoaderCpu> host_cpu(const LoaderTarget& target) {
#if defined(__x86_64__) || defined(__i386__)
  if (target.abi.machine != EM_X86_64 && target.abi.machine != EM_386) return std::nullopt;
#if defined(__i386__)
  if (target.abi.machine == EM_X86_64) return std::nullopt;
#endif
  X86Features f = read_x86_features();
  LoaderCpu cpu;
  if (target.abi.machine == EM_X86_64) {
    cpu.x86_isa_levels = f.isa_levels;
    cpu.hwcaps_active = x86_64_active_hwcaps(f.isa_levels);
    cpu.hwcap = HWCAP_X86_64 | (f.avx512_1 ? HWCAP_X86_AVX512_1 : 0);
    const char* at_platform = nullptr;
#if defined(__x86_64__)
    at_platform = reinterpret_cast<const char*>(getauxval(AT_PLATFORM));
#endif
    cpu.platform = at_platform && *at_platform ? at_platform : std::string(target.default_platform);
    if (f.xeon_phi) cpu.platform = "xeon_phi";
    else if (f.haswell) cpu.platform = "haswell";
  } else {
    // The 32-bit ld.so: SSE2 is its only hwcap bit, i686 its platform on
    // any CPU with CMOV.
    cpu.x86_isa_levels = f.isa_levels;
    cpu.hwcap = f.sse2 ? HWCAP_X86_SSE2 : 0;
    cpu.platform = f.cmov ? "i686" : "i586";
  }
  return cpu;
#else
  (void)target;
  return std::nullopt;
#endif
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

const LoaderTarget* find_loader_target(uint16_t machine, bool is64, ByteOrder order, uint32_t,
                                       const std::string& root) {
  if (order != ByteOrder::little) return nullptr;
  if (machine == EM_X86_64 && is64) return &x86_64_target();
  if (machine == EM_386 && !is64) return &i386_target(root);
  if (machine == EM_AARCH64 && is64) return &aarch64_target();
  return nullptr;
}

Expected<LoaderCpu> loader_cpu(const LoaderTarget& target, const CpuOverrides& overrides) {
  LoaderCpu cpu;
  if (auto host = host_cpu(target)) {
    cpu = *host;
  } else {
    // Not this host's CPU: the target's baseline, with every glibc-hwcaps
    // level off (a CPU that only has what the ABI promises).
    cpu.platform = std::string(target.default_platform);
    cpu.hwcap = target.default_hwcap;
    cpu.x86_isa_levels = target.x86_isa_levels ? kIsaBaseline : 0;
  }
  if (overrides.hwcaps) {
    const std::string& h = *overrides.hwcaps;
    auto known = std::find(target.hwcaps_subdirs.begin(), target.hwcaps_subdirs.end(), h);
    if (h == "none" || h.empty()) {
      cpu.hwcaps_active.clear();
      if (target.x86_isa_levels) cpu.x86_isa_levels = kIsaBaseline;
    } else if (known != target.hwcaps_subdirs.end()) {
      // "A CPU at this level": it and every level below it.
      cpu.hwcaps_active.assign(known, target.hwcaps_subdirs.end());
      if (target.x86_isa_levels) {
        size_t level = static_cast<size_t>(target.hwcaps_subdirs.end() - known);  // v2 = 1
        cpu.x86_isa_levels = (2u << level) - 1;
      }
    } else if (h.find(':') != std::string::npos) {
      cpu.hwcaps_active.clear();
      for (auto& name : split(h, ':'))
        if (!name.empty()) cpu.hwcaps_active.push_back(name);
    } else {
      std::string names;
      for (auto n : target.hwcaps_subdirs) names += (names.empty() ? "" : ", ") + std::string(n);
      return make_error("", "unknown glibc-hwcaps level '" + h + "' for " + std::string(target.name) +
                                " (known: " + (names.empty() ? "none" : names) +
                                "; give a list as NAME:NAME to search other names)");
    }
  }
  if (overrides.platform) cpu.platform = *overrides.platform;
  return cpu;
}

std::vector<std::string> capability_subdirs(const LoaderTarget& target, const LoaderCpu& cpu) {
  std::vector<std::string> out;
  for (const auto& name : cpu.hwcaps_active) out.push_back("glibc-hwcaps/" + name + "/");
  // The legacy power set (_dl_important_hwcaps, glibc 2.36): the names of
  // the important hwcap bits in bit order, the platform, and "tls". Entry i
  // holds element n when bit n of ~i is set; in the path the elements come
  // in reverse order ("tls/haswell/x86_64/").
  std::vector<std::string> parts;
  uint64_t masked = cpu.hwcap & target.hwcap_important;
  for (size_t n = 0; n < target.hwcap_names.size() && n < 64; ++n)
    if (masked & (uint64_t(1) << n)) parts.emplace_back(target.hwcap_names[n]);
  if (cpu.platform && !cpu.platform->empty()) parts.push_back(*cpu.platform);
  parts.push_back("tls");
  size_t count = size_t(1) << parts.size();
  for (size_t i = 0; i < count; ++i) {
    size_t present = count - 1 - i;
    std::string path;
    for (size_t n = parts.size(); n-- > 0;)
      if (present & (size_t(1) << n)) path += parts[n] + "/";
    out.push_back(path);
  }
  return out;
}

CacheMatchRules cache_match_rules(const LoaderTarget& target, const LoaderCpu& cpu) {
  CacheMatchRules r;
  r.accepted_flags = target.cache_flags;
  r.default_flags = target.cache_default;
  r.hwcap_allowed = cpu.hwcap & target.hwcap_important;
  size_t platforms = target.cache_platforms.size();
  if (platforms > 0) {
    r.platform_mask = ((uint64_t(1) << platforms) - 1) << target.first_platform_bit;
    for (size_t i = target.cache_platforms_start; i < platforms; ++i)
      if (cpu.platform && target.cache_platforms[i] == *cpu.platform)
        r.platform_bit = uint64_t(1) << (target.first_platform_bit + i);
  }
  r.hwcaps_subdirs = cpu.hwcaps_active;
  r.check_isa_level = target.x86_isa_levels;
  r.isa_levels = cpu.x86_isa_levels;
  return r;
}

}  // namespace linkbox::elf
