#include "libmacho/code-signature.h"

#include <algorithm>
#include <cstring>

#include "libformat/byte-order.h"
#include "libformat/hash.h"
#include "libmacho/macho-types.h"

namespace linkbox::macho {
namespace {

// cs_blobs.h numbers used only here.
constexpr uint32_t CS_SUPPORTSEXECSEG = 0x20400;
constexpr uint32_t kSuperBlobHeaderSize = 12;  // magic, length, count
constexpr uint32_t kBlobIndexSize = 8;         // type, offset
constexpr uint32_t kCodeDirectorySize = 88;    // version 0x20400: through execSegFlags
constexpr uint32_t kSha256Size = 32;

void put32(uint8_t* p, uint32_t v) { store<uint32_t>(p, v, ByteOrder::big); }
void put64(uint8_t* p, uint64_t v) { store<uint64_t>(p, v, ByteOrder::big); }

std::string hex(std::span<const uint8_t> b) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (uint8_t c : b) s += digits[c >> 4], s += digits[c & 15];
  return s;
}

// The hash a CodeDirectory of `type` uses, truncated to `size`, over `data`.
std::optional<std::vector<uint8_t>> page_hash(uint8_t type, uint8_t size, std::span<const uint8_t> data) {
  std::vector<uint8_t> out;
  if (type == CS_HASHTYPE_SHA256) {
    auto h = sha256(data);
    out.assign(h.begin(), h.end());
  } else if (type == CS_HASHTYPE_SHA1) {
    auto h = sha1(data);
    out.assign(h.begin(), h.end());
  } else if (type == 3) {  // CS_HASHTYPE_SHA256_TRUNCATED: SHA-256 cut to 20 bytes
    auto h = sha256(data);
    out.assign(h.begin(), h.begin() + 20);
  } else {
    return std::nullopt;
  }
  if (size == 0 || size > out.size()) return std::nullopt;
  out.resize(size);
  return out;
}

// Calls `fn(page_index, page_bytes)` for each code page of `cd`, after
// checking that the CodeDirectory's code limit and slot count fit the slice.
template <typename Fn>
Status for_each_page(const CodeDirectory& cd, const Slice& slice, Fn&& fn) {
  auto image = slice.bytes();
  uint64_t limit = cd.effective_code_limit();
  if (limit > image.size())
    return slice.error("code signature: codeLimit " + std::to_string(limit) + " is past the end of the image (" +
                       std::to_string(image.size()) + " bytes)");
  uint64_t page = cd.page_size_log2 ? uint64_t(1) << cd.page_size_log2 : std::max<uint64_t>(limit, 1);
  uint64_t pages = (limit + page - 1) / page;
  if (pages != cd.n_code_slots)
    return slice.error("code signature: " + std::to_string(cd.n_code_slots) + " code slots, but codeLimit " +
                       std::to_string(limit) + " needs " + std::to_string(pages));
  for (uint64_t i = 0; i < pages; ++i) {
    uint64_t start = i * page;
    if (Status s = fn(i, image.subspan(start, std::min(page, limit - start))); !s) return s;
  }
  return {};
}

std::vector<const CodeDirectory*> all_code_directories(const CodeSignatureInfo& info) {
  std::vector<const CodeDirectory*> out;
  if (info.code_directory) out.push_back(&*info.code_directory);
  for (const auto& cd : info.alternate_code_directories) out.push_back(&cd);
  return out;
}

}  // namespace

Status verify_code_signature(const Slice& slice, const CodeSignatureInfo& info) {
  for (const CodeDirectory* cd : all_code_directories(info)) {
    Status s = for_each_page(*cd, slice, [&](uint64_t i, std::span<const uint8_t> page) -> Status {
      auto want = page_hash(cd->hash_type, cd->hash_size, page);
      if (!want) return slice.error("code signature: unsupported hash type " + std::to_string(cd->hash_type));
      auto have = cd->code_hash(uint32_t(i));
      if (!std::equal(have.begin(), have.end(), want->begin()))
        return slice.error("code signature: page " + std::to_string(i) + " hash mismatch: signature has " +
                           hex(have) + ", file has " + hex(*want));
      return {};
    });
    if (!s) return s;
  }
  return {};
}

namespace {

// lld's layout: the SuperBlob header and its one index entry padded to 8,
// the CodeDirectory, the identifier padded so the hashes start 16-aligned.
constexpr uint32_t kBlobHeadersSize = (kSuperBlobHeaderSize + kBlobIndexSize + 7) / 8 * 8;
constexpr uint32_t kFixedHeadersSize = kBlobHeadersSize + kCodeDirectorySize;

uint64_t all_headers_size(const AdhocSignatureLayout& l) {
  return align_up(kFixedHeadersSize + l.identifier.size() + 1, 16);
}

uint64_t page_count(uint64_t code_limit) {
  uint64_t page = uint64_t(1) << kSignaturePageSizeLog2;
  return (code_limit + page - 1) / page;
}

}  // namespace

uint64_t adhoc_signature_size(const AdhocSignatureLayout& layout) {
  return all_headers_size(layout) + page_count(layout.code_limit) * kSha256Size;
}

std::vector<uint8_t> make_adhoc_signature(std::span<const uint8_t> image, const AdhocSignatureLayout& l) {
  uint64_t size = adhoc_signature_size(l);
  uint64_t headers = all_headers_size(l);
  uint64_t pages = page_count(l.code_limit);
  std::vector<uint8_t> out(size, 0);
  uint8_t* p = out.data();
  put32(p + 0, CSMAGIC_EMBEDDED_SIGNATURE);
  put32(p + 4, uint32_t(size));
  put32(p + 8, 1);
  put32(p + 12, CSSLOT_CODEDIRECTORY);
  put32(p + 16, kBlobHeadersSize);
  uint8_t* cd = p + kBlobHeadersSize;
  put32(cd + 0, CSMAGIC_CODEDIRECTORY);
  put32(cd + 4, uint32_t(size - kBlobHeadersSize));
  put32(cd + 8, CS_SUPPORTSEXECSEG);
  put32(cd + 12, CS_ADHOC | CS_LINKER_SIGNED);
  put32(cd + 16, uint32_t(headers - kBlobHeadersSize));  // hashOffset
  put32(cd + 20, kCodeDirectorySize);                      // identOffset
  put32(cd + 24, 0);                                       // nSpecialSlots
  put32(cd + 28, uint32_t(pages));
  put32(cd + 32, uint32_t(l.code_limit));
  cd[36] = kSha256Size;
  cd[37] = CS_HASHTYPE_SHA256;
  cd[38] = 0;  // platform
  cd[39] = kSignaturePageSizeLog2;
  // spare2, scatterOffset, teamOffset, spare3, codeLimit64 stay zero.
  put64(cd + 64, l.exec_seg_base);
  put64(cd + 72, l.exec_seg_limit);
  put64(cd + 80, l.main_binary ? CS_EXECSEG_MAIN_BINARY : 0);
  std::memcpy(cd + kCodeDirectorySize, l.identifier.data(), l.identifier.size());
  uint8_t* hashes = p + headers;
  uint64_t page = uint64_t(1) << kSignaturePageSizeLog2;
  for (uint64_t i = 0; i < pages; ++i) {
    uint64_t start = i * page;
    auto h = sha256(image.subspan(start, std::min(page, l.code_limit - start)));
    std::memcpy(hashes + i * kSha256Size, h.data(), kSha256Size);
  }
  return out;
}

Status rehash_code_signature(const Slice& slice, const CodeSignatureInfo& info, std::vector<uint8_t>& blob,
                             std::span<const uint8_t> image) {
  for (const CodeDirectory* cd : all_code_directories(info)) {
    if (image.size() < cd->effective_code_limit()) return slice.error("code signature: the new image is too short");
    Status s = for_each_page(*cd, slice, [&](uint64_t i, std::span<const uint8_t>) -> Status {
      uint64_t page = cd->page_size_log2 ? uint64_t(1) << cd->page_size_log2 : cd->effective_code_limit();
      uint64_t start = i * page;
      auto h = page_hash(cd->hash_type, cd->hash_size,
                         image.subspan(start, std::min(page, cd->effective_code_limit() - start)));
      if (!h) return slice.error("code signature: unsupported hash type " + std::to_string(cd->hash_type));
      uint64_t at = uint64_t(cd->offset) + cd->hash_offset + i * cd->hash_size;
      if (!in_bounds(at, h->size(), blob.size())) return slice.error("code signature: hash slot out of bounds");
      std::copy(h->begin(), h->end(), blob.begin() + at);
      return {};
    });
    if (!s) return s;
  }
  return {};
}

}  // namespace linkbox::macho
