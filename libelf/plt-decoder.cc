#include "libelf/plt-decoder.h"

#include <Zydis/Zydis.h>

#include <map>

namespace linkbox::elf {
namespace {

// GOT slot address -> what the relocation on it names.
Expected<std::map<uint64_t, std::string>> slot_targets(const ElfFile& f) {
  std::map<uint64_t, std::string> out;
  auto dyn = f.dynamic_entries();
  if (!dyn) return dyn.error();
  auto syms = f.dynamic_symbols();
  if (!syms) return syms.error();
  auto strings = f.dynamic_strings();
  if (!strings) return strings.error();
  const Codec& c = f.codec();
  auto tag = [&](int64_t t) { return ElfFile::find_tag(*dyn, t); };
  auto scan = [&](std::optional<uint64_t> addr, std::optional<uint64_t> size, bool rela) -> Status {
    if (!addr || !size || *size == 0) return {};
    auto bytes = f.bytes_at_vaddr(*addr, *size, "relocation table");
    if (!bytes) return bytes.error();
    uint64_t entsize = c.is64() ? (rela ? 24 : 16) : (rela ? 12 : 8);
    for (uint64_t at = 0; at + entsize <= bytes->size(); at += entsize) {
      const uint8_t* p = bytes->data() + at;
      uint64_t offset = c.get_word(p);
      uint64_t info = c.get_word(p + c.word_size());
      uint64_t sym = c.is64() ? info >> 32 : info >> 8;
      std::string name;
      if (sym != 0 && sym < syms->size()) {
        auto n = strings->at((*syms)[sym].name);
        if (n) name = std::string(*n);
      }
      if (name.empty()) {
        // IRELATIVE and friends: objdump shows the addend (RELA) or the
        // value already in the slot (REL).
        uint64_t addend = rela ? c.get_word(p + 2 * c.word_size()) : 0;
        if (!rela)
          if (auto slot = f.bytes_at_vaddr(offset, c.word_size(), "GOT slot")) addend = c.get_word(slot->data());
        name = "*ABS*+" + hex(addend);
      }
      out.emplace(offset, name);
    }
    return {};
  };
  bool jmprel_rela = tag(DT_PLTREL).value_or(c.is64() ? DT_RELA : DT_REL) == DT_RELA;
  LINKBOX_TRY(scan(tag(DT_JMPREL), tag(DT_PLTRELSZ), jmprel_rela));
  LINKBOX_TRY(scan(tag(DT_RELA), tag(DT_RELASZ), true));
  LINKBOX_TRY(scan(tag(DT_REL), tag(DT_RELSZ), false));
  return out;
}

// The GOT slot an x86 stub jumps through, if it has an indirect jump.
std::optional<uint64_t> x86_slot(const ElfFile& f, std::span<const uint8_t> code, uint64_t address,
                                 uint64_t got_base) {
  ZydisDecoder decoder;
  bool is64 = f.machine() == EM_X86_64;
  ZydisDecoderInit(&decoder, is64 ? ZYDIS_MACHINE_MODE_LONG_64 : ZYDIS_MACHINE_MODE_LEGACY_32,
                   is64 ? ZYDIS_STACK_WIDTH_64 : ZYDIS_STACK_WIDTH_32);
  size_t at = 0;
  while (at < code.size()) {
    ZydisDecodedInstruction insn;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&decoder, code.data() + at, code.size() - at, &insn, ops)))
      return std::nullopt;
    uint64_t next = address + at + insn.length;
    if (insn.mnemonic == ZYDIS_MNEMONIC_JMP && insn.operand_count_visible >= 1 &&
        ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY) {
      const auto& m = ops[0].mem;
      int64_t disp = m.disp.has_displacement ? m.disp.value : 0;
      if (m.base == ZYDIS_REGISTER_RIP) return next + disp;
      if (m.base == ZYDIS_REGISTER_NONE && m.index == ZYDIS_REGISTER_NONE)
        return static_cast<uint64_t>(disp) & (is64 ? ~uint64_t(0) : 0xffffffffu);
      if (!is64 && m.base == ZYDIS_REGISTER_EBX && m.index == ZYDIS_REGISTER_NONE)
        return (got_base + disp) & 0xffffffffu;
      return std::nullopt;
    }
    if (insn.mnemonic == ZYDIS_MNEMONIC_JMP || insn.mnemonic == ZYDIS_MNEMONIC_RET) return std::nullopt;
    at += insn.length;
  }
  return std::nullopt;
}

// adrp x16, PAGE; ldr x17, [x16, #OFF]; (add x16, x16, #OFF;) br x17
std::optional<uint64_t> aarch64_slot(const ElfFile& f, std::span<const uint8_t> code, uint64_t address) {
  const Codec& c = f.codec();
  for (size_t i = 0; i + 8 <= code.size(); i += 4) {
    uint32_t adrp = c.get<uint32_t>(code.data() + i);
    uint32_t ldr = c.get<uint32_t>(code.data() + i + 4);
    if ((adrp & 0x9f00001f) != 0x90000010) continue;       // adrp x16
    if ((ldr & 0xffc003ff) != 0xf9400211) continue;        // ldr x17, [x16, #imm]
    int64_t immhi = (adrp >> 5) & 0x7ffff, immlo = (adrp >> 29) & 3;
    int64_t page_delta = (immhi << 2 | immlo) << 12;
    if (page_delta & (int64_t(1) << 32)) page_delta -= int64_t(1) << 33;  // sign of the 21-bit immediate
    uint64_t page = ((address + i) & ~uint64_t(0xfff)) + page_delta;
    return page + ((ldr >> 10) & 0xfff) * 8;
  }
  return std::nullopt;
}

}  // namespace

Expected<std::vector<PltEntry>> decode_plt(const ElfFile& f) {
  std::vector<PltEntry> out;
  uint16_t m = f.machine();
  if (m != EM_X86_64 && m != EM_386 && m != EM_AARCH64)
    return f.error("PLT decoding supports x86-64, i386 and AArch64, not " + std::string(machine_name(m)));
  // Like objdump, name nothing in a file without dynamic symbols (a static
  // or static-pie executable's IRELATIVE stubs reach no symbol).
  auto symbol_count = f.dynamic_symbol_count();
  if (!symbol_count) return symbol_count.error();
  if (*symbol_count <= 1) return out;
  auto targets = slot_targets(f);
  if (!targets) return targets.error();
  auto dyn = f.dynamic_entries();
  if (!dyn) return dyn.error();
  uint64_t got_base = ElfFile::find_tag(*dyn, DT_PLTGOT).value_or(0);
  for (const Section& s : f.sections()) {
    if (s.name != ".plt" && s.name != ".plt.sec" && s.name != ".plt.got" && s.name != ".iplt") continue;
    auto data = f.section_data(s);
    if (!data) return data.error();
    // Linkers leave sh_entsize 0 on some PLTs; the entry sizes are fixed by
    // the psABIs: 16 bytes, or 8 for a non-IBT .plt.got.
    uint64_t entsize = s.hdr.entsize ? s.hdr.entsize : (s.name == ".plt.got" && m != EM_AARCH64 ? 8 : 16);
    // The first entry of .plt is PLT0, the lazy resolver's trampoline
    // (32 bytes on AArch64).
    uint64_t first = s.name == ".plt" ? (m == EM_AARCH64 ? 32 : entsize) : 0;
    if (m == EM_AARCH64 && s.name == ".plt") entsize = 16;
    for (uint64_t at = first; at + entsize <= data->size(); at += entsize) {
      auto code = data->subspan(at, entsize);
      uint64_t address = s.hdr.addr + at;
      auto slot = m == EM_AARCH64 ? aarch64_slot(f, code, address) : x86_slot(f, code, address, got_base);
      if (!slot) continue;
      auto it = targets->find(*slot);
      if (it == targets->end()) continue;
      out.push_back({address, s.name, *slot, it->second});
    }
  }
  return out;
}

}  // namespace linkbox::elf
