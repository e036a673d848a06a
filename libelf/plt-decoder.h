// Naming PLT entries: which symbol each stub reaches.
//
// A PLT stub jumps through a GOT slot; the dynamic relocation on that slot
// (JUMP_SLOT, or GLOB_DAT for .plt.got) names the symbol. x86 stubs are
// decoded with Zydis, so every layout the linkers emit (lazy .plt, IBT .plt +
// .plt.sec, .plt.got, i386 PIC and non-PIC) is read from the instructions
// themselves rather than from assumed offsets (only the stub sizes are
// fixed: 16 bytes, 8 in a non-IBT .plt.got). AArch64 stubs are found by
// their adrp x16 / ldr x17 pair, so the 16-byte stubs and the 24-byte BTI
// and PAC ones of ld.bfd and ld.lld are all read. Names follow objdump:
// "foo@plt", "foo+0x8@plt" for an addend, "*ABS*+0x1234@plt" for IRELATIVE.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libelf/elf-file.h"

namespace linkbox::elf {

struct PltEntry {
  uint64_t address = 0;
  std::string section;
  uint64_t got_slot = 0;
  // As objdump labels it, without "@plt": "puts", or "*ABS*+0x1234" for a
  // slot whose relocation has no symbol (IRELATIVE).
  std::string target;
};

Expected<std::vector<PltEntry>> decode_plt(const ElfFile& file);

}  // namespace linkbox::elf
