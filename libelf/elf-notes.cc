// Notes, from PT_NOTE segments (what loaders read) or, in files without
// program headers, from SHT_NOTE sections.
#include "libelf/elf-file.h"

namespace linkbox::elf {

Expected<std::vector<Note>> ElfFile::parse_notes(uint64_t offset, uint64_t size,
                                                 uint64_t align) const {
  std::vector<Note> out;
  // Notes are 4-byte aligned, except those in an 8-aligned segment (gABI).
  uint64_t a = align == 8 ? 8 : 4;
  if (!in_bounds(offset, size, bytes_.size()))
    return error("note area at " + hex(offset) + " extends past the end of the file");
  uint64_t at = offset, end = offset + size;
  while (at + 12 <= end) {
    const uint8_t* p = bytes_.data() + at;
    uint32_t namesz = codec_.get<uint32_t>(p);
    uint32_t descsz = codec_.get<uint32_t>(p + 4);
    Note n;
    n.offset = at;
    n.type = codec_.get<uint32_t>(p + 8);
    uint64_t name_at = at + 12;
    // Padding is relative to the note's start, which is itself aligned.
    uint64_t desc_at = at + align_up(12 + uint64_t(namesz), a);
    uint64_t next = desc_at + align_up(descsz, a);
    if (desc_at > end || descsz > end - desc_at)
      return error("note at " + hex(at) + " extends past its segment");
    uint64_t name_len = namesz;
    while (name_len > 0 && bytes_[name_at + name_len - 1] == 0) --name_len;
    n.name.assign(reinterpret_cast<const char*>(bytes_.data() + name_at), name_len);
    n.desc = bytes_.subspan(desc_at, descsz);
    out.push_back(std::move(n));
    at = next;
  }
  return out;
}

Expected<std::vector<Note>> ElfFile::notes() const {
  std::vector<Note> out;
  bool from_segments = false;
  for (const auto& p : segments_) {
    if (p.type != PT_NOTE) continue;
    from_segments = true;
    auto n = parse_notes(p.offset, p.filesz, p.align);
    if (!n) return n.error();
    out.insert(out.end(), n->begin(), n->end());
  }
  if (from_segments) return out;
  for (const auto& s : sections_) {
    if (s.hdr.type != SHT_NOTE) continue;
    auto n = parse_notes(s.hdr.offset, s.hdr.size, s.hdr.addralign);
    if (!n) return n.error();
    out.insert(out.end(), n->begin(), n->end());
  }
  return out;
}

}  // namespace linkbox::elf
