// Fuzz target: the reader of what ld.so looks at in a file it is asked to
// load (open_verify's checks, the program headers, the dynamic section,
// version records). The input is read as a candidate library for each
// loader linkbox models, and for a big-endian one, and every field is read.
#include <elf.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "libelf/ld-so-object.h"
#include "test/fuzz/fuzz-common.h"

namespace {

using linkbox::fuzz::touch;
namespace elf = linkbox::elf;

unsigned exercise(const elf::LoaderObject& o) {
  unsigned v = static_cast<unsigned>(o.outcome) + static_cast<unsigned>(o.error_number) + touch(o.message);
  v += o.type + o.e_flags + o.has_load + o.misaligned_load + o.has_dynamic + o.empty_dynamic + o.has_needed;
  v += touch(o.interpreter) + touch(o.soname) + touch(o.rpath) + touch(o.runpath);
  v += static_cast<unsigned>(o.flags_1);
  for (const auto& d : o.dependencies) v += touch(d.name) + static_cast<unsigned>(d.tag);
  for (const auto& n : o.version_needs) {
    v += touch(n.file) + n.version;
    for (const auto& a : n.versions) v += touch(a.name) + a.hash + a.weak;
  }
  for (const auto& d : o.version_defs) v += touch(d.name) + d.hash + d.version + d.flags;
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const elf::LoaderAbi abis[] = {
      {EM_X86_64, true, linkbox::ByteOrder::little, 4, false, 4096},
      {EM_386, false, linkbox::ByteOrder::little, 4, false, 4096},
      {EM_AARCH64, true, linkbox::ByteOrder::little, 4, false, 65536},
      {EM_PPC64, true, linkbox::ByteOrder::big, 4, false, 65536},
      {EM_ARM, false, linkbox::ByteOrder::little, 4, true, 4096},
  };
  std::span<const uint8_t> bytes(data, size);
  for (const auto& abi : abis) linkbox::fuzz::keep(exercise(*elf::parse_loader_object("fuzz-input", bytes, abi)));
  return 0;
}
