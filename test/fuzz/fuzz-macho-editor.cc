// Fuzz target: the Mach-O editor (libmacho/macho-editor.h and
// load-command-edits.h). The input is parsed as a Mach-O file; the last
// input byte picks a set of edits (install_name_tool options, addneeded,
// setinterp) applied to every slice; build() makes the new file. Whenever
// build() succeeds, its result must pass check_edited_file, the check the
// tools run before renaming: it parses, the load commands end before the
// first section, nothing after them changed, and every signature verifies.
// A failure there is an editor bug, so the target aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "libmacho/load-command-edits.h"
#include "libmacho/macho-editor.h"
#include "libmacho/macho-file.h"
#include "test/fuzz/fuzz-common.h"

namespace macho = linkbox::macho;
using linkbox::fuzz::touch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  auto file = macho::MachOFile::parse("fuzz-input", bytes);
  if (!file) return 0;
  uint8_t pick = size ? data[size - 1] : 0;
  macho::InstallNameEdits edits;
  macho::MachOEditor editor(*file, bytes);
  unsigned v = 0;
  for (auto& slice : editor.slices()) {
    // Names from the file itself, so that -change, -rpath and -delete_rpath
    // find something.
    std::string dylib, rpath;
    for (size_t i = 0; i < slice.size(); ++i) {
      auto text = slice.string_of(i);
      v += touch(text);
      if (!text) continue;
      if (slice.cmd(i) == macho::LC_RPATH && rpath.empty()) rpath = *text;
      else if (slice.cmd(i) != macho::LC_RPATH && dylib.empty()) dylib = *text;
    }
    if (pick & 1) edits.add_rpaths = {"@loader_path/../fuzz"};
    if ((pick & 2) && !rpath.empty()) edits.delete_rpaths = {rpath};
    if ((pick & 4) && !dylib.empty()) edits.changes = {{dylib, "@rpath/a-longer-install-name-for-fuzzing.dylib"}};
    if (pick & 8) edits.id = "x";
    if ((pick & 16) && !rpath.empty() && !(pick & 2)) edits.rpaths = {{rpath, "/r"}};
    if (pick & 32) edits.prepend_rpaths = {"/first"};
    std::vector<linkbox::Error> errors;
    macho::apply_install_name_edits(slice, edits, errors);
    for (const auto& e : errors) v += touch(e.message);
    if (pick & 64) v += macho::add_dependent_dylib(slice, "/usr/lib/libfuzz.dylib", pick & 128);
    if (pick & 128) v += macho::set_dylinker(slice, "/usr/lib/dyld-fuzz").ok();
    v += touch(macho::dylinker_of(slice));
    v += touch(slice.serialize());
  }
  auto built = editor.build("dir/fuzz-output-name");
  if (!built) {
    v += touch(built.error().message);
  } else if (*built) {
    const auto& out = **built;
    for (const auto& w : out.warnings) v += touch(w.message);
    if (auto st = macho::check_edited_file(*file, "fuzz-output", out.bytes); !st) {
      std::fprintf(stderr, "edited file fails its check: %s: %s\n", st.error().file.c_str(),
                   st.error().message.c_str());
      std::abort();
    }
  }
  linkbox::fuzz::keep(v);
  return 0;
}
