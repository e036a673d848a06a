// SKIP: static static-pie: dlopen of a system library needs the dynamic loader
// LINK: -ldl
// dlopen a system library and look up functions and data with dlsym.
#include <dlfcn.h>
#include <stdio.h>

int main(void) {
  void* h = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    printf("dlopen failed: %s\n", dlerror());
    return 1;
  }
  double (*cosp)(double) = (double (*)(double))dlsym(h, "cos");
  double (*powp)(double, double) = (double (*)(double, double))dlsym(h, "pow");
  int* signgamp = (int*)dlsym(h, "signgam");
  printf("cos(0)=%.6f cos(1)=%.6f pow(2,10)=%.1f\n", cosp(0.0), cosp(1.0), powp(2.0, 10.0));
  printf("signgam found: %d\n", signgamp != NULL);
  dlerror();
  void* none = dlsym(h, "no_such_symbol_in_libm");
  printf("missing symbol: %s, error set: %d\n", none ? "found?!" : "null", dlerror() != NULL);
  void* h2 = dlopen("libm.so.6", RTLD_NOLOAD | RTLD_NOW);
  printf("already loaded: %d\n", h2 != NULL);
  if (h2) dlclose(h2);
  printf("dlclose: %d\n", dlclose(h));
  void* bad = dlopen("libdoes-not-exist.so.9", RTLD_NOW);
  printf("missing library: %s\n", bad ? "loaded?!" : "null");
  return 0;
}
