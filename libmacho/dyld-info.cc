#include "libmacho/dyld-info.h"

#include <algorithm>
#include <cstdio>

#include "libformat/hex.h"

namespace linkbox::macho {

std::optional<uint64_t> read_uleb128(std::span<const uint8_t> bytes, size_t& pos) {
  uint64_t value = 0;
  unsigned shift = 0;
  while (pos < bytes.size()) {
    uint8_t b = bytes[pos++];
    uint64_t part = b & 0x7f;
    // Bits that would fall off the top of 64 make the value unrepresentable;
    // zero padding beyond bit 63 (as in 0x80 0x80 ... 0x00) is harmless.
    if (shift >= 64 ? part != 0 : (shift > 57 && (part >> (64 - shift)) != 0)) return std::nullopt;
    if (shift < 64) value |= part << shift;
    if (!(b & 0x80)) return value;
    shift += 7;
    if (shift > 63 + 7 * 4) return std::nullopt;  // absurdly long padding
  }
  return std::nullopt;
}

std::optional<int64_t> read_sleb128(std::span<const uint8_t> bytes, size_t& pos) {
  uint64_t value = 0;
  unsigned shift = 0;
  while (pos < bytes.size()) {
    uint8_t b = bytes[pos++];
    uint64_t part = b & 0x7f;
    if (shift < 64) value |= part << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (shift < 64 && (b & 0x40)) value |= ~uint64_t(0) << shift;
      return static_cast<int64_t>(value);
    }
    if (shift > 63 + 7 * 4) return std::nullopt;
  }
  return std::nullopt;
}

FixupContext fixup_context(const Slice& slice) {
  FixupContext ctx;
  ctx.path = slice.path();
  ctx.segments = slice.segments();
  ctx.image = slice.bytes();
  ctx.is64 = slice.is64();
  ctx.order = slice.order();
  ctx.dylib_count = static_cast<uint32_t>(slice.dependencies().size());
  return ctx;
}

uint64_t fixup_limit(size_t stream_size, const FixupContext& ctx) {
  uint64_t limit = stream_size;
  for (const Segment& seg : ctx.segments) {
    uint64_t slots = seg.vmsize / ctx.pointer_size();
    if (!checked_add(limit, slots, &limit)) return UINT64_MAX;
  }
  // Even a legitimate image cannot have more fixups than this many.
  return std::min<uint64_t>(limit, uint64_t(1) << 26);
}

std::optional<uint32_t> segment_containing(std::span<const Segment> segments, uint64_t address, uint64_t size) {
  for (uint32_t i = 0; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    if (address >= s.vmaddr && in_bounds(address - s.vmaddr, size, s.vmsize)) return i;
  }
  return std::nullopt;
}

const Section* section_containing(const Segment& segment, uint64_t address) {
  for (const Section& sec : segment.sections)
    if (address >= sec.addr && address - sec.addr < sec.size) return &sec;
  return nullptr;
}

namespace {

// The state both opcode machines share: where the next fixup goes, and the
// checks on it.
class Cursor {
 public:
  Cursor(const FixupContext& ctx, std::span<const uint8_t> opcodes, const char* table)
      : ctx_(ctx), opcodes_(opcodes), table_(table), limit_(fixup_limit(opcodes.size(), ctx)) {}

  Error error(size_t opcode_at, const std::string& what) const {
    return make_error(ctx_.path, std::string(table_) + " opcodes: " + what + " (opcode at offset " +
                                     hex(opcode_at) + ")");
  }

  std::optional<uint64_t> uleb(size_t& pos) const { return read_uleb128(opcodes_, pos); }
  std::optional<int64_t> sleb(size_t& pos) const { return read_sleb128(opcodes_, pos); }

  Status set_segment(size_t at, uint32_t index, uint64_t offset) {
    if (index >= ctx_.segments.size())
      return error(at, "segment index " + std::to_string(index) + " is out of range (the image has " +
                           std::to_string(ctx_.segments.size()) + " segments)");
    segment_ = index;
    offset_ = offset;
    have_segment_ = true;
    return {};
  }

  // Adds `delta` to the offset, modulo 2^64: linkers encode a step back as
  // a huge ULEB128 (ld64.lld writes -16 as 0xfffffffffffffff0), and dyld
  // wraps. The result is checked when a fixup uses it, since streams may
  // step past the end before setting a new segment.
  Status advance(size_t, uint64_t delta) {
    offset_ += delta;
    return {};
  }

  // Checks that a fixup fits at the current offset and returns its address.
  Expected<uint64_t> place(size_t at) {
    if (!have_segment_) return error(at, "a fixup comes before any SET_SEGMENT_AND_OFFSET");
    const Segment& seg = ctx_.segments[segment_];
    if (!in_bounds(offset_, ctx_.pointer_size(), seg.vmsize))
      return error(at, "offset " + hex(offset_) + " is outside segment " + std::to_string(segment_) + " (" +
                           seg.name + ", " + hex(seg.vmsize) + " bytes)");
    if (++count_ > limit_) return error(at, "more fixups than the image has pointer slots");
    return seg.vmaddr + offset_;
  }

  // A repeated fixup: checks the whole run up front, so that a huge count is
  // rejected before anything is generated.
  Status check_run(size_t at, uint64_t count, uint64_t stride) {
    if (count <= 1) return {};  // place() checks a single fixup
    if (!have_segment_) return error(at, "a fixup comes before any SET_SEGMENT_AND_OFFSET");
    uint64_t span = 0, last = 0;
    if (!checked_mul(count - 1, stride, &span) || !checked_add(offset_, span, &last))
      return error(at, "the repeat count " + std::to_string(count) + " runs past the end of the address space");
    const Segment& seg = ctx_.segments[segment_];
    if (!in_bounds(last, ctx_.pointer_size(), seg.vmsize))
      return error(at, "a run of " + std::to_string(count) + " fixups from offset " + hex(offset_) +
                           " leaves segment " + std::to_string(segment_) + " (" + seg.name + ")");
    if (count > limit_ - std::min(limit_, count_))
      return error(at, "more fixups than the image has pointer slots");
    return {};
  }

  uint32_t segment() const { return segment_; }
  uint64_t offset() const { return offset_; }
  const FixupContext& ctx() const { return ctx_; }

 private:
  const FixupContext& ctx_;
  std::span<const uint8_t> opcodes_;
  const char* table_;
  uint64_t limit_;
  uint64_t count_ = 0;
  uint32_t segment_ = 0;
  uint64_t offset_ = 0;
  bool have_segment_ = false;
};

}  // namespace

Expected<std::vector<RebaseEntry>> decode_rebase_opcodes(std::span<const uint8_t> opcodes,
                                                         const FixupContext& ctx) {
  std::vector<RebaseEntry> out;
  Cursor cur(ctx, opcodes, "rebase");
  const uint64_t ptr = ctx.pointer_size();
  uint8_t type = 0;
  size_t pos = 0;

  auto emit = [&](size_t at) -> Status {
    auto addr = cur.place(at);
    if (!addr) return addr.error();
    if (type == 0) return cur.error(at, "a rebase comes before REBASE_OPCODE_SET_TYPE_IMM");
    out.push_back({cur.segment(), cur.offset(), *addr, type});
    return {};
  };
  auto run = [&](size_t at, uint64_t count, uint64_t skip) -> Status {
    uint64_t stride = 0;
    if (!checked_add(skip, ptr, &stride)) return cur.error(at, "the skip overflows");
    LINKBOX_TRY(cur.check_run(at, count, stride));
    for (uint64_t i = 0; i < count; ++i) {
      LINKBOX_TRY(emit(at));
      LINKBOX_TRY(cur.advance(at, stride));
    }
    return {};
  };

  while (pos < opcodes.size()) {
    size_t at = pos;
    uint8_t byte = opcodes[pos++];
    uint8_t imm = byte & REBASE_IMMEDIATE_MASK;
    switch (byte & REBASE_OPCODE_MASK) {
      case REBASE_OPCODE_DONE:
        // Linkers pad the stream to pointer alignment with DONE; anything
        // after the first one is ignored, as dyld does.
        return out;
      case REBASE_OPCODE_SET_TYPE_IMM:
        if (imm < REBASE_TYPE_POINTER || imm > REBASE_TYPE_TEXT_PCREL32)
          return cur.error(at, "unknown rebase type " + std::to_string(imm));
        type = imm;
        break;
      case REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB: {
        auto off = cur.uleb(pos);
        if (!off) return cur.error(at, "bad ULEB128 offset");
        LINKBOX_TRY(cur.set_segment(at, imm, *off));
        break;
      }
      case REBASE_OPCODE_ADD_ADDR_ULEB: {
        auto delta = cur.uleb(pos);
        if (!delta) return cur.error(at, "bad ULEB128 address delta");
        LINKBOX_TRY(cur.advance(at, *delta));
        break;
      }
      case REBASE_OPCODE_ADD_ADDR_IMM_SCALED:
        LINKBOX_TRY(cur.advance(at, imm * ptr));
        break;
      case REBASE_OPCODE_DO_REBASE_IMM_TIMES:
        LINKBOX_TRY(run(at, imm, 0));
        break;
      case REBASE_OPCODE_DO_REBASE_ULEB_TIMES: {
        auto count = cur.uleb(pos);
        if (!count) return cur.error(at, "bad ULEB128 count");
        LINKBOX_TRY(run(at, *count, 0));
        break;
      }
      case REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB: {
        auto skip = cur.uleb(pos);
        if (!skip) return cur.error(at, "bad ULEB128 skip");
        LINKBOX_TRY(run(at, 1, *skip));
        break;
      }
      case REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB: {
        auto count = cur.uleb(pos);
        if (!count) return cur.error(at, "bad ULEB128 count");
        auto skip = cur.uleb(pos);
        if (!skip) return cur.error(at, "bad ULEB128 skip");
        LINKBOX_TRY(run(at, *count, *skip));
        break;
      }
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%02x", byte & REBASE_OPCODE_MASK);
        return cur.error(at, std::string("unknown rebase opcode ") + buf);
      }
    }
  }
  return out;
}

namespace {

struct ThreadedTarget {
  std::string_view symbol;
  int64_t ordinal = 0;
  int64_t addend = 0;
  uint8_t flags = 0;
  uint8_t type = BIND_TYPE_POINTER;
};

}  // namespace

Expected<std::vector<BindEntry>> decode_bind_opcodes(std::span<const uint8_t> opcodes, BindKind kind,
                                                     const FixupContext& ctx) {
  const char* table = kind == BindKind::weak ? "weak bind" : kind == BindKind::lazy ? "lazy bind" : "bind";
  std::vector<BindEntry> out;
  Cursor cur(ctx, opcodes, table);
  const uint64_t ptr = ctx.pointer_size();

  BindEntry state;
  state.type = kind == BindKind::lazy ? BIND_TYPE_POINTER : 0;  // lazy streams never set a type
  bool have_symbol = false, have_ordinal = kind == BindKind::weak;
  size_t entry_start = 0;  // lazy: where the current entry's opcodes began
  bool threaded = false;
  std::vector<ThreadedTarget> threaded_targets;
  uint64_t threaded_capacity = 0;
  size_t pos = 0;

  auto emit = [&](size_t at) -> Status {
    if (!have_symbol) return cur.error(at, "a bind comes before BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM");
    if (!have_ordinal) return cur.error(at, "a bind comes before any BIND_OPCODE_SET_DYLIB_*");
    if (state.type == 0) return cur.error(at, "a bind comes before BIND_OPCODE_SET_TYPE_IMM");
    if (threaded) {
      // With threaded binds, DO_BIND only fills the ordinal table that the
      // chained pointers refer to.
      if (threaded_targets.size() >= threaded_capacity)
        return cur.error(at, "more threaded bind targets than the table size " + std::to_string(threaded_capacity));
      threaded_targets.push_back({state.symbol, state.ordinal, state.addend, state.flags, state.type});
      return {};
    }
    auto addr = cur.place(at);
    if (!addr) return addr.error();
    BindEntry e = state;
    e.segment_index = cur.segment();
    e.segment_offset = cur.offset();
    e.address = *addr;
    e.stream_offset = static_cast<uint32_t>(entry_start);
    out.push_back(std::move(e));
    return {};
  };

  // BIND_SUBOPCODE_THREADED_APPLY: a chain of 64-bit pointers starting at the
  // current location, each bind naming an entry of the ordinal table.
  auto apply_threaded = [&](size_t at) -> Status {
    if (!cur.ctx().is64) return cur.error(at, "threaded binds need 64-bit pointers");
    for (;;) {
      auto addr = cur.place(at);
      if (!addr) return addr.error();
      const Segment& seg = ctx.segments[cur.segment()];
      if (!in_bounds(cur.offset(), 8, seg.filesize) || !in_bounds(seg.fileoff + cur.offset(), 8, ctx.image.size()))
        return cur.error(at, "a threaded pointer at " + hex(*addr) + " is outside the segment's file data");
      uint64_t value = load<uint64_t>(ctx.image.data() + seg.fileoff + cur.offset(), ctx.order);
      if (value & (uint64_t(1) << 62)) {
        uint64_t index = value & 0xffff;
        if (index >= threaded_targets.size())
          return cur.error(at, "threaded bind ordinal " + std::to_string(index) + " is past the table (" +
                                   std::to_string(threaded_targets.size()) + " entries)");
        const ThreadedTarget& t = threaded_targets[index];
        BindEntry e;
        e.segment_index = cur.segment();
        e.segment_offset = cur.offset();
        e.address = *addr;
        e.type = t.type;
        e.ordinal = t.ordinal;
        e.symbol = t.symbol;
        e.addend = t.addend;
        e.flags = t.flags;
        out.push_back(std::move(e));
      }
      uint64_t delta = (value >> 51) & 0x7ff;
      if (delta == 0) return {};
      LINKBOX_TRY(cur.advance(at, delta * 8));
    }
  };

  while (pos < opcodes.size()) {
    size_t at = pos;
    uint8_t byte = opcodes[pos++];
    uint8_t imm = byte & BIND_IMMEDIATE_MASK;
    uint8_t op = byte & BIND_OPCODE_MASK;
    bool weak_forbidden = kind == BindKind::weak && (op == BIND_OPCODE_SET_DYLIB_ORDINAL_IMM ||
                                                      op == BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB ||
                                                      op == BIND_OPCODE_SET_DYLIB_SPECIAL_IMM);
    bool lazy_forbidden = kind == BindKind::lazy && (op == BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB ||
                                                      op == BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED ||
                                                      op == BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB ||
                                                      op == BIND_OPCODE_THREADED);
    if (weak_forbidden || lazy_forbidden) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "0x%02x", op);
      return cur.error(at, std::string("opcode ") + buf + " is not allowed in the " + table + " stream");
    }
    switch (op) {
      case BIND_OPCODE_DONE:
        // Lazy binds end each entry with DONE; elsewhere DONE ends the stream.
        if (kind != BindKind::lazy) return out;
        entry_start = pos;
        break;
      case BIND_OPCODE_SET_DYLIB_ORDINAL_IMM:
        if (imm > ctx.dylib_count)
          return cur.error(at, "library ordinal " + std::to_string(imm) + " is past the " +
                                   std::to_string(ctx.dylib_count) + " dylibs loaded");
        state.ordinal = imm;
        have_ordinal = true;
        break;
      case BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB: {
        auto ord = cur.uleb(pos);
        if (!ord) return cur.error(at, "bad ULEB128 library ordinal");
        if (*ord > ctx.dylib_count)
          return cur.error(at, "library ordinal " + std::to_string(*ord) + " is past the " +
                                   std::to_string(ctx.dylib_count) + " dylibs loaded");
        state.ordinal = static_cast<int64_t>(*ord);
        have_ordinal = true;
        break;
      }
      case BIND_OPCODE_SET_DYLIB_SPECIAL_IMM:
        // The immediate is a 4-bit negative number: 0xf is -1 and so on.
        state.ordinal = imm == 0 ? 0 : static_cast<int8_t>(BIND_OPCODE_MASK | imm);
        if (state.ordinal < BIND_SPECIAL_DYLIB_WEAK_LOOKUP)
          return cur.error(at, "unknown special library ordinal " + std::to_string(state.ordinal));
        have_ordinal = true;
        break;
      case BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM: {
        size_t start = pos;
        while (pos < opcodes.size() && opcodes[pos] != 0) ++pos;
        if (pos == opcodes.size()) return cur.error(at, "the symbol name runs past the end of the stream");
        state.symbol = std::string_view(reinterpret_cast<const char*>(opcodes.data() + start), pos - start);
        ++pos;
        state.flags = imm;
        have_symbol = true;
        if (kind == BindKind::weak && (imm & BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION)) {
          // A strong definition in this image: it overrides weak ones
          // elsewhere and has no location of its own.
          BindEntry e;
          e.symbol = state.symbol;
          e.flags = imm;
          e.strong_definition = true;
          out.push_back(std::move(e));
        }
        break;
      }
      case BIND_OPCODE_SET_TYPE_IMM:
        if (imm < BIND_TYPE_POINTER || imm > BIND_TYPE_TEXT_PCREL32)
          return cur.error(at, "unknown bind type " + std::to_string(imm));
        state.type = imm;
        break;
      case BIND_OPCODE_SET_ADDEND_SLEB: {
        auto addend = cur.sleb(pos);
        if (!addend) return cur.error(at, "bad SLEB128 addend");
        state.addend = *addend;
        break;
      }
      case BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB: {
        auto off = cur.uleb(pos);
        if (!off) return cur.error(at, "bad ULEB128 offset");
        LINKBOX_TRY(cur.set_segment(at, imm, *off));
        break;
      }
      case BIND_OPCODE_ADD_ADDR_ULEB: {
        auto delta = cur.uleb(pos);
        if (!delta) return cur.error(at, "bad ULEB128 address delta");
        LINKBOX_TRY(cur.advance(at, *delta));
        break;
      }
      case BIND_OPCODE_DO_BIND:
        LINKBOX_TRY(emit(at));
        if (!threaded) LINKBOX_TRY(cur.advance(at, ptr));
        break;
      case BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB: {
        auto delta = cur.uleb(pos);
        if (!delta) return cur.error(at, "bad ULEB128 address delta");
        LINKBOX_TRY(emit(at));
        LINKBOX_TRY(cur.advance(at, ptr));
        LINKBOX_TRY(cur.advance(at, *delta));
        break;
      }
      case BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED:
        LINKBOX_TRY(emit(at));
        LINKBOX_TRY(cur.advance(at, ptr + imm * ptr));
        break;
      case BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB: {
        auto count = cur.uleb(pos);
        if (!count) return cur.error(at, "bad ULEB128 count");
        auto skip = cur.uleb(pos);
        if (!skip) return cur.error(at, "bad ULEB128 skip");
        uint64_t stride = 0;
        if (!checked_add(*skip, ptr, &stride)) return cur.error(at, "the skip overflows");
        if (!threaded) LINKBOX_TRY(cur.check_run(at, *count, stride));
        for (uint64_t i = 0; i < *count; ++i) {
          LINKBOX_TRY(emit(at));
          LINKBOX_TRY(cur.advance(at, stride));
          if (threaded) break;  // the table gains one entry, not count
        }
        break;
      }
      case BIND_OPCODE_THREADED:
        if (imm == BIND_SUBOPCODE_THREADED_SET_BIND_ORDINAL_TABLE_SIZE_ULEB) {
          auto size = cur.uleb(pos);
          if (!size) return cur.error(at, "bad ULEB128 table size");
          if (*size > 0x10000) return cur.error(at, "threaded bind table size " + std::to_string(*size) + " is over 65536");
          threaded = true;
          threaded_targets.clear();
          threaded_capacity = *size;
        } else if (imm == BIND_SUBOPCODE_THREADED_APPLY) {
          if (!threaded) return cur.error(at, "BIND_SUBOPCODE_THREADED_APPLY comes before the table size");
          LINKBOX_TRY(apply_threaded(at));
        } else {
          return cur.error(at, "unknown threaded bind subopcode " + std::to_string(imm));
        }
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%02x", op);
        return cur.error(at, std::string("unknown bind opcode ") + buf);
      }
    }
  }
  return out;
}

namespace {

Expected<std::span<const uint8_t>> stream(const Slice& slice, uint32_t off, uint32_t size, const char* what) {
  if (size == 0) return std::span<const uint8_t>();
  return slice.data_at(off, size, what);
}

}  // namespace

Expected<std::vector<RebaseEntry>> rebase_entries(const Slice& slice) {
  if (!slice.dyld_info()) return std::vector<RebaseEntry>();
  const DyldInfo& info = *slice.dyld_info();
  auto bytes = stream(slice, info.rebase_off, info.rebase_size, "rebase opcodes");
  if (!bytes) return bytes.error();
  return decode_rebase_opcodes(*bytes, fixup_context(slice));
}

Expected<std::vector<BindEntry>> bind_entries(const Slice& slice, BindKind kind) {
  if (!slice.dyld_info()) return std::vector<BindEntry>();
  const DyldInfo& info = *slice.dyld_info();
  Expected<std::span<const uint8_t>> bytes =
      kind == BindKind::weak ? stream(slice, info.weak_bind_off, info.weak_bind_size, "weak bind opcodes")
      : kind == BindKind::lazy ? stream(slice, info.lazy_bind_off, info.lazy_bind_size, "lazy bind opcodes")
                               : stream(slice, info.bind_off, info.bind_size, "bind opcodes");
  if (!bytes) return bytes.error();
  return decode_bind_opcodes(*bytes, kind, fixup_context(slice));
}

}  // namespace linkbox::macho
