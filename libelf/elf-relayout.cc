// Writing an edited ELF file: in-place changes where data still fits, and a
// new PT_LOAD segment at the end of the file for data that does not.
//
// Loaders find the data the editor changes only through pointers: PT_INTERP,
// PT_NOTE, PT_DYNAMIC and the dynamic tags. Each such piece is a "region". A
// region that must grow moves, with every region that overlaps it, into the
// new segment, and each pointer to it is rewritten. The new segment needs a
// program header; the table grows in place by also moving the regions that
// directly follow it (.interp, notes, hash tables, .dynsym...), so it stays
// where the kernel and old loaders expect it, covered by the first PT_LOAD.
// Old bytes that nothing overwrites are left as they were, so a stray
// reference to an old address still finds valid data.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "libelf/elf-editor.h"
#include "libelf/dynamic-info.h"
#include "libelf/elf-rehash.h"

namespace linkbox::elf {
namespace {

// The largest section alignment the relayout honours when it moves a
// non-loaded section (64 KiB, the largest page size of any supported machine).
constexpr uint64_t kMaxTailAlign = 0x10000;

// Whether a program header describes bytes of the file. The reader checks
// only those against the file size: a PT_NULL entry is unused whatever its
// fields say, and an empty segment has no bytes, so either may carry any
// offset and must not decide where the file's contents end.
bool occupies_file(const Phdr& p) { return p.type != PT_NULL && p.filesz != 0; }

struct Region {
  std::string name;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t vaddr = 0;
  uint64_t align = 1;
};

// Regions that overlap move together, keeping their relative layout.
struct Cluster {
  uint64_t offset = 0, end = 0;     // old file range
  uint64_t vaddr = 0;               // old address of `offset`
  uint64_t align = 1;
  std::vector<size_t> regions;
  bool moving = false;
  uint64_t new_size = 0;
  uint64_t new_offset = 0, new_vaddr = 0;
};

uint64_t versions_extent(const ElfFile& f, uint64_t start, uint64_t count, bool need) {
  // Walks Elf_Verneed/Elf_Verdef chains to find how many bytes they cover.
  const Codec& c = f.codec();
  auto bytes = f.bytes();
  uint64_t at = start, end = start;
  const uint64_t rec = need ? 16 : 20, aux_size = need ? 16 : 8;
  for (uint64_t i = 0; i < count && in_bounds(at, rec, bytes.size()); ++i) {
    const uint8_t* p = bytes.data() + at;
    uint16_t cnt = c.get<uint16_t>(p + (need ? 2 : 6));
    uint32_t aux = c.get<uint32_t>(p + (need ? 8 : 12));
    uint32_t next = c.get<uint32_t>(p + (need ? 12 : 16));
    end = std::max(end, at + rec);
    uint64_t a = at + aux;
    for (uint16_t j = 0; j < cnt && in_bounds(a, aux_size, bytes.size()); ++j) {
      end = std::max(end, a + aux_size);
      uint32_t step = c.get<uint32_t>(bytes.data() + a + (need ? 12 : 4));
      if (step == 0) break;
      a += step;
    }
    if (next == 0) break;
    at += next;
  }
  return end - start;
}

Expected<std::vector<Region>> collect_regions(const ElfFile& f, const std::vector<Dyn>& dyn) {
  std::vector<Region> out;
  const Codec& c = f.codec();
  for (const Phdr& p : f.segments()) {
    if (p.type == PT_INTERP) out.push_back({".interp", p.offset, p.filesz, p.vaddr, 1});
    // Notes are 4- or 8-aligned (gABI); any other p_align is not honoured.
    if (p.type == PT_NOTE) out.push_back({"PT_NOTE", p.offset, p.filesz, p.vaddr, p.align == 8 ? 8u : 4u});
    if (p.type == PT_DYNAMIC) out.push_back({".dynamic", p.offset, p.filesz, p.vaddr, c.word_size()});
  }
  auto add_table = [&](const char* name, std::optional<uint64_t> addr, uint64_t size,
                       uint64_t align) -> Status {
    if (!addr || size == 0) return {};
    auto off = f.vaddr_to_offset(*addr, size);
    if (!off)
      return f.error(std::string(name) + " at " + hex(*addr) + " (size " + hex(size) +
                     ") is not inside any loaded segment");
    out.push_back({name, *off, size, *addr, align});
    return {};
  };
  auto tag = [&](int64_t t) { return ElfFile::find_tag(dyn, t); };
  uint64_t nsyms = 0;
  if (auto n = f.dynamic_symbol_count()) nsyms = *n;
  else return n.error();
  LINKBOX_TRY(add_table("DT_STRTAB", tag(DT_STRTAB), tag(DT_STRSZ).value_or(0), 1));
  LINKBOX_TRY(add_table("DT_SYMTAB", tag(DT_SYMTAB), nsyms * c.sym_size(), c.word_size()));
  LINKBOX_TRY(add_table("DT_VERSYM", tag(DT_VERSYM), nsyms * 2, 2));
  LINKBOX_TRY(add_table("DT_RELA", tag(DT_RELA), tag(DT_RELASZ).value_or(0), c.word_size()));
  LINKBOX_TRY(add_table("DT_REL", tag(DT_REL), tag(DT_RELSZ).value_or(0), c.word_size()));
  LINKBOX_TRY(add_table("DT_JMPREL", tag(DT_JMPREL), tag(DT_PLTRELSZ).value_or(0), c.word_size()));
  LINKBOX_TRY(add_table("DT_RELR", tag(DT_RELR), tag(DT_RELRSZ).value_or(0), c.word_size()));
  if (auto h = tag(DT_HASH)) {
    auto head = f.bytes_at_vaddr(*h, 8, "DT_HASH table");
    if (!head) return head.error();
    uint64_t words = 2 + uint64_t(c.get<uint32_t>(head->data())) + c.get<uint32_t>(head->data() + 4);
    LINKBOX_TRY(add_table("DT_HASH", h, words * 4, 4));
  }
  if (auto g = tag(DT_GNU_HASH)) {
    auto head = f.bytes_at_vaddr(*g, 16, "DT_GNU_HASH table");
    if (!head) return head.error();
    uint64_t nbuckets = c.get<uint32_t>(head->data());
    uint64_t symoffset = c.get<uint32_t>(head->data() + 4);
    uint64_t bloom = c.get<uint32_t>(head->data() + 8);
    uint64_t chains = nsyms > symoffset ? nsyms - symoffset : 0;
    LINKBOX_TRY(add_table("DT_GNU_HASH", g, 16 + bloom * c.word_size() + (nbuckets + chains) * 4,
                          c.word_size()));
  }
  for (auto [t, num, need] : {std::tuple{DT_VERNEED, DT_VERNEEDNUM, true},
                              std::tuple{DT_VERDEF, DT_VERDEFNUM, false}}) {
    auto addr = tag(t);
    if (!addr) continue;
    auto off = f.vaddr_to_offset(*addr, 1);
    if (!off) return f.error("DT_" + dynamic_tag_name(t) + " is not inside any loaded segment");
    uint64_t size = versions_extent(f, *off, tag(num).value_or(0), need);
    LINKBOX_TRY(add_table(need ? "DT_VERNEED" : "DT_VERDEF", addr, size, 4));
  }
  return out;
}

std::vector<Cluster> make_clusters(const std::vector<Region>& regions) {
  std::vector<size_t> order(regions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return regions[a].offset < regions[b].offset; });
  std::vector<Cluster> out;
  for (size_t i : order) {
    const Region& r = regions[i];
    if (!out.empty() && r.offset < out.back().end) {
      Cluster& c = out.back();
      c.end = std::max(c.end, r.offset + r.size);
      c.align = std::max(c.align, r.align);
      c.regions.push_back(i);
      continue;
    }
    Cluster c;
    c.offset = r.offset;
    c.end = r.offset + r.size;
    c.vaddr = r.vaddr - 0;
    c.align = r.align;
    c.regions.push_back(i);
    out.push_back(c);
  }
  // A cluster's address is that of its lowest region.
  for (auto& c : out)
    for (size_t i : c.regions)
      if (regions[i].offset == c.offset) c.vaddr = regions[i].vaddr;
  return out;
}


}  // namespace

struct ElfEditor::Layout {
  std::vector<Region> regions;
  std::vector<Cluster> clusters;
  uint64_t page = 0x1000;
  uint64_t base_offset = 0, base_vaddr = 0, size = 0;
  bool any() const { return size != 0; }

  Cluster* cluster_of_offset(uint64_t off) {
    for (auto& c : clusters)
      if (off >= c.offset && off < c.end) return &c;
    return nullptr;
  }
  const Cluster* moving_at_vaddr(uint64_t vaddr) const {
    for (const auto& c : clusters)
      if (c.moving && vaddr >= c.vaddr && vaddr < c.vaddr + (c.end - c.offset)) return &c;
    return nullptr;
  }
  uint64_t remap_vaddr(uint64_t vaddr) const {
    const Cluster* c = moving_at_vaddr(vaddr);
    return c ? vaddr - c->vaddr + c->new_vaddr : vaddr;
  }
  const Cluster* moving_at_offset(uint64_t off) const {
    for (const auto& c : clusters)
      if (c.moving && off >= c.offset && (off < c.end || (c.offset == c.end && off == c.offset))) return &c;
    return nullptr;
  }
};

Status ElfEditor::check_loads_do_not_overlap() const {
  // Overlapping PT_LOADs have no single meaning for an address; relayout
  // cannot be sure what it moves.
  std::vector<const Phdr*> loads;
  for (const Phdr& p : file_->segments())
    if (p.type == PT_LOAD) loads.push_back(&p);
  std::sort(loads.begin(), loads.end(), [](const Phdr* a, const Phdr* b) { return a->vaddr < b->vaddr; });
  for (size_t i = 1; i < loads.size(); ++i)
    if (loads[i - 1]->vaddr + loads[i - 1]->memsz > loads[i]->vaddr)
      return error("PT_LOAD segments overlap (" + hex(loads[i - 1]->vaddr) + "+" + hex(loads[i - 1]->memsz) +
                   " and " + hex(loads[i]->vaddr) + "); refusing to edit");
  return {};
}

// Edits that produce a file the loader or startup code is known to reject.
Status ElfEditor::check_edit_is_possible() const {
  auto info = read_dynamic_info(*file_);
  if (!info) return info.error();
  if (info->kind == FileKind::static_pie) {
    bool had_path = info->rpath || info->runpath;
    bool has_path = std::any_of(dynamic_.begin(), dynamic_.end(),
                                [](const DynamicEntry& e) { return e.tag == DT_RPATH || e.tag == DT_RUNPATH; });
    // glibc's static-pie startup (_dl_relocate_static_pie) asserts that there
    // is neither; the program would abort before main.
    if (has_path && !had_path)
      return error("is a static-pie executable: glibc's static-pie startup aborts on DT_RPATH or DT_RUNPATH, so none is added");
  }
  return {};
}

Expected<std::optional<std::vector<uint8_t>>> ElfEditor::finish(const EditOptions& options) {
  const ElfFile& f = *file_;
  const Codec& c = f.codec();
  auto log = [&](const std::string& m) {
    if (options.debug) std::fprintf(stderr, "linkbox: debug: %s\n", m.c_str());
  };
  LINKBOX_TRY(check_edit_is_possible());
  std::vector<uint8_t> out(f.bytes().begin(), f.bytes().end());
  Ehdr eh = f.header();
  std::vector<Phdr> ph = f.segments();
  std::vector<Section> sh = f.sections();

  // A note section being removed: its bytes are zeroed (so nothing it named
  // stays in the file), and its own PT_NOTE and PT_LOAD go.
  if (remove_note_) {
    for (size_t i = 0; i < sh.size(); ++i) {
      if (sh[i].name != *remove_note_ || sh[i].hdr.type != SHT_NOTE) continue;
      if (i == eh.shstrndx) return error("cannot remove " + *remove_note_ + ": it is the section name table");
      const Shdr h = sh[i].hdr;
      if (in_bounds(h.offset, h.size, out.size())) std::memset(out.data() + h.offset, 0, h.size);
      ph.erase(std::remove_if(ph.begin(), ph.end(), [&](const Phdr& p) {
                 return (p.type == PT_NOTE || p.type == PT_LOAD) && p.offset == h.offset && p.filesz == h.size;
               }),
               ph.end());
      // The last section header can go; one in the middle becomes inactive
      // (SHT_NULL), so no section index elsewhere needs renumbering.
      if (i + 1 == sh.size()) sh.pop_back();
      else sh[i].hdr = Shdr{}, sh[i].name.clear();
      log("removed the note section " + *remove_note_);
      break;
    }
  }

  // A new note section needs its name in the section name table.
  std::vector<uint8_t> new_shstrtab;
  uint32_t note_name_offset = 0;
  bool note_replaces_section = false;
  if (note_section_ && !sh.empty()) {
    for (const Section& x : sh)
      if (x.name == note_section_->first) {
        note_replaces_section = true;
        note_name_offset = x.hdr.name;
      }
    if (!note_replaces_section) {
      if (eh.shstrndx >= f.sections().size()) return error("has no section name table");
      auto data = f.section_data(f.sections()[eh.shstrndx]);
      if (!data) return data.error();
      new_shstrtab.assign(data->begin(), data->end());
      note_name_offset = static_cast<uint32_t>(new_shstrtab.size());
      new_shstrtab.insert(new_shstrtab.end(), note_section_->first.begin(), note_section_->first.end());
      new_shstrtab.push_back(0);
    }
  }

  // Header fields and fixed-size tables change in place.
  if (os_abi_) eh.ident[EI_OSABI] = *os_abi_;
  for (auto [off, value] : versym_edits_) c.put<uint16_t>(out.data() + off, value);
  bool add_gnu_stack = false;
  if (execstack_) {
    auto it = std::find_if(ph.begin(), ph.end(), [](const Phdr& p) { return p.type == PT_GNU_STACK; });
    if (it != ph.end()) {
      it->flags = *execstack_ ? (it->flags | PF_X) : (it->flags & ~uint32_t(PF_X));
    } else {
      add_gnu_stack = true;
    }
  }

  // Strings.
  std::optional<StringPlan> plan;
  uint64_t strtab_offset = 0;
  if (has_dynamic_) {
    auto p = place_strings(options.clobber_replaced_strings);
    if (!p) return p.error();
    plan = std::move(*p);
    auto off = f.dynamic_strings_offset();
    if (!off) return off.error();
    strtab_offset = *off;
    for (size_t i = 0; i < string_fields_.size(); ++i) {
      uint64_t at = string_fields_[i].field_offset;
      if (!in_bounds(at, 4, out.size())) return error("version need record is out of range");
      c.put<uint32_t>(out.data() + at, static_cast<uint32_t>(plan->field_offsets[i]));
    }
  }
  if (!renamed_symbols_.empty()) LINKBOX_TRY(rehash_dynamic_symbols(out, f, renamed_symbols_));
  bool strtab_grows = plan && plan->table.size() > plan->original_size;
  if (plan && plan->changed && !strtab_grows)
    std::memcpy(out.data() + strtab_offset, plan->table.data(), plan->table.size());

  // The dynamic array, with string offsets resolved; addresses are fixed later.
  std::vector<Dyn> dyn;
  for (size_t i = 0; i < dynamic_.size(); ++i) {
    Dyn d{dynamic_[i].tag, dynamic_[i].text ? plan->entry_offsets[i] : dynamic_[i].val};
    if (d.tag == DT_STRSZ && plan) d.val = plan->table.size();
    dyn.push_back(d);
  }
  auto dyn_loc = f.dynamic_location();
  uint64_t dyn_capacity = dyn_loc ? dyn_loc->second / c.dyn_size() : 0;
  bool dyn_changed = false;
  if (has_dynamic_) {
    if (dyn.size() != original_dynamic_.size()) dyn_changed = true;
    for (size_t i = 0; !dyn_changed && i < dyn.size(); ++i)
      dyn_changed = dyn[i].tag != original_dynamic_[i].tag || dyn[i].val != original_dynamic_[i].val;
  }
  // An unchanged array stays where it is, even one without a DT_NULL.
  bool dyn_grows = has_dynamic_ && dyn_changed && dyn.size() + 1 > dyn_capacity;

  const Phdr* interp_ph = f.find_segment(PT_INTERP);
  bool interp_changed = interp_ != original_interp_;
  bool interp_grows = interp_changed && interp_ph && interp_->size() + 1 > interp_ph->filesz;

  // Decide what moves.
  Layout L;
  L.page = options.page_size ? options.page_size : max_page_size(eh.machine);
  if (has_dynamic_) {
    auto regions = collect_regions(f, original_dynamic_);
    if (!regions) return regions.error();
    L.regions = std::move(*regions);
  } else if (interp_ph) {
    L.regions.push_back({".interp", interp_ph->offset, interp_ph->filesz, interp_ph->vaddr, 1});
  }
  L.clusters = make_clusters(L.regions);
  auto region_index = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t i = 0; i < L.regions.size(); ++i)
      if (L.regions[i].name == name) return i;
    return std::nullopt;
  };
  auto cluster_of_region = [&](size_t r) -> Cluster* {
    for (auto& cl : L.clusters)
      if (std::find(cl.regions.begin(), cl.regions.end(), r) != cl.regions.end()) return &cl;
    return nullptr;
  };
  // Content that replaces a region when it moves, keyed by region index.
  std::map<size_t, std::vector<uint8_t>> replacement;
  auto must_move = [&](const std::string& name, std::vector<uint8_t> content) -> Status {
    auto r = region_index(name);
    if (!r) return error("cannot find " + name + " to move it");
    Cluster* cl = cluster_of_region(*r);
    if (cl->regions.size() > 1)
      for (size_t other : cl->regions)
        if (other != *r && L.regions[other].offset + L.regions[other].size > L.regions[*r].offset &&
            L.regions[other].offset < L.regions[*r].offset + L.regions[*r].size)
          return error(name + " overlaps " + L.regions[other].name + "; cannot grow it");
    cl->moving = true;
    replacement[*r] = std::move(content);
    log("moving " + name + " (" + std::to_string(replacement[*r].size()) + " bytes)");
    return {};
  };
  if (strtab_grows) LINKBOX_TRY(must_move("DT_STRTAB", plan->table));
  if (dyn_grows) {
    std::vector<uint8_t> bytes((dyn.size() + 1) * c.dyn_size(), 0);
    LINKBOX_TRY(must_move(".dynamic", std::move(bytes)));  // filled in once addresses are known
  }
  if (interp_grows) {
    std::vector<uint8_t> bytes(interp_->begin(), interp_->end());
    bytes.push_back(0);
    LINKBOX_TRY(must_move(".interp", std::move(bytes)));
  }

  auto any_moving = [&] {
    return std::any_of(L.clusters.begin(), L.clusters.end(), [](const Cluster& cl) { return cl.moving; });
  };
  bool note_added = note_section_.has_value();
  // Grow the program header table in place, moving what follows it.
  // A last segment without .bss, writable and not executable (typically one
  // an earlier edit added) can simply grow: no new program header is needed.
  std::optional<size_t> grow_load;
  {
    uint64_t file_end = 0;
    for (const Phdr& p : ph)
      if (occupies_file(p)) file_end = std::max(file_end, p.offset + p.filesz);
    std::optional<size_t> last;
    for (size_t i = 0; i < ph.size(); ++i)
      if (ph[i].type == PT_LOAD && (!last || ph[i].vaddr > ph[*last].vaddr)) last = i;
    if (last && ph[*last].filesz == ph[*last].memsz && (ph[*last].flags & PF_W) &&
        !(ph[*last].flags & PF_X) && ph[*last].offset + ph[*last].filesz == file_end &&
        ph[*last].offset > eh.phoff)
      grow_load = last;
  }
  uint64_t old_phnum = ph.size();
  uint64_t new_phnum = old_phnum;
  for (int round = 0; round < 8; ++round) {
    bool new_load = (any_moving() || note_added) && !grow_load;
    new_phnum = old_phnum + (new_load ? 1 : 0) + (add_gnu_stack ? 1 : 0) + (note_added ? 1 : 0);
    if (new_phnum == old_phnum) break;
    uint64_t old_end = eh.phoff + old_phnum * c.phdr_size();
    uint64_t new_end = eh.phoff + new_phnum * c.phdr_size();
    bool changed = false;
    auto obstruct = [&](uint64_t off, uint64_t size, const std::string& what) -> Status {
      if (size == 0 || off >= new_end || off + size <= old_end) return {};
      if (L.moving_at_offset(off)) return {};
      Cluster* cl = L.cluster_of_offset(off);
      if (!cl)
        return error("no room to add a program header: " + what +
                     " follows the program header table and cannot be moved");
      cl->moving = true;
      changed = true;
      log("moving the tables at " + hex(cl->offset) + " to make room for program headers");
      return {};
    };
    for (const Section& s : sh)
      if (s.hdr.type != SHT_NULL && s.hdr.type != SHT_NOBITS)
        LINKBOX_TRY(obstruct(s.hdr.offset, s.hdr.size, "section " + s.name));
    for (const Region& r : L.regions) LINKBOX_TRY(obstruct(r.offset, r.size, r.name));
    for (const Phdr& p : ph)
      if (p.type != PT_PHDR && p.type != PT_GNU_STACK && p.type != PT_NULL && p.filesz != 0 &&
          !(p.type == PT_LOAD && p.offset <= eh.phoff))
        LINKBOX_TRY(obstruct(p.offset, std::min<uint64_t>(p.filesz, 1), "a segment"));
    if (!changed) break;
  }
  if (new_phnum != old_phnum) {
    uint64_t new_end = eh.phoff + new_phnum * c.phdr_size();
    for (const Phdr& p : ph)
      if (p.type == PT_LOAD && p.offset <= eh.phoff && eh.phoff < p.offset + p.filesz &&
          new_end > p.offset + p.filesz)
        return error("no room to add a program header: the table would extend past its segment");
    // Without a new segment the section header table is rewritten where it
    // is, so it must not lie where the grown program header table goes.
    uint64_t old_end = eh.phoff + old_phnum * c.phdr_size();
    if (!(any_moving() || note_added) && !f.sections().empty() && eh.shoff < new_end &&
        eh.shoff + f.sections().size() * c.shdr_size() > old_end)
      return error("no room to add a program header: the section header table follows the program header table");
  }
  if (new_phnum > 0xfff0) return error("too many program headers");

  // Place the moving clusters in a new segment after everything in the file.
  if (any_moving() || note_added) {
    // The new segment goes straight after the last loaded byte, and the
    // non-loaded sections that were there (symbols, debug info) move behind
    // it. Tools like llvm-objcopy close up gaps between segments when they
    // drop sections, so a segment placed after droppable sections would lose
    // its page alignment when the file is stripped.
    uint64_t loaded_end = eh.phoff + new_phnum * c.phdr_size();
    for (const Phdr& p : ph)
      if (occupies_file(p)) loaded_end = std::max(loaded_end, p.offset + p.filesz);
    std::vector<size_t> tail;
    std::vector<bool> covered(out.size() > loaded_end ? out.size() - loaded_end : 0, false);
    auto cover = [&](uint64_t off, uint64_t size) {
      for (uint64_t i = std::max(off, loaded_end); i < off + size && i < out.size(); ++i)
        covered[i - loaded_end] = true;
    };
    for (size_t i = 0; i < sh.size(); ++i) {
      const Shdr& h = sh[i].hdr;
      if (h.type == SHT_NOBITS || h.type == SHT_NULL || h.size == 0) continue;
      if (h.offset + h.size <= loaded_end) continue;
      if (h.offset < loaded_end || (h.flags & SHF_ALLOC))
        return error("section " + sh[i].name + " lies outside the loaded segments");
      // It moves behind the new segment and keeps its alignment; an alignment
      // that is no power of two, or larger than any page, is a broken header
      // that would make the output absurdly large.
      if (h.addralign > kMaxTailAlign || (h.addralign & (h.addralign - 1)) != 0)
        return error("section " + sh[i].name + " has an alignment of " + hex(h.addralign) +
                     " and cannot be moved");
      tail.push_back(i);
      cover(h.offset, h.size);
    }
    if (eh.shoff >= loaded_end) cover(eh.shoff, f.sections().size() * c.shdr_size());
    bool unknown_tail = false;
    for (size_t i = 0; i < covered.size() && !unknown_tail; ++i)
      if (!covered[i] && out[loaded_end + i] != 0) {
        unknown_tail = true;
        log("bytes at " + hex(loaded_end + i) + " after the loaded segments belong to no section");
      }
    uint64_t base = loaded_end;
    if (unknown_tail) {
      // Bytes that no header describes (an appended payload, say) stay where
      // they are; the segment goes after them.
      base = out.size();
      tail.clear();
    }
    std::sort(tail.begin(), tail.end(),
              [&](size_t a, size_t b) { return sh[a].hdr.offset < sh[b].hdr.offset; });
    std::vector<std::vector<uint8_t>> tail_data;
    for (size_t i : tail) {
      if (i == eh.shstrndx && !new_shstrtab.empty()) {
        tail_data.push_back(std::move(new_shstrtab));
        new_shstrtab.clear();
        sh[i].hdr.size = tail_data.back().size();
        continue;
      }
      tail_data.emplace_back(f.bytes().begin() + sh[i].hdr.offset,
                             f.bytes().begin() + sh[i].hdr.offset + sh[i].hdr.size);
    }
    L.base_offset = align_up(base, 16);
    uint64_t max_vend = 0;
    for (const Phdr& p : ph)
      if (p.type == PT_LOAD) max_vend = std::max(max_vend, p.vaddr + p.memsz);
    L.base_vaddr = align_up(max_vend, L.page) + L.base_offset % L.page;
    if (grow_load) {
      const Phdr& g = ph[*grow_load];
      L.base_offset = align_up(g.offset + g.filesz, 16);
      L.base_vaddr = g.vaddr + (L.base_offset - g.offset);
      if (base != loaded_end) return error("cannot grow the last segment: unknown bytes follow it");
    }
    // The segment opens with a few bytes of padding so that no other program
    // header (PT_INTERP, PT_NOTE) starts at the same offset: llvm-objcopy
    // treats the lower-numbered of two segments at one offset as the parent
    // and would then lay the new PT_LOAD out without its page alignment.
    uint64_t cursor = grow_load ? 0 : c.word_size();
    for (auto& cl : L.clusters) {
      if (!cl.moving) continue;
      cl.new_size = cl.end - cl.offset;
      for (size_t r : cl.regions)
        if (auto it = replacement.find(r); it != replacement.end())
          cl.new_size = std::max(cl.new_size, L.regions[r].offset - cl.offset + it->second.size());
      cursor = align_up(cursor, cl.align);
      cl.new_offset = L.base_offset + cursor;
      cl.new_vaddr = L.base_vaddr + cursor;
      cursor += cl.new_size;
    }
    uint64_t note_at = 0;
    if (note_added) {
      cursor = align_up(cursor, 8);
      note_at = cursor;
      cursor += note_section_->second.size();
    }
    L.size = std::max<uint64_t>(cursor, 1);
    if (!c.is64() && L.base_vaddr + L.size > 0xffffffffull)
      return error("no address space left for a new segment in a 32-bit file");
    log(std::string(grow_load ? "growing the last PT_LOAD" : "new PT_LOAD") + " at offset " + hex(L.base_offset) + ", address " + hex(L.base_vaddr) +
        ", size " + hex(L.size));

    // Fix addresses in the dynamic array, then build the moved bytes.
    for (Dyn& d : dyn)
      if (dynamic_tag_is_address(d.tag, eh.machine)) d.val = L.remap_vaddr(d.val);
    std::vector<uint8_t> segment(L.size, 0);
    for (auto& cl : L.clusters) {
      if (!cl.moving) continue;
      std::memcpy(segment.data() + (cl.new_offset - L.base_offset), out.data() + cl.offset,
                  cl.end - cl.offset);
      for (size_t r : cl.regions)
        if (auto it = replacement.find(r); it != replacement.end() && L.regions[r].name != ".dynamic")
          std::memcpy(segment.data() + (cl.new_offset - L.base_offset) + (L.regions[r].offset - cl.offset),
                      it->second.data(), it->second.size());
    }
    if (note_added)
      std::memcpy(segment.data() + note_at, note_section_->second.data(), note_section_->second.size());

    // The old dynamic array stays valid for anything that still finds it by
    // its link-time address (static-pie startup code uses _DYNAMIC).
    if (dyn_loc) {
      uint64_t n = dyn_loc->second / c.dyn_size();
      for (uint64_t i = 0; i < n; ++i) {
        uint8_t* p = out.data() + dyn_loc->first + i * c.dyn_size();
        Dyn d = c.read_dyn(p);
        if (d.tag == DT_NULL) break;
        if (dynamic_tag_is_address(d.tag, eh.machine)) d.val = L.remap_vaddr(d.val);
        c.write_dyn(p, d);
      }
    }

    // Program headers that point into moved data.
    for (Phdr& p : ph) {
      bool follows_data = p.type == PT_INTERP || p.type == PT_DYNAMIC || p.type == PT_NOTE ||
                          p.type == PT_GNU_PROPERTY;
      if (!follows_data || (p.filesz == 0 && p.type != PT_INTERP)) continue;
      const Cluster* cl = L.moving_at_offset(p.offset);
      if (!cl) continue;
      uint64_t delta_off = cl->new_offset - cl->offset;
      uint64_t delta_va = cl->new_vaddr - cl->vaddr;
      p.offset += delta_off;
      p.vaddr += delta_va;
      p.paddr += delta_va;
    }
    // Section headers of moved data.
    for (Section& s : sh) {
      if (s.hdr.type == SHT_NULL || s.hdr.type == SHT_NOBITS || s.hdr.size == 0) continue;
      const Cluster* cl = L.moving_at_offset(s.hdr.offset);
      if (!cl) continue;
      if (s.hdr.offset + s.hdr.size > cl->end)
        return error("section " + s.name + " straddles data that must move");
      uint64_t delta = s.hdr.offset - cl->offset;
      s.hdr.offset = cl->new_offset + delta;
      if (s.hdr.addr) s.hdr.addr = cl->new_vaddr + delta;
    }
    // Write the moved data into the file image, then the sections that
    // followed the loaded part of the file.
    out.resize(L.base_offset, 0);
    out.insert(out.end(), segment.begin(), segment.end());
    for (size_t k = 0; k < tail.size(); ++k) {
      Shdr& h = sh[tail[k]].hdr;
      out.resize(align_up(out.size(), std::max<uint64_t>(h.addralign, 1)), 0);
      h.offset = out.size();
      out.insert(out.end(), tail_data[k].begin(), tail_data[k].end());
    }

    if (grow_load) {
      Phdr& g = ph[*grow_load];
      g.filesz = g.memsz = L.base_offset + L.size - g.offset;
    }
    Phdr load;
    load.type = PT_LOAD;
    load.flags = PF_R | PF_W;
    load.offset = L.base_offset;
    load.vaddr = load.paddr = L.base_vaddr;
    load.filesz = load.memsz = L.size;
    load.align = L.page;
    auto last_load = std::find_if(ph.rbegin(), ph.rend(), [](const Phdr& p) { return p.type == PT_LOAD; });
    if (!grow_load) ph.insert(last_load.base(), load);
    if (note_added) {
      Phdr note;
      note.type = PT_NOTE;
      note.flags = PF_R;
      note.offset = L.base_offset + note_at;
      note.vaddr = note.paddr = L.base_vaddr + note_at;
      note.filesz = note.memsz = note_section_->second.size();
      note.align = 4;
      ph.push_back(note);
    }
  }

  // The dynamic array itself, in place or in its new home.
  if (has_dynamic_ && (dyn_changed || L.any())) {
    uint64_t where = dyn_loc->first;
    uint64_t capacity = dyn_capacity;
    if (const Cluster* cl = L.moving_at_offset(dyn_loc->first)) {
      where = cl->new_offset + (dyn_loc->first - cl->offset);
      if (dyn_grows) capacity = dyn.size() + 1;
    }
    // DT_MIPS_RLD_MAP_REL is relative to its own entry; the editor holds the
    // absolute target and converts back here, where the entry's address is known.
    uint64_t where_vaddr = 0;
    for (const Phdr& p : ph)
      if (p.type == PT_DYNAMIC) where_vaddr = p.vaddr;
    for (uint64_t i = 0; i < capacity; ++i) {
      Dyn d = i < dyn.size() ? dyn[i] : Dyn{DT_NULL, 0};
      if (d.tag == DT_MIPS_RLD_MAP_REL && eh.machine == EM_MIPS)
        d.val = L.remap_vaddr(d.val) - (where_vaddr + i * c.dyn_size());
      c.write_dyn(out.data() + where + i * c.dyn_size(), d);
    }
    if (dyn_grows) {
      for (Phdr& p : ph)
        if (p.type == PT_DYNAMIC) p.filesz = p.memsz = capacity * c.dyn_size();
      for (Section& s : sh)
        if (s.hdr.type == SHT_DYNAMIC && s.hdr.offset == where) s.hdr.size = capacity * c.dyn_size();
    }
  }

  // The interpreter.
  if (interp_changed && interp_ph) {
    uint64_t len = interp_->size() + 1;
    Phdr* p = nullptr;
    for (Phdr& q : ph)
      if (q.type == PT_INTERP) p = &q;
    if (!interp_grows) {
      std::memset(out.data() + p->offset, 0, p->filesz);
      std::memcpy(out.data() + p->offset, interp_->c_str(), len);
    }
    uint64_t old_size = p->filesz;
    p->filesz = p->memsz = len;
    for (Section& s : sh)
      if (s.name == ".interp" || (s.hdr.offset == p->offset && s.hdr.size == old_size && s.hdr.type == SHT_PROGBITS))
        s.hdr.size = len;
  }
  // The string table's size.
  if (strtab_grows) {
    const Cluster* cl = L.moving_at_offset(strtab_offset);
    uint64_t now_at = cl->new_offset + (strtab_offset - cl->offset);
    for (Section& s : sh)
      if (s.hdr.type == SHT_STRTAB && s.hdr.offset == now_at) s.hdr.size = plan->table.size();
  }

  if (add_gnu_stack) {
    Phdr stack;
    stack.type = PT_GNU_STACK;
    stack.flags = PF_R | PF_W | (*execstack_ ? PF_X : 0);
    stack.align = 16;
    ph.push_back(stack);
  }

  // A new note section's header.
  if (note_added && !sh.empty()) {
    Section s;
    s.name = note_section_->first;
    s.hdr.name = note_name_offset;
    s.hdr.type = SHT_NOTE;
    s.hdr.flags = SHF_ALLOC;
    for (const Phdr& p : ph)
      if (p.type == PT_NOTE && p.offset >= L.base_offset) {
        s.hdr.offset = p.offset;
        s.hdr.addr = p.vaddr;
        s.hdr.size = p.filesz;
      }
    s.hdr.addralign = 4;
    auto same = std::find_if(sh.begin(), sh.end(), [&](const Section& x) { return x.name == s.name; });
    if (same != sh.end()) {
      *same = s;
    } else {
      s.index = static_cast<uint32_t>(sh.size());
      sh.push_back(s);
    }
  }

  // Program header table.
  uint64_t pt_phdr_size = ph.size() * c.phdr_size();
  for (Phdr& p : ph)
    if (p.type == PT_PHDR) p.filesz = p.memsz = pt_phdr_size;
  for (size_t i = ph.size(); i < eh.phnum; ++i)  // headers that were removed
    std::memset(out.data() + eh.phoff + i * c.phdr_size(), 0, c.phdr_size());
  eh.phnum = static_cast<uint16_t>(ph.size());
  // A table that ends the file grows the file: nothing lies after it (the
  // checks above refused to add a header over anything that did).
  if (eh.phoff + ph.size() * c.phdr_size() > out.size()) out.resize(eh.phoff + ph.size() * c.phdr_size(), 0);
  for (size_t i = 0; i < ph.size(); ++i) c.write_phdr(out.data() + eh.phoff + i * c.phdr_size(), ph[i]);

  // Section header table: rewritten in place, or after the new segment.
  if (!sh.empty()) {
    if (L.any()) {
      if (!new_shstrtab.empty()) {
        out.resize(align_up(out.size(), 8), 0);
        sh[eh.shstrndx].hdr.offset = out.size();
        sh[eh.shstrndx].hdr.size = new_shstrtab.size();
        out.insert(out.end(), new_shstrtab.begin(), new_shstrtab.end());
      }
      out.resize(align_up(out.size(), c.word_size()), 0);
      eh.shoff = out.size();
      out.resize(out.size() + sh.size() * c.shdr_size(), 0);
    }
    if (eh.shnum != 0) eh.shnum = static_cast<uint16_t>(sh.size());
    else sh[0].hdr.size = sh.size();
    for (size_t i = 0; i < sh.size(); ++i)
      c.write_shdr(out.data() + eh.shoff + i * c.shdr_size(), sh[i].hdr);
  }
  c.write_ehdr(out.data(), eh);

  if (out.size() == f.bytes().size() && std::equal(out.begin(), out.end(), f.bytes().begin()))
    return std::optional<std::vector<uint8_t>>();
  LINKBOX_TRY(check_loads_do_not_overlap());
  return std::optional<std::vector<uint8_t>>(std::move(out));
}

}  // namespace linkbox::elf
