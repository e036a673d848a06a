// Symbol tables: .symtab, and .dynsym with or without section headers.
#include "libelf/elf-file.h"

#include <algorithm>

namespace linkbox::elf {

Expected<std::vector<Sym>> ElfFile::symbols_in(const Section& s) const {
  auto data = section_data(s);
  if (!data) return data.error();
  size_t n = data->size() / codec_.sym_size();
  std::vector<Sym> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(codec_.read_sym(data->data() + i * codec_.sym_size()));
  return out;
}

Expected<std::vector<Sym>> ElfFile::static_symbols() const {
  if (const Section* s = find_section_by_type(SHT_SYMTAB)) return symbols_in(*s);
  return std::vector<Sym>();
}

// Without section headers the only record of how many dynamic symbols there
// are is the hash table: DT_HASH's nchain, or the highest index reachable
// through DT_GNU_HASH's buckets and chains.
Expected<uint64_t> ElfFile::symbol_count_from_hash(const std::vector<Dyn>& dyn) const {
  if (auto hash = find_tag(dyn, DT_HASH)) {
    auto h = bytes_at_vaddr(*hash, 8, "DT_HASH table");
    if (!h) return h.error();
    return uint64_t(codec_.get<uint32_t>(h->data() + 4));
  }
  auto gnu = find_tag(dyn, DT_GNU_HASH);
  if (!gnu) return uint64_t(0);
  auto head = bytes_at_vaddr(*gnu, 16, "DT_GNU_HASH table");
  if (!head) return head.error();
  uint32_t nbuckets = codec_.get<uint32_t>(head->data());
  uint32_t symoffset = codec_.get<uint32_t>(head->data() + 4);
  uint32_t bloom_size = codec_.get<uint32_t>(head->data() + 8);
  uint64_t buckets_at = *gnu + 16 + uint64_t(bloom_size) * codec_.word_size();
  auto buckets = bytes_at_vaddr(buckets_at, uint64_t(nbuckets) * 4, "DT_GNU_HASH buckets");
  if (!buckets) return buckets.error();
  uint32_t max_index = 0;
  for (uint32_t i = 0; i < nbuckets; ++i)
    max_index = std::max(max_index, codec_.get<uint32_t>(buckets->data() + 4 * uint64_t(i)));
  if (max_index < symoffset) return uint64_t(symoffset);
  uint64_t chains_at = buckets_at + uint64_t(nbuckets) * 4;
  for (uint64_t index = max_index;; ++index) {
    auto c = bytes_at_vaddr(chains_at + (index - symoffset) * 4, 4, "DT_GNU_HASH chain");
    if (!c) return c.error();
    if (codec_.get<uint32_t>(c->data()) & 1) return index + 1;
  }
}

Expected<uint64_t> ElfFile::dynamic_symbol_count() const {
  if (const Section* s = find_section_by_type(SHT_DYNSYM))
    return s->hdr.size / codec_.sym_size();
  auto dyn = dynamic_entries();
  if (!dyn) return dyn.error();
  return symbol_count_from_hash(*dyn);
}

Expected<std::vector<Sym>> ElfFile::dynamic_symbols() const {
  if (const Section* s = find_section_by_type(SHT_DYNSYM)) return symbols_in(*s);
  auto dyn = dynamic_entries();
  if (!dyn) return dyn.error();
  auto addr = find_tag(*dyn, DT_SYMTAB);
  if (!addr) return std::vector<Sym>();
  auto count = symbol_count_from_hash(*dyn);
  if (!count) return count.error();
  uint64_t size;
  if (!checked_mul(*count, codec_.sym_size(), &size))
    return error("dynamic symbol count " + std::to_string(*count) + " is too large");
  auto bytes = bytes_at_vaddr(*addr, size, "dynamic symbol table");
  if (!bytes) return bytes.error();
  std::vector<Sym> out;
  out.reserve(*count);
  for (uint64_t i = 0; i < *count; ++i) out.push_back(codec_.read_sym(bytes->data() + i * codec_.sym_size()));
  return out;
}

}  // namespace linkbox::elf
