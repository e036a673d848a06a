// Variadic functions: va_arg of mixed types, va_copy, vsnprintf, and printf
// positional arguments.
#include <stdarg.h>
#include <stdio.h>

static double sum(int count, ...) {
  va_list ap, again;
  va_start(ap, count);
  va_copy(again, ap);
  double total = 0;
  for (int i = 0; i < count; i++) total += va_arg(ap, double);
  double first = count ? va_arg(again, double) : 0;
  va_end(again);
  va_end(ap);
  return total + first * 0;
}

static int mixed(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int total = 0;
  for (const char* p = fmt; *p; p++) {
    switch (*p) {
      case 'i': total += va_arg(ap, int); break;
      case 'l': total += (int)va_arg(ap, long); break;
      case 'd': total += (int)va_arg(ap, double); break;
      case 's': for (const char* s = va_arg(ap, const char*); *s; s++) total++; break;
    }
  }
  va_end(ap);
  return total;
}

static void logf_(char* out, size_t n, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out, n, fmt, ap);
  va_end(ap);
}

int main(void) {
  printf("sum=%.2f\n", sum(5, 1.5, 2.5, 3.0, 4.0, 0.25));
  printf("mixed=%d\n", mixed("ildsi", 1, 2L, 3.9, "four", 5));
  char buf[64];
  logf_(buf, sizeof buf, "[%s:%d:%05.1f]", "tag", 7, 3.14159);
  printf("%s\n", buf);
  printf("%2$s %1$s %3$d\n", "world", "hello", 2024);
  // More arguments than registers: some are passed on the stack.
  printf("%d %d %d %d %d %d %d %d %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f\n", 1, 2, 3, 4, 5, 6, 7, 8, 1.0,
         2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
  return 0;
}
