// Initialized data that holds addresses: pointers to data, functions, string
// literals, array elements with addends (including one past the end), struct
// members, nested pointer chains, and 32-bit differences between symbols.
#include <stddef.h>
#include <stdio.h>

struct point { int x, y; };
struct node { const char* label; struct node* next; int (*fn)(int); const int* value; };

static int inc(int x) { return x + 1; }
static int dec(int x) { return x - 1; }

int numbers[10] = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90};
static struct point points[3] = {{1, 2}, {3, 4}, {5, 6}};
int* const middle = &numbers[5];
int* const past_end = numbers + 10;
int* const* const chain = &middle;
static int* const* const* const chain2 = &chain;
static const int* const py = &points[2].y;
extern struct node n1;
struct node n2 = {"second", &n1, dec, &numbers[9]};
struct node n1 = {"first", &n2, inc, &numbers[1]};
static const char* const words[] = {"zero", "one", "two"};
static const char* const* const word_ptr = &words[2];
static char text[] = "mutable text";
static char* const text_tail = text + 8;
// A position-independent table of 32-bit offsets between two symbols.
static const int offsets[] = {(int)((const char*)&points[1] - (const char*)points), (int)offsetof(struct node, fn)};

int main(void) {
  printf("*middle=%d past_end-numbers=%d **chain=%d ***chain2=%d\n", *middle, (int)(past_end - numbers), **chain, ***chain2);
  printf("*py=%d\n", *py);
  const struct node* n = &n1;
  for (int i = 0; i < 4; i++, n = n->next) printf("%s: fn(%d)=%d ", n->label, *n->value, n->fn(*n->value));
  printf("\n*word_ptr=%s words[0]=%s\n", *word_ptr, words[0]);
  text_tail[0] = 'T';
  printf("text=%s tail=%s\n", text, text_tail);
  printf("offsets: %d %d\n", offsets[0], offsets[1]);
  numbers[5] = 555;
  printf("*middle after store: %d\n", *middle);
  return 0;
}
