// CFLAGS: -pthread
// LDFLAGS: -pthread
// POSIX threads in C: mutex, condition variable hand-off in a fixed order,
// pthread_once, barriers, rwlocks, and thread return values.
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn;
static char log_[64];
static int log_len;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_barrier_t barrier;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int shared = 100;

static void init_once(void) { once_runs++; }

static void* worker(void* arg) {
  int id = (int)(long)arg;
  pthread_once(&once, init_once);
  pthread_barrier_wait(&barrier);
  for (int round = 0; round < 3; round++) {
    pthread_mutex_lock(&mu);
    while (turn % 4 != id) pthread_cond_wait(&cv, &mu);
    log_[log_len++] = (char)('A' + id);
    turn++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
  }
  pthread_rwlock_rdlock(&rw);
  int seen = shared;
  pthread_rwlock_unlock(&rw);
  return (void*)(long)(seen + id);
}

int main(void) {
  pthread_barrier_init(&barrier, NULL, 4);
  pthread_t t[4];
  for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, (void*)i);
  for (int i = 0; i < 4; i++) {
    void* r;
    pthread_join(t[i], &r);
    printf("thread %d returned %ld\n", i, (long)r);
  }
  log_[log_len] = 0;
  printf("turn order: %s once_runs=%d\n", log_, once_runs);
  pthread_barrier_destroy(&barrier);
  return 0;
}
