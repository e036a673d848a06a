// Naming PLT entries: which symbol each stub reaches.
//
// A PLT stub jumps through a GOT slot; the dynamic relocation on that slot
// (JUMP_SLOT, or GLOB_DAT for .plt.got) names the symbol. x86 stubs are
// decoded with Zydis, so every layout the linkers emit (lazy .plt, IBT .plt +
// .plt.sec, .plt.got, i386 PIC and non-PIC) is read from the instructions
// themselves rather than from assumed offsets. AArch64 stubs are the fixed
// adrp/ldr/add/br sequence (optionally preceded by BTI).
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
