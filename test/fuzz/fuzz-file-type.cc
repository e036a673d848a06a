// Fuzz target: linkbox::identify_file, which every tool runs on its inputs
// before choosing a reader.
#include <cstddef>
#include <cstdint>
#include <span>

#include "libformat/file-type.h"
#include "test/fuzz/fuzz-common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  linkbox::FileType type = linkbox::identify_file(std::span<const uint8_t>(data, size));
  linkbox::fuzz::keep(linkbox::fuzz::touch(linkbox::file_type_name(type)));
  return 0;
}
