// The relocation scan: one pass over every relocation of the loaded sections
// decides, from its neutral kind and what the symbol resolved to, whether the
// symbol needs a GOT slot, a PLT entry, a copy relocation or a dynamic
// symbol, and how many dynamic relocations the output will carry. Nothing is
// written here; apply_relocs later makes exactly the choices made here.
#include "liblink/scan-relocs.h"

#include "libformat/demangle.h"

#include <map>

#include "liblink/arch.h"
#include "liblink/synthetic.h"

namespace linkbox::link {
namespace {

template <typename E>
struct Scanner {
  Context<E>& ctx;
  std::vector<Symbol<E>*>& needy;
  std::map<std::string_view, std::vector<std::string>> undefined;  // symbol -> where referenced
  std::vector<std::string_view> undefined_order;

  void need(Symbol<E>* sym, uint16_t flags) {
    if (!sym->needs) needy.push_back(sym);
    sym->needs |= flags;
  }

  bool is_function(const Symbol<E>* sym) const {
    return sym->type == STT_FUNC || sym->type == STT_GNU_IFUNC;
  }

  // An imported symbol referred to by address from code that assumes it is
  // the executable's own: a function gets a canonical PLT entry, data a copy.
  // A shared object can do neither: its code must reach such symbols
  // through the GOT.
  void direct_reference_to_import(const InputSection<E>& isec, const Rela& rel, Symbol<E>* sym) {
    if (ctx.shared) {
      ctx.error_or_warn(isec.location(rel.offset), "relocation " + rel_type_name<E>(rel.type) + " against symbol '" +
                                               std::string(sym->name) +
                                               "' cannot be used when making a shared object; recompile with -fPIC");
      return;
    }
    // A symbol nothing defines (let through by --unresolved-symbols) has
    // no home for a copy or a canonical PLT entry: ld.lld's error.
    if (sym->is_undefined()) {
      ctx.error_or_warn(isec.location(rel.offset), "relocation " + rel_type_name<E>(rel.type) +
                                                       " cannot be used against symbol '" + std::string(sym->name) +
                                                       "'; recompile with -fPIC");
      return;
    }
    need(sym, (is_function(sym) ? NEEDS_CPLT | NEEDS_PLT : NEEDS_COPY) | NEEDS_DYNSYM);
  }

  std::string pic_flag() const { return ctx.shared ? "-fPIC" : "-fPIE"; }

  // A dynamic relocation in a read-only section makes ld.so write to text:
  // an error unless -z notext, which marks the output DT_TEXTREL.
  bool text_relocation_allowed(const InputSection<E>& isec, const Rela& rel, const Symbol<E>* sym) {
    if (!ctx.opts.text_relocations_are_errors) {
      ctx.has_textrel = true;
      return true;
    }
    std::string what = sym->name.empty() || sym->type == STT_SECTION ? std::string("local symbol") : "'" + std::string(sym->name) + "'";
    ctx.error_or_warn(isec.location(rel.offset), "relocation " + rel_type_name<E>(rel.type) + " against " + what +
                                             " in read-only section " + std::string(isec.name) +
                                             " would need a text relocation; recompile with " + pic_flag() +
                                             " (or link with -z notext)");
    return false;
  }
  std::string output_kind() const { return ctx.shared ? "shared object" : "PIE object"; }

  void report_undefined(const InputSection<E>& isec, const Rela& rel, Symbol<E>* sym) {
    auto& refs = undefined[sym->name];
    if (refs.empty()) undefined_order.push_back(sym->name);
    if (refs.size() < 4) {
      std::string where = isec.location(rel.offset);
      if (std::string_view fn = isec.function_at(rel.offset); !fn.empty())
        where += ", in function " + std::string(fn);
      refs.push_back(where);
    }
    else if (refs.size() == 4) refs.push_back("");
  }

  void scan(InputSection<E>& isec) {
    ObjectFile<E>& file = *isec.file;
    bool writable = isec.shdr.flags & SHF_WRITE;
    for (size_t i = 0; i < isec.rels.size(); ++i) {
      const Rela& rel = isec.rels[i];
      RelInfo info = classify_rel<E>(rel.type);
      if (!info.known) {
        ctx.error(isec.location(rel.offset), "unsupported relocation type " + rel_type_name<E>(rel.type));
        continue;
      }
      if (info.kind == RelKind::none || rel.sym == 0) continue;
      Symbol<E>* sym = file.symbols[rel.sym];
      const elf::Sym& esym = file.esyms[rel.sym];
      // A shared object may leave symbols for ld.so to find, unless
      // --no-undefined / -z defs; but not hidden, internal or protected ones,
      // which nothing outside the output can define (as in ld.lld).
      bool must_define = sym->visibility != STV_DEFAULT;
      if (!sym->is_local && sym->is_undefined() &&
          (must_define || ((!ctx.shared || ctx.opts.no_undefined) && !ctx.opts.ignore_undefined_in_objects))) {
        if (ELF64_ST_BIND(esym.info) != STB_WEAK && !sym->linker_defined) report_undefined(isec, rel, sym);
      }
      bool preempt = is_preemptible(ctx, *sym);
      // A weak symbol nobody defines, reached through the GOT, is left to
      // ld.so in a dynamic link (as ld.bfd does): a library loaded later may
      // define it.
      bool dyn_undef_weak = !sym->is_local && sym->is_undefined() && ctx.dynamic && !ctx.is_static;
      bool ifunc = sym->is_ifunc() && !preempt;
      switch (info.kind) {
        case RelKind::abs:
          if (info.width == 8) {
            if (preempt) {
              if (writable || (ctx.pie && text_relocation_allowed(isec, rel, sym))) {
                need(sym, NEEDS_DYNSYM);
                ++ctx.syn->reladyn->count;
              } else if (!ctx.pie) {
                direct_reference_to_import(isec, rel, sym);
              }
            } else {
              if (ifunc) need(sym, NEEDS_PLT | NEEDS_CPLT);
              if (ctx.pie && !sym->is_absolute() && !sym->is_undefined() &&
                  (writable || text_relocation_allowed(isec, rel, sym))) {
                if (ctx.syn->relrdyn && relr_eligible(ctx, isec, rel.offset)) {
                  ctx.syn->relrdyn->sites.push_back({&isec, rel.offset});
                } else {
                  ++ctx.syn->reladyn->count;
                  ++ctx.syn->reladyn->relative_count;
                }
              }
            }
          } else {
            if (ctx.pie && !sym->is_absolute() && !(sym->is_undefined() && !preempt))
              ctx.error_or_warn(isec.location(rel.offset),
                        "relocation " + rel_type_name<E>(rel.type) + " against " +
                            (sym->name.empty() || sym->type == STT_SECTION ? std::string("local symbol") : "symbol '" + std::string(sym->name) + "'") +
                            " cannot be used when making a " + output_kind() + "; recompile with " + pic_flag());
            else if (preempt) direct_reference_to_import(isec, rel, sym);
            else if (ifunc) need(sym, NEEDS_PLT | NEEDS_CPLT);
          }
          break;
        case RelKind::pc:
          if (preempt) direct_reference_to_import(isec, rel, sym);
          else if (ifunc) need(sym, NEEDS_PLT | NEEDS_CPLT);
          break;
        case RelKind::branch:
          if (preempt) need(sym, NEEDS_PLT | NEEDS_DYNSYM);
          else if (ifunc) need(sym, NEEDS_PLT);
          break;
        case RelKind::got_pc:
        case RelKind::got_pc_relax: {
          bool relax = info.kind == RelKind::got_pc_relax && !preempt && !ifunc && !sym->is_undefined() &&
                       !(ctx.pie && sym->is_absolute()) && got_load_relaxable<E>(isec, rel);
          if (relax) break;
          uint16_t f = NEEDS_GOT;
          if (preempt || (dyn_undef_weak && !sym->is_local)) f |= NEEDS_DYNSYM;
          if (ifunc) f |= NEEDS_PLT | NEEDS_CPLT;
          need(sym, f);
          break;
        }
        case RelKind::tls_gd:
        case RelKind::tls_ld:
          if (tls_call_shape<E>(isec, rel) == TlsCallShape::unknown) {
            ctx.error(isec.location(rel.offset), "unrecognised code sequence for " + rel_type_name<E>(rel.type));
            break;
          }
          if (ctx.shared) {
            // A shared object cannot know its TLS block's offset: the code
            // stays as written and asks __tls_get_addr, through GOT pairs.
            if (info.kind == RelKind::tls_gd) need(sym, NEEDS_TLSGD | (preempt ? NEEDS_DYNSYM : 0));
            else ctx.needs_tls_ld = true;
            break;
          }
          if (info.kind == RelKind::tls_gd && preempt) need(sym, NEEDS_GOTTP | NEEDS_DYNSYM);
          ++i;  // the __tls_get_addr call is relaxed away with it
          break;
        case RelKind::gottpoff:
          if (ctx.shared) {
            need(sym, NEEDS_GOTTP | (preempt ? NEEDS_DYNSYM : 0));
            ctx.static_tls = true;
          } else if (preempt || (rel.offset >= 2 && isec.data[rel.offset - 2] != 0x8b && isec.data[rel.offset - 2] != 0x03)) {
            need(sym, NEEDS_GOTTP | (preempt ? NEEDS_DYNSYM : 0));
          }
          break;
        case RelKind::tlsdesc_pc:
          if (ctx.shared) need(sym, NEEDS_TLSDESC | (preempt ? NEEDS_DYNSYM : 0));
          else if (preempt) need(sym, NEEDS_GOTTP | NEEDS_DYNSYM);
          break;
        case RelKind::gotoff:
        case RelKind::gotpc:
          ctx.gotplt_referenced = true;
          break;
        case RelKind::tpoff:
          if (ctx.shared)
            ctx.error(isec.location(rel.offset), "relocation " + rel_type_name<E>(rel.type) + " against '" +
                                                     std::string(sym->name) +
                                                     "' cannot be used in a shared object; recompile with -fPIC");
          else if (preempt)
            ctx.error(isec.location(rel.offset), "relocation " + rel_type_name<E>(rel.type) +
                                                     " against '" + std::string(sym->name) +
                                                     "', which is defined in a shared library");
          break;
        default:
          break;
      }
    }
  }
};

}  // namespace

namespace {

// For an undefined __start_NAME or __stop_NAME: the name of the section
// --gc-sections collected although the program asks for its bounds, if any.
template <typename E>
std::string_view section_collected_despite_bounds(const Context<E>& ctx, std::string_view symbol) {
  if (!ctx.opts.gc_sections || !ctx.opts.start_stop_gc) return {};
  for (std::string_view prefix : {"__start_", "__stop_"}) {
    if (!symbol.starts_with(prefix)) continue;
    std::string_view name = symbol.substr(prefix.size());
    for (auto& file : ctx.objs)
      if (file->alive)
        for (auto& isec : file->sections)
          if (isec && !isec->alive && isec->name == name) return name;
  }
  return {};
}

}  // namespace

template <typename E>
void scan_relocations(Context<E>& ctx, std::vector<Symbol<E>*>& needy) {
  Scanner<E> s{ctx, needy, {}, {}};
  for (auto& file : ctx.objs) {
    if (!file->alive) continue;
    for (auto& isec : file->sections)
      if (isec && (isec->alive || isec->is_eh_frame) && (isec->shdr.flags & SHF_ALLOC)) s.scan(*isec);
  }
  for (std::string_view name : s.undefined_order) {
    Symbol<E>* sym = ctx.symbol_map.count(name) ? ctx.symbol_map.at(name) : nullptr;
    const char* kind = !sym || sym->visibility == STV_DEFAULT ? "" : sym->visibility == STV_HIDDEN ? "hidden "
                       : sym->visibility == STV_PROTECTED ? "protected " : "internal ";
    std::string msg = std::string("undefined ") + kind + "symbol: " + (ctx.opts.demangle ? demangle(name) : std::string(name));
    for (const std::string& where : s.undefined[name])
      msg += where.empty() ? "\n>>> referenced by more places" : "\n>>> referenced by " + where;
    if (std::string_view section = section_collected_despite_bounds(ctx, name); !section.empty())
      msg += "\n>>> --gc-sections removed section " + std::string(section) +
             ": under -z start-stop-gc (the default, as in ld.lld) its bounds do not keep it;"
             " -z nostart-stop-gc keeps it, as GNU ld does";
    ctx.error_or_warn("", msg);
  }
}

template void scan_relocations(Context<X86_64>&, std::vector<Symbol<X86_64>*>&);

}  // namespace linkbox::link

namespace linkbox::link {
namespace {

// Where an imported data object lives in its library decides where its copy
// goes: data from a read-only or RELRO segment is copied into RELRO space.
template <typename E>
bool in_readonly_segment(const SharedFile<E>& dso, uint64_t value) {
  for (const elf::Phdr& p : dso.elf->segments()) {
    bool inside = value >= p.vaddr && value < p.vaddr + p.memsz;
    if (!inside) continue;
    if (p.type == PT_GNU_RELRO) return true;
    if (p.type == PT_LOAD && !(p.flags & PF_W)) return true;
  }
  return false;
}

}  // namespace

template <typename E>
void assign_table_slots(Context<E>& ctx) {
  Synthetics<E>& syn = *ctx.syn;
  auto& needy = ctx.needy;
  for (size_t i = 0; i < needy.size(); ++i) {
    Symbol<E>* sym = needy[i];
    if (!(sym->needs & NEEDS_COPY) || !sym->is_shared() || sym->copy_offset || sym->dynsym_idx == -2) continue;
    auto* dso = static_cast<SharedFile<E>*>(sym->file);
    sym->copy_readonly = in_readonly_segment(*dso, sym->value);
    uint64_t align = sym->value ? (sym->value & -sym->value) : 1;
    align = std::min<uint64_t>(align, 64);
    sym->copy_offset = (sym->copy_readonly ? syn.copyrel_relro : syn.copyrel)->add(sym, align);
    ++syn.reladyn->count;
    // Other names for the same object (environ and __environ) share the copy,
    // so that the library's references to either see the executable's copy.
    for (const auto& d : dso->defs) {
      if (d.sym.value != sym->value || d.name == sym->name || d.hidden) continue;
      auto it = ctx.symbol_map.find(d.name);
      if (it == ctx.symbol_map.end() || it->second->file != dso) continue;
      Symbol<E>* alias = it->second;
      if (!alias->needs) needy.push_back(alias);
      alias->needs |= NEEDS_COPY | NEEDS_DYNSYM;
      alias->copy_readonly = sym->copy_readonly;
      alias->copy_offset = sym->copy_offset;
      alias->dynsym_idx = -2;  // shares the copy; no relocation of its own
    }
  }
  for (Symbol<E>* sym : needy)
    if (sym->dynsym_idx == -2) sym->dynsym_idx = -1;
  // PLT: imported functions first, then IFUNCs (IRELATIVE slots).
  for (int pass = 0; pass < 2; ++pass)
    for (Symbol<E>* sym : needy) {
      if (!(sym->needs & NEEDS_PLT) || sym->plt_idx >= 0 || is_preemptible(ctx, *sym) != (pass == 0)) continue;
      sym->plt_idx = static_cast<int32_t>(syn.plt->symbols.size());
      syn.plt->symbols.push_back(sym);
      if (pass == 1) ++syn.plt->num_ifunc;
    }
  for (Symbol<E>* sym : needy) {
    if ((sym->needs & NEEDS_GOT) && sym->got_idx < 0) sym->got_idx = static_cast<int32_t>(syn.got->add(GotKind::address, sym));
    if ((sym->needs & NEEDS_GOTTP) && sym->gottp_idx < 0)
      sym->gottp_idx = static_cast<int32_t>(syn.got->add(GotKind::tp_offset, sym));
    if ((sym->needs & NEEDS_TLSGD) && sym->tlsgd_idx < 0)
      sym->tlsgd_idx = static_cast<int32_t>(syn.got->add(GotKind::tls_module, sym));
    if ((sym->needs & NEEDS_TLSDESC) && sym->tlsdesc_idx < 0)
      sym->tlsdesc_idx = static_cast<int32_t>(syn.got->add(GotKind::tls_desc, sym));
  }
  if (ctx.needs_tls_ld && ctx.tls_ld_slot < 0)
    ctx.tls_ld_slot = static_cast<int32_t>(syn.got->add(GotKind::tls_module, nullptr));
  if (ctx.uses_gnu_osabi || syn.plt->num_ifunc) ctx.uses_gnu_osabi = true;
  if (syn.dynsym) {
    // Every string .dynamic will refer to goes into .dynstr before it is sized.
    for (auto& dso : ctx.dsos)
      if (dso->needed) syn.dynstr->add(dso->soname);
    if (!ctx.runpath.empty()) syn.dynstr->add(ctx.runpath);
    if (ctx.opts.soname) syn.dynstr->add(*ctx.opts.soname);
    syn.dynsym->finalize(ctx);
    syn.verdef->finalize(ctx);
    syn.verneed->finalize(ctx);
  }
  syn.reladyn->count += syn.got->count_dyn_relocs(ctx);
}

template void assign_table_slots(Context<X86_64>&);

}  // namespace linkbox::link
