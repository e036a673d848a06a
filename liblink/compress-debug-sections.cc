#include "liblink/compress-debug-sections.h"

#include "libelf/elf-types.h"

namespace linkbox::link {

template <typename E>
void compress_debug_sections(Context<E>& ctx) {
  if (!ctx.opts.compress_debug_sections) return;
  Compression kind = *ctx.opts.compress_debug_sections;
  elf::Codec codec(true, ByteOrder::little);
  for (Chunk<E>* c : ctx.chunks) {
    if ((c->shdr.flags & SHF_ALLOC) || c->shdr.size == 0 || c->name.rfind(".debug", 0) != 0) continue;
    std::vector<uint8_t> plain(c->shdr.size);
    c->write(ctx, plain.data());
    std::vector<uint8_t> stream = compress(kind, plain);
    if (stream.empty()) {
      ctx.error("", "cannot compress " + c->name);
      continue;
    }
    // Elf64_Chdr: type, reserved, the uncompressed size and alignment.
    std::vector<uint8_t>& out = c->compressed;
    out.assign(24, 0);
    codec.put<uint32_t>(out.data(), kind == Compression::zlib ? ELFCOMPRESS_ZLIB : ELFCOMPRESS_ZSTD);
    codec.put<uint64_t>(out.data() + 8, c->shdr.size);
    codec.put<uint64_t>(out.data() + 16, std::max<uint64_t>(c->shdr.addralign, 1));
    out.insert(out.end(), stream.begin(), stream.end());
    c->shdr.size = out.size();
    c->shdr.flags |= SHF_COMPRESSED;
    // As in lld: the header is read unaligned, the section packs tightly.
    c->shdr.addralign = 1;
  }
}

template void compress_debug_sections(Context<X86_64>&);

}  // namespace linkbox::link
