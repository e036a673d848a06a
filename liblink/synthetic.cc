#include "liblink/synthetic.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "libelf/elf-rehash.h"
#include "libformat/hash.h"
#include "liblink/arch.h"
#include "liblink/eh-frame-records.h"
#include "liblink/emit-relocs.h"
#include "liblink/output-sections.h"


namespace linkbox::link {
namespace {

template <typename E>
void init(Chunk<E>& c, const char* name, uint32_t type, uint64_t flags, uint64_t align, uint64_t entsize = 0) {
  c.name = name;
  c.shdr.type = type;
  c.shdr.flags = flags;
  c.shdr.addralign = align;
  c.shdr.entsize = entsize;
}

// An Elf64_Rela, or with -z rel an Elf64_Rel: its addend is already in the
// relocated place (the linker always writes it there).
void write_dyn_reloc(uint8_t* p, const DynReloc& r, bool rela) {
  store_le<uint64_t>(p, r.offset);
  store_le<uint64_t>(p + 8, (uint64_t(r.dynsym) << 32) | r.type);
  if (rela) store_le<uint64_t>(p + 16, static_cast<uint64_t>(r.addend));
}

// -z rel: .rel.dyn and .rel.plt instead of .rela.*.
template <typename E>
void use_rel_format(Chunk<E>& c, const char* name) {
  c.name = name;
  c.shdr.type = SHT_REL;
  c.shdr.entsize = 16;
}

// The output section index a defined symbol lives in.
template <typename E>
uint16_t output_shndx(const Context<E>& ctx, const Symbol<E>& sym) {
  (void)ctx;
  if (sym.frag) {
    auto* ms = static_cast<const MergedSection<E>*>(sym.frag->owner);
    return static_cast<uint16_t>(ms->parent ? ms->parent->shndx : ms->shndx);
  }
  if (sym.isec) {
    if (sym.isec->is_eh_frame) return static_cast<uint16_t>(ctx.syn->ehframe->shndx);
    return sym.isec->osec ? static_cast<uint16_t>(sym.isec->osec->shndx) : SHN_UNDEF;
  }
  if (sym.chunk) return static_cast<uint16_t>(sym.chunk->shndx ? sym.chunk->shndx : SHN_ABS);
  return SHN_ABS;
}

}  // namespace

// ---------------------------------------------------------------- addresses

template <typename E>
uint64_t symbol_raw_address(const Context<E>& ctx, const Symbol<E>& sym) {
  if (sym.frag) {
    auto* ms = static_cast<const MergedSection<E>*>(sym.frag->owner);
    return ms->address() + sym.frag->offset + sym.value;
  }
  if (sym.isec) {
    if (sym.isec->is_eh_frame) return ctx.syn->ehframe->shdr.addr + sym.isec->offset + sym.value;
    if (!sym.isec->alive || !sym.isec->osec) return 0;
    return sym.isec->address() + sym.value;
  }
  if (sym.chunk) return sym.chunk->shdr.addr + sym.value;
  if (sym.is_shared()) {
    if (sym.needs & NEEDS_COPY)
      return (sym.copy_readonly ? ctx.syn->copyrel_relro : ctx.syn->copyrel)->shdr.addr + sym.copy_offset;
    return 0;
  }
  if (sym.state == SymbolState::defined) return sym.value;
  return 0;
}

template <typename E>
uint64_t symbol_address(const Context<E>& ctx, const Symbol<E>& sym) {
  // A canonical PLT entry stands for the function wherever its address is taken.
  if ((sym.needs & NEEDS_CPLT) && sym.plt_idx >= 0) return ctx.syn->plt->entry_address(sym.plt_idx);
  return symbol_raw_address(ctx, sym);
}

template <typename E>
bool is_preemptible(const Context<E>& ctx, const Symbol<E>& sym) {
  // An executable's own definitions always win; only imports can be preempted.
  if (sym.is_shared()) return true;
  if (sym.is_local || sym.linker_defined) return false;
  // What nothing defines in a dynamic executable (only possible under
  // --unresolved-symbols=ignore-*) is left to ld.so, as ld.lld leaves it: a
  // library loaded at run time may define it. An undefined weak symbol stays 0.
  if (!ctx.shared)
    return sym.is_undefined() && sym.strong_ref && sym.visibility == STV_DEFAULT && ctx.dynamic && !ctx.is_static;
  // In a shared object, a default-visibility definition can be interposed
  // by the executable or an earlier library, and an undefined symbol is
  // resolved by ld.so.
  if (sym.visibility != STV_DEFAULT) return false;
  if (sym.is_undefined()) return true;
  if (!sym.is_defined() || sym.is_absolute() || sym.out_version == 0) return false;
  // lld's rules: a dynamic list names the only preemptible definitions;
  // --export-dynamic-symbol keeps its matches preemptible under -Bsymbolic.
  if (ctx.has_dynamic_list) return sym.in_dynamic_list;
  bool function = sym.type == STT_FUNC || sym.type == STT_GNU_IFUNC;
  switch (ctx.opts.symbolic) {
    case Symbolic::none: return true;
    case Symbolic::all: return sym.in_dynamic_list;
    case Symbolic::functions: return !function || sym.in_dynamic_list;
    case Symbolic::non_weak_functions: return !(function && !sym.weak) || sym.in_dynamic_list;
  }
  return true;
}

// ---------------------------------------------------------------- headers

template <typename E> EhdrChunk<E>::EhdrChunk() {
  init(*this, "", SHT_NULL, SHF_ALLOC, 8);
  this->is_header = true;
  this->shdr.size = 64;
}

template <typename E> void EhdrChunk<E>::write(Context<E>& ctx, uint8_t* out) {
  elf::Ehdr h;
  std::memcpy(h.ident, ELFMAG, SELFMAG);
  h.ident[EI_CLASS] = ELFCLASS64;
  h.ident[EI_DATA] = ELFDATA2LSB;
  h.ident[EI_VERSION] = EV_CURRENT;
  h.ident[EI_OSABI] = ctx.uses_gnu_osabi ? ELFOSABI_GNU : ELFOSABI_NONE;
  h.type = ctx.pie ? ET_DYN : ET_EXEC;
  h.machine = E::e_machine;
  h.version = EV_CURRENT;
  h.entry = ctx.entry ? symbol_address(ctx, *ctx.entry) : 0;
  h.phoff = ctx.syn->phdr->shdr.offset;
  h.shoff = ctx.shoff;
  h.ehsize = 64;
  h.phentsize = 56;
  h.phnum = static_cast<uint16_t>(ctx.segments.size());
  h.shentsize = 64;
  h.shnum = static_cast<uint16_t>(ctx.shnum);
  h.shstrndx = static_cast<uint16_t>(ctx.syn->shstrtab->shndx);
  elf::Codec(true, ByteOrder::little).write_ehdr(out, h);
}

template <typename E> PhdrChunk<E>::PhdrChunk() {
  init(*this, "", SHT_NULL, SHF_ALLOC, 8);
  this->is_header = true;
}

template <typename E> void PhdrChunk<E>::write(Context<E>& ctx, uint8_t* out) {
  elf::Codec c(true, ByteOrder::little);
  for (size_t i = 0; i < ctx.segments.size(); ++i) c.write_phdr(out + i * 56, ctx.segments[i].phdr);
}

template <typename E> InterpSection<E>::InterpSection() { init(*this, ".interp", SHT_PROGBITS, SHF_ALLOC, 1); }

template <typename E> void InterpSection<E>::compute_size(Context<E>& ctx) {
  this->shdr.size = ctx.interp_path.size() + 1;
}

template <typename E> void InterpSection<E>::write(Context<E>& ctx, uint8_t* out) {
  std::memcpy(out, ctx.interp_path.c_str(), ctx.interp_path.size() + 1);
}

// ---------------------------------------------------------------- GOT / PLT

template <typename E> GotSection<E>::GotSection() {
  init(*this, ".got", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, E::word_size, E::word_size);
  this->relro = true;
}

template <typename E> uint32_t GotSection<E>::add(GotKind kind, Symbol<E>* sym) {
  uint32_t slot = slots;
  entries.push_back({kind, sym});
  slot_of_entry.push_back(slot);
  slots += (kind == GotKind::tls_module || kind == GotKind::tls_desc) ? 2 : 1;
  return slot;
}

// What each GOT entry holds, and which dynamic relocations fill it in. The
// count (before addresses are known) and the write make the same choices.
template <typename E>
struct GotPlan {
  struct Slot {
    bool dynamic = false;  // a dynamic relocation fills it
    uint32_t type = 0;
    bool with_symbol = false;
    uint64_t value = 0;    // the static contents, or the relocation's addend
  };
  Slot slots[2];
  int count = 1;
};

template <typename E>
GotPlan<E> plan_got_entry(const Context<E>& ctx, const GotEntry<E>& e, bool addresses_known) {
  GotPlan<E> p;
  Symbol<E>* sym = e.sym;
  bool dyn = sym && sym->dynsym_idx > 0 && (is_preemptible(ctx, *sym) || sym->is_undefined());
  auto tls_offset = [&]() { return addresses_known ? symbol_address(ctx, *sym) - ctx.tls_begin : 0; };
  switch (e.kind) {
    case GotKind::address:
      if (dyn) {
        p.slots[0] = {true, E::R_GLOB_DAT, true, 0};
      } else {
        uint64_t v = addresses_known ? symbol_address(ctx, *sym) : 0;
        bool relative = ctx.pie && !sym->is_absolute() && !sym->is_undefined();
        p.slots[0] = {relative, E::R_RELATIVE, false, v};
      }
      break;
    case GotKind::tp_offset:
      if (dyn) p.slots[0] = {true, E::R_TPOFF, true, 0};
      else if (ctx.shared) p.slots[0] = {true, E::R_TPOFF, false, tls_offset()};
      else p.slots[0] = {false, 0, false, addresses_known ? symbol_address(ctx, *sym) - ctx.tp_addr : 0};
      break;
    case GotKind::tls_module:
      // A module ID and an offset in its TLS block, for __tls_get_addr. Our
      // own module's ID comes from ld.so; the offset of a local variable is
      // known now. The local-dynamic pair (no symbol) has offset 0.
      p.count = 2;
      if (dyn) {
        p.slots[0] = {true, E::R_DTPMOD, true, 0};
        p.slots[1] = {true, E::R_DTPOFF, true, 0};
      } else {
        p.slots[0] = {true, E::R_DTPMOD, false, 0};
        p.slots[1] = {false, 0, false, sym ? tls_offset() : 0};
      }
      break;
    case GotKind::tls_desc:
      p.count = 2;
      p.slots[0] = {true, E::R_TLSDESC, dyn, dyn ? 0 : tls_offset()};
      break;
  }
  return p;
}

template <typename E> uint64_t GotSection<E>::count_dyn_relocs(Context<E>& ctx) const {
  uint64_t n = 0;
  for (const GotEntry<E>& e : entries) {
    GotPlan<E> p = plan_got_entry(ctx, e, false);
    for (int k = 0; k < p.count; ++k) {
      if (!p.slots[k].dynamic) continue;
      if (p.slots[k].type == E::R_RELATIVE && ctx.syn->relrdyn) {
        ctx.syn->relrdyn->sites.push_back({nullptr, (uint64_t(slot_of_entry[&e - entries.data()]) + k) * E::word_size});
        continue;
      }
      ++n;
      if (p.slots[k].type == E::R_RELATIVE) ++ctx.syn->reladyn->relative_count;
    }
  }
  return n;
}

template <typename E> void GotSection<E>::write(Context<E>& ctx, uint8_t* out) {
  for (size_t i = 0; i < entries.size(); ++i) {
    const GotEntry<E>& e = entries[i];
    GotPlan<E> p = plan_got_entry(ctx, e, true);
    for (int k = 0; k < p.count; ++k) {
      const auto& slot = p.slots[k];
      uint64_t addr = slot_address(static_cast<int32_t>(slot_of_entry[i] + k));
      uint8_t* at = out + (uint64_t(slot_of_entry[i]) + k) * E::word_size;
      if (!slot.dynamic) {
        store_le<uint64_t>(at, slot.value);
        continue;
      }
      uint32_t dynsym = slot.with_symbol ? static_cast<uint32_t>(e.sym->dynsym_idx) : 0;
      ctx.dyn_relocs.push_back({addr, slot.type, dynsym, static_cast<int64_t>(slot.value)});
      if (ctx.opts.report_relative_relocs && slot.type == E::R_RELATIVE)
        report_relative_reloc(ctx, ctx.dyn_relocs.back(), e.sym->name, ".got",
                              e.sym->file ? e.sym->file->name : "<internal>");
      // The addend goes into the slot too, as ld.bfd does and ld.lld does
      // with --apply-dynamic-relocs: tools reading the file see the value,
      // and ld.so overwrites it anyway.
      store_le<uint64_t>(at, slot.value);
    }
  }
}

template <typename E> PltSection<E>::PltSection() {
  init(*this, ".plt", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 16, 16);
}

template <typename E> void PltSection<E>::write(Context<E>& ctx, uint8_t* out) {
  if (!symbols.empty()) write_plt<E>(ctx, out);
}

template <typename E> GotPltSection<E>::GotPltSection() {
  init(*this, ".got.plt", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, E::word_size, E::word_size);
}

template <typename E> void GotPltSection<E>::compute_size(Context<E>& ctx) {
  this->shdr.size = (E::got_plt_reserved + ctx.syn->plt->symbols.size()) * E::word_size;
}

template <typename E> void GotPltSection<E>::write(Context<E>& ctx, uint8_t* out) {
  store_le<uint64_t>(out, ctx.syn->dynamic ? ctx.syn->dynamic->shdr.addr : 0);
  const auto& plt = *ctx.syn->plt;
  for (size_t i = 0; i < plt.symbols.size(); ++i) {
    Symbol<E>* sym = plt.symbols[i];
    uint64_t v = is_preemptible(ctx, *sym) ? plt.entry_address(static_cast<int32_t>(i)) + 6
                                           : symbol_raw_address(ctx, *sym);
    store_le<uint64_t>(out + (E::got_plt_reserved + i) * E::word_size, v);
  }
}

template <typename E> RelaDynSection<E>::RelaDynSection() {
  init(*this, ".rela.dyn", SHT_RELA, SHF_ALLOC, 8, 24);
}

template <typename E> void RelaDynSection<E>::write(Context<E>& ctx, uint8_t* out) {
  auto& rs = ctx.dyn_relocs;
  if (rs.size() != count) {
    ctx.error("", "internal error: " + std::to_string(rs.size()) + " dynamic relocations written, " +
                      std::to_string(count) + " planned");
    return;
  }
  // R_RELATIVE first (DT_RELACOUNT counts them); IRELATIVE last, so that
  // resolvers run after everything they might read is relocated.
  auto rank = [](const DynReloc& r) { return r.type == E::R_RELATIVE ? 0 : r.type == E::R_IRELATIVE ? 2 : 1; };
  std::stable_sort(rs.begin(), rs.end(), [&](const DynReloc& a, const DynReloc& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    return rank(a) == 0 && a.offset < b.offset;
  });
  bool rela = this->shdr.type == SHT_RELA;
  for (size_t i = 0; i < rs.size(); ++i) write_dyn_reloc(out + i * this->shdr.entsize, rs[i], rela);
}

template <typename E> RelaPltSection<E>::RelaPltSection() {
  init(*this, ".rela.plt", SHT_RELA, SHF_ALLOC, 8, 24);
}

template <typename E> void RelaPltSection<E>::compute_size(Context<E>& ctx) {
  this->shdr.size = ctx.syn->plt->symbols.size() * this->shdr.entsize;
}

template <typename E> void RelaPltSection<E>::write(Context<E>& ctx, uint8_t* out) {
  const auto& plt = *ctx.syn->plt;
  for (size_t i = 0; i < plt.symbols.size(); ++i) {
    Symbol<E>* sym = plt.symbols[i];
    uint64_t slot = ctx.syn->gotplt->slot_address(static_cast<int32_t>(i));
    DynReloc r = is_preemptible(ctx, *sym)
                     ? DynReloc{slot, E::R_JUMP_SLOT, static_cast<uint32_t>(sym->dynsym_idx), 0}
                     : DynReloc{slot, E::R_IRELATIVE, 0, static_cast<int64_t>(symbol_raw_address(ctx, *sym))};
    write_dyn_reloc(out + i * this->shdr.entsize, r, this->shdr.type == SHT_RELA);
  }
}

// ---------------------------------------------------------------- dynamic symbols

template <typename E> DynstrSection<E>::DynstrSection() { init(*this, ".dynstr", SHT_STRTAB, SHF_ALLOC, 1); }

template <typename E> uint32_t DynstrSection<E>::add(std::string_view s) {
  if (s.empty()) return 0;
  auto [it, inserted] = offsets.try_emplace(std::string(s), static_cast<uint32_t>(data.size()));
  if (inserted) {
    data += s;
    data += '\0';
  }
  return it->second;
}

template <typename E> void DynstrSection<E>::write(Context<E>&, uint8_t* out) {
  std::memcpy(out, data.data(), data.size());
}

template <typename E> DynsymSection<E>::DynsymSection() {
  init(*this, ".dynsym", SHT_DYNSYM, SHF_ALLOC, 8, 24);
  this->shdr.info = 1;
}

template <typename E> void DynsymSection<E>::finalize(Context<E>& ctx) {
  std::vector<Symbol<E>*> undefs, defs;
  auto add = [&](Symbol<E>* s) {
    if (s->dynsym_idx == 0) return;
    s->dynsym_idx = 0;  // marks "taken" until the real index is known
    (s->is_defined() && !(s->is_shared()) ? defs : undefs).push_back(s);
  };
  for (Symbol<E>* s : ctx.needy)
    if ((s->needs & NEEDS_DYNSYM) && !s->is_local) add(s);
  std::vector<Symbol<E>*> exported;
  for (auto& [name, s] : ctx.symbol_map)
    if (s->exported && s->is_defined()) exported.push_back(s);
  std::sort(exported.begin(), exported.end(), [](auto* a, auto* b) { return a->name < b->name; });
  for (Symbol<E>* s : exported) add(s);
  // Copy-relocated imports and canonical PLT entries are definitions as far
  // as ld.so is concerned (other modules must bind to them), so .gnu.hash
  // must cover them.
  auto defines = [](Symbol<E>* s) { return (s->needs & (NEEDS_COPY | NEEDS_CPLT)) != 0; };
  std::vector<Symbol<E>*> hashed;
  for (Symbol<E>* s : undefs)
    if (defines(s)) hashed.push_back(s);
  undefs.erase(std::remove_if(undefs.begin(), undefs.end(), defines), undefs.end());
  hashed.insert(hashed.end(), defs.begin(), defs.end());
  // .gnu.hash wants the hashed symbols grouped by bucket.
  auto* gh = ctx.syn->gnuhash;
  if (gh) {
    gh->nbuckets = std::max<uint32_t>(static_cast<uint32_t>(hashed.size() / 4), 1);
    uint32_t bits = static_cast<uint32_t>(hashed.size()) * 12;
    uint32_t words = 1;
    while (words * 64 < bits) words *= 2;
    gh->bloom_words = words;
    std::stable_sort(hashed.begin(), hashed.end(), [&](Symbol<E>* a, Symbol<E>* b) {
      return elf::gnu_hash(a->dynamic_name()) % gh->nbuckets < elf::gnu_hash(b->dynamic_name()) % gh->nbuckets;
    });
  }
  symbols.assign(1, nullptr);
  name_offsets.assign(1, 0);
  for (Symbol<E>* s : undefs) symbols.push_back(s);
  first_defined = static_cast<uint32_t>(symbols.size());
  for (Symbol<E>* s : hashed) symbols.push_back(s);
  for (size_t i = 1; i < symbols.size(); ++i) {
    symbols[i]->dynsym_idx = static_cast<int32_t>(i);
    name_offsets.push_back(ctx.syn->dynstr->add(symbols[i]->dynamic_name()));
  }
}

template <typename E> void DynsymSection<E>::write(Context<E>& ctx, uint8_t* out) {
  elf::Codec c(true, ByteOrder::little);
  for (size_t i = 1; i < symbols.size(); ++i) {
    const Symbol<E>& s = *symbols[i];
    elf::Sym es;
    es.name = name_offsets[i];
    // An imported IFUNC is a plain function to this module (ld.so resolves
    // it in the library that defines it), as is a canonical PLT entry.
    uint8_t type = s.type == STT_GNU_IFUNC && ((s.needs & NEEDS_CPLT) || !s.is_defined()) ? STT_FUNC : s.type;
    // An import is weak when every reference to it is.
    bool weak = s.is_defined() ? s.weak : !s.strong_ref;
    es.info = ELF64_ST_INFO(weak ? STB_WEAK : STB_GLOBAL, type);
    es.other = s.visibility;
    es.size = s.size;
    if (s.is_shared() && (s.needs & NEEDS_COPY)) {
      es.shndx = static_cast<uint16_t>((s.copy_readonly ? ctx.syn->copyrel_relro : ctx.syn->copyrel)->shndx);
      es.value = symbol_address(ctx, s);
      es.info = ELF64_ST_INFO(STB_GLOBAL, type);
    } else if (s.is_shared() || s.is_undefined()) {
      es.shndx = SHN_UNDEF;
      es.value = (s.needs & NEEDS_CPLT) && s.plt_idx >= 0 ? symbol_address(ctx, s) : 0;
      if (s.is_undefined()) es.size = 0;
    } else {
      es.shndx = output_shndx(ctx, s);
      es.value = symbol_address(ctx, s);
      if ((s.needs & NEEDS_CPLT) && s.plt_idx >= 0) {
        // The canonical PLT entry is what other modules bind to: it is in .plt.
        es.shndx = static_cast<uint16_t>(ctx.syn->plt->shndx);
        es.size = 0;
      }
      if (s.type == STT_TLS) es.value -= ctx.tls_begin;  // ld.so adds st_value to the module's TLS block
    }
    c.write_sym(out + i * 24, es);
  }
}

template <typename E> HashSection<E>::HashSection() { init(*this, ".hash", SHT_HASH, SHF_ALLOC, 8, 4); }

template <typename E> void HashSection<E>::compute_size(Context<E>& ctx) {
  uint64_t n = ctx.syn->dynsym->symbols.size();
  this->shdr.size = (2 + n + n) * 4;
}

template <typename E> void HashSection<E>::write(Context<E>& ctx, uint8_t* out) {
  const auto& syms = ctx.syn->dynsym->symbols;
  uint32_t n = static_cast<uint32_t>(syms.size());
  store_le<uint32_t>(out, n);
  store_le<uint32_t>(out + 4, n);
  uint8_t* buckets = out + 8;
  uint8_t* chains = buckets + n * 4;
  std::vector<uint32_t> b(n, 0), ch(n, 0);
  for (uint32_t i = 1; i < n; ++i) {
    uint32_t h = elf::sysv_hash(syms[i]->dynamic_name()) % n;
    ch[i] = b[h];
    b[h] = i;
  }
  for (uint32_t i = 0; i < n; ++i) {
    store_le<uint32_t>(buckets + i * 4, b[i]);
    store_le<uint32_t>(chains + i * 4, ch[i]);
  }
}

template <typename E> GnuHashSection<E>::GnuHashSection() {
  init(*this, ".gnu.hash", SHT_GNU_HASH, SHF_ALLOC, 8);
}

template <typename E> void GnuHashSection<E>::compute_size(Context<E>& ctx) {
  const auto& ds = *ctx.syn->dynsym;
  uint64_t hashed = ds.symbols.size() - ds.first_defined;
  this->shdr.size = 16 + bloom_words * 8 + nbuckets * 4 + hashed * 4;
}

template <typename E> void GnuHashSection<E>::write(Context<E>& ctx, uint8_t* out) {
  const auto& ds = *ctx.syn->dynsym;
  uint32_t first = ds.first_defined;
  uint32_t n = static_cast<uint32_t>(ds.symbols.size());
  store_le<uint32_t>(out, nbuckets);
  store_le<uint32_t>(out + 4, first);
  store_le<uint32_t>(out + 8, bloom_words);
  store_le<uint32_t>(out + 12, bloom_shift);
  uint8_t* bloom = out + 16;
  uint8_t* buckets = bloom + bloom_words * 8;
  uint8_t* chain = buckets + nbuckets * 4;
  std::vector<uint64_t> words(bloom_words, 0);
  std::vector<uint32_t> hashes(n, 0);
  for (uint32_t i = first; i < n; ++i) {
    uint32_t h = elf::gnu_hash(ds.symbols[i]->dynamic_name());
    hashes[i] = h;
    words[(h / 64) % bloom_words] |= (uint64_t(1) << (h % 64)) | (uint64_t(1) << ((h >> bloom_shift) % 64));
  }
  for (uint32_t w = 0; w < bloom_words; ++w) store_le<uint64_t>(bloom + w * 8, words[w]);
  for (uint32_t i = first; i < n; ++i) {
    uint32_t b = hashes[i] % nbuckets;
    uint8_t* bp = buckets + b * 4;
    uint32_t cur;
    std::memcpy(&cur, bp, 4);
    if (cur == 0) store_le<uint32_t>(bp, i);
    bool last = i + 1 == n || hashes[i + 1] % nbuckets != b;
    store_le<uint32_t>(chain + (i - first) * 4, (hashes[i] & ~1u) | (last ? 1 : 0));
  }
}

template <typename E> VersymSection<E>::VersymSection() {
  init(*this, ".gnu.version", SHT_GNU_versym, SHF_ALLOC, 2, 2);
}

template <typename E> void VersymSection<E>::compute_size(Context<E>& ctx) {
  bool versioned = ctx.syn->verneed->count || ctx.has_version_definitions;
  this->shdr.size = versioned ? ctx.syn->dynsym->symbols.size() * 2 : 0;
}

template <typename E> void VersymSection<E>::write(Context<E>& ctx, uint8_t* out) {
  const auto& syms = ctx.syn->dynsym->symbols;
  for (size_t i = 0; i < syms.size(); ++i)
    store_le<uint16_t>(out + i * 2, i == 0 ? 0 : i < versions.size() ? versions[i] : 1);
}

template <typename E> VerneedSection<E>::VerneedSection() {
  init(*this, ".gnu.version_r", SHT_GNU_verneed, SHF_ALLOC, 8);
}

template <typename E> void VerneedSection<E>::finalize(Context<E>& ctx) {
  const auto& syms = ctx.syn->dynsym->symbols;
  auto& versions = ctx.syn->versym->versions;
  versions.assign(syms.size(), 1);
  for (size_t i = 1; i < syms.size(); ++i)
    if (syms[i]->is_defined())
      versions[i] = static_cast<uint16_t>(syms[i]->out_version | (syms[i]->out_version_hidden ? 0x8000 : 0));
  // (DSO, its version index) -> our index, in first-use order per DSO. Our
  // own version definitions come first (1 is the file itself).
  std::vector<std::pair<SharedFile<E>*, std::vector<uint16_t>>> per_dso;
  std::map<std::pair<SharedFile<E>*, uint16_t>, uint16_t> index;
  uint16_t next = ctx.has_version_definitions ? static_cast<uint16_t>(ctx.version_names.size() + 2) : 2;
  for (size_t i = 1; i < syms.size(); ++i) {
    Symbol<E>* s = syms[i];
    if (!s->is_shared() || s->dso_version < 2) continue;
    auto* dso = static_cast<SharedFile<E>*>(s->file);
    if (s->dso_version >= dso->version_names.size() || dso->version_names[s->dso_version].empty()) continue;
    auto key = std::make_pair(dso, s->dso_version);
    auto it = index.find(key);
    if (it == index.end()) {
      it = index.emplace(key, next++).first;
      auto d = std::find_if(per_dso.begin(), per_dso.end(), [&](auto& p) { return p.first == dso; });
      if (d == per_dso.end()) per_dso.push_back({dso, {}}), d = per_dso.end() - 1;
      d->second.push_back(s->dso_version);
    }
    versions[i] = it->second;
  }
  // -z pack-relative-relocs: like ld.lld, need glibc's GLIBC_ABI_DT_RELR, so
  // that a glibc too old to read DT_RELR refuses the file instead of running
  // it unrelocated.
  if (ctx.opts.relr_glibc_version && ctx.syn->relrdyn && !ctx.syn->relrdyn->sites.empty())
    for (auto& dso : ctx.dsos) {
      if (!dso->needed || dso->soname != "libc.so.6") continue;
      auto v = std::find(dso->version_names.begin(), dso->version_names.end(), "GLIBC_ABI_DT_RELR");
      if (v == dso->version_names.end()) continue;
      auto key = std::make_pair(dso.get(), static_cast<uint16_t>(v - dso->version_names.begin()));
      if (index.count(key)) continue;
      index.emplace(key, next++);
      auto d = std::find_if(per_dso.begin(), per_dso.end(), [&](auto& p) { return p.first == dso.get(); });
      if (d == per_dso.end()) per_dso.push_back({dso.get(), {}}), d = per_dso.end() - 1;
      d->second.push_back(key.second);
    }
  contents.clear();
  count = static_cast<uint32_t>(per_dso.size());
  for (size_t k = 0; k < per_dso.size(); ++k) {
    auto& [dso, vers] = per_dso[k];
    size_t at = contents.size();
    contents.resize(at + 16 + vers.size() * 16);
    uint8_t* p = contents.data() + at;
    store_le<uint16_t>(p, 1);
    store_le<uint16_t>(p + 2, static_cast<uint16_t>(vers.size()));
    store_le<uint32_t>(p + 4, ctx.syn->dynstr->add(dso->soname));
    store_le<uint32_t>(p + 8, 16);
    store_le<uint32_t>(p + 12, k + 1 == per_dso.size() ? 0 : static_cast<uint32_t>(16 + vers.size() * 16));
    for (size_t j = 0; j < vers.size(); ++j) {
      uint8_t* a = p + 16 + j * 16;
      const std::string& name = dso->version_names[vers[j]];
      store_le<uint32_t>(a, elf::sysv_hash(name));
      store_le<uint16_t>(a + 4, 0);
      store_le<uint16_t>(a + 6, index[{dso, vers[j]}]);
      store_le<uint32_t>(a + 8, ctx.syn->dynstr->add(name));
      store_le<uint32_t>(a + 12, j + 1 == vers.size() ? 0 : 16);
    }
  }
  this->shdr.info = count;
}


template <typename E> VerdefSection<E>::VerdefSection() {
  init(*this, ".gnu.version_d", SHT_GNU_verdef, SHF_ALLOC, 4);
}

// One Elf64_Verdef per version, each with one Verdaux: its name. Index 1 is
// the file itself. As in ld.lld, a version that inherits another (V2 {...}
// V1;) does not list its parent in a second Verdaux as GNU ld does: ld.so
// never reads it, and version lookup is by name alone.
template <typename E> void VerdefSection<E>::finalize(Context<E>& ctx) {
  contents.clear();
  count = 0;
  if (!ctx.has_version_definitions) return;
  std::string base = ctx.opts.soname.value_or(ctx.opts.output.substr(ctx.opts.output.rfind('/') + 1));
  std::vector<std::string_view> names{base};
  for (const VersionNode& n : ctx.version_nodes)
    if (!n.name.empty()) names.push_back(n.name);
  constexpr size_t verdef_size = 20, verdaux_size = 8;
  contents.resize(names.size() * (verdef_size + verdaux_size));
  for (size_t k = 0; k < names.size(); ++k) {
    uint8_t* p = contents.data() + k * (verdef_size + verdaux_size);
    store_le<uint16_t>(p, 1);  // vd_version
    store_le<uint16_t>(p + 2, k == 0 ? VER_FLG_BASE : 0);
    store_le<uint16_t>(p + 4, static_cast<uint16_t>(k + 1));
    store_le<uint16_t>(p + 6, 1);  // vd_cnt: one Verdaux
    store_le<uint32_t>(p + 8, elf::sysv_hash(names[k]));
    store_le<uint32_t>(p + 12, verdef_size);
    store_le<uint32_t>(p + 16, k + 1 == names.size() ? 0 : static_cast<uint32_t>(verdef_size + verdaux_size));
    store_le<uint32_t>(p + verdef_size, ctx.syn->dynstr->add(std::string(names[k])));
    store_le<uint32_t>(p + verdef_size + 4, 0);
  }
  count = static_cast<uint32_t>(names.size());
  this->shdr.info = count;
}


// ---------------------------------------------------------------- .dynamic

template <typename E> DynamicSection<E>::DynamicSection() {
  init(*this, ".dynamic", SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, 8, 16);
  this->relro = true;
}

template <typename E>
std::vector<std::pair<int64_t, uint64_t>> DynamicSection<E>::entries(Context<E>& ctx) const {
  const Synthetics<E>& s = *ctx.syn;
  std::vector<std::pair<int64_t, uint64_t>> e;
  for (auto& dso : ctx.dsos)
    if (dso->needed) e.push_back({DT_NEEDED, s.dynstr->add(dso->soname)});
  if (ctx.opts.soname) e.push_back({DT_SONAME, s.dynstr->add(*ctx.opts.soname)});
  if (!ctx.runpath.empty()) e.push_back({ctx.opts.new_dtags ? DT_RUNPATH : DT_RPATH, s.dynstr->add(ctx.runpath)});
  auto defined = [&](const char* name) -> Symbol<E>* {
    auto it = ctx.symbol_map.find(name);
    return it != ctx.symbol_map.end() && it->second->is_defined() ? it->second : nullptr;
  };
  if (Symbol<E>* init = defined(ctx.opts.init_symbol.c_str())) e.push_back({DT_INIT, symbol_address(ctx, *init)});
  if (Symbol<E>* fini = defined(ctx.opts.fini_symbol.c_str())) e.push_back({DT_FINI, symbol_address(ctx, *fini)});
  for (OutputSection<E>* osec : ctx.output_sections) {
    if (osec->shdr.size == 0) continue;  // (not shndx: this runs before sections are numbered)
    if (osec->shdr.type == SHT_PREINIT_ARRAY)
      e.push_back({DT_PREINIT_ARRAY, osec->shdr.addr}), e.push_back({DT_PREINIT_ARRAYSZ, osec->shdr.size});
    if (osec->shdr.type == SHT_INIT_ARRAY)
      e.push_back({DT_INIT_ARRAY, osec->shdr.addr}), e.push_back({DT_INIT_ARRAYSZ, osec->shdr.size});
    if (osec->shdr.type == SHT_FINI_ARRAY)
      e.push_back({DT_FINI_ARRAY, osec->shdr.addr}), e.push_back({DT_FINI_ARRAYSZ, osec->shdr.size});
  }
  if (s.hash) e.push_back({DT_HASH, s.hash->shdr.addr});
  if (s.gnuhash) e.push_back({DT_GNU_HASH, s.gnuhash->shdr.addr});
  e.push_back({DT_STRTAB, s.dynstr->shdr.addr});
  e.push_back({DT_SYMTAB, s.dynsym->shdr.addr});
  e.push_back({DT_STRSZ, s.dynstr->data.size()});
  e.push_back({DT_SYMENT, 24});
  if (!ctx.shared) e.push_back({DT_DEBUG, 0});  // where ld.so tells debuggers about the program
  if (!s.plt->symbols.empty()) {
    e.push_back({DT_PLTGOT, s.gotplt->shdr.addr});
    e.push_back({DT_PLTRELSZ, s.relaplt->shdr.size});
    e.push_back({DT_PLTREL, ctx.opts.rel_format ? DT_REL : DT_RELA});
    e.push_back({DT_JMPREL, s.relaplt->shdr.addr});
  }
  if (s.reladyn->count && ctx.opts.rel_format) {
    e.push_back({DT_REL, s.reladyn->shdr.addr});
    e.push_back({DT_RELSZ, s.reladyn->shdr.size});
    e.push_back({DT_RELENT, 16});
    if (s.reladyn->relative_count) e.push_back({DT_RELCOUNT, s.reladyn->relative_count});
  } else if (s.reladyn->count) {
    e.push_back({DT_RELA, s.reladyn->shdr.addr});
    e.push_back({DT_RELASZ, s.reladyn->shdr.size});
    e.push_back({DT_RELAENT, 24});
    if (s.reladyn->relative_count) e.push_back({DT_RELACOUNT, s.reladyn->relative_count});
  }
  if (s.relrdyn && !s.relrdyn->sites.empty()) {
    e.push_back({DT_RELR, s.relrdyn->shdr.addr});
    e.push_back({DT_RELRSZ, s.relrdyn->shdr.size});
    e.push_back({DT_RELRENT, 8});
  }
  uint64_t flags = (ctx.opts.now ? DF_BIND_NOW : 0) | (ctx.static_tls ? DF_STATIC_TLS : 0) |
                   (ctx.has_textrel ? DF_TEXTREL : 0) | ctx.opts.dt_flags;
  if (ctx.has_textrel) e.push_back({DT_TEXTREL, 0});
  if (flags) e.push_back({DT_FLAGS, flags});
  uint64_t flags1 = (ctx.opts.now ? DF_1_NOW : 0) | (ctx.pie && !ctx.shared ? DF_1_PIE : 0) | ctx.opts.dt_flags_1;
  if (flags1) e.push_back({DT_FLAGS_1, flags1});
  if (s.verneed && s.verneed->count) {
    e.push_back({DT_VERNEED, s.verneed->shdr.addr});
    e.push_back({DT_VERNEEDNUM, s.verneed->count});
  }
  if (s.verdef && ctx.has_version_definitions) {
    e.push_back({DT_VERDEF, s.verdef->shdr.addr});
    e.push_back({DT_VERDEFNUM, s.verdef->count});
  }
  if (s.versym && s.versym->shdr.size) e.push_back({DT_VERSYM, s.versym->shdr.addr});
  e.push_back({DT_NULL, 0});
  return e;
}

template <typename E> void DynamicSection<E>::compute_size(Context<E>& ctx) {
  this->shdr.size = entries(ctx).size() * 16;
}

template <typename E> void DynamicSection<E>::write(Context<E>& ctx, uint8_t* out) {
  auto e = entries(ctx);
  if (e.size() * 16 != this->shdr.size) {
    ctx.error("", "internal error: .dynamic has " + std::to_string(e.size()) + " entries, sized for " +
                      std::to_string(this->shdr.size / 16));
    return;
  }
  for (size_t i = 0; i < e.size(); ++i) {
    store_le<uint64_t>(out + i * 16, static_cast<uint64_t>(e[i].first));
    store_le<uint64_t>(out + i * 16 + 8, e[i].second);
  }
}

template <typename E> CopyRelSection<E>::CopyRelSection(bool relro) {
  if (relro) {
    // Zero-filled PROGBITS: it sits among file-backed RELRO sections.
    init(*this, ".bss.rel.ro", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8);
    this->relro = true;
  } else {
    init(*this, ".dynbss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 8);
  }
}

template <typename E> uint64_t CopyRelSection<E>::add(Symbol<E>* sym, uint64_t align) {
  uint64_t off = align_up(this->shdr.size, align);
  this->shdr.size = off + std::max<uint64_t>(sym->size, 1);
  this->shdr.addralign = std::max(this->shdr.addralign, align);
  symbols.push_back(sym);
  return off;
}

// ---------------------------------------------------------------- notes

template <typename E> BuildIdSection<E>::BuildIdSection() {
  init(*this, ".note.gnu.build-id", SHT_NOTE, SHF_ALLOC, 4);
}

template <typename E> void BuildIdSection<E>::compute_size(Context<E>& ctx) {
  const std::string& k = *ctx.opts.build_id;
  if (k == "sha1" || k == "tree") hash_size = 20;
  else if (k == "md5" || k == "uuid") hash_size = 16;
  else if (k.rfind("0x", 0) == 0) hash_size = (k.size() - 2) / 2;
  else hash_size = 8;  // fast
  this->shdr.size = 16 + hash_size;
}

template <typename E> void BuildIdSection<E>::fill(Context<E>& ctx) {
  uint8_t* p = ctx.buffer + this->shdr.offset;
  store_le<uint32_t>(p, 4);
  store_le<uint32_t>(p + 4, static_cast<uint32_t>(hash_size));
  store_le<uint32_t>(p + 8, NT_GNU_BUILD_ID);
  std::memcpy(p + 12, "GNU", 4);
  uint8_t* desc = p + 16;
  const std::string& k = *ctx.opts.build_id;
  std::span<const uint8_t> all(ctx.buffer, ctx.file_size);
  if (k == "sha1" || k == "tree") {
    auto h = sha1(all);
    std::memcpy(desc, h.data(), 20);
  } else if (k == "md5") {
    auto h = md5(all);
    std::memcpy(desc, h.data(), 16);
  } else if (k == "uuid") {
    int fd = ::open("/dev/urandom", O_RDONLY);
    if (fd < 0 || ::read(fd, desc, 16) != 16) ctx.error("", "cannot read /dev/urandom for --build-id=uuid");
    if (fd >= 0) ::close(fd);
    desc[6] = (desc[6] & 0x0f) | 0x40;
    desc[8] = (desc[8] & 0x3f) | 0x80;
  } else if (k.rfind("0x", 0) == 0) {
    for (uint64_t i = 0; i < hash_size; ++i) desc[i] = static_cast<uint8_t>(std::stoul(k.substr(2 + 2 * i, 2), nullptr, 16));
  } else {
    store_le<uint64_t>(desc, fast_hash64(all));
  }
}

template <typename E> GnuPropertySection<E>::GnuPropertySection() {
  init(*this, ".note.gnu.property", SHT_NOTE, SHF_ALLOC, 8);
}

template <typename E> void GnuPropertySection<E>::compute_size(Context<E>& ctx) {
  this->shdr.size = ctx.x86_features_and ? 32 : 0;
}

template <typename E> void GnuPropertySection<E>::write(Context<E>& ctx, uint8_t* out) {
  store_le<uint32_t>(out, 4);
  store_le<uint32_t>(out + 4, 16);
  store_le<uint32_t>(out + 8, NT_GNU_PROPERTY_TYPE_0);
  std::memcpy(out + 12, "GNU", 4);
  store_le<uint32_t>(out + 16, 0xc0000002);  // GNU_PROPERTY_X86_FEATURE_1_AND
  store_le<uint32_t>(out + 20, 4);
  store_le<uint32_t>(out + 24, ctx.x86_features_and);
  store_le<uint32_t>(out + 28, 0);
}

// ---------------------------------------------------------------- .eh_frame

namespace {

uint64_t read_uleb(std::span<const uint8_t> d, size_t& at) {
  uint64_t v = 0;
  int shift = 0;
  while (at < d.size()) {
    uint8_t b = d[at++];
    if (shift < 64) v |= uint64_t(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  return v;
}

// The FDE pointer encoding a CIE declares ('R' in its augmentation).
uint8_t cie_fde_encoding(std::span<const uint8_t> cie) {
  size_t at = 9;  // length, id, version
  std::string aug;
  while (at < cie.size() && cie[at]) aug += static_cast<char>(cie[at++]);
  ++at;
  if (aug.empty() || aug[0] != 'z') return 0x00;
  read_uleb(cie, at);  // code alignment
  read_uleb(cie, at);  // data alignment (sleb; only skipped)
  if (cie[8] == 1) ++at; else read_uleb(cie, at);  // return address register
  read_uleb(cie, at);  // augmentation length
  auto size_of = [](uint8_t enc) -> size_t {
    switch (enc & 0x0f) {
      case 0x00: return 8;
      case 0x02: case 0x0a: return 2;
      case 0x03: case 0x0b: return 4;
      default: return 8;
    }
  };
  for (size_t i = 1; i < aug.size() && at < cie.size(); ++i) {
    char c = aug[i];
    if (c == 'R') return cie[at];
    if (c == 'P') {
      uint8_t enc = cie[at++];
      at += size_of(enc);
    } else if (c == 'L') {
      ++at;
    }
  }
  return 0x00;
}

int64_t read_encoded(const uint8_t* p, uint8_t enc, uint64_t field_addr) {
  int64_t v = 0;
  switch (enc & 0x0f) {
    case 0x00: case 0x04: case 0x0c: { uint64_t x; std::memcpy(&x, p, 8); v = static_cast<int64_t>(x); break; }
    case 0x03: { uint32_t x; std::memcpy(&x, p, 4); v = x; break; }
    case 0x0b: { int32_t x; std::memcpy(&x, p, 4); v = x; break; }
    case 0x02: { uint16_t x; std::memcpy(&x, p, 2); v = x; break; }
    case 0x0a: { int16_t x; std::memcpy(&x, p, 2); v = x; break; }
  }
  if ((enc & 0x70) == 0x10) v += static_cast<int64_t>(field_addr);
  return v;
}

}  // namespace

template <typename E> EhFrameSection<E>::EhFrameSection() {
  init(*this, ".eh_frame", SHT_PROGBITS, SHF_ALLOC, 8);
}

template <typename E> void EhFrameSection<E>::build(Context<E>& ctx) {
  records.clear();
  inputs.clear();
  for (auto& file : ctx.objs) {
    if (!file->alive) continue;
    for (auto& isec : file->sections) {
      if (!isec || !isec->is_eh_frame) continue;
      isec->alive = false;  // its bytes are written here, record by record
      inputs.push_back(isec.get());
      EhFrameRecords split = split_eh_frame(isec->data, isec->rels);
      std::map<uint64_t, int64_t> cie_at;
      for (const EhFrameRecord& in : split.records) {
        uint64_t at = in.offset;
        Record rec{isec.get(), at, in.size, in.is_cie()};
        rec.rel_begin = in.rel_begin;
        rec.rel_end = in.rel_end;
        if (rec.is_cie) {
          cie_at[at] = static_cast<int64_t>(records.size());
          records.push_back(rec);
        } else {
          uint32_t id = in.id;
          auto it = cie_at.find(at + 4 - id);
          if (id > at + 4 || it == cie_at.end()) {
            ctx.error(isec->location(at), "FDE points at no CIE");
            split.malformed_at.reset();
            break;
          }
          rec.cie_record = it->second;
          // An FDE lives only while the code it describes does (a function
          // --icf folded into its twin has the twin's FDE).
          bool live = false;
          if (rec.rel_begin < rec.rel_end && isec->rels[rec.rel_begin].offset == at + 8) {
            const Rela& rel = isec->rels[rec.rel_begin];
            Symbol<E>* sym = file->symbols[rel.sym];
            live = sym && sym->isec && sym->isec->alive && !sym->folded;
          }
          if (live) records.push_back(rec);
        }
      }
      if (split.malformed_at) ctx.error(isec->location(*split.malformed_at), "malformed .eh_frame record");
    }
  }
}

template <typename E> void EhFrameSection<E>::compute_size(Context<E>&) {
  // Symbols in an input .eh_frame (crtbeginT's __EH_FRAME_BEGIN__) point at
  // where that input's records begin, even when it has none.
  uint64_t off = 0;
  size_t next = 0;
  for (InputSection<E>* isec : inputs) {
    isec->offset = off;
    for (; next < records.size() && records[next].isec == isec; ++next) {
      records[next].out_offset = off;
      off += records[next].size;
    }
  }
  this->shdr.size = off + 4;  // the zero terminator
}

template <typename E> void EhFrameSection<E>::write(Context<E>& ctx, uint8_t* out) {
  for (const Record& r : records) {
    std::memcpy(out + r.out_offset, r.isec->data.data() + r.in_offset, r.size);
    if (!r.is_cie) store_le<uint32_t>(out + r.out_offset + 4, static_cast<uint32_t>(r.out_offset + 4 - records[r.cie_record].out_offset));
    std::span<const Rela> rels(r.isec->rels.data() + r.rel_begin, r.rel_end - r.rel_begin);
    apply_relocs(ctx, *r.isec, rels, r.in_offset, out + r.out_offset, this->shdr.addr + r.out_offset);
  }
  store_le<uint32_t>(out + this->shdr.size - 4, 0);
}

template <typename E> EhFrameHdrSection<E>::EhFrameHdrSection() {
  init(*this, ".eh_frame_hdr", SHT_PROGBITS, SHF_ALLOC, 4);
}

template <typename E> void EhFrameHdrSection<E>::compute_size(Context<E>& ctx) {
  fde_count = 0;
  for (auto& r : ctx.syn->ehframe->records) fde_count += !r.is_cie;
  this->shdr.size = 12 + fde_count * 8;
}

template <typename E> void EhFrameHdrSection<E>::write(Context<E>& ctx, uint8_t* out) {
  const auto& eh = *ctx.syn->ehframe;
  uint64_t hdr = this->shdr.addr;
  const uint8_t* eh_out = ctx.buffer + eh.shdr.offset;  // already written
  out[0] = 1;
  out[1] = 0x1b;  // eh_frame_ptr: pcrel sdata4
  out[2] = 0x03;  // fde_count: udata4
  out[3] = 0x3b;  // table: datarel sdata4
  store_le<uint32_t>(out + 4, static_cast<uint32_t>(eh.shdr.addr - (hdr + 4)));
  store_le<uint32_t>(out + 8, static_cast<uint32_t>(fde_count));
  std::vector<std::pair<int64_t, int64_t>> table;
  for (const auto& r : eh.records) {
    if (r.is_cie) continue;
    const auto& cie = eh.records[r.cie_record];
    uint8_t enc = cie_fde_encoding({eh_out + cie.out_offset, cie.size});
    uint64_t field = eh.shdr.addr + r.out_offset + 8;
    int64_t pc = read_encoded(eh_out + r.out_offset + 8, enc, field);
    table.push_back({pc - static_cast<int64_t>(hdr), static_cast<int64_t>(eh.shdr.addr + r.out_offset - hdr)});
  }
  std::sort(table.begin(), table.end());
  for (size_t i = 0; i < table.size(); ++i) {
    store_le<uint32_t>(out + 12 + i * 8, static_cast<uint32_t>(table[i].first));
    store_le<uint32_t>(out + 16 + i * 8, static_cast<uint32_t>(table[i].second));
  }
}

// ---------------------------------------------------------------- .symtab

template <typename E> SymtabSection<E>::SymtabSection() { init(*this, ".symtab", SHT_SYMTAB, 0, 8, 24); }

template <typename E> void SymtabSection<E>::finalize(Context<E>& ctx) {
  syms.assign(1, elf::Sym{});
  strtab.assign(1, '\0');
  auto add_name = [&](std::string_view n) {
    uint32_t off = static_cast<uint32_t>(strtab.size());
    strtab += n;
    strtab += '\0';
    return off;
  };
  auto alive = [](const Symbol<E>& s) {
    if (s.isec && !s.isec->is_eh_frame && (!s.isec->alive || !s.isec->osec)) return false;
    return true;
  };
  const std::unordered_set<const Symbol<E>*> relocated = locals_named_by_relocations(ctx);
  for (auto& file : ctx.objs) {
    if (!file->alive) continue;
    for (uint32_t i = 1; i < file->first_global && i < file->symbols.size(); ++i) {
      Symbol<E>* s = file->symbols[i];
      const elf::Sym& es = file->esyms[i];
      uint8_t type = ELF64_ST_TYPE(es.info);
      if (type == STT_SECTION || s->name.empty()) continue;
      // -X drops the assembler's temporary .L labels, by default only those
      // in merged sections; -x every local symbol of the inputs (file names
      // too, as ld.lld), --discard-none nothing.
      // --emit-relocs keeps those a kept relocation names, as ld.lld.
      bool used = relocated.count(s) > 0;
      if (!used && ctx.opts.discard == LinkOptions::Discard::all) continue;
      bool temporary = s->name.substr(0, 2) == ".L";
      if (!used && ctx.opts.discard == LinkOptions::Discard::locals && temporary) continue;
      bool in_merged = s->frag || (es.shndx < file->sections.size() && file->merge_inputs.count(es.shndx));
      if (!used && ctx.opts.discard == LinkOptions::Discard::merge_locals && temporary && in_merged) continue;
      if (type != STT_FILE && es.shndx == SHN_UNDEF) continue;
      if (!alive(*s) || (es.shndx != SHN_ABS && es.shndx < SHN_LORESERVE && !s->isec && !s->frag && type != STT_FILE)) continue;
      elf::Sym o;
      o.name = add_name(s->name);
      o.info = es.info;
      o.other = es.other;
      o.size = es.size;
      if (type == STT_FILE) o.shndx = SHN_ABS;
      else {
        o.shndx = output_shndx(ctx, *s);
        o.value = symbol_raw_address(ctx, *s);
        if (o.value == 0 && o.shndx == SHN_ABS) o.value = es.value;
        else if (type == STT_TLS) o.value -= ctx.tls_begin;
      }
      if (ctx.opts.emit_relocs) index[s] = static_cast<uint32_t>(syms.size());
      syms.push_back(o);
    }
  }
  // --emit-relocs: as lld, a section symbol per output section, which the
  // kept relocations against input section symbols are rewritten to.
  section_syms.assign(ctx.opts.emit_relocs ? ctx.shnum : 0, 0);
  for (Chunk<E>* c : ctx.chunks) {
    if (!ctx.opts.emit_relocs || c->is_header || !c->shndx || (!dynamic_cast<OutputSection<E>*>(c) && !dynamic_cast<MergedSection<E>*>(c)))
      continue;
    elf::Sym o;
    o.info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION);
    o.shndx = static_cast<uint16_t>(c->shndx);
    o.value = c->shdr.addr;
    section_syms[c->shndx] = static_cast<uint32_t>(syms.size());
    syms.push_back(o);
  }
  // Hidden and internal definitions are local in the output.
  std::vector<Symbol<E>*> globals, locals;
  for (auto& [name, s] : ctx.symbol_map) {
    if (!s->referenced && !s->is_defined() && !s->is_shared()) continue;
    if (s->is_defined() && !alive(*s)) continue;
    if (s->state == SymbolState::lazy) continue;
    if (s->is_shared() && !s->referenced) continue;
    if (s->linker_defined && !s->referenced) continue;
    if (s->is_defined() && ((s->visibility != STV_DEFAULT && s->visibility != STV_PROTECTED) || s->out_version == 0))
      locals.push_back(s);
    else globals.push_back(s);
  }
  auto order = [](Symbol<E>* a, Symbol<E>* b) {
    uint32_t pa = a->file ? a->file->priority : 0, pb = b->file ? b->file->priority : 0;
    if (pa != pb) return pa < pb;
    return a->name < b->name;
  };
  std::sort(locals.begin(), locals.end(), order);
  std::sort(globals.begin(), globals.end(), order);
  auto emit = [&](Symbol<E>* s, bool local) {
    elf::Sym o;
    o.name = add_name(s->name);
    bool weak = s->is_defined() ? s->weak : !s->strong_ref;
    uint8_t bind = local ? STB_LOCAL : weak ? STB_WEAK : STB_GLOBAL;
    uint8_t type = s->type == STT_GNU_IFUNC && !s->is_defined() ? STT_FUNC : s->type;
    o.info = ELF64_ST_INFO(bind, type);
    o.other = s->visibility;
    o.size = s->size;
    if (s->is_defined() || (s->is_shared() && (s->needs & NEEDS_COPY))) {
      o.shndx = s->is_shared() ? static_cast<uint16_t>((s->copy_readonly ? ctx.syn->copyrel_relro : ctx.syn->copyrel)->shndx)
                               : output_shndx(ctx, *s);
      // The definition's own address: a canonical PLT entry is not in the
      // section st_shndx names (ld.bfd keeps an IFUNC's resolver here too).
      o.value = symbol_raw_address(ctx, *s);
      if (s->type == STT_TLS) o.value -= ctx.tls_begin;  // TLS symbols hold their offset in PT_TLS
    } else {
      o.shndx = SHN_UNDEF;
      o.value = (s->needs & NEEDS_CPLT) ? symbol_address(ctx, *s) : 0;
      if (!s->is_shared()) o.size = 0;
    }
    if (ctx.opts.emit_relocs) index[s] = static_cast<uint32_t>(syms.size());
    syms.push_back(o);
  };
  for (Symbol<E>* s : locals) emit(s, true);
  this->shdr.info = static_cast<uint32_t>(syms.size());
  for (Symbol<E>* s : globals) emit(s, false);
}

template <typename E> void SymtabSection<E>::write(Context<E>&, uint8_t* out) {
  elf::Codec c(true, ByteOrder::little);
  for (size_t i = 0; i < syms.size(); ++i) c.write_sym(out + i * 24, syms[i]);
}

template <typename E> StrtabSection<E>::StrtabSection() { init(*this, ".strtab", SHT_STRTAB, 0, 1); }

template <typename E> void StrtabSection<E>::compute_size(Context<E>& ctx) {
  this->shdr.size = ctx.syn->symtab->strtab.size();
}

template <typename E> void StrtabSection<E>::write(Context<E>& ctx, uint8_t* out) {
  std::memcpy(out, ctx.syn->symtab->strtab.data(), ctx.syn->symtab->strtab.size());
}

template <typename E> ShstrtabSection<E>::ShstrtabSection() { init(*this, ".shstrtab", SHT_STRTAB, 0, 1); }

template <typename E> void ShstrtabSection<E>::compute_size(Context<E>& ctx) {
  data.assign(1, '\0');
  std::unordered_map<std::string, uint32_t> seen;
  for (Chunk<E>* c : ctx.chunks) {
    if (c->is_header) continue;
    auto [it, inserted] = seen.try_emplace(c->name, static_cast<uint32_t>(data.size()));
    if (inserted) data += c->name + '\0';
    c->shdr.name = it->second;
  }
  this->shdr.size = data.size();
}

template <typename E> void ShstrtabSection<E>::write(Context<E>&, uint8_t* out) {
  std::memcpy(out, data.data(), data.size());
}

// ---------------------------------------------------------------- creation

template <typename E>
void create_synthetic_sections(Context<E>& ctx) {
  ctx.syn = std::make_unique<Synthetics<E>>();
  Synthetics<E>& s = *ctx.syn;
  auto make = [&](auto* p) {
    using T = std::remove_pointer_t<decltype(p)>;
    return ctx.make_chunk(std::unique_ptr<T>(p));
  };
  s.ehdr = make(new EhdrChunk<E>());
  s.phdr = make(new PhdrChunk<E>());
  if (!ctx.interp_path.empty()) s.interp = make(new InterpSection<E>());
  s.got = make(new GotSection<E>());
  s.gotplt = make(new GotPltSection<E>());
  s.plt = make(new PltSection<E>());
  s.reladyn = make(new RelaDynSection<E>());
  if (ctx.opts.rel_format) use_rel_format(*s.reladyn, ".rel.dyn");
  if (ctx.pie && ctx.opts.pack_relative_relocs) s.relrdyn = make(new RelrDynSection<E>());
  s.relaplt = make(new RelaPltSection<E>());
  if (ctx.opts.rel_format) use_rel_format(*s.relaplt, ".rel.plt");
  if (ctx.dynamic) {
    s.dynstr = make(new DynstrSection<E>());
    s.dynsym = make(new DynsymSection<E>());
    // Debian's ld.bfd and lld both default to both tables.
    HashStyle style = ctx.opts.hash_style.value_or(HashStyle::both);
    if (style != HashStyle::gnu) s.hash = make(new HashSection<E>());
    if (style != HashStyle::sysv) s.gnuhash = make(new GnuHashSection<E>());
    s.versym = make(new VersymSection<E>());
    s.verneed = make(new VerneedSection<E>());
    s.verdef = make(new VerdefSection<E>());
    s.dynamic = make(new DynamicSection<E>());
  }
  s.copyrel = make(new CopyRelSection<E>(false));
  s.copyrel_relro = make(new CopyRelSection<E>(true));
  s.ehframe = make(new EhFrameSection<E>());
  if (ctx.opts.eh_frame_hdr) s.ehframehdr = make(new EhFrameHdrSection<E>());
  if (ctx.opts.build_id && *ctx.opts.build_id != "none") s.buildid = make(new BuildIdSection<E>());
  if (ctx.x86_features_and) s.property = make(new GnuPropertySection<E>());
  if (ctx.opts.strip != StripMode::all) {
    s.symtab = make(new SymtabSection<E>());
    s.strtab = make(new StrtabSection<E>());
  }
  s.shstrtab = make(new ShstrtabSection<E>());
  // Our own line in .comment, as lld adds one.
  MergedSection<E>* comment = nullptr;
  for (MergedSection<E>* ms : ctx.merged_sections)
    if (ms->name == ".comment") comment = ms;
  if (!comment) {
    auto m = std::make_unique<MergedSection<E>>();
    m->name = ".comment";
    m->shdr.type = SHT_PROGBITS;
    m->shdr.flags = SHF_MERGE | SHF_STRINGS;
    m->shdr.entsize = 1;
    m->shdr.addralign = 1;
    comment = ctx.make_chunk(std::move(m));
    ctx.merged_sections.push_back(comment);
  }
  std::string_view line = ctx.save(std::string("Linker: linkbox ") + LINKBOX_VERSION + std::string(1, '\0'));
  comment->insert(line, 1);
}

#define INSTANTIATE(E)                                                            \
  template struct EhdrChunk<E>;                                                   \
  template struct PhdrChunk<E>;                                                   \
  template struct InterpSection<E>;                                               \
  template struct GotSection<E>;                                                  \
  template struct PltSection<E>;                                                  \
  template struct GotPltSection<E>;                                               \
  template struct RelaDynSection<E>;                                              \
  template struct RelaPltSection<E>;                                              \
  template struct DynstrSection<E>;                                               \
  template struct DynsymSection<E>;                                               \
  template struct HashSection<E>;                                                 \
  template struct GnuHashSection<E>;                                              \
  template struct VersymSection<E>;                                               \
  template struct VerneedSection<E>;                                              \
  template struct VerdefSection<E>;                                               \
  template struct DynamicSection<E>;                                              \
  template struct CopyRelSection<E>;                                              \
  template struct EhFrameSection<E>;                                              \
  template struct EhFrameHdrSection<E>;                                           \
  template struct BuildIdSection<E>;                                              \
  template struct GnuPropertySection<E>;                                          \
  template struct SymtabSection<E>;                                               \
  template struct StrtabSection<E>;                                               \
  template struct ShstrtabSection<E>;                                             \
  template void create_synthetic_sections(Context<E>&);                           \
  template uint64_t symbol_address(const Context<E>&, const Symbol<E>&);          \
  template uint64_t symbol_raw_address(const Context<E>&, const Symbol<E>&);      \
  template bool is_preemptible(const Context<E>&, const Symbol<E>&);

INSTANTIATE(X86_64)

}  // namespace linkbox::link
