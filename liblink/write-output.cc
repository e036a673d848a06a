#include "liblink/write-output.h"

#include <sys/stat.h>

#include <cstring>

#include "libelf/elf-file.h"
#include "libformat/output-file.h"
#include "liblink/synthetic.h"

namespace linkbox::link {

template <typename E>
void write_output(Context<E>& ctx) {
  Synthetics<E>& s = *ctx.syn;
  auto file = OutputFile::create(ctx.opts.output, ctx.file_size);
  if (!file) {
    ctx.error(file.error().file, file.error().message);
    return;
  }
  ctx.output = std::move(*file);
  ctx.buffer = ctx.output->data();
  uint8_t* buf = ctx.buffer;
  // Sections first: writing them records their dynamic relocations. The
  // unwind index reads the written .eh_frame, and .rela.dyn needs every
  // dynamic relocation, so those two come last.
  for (Chunk<E>* c : ctx.chunks) {
    if (c == s.reladyn || c == s.ehframehdr || c->shdr.type == SHT_NOBITS) continue;
    if (!c->compressed.empty()) std::memcpy(buf + c->shdr.offset, c->compressed.data(), c->compressed.size());
    else c->write(ctx, buf + c->shdr.offset);
  }
  for (CopyRelSection<E>* cr : {s.copyrel, s.copyrel_relro})
    for (Symbol<E>* sym : cr->symbols)
      ctx.dyn_relocs.push_back({symbol_address(ctx, *sym), E::R_COPY, static_cast<uint32_t>(sym->dynsym_idx), 0});
  if (s.ehframehdr && s.ehframehdr->shndx) s.ehframehdr->write(ctx, buf + s.ehframehdr->shdr.offset);
  if (s.relrdyn) s.relrdyn->take_packed(ctx);
  if (s.reladyn->shndx) s.reladyn->write(ctx, buf + s.reladyn->shdr.offset);
  else if (!ctx.dyn_relocs.empty()) ctx.error("", "internal error: dynamic relocations without .rela.dyn");

  // Section headers.
  elf::Codec codec(true, ByteOrder::little);
  auto index = [](const Chunk<E>* c) -> uint32_t { return c ? c->shndx : 0; };
  for (Chunk<E>* c : ctx.chunks) {
    if (c->is_header) continue;
    elf::Shdr h = c->shdr;
    if (c == s.dynsym || c == s.verneed || c == s.verdef || c == s.dynamic) h.link = index(s.dynstr);
    if (c == s.hash || c == s.gnuhash || c == s.versym) h.link = index(s.dynsym);
    if (c == s.reladyn) h.link = s.dynsym ? index(s.dynsym) : index(s.symtab);
    if (c == s.relaplt) {
      h.link = s.dynsym ? index(s.dynsym) : index(s.symtab);
      h.info = index(s.gotplt);
      if (h.info) h.flags |= SHF_INFO_LINK;
    }
    if (c == s.symtab) h.link = index(s.strtab);
    codec.write_shdr(buf + ctx.shoff + uint64_t(c->shndx) * 64, h);
  }
  if (s.buildid && s.buildid->shndx) s.buildid->fill(ctx);
}

template <typename E>
Status commit_output(Context<E>& ctx) {
  mode_t mask = ::umask(0);
  ::umask(mask);
  auto validate = [&](std::span<const uint8_t> bytes) -> Status {
    auto f = elf::ElfFile::parse(ctx.opts.output, bytes);
    if (!f) return f.error();
    return {};
  };
  Status s = ctx.output->commit(0777 & ~mask, validate);
  ctx.output.reset();
  return s;
}

template void write_output(Context<X86_64>&);
template Status commit_output(Context<X86_64>&);

}  // namespace linkbox::link
