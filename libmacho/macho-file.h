// A bounds-checked, read-only view of a Mach-O file: thin or fat (universal),
// 32- or 64-bit, either byte order.
//
// Every offset, size and count read from the file is checked before it is
// used; a problem is returned as an Error naming the file (and, in a fat
// file, the architecture) and the field. Load commands the reader does not
// model are kept as opaque bytes, so an editor can copy them unchanged.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libformat/byte-order.h"
#include "libformat/expected.h"
#include "libmacho/macho-types.h"

namespace linkbox::macho {

struct FatArch {
  uint32_t cputype = 0;
  uint32_t cpusubtype = 0;
  uint64_t offset = 0;  // of the slice in the file
  uint64_t size = 0;
  uint32_t align = 0;   // a power of two
};

struct Header {
  uint32_t magic = 0;
  uint32_t cputype = 0;
  uint32_t cpusubtype = 0;
  uint32_t filetype = 0;
  uint32_t ncmds = 0;
  uint32_t sizeofcmds = 0;
  uint32_t flags = 0;
  uint32_t reserved = 0;  // 64-bit headers only
};

// One load command as it sits in the file.
struct LoadCommand {
  uint32_t cmd = 0;
  uint32_t cmdsize = 0;
  uint64_t offset = 0;              // from the start of the slice
  std::span<const uint8_t> bytes;   // the whole command, cmdsize bytes
};

struct Section {
  std::string segname;
  std::string sectname;
  uint64_t addr = 0;
  uint64_t size = 0;
  uint32_t offset = 0;
  uint32_t align = 0;
  uint32_t reloff = 0;
  uint32_t nreloc = 0;
  uint32_t flags = 0;
  uint32_t reserved1 = 0;
  uint32_t reserved2 = 0;
  uint32_t reserved3 = 0;  // 64-bit only
  // False for zero-fill sections, whose offset means nothing.
  bool has_file_data() const;
};

struct Segment {
  std::string name;
  uint64_t vmaddr = 0;
  uint64_t vmsize = 0;
  uint64_t fileoff = 0;
  uint64_t filesize = 0;
  uint32_t maxprot = 0;
  uint32_t initprot = 0;
  uint32_t flags = 0;
  std::vector<Section> sections;
  size_t command_index = 0;  // into Slice::load_commands()
};

// LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, LC_LAZY_LOAD_DYLIB,
// LC_LOAD_UPWARD_DYLIB and LC_ID_DYLIB.
struct Dylib {
  uint32_t cmd = 0;
  std::string name;
  uint32_t timestamp = 0;
  uint32_t current_version = 0;        // X.Y.Z as xxxx.yy.zz nibbles
  uint32_t compatibility_version = 0;
  size_t command_index = 0;
};

struct Rpath {
  std::string path;
  size_t command_index = 0;
};

// LC_CODE_SIGNATURE, LC_FUNCTION_STARTS, LC_DATA_IN_CODE,
// LC_DYLD_CHAINED_FIXUPS, LC_DYLD_EXPORTS_TRIE and other linkedit_data_command.
struct LinkeditData {
  uint32_t cmd = 0;
  uint32_t dataoff = 0;
  uint32_t datasize = 0;
  size_t command_index = 0;
};

// LC_DYLD_INFO and LC_DYLD_INFO_ONLY.
struct DyldInfo {
  uint32_t cmd = 0;
  uint32_t rebase_off = 0, rebase_size = 0;
  uint32_t bind_off = 0, bind_size = 0;
  uint32_t weak_bind_off = 0, weak_bind_size = 0;
  uint32_t lazy_bind_off = 0, lazy_bind_size = 0;
  uint32_t export_off = 0, export_size = 0;
};

struct Symtab {
  uint32_t symoff = 0, nsyms = 0, stroff = 0, strsize = 0;
};

struct Dysymtab {
  uint32_t ilocalsym = 0, nlocalsym = 0;
  uint32_t iextdefsym = 0, nextdefsym = 0;
  uint32_t iundefsym = 0, nundefsym = 0;
  uint32_t tocoff = 0, ntoc = 0;
  uint32_t modtaboff = 0, nmodtab = 0;
  uint32_t extrefsymoff = 0, nextrefsyms = 0;
  uint32_t indirectsymoff = 0, nindirectsyms = 0;
  uint32_t extreloff = 0, nextrel = 0;
  uint32_t locreloff = 0, nlocrel = 0;
};

struct BuildTool {
  uint32_t tool = 0;
  uint32_t version = 0;
};

struct BuildVersion {
  uint32_t platform = 0;
  uint32_t minos = 0;  // X.Y.Z as xxxx.yy.zz nibbles
  uint32_t sdk = 0;
  std::vector<BuildTool> tools;
};

// LC_VERSION_MIN_MACOSX, _IPHONEOS, _TVOS, _WATCHOS.
struct VersionMin {
  uint32_t cmd = 0;
  uint32_t version = 0;
  uint32_t sdk = 0;
};

// LC_MAIN.
struct EntryPoint {
  uint64_t entryoff = 0;
  uint64_t stacksize = 0;
};

// An nlist / nlist_64 entry.
struct Symbol {
  std::string_view name;  // points into the file
  uint32_t strx = 0;
  uint8_t type = 0;
  uint8_t sect = 0;
  uint16_t desc = 0;
  uint64_t value = 0;
};

// One thin Mach-O image: a whole thin file, or one slice of a fat file.
class Slice {
 public:
  // `bytes` is the image itself; `file_offset` is where it starts in the file
  // (0 for a thin file) and `path` names the file in errors.
  static Expected<Slice> parse(std::string path, std::span<const uint8_t> bytes,
                               uint64_t file_offset = 0);

  const std::string& path() const { return path_; }
  std::span<const uint8_t> bytes() const { return bytes_; }
  uint64_t file_offset() const { return file_offset_; }
  ByteOrder order() const { return order_; }
  bool is64() const { return is64_; }
  const Header& header() const { return header_; }
  uint32_t header_size() const { return is64_ ? 32 : 28; }

  const std::vector<LoadCommand>& load_commands() const { return commands_; }
  const std::vector<Segment>& segments() const { return segments_; }
  // Dependent dylibs in load-command order (every kind but LC_ID_DYLIB).
  const std::vector<Dylib>& dependencies() const { return dependencies_; }
  const std::optional<Dylib>& id_dylib() const { return id_dylib_; }
  const std::vector<Rpath>& rpaths() const { return rpaths_; }
  const std::optional<std::string>& dylinker() const { return dylinker_; }
  const std::optional<std::array<uint8_t, 16>>& uuid() const { return uuid_; }
  const std::optional<EntryPoint>& entry_point() const { return entry_point_; }
  const std::optional<BuildVersion>& build_version() const { return build_version_; }
  const std::optional<VersionMin>& version_min() const { return version_min_; }
  const std::optional<DyldInfo>& dyld_info() const { return dyld_info_; }
  const std::optional<Symtab>& symtab() const { return symtab_; }
  const std::optional<Dysymtab>& dysymtab() const { return dysymtab_; }
  // The first linkedit_data_command with `cmd`, if any.
  std::optional<LinkeditData> linkedit_data(uint32_t cmd) const;
  // Every linkedit_data_command, in load-command order.
  const std::vector<LinkeditData>& linkedit_data_commands() const { return linkedit_data_; }

  // `size` bytes at `offset` from the start of the slice, or an error that
  // names `what`.
  Expected<std::span<const uint8_t>> data_at(uint64_t offset, uint64_t size,
                                             std::string_view what) const;
  // The file bytes of a linkedit_data_command's payload.
  Expected<std::span<const uint8_t>> linkedit_bytes(const LinkeditData& d) const;

  Expected<std::vector<Symbol>> symbols() const;
  // The indirect symbol table (LC_DYSYMTAB indirectsymoff/nindirectsyms).
  Expected<std::vector<uint32_t>> indirect_symbols() const;

  // The header padding: where the load commands end, where the first
  // section's file data starts, and the free bytes between them.
  uint64_t load_commands_end() const { return header_size() + header_.sizeofcmds; }
  uint64_t first_section_offset() const;
  uint64_t header_padding() const;

  // An error about this image: "path: message", or in a fat file
  // "path (for architecture arm64): message".
  Error error(std::string message) const;

 private:
  Status parse_load_commands();
  Status parse_command(size_t index);

  std::string path_;
  std::span<const uint8_t> bytes_;
  uint64_t file_offset_ = 0;
  ByteOrder order_ = ByteOrder::little;
  bool is64_ = false;
  bool in_fat_ = false;
  Header header_;
  std::vector<LoadCommand> commands_;
  std::vector<Segment> segments_;
  std::vector<Dylib> dependencies_;
  std::optional<Dylib> id_dylib_;
  std::vector<Rpath> rpaths_;
  std::optional<std::string> dylinker_;
  std::optional<std::array<uint8_t, 16>> uuid_;
  std::optional<EntryPoint> entry_point_;
  std::optional<BuildVersion> build_version_;
  std::optional<VersionMin> version_min_;
  std::optional<DyldInfo> dyld_info_;
  std::optional<Symtab> symtab_;
  std::optional<Dysymtab> dysymtab_;
  std::vector<LinkeditData> linkedit_data_;

  friend class MachOFile;
};

// A thin or fat file: one Slice per architecture.
class MachOFile {
 public:
  static Expected<MachOFile> parse(std::string path, std::span<const uint8_t> bytes);

  const std::string& path() const { return path_; }
  bool is_fat() const { return fat_; }
  bool is_fat64() const { return fat64_; }
  const std::vector<FatArch>& fat_arches() const { return fat_arches_; }
  const std::vector<Slice>& slices() const { return slices_; }

 private:
  std::string path_;
  bool fat_ = false;
  bool fat64_ = false;
  std::vector<FatArch> fat_arches_;
  std::vector<Slice> slices_;
};

// True when the bytes start with a thin Mach-O magic or a fat header that is
// not a Java class file.
bool looks_like_macho(std::span<const uint8_t> bytes);

// "x86_64", "x86_64h", "arm64", "arm64e", "i386", "armv7", ... as Apple's
// tools name architectures.
std::string arch_name(uint32_t cputype, uint32_t cpusubtype);
// "LC_LOAD_DYLIB", or "LC_??? (0x…)" for unknown numbers.
std::string load_command_name(uint32_t cmd);
// A packed X.Y.Z version as "X.Y.Z" (or "X.Y" when Z is 0, as otool prints
// compatibility versions: callers choose).
std::string format_version(uint32_t v, bool always_three = true);

// Just the header of a thin or fat file, for tools that only need to tell a
// Mach-O file apart (kept for the ELF tools' "not ELF" checks).
struct Summary {
  bool fat = false;
  bool is64 = false;
  uint32_t cputype = 0;
  uint32_t slices = 1;
};
Expected<Summary> read_summary(const std::string& path, std::span<const uint8_t> bytes);

}  // namespace linkbox::macho
