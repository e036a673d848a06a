// Fuzz target: ElfEditor, the relayout in finish(), and the checks the tools
// run on what it returns.
//
// Input layout: 4 control bytes, then the ELF file. The control bytes choose
// which edits to make, so one corpus entry explores one ELF file under many
// different edits, and make-seeds.sh can prefix real binaries with a few
// useful choices.
//
//   byte 0: edit mask
//     0x01 set_interpreter to a long path (length from byte 1)
//     0x02 add DT_NEEDED entries (1 + byte1 % 8 of them)
//     0x04 set DT_RUNPATH (replacing DT_RPATH/DT_RUNPATH text or adding one)
//     0x08 clear_symbol_version of a dynamic symbol (chosen by byte 3)
//     0x10 rename_dynamic_symbols (two symbols, from byte 3)
//     0x20 set_execstack (on or off: byte 2 & 0x20)
//     0x40 replace and remove existing string entries, rename a version need
//     0x80 set_os_abi and add the resolution cache note section
//   byte 1: sizes (interpreter length, number of DT_NEEDED entries)
//   byte 2: options: 0x01 clobber replaced strings, 0x0e page size choice,
//           0x10 add DT_NEEDED at the end instead of the front
//   byte 3: which dynamic symbol to clear or rename
//
// A finish() that returns an error, or an image that does not re-read or fails
// validate_layout, is not a bug here: the tools refuse such output and leave
// the original file alone. Only sanitizer reports and crashes count.
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "libelf/dynamic-info.h"
#include "libelf/elf-editor.h"
#include "libelf/elf-file.h"
#include "libelf/resolution-cache.h"
#include "test/fuzz/fuzz-common.h"

namespace {

namespace elf = linkbox::elf;
using linkbox::fuzz::touch;

constexpr size_t kControlBytes = 4;
constexpr uint64_t kPageSizes[8] = {0, 0x1000, 0x4000, 0x10000, 0x200, 0x10, 1, 0x8000};

// Names of the file's dynamic symbols, as the editor will look them up.
std::vector<std::string> dynamic_symbol_names(const elf::ElfFile& f) {
  std::vector<std::string> names;
  auto syms = f.dynamic_symbols();
  auto strings = f.dynamic_strings();
  if (!syms || !strings) return names;
  for (const elf::Sym& s : *syms)
    if (auto n = strings->at(s.name); n && !n->empty() && n->find('@') == std::string_view::npos)
      names.emplace_back(*n);
  return names;
}

void apply_edits(const elf::ElfFile& f, elf::ElfEditor& editor, const uint8_t* control) {
  uint8_t mask = control[0], sizes = control[1], options = control[2], pick = control[3];
  auto& dyn = editor.mutable_dynamic();

  if (mask & 0x01) {
    // Long enough, at the top of the range, to never fit in the old PT_INTERP.
    std::string path = "/fuzz/lib/" + std::string(8 + sizes * 8u, 'i') + "/ld.so";
    (void)editor.set_interpreter(path);
  }
  if ((mask & 0x02) && editor.has_dynamic()) {
    std::vector<elf::DynamicEntry> added;
    for (unsigned i = 0; i <= (sizes & 7u); ++i)
      added.push_back(elf::ElfEditor::string_entry(DT_NEEDED, "libfuzz" + std::to_string(i) + ".so"));
    auto at = (options & 0x10) ? dyn.end() : dyn.begin();
    dyn.insert(at, added.begin(), added.end());
  }
  if ((mask & 0x04) && editor.has_dynamic()) {
    std::string runpath = "$ORIGIN/../fuzz-lib:/opt/" + std::string(sizes % 64u, 'r');
    bool found = false;
    for (auto& e : dyn)
      if (e.tag == DT_RPATH || e.tag == DT_RUNPATH) {
        e.tag = DT_RUNPATH;
        e.text = runpath;
        found = true;
      }
    if (!found) dyn.insert(dyn.begin(), elf::ElfEditor::string_entry(DT_RUNPATH, runpath));
  }
  std::vector<std::string> names;
  if (mask & 0x18) names = dynamic_symbol_names(f);
  if ((mask & 0x08) && !names.empty()) {
    auto n = editor.clear_symbol_version(names[pick % names.size()]);
    if (n) linkbox::fuzz::keep(static_cast<unsigned>(*n));
  }
  if ((mask & 0x10) && !names.empty()) {
    std::map<std::string, std::string> renames;
    const std::string& a = names[pick % names.size()];
    const std::string& b = names[(pick + 1u) % names.size()];
    renames[a] = a + "_fuzz_renamed";                        // longer: appended
    if (b != a) renames[b] = b.substr(0, (b.size() + 1) / 2);  // shorter: may fit in place
    (void)editor.rename_dynamic_symbols(renames);
  }
  if (mask & 0x20) editor.set_execstack(options & 0x20);
  if ((mask & 0x40) && editor.has_dynamic()) {
    // Replace the first string entry (as --replace-needed / --set-soname do)
    // and drop the last one (as --remove-needed does).
    std::optional<std::string> replaced;
    for (auto& e : dyn)
      if (e.text) {
        replaced = *e.text;
        e.text = sizes & 1 ? std::string("r") : *e.text + ".replaced";
        if (e.tag == DT_NEEDED) editor.rename_version_need_file(*replaced, *e.text);
        break;
      }
    for (auto it = dyn.rbegin(); it != dyn.rend(); ++it)
      if (it->text && it->tag == DT_NEEDED) {
        dyn.erase(std::next(it).base());
        break;
      }
  }
  if (mask & 0x80) {
    editor.set_os_abi(sizes);
    // The note --build-resolution-cache adds, built the same way (in the
    // file's byte order) but from a made-up descriptor: building a real one
    // looks at the file system.
    std::string desc = "libfuzz0.so";
    desc += '\0';
    desc += "=/opt/" + std::string(sizes % 32u, 'n') + "/libfuzz0.so";
    desc += '\0';
    desc += '\0';
    editor.set_note_section(elf::kResolutionCacheSection,
                            elf::make_resolution_cache_note(f.codec(), {desc.begin(), desc.end()}));
  }
}

// What the tools do with a finished image before it may replace the input.
void check_output(const elf::ElfEditor& editor, const std::vector<uint8_t>& image) {
  auto out = elf::ElfFile::parse("fuzz-output", image);
  if (!out) return;
  unsigned v = 0;
  if (linkbox::Status s = elf::validate_layout(*out); !s) return;
  if (linkbox::Status s = elf::verify_edit(editor, *out); !s) v += touch(s.error().message);
  if (auto info = elf::read_dynamic_info(*out)) {
    v += touch(info->interpreter) + touch(info->runpath);
    for (const auto& n : info->needed) v += touch(n);
  }
  linkbox::fuzz::keep(v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kControlBytes) return 0;
  const uint8_t* control = data;
  auto f = elf::ElfFile::parse("fuzz-input", std::span<const uint8_t>(data + kControlBytes, size - kControlBytes));
  if (!f) return 0;
  auto editor = elf::ElfEditor::open(*f);
  if (!editor) return 0;
  apply_edits(*f, *editor, control);
  elf::EditOptions options;
  options.clobber_replaced_strings = control[2] & 0x01;
  options.page_size = kPageSizes[(control[2] >> 1) & 7];
  auto image = editor->finish(options);
  if (image && *image) check_output(*editor, **image);
  return 0;
}
