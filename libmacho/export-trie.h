// Decoder for the export trie of LC_DYLD_INFO(_ONLY) and LC_DYLD_EXPORTS_TRIE:
// every symbol an image exports, with its flags and address (an offset from
// the image's base), or the dylib and name it re-exports.
//
// The trie is untrusted input: every node offset, ULEB128 and string is
// bounds-checked, a node reached twice (a cycle, or two parents sharing a
// child) is an error, and names and depth are capped.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libformat/expected.h"
#include "libmacho/macho-file.h"

namespace linkbox::macho {

constexpr uint64_t EXPORT_SYMBOL_FLAGS_KIND_MASK = 0x03;
constexpr uint64_t EXPORT_SYMBOL_FLAGS_KIND_REGULAR = 0x00;
constexpr uint64_t EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL = 0x01;
constexpr uint64_t EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE = 0x02;
constexpr uint64_t EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION = 0x04;
constexpr uint64_t EXPORT_SYMBOL_FLAGS_REEXPORT = 0x08;
constexpr uint64_t EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER = 0x10;
constexpr uint64_t EXPORT_SYMBOL_FLAGS_STATIC_RESOLVER = 0x20;

// Limits on what a trie may ask of the decoder.
constexpr size_t kMaxExportTrieDepth = 512;
constexpr size_t kMaxExportNameLength = 16384;

struct ExportEntry {
  std::string name;
  uint64_t flags = 0;
  uint64_t address = 0;  // offset from the image base; 0 for re-exports
  // Re-exports: the dylib ordinal (1-based). Stub-and-resolver: the
  // resolver's offset.
  uint64_t other = 0;
  std::string import_name;  // re-exports under another name; else empty
  uint32_t node_offset = 0;

  uint64_t kind() const { return flags & EXPORT_SYMBOL_FLAGS_KIND_MASK; }
  bool reexport() const { return flags & EXPORT_SYMBOL_FLAGS_REEXPORT; }
  bool weak_definition() const { return flags & EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION; }
  bool stub_and_resolver() const { return flags & EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER; }
};

// Entries in the order llvm-objdump lists them: depth first, children in
// trie order, a node that is both a symbol and a prefix of others after its
// children. `path` names the file in errors.
Expected<std::vector<ExportEntry>> decode_export_trie(std::span<const uint8_t> trie, const std::string& path);

// The trie of a slice: LC_DYLD_INFO(_ONLY)'s export area if there is that
// command, else LC_DYLD_EXPORTS_TRIE's data; empty when there is neither.
Expected<std::span<const uint8_t>> export_trie_bytes(const Slice& slice);
// Its entries; a re-export must also name one of the slice's dylibs.
Expected<std::vector<ExportEntry>> export_entries(const Slice& slice);

}  // namespace linkbox::macho
