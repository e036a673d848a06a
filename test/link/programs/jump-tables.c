// Switch statements compiled to jump tables (absolute entries in non-PIC
// code, relative ones in PIC) and computed goto with a static table of label
// addresses (&&label), which needs relocations in position-independent code.
#include <stdio.h>

__attribute__((noinline)) static int dense_switch(int x) {
  switch (x) {
    case 0: return 11; case 1: return 23; case 2: return 37; case 3: return 41;
    case 4: return 53; case 5: return 67; case 6: return 71; case 7: return 89;
    case 8: return 97; case 9: return 101; case 10: return 113; case 11: return 127;
    default: return -1;
  }
}

__attribute__((noinline)) static const char* string_switch(unsigned x) {
  switch (x % 9) {
    case 0: return "zero"; case 1: return "one"; case 2: return "two"; case 3: return "three";
    case 4: return "four"; case 5: return "five"; case 6: return "six"; case 7: return "seven";
    default: return "eight";
  }
}

__attribute__((noinline)) static int interpret(const unsigned char* code) {
  static void* const dispatch[] = {&&op_halt, &&op_inc, &&op_dbl, &&op_neg, &&op_add5};
  int acc = 0;
  goto *dispatch[*code];
op_inc: acc += 1; goto *dispatch[*++code];
op_dbl: acc *= 2; goto *dispatch[*++code];
op_neg: acc = -acc; goto *dispatch[*++code];
op_add5: acc += 5; goto *dispatch[*++code];
op_halt: return acc;
}

int main(void) {
  int s = 0;
  for (int i = -1; i < 14; i++) s = s * 3 + dense_switch(i);
  printf("dense switch fold: %d\n", s);
  for (unsigned i = 0; i < 10; i++) printf("%s%s", string_switch(i * 5), i < 9 ? " " : "\n");
  const unsigned char prog[] = {1, 1, 2, 4, 3, 2, 1, 0};
  printf("interpreter result: %d\n", interpret(prog));
  return 0;
}
