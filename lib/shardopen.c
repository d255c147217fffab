/*
 * shardopen.c - a shard set opened for searching, as one database.
 *
 * Owns what a reader knows of the shards of a set it opened: which the
 * stub lists (read through stub.c), which are open in the database and
 * in what order, which were left out, and the errors that name a shard
 * by its stub line. Opens each shard on its own (a remote one with the
 * timeout asked for) so that one that cannot be opened is named, or,
 * with partial results allowed, left out; checks that the shards agree
 * on the settings the index says they must share; and after a search
 * fails, tells which shard failed and leaves it out. Making, syncing and
 * checking a set is shardset.c's; the settings themselves are index.c's.
 * Calls stub.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <string.h>

/* Rewrite the current error as one of shard i of the set: its stub line,
 * and for a remote shard the timeout it had. */
static int shard_error(const lede__shardopen *s, size_t i, int rc)
{
    const lede__shard *sh = &s->set.v[i];
    char msg[512];
    snprintf(msg, sizeof msg, "%s", lede_error_last());
    if (sh->host != NULL)
        return lede__error_set(
            rc, "%s:%u: shard '%s': %s (remote timeout %g s)", s->set.stub,
            sh->lineno, sh->line, msg, s->timeout_ms / 1000.0);
    return lede__error_set(rc, "%s:%u: shard '%s': %s", s->set.stub, sh->lineno,
                           sh->line, msg);
}

/* Xapian reads metadata from a set's first shard only: the others must
 * agree with it on every setting, or their passages would have been made
 * and would be searched by other rules. */
static int check_shards(const lede__shardopen *s, lede__xdb *db,
                        const char *const *same, size_t nsame)
{
    lede__buf a = LEDE__BUF_INIT, b = LEDE__BUF_INIT;
    int rc = 0;
    for (size_t k = 1; k < s->nopen && rc == 0; k++) {
        for (size_t j = 0; j < nsame; j++) {
            const char *key = same[j];
            if ((rc = lede__xdb_shard_metadata(&a, db, 0, key)) < 0) {
                rc = shard_error(s, s->open[0], rc);
                break;
            }
            if ((rc = lede__xdb_shard_metadata(&b, db, k, key)) < 0) {
                rc = shard_error(s, s->open[k], rc);
                break;
            }
            if (a.len == b.len &&
                (a.len == 0 || memcmp(a.data, b.data, a.len) == 0))
                continue;
            const lede__shard *x = &s->set.v[s->open[0]];
            const lede__shard *y = &s->set.v[s->open[k]];
            rc = lede__error_set(LEDE_EINVAL,
                                 "%s: shards '%s' (line %u) and '%s' (line "
                                 "%u) differ: %s is '%s' and '%s'; every "
                                 "shard of a set needs the same settings",
                                 s->set.stub, x->line, x->lineno, y->line,
                                 y->lineno, key, a.data ? a.data : "",
                                 b.data ? b.data : "");
            break;
        }
    }
    lede__buf_free(&a);
    lede__buf_free(&b);
    return rc;
}

int lede__shardopen_open(lede__xdb **db_out, lede__shardopen *s,
                         const char *path, const char *const *same,
                         size_t nsame)
{
    int rc = lede__stub_read(&s->set, path);
    if (rc < 0)
        return rc;
    size_t n = s->set.n;
    if ((s->open = lede__calloc(n, sizeof *s->open)) == NULL ||
        (s->gone = lede__calloc(n, 1)) == NULL)
        return lede__error_nomem();
    if ((rc = lede__xdb_open_set(db_out)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const lede__shard *sh = &s->set.v[i];
        rc = lede__xdb_add_shard(*db_out, sh->path, sh->host, sh->port,
                                 s->timeout_ms);
        if (rc == LEDE_ENOMEM)
            return rc;
        if (rc < 0) {
            rc = shard_error(s, i, rc);
            if (!s->allow_partial)
                return rc;
            s->gone[i] = 1;
            continue;
        }
        s->open[s->nopen++] = i;
    }
    if (s->nopen == 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", lede_error_last());
        return lede__error_set(rc, "no shard could be opened; the last: %s",
                               msg);
    }
    return check_shards(s, *db_out, same, nsame);
}

void lede__shardopen_free(lede__shardopen *s)
{
    lede__stub_free(&s->set);
    lede__free(s->open);
    lede__free(s->gone);
}

int lede__shardopen_failed(lede__shardopen *s, lede__xdb *db, int rc)
{
    long k = s->set.n > 0 ? lede__xdb_failed_shard(db) : -1;
    if (k < 0 || (size_t)k >= s->nopen)
        return rc;
    size_t i = s->open[k];
    rc = shard_error(s, i, rc);
    if (!s->allow_partial || s->nopen == 1)
        return rc;
    int drc = lede__xdb_drop_shard(db, (size_t)k);
    if (drc < 0)
        return drc;
    s->gone[i] = 1;
    memmove(s->open + k, s->open + k + 1,
            (s->nopen - (size_t)k - 1) * sizeof *s->open);
    s->nopen--;
    return 0;
}

int lede__shardopen_remote(const lede__shardopen *s)
{
    for (size_t k = 0; k < s->nopen; k++) {
        if (s->set.v[s->open[k]].host != NULL)
            return 1;
    }
    return 0;
}

size_t lede__shardopen_missing_count(const lede__shardopen *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->set.n; i++)
        n += s->gone[i] != 0;
    return n;
}

const char *lede__shardopen_missing(const lede__shardopen *s, size_t i)
{
    for (size_t j = 0; j < s->set.n; j++) {
        if (s->gone[j] && i-- == 0)
            return s->set.v[j].line;
    }
    return NULL;
}
