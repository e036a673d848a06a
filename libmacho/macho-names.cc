// Names for Mach-O numbers, spelled as Apple's tools and llvm-objdump spell
// them, so that linkbox's output can be compared with theirs.
#include <cstdio>

#include "libmacho/macho-file.h"
#include "libmacho/macho-names.h"

namespace linkbox::macho {

std::string arch_name(uint32_t cputype, uint32_t cpusubtype) {
  uint32_t sub = cpusubtype & ~CPU_SUBTYPE_MASK;
  switch (cputype) {
    case CPU_TYPE_X86_64:
      return sub == CPU_SUBTYPE_X86_64_H ? "x86_64h" : "x86_64";
    case CPU_TYPE_X86:
      return "i386";
    case CPU_TYPE_ARM64:
      return sub == CPU_SUBTYPE_ARM64E ? "arm64e" : "arm64";
    case CPU_TYPE_ARM64_32:
      return "arm64_32";
    case CPU_TYPE_ARM:
      switch (sub) {
        case 5: return "armv4t";
        case 6: return "armv6";
        case 7: return "armv5";
        case 8: return "xscale";
        case 9: return "armv7";
        case 10: return "armv7f";
        case 11: return "armv7s";
        case 12: return "armv7k";
        case 14: return "armv6m";
        case 15: return "armv7m";
        case 16: return "armv7em";
        default: return "arm";
      }
    case CPU_TYPE_POWERPC:
      return "ppc";
    case CPU_TYPE_POWERPC64:
      return "ppc64";
  }
  return "cputype " + std::to_string(cputype) + " cpusubtype " + std::to_string(sub);
}

std::string load_command_name(uint32_t cmd) {
  switch (cmd) {
#define NAME(x) case x: return #x;
    NAME(LC_SEGMENT) NAME(LC_SYMTAB) NAME(LC_THREAD) NAME(LC_UNIXTHREAD) NAME(LC_DYSYMTAB)
    NAME(LC_LOAD_DYLIB) NAME(LC_ID_DYLIB) NAME(LC_LOAD_DYLINKER) NAME(LC_ID_DYLINKER)
    NAME(LC_PREBOUND_DYLIB) NAME(LC_ROUTINES) NAME(LC_SUB_FRAMEWORK) NAME(LC_SUB_UMBRELLA)
    NAME(LC_SUB_CLIENT) NAME(LC_SUB_LIBRARY) NAME(LC_TWOLEVEL_HINTS) NAME(LC_PREBIND_CKSUM)
    NAME(LC_LOAD_WEAK_DYLIB) NAME(LC_SEGMENT_64) NAME(LC_ROUTINES_64) NAME(LC_UUID) NAME(LC_RPATH)
    NAME(LC_CODE_SIGNATURE) NAME(LC_SEGMENT_SPLIT_INFO) NAME(LC_REEXPORT_DYLIB)
    NAME(LC_LAZY_LOAD_DYLIB) NAME(LC_ENCRYPTION_INFO) NAME(LC_DYLD_INFO) NAME(LC_DYLD_INFO_ONLY)
    NAME(LC_LOAD_UPWARD_DYLIB) NAME(LC_VERSION_MIN_MACOSX) NAME(LC_VERSION_MIN_IPHONEOS)
    NAME(LC_FUNCTION_STARTS) NAME(LC_DYLD_ENVIRONMENT) NAME(LC_MAIN) NAME(LC_DATA_IN_CODE)
    NAME(LC_SOURCE_VERSION) NAME(LC_DYLIB_CODE_SIGN_DRS) NAME(LC_ENCRYPTION_INFO_64)
    NAME(LC_LINKER_OPTION) NAME(LC_LINKER_OPTIMIZATION_HINT) NAME(LC_VERSION_MIN_TVOS)
    NAME(LC_VERSION_MIN_WATCHOS) NAME(LC_NOTE) NAME(LC_BUILD_VERSION) NAME(LC_DYLD_EXPORTS_TRIE)
    NAME(LC_DYLD_CHAINED_FIXUPS) NAME(LC_FILESET_ENTRY)
#undef NAME
    case 0x36: return "LC_ATOM_INFO";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "LC_??? (0x%x)", cmd);
  return buf;
}

std::string format_version(uint32_t v, bool always_three) {
  char buf[32];
  uint32_t x = v >> 16, y = (v >> 8) & 0xff, z = v & 0xff;
  if (!always_three && z == 0)
    std::snprintf(buf, sizeof buf, "%u.%u", x, y);
  else
    std::snprintf(buf, sizeof buf, "%u.%u.%u", x, y, z);
  return buf;
}

}  // namespace linkbox::macho

namespace linkbox::macho {

std::string filetype_text(uint32_t filetype) {
  switch (filetype) {
    case MH_OBJECT: return "object";
    case MH_EXECUTE: return "executable";
    case 0x3: return "fixed VM library";
    case 0x4: return "core";
    case 0x5: return "preload executable";
    case MH_DYLIB: return "dylib";
    case MH_DYLINKER: return "dynamic linker";
    case MH_BUNDLE: return "bundle";
    case MH_DYLIB_STUB: return "dylib stub";
    case MH_DSYM: return "dSYM companion";
    case MH_KEXT_BUNDLE: return "kext bundle";
    case 0xc: return "fileset";
  }
  return "file type " + std::to_string(filetype);
}

std::string filetype_key(uint32_t filetype) {
  switch (filetype) {
    case MH_OBJECT: return "object";
    case MH_EXECUTE: return "execute";
    case 0x3: return "fvmlib";
    case 0x4: return "core";
    case 0x5: return "preload";
    case MH_DYLIB: return "dylib";
    case MH_DYLINKER: return "dylinker";
    case MH_BUNDLE: return "bundle";
    case MH_DYLIB_STUB: return "dylib_stub";
    case MH_DSYM: return "dsym";
    case MH_KEXT_BUNDLE: return "kext_bundle";
    case 0xc: return "fileset";
  }
  return "unknown";
}

std::string platform_name(uint32_t platform) {
  switch (platform) {
    case PLATFORM_MACOS: return "macos";
    case PLATFORM_IOS: return "ios";
    case PLATFORM_TVOS: return "tvos";
    case PLATFORM_WATCHOS: return "watchos";
    case PLATFORM_BRIDGEOS: return "bridgeos";
    case PLATFORM_MACCATALYST: return "maccatalyst";
    case PLATFORM_IOSSIMULATOR: return "iossimulator";
    case PLATFORM_TVOSSIMULATOR: return "tvossimulator";
    case PLATFORM_WATCHOSSIMULATOR: return "watchossimulator";
    case PLATFORM_DRIVERKIT: return "driverkit";
    case 11: return "xros";
    case 12: return "xrsimulator";
  }
  return "platform " + std::to_string(platform);
}

uint32_t version_min_platform(uint32_t cmd) {
  switch (cmd) {
    case LC_VERSION_MIN_MACOSX: return PLATFORM_MACOS;
    case LC_VERSION_MIN_IPHONEOS: return PLATFORM_IOS;
    case LC_VERSION_MIN_TVOS: return PLATFORM_TVOS;
    case LC_VERSION_MIN_WATCHOS: return PLATFORM_WATCHOS;
  }
  return 0;
}

std::string build_tool_name(uint32_t tool) {
  switch (tool) {
    case 1: return "clang";
    case 2: return "swift";
    case 3: return "ld";
    case 4: return "lld";
  }
  return "tool " + std::to_string(tool);
}

std::vector<std::string> header_flag_names(uint32_t flags) {
  static const char* const names[32] = {
      "NOUNDEFS", "INCRLINK", "DYLDLINK", "BINDATLOAD", "PREBOUND", "SPLIT_SEGS", "LAZY_INIT", "TWOLEVEL",
      "FORCE_FLAT", "NOMULTIDEFS", "NOFIXPREBINDING", "PREBINDABLE", "ALLMODSBOUND", "SUBSECTIONS_VIA_SYMBOLS",
      "CANONICAL", "WEAK_DEFINES", "BINDS_TO_WEAK", "ALLOW_STACK_EXECUTION", "ROOT_SAFE", "SETUID_SAFE",
      "NO_REEXPORTED_DYLIBS", "PIE", "DEAD_STRIPPABLE_DYLIB", "HAS_TLV_DESCRIPTORS", "NO_HEAP_EXECUTION",
      "APP_EXTENSION_SAFE", "NLIST_OUTOFSYNC_WITH_DYLDINFO", "SIM_SUPPORT", nullptr, nullptr, nullptr,
      "DYLIB_IN_CACHE"};
  std::vector<std::string> out;
  for (unsigned bit = 0; bit < 32; ++bit) {
    if (!(flags & (1u << bit))) continue;
    if (names[bit]) {
      out.push_back(names[bit]);
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%x", 1u << bit);
      out.push_back(buf);
    }
  }
  return out;
}

std::string format_uuid(const std::array<uint8_t, 16>& u) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", u[0], u[1],
                u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
  return buf;
}

std::string protection_text(uint32_t prot) {
  std::string s;
  s += (prot & 1) ? 'r' : '-';
  s += (prot & 2) ? 'w' : '-';
  s += (prot & 4) ? 'x' : '-';
  return s;
}

}  // namespace linkbox::macho
