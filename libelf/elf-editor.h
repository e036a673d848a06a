// Editing a linked ELF file: its interpreter, dynamic entries, dynamic
// strings, symbol versions and a few header fields.
//
// The editor keeps the file's layout wherever it can. Data that no longer fits
// where it was (a longer interpreter, a larger .dynstr, more .dynamic entries)
// moves to one new PT_LOAD segment appended to the file; every program header,
// dynamic tag and section header that points at it is updated, and the
// program header table grows in place by moving the loader tables that follow
// it. All relayout happens in finish(), in one place, and the result is
// checked structurally before it is returned.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libelf/elf-file.h"
#include "libformat/expected.h"

namespace linkbox::elf {

// A dynamic entry as the editor sees it: string-valued entries (DT_NEEDED,
// DT_RPATH, ...) carry their text, and their offset is decided when writing.
struct DynamicEntry {
  int64_t tag = 0;
  uint64_t val = 0;
  std::optional<std::string> text;
  // Where the entry's string was in the original file, if anywhere.
  std::optional<uint64_t> original_offset;
};

struct EditOptions {
  // Alignment of an added segment; 0 means the machine's largest page size.
  uint64_t page_size = 0;
  // Print what the relayout does on stderr.
  bool debug = false;
  // Overwrite a replaced string that nothing else uses with 'X' bytes, as
  // patchelf does, so an old value (a build path, say) no longer appears in
  // the file.
  bool clobber_replaced_strings = false;
};

class ElfEditor {
 public:
  static Expected<ElfEditor> open(const ElfFile& file);

  const ElfFile& file() const { return *file_; }

  // --- Interpreter (PT_INTERP / .interp)
  std::optional<std::string> interpreter() const { return interp_; }
  Status set_interpreter(const std::string& path);

  // --- The dynamic section. Entries exclude the terminating DT_NULL.
  bool has_dynamic() const { return has_dynamic_; }
  const std::vector<DynamicEntry>& dynamic() const { return dynamic_; }
  std::vector<DynamicEntry>& mutable_dynamic() { return dynamic_; }
  // An entry that names a string.
  static DynamicEntry string_entry(int64_t tag, std::string text);

  // --- Version needs: rename the file a need refers to (for a replaced DT_NEEDED).
  void rename_version_need_file(const std::string& from, const std::string& to);

  // --- Dynamic symbols
  // Sets the .gnu.version entry of every dynamic symbol called `name` to
  // VER_NDX_GLOBAL. Returns how many were changed.
  Expected<int> clear_symbol_version(const std::string& name);

  // Renames dynamic symbols (old name -> new name). Because the GNU hash
  // table orders symbols by hash bucket, the renamed table is re-sorted, and
  // .gnu.version, the hash tables and every dynamic relocation's symbol index
  // follow. Names with a version ("foo@V") are refused by the caller.
  Status rename_dynamic_symbols(const std::map<std::string, std::string>& renames);

  // --- Header fields
  void set_os_abi(uint8_t abi) { os_abi_ = abi; }
  // Sets or clears PF_X in PT_GNU_STACK, adding the header when it is missing.
  void set_execstack(bool executable) { execstack_ = executable; }

  // Adds a note in a new SHT_NOTE section named `section`, covered by its own
  // PT_NOTE. An existing section of that name is replaced.
  void set_note_section(const std::string& section, std::vector<uint8_t> contents);

  // Removes an SHT_NOTE section and the program headers that cover exactly it
  // (a resolution-cache note an rpath or needed edit made stale).
  void remove_note_section(const std::string& section) { remove_note_ = section; }

  // The new file image, or nullopt when nothing changed.
  Expected<std::optional<std::vector<uint8_t>>> finish(const EditOptions& options);

 private:
  struct StringField {
    uint64_t field_offset;  // file offset of a 32-bit string-table offset
    std::string text;
  };
  // Where every changed string goes; see place_strings().
  struct StringPlan {
    std::vector<uint8_t> table;           // the new table contents
    size_t original_size = 0;
    std::vector<uint64_t> entry_offsets;  // one per dynamic_ entry (0 for non-strings)
    std::vector<uint64_t> field_offsets;  // one per string_fields_ entry
    bool changed = false;                 // table bytes differ from the original
  };
  struct Layout;

  Status load();
  Status check_edit_is_possible() const;
  Status check_loads_do_not_overlap() const;
  Expected<StringPlan> place_strings(bool clobber_replaced);
  Error error(std::string message) const { return file_->error(std::move(message)); }

  const ElfFile* file_ = nullptr;
  std::optional<std::string> interp_;
  std::optional<std::string> original_interp_;
  bool has_dynamic_ = false;
  std::vector<DynamicEntry> dynamic_;
  std::vector<Dyn> original_dynamic_;
  std::vector<StringField> string_fields_;
  std::vector<std::pair<uint64_t, uint16_t>> versym_edits_;  // file offset, new value
  std::map<uint32_t, std::string> renamed_symbols_;  // dynsym index -> new name
  std::optional<uint8_t> os_abi_;
  std::optional<bool> execstack_;
  std::optional<std::pair<std::string, std::vector<uint8_t>>> note_section_;
  std::optional<std::string> remove_note_;
};

// Structural checks on an edited file: headers in bounds, loadable segments
// sorted and aligned, PT_PHDR and the dynamic section mapped, every dynamic
// address inside a loaded segment. Used before an edited file replaces the
// original.
Status validate_layout(const ElfFile& file);

}  // namespace linkbox::elf

namespace linkbox::elf {
// Checks that `result` says what the editor meant: the same interpreter and
// the same string-valued dynamic entries, in order.
Status verify_edit(const ElfEditor& editor, const ElfFile& result);
}  // namespace linkbox::elf
