/*
 * The date of a result as text, in the one form each output uses: the
 * day for people (human.c), the whole time for programs (jsonl.c).
 * Calls the C library (time) only.
 */
#include "searcher.h"

#include <stdio.h>
#include <time.h>

/* A date in UTC: the day ("2018-06-12") for people, whatever its time,
 * so that every line reads alike; the whole time ("2018-06-12T00:00:00Z")
 * for programs, in one ISO 8601 form. */
void date_format(char *buf, size_t n, int64_t t, int with_time)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL) {
        snprintf(buf, n, "?");
        return;
    }
    strftime(buf, n, with_time ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d", &tm);
}
