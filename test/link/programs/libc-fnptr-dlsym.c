// SKIP: static static-pie: dlsym(RTLD_DEFAULT) needs the dynamic loader
// LINK: -ldl
// The address of a libc function taken in the program must be the one the
// dynamic loader gives everybody else (canonical PLT entry in a non-PIE
// executable): compare with dlsym(RTLD_DEFAULT) and with a pointer libc itself
// returns for the same function.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int (*data_puts)(const char*) = puts;
void* (*data_memcpy)(void*, const void*, size_t) = memcpy;

int main(void) {
  void* d_puts = dlsym(RTLD_DEFAULT, "puts");
  void* d_strlen = dlsym(RTLD_DEFAULT, "strlen");
  void* d_memcpy = dlsym(RTLD_DEFAULT, "memcpy");
  void* d_atoi = dlsym(RTLD_DEFAULT, "atoi");
  printf("dlsym(puts)==puts: %d\n", d_puts == (void*)puts);
  printf("dlsym(puts)==data_puts: %d\n", d_puts == (void*)data_puts);
  printf("dlsym(strlen)==strlen: %d\n", d_strlen == (void*)strlen);
  printf("dlsym(memcpy)==data_memcpy: %d\n", d_memcpy == (void*)data_memcpy);
  printf("dlsym(atoi)==atoi: %d\n", d_atoi == (void*)atoi);
  Dl_info info;
  int ok = dladdr((void*)strlen, &info);
  printf("dladdr(strlen) found: %d\n", ok != 0);
  ((int (*)(const char*))d_puts)("called through dlsym pointer");
  printf("atoi via dlsym: %d\n", ((int (*)(const char*))d_atoi)("1234"));
  return 0;
}
