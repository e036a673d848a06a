#include "liblink/gc-sections.h"
#include "liblink/c-identifier.h"
#include "liblink/eh-frame-records.h"

#include <unordered_set>

#include <cstdio>
#include <unordered_map>

namespace linkbox::link {
namespace {

// Sections GNU ld's default script KEEPs and lld treats as roots: the
// startup machinery runs them without any relocation pointing at them.
template <typename E>
bool is_root(const InputSection<E>& isec) {
  const elf::Shdr& h = isec.shdr;
  if (h.flags & SHF_GNU_RETAIN) return true;
  if (h.type == SHT_NOTE || h.type == SHT_INIT_ARRAY || h.type == SHT_FINI_ARRAY ||
      h.type == SHT_PREINIT_ARRAY)
    return true;
  std::string_view n = isec.name;
  for (std::string_view keep : {".init", ".fini", ".ctors", ".dtors", ".jcr", ".init_array",
                                ".fini_array", ".preinit_array"})
    if (n == keep || (n.starts_with(keep) && n.size() > keep.size() && n[keep.size()] == '.'))
      return true;
  return false;
}

template <typename E>
class Marker {
 public:
  explicit Marker(Context<E>& ctx) : ctx_(ctx) {}

  void run() {
    index_sections();
    for (auto& file : ctx_.objs) {
      if (!file->alive) continue;
      for (auto& isec : file->sections) {
        if (!isec || !isec->alive || isec->is_eh_frame) continue;
        if (!(isec->shdr.flags & SHF_ALLOC) || is_root(*isec)) mark(isec.get());
      }
    }
    auto root = [&](std::string_view name) {
      if (auto it = ctx_.symbol_map.find(name); it != ctx_.symbol_map.end()) mark_symbol(*it->second);
    };
    root(ctx_.opts.entry.value_or("_start"));
    root(ctx_.opts.init_symbol);
    root(ctx_.opts.fini_symbol);
    for (const std::string& u : ctx_.opts.undefined) root(u);
    for (auto& alias : ctx_.defsym_aliases) mark_symbol(*alias.target);
    for (auto& [name, sym] : ctx_.symbol_map)
      if (sym->exported) mark_symbol(*sym);
    // Personality routines: every CIE's references stay (they are few).
    for (auto& [file, rels] : cie_refs_)
      for (const Rela* r : rels) mark_symbol_index(*file, r->sym);
    while (!work_.empty()) {
      InputSection<E>* isec = work_.back();
      work_.pop_back();
      for (const Rela& r : isec->rels) mark_symbol_index(*isec->file, r.sym);
      if (auto it = fde_refs_.find(isec); it != fde_refs_.end())
        for (const Rela* r : it->second) mark_symbol_index(*isec->file, r->sym);
      if (auto it = dependents_.find(isec); it != dependents_.end())
        for (InputSection<E>* d : it->second) mark(d);
    }
    sweep();
  }

 private:
  Context<E>& ctx_;
  std::vector<InputSection<E>*> work_;
  std::unordered_map<InputSection<E>*, bool> marked_;
  // Sections that live exactly as long as another: SHF_LINK_ORDER metadata.
  std::unordered_map<InputSection<E>*, std::vector<InputSection<E>*>> dependents_;
  // What a function's FDEs refer to besides the function: its LSDA.
  std::unordered_map<InputSection<E>*, std::vector<const Rela*>> fde_refs_;
  std::vector<std::pair<ObjectFile<E>*, std::vector<const Rela*>>> cie_refs_;
  // Sections whose names are C identifiers, for __start_NAME/__stop_NAME.
  std::unordered_map<std::string_view, std::vector<InputSection<E>*>> c_named_;

  void index_sections() {
    for (auto& file : ctx_.objs) {
      if (!file->alive) continue;
      for (auto& isec : file->sections) {
        if (!isec || !isec->alive) continue;
        if (isec->is_eh_frame) {
          index_eh_frame(*file, *isec);
          continue;
        }
        if ((isec->shdr.flags & SHF_LINK_ORDER) && isec->shdr.link < file->sections.size() &&
            file->sections[isec->shdr.link])
          dependents_[file->sections[isec->shdr.link].get()].push_back(isec.get());
        if (is_c_identifier(isec->name)) c_named_[isec->name].push_back(isec.get());
      }
    }
  }

  // Walks the records of an input .eh_frame: an FDE's first relocation
  // (at offset 8) names its function; the rest (the LSDA) live with it.
  void index_eh_frame(ObjectFile<E>& file, InputSection<E>& isec) {
    const std::vector<Rela>& rels = isec.rels;
    std::vector<const Rela*> cie;
    for (const EhFrameRecord& rec : split_eh_frame(isec.data, rels).records) {
      if (rec.is_cie()) {
        for (size_t k = rec.rel_begin; k < rec.rel_end; ++k) cie.push_back(&rels[k]);
      } else if (rec.rel_begin < rec.rel_end && rels[rec.rel_begin].offset == rec.offset + 8) {
        if (InputSection<E>* target = section_of(file, rels[rec.rel_begin].sym))
          for (size_t k = rec.rel_begin + 1; k < rec.rel_end; ++k) fde_refs_[target].push_back(&rels[k]);
      }
    }
    if (!cie.empty()) cie_refs_.push_back({&file, std::move(cie)});
  }

  InputSection<E>* section_of(ObjectFile<E>& file, uint32_t symidx) {
    if (symidx >= file.symbols.size()) return nullptr;
    Symbol<E>* sym = file.symbols[symidx];
    if (!sym) return nullptr;
    if (sym->is_local && sym->type == STT_SECTION) {
      uint32_t shndx = file.esyms[symidx].shndx;
      return shndx < file.sections.size() ? file.sections[shndx].get() : nullptr;
    }
    return sym->isec;
  }

  void mark(InputSection<E>* isec) {
    if (!isec || !isec->alive || isec->is_eh_frame) return;
    if (marked_.emplace(isec, true).second) work_.push_back(isec);
  }

  void mark_symbol(Symbol<E>& sym) {
    mark(sym.isec);
    // Under -z nostart-stop-gc, a reference to __start_NAME or
    // __stop_NAME keeps every section NAME. -z start-stop-gc (the default,
    // as in ld.lld) lets them go like any other, except, as ld.lld does,
    // sections named __libc_*: glibc's libc.a before 2.34 finds its
    // __libc_atexit and similar hooks that way (sourceware PR27492).
    for (std::string_view prefix : {"__start_", "__stop_"}) {
      if (!sym.name.starts_with(prefix) || sym.isec) continue;
      std::string_view section = sym.name.substr(prefix.size());
      if (ctx_.opts.start_stop_gc && !section.starts_with("__libc_")) continue;
      if (auto it = c_named_.find(section); it != c_named_.end())
        for (InputSection<E>* s : it->second) mark(s);
    }
  }

  void mark_symbol_index(ObjectFile<E>& file, uint32_t symidx) {
    if (symidx == 0 || symidx >= file.symbols.size()) return;
    Symbol<E>* sym = file.symbols[symidx];
    if (!sym) return;
    if (sym->is_local && sym->type == STT_SECTION) return mark(section_of(file, symidx));
    mark_symbol(*sym);
  }

  void sweep() {
    for (auto& file : ctx_.objs) {
      if (!file->alive) continue;
      for (auto& isec : file->sections) {
        if (!isec || !isec->alive || isec->is_eh_frame || marked_.count(isec.get())) continue;
        isec->alive = false;
        if (ctx_.opts.print_gc_sections)
          std::fprintf(stdout, "removing unused section %s:(%.*s)\n", file->name.c_str(),
                       static_cast<int>(isec->name.size()), isec->name.data());
      }
    }
  }
};

}  // namespace

// --as-needed with --gc-sections: as in ld.lld, only a non-weak reference
// from a section that stays makes a library needed. A library that only
// collected code used is dropped, and what it defined becomes undefined (weak
// references from live code stay, unresolved, as when it was never needed).
template <typename E>
void drop_libraries_only_dead_code_needs(Context<E>& ctx) {
  std::unordered_set<SharedFile<E>*> used;
  for (auto& file : ctx.objs) {
    if (!file->alive) continue;
    for (auto& isec : file->sections) {
      if (!isec || !isec->alive) continue;
      for (const Rela& rel : isec->rels) {
        if (rel.sym == 0 || rel.sym >= file->symbols.size() || !file->symbols[rel.sym]) continue;
        Symbol<E>* sym = file->symbols[rel.sym];
        if (sym->is_shared() && ELF64_ST_BIND(file->esyms[rel.sym].info) != STB_WEAK)
          used.insert(static_cast<SharedFile<E>*>(sym->file));
      }
    }
  }
  // Symbols named on the command line or exported keep their libraries.
  for (const std::string& u : ctx.opts.undefined)
    if (auto it = ctx.symbol_map.find(u); it != ctx.symbol_map.end() && it->second->is_shared())
      used.insert(static_cast<SharedFile<E>*>(it->second->file));
  std::unordered_set<SharedFile<E>*> dropped;
  for (auto& dso : ctx.dsos)
    if (dso->as_needed && dso->needed && !used.count(dso.get())) dso->needed = false, dropped.insert(dso.get());
  if (dropped.empty()) return;
  for (auto& [name, sym] : ctx.symbol_map)
    if (sym->is_shared() && dropped.count(static_cast<SharedFile<E>*>(sym->file))) {
      sym->state = SymbolState::undefined;
      sym->file = nullptr;
      sym->weak = true;
    }
}

template <typename E>
void collect_garbage(Context<E>& ctx) {
  Marker<E>(ctx).run();
  drop_libraries_only_dead_code_needs(ctx);
}

template void collect_garbage(Context<X86_64>&);

}  // namespace linkbox::link
