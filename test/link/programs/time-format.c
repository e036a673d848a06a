// Time formatting with a fixed time_t: gmtime_r, localtime_r in a fixed TZ,
// strftime, timegm/mktime round trips and difftime.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void) {
  time_t t = 1700000000;  // 2023-11-14 22:13:20 UTC
  struct tm tm;
  char buf[128];
  gmtime_r(&t, &tm);
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %A %B %j %U %Z", &tm);
  printf("gmtime: %s\n", buf);
  printf("asctime: %s", asctime(&tm));
  printf("timegm round trip: %d\n", timegm(&tm) == t);
  setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
  tzset();
  localtime_r(&t, &tm);
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z %z isdst=", &tm);
  printf("localtime: %s%d\n", buf, tm.tm_isdst);
  time_t summer = 1688000000;
  localtime_r(&summer, &tm);
  strftime(buf, sizeof buf, "%c %Z", &tm);
  printf("summer: %s\n", buf);
  printf("mktime round trip: %d\n", mktime(&tm) == summer);
  struct tm in = {0};
  in.tm_year = 100;
  in.tm_mon = 1;
  in.tm_mday = 29;
  in.tm_hour = 12;
  char* rest = strptime("2024-02-29 08:15", "%Y-%m-%d %H:%M", &in);
  printf("strptime ok=%d yday=%d wday=%d\n", rest && *rest == 0, in.tm_yday, in.tm_wday);
  printf("difftime=%.0f\n", difftime(t, summer));
  return 0;
}
