// CFLAGS: -fmerge-all-constants
// String literals and constants in mergeable sections (SHF_MERGE|SHF_STRINGS):
// identical and suffix-sharing strings in several functions must keep their
// contents when the linker merges or tail-merges them, and relocations with
// addends into merged strings must point at the right bytes.
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static const char* s1(void) { return "shared literal"; }
__attribute__((noinline)) static const char* s2(void) { return "shared literal"; }
__attribute__((noinline)) static const char* suffix(void) { return "literal"; }
__attribute__((noinline)) static const char* longer(void) { return "a much longer shared literal"; }
static const char* const table[] = {"alpha", "beta", "alphabet", "bet", "et", ""};
static const char* const offsets[] = {"0123456789" + 3, "abcdef" + 5};
static const double constants[] = {1.5, 2.5, 1.5};
static const char wide_dup1[] = "not merged: array";

int main(void) {
  printf("%s|%s|%s|%s\n", s1(), s2(), suffix(), longer());
  printf("equal contents: %d %d\n", strcmp(s1(), s2()) == 0, strcmp(longer() + 21, suffix()) == 0);
  for (int i = 0; i < 6; i++) printf("[%s]", table[i]);
  printf("\noffsets: %s %s\n", offsets[0], offsets[1]);
  printf("constants: %.1f %.1f %.1f\n", constants[0], constants[1], constants[2]);
  printf("%s %zu\n", wide_dup1, sizeof wide_dup1);
  const char* p = "xyz%d\n";
  printf(p, 42);
  return 0;
}
