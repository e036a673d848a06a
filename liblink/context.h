// The state of one link: input files, symbols, output chunks and segments,
// all hanging off one Context so that the core has no globals and a link can
// run twice in one process.
//
// Ownership: the Context owns every file, symbol and chunk; everything else
// refers to them by plain pointer, valid for the whole link.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libelf/elf-file.h"
#include "libformat/mapped-file.h"
#include "libformat/output-file.h"
#include "liblink/link-options.h"
#include "liblink/target.h"
#include "liblink/version-script.h"

namespace linkbox::link {

template <typename E> struct Context;
template <typename E> struct InputFile;
template <typename E> struct ObjectFile;
template <typename E> struct SharedFile;
template <typename E> struct InputSection;
template <typename E> struct Chunk;
template <typename E> struct OutputSection;
template <typename E> struct MergedSection;
struct SectionFragment;

// One relocation of an input section, decoded.
struct Rela {
  uint64_t offset = 0;
  uint32_t type = 0;
  uint32_t sym = 0;
  int64_t addend = 0;
};

// A piece of a SHF_MERGE section after deduplication: every input copy of the
// same bytes maps to one fragment.
struct SectionFragment {
  void* owner = nullptr;  // the MergedSection<E> it lives in
  uint64_t offset = 0;    // within that section
  bool alive = false;
};

enum class SymbolState : uint8_t { undefined, lazy, defined, common, shared };

// What the relocation scan found a symbol needs.
enum NeedsFlags : uint16_t {
  NEEDS_GOT = 1 << 0,
  NEEDS_PLT = 1 << 1,
  NEEDS_CPLT = 1 << 2,     // canonical PLT: the executable's PLT entry is the function's address
  NEEDS_COPY = 1 << 3,
  NEEDS_GOTTP = 1 << 4,
  NEEDS_TLSGD = 1 << 5,
  NEEDS_TLSDESC = 1 << 6,
  NEEDS_DYNSYM = 1 << 7,
};

template <typename E>
struct Symbol {
  std::string_view name;
  InputFile<E>* file = nullptr;  // the definer (or, lazy, the archive member that would define it)
  InputSection<E>* isec = nullptr;
  SectionFragment* frag = nullptr;
  Chunk<E>* chunk = nullptr;     // linker-defined symbols relative to an output chunk
  uint64_t value = 0;            // offset in isec / frag / chunk, or the absolute value
  uint64_t size = 0;
  SymbolState state = SymbolState::undefined;
  uint8_t type = STT_NOTYPE;
  uint8_t visibility = STV_DEFAULT;
  bool weak = false;             // the winning definition, or every reference, is weak
  bool is_local = false;         // an object file's STB_LOCAL symbol
  bool referenced = false;       // some object refers to it
  bool strong_ref = false;       // some object refers to it with a non-weak undefined symbol
  bool exported = false;         // goes into .dynsym as a definition
  bool linker_defined = false;
  bool copy_readonly = false;    // a copy-relocated symbol from a read-only segment (.data.rel.ro)
  bool folded = false;           // --icf moved it to an identical section: its FDE and debug info go
  uint16_t needs = 0;
  // The version the definition carries: for shared symbols, the index in the
  // DSO's version definitions; 0 means none.
  uint16_t dso_version = 0;
  bool dso_version_hidden = false;
  // Indices into the synthetic tables, -1 when absent.
  int32_t got_idx = -1;
  int32_t gottp_idx = -1;
  int32_t tlsgd_idx = -1;
  int32_t tlsdesc_idx = -1;
  int32_t plt_idx = -1;     // in .plt (or .iplt-style entries for IFUNCs of static links)
  int32_t dynsym_idx = -1;
  uint64_t copy_offset = 0;  // in the copy-relocation section
  // The version of a definition this link exports: 0 local (a version
  // script's local:), 1 global, 2... the version script's nodes in order.
  uint16_t out_version = 1;
  bool out_version_hidden = false;  // a non-default version (foo@V, not foo@@V)
  bool in_dynamic_list = false;     // --dynamic-list / --export-dynamic-symbol matched it
  std::string_view version_suffix;  // "@VER" / "@@VER" from an object's symbol name

  // The name in dynamic tables: a reference to a specific version of a
  // library symbol ("memcpy@GLIBC_2.2.5", from .symver) is "memcpy" there,
  // with the version in .gnu.version.
  std::string_view dynamic_name() const {
    auto at = name.find('@');
    return at == std::string_view::npos ? name : name.substr(0, at);
  }
  bool is_defined() const { return state == SymbolState::defined || state == SymbolState::common; }
  bool is_shared() const { return state == SymbolState::shared; }
  bool is_undefined() const { return state == SymbolState::undefined || state == SymbolState::lazy; }
  bool is_ifunc() const { return type == STT_GNU_IFUNC; }
  bool is_absolute() const {
    return state == SymbolState::defined && !isec && !frag && !chunk;
  }
};

// An input section of a relocatable object.
template <typename E>
struct InputSection {
  ObjectFile<E>* file = nullptr;
  uint32_t shndx = 0;
  std::string_view name;
  elf::Shdr shdr;
  std::span<const uint8_t> data;  // empty for SHT_NOBITS; decompressed if the input was compressed
  std::vector<Rela> rels;
  OutputSection<E>* osec = nullptr;
  uint64_t offset = 0;            // within osec
  uint64_t size = 0;
  uint64_t align = 1;
  bool alive = true;
  bool is_eh_frame = false;

  uint64_t address() const;
  std::string location(uint64_t off) const;  // "a.o:(.text+0x1a)"
  // The function whose bytes contain `off`, or empty: for messages.
  std::string_view function_at(uint64_t off) const;
};

template <typename E>
struct InputFile {
  virtual ~InputFile() = default;
  std::string name;        // as messages print it: "libc.a(printf.o)"
  std::unique_ptr<elf::ElfFile> elf;
  bool alive = false;
  bool is_shared = false;
  uint32_t priority = 0;   // command-line order; lower wins ties
  uint32_t group = 0;      // --warn-backrefs: its place on the command line (see resolve.cc)
};

template <typename E>
struct ObjectFile : InputFile<E> {
  std::vector<std::unique_ptr<InputSection<E>>> sections;  // by section index; null if not kept
  std::vector<elf::Sym> esyms;
  std::vector<Symbol<E>*> symbols;                          // by symbol index
  std::deque<Symbol<E>> locals;
  uint32_t first_global = 0;
  // Mergeable sections by section index: the fragments of each piece, by input offset.
  struct MergeInput {
    MergedSection<E>* target = nullptr;
    std::vector<uint64_t> piece_offsets;
    std::vector<SectionFragment*> pieces;
  };
  std::map<uint32_t, MergeInput> merge_inputs;
  std::string archive;     // the archive it was extracted from, or empty
  std::vector<std::unique_ptr<std::vector<uint8_t>>> owned;  // decompressed section data
  bool has_exec_stack_note = false;  // .note.GNU-stack with SHF_EXECINSTR
  bool has_stack_note = false;
  std::optional<uint32_t> x86_features;  // GNU_PROPERTY_X86_FEATURE_1_AND
  bool whole_archive = false;
  // .llvm_addrsig: ULEB128 indices of the symbols whose address is taken
  // (--icf=safe). Absent: every symbol may be.
  std::optional<std::span<const uint8_t>> addrsig;

  // The fragment and offset within it for `offset` in merge section `shndx`.
  std::pair<SectionFragment*, uint64_t> fragment_at(uint32_t shndx, uint64_t offset) const;
};

template <typename E>
struct SharedFile : InputFile<E> {
  std::string soname;
  bool as_needed = false;
  bool needed = false;   // something a regular object uses resolved to it
  std::vector<std::string> version_names;  // by version index (0 and 1 empty)
  struct Def {
    std::string_view name;
    elf::Sym sym;
    uint16_t version = 0;
    bool hidden = false;
  };
  std::vector<Def> defs;
  std::vector<std::string_view> undefs;  // its own undefined symbols (for --no-allow-shlib-undefined, export)
  std::vector<bool> undef_weak;          // parallel to undefs
  std::vector<std::string> dt_needed;    // its DT_NEEDED entries
  std::deque<std::string> strings;
};

// An output chunk: a section of the output file (or the ELF/program headers).
template <typename E>
struct Chunk {
  virtual ~Chunk() = default;
  std::string name;
  elf::Shdr shdr;           // type, flags, addr, offset, size, link, info, addralign, entsize
  uint32_t shndx = 0;       // index in the output section header table (0: none)
  bool is_header = false;   // ELF header / program headers: no section header
  bool relro = false;
  std::vector<uint8_t> compressed;  // --compress-debug-sections: what is written instead
  virtual void compute_size(Context<E>&) {}
  virtual void write(Context<E>&, uint8_t* out) = 0;
  // Keeps a chunk out of the output when it turns out empty.
  virtual bool keep_when_empty() const { return false; }
};

template <typename E>
struct OutputSection : Chunk<E> {
  std::vector<InputSection<E>*> members;
  // Merged sections of the same name live inside this one, after the members.
  std::vector<MergedSection<E>*> embedded;
  // As in lld, an output section with input sections stays even when they
  // are all empty: symbols defined in them (crtend.o's __TMC_END__) need a
  // section and an address.
  bool keep_when_empty() const override { return !members.empty(); }
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
};

template <typename E>
struct MergedSection : Chunk<E> {
  std::unordered_map<std::string_view, SectionFragment*> map;
  std::deque<SectionFragment> fragments;
  std::vector<std::pair<std::string_view, SectionFragment*>> order;  // first-seen order, for output
  std::vector<uint64_t> piece_align;  // parallel to order
  bool deduplicate = true;            // false: -O0 keeps every string
  OutputSection<E>* parent = nullptr;  // when embedded in an output section of the same name
  uint64_t parent_offset = 0;
  uint64_t address() const { return parent ? parent->shdr.addr + parent_offset : this->shdr.addr; }
  void compute_size(Context<E>& ctx) override;
  void write(Context<E>& ctx, uint8_t* out) override;
  SectionFragment* insert(std::string_view bytes, uint64_t align);
};

// A dynamic relocation to emit, in output terms.
struct DynReloc {
  uint64_t offset = 0;
  uint32_t type = 0;
  uint32_t dynsym = 0;
  int64_t addend = 0;
};

struct Segment {
  elf::Phdr phdr;
};

template <typename E> struct Synthetics;  // synthetic.h

template <typename E>
struct Context {
  explicit Context(const LinkOptions& o) : opts(o) {}
  ~Context();
  const LinkOptions& opts;

  // Diagnostics accumulate; passes stop between steps when there are errors.
  void error(const std::string& where, const std::string& what);
  void warn(const std::string& where, const std::string& what);
  // An error that --noinhibit-exec turns into a warning, as in lld: the
  // output may still be usable.
  void error_or_warn(const std::string& where, const std::string& what);
  int errors = 0;

  // Inputs.
  std::vector<std::unique_ptr<MappedFile>> mapped;
  std::vector<std::unique_ptr<ObjectFile<E>>> objs;
  std::vector<std::unique_ptr<SharedFile<E>>> dsos;
  uint32_t next_priority = 1;

  // Global symbols by name.
  std::unordered_map<std::string_view, Symbol<E>*> symbol_map;
  std::deque<Symbol<E>> symbol_pool;
  std::deque<std::string> strings;  // storage for names made up during the link
  Symbol<E>* intern(std::string_view name);
  std::string_view save(std::string s) { return strings.emplace_back(std::move(s)); }

  // COMDAT groups: signature -> the file whose copy is kept.
  std::unordered_map<std::string_view, ObjectFile<E>*> comdat_owner;

  // Output.
  bool pie = false;        // position-independent output: a PIE or a shared object
  bool shared = false;     // a shared object (-shared)
  bool is_static = false;  // no dynamic linking at all (static or static-pie has no interpreter)
  bool dynamic = false;    // has .dynamic (dynamic executable or static-pie)
  std::vector<std::unique_ptr<Chunk<E>>> chunk_pool;
  std::vector<OutputSection<E>*> output_sections;
  std::vector<MergedSection<E>*> merged_sections;
  std::vector<Chunk<E>*> chunks;  // in output order, after layout
  std::vector<int> chunk_groups;  // parallel to chunks: which PT_LOAD run each belongs to
  uint64_t page_size = E::page_size;
  bool has_tls = false;
  bool gotplt_referenced = false;  // _GLOBAL_OFFSET_TABLE_ or a GOT-relative relocation is used
  std::vector<Segment> segments;
  std::unique_ptr<Synthetics<E>> syn;
  uint64_t image_base = 0;
  uint64_t file_size = 0;
  uint64_t tls_begin = 0, tls_end = 0, tls_align = 1;  // the PT_TLS segment
  uint64_t tp_addr = 0;                                   // what %fs:0 points at, relative to the image
  std::vector<DynReloc> dyn_relocs;  // filled while writing; .rela.dyn is written last
  std::unique_ptr<OutputFile> output;  // the output file, mapped while it is written
  uint8_t* buffer = nullptr;           // its bytes
  std::vector<Symbol<E>*> needy;  // symbols the relocation scan flagged, in order
  std::vector<std::pair<Symbol<E>*, std::string>> linker_symbols;
  struct DefsymAlias {
    Symbol<E>* sym;
    Symbol<E>* target;
    int64_t addend;
  };
  std::vector<DefsymAlias> defsym_aliases;
  // Version scripts and dynamic lists, read before the inputs.
  std::vector<VersionNode> version_nodes;
  std::vector<SymbolPattern> dynamic_list;       // --dynamic-list entries
  bool has_dynamic_list = false;
  std::vector<SymbolPattern> export_patterns;    // --export-dynamic-symbol(-list)
  std::vector<std::string> version_names;  // the output's own versions, for index 2, 3, ...
  bool has_version_definitions = false;    // .gnu.version_d is written  // --defsym=a=b+N, placed after fragments resolve
  std::string interp_path;        // empty: no PT_INTERP
  std::string runpath;
  uint64_t shoff = 0;
  uint32_t shnum = 0;
  bool uses_gnu_osabi = false;
  Symbol<E>* entry = nullptr;
  uint32_t x86_features_and = 0;
  bool any_x86_features = false;
  bool exec_stack = false;
  bool has_textrel = false;  // -z notext let a dynamic relocation into a read-only section
  bool static_tls = false;   // initial-exec TLS in a shared object: DF_STATIC_TLS
  bool needs_tls_ld = false; // local-dynamic TLS in a shared object needs a module GOT pair
  int32_t tls_ld_slot = -1;  // ... which is this

  template <typename T> T* make_chunk(std::unique_ptr<T> c) {
    T* p = c.get();
    chunk_pool.push_back(std::move(c));
    return p;
  }
};

// -z report-relative-reloc: one line on standard error per relative
// relocation, in ld.bfd's words.
template <typename E>
void report_relative_reloc(const Context<E>& ctx, const DynReloc& r, std::string_view symbol,
                           std::string_view section, const std::string& file);

// The address a symbol resolves to in the output.
template <typename E> uint64_t symbol_address(const Context<E>& ctx, const Symbol<E>& sym);
// Whether a reference to `sym` may bind to a definition outside the output
// (another module can interpose it).
template <typename E> bool is_preemptible(const Context<E>& ctx, const Symbol<E>& sym);

}  // namespace linkbox::link
