#include "libmacho/code-signature-info.h"

#include <cstring>

#include "libformat/byte-order.h"
#include "libformat/hex.h"

namespace linkbox::macho {
namespace {

constexpr uint32_t kSuperBlobHeader = 12;   // magic, length, count
constexpr uint32_t kCodeDirectoryBase = 44;  // fields up to and including spare2

uint32_t be32(const uint8_t* p) { return load<uint32_t>(p, ByteOrder::big); }
uint64_t be64(const uint8_t* p) { return load<uint64_t>(p, ByteOrder::big); }

}  // namespace

std::string_view signature_kind_key(SignatureKind kind) {
  switch (kind) {
    case SignatureKind::none: return "none";
    case SignatureKind::adhoc_linker_signed: return "adhoc-linker-signed";
    case SignatureKind::adhoc: return "adhoc";
    case SignatureKind::other: return "other";
  }
  return "other";
}

std::string_view signature_kind_text(SignatureKind kind) {
  switch (kind) {
    case SignatureKind::none: return "none";
    case SignatureKind::adhoc_linker_signed: return "ad-hoc, linker-signed";
    case SignatureKind::adhoc: return "ad-hoc";
    case SignatureKind::other: return "signed (not ad hoc)";
  }
  return "signed (not ad hoc)";
}

std::string hash_type_name(uint8_t type) {
  switch (type) {
    case CS_HASHTYPE_SHA1: return "SHA-1";
    case CS_HASHTYPE_SHA256: return "SHA-256";
    case 3: return "SHA-256 (truncated)";
    case 4: return "SHA-384";
  }
  return "hash type " + std::to_string(type);
}

std::span<const uint8_t> CodeDirectory::code_hash(uint32_t i) const {
  return bytes.subspan(hash_offset + uint64_t(i) * hash_size, hash_size);
}

std::span<const uint8_t> CodeDirectory::special_hash(uint32_t i) const {
  return bytes.subspan(hash_offset - uint64_t(i) * hash_size, hash_size);
}

Expected<CodeDirectory> parse_code_directory(const Slice& slice, std::span<const uint8_t> blob,
                                             uint32_t offset_in_superblob) {
  std::string where = "code directory at offset " + std::to_string(offset_in_superblob) + " of the signature";
  if (blob.size() < kCodeDirectoryBase) return slice.error(where + " is truncated");
  const uint8_t* p = blob.data();
  CodeDirectory cd;
  cd.offset = offset_in_superblob;
  if (be32(p) != CSMAGIC_CODEDIRECTORY) return slice.error(where + " has bad magic " + hex(be32(p)));
  cd.length = be32(p + 4);
  if (cd.length < kCodeDirectoryBase || cd.length > blob.size())
    return slice.error(where + " has length " + std::to_string(cd.length) + ", outside the signature");
  blob = blob.first(cd.length);
  cd.bytes = blob;
  cd.version = be32(p + 8);
  cd.flags = be32(p + 12);
  cd.hash_offset = be32(p + 16);
  cd.ident_offset = be32(p + 20);
  cd.n_special_slots = be32(p + 24);
  cd.n_code_slots = be32(p + 28);
  cd.code_limit = be32(p + 32);
  cd.hash_size = p[36];
  cd.hash_type = p[37];
  cd.platform = p[38];
  cd.page_size_log2 = p[39];
  if (cd.version >= 0x20300 && cd.length >= 64) cd.code_limit64 = be64(p + 56);
  if (cd.version >= 0x20400 && cd.length >= 88) {
    cd.exec_seg_base = be64(p + 64);
    cd.exec_seg_limit = be64(p + 72);
    cd.exec_seg_flags = be64(p + 80);
  }
  if (cd.page_size_log2 > 30) return slice.error(where + " has page size 2^" + std::to_string(cd.page_size_log2));
  // The hash slots: n_special_slots before hash_offset, n_code_slots after.
  uint64_t special = uint64_t(cd.n_special_slots) * cd.hash_size;
  uint64_t code = uint64_t(cd.n_code_slots) * cd.hash_size;
  if (cd.hash_offset > cd.length || special > cd.hash_offset || code > cd.length - cd.hash_offset)
    return slice.error(where + " has hash slots outside the code directory");
  if (cd.ident_offset != 0) {
    if (cd.ident_offset >= cd.length) return slice.error(where + " has its identifier outside the code directory");
    const char* s = reinterpret_cast<const char*>(p + cd.ident_offset);
    size_t max = cd.length - cd.ident_offset;
    size_t len = strnlen(s, max);
    if (len == max) return slice.error(where + " has an identifier that is not NUL-terminated");
    // The identifier must lie apart from the hash slots: rehashing the pages
    // would otherwise overwrite it (ld64, lld and codesign never overlap them).
    uint64_t ident_end = uint64_t(cd.ident_offset) + len + 1;
    uint64_t slots_begin = cd.hash_offset - special, slots_end = cd.hash_offset + code;
    if (cd.ident_offset < slots_end && ident_end > slots_begin)
      return slice.error(where + " has its identifier inside the hash slots");
    cd.identifier.assign(s, len);
  }
  return cd;
}

Expected<CodeSignatureInfo> read_code_signature(const Slice& slice) {
  CodeSignatureInfo info;
  auto lc = slice.linkedit_data(LC_CODE_SIGNATURE);
  if (!lc) return info;
  info.dataoff = lc->dataoff;
  info.datasize = lc->datasize;
  auto bytes = slice.linkedit_bytes(*lc);
  if (!bytes) return bytes.error();
  std::span<const uint8_t> sig = *bytes;
  if (sig.size() < kSuperBlobHeader) return slice.error("code signature is truncated (" + std::to_string(sig.size()) + " bytes)");
  if (be32(sig.data()) != CSMAGIC_EMBEDDED_SIGNATURE)
    return slice.error("code signature has bad magic " + hex(be32(sig.data())));
  info.superblob_length = be32(sig.data() + 4);
  if (info.superblob_length < kSuperBlobHeader || info.superblob_length > sig.size())
    return slice.error("code signature length " + std::to_string(info.superblob_length) +
                       " does not fit its LC_CODE_SIGNATURE datasize " + std::to_string(sig.size()));
  sig = sig.first(info.superblob_length);
  uint32_t count = be32(sig.data() + 8);
  if (uint64_t(count) * 8 > sig.size() - kSuperBlobHeader)
    return slice.error("code signature blob count " + std::to_string(count) + " does not fit the signature");
  for (uint32_t i = 0; i < count; ++i) {
    BlobIndexEntry e;
    e.type = be32(sig.data() + kSuperBlobHeader + 8 * i);
    e.offset = be32(sig.data() + kSuperBlobHeader + 8 * i + 4);
    if (!in_bounds(e.offset, 8, sig.size()))
      return slice.error("code signature blob " + std::to_string(i) + " at offset " + std::to_string(e.offset) +
                         " is outside the signature");
    e.magic = be32(sig.data() + e.offset);
    e.length = be32(sig.data() + e.offset + 4);
    if (e.length < 8 || !in_bounds(e.offset, e.length, sig.size()))
      return slice.error("code signature blob " + std::to_string(i) + " (length " + std::to_string(e.length) +
                         ") is outside the signature");
    info.blobs.push_back(e);
    std::span<const uint8_t> blob = sig.subspan(e.offset, e.length);
    bool is_cd = e.type == CSSLOT_CODEDIRECTORY ||
                 (e.type >= CSSLOT_ALTERNATE_CODEDIRECTORIES && e.type < CSSLOT_ALTERNATE_CODEDIRECTORIES + 5);
    if (is_cd) {
      auto cd = parse_code_directory(slice, blob, e.offset);
      if (!cd) return cd.error();
      if (e.type == CSSLOT_CODEDIRECTORY && !info.code_directory) info.code_directory = std::move(*cd);
      else info.alternate_code_directories.push_back(std::move(*cd));
    } else if (e.type == CSSLOT_SIGNATURESLOT && e.magic == CSMAGIC_BLOBWRAPPER && e.length > 8) {
      info.has_cms_signature = true;
    }
  }
  const CodeDirectory* cd = info.code_directory ? &*info.code_directory
                            : info.alternate_code_directories.empty() ? nullptr
                                                                      : &info.alternate_code_directories.front();
  if (info.has_cms_signature || !cd || !(cd->flags & CS_ADHOC)) info.kind = SignatureKind::other;
  else if (cd->flags & CS_LINKER_SIGNED) info.kind = SignatureKind::adhoc_linker_signed;
  else info.kind = SignatureKind::adhoc;
  return info;
}

}  // namespace linkbox::macho
