// Editing the load commands of a linked Mach-O file, in place.
//
// The only room an edit may use is the header padding: the bytes between the
// end of the load commands and the first section's file data. Nothing after
// it moves, so no offset anywhere in the file needs fixing and section data
// can never be overwritten. When the new commands do not fit, the edit fails
// before anything is written, saying how many bytes are missing.
//
// A signed image is re-signed after the edit: a linker-style ad-hoc signature
// is regenerated exactly as ld64.lld writes it (its size can change with the
// identifier, the file's basename, and with it __LINKEDIT's size and the end
// of the file); another ad-hoc signature gets new page hashes in place; a
// real (certificate) signature cannot be redone here and is removed, with a
// warning.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "libformat/expected.h"
#include "libmacho/macho-file.h"

namespace linkbox::macho {

// The load commands of one slice, as an editable list of raw commands (each
// with its cmd and cmdsize header, in the slice's byte order). Commands the
// editor does not understand are carried as they are.
class SliceEditor {
 public:
  explicit SliceEditor(const Slice& slice);

  const Slice& slice() const { return *slice_; }
  size_t size() const { return commands_.size(); }
  uint32_t cmd(size_t i) const;
  std::span<const uint8_t> command(size_t i) const { return commands_[i]; }
  // The string of a command that carries one at offset 8 (an lc_str): every
  // dylib command, LC_RPATH, LC_LOAD_DYLINKER, LC_ID_DYLINKER,
  // LC_DYLD_ENVIRONMENT. nullopt for other commands or a malformed string.
  std::optional<std::string> string_of(size_t i) const;
  // Indexes of the commands for which `pred(cmd)` holds.
  std::vector<size_t> find(const std::function<bool(uint32_t)>& pred) const;

  void insert(size_t at, std::vector<uint8_t> command);
  void replace(size_t i, std::vector<uint8_t> command);
  void remove(size_t i);

  // The new command for the same kind as command `i`, with its string
  // replaced (a dylib command keeps its timestamp and versions).
  std::vector<uint8_t> with_string(size_t i, std::string_view text) const;
  std::vector<uint8_t> make_dylib(uint32_t cmd, std::string_view name, uint32_t timestamp, uint32_t current_version,
                                  uint32_t compatibility_version) const;
  std::vector<uint8_t> make_rpath(std::string_view path) const;
  std::vector<uint8_t> make_dylinker(std::string_view path) const;

  // True when the command list differs from the file's.
  bool changed() const;
  // The bytes of the load commands as they would be written.
  std::vector<uint8_t> serialize() const;

 private:
  const Slice* slice_;
  std::vector<std::vector<uint8_t>> commands_;
};

// One warning per slice and reason, e.g. a removed signature.
struct EditWarning {
  std::string file;  // "path" or "path (for architecture arm64)"
  std::string message;
};

struct EditedFile {
  std::vector<uint8_t> bytes;
  std::vector<EditWarning> warnings;
};

// All slices of a file, edited together.
class MachOEditor {
 public:
  // `bytes` is the whole file `file` was parsed from.
  MachOEditor(const MachOFile& file, std::span<const uint8_t> bytes);
  const MachOFile& file() const { return *file_; }
  std::vector<SliceEditor>& slices() { return slices_; }
  const std::vector<SliceEditor>& slices() const { return slices_; }
  bool changed() const;

  // Builds the edited file: new load commands in every slice, signatures
  // regenerated. `output_path` is where the result goes (its basename is the
  // signature identifier). nullopt when nothing changed. Errors (short
  // padding, a slice of a fat file that would have to grow into the next)
  // leave nothing half-done: the caller writes nothing.
  Expected<std::optional<EditedFile>> build(const std::string& output_path) const;

 private:
  const MachOFile* file_;
  std::span<const uint8_t> bytes_;
  std::vector<SliceEditor> slices_;
};

// Checks an edited file before it replaces the original: it must parse, its
// load commands must end before the first section data, and every signature
// must verify. `original` is the input: everything from each slice's first
// section data up to its signature must be byte-identical to it.
Status check_edited_file(const MachOFile& original, const std::string& path, std::span<const uint8_t> bytes);

// Writes `edited` to `target` through a temporary file beside it, checked by
// check_edited_file() after it is read back, then renamed over `target`.
Status write_edited_file(const MachOFile& original, const std::string& target, const EditedFile& edited,
                         mode_t mode);

}  // namespace linkbox::macho
