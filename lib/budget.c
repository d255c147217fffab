/*
 * budget.c - the time budget of one search.
 *
 * Owns the clock a search's time is measured on (CLOCK_MONOTONIC, or one
 * a test sets) and the check that turns running past the budget into
 * LEDE_ELIMIT. It does not decide when a search looks at the clock:
 * prefix.c does while it reads the index's words for prefixes, search.c
 * between the steps of a search. Calls error.c.
 */
#include "lede_int.h"

#include <time.h>

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Set only by tests, before any search runs. */
static int64_t (*clock_ns)(void) = monotonic_ns;

void lede__budget_set_clock(int64_t (*clock)(void))
{
    clock_ns = clock != NULL ? clock : monotonic_ns;
}

void lede__budget_start(lede__budget *b, unsigned ms)
{
    b->ms = ms;
    b->deadline = ms > 0 ? clock_ns() + (int64_t)ms * 1000000 : 0;
}

int lede__budget_check(const lede__budget *b)
{
    if (b == NULL || b->ms == 0 || clock_ns() < b->deadline)
        return 0;
    return lede__error_set(
        LEDE_ELIMIT, "the search ran over its time budget of %u ms", b->ms);
}
