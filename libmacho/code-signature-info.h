// A read-only, bounds-checked view of the code signature that
// LC_CODE_SIGNATURE points at: the embedded-signature SuperBlob, its blob
// index, and the CodeDirectory (its flags, identifier, hash type, page size
// and the code-slot hashes).
//
// readdyn uses it to classify a signature; the signature generator and the
// page-hash checker reuse it to read back what they wrote. All blob fields
// are big-endian, whatever the byte order of the Mach-O file.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libformat/expected.h"
#include "libmacho/macho-file.h"

namespace linkbox::macho {

enum class SignatureKind {
  none,                 // no LC_CODE_SIGNATURE
  adhoc_linker_signed,  // CS_ADHOC | CS_LINKER_SIGNED, as ld64 and lld write
  adhoc,                // CS_ADHOC without CS_LINKER_SIGNED (codesign -s -)
  other,                // a CMS signature, or a CodeDirectory that is not ad hoc
};

// "none", "adhoc-linker-signed", "adhoc", "other": the JSON spelling.
std::string_view signature_kind_key(SignatureKind kind);
// "none", "ad-hoc, linker-signed", "ad-hoc", "signed (not ad hoc)".
std::string_view signature_kind_text(SignatureKind kind);

struct BlobIndexEntry {
  uint32_t type = 0;    // CSSLOT_*
  uint32_t offset = 0;  // from the start of the SuperBlob
  uint32_t magic = 0;   // of the blob there
  uint32_t length = 0;  // of the blob there
};

struct CodeDirectory {
  uint32_t offset = 0;  // of the blob, from the start of the SuperBlob
  uint32_t length = 0;
  uint32_t version = 0;
  uint32_t flags = 0;
  uint32_t hash_offset = 0;  // from the start of the CodeDirectory, to slot 0
  uint32_t ident_offset = 0;
  uint32_t n_special_slots = 0;
  uint32_t n_code_slots = 0;
  uint32_t code_limit = 0;
  uint8_t hash_size = 0;
  uint8_t hash_type = 0;
  uint8_t platform = 0;
  uint8_t page_size_log2 = 0;  // 0 means one hash for the whole file
  uint64_t code_limit64 = 0;     // version >= 0x20300
  uint64_t exec_seg_base = 0;    // version >= 0x20400
  uint64_t exec_seg_limit = 0;
  uint64_t exec_seg_flags = 0;
  std::string identifier;
  std::span<const uint8_t> bytes;  // the whole blob

  // The code limit that applies: code_limit64 when set, else code_limit.
  uint64_t effective_code_limit() const { return code_limit64 ? code_limit64 : code_limit; }
  // The hash of code page `i` (i < n_code_slots), hash_size bytes.
  std::span<const uint8_t> code_hash(uint32_t i) const;
  // The hash of special slot `i` (1 <= i <= n_special_slots), stored before slot 0.
  std::span<const uint8_t> special_hash(uint32_t i) const;
};

struct CodeSignatureInfo {
  SignatureKind kind = SignatureKind::none;
  uint32_t dataoff = 0;  // from LC_CODE_SIGNATURE, within the slice
  uint32_t datasize = 0;
  uint32_t superblob_length = 0;
  std::vector<BlobIndexEntry> blobs;
  // The primary CodeDirectory (CSSLOT_CODEDIRECTORY) and any alternates.
  std::optional<CodeDirectory> code_directory;
  std::vector<CodeDirectory> alternate_code_directories;
  // A non-empty CMS blob wrapper in CSSLOT_SIGNATURESLOT.
  bool has_cms_signature = false;
};

// Reads the signature of `slice`. A slice without LC_CODE_SIGNATURE gives
// kind none; a malformed signature is an error.
Expected<CodeSignatureInfo> read_code_signature(const Slice& slice);

// Parses one CodeDirectory blob (for callers that hold the blob already).
Expected<CodeDirectory> parse_code_directory(const Slice& slice, std::span<const uint8_t> blob,
                                             uint32_t offset_in_superblob);

// "SHA-1", "SHA-256", "SHA-256 (truncated)", "SHA-384", or "hash type N".
std::string hash_type_name(uint8_t type);

}  // namespace linkbox::macho
