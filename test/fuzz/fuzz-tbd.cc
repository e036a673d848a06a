// Fuzz target: linkbox::macho::parse_tbd, the text-based stub (.tbd) parser
// (its YAML subset and JSON), as linkbox ldd runs it on stubs in a root.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "libmacho/tbd.h"
#include "test/fuzz/fuzz-common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  unsigned v = linkbox::macho::looks_like_tbd(bytes);
  auto tbd = linkbox::macho::parse_tbd(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz-input");
  if (!tbd) {
    v += linkbox::fuzz::touch(tbd.error().file) + linkbox::fuzz::touch(tbd.error().message);
    linkbox::fuzz::keep(v);
    return 0;
  }
  for (const auto& lib : tbd->libraries) {
    v += lib.tbd_version + linkbox::fuzz::touch(lib.install_name) + linkbox::fuzz::touch(lib.current_version) +
         linkbox::fuzz::touch(lib.compatibility_version);
    for (const auto& a : lib.archs) {
      v += lib.has_arch(a);
      for (const auto& r : lib.reexports_for(a)) v += linkbox::fuzz::touch(r);
    }
    for (const auto& p : lib.platforms) v += linkbox::fuzz::touch(p);
    for (const auto& r : lib.reexports) {
      v += linkbox::fuzz::touch(r.name);
      for (const auto& a : r.archs) v += linkbox::fuzz::touch(a);
    }
  }
  linkbox::fuzz::keep(v);
  return 0;
}
