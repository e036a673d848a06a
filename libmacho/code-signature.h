// The embedded code signature of a Mach-O image (LC_CODE_SIGNATURE): checking
// its page hashes, and writing the ad-hoc signature that ld64 and ld64.lld
// put on every arm64 output. Reading it is code-signature-info.h.
//
// The signature is a SuperBlob of big-endian blobs. The one that matters here
// is the CodeDirectory: a SHA-256 hash of every 4 KiB page of the image up to
// codeLimit (the signature's own offset). An arm64 kernel refuses to map a
// page whose hash does not match, so any edit of the header must be followed
// by new hashes. linkbox writes the signature byte for byte as lld does, so a
// file re-signed without other changes is identical to the linker's output.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "libformat/expected.h"
#include "libmacho/code-signature-info.h"
#include "libmacho/macho-file.h"

namespace linkbox::macho {

// Checks every code-page hash of every CodeDirectory of `info` (read from
// `slice` by read_code_signature) against the slice's bytes. The error names
// the first page that differs.
Status verify_code_signature(const Slice& slice, const CodeSignatureInfo& info);

// What an ad-hoc, linker-style signature needs to know about the image.
struct AdhocSignatureLayout {
  std::string identifier;     // lld: the output file's basename
  uint64_t code_limit = 0;    // where the signature starts (16-aligned)
  uint64_t exec_seg_base = 0; // __TEXT's fileoff and filesize
  uint64_t exec_seg_limit = 0;
  bool main_binary = false;   // MH_EXECUTE
};

constexpr uint32_t kSignaturePageSizeLog2 = 12;
constexpr uint32_t kSignatureAlign = 16;  // of LC_CODE_SIGNATURE's dataoff

// The size of the signature make_adhoc_signature() writes for `layout`.
uint64_t adhoc_signature_size(const AdhocSignatureLayout& layout);

// The SuperBlob with one SHA-256 CodeDirectory (version 0x20400, flags
// CS_ADHOC | CS_LINKER_SIGNED), hashing image[0, code_limit). `image` must
// hold at least code_limit bytes.
std::vector<uint8_t> make_adhoc_signature(std::span<const uint8_t> image, const AdhocSignatureLayout& layout);

// Recomputes the code-page hashes of every CodeDirectory of `blob` in place,
// over `image`, leaving everything else (identifier, special slots,
// entitlements) as it was. For ad-hoc signatures linkbox cannot rebuild from
// scratch without losing something.
// `info` describes `blob` (it was read from the slice being edited).
Status rehash_code_signature(const Slice& slice, const CodeSignatureInfo& info, std::vector<uint8_t>& blob,
                             std::span<const uint8_t> image);

}  // namespace linkbox::macho
