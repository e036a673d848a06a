#include "libelf/readelf-names.h"

#include <elf.h>

#include <cstdio>
#include <string_view>

namespace linkbox::elf::readelf {
namespace {

std::string format(const char* fmt, unsigned long long v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

struct NumberName {
  unsigned long long number;
  const char* name;
};

template <size_t N>
const char* lookup(const NumberName (&table)[N], unsigned long long number) {
  for (const auto& e : table)
    if (e.number == number) return e.name;
  return nullptr;
}

// readelf's get_machine_name. Some numbers share a name (old and new
// assignments of the same processor), and EM_CR16 really does print as
// MicroBlaze in binutils 2.40.
constexpr NumberName kMachines[] = {
    {0, "None"}, {1, "WE32100"}, {2, "Sparc"}, {3, "Intel 80386"}, {4, "MC68000"},
    {5, "MC88000"}, {6, "Intel MCU"}, {7, "Intel 80860"}, {8, "MIPS R3000"},
    {9, "IBM System/370"}, {10, "MIPS R4000 big-endian"}, {11, "Sparc v9 (old)"},
    {15, "HPPA"}, {17, "Fujitsu VPP500"}, {18, "Sparc v8+"}, {19, "Intel 80960"},
    {20, "PowerPC"}, {21, "PowerPC64"}, {22, "IBM S/390"}, {0xa390, "IBM S/390"}, {23, "SPU"},
    {36, "Renesas V850 (using RH850 ABI)"}, {37, "Fujitsu FR20"}, {38, "TRW RH32"},
    {39, "MCORE"}, {40, "ARM"}, {41, "Digital Alpha (old)"}, {42, "Renesas / SuperH SH"},
    {43, "Sparc v9"}, {44, "Siemens Tricore"}, {45, "ARC"}, {46, "Renesas H8/300"},
    {47, "Renesas H8/300H"}, {48, "Renesas H8S"}, {49, "Renesas H8/500"},
    {50, "Intel IA-64"}, {51, "Stanford MIPS-X"}, {52, "Motorola Coldfire"},
    {53, "Motorola MC68HC12 Microcontroller"}, {54, "Fujitsu Multimedia Accelerator"},
    {55, "Siemens PCP"}, {56, "Sony nCPU embedded RISC processor"},
    {57, "Denso NDR1 microprocesspr"}, {58, "Motorola Star*Core processor"},
    {59, "Toyota ME16 processor"}, {60, "STMicroelectronics ST100 processor"},
    {61, "Advanced Logic Corp. TinyJ embedded processor"},
    {62, "Advanced Micro Devices X86-64"}, {63, "Sony DSP processor"},
    {64, "Digital Equipment Corp. PDP-10"}, {65, "Digital Equipment Corp. PDP-11"},
    {66, "Siemens FX66 microcontroller"},
    {67, "STMicroelectronics ST9+ 8/16 bit microcontroller"},
    {68, "STMicroelectronics ST7 8-bit microcontroller"},
    {69, "Motorola MC68HC16 Microcontroller"}, {70, "Motorola MC68HC11 Microcontroller"},
    {71, "Motorola MC68HC08 Microcontroller"}, {72, "Motorola MC68HC05 Microcontroller"},
    {73, "Silicon Graphics SVx"}, {74, "STMicroelectronics ST19 8-bit microcontroller"},
    {75, "Digital VAX"}, {76, "Axis Communications 32-bit embedded processor"},
    {77, "Infineon Technologies 32-bit embedded cpu"},
    {78, "Element 14 64-bit DSP processor"}, {79, "LSI Logic's 16-bit DSP processor"},
    {80, "Donald Knuth's educational 64-bit processor"},
    {81, "Harvard Universitys's machine-independent object format"},
    {82, "Vitesse Prism"}, {83, "Atmel AVR 8-bit microcontroller"},
    {0x1057, "Atmel AVR 8-bit microcontroller"}, {84, "Fujitsu FR30"}, {0x3330, "Fujitsu FR30"},
    {85, "d10v"}, {0x7650, "d10v"}, {86, "d30v"}, {0x7676, "d30v"}, {87, "Renesas V850"},
    {0x9080, "Renesas V850"}, {88, "Renesas M32R (formerly Mitsubishi M32r)"},
    {0x9041, "Renesas M32R (formerly Mitsubishi M32r)"}, {89, "mn10300"}, {0xbeef, "mn10300"},
    {90, "mn10200"}, {0xdead, "mn10200"}, {91, "picoJava"}, {92, "OpenRISC 1000"},
    {93, "ARCompact"}, {94, "Tensilica Xtensa Processor"},
    {0xabc7, "Tensilica Xtensa Processor"}, {95, "Alphamosaic VideoCore processor"},
    {96, "Thompson Multimedia General Purpose Processor"},
    {97, "National Semiconductor 32000 series"}, {98, "Tenor Network TPC processor"},
    {99, "Trebia SNP 1000 processor"}, {100, "STMicroelectronics ST200 microcontroller"},
    {101, "Ubicom IP2xxx 8-bit microcontrollers"},
    {0x8217, "Ubicom IP2xxx 8-bit microcontrollers"}, {102, "MAX Processor"},
    {103, "National Semiconductor CompactRISC"}, {104, "Fujitsu F2MC16"},
    {105, "Texas Instruments msp430 microcontroller"}, {106, "Analog Devices Blackfin"},
    {107, "S1C33 Family of Seiko Epson processors"}, {108, "Sharp embedded microprocessor"},
    {109, "Arca RISC microprocessor"}, {110, "Unicore"},
    {111, "eXcess 16/32/64-bit configurable embedded CPU"},
    {112, "Icera Semiconductor Inc. Deep Execution Processor"}, {113, "Altera Nios II"},
    {114, "National Semiconductor CRX microprocessor"},
    {115, "Motorola XGATE embedded processor"}, {116, "Infineon Technologies xc16x"},
    {0x4688, "Infineon Technologies xc16x"}, {117, "Renesas M16C series microprocessors"},
    {118, "Microchip Technology dsPIC30F Digital Signal Controller"},
    {119, "Freescale Communication Engine RISC core"}, {120, "Renesas M32c"},
    {131, "Altium TSK3000 core"}, {132, "Freescale RS08 embedded processor"},
    {134, "Cyan Technology eCOG2 microprocessor"}, {135, "SUNPLUS S+Core"},
    {136, "New Japan Radio (NJR) 24-bit DSP Processor"},
    {137, "Broadcom VideoCore III processor"}, {138, "Lattice Mico32"},
    {139, "Seiko Epson C17 family"}, {140, "Texas Instruments TMS320C6000 DSP family"},
    {141, "Texas Instruments TMS320C2000 DSP family"},
    {142, "Texas Instruments TMS320C55x DSP family"}, {144, "TI PRU I/O processor"},
    {160, "STMicroelectronics 64bit VLIW Data Signal Processor"},
    {161, "Cypress M8C microprocessor"}, {162, "Renesas R32C series microprocessors"},
    {163, "NXP Semiconductors TriMedia architecture family"},
    {164, "QUALCOMM DSP6 Processor"}, {165, "Intel 8051 and variants"},
    {166, "STMicroelectronics STxP7x family"},
    {167, "Andes Technology compact code size embedded RISC processor family"},
    {168, "Cyan Technology eCOG1X family"},
    {169, "Dallas Semiconductor MAXQ30 Core microcontrollers"},
    {170, "New Japan Radio (NJR) 16-bit DSP Processor"},
    {171, "M2000 Reconfigurable RISC Microprocessor"},
    {172, "Cray Inc. NV2 vector architecture"}, {173, "Renesas RX"},
    {174, "Imagination Technologies Meta processor architecture"},
    {175, "MCST Elbrus general purpose hardware architecture"},
    {176, "Cyan Technology eCOG16 family"}, {177, "Xilinx MicroBlaze"},
    {189, "Xilinx MicroBlaze"}, {0xbaab, "Xilinx MicroBlaze"},
    {178, "Freescale Extended Time Processing Unit"},
    {179, "Infineon Technologies SLE9X core"}, {180, "Intel L1OM"}, {181, "Intel K1OM"},
    {182, "Intel (reserved)"}, {183, "AArch64"}, {184, "ARM (reserved)"},
    {185, "Atmel Corporation 32-bit microprocessor"},
    {186, "STMicroeletronics STM8 8-bit microcontroller"},
    {187, "Tilera TILE64 multicore architecture family"},
    {188, "Tilera TILEPro multicore architecture family"}, {190, "NVIDIA CUDA architecture"},
    {191, "Tilera TILE-Gx multicore architecture family"},
    {192, "CloudShield architecture family"},
    {193, "KIPO-KAIST Core-A 1st generation processor family"},
    {194, "KIPO-KAIST Core-A 2nd generation processor family"}, {195, "ARCv2"},
    {196, "Open8 8-bit RISC soft processor core"}, {197, "Renesas RL78"},
    {198, "Broadcom VideoCore V processor"}, {199, "Renesas 78K0R"},
    {200, "Freescale 56800EX Digital Signal Controller (DSC)"},
    {201, "Beyond BA1 CPU architecture"}, {202, "Beyond BA2 CPU architecture"},
    {203, "XMOS xCORE processor family"}, {204, "Microchip 8-bit PIC(r) family"},
    {205, "Intel Graphics Technology"}, {210, "KM211 KM32 32-bit processor"},
    {211, "KM211 KMX32 32-bit processor"}, {212, "KM211 KMX16 16-bit processor"},
    {213, "KM211 KMX8 8-bit processor"}, {214, "KM211 KVARC processor"},
    {215, "Paneve CDP architecture family"}, {216, "Cognitive Smart Memory Processor"},
    {217, "Bluechip Systems CoolEngine"}, {218, "Nanoradio Optimized RISC"},
    {219, "CSR Kalimba architecture family"}, {220, "Zilog Z80"},
    {221, "CDS VISIUMcore processor"}, {222, "FTDI Chip FT32"}, {223, "Moxie"},
    {224, "AMD GPU"}, {243, "RISC-V"}, {244, "Lanai 32-bit processor"},
    {245, "CEVA Processor Architecture Family"}, {246, "CEVA X2 Processor Family"},
    {247, "Linux BPF"}, {248, "Graphcore Intelligent Processing Unit"},
    {249, "Imagination Technologies"}, {250, "Netronome Flow Processor"},
    {251, "NEC Vector Engine"}, {252, "C-SKY"}, {253, "Synopsys ARCv2.3 64-bit"},
    {254, "MOS Technology MCS 6502 processor"}, {255, "Synopsys ARCv2.3 32-bit"},
    {256, "Kalray VLIW core of the MPPA processor family"}, {257, "WDC 65816/65C816"},
    {258, "LoongArch"}, {259, "ChipON KungFu32"},
    {0x2530, "Morpho Techologies MT processor"}, {0x9026, "Alpha"}, {0x4157, "Web Assembly"},
    {0x5aa5, "OpenDLX"}, {0xad45, "Sanyo XStormy16 CPU core"}, {0xfeba, "Vitesse IQ2000"},
    {0xfeb0, "Altera Nios"}, {0xfebb, "Altera Nios"}, {0xf00d, "Toshiba MeP Media Engine"},
    {0x1223, "Adapteva EPIPHANY"}, {0x5441, "Fujitsu FR-V"}, {0x4def, "Freescale S12Z"},
};

constexpr unsigned EM_ALPHA_NUMBER = 0x9026;

void append(std::string& s, const char* text) { s += text; }

void decode_arm_flags(uint32_t flags, std::string& buf) {
  unsigned eabi = flags & 0xff000000u;
  bool unknown = false;
  flags &= ~0xff000000u;
  if (flags & 0x01) {  // EF_ARM_RELEXEC
    append(buf, ", relocatable executable");
    flags &= ~0x01u;
  }
  if (flags & 0x20) {  // EF_ARM_PIC
    append(buf, ", position independent");
    flags &= ~0x20u;
  }
  auto each_bit = [&](auto&& name_of) {
    while (flags) {
      uint32_t bit = flags & (0u - flags);
      flags &= ~bit;
      if (const char* n = name_of(bit)) append(buf, n);
      else unknown = true;
    }
  };
  switch (eabi) {
    default:
      append(buf, ", <unrecognized EABI>");
      if (flags) unknown = true;
      break;
    case 0x01000000:
      append(buf, ", Version1 EABI");
      each_bit([](uint32_t b) -> const char* { return b == 0x04 ? ", sorted symbol tables" : nullptr; });
      break;
    case 0x02000000:
      append(buf, ", Version2 EABI");
      each_bit([](uint32_t b) -> const char* {
        switch (b) {
          case 0x04: return ", sorted symbol tables";
          case 0x08: return ", dynamic symbols use segment index";
          case 0x10: return ", mapping symbols precede others";
        }
        return nullptr;
      });
      break;
    case 0x03000000:
      append(buf, ", Version3 EABI");
      break;
    case 0x04000000:
      append(buf, ", Version4 EABI");
      each_bit([](uint32_t b) -> const char* {
        switch (b) {
          case 0x00800000: return ", BE8";
          case 0x00400000: return ", LE8";
        }
        return nullptr;
      });
      break;
    case 0x05000000:
      append(buf, ", Version5 EABI");
      each_bit([](uint32_t b) -> const char* {
        switch (b) {
          case 0x00800000: return ", BE8";
          case 0x00400000: return ", LE8";
          case 0x200: return ", soft-float ABI";
          case 0x400: return ", hard-float ABI";
        }
        return nullptr;
      });
      break;
    case 0:
      append(buf, ", GNU EABI");
      each_bit([](uint32_t b) -> const char* {
        switch (b) {
          case 0x04: return ", interworking enabled";
          case 0x08: return ", uses APCS/26";
          case 0x10: return ", uses APCS/float";
          case 0x20: return ", position independent";
          case 0x40: return ", 8 bit structure alignment";
          case 0x80: return ", uses new ABI";
          case 0x100: return ", uses old ABI";
          case 0x200: return ", software FP";
          case 0x400: return ", VFP";
          case 0x800: return ", Maverick FP";
        }
        return nullptr;
      });
      break;
  }
  if (unknown) append(buf, ", <unknown>");
}

void decode_mips_flags(uint32_t flags, std::string& buf) {
  static constexpr NumberName single_bits[] = {
      {0x1, ", noreorder"}, {0x2, ", pic"}, {0x4, ", cpic"}, {0x10, ", ugen_reserved"},
      {0x20, ", abi2"}, {0x80, ", odk first"}, {0x100, ", 32bitmode"}, {0x400, ", nan2008"},
      {0x200, ", fp64"},
  };
  for (const auto& b : single_bits)
    if (flags & b.number) append(buf, b.name);
  static constexpr NumberName machs[] = {
      {0x00810000, ", 3900"}, {0x00820000, ", 4010"}, {0x00830000, ", 4100"},
      {0x00850000, ", 4650"}, {0x00870000, ", 4120"}, {0x00880000, ", 4111"},
      {0x008a0000, ", sb1"}, {0x008b0000, ", octeon"}, {0x008c0000, ", xlr"},
      {0x008d0000, ", octeon2"}, {0x008e0000, ", octeon3"}, {0x00910000, ", 5400"},
      {0x00920000, ", 5900"}, {0x00930000, ", interaptiv-mr2"}, {0x00980000, ", 5500"},
      {0x00990000, ", 9000"}, {0x00a00000, ", loongson-2e"}, {0x00a10000, ", loongson-2f"},
      {0x00a20000, ", gs464"}, {0x00a30000, ", gs464e"}, {0x00a40000, ", gs264e"},
      {0x00a50000, ", allegrex"},
  };
  uint32_t mach = flags & 0x00ff0000;
  if (mach) {
    const char* n = lookup(machs, mach);
    append(buf, n ? n : ", unknown CPU");
  }
  static constexpr NumberName abis[] = {
      {0x1000, ", o32"}, {0x2000, ", o64"}, {0x3000, ", eabi32"}, {0x4000, ", eabi64"}};
  uint32_t abi = flags & 0xf000;
  if (abi) {
    const char* n = lookup(abis, abi);
    append(buf, n ? n : ", unknown ABI");
  }
  if (flags & 0x08000000) append(buf, ", mdmx");
  if (flags & 0x04000000) append(buf, ", mips16");
  if (flags & 0x02000000) append(buf, ", micromips");
  static constexpr NumberName archs[] = {
      {0x00000000, ", mips1"}, {0x10000000, ", mips2"}, {0x20000000, ", mips3"},
      {0x30000000, ", mips4"}, {0x40000000, ", mips5"}, {0x50000000, ", mips32"},
      {0x60000000, ", mips64"}, {0x70000000, ", mips32r2"}, {0x80000000, ", mips64r2"},
      {0x90000000, ", mips32r6"}, {0xa0000000, ", mips64r6"},
  };
  const char* a = lookup(archs, flags & 0xf0000000);
  append(buf, a ? a : ", unknown ISA");
}

}  // namespace

std::string machine_long_name(unsigned machine) {
  if (const char* n = lookup(kMachines, machine)) return n;
  return format("<unknown>: 0x%llx", machine);
}

std::string osabi_name(unsigned osabi, unsigned machine) {
  static constexpr NumberName names[] = {
      {0, "UNIX - System V"}, {1, "UNIX - HP-UX"}, {2, "UNIX - NetBSD"}, {3, "UNIX - GNU"},
      {6, "UNIX - Solaris"}, {7, "UNIX - AIX"}, {8, "UNIX - IRIX"}, {9, "UNIX - FreeBSD"},
      {10, "UNIX - TRU64"}, {11, "Novell - Modesto"}, {12, "UNIX - OpenBSD"},
      {13, "VMS - OpenVMS"}, {14, "HP - Non-Stop Kernel"}, {15, "AROS"}, {16, "FenixOS"},
      {17, "Nuxi CloudABI"}, {18, "Stratus Technologies OpenVOS"},
  };
  if (const char* n = lookup(names, osabi)) return n;
  if (osabi >= 64) {
    switch (machine) {
      case 224:  // EM_AMDGPU
        if (osabi == 64) return "AMD HSA";
        if (osabi == 65) return "AMD PAL";
        if (osabi == 66) return "AMD Mesa3D";
        break;
      case EM_ARM:
        if (osabi == 97) return "ARM";
        if (osabi == 65) return "ARM FDPIC";
        break;
      case 105: case 0x1059: case 221:  // MSP430 (new and old), Visium
        if (osabi == 255) return "Standalone App";
        break;
      case 140:  // TI C6000
        if (osabi == 64) return "Bare-metal C6000";
        if (osabi == 65) return "Linux C6000";
        break;
    }
  }
  return format("<unknown: %llx>", osabi);
}

std::string elf_class_name(unsigned cls) {
  switch (cls) {
    case ELFCLASSNONE: return "none";
    case ELFCLASS32: return "ELF32";
    case ELFCLASS64: return "ELF64";
  }
  return format("<unknown: %llx>", cls);
}

std::string data_encoding_name(unsigned data) {
  switch (data) {
    case ELFDATANONE: return "none";
    case ELFDATA2LSB: return "2's complement, little endian";
    case ELFDATA2MSB: return "2's complement, big endian";
  }
  return format("<unknown: %llx>", data);
}

std::string machine_flags(uint32_t flags, unsigned machine, unsigned osabi) {
  std::string buf;
  (void)osabi;
  if (flags == 0) return buf;
  switch (machine) {
    case EM_ARM:
      decode_arm_flags(flags, buf);
      break;
    case EM_PPC:
      if (flags & 0x80000000) append(buf, ", emb");
      if (flags & 0x00010000) append(buf, ", relocatable");
      if (flags & 0x00008000) append(buf, ", relocatable-lib");
      break;
    case EM_PPC64:
      if (flags & 3) {
        char abi[] = ", abiv0";
        abi[6] = static_cast<char>(abi[6] + (flags & 3));
        append(buf, abi);
      }
      break;
    case EM_MIPS:
    case 10:  // EM_MIPS_RS3_LE
      decode_mips_flags(flags, buf);
      break;
    case EM_RISCV:
      if (flags & 0x1) append(buf, ", RVC");
      if (flags & 0x8) append(buf, ", RVE");
      if (flags & 0x10) append(buf, ", TSO");
      switch (flags & 0x6) {
        case 0x0: append(buf, ", soft-float ABI"); break;
        case 0x2: append(buf, ", single-float ABI"); break;
        case 0x4: append(buf, ", double-float ABI"); break;
        case 0x6: append(buf, ", quad-float ABI"); break;
      }
      break;
    case EM_SPARCV9:
      if (flags & 0x000100) append(buf, ", v8+");
      if (flags & 0x000200) append(buf, ", ultrasparcI");   // EF_SPARC_SUN_US1
      if (flags & 0x000800) append(buf, ", ultrasparcIII");  // EF_SPARC_SUN_US3
      if (flags & 0x000400) append(buf, ", halr1");          // EF_SPARC_HAL_R1
      if (flags & 0x800000) append(buf, ", ledata");
      if ((flags & 3) == 0) append(buf, ", tso");
      if ((flags & 3) == 1) append(buf, ", pso");
      if ((flags & 3) == 2) append(buf, ", rmo");
      break;
    case EM_S390:
      if (flags & 1) append(buf, ", highgprs");
      break;
    case 258:  // EM_LOONGARCH
      switch (flags & 7) {
        case 1: append(buf, ", SOFT-FLOAT"); break;
        case 2: append(buf, ", SINGLE-FLOAT"); break;
        case 3: append(buf, ", DOUBLE-FLOAT"); break;
      }
      if ((flags & 0xc0) == 0) append(buf, ", OBJ-v0");
      else if ((flags & 0xc0) == 0x40) append(buf, ", OBJ-v1");
      break;
  }
  return buf;
}

std::string segment_type_name(uint64_t type, unsigned machine, unsigned osabi) {
  static constexpr NumberName names[] = {
      {PT_NULL, "NULL"}, {PT_LOAD, "LOAD"}, {PT_DYNAMIC, "DYNAMIC"}, {PT_INTERP, "INTERP"},
      {PT_NOTE, "NOTE"}, {PT_SHLIB, "SHLIB"}, {PT_PHDR, "PHDR"}, {PT_TLS, "TLS"},
      {0x6474e550, "GNU_EH_FRAME"}, {0x6474e551, "GNU_STACK"}, {0x6474e552, "GNU_RELRO"},
      {0x6474e553, "GNU_PROPERTY"}, {0x6474e554, "GNU_SFRAME"},
      {0x65a3dbe5, "OPENBSD_MUTABLE"}, {0x65a3dbe6, "OPENBSD_RANDOMIZE"},
      {0x65a3dbe7, "OPENBSD_WXNEEDED"}, {0x65a41be6, "OPENBSD_BOOTDATA"},
  };
  if (const char* n = lookup(names, type)) return n;
  if (type >= PT_LOPROC && type <= PT_HIPROC) {
    const char* r = nullptr;
    switch (machine) {
      case EM_AARCH64:
        if (type == 0x70000000) r = "AARCH64_ARCHEXT";
        if (type == 0x70000002) r = "AARCH64_MEMTAG_MTE";
        break;
      case EM_ARM:
        if (type == 0x70000001) r = "EXIDX";
        break;
      case EM_MIPS:
      case 10: {
        static constexpr NumberName mips[] = {{0x70000000, "REGINFO"}, {0x70000001, "RTPROC"},
                                              {0x70000002, "OPTIONS"}, {0x70000003, "ABIFLAGS"}};
        r = lookup(mips, type);
        break;
      }
      case EM_PARISC: {
        static constexpr NumberName pa[] = {{0x70000000, "PARISC_ARCHEXT"},
                                            {0x70000001, "PARISC_UNWIND"},
                                            {0x70000002, "PARISC_WEAKORDER"}};
        r = lookup(pa, type);
        break;
      }
      case EM_IA_64:
        if (type == 0x70000000) r = "IA_64_ARCHEXT";
        if (type == 0x70000001) r = "IA_64_UNWIND";
        break;
      case 140:
        if (type == 0x70000000) r = "C6000_PHATTR";
        break;
      case EM_S390:
      case 0xa390:
        if (type == 0x70000000) r = "S390_PGSTE";
        break;
      case EM_RISCV:
        if (type == 0x70000003) r = "RISCV_ATTRIBUTES";
        break;
    }
    if (r) return r;
    return format("LOPROC+%#llx", type - PT_LOPROC);
  }
  if (type >= PT_LOOS && type <= PT_HIOS) {
    if ((osabi == ELFOSABI_GNU || osabi == ELFOSABI_FREEBSD) && type >= 0x6474e555 &&
        type <= 0x6474e555 + 4095)
      return format("GNU_MBIND+%#llx", type - 0x6474e555);
    if (osabi == ELFOSABI_SOLARIS) {
      static constexpr NumberName sun[] = {
          {0x6464e550, "PT_SUNW_UNWIND"}, {0x6474e550, "PT_SUNW_EH_FRAME"},
          {0x6ffffff7, "PT_LOSUNW"}, {0x6ffffffa, "PT_SUNWBSS"}, {0x6ffffffb, "PT_SUNWSTACK"},
          {0x6ffffffc, "PT_SUNWDTRACE"}, {0x6ffffffd, "PT_SUNWCAP"}, {0x6fffffff, "PT_HISUNW"}};
      if (const char* n = lookup(sun, type)) return n;
    }
    return format("LOOS+%#llx", type - PT_LOOS);
  }
  return format("<unknown>: %llx", type);
}

std::string section_type_name(uint32_t type, unsigned machine, unsigned osabi) {
  static constexpr NumberName names[] = {
      {SHT_NULL, "NULL"}, {SHT_PROGBITS, "PROGBITS"}, {SHT_SYMTAB, "SYMTAB"},
      {SHT_STRTAB, "STRTAB"}, {SHT_RELA, "RELA"}, {19, "RELR"}, {SHT_HASH, "HASH"},
      {SHT_DYNAMIC, "DYNAMIC"}, {SHT_NOTE, "NOTE"}, {SHT_NOBITS, "NOBITS"}, {SHT_REL, "REL"},
      {SHT_SHLIB, "SHLIB"}, {SHT_DYNSYM, "DYNSYM"}, {SHT_INIT_ARRAY, "INIT_ARRAY"},
      {SHT_FINI_ARRAY, "FINI_ARRAY"}, {SHT_PREINIT_ARRAY, "PREINIT_ARRAY"},
      {0x6ffffff6, "GNU_HASH"}, {SHT_GROUP, "GROUP"},
      {SHT_SYMTAB_SHNDX, "SYMTAB SECTION INDICES"}, {0x6ffffffd, "VERDEF"},
      {0x6ffffffe, "VERNEED"}, {0x6fffffff, "VERSYM"}, {0x6ffffff0, "VERSYM"},
      {0x6ffffffc, "VERDEF"}, {0x7ffffffd, "AUXILIARY"}, {0x7fffffff, "FILTER"},
      {0x6ffffff7, "GNU_LIBLIST"},
  };
  if (const char* n = lookup(names, type)) return n;
  if (type >= SHT_LOPROC && type <= SHT_HIPROC) {
    const char* r = nullptr;
    switch (machine) {
      case 45: case 93: case 195:  // ARC
        if (type == 0x70000001) r = "ARC_ATTRIBUTES";
        break;
      case EM_MIPS:
      case 10: {
        static constexpr NumberName mips[] = {
            {0x70000000, "MIPS_LIBLIST"}, {0x70000001, "MIPS_MSYM"},
            {0x70000002, "MIPS_CONFLICT"}, {0x70000003, "MIPS_GPTAB"},
            {0x70000004, "MIPS_UCODE"}, {0x70000005, "MIPS_DEBUG"},
            {0x70000006, "MIPS_REGINFO"}, {0x70000007, "MIPS_PACKAGE"},
            {0x70000008, "MIPS_PACKSYM"}, {0x70000009, "MIPS_RELD"},
            {0x7000000b, "MIPS_IFACE"}, {0x7000000c, "MIPS_CONTENT"},
            {0x7000000d, "MIPS_OPTIONS"}, {0x70000010, "MIPS_SHDR"},
            {0x70000011, "MIPS_FDESC"}, {0x70000012, "MIPS_EXTSYM"},
            {0x70000013, "MIPS_DENSE"}, {0x70000014, "MIPS_PDESC"},
            {0x70000015, "MIPS_LOCSYM"}, {0x70000016, "MIPS_AUXSYM"},
            {0x70000017, "MIPS_OPTSYM"}, {0x70000018, "MIPS_LOCSTR"},
            {0x70000019, "MIPS_LINE"}, {0x7000001a, "MIPS_RFDESC"},
            {0x7000001b, "MIPS_DELTASYM"}, {0x7000001c, "MIPS_DELTAINST"},
            {0x7000001d, "MIPS_DELTACLASS"}, {0x7000001e, "MIPS_DWARF"},
            {0x7000001f, "MIPS_DELTADECL"}, {0x70000020, "MIPS_SYMBOL_LIB"},
            {0x70000021, "MIPS_EVENTS"}, {0x70000022, "MIPS_TRANSLATE"},
            {0x70000023, "MIPS_PIXIE"}, {0x70000024, "MIPS_XLATE"},
            {0x70000025, "MIPS_XLATE_DEBUG"}, {0x70000026, "MIPS_WHIRL"},
            {0x70000027, "MIPS_EH_REGION"}, {0x70000028, "MIPS_XLATE_OLD"},
            {0x70000029, "MIPS_PDR_EXCEPTION"}, {0x7000002a, "MIPS_ABIFLAGS"},
            {0x7000002b, "MIPS_XHASH"},
        };
        r = lookup(mips, type);
        break;
      }
      case EM_X86_64:
      case 180: case 181:
        if (type == 0x70000001) r = "X86_64_UNWIND";
        break;
      case EM_AARCH64:
        if (type == 0x70000003) r = "AARCH64_ATTRIBUTES";
        break;
      case EM_ARM: {
        static constexpr NumberName arm[] = {
            {0x70000001, "ARM_EXIDX"}, {0x70000002, "ARM_PREEMPTMAP"},
            {0x70000003, "ARM_ATTRIBUTES"}, {0x70000004, "ARM_DEBUGOVERLAY"},
            {0x70000005, "ARM_OVERLAYSECTION"}};
        r = lookup(arm, type);
        break;
      }
      case EM_RISCV:
        if (type == 0x70000003) r = "RISCV_ATTRIBUTES";
        break;
      case 252:
        if (type == 0x70000001) r = "CSKY_ATTRIBUTES";
        break;
    }
    if (r) return r;
    return format("LOPROC+%#llx", type - SHT_LOPROC);
  }
  if (type >= SHT_LOOS && type <= SHT_HIOS) {
    if (osabi == ELFOSABI_SOLARIS && machine != EM_IA_64) {
      static constexpr NumberName sun[] = {
          {0x6fffffee, "SUNW_ancillary"}, {0x6fffffef, "SUNW_capchain"},
          {0x6ffffff0, "SUNW_capinfo"}, {0x6ffffff1, "SUNW_symsort"},
          {0x6ffffff2, "SUNW_tlssort"}, {0x6ffffff3, "SUNW_LDYNSYM"},
          {0x6ffffff4, "SUNW_dof"}, {0x6ffffff5, "SUNW_cap"}, {0x6ffffff6, "SUNW_SIGNATURE"},
          {0x6ffffff7, "SUNW_ANNOTATE"}, {0x6ffffff8, "SUNW_DEBUGSTR"},
          {0x6ffffff9, "SUNW_DEBUG"}, {0x6ffffffa, "SUNW_move"}, {0x6ffffffb, "SUNW_COMDAT"},
          {0x6ffffffc, "SUNW_syminfo"}, {0x6ffffffd, "SUNW_verdef"},
          {0x6ffffffe, "SUNW_verneed"}, {0x6fffffff, "SUNW_versym"}};
      if (const char* n = lookup(sun, type)) return n;
    } else if (machine != EM_IA_64) {
      switch (type) {
        case 0x6fff4700: return "GNU_INCREMENTAL_INPUTS";
        case 0x6ffffff5: return "GNU_ATTRIBUTES";
        case 0x6ffffff6: return "GNU_HASH";
        case 0x6ffffff7: return "GNU_LIBLIST";
      }
    }
    return format("LOOS+%#llx", type - SHT_LOOS);
  }
  // binutils' user range runs to 0xffffffff (glibc's SHT_HIUSER stops short).
  if (type >= SHT_LOUSER) return format("LOUSER+%#llx", type - SHT_LOUSER);
  return format("%08llx: <unknown>", type);
}

std::string section_flag_letters(uint64_t flags, unsigned machine, unsigned osabi) {
  std::string out;
  while (flags) {
    uint64_t flag = flags & (0 - flags);
    flags &= ~flag;
    switch (flag) {
      case SHF_WRITE: out += 'W'; continue;
      case SHF_ALLOC: out += 'A'; continue;
      case SHF_EXECINSTR: out += 'X'; continue;
      case SHF_MERGE: out += 'M'; continue;
      case SHF_STRINGS: out += 'S'; continue;
      case SHF_INFO_LINK: out += 'I'; continue;
      case SHF_LINK_ORDER: out += 'L'; continue;
      case SHF_OS_NONCONFORMING: out += 'O'; continue;
      case SHF_GROUP: out += 'G'; continue;
      case SHF_TLS: out += 'T'; continue;
      case 0x80000000: out += 'E'; continue;  // SHF_EXCLUDE
      case SHF_COMPRESSED: out += 'C'; continue;
    }
    if ((machine == EM_X86_64 || machine == 180 || machine == 181) && flag == 0x10000000) {
      out += 'l';
    } else if (machine == EM_ARM && flag == 0x20000000) {
      out += 'y';
    } else if (machine == EM_PPC && flag == 0x10000000) {
      out += 'v';
    } else if (flag & SHF_MASKOS) {
      bool gnu = osabi == ELFOSABI_GNU || osabi == ELFOSABI_FREEBSD;
      if (gnu && flag == 0x200000) {  // SHF_GNU_RETAIN
        out += 'R';
      } else if ((gnu || osabi == ELFOSABI_NONE) && flag == 0x01000000) {  // SHF_GNU_MBIND
        out += 'D';
      } else {
        // One letter stands for all OS-specific bits.
        out += 'o';
        flags &= ~uint64_t{SHF_MASKOS};
      }
    } else if (flag & SHF_MASKPROC) {
      // One letter for all processor-specific bits. binutils clears them
      // with a 32-bit mask, which clears bits 32-63 too: no letters follow.
      out += 'p';
      flags &= uint64_t{0x0fffffff};
    } else {
      out += 'x';
    }
  }
  return out;
}

std::string dynamic_type_name(uint64_t tag, unsigned machine, unsigned osabi) {
  static constexpr NumberName names[] = {
      {DT_NULL, "NULL"}, {DT_NEEDED, "NEEDED"}, {DT_PLTRELSZ, "PLTRELSZ"},
      {DT_PLTGOT, "PLTGOT"}, {DT_HASH, "HASH"}, {DT_STRTAB, "STRTAB"}, {DT_SYMTAB, "SYMTAB"},
      {DT_RELA, "RELA"}, {DT_RELASZ, "RELASZ"}, {DT_RELAENT, "RELAENT"}, {DT_STRSZ, "STRSZ"},
      {DT_SYMENT, "SYMENT"}, {DT_INIT, "INIT"}, {DT_FINI, "FINI"}, {DT_SONAME, "SONAME"},
      {DT_RPATH, "RPATH"}, {DT_SYMBOLIC, "SYMBOLIC"}, {DT_REL, "REL"}, {DT_RELSZ, "RELSZ"},
      {DT_RELENT, "RELENT"}, {36, "RELR"}, {35, "RELRSZ"}, {37, "RELRENT"},
      {DT_PLTREL, "PLTREL"}, {DT_DEBUG, "DEBUG"}, {DT_TEXTREL, "TEXTREL"},
      {DT_JMPREL, "JMPREL"}, {DT_BIND_NOW, "BIND_NOW"}, {DT_INIT_ARRAY, "INIT_ARRAY"},
      {DT_FINI_ARRAY, "FINI_ARRAY"}, {DT_INIT_ARRAYSZ, "INIT_ARRAYSZ"},
      {DT_FINI_ARRAYSZ, "FINI_ARRAYSZ"}, {DT_RUNPATH, "RUNPATH"}, {DT_FLAGS, "FLAGS"},
      {DT_PREINIT_ARRAY, "PREINIT_ARRAY"}, {DT_PREINIT_ARRAYSZ, "PREINIT_ARRAYSZ"},
      {DT_SYMTAB_SHNDX, "SYMTAB_SHNDX"}, {0x6ffffdf8, "CHECKSUM"}, {0x6ffffdf9, "PLTPADSZ"},
      {0x6ffffdfa, "MOVEENT"}, {0x6ffffdfb, "MOVESZ"}, {0x6ffffdfc, "FEATURE"},
      {0x6ffffdfd, "POSFLAG_1"}, {0x6ffffdfe, "SYMINSZ"}, {0x6ffffdff, "SYMINENT"},
      {0x6ffffe00, "ADDRRNGLO"}, {0x6ffffefa, "CONFIG"}, {0x6ffffefb, "DEPAUDIT"},
      {0x6ffffefc, "AUDIT"}, {0x6ffffefd, "PLTPAD"}, {0x6ffffefe, "MOVETAB"},
      {0x6ffffeff, "SYMINFO"}, {0x6ffffff0, "VERSYM"}, {0x6ffffef7, "TLSDESC_GOT"},
      {0x6ffffef6, "TLSDESC_PLT"}, {0x6ffffff9, "RELACOUNT"}, {0x6ffffffa, "RELCOUNT"},
      {0x6ffffffb, "FLAGS_1"}, {0x6ffffffc, "VERDEF"}, {0x6ffffffd, "VERDEFNUM"},
      {0x6ffffffe, "VERNEED"}, {0x6fffffff, "VERNEEDNUM"}, {0x7ffffffd, "AUXILIARY"},
      {0x7ffffffe, "USED"}, {0x7fffffff, "FILTER"}, {0x6ffffdf5, "GNU_PRELINKED"},
      {0x6ffffef8, "GNU_CONFLICT"}, {0x6ffffdf6, "GNU_CONFLICTSZ"},
      {0x6ffffef9, "GNU_LIBLIST"}, {0x6ffffdf7, "GNU_LIBLISTSZ"}, {0x6ffffef5, "GNU_HASH"},
      {0x6ffffdf4, "GNU_FLAGS_1"},
  };
  if (const char* n = lookup(names, tag)) return n;
  static constexpr NumberName solaris[] = {
      {0x6000000d, "SUNW_AUXILIARY"}, {0x6000000e, "SUNW_RTLDINF"},
      {0x6000000f, "SUNW_FILTER"}, {0x60000010, "SUNW_CAP"}, {0x60000011, "SUNW_SYMTAB"},
      {0x60000012, "SUNW_SYMSZ"}, {0x60000013, "SUNW_SORTENT"}, {0x60000014, "SUNW_SYMSORT"},
      {0x60000015, "SUNW_SYMSORTSZ"}, {0x60000016, "SUNW_TLSSORT"},
      {0x60000017, "SUNW_TLSSORTSZ"}, {0x60000018, "SUNW_CAPINFO"},
      {0x60000019, "SUNW_STRPAD"}, {0x6000001a, "SUNW_CAPCHAIN"},
      {0x6000001b, "SUNW_LDMACH"}, {0x6000001d, "SUNW_CAPCHAINENT"},
      {0x6000001f, "SUNW_CAPCHAINSZ"}, {0x60000021, "SUNW_PARENT"},
      {0x60000023, "SUNW_ASLR"}, {0x60000025, "SUNW_RELAX"}, {0x60000029, "SUNW_NXHEAP"},
      {0x6000002b, "SUNW_NXSTACK"}, {0x70000001, "SPARC_REGISTER"},
      {0x7ffffffd, "AUXILIARY"}, {0x7ffffffe, "USED"}, {0x7fffffff, "FILTER"},
  };
  if (tag >= DT_LOPROC && tag <= DT_HIPROC) {
    const char* r = nullptr;
    switch (machine) {
      case EM_AARCH64: {
        static constexpr NumberName a64[] = {{0x70000001, "AARCH64_BTI_PLT"},
                                             {0x70000003, "AARCH64_PAC_PLT"},
                                             {0x70000005, "AARCH64_VARIANT_PCS"}};
        r = lookup(a64, tag);
        break;
      }
      case EM_MIPS:
      case 10: {
        static constexpr NumberName mips[] = {
            {0x70000001, "MIPS_RLD_VERSION"}, {0x70000002, "MIPS_TIME_STAMP"},
            {0x70000003, "MIPS_ICHECKSUM"}, {0x70000004, "MIPS_IVERSION"},
            {0x70000005, "MIPS_FLAGS"}, {0x70000006, "MIPS_BASE_ADDRESS"},
            {0x70000007, "MIPS_MSYM"}, {0x70000008, "MIPS_CONFLICT"},
            {0x70000009, "MIPS_LIBLIST"}, {0x7000000a, "MIPS_LOCAL_GOTNO"},
            {0x7000000b, "MIPS_CONFLICTNO"}, {0x70000010, "MIPS_LIBLISTNO"},
            {0x70000011, "MIPS_SYMTABNO"}, {0x70000012, "MIPS_UNREFEXTNO"},
            {0x70000013, "MIPS_GOTSYM"}, {0x70000014, "MIPS_HIPAGENO"},
            {0x70000016, "MIPS_RLD_MAP"}, {0x70000035, "MIPS_RLD_MAP_REL"},
            {0x70000017, "MIPS_DELTA_CLASS"}, {0x70000018, "MIPS_DELTA_CLASS_NO"},
            {0x70000019, "MIPS_DELTA_INSTANCE"}, {0x7000001a, "MIPS_DELTA_INSTANCE_NO"},
            {0x7000001b, "MIPS_DELTA_RELOC"}, {0x7000001c, "MIPS_DELTA_RELOC_NO"},
            {0x7000001d, "MIPS_DELTA_SYM"}, {0x7000001e, "MIPS_DELTA_SYM_NO"},
            {0x70000020, "MIPS_DELTA_CLASSSYM"}, {0x70000021, "MIPS_DELTA_CLASSSYM_NO"},
            {0x70000022, "MIPS_CXX_FLAGS"}, {0x70000023, "MIPS_PIXIE_INIT"},
            {0x70000024, "MIPS_SYMBOL_LIB"}, {0x70000025, "MIPS_LOCALPAGE_GOTIDX"},
            {0x70000026, "MIPS_LOCAL_GOTIDX"}, {0x70000027, "MIPS_HIDDEN_GOTIDX"},
            {0x70000028, "MIPS_PROTECTED_GOTIDX"}, {0x70000029, "MIPS_OPTIONS"},
            {0x7000002a, "MIPS_INTERFACE"}, {0x7000002b, "MIPS_DYNSTR_ALIGN"},
            {0x7000002c, "MIPS_INTERFACE_SIZE"}, {0x7000002d, "MIPS_RLD_TEXT_RESOLVE_ADDR"},
            {0x7000002e, "MIPS_PERF_SUFFIX"}, {0x7000002f, "MIPS_COMPACT_SIZE"},
            {0x70000030, "MIPS_GP_VALUE"}, {0x70000031, "MIPS_AUX_DYNAMIC"},
            {0x70000032, "MIPS_PLTGOT"}, {0x70000034, "MIPS_RWPLT"},
            {0x70000036, "MIPS_XHASH"},
        };
        r = lookup(mips, tag);
        break;
      }
      case EM_SPARCV9:
        if (tag == 0x70000001) r = "SPARC_REGISTER";
        break;
      case EM_PPC:
        if (tag == 0x70000000) r = "PPC_GOT";
        if (tag == 0x70000001) r = "PPC_OPT";
        break;
      case EM_PPC64: {
        static constexpr NumberName p64[] = {{0x70000000, "PPC64_GLINK"},
                                             {0x70000001, "PPC64_OPD"},
                                             {0x70000002, "PPC64_OPDSZ"},
                                             {0x70000003, "PPC64_OPT"}};
        r = lookup(p64, tag);
        break;
      }
      case EM_ALPHA_NUMBER:
        if (tag == 0x70000000) r = "ALPHA_PLTRO";
        break;
      case EM_RISCV:
        if (tag == 0x70000001) r = "RISCV_VARIANT_CC";
        break;
      case EM_IA_64:
        if (tag == 0x70000000) r = "IA_64_PLT_RESERVE";
        break;
      default:
        if (osabi == ELFOSABI_SOLARIS) r = lookup(solaris, tag);
        break;
    }
    if (r) return r;
    return format("Processor Specific: %llx", tag);
  }
  if ((tag >= 0x6000000d && tag <= 0x6ffff000) ||
      (machine == EM_PARISC && tag >= 0x60000000 && tag <= 0x6fffffff)) {
    if (machine != EM_PARISC && machine != EM_IA_64 && osabi == ELFOSABI_SOLARIS)
      if (const char* n = lookup(solaris, tag)) return n;
    return format("Operating System specific: %llx", tag);
  }
  return format("<unknown>: %llx", tag);
}

std::string symbol_type_name(unsigned type, unsigned machine, unsigned osabi) {
  switch (type) {
    case STT_NOTYPE: return "NOTYPE";
    case STT_OBJECT: return "OBJECT";
    case STT_FUNC: return "FUNC";
    case STT_SECTION: return "SECTION";
    case STT_FILE: return "FILE";
    case STT_COMMON: return "COMMON";
    case STT_TLS: return "TLS";
    case 8: return "RELC";
    case 9: return "SRELC";
  }
  if (type >= STT_LOPROC && type <= STT_HIPROC) {
    if (machine == EM_ARM && type == 13) return "THUMB_FUNC";
    if (machine == EM_SPARCV9 && type == 13) return "REGISTER";
    if (machine == EM_PARISC && type == 13) return "PARISC_MILLI";
    return format("<processor specific>: %lld", type);
  }
  if (type >= STT_LOOS && type <= STT_HIOS) {
    if (machine == EM_PARISC) {
      if (type == 11) return "HP_OPAQUE";
      if (type == 12) return "HP_STUB";
    }
    if (type == STT_GNU_IFUNC && (osabi == ELFOSABI_GNU || osabi == ELFOSABI_FREEBSD))
      return "IFUNC";
    return format("<OS specific>: %lld", type);
  }
  return format("<unknown>: %lld", type);
}

std::string symbol_binding_name(unsigned binding, unsigned osabi) {
  switch (binding) {
    case STB_LOCAL: return "LOCAL";
    case STB_GLOBAL: return "GLOBAL";
    case STB_WEAK: return "WEAK";
  }
  if (binding >= STB_LOPROC && binding <= STB_HIPROC)
    return format("<processor specific>: %lld", binding);
  if (binding >= STB_LOOS && binding <= STB_HIOS) {
    if (binding == STB_GNU_UNIQUE && osabi == ELFOSABI_GNU) return "UNIQUE";
    return format("<OS specific>: %lld", binding);
  }
  return format("<unknown>: %lld", binding);
}

std::string symbol_visibility_name(unsigned visibility) {
  switch (visibility) {
    case STV_DEFAULT: return "DEFAULT";
    case STV_INTERNAL: return "INTERNAL";
    case STV_HIDDEN: return "HIDDEN";
    case STV_PROTECTED: return "PROTECTED";
  }
  return "<unknown>";
}

std::string symbol_other_name(unsigned other, unsigned machine) {
  if (other == 0) return "";
  switch (machine) {
    case EM_ALPHA_NUMBER:
      if (other == 0x80) return "NOPV";
      if (other == 0x88) return "STD GPLOAD";
      return "<unknown>";
    case EM_AARCH64:
      if (other & 0x80) {
        other &= ~0x80u;
        if (other == 0) return "VARIANT_PCS";
        return format("VARIANT_PCS | %llx", other);
      }
      break;
    case EM_MIPS: {
      static constexpr NumberName mips[] = {{0x04, "OPTIONAL"}, {0x08, "MIPS PLT"},
                                            {0x20, "MIPS PIC"}, {0x80, "MICROMIPS"},
                                            {0xa0, "MICROMIPS, MIPS PIC"}, {0xf0, "MIPS16"}};
      if (const char* n = lookup(mips, other)) return n;
      break;
    }
    case EM_PPC64:
      if ((other & ~0xe0u) == 0) {
        unsigned v = other >> 5;
        if (v <= 6) {
          if (v >= 2) v = ((1u << v) >> 2) << 2;
          return format("<localentry>: %lld", v);
        }
      }
      break;
    case EM_RISCV: {
      std::string buf;
      if (other & 0x80) {
        buf += " VARIANT_CC";
        other &= ~0x80u;
      }
      if (other != 0) buf = format(" %llx", other);
      return buf.empty() ? buf : buf.substr(1);
    }
  }
  return format("<other>: %llx", other);
}

std::string symbol_index_name(uint32_t index, unsigned machine, unsigned osabi, uint64_t shnum) {
  // `index` is widened as readelf holds it (see widen_section_index).
  switch (index) {
    case SHN_UNDEF: return "UND";
    case 0xfffffff1: return "ABS";
    case 0xfffffff2: return "COM";
  }
  if (index == 0xffffff00 && machine == EM_IA_64 && osabi == ELFOSABI_HPUX) return "ANSI_COM";
  if ((machine == EM_X86_64 || machine == 180 || machine == 181) && index == 0xffffff02)
    return "LARGE_COM";
  if ((index == 0xffffff03 && machine == EM_MIPS) || (index == 0xffffff00 && machine == 140))
    return "SCOM";
  if (index == 0xffffff04 && machine == EM_MIPS) return "SUND";
  if (index >= 0xffffff00 && index <= 0xffffff1f) return format("PRC[0x%04llx]", index & 0xffff);
  if (index >= 0xffffff20 && index <= 0xffffff3f) return format("OS [0x%04llx]", index & 0xffff);
  if (index >= 0xffffff00) return format("RSV[0x%04llx]", index & 0xffff);
  if (shnum != 0 && index >= shnum) return format("bad section index[%3lld]", index);
  return format("%3lld", index);
}

}  // namespace linkbox::elf::readelf
