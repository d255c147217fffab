/*
 * retry.c - when a read that met a writer is tried again.
 *
 * Owns the policy for readers racing a writer. Xapian keeps the revision
 * before the newest, so a reader whose snapshot a commit overwrote reopens
 * and tries again; that succeeds unless two commits land during one try.
 * A reader can also meet a block the writer has just reused, which glass
 * reports as corruption (and the record decoder as a record that does not
 * decode): if reopening finds a newer revision, that was the race and the
 * read runs again; if not, the damage is real and is reported. Reopening
 * reads the new revision's root blocks, so it can meet the writer too:
 * that is one more try, not a failure. The shim reports what each failure
 * was and asks here; search.c asks the same of a record that does not
 * decode. Does no reading itself. Calls nothing else.
 */
#include "lede_int.h"

#include <stdatomic.h>

/* Retries granted, process-wide, for tests and diagnostics. */
static atomic_long retries;

int lede__retry_read(lede__xfail kind, int attempt)
{
    if (kind != LEDE__XFAIL_MODIFIED && kind != LEDE__XFAIL_CORRUPT)
        return 0;
    if (attempt >= LEDE__RETRY_TRIES)
        return 0;
    atomic_fetch_add(&retries, 1);
    return 1;
}

int lede__retry_reopened(lede__xfail kind, lede__xfail reopen_kind, int newer)
{
    if (reopen_kind == LEDE__XFAIL_MODIFIED ||
        reopen_kind == LEDE__XFAIL_CORRUPT)
        return 1;
    if (reopen_kind != LEDE__XFAIL_NONE)
        return 0;
    return kind != LEDE__XFAIL_CORRUPT || newer;
}

long lede__retry_count(void)
{
    return atomic_load(&retries);
}
