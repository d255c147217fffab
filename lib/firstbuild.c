/*
 * firstbuild.c - the mark of a first build that has not finished.
 *
 * Owns the metadata key that says an index is still being built for the
 * first time. A sync that begins on an index holding no article sets it,
 * in the transaction of its first batch; only a compaction (or the merge
 * of a parallel build, which compacts) clears it, in the compacted copy
 * before that copy is swapped in. So an index whose first build was
 * stopped, by a signal, a callback or kill -9, even during the final
 * compaction, stays marked until a later run finishes the job, and a
 * program can tell it from an index grown night by night. An index made
 * before the mark existed has none: it is not unfinished. Calls index.c
 * through the public API, error.c, buf.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <string.h>

#define META_UNFINISHED "lede:unfinished"
/* The value: any non-empty one marks (Xapian drops a key set to ""). */
#define UNFINISHED "first-build"

int lede__firstbuild_mark(lede_index *idx, int *stored_out)
{
    lede__buf v = LEDE__BUF_INIT;
    lede_index_info info;
    lede__xdb *db = lede__index_db(idx);
    int rc;

    *stored_out = 0;
    if ((rc = lede_index_stat(&info, idx)) < 0)
        return rc;
    if (info.articles > 0)
        return 0;
    if ((rc = lede__xdb_get_metadata(&v, db, META_UNFINISHED)) < 0)
        goto done;
    if (v.len > 0)
        goto done; /* marked by an earlier sync */
    if ((rc = lede__xdb_begin(db)) < 0 ||
        (rc = lede__xdb_set_metadata(db, META_UNFINISHED, UNFINISHED,
                                     strlen(UNFINISHED))) < 0)
        goto done;
    *stored_out = 1;
done:
    lede__buf_free(&v);
    return rc;
}

int lede__firstbuild_clear(const char *path)
{
    lede__xdb *db = NULL;
    lede__buf v = LEDE__BUF_INIT;
    int rc;

    if ((rc = lede__xdb_open(&db, path, LEDE_OPEN_WRITE)) < 0 ||
        (rc = lede__xdb_get_metadata(&v, db, META_UNFINISHED)) < 0)
        goto done;
    /* Unmarked copies are left untouched: still fully compacted. */
    if (v.len > 0 &&
        ((rc = lede__xdb_begin(db)) < 0 ||
         (rc = lede__xdb_set_metadata(db, META_UNFINISHED, "", 0)) < 0 ||
         (rc = lede__xdb_commit(db)) < 0))
        goto done;
done:
    lede__xdb_free(db);
    lede__buf_free(&v);
    return rc;
}

LEDE_EXTERN(int) lede_index_unfinished(int *out, lede_index *idx)
{
    lede__buf v = LEDE__BUF_INIT;
    int rc;

    if (out == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_index_unfinished: out is "
                                            "NULL");
    *out = 0;
    if ((rc = lede__index_usable(idx, 0, "lede_index_unfinished")) < 0)
        return rc;
    if ((rc = lede__xdb_get_metadata(&v, lede__index_db(idx),
                                     META_UNFINISHED)) == 0)
        *out = v.len > 0;
    lede__buf_free(&v);
    return rc;
}
