// Sections the linker makes rather than copies: headers, the GOT and PLT,
// the dynamic-linking tables, unwind tables, symbol tables and notes. Each is
// a Chunk with "compute size" and "write into the buffer" steps.
#pragma once

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "liblink/context.h"
#include "liblink/relr.h"

namespace linkbox::link {

template <typename E> struct EhdrChunk : Chunk<E> {
  EhdrChunk();
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct PhdrChunk : Chunk<E> {
  PhdrChunk();
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct InterpSection : Chunk<E> {
  InterpSection();
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

// A GOT slot and what it holds.
enum class GotKind : uint8_t { address, tp_offset, tls_module, tls_desc };
template <typename E> struct GotEntry {
  GotKind kind;
  Symbol<E>* sym;  // null for the module's own TLS module slot
};

template <typename E> struct GotSection : Chunk<E> {
  GotSection();
  std::vector<GotEntry<E>> entries;  // a tls_module or tls_desc pair takes two slots
  std::vector<uint32_t> slot_of_entry;
  uint32_t slots = 0;
  uint32_t add(GotKind kind, Symbol<E>* sym);
  uint64_t slot_address(int32_t slot) const { return this->shdr.addr + uint64_t(slot) * E::word_size; }
  uint64_t count_dyn_relocs(Context<E>& ctx) const;
  void compute_size(Context<E>&) override { this->shdr.size = uint64_t(slots) * E::word_size; }
  void write(Context<E>& ctx, uint8_t* out) override;
};

// .plt entries: imported functions (JUMP_SLOT) first, then IFUNCs
// (IRELATIVE); .got.plt and .rela.plt follow the same order.
template <typename E> struct PltSection : Chunk<E> {
  PltSection();
  std::vector<Symbol<E>*> symbols;
  uint32_t num_ifunc = 0;
  uint64_t entry_address(int32_t idx) const {
    return this->shdr.addr + E::plt_header_size + uint64_t(idx) * E::plt_entry_size;
  }
  void compute_size(Context<E>&) override {
    this->shdr.size = symbols.empty() ? 0 : E::plt_header_size + symbols.size() * E::plt_entry_size;
  }
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct GotPltSection : Chunk<E> {
  GotPltSection();
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
  uint64_t slot_address(int32_t plt_idx) const {
    return this->shdr.addr + (E::got_plt_reserved + uint64_t(plt_idx)) * E::word_size;
  }
  bool keep_when_empty() const override { return true; }
};

template <typename E> struct RelaDynSection : Chunk<E> {
  RelaDynSection();
  uint64_t count = 0;
  uint64_t relative_count = 0;
  void compute_size(Context<E>&) override { this->shdr.size = count * this->shdr.entsize; }
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct RelaPltSection : Chunk<E> {
  RelaPltSection();
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct DynstrSection : Chunk<E> {
  DynstrSection();
  std::string data{std::string(1, '\0')};
  std::unordered_map<std::string, uint32_t> offsets;
  uint32_t add(std::string_view s);
  void compute_size(Context<E>&) override { this->shdr.size = data.size(); }
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct DynsymSection : Chunk<E> {
  DynsymSection();
  std::vector<Symbol<E>*> symbols{nullptr};  // index 0 is the null symbol
  std::vector<uint32_t> name_offsets{0};
  uint32_t first_defined = 1;  // .gnu.hash covers symbols from here
  void finalize(Context<E>& ctx);
  void compute_size(Context<E>&) override { this->shdr.size = symbols.size() * 24; }
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct HashSection : Chunk<E> {
  HashSection();
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct GnuHashSection : Chunk<E> {
  GnuHashSection();
  uint32_t nbuckets = 1, bloom_words = 1;
  static constexpr uint32_t bloom_shift = 26;
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct VersymSection : Chunk<E> {
  VersymSection();
  std::vector<uint16_t> versions;
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

// A section whose bytes are built whole by finalize(), before layout:
// .gnu.version_r and .gnu.version_d. `count` entries go into sh_info and
// the DT_VER*NUM tag.
template <typename E> struct PrebuiltSection : Chunk<E> {
  std::vector<uint8_t> contents;
  uint32_t count = 0;
  void compute_size(Context<E>&) override { this->shdr.size = contents.size(); }
  void write(Context<E>&, uint8_t* out) override { std::copy(contents.begin(), contents.end(), out); }
};

template <typename E> struct VerneedSection : PrebuiltSection<E> {
  using PrebuiltSection<E>::contents;
  using PrebuiltSection<E>::count;
  VerneedSection();
  void finalize(Context<E>& ctx);
};

template <typename E> struct VerdefSection : PrebuiltSection<E> {
  using PrebuiltSection<E>::contents;
  using PrebuiltSection<E>::count;
  VerdefSection();
  void finalize(Context<E>& ctx);
};

template <typename E> struct DynamicSection : Chunk<E> {
  DynamicSection();
  std::vector<std::pair<int64_t, uint64_t>> entries(Context<E>& ctx) const;
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

// Copy relocations: space in the executable for imported data objects.
template <typename E> struct CopyRelSection : Chunk<E> {
  explicit CopyRelSection(bool relro);
  std::vector<Symbol<E>*> symbols;
  uint64_t add(Symbol<E>* sym, uint64_t align);
  void write(Context<E>&, uint8_t*) override {}
};

template <typename E> struct EhFrameSection : Chunk<E> {
  EhFrameSection();
  struct Record {
    InputSection<E>* isec;
    uint64_t in_offset, size;
    bool is_cie;
    int64_t cie_record = -1;  // FDE: index of its CIE in `records`
    uint64_t out_offset = 0;
    uint32_t rel_begin = 0, rel_end = 0;  // isec->rels range
  };
  std::vector<Record> records;
  std::vector<InputSection<E>*> inputs;  // every input .eh_frame, in order
  void build(Context<E>& ctx);
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct EhFrameHdrSection : Chunk<E> {
  EhFrameHdrSection();
  uint64_t fde_count = 0;
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct BuildIdSection : Chunk<E> {
  BuildIdSection();
  uint64_t hash_size = 0;
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>&, uint8_t*) override {}  // filled in after everything else
  void fill(Context<E>& ctx);
};

template <typename E> struct GnuPropertySection : Chunk<E> {
  GnuPropertySection();
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct SymtabSection : Chunk<E> {
  SymtabSection();
  std::vector<elf::Sym> syms;
  std::string strtab{std::string(1, '\0')};
  // --emit-relocs: where each symbol went, and the STT_SECTION symbol of
  // each output section (by section index, 0: none), for the relocations.
  std::unordered_map<const Symbol<E>*, uint32_t> index;
  std::vector<uint32_t> section_syms;
  void finalize(Context<E>& ctx);
  void compute_size(Context<E>&) override { this->shdr.size = syms.size() * 24; }
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct StrtabSection : Chunk<E> {
  StrtabSection();
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct ShstrtabSection : Chunk<E> {
  ShstrtabSection();
  std::string data;
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E> struct Synthetics {
  EhdrChunk<E>* ehdr = nullptr;
  PhdrChunk<E>* phdr = nullptr;
  InterpSection<E>* interp = nullptr;
  GotSection<E>* got = nullptr;
  GotPltSection<E>* gotplt = nullptr;
  PltSection<E>* plt = nullptr;
  RelaDynSection<E>* reladyn = nullptr;
  RelrDynSection<E>* relrdyn = nullptr;    // --pack-dyn-relocs=relr
  RelaPltSection<E>* relaplt = nullptr;
  DynstrSection<E>* dynstr = nullptr;
  DynsymSection<E>* dynsym = nullptr;
  HashSection<E>* hash = nullptr;
  GnuHashSection<E>* gnuhash = nullptr;
  VersymSection<E>* versym = nullptr;
  VerneedSection<E>* verneed = nullptr;
  VerdefSection<E>* verdef = nullptr;
  DynamicSection<E>* dynamic = nullptr;
  CopyRelSection<E>* copyrel = nullptr;
  CopyRelSection<E>* copyrel_relro = nullptr;
  EhFrameSection<E>* ehframe = nullptr;
  EhFrameHdrSection<E>* ehframehdr = nullptr;
  BuildIdSection<E>* buildid = nullptr;
  GnuPropertySection<E>* property = nullptr;
  SymtabSection<E>* symtab = nullptr;
  StrtabSection<E>* strtab = nullptr;
  ShstrtabSection<E>* shstrtab = nullptr;
};

template <typename E> void create_synthetic_sections(Context<E>& ctx);

// The address before any canonical-PLT substitution: an IFUNC's resolver.
template <typename E> uint64_t symbol_raw_address(const Context<E>& ctx, const Symbol<E>& sym);

}  // namespace linkbox::link
