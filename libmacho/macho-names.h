// Names for Mach-O numbers beyond those declared in macho-file.h, for the
// printers (readdyn, otool): file types, platforms, build tools, header flags
// and UUIDs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace linkbox::macho {

// "executable", "dylib", "bundle", "object", ... (text); "execute", "dylib",
// "bundle", "object", ... as the MH_ names without the prefix, lower case (JSON).
std::string filetype_text(uint32_t filetype);
std::string filetype_key(uint32_t filetype);
// "macos", "ios", "tvos", "watchos", "bridgeos", "maccatalyst",
// "iossimulator", ..., "driverkit", or "platform N".
std::string platform_name(uint32_t platform);
// The platform a LC_VERSION_MIN_* command implies.
uint32_t version_min_platform(uint32_t cmd);
// "clang", "swift", "ld", "lld", or "tool N".
std::string build_tool_name(uint32_t tool);
// The names of the header flags that are set ("NOUNDEFS", "DYLDLINK", ...),
// in bit order; unnamed bits as hex.
std::vector<std::string> header_flag_names(uint32_t flags);
// "4C4C44F6-5555-3144-A1B3-0123456789AB", as otool and dwarfdump print it.
std::string format_uuid(const std::array<uint8_t, 16>& uuid);
// "r-x" for VM_PROT_READ|VM_PROT_EXECUTE.
std::string protection_text(uint32_t prot);

}  // namespace linkbox::macho
