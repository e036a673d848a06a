// CFLAGS: -pthread
// LDFLAGS: -pthread
// C11 _Thread_local and __thread with pthreads: initialized (.tdata) and
// zero-initialized (.tbss) variables, arrays, addresses taken, and a pthread
// key destructor.
#include <pthread.h>
#include <stdio.h>
#include <string.h>

_Thread_local int counter = 10;
_Thread_local char name[32];
__thread long big_tbss[512];
static _Thread_local int static_tl = 3;
static pthread_key_t key;
static int destructor_runs;

static void key_dtor(void* p) { (void)p; __atomic_add_fetch(&destructor_runs, 1, __ATOMIC_SEQ_CST); }

struct result { int counter, static_tl; long tbss_sum; char name[32]; int distinct; };
static struct result results[3];

static void* thread_main(void* arg) {
  int id = (int)(long)arg;
  counter += id * 100;
  static_tl *= id + 2;
  for (int i = 0; i < 512; i++) big_tbss[i] += i * id;
  snprintf(name, sizeof name, "thread-%d", id);
  pthread_setspecific(key, &counter);
  struct result* r = &results[id];
  r->counter = counter;
  r->static_tl = static_tl;
  long s = 0;
  for (int i = 0; i < 512; i++) s += big_tbss[i];
  r->tbss_sum = s;
  strcpy(r->name, name);
  r->distinct = pthread_getspecific(key) == &counter;
  return NULL;
}

int main(void) {
  pthread_key_create(&key, key_dtor);
  pthread_t t[3];
  for (long i = 0; i < 3; i++) pthread_create(&t[i], NULL, thread_main, (void*)i);
  for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < 3; i++)
    printf("%s counter=%d static_tl=%d tbss_sum=%ld key_ok=%d\n", results[i].name, results[i].counter,
           results[i].static_tl, results[i].tbss_sum, results[i].distinct);
  printf("main counter=%d static_tl=%d name='%s' destructors=%d\n", counter, static_tl, name, destructor_runs);
  return 0;
}
