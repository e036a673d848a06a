// The records of an input .eh_frame: its CIEs and FDEs, found by their
// length fields, each with the range of the section's relocations that
// patch it. --gc-sections, --icf and the .eh_frame builder all read an
// input .eh_frame this way.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "liblink/context.h"

namespace linkbox::link {

struct EhFrameRecord {
  uint64_t offset = 0;  // in the input section
  uint64_t size = 0;    // the length field included
  uint32_t id = 0;      // 0 in a CIE; in an FDE, its distance back to its CIE
  uint32_t rel_begin = 0, rel_end = 0;  // the relocations inside the record
  bool is_cie() const { return id == 0; }
};

struct EhFrameRecords {
  std::vector<EhFrameRecord> records;
  // Where a record with an impossible length starts; the records before it
  // are listed. (The zero terminator and trailing padding are not errors.)
  std::optional<uint64_t> malformed_at;
};

// `rels` must be sorted by offset, as load_object leaves an .eh_frame's.
EhFrameRecords split_eh_frame(std::span<const uint8_t> data, std::span<const Rela> rels);

}  // namespace linkbox::link
