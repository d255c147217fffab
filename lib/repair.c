/*
 * repair.c - an index that a failed commit left damaged, put right.
 *
 * Owns what a writer does after a commit fails. Xapian 1.4 then puts the
 * tables back at the last revision and writes them again, and a failure
 * at some moments of a commit (a rename of the ninth of a five-commit
 * update, in tests/cli/ioerr.sh) leaves that revision's list of free
 * blocks wrong: a block listed twice. The index then fails its check and
 * refuses every later write, although every table's contents are whole.
 * Compacting rewrites the tables from their contents with a new free
 * list, so after every failed commit the index is checked (Xapian's check
 * of its tables only: the damage is Xapian's) and, if damaged, compacted
 * in place. Being in the library, every program that commits gets it,
 * not lede-index alone. Calls glass.c, swap.c, buf.c, error.c and the
 * shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <string.h>

/* swap.c's release of the writer that held the lock while compacting. */
static void release_db(void *payload)
{
    lede__xdb **db = payload;
    lede__xdb_free(*db);
    *db = NULL;
}

/* Whether the index at path fails Xapian's check of its tables. */
static int damaged(const char *path)
{
    lede__buf report = LEDE__BUF_INIT;
    uint64_t errors = 0;
    /* Xapian's own open would crash on some damage to the version file
     * before its check could see it; that is no damage compaction mends. */
    int bad = 0;
    if (lede__glass_vet(path) == 0) {
        /* A free list with a block twice is found as an exception. */
        int rc = lede__xdb_check(&errors, &report, path);
        bad = (rc < 0 && rc != LEDE_ENOMEM) || errors > 0;
    }
    lede__buf_free(&report);
    return bad;
}

int lede__repair_commit(lede__xdb **db, const char *path, int rc)
{
    lede__buf why = LEDE__BUF_INIT;
    if (lede__buf_puts(&why, lede_error_last()) < 0)
        return rc; /* out of memory: the commit's failure stands */
    /* The damage is written when the failed writer lets the tables go:
     * close it (its lock too), check, compact if need be, and open the
     * index again. */
    lede__xdb_free(*db);
    *db = NULL;
    int fixed = 0, was_damaged = damaged(path);
    if (was_damaged) {
        lede__xdb *w = NULL;
        fixed = lede__xdb_open(&w, path, LEDE_OPEN_WRITE);
        if (fixed == 0)
            fixed = lede__swap_compact(w, path, release_db, &w);
        lede__xdb_free(w);
        if (fixed == 0 && damaged(path))
            fixed = lede__error_set(LEDE_ECORRUPT, "still damaged after it");
    }
    if (fixed < 0) {
        rc = lede__error_set(rc,
                             "%s; %s: the failed commit left the index's "
                             "free-block list damaged, and compacting it "
                             "failed (%s): compact the index when there is "
                             "space again",
                             why.data, path, lede_error_last());
    } else if (lede__xdb_open(db, path, LEDE_OPEN_WRITE) < 0) {
        rc = lede__error_set(rc, "%s%s; this handle is closed: %s", why.data,
                             was_damaged ? "; the failed commit left the "
                                           "index's free-block list damaged: "
                                           "repaired by compacting, it holds "
                                           "its last commit"
                                         : "",
                             lede_error_last());
    } else if (was_damaged) {
        rc = lede__error_set(rc,
                             "%s; %s: the failed commit left the index's "
                             "free-block list damaged: repaired by "
                             "compacting, it holds its last commit",
                             why.data, path);
    } else {
        rc = lede__error_set(rc, "%s", why.data);
    }
    lede__buf_free(&why);
    return rc;
}
