// Reading the link's inputs: relocatable objects and shared objects.
//
// An object is parsed once, when it joins the link (a command-line object, or
// an archive member the moment a reference extracts it). Parsing keeps what
// the later passes need: sections (decompressed), relocations, symbols, and
// the COMDAT groups it loses to an earlier file.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "libformat/expected.h"
#include "liblink/context.h"

namespace linkbox::link {

template <typename E>
Expected<std::unique_ptr<ObjectFile<E>>> parse_object(Context<E>& ctx, std::string name,
                                                     std::span<const uint8_t> bytes);

template <typename E>
Expected<std::unique_ptr<SharedFile<E>>> parse_shared(Context<E>& ctx, std::string name,
                                                     std::span<const uint8_t> bytes);

// Decompresses a SHF_COMPRESSED section (zlib or zstd).
Expected<std::vector<uint8_t>> decompress_section(const std::string& where,
                                                   std::span<const uint8_t> data, bool is64,
                                                   bool big_endian);

}  // namespace linkbox::link
