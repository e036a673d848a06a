#include "libmacho/indirect-symbols.h"

namespace linkbox::macho {

bool uses_indirect_symbols(uint32_t flags) {
  switch (flags & SECTION_TYPE) {
    case S_NON_LAZY_SYMBOL_POINTERS:
    case S_LAZY_SYMBOL_POINTERS:
    case S_LAZY_DYLIB_SYMBOL_POINTERS:
    case S_THREAD_LOCAL_VARIABLE_POINTERS:
    case S_SYMBOL_STUBS:
      return true;
  }
  return false;
}

std::vector<IndirectSection> decode_indirect_symbols(std::span<const Segment> segments,
                                                     std::span<const uint32_t> table,
                                                     std::span<const Symbol> symbols, bool is64) {
  std::vector<IndirectSection> out;
  for (const Segment& seg : segments) {
    for (const Section& sec : seg.sections) {
      if (!uses_indirect_symbols(sec.flags)) continue;
      IndirectSection is;
      is.segname = sec.segname;
      is.sectname = sec.sectname;
      is.addr = sec.addr;
      is.type = sec.flags & SECTION_TYPE;
      is.entry_size = is.type == S_SYMBOL_STUBS ? sec.reserved2 : (is64 ? 8 : 4);
      is.first_index = sec.reserved1;
      if (is.entry_size != 0) {
        is.entry_count = sec.size / is.entry_size;
        // Slots past the table's end have no symbol: stop there, which also
        // bounds the work by the table's size, not the section's claim.
        for (uint64_t j = 0; j < is.entry_count; ++j) {
          uint64_t index = uint64_t(is.first_index) + j;
          if (index >= table.size()) break;
          IndirectSlot slot;
          slot.address = is.addr + j * is.entry_size;
          slot.table_index = static_cast<uint32_t>(index);
          slot.value = table[index];
          if (!(slot.value & (INDIRECT_SYMBOL_LOCAL | INDIRECT_SYMBOL_ABS)) && slot.value < symbols.size())
            slot.name = std::string(symbols[slot.value].name);
          is.slots.push_back(std::move(slot));
        }
      }
      out.push_back(std::move(is));
    }
  }
  return out;
}

Expected<std::vector<IndirectSection>> indirect_symbol_sections(const Slice& slice) {
  auto table = slice.indirect_symbols();
  if (!table) return table.error();
  auto symbols = slice.symbols();
  if (!symbols) return symbols.error();
  return decode_indirect_symbols(slice.segments(), *table, *symbols, slice.is64());
}

}  // namespace linkbox::macho
