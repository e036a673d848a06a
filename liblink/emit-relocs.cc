#include "liblink/emit-relocs.h"

#include "libformat/byte-order.h"
#include "liblink/synthetic.h"

namespace linkbox::link {

namespace {

template <typename E>
void init_rela(Chunk<E>& c, const std::string& target_name) {
  c.name = ".rela" + target_name;
  c.shdr.type = SHT_RELA;
  c.shdr.flags = SHF_INFO_LINK;
  c.shdr.addralign = 8;
  c.shdr.entsize = 24;
}

// The output section a place in the image belongs to (null: none that
// --emit-relocs can name).
template <typename E>
const Chunk<E>* chunk_of(const Symbol<E>& s) {
  if (s.frag) {
    auto* ms = static_cast<const MergedSection<E>*>(s.frag->owner);
    return ms->parent ? static_cast<const Chunk<E>*>(ms->parent) : ms;
  }
  if (s.isec && s.isec->alive && !s.isec->is_eh_frame) return s.isec->osec;
  return nullptr;
}

template <typename E>
uint32_t section_sym(const SymtabSection<E>& symtab, const Chunk<E>* c) {
  return c && c->shndx < symtab.section_syms.size() ? symtab.section_syms[c->shndx] : 0;
}

// Writes `r`, an input relocation of `file`, restated in output terms with
// its place at output address `place`.
template <typename E>
void write_rela(Context<E>& ctx, ObjectFile<E>& file, const Rela& r, uint64_t place, uint8_t* p) {
  const SymtabSection<E>& symtab = *ctx.syn->symtab;
  uint32_t type = r.type, index = 0;
  int64_t addend = r.addend;
  Symbol<E>* sym = r.sym ? file.symbols[r.sym] : nullptr;
  if (sym && sym->is_local && sym->type == STT_SECTION) {
    // lld: against the output section's symbol, the addend now relative
    // to its start; a place in a merged section is found by the piece
    // the addend selects.
    uint32_t shndx = file.esyms[r.sym].shndx;
    const Chunk<E>* c = nullptr;
    uint64_t va = 0;
    if (file.merge_inputs.count(shndx)) {
      auto [frag, inner] = file.fragment_at(shndx, sym->value + r.addend);
      if (frag) {
        auto* ms = static_cast<const MergedSection<E>*>(frag->owner);
        c = ms->parent ? static_cast<const Chunk<E>*>(ms->parent) : ms;
        va = ms->address() + frag->offset + inner;
      }
    } else if ((c = chunk_of(*sym))) {
      va = symbol_address(ctx, *sym) + r.addend;
    }
    index = section_sym(symtab, c);
    if (index) addend = static_cast<int64_t>(va - c->shdr.addr);
    else type = E::R_NONE;  // the target section is gone
  } else if (sym) {
    if (auto it = symtab.index.find(sym); it != symtab.index.end()) {
      index = it->second;
    } else if (const Chunk<E>* c = sym->is_local ? chunk_of(*sym) : nullptr; c && section_sym(symtab, c)) {
      // A local .symtab leaves out (-x, -X): relative to its section.
      index = section_sym(symtab, c);
      addend = static_cast<int64_t>(symbol_address(ctx, *sym) + r.addend - c->shdr.addr);
    }
  }
  store_le<uint64_t>(p, place);
  store_le<uint64_t>(p + 8, (uint64_t(index) << 32) | type);
  store_le<uint64_t>(p + 16, static_cast<uint64_t>(addend));
}

template <typename E>
std::span<const Rela> record_rels(const typename EhFrameSection<E>::Record& rec) {
  return {rec.isec->rels.data() + rec.rel_begin, rec.rel_end - rec.rel_begin};
}

}  // namespace

template <typename E>
EmitRelocsSection<E>::EmitRelocsSection(OutputSection<E>* t) : target(t) {
  init_rela(*this, t->name);
}

template <typename E>
void EmitRelocsSection<E>::compute_size(Context<E>& ctx) {
  uint64_t n = 0;
  for (InputSection<E>* isec : target->members)
    if (isec->alive && !isec->is_eh_frame) n += isec->rels.size();
  this->shdr.size = n * 24;
  this->shdr.link = ctx.syn->symtab->shndx;
  this->shdr.info = target->shndx;
}

template <typename E>
void EmitRelocsSection<E>::write(Context<E>& ctx, uint8_t* out) {
  uint8_t* p = out;
  for (InputSection<E>* isec : target->members) {
    if (!isec->alive || isec->is_eh_frame) continue;
    for (const Rela& r : isec->rels) {
      write_rela(ctx, *isec->file, r, target->shdr.addr + isec->offset + r.offset, p);
      p += 24;
    }
  }
}

template <typename E>
EhFrameRelocsSection<E>::EhFrameRelocsSection(EhFrameSection<E>* t) : target(t) {
  init_rela(*this, t->name);
}

template <typename E>
void EhFrameRelocsSection<E>::compute_size(Context<E>& ctx) {
  uint64_t n = 0;
  for (const auto& rec : target->records) n += rec.rel_end - rec.rel_begin;
  this->shdr.size = n * 24;
  this->shdr.link = ctx.syn->symtab->shndx;
  this->shdr.info = target->shndx;
}

template <typename E>
void EhFrameRelocsSection<E>::write(Context<E>& ctx, uint8_t* out) {
  // A record is copied whole, so its relocations keep their distance from
  // its start; the FDE's CIE pointer, which the copy rewrites, never has one.
  uint8_t* p = out;
  for (const auto& rec : target->records)
    for (const Rela& r : record_rels<E>(rec)) {
      write_rela(ctx, *rec.isec->file, r, target->shdr.addr + rec.out_offset + (r.offset - rec.in_offset), p);
      p += 24;
    }
}

template <typename E>
std::unordered_set<const Symbol<E>*> locals_named_by_relocations(const Context<E>& ctx) {
  std::unordered_set<const Symbol<E>*> used;
  if (!ctx.opts.emit_relocs) return used;
  auto note = [&](const InputSection<E>& isec, std::span<const Rela> rels) {
    for (const Rela& r : rels)
      if (r.sym && r.sym < isec.file->first_global) {
        const Symbol<E>* s = isec.file->symbols[r.sym];
        if (s && s->type != STT_SECTION) used.insert(s);
      }
  };
  for (OutputSection<E>* osec : ctx.output_sections)
    for (InputSection<E>* isec : osec->members)
      if (isec->alive && !isec->is_eh_frame) note(*isec, isec->rels);
  for (const auto& rec : ctx.syn->ehframe->records) note(*rec.isec, record_rels<E>(rec));
  return used;
}

template <typename E>
void create_emit_relocs_sections(Context<E>& ctx) {
  if (!ctx.syn->symtab) return;  // -s: nothing to refer to
  for (OutputSection<E>* osec : ctx.output_sections) {
    bool any = false;
    for (InputSection<E>* isec : osec->members)
      if (isec->alive && !isec->is_eh_frame && !isec->rels.empty()) any = true;
    if (any) ctx.make_chunk(std::make_unique<EmitRelocsSection<E>>(osec));
  }
  // Which records survive is only known once .eh_frame is built; a section
  // that ends up empty is left out of the output.
  ctx.make_chunk(std::make_unique<EhFrameRelocsSection<E>>(ctx.syn->ehframe));
}

template struct EmitRelocsSection<X86_64>;
template struct EhFrameRelocsSection<X86_64>;
template void create_emit_relocs_sections(Context<X86_64>&);
template std::unordered_set<const Symbol<X86_64>*> locals_named_by_relocations(const Context<X86_64>&);

}  // namespace linkbox::link
