// printf of floating point: %f %e %g %a, rounding, huge/tiny values,
// inf/nan, long double, and snprintf truncation.
#include <float.h>
#include <math.h>
#include <stdio.h>

int main(void) {
  double vals[] = {0.0, -0.0, 1.0, 0.1, 2.5, 3.14159265358979, 1e300, 1e-300, 123456789.125, DBL_MAX, DBL_MIN, DBL_TRUE_MIN};
  for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++)
    printf("%.3f | %.10e | %g | %a\n", vals[i], vals[i], vals[i], vals[i]);
  printf("rounding: %.0f %.0f %.0f %.1f %.2f\n", 0.5, 1.5, 2.5, 0.05, 1.005);
  printf("special: %f %f %f %e\n", INFINITY, -INFINITY, NAN, -NAN);
  long double ld = 1.0L / 3.0L;
  printf("long double: %.20Lf %Le %La\n", ld, LDBL_MAX, ld);
  printf("float promoted: %.9g\n", (double)(1.0f / 3.0f));
  char small[8];
  int n = snprintf(small, sizeof small, "%.6f", 3.14159265);
  printf("snprintf truncated '%s' wanted %d\n", small, n);
  printf("widths: [%10.4f] [%-10.2e] [%+g] [% g] [%#g] [%010.3f]\n", 3.14159, 2718.28, 1.5, 2.5, 1.0, -3.5);
  return 0;
}
