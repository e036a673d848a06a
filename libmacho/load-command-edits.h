// The edits the tools make to load commands, on top of SliceEditor: the
// install_name_tool options, adding a dependent dylib (addneeded) and
// changing the dynamic linker (setinterp).
//
// install_name_tool semantics follow Apple's cctools tool: -change rewrites
// every dependent dylib command with that name, -rpath and -delete_rpath act
// on the first LC_RPATH with the path and fail when there is none, -id is
// ignored in a file without LC_ID_DYLIB, -add_rpath appends. -prepend_rpath
// (a later addition to Apple's tool) puts each new LC_RPATH first in turn, as
// llvm-install-name-tool does (so the last one given ends up first). An edit that would duplicate an LC_RPATH is an
// error. Error messages use Apple's wording.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "libformat/expected.h"
#include "libmacho/macho-editor.h"

namespace linkbox::macho {

struct InstallNameEdits {
  std::optional<std::string> id;
  std::vector<std::pair<std::string, std::string>> changes;  // -change old new
  std::vector<std::pair<std::string, std::string>> rpaths;   // -rpath old new
  std::vector<std::string> add_rpaths;
  std::vector<std::string> prepend_rpaths;
  std::vector<std::string> delete_rpaths;
  bool delete_all_rpaths = false;

  bool empty() const {
    return !id && changes.empty() && rpaths.empty() && add_rpaths.empty() && prepend_rpaths.empty() &&
           delete_rpaths.empty() && !delete_all_rpaths;
  }
};

// "path (for architecture arm64)", as Apple's tools name a slice, thin or fat.
std::string slice_label(const Slice& slice);

// Applies `edits` to one slice. Every problem is appended to `errors` (whole
// messages with the file named inside, so Error::file is empty); the caller
// writes nothing if there is any.
void apply_install_name_edits(SliceEditor& editor, const InstallNameEdits& edits, std::vector<Error>& errors);

// Adds a dependent dylib (LC_LOAD_DYLIB, or LC_LOAD_WEAK_DYLIB when `weak`)
// after the last dependent dylib command, so the existing dylibs keep their
// ordinals (bind opcodes refer to dylibs by position). Returns false when the
// slice already depends on `name` (any kind), adding nothing.
bool add_dependent_dylib(SliceEditor& editor, const std::string& name, bool weak);

// The LC_LOAD_DYLINKER path of the slice, if it has one.
std::optional<std::string> dylinker_of(const SliceEditor& editor);
// Replaces the LC_LOAD_DYLINKER path. An error if the slice has none (it is
// not a dynamically linked executable).
Status set_dylinker(SliceEditor& editor, const std::string& path);

}  // namespace linkbox::macho
