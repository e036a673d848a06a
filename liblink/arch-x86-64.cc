// x86-64 (System V psABI, "AMD64 Architecture Processor Supplement" 1.0).
//
// Relocations: the psABI's table maps each type onto a neutral kind; the
// scanner works from the kind, and only the patching below knows the bytes.
//
// Relaxations, as ld.bfd and lld do them for executables:
// - GOTPCRELX / REX_GOTPCRELX against a symbol defined in the output: the
//   GOT load `mov foo@GOTPCREL(%rip), %reg` becomes `lea foo(%rip), %reg`,
//   `call *foo@GOTPCREL(%rip)` becomes `addr32 call foo` and
//   `jmp *foo@GOTPCREL(%rip)` becomes `jmp foo; nop`.
// - TLS general and local dynamic (the `lea x@tlsgd(%rip), %rdi; call
//   __tls_get_addr` sequences) become local exec when the variable is the
//   executable's own, or initial exec when it is imported; the call's own
//   relocation is then skipped. TLS descriptors relax the same way.
// - Initial exec (`mov x@gottpoff(%rip), %reg` or `add`) becomes local exec
//   (`mov $x@tpoff, %reg` or `lea x@tpoff(%reg), %reg`) for the executable's
//   own variables.
//
// TLS is variant II: the thread pointer (%fs:0) points just past the TLS
// block, so a local-exec offset is negative.
//
// The PLT is the classic lazy one: PLT0 pushes .got.plt[1] and jumps to
// .got.plt[2] (ld.so's resolver); entry n jumps through its .got.plt slot,
// which first points back at its own `push n; jmp PLT0`.
#include <cstring>

#include "liblink/arch.h"
#include "liblink/output-sections.h"
#include "liblink/synthetic.h"

namespace linkbox::link {

template <>
RelInfo classify_rel<X86_64>(uint32_t type) {
  using K = RelKind;
  using C = RelCheck;
  switch (type) {
    case R_X86_64_NONE: return {K::none, 0, C::none, true};
    case R_X86_64_64: return {K::abs, 8, C::none, true};
    case R_X86_64_PC32: return {K::pc, 4, C::signed_, true};
    case R_X86_64_PLT32: return {K::branch, 4, C::signed_, true};
    case R_X86_64_GOTPCREL: return {K::got_pc, 4, C::signed_, true};
    case R_X86_64_32: return {K::abs, 4, C::unsigned_, true};
    case R_X86_64_32S: return {K::abs, 4, C::signed_, true};
    case R_X86_64_16: return {K::abs, 2, C::either, true};
    case R_X86_64_PC16: return {K::pc, 2, C::signed_, true};
    case R_X86_64_8: return {K::abs, 1, C::either, true};
    case R_X86_64_PC8: return {K::pc, 1, C::signed_, true};
    case R_X86_64_DTPOFF64: return {K::dtpoff, 8, C::none, true};
    case R_X86_64_TPOFF64: return {K::tpoff, 8, C::none, true};
    case R_X86_64_TLSGD: return {K::tls_gd, 4, C::signed_, true};
    case R_X86_64_TLSLD: return {K::tls_ld, 4, C::signed_, true};
    case R_X86_64_DTPOFF32: return {K::dtpoff, 4, C::signed_, true};
    case R_X86_64_GOTTPOFF: return {K::gottpoff, 4, C::signed_, true};
    case R_X86_64_TPOFF32: return {K::tpoff, 4, C::signed_, true};
    case R_X86_64_PC64: return {K::pc, 8, C::none, true};
    case R_X86_64_GOTOFF64: return {K::gotoff, 8, C::none, true};
    case R_X86_64_GOTPC32: return {K::gotpc, 4, C::signed_, true};
    case R_X86_64_GOTPC64: return {K::gotpc, 8, C::none, true};
    case R_X86_64_GOTPCREL64: return {K::got_pc, 8, C::none, true};
    case R_X86_64_SIZE32: return {K::size, 4, C::unsigned_, true};
    case R_X86_64_SIZE64: return {K::size, 8, C::none, true};
    case R_X86_64_GOTPC32_TLSDESC: return {K::tlsdesc_pc, 4, C::signed_, true};
    case R_X86_64_TLSDESC_CALL: return {K::tlsdesc_call, 0, C::none, true};
    case R_X86_64_GOTPCRELX: return {K::got_pc_relax, 4, C::signed_, true};
    case R_X86_64_REX_GOTPCRELX: return {K::got_pc_relax, 4, C::signed_, true};
  }
  return {K::none, 0, C::none, false};
}

template <>
std::string rel_type_name<X86_64>(uint32_t type) {
  static const char* names[] = {
      "R_X86_64_NONE", "R_X86_64_64", "R_X86_64_PC32", "R_X86_64_GOT32", "R_X86_64_PLT32",
      "R_X86_64_COPY", "R_X86_64_GLOB_DAT", "R_X86_64_JUMP_SLOT", "R_X86_64_RELATIVE",
      "R_X86_64_GOTPCREL", "R_X86_64_32", "R_X86_64_32S", "R_X86_64_16", "R_X86_64_PC16",
      "R_X86_64_8", "R_X86_64_PC8", "R_X86_64_DTPMOD64", "R_X86_64_DTPOFF64", "R_X86_64_TPOFF64",
      "R_X86_64_TLSGD", "R_X86_64_TLSLD", "R_X86_64_DTPOFF32", "R_X86_64_GOTTPOFF",
      "R_X86_64_TPOFF32", "R_X86_64_PC64", "R_X86_64_GOTOFF64", "R_X86_64_GOTPC32",
      "R_X86_64_GOT64", "R_X86_64_GOTPCREL64", "R_X86_64_GOTPC64", "R_X86_64_GOTPLT64",
      "R_X86_64_PLTOFF64", "R_X86_64_SIZE32", "R_X86_64_SIZE64", "R_X86_64_GOTPC32_TLSDESC",
      "R_X86_64_TLSDESC_CALL", "R_X86_64_TLSDESC", "R_X86_64_IRELATIVE", "R_X86_64_RELATIVE64",
      "39", "40", "R_X86_64_GOTPCRELX", "R_X86_64_REX_GOTPCRELX"};
  if (type < sizeof names / sizeof names[0]) return names[type];
  return "unknown relocation type " + std::to_string(type);
}

template <>
bool got_load_relaxable<X86_64>(const InputSection<X86_64>& isec, const Rela& rel) {
  if (rel.type != R_X86_64_GOTPCRELX && rel.type != R_X86_64_REX_GOTPCRELX) return false;
  if (rel.offset < 2 || rel.addend != -4) return false;
  uint8_t op = isec.data[rel.offset - 2], modrm = isec.data[rel.offset - 1];
  if (op == 0x8b) return true;  // mov
  if (rel.type == R_X86_64_GOTPCRELX && op == 0xff && (modrm == 0x15 || modrm == 0x25)) return true;
  return false;
}

template <>
TlsCallShape tls_call_shape<X86_64>(const InputSection<X86_64>& isec, const Rela& rel) {
  // `lea x@tlsgd(%rip), %rdi` is 66 48 8d 3d; `lea x@tlsld(%rip), %rdi` is
  // 48 8d 3d; either is followed by `call __tls_get_addr@PLT` (e8) or, with
  // -fno-plt, `call *__tls_get_addr@GOTPCREL(%rip)` (ff 15).
  const auto& d = isec.data;
  bool gd = rel.type == R_X86_64_TLSGD;
  uint64_t start = rel.offset - (gd ? 4 : 3);
  if (rel.offset < (gd ? 4u : 3u) || rel.offset + 4 + 6 > d.size()) return TlsCallShape::unknown;
  if (gd) {
    if (d[start] != 0x66 || d[start + 1] != 0x48 || d[start + 2] != 0x8d || d[start + 3] != 0x3d)
      return TlsCallShape::unknown;
    if (d[rel.offset + 4] == 0x66 && d[rel.offset + 5] == 0x66 && d[rel.offset + 6] == 0x48 &&
        d[rel.offset + 7] == 0xe8)
      return TlsCallShape::direct;
    if (d[rel.offset + 4] == 0x66 && d[rel.offset + 5] == 0x48 && d[rel.offset + 6] == 0xff &&
        d[rel.offset + 7] == 0x15)
      return TlsCallShape::indirect;
    return TlsCallShape::unknown;
  }
  if (d[start] != 0x48 || d[start + 1] != 0x8d || d[start + 2] != 0x3d) return TlsCallShape::unknown;
  if (d[rel.offset + 4] == 0xe8) return TlsCallShape::direct;
  if (d[rel.offset + 4] == 0xff && d[rel.offset + 5] == 0x15) return TlsCallShape::indirect;
  return TlsCallShape::unknown;
}

template <>
void write_plt<X86_64>(Context<X86_64>& ctx, uint8_t* out) {
  auto& plt = *ctx.syn->plt;
  uint64_t plt_addr = plt.shdr.addr;
  uint64_t gotplt = ctx.syn->gotplt->shdr.addr;
  // PLT0: pushq GOTPLT+8(%rip); jmp *GOTPLT+16(%rip); nopl 0(%rax)
  static const uint8_t plt0[] = {0xff, 0x35, 0, 0, 0, 0, 0xff, 0x25, 0, 0, 0, 0, 0x0f, 0x1f, 0x40, 0x00};
  std::memcpy(out, plt0, 16);
  store_le<uint32_t>(out + 2, static_cast<uint32_t>(gotplt + 8 - (plt_addr + 6)));
  store_le<uint32_t>(out + 8, static_cast<uint32_t>(gotplt + 16 - (plt_addr + 12)));
  for (size_t i = 0; i < plt.symbols.size(); ++i) {
    uint8_t* e = out + X86_64::plt_header_size + i * X86_64::plt_entry_size;
    uint64_t ea = plt.entry_address(static_cast<int32_t>(i));
    static const uint8_t entry[] = {0xff, 0x25, 0, 0, 0, 0, 0x68, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0};
    std::memcpy(e, entry, 16);
    store_le<uint32_t>(e + 2, static_cast<uint32_t>(ctx.syn->gotplt->slot_address(static_cast<int32_t>(i)) - (ea + 6)));
    store_le<uint32_t>(e + 7, static_cast<uint32_t>(i));
    store_le<uint32_t>(e + 12, static_cast<uint32_t>(plt_addr - (ea + 16)));
  }
}

namespace {

// Checks that `v` fits the field, and reports where it does not.
template <typename E>
bool check_range(Context<E>& ctx, const InputSection<E>& isec, const Rela& rel, const RelInfo& info,
                 int64_t v, const Symbol<E>* sym) {
  if (info.width >= 8 || info.check == RelCheck::none) return true;
  int bits = info.width * 8;
  int64_t smin = -(int64_t(1) << (bits - 1)), smax = (int64_t(1) << (bits - 1)) - 1;
  uint64_t umax = (uint64_t(1) << bits) - 1;
  bool ok = true;
  if (info.check == RelCheck::signed_) ok = v >= smin && v <= smax;
  else if (info.check == RelCheck::unsigned_) ok = uint64_t(v) <= umax;
  else ok = v >= smin && (v < 0 || uint64_t(v) <= umax);
  if (!ok)
    ctx.error_or_warn(isec.location(rel.offset),
              "relocation " + rel_type_name<E>(rel.type) + " out of range: " + std::to_string(v) +
                  " is not in [" + std::to_string(info.check == RelCheck::unsigned_ ? 0 : smin) + ", " +
                  std::to_string(info.check == RelCheck::signed_ ? uint64_t(smax) : umax) + "]" +
                  (sym && !sym->name.empty() ? "; references " + std::string(sym->name) : "") +
                  (sym && !sym->name.empty() && sym->file ? "\n>>> defined in " + sym->file->name : ""));
  return ok;
}

void write_field(uint8_t* loc, uint8_t width, uint64_t v) {
  switch (width) {
    case 1: *loc = static_cast<uint8_t>(v); break;
    case 2: store_le<uint16_t>(loc, static_cast<uint16_t>(v)); break;
    case 4: store_le<uint32_t>(loc, static_cast<uint32_t>(v)); break;
    case 8: store_le<uint64_t>(loc, v); break;
  }
}

}  // namespace

template <>
void apply_relocs<X86_64>(Context<X86_64>& ctx, const InputSection<X86_64>& isec,
                          std::span<const Rela> rels, uint64_t base, uint8_t* out, uint64_t address) {
  using E = X86_64;
  const bool alloc = isec.shdr.flags & SHF_ALLOC;
  const Synthetics<E>& syn = *ctx.syn;
  for (size_t i = 0; i < rels.size(); ++i) {
    const Rela& rel = rels[i];
    RelInfo info = classify_rel<E>(rel.type);
    if (!info.known || info.kind == RelKind::none) continue;
    uint8_t* loc = out + (rel.offset - base);
    uint64_t P = address + (rel.offset - base);
    Symbol<E>* sym = rel.sym ? isec.file->symbols[rel.sym] : nullptr;
    int64_t A = rel.addend;
    uint64_t S = 0;
    bool target_dead = false;
    if (sym && sym->is_local && sym->type == STT_SECTION) {
      uint32_t shndx = isec.file->esyms[rel.sym].shndx;
      if (isec.file->merge_inputs.count(shndx)) {
        auto [frag, inner] = isec.file->fragment_at(shndx, sym->value + A);
        if (frag) {
          S = static_cast<const MergedSection<E>*>(frag->owner)->address() + frag->offset + inner;
          A = 0;
        }
      } else if (!sym->isec || (!sym->isec->alive && !sym->isec->is_eh_frame)) {
        target_dead = true;
      } else {
        S = symbol_address(ctx, *sym);
      }
    } else if (sym) {
      if (sym->isec && !sym->isec->alive && !sym->isec->is_eh_frame) target_dead = true;
      S = symbol_address(ctx, *sym);
    }

    // As lld: the debug information of a function --icf folded away
    // describes code that is not there (.debug_line keeps the twin's
    // address, so that a breakpoint on either name works).
    if (sym && sym->folded && isec.name != ".debug_line") target_dead = true;
    if (!alloc) {
      // Debug and other non-loaded sections: absolute values only. A
      // reference into discarded code gets a tombstone, not a stale address.
      uint64_t v = 0;
      if (info.kind == RelKind::dtpoff) v = S + A - ctx.tls_begin;
      else if (info.kind == RelKind::size && sym) v = sym->size + A;
      else if (target_dead) v = (isec.name == ".debug_ranges" || isec.name == ".debug_loc") ? 1 : 0;
      else v = S + A;
      write_field(loc, info.width, v);
      continue;
    }

    bool preempt = sym && is_preemptible(ctx, *sym);
    int64_t v = 0;
    switch (info.kind) {
      case RelKind::abs:
        // Mirrors the scan: an imported symbol gets a dynamic relocation in
        // a writable section; a local address in a PIE gets R_RELATIVE.
        v = S + A;
        if (info.width == 8) {
          if (preempt) {
            if ((isec.shdr.flags & SHF_WRITE) || ctx.pie) {  // (read-only only with -z notext)
              ctx.dyn_relocs.push_back({P, E::R_ABS, static_cast<uint32_t>(sym->dynsym_idx), A});
              v = A;
            }
          } else if (ctx.pie && sym && !sym->is_absolute() && !sym->is_undefined()) {
            ctx.dyn_relocs.push_back({P, E::R_RELATIVE, 0, static_cast<int64_t>(S + A)});
            if (ctx.opts.report_relative_relocs)
              report_relative_reloc(ctx, ctx.dyn_relocs.back(), sym->name, isec.name, isec.file->name);
          }
        }
        break;
      case RelKind::pc:
        v = S + A - P;
        break;
      case RelKind::branch:
        if (sym && sym->plt_idx >= 0) S = syn.plt->entry_address(sym->plt_idx);
        v = S + A - P;
        break;
      case RelKind::got_pc:
      case RelKind::got_pc_relax:
        if (sym && sym->got_idx >= 0) {
          v = syn.got->slot_address(sym->got_idx) + A - P;
        } else {
          // Relaxed (the scan decided, from the same bytes).
          uint8_t op = loc[-2], modrm = loc[-1];
          v = S + A - P;
          if (op == 0x8b) {
            loc[-2] = 0x8d;  // mov -> lea
          } else if (op == 0xff && modrm == 0x15) {
            loc[-2] = 0x67;  // addr32 call
            loc[-1] = 0xe8;
          } else if (op == 0xff && modrm == 0x25) {
            loc[-2] = 0xe9;  // jmp rel32; nop
            loc[3] = 0x90;
            loc -= 1;
            v += 1;
          }
        }
        break;
      case RelKind::gotoff:
        v = S + A - syn.gotplt->shdr.addr;
        break;
      case RelKind::gotpc:
        v = syn.gotplt->shdr.addr + A - P;
        break;
      case RelKind::size:
        v = (sym ? sym->size : 0) + A;
        break;
      case RelKind::tls_gd: {
        if (ctx.shared) {  // not relaxed: leaq x@tlsgd(%rip), %rdi points at the GOT pair
          v = syn.got->slot_address(sym->tlsgd_idx) + A - P;
          break;
        }
        // Both call forms (e8 and ff 15) make the sequence 16 bytes long.
        uint8_t* seq = loc - 4;
        if (sym->gottp_idx >= 0) {
          // GD -> IE: mov %fs:0, %rax; add x@gottpoff(%rip), %rax
          static const uint8_t ie[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x03, 0x05, 0, 0, 0, 0};
          std::memcpy(seq, ie, 16);
          store_le<uint32_t>(seq + 12, static_cast<uint32_t>(syn.got->slot_address(sym->gottp_idx) - (P + 12)));
        } else {
          // GD -> LE: mov %fs:0, %rax; lea x@tpoff(%rax), %rax
          static const uint8_t le[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x8d, 0x80, 0, 0, 0, 0};
          std::memcpy(seq, le, 16);
          store_le<uint32_t>(seq + 12, static_cast<uint32_t>(S - ctx.tp_addr));
        }
        ++i;  // the call to __tls_get_addr is gone
        continue;
      }
      case RelKind::tls_ld: {
        if (ctx.shared) {
          v = syn.got->slot_address(ctx.tls_ld_slot) + A - P;
          break;
        }
        TlsCallShape shape = tls_call_shape<E>(isec, rel);
        uint8_t* seq = loc - 3;
        if (shape == TlsCallShape::indirect) {
          static const uint8_t le[] = {0x66, 0x66, 0x66, 0x66, 0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0};
          std::memcpy(seq, le, 13);
        } else {
          static const uint8_t le[] = {0x66, 0x66, 0x66, 0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0};
          std::memcpy(seq, le, 12);
        }
        ++i;
        continue;
      }
      case RelKind::dtpoff:
        // In a shared object, the offset in the module's TLS block; in an
        // executable only reachable after LD -> LE, from the thread pointer.
        v = S + A - (ctx.shared ? ctx.tls_begin : ctx.tp_addr);
        break;
      case RelKind::tpoff:
        v = S + A - ctx.tp_addr;
        break;
      case RelKind::gottpoff:
        if (sym->gottp_idx >= 0) {
          v = syn.got->slot_address(sym->gottp_idx) + A - P;
        } else {
          uint8_t* rex = loc - 3;
          uint8_t* op = loc - 2;
          uint8_t* modrm = loc - 1;
          uint8_t reg = (*modrm >> 3) & 7;
          if (*op == 0x8b) {  // mov -> mov $imm
            if (*rex == 0x4c) *rex = 0x49;
            *op = 0xc7;
            *modrm = 0xc0 | reg;
          } else if (*op == 0x03) {
            if (reg == 4) {  // add to %rsp/%r12: add $imm keeps the flags' meaning
              if (*rex == 0x4c) *rex = 0x49;
              *op = 0x81;
              *modrm = 0xc0 | reg;
            } else {  // add -> lea
              if (*rex == 0x4c) *rex = 0x4d;
              *op = 0x8d;
              *modrm = 0x80 | reg | (reg << 3);
            }
          }
          v = S + A + 4 - ctx.tp_addr;
        }
        break;
      case RelKind::tlsdesc_pc:
        if (ctx.shared) {  // not relaxed: the descriptor pair in the GOT
          v = syn.got->slot_address(sym->tlsdesc_idx) + A - P;
        } else if (sym->gottp_idx >= 0) {
          loc[-2] = 0x8b;  // lea x@tlsdesc(%rip) -> mov x@gottpoff(%rip)
          v = syn.got->slot_address(sym->gottp_idx) + A - P;
        } else {
          loc[-3] = 0x48 | ((loc[-3] >> 2) & 1);
          loc[-2] = 0xc7;
          loc[-1] = 0xc0 | ((loc[-1] >> 3) & 7);
          v = S + A + 4 - ctx.tp_addr;
        }
        break;
      case RelKind::tlsdesc_call:
        if (ctx.shared) continue;  // the call through the descriptor stays
        loc[0] = 0x66;  // call *(%rax) -> xchg %ax, %ax
        loc[1] = 0x90;
        continue;
      case RelKind::none:
        continue;
    }
    check_range(ctx, isec, rel, info, v, sym);
    write_field(loc, info.width, static_cast<uint64_t>(v));
  }
}

}  // namespace linkbox::link
