// LINK: -lm
// libm with double and long double functions; results printed with full
// precision (the same libm is used by both links).
#include <math.h>
#include <stdio.h>

int main(void) {
  volatile double x = 0.7;
  volatile long double lx = 0.7L;
  printf("sin=%.17g cos=%.17g tan=%.17g\n", sin(x), cos(x), tan(x));
  printf("exp=%.17g log=%.17g pow=%.17g\n", exp(x), log(x), pow(x, 3.3));
  printf("sqrtl=%.21Lg expl=%.21Lg logl=%.21Lg\n", sqrtl(lx), expl(lx), logl(lx));
  printf("powl=%.21Lg atan2l=%.21Lg\n", powl(lx, 2.5L), atan2l(lx, 1.1L));
  double lg = lgamma(-0.5);
  printf("lgamma(-0.5)=%.17g signgam=%d tgamma(5)=%.17g\n", lg, signgam, tgamma(5.0));
  printf("fma=%.17g hypot=%.17g cbrt=%.17g\n", fma(x, 2.0, 1.0), hypot(3.0, 4.0), cbrt(27.0));
  printf("floor/ceil/round/trunc: %g %g %g %g\n", floor(-2.5), ceil(-2.5), round(-2.5), trunc(-2.5));
  printf("nextafter=%a ldexp=%g frexp exp=", nextafter(1.0, 2.0), ldexp(0.75, 4));
  int e;
  double m = frexp(48.0, &e);
  printf("%d mant=%g\n", e, m);
  printf("isnan(sqrt(-1))=%d isinf(1/0)=%d\n", isnan(sqrt(-1.0 * x)), isinf(1.0 / (x - x)));
  return 0;
}
