// The words readelf prints for ELF numbers: machines, OS ABIs, segment,
// section, dynamic-tag, symbol and note types, and flag letters. Each
// function answers exactly as binutils 2.40's readelf does, including its
// "<unknown>: N" fallbacks, because the output must match byte for byte.
#pragma once

#include <cstdint>
#include <string>

namespace linkbox::elf::readelf {

std::string machine_long_name(unsigned machine);
std::string osabi_name(unsigned osabi, unsigned machine);
std::string elf_class_name(unsigned cls);
std::string data_encoding_name(unsigned data);
// ", flag, flag" text after e_flags; empty when nothing is decoded.
std::string machine_flags(uint32_t flags, unsigned machine, unsigned osabi);

std::string segment_type_name(uint64_t type, unsigned machine, unsigned osabi);
std::string section_type_name(uint32_t type, unsigned machine, unsigned osabi);
// The letters of the "Flg" column.
std::string section_flag_letters(uint64_t flags, unsigned machine, unsigned osabi);
std::string dynamic_type_name(uint64_t tag, unsigned machine, unsigned osabi);

std::string symbol_type_name(unsigned type, unsigned machine, unsigned osabi);
std::string symbol_binding_name(unsigned binding, unsigned osabi);
std::string symbol_visibility_name(unsigned visibility);
std::string symbol_other_name(unsigned other, unsigned machine);
// The "Ndx" column; `shnum` is the number of sections (0 when unknown).
std::string symbol_index_name(uint32_t index, unsigned machine, unsigned osabi, uint64_t shnum);

// Relocation type names, or nullptr where readelf prints "unrecognized".
const char* relocation_type_name(unsigned machine, uint32_t type, uint32_t e_flags, unsigned osabi);

}  // namespace linkbox::elf::readelf
