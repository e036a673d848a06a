#include "liblink/output-sections.h"

#include <algorithm>
#include <cstring>
#include <fstream>

namespace linkbox::link {
namespace {

// .init_array.N: lower priorities run first; no number sorts last. .ctors
// runs backwards, so .ctors.N has init_array priority 65535 - N, as in GNU
// ld's SORT_BY_INIT_PRIORITY.
uint64_t init_priority(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return 65536;
  std::string_view num = name.substr(dot + 1);
  if (num.empty() || num.size() > 5 || num.find_first_not_of("0123456789") != std::string_view::npos)
    return 65536;
  uint64_t n = std::stoull(std::string(num));
  if (name.starts_with(".ctors.") || name.starts_with(".dtors.")) return n <= 65535 ? 65535 - n : 0;
  return n;
}

// GNU ld's default script runs old-style .ctors/.dtors through .init_array
// and .fini_array (crtbegin.o no longer walks a __CTOR_LIST__).
bool is_ctors(std::string_view name) {
  return name == ".ctors" || name.starts_with(".ctors.");
}
bool is_dtors(std::string_view name) {
  return name == ".dtors" || name.starts_with(".dtors.");
}

constexpr uint64_t kKeptFlags = SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR | SHF_TLS;

template <typename E>
OutputSection<E>* find_or_create(Context<E>& ctx, std::string_view name, const elf::Shdr& h,
                                 std::unordered_map<std::string, OutputSection<E>*>& by_key) {
  uint64_t flags = h.flags & kKeptFlags;
  uint32_t type = h.type == SHT_NOBITS ? SHT_NOBITS : h.type;
  std::string key = std::string(name) + "\x01" + std::to_string(flags) + "\x01" + std::to_string(type);
  if (auto it = by_key.find(key); it != by_key.end()) return it->second;
  auto osec = std::make_unique<OutputSection<E>>();
  osec->name = std::string(name);
  osec->shdr.type = type;
  osec->shdr.flags = flags;
  osec->shdr.addralign = 1;
  OutputSection<E>* p = ctx.make_chunk(std::move(osec));
  ctx.output_sections.push_back(p);
  by_key[key] = p;
  return p;
}

// Splits a mergeable section into pieces: NUL-terminated strings (of
// entsize-wide characters) or fixed-size records.
template <typename E>
Status split_mergeable(Context<E>& ctx, ObjectFile<E>& file, InputSection<E>& isec, MergedSection<E>* ms) {
  auto& mi = file.merge_inputs[isec.shndx];
  mi.target = ms;
  uint64_t ent = isec.shdr.entsize;
  std::span<const uint8_t> d = isec.data;
  bool strings = isec.shdr.flags & SHF_STRINGS;
  uint64_t at = 0;
  while (at < d.size()) {
    uint64_t end;
    if (strings) {
      end = at;
      for (;;) {
        if (end + ent > d.size()) {
          ctx.error(isec.location(at), "string in a SHF_STRINGS section is not NUL-terminated");
          return {};
        }
        bool zero = true;
        for (uint64_t k = 0; k < ent; ++k) zero &= d[end + k] == 0;
        end += ent;
        if (zero) break;
      }
    } else {
      end = std::min<uint64_t>(at + ent, d.size());
    }
    std::string_view bytes(reinterpret_cast<const char*>(d.data() + at), end - at);
    mi.piece_offsets.push_back(at);
    mi.pieces.push_back(ms->insert(bytes, isec.align));
    at = end;
  }
  isec.alive = false;  // its bytes now live in the merged section
  return {};
}

// --symbol-ordering-file: the input sections that define the listed
// symbols go first in their output sections, in the order of the list (as
// ld.lld does); the rest keep their order after them.
template <typename E>
void order_by_symbol_file(Context<E>& ctx) {
  const std::string& path = *ctx.opts.symbol_ordering_file;
  std::ifstream in(path);
  if (!in) {
    ctx.error(path, "cannot open the symbol ordering file");
    return;
  }
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    size_t b = line.find_first_not_of(" \t\r"), e = line.find_last_not_of(" \t\r");
    if (b != std::string::npos) names.push_back(line.substr(b, e - b + 1));
  }
  // Where each listed name is defined: global definitions, and local
  // symbols of every object (as ld.lld looks at both).
  std::unordered_map<std::string_view, std::vector<InputSection<E>*>> defined_in;
  for (const std::string& n : names) defined_in[n];
  for (auto& file : ctx.objs) {
    if (!file->alive) continue;
    for (size_t i = 1; i < file->symbols.size(); ++i) {
      Symbol<E>* sym = file->symbols[i];
      if (!sym || !sym->isec || (!sym->is_local && sym->file != file.get())) continue;
      if (sym->is_local && sym->type == STT_SECTION) continue;
      if (auto it = defined_in.find(sym->name); it != defined_in.end()) it->second.push_back(sym->isec);
    }
  }
  std::unordered_map<InputSection<E>*, size_t> priority;
  for (size_t k = 0; k < names.size(); ++k) {
    const auto& where = defined_in[names[k]];
    if (where.empty() && ctx.opts.warn_symbol_ordering)
      ctx.warn(path, "symbol ordering file: no such symbol: " + names[k]);
    for (InputSection<E>* isec : where) priority.try_emplace(isec, k);
  }
  for (OutputSection<E>* osec : ctx.output_sections)
    std::stable_sort(osec->members.begin(), osec->members.end(), [&](InputSection<E>* a, InputSection<E>* b) {
      auto pa = priority.find(a), pb = priority.find(b);
      size_t x = pa == priority.end() ? SIZE_MAX : pa->second, y = pb == priority.end() ? SIZE_MAX : pb->second;
      return x < y;
    });
}

}  // namespace

std::string_view output_section_name(std::string_view name, uint64_t flags) {
  if (!(flags & SHF_ALLOC)) return name;
  if (is_ctors(name)) return ".init_array";
  if (is_dtors(name)) return ".fini_array";
  static const std::string_view prefixes[] = {
      ".text", ".data.rel.ro", ".data", ".rodata", ".bss.rel.ro", ".bss", ".gcc_except_table",
      ".init_array", ".fini_array", ".preinit_array", ".tbss", ".tdata",
      ".ldata", ".lrodata", ".lbss", ".tm_clone_table"};
  for (std::string_view p : prefixes)
    if (name == p || (name.starts_with(p) && name.size() > p.size() && name[p.size()] == '.'))
      return p;
  return name;
}

template <typename E>
SectionFragment* MergedSection<E>::insert(std::string_view bytes, uint64_t align) {
  if (!deduplicate) {
    SectionFragment& f = fragments.emplace_back();
    f.owner = this;
    order.push_back({bytes, &f});
    piece_align.push_back(align);
    this->shdr.addralign = std::max(this->shdr.addralign, align);
    return &f;
  }
  auto [it, inserted] = map.try_emplace(bytes, nullptr);
  if (inserted) {
    SectionFragment& f = fragments.emplace_back();
    f.owner = this;
    it->second = &f;
    order.push_back({bytes, &f});
    piece_align.push_back(align);
  }
  this->shdr.addralign = std::max(this->shdr.addralign, align);
  return it->second;
}

template <typename E>
void MergedSection<E>::compute_size(Context<E>& ctx) {
  std::vector<bool> placed(order.size(), false);
  bool tail_merge = ctx.opts.optimize >= 2 && (this->shdr.flags & SHF_STRINGS) && this->shdr.entsize == 1;
  // -O2: a string that ends another ("bar" in "foobar") shares its bytes.
  // Sorted by reversed contents, each string's suffixes follow it.
  std::vector<size_t> by_tail;
  if (tail_merge) {
    for (size_t i = 0; i < order.size(); ++i)
      if (piece_align[i] == 1) by_tail.push_back(i);
    std::sort(by_tail.begin(), by_tail.end(), [&](size_t a, size_t b) {
      std::string_view x = order[a].first, y = order[b].first;
      return std::lexicographical_compare(y.rbegin(), y.rend(), x.rbegin(), x.rend());
    });
  }
  uint64_t off = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    if (tail_merge && piece_align[i] == 1) continue;  // placed below
    off = align_up(off, piece_align[i]);
    order[i].second->offset = off;
    off += order[i].first.size();
  }
  size_t host = SIZE_MAX;
  for (size_t i : by_tail) {
    std::string_view s = order[i].first;
    if (host != SIZE_MAX) {
      std::string_view h = order[host].first;
      if (h.size() >= s.size() && h.substr(h.size() - s.size()) == s) {
        order[i].second->offset = order[host].second->offset + (h.size() - s.size());
        continue;
      }
    }
    order[i].second->offset = off;
    off += s.size();
    host = i;
  }
  this->shdr.size = off;
}

template <typename E>
void MergedSection<E>::write(Context<E>&, uint8_t* out) {
  for (auto& [bytes, frag] : order) std::memcpy(out + frag->offset, bytes.data(), bytes.size());
}

template <typename E>
void OutputSection<E>::compute_size(Context<E>& ctx) {
  uint64_t off = 0;
  for (InputSection<E>* isec : members) {
    off = align_up(off, isec->align);
    isec->offset = off;
    off += isec->size;
    this->shdr.addralign = std::max(this->shdr.addralign, isec->align);
  }
  for (MergedSection<E>* ms : embedded) {
    ms->compute_size(ctx);
    off = align_up(off, ms->shdr.addralign);
    ms->parent_offset = off;
    off += ms->shdr.size;
    this->shdr.addralign = std::max(this->shdr.addralign, ms->shdr.addralign);
  }
  this->shdr.size = off;
}

template <typename E>
void OutputSection<E>::write(Context<E>& ctx, uint8_t* out) {
  if (this->shdr.type == SHT_NOBITS) return;
  for (InputSection<E>* isec : members) {
    if (isec->shdr.type == SHT_NOBITS) continue;
    uint8_t* dst = out + isec->offset;
    std::memcpy(dst, isec->data.data(), isec->size);
    apply_relocs(ctx, *isec, isec->rels, 0, dst, this->shdr.addr + isec->offset);
  }
  for (MergedSection<E>* ms : embedded) ms->write(ctx, out + ms->parent_offset);
}

template <typename E>
void create_output_sections(Context<E>& ctx) {
  std::unordered_map<std::string, OutputSection<E>*> by_key;
  std::map<std::string, MergedSection<E>*> merged_by_key;
  for (auto& file : ctx.objs) {
    if (!file->alive) continue;
    for (auto& isec : file->sections) {
      if (!isec || !isec->alive || isec->is_eh_frame) continue;
      std::string_view name = output_section_name(isec->name, isec->shdr.flags);
      const elf::Shdr& h = isec->shdr;
      if ((h.flags & SHF_MERGE) && h.entsize > 0 && h.size % h.entsize == 0 && !isec->rels.size()) {
        std::string key = std::string(name) + "\x01" + std::to_string(h.flags & (kKeptFlags | SHF_STRINGS)) +
                          "\x01" + std::to_string(h.entsize);
        MergedSection<E>*& ms = merged_by_key[key];
        if (!ms) {
          auto m = std::make_unique<MergedSection<E>>();
          m->name = std::string(name);
          m->shdr.type = h.type;
          m->shdr.flags = h.flags & (kKeptFlags | SHF_MERGE | SHF_STRINGS);
          m->shdr.entsize = h.entsize;
          // ld.lld's -O0: strings are not merged (each input keeps its copy).
          m->deduplicate = ctx.opts.optimize >= 1 || !(h.flags & SHF_STRINGS);
          m->shdr.addralign = 1;
          ms = ctx.make_chunk(std::move(m));
          ctx.merged_sections.push_back(ms);
        }
        (void)split_mergeable(ctx, *file, *isec, ms);
        continue;
      }
      // Whatever type the input gave an .init_array (or .ctors), the output
      // has one section of the array type.
      // The arrays are writable (they hold relocated pointers) even when an
      // input's is not: clang -fno-pie puts a const pointer in an "a"
      // .init_array. Two output arrays would make the loader run only one.
      elf::Shdr as = h;
      if (name == ".init_array") as.type = SHT_INIT_ARRAY;
      if (name == ".fini_array") as.type = SHT_FINI_ARRAY;
      if (name == ".preinit_array") as.type = SHT_PREINIT_ARRAY;
      if (as.type == SHT_INIT_ARRAY || as.type == SHT_FINI_ARRAY || as.type == SHT_PREINIT_ARRAY)
        as.flags = (as.flags | SHF_ALLOC | SHF_WRITE) & ~uint64_t(SHF_EXECINSTR);
      OutputSection<E>* osec = find_or_create(ctx, name, as, by_key);
      if (osec->shdr.type == SHT_NOBITS && h.type != SHT_NOBITS) osec->shdr.type = SHT_PROGBITS;
      osec->members.push_back(isec.get());
      isec->osec = osec;
    }
  }
  if (ctx.opts.symbol_ordering_file) order_by_symbol_file(ctx);
  // Constructors and destructors run in priority order.
  for (OutputSection<E>* osec : ctx.output_sections) {
    if (osec->name == ".init_array" || osec->name == ".fini_array" || osec->name == ".preinit_array")
      std::stable_sort(osec->members.begin(), osec->members.end(),
                       [](const InputSection<E>* a, const InputSection<E>* b) {
                         return init_priority(a->name) < init_priority(b->name);
                       });
  }
  // A merged section whose name matches an output section goes inside it, so
  // the output has one .rodata (as ld's output does).
  // Merged sections with no such output section (.rodata.cst4 and
  // .rodata.str1.1 with no plain .rodata) get one to share, so the output
  // never has two sections of the same name.
  for (MergedSection<E>* ms : ctx.merged_sections) {
    for (OutputSection<E>* osec : ctx.output_sections)
      if (osec->name == ms->name && (osec->shdr.flags & kKeptFlags) == (ms->shdr.flags & kKeptFlags) &&
          osec->shdr.type == SHT_PROGBITS) {
        osec->embedded.push_back(ms);
        ms->parent = osec;
        break;
      }
    if (ms->parent) continue;
    elf::Shdr h;
    h.type = SHT_PROGBITS;
    h.flags = ms->shdr.flags & kKeptFlags;
    OutputSection<E>* host = find_or_create(ctx, ms->name, h, by_key);
    host->embedded.push_back(ms);
    ms->parent = host;
  }
}

template <typename E>
std::pair<SectionFragment*, uint64_t> ObjectFile<E>::fragment_at(uint32_t shndx, uint64_t offset) const {
  auto it = merge_inputs.find(shndx);
  if (it == merge_inputs.end() || it->second.piece_offsets.empty()) return {nullptr, 0};
  const auto& offs = it->second.piece_offsets;
  auto up = std::upper_bound(offs.begin(), offs.end(), offset);
  if (up == offs.begin()) return {nullptr, 0};
  size_t i = up - offs.begin() - 1;
  return {it->second.pieces[i], offset - offs[i]};
}

template <typename E>
void resolve_fragments(Context<E>& ctx) {
  auto fix = [&](ObjectFile<E>& file, Symbol<E>& sym, const elf::Sym& es) {
    if (es.shndx == SHN_UNDEF || es.shndx >= SHN_LORESERVE) return;
    if (ELF64_ST_TYPE(es.info) == STT_SECTION) return;  // resolved per relocation (value + addend)
    if (!file.merge_inputs.count(es.shndx)) return;
    auto [frag, inner] = file.fragment_at(es.shndx, es.value);
    if (!frag) return;
    sym.frag = frag;
    sym.isec = nullptr;
    sym.value = inner;
  };
  for (auto& file : ctx.objs) {
    if (!file->alive || file->merge_inputs.empty()) continue;
    for (size_t i = 0; i < file->esyms.size(); ++i) {
      Symbol<E>* sym = file->symbols[i];
      if (!sym || (!sym->is_local && sym->file != file.get())) continue;
      if (!sym->is_local && sym->state != SymbolState::defined) continue;
      fix(*file, *sym, file->esyms[i]);
    }
  }
}

template <typename E>
void allocate_commons(Context<E>& ctx) {
  ObjectFile<E>* holder = nullptr;
  for (auto& [name, sym] : ctx.symbol_map) {
    if (sym->state != SymbolState::common) continue;
    if (!holder) {
      auto f = std::make_unique<ObjectFile<E>>();
      f->name = "<common>";
      f->alive = true;
      holder = f.get();
      ctx.objs.push_back(std::move(f));
    }
    auto isec = std::make_unique<InputSection<E>>();
    isec->file = holder;
    isec->name = ".bss";
    isec->shdr.type = SHT_NOBITS;
    isec->shdr.flags = SHF_ALLOC | SHF_WRITE;
    isec->size = sym->size;
    isec->align = std::max<uint64_t>(sym->value, 1);
    if (isec->align & (isec->align - 1)) isec->align = 16;
    isec->shdr.size = sym->size;
    isec->shdr.addralign = isec->align;
    sym->state = SymbolState::defined;
    sym->isec = isec.get();
    sym->value = 0;
    holder->sections.push_back(std::move(isec));
  }
}

template <typename E>
uint64_t InputSection<E>::address() const {
  return osec ? osec->shdr.addr + offset : 0;
}

template <typename E>
std::string InputSection<E>::location(uint64_t off) const {
  return file->name + ":(" + std::string(name) + "+" + elf::hex(off) + ")";
}

template <typename E>
std::string_view InputSection<E>::function_at(uint64_t off) const {
  for (size_t i = 1; i < file->symbols.size() && i < file->esyms.size(); ++i) {
    const Symbol<E>* s = file->symbols[i];
    const elf::Sym& es = file->esyms[i];
    if (!s || es.shndx != shndx || ELF64_ST_TYPE(es.info) != STT_FUNC) continue;
    if (es.value <= off && off < es.value + es.size) return s->name;
  }
  return {};
}

template struct MergedSection<X86_64>;
template struct OutputSection<X86_64>;
template struct InputSection<X86_64>;
template struct ObjectFile<X86_64>;
template void create_output_sections(Context<X86_64>&);
template void resolve_fragments(Context<X86_64>&);
template void allocate_commons(Context<X86_64>&);

}  // namespace linkbox::link
