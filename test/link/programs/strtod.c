// strtod/strtof/strtold and strtol family: decimal, hex floats, inf/nan,
// end pointers, bases, and sscanf.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  const char* inputs[] = {"3.25", "  -1e-5xyz", "0x1.8p3", "inf", "-nan", "1e400", "4.9e-324", ".5e+2", "abc", "123456789012345678901234567890"};
  for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    char* end;
    double d = strtod(inputs[i], &end);
    printf("strtod(\"%s\") = %.17g, consumed %d\n", inputs[i], d, (int)(end - inputs[i]));
  }
  printf("strtof(0.1)=%.9g strtold(0.1)=%.21Lg\n", (double)strtof("0.1", NULL), strtold("0.1", NULL));
  char* end;
  long hex = strtol("0x7fz", &end, 16);
  printf("strtol(\"0x7fz\",16)=%ld rest=%s\n", hex, end);
  printf("strtol(\"0755\",0)=%ld strtoul(\"-1\")=%lu strtoll(\"z\",36)=%lld\n", strtol("0755", NULL, 0), strtoul("-1", NULL, 10), strtoll("z", NULL, 36));
  int a; double b; char w[16];
  int n = sscanf("42 2.5e1 word", "%d %lf %15s", &a, &b, w);
  printf("sscanf: n=%d a=%d b=%g w=%s\n", n, a, b, w);
  printf("atof=%g atoi=%d atol=%ld\n", atof("6.02e23"), atoi("-17abc"), atol("  99"));
  return 0;
}
