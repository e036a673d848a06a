#include "liblink/map-file.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#include "libformat/demangle.h"
#include "liblink/synthetic.h"

namespace linkbox::link {
namespace {

// Symbol names as lld prints them: demangled unless --no-demangle.
template <typename E>
std::string display_name(const Context<E>& ctx, const Symbol<E>& sym) {
  return ctx.opts.demangle ? demangle(sym.name) : std::string(sym.name);
}

template <typename E>
class MapWriter {
 public:
  MapWriter(Context<E>& ctx, std::FILE* out) : ctx_(ctx), out_(out) {}

  void write() {
    index_symbols();
    std::fprintf(out_, "%16s %16s %8s %5s %-7s %-7s %s\n", "VMA", "LMA", "Size", "Align", "Out", "In",
                 "Symbol");
    for (Chunk<E>* c : ctx_.chunks) {
      if (c->is_header || !c->shndx) continue;
      line(0, c->shdr.addr, c->shdr.size, c->shdr.addralign, c->name);
      if (auto* osec = dynamic_cast<OutputSection<E>*>(c)) {
        for (InputSection<E>* isec : osec->members) {
          line(8, isec->address(), isec->size, isec->align, isec->file->name + ":(" + std::string(isec->name) + ")");
          symbols_of(isec);
        }
        for (MergedSection<E>* ms : osec->embedded)
          line(8, ms->address(), ms->shdr.size, ms->shdr.addralign, "<internal>:(" + ms->name + ")");
      } else if (c == ctx_.syn->ehframe) {
        line(8, c->shdr.addr, c->shdr.size, c->shdr.addralign, "<internal>:(.eh_frame)");
      } else if (!dynamic_cast<MergedSection<E>*>(c)) {
        line(8, c->shdr.addr, c->shdr.size, c->shdr.addralign, "<internal>:(" + c->name + ")");
      }
      for (auto& [sym, name] : ctx_.linker_symbols)
        if (sym->chunk == c && sym->referenced) line(16, symbol_address(ctx_, *sym), 0, 1, name);
    }
  }

 private:
  Context<E>& ctx_;
  std::FILE* out_;
  std::unordered_map<const InputSection<E>*, std::vector<const Symbol<E>*>> by_section_;

  void line(int indent, uint64_t addr, uint64_t size, uint64_t align, const std::string& what) {
    std::fprintf(out_, "%16" PRIx64 " %16" PRIx64 " %8" PRIx64 " %5" PRIu64 " %*s%s\n", addr, addr, size,
                 align, indent, "", what.c_str());
  }

  void index_symbols() {
    for (auto& file : ctx_.objs) {
      if (!file->alive) continue;
      for (size_t i = 1; i < file->symbols.size(); ++i) {
        const Symbol<E>* s = file->symbols[i];
        if (!s || !s->isec || s->name.empty() || s->type == STT_SECTION || s->type == STT_FILE) continue;
        if (!s->is_local && s->file != file.get()) continue;  // listed once, with its definer
        if (s->name.substr(0, 2) == ".L") continue;
        by_section_[s->isec].push_back(s);
      }
    }
    for (auto& [isec, syms] : by_section_)
      std::stable_sort(syms.begin(), syms.end(), [](const Symbol<E>* a, const Symbol<E>* b) { return a->value < b->value; });
  }

  void symbols_of(const InputSection<E>* isec) {
    auto it = by_section_.find(isec);
    if (it == by_section_.end()) return;
    for (const Symbol<E>* s : it->second) line(16, symbol_address(ctx_, *s), 0, 1, display_name(ctx_, *s));
  }
};

// --cref: GNU ld's cross reference table, in lld's form: every global
// symbol an object defines or takes from a shared library, with its definer
// first and then every other object that names it, in input order.
template <typename E>
void write_cross_reference_table(Context<E>& ctx, std::FILE* out) {
  std::vector<const Symbol<E>*> order;
  std::unordered_map<const Symbol<E>*, std::vector<const InputFile<E>*>> files;
  for (auto& file : ctx.objs) {
    if (!file->alive) continue;
    for (size_t i = file->first_global; i < file->symbols.size(); ++i) {
      const Symbol<E>* s = file->symbols[i];
      if (!s) continue;
      // Hidden and version-script-local definitions are local in the output,
      // so not listed.
      bool local = s->visibility == STV_HIDDEN || s->visibility == STV_INTERNAL ||
                   (s->is_defined() && s->out_version == 0);
      bool listed = !local && (s->is_shared() || (s->is_defined() && (!s->isec || s->isec->alive)));
      if (!listed) continue;
      auto [it, fresh] = files.try_emplace(s);
      if (fresh) order.push_back(s);
      if (std::find(it->second.begin(), it->second.end(), file.get()) == it->second.end())
        it->second.push_back(file.get());
    }
  }
  auto row = [&](const std::string& a, const std::string& b) { std::fprintf(out, "%-49s %s\n", a.c_str(), b.c_str()); };
  std::fprintf(out, "\nCross Reference Table\n\n");
  row("Symbol", "File");
  for (const Symbol<E>* s : order) {
    row(display_name(ctx, *s), s->file ? s->file->name : "<internal>");
    for (const InputFile<E>* f : files[s])
      if (f != s->file) row("", f->name);
  }
}

}  // namespace

template <typename E>
Status write_map_file(Context<E>& ctx) {
  // Like lld: the map and the cross reference table go to the -Map file, or
  // without one to standard output.
  const std::string path = ctx.opts.map_file.value_or("-");
  bool to_stdout = path == "-";
  std::FILE* f = to_stdout ? stdout : std::fopen(path.c_str(), "w");
  if (!f) return make_error(path, std::string("cannot write the link map: ") + std::strerror(errno));
  if (ctx.opts.map_file) MapWriter<E>(ctx, f).write();
  if (ctx.opts.cref) write_cross_reference_table(ctx, f);
  if (to_stdout) {
    std::fflush(f);
    return {};
  }
  if (std::fclose(f) != 0) return make_error(path, std::string("cannot write the link map: ") + std::strerror(errno));
  return {};
}

template Status write_map_file(Context<X86_64>&);

}  // namespace linkbox::link
