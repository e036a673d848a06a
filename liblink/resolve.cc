#include "liblink/resolve.h"

#include <fnmatch.h>

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>

#include "libformat/archive.h"
#include "libformat/file-type.h"
#include "liblink/defsym.h"
#include "liblink/input-files.h"

namespace linkbox::link {
namespace {

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string dirname_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// A linker script of the small kind distributions install in place of a
// shared library (libc.so, libgcc_s.so): tokens are words and parentheses.
std::vector<std::string> tokenize_script(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';') { ++i; continue; }
    if (text.substr(i, 2) == "/*") {
      auto end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
      continue;
    }
    // "=/usr/lib/x.a": a file under --sysroot, one word.
    bool sysroot_prefix = c == '=' && i + 1 < text.size() && text[i + 1] == '/';
    if (!sysroot_prefix && (c == '(' || c == ')' || c == '{' || c == '}' || c == '=')) {
      out.emplace_back(1, c);
      ++i;
      continue;
    }
    if (c == '"') {
      auto end = text.find('"', i + 1);
      if (end == std::string_view::npos) end = text.size();
      out.emplace_back(text.substr(i + 1, end - i - 1));
      i = end + 1;
      continue;
    }
    size_t j = sysroot_prefix ? i + 1 : i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) &&
           std::string_view("(),;{}=\"").find(text[j]) == std::string_view::npos)
      ++j;
    out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

template <typename E>
struct Loader {
  explicit Loader(Context<E>& c) : ctx(c) {
    for (const std::string& d : ctx.opts.library_paths) search_dirs.push_back(with_sysroot(d));
  }

  Context<E>& ctx;
  std::vector<std::string> search_dirs;

  // An archive, or one object between --start-lib and --end-lib (no `ar`;
  // its only member, at offset 0, is the object itself).
  struct LazyArchive {
    std::string path;
    std::unique_ptr<Archive> ar;
    std::span<const uint8_t> object;
    std::map<uint64_t, bool> extracted;  // by member header offset
    uint32_t group = 0;                  // --warn-backrefs: its place on the command line
  };
  std::deque<LazyArchive> archives;
  struct LazyRef {
    LazyArchive* archive = nullptr;
    uint64_t member = 0;
  };
  std::unordered_map<Symbol<E>*, LazyRef> lazy;
  // Members to extract, with what made us extract them (--why-extract).
  struct Pending {
    LazyArchive* archive;
    uint64_t member;
    std::string referrer;
    std::string_view symbol;
    bool backward = false;  // the reference comes from a file after the archive
  };
  // --warn-backrefs, as ld.lld does it: a file's place is its group; the
  // files of one --start-group (or --start-lib) share one. A reference that
  // extracts a member of an earlier group is one GNU ld's single pass would
  // not have resolved.
  uint32_t group = 0;
  uint32_t group_depth = 0;
  struct BackwardReference {
    std::string referrer;
    std::string extracted;
  };
  std::map<Symbol<E>*, BackwardReference> backward_references;
  std::vector<Pending> pending;
  std::unordered_map<Symbol<E>*, std::string> first_referrer;  // for --why-extract
  std::vector<std::string> why_lines;
  std::unordered_map<std::string_view, bool> traced;  // -y
  Status failure;

  std::string with_sysroot(const std::string& dir) const {
    if (ctx.opts.sysroot && !dir.empty() && dir[0] == '=') return *ctx.opts.sysroot + dir.substr(1);
    if (ctx.opts.sysroot && dir.rfind("$SYSROOT", 0) == 0) return *ctx.opts.sysroot + dir.substr(8);
    return dir;
  }

  Expected<std::span<const uint8_t>> map(const std::string& path) {
    auto m = MappedFile::open(path);
    if (ctx.opts.verbose) std::printf("attempt to open %s %s\n", path.c_str(), m ? "succeeded" : "failed");
    if (!m) return m.error();
    ctx.mapped.push_back(std::move(*m));
    return ctx.mapped.back()->bytes();
  }

  std::optional<std::string> find_library(const std::string& name, bool static_only) const {
    if (!name.empty() && name[0] == ':') {
      for (const std::string& d : search_dirs)
        if (file_exists(d + "/" + name.substr(1))) return d + "/" + name.substr(1);
      return std::nullopt;
    }
    for (const std::string& d : search_dirs) {
      if (!static_only && file_exists(d + "/lib" + name + ".so")) return d + "/lib" + name + ".so";
      if (file_exists(d + "/lib" + name + ".a")) return d + "/lib" + name + ".a";
    }
    return std::nullopt;
  }

  Status load_spec(const InputSpec& in, int depth) {
    std::string path = in.name;
    if (in.kind == InputSpec::Kind::library) {
      auto found = find_library(in.name, in.static_only);
      if (!found) return make_error("", "unable to find library -l" + in.name);
      path = *found;
    }
    return load_path(path, in, depth, in.kind == InputSpec::Kind::library);
  }

  // The next input's group, once this one is loaded.
  void next_group() {
    if (group_depth == 0) ++group;
  }

  Status load_path(const std::string& path, const InputSpec& in, int depth, bool from_l) {
    auto bytes = map(path);
    if (!bytes) return bytes.error();
    switch (identify_file(*bytes)) {
      case FileType::elf: {
        if (bytes->size() >= 18 && (*bytes)[16] == ET_DYN) {
          if (ctx.is_static)
            return make_error(path, "attempted static link of dynamic object");
          return add_shared(path, *bytes, in, from_l);
        }
        if (in.lazy) return add_lazy_object(path, *bytes);
        return add_object(path, *bytes);
      }
      case FileType::archive:
      case FileType::thin_archive:
        return add_archive(path, *bytes, in.whole_archive);
      case FileType::llvm_bitcode:
        return make_error(path, "LLVM bitcode (LTO) inputs are not supported yet; rebuild without -flto");
      case FileType::text:
        if (depth > 8) return make_error(path, "linker scripts nest too deeply");
        return read_script(path, *bytes, in, depth + 1);
      default:
        return make_error(path, "unknown file type (not ELF, an archive or a linker script)");
    }
  }

  Status add_object(const std::string& name, std::span<const uint8_t> bytes) {
    auto obj = parse_object(ctx, name, bytes);
    if (!obj) return obj.error();
    if (ctx.opts.trace) std::printf("%s\n", name.c_str());
    (*obj)->priority = ctx.next_priority++;
    (*obj)->alive = true;
    (*obj)->group = group;
    ctx.objs.push_back(std::move(*obj));
    resolve_object(*ctx.objs.back());
    return drain();
  }

  // An object between --start-lib and --end-lib is a one-member archive: its
  // global definitions are lazy, and it is loaded only when one is needed.
  Status add_lazy_object(const std::string& path, std::span<const uint8_t> bytes) {
    auto f = elf::ElfFile::parse(path, bytes);
    if (!f) return f.error();
    if (f->header().type != ET_REL) return add_object(path, bytes);
    const elf::Section* symtab = f->find_section_by_type(SHT_SYMTAB);
    if (!symtab) return {};
    auto syms = f->symbols_in(*symtab);
    if (!syms) return syms.error();
    auto strtab_sec = symtab->hdr.link < f->sections().size() ? &f->sections()[symtab->hdr.link] : nullptr;
    if (!strtab_sec) return f->error(".symtab: sh_link is out of range");
    auto strtab = f->section_data(*strtab_sec);
    if (!strtab) return strtab.error();
    elf::StringTable names(*strtab);
    LazyArchive& la = archives.emplace_back();
    la.path = path;
    la.object = bytes;
    la.group = group;
    for (size_t i = symtab->hdr.info; i < syms->size(); ++i) {
      const elf::Sym& es = (*syms)[i];
      if (es.shndx == SHN_UNDEF) continue;
      auto name = names.at(es.name);
      if (!name) return f->error("symbol name offset " + elf::hex(es.name) + " is outside .strtab");
      offer_lazy(ctx.intern(*name), la, 0);
    }
    return drain();
  }

  // An archive member or lazy object that defines `sym`, if it is needed.
  void offer_lazy(Symbol<E>* sym, LazyArchive& la, uint64_t member) {
    if (sym->state == SymbolState::undefined) {
      if (sym->strong_ref) {
        pending.push_back({&la, member, first_referrer[sym], sym->name});
      } else if (!lazy.count(sym)) {
        sym->state = SymbolState::lazy;
        lazy[sym] = {&la, member};
      }
    } else if (sym->is_defined()) {
      // GNU ld would resolve a backward reference to this later definition:
      // no warning for it.
      backward_references.erase(sym);
    }
  }

  Status add_shared(const std::string& path, std::span<const uint8_t> bytes, const InputSpec& in,
                    bool from_l) {
    auto dso = parse_shared(ctx, path, bytes);
    if (!dso) return dso.error();
    SharedFile<E>& d = **dso;
    if (d.soname.empty()) {
      // Without DT_SONAME, ld records the name it was given: the file name for
      // -l, the path as written otherwise.
      d.soname = from_l ? path.substr(path.rfind('/') + 1) : path;
    }
    for (const auto& other : ctx.dsos)
      if (other->soname == d.soname) {
        // The same library twice: one is enough. It is needed if any mention
        // of it is outside --as-needed (ld.lld's rule).
        other->as_needed = other->as_needed && in.as_needed;
        return {};
      }
    d.as_needed = in.as_needed;
    d.priority = ctx.next_priority++;
    if (ctx.opts.trace) std::printf("%s\n", path.c_str());
    if (!traced.empty())
      for (const auto& def : d.defs)
        if (traced.count(def.name) && !def.hidden)
          std::printf("%s: shared definition of %.*s\n", path.c_str(), static_cast<int>(def.name.size()), def.name.data());
    d.alive = true;
    ctx.dsos.push_back(std::move(*dso));
    resolve_shared(*ctx.dsos.back());
    return drain();
  }

  Status add_archive(const std::string& path, std::span<const uint8_t> bytes, bool whole) {
    auto ar = Archive::parse(path, bytes);
    if (!ar) return ar.error();
    LazyArchive& la = archives.emplace_back();
    la.path = path;
    la.ar = std::make_unique<Archive>(std::move(*ar));
    if (whole) {
      for (const ArchiveMember& m : la.ar->members()) pending.push_back({&la, m.header_offset, "--whole-archive", {}});
      return drain();
    }
    if (la.ar->symbols().empty() && !la.ar->members().empty())
      return make_error(path, "archive has no symbol index (run ranlib)");
    la.group = group;
    for (const ArchiveSymbol& s : la.ar->symbols()) offer_lazy(ctx.intern(s.name), la, s.member_offset);
    return drain();
  }

  Status extract(LazyArchive& la, uint64_t offset, const std::string& referrer, std::string_view symbol) {
    if (la.extracted[offset]) return {};
    la.extracted[offset] = true;
    std::string name = la.path;
    std::span<const uint8_t> bytes = la.object;
    if (la.ar) {
      const ArchiveMember* m = la.ar->member_at(offset);
      if (!m) return make_error(la.path, "symbol index points at no member (offset " + std::to_string(offset) + ")");
      name = la.path + "(" + m->name + ")";
      bytes = m->data;
      if (la.ar->thin()) {
        auto b = map(la.ar->member_path(*m));
        if (!b) return b.error();
        bytes = *b;
      }
    }
    FileType t = identify_file(bytes);
    if (t == FileType::llvm_bitcode)
      return make_error(name, "LLVM bitcode (LTO) inputs are not supported yet; rebuild without -flto");
    if (t != FileType::elf) return {};  // ld ignores members that are not objects
    auto obj = parse_object(ctx, name, bytes);
    if (!obj) return obj.error();
    (*obj)->priority = ctx.next_priority++;
    (*obj)->alive = true;
    (*obj)->archive = la.ar ? la.path : "";
    (*obj)->group = group;
    if (ctx.opts.trace) std::printf("%s\n", name.c_str());
    if (ctx.opts.why_extract && !symbol.empty())
      why_lines.push_back(referrer + "\t" + name + "\t" + std::string(symbol));
    ctx.objs.push_back(std::move(*obj));
    resolve_object(*ctx.objs.back());
    return {};
  }

  Status drain() {
    while (!pending.empty()) {
      Pending p = pending.back();
      pending.pop_back();
      LINKBOX_TRY(extract(*p.archive, p.member, p.referrer, p.symbol));
      // A weak definition is no backward reference: a later one may override it.
      if (p.backward) {
        Symbol<E>* sym = ctx.intern(p.symbol);
        if (sym->is_defined() && !sym->weak) backward_references[sym] = {p.referrer, ctx.objs.back()->name};
      }
    }
    return {};
  }

  // A non-weak reference to a lazy symbol extracts its member.
  // `from_group` is the referring file's group; references made before any
  // input (-u, the entry point) have none.
  void reference(Symbol<E>* sym, bool weak, const std::string& referrer,
                 std::optional<uint32_t> from_group = std::nullopt) {
    sym->referenced = true;
    if (weak) return;
    sym->strong_ref = true;
    if (ctx.opts.why_extract) first_referrer.try_emplace(sym, referrer);
    if (sym->state == SymbolState::lazy) {
      auto it = lazy.find(sym);
      sym->state = SymbolState::undefined;
      if (it != lazy.end()) {
        bool backward = ctx.opts.warn_backrefs && from_group && *from_group > it->second.archive->group;
        pending.push_back({it->second.archive, it->second.member, referrer, sym->name, backward});
        lazy.erase(it);
      }
    }
  }

  // -y: where a traced symbol is defined and referenced, as ld.lld prints it.
  void trace_symbol(const std::string& file, const Symbol<E>* sym, const elf::Sym& es) {
    if (traced.empty() || !traced.count(sym->name)) return;
    const char* what = es.shndx == SHN_UNDEF ? "reference to" : es.shndx == SHN_COMMON ? "common definition of" : "definition of";
    std::printf("%s: %s %.*s\n", file.c_str(), what, static_cast<int>(sym->name.size()), sym->name.data());
  }

  static uint8_t merge_visibility(uint8_t a, uint8_t b) {
    auto rank = [](uint8_t v) { return v == STV_DEFAULT ? 3 : v == STV_PROTECTED ? 2 : v == STV_HIDDEN ? 1 : 0; };
    return rank(a) <= rank(b) ? a : b;
  }

  void resolve_object(ObjectFile<E>& obj) {
    for (size_t i = obj.first_global; i < obj.esyms.size(); ++i) {
      const elf::Sym& es = obj.esyms[i];
      Symbol<E>* sym = obj.symbols[i];
      uint8_t bind = ELF64_ST_BIND(es.info);
      bool weak = bind == STB_WEAK;
      sym->visibility = merge_visibility(sym->visibility, ELF64_ST_VISIBILITY(es.other));
      bool in_dropped_section = es.shndx != SHN_UNDEF && es.shndx < SHN_LORESERVE && !obj.sections[es.shndx];
      trace_symbol(obj.name, sym, es);
      if (es.shndx == SHN_UNDEF || in_dropped_section) {
        reference(sym, weak || in_dropped_section, obj.name, obj.group);
        continue;
      }
      if (es.shndx == SHN_COMMON) {
        define_common(sym, obj, es);
        continue;
      }
      define(sym, obj, es, weak);
    }
  }

  void set_definition(Symbol<E>* sym, ObjectFile<E>& obj, const elf::Sym& es, bool weak) {
    if (sym->state == SymbolState::lazy) lazy.erase(sym);
    sym->state = SymbolState::defined;
    sym->file = &obj;
    sym->isec = es.shndx == SHN_ABS ? nullptr : obj.sections[es.shndx].get();
    sym->frag = nullptr;
    sym->value = es.value;
    sym->size = es.size;
    sym->type = ELF64_ST_TYPE(es.info);
    sym->weak = weak;
  }

  void define(Symbol<E>* sym, ObjectFile<E>& obj, const elf::Sym& es, bool weak) {
    switch (sym->state) {
      case SymbolState::undefined:
      case SymbolState::lazy:
      case SymbolState::shared:
        set_definition(sym, obj, es, weak);
        return;
      case SymbolState::common:
        if (!weak) set_definition(sym, obj, es, weak);
        return;
      case SymbolState::defined:
        if (sym->weak && !weak) {
          set_definition(sym, obj, es, weak);
        } else if (!sym->weak && !weak && sym->file != &obj && !ctx.opts.allow_multiple_definition) {
          ctx.error("", "duplicate symbol: " + std::string(sym->name) + "\n>>> defined in " +
                            sym->file->name + "\n>>> defined in " + obj.name);
        }
        return;
    }
  }

  void define_common(Symbol<E>* sym, ObjectFile<E>& obj, const elf::Sym& es) {
    bool take = sym->state == SymbolState::undefined || sym->state == SymbolState::lazy ||
                sym->state == SymbolState::shared ||
                (sym->state == SymbolState::defined && sym->weak);
    if (sym->state == SymbolState::common) {
      // Two commons: the larger wins; the alignment is the strictest (st_value).
      if (es.size > sym->size) sym->size = es.size;
      sym->value = std::max(sym->value, es.value);
      return;
    }
    if (!take) return;
    if (sym->state == SymbolState::lazy) lazy.erase(sym);
    sym->state = SymbolState::common;
    sym->file = &obj;
    sym->isec = nullptr;
    sym->value = es.value;  // the alignment, until the common is allocated
    sym->size = es.size;
    sym->type = STT_OBJECT;
    sym->weak = false;
  }

  void resolve_shared(SharedFile<E>& dso) {
    for (const auto& d : dso.defs) {
      if (d.hidden) continue;  // a non-default version binds only versioned references
      Symbol<E>* sym = ctx.intern(d.name);
      if (sym->state != SymbolState::undefined && sym->state != SymbolState::lazy) continue;
      if (sym->state == SymbolState::lazy) lazy.erase(sym);
      sym->state = SymbolState::shared;
      sym->file = &dso;
      sym->isec = nullptr;
      sym->value = d.sym.value;
      sym->size = d.sym.size;
      sym->type = ELF64_ST_TYPE(d.sym.info);
      sym->weak = ELF64_ST_BIND(d.sym.info) == STB_WEAK;
      sym->dso_version = d.version;
    }
  }

  Status read_script(const std::string& path, std::span<const uint8_t> bytes, const InputSpec& in,
                     int depth) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    auto tok = tokenize_script(text);
    size_t i = 0;
    auto expect = [&](const char* t) -> Status {
      if (i >= tok.size() || tok[i] != t)
        return make_error(path, std::string("linker script: expected '") + t + "'" +
                                    (i < tok.size() ? " before '" + tok[i] + "'" : " at the end"));
      ++i;
      return {};
    };
    // GROUP's files share a --warn-backrefs group; INPUT's are in order.
    bool grouped = false;
    std::function<Status(bool)> items = [&](bool as_needed) -> Status {
      LINKBOX_TRY(expect("("));
      while (i < tok.size() && tok[i] != ")") {
        if (tok[i] == "AS_NEEDED") {
          ++i;
          LINKBOX_TRY(items(true));
          continue;
        }
        InputSpec spec = in;
        spec.as_needed = as_needed || in.as_needed;
        std::string w = tok[i++];
        if (w.rfind("-l", 0) == 0) {
          spec.kind = InputSpec::Kind::library;
          spec.name = w.substr(2);
          LINKBOX_TRY(load_spec(spec, depth));
          if (!grouped) next_group();
          continue;
        }
        spec.kind = InputSpec::Kind::file;
        std::string file = w;
        if (w.size() > 1 && w[0] == '=' && w[1] == '/')
          file = ctx.opts.sysroot.value_or("") + w.substr(1);
        else if (!w.empty() && w[0] == '/' && ctx.opts.sysroot && path.rfind(*ctx.opts.sysroot, 0) == 0)
          file = *ctx.opts.sysroot + w;
        else if (!w.empty() && w[0] != '/' && !file_exists(w)) {
          // ld looks in the script's directory's search path, then -L.
          std::string found;
          if (file_exists(dirname_of(path) + "/" + w)) found = dirname_of(path) + "/" + w;
          for (const std::string& d : search_dirs)
            if (found.empty() && file_exists(d + "/" + w)) found = d + "/" + w;
          if (found.empty()) return make_error(path, "cannot find " + w + " (named in this linker script)");
          file = found;
        }
        LINKBOX_TRY(load_path(file, spec, depth, false));
        if (!grouped) next_group();
      }
      return expect(")");
    };
    while (i < tok.size()) {
      const std::string& cmd = tok[i++];
      if (cmd == "GROUP" || cmd == "INPUT") {
        grouped = cmd == "GROUP";
        LINKBOX_TRY(items(false));
      } else if (cmd == "AS_NEEDED") {
        LINKBOX_TRY(items(true));
      } else if (cmd == "OUTPUT_FORMAT" || cmd == "OUTPUT_ARCH") {
        LINKBOX_TRY(expect("("));
        while (i < tok.size() && tok[i] != ")") {
          const std::string& fmt = tok[i++];
          if (cmd == "OUTPUT_FORMAT" && fmt != "elf64-x86-64")
            return make_error(path, "linker script: OUTPUT_FORMAT(" + fmt + ") does not match " + E::name);
        }
        LINKBOX_TRY(expect(")"));
      } else if (cmd == "SEARCH_DIR") {
        LINKBOX_TRY(expect("("));
        if (i < tok.size() && tok[i] != ")") search_dirs.push_back(with_sysroot(tok[i++]));
        LINKBOX_TRY(expect(")"));
      } else {
        return make_error(path, "linker script command " + cmd +
                                    " is not supported (only GROUP, INPUT, AS_NEEDED, OUTPUT_FORMAT, "
                                    "OUTPUT_ARCH and SEARCH_DIR are)");
      }
    }
    return {};
  }
};

}  // namespace

// --why-extract: ld.lld's tab-separated table of which reference extracted
// which archive member.
Status write_why_extract(const std::string& path, const std::vector<std::string>& lines) {
  std::FILE* f = path == "-" ? stdout : std::fopen(path.c_str(), "w");
  if (!f) return make_error(path, std::string("cannot write: ") + std::strerror(errno));
  std::fprintf(f, "reference\textracted\tsymbol\n");
  for (const std::string& l : lines) std::fprintf(f, "%s\n", l.c_str());
  if (f == stdout) return {};
  if (std::fclose(f) != 0) return make_error(path, std::string("cannot write: ") + std::strerror(errno));
  return {};
}

// An object's reference to "name@VERSION" (from .symver) binds to the shared
// library definition of name with that version, default or not.
template <typename E>
void resolve_versioned_references(Context<E>& ctx) {
  std::vector<Symbol<E>*> wanted;
  for (auto& [name, sym] : ctx.symbol_map)
    if (sym->is_undefined() && name.find('@') != std::string_view::npos && name.find("@@") == std::string_view::npos)
      wanted.push_back(sym);
  if (wanted.empty()) return;
  std::unordered_map<std::string_view, std::vector<Symbol<E>*>> by_base;
  for (Symbol<E>* sym : wanted) by_base[sym->dynamic_name()].push_back(sym);
  for (auto& dso : ctx.dsos) {
    for (const auto& d : dso->defs) {
      auto it = by_base.find(d.name);
      if (it == by_base.end() || d.version >= dso->version_names.size()) continue;
      for (Symbol<E>* sym : it->second) {
        if (!sym->is_undefined()) continue;
        if (sym->name.substr(d.name.size() + 1) != dso->version_names[d.version]) continue;
        sym->state = SymbolState::shared;
        sym->file = dso.get();
        sym->value = d.sym.value;
        sym->size = d.sym.size;
        sym->type = ELF64_ST_TYPE(d.sym.info);
        sym->weak = ELF64_ST_BIND(d.sym.info) == STB_WEAK;
        sym->dso_version = d.version;
      }
    }
  }
}

template <typename E>
Status load_inputs(Context<E>& ctx) {
  Loader<E> loader(ctx);
  for (const std::string& name : ctx.opts.trace_symbols) loader.traced[ctx.save(name)] = true;
  // -u and the entry point are references made before any input: they pull
  // archive members in.
  for (const std::string& u : ctx.opts.undefined) loader.reference(ctx.intern(u), false, "--undefined");
  // So is a symbol a --defsym expression names.
  for (auto& [name, expr] : ctx.opts.defsyms)
    if (auto parsed = parse_defsym(name, expr); parsed && !parsed->symbol.empty())
      loader.reference(ctx.intern(parsed->symbol), false, "--defsym");
  if (ctx.opts.kind != OutputKind::shared || ctx.opts.entry)
    loader.reference(ctx.intern(ctx.opts.entry.value_or("_start")), false, "--entry");
  for (const InputSpec& in : ctx.opts.inputs) {
    switch (in.kind) {
      case InputSpec::Kind::group_start:
      case InputSpec::Kind::lib_start:
        ++loader.group_depth;
        continue;
      case InputSpec::Kind::group_end:
      case InputSpec::Kind::lib_end:
        if (loader.group_depth && --loader.group_depth == 0) ++loader.group;
        continue;
      default:
        if (Status s = loader.load_spec(in, 0); !s) return s;
        loader.next_group();
    }
  }
  for (auto& [sym, ref] : loader.backward_references) {
    bool excluded = false;
    for (const std::string& glob : ctx.opts.warn_backrefs_exclude)
      excluded |= fnmatch(glob.c_str(), ref.extracted.c_str(), 0) == 0;
    if (!excluded)
      ctx.warn("", "backward reference detected: " + std::string(sym->name) + " in " + ref.referrer +
                       " refers to " + ref.extracted);
  }
  if (ctx.objs.empty() && ctx.dsos.empty()) return make_error("", "no input files");
  if (ctx.opts.why_extract) LINKBOX_TRY(write_why_extract(*ctx.opts.why_extract, loader.why_lines));
  resolve_versioned_references(ctx);
  // Lazy symbols nobody needed are undefined.
  for (auto& [sym, ref] : loader.lazy)
    if (sym->state == SymbolState::lazy) sym->state = SymbolState::undefined;
  return {};
}

template <typename E>
void mark_needed_libraries(Context<E>& ctx) {
  // --as-needed: a library is needed if a non-weak reference from an object
  // binds to it.
  for (auto& [name, sym] : ctx.symbol_map)
    if (sym->is_shared() && sym->strong_ref) static_cast<SharedFile<E>*>(sym->file)->needed = true;
  for (auto& dso : ctx.dsos)
    if (!dso->as_needed) dso->needed = true;
  for (auto& [name, sym] : ctx.symbol_map) {
    if (sym->is_shared() && !static_cast<SharedFile<E>*>(sym->file)->needed) {
      // Weakly referenced from a library that is not needed: unresolved.
      sym->state = SymbolState::undefined;
      sym->file = nullptr;
      sym->weak = true;
    }
  }
  // The executable exports what shared libraries refer to, and what they
  // define too (as ld.bfd and lld do): the executable's definition then
  // preempts the library's own, so libstdc++ calls the program's
  // replacement operator new.
  auto export_if_defined = [&](std::string_view name) {
    auto it = ctx.symbol_map.find(name);
    if (it != ctx.symbol_map.end() && it->second->is_defined() && it->second->visibility == STV_DEFAULT &&
        !it->second->linker_defined)
      it->second->exported = true;
  };
  for (auto& dso : ctx.dsos) {
    for (std::string_view u : dso->undefs) export_if_defined(u);
    for (const auto& d : dso->defs) export_if_defined(d.name);
  }
  // A shared object exports every global definition that is visible
  // outside it; --export-dynamic makes an executable do the same.
  if (ctx.opts.export_dynamic || ctx.shared)
    for (auto& [name, sym] : ctx.symbol_map)
      if (sym->is_defined() && (sym->visibility == STV_DEFAULT || sym->visibility == STV_PROTECTED) &&
          !sym->linker_defined)
        sym->exported = true;
}

template <typename E>
void check_shared_library_undefined(Context<E>& ctx) {
  // ld.lld's rule: a library's undefined symbol that nothing defines is an
  // error only when all of that library's own DT_NEEDED are in the link
  // (otherwise a library we cannot see may define it).
  if (ctx.opts.allow_shlib_undefined.value_or(ctx.shared)) return;
  std::unordered_map<std::string_view, bool> sonames;
  for (auto& dso : ctx.dsos) sonames[dso->soname.empty() ? std::string_view(dso->name) : std::string_view(dso->soname)] = true;
  // Any loaded library's definition counts, needed or not (libc.so.6's
  // references into ld-linux-x86-64.so.2, an AS_NEEDED member of the libc.so
  // script), and so do non-default versions.
  std::unordered_map<std::string_view, bool> library_defs;
  for (auto& dso : ctx.dsos)
    for (const auto& d : dso->defs) library_defs[d.name] = true;
  for (auto& dso : ctx.dsos) {
    if (!dso->needed && dso->as_needed) continue;
    bool all_known = true;
    for (const std::string& n : dso->dt_needed) all_known &= sonames.count(n) > 0;
    if (!all_known) continue;
    for (size_t i = 0; i < dso->undefs.size(); ++i) {
      if (dso->undef_weak[i]) continue;
      std::string_view u = dso->undefs[i];
      auto it = ctx.symbol_map.find(u);
      if (it != ctx.symbol_map.end() && it->second->is_defined()) continue;
      if (library_defs.count(u)) continue;
      ctx.error_or_warn("", "undefined reference due to --no-allow-shlib-undefined: " + std::string(u) +
                        "\n>>> referenced by " + dso->name);
    }
  }
}

template void check_shared_library_undefined(Context<X86_64>&);
template Status load_inputs(Context<X86_64>&);
template void mark_needed_libraries(Context<X86_64>&);

}  // namespace linkbox::link
