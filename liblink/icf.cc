#include "liblink/icf.h"
#include "liblink/c-identifier.h"
#include "liblink/eh-frame-records.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "libformat/hash.h"

namespace linkbox::link {
namespace {

// Whether a section may fold at all, whatever its contents (lld's
// isEligible, plus the constructor arrays: folding two identical entries
// would run a constructor once instead of twice).
template <typename E>
bool is_eligible(const InputSection<E>& isec) {
  const elf::Shdr& h = isec.shdr;
  if (!isec.alive || isec.is_eh_frame || !isec.osec || !(h.flags & SHF_ALLOC)) return false;
  // .data.rel.ro is written only by the dynamic loader: read-only to the program.
  if ((h.flags & SHF_WRITE) && isec.name != ".data.rel.ro" && !isec.name.starts_with(".data.rel.ro."))
    return false;
  // Metadata that lives and dies with another section goes with it instead.
  if (h.flags & SHF_LINK_ORDER) return false;
  if (h.type == SHT_INIT_ARRAY || h.type == SHT_FINI_ARRAY || h.type == SHT_PREINIT_ARRAY) return false;
  if (isec.name == ".init" || isec.name == ".fini") return false;
  // __start_NAME/__stop_NAME let a program walk such sections: each entry counts.
  return !is_c_identifier(isec.name);
}

// The flags that must agree. A COMDAT member (SHF_GROUP) and a plain
// section are alike once linked; SHF_INFO_LINK only describes the input.
uint64_t flags_of(const elf::Shdr& h) { return h.flags & ~uint64_t(SHF_GROUP | SHF_INFO_LINK); }

// Where a relocation points, in terms that survive folding and merging.
struct Target {
  enum Kind : uint8_t { other, absolute, section, fragment } kind = other;
  const void* where = nullptr;  // the InputSection or SectionFragment
  uint64_t offset = 0;          // within it (the addend included), or the absolute value
};

template <typename E>
class Folder {
 public:
  explicit Folder(Context<E>& ctx) : ctx_(ctx) {}

  void run() {
    find_lsda_functions();
    find_keep_unique();
    collect();
    if (secs_.size() < 2) return;
    // Classes start as runs of equal hashes; within each, the constant parts
    // split them, then the relocation targets' classes do, until stable.
    for_each_class([&](size_t b, size_t e) { segregate(b, e, true); });
    do {
      repeat_ = false;
      for_each_class([&](size_t b, size_t e) { segregate(b, e, false); });
    } while (repeat_);
    fold();
  }

 private:
  Context<E>& ctx_;
  std::vector<InputSection<E>*> secs_;  // candidates; members of a class are adjacent
  std::unordered_map<const InputSection<E>*, uint64_t> class_;  // candidates only
  std::unordered_map<const InputSection<E>*, size_t> order_;    // input order of candidates
  std::unordered_set<const InputSection<E>*> unique_;            // kept apart
  bool repeat_ = false;

  static InputSection<E>* section_of(const ObjectFile<E>& file, uint32_t symidx) {
    if (symidx == 0 || symidx >= file.symbols.size() || !file.symbols[symidx]) return nullptr;
    const Symbol<E>* sym = file.symbols[symidx];
    if (sym->is_local && sym->type == STT_SECTION) {
      uint32_t shndx = file.esyms[symidx].shndx;
      return shndx < file.sections.size() ? file.sections[shndx].get() : nullptr;
    }
    return sym->isec;
  }

  // lld does not compare unwind information: two functions alike but for
  // their LSDAs (catch clauses of different types) must not fold, so a
  // function whose FDE's CIE announces an LSDA ('L' in the augmentation)
  // never does.
  void find_lsda_functions() {
    for (auto& file : ctx_.objs) {
      if (!file->alive) continue;
      for (auto& isec : file->sections)
        if (isec && isec->alive && isec->is_eh_frame) scan_eh_frame(*file, *isec);
    }
  }

  void scan_eh_frame(ObjectFile<E>& file, InputSection<E>& isec) {
    std::span<const uint8_t> d = isec.data;
    const std::vector<Rela>& rels = isec.rels;
    std::unordered_set<uint64_t> cies_with_lsda;
    for (const EhFrameRecord& rec : split_eh_frame(d, rels).records) {
      uint64_t at = rec.offset;
      if (rec.is_cie()) {
        // version (1 byte), then the NUL-terminated augmentation string.
        for (uint64_t p = at + 9; p < at + rec.size && d[p]; ++p)
          if (d[p] == 'L') {
            cies_with_lsda.insert(at);
            break;
          }
      } else if (rec.id <= at + 4 && cies_with_lsda.count(at + 4 - rec.id)) {
        // The FDE's first relocation, at its pc_begin, names the function.
        if (rec.rel_begin < rec.rel_end && rels[rec.rel_begin].offset == at + 8)
          if (InputSection<E>* fn = section_of(file, rels[rec.rel_begin].sym)) unique_.insert(fn);
      }
    }
  }

  // lld's findKeepUniqueSections: sections whose address may be compared.
  void find_keep_unique() {
    for (const std::string& name : ctx_.opts.keep_unique) {
      auto it = ctx_.symbol_map.find(name);
      if (it == ctx_.symbol_map.end() || !it->second->is_defined() || !it->second->isec)
        ctx_.warn("", "could not find symbol " + name + " to keep unique");
      else unique_.insert(it->second->isec);
    }
    // Another module may compare the address of what it imports.
    for (auto& [name, sym] : ctx_.symbol_map)
      if (sym->exported) mark_address_significant(sym);
    for (auto& file : ctx_.objs) {
      if (!file->alive) continue;
      if (!file->addrsig) {
        for (Symbol<E>* sym : file->symbols) mark_address_significant(sym);
        continue;
      }
      std::span<const uint8_t> d = *file->addrsig;
      for (size_t at = 0; at < d.size();) {
        uint64_t index = 0;
        unsigned shift = 0;
        bool done = false;
        while (at < d.size() && shift < 64) {
          uint8_t byte = d[at++];
          index |= uint64_t(byte & 0x7f) << shift;
          shift += 7;
          if (!(byte & 0x80)) {
            done = true;
            break;
          }
        }
        if (!done) {
          ctx_.error(file->name, "could not decode addrsig section: malformed uleb128, extends past end");
          break;
        }
        if (index >= file->symbols.size()) {
          ctx_.error(file->name, "addrsig section names symbol " + std::to_string(index) +
                                     ", past the symbol table");
          break;
        }
        mark_address_significant(file->symbols[index]);
      }
    }
  }

  // Code may fold under --icf=all even when its address is taken (that is
  // what "all" gives up); data may not, or two distinct constants would
  // compare equal.
  void mark_address_significant(Symbol<E>* sym) {
    if (!sym || !sym->is_defined() || !sym->isec) return;
    if (ctx_.opts.icf == IcfMode::safe || !(sym->isec->shdr.flags & SHF_EXECINSTR)) unique_.insert(sym->isec);
  }

  void collect() {
    for (auto& file : ctx_.objs) {
      if (!file->alive) continue;
      for (auto& isec : file->sections) {
        if (!isec || !is_eligible(*isec) || unique_.count(isec.get())) continue;
        order_[isec.get()] = secs_.size();
        secs_.push_back(isec.get());
      }
    }
    std::vector<uint64_t> hash(secs_.size());
    for (size_t i = 0; i < secs_.size(); ++i) hash[i] = initial_hash(*secs_[i]);
    std::vector<size_t> idx(secs_.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return hash[a] < hash[b]; });
    std::vector<InputSection<E>*> sorted(secs_.size());
    for (size_t i = 0; i < idx.size(); ++i) sorted[i] = secs_[idx[i]];
    secs_ = std::move(sorted);
    for (InputSection<E>* s : secs_) class_[s] = hash[order_[s]] | (uint64_t(1) << 63);
  }

  // Everything but the relocation targets: sections that differ here can
  // never be identical.
  static uint64_t initial_hash(const InputSection<E>& isec) {
    uint64_t h = fast_hash64(isec.data, isec.size);
    uint64_t words[] = {flags_of(isec.shdr), isec.rels.size(), reinterpret_cast<uintptr_t>(isec.osec)};
    h = fast_hash64({reinterpret_cast<const uint8_t*>(words), sizeof(words)}, h);
    for (const Rela& r : isec.rels) {
      uint64_t w[] = {r.offset, r.type};
      h = fast_hash64({reinterpret_cast<const uint8_t*>(w), sizeof(w)}, h);
    }
    return h;
  }

  // Calls fn on each run of sections of one class.
  template <typename Fn>
  void for_each_class(Fn fn) {
    for (size_t begin = 0; begin < secs_.size();) {
      uint64_t c = class_[secs_[begin]];
      size_t end = begin + 1;
      while (end < secs_.size() && class_[secs_[end]] == c) ++end;
      fn(begin, end);
      begin = end;
    }
  }

  // Splits [begin, end) into runs of equal sections. A run's new class is
  // its end index: runs never share an end, so classes never collide (the
  // hash classes of the first split have the top bit set, which no index has).
  void segregate(size_t begin, size_t end, bool constant) {
    while (begin < end) {
      InputSection<E>* first = secs_[begin];
      auto bound = std::stable_partition(secs_.begin() + begin + 1, secs_.begin() + end, [&](InputSection<E>* s) {
        return constant ? equal_constant(*first, *s) : equal_variable(*first, *s);
      });
      size_t mid = bound - secs_.begin();
      for (size_t i = begin; i < mid; ++i) class_[secs_[i]] = mid;
      if (mid != end) repeat_ = true;
      begin = mid;
    }
  }

  // (An object without a symbol table may still relocate against symbol 0.)
  static const Symbol<E>* symbol_of(const ObjectFile<E>& file, const Rela& r) {
    return r.sym < file.symbols.size() ? file.symbols[r.sym] : nullptr;
  }

  Target target_of(const ObjectFile<E>& file, const Rela& r) const {
    Target t;
    const Symbol<E>* sym = symbol_of(file, r);
    if (!sym) return t;
    if (sym->is_local && sym->type == STT_SECTION) {
      uint32_t shndx = file.esyms[r.sym].shndx;
      if (file.merge_inputs.count(shndx)) {
        // A string or constant: what counts is the piece it lands in.
        auto [frag, inner] = file.fragment_at(shndx, sym->value + r.addend);
        if (frag) t = {Target::fragment, frag, inner};
      } else if (sym->isec) {
        t = {Target::section, sym->isec, sym->value + r.addend};
      }
      return t;
    }
    if (sym->frag) t = {Target::fragment, sym->frag, sym->value + r.addend};
    else if (sym->isec) t = {Target::section, sym->isec, sym->value + r.addend};
    else if (sym->is_absolute()) t = {Target::absolute, nullptr, sym->value + r.addend};
    return t;
  }

  bool equal_constant(const InputSection<E>& a, const InputSection<E>& b) const {
    if (flags_of(a.shdr) != flags_of(b.shdr) || a.size != b.size || a.osec != b.osec ||
        a.rels.size() != b.rels.size() || a.data.size() != b.data.size() ||
        !std::equal(a.data.begin(), a.data.end(), b.data.begin()))
      return false;
    for (size_t i = 0; i < a.rels.size(); ++i) {
      const Rela& ra = a.rels[i];
      const Rela& rb = b.rels[i];
      if (ra.offset != rb.offset || ra.type != rb.type) return false;
      const Symbol<E>* sa = symbol_of(*a.file, ra);
      const Symbol<E>* sb = symbol_of(*b.file, rb);
      if (sa == sb) {
        if (ra.addend == rb.addend) continue;
        return false;
      }
      if (!sa || !sb || !sa->is_defined() || !sb->is_defined()) return false;
      // Identical here, but another module may replace either definition.
      if (is_preemptible(ctx_, *sa) || is_preemptible(ctx_, *sb)) return false;
      Target ta = target_of(*a.file, ra), tb = target_of(*b.file, rb);
      if (ta.kind != tb.kind || ta.kind == Target::other || ta.offset != tb.offset) return false;
      // Sections compare by class later; fragments are merged already.
      if (ta.kind == Target::fragment && ta.where != tb.where) return false;
    }
    return true;
  }

  bool equal_variable(const InputSection<E>& a, const InputSection<E>& b) const {
    for (size_t i = 0; i < a.rels.size(); ++i) {
      const Rela& ra = a.rels[i];
      const Rela& rb = b.rels[i];
      if (symbol_of(*a.file, ra) == symbol_of(*b.file, rb)) continue;
      Target ta = target_of(*a.file, ra), tb = target_of(*b.file, rb);
      if (ta.kind != Target::section || ta.where == tb.where) continue;
      auto x = class_.find(static_cast<const InputSection<E>*>(ta.where));
      auto y = class_.find(static_cast<const InputSection<E>*>(tb.where));
      if (x == class_.end() || y == class_.end() || x->second != y->second) return false;
    }
    return true;
  }

  static std::string describe(const InputSection<E>& isec) {
    return isec.file->name + ":(" + std::string(isec.name) + ")";
  }

  void fold() {
    // Classes in the input order of their first member, for a stable report.
    std::vector<std::pair<size_t, size_t>> classes;
    for_each_class([&](size_t b, size_t e) {
      if (e - b > 1) classes.push_back({b, e});
    });
    std::sort(classes.begin(), classes.end(), [&](auto& x, auto& y) {
      return order_[secs_[x.first]] < order_[secs_[y.first]];
    });
    std::unordered_map<const InputSection<E>*, InputSection<E>*> repl;
    for (auto [b, e] : classes) {
      InputSection<E>* kept = secs_[b];  // the first in input order: partitions are stable
      if (ctx_.opts.print_icf_sections) std::printf("selected section %s\n", describe(*kept).c_str());
      for (size_t i = b + 1; i < e; ++i) {
        InputSection<E>* gone = secs_[i];
        if (ctx_.opts.print_icf_sections)
          std::printf("  removing identical section %s\n", describe(*gone).c_str());
        kept->align = std::max(kept->align, gone->align);
        gone->alive = false;
        repl[gone] = kept;
      }
    }
    if (repl.empty()) return;
    std::fflush(stdout);
    // Metadata of a folded section (SHF_LINK_ORDER) describes the kept one's
    // twin: it goes too.
    for (auto& file : ctx_.objs) {
      if (!file->alive) continue;
      for (auto& isec : file->sections)
        if (isec && isec->alive && (isec->shdr.flags & SHF_LINK_ORDER) && isec->shdr.link < file->sections.size() &&
            repl.count(file->sections[isec->shdr.link].get()))
          isec->alive = false;
    }
    for (OutputSection<E>* osec : ctx_.output_sections)
      std::erase_if(osec->members, [](InputSection<E>* isec) { return !isec->alive; });
    auto redirect = [&](Symbol<E>& sym) {
      if (!sym.isec) return;
      if (auto it = repl.find(sym.isec); it != repl.end()) {
        sym.isec = it->second;
        sym.folded = true;
      }
    };
    for (auto& [name, sym] : ctx_.symbol_map) redirect(*sym);
    for (auto& file : ctx_.objs)
      if (file->alive)
        for (Symbol<E>& sym : file->locals) redirect(sym);
  }
};

}  // namespace

template <typename E>
void fold_identical_code(Context<E>& ctx) {
  Folder<E>(ctx).run();
}

template void fold_identical_code(Context<X86_64>&);

}  // namespace linkbox::link
