// Compile-time facts about each output target, and the neutral relocation
// vocabulary the link core reasons in.
//
// The core is templated on a target trait (`Context<X86_64>`), so word size,
// REL vs RELA and the dynamic relocation numbers are constants the compiler
// folds away. The few things that really differ between architectures (what
// a raw relocation type means, how to patch it, what a PLT entry looks like)
// live in one file per architecture (arch-x86-64.cc).
#pragma once

#include <elf.h>

#include <cstdint>
#include <string>

namespace linkbox::link {

// What a relocation asks for, independent of its raw number. The scanner
// decides GOT, PLT, copy relocations and dynamic relocations from this; the
// per-arch table maps raw types onto it.
enum class RelKind : uint8_t {
  none,
  abs,           // S + A
  pc,            // S + A - P
  branch,        // L + A - P: a call or jump; goes through the PLT if S is imported
  got_pc,        // G + GOT + A - P: the address of S's GOT slot, PC-relative
  got_pc_relax,  // as got_pc, and the instruction may be rewritten to avoid the GOT
  gotoff,        // S + A - GOT
  gotpc,         // GOT + A - P
  size,          // Z + A
  tls_gd,        // general dynamic: the GOT pair of S, PC-relative
  tls_ld,        // local dynamic: the module's GOT pair, PC-relative
  dtpoff,        // S + A - start of the module's TLS block
  gottpoff,      // initial exec: the GOT slot holding S's offset from the thread pointer, PC-relative
  tpoff,         // local exec: S + A - TP
  tlsdesc_pc,    // TLS descriptor address, PC-relative
  tlsdesc_call,  // the call through a TLS descriptor (a marker; nothing to patch)
};

// The range check a relocation's result must pass.
enum class RelCheck : uint8_t { none, signed_, unsigned_, either };

struct RelInfo {
  RelKind kind = RelKind::none;
  uint8_t width = 0;  // bytes patched: 0 (marker), 1, 2, 4 or 8
  RelCheck check = RelCheck::none;
  bool known = false;  // false: a type this linker does not handle
};

struct X86_64 {
  static constexpr uint16_t e_machine = EM_X86_64;
  static constexpr bool is_64 = true;
  static constexpr bool is_rela = true;
  static constexpr uint64_t word_size = 8;
  static constexpr uint64_t page_size = 0x1000;
  static constexpr uint64_t exe_image_base = 0x400000;
  static constexpr uint64_t plt_header_size = 16;
  static constexpr uint64_t plt_entry_size = 16;
  static constexpr uint64_t plt_got_entry_size = 8;  // .plt.got: jmp *slot(%rip); nop
  // .got.plt's reserved slots: _DYNAMIC, then two for ld.so.
  static constexpr uint64_t got_plt_reserved = 3;
  static constexpr uint32_t R_NONE = R_X86_64_NONE;
  static constexpr uint32_t R_ABS = R_X86_64_64;
  static constexpr uint32_t R_RELATIVE = R_X86_64_RELATIVE;
  static constexpr uint32_t R_GLOB_DAT = R_X86_64_GLOB_DAT;
  static constexpr uint32_t R_JUMP_SLOT = R_X86_64_JUMP_SLOT;
  static constexpr uint32_t R_COPY = R_X86_64_COPY;
  static constexpr uint32_t R_IRELATIVE = R_X86_64_IRELATIVE;
  static constexpr uint32_t R_DTPMOD = R_X86_64_DTPMOD64;
  static constexpr uint32_t R_DTPOFF = R_X86_64_DTPOFF64;
  static constexpr uint32_t R_TPOFF = R_X86_64_TPOFF64;
  static constexpr uint32_t R_TLSDESC = R_X86_64_TLSDESC;
  static constexpr const char* name = "x86-64";
  static constexpr const char* emulation = "elf_x86_64";
};

// The name of a raw relocation type, for messages ("R_X86_64_PC32").
template <typename E> std::string rel_type_name(uint32_t type);
// What a raw relocation type means.
template <typename E> RelInfo classify_rel(uint32_t type);

}  // namespace linkbox::link
