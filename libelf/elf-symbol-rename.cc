// Renaming dynamic symbols, and the hash-table rebuild that renaming forces.
//
// A symbol's GNU hash decides its bucket, and .gnu.hash requires the hashed
// part of .dynsym to be sorted by bucket; a new name can change the bucket, so
// the symbols are re-sorted (stably) and everything indexed by symbol number
// is permuted with them: .gnu.version and the symbol field of each dynamic
// relocation. The SysV .hash table is rebuilt from scratch.
#include <algorithm>
#include <numeric>
#include <set>

#include "libelf/elf-editor.h"
#include "libelf/elf-rehash.h"

namespace linkbox::elf {

uint32_t gnu_hash(std::string_view name) {
  uint32_t h = 5381;
  for (unsigned char c : name) h = h * 33 + c;
  return h;
}

uint32_t sysv_hash(std::string_view name) {
  uint32_t h = 0;
  for (unsigned char c : name) {
    h = (h << 4) + c;
    uint32_t g = h & 0xf0000000;
    if (g) h ^= g >> 24;
    h &= ~g;
  }
  return h;
}

Status ElfEditor::rename_dynamic_symbols(const std::map<std::string, std::string>& renames) {
  if (file_->machine() == EM_MIPS)
    return error("renaming dynamic symbols is not supported on MIPS (its GOT depends on symbol order)");
  auto syms = file_->dynamic_symbols();
  if (!syms) return syms.error();
  auto strings = file_->dynamic_strings();
  if (!strings) return strings.error();
  auto dyn = file_->dynamic_entries();
  if (!dyn) return dyn.error();
  auto symtab = ElfFile::find_tag(*dyn, DT_SYMTAB);
  if (!symtab) return error("has no dynamic symbol table");
  auto base = file_->vaddr_to_offset(*symtab, syms->size() * file_->codec().sym_size());
  if (!base) return error("the dynamic symbol table is not inside any loaded segment");
  for (size_t i = 0; i < syms->size(); ++i) {
    auto name = strings->at((*syms)[i].name);
    if (!name) continue;
    auto it = renames.find(std::string(*name));
    if (it == renames.end()) continue;
    renamed_symbols_[static_cast<uint32_t>(i)] = it->second;
    string_fields_.push_back({*base + i * file_->codec().sym_size(), it->second});
  }
  return {};
}

namespace {

struct RelocTable {
  uint64_t offset, size;
  bool rela;
};

void remap_relocations(std::vector<uint8_t>& out, const Codec& c, const RelocTable& t,
                       const std::vector<uint32_t>& new_index) {
  uint64_t entsize = c.is64() ? (t.rela ? 24 : 16) : (t.rela ? 12 : 8);
  for (uint64_t at = t.offset; at + entsize <= t.offset + t.size; at += entsize) {
    uint8_t* info_p = out.data() + at + c.word_size();
    uint64_t info = c.get_word(info_p);
    uint64_t sym = c.is64() ? info >> 32 : info >> 8;
    if (sym == 0 || sym >= new_index.size()) continue;
    uint64_t n = new_index[sym];
    info = c.is64() ? (n << 32) | (info & 0xffffffffu) : (n << 8) | (info & 0xff);
    c.put_word(info_p, info);
  }
}

}  // namespace

Status rehash_dynamic_symbols(std::vector<uint8_t>& out, const ElfFile& f,
                              const std::map<uint32_t, std::string>& renamed) {
  const Codec& c = f.codec();
  auto dyn = f.dynamic_entries();
  if (!dyn) return dyn.error();
  auto syms = f.dynamic_symbols();
  if (!syms) return syms.error();
  auto strings = f.dynamic_strings();
  if (!strings) return strings.error();
  auto tag = [&](int64_t t) { return ElfFile::find_tag(*dyn, t); };
  size_t n = syms->size();
  std::vector<std::string> names(n);
  for (size_t i = 0; i < n; ++i) {
    auto it = renamed.find(static_cast<uint32_t>(i));
    if (it != renamed.end()) names[i] = it->second;
    else if (auto s = strings->at((*syms)[i].name)) names[i] = std::string(*s);
  }
  auto offset_of = [&](std::optional<uint64_t> addr, uint64_t size, const char* what) -> Expected<uint64_t> {
    auto off = f.vaddr_to_offset(*addr, size ? size : 1);
    if (!off) return f.error(std::string(what) + " is not inside any loaded segment");
    return *off;
  };
  auto symtab_off = offset_of(tag(DT_SYMTAB), n * c.sym_size(), "the dynamic symbol table");
  if (!symtab_off) return symtab_off.error();

  // The GNU hash order, and the permutation it implies.
  std::vector<uint32_t> order(n);  // new position -> old index
  std::iota(order.begin(), order.end(), 0);
  std::vector<uint32_t> hashes(n, 0);
  if (auto gnu = tag(DT_GNU_HASH)) {
    auto head_off = offset_of(gnu, 16, "DT_GNU_HASH");
    if (!head_off) return head_off.error();
    const uint8_t* head = out.data() + *head_off;
    uint32_t nbuckets = c.get<uint32_t>(head), symoffset = c.get<uint32_t>(head + 4);
    uint32_t bloom_size = c.get<uint32_t>(head + 8), shift = c.get<uint32_t>(head + 12);
    if (nbuckets == 0 || bloom_size == 0 || symoffset > n) return f.error("the GNU hash table is malformed");
    // The loader picks a bloom word with `& (bloom_size - 1)` and shifts a
    // 32-bit hash by `shift`: a table whose bloom size is no power of two, or
    // whose shift is 32 or more, cannot be rebuilt into one the loader reads
    // the same way (and the shift would be undefined here).
    if ((bloom_size & (bloom_size - 1)) != 0 || shift >= 32)
      return f.error("the GNU hash table is malformed: bloom size " + std::to_string(bloom_size) + ", shift " +
                     std::to_string(shift));
    uint64_t table_size = 16 + uint64_t(bloom_size) * c.word_size() + uint64_t(nbuckets) * 4 + (n - symoffset) * 4;
    if (!in_bounds(*head_off, table_size, out.size())) return f.error("the GNU hash table extends past the end of the file");
    for (size_t i = symoffset; i < n; ++i) hashes[i] = gnu_hash(names[i]);
    std::stable_sort(order.begin() + symoffset, order.end(),
                     [&](uint32_t a, uint32_t b) { return hashes[a] % nbuckets < hashes[b] % nbuckets; });
    // Permute .dynsym and .gnu.version.
    std::vector<uint8_t> old_syms(out.begin() + *symtab_off, out.begin() + *symtab_off + n * c.sym_size());
    for (size_t i = 0; i < n; ++i)
      std::copy_n(old_syms.begin() + order[i] * c.sym_size(), c.sym_size(), out.begin() + *symtab_off + i * c.sym_size());
    if (auto versym = tag(DT_VERSYM)) {
      auto v = offset_of(versym, n * 2, ".gnu.version");
      if (!v) return v.error();
      std::vector<uint8_t> old(out.begin() + *v, out.begin() + *v + n * 2);
      for (size_t i = 0; i < n; ++i) std::copy_n(old.begin() + order[i] * 2, 2, out.begin() + *v + i * 2);
    }
    // Rebuild the bloom filter, buckets and chains.
    uint8_t* bloom = out.data() + *head_off + 16;
    uint8_t* buckets = bloom + uint64_t(bloom_size) * c.word_size();
    uint8_t* chains = buckets + uint64_t(nbuckets) * 4;
    unsigned bits = c.is64() ? 64 : 32;
    std::fill(bloom, chains + (n - symoffset) * 4, 0);
    for (size_t i = symoffset; i < n; ++i) {
      uint32_t h = hashes[order[i]];
      uint8_t* word = bloom + (h / bits % bloom_size) * c.word_size();
      uint64_t w = c.get_word(word);
      w |= uint64_t(1) << (h % bits);
      w |= uint64_t(1) << ((h >> shift) % bits);
      c.put_word(word, w);
      uint32_t b = h % nbuckets;
      if (c.get<uint32_t>(buckets + 4 * b) == 0) c.put<uint32_t>(buckets + 4 * b, static_cast<uint32_t>(i));
      bool last = i + 1 == n || hashes[order[i + 1]] % nbuckets != b;
      c.put<uint32_t>(chains + 4 * (i - symoffset), last ? (h | 1) : (h & ~1u));
    }
  }
  std::vector<uint32_t> new_index(n);
  for (size_t i = 0; i < n; ++i) new_index[order[i]] = static_cast<uint32_t>(i);

  // Relocations that name dynamic symbols.
  std::set<std::pair<uint64_t, uint64_t>> seen;
  std::vector<RelocTable> tables;
  auto add = [&](std::optional<uint64_t> addr, std::optional<uint64_t> size, bool rela) -> Status {
    if (!addr || !size || *size == 0) return {};
    auto off = offset_of(addr, *size, "a relocation table");
    if (!off) return off.error();
    if (seen.insert({*off, *size}).second) tables.push_back({*off, *size, rela});
    return {};
  };
  LINKBOX_TRY(add(tag(DT_RELA), tag(DT_RELASZ), true));
  LINKBOX_TRY(add(tag(DT_REL), tag(DT_RELSZ), false));
  LINKBOX_TRY(add(tag(DT_JMPREL), tag(DT_PLTRELSZ), tag(DT_PLTREL).value_or(DT_RELA) == DT_RELA));
  const Section* dynsym = f.find_section_by_type(SHT_DYNSYM);
  for (const Section& s : f.sections())
    if ((s.hdr.type == SHT_RELA || s.hdr.type == SHT_REL) && dynsym && s.hdr.link == dynsym->index &&
        in_bounds(s.hdr.offset, s.hdr.size, out.size()) && seen.insert({s.hdr.offset, s.hdr.size}).second)
      tables.push_back({s.hdr.offset, s.hdr.size, s.hdr.type == SHT_RELA});
  // Tables may overlap (DT_RELASZ sometimes covers .rela.plt); remap each entry once.
  std::sort(tables.begin(), tables.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
  uint64_t done_to = 0;
  for (auto t : tables) {
    if (t.offset + t.size <= done_to) continue;
    if (t.offset < done_to) {
      t.size -= done_to - t.offset;
      t.offset = done_to;
    }
    remap_relocations(out, c, t, new_index);
    done_to = t.offset + t.size;
  }

  // The SysV hash table.
  if (auto hash = tag(DT_HASH)) {
    auto h_off = offset_of(hash, 8, "DT_HASH");
    if (!h_off) return h_off.error();
    uint32_t nbucket = c.get<uint32_t>(out.data() + *h_off), nchain = c.get<uint32_t>(out.data() + *h_off + 4);
    if (nbucket == 0 || !in_bounds(*h_off, (2 + uint64_t(nbucket) + nchain) * 4, out.size()))
      return f.error("the SysV hash table is malformed");
    uint8_t* buckets = out.data() + *h_off + 8;
    uint8_t* chain = buckets + uint64_t(nbucket) * 4;
    std::fill(buckets, chain + uint64_t(nchain) * 4, 0);
    for (uint32_t i = 1; i < nchain && i < n; ++i) {
      uint32_t b = sysv_hash(names[order[i]]) % nbucket;
      c.put<uint32_t>(chain + 4 * i, c.get<uint32_t>(buckets + 4 * b));
      c.put<uint32_t>(buckets + 4 * b, i);
    }
  }
  return {};
}

}  // namespace linkbox::elf
