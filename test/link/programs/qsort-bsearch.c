// qsort and bsearch with callbacks defined in the program and called from
// libc, including a comparator passed through a table of function pointers.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item { const char* name; int weight; };

static int by_weight(const void* a, const void* b) {
  const struct item *x = a, *y = b;
  return (x->weight > y->weight) - (x->weight < y->weight);
}
static int by_name(const void* a, const void* b) {
  return strcmp(((const struct item*)a)->name, ((const struct item*)b)->name);
}
static int cmp_int_desc(const void* a, const void* b) { return *(const int*)b - *(const int*)a; }

static int (*const comparators[])(const void*, const void*) = {by_weight, by_name};
static const char* const comparator_names[] = {"weight", "name"};

int main(void) {
  struct item items[] = {{"pear", 5}, {"apple", 3}, {"fig", 9}, {"kiwi", 1}, {"banana", 7}, {"date", 4}};
  size_t n = sizeof items / sizeof items[0];
  for (int c = 0; c < 2; c++) {
    qsort(items, n, sizeof items[0], comparators[c]);
    printf("by %s:", comparator_names[c]);
    for (size_t i = 0; i < n; i++) printf(" %s(%d)", items[i].name, items[i].weight);
    printf("\n");
  }
  struct item key = {"fig", 0};
  struct item* hit = bsearch(&key, items, n, sizeof items[0], by_name);
  printf("bsearch fig: %s weight=%d\n", hit ? hit->name : "none", hit ? hit->weight : -1);
  key.name = "grape";
  printf("bsearch grape: %s\n", bsearch(&key, items, n, sizeof items[0], by_name) ? "found" : "none");
  int nums[1000];
  unsigned s = 1;
  for (int i = 0; i < 1000; i++) { s = s * 1664525u + 1013904223u; nums[i] = (int)(s >> 8) % 100000; }
  qsort(nums, 1000, sizeof nums[0], cmp_int_desc);
  long check = 0;
  for (int i = 0; i < 1000; i++) check = check * 31 + nums[i];
  printf("sorted desc: first=%d last=%d check=%ld\n", nums[0], nums[999], check);
  return 0;
}
