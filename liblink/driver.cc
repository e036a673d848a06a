// The passes of a link, in order. Read link_elf top to bottom to learn how a
// link happens; each step lives in the file named after it.
#include "liblink/driver.h"

#include <cinttypes>
#include <cstdio>

#include "libformat/diagnostics.h"
#include "liblink/call-graph-sort.h"
#include "liblink/compress-debug-sections.h"
#include "liblink/context.h"
#include "liblink/defsym.h"
#include "liblink/emit-relocs.h"
#include "liblink/gc-sections.h"
#include "liblink/icf.h"
#include "liblink/layout.h"
#include "liblink/linker-symbols.h"
#include "liblink/map-file.h"
#include "liblink/output-sections.h"
#include "liblink/resolve.h"
#include "liblink/scan-relocs.h"
#include "liblink/symbol-versions.h"
#include "liblink/synthetic.h"
#include "liblink/write-output.h"

namespace linkbox::link {

template <typename E>
Context<E>::~Context() = default;

template <typename E>
void Context<E>::error(const std::string& where, const std::string& what) {
  ++errors;
  Diagnostics::error(where, what);
}

template <typename E>
void Context<E>::warn(const std::string& where, const std::string& what) {
  if (opts.fatal_warnings) return error(where, what);
  Diagnostics::warning(where, what);
}

template <typename E>
void Context<E>::error_or_warn(const std::string& where, const std::string& what) {
  if (opts.noinhibit_exec) return warn(where, what);
  error(where, what);
}

template <typename E>
void report_relative_reloc(const Context<E>& ctx, const DynReloc& r, std::string_view symbol,
                           std::string_view section, const std::string& file) {
  std::fprintf(stderr, "%s: %s (offset: 0x%" PRIx64 ", info: 0x%x, addend: 0x%" PRIx64 ") against '%.*s' for section '%.*s' in %s\n",
               ctx.opts.output.c_str(), r.type == E::R_RELATIVE ? "R_X86_64_RELATIVE" : "R_X86_64_IRELATIVE",
               r.offset, r.type, static_cast<uint64_t>(r.addend), static_cast<int>(symbol.size()), symbol.data(),
               static_cast<int>(section.size()), section.data(), file.c_str());
}

template <typename E>
Symbol<E>* Context<E>::intern(std::string_view name) {
  auto it = symbol_map.find(name);
  if (it != symbol_map.end()) return it->second;
  Symbol<E>& sym = symbol_pool.emplace_back();
  sym.name = save(std::string(name));
  symbol_map.emplace(sym.name, &sym);
  return &sym;
}

namespace {

template <typename E>
void configure(Context<E>& ctx) {
  const LinkOptions& o = ctx.opts;
  ctx.shared = o.kind == OutputKind::shared;
  ctx.pie = o.kind == OutputKind::pie || ctx.shared;
  // -static with -shared only means "search for archives" (-Bstatic).
  ctx.is_static = o.is_static && !ctx.shared;
  // A static PIE still has .dynamic: its startup code relocates itself from it.
  ctx.dynamic = !ctx.is_static || ctx.pie;
  if (!ctx.is_static && !o.no_dynamic_linker && !ctx.shared)
    ctx.interp_path = o.dynamic_linker.value_or("/lib64/ld-linux-x86-64.so.2");
  for (const std::string& r : o.rpath) ctx.runpath += (ctx.runpath.empty() ? "" : ":") + r;
  ctx.image_base = o.image_base.value_or(ctx.pie ? 0 : E::exe_image_base);
}

// An executable that links no shared library has nothing for ld.so to do,
// so it is static, as with ld.bfd and ld.lld: no PT_INTERP, no .dynamic,
// undefined weak symbols are 0 and IFUNCs go through .rela.iplt.
// --export-dynamic still asks for a .dynsym (ld.lld keeps .dynamic for it;
// ld.bfd drops it). Unlike ld.lld, an explicit --dynamic-linker does not
// bring back PT_INTERP here: ld.so cannot start a program without
// PT_DYNAMIC, and ld.lld's output crashes.
template <typename E>
void make_static_without_libraries(Context<E>& ctx) {
  if (ctx.pie || ctx.is_static || !ctx.dsos.empty()) return;
  ctx.is_static = true;
  ctx.interp_path.clear();
  ctx.dynamic = ctx.opts.export_dynamic;
}

// Notes that are facts about the whole program: the stack permission, and
// the x86 CET features every input must have for the output to claim them.
template <typename E>
void combine_notes(Context<E>& ctx) {
  bool all_have = true;
  uint32_t features = ~0u;
  size_t objects = 0;
  for (auto& f : ctx.objs) {
    if (!f->alive || f->sections.empty()) continue;
    ++objects;
    if (f->has_exec_stack_note) ctx.exec_stack = true;
    if (!f->x86_features) all_have = false;
    else features &= *f->x86_features;
  }
  if (ctx.opts.execstack) ctx.exec_stack = true;
  ctx.x86_features_and = all_have && objects ? features : 0;
}

// .dynamic goes last: how many entries it has depends on the other sizes.
template <typename E>
void compute_sizes(Context<E>& ctx) {
  for (auto& c : ctx.chunk_pool)
    if (c.get() != ctx.syn->dynamic) c->compute_size(ctx);
  if (ctx.syn->dynamic) ctx.syn->dynamic->compute_size(ctx);
}

template <typename E>
Status link_elf(Context<E>& ctx) {
  auto failed = [&]() { return ctx.errors > 0 || Diagnostics::error_count() > 0; };
  auto stop = [&]() { return make_error(ctx.opts.output, "link failed; no output written"); };
  configure(ctx);
  LINKBOX_TRY(read_version_scripts(ctx));
  LINKBOX_TRY(load_inputs(ctx));
  if (failed()) return stop();
  make_static_without_libraries(ctx);
  define_defsyms(ctx);
  if (failed()) return stop();
  mark_needed_libraries(ctx);
  check_shared_library_undefined(ctx);
  assign_symbol_versions(ctx);  // (its errors stop the link after the relocation scan, with the others)
  if (ctx.opts.gc_sections) collect_garbage(ctx);
  combine_notes(ctx);
  allocate_commons(ctx);
  create_output_sections(ctx);
  resolve_fragments(ctx);
  // Identical code folding runs where lld runs it: once the output sections
  // are known (sections bound for different ones must not fold) and the
  // merged strings are deduplicated (two functions that print the same
  // literal from two objects are identical), but before --defsym aliases
  // copy their targets' places, before the synthetic sections and the
  // .eh_frame records (which drop the folded functions' FDEs) are built, and
  // before the relocation scan, so that a folded section costs nothing.
  if (ctx.opts.icf != IcfMode::none) fold_identical_code(ctx);
  // The call graph profile orders sections after folding (as in lld, a call
  // to a folded function counts for its twin); an explicit
  // --symbol-ordering-file (applied with the output sections) wins over it.
  if (ctx.opts.call_graph_profile_sort && !ctx.opts.symbol_ordering_file) sort_by_call_graph(ctx);
  resolve_defsym_aliases(ctx);
  create_synthetic_sections(ctx);
  if (ctx.opts.emit_relocs) create_emit_relocs_sections(ctx);
  define_linker_symbols(ctx);
  ctx.syn->ehframe->build(ctx);
  scan_relocations(ctx, ctx.needy);
  if (failed()) return stop();
  assign_table_slots(ctx);
  // Our PLT has no endbr64: an output with a PLT cannot claim IBT.
  if (!ctx.syn->plt->symbols.empty()) ctx.x86_features_and &= ~1u;

  // A shared object has an entry point only when asked for one.
  if (!ctx.shared || ctx.opts.entry) {
    std::string entry = ctx.opts.entry.value_or("_start");
    if (auto it = ctx.symbol_map.find(entry); it != ctx.symbol_map.end() && it->second->is_defined())
      ctx.entry = it->second;
    else
      ctx.warn(ctx.opts.output, "cannot find entry symbol " + entry + "; not setting the start address");
  }

  compute_sizes(ctx);
  order_chunks(ctx);
  build_segments(ctx);  // counts the program headers; addresses come next
  assign_addresses(ctx);
  build_segments(ctx);
  // .relr.dyn's size depends on the addresses it packs: lay out again until
  // it stops growing (it never shrinks, so this ends).
  if (ctx.syn->relrdyn)
    for (int round = 0; round < 16 && ctx.syn->relrdyn->update(ctx); ++round) {
      assign_addresses(ctx);
      build_segments(ctx);
    }
  finalize_linker_symbols(ctx);
  if (ctx.syn->symtab) ctx.syn->symtab->finalize(ctx);
  for (Chunk<E>* c : ctx.chunks)
    if (!(c->shdr.flags & SHF_ALLOC)) c->compute_size(ctx);
  compress_debug_sections(ctx);
  assign_addresses(ctx);
  build_segments(ctx);
  if (failed()) return stop();

  if (ctx.opts.map_file || ctx.opts.cref) LINKBOX_TRY(write_map_file(ctx));
  write_output(ctx);
  if (failed()) return stop();
  return commit_output(ctx);
}

}  // namespace

Status run_link(const LinkOptions& options) {
  if (!options.emulation.empty() && options.emulation != X86_64::emulation)
    return make_error("", "emulation " + options.emulation + " is not supported yet (only " +
                              X86_64::emulation + ")");
  if (options.kind == OutputKind::relocatable)
    return make_error("", "relocatable output (-r) is not implemented yet");
  if (options.emit_relocs && options.strip == StripMode::all)
    return make_error("", "--strip-all and --emit-relocs may not be used together");  // as ld.lld
  for (auto& [name, expr] : options.defsyms)
    if (auto parsed = parse_defsym(name, expr); !parsed) return parsed.error();
  if (options.plugin_options.size() || options.plugin) {
    // gcc always passes its LTO plugin; objects without LTO sections link as usual.
  }
  auto ctx = std::make_unique<Context<X86_64>>(options);
  Status s = link_elf(*ctx);
#if defined(__SANITIZE_ADDRESS__)
#define LINKBOX_FREE_CONTEXT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LINKBOX_FREE_CONTEXT 1
#endif
#endif
#if !defined(LINKBOX_FREE_CONTEXT)
  // The process exits right after a link: tearing down millions of symbols
  // and sections one free() at a time costs a tenth of a large link, and the
  // kernel reclaims it all at once anyway (lld and mold skip it too). The
  // output file is already committed or removed. Sanitizer builds free it,
  // so that LeakSanitizer still checks everything else.
  if (s) {
    ctx->output.reset();
    (void)ctx.release();
  }
#endif
  return s;
}

template struct Context<X86_64>;
template void report_relative_reloc(const Context<X86_64>&, const DynReloc&, std::string_view, std::string_view,
                                    const std::string&);

}  // namespace linkbox::link
