/*
 * rebuild.c - a fresh or compacted index swapped in for the old one in one
 * step.
 *
 * Owns lede_index_rebuild() and lede_index_compact(): each holds the old
 * index's write lock (so no other writer changes what is about to be
 * replaced), builds a new index beside it (with a full sync, by several
 * threads merged, or by compacting) and has swap.c put it in the old
 * one's place atomically. The merge of source records is shared with
 * shardset.c, which builds shard sets the same way, and a new index
 * inherits the file patterns of the one it replaces. A merged copy has
 * the mark of an unfinished first build cleared before it is swapped in
 * (firstbuild.c; compactions, in swap.c). Calls index.c and sync.c
 * through the public API, writer.c, swap.c, firstbuild.c, perm.c, sources.c,
 * filter.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* Whether path is a directory with nothing in it. */
static int empty_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int empty = d != NULL;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    if (d != NULL)
        closedir(d);
    return empty;
}

/* swap_in()'s release of the old index: its handle, which holds the
 * lock until the swap is done. */
static void release_index(void *payload)
{
    lede_index **held = payload;
    lede_index_free(*held);
    *held = NULL;
}

/* Put the index built at tmp in the place of the one at path, whose handle
 * *held keeps its lock until the swap is done; then remove the old one.
 * On failure tmp is removed and path left as it was. */
static int swap_in(const char *tmp, const char *path, lede_index **held)
{
    return lede__swap_in(tmp, path, release_index, held);
}

/* A metadata key that several shards hold: a file's source record sums
 * their article counts; every other key (the settings) is the same in
 * all. */
int lede__rebuild_merge_meta(lede__buf *out, const char *key, size_t key_len,
                             const char *const *values, const size_t *lens,
                             size_t n)
{
    size_t plen = strlen(LEDE__SOURCE_META_PREFIX);
    if (key_len >= plen && memcmp(key, LEDE__SOURCE_META_PREFIX, plen) == 0)
        return lede__source_merge(out, values, lens, n);
    lede__buf_clear(out);
    return lede__buf_put(out, values[0], lens[0]);
}

void lede__rebuild_keep_settings(lede_index_options *o)
{
    o->language = NULL;
    o->passage_words = 0;
    o->passage_overlap = -1;
    o->stopwords = NULL;
}

int lede__rebuild_compact_options(lede_index_options *o, const char *fn,
                                  const char *path,
                                  const lede_index_options *opts)
{
    if (path == NULL)
        return lede__error_set(LEDE_EINVAL, "%s: path is NULL", fn);
    int rc = lede__index_options_read(o, opts);
    if (rc < 0)
        return rc;
    lede__rebuild_keep_settings(o);
    return 0;
}

/* Give the new index fresh the file patterns of old (if any), which a
 * sync not given others then uses, as it would have on old. */
int lede__rebuild_inherit(lede_index *fresh, lede_index *old)
{
    if (old == NULL)
        return 0;
    int rc = lede__filter_inherit(lede__index_db(fresh), lede__index_db(old));
    return rc < 0 ? rc : lede_index_commit(fresh);
}

/* Build the index at tmp (absent) from roots with n threads: shard k at
 * tmp + ".k", then all merged into tmp. On failure nothing is left. */
static int build_parallel(lede_sync_stats *stats_out, const char *tmp,
                          const lede_index_options *no, lede_index *old,
                          const char *const *roots, size_t nroots,
                          const lede_sync_options *sopts, unsigned n)
{
    size_t len = strlen(tmp) + 16;
    char **parts = lede__calloc(n, sizeof *parts);
    lede_index **idx = lede__calloc(n, sizeof *idx);
    unsigned made = 0;
    int rc = 0;

    if (parts == NULL || idx == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    for (made = 0; made < n; made++) {
        if ((parts[made] = lede__malloc(len)) == NULL) {
            rc = lede__error_nomem();
            break;
        }
        snprintf(parts[made], len, "%s.%u", tmp, made);
        if ((rc = lede__swap_clear_leftover(parts[made])) < 0) {
            lede__free(parts[made]); /* not ours to remove */
            parts[made] = NULL;
            break;
        }
        /* Unsynced: the merge writes (and syncs) the index made of them. */
        if ((rc = lede__index_open_scratch(&idx[made], parts[made], no)) < 0 ||
            (rc = lede__rebuild_inherit(idx[made], old)) < 0) {
            made++; /* remove what the open left */
            break;
        }
    }
    if (rc == 0) {
        rc = lede__sync_parallel(stats_out, idx, n, roots, nroots, sopts);
        if (rc == LEDE_EUSER)
            rc = lede__error_set(LEDE_EUSER, "stopped; a build by several "
                                             "threads keeps nothing: the "
                                             "index is as it was");
    }
    for (unsigned k = 0; k < made; k++) {
        lede_index_free(idx[k]); /* closed: the shards are whole */
        idx[k] = NULL;
    }
    if (rc == 0 && (rc = lede__perm_mkdir(tmp)) == 0 &&
        (rc = lede__xdb_merge((const char *const *)parts, n, tmp,
                              lede__rebuild_merge_meta)) < 0) {
        rc = lede__error_set(rc == LEDE_ENOMEM ? rc : LEDE_EIO,
                             "%s: cannot merge the shards: %s", tmp,
                             lede_error_last());
        lede__swap_remove(tmp);
    }
    /* The merge compacts: the build it ends is finished. */
    if (rc == 0 && (rc = lede__firstbuild_clear(tmp)) < 0)
        lede__swap_remove(tmp);
    if (rc == 0)
        lede__perm_restrict(tmp);
done:
    for (unsigned k = 0; parts != NULL && k < made; k++) {
        if (parts[k] != NULL)
            lede__swap_remove(parts[k]);
        lede__free(parts[k]);
    }
    lede__free(parts);
    lede__free(idx);
    return rc;
}

void lede__rebuild_unchanged(lede_sync_stats *stats)
{
    if (stats != NULL)
        stats->added = stats->updated = stats->deleted = 0;
}

LEDE_EXTERN(int)
lede_index_rebuild(lede_sync_stats *stats_out, const char *path,
                   const lede_index_options *iopts, const char *const *roots,
                   size_t nroots, const lede_sync_options *sopts)
{
    lede_index_options o;
    lede_index *old = NULL, *fresh = NULL;
    lede_index_info info;
    char *tmp = NULL;
    int rc;

    if (stats_out != NULL)
        memset(stats_out, 0, sizeof *stats_out);
    if (path == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_index_rebuild: path is "
                                            "NULL");
    if ((rc = lede__index_options_read(&o, iopts)) < 0)
        return rc;

    /* The old index is opened as it is: new settings are for the new one. */
    lede_index_options oo = o;
    oo.mode = LEDE_OPEN_WRITE;
    oo.language = NULL;
    oo.passage_words = 0;
    oo.passage_overlap = -1;
    lede_sync_options so;
    if ((rc = lede__sync_options_copy(&so, sopts)) < 0)
        return rc;
    unsigned threads = so.threads > 1 ? so.threads : 1;
    if (threads > LEDE__THREADS_MAX)
        return lede__error_set(LEDE_EINVAL, "%u threads: at most %d", threads,
                               LEDE__THREADS_MAX);
    /* (Before the open, which leaves Xapian's lock file behind.) */
    int was_empty = empty_dir(path);
    rc = lede_index_open(&old, path, &oo);
    if (rc == LEDE_EINDEX && was_empty)
        rc = LEDE_ENOTFOUND; /* made beforehand, for its mode: kept */
    if (rc == LEDE_ENOTFOUND && threads > 1) {
        /* An empty index holds the lock while the shards are built. */
        o.mode = LEDE_OPEN_CREATE;
        rc = lede_index_open(&old, path, &o);
    } else if (rc == LEDE_ENOTFOUND) {
        /* Nothing to replace: build in place. */
        o.mode = LEDE_OPEN_CREATE;
        if ((rc = lede_index_open(&fresh, path, &o)) == 0)
            rc = lede_index_sync(stats_out, fresh, roots, nroots, &so);
        lede_index_free(fresh);
        return rc;
    }
    if (rc < 0)
        return rc;

    /* Settings the caller leaves open come from the old index. */
    if ((rc = lede_index_stat(&info, old)) < 0)
        goto done;
    lede_index_options no = o;
    no.mode = LEDE_OPEN_CREATE;
    no.lock_wait_ms = 0;
    if (no.language == NULL)
        no.language = info.language;
    if (no.passage_words == 0)
        no.passage_words = info.passage_words;
    if (no.passage_overlap < 0)
        no.passage_overlap = info.passage_overlap;
    int stored;
    if (so.read.encoding == NULL &&
        (rc = lede__index_encoding(old, &so.read.encoding, &stored)) < 0)
        goto done;

    size_t n = strlen(path) + sizeof ".rebuild";
    if ((tmp = lede__malloc(n)) == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    snprintf(tmp, n, "%s.rebuild", path);
    if ((rc = lede__swap_clear_leftover(tmp)) < 0)
        goto done;
    if (threads > 1) {
        rc = build_parallel(stats_out, tmp, &no, old, roots, nroots, &so,
                            threads);
    } else if ((rc = lede_index_open(&fresh, tmp, &no)) == 0) {
        if ((rc = lede__rebuild_inherit(fresh, old)) == 0)
            rc = lede_index_sync(stats_out, fresh, roots, nroots, &so);
        lede_index_free(fresh);
        fresh = NULL;
    }
    if (rc < 0) {
        lede__swap_remove(tmp); /* the old index stays as it was */
        goto done;
    }
    rc = swap_in(tmp, path, &old);
done:
    if (rc < 0)
        lede__rebuild_unchanged(stats_out);
    lede_index_free(old);
    lede__free(tmp);
    return rc;
}

LEDE_EXTERN(int)
lede_index_compact(const char *path, const lede_index_options *opts)
{
    lede_index_options o;
    lede_index *idx = NULL;
    int rc;

    if ((rc = lede__rebuild_compact_options(&o, "lede_index_compact", path,
                                            opts)) < 0)
        return rc;
    o.mode = LEDE_OPEN_WRITE; /* the lock: nobody changes it meanwhile */
    if ((rc = lede_index_open(&idx, path, &o)) < 0)
        return rc;
    rc = lede__swap_compact(lede__index_db(idx), path, release_index, &idx);
    lede_index_free(idx);
    return rc;
}
