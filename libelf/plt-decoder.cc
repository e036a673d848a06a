#include "libelf/plt-decoder.h"

#include <Zydis/Zydis.h>

#include <algorithm>
#include <map>

namespace linkbox::elf {
namespace {

// The relocation types a PLT slot can carry. objdump names an entry only
// through these (a TLSDESC slot is reached by the TLS trampoline, not by a
// symbol's PLT entry).
bool is_plt_reloc(uint16_t machine, uint32_t type) {
  switch (machine) {
    case EM_X86_64: return type == R_X86_64_JUMP_SLOT || type == R_X86_64_GLOB_DAT || type == R_X86_64_IRELATIVE;
    case EM_386: return type == R_386_JMP_SLOT || type == R_386_GLOB_DAT || type == R_386_IRELATIVE;
    case EM_AARCH64:
      return type == R_AARCH64_JUMP_SLOT || type == R_AARCH64_GLOB_DAT || type == R_AARCH64_IRELATIVE;
  }
  return false;
}

// objdump's spelling of what a relocation reaches: the symbol's name, or
// "*ABS*" for a relocation without a symbol (IRELATIVE), followed by
// "+0xADDEND" when the addend is not zero. REL relocations have no addend
// here, as in BFD (the implicit addend in the slot is not read).
std::string reloc_target(const Codec& c, std::string name, uint64_t addend) {
  if (!c.is64()) addend &= 0xffffffffu;
  if (addend != 0) name += "+" + hex(addend);
  return name;
}

// GOT slot address -> what the PLT relocation on it names.
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
      uint32_t type = static_cast<uint32_t>(c.is64() ? info & 0xffffffffu : info & 0xff);
      if (!is_plt_reloc(f.machine(), type)) continue;
      std::string name = "*ABS*";
      if (sym != 0) {
        if (sym >= syms->size()) continue;
        auto n = strings->at((*syms)[sym].name);
        if (!n) continue;
        name = std::string(*n);
      }
      uint64_t addend = rela ? c.get_word(p + 2 * c.word_size()) : 0;
      out.emplace(offset, reloc_target(c, std::move(name), addend));
    }
    return {};
  };
  bool jmprel_rela = tag(DT_PLTREL).value_or(c.is64() ? DT_RELA : DT_REL) == DT_RELA;
  LINKBOX_TRY(scan(tag(DT_JMPREL), tag(DT_PLTRELSZ), jmprel_rela));
  LINKBOX_TRY(scan(tag(DT_RELA), tag(DT_RELASZ), true));
  LINKBOX_TRY(scan(tag(DT_REL), tag(DT_RELSZ), false));
  return out;
}

// i386 PIC stubs jump through %ebx, which holds _GLOBAL_OFFSET_TABLE_: the
// start of .got.plt (DT_PLTGOT), or of .got when there is no .got.plt.
uint64_t i386_got_base(const ElfFile& f, const std::vector<Dyn>& dyn) {
  if (auto pltgot = ElfFile::find_tag(dyn, DT_PLTGOT)) return *pltgot;
  if (const Section* s = f.find_section(".got.plt")) return s->hdr.addr;
  if (const Section* s = f.find_section(".got")) return s->hdr.addr;
  return 0;
}

class X86Decoder {
 public:
  X86Decoder(const ElfFile& f, uint64_t got_base) : is64_(f.machine() == EM_X86_64), got_base_(got_base) {
    ZydisDecoderInit(&decoder_, is64_ ? ZYDIS_MACHINE_MODE_LONG_64 : ZYDIS_MACHINE_MODE_LEGACY_32,
                     is64_ ? ZYDIS_STACK_WIDTH_64 : ZYDIS_STACK_WIDTH_32);
  }

  // The GOT slot the stub at `address` jumps through, if its first control
  // transfer is an indirect jump through memory. (PLT0 and the lazy halves
  // of an IBT PLT end in a direct jump and reach no slot.)
  std::optional<uint64_t> slot(std::span<const uint8_t> code, uint64_t address) const {
    size_t at = 0;
    while (at < code.size()) {
      ZydisDecodedInstruction insn;
      ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
      if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&decoder_, code.data() + at, code.size() - at, &insn, ops)))
        return std::nullopt;
      uint64_t next = address + at + insn.length;
      if (insn.mnemonic == ZYDIS_MNEMONIC_JMP && insn.operand_count_visible >= 1 &&
          ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY)
        return memory_target(ops[0].mem, next);
      if (insn.meta.category == ZYDIS_CATEGORY_UNCOND_BR || insn.meta.category == ZYDIS_CATEGORY_COND_BR ||
          insn.meta.category == ZYDIS_CATEGORY_RET || insn.meta.category == ZYDIS_CATEGORY_CALL)
        return std::nullopt;
      at += insn.length;
    }
    return std::nullopt;
  }

  // Whether the code starts with ENDBR64/ENDBR32: an IBT-enabled stub.
  bool starts_with_endbr(std::span<const uint8_t> code) const {
    ZydisDecodedInstruction insn;
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&decoder_, nullptr, code.data(), code.size(), &insn)))
      return false;
    return insn.mnemonic == ZYDIS_MNEMONIC_ENDBR64 || insn.mnemonic == ZYDIS_MNEMONIC_ENDBR32;
  }

 private:
  std::optional<uint64_t> memory_target(const ZydisDecodedOperandMem& m, uint64_t next) const {
    if (m.index != ZYDIS_REGISTER_NONE) return std::nullopt;
    uint64_t disp = static_cast<uint64_t>(m.disp.has_displacement ? m.disp.value : 0);
    uint64_t mask = is64_ ? ~uint64_t(0) : 0xffffffffu;
    if (m.base == ZYDIS_REGISTER_RIP) return (next + disp) & mask;
    if (m.base == ZYDIS_REGISTER_NONE) return disp & mask;
    if (!is64_ && m.base == ZYDIS_REGISTER_EBX) return (got_base_ + disp) & mask;
    return std::nullopt;
  }

  ZydisDecoder decoder_;
  bool is64_;
  uint64_t got_base_;
};

// The x86 psABIs fix the stub sizes whatever sh_entsize says (ld.bfd gives
// the i386 .plt an sh_entsize of 4): 16 bytes in .plt and .plt.sec, and in
// .plt.got 8 bytes (jmp *slot; nop), or 16 when the stubs begin with ENDBR.
uint64_t x86_entry_size(const X86Decoder& d, const Section& s, std::span<const uint8_t> data) {
  if (s.name == ".plt.got") return d.starts_with_endbr(data) ? 16 : 8;
  return 16;
}

void decode_x86(const Section& s, std::span<const uint8_t> data, const X86Decoder& d,
                const std::map<uint64_t, std::string>& targets, std::vector<PltEntry>& out) {
  uint64_t entsize = x86_entry_size(d, s, data);
  for (uint64_t at = 0; at + entsize <= data.size(); at += entsize) {
    uint64_t address = s.hdr.addr + at;
    auto slot = d.slot(data.subspan(at, entsize), address);
    if (!slot) continue;
    auto it = targets.find(*slot);
    if (it != targets.end()) out.push_back({address, s.name, *slot, it->second});
  }
}

// AArch64 stubs: [bti c;] adrp x16, PAGE; ldr x17, [x16, #OFF]; add x16,
// x16, #OFF; [autia1716;] br x17 — 16 bytes, or 24 with BTI or PAC, and
// PLT0 also loads x17 through x16. Each adrp x16 / ldr x17 pair is a stub; it
// starts at the adrp, or at a BTI C just before it.
void decode_aarch64(const ElfFile& f, const Section& s, std::span<const uint8_t> data,
                    const std::map<uint64_t, std::string>& targets, std::vector<PltEntry>& out) {
  const Codec& c = f.codec();
  constexpr uint32_t kBtiC = 0xd503245f;
  uint64_t previous_end = 0;
  for (uint64_t i = 0; i + 8 <= data.size(); i += 4) {
    uint32_t adrp = c.get<uint32_t>(data.data() + i);
    uint32_t ldr = c.get<uint32_t>(data.data() + i + 4);
    if ((adrp & 0x9f00001f) != 0x90000010) continue;  // adrp x16, PAGE
    if ((ldr & 0xffc003ff) != 0xf9400211) continue;   // ldr x17, [x16, #imm]
    int64_t immhi = (adrp >> 5) & 0x7ffff, immlo = (adrp >> 29) & 3;
    int64_t page_delta = (immhi << 2 | immlo) << 12;
    if (page_delta & (int64_t(1) << 32)) page_delta -= int64_t(1) << 33;  // sign of the 21-bit immediate
    uint64_t page = ((s.hdr.addr + i) & ~uint64_t(0xfff)) + page_delta;
    uint64_t slot = page + ((ldr >> 10) & 0xfff) * 8;
    uint64_t start = i;
    if (i >= previous_end + 4 && c.get<uint32_t>(data.data() + i - 4) == kBtiC) start = i - 4;
    previous_end = i + 8;
    i += 4;
    auto it = targets.find(slot);
    if (it != targets.end()) out.push_back({s.hdr.addr + start, s.name, slot, it->second});
  }
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
  X86Decoder x86(f, m == EM_386 ? i386_got_base(f, *dyn) : 0);
  // The sections objdump names stubs in. lld's .iplt (the stubs of
  // non-preemptible IFUNCs) is not one of them.
  for (const Section& s : f.sections()) {
    if (s.name != ".plt" && s.name != ".plt.sec" && s.name != ".plt.got") continue;
    auto data = f.section_data(s);
    if (!data) return data.error();
    if (m == EM_AARCH64) decode_aarch64(f, s, *data, *targets, out);
    else decode_x86(s, *data, x86, *targets, out);
  }
  std::stable_sort(out.begin(), out.end(), [](const PltEntry& a, const PltEntry& b) { return a.address < b.address; });
  return out;
}

}  // namespace linkbox::elf
