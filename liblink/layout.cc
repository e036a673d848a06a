// Output layout: the order of chunks, their addresses and file offsets, the
// program headers and the section header indices.
//
// The order follows ld.bfd's default for x86-64: a read-only segment with the
// headers and the dynamic-linking tables, the code segment, a read-only data
// segment, then a RELRO segment (TLS templates, constructor arrays,
// .data.rel.ro, .dynamic, .got) and the read-write segment (.got.plt, .data,
// .bss). --no-rosegment folds the read-only segments into the code segment,
// as in lld. Every PT_LOAD starts on a new page in memory, so that no page
// maps bytes of two segments with different permissions; in the file, the
// -z separate-* options decide which segments also get pages of their own.
#include "liblink/layout.h"

#include <algorithm>

#include "liblink/synthetic.h"

namespace linkbox::link {
namespace {

enum Group { kHeaders, kReadOnlyHead, kText, kReadOnly, kRelro, kData, kNonAlloc };

template <typename E>
struct Ranked {
  Chunk<E>* chunk;
  Group group;
  int rank;
  size_t order;
};

template <typename E>
std::pair<Group, int> classify(const Context<E>& ctx, const Chunk<E>* c) {
  const Synthetics<E>& s = *ctx.syn;
  const auto& n = c->name;
  uint64_t f = c->shdr.flags;
  if (c == s.ehdr) return {kHeaders, 0};
  if (c == s.phdr) return {kHeaders, 1};
  if (!(f & SHF_ALLOC)) {
    if (c == s.symtab) return {kNonAlloc, 10};
    if (c == s.strtab) return {kNonAlloc, 11};
    if (c == s.shstrtab) return {kNonAlloc, 12};
    return {kNonAlloc, 0};
  }
  bool w = f & SHF_WRITE, x = f & SHF_EXECINSTR;
  if (x) {
    if (n == ".init") return {kText, 0};
    if (c == s.plt) return {kText, 1};
    if (n == ".text") return {kText, 2};
    if (n == ".fini") return {kText, 4};
    return {kText, 3};
  }
  if (!w) {
    if (c == s.interp) return {kReadOnlyHead, 0};
    if (c->shdr.type == SHT_NOTE) return {kReadOnlyHead, 1};
    const Chunk<E>* head[] = {s.hash, s.gnuhash, s.dynsym, s.dynstr, s.versym, s.verdef, s.verneed, s.reladyn, s.relaplt};
    for (int i = 0; i < 8; ++i)
      if (c == head[i]) return {kReadOnlyHead, 2 + i};
    if (c == s.relrdyn) return {kReadOnlyHead, 10};
    if (c == s.ehframehdr) return {kReadOnly, 5};
    if (c == s.ehframe) return {kReadOnly, 6};
    if (n == ".gcc_except_table") return {kReadOnly, 7};
    return {kReadOnly, n == ".rodata" ? 0 : 1};
  }
  bool relro_wanted = ctx.opts.relro;
  if (f & SHF_TLS) return {kRelro, c->shdr.type == SHT_NOBITS ? 1 : 0};
  if (n == ".preinit_array") return {kRelro, 2};
  if (n == ".init_array" || n == ".ctors") return {kRelro, 3};
  if (n == ".fini_array" || n == ".dtors") return {kRelro, 4};
  if (n == ".data.rel.ro") return {kRelro, 5};
  if (c == s.copyrel_relro) return {kRelro, 6};
  if (c == s.dynamic) return {kRelro, 7};
  if (c == s.got) return {kRelro, 8};
  if (c == s.gotplt) return ctx.opts.now && relro_wanted ? std::pair{kRelro, 9} : std::pair{kData, 0};
  if (c->shdr.type == SHT_NOBITS) return {kData, c == s.copyrel ? 10 : n == ".bss" ? 11 : 12};
  return {kData, n == ".data" ? 1 : 2};
}

uint32_t segment_flags(int group) {
  switch (group) {
    case kText: return PF_R | PF_X;
    case kRelro: case kData: return PF_R | PF_W;
    default: return PF_R;
  }
}

}  // namespace

template <typename E>
void order_chunks(Context<E>& ctx) {
  std::vector<Chunk<E>*> all;
  for (auto& c : ctx.chunk_pool) {
    if (auto* ms = dynamic_cast<MergedSection<E>*>(c.get()); ms && ms->parent) continue;
    all.push_back(c.get());
  }
  std::vector<Ranked<E>> ranked;
  for (size_t i = 0; i < all.size(); ++i) {
    Chunk<E>* c = all[i];
    if (c->shdr.size == 0 && !c->is_header && !c->keep_when_empty()) {
      const Synthetics<E>& s = *ctx.syn;
      bool required = c == s.shstrtab || (ctx.dynamic && (c == s.dynsym || c == s.dynstr || c == s.dynamic)) ||
                      c == s.symtab || c == s.strtab;
      if (!required) continue;
    }
    if (c == ctx.syn->gotplt && !ctx.dynamic && ctx.syn->plt->symbols.empty()) {
      // Static links need .got.plt only for IFUNC slots or _GLOBAL_OFFSET_TABLE_.
      if (!ctx.gotplt_referenced) continue;
    }
    auto [g, r] = classify(ctx, c);
    ranked.push_back({c, g, r, i});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked<E>& a, const Ranked<E>& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.order < b.order;
  });
  ctx.chunks.clear();
  ctx.chunk_groups.clear();
  for (auto& r : ranked) {
    Group g = r.group;
    if (g == kHeaders) g = kReadOnlyHead;
    if (!ctx.opts.rosegment && (g == kReadOnlyHead || g == kReadOnly)) g = kText;
    if (!ctx.opts.relro && g == kRelro) g = kData;
    ctx.chunks.push_back(r.chunk);
    ctx.chunk_groups.push_back(g);
  }
  uint32_t idx = 1;
  for (Chunk<E>* c : ctx.chunks)
    c->shndx = c->is_header ? 0 : idx++;
  ctx.shnum = idx;
}

template <typename E>
void build_segments(Context<E>& ctx) {
  const Synthetics<E>& s = *ctx.syn;
  std::vector<Segment> segs;
  auto add = [&](uint32_t type, uint32_t flags, uint64_t off, uint64_t va, uint64_t filesz, uint64_t memsz,
                 uint64_t align) {
    elf::Phdr p;
    p.type = type;
    p.flags = flags;
    p.offset = off;
    p.vaddr = p.paddr = va;
    p.filesz = filesz;
    p.memsz = memsz;
    p.align = align;
    segs.push_back({p});
  };
  auto end_off = [](Chunk<E>* c) { return c->shdr.offset + (c->shdr.type == SHT_NOBITS ? 0 : c->shdr.size); };
  auto is_tbss = [](Chunk<E>* c) { return (c->shdr.flags & SHF_TLS) && c->shdr.type == SHT_NOBITS; };
  if (s.interp) {
    add(PT_PHDR, PF_R, s.phdr->shdr.offset, s.phdr->shdr.addr, s.phdr->shdr.size, s.phdr->shdr.size, 8);
    add(PT_INTERP, PF_R, s.interp->shdr.offset, s.interp->shdr.addr, s.interp->shdr.size, s.interp->shdr.size, 1);
  }
  // PT_LOADs: one for each run of chunks in the same group.
  size_t relro_begin = SIZE_MAX, relro_end = 0;
  for (size_t i = 0; i < ctx.chunks.size();) {
    int g = ctx.chunk_groups[i];
    if (g == kNonAlloc) break;
    size_t j = i;
    uint64_t file_end = ctx.chunks[i]->shdr.offset, mem_end = 0;
    while (j < ctx.chunks.size() && ctx.chunk_groups[j] == g) {
      Chunk<E>* c = ctx.chunks[j];
      if (c->shdr.type != SHT_NOBITS) file_end = std::max(file_end, end_off(c));
      if (!is_tbss(c)) mem_end = std::max(mem_end, c->shdr.addr + c->shdr.size);
      ++j;
    }
    Chunk<E>* first = ctx.chunks[i];
    uint64_t off = first->shdr.offset, va = first->shdr.addr;
    if (g == kRelro) {
      relro_begin = i, relro_end = j;
      // PT_GNU_RELRO is rounded up to the page end (glibc rounds its end
      // down); the PT_LOAD must cover it.
      mem_end = align_up(mem_end, ctx.page_size);
    }
    add(PT_LOAD, segment_flags(g), off, va, file_end - off, mem_end - va, ctx.page_size);
    i = j;
  }
  if (s.dynamic && s.dynamic->shndx)
    add(PT_DYNAMIC, PF_R | PF_W, s.dynamic->shdr.offset, s.dynamic->shdr.addr, s.dynamic->shdr.size,
        s.dynamic->shdr.size, 8);
  // PT_NOTE: one per run of adjacent notes of the same alignment.
  for (size_t i = 0; i < ctx.chunks.size();) {
    Chunk<E>* c = ctx.chunks[i];
    if (c->shdr.type != SHT_NOTE || !(c->shdr.flags & SHF_ALLOC)) { ++i; continue; }
    size_t j = i + 1;
    while (j < ctx.chunks.size() && ctx.chunks[j]->shdr.type == SHT_NOTE &&
           ctx.chunks[j]->shdr.addralign == c->shdr.addralign)
      ++j;
    Chunk<E>* last = ctx.chunks[j - 1];
    uint64_t size = last->shdr.addr + last->shdr.size - c->shdr.addr;
    add(PT_NOTE, PF_R, c->shdr.offset, c->shdr.addr, size, size, c->shdr.addralign);
    i = j;
  }
  bool any_tls = std::any_of(ctx.chunks.begin(), ctx.chunks.end(),
                             [](Chunk<E>* c) { return (c->shdr.flags & SHF_TLS) && (c->shdr.flags & SHF_ALLOC); });
  if (any_tls) {
    uint64_t filesz = 0, off = 0;
    for (Chunk<E>* c : ctx.chunks)
      if ((c->shdr.flags & SHF_TLS) && c->shdr.type != SHT_NOBITS) {
        if (!filesz) off = c->shdr.offset;
        filesz = c->shdr.offset + c->shdr.size - off;
      }
    uint64_t toff = off;
    if (!filesz)
      for (Chunk<E>* c : ctx.chunks)
        if (c->shdr.flags & SHF_TLS) { toff = c->shdr.offset; break; }
    add(PT_TLS, PF_R, toff, ctx.tls_begin, filesz, ctx.tls_end - ctx.tls_begin, ctx.tls_align);
  }
  if (s.ehframehdr && s.ehframehdr->shndx)
    add(PT_GNU_EH_FRAME, PF_R, s.ehframehdr->shdr.offset, s.ehframehdr->shdr.addr, s.ehframehdr->shdr.size,
        s.ehframehdr->shdr.size, 4);
  add(PT_GNU_STACK, PF_R | PF_W | (ctx.exec_stack ? PF_X : 0), 0, 0, 0, 0, 16);
  if (relro_begin != SIZE_MAX) {
    Chunk<E>* first = ctx.chunks[relro_begin];
    uint64_t file_end = first->shdr.offset, mem_end = 0;
    for (size_t k = relro_begin; k < relro_end; ++k) {
      Chunk<E>* c = ctx.chunks[k];
      if (c->shdr.type != SHT_NOBITS) file_end = std::max(file_end, end_off(c));
      if (!is_tbss(c)) mem_end = std::max(mem_end, c->shdr.addr + c->shdr.size);
    }
    // Up to the page end, so ld.so's mprotect covers the whole last page.
    uint64_t memsz = align_up(mem_end, ctx.page_size) - first->shdr.addr;
    add(PT_GNU_RELRO, PF_R, first->shdr.offset, first->shdr.addr, file_end - first->shdr.offset, memsz, 1);
  }
  if (s.property && s.property->shndx)
    add(PT_GNU_PROPERTY, PF_R, s.property->shdr.offset, s.property->shdr.addr, s.property->shdr.size,
        s.property->shdr.size, 8);
  ctx.segments = std::move(segs);
  s.phdr->shdr.size = ctx.segments.size() * 56;
}

template <typename E>
void assign_addresses(Context<E>& ctx) {
  uint64_t addr = ctx.image_base, off = 0;
  int group = -1;
  ctx.tls_begin = ctx.tls_end = 0;
  ctx.tls_align = 1;
  bool tls_seen = false;
  // PT_TLS starts at its strictest alignment (glibc places the block by
  // p_vaddr modulo p_align), which the first TLS section may not have.
  uint64_t tls_align = 1;
  for (Chunk<E>* c : ctx.chunks)
    if ((c->shdr.flags & SHF_TLS) && (c->shdr.flags & SHF_ALLOC)) tls_align = std::max<uint64_t>(tls_align, c->shdr.addralign);
  for (size_t i = 0; i < ctx.chunks.size(); ++i) {
    Chunk<E>* c = ctx.chunks[i];
    int g = ctx.chunk_groups[i];
    uint64_t align = std::max<uint64_t>(c->shdr.addralign, 1);
    if ((c->shdr.flags & SHF_TLS) && (c->shdr.flags & SHF_ALLOC) && !tls_seen) align = std::max(align, tls_align);
    if (g == kNonAlloc) {
      off = align_up(off, align);
      c->shdr.offset = off;
      c->shdr.addr = 0;
      off += c->shdr.size;
      continue;
    }
    if (g != group) {
      // A new segment starts on a new page in memory. In the file it starts
      // on a new page too when one side of the boundary must not share its
      // pages (-z separate-*); otherwise the two share a file page and the
      // address keeps the offset's place in the page.
      if (group != -1) {
        using Separate = LinkOptions::Separate;
        Separate sep = ctx.opts.separate;
        bool pad = sep == Separate::loadable || (sep == Separate::code && (g == kText || group == kText));
        addr = align_up(addr, ctx.page_size);
        if (pad) off = align_up(off, ctx.page_size);
        else addr += off % ctx.page_size;
      }
      group = g;
    }
    if (align > ctx.page_size) {
      // Keep file offset and address congruent modulo the page size.
      addr = align_up(addr, align);
      off = align_up(off, ctx.page_size) + addr % ctx.page_size;
    } else {
      uint64_t a2 = align_up(addr, align);
      off += a2 - addr;
      addr = a2;
    }
    c->shdr.addr = addr;
    c->shdr.offset = off;
    bool tls = c->shdr.flags & SHF_TLS;
    if (tls) {
      if (!tls_seen) ctx.tls_begin = addr, tls_seen = true;
      ctx.tls_end = std::max(ctx.tls_end, addr + c->shdr.size);
      ctx.tls_align = std::max(ctx.tls_align, align);
    }
    if (tls && c->shdr.type == SHT_NOBITS) continue;  // .tbss takes no address space in the image
    addr += c->shdr.size;
    if (c->shdr.type != SHT_NOBITS) off += c->shdr.size;
  }
  ctx.has_tls = tls_seen;
  ctx.tp_addr = ctx.tls_begin + align_up(ctx.tls_end - ctx.tls_begin, ctx.tls_align);
  ctx.shoff = align_up(off, 8);
  ctx.file_size = ctx.shoff + uint64_t(ctx.shnum) * 64;
}

template void order_chunks(Context<X86_64>&);
template void build_segments(Context<X86_64>&);
template void assign_addresses(Context<X86_64>&);

}  // namespace linkbox::link
