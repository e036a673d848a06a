// Decoders for the classic dyld info of LC_DYLD_INFO(_ONLY): the rebase
// opcodes and the bind opcodes of the bind, weak-bind and lazy-bind streams.
//
// The core decoders take the opcode bytes and a FixupContext (the segments,
// the pointer size, the number of dylibs), not a whole file, so that the fuzz
// targets and tests can drive them with hand-made streams. The Slice-taking
// wrappers find the streams through the load command.
//
// Every opcode is bounds-checked the way dyld checks it: a segment index must
// name a segment, every fixup must lie inside its segment's memory, a ULEB128
// that does not fit 64 bits or runs off the stream is an error, and the total
// number of fixups is capped so that a tiny stream cannot ask for billions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libformat/byte-order.h"
#include "libformat/expected.h"
#include "libmacho/macho-file.h"

namespace linkbox::macho {

// <mach-o/loader.h> opcode numbers.
constexpr uint8_t REBASE_TYPE_POINTER = 1;
constexpr uint8_t REBASE_TYPE_TEXT_ABSOLUTE32 = 2;
constexpr uint8_t REBASE_TYPE_TEXT_PCREL32 = 3;
constexpr uint8_t REBASE_OPCODE_MASK = 0xf0;
constexpr uint8_t REBASE_IMMEDIATE_MASK = 0x0f;
constexpr uint8_t REBASE_OPCODE_DONE = 0x00;
constexpr uint8_t REBASE_OPCODE_SET_TYPE_IMM = 0x10;
constexpr uint8_t REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB = 0x20;
constexpr uint8_t REBASE_OPCODE_ADD_ADDR_ULEB = 0x30;
constexpr uint8_t REBASE_OPCODE_ADD_ADDR_IMM_SCALED = 0x40;
constexpr uint8_t REBASE_OPCODE_DO_REBASE_IMM_TIMES = 0x50;
constexpr uint8_t REBASE_OPCODE_DO_REBASE_ULEB_TIMES = 0x60;
constexpr uint8_t REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB = 0x70;
constexpr uint8_t REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB = 0x80;

constexpr uint8_t BIND_TYPE_POINTER = 1;
constexpr uint8_t BIND_TYPE_TEXT_ABSOLUTE32 = 2;
constexpr uint8_t BIND_TYPE_TEXT_PCREL32 = 3;
constexpr int BIND_SPECIAL_DYLIB_SELF = 0;
constexpr int BIND_SPECIAL_DYLIB_MAIN_EXECUTABLE = -1;
constexpr int BIND_SPECIAL_DYLIB_FLAT_LOOKUP = -2;
constexpr int BIND_SPECIAL_DYLIB_WEAK_LOOKUP = -3;
constexpr uint8_t BIND_SYMBOL_FLAGS_WEAK_IMPORT = 0x1;
constexpr uint8_t BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION = 0x8;
constexpr uint8_t BIND_OPCODE_MASK = 0xf0;
constexpr uint8_t BIND_IMMEDIATE_MASK = 0x0f;
constexpr uint8_t BIND_OPCODE_DONE = 0x00;
constexpr uint8_t BIND_OPCODE_SET_DYLIB_ORDINAL_IMM = 0x10;
constexpr uint8_t BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB = 0x20;
constexpr uint8_t BIND_OPCODE_SET_DYLIB_SPECIAL_IMM = 0x30;
constexpr uint8_t BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM = 0x40;
constexpr uint8_t BIND_OPCODE_SET_TYPE_IMM = 0x50;
constexpr uint8_t BIND_OPCODE_SET_ADDEND_SLEB = 0x60;
constexpr uint8_t BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB = 0x70;
constexpr uint8_t BIND_OPCODE_ADD_ADDR_ULEB = 0x80;
constexpr uint8_t BIND_OPCODE_DO_BIND = 0x90;
constexpr uint8_t BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB = 0xa0;
constexpr uint8_t BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED = 0xb0;
constexpr uint8_t BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB = 0xc0;
constexpr uint8_t BIND_OPCODE_THREADED = 0xd0;
constexpr uint8_t BIND_SUBOPCODE_THREADED_SET_BIND_ORDINAL_TABLE_SIZE_ULEB = 0x00;
constexpr uint8_t BIND_SUBOPCODE_THREADED_APPLY = 0x01;

// What the decoders need to know about the image. `segments` are in
// load-command order: segment indexes in the opcodes count from 0 there.
struct FixupContext {
  std::string path;                    // names the file in errors
  std::span<const Segment> segments;
  std::span<const uint8_t> image;      // the slice, for walking pointer chains
  bool is64 = true;
  ByteOrder order = ByteOrder::little;
  uint32_t dylib_count = 0;            // ordinals above this are errors
  uint32_t pointer_size() const { return is64 ? 8 : 4; }
};

// The context of a parsed slice.
FixupContext fixup_context(const Slice& slice);

struct RebaseEntry {
  uint32_t segment_index = 0;
  uint64_t segment_offset = 0;
  uint64_t address = 0;  // segment vmaddr + offset
  uint8_t type = REBASE_TYPE_POINTER;
};

enum class BindKind { regular, weak, lazy };

struct BindEntry {
  uint32_t segment_index = 0;
  uint64_t segment_offset = 0;
  uint64_t address = 0;
  uint8_t type = BIND_TYPE_POINTER;
  int64_t ordinal = 0;  // > 0: a dylib (1-based); 0 self; -1 main; -2 flat; -3 weak
  // Points into the opcode stream (so a stream that repeats a long name
  // millions of times costs no memory per copy): keep the stream alive.
  std::string_view symbol;
  int64_t addend = 0;
  uint8_t flags = 0;  // BIND_SYMBOL_FLAGS_*
  // Weak-bind streams announce strong definitions with the
  // NON_WEAK_DEFINITION flag and no location: such an entry has no address.
  bool strong_definition = false;
  // Lazy binds: where the entry's opcodes start in the stream (the offset the
  // stub helper passes to dyld_stub_binder).
  uint32_t stream_offset = 0;
};

// The largest number of fixups one stream may produce: the stream's length
// plus one per pointer-sized slot of every segment. A well-formed stream
// never exceeds it (each slot holds one fixup), a hostile one soon would.
uint64_t fixup_limit(size_t stream_size, const FixupContext& ctx);

Expected<std::vector<RebaseEntry>> decode_rebase_opcodes(std::span<const uint8_t> opcodes,
                                                         const FixupContext& ctx);
Expected<std::vector<BindEntry>> decode_bind_opcodes(std::span<const uint8_t> opcodes, BindKind kind,
                                                     const FixupContext& ctx);

// The streams of a slice's LC_DYLD_INFO(_ONLY); empty when it has none.
Expected<std::vector<RebaseEntry>> rebase_entries(const Slice& slice);
Expected<std::vector<BindEntry>> bind_entries(const Slice& slice, BindKind kind);

// LEB128 readers shared by the decoders: read at `pos`, advance it. They fail
// (return nullopt) on a value that runs past `end` or does not fit 64 bits.
std::optional<uint64_t> read_uleb128(std::span<const uint8_t> bytes, size_t& pos);
std::optional<int64_t> read_sleb128(std::span<const uint8_t> bytes, size_t& pos);

// The segment that holds [address, address + size), as an index, if any.
std::optional<uint32_t> segment_containing(std::span<const Segment> segments, uint64_t address, uint64_t size);
// The section of `segment` whose memory holds `address`, if any.
const Section* section_containing(const Segment& segment, uint64_t address);

}  // namespace linkbox::macho
