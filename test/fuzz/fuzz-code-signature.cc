// Fuzz target: the code-signature code (libmacho/code-signature.h and
// code-signature-info.h).
//
// 1. The input as a signature blob, in a minimal arm64 image whose
//    LC_CODE_SIGNATURE points at it: read_code_signature, then
//    verify_code_signature and rehash_code_signature on whatever it finds.
// 2. The input as the code of an image that make_adhoc_signature signs (the
//    identifier taken from its first bytes): the result must read back as
//    an ad-hoc, linker-signed signature of adhoc_signature_size() bytes
//    whose every page verifies. A failure there is a bug: abort.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "libformat/byte-order.h"
#include "libmacho/code-signature-info.h"
#include "libmacho/code-signature.h"
#include "libmacho/macho-file.h"
#include "test/fuzz/fuzz-common.h"

namespace macho = linkbox::macho;
using linkbox::fuzz::touch;

namespace {

constexpr uint32_t kHeader = 32, kCommand = 16, kDataOff = 64;

// An arm64 MH_EXECUTE image: header, one LC_CODE_SIGNATURE pointing at
// `dataoff` with `datasize`, zeros up to kDataOff, then `tail`.
std::vector<uint8_t> image(uint32_t dataoff, uint32_t datasize, std::span<const uint8_t> tail) {
  std::vector<uint8_t> out(kDataOff, 0);
  auto le = linkbox::ByteOrder::little;
  linkbox::store<uint32_t>(out.data(), macho::MH_MAGIC_64, le);
  linkbox::store<uint32_t>(out.data() + 4, macho::CPU_TYPE_ARM64, le);
  linkbox::store<uint32_t>(out.data() + 12, macho::MH_EXECUTE, le);
  linkbox::store<uint32_t>(out.data() + 16, 1, le);
  linkbox::store<uint32_t>(out.data() + 20, kCommand, le);
  linkbox::store<uint32_t>(out.data() + kHeader, macho::LC_CODE_SIGNATURE, le);
  linkbox::store<uint32_t>(out.data() + kHeader + 4, kCommand, le);
  linkbox::store<uint32_t>(out.data() + kHeader + 8, dataoff, le);
  linkbox::store<uint32_t>(out.data() + kHeader + 12, datasize, le);
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

[[noreturn]] void fail(const char* what, const linkbox::Error& e) {
  std::fprintf(stderr, "%s: %s: %s\n", what, e.file.c_str(), e.message.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  unsigned v = 0;

  // 1. Parsing, verifying and rehashing a hostile blob.
  {
    auto bytes = image(kDataOff, uint32_t(size), input);
    auto slice = macho::Slice::parse("fuzz-blob", bytes);
    if (slice) {
      auto info = macho::read_code_signature(*slice);
      if (info) {
        v += static_cast<unsigned>(info->kind) + info->blobs.size();
        if (auto st = macho::verify_code_signature(*slice, *info); !st) v += touch(st.error().message);
        std::vector<uint8_t> blob(input.begin(), input.end());
        if (auto st = macho::rehash_code_signature(*slice, *info, blob, bytes); !st) v += touch(st.error().message);
        v += touch(blob);
      } else {
        v += touch(info.error().message);
      }
    }
  }

  // 2. A signature linkbox makes must verify.
  {
    size_t ident_len = size ? data[0] % 48 : 0;
    std::string identifier;
    for (size_t i = 1; i <= ident_len && i < size; ++i) identifier += char(data[i] ? data[i] : 'x');
    macho::AdhocSignatureLayout layout;
    layout.identifier = identifier;
    layout.code_limit = linkbox::align_up(kDataOff + size, macho::kSignatureAlign);
    layout.exec_seg_limit = layout.code_limit;
    layout.main_binary = size % 2;
    uint64_t sig_size = macho::adhoc_signature_size(layout);
    auto bytes = image(uint32_t(layout.code_limit), uint32_t(sig_size), input);
    bytes.resize(layout.code_limit, 0);  // the code: the input, padded to 16
    auto sig = macho::make_adhoc_signature(bytes, layout);
    if (sig.size() != sig_size) std::abort();
    bytes.insert(bytes.end(), sig.begin(), sig.end());
    auto slice = macho::Slice::parse("fuzz-signed", bytes);
    if (!slice) fail("signed image does not parse", slice.error());
    auto info = macho::read_code_signature(*slice);
    if (!info) fail("signature does not read back", info.error());
    if (info->kind != macho::SignatureKind::adhoc_linker_signed || !info->code_directory ||
        info->code_directory->identifier != identifier)
      std::abort();
    if (auto st = macho::verify_code_signature(*slice, *info); !st) fail("signature does not verify", st.error());
  }
  linkbox::fuzz::keep(v);
  return 0;
}
