// Structural checks run on every edited file before it replaces the original.
#include <algorithm>

#include "libelf/elf-editor.h"

namespace linkbox::elf {
namespace {

const Phdr* load_covering(const ElfFile& f, uint64_t vaddr, uint64_t size) {
  for (const Phdr& p : f.segments())
    if (p.type == PT_LOAD && vaddr >= p.vaddr && vaddr - p.vaddr <= p.memsz &&
        size <= p.memsz - (vaddr - p.vaddr))
      return &p;
  return nullptr;
}

}  // namespace

Status validate_layout(const ElfFile& f) {
  const Ehdr& eh = f.header();
  std::vector<const Phdr*> loads;
  for (const Phdr& p : f.segments())
    if (p.type == PT_LOAD) loads.push_back(&p);
  for (size_t i = 0; i < loads.size(); ++i) {
    const Phdr& p = *loads[i];
    if (p.align >= 0x1000 && (p.offset % 0x1000) != (p.vaddr % 0x1000))
      return f.error("PT_LOAD at " + hex(p.vaddr) + ": file offset and address disagree modulo the page size");
    if (i > 0) {
      const Phdr& q = *loads[i - 1];
      if (p.vaddr < q.vaddr) return f.error("PT_LOAD segments are not sorted by address");
      if (q.vaddr + q.memsz > p.vaddr) return f.error("PT_LOAD segments overlap");
    }
  }
  if (const Phdr* p = f.find_segment(PT_PHDR)) {
    if (p->offset != eh.phoff || p->filesz != uint64_t(eh.phnum) * eh.phentsize)
      return f.error("PT_PHDR does not describe the program header table");
    if (!load_covering(f, p->vaddr, p->memsz)) return f.error("PT_PHDR is not covered by a PT_LOAD");
  }
  if (const Phdr* p = f.find_segment(PT_INTERP)) {
    if (!load_covering(f, p->vaddr, p->memsz)) return f.error("PT_INTERP is not covered by a PT_LOAD");
    auto interp = f.interpreter();
    if (!interp) return interp.error();
    if (p->filesz == 0 || f.bytes()[p->offset + p->filesz - 1] != 0)
      return f.error("the interpreter path is not NUL-terminated");
  }
  if (const Phdr* p = f.find_segment(PT_DYNAMIC)) {
    const Phdr* load = load_covering(f, p->vaddr, p->memsz);
    if (!load) return f.error("PT_DYNAMIC is not covered by a PT_LOAD");
    // glibc writes DT_DEBUG and relocated pointers into .dynamic; only MIPS and
    // RISC-V keep it read-only.
    bool read_only_ok = eh.machine == EM_MIPS || eh.machine == EM_RISCV;
    if (!(load->flags & PF_W) && !read_only_ok) return f.error(".dynamic is not in a writable segment");
    auto dyn = f.dynamic_entries();
    if (!dyn) return dyn.error();
    for (const Dyn& d : *dyn)
      if (dynamic_tag_is_address(d.tag, eh.machine) && d.tag != DT_DEBUG && d.val != 0 &&
          !load_covering(f, d.val, 1))
        return f.error("dynamic entry DT_" + dynamic_tag_name(d.tag) + " points at " + hex(d.val) +
                       ", outside every loaded segment");
    auto strings = f.dynamic_strings();
    if (!strings) return strings.error();
    for (const Dyn& d : *dyn)
      if (dynamic_tag_is_string(d.tag) && !strings->at(d.val))
        return f.error("dynamic entry DT_" + dynamic_tag_name(d.tag) + " has a bad string offset");
    if (auto v = f.version_needs(); !v) return v.error();
    if (auto v = f.version_definitions(); !v) return v.error();
    if (auto s = f.dynamic_symbols(); !s) return s.error();
  }
  for (const Section& s : f.sections())
    if (auto d = f.section_data(s); !d) return d.error();
  if (auto n = f.notes(); !n) return n.error();
  return {};
}

}  // namespace linkbox::elf

namespace linkbox::elf {

Status verify_edit(const ElfEditor& editor, const ElfFile& result) {
  auto interp = result.interpreter();
  if (!interp) return interp.error();
  if (*interp != editor.interpreter()) return result.error("the interpreter did not read back as written");
  if (!editor.has_dynamic()) return {};
  auto dyn = result.dynamic_entries();
  if (!dyn) return dyn.error();
  auto strings = result.dynamic_strings();
  if (!strings) return strings.error();
  const auto& want = editor.dynamic();
  if (dyn->size() != want.size()) return result.error("the dynamic section did not read back as written");
  for (size_t i = 0; i < want.size(); ++i) {
    if ((*dyn)[i].tag != want[i].tag) return result.error("the dynamic section did not read back as written");
    if (want[i].text && strings->at((*dyn)[i].val) != std::string_view(*want[i].text))
      return result.error("dynamic entry DT_" + dynamic_tag_name(want[i].tag) +
                          " did not read back as written");
  }
  return {};
}

}  // namespace linkbox::elf
