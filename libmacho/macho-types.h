// Mach-O constants, with the names of <mach-o/loader.h>, <mach-o/fat.h>,
// <mach-o/nlist.h> and <mach-o/fixup-chains.h>. Only the numbers live here;
// the reader (macho-file.h) turns the on-disk records into plain structs.
#pragma once

#include <cstdint>

namespace linkbox::macho {

// Magic numbers. Thin files are read in the byte order their magic says;
// fat headers are always big-endian.
constexpr uint32_t MH_MAGIC = 0xfeedface;
constexpr uint32_t MH_CIGAM = 0xcefaedfe;
constexpr uint32_t MH_MAGIC_64 = 0xfeedfacf;
constexpr uint32_t MH_CIGAM_64 = 0xcffaedfe;
constexpr uint32_t FAT_MAGIC = 0xcafebabe;
constexpr uint32_t FAT_MAGIC_64 = 0xcafebabf;

// CPU types and subtypes.
constexpr uint32_t CPU_ARCH_ABI64 = 0x01000000;
constexpr uint32_t CPU_ARCH_ABI64_32 = 0x02000000;
constexpr uint32_t CPU_TYPE_X86 = 7;
constexpr uint32_t CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
constexpr uint32_t CPU_TYPE_ARM = 12;
constexpr uint32_t CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
constexpr uint32_t CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | CPU_ARCH_ABI64_32;
constexpr uint32_t CPU_TYPE_POWERPC = 18;
constexpr uint32_t CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;
constexpr uint32_t CPU_SUBTYPE_MASK = 0xff000000;
constexpr uint32_t CPU_SUBTYPE_LIB64 = 0x80000000;
constexpr uint32_t CPU_SUBTYPE_X86_64_ALL = 3;
constexpr uint32_t CPU_SUBTYPE_X86_64_H = 8;
constexpr uint32_t CPU_SUBTYPE_ARM64_ALL = 0;
constexpr uint32_t CPU_SUBTYPE_ARM64E = 2;

// File types.
constexpr uint32_t MH_OBJECT = 0x1;
constexpr uint32_t MH_EXECUTE = 0x2;
constexpr uint32_t MH_DYLIB = 0x6;
constexpr uint32_t MH_DYLINKER = 0x7;
constexpr uint32_t MH_BUNDLE = 0x8;
constexpr uint32_t MH_DYLIB_STUB = 0x9;
constexpr uint32_t MH_DSYM = 0xa;
constexpr uint32_t MH_KEXT_BUNDLE = 0xb;

// Header flags used by the tools.
constexpr uint32_t MH_NOUNDEFS = 0x1;
constexpr uint32_t MH_DYLDLINK = 0x4;
constexpr uint32_t MH_TWOLEVEL = 0x80;
constexpr uint32_t MH_PIE = 0x200000;

// Load commands.
constexpr uint32_t LC_REQ_DYLD = 0x80000000;
constexpr uint32_t LC_SEGMENT = 0x1;
constexpr uint32_t LC_SYMTAB = 0x2;
constexpr uint32_t LC_THREAD = 0x4;
constexpr uint32_t LC_UNIXTHREAD = 0x5;
constexpr uint32_t LC_DYSYMTAB = 0xb;
constexpr uint32_t LC_LOAD_DYLIB = 0xc;
constexpr uint32_t LC_ID_DYLIB = 0xd;
constexpr uint32_t LC_LOAD_DYLINKER = 0xe;
constexpr uint32_t LC_ID_DYLINKER = 0xf;
constexpr uint32_t LC_PREBOUND_DYLIB = 0x10;
constexpr uint32_t LC_ROUTINES = 0x11;
constexpr uint32_t LC_SUB_FRAMEWORK = 0x12;
constexpr uint32_t LC_SUB_UMBRELLA = 0x13;
constexpr uint32_t LC_SUB_CLIENT = 0x14;
constexpr uint32_t LC_SUB_LIBRARY = 0x15;
constexpr uint32_t LC_TWOLEVEL_HINTS = 0x16;
constexpr uint32_t LC_PREBIND_CKSUM = 0x17;
constexpr uint32_t LC_LOAD_WEAK_DYLIB = 0x18 | LC_REQ_DYLD;
constexpr uint32_t LC_SEGMENT_64 = 0x19;
constexpr uint32_t LC_ROUTINES_64 = 0x1a;
constexpr uint32_t LC_UUID = 0x1b;
constexpr uint32_t LC_RPATH = 0x1c | LC_REQ_DYLD;
constexpr uint32_t LC_CODE_SIGNATURE = 0x1d;
constexpr uint32_t LC_SEGMENT_SPLIT_INFO = 0x1e;
constexpr uint32_t LC_REEXPORT_DYLIB = 0x1f | LC_REQ_DYLD;
constexpr uint32_t LC_LAZY_LOAD_DYLIB = 0x20;
constexpr uint32_t LC_ENCRYPTION_INFO = 0x21;
constexpr uint32_t LC_DYLD_INFO = 0x22;
constexpr uint32_t LC_DYLD_INFO_ONLY = 0x22 | LC_REQ_DYLD;
constexpr uint32_t LC_LOAD_UPWARD_DYLIB = 0x23 | LC_REQ_DYLD;
constexpr uint32_t LC_VERSION_MIN_MACOSX = 0x24;
constexpr uint32_t LC_VERSION_MIN_IPHONEOS = 0x25;
constexpr uint32_t LC_FUNCTION_STARTS = 0x26;
constexpr uint32_t LC_DYLD_ENVIRONMENT = 0x27;
constexpr uint32_t LC_MAIN = 0x28 | LC_REQ_DYLD;
constexpr uint32_t LC_DATA_IN_CODE = 0x29;
constexpr uint32_t LC_SOURCE_VERSION = 0x2a;
constexpr uint32_t LC_DYLIB_CODE_SIGN_DRS = 0x2b;
constexpr uint32_t LC_ENCRYPTION_INFO_64 = 0x2c;
constexpr uint32_t LC_LINKER_OPTION = 0x2d;
constexpr uint32_t LC_LINKER_OPTIMIZATION_HINT = 0x2e;
constexpr uint32_t LC_VERSION_MIN_TVOS = 0x2f;
constexpr uint32_t LC_VERSION_MIN_WATCHOS = 0x30;
constexpr uint32_t LC_NOTE = 0x31;
constexpr uint32_t LC_BUILD_VERSION = 0x32;
constexpr uint32_t LC_DYLD_EXPORTS_TRIE = 0x33 | LC_REQ_DYLD;
constexpr uint32_t LC_DYLD_CHAINED_FIXUPS = 0x34 | LC_REQ_DYLD;
constexpr uint32_t LC_FILESET_ENTRY = 0x35 | LC_REQ_DYLD;

// Section types (flags & SECTION_TYPE) that hold no file data.
constexpr uint32_t SECTION_TYPE = 0x000000ff;
constexpr uint32_t S_ZEROFILL = 0x1;
constexpr uint32_t S_NON_LAZY_SYMBOL_POINTERS = 0x6;
constexpr uint32_t S_LAZY_SYMBOL_POINTERS = 0x7;
constexpr uint32_t S_SYMBOL_STUBS = 0x8;
constexpr uint32_t S_GB_ZEROFILL = 0xc;
constexpr uint32_t S_THREAD_LOCAL_ZEROFILL = 0x12;
constexpr uint32_t S_THREAD_LOCAL_VARIABLE_POINTERS = 0x14;

// Indirect symbol table special values.
constexpr uint32_t INDIRECT_SYMBOL_LOCAL = 0x80000000;
constexpr uint32_t INDIRECT_SYMBOL_ABS = 0x40000000;

// nlist n_type bits.
constexpr uint8_t N_STAB = 0xe0;
constexpr uint8_t N_PEXT = 0x10;
constexpr uint8_t N_TYPE = 0x0e;
constexpr uint8_t N_EXT = 0x01;
constexpr uint8_t N_UNDF = 0x0;
constexpr uint8_t N_ABS = 0x2;
constexpr uint8_t N_SECT = 0xe;
constexpr uint8_t N_INDR = 0xa;

// Platforms of LC_BUILD_VERSION.
constexpr uint32_t PLATFORM_MACOS = 1;
constexpr uint32_t PLATFORM_IOS = 2;
constexpr uint32_t PLATFORM_TVOS = 3;
constexpr uint32_t PLATFORM_WATCHOS = 4;
constexpr uint32_t PLATFORM_BRIDGEOS = 5;
constexpr uint32_t PLATFORM_MACCATALYST = 6;
constexpr uint32_t PLATFORM_IOSSIMULATOR = 7;
constexpr uint32_t PLATFORM_TVOSSIMULATOR = 8;
constexpr uint32_t PLATFORM_WATCHOSSIMULATOR = 9;
constexpr uint32_t PLATFORM_DRIVERKIT = 10;

// Code signature blobs (<Security/CSCommon.h>, cs_blobs.h). Big-endian on disk.
constexpr uint32_t CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
constexpr uint32_t CSMAGIC_CODEDIRECTORY = 0xfade0c02;
constexpr uint32_t CSMAGIC_REQUIREMENTS = 0xfade0c01;
constexpr uint32_t CSMAGIC_BLOBWRAPPER = 0xfade0b01;
constexpr uint32_t CSSLOT_CODEDIRECTORY = 0;
constexpr uint32_t CSSLOT_REQUIREMENTS = 2;
constexpr uint32_t CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000;
constexpr uint32_t CSSLOT_SIGNATURESLOT = 0x10000;
constexpr uint32_t CS_ADHOC = 0x2;
constexpr uint32_t CS_LINKER_SIGNED = 0x20000;
constexpr uint8_t CS_HASHTYPE_SHA1 = 1;
constexpr uint8_t CS_HASHTYPE_SHA256 = 2;
constexpr uint32_t CS_EXECSEG_MAIN_BINARY = 0x1;

}  // namespace linkbox::macho
