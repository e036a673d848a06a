// ELF structures in a neutral, host-order form.
//
// ELF comes in four encodings (32/64 bit, little/big endian). Rather than
// template every algorithm on all four, the reader decodes each structure into
// these 64-bit records and the writer encodes them back. Spec constants come
// from the C library's <elf.h> and keep their spec names.
#pragma once

#include <elf.h>

// glibc 2.36's <elf.h> predates zstd-compressed sections.
#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2
#endif

#include <cstdint>
#include <string>
#include <string_view>

#include "libformat/byte-order.h"

// Constants newer than some <elf.h> copies.
#ifndef DT_RELRSZ
#define DT_RELRSZ 35
#define DT_RELR 36
#define DT_RELRENT 37
#endif
#ifndef PT_GNU_PROPERTY
#define PT_GNU_PROPERTY 0x6474e553
#endif
#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif
#ifndef DF_1_PIE
#define DF_1_PIE 0x08000000
#endif

namespace linkbox::elf {

struct Ehdr {
  uint8_t ident[EI_NIDENT] = {};
  uint16_t type = 0;
  uint16_t machine = 0;
  uint32_t version = 0;
  uint64_t entry = 0;
  uint64_t phoff = 0;
  uint64_t shoff = 0;
  uint32_t flags = 0;
  uint16_t ehsize = 0;
  uint16_t phentsize = 0;
  uint16_t phnum = 0;
  uint16_t shentsize = 0;
  uint16_t shnum = 0;
  uint16_t shstrndx = 0;
};

struct Phdr {
  uint32_t type = 0;
  uint32_t flags = 0;
  uint64_t offset = 0;
  uint64_t vaddr = 0;
  uint64_t paddr = 0;
  uint64_t filesz = 0;
  uint64_t memsz = 0;
  uint64_t align = 0;
};

struct Shdr {
  uint32_t name = 0;
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t addr = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t addralign = 0;
  uint64_t entsize = 0;
};

struct Dyn {
  int64_t tag = 0;
  uint64_t val = 0;
};

struct Sym {
  uint32_t name = 0;
  uint8_t info = 0;
  uint8_t other = 0;
  uint16_t shndx = 0;
  uint64_t value = 0;
  uint64_t size = 0;
};

// Encodes and decodes the structures above for one ELF class and byte order.
class Codec {
 public:
  Codec() = default;
  Codec(bool is64, ByteOrder order) : is64_(is64), order_(order) {}

  bool is64() const { return is64_; }
  ByteOrder order() const { return order_; }

  size_t ehdr_size() const { return is64_ ? 64 : 52; }
  size_t phdr_size() const { return is64_ ? 56 : 32; }
  size_t shdr_size() const { return is64_ ? 64 : 40; }
  size_t dyn_size() const { return is64_ ? 16 : 8; }
  size_t sym_size() const { return is64_ ? 24 : 16; }
  size_t word_size() const { return is64_ ? 8 : 4; }

  Ehdr read_ehdr(const uint8_t* p) const;
  void write_ehdr(uint8_t* p, const Ehdr& h) const;
  Phdr read_phdr(const uint8_t* p) const;
  void write_phdr(uint8_t* p, const Phdr& h) const;
  Shdr read_shdr(const uint8_t* p) const;
  void write_shdr(uint8_t* p, const Shdr& h) const;
  Dyn read_dyn(const uint8_t* p) const;
  void write_dyn(uint8_t* p, const Dyn& d) const;
  Sym read_sym(const uint8_t* p) const;
  void write_sym(uint8_t* p, const Sym& s) const;

  template <typename T> T get(const uint8_t* p) const { return load<T>(p, order_); }
  template <typename T> void put(uint8_t* p, T v) const { store<T>(p, v, order_); }
  // A target word: 4 bytes in ELF32, 8 in ELF64.
  uint64_t get_word(const uint8_t* p) const { return is64_ ? get<uint64_t>(p) : get<uint32_t>(p); }
  void put_word(uint8_t* p, uint64_t v) const {
    if (is64_) put<uint64_t>(p, v); else put<uint32_t>(p, static_cast<uint32_t>(v));
  }

 private:
  bool is64_ = true;
  ByteOrder order_ = ByteOrder::little;
};

// Names for printing.
std::string_view machine_name(uint16_t machine);
std::string dynamic_tag_name(int64_t tag);
bool dynamic_tag_is_string(int64_t tag);
// Tags whose value is a virtual address that must follow the data it points at.
bool dynamic_tag_is_address(int64_t tag, uint16_t machine);

// The largest page size the target's kernels use; segments added to a file are
// aligned to it so the file loads everywhere the original did.
uint64_t max_page_size(uint16_t machine);

}  // namespace linkbox::elf
