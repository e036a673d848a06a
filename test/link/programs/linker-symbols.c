// Symbols the linker defines: __ehdr_start (the ELF header is mapped),
// __executable_start, etext/edata/end and their order, __bss_start, and
// _DYNAMIC (weak: null in a static non-PIE executable). Only relations are
// printed, never addresses.
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

extern const ElfW(Ehdr) __ehdr_start;
extern const char __executable_start[];
extern const char etext[], edata[], end[], __bss_start[];
extern ElfW(Dyn) _DYNAMIC[] __attribute__((weak));

static int some_bss[100];
int some_data = 5;

int main(void) {
  printf("ehdr magic ok: %d class64: %d\n", memcmp(__ehdr_start.e_ident, ELFMAG, SELFMAG) == 0, __ehdr_start.e_ident[EI_CLASS] == ELFCLASS64);
  printf("e_type: %s\n", __ehdr_start.e_type == ET_EXEC ? "EXEC" : __ehdr_start.e_type == ET_DYN ? "DYN" : "other");
  printf("executable_start == ehdr_start: %d\n", (const void*)__executable_start == (const void*)&__ehdr_start);
  printf("main in text: %d\n", (const char*)main >= __executable_start && (const char*)main < etext);
  printf("etext <= edata <= __bss_start <= end: %d %d %d\n", etext <= edata, edata <= __bss_start, __bss_start <= end);
  printf("some_data below edata: %d, some_bss between bss_start and end: %d\n", (const char*)&some_data < edata,
         (const char*)some_bss >= __bss_start && (const char*)(some_bss + 100) <= end);
  printf("phnum>0: %d phentsize ok: %d\n", __ehdr_start.e_phnum > 0, __ehdr_start.e_phentsize == sizeof(ElfW(Phdr)));
  int have_dynamic = _DYNAMIC != NULL;
  int dt_count = 0;
  if (have_dynamic)
    for (ElfW(Dyn)* d = _DYNAMIC; d->d_tag != DT_NULL; d++) dt_count += d->d_tag == DT_NULL ? 0 : 1;
  printf("_DYNAMIC present: %d, has entries: %d\n", have_dynamic, dt_count > 0);
  return 0;
}
