// Decoder for LC_DYLD_CHAINED_FIXUPS: the dyld_chained_fixups_header, its
// imports (DYLD_CHAINED_IMPORT, _ADDEND, _ADDEND64) with their symbol names,
// the per-segment starts (dyld_chained_starts_in_image/_in_segment, with
// DYLD_CHAINED_PTR_START_MULTI pages), and the walk along the pointer chains
// in the segments' data, which gives the rebases and binds.
//
// Pointer formats walked: DYLD_CHAINED_PTR_64 and _64_OFFSET; ARM64E and its
// _USERLAND, _USERLAND24, _KERNEL and _FIRMWARE variants (plain and
// authenticated); the 32-bit formats; and the kernel-cache formats.
//
// All of it is untrusted: every offset is checked against the blob or the
// segment, a chain that leaves its page or segment is an error (chains only
// move forward, so they cannot loop), and the number of fixups is capped.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "libformat/expected.h"
#include "libmacho/dyld-info.h"
#include "libmacho/macho-file.h"

namespace linkbox::macho {

// <mach-o/fixup-chains.h> numbers.
constexpr uint32_t DYLD_CHAINED_IMPORT = 1;
constexpr uint32_t DYLD_CHAINED_IMPORT_ADDEND = 2;
constexpr uint32_t DYLD_CHAINED_IMPORT_ADDEND64 = 3;
constexpr uint32_t DYLD_CHAINED_SYMBOL_UNCOMPRESSED = 0;
constexpr uint32_t DYLD_CHAINED_SYMBOL_ZLIB = 1;

constexpr uint16_t DYLD_CHAINED_PTR_ARM64E = 1;
constexpr uint16_t DYLD_CHAINED_PTR_64 = 2;
constexpr uint16_t DYLD_CHAINED_PTR_32 = 3;
constexpr uint16_t DYLD_CHAINED_PTR_32_CACHE = 4;
constexpr uint16_t DYLD_CHAINED_PTR_32_FIRMWARE = 5;
constexpr uint16_t DYLD_CHAINED_PTR_64_OFFSET = 6;
constexpr uint16_t DYLD_CHAINED_PTR_ARM64E_KERNEL = 7;
constexpr uint16_t DYLD_CHAINED_PTR_64_KERNEL_CACHE = 8;
constexpr uint16_t DYLD_CHAINED_PTR_ARM64E_USERLAND = 9;
constexpr uint16_t DYLD_CHAINED_PTR_ARM64E_FIRMWARE = 10;
constexpr uint16_t DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE = 11;
constexpr uint16_t DYLD_CHAINED_PTR_ARM64E_USERLAND24 = 12;

constexpr uint16_t DYLD_CHAINED_PTR_START_NONE = 0xffff;
constexpr uint16_t DYLD_CHAINED_PTR_START_MULTI = 0x8000;
constexpr uint16_t DYLD_CHAINED_PTR_START_LAST = 0x8000;

// "DYLD_CHAINED_PTR_64", or empty for an unknown number.
std::string_view chained_pointer_format_name(uint16_t format);
// Bytes between chain links counted by `next`, and the size of a pointer,
// for a known format (0 for an unknown one).
uint32_t chained_pointer_stride(uint16_t format);
uint32_t chained_pointer_size(uint16_t format);

struct ChainedFixupsHeader {
  uint32_t fixups_version = 0;
  uint32_t starts_offset = 0;
  uint32_t imports_offset = 0;
  uint32_t symbols_offset = 0;
  uint32_t imports_count = 0;
  uint32_t imports_format = 0;
  uint32_t symbols_format = 0;
};

struct ChainedStartsInSegment {
  uint32_t segment_index = 0;  // the index in dyld_chained_starts_in_image
  uint32_t info_offset = 0;    // seg_info_offset[segment_index]
  uint32_t size = 0;
  uint16_t page_size = 0;
  uint16_t pointer_format = 0;
  uint64_t segment_offset = 0;
  uint32_t max_valid_pointer = 0;
  uint16_t page_count = 0;
  std::vector<uint16_t> page_start;  // page_count raw entries
  // The chain starts of every page, with DYLD_CHAINED_PTR_START_MULTI lists
  // expanded: offsets within the page, empty for START_NONE pages.
  std::vector<std::vector<uint16_t>> page_chains;
};

struct ChainedImport {
  int32_t lib_ordinal = 0;  // > 0 a dylib; 0 self; -1 main; -2 flat; -3 weak
  bool weak_import = false;
  uint32_t name_offset = 0;
  int64_t addend = 0;
  std::string name;
};

struct ChainedFixupsInfo {
  ChainedFixupsHeader header;
  uint32_t seg_count = 0;
  std::vector<uint32_t> seg_info_offset;        // seg_count entries
  std::vector<ChainedStartsInSegment> segments;  // those with a nonzero offset
  std::vector<ChainedImport> imports;
};

// One fixup found on a chain.
struct ChainedFixup {
  uint32_t segment_index = 0;
  uint64_t segment_offset = 0;
  uint64_t address = 0;  // segment vmaddr + offset
  uint16_t pointer_format = 0;
  uint64_t raw = 0;      // the pointer as stored
  bool bind = false;
  // Binds: the import and the addend (the import's plus the inline one).
  uint32_t import_index = 0;
  int64_t addend = 0;
  // Rebases: the unslid address the pointer will hold, with the high byte.
  uint64_t target = 0;
  // Authenticated (arm64e) pointers.
  bool auth = false;
  uint16_t diversity = 0;
  bool addr_div = false;
  uint8_t key = 0;  // 0 IA, 1 IB, 2 DA, 3 DB
};

// Parses the LC_DYLD_CHAINED_FIXUPS payload (header, starts, imports and
// names). It does not touch the segments' data.
Expected<ChainedFixupsInfo> decode_chained_fixups(std::span<const uint8_t> blob, const std::string& path,
                                                  ByteOrder order = ByteOrder::little);

// Walks every chain. `ctx.segments` and `ctx.image` give the segments' data;
// the image base (for formats whose targets are offsets) is the address of
// the segment that maps the start of the file.
Expected<std::vector<ChainedFixup>> walk_chained_fixups(const ChainedFixupsInfo& info, const FixupContext& ctx);

// The address the image is linked at: the vmaddr of the segment holding
// file offset 0, else of __TEXT, else 0.
uint64_t image_base_address(std::span<const Segment> segments);

// A slice's LC_DYLD_CHAINED_FIXUPS, decoded; nullopt when it has none.
Expected<std::optional<ChainedFixupsInfo>> chained_fixups_info(const Slice& slice);
Expected<std::vector<ChainedFixup>> chained_fixups(const Slice& slice);

}  // namespace linkbox::macho
