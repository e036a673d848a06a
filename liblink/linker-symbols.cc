// Symbols the linker defines when the program refers to them and nothing
// else defines them (ld's PROVIDE semantics): section bounds such as
// __init_array_start or __start_SECTION, the ends of text, data and bss
// (_etext, _edata, _end), __ehdr_start, _GLOBAL_OFFSET_TABLE_ and _DYNAMIC.
//
// They are defined twice: before the relocation scan, so that references to
// them are not undefined, and after layout, when their addresses are known.
// Each is relative to an output chunk, so a PIE relocates it.
#include "liblink/linker-symbols.h"
#include "liblink/c-identifier.h"

#include <cctype>

#include "liblink/synthetic.h"

namespace linkbox::link {
template <typename E>
void define_linker_symbols(Context<E>& ctx) {
  auto provide = [&](const std::string& name, uint8_t visibility) {
    auto it = ctx.symbol_map.find(name);
    if (it == ctx.symbol_map.end()) return;
    Symbol<E>* sym = it->second;
    if (sym->state != SymbolState::undefined) return;
    sym->state = SymbolState::defined;
    sym->linker_defined = true;
    sym->chunk = ctx.syn->ehdr;  // until layout says where
    sym->value = 0;
    sym->type = STT_NOTYPE;
    sym->weak = false;
    if (visibility != STV_DEFAULT) sym->visibility = visibility;
    ctx.linker_symbols.push_back({sym, name});
  };
  for (const char* n : {"__ehdr_start", "__executable_start", "__init_array_start", "__init_array_end",
                        "__fini_array_start", "__fini_array_end", "__preinit_array_start",
                        "__preinit_array_end", "__rela_iplt_start", "__rela_iplt_end", "__GNU_EH_FRAME_HDR"})
    provide(n, STV_HIDDEN);
  for (const char* n : {"_etext", "etext", "__etext", "_edata", "edata", "_end", "end", "__bss_start"})
    provide(n, STV_DEFAULT);
  if (ctx.symbol_map.count("_GLOBAL_OFFSET_TABLE_") &&
      ctx.symbol_map["_GLOBAL_OFFSET_TABLE_"]->state == SymbolState::undefined) {
    provide("_GLOBAL_OFFSET_TABLE_", STV_HIDDEN);
    ctx.gotplt_referenced = true;
  }
  if (ctx.syn->dynamic) provide("_DYNAMIC", STV_HIDDEN);
  for (OutputSection<E>* osec : ctx.output_sections)
    if (is_c_identifier(osec->name)) {
      provide("__start_" + osec->name, STV_PROTECTED);
      provide("__stop_" + osec->name, STV_PROTECTED);
    }
}

template <typename E>
void finalize_linker_symbols(Context<E>& ctx) {
  const Synthetics<E>& s = *ctx.syn;
  Chunk<E>* last_text = nullptr;
  Chunk<E>* last_data = nullptr;
  Chunk<E>* last_alloc = nullptr;
  Chunk<E>* first_bss = nullptr;
  for (Chunk<E>* c : ctx.chunks) {
    if (!(c->shdr.flags & SHF_ALLOC) || c->is_header) continue;
    if ((c->shdr.flags & SHF_TLS) && c->shdr.type == SHT_NOBITS) continue;
    if (c->shdr.flags & SHF_EXECINSTR) last_text = c;
    if (c->shdr.type != SHT_NOBITS) last_data = c;
    else if (!first_bss) first_bss = c;
    last_alloc = c;
  }
  auto find_osec = [&](std::string_view name) -> Chunk<E>* {
    for (Chunk<E>* c : ctx.chunks)
      if (c->name == name && !c->is_header) return c;
    return nullptr;
  };
  auto at = [](Symbol<E>* sym, Chunk<E>* c, bool end) {
    sym->chunk = c;
    sym->value = c && end ? c->shdr.size : 0;
  };
  for (auto& entry : ctx.linker_symbols) {
    // (Not a structured binding: clang 14 cannot capture one in a lambda.)
    Symbol<E>* sym = entry.first;
    const std::string& name = entry.second;
    auto bounds = [&](const char* section, bool end) {
      Chunk<E>* c = find_osec(section);
      if (c) at(sym, c, end);
      else at(sym, s.ehdr, false);  // an empty array: start == end
    };
    if (name == "__ehdr_start" || name == "__executable_start") at(sym, s.ehdr, false);
    else if (name == "__init_array_start") bounds(".init_array", false);
    else if (name == "__init_array_end") bounds(".init_array", true);
    else if (name == "__fini_array_start") bounds(".fini_array", false);
    else if (name == "__fini_array_end") bounds(".fini_array", true);
    else if (name == "__preinit_array_start") bounds(".preinit_array", false);
    else if (name == "__preinit_array_end") bounds(".preinit_array", true);
    else if (name == "__rela_iplt_start" || name == "__rela_iplt_end") {
      // Only a static, non-PIE executable applies its IRELATIVE relocations
      // itself (from these bounds); anywhere else ld.so or the static-PIE
      // self-relocation does it, and the range must be empty.
      bool own = !ctx.dynamic;
      at(sym, s.relaplt, own && name == "__rela_iplt_end");
    } else if (name == "__GNU_EH_FRAME_HDR") at(sym, s.ehframehdr ? (Chunk<E>*)s.ehframehdr : s.ehdr, false);
    else if (name == "_etext" || name == "etext" || name == "__etext") at(sym, last_text ? last_text : s.ehdr, last_text);
    else if (name == "_edata" || name == "edata") at(sym, last_data, true);
    else if (name == "_end" || name == "end") at(sym, last_alloc, true);
    else if (name == "__bss_start") {
      if (first_bss) at(sym, first_bss, false);
      else at(sym, last_data, true);
    } else if (name == "_GLOBAL_OFFSET_TABLE_") at(sym, s.gotplt, false);
    else if (name == "_DYNAMIC") at(sym, s.dynamic, false);
    else if (name.rfind("__start_", 0) == 0) bounds(name.c_str() + 8, false);
    else if (name.rfind("__stop_", 0) == 0) bounds(name.c_str() + 7, true);
  }
}

template void define_linker_symbols(Context<X86_64>&);
template void finalize_linker_symbols(Context<X86_64>&);

}  // namespace linkbox::link
