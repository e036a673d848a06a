// The indirect symbol table (LC_DYSYMTAB indirectsymoff/nindirectsyms) read
// through the sections that use it: each slot of a __stubs, __got,
// __la_symbol_ptr or thread-local-pointer section takes the symbol at
// reserved1 + its index in the section.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libformat/expected.h"
#include "libmacho/macho-file.h"

namespace linkbox::macho {

constexpr uint32_t S_LAZY_DYLIB_SYMBOL_POINTERS = 0x10;

struct IndirectSlot {
  uint64_t address = 0;
  uint32_t table_index = 0;  // into the indirect symbol table
  uint32_t value = 0;        // the symbol index, or INDIRECT_SYMBOL_LOCAL/_ABS bits
  std::string name;          // the symbol's name; empty for LOCAL/ABS or a bad index

  bool local() const { return value & INDIRECT_SYMBOL_LOCAL; }
  bool absolute() const { return value & INDIRECT_SYMBOL_ABS; }
};

struct IndirectSection {
  std::string segname, sectname;
  uint64_t addr = 0;
  uint32_t type = 0;          // S_SYMBOL_STUBS, S_LAZY_SYMBOL_POINTERS, ...
  uint32_t entry_size = 0;    // stub size (reserved2) or pointer size; 0 when unusable
  uint32_t first_index = 0;   // reserved1
  uint64_t entry_count = 0;   // section size / entry_size
  // Slots that have a table entry (a section may claim more than the table
  // holds; those are left out, as llvm-objdump leaves them out).
  std::vector<IndirectSlot> slots;
};

// True for the section types whose slots are indirect symbols.
bool uses_indirect_symbols(uint32_t section_flags);

// Every such section of `segments`, in load-command order.
std::vector<IndirectSection> decode_indirect_symbols(std::span<const Segment> segments,
                                                     std::span<const uint32_t> table,
                                                     std::span<const Symbol> symbols, bool is64);

Expected<std::vector<IndirectSection>> indirect_symbol_sections(const Slice& slice);

}  // namespace linkbox::macho
