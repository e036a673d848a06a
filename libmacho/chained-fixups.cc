#include "libmacho/chained-fixups.h"

#include <algorithm>
#include <cstdio>

#include "libformat/hex.h"

namespace linkbox::macho {

std::string_view chained_pointer_format_name(uint16_t format) {
  switch (format) {
    case DYLD_CHAINED_PTR_ARM64E: return "DYLD_CHAINED_PTR_ARM64E";
    case DYLD_CHAINED_PTR_64: return "DYLD_CHAINED_PTR_64";
    case DYLD_CHAINED_PTR_32: return "DYLD_CHAINED_PTR_32";
    case DYLD_CHAINED_PTR_32_CACHE: return "DYLD_CHAINED_PTR_32_CACHE";
    case DYLD_CHAINED_PTR_32_FIRMWARE: return "DYLD_CHAINED_PTR_32_FIRMWARE";
    case DYLD_CHAINED_PTR_64_OFFSET: return "DYLD_CHAINED_PTR_64_OFFSET";
    case DYLD_CHAINED_PTR_ARM64E_KERNEL: return "DYLD_CHAINED_PTR_ARM64E_KERNEL";
    case DYLD_CHAINED_PTR_64_KERNEL_CACHE: return "DYLD_CHAINED_PTR_64_KERNEL_CACHE";
    case DYLD_CHAINED_PTR_ARM64E_USERLAND: return "DYLD_CHAINED_PTR_ARM64E_USERLAND";
    case DYLD_CHAINED_PTR_ARM64E_FIRMWARE: return "DYLD_CHAINED_PTR_ARM64E_FIRMWARE";
    case DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE: return "DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE";
    case DYLD_CHAINED_PTR_ARM64E_USERLAND24: return "DYLD_CHAINED_PTR_ARM64E_USERLAND24";
  }
  return {};
}

uint32_t chained_pointer_stride(uint16_t format) {
  switch (format) {
    case DYLD_CHAINED_PTR_ARM64E:
    case DYLD_CHAINED_PTR_ARM64E_USERLAND:
    case DYLD_CHAINED_PTR_ARM64E_USERLAND24:
      return 8;
    case DYLD_CHAINED_PTR_64:
    case DYLD_CHAINED_PTR_64_OFFSET:
    case DYLD_CHAINED_PTR_32:
    case DYLD_CHAINED_PTR_32_CACHE:
    case DYLD_CHAINED_PTR_32_FIRMWARE:
    case DYLD_CHAINED_PTR_ARM64E_KERNEL:
    case DYLD_CHAINED_PTR_64_KERNEL_CACHE:
    case DYLD_CHAINED_PTR_ARM64E_FIRMWARE:
      return 4;
    case DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE:
      return 1;
  }
  return 0;
}

uint32_t chained_pointer_size(uint16_t format) {
  switch (format) {
    case DYLD_CHAINED_PTR_32:
    case DYLD_CHAINED_PTR_32_CACHE:
    case DYLD_CHAINED_PTR_32_FIRMWARE:
      return 4;
  }
  return chained_pointer_stride(format) ? 8 : 0;
}

namespace {

uint64_t bits(uint64_t v, unsigned lo, unsigned count) { return (v >> lo) & ((uint64_t(1) << count) - 1); }

int64_t sign_extend(uint64_t v, unsigned width) {
  uint64_t sign = uint64_t(1) << (width - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

// Library ordinals are stored unsigned; the special ones (self is 0) are
// small negative numbers at the top of the field.
int32_t import_ordinal(uint32_t raw, unsigned width) {
  uint32_t top = (uint32_t(1) << width) - 1;
  if (raw > top - 0x0f) return static_cast<int32_t>(raw) - static_cast<int32_t>(top) - 1;
  return static_cast<int32_t>(raw);
}

}  // namespace

Expected<ChainedFixupsInfo> decode_chained_fixups(std::span<const uint8_t> blob, const std::string& path,
                                                  ByteOrder order) {
  auto fail = [&](const std::string& what) { return make_error(path, "chained fixups: " + what); };
  ChainedFixupsInfo info;
  ChainedFixupsHeader& h = info.header;
  if (blob.size() < 28) return fail("the header (28 bytes) is past the end of the data (" + std::to_string(blob.size()) + " bytes)");
  auto u32 = [&](size_t at) { return load<uint32_t>(blob.data() + at, order); };
  h.fixups_version = u32(0);
  h.starts_offset = u32(4);
  h.imports_offset = u32(8);
  h.symbols_offset = u32(12);
  h.imports_count = u32(16);
  h.imports_format = u32(20);
  h.symbols_format = u32(24);
  if (h.fixups_version != 0) return fail("unknown fixups_version " + std::to_string(h.fixups_version));
  if (h.imports_format < DYLD_CHAINED_IMPORT || h.imports_format > DYLD_CHAINED_IMPORT_ADDEND64)
    return fail("unknown imports_format " + std::to_string(h.imports_format));

  // Starts in image.
  if (h.starts_offset < 28 || !in_bounds(h.starts_offset, 4, blob.size()))
    return fail("starts_offset " + std::to_string(h.starts_offset) + " is outside the data");
  info.seg_count = u32(h.starts_offset);
  if (!in_bounds(h.starts_offset + 4, uint64_t(info.seg_count) * 4, blob.size()))
    return fail("seg_count " + std::to_string(info.seg_count) + " runs past the end of the data");
  for (uint32_t i = 0; i < info.seg_count; ++i) info.seg_info_offset.push_back(u32(h.starts_offset + 4 + 4 * i));

  for (uint32_t i = 0; i < info.seg_count; ++i) {
    uint32_t off = info.seg_info_offset[i];
    if (off == 0) continue;
    uint64_t at = uint64_t(h.starts_offset) + off;
    auto seg_fail = [&](const std::string& what) {
      return fail("starts of segment " + std::to_string(i) + " (at offset " + std::to_string(off) + "): " + what);
    };
    if (!in_bounds(at, 22, blob.size())) return seg_fail("the header runs past the end of the data");
    ChainedStartsInSegment s;
    s.segment_index = i;
    s.info_offset = off;
    const uint8_t* p = blob.data() + at;
    s.size = load<uint32_t>(p, order);
    s.page_size = load<uint16_t>(p + 4, order);
    s.pointer_format = load<uint16_t>(p + 6, order);
    s.segment_offset = load<uint64_t>(p + 8, order);
    s.max_valid_pointer = load<uint32_t>(p + 16, order);
    s.page_count = load<uint16_t>(p + 20, order);
    if (s.size < 22 || !in_bounds(at, s.size, blob.size()))
      return seg_fail("size " + std::to_string(s.size) + " runs past the end of the data");
    if (22 + uint64_t(s.page_count) * 2 > s.size)
      return seg_fail("page_count " + std::to_string(s.page_count) + " does not fit in size " + std::to_string(s.size));
    if (chained_pointer_stride(s.pointer_format) == 0)
      return seg_fail("unknown pointer_format " + std::to_string(s.pointer_format));
    if (s.page_size == 0) return seg_fail("page_size is 0");
    auto entry = [&](uint64_t index) { return load<uint16_t>(p + 22 + index * 2, order); };
    uint64_t entries = (s.size - 22) / 2;
    for (uint32_t page = 0; page < s.page_count; ++page) {
      uint16_t start = entry(page);
      s.page_start.push_back(start);
      std::vector<uint16_t> chains;
      if (start == DYLD_CHAINED_PTR_START_NONE) {
      } else if (start & DYLD_CHAINED_PTR_START_MULTI) {
        // An index into the overflow list after page_start: offsets until
        // one carries DYLD_CHAINED_PTR_START_LAST.
        for (uint64_t k = start & ~DYLD_CHAINED_PTR_START_MULTI;; ++k) {
          if (k >= entries) return seg_fail("the chain starts of page " + std::to_string(page) + " run past size");
          uint16_t v = entry(k);
          chains.push_back(v & ~DYLD_CHAINED_PTR_START_LAST);
          if (v & DYLD_CHAINED_PTR_START_LAST) break;
        }
      } else {
        chains.push_back(start);
      }
      s.page_chains.push_back(std::move(chains));
    }
    info.segments.push_back(std::move(s));
  }

  // Imports.
  uint64_t import_size = h.imports_format == DYLD_CHAINED_IMPORT ? 4 : h.imports_format == DYLD_CHAINED_IMPORT_ADDEND ? 8 : 16;
  if (!in_bounds(h.imports_offset, import_size * h.imports_count, blob.size()))
    return fail("imports_count " + std::to_string(h.imports_count) + " at imports_offset " +
                std::to_string(h.imports_offset) + " runs past the end of the data");
  if (h.imports_count != 0 && h.symbols_format != DYLD_CHAINED_SYMBOL_UNCOMPRESSED)
    return fail(h.symbols_format == DYLD_CHAINED_SYMBOL_ZLIB ? "zlib-compressed symbol names are not supported"
                                                             : "unknown symbols_format " + std::to_string(h.symbols_format));
  if (h.imports_count != 0 && h.symbols_offset > blob.size())
    return fail("symbols_offset " + std::to_string(h.symbols_offset) + " is past the end of the data");
  info.imports.reserve(h.imports_count);
  for (uint32_t i = 0; i < h.imports_count; ++i) {
    const uint8_t* p = blob.data() + h.imports_offset + i * import_size;
    ChainedImport imp;
    if (h.imports_format == DYLD_CHAINED_IMPORT_ADDEND64) {
      uint64_t raw = load<uint64_t>(p, order);
      imp.lib_ordinal = import_ordinal(bits(raw, 0, 16), 16);
      imp.weak_import = bits(raw, 16, 1);
      imp.name_offset = static_cast<uint32_t>(bits(raw, 32, 32));
      imp.addend = static_cast<int64_t>(load<uint64_t>(p + 8, order));
    } else {
      uint32_t raw = load<uint32_t>(p, order);
      imp.lib_ordinal = import_ordinal(raw & 0xff, 8);
      imp.weak_import = (raw >> 8) & 1;
      imp.name_offset = raw >> 9;
      if (h.imports_format == DYLD_CHAINED_IMPORT_ADDEND) imp.addend = static_cast<int32_t>(load<uint32_t>(p + 4, order));
    }
    uint64_t name_at = uint64_t(h.symbols_offset) + imp.name_offset;
    if (name_at >= blob.size())
      return fail("the name of import " + std::to_string(i) + " (offset " + std::to_string(imp.name_offset) +
                  ") is past the end of the data");
    size_t end = name_at;
    while (end < blob.size() && blob[end] != 0) ++end;
    if (end == blob.size()) return fail("the name of import " + std::to_string(i) + " is not NUL-terminated");
    imp.name.assign(reinterpret_cast<const char*>(blob.data() + name_at), end - name_at);
    info.imports.push_back(std::move(imp));
  }
  return info;
}

uint64_t image_base_address(std::span<const Segment> segments) {
  for (const Segment& s : segments)
    if (s.fileoff == 0 && s.filesize != 0) return s.vmaddr;
  for (const Segment& s : segments)
    if (s.name == "__TEXT") return s.vmaddr;
  return 0;
}

namespace {

// Decodes one pointer of `format`: fills the fixup and returns `next`.
uint64_t decode_pointer(ChainedFixup& f, uint16_t format, uint64_t raw, uint32_t max_valid_pointer, uint64_t base,
                        bool& is_fixup) {
  is_fixup = true;
  switch (format) {
    case DYLD_CHAINED_PTR_64:
    case DYLD_CHAINED_PTR_64_OFFSET:
      f.bind = bits(raw, 63, 1);
      if (f.bind) {
        f.import_index = static_cast<uint32_t>(bits(raw, 0, 24));
        f.addend = static_cast<int64_t>(bits(raw, 24, 8));
      } else {
        f.target = bits(raw, 0, 36) | (bits(raw, 36, 8) << 56);
        if (format == DYLD_CHAINED_PTR_64_OFFSET) f.target += base;
      }
      return bits(raw, 51, 12);
    case DYLD_CHAINED_PTR_ARM64E:
    case DYLD_CHAINED_PTR_ARM64E_KERNEL:
    case DYLD_CHAINED_PTR_ARM64E_USERLAND:
    case DYLD_CHAINED_PTR_ARM64E_FIRMWARE:
    case DYLD_CHAINED_PTR_ARM64E_USERLAND24: {
      f.auth = bits(raw, 63, 1);
      f.bind = bits(raw, 62, 1);
      unsigned ordinal_bits = format == DYLD_CHAINED_PTR_ARM64E_USERLAND24 ? 24 : 16;
      // Plain ARM64E and FIRMWARE rebases hold a vm address; the others
      // (and every authenticated rebase) an offset from the image base.
      bool offsets = format != DYLD_CHAINED_PTR_ARM64E && format != DYLD_CHAINED_PTR_ARM64E_FIRMWARE;
      if (f.auth) {
        f.diversity = static_cast<uint16_t>(bits(raw, 32, 16));
        f.addr_div = bits(raw, 48, 1);
        f.key = static_cast<uint8_t>(bits(raw, 49, 2));
        if (f.bind) f.import_index = static_cast<uint32_t>(bits(raw, 0, ordinal_bits));
        else f.target = bits(raw, 0, 32) + (format == DYLD_CHAINED_PTR_ARM64E_FIRMWARE ? 0 : base);
      } else if (f.bind) {
        f.import_index = static_cast<uint32_t>(bits(raw, 0, ordinal_bits));
        f.addend = sign_extend(bits(raw, 32, 19), 19);
      } else {
        f.target = bits(raw, 0, 43) + (offsets ? base : 0);
        f.target |= bits(raw, 43, 8) << 56;
      }
      return bits(raw, 51, 11);
    }
    case DYLD_CHAINED_PTR_32:
      f.bind = bits(raw, 31, 1);
      if (f.bind) {
        f.import_index = static_cast<uint32_t>(bits(raw, 0, 20));
        f.addend = static_cast<int64_t>(bits(raw, 20, 6));
      } else {
        f.target = bits(raw, 0, 26);
        // Targets above max_valid_pointer are not pointers but small
        // integers stored in the chain; dyld restores them, it does not
        // relocate them.
        if (f.target > max_valid_pointer) is_fixup = false;
      }
      return bits(raw, 26, 5);
    case DYLD_CHAINED_PTR_32_CACHE:
      f.target = bits(raw, 0, 30) + base;
      return bits(raw, 30, 2);
    case DYLD_CHAINED_PTR_32_FIRMWARE:
      f.target = bits(raw, 0, 26);
      return bits(raw, 26, 6);
    case DYLD_CHAINED_PTR_64_KERNEL_CACHE:
    case DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE:
      f.target = bits(raw, 0, 30) + base;
      f.diversity = static_cast<uint16_t>(bits(raw, 32, 16));
      f.addr_div = bits(raw, 48, 1);
      f.key = static_cast<uint8_t>(bits(raw, 49, 2));
      f.auth = bits(raw, 63, 1);
      return bits(raw, 51, 12);
  }
  return 0;
}

}  // namespace

Expected<std::vector<ChainedFixup>> walk_chained_fixups(const ChainedFixupsInfo& info, const FixupContext& ctx) {
  std::vector<ChainedFixup> out;
  const uint64_t base = image_base_address(ctx.segments);
  const uint64_t limit = fixup_limit(0, ctx);
  for (const ChainedStartsInSegment& s : info.segments) {
    auto fail = [&](const std::string& what) {
      return make_error(ctx.path, "chained fixups: segment " + std::to_string(s.segment_index) + ": " + what);
    };
    if (s.segment_index >= ctx.segments.size())
      return fail("there is no such segment (the image has " + std::to_string(ctx.segments.size()) + ")");
    const Segment& seg = ctx.segments[s.segment_index];
    if (!in_bounds(seg.fileoff, seg.filesize, ctx.image.size()))
      return fail("the segment's file data is outside the file");
    std::span<const uint8_t> data = ctx.image.subspan(seg.fileoff, seg.filesize);
    const uint32_t stride = chained_pointer_stride(s.pointer_format);
    const uint32_t size = chained_pointer_size(s.pointer_format);
    for (size_t page = 0; page < s.page_chains.size(); ++page) {
      const uint64_t page_begin = uint64_t(page) * s.page_size;
      const uint64_t page_end = page_begin + s.page_size;
      for (uint16_t start : s.page_chains[page]) {
        uint64_t offset = page_begin + start;
        for (;;) {
          if (offset + size > page_end)
            return fail("a chain in page " + std::to_string(page) + " reaches offset " + hex(offset) +
                        ", past the end of its page");
          if (!in_bounds(offset, size, data.size()))
            return fail("a chain in page " + std::to_string(page) + " reaches offset " + hex(offset) +
                        ", past the segment's file data (" + hex(data.size()) + " bytes)");
          uint64_t raw = size == 8 ? load<uint64_t>(data.data() + offset, ctx.order)
                                   : load<uint32_t>(data.data() + offset, ctx.order);
          ChainedFixup f;
          f.segment_index = s.segment_index;
          f.segment_offset = offset;
          f.address = seg.vmaddr + offset;
          f.pointer_format = s.pointer_format;
          f.raw = raw;
          bool is_fixup = true;
          uint64_t next = decode_pointer(f, s.pointer_format, raw, s.max_valid_pointer, base, is_fixup);
          if (f.bind) {
            if (f.import_index >= info.imports.size())
              return fail("the bind at " + hex(f.address) + " names import " + std::to_string(f.import_index) +
                          " of " + std::to_string(info.imports.size()));
            f.addend += info.imports[f.import_index].addend;
          }
          if (is_fixup) {
            if (out.size() >= limit) return fail("more fixups than the image has pointer slots");
            out.push_back(f);
          }
          if (next == 0) break;
          offset += next * stride;
        }
      }
    }
  }
  return out;
}

Expected<std::optional<ChainedFixupsInfo>> chained_fixups_info(const Slice& slice) {
  auto cmd = slice.linkedit_data(LC_DYLD_CHAINED_FIXUPS);
  if (!cmd) return std::optional<ChainedFixupsInfo>();
  auto bytes = slice.linkedit_bytes(*cmd);
  if (!bytes) return bytes.error();
  auto info = decode_chained_fixups(*bytes, slice.path(), slice.order());
  if (!info) return info.error();
  return std::optional<ChainedFixupsInfo>(std::move(*info));
}

Expected<std::vector<ChainedFixup>> chained_fixups(const Slice& slice) {
  auto info = chained_fixups_info(slice);
  if (!info) return info.error();
  if (!*info) return std::vector<ChainedFixup>();
  return walk_chained_fixups(**info, fixup_context(slice));
}

}  // namespace linkbox::macho
