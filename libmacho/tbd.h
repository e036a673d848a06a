// Text-based dylib stubs (.tbd): the YAML (versions 1 to 4) or JSON
// (version 5) files that SDKs ship instead of dylibs. An SDK has
// usr/lib/libSystem.tbd where a Mac has /usr/lib/libSystem.B.dylib (in the
// dyld shared cache), and linkbox ldd uses the stub to stand in for the dylib.
//
// Only what the dyld search needs is read: each library's install name,
// architectures, versions and re-exported libraries. The parser is linkbox's
// own: a YAML subset (block maps and sequences, flow [ ] and { }, plain and
// quoted scalars, comments, several documents), which also reads JSON, and
// it returns an Error naming the line for anything else.
//
// Where each version keeps the re-exported libraries:
//   v1, v2 (--- !tapi-tbd-v2), v3 (--- !tapi-tbd-v3):
//     exports: [ { archs: [...], re-exports: [ NAME, ... ] }, ... ]
//   v4 (--- !tapi-tbd, tbd-version: 4):
//     reexported-libraries: [ { targets: [ arm64-macos, ... ], libraries: [ ... ] } ]
//   v5 (JSON, "tapi_tbd_version": 5):
//     "reexported_libraries": [ { "targets": [...], "names": [...] } ]
// A v4 or v5 file may carry several libraries: the first is the file's own
// and the others are "inlined" (libSystem's umbrella stub holds its
// /usr/lib/system/ libraries this way).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libformat/expected.h"

namespace linkbox::macho {

struct TbdReexport {
  std::string name;
  // The architectures it is re-exported for ("x86_64", "arm64"...); empty
  // for all.
  std::vector<std::string> archs;
};

struct TbdLibrary {
  int tbd_version = 0;  // 1 to 5
  std::string install_name;
  std::string current_version;        // as written, "" when absent
  std::string compatibility_version;
  // Architectures: v1-v3 `archs`, v4 and v5 the architecture part of each
  // target ("arm64" of "arm64-macos").
  std::vector<std::string> archs;
  std::vector<std::string> platforms;  // v1-v3 `platform`, the rest of each target
  std::vector<TbdReexport> reexports;
  size_t line = 0;  // where the library's document starts (1-based; 0 for JSON)

  bool has_arch(std::string_view arch) const;
  // The libraries re-exported for `arch`, in file order, without repeats.
  std::vector<std::string> reexports_for(std::string_view arch) const;
};

struct TbdFile {
  // libraries[0] is the file's own; the others are inlined.
  std::vector<TbdLibrary> libraries;
};

// True when the bytes look like a text-based stub: a YAML document marker
// with a tapi tag (or a v1 stub's "---" and "archs:"), or a JSON object with
// "tapi_tbd_version".
bool looks_like_tbd(std::span<const uint8_t> bytes);

// Parses a .tbd file. Errors name `path` and, for YAML, the line.
Expected<TbdFile> parse_tbd(std::string_view text, const std::string& path);

}  // namespace linkbox::macho
