// Signal handlers: raise() with signal() and sigaction() handlers, SA_SIGINFO,
// a blocked signal delivered on unblock, and SIG_IGN.
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t usr1, usr2, info_signo, info_code_user;

static void on_usr1(int sig) { usr1 += sig == SIGUSR1; }
static void on_usr2(int sig, siginfo_t* si, void* uc) {
  (void)uc;
  usr2++;
  info_signo = si->si_signo;
  info_code_user = si->si_code == SI_TKILL || si->si_code == SI_USER;
  (void)sig;
}

int main(void) {
  signal(SIGUSR1, on_usr1);
  raise(SIGUSR1);
  raise(SIGUSR1);
  printf("usr1 handled %d times\n", (int)usr1);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr2;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR2, &sa, NULL);

  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, &old);
  raise(SIGUSR2);
  printf("while blocked: usr2=%d\n", (int)usr2);
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("after unblock: usr2=%d signo=%s user=%d\n", (int)usr2,
         info_signo == SIGUSR2 ? "SIGUSR2" : "?", (int)info_code_user);

  signal(SIGUSR1, SIG_IGN);
  raise(SIGUSR1);
  printf("ignored SIGUSR1, usr1 still %d\n", (int)usr1);
  printf("strsignal: %s\n", strsignal(SIGUSR2));
  return 0;
}
