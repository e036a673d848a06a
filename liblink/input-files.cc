#include "liblink/input-files.h"

#include "libformat/compression.h"


#include <cstring>

#include "libelf/elf-file.h"

namespace linkbox::link {
namespace {

using elf::hex;

constexpr uint32_t kShtLlvmAddrsig = 0x6fff4c03;
constexpr uint32_t kShtX86_64Unwind = 0x70000001;
constexpr uint32_t kGnuPropertyX86Feature1And = 0xc0000002;

template <typename E>
Status check_machine(const elf::ElfFile& f) {
  if (f.is64() != E::is_64 || f.codec().order() != ByteOrder::little)
    return f.error(std::string("ELF class or byte order is not that of ") + E::name);
  if (f.machine() != E::e_machine)
    return f.error("machine " + std::string(elf::machine_name(f.machine())) + " does not match " +
                   E::name);
  return {};
}

// .note.gnu.property: GNU_PROPERTY_X86_FEATURE_1_AND (IBT, SHSTK) is ANDed
// across inputs; an object without the property has none of the features.
template <typename E>
void read_gnu_property(ObjectFile<E>& obj, std::span<const uint8_t> d) {
  const elf::Codec& c = obj.elf->codec();
  size_t at = 0;
  while (at + 12 <= d.size()) {
    uint32_t namesz = c.get<uint32_t>(&d[at]), descsz = c.get<uint32_t>(&d[at + 4]);
    uint32_t type = c.get<uint32_t>(&d[at + 8]);
    size_t name_at = at + 12, desc_at = name_at + ((namesz + 3) & ~3u);
    if (desc_at > d.size() || descsz > d.size() - desc_at) return;
    if (type == NT_GNU_PROPERTY_TYPE_0 && namesz == 4 && std::memcmp(&d[name_at], "GNU", 4) == 0) {
      size_t p = desc_at, end = desc_at + descsz;
      while (p + 8 <= end) {
        uint32_t pr_type = c.get<uint32_t>(&d[p]), pr_size = c.get<uint32_t>(&d[p + 4]);
        if (pr_size > end - p - 8) break;
        if (pr_type == kGnuPropertyX86Feature1And && pr_size >= 4)
          obj.x86_features = c.get<uint32_t>(&d[p + 8]);
        p += 8 + ((pr_size + E::word_size - 1) & ~(E::word_size - 1));
      }
    }
    at = desc_at + ((descsz + 3) & ~3u);
  }
}

// What happens to an input section: most are linked; some only tell the
// linker something; some are dropped.
enum class SectionUse { link, skip, stack_note, property_note, lto, addrsig };

template <typename E>
SectionUse classify_section(const Context<E>& ctx, const elf::Section& s) {
  const elf::Shdr& h = s.hdr;
  switch (h.type) {
    case SHT_NULL: case SHT_SYMTAB: case SHT_REL: case SHT_RELA: case SHT_GROUP:
    case SHT_SYMTAB_SHNDX:
      return SectionUse::skip;
    case kShtLlvmAddrsig:
      return SectionUse::addrsig;
    case SHT_STRTAB:
      if (!(h.flags & SHF_ALLOC)) return SectionUse::skip;
      break;
  }
  if (s.name == ".note.GNU-stack") return SectionUse::stack_note;
  if (s.name == ".note.gnu.property") return SectionUse::property_note;
  if (s.name.starts_with(".gnu.lto_") || s.name == ".llvm.lto") return SectionUse::lto;
  if (h.flags & SHF_EXCLUDE) return SectionUse::skip;
  if (s.name == ".gnu_debuglink" || s.name.starts_with(".gnu.warning")) return SectionUse::skip;
  bool debug = s.name.starts_with(".debug") || s.name.starts_with(".zdebug") ||
               s.name.starts_with(".stab") || s.name == ".gdb_index";
  if (!(h.flags & SHF_ALLOC) && ctx.opts.strip != StripMode::none && debug) return SectionUse::skip;
  return SectionUse::link;
}

}  // namespace

Expected<std::vector<uint8_t>> decompress_section(const std::string& where,
                                                   std::span<const uint8_t> data, bool is64,
                                                   bool big_endian) {
  size_t hdr = is64 ? 24 : 12;
  if (data.size() < hdr) return make_error(where, "compressed section is truncated");
  elf::Codec c(is64, big_endian ? ByteOrder::big : ByteOrder::little);
  uint32_t type = c.get<uint32_t>(data.data());
  uint64_t size = is64 ? c.get<uint64_t>(data.data() + 8) : c.get<uint32_t>(data.data() + 4);
  if (size > (uint64_t(1) << 32))
    return make_error(where, "compressed section claims " + hex(size) + " bytes");
  std::vector<uint8_t> out(size);
  auto in = data.subspan(hdr);
  if (type != ELFCOMPRESS_ZLIB && type != ELFCOMPRESS_ZSTD)
    return make_error(where, "unknown compression type " + std::to_string(type));
  Compression kind = type == ELFCOMPRESS_ZLIB ? Compression::zlib : Compression::zstd;
  if (!decompress(kind, in, out))
    return make_error(where, std::string(kind == Compression::zlib ? "zlib" : "zstd") +
                                 "-compressed section does not decompress");
  return out;
}

template <typename E>
Expected<std::unique_ptr<ObjectFile<E>>> parse_object(Context<E>& ctx, std::string name,
                                                     std::span<const uint8_t> bytes) {
  auto parsed = elf::ElfFile::parse(name, bytes);
  if (!parsed) return parsed.error();
  auto obj = std::make_unique<ObjectFile<E>>();
  obj->name = name;
  obj->elf = std::make_unique<elf::ElfFile>(std::move(*parsed));
  const elf::ElfFile& f = *obj->elf;
  LINKBOX_TRY(check_machine<E>(f));
  if (f.header().type != ET_REL) return f.error("not a relocatable object");
  const auto& secs = f.sections();

  // The symbol table, with extended section indices.
  const elf::Section* symtab = f.find_section_by_type(SHT_SYMTAB);
  if (symtab) {
    auto syms = f.symbols_in(*symtab);
    if (!syms) return syms.error();
    obj->esyms = std::move(*syms);
    obj->first_global = symtab->hdr.info;
    if (obj->first_global > obj->esyms.size())
      return f.error(".symtab: sh_info " + std::to_string(obj->first_global) + " is past the last symbol");
    for (const elf::Section& s : secs) {
      if (s.hdr.type != SHT_SYMTAB_SHNDX || s.hdr.link != symtab->index) continue;
      auto d = f.section_data(s);
      if (!d) return d.error();
      for (size_t i = 0; i < obj->esyms.size(); ++i)
        if (obj->esyms[i].shndx == SHN_XINDEX) {
          if ((i + 1) * 4 > d->size()) return f.error(".symtab_shndx is too short");
          uint32_t x = f.codec().get<uint32_t>(d->data() + i * 4);
          // Section indices past 0xff00 do not fit the neutral record.
          if (x >= 0xff00) return f.error("more than 65280 sections are not supported yet");
          obj->esyms[i].shndx = static_cast<uint16_t>(x);
        }
    }
  }
  auto strtab_sec = symtab && symtab->hdr.link < secs.size() ? &secs[symtab->hdr.link] : nullptr;
  std::span<const uint8_t> strtab_bytes;
  if (strtab_sec) {
    auto d = f.section_data(*strtab_sec);
    if (!d) return d.error();
    strtab_bytes = *d;
  }
  elf::StringTable strtab(strtab_bytes);
  auto sym_name = [&](const elf::Sym& s) -> Expected<std::string_view> {
    auto n = strtab.at(s.name);
    if (!n) return f.error("symbol name offset " + hex(s.name) + " is outside .strtab");
    return *n;
  };

  // COMDAT groups: the first file to bring a signature keeps its sections.
  std::vector<bool> discarded(secs.size(), false);
  for (const elf::Section& s : secs) {
    if (s.hdr.type != SHT_GROUP) continue;
    auto d = f.section_data(s);
    if (!d) return d.error();
    if (d->size() < 4 || d->size() % 4) return f.error("section " + s.name + ": malformed group");
    if (!(f.codec().get<uint32_t>(d->data()) & GRP_COMDAT)) continue;
    if (s.hdr.info >= obj->esyms.size()) return f.error("section " + s.name + ": group signature out of range");
    auto sig = sym_name(obj->esyms[s.hdr.info]);
    if (!sig) return sig.error();
    std::string_view signature = *sig;
    // A section symbol as signature means "the group's name is the section's".
    if (ELF64_ST_TYPE(obj->esyms[s.hdr.info].info) == STT_SECTION) signature = s.name;
    auto [it, inserted] = ctx.comdat_owner.try_emplace(ctx.save(std::string(signature)), obj.get());
    if (inserted) continue;
    for (size_t i = 4; i < d->size(); i += 4) {
      uint32_t m = f.codec().get<uint32_t>(d->data() + i);
      if (m >= secs.size()) return f.error("section " + s.name + ": group member out of range");
      discarded[m] = true;
    }
  }

  obj->sections.resize(secs.size());
  for (const elf::Section& s : secs) {
    if (discarded[s.index]) continue;
    SectionUse use = classify_section(ctx, s);
    if (use == SectionUse::skip) continue;
    if (use == SectionUse::lto)
      return f.error("LTO objects are not supported yet (section " + s.name +
                     "); rebuild without -flto");
    auto data = f.section_data(s);
    if (!data) return data.error();
    if (use == SectionUse::stack_note) {
      obj->has_stack_note = true;
      if (s.hdr.flags & SHF_EXECINSTR) obj->has_exec_stack_note = true;
      continue;
    }
    if (use == SectionUse::property_note) {
      read_gnu_property(*obj, *data);
      continue;
    }
    if (use == SectionUse::addrsig) {
      // objcopy and ld -r keep the section but renumber the symbols it
      // names, and clear sh_link to say so (lld's rule): trust it only linked.
      if (s.hdr.link != 0) obj->addrsig = *data;
      else if (ctx.opts.icf == IcfMode::safe)
        ctx.warn(name, "--icf=safe conservatively ignores SHT_LLVM_ADDRSIG [index " +
                           std::to_string(s.index) + "] with sh_link=0 (likely created using objcopy or ld -r)");
      continue;
    }
    auto isec = std::make_unique<InputSection<E>>();
    isec->file = obj.get();
    isec->shndx = s.index;
    isec->name = ctx.save(s.name);
    isec->shdr = s.hdr;
    isec->data = *data;
    isec->size = s.hdr.size;
    isec->align = std::max<uint64_t>(s.hdr.addralign, 1);
    if (isec->align & (isec->align - 1))
      return f.error("section " + s.name + ": alignment " + hex(isec->align) + " is not a power of two");
    if (s.hdr.flags & SHF_COMPRESSED) {
      auto out = decompress_section(name + ":(" + s.name + ")", *data, true, false);
      if (!out) return out.error();
      obj->owned.push_back(std::make_unique<std::vector<uint8_t>>(std::move(*out)));
      isec->data = *obj->owned.back();
      isec->size = isec->data.size();
      isec->shdr.flags &= ~uint64_t(SHF_COMPRESSED);
    }
    isec->is_eh_frame = s.name == ".eh_frame" || s.hdr.type == kShtX86_64Unwind;
    obj->sections[s.index] = std::move(isec);
  }

  // Relocations, attached to the sections they patch.
  for (const elf::Section& s : secs) {
    if (s.hdr.type != SHT_RELA && s.hdr.type != SHT_REL) continue;
    if (s.hdr.info >= secs.size()) return f.error("section " + s.name + ": sh_info out of range");
    InputSection<E>* target = obj->sections[s.hdr.info].get();
    if (!target) continue;
    if (s.hdr.type == SHT_REL) return f.error("section " + s.name + ": SHT_REL relocations are not supported for " + E::name);
    auto d = f.section_data(s);
    if (!d) return d.error();
    if (d->size() % 24) return f.error("section " + s.name + ": size is not a multiple of 24");
    target->rels.reserve(d->size() / 24);
    for (size_t i = 0; i < d->size(); i += 24) {
      const uint8_t* p = d->data() + i;
      Rela r;
      r.offset = f.codec().get<uint64_t>(p);
      uint64_t info = f.codec().get<uint64_t>(p + 8);
      r.type = static_cast<uint32_t>(info);
      r.sym = static_cast<uint32_t>(info >> 32);
      r.addend = static_cast<int64_t>(f.codec().get<uint64_t>(p + 16));
      if (r.sym >= obj->esyms.size() && r.sym != 0)
        return f.error("section " + s.name + ": relocation " + std::to_string(i / 24) +
                       " refers to symbol " + std::to_string(r.sym) + ", past the symbol table");
      if (r.offset > target->size || classify_rel<E>(r.type).width > target->size - r.offset)
        return f.error("section " + s.name + ": relocation " + std::to_string(i / 24) +
                       " at " + hex(r.offset) + " is outside its section");
      target->rels.push_back(r);
    }
  }
  // Readers of .eh_frame take each record's relocations as one run.
  for (auto& isec : obj->sections)
    if (isec && isec->is_eh_frame)
      std::stable_sort(isec->rels.begin(), isec->rels.end(),
                       [](const Rela& a, const Rela& b) { return a.offset < b.offset; });

  // Symbols: locals belong to the file; globals are interned.
  obj->symbols.resize(obj->esyms.size(), nullptr);
  for (size_t i = 0; i < obj->esyms.size(); ++i) {
    const elf::Sym& es = obj->esyms[i];
    auto n = sym_name(es);
    if (!n) return n.error();
    if (es.shndx != SHN_UNDEF && es.shndx < SHN_LORESERVE && es.shndx >= secs.size())
      return f.error("symbol " + std::string(*n) + ": section index " + std::to_string(es.shndx) +
                     " out of range");
    if (i < obj->first_global) {
      Symbol<E>& sym = obj->locals.emplace_back();
      sym.name = *n;
      if (ELF64_ST_TYPE(es.info) == STT_SECTION && es.shndx < secs.size()) sym.name = obj->sections[es.shndx] ? obj->sections[es.shndx]->name : std::string_view();
      sym.file = obj.get();
      sym.is_local = true;
      sym.type = ELF64_ST_TYPE(es.info);
      sym.state = SymbolState::defined;
      sym.value = es.value;
      sym.size = es.size;
      if (es.shndx != SHN_ABS && es.shndx != SHN_UNDEF && es.shndx < SHN_LORESERVE)
        sym.isec = obj->sections[es.shndx].get();
      if (es.shndx == SHN_UNDEF) sym.state = SymbolState::undefined;
      obj->symbols[i] = &sym;
    } else {
      std::string_view full = *n;
      std::string_view base = full;
      std::string_view suffix;
      if (auto at = full.find('@'); at != std::string_view::npos) {
        base = full.substr(0, at);
        suffix = full.substr(at);
      }
      // foo@@V (the default version) is foo; foo@V (an older, non-default
      // version) is a symbol of its own, so both can be defined at once.
      bool default_version = suffix.substr(0, 2) == "@@";
      bool by_full_name = es.shndx == SHN_UNDEF || (!suffix.empty() && !default_version);
      Symbol<E>* sym = ctx.intern(by_full_name ? full : base);
      if (es.shndx != SHN_UNDEF && default_version && sym->version_suffix.empty()) sym->version_suffix = suffix;
      obj->symbols[i] = sym;
    }
  }
  return obj;
}

template <typename E>
Expected<std::unique_ptr<SharedFile<E>>> parse_shared(Context<E>& ctx, std::string name,
                                                     std::span<const uint8_t> bytes) {
  (void)ctx;
  auto parsed = elf::ElfFile::parse(name, bytes);
  if (!parsed) return parsed.error();
  auto dso = std::make_unique<SharedFile<E>>();
  dso->name = name;
  dso->is_shared = true;
  dso->elf = std::make_unique<elf::ElfFile>(std::move(*parsed));
  const elf::ElfFile& f = *dso->elf;
  LINKBOX_TRY(check_machine<E>(f));
  if (f.header().type != ET_DYN) return f.error("not a shared object");
  auto dyn = f.dynamic_entries();
  if (!dyn) return dyn.error();
  auto strings = f.dynamic_strings();
  if (!strings) return strings.error();
  if (auto so = elf::ElfFile::find_tag(*dyn, DT_SONAME)) {
    auto n = strings->at(*so);
    if (!n) return f.error("DT_SONAME is outside the dynamic string table");
    dso->soname = *n;
  }
  for (const auto& d : *dyn) {
    if (d.tag != DT_NEEDED) continue;
    auto n = strings->at(d.val);
    if (!n) return f.error("DT_NEEDED is outside the dynamic string table");
    dso->dt_needed.emplace_back(*n);
  }
  auto defs = f.version_definitions();
  if (!defs) return defs.error();
  for (const auto& d : *defs) {
    if (d.index >= dso->version_names.size()) dso->version_names.resize(d.index + 1);
    if (!d.names.empty()) dso->version_names[d.index] = d.names[0];
  }
  auto syms = f.dynamic_symbols();
  if (!syms) return syms.error();
  auto versyms = f.version_symbols();
  if (!versyms) return versyms.error();
  for (size_t i = 1; i < syms->size(); ++i) {
    const elf::Sym& s = (*syms)[i];
    auto n = strings->at(s.name);
    if (!n) return f.error("dynamic symbol " + std::to_string(i) + ": name outside the string table");
    uint8_t bind = ELF64_ST_BIND(s.info);
    if (bind == STB_LOCAL) continue;
    if (s.shndx == SHN_UNDEF) {
      dso->undefs.push_back(*n);
      dso->undef_weak.push_back(bind == STB_WEAK);
      continue;
    }
    uint16_t ver = i < versyms->size() ? (*versyms)[i] : 1;
    typename SharedFile<E>::Def d;
    d.name = *n;
    d.sym = s;
    d.version = ver & 0x7fff;
    d.hidden = ver & 0x8000;
    if (d.version == 0) continue;  // VER_NDX_LOCAL: not visible outside
    dso->defs.push_back(d);
  }
  return dso;
}

template Expected<std::unique_ptr<ObjectFile<X86_64>>> parse_object(Context<X86_64>&, std::string,
                                                                   std::span<const uint8_t>);
template Expected<std::unique_ptr<SharedFile<X86_64>>> parse_shared(Context<X86_64>&, std::string,
                                                                   std::span<const uint8_t>);

}  // namespace linkbox::link
