// Fuzz target: the bounds-checked ELF reader. Every accessor of ElfFile runs
// on the input, then the two consumers built on it that take arbitrary files:
// read_dynamic_info (readdyn, ldd, patchelf --print-*) and validate_layout.
#include <cstddef>
#include <cstdint>
#include <span>

#include "libelf/dynamic-info.h"
#include "libelf/elf-editor.h"
#include "libelf/elf-file.h"
#include "test/fuzz/fuzz-common.h"

namespace {

using linkbox::fuzz::touch;
namespace elf = linkbox::elf;

unsigned touch_error(const linkbox::Error& e) { return touch(e.file) + touch(e.message); }

unsigned touch_symbols(const linkbox::Expected<std::vector<elf::Sym>>& syms,
                       const linkbox::Expected<elf::StringTable>& strings) {
  if (!syms) return touch_error(syms.error());
  unsigned v = 0;
  for (const elf::Sym& s : *syms) {
    v += s.info + s.other + s.shndx + static_cast<unsigned>(s.value + s.size);
    if (strings)
      if (auto name = strings->at(s.name)) v += touch(*name);
  }
  return v;
}

unsigned exercise(const elf::ElfFile& f) {
  unsigned v = f.is64() + f.machine() + f.header().type + touch(f.bytes().first(16));
  v += touch(elf::machine_name(f.machine()));

  for (const elf::Phdr& p : f.segments()) {
    v += p.type + p.flags;
    // Every segment's bytes, as a loader would map them.
    auto bytes = f.bytes_at_vaddr(p.vaddr, p.filesz, "segment");
    v += bytes ? touch(*bytes) : touch_error(bytes.error());
    if (auto off = f.vaddr_to_offset(p.vaddr, p.memsz)) v += static_cast<unsigned>(*off);
    v += f.find_segment(p.type) != nullptr;
  }

  std::vector<const elf::Section*> symbol_tables;
  for (const elf::Section& s : f.sections()) {
    v += touch(s.name) + s.index;
    auto data = f.section_data(s);
    v += data ? touch(*data) : touch_error(data.error());
    v += f.find_section(s.name) != nullptr;
    v += f.find_section_by_type(s.hdr.type) != nullptr;
    if (s.hdr.type == SHT_SYMTAB || s.hdr.type == SHT_DYNSYM) symbol_tables.push_back(&s);
  }
  v += f.has_section_headers();

  auto interp = f.interpreter();
  v += interp ? touch(*interp) : touch_error(interp.error());

  v += f.has_dynamic();
  if (auto loc = f.dynamic_location()) v += static_cast<unsigned>(loc->first + loc->second);
  auto dyn = f.dynamic_entries();
  if (dyn) {
    for (const elf::Dyn& d : *dyn) {
      v += touch(elf::dynamic_tag_name(d.tag));
      v += elf::dynamic_tag_is_string(d.tag) + elf::dynamic_tag_is_address(d.tag, f.machine());
    }
    v += elf::ElfFile::find_tag(*dyn, DT_NEEDED).has_value();
  } else {
    v += touch_error(dyn.error());
  }

  auto strings = f.dynamic_strings();
  v += strings ? touch(strings->bytes()) : touch_error(strings.error());
  auto strings_at = f.dynamic_strings_offset();
  v += strings_at ? static_cast<unsigned>(*strings_at) : touch_error(strings_at.error());
  if (strings && dyn)
    for (const elf::Dyn& d : *dyn)
      if (elf::dynamic_tag_is_string(d.tag))
        if (auto s = strings->at(d.val)) v += touch(*s);

  auto count = f.dynamic_symbol_count();
  v += count ? static_cast<unsigned>(*count) : touch_error(count.error());
  v += touch_symbols(f.dynamic_symbols(), strings);
  v += touch_symbols(f.static_symbols(), strings);
  for (const elf::Section* s : symbol_tables) v += touch_symbols(f.symbols_in(*s), strings);

  auto needs = f.version_needs();
  if (needs) {
    for (const auto& n : *needs) {
      v += touch(n.file) + n.file_offset;
      for (const auto& a : n.versions) v += touch(a.name) + a.hash + a.flags + a.other;
    }
  } else {
    v += touch_error(needs.error());
  }
  auto defs = f.version_definitions();
  if (defs) {
    for (const auto& d : *defs)
      for (const auto& n : d.names) v += touch(n) + d.flags + d.index;
  } else {
    v += touch_error(defs.error());
  }
  auto versym = f.version_symbols();
  if (versym) {
    for (uint16_t x : *versym) v += x;
  } else {
    v += touch_error(versym.error());
  }

  auto notes = f.notes();
  if (notes) {
    for (const auto& n : *notes) v += touch(n.name) + touch(n.desc) + n.type;
  } else {
    v += touch_error(notes.error());
  }

  auto info = elf::read_dynamic_info(f);
  if (info) {
    v += touch(elf::file_kind_name(info->kind)) + info->dynamic;
    v += touch(info->interpreter) + touch(info->soname) + touch(info->rpath) + touch(info->runpath);
    for (const auto& n : info->needed) v += touch(n);
    if (info->flags)
      for (const auto& n : elf::dt_flags_names(*info->flags)) v += touch(n);
    if (info->flags_1)
      for (const auto& n : elf::dt_flags_1_names(*info->flags_1)) v += touch(n);
    for (const auto& n : info->version_needs) v += touch(n.file) + n.versions.size();
  } else {
    v += touch_error(info.error());
  }

  if (linkbox::Status s = elf::validate_layout(f); !s) v += touch_error(s.error());
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto f = elf::ElfFile::parse("fuzz-input", std::span<const uint8_t>(data, size));
  if (!f) {
    linkbox::fuzz::keep(touch_error(f.error()));
    return 0;
  }
  linkbox::fuzz::keep(exercise(*f));
  return 0;
}
