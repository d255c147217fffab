/*
 * shardset.c - a corpus indexed as a set of shards: the lede_shards_*()
 * calls.
 *
 * Owns the shard set on disk: a directory of ordinary indexes (shard-000,
 * shard-001, ...) and the stub file XAPIANDB that lists them. Makes,
 * syncs, rebuilds, merges, checks and counts a set, and deletes from it.
 * What a shard holds, and how it is synced, checked or swapped, is not
 * this module's: index.c opens each shard, sync.c syncs them side by side
 * (each with the articles whose id hashes, by hash.c, to it), check.c
 * checks each, swap.c puts a new set or the merged index in place, and
 * stub.c reads and writes the list. Reading a set for search is not done
 * here either (shardopen.c, through stub.c). Calls index.c, writer.c, sync.c,
 * check.c, rebuild.c, stub.c, swap.c, hash.c, firstbuild.c, perm.c, alloc.c,
 * error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Room for the name of any unsigned shard number. */
#define NAME_BUF 20

typedef struct {
    unsigned n;       /* shards */
    char **names;     /* LEDE_SHARD_NAME of each: "shard-000", ... */
    char **paths;     /* each shard's directory */
    lede_index **idx; /* each shard, open, or NULL */
} shardset;

/* Close every shard: uncommitted changes dropped, locks released. */
static void set_close(shardset *s)
{
    for (unsigned k = 0; s->idx != NULL && k < s->n; k++) {
        lede_index_free(s->idx[k]);
        s->idx[k] = NULL;
    }
}

static void set_free(shardset *s)
{
    set_close(s);
    for (unsigned k = 0; k < s->n; k++) {
        if (s->names != NULL)
            lede__free(s->names[k]);
        if (s->paths != NULL)
            lede__free(s->paths[k]);
    }
    lede__free(s->names);
    lede__free(s->paths);
    lede__free(s->idx);
    memset(s, 0, sizeof *s);
}

/* The names and paths of the n shards of the set at dir, none open. */
static int set_init(shardset *s, const char *dir, unsigned n)
{
    size_t len = strlen(dir) + NAME_BUF + 1;
    memset(s, 0, sizeof *s);
    s->names = lede__calloc(n, sizeof *s->names);
    s->paths = lede__calloc(n, sizeof *s->paths);
    s->idx = lede__calloc(n, sizeof *s->idx);
    if (s->names == NULL || s->paths == NULL || s->idx == NULL) {
        set_free(s);
        return lede__error_nomem();
    }
    s->n = n;
    for (unsigned k = 0; k < n; k++) {
        s->names[k] = lede__malloc(NAME_BUF);
        s->paths[k] = lede__malloc(len);
        if (s->names[k] == NULL || s->paths[k] == NULL) {
            set_free(s);
            return lede__error_nomem();
        }
        snprintf(s->names[k], NAME_BUF, LEDE_SHARD_NAME, k);
        snprintf(s->paths[k], len, "%s/%s", dir, s->names[k]);
    }
    return 0;
}

/* Open every shard, in order: two writers of one set meet at the same
 * first lock, so neither holds some shards the other waits for. On
 * failure none is left open. */
static int set_open(shardset *s, const lede_index_options *o,
                    lede_open_mode mode)
{
    lede_index_options so = *o;
    so.mode = mode;
    for (unsigned k = 0; k < s->n; k++) {
        int rc = lede_index_open(&s->idx[k], s->paths[k], &so);
        if (rc < 0) {
            set_close(s);
            return rc;
        }
    }
    return 0;
}

/* dir + "/" + name, allocated. */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = lede__malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* dir + suffix, allocated. */
static char *beside(const char *dir, const char *suffix)
{
    size_t n = strlen(dir) + strlen(suffix) + 1;
    char *p = lede__malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s%s", dir, suffix);
    return p;
}

static int has(const char *dir, const char *name)
{
    char *p = join(dir, name);
    int yes = p != NULL && access(p, F_OK) == 0;
    lede__free(p);
    return yes;
}

/* Whether dir holds the directory of shard k, perhaps not yet listed. */
static int has_shard(const char *dir, unsigned k)
{
    char name[NAME_BUF];
    snprintf(name, sizeof name, LEDE_SHARD_NAME, k);
    return has(dir, name);
}

/* Non-zero when dir is missing, or holds only what a first sync of a set
 * of n shards leaves before XAPIANDB is written. */
static int unfinished(const char *dir, unsigned n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int ok = 1;
    if (d == NULL)
        return errno == ENOENT;
    while (ok && (e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        int k = lede__stub_shard_number(name);
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
            !lede__stub_is_tmp(name) && (k < 0 || (unsigned)k >= n))
            ok = 0;
    }
    closedir(d);
    return ok;
}

/* May a new set of shards shards be made at path, where there is none? */
static int new_set_target(const char *path, unsigned shards)
{
    if (shards == 0 && has_shard(path, 0) && !has(path, "iamglass"))
        return lede__error_set(LEDE_EINVAL,
                               "%s: a shard set whose first sync stopped "
                               "before its XAPIANDB was written; give its "
                               "number of shards to finish it",
                               path);
    if (shards == 0)
        return lede__error_set(LEDE_ENOTFOUND,
                               "%s: no shard set there (give a number of "
                               "shards to make one)",
                               path);
    if (has(path, "iamglass"))
        return lede__error_set(LEDE_EINVAL,
                               "%s is an index, not a shard set; rebuild it "
                               "as a set to shard it",
                               path);
    if (!unfinished(path, shards))
        return lede__error_set(LEDE_EINVAL,
                               "%s exists and is not a shard set of %u "
                               "shards; refusing to make one in it",
                               path, shards);
    return 0;
}

/* The threads the sync options allow (0: one per shard). */
static unsigned threads_of(const lede_sync_options *so)
{
    lede_sync_options o;
    return lede__sync_options_copy(&o, so) == 0 ? o.threads : 0;
}

static int check_args(const char *path, unsigned shards,
                      const lede_sync_options *so, const char *fn)
{
    if (path == NULL)
        return lede__error_set(LEDE_EINVAL, "%s: path is NULL", fn);
    if (shards > LEDE_SHARDS_MAX)
        return lede__error_set(LEDE_EINVAL, "%u shards: at most %d", shards,
                               LEDE_SHARDS_MAX);
    if (so != NULL &&
        (so->version < 1 || so->version > LEDE_SYNC_OPTIONS_VERSION))
        return lede__error_set(LEDE_EINVAL,
                               "lede_sync_options version %u is not "
                               "supported (1..%d)",
                               so->version, LEDE_SYNC_OPTIONS_VERSION);
    return 0;
}

LEDE_EXTERN(int) lede_shards_count(unsigned int *out, const char *path)
{
    if (out != NULL)
        *out = 0;
    if (out == NULL || path == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_shards_count: %s is NULL",
                               out == NULL ? "out" : "path");
    int rc = lede__stub_count(out, path);
    if (rc == LEDE_ENOTFOUND && has_shard(path, 0) && !has(path, "iamglass"))
        return 0; /* being made */
    return rc;
}

LEDE_EXTERN(int)
lede_shards_sync(lede_sync_stats *stats_out, const char *path,
                 unsigned int shards, const lede_index_options *iopts,
                 const char *const *roots, size_t nroots,
                 const lede_sync_options *sopts)
{
    lede_index_options o;
    shardset s;
    unsigned have = 0;
    int rc, fresh = 0;

    if (stats_out != NULL)
        memset(stats_out, 0, sizeof *stats_out);
    if ((rc = check_args(path, shards, sopts, "lede_shards_sync")) < 0 ||
        (rc = lede__index_options_read(&o, iopts)) < 0)
        return rc;
    rc = lede__stub_count(&have, path);
    if (rc == 0 && shards != 0 && shards != have)
        return lede__error_set(LEDE_EINVAL,
                               "%s: the set has %u shard%s, not %u; "
                               "re-sharding a set is not supported (rebuild "
                               "it with %u shard%s instead)",
                               path, have, have == 1 ? "" : "s", shards, shards,
                               shards == 1 ? "" : "s");
    if (rc == LEDE_ENOTFOUND) {
        if ((rc = new_set_target(path, shards)) < 0)
            return rc;
        have = shards;
        fresh = 1;
    }
    if (rc < 0)
        return rc;
    if ((rc = set_init(&s, path, have)) < 0)
        return rc;
    if (fresh)
        rc = lede__perm_mkdir(path);
    if (rc == 0)
        rc = set_open(&s, &o, fresh ? LEDE_OPEN_CREATE : LEDE_OPEN_WRITE);
    /* Listed only once every shard exists, so a reader of the set never
     * meets a missing one. */
    if (rc == 0 && fresh)
        rc = lede__stub_write(path, have);
    if (rc == 0)
        rc = lede__sync_shards(stats_out, s.idx, s.n, threads_of(sopts), 0,
                               (const char *const *)s.names, roots, nroots,
                               sopts);
    set_free(&s);
    return rc;
}

LEDE_EXTERN(int)
lede_shards_delete(uint64_t *deleted_out, const char *path,
                   const char *const *ids, size_t nids,
                   const lede_index_options *iopts)
{
    lede_index_options o;
    shardset s;
    unsigned n;
    uint64_t deleted = 0, missing = 0;
    size_t first_missing = 0;
    int rc;

    if (deleted_out != NULL)
        *deleted_out = 0;
    if ((rc = check_args(path, 0, NULL, "lede_shards_delete")) < 0)
        return rc;
    for (size_t i = 0; i < nids; i++)
        if (ids == NULL || ids[i] == NULL)
            return lede__error_set(LEDE_EINVAL,
                                   "lede_shards_delete: id %zu is NULL", i);
    if ((rc = lede__index_options_read(&o, iopts)) < 0 ||
        (rc = lede__stub_count(&n, path)) < 0 ||
        (rc = set_init(&s, path, n)) < 0)
        return rc;
    if ((rc = set_open(&s, &o, LEDE_OPEN_WRITE)) < 0) {
        set_free(&s);
        return rc;
    }
    for (size_t i = 0; i < nids && rc == 0; i++) {
        unsigned k = (unsigned)(lede__hash_fnv1a(ids[i], strlen(ids[i])) % n);
        rc = lede_index_delete(s.idx[k], ids[i]);
        if (rc == LEDE_ENOTFOUND) {
            if (missing++ == 0)
                first_missing = i;
            rc = 0;
        } else if (rc == 0) {
            deleted++;
        } else {
            rc = lede__error_set(rc, "%s: %s", s.names[k], lede_error_last());
        }
    }
    for (unsigned k = 0; k < n && rc == 0; k++)
        if ((rc = lede_index_commit(s.idx[k])) < 0)
            rc = lede__error_set(rc, "%s: %s", s.names[k], lede_error_last());
    set_free(&s);
    if (rc < 0)
        return rc;
    if (deleted_out != NULL)
        *deleted_out = deleted;
    if (missing > 0)
        return lede__error_set(LEDE_ENOTFOUND,
                               "%s: no such article%s (%llu of %zu id%s "
                               "not found)",
                               ids[first_missing], missing > 1 ? "s" : "",
                               (unsigned long long)missing, nids,
                               nids == 1 ? "" : "s");
    return 0;
}

/* The settings of a new set that iopts leaves open, from the index old. */
static int settings_from(lede_index_options *no, lede_index_info *info,
                         lede_index *old)
{
    int rc = lede_index_stat(info, old);
    if (rc < 0)
        return rc;
    if (no->language == NULL)
        no->language = info->language;
    if (no->passage_words == 0)
        no->passage_words = info->passage_words;
    if (no->passage_overlap < 0)
        no->passage_overlap = info->passage_overlap;
    return 0;
}

/* What swap_in() releases once the new set is in place: the old set's
 * or index's handles (their locks). */
typedef struct {
    shardset *set;    /* the old set, or NULL */
    lede_index **idx; /* the old index, or NULL */
} old_handles;

static void release_old(void *payload)
{
    old_handles *old = payload;
    if (old->set != NULL)
        set_close(old->set);
    if (old->idx != NULL) {
        lede_index_free(*old->idx);
        *old->idx = NULL;
    }
}

/* Put the set or index built at tmp in the place of the one at path,
 * then close the old one's handles (its locks) and remove it. On failure
 * tmp is removed and path left as it was. */
static int swap_in(const char *tmp, const char *path, shardset *old_set,
                   lede_index **old_idx)
{
    old_handles old = {old_set, old_idx};
    return lede__swap_in(tmp, path, release_old, &old);
}

LEDE_EXTERN(int)
lede_shards_rebuild(lede_sync_stats *stats_out, const char *path,
                    unsigned int shards, const lede_index_options *iopts,
                    const char *const *roots, size_t nroots,
                    const lede_sync_options *sopts)
{
    lede_index_options o;
    lede_index_info info;
    shardset old, fresh;
    lede_index *single = NULL;
    unsigned have = 0;
    char *tmp = NULL;
    int rc;

    memset(&old, 0, sizeof old);
    memset(&fresh, 0, sizeof fresh);
    if (stats_out != NULL)
        memset(stats_out, 0, sizeof *stats_out);
    if ((rc = check_args(path, shards, sopts, "lede_shards_rebuild")) < 0 ||
        (rc = lede__index_options_read(&o, iopts)) < 0)
        return rc;

    /* The old set or index is opened as it is, for its locks. */
    lede_index_options oo = o;
    lede__rebuild_keep_settings(&oo);
    rc = lede__stub_count(&have, path);
    if (rc == 0) {
        if ((rc = set_init(&old, path, have)) == 0)
            rc = set_open(&old, &oo, LEDE_OPEN_WRITE);
    } else if (rc == LEDE_ENOTFOUND && has(path, "iamglass")) {
        if (shards == 0)
            return lede__error_set(LEDE_EINVAL,
                                   "%s is an index, not a shard set: give "
                                   "the number of shards to rebuild it as a "
                                   "set",
                                   path);
        oo.mode = LEDE_OPEN_WRITE;
        rc = lede_index_open(&single, path, &oo);
    } else if (rc == LEDE_ENOTFOUND) {
        /* Nothing to replace: made in place. */
        return lede_shards_sync(stats_out, path, shards, iopts, roots, nroots,
                                sopts);
    }
    if (rc < 0)
        goto done;
    unsigned n = shards ? shards : have;

    lede_index_options no = o;
    no.lock_wait_ms = 0;
    if ((rc = settings_from(&no, &info, single ? single : old.idx[0])) < 0)
        goto done;
    if ((tmp = beside(path, ".rebuild")) == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    if ((rc = lede__swap_clear_leftover(tmp)) < 0)
        goto done;
    if ((rc = set_init(&fresh, tmp, n)) < 0)
        goto done;
    if ((rc = lede__perm_mkdir(tmp)) == 0 &&
        (rc = set_open(&fresh, &no, LEDE_OPEN_CREATE)) == 0)
        for (unsigned k = 0; k < n && rc == 0; k++)
            rc = lede__rebuild_inherit(fresh.idx[k],
                                       single ? single : old.idx[0]);
    if (rc == 0 && (rc = lede__stub_write(tmp, n)) == 0) {
        rc = lede__sync_shards(stats_out, fresh.idx, n, threads_of(sopts), 1,
                               (const char *const *)fresh.names, roots, nroots,
                               sopts);
        if (rc == LEDE_EUSER)
            rc = lede__error_set(LEDE_EUSER,
                                 "stopped; a rebuild keeps "
                                 "nothing: %s is as it was",
                                 path);
    }
    set_close(&fresh);
    if (rc < 0) {
        lede__swap_remove(tmp);
        goto done;
    }
    rc = swap_in(tmp, path, &old, &single);
done:
    if (rc < 0)
        lede__rebuild_unchanged(stats_out);
    set_free(&old);
    set_free(&fresh);
    lede_index_free(single);
    lede__free(tmp);
    return rc;
}

LEDE_EXTERN(int)
lede_shards_compact(const char *path, const lede_index_options *opts)
{
    lede_index_options o;
    shardset s;
    unsigned n;
    char *tmp = NULL;
    int rc;

    if ((rc = lede__rebuild_compact_options(&o, "lede_shards_compact", path,
                                            opts)) < 0)
        return rc;
    if ((rc = lede__stub_count(&n, path)) < 0 ||
        (rc = set_init(&s, path, n)) < 0)
        return rc;
    /* The locks: nobody changes a shard meanwhile. */
    if ((rc = set_open(&s, &o, LEDE_OPEN_WRITE)) < 0)
        goto done;
    if ((tmp = beside(path, ".compact")) == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    if ((rc = lede__swap_clear_leftover(tmp)) < 0 ||
        (rc = lede__perm_mkdir(tmp)) < 0)
        goto done;
    /* The compactor renumbers the passages shard after shard; a file's
     * records, which every shard holds, are summed into one. */
    rc = lede__xdb_merge((const char *const *)s.paths, n, tmp,
                         lede__rebuild_merge_meta);
    if (rc == 0)
        rc = lede__firstbuild_clear(tmp); /* merged means compacted */
    if (rc < 0) {
        rc = lede__error_set(rc == LEDE_ENOMEM ? rc : LEDE_EIO,
                             "%s: cannot merge the shards: %s", path,
                             lede_error_last());
        lede__swap_remove(tmp);
        goto done;
    }
    lede__perm_restrict(tmp);
    rc = swap_in(tmp, path, &s, NULL);
done:
    set_free(&s);
    lede__free(tmp);
    return rc;
}

/* ---- check ------------------------------------------------------------- */

typedef struct {
    char *id;       /* article id */
    unsigned shard; /* where it is */
} placed;

typedef struct {
    lede__check_report rep; /* the caller's callback, the count */
    const char *shard;      /* the shard being checked */
    unsigned k;             /* its number */
    placed *ids;            /* every article of every shard */
    size_t nids;            /* count */
    size_t capids;          /* allocated */
} set_checker;

/* A problem lede_index_check() found in the current shard. */
static int shard_problem(const char *msg, void *payload)
{
    set_checker *c = payload;
    return lede__check_problem(&c->rep, "%s: %s", c->shard, msg);
}

static int collect(const lede__xdocinfo *d, void *payload)
{
    set_checker *c = payload;
    placed *v = lede__grow(c->ids, &c->capids, c->nids, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    c->ids = v;
    v[c->nids].id = lede__strndup(d->value[LEDE__SLOT_ARTICLE],
                                  d->value_len[LEDE__SLOT_ARTICLE]);
    if (v[c->nids].id == NULL)
        return lede__error_nomem();
    v[c->nids++].shard = c->k;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    int d = strcmp(x->id, y->id);
    return d ? d : (x->shard > y->shard) - (x->shard < y->shard);
}

/* Entries of dir named like shards that the list of n leaves out. */
static int unlisted(set_checker *c, const char *dir, unsigned n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (d == NULL)
        return lede__error_set(LEDE_EIO, "%s: %s", dir, strerror(errno));
    while (!c->rep.stopped && (e = readdir(d)) != NULL) {
        int k = lede__stub_shard_number(e->d_name);
        if (k >= 0 && (unsigned)k >= n)
            lede__check_problem(&c->rep, "%s: not listed in " LEDE__STUB_NAME,
                                e->d_name);
    }
    closedir(d);
    return 0;
}

/* One shard: its own check, its settings against the first's, its
 * article ids collected. */
static int check_shard(set_checker *c, const shardset *s, unsigned k,
                       lede_index_info *first, char **first_lang)
{
    lede_index *idx = NULL;
    lede_index_info info;
    struct stat st;

    c->shard = s->names[k];
    c->k = k;
    if (stat(s->paths[k], &st) != 0)
        return lede__check_problem(
            &c->rep, "%s: listed in " LEDE__STUB_NAME " but missing", c->shard);
    int rc = lede_index_check(NULL, s->paths[k], shard_problem, c);
    if (rc == LEDE_ENOMEM)
        return rc;
    if (c->rep.stopped)
        return 0;
    if (rc < 0 && rc != LEDE_ECORRUPT)
        return lede__check_problem(&c->rep, "%s: %s", c->shard,
                                   lede_error_last());
    if ((rc = lede_index_open(&idx, s->paths[k], NULL)) < 0)
        return rc == LEDE_ENOMEM
                   ? rc
                   : lede__check_problem(&c->rep, "%s: %s", c->shard,
                                         lede_error_last());
    if ((rc = lede_index_stat(&info, idx)) == 0) {
        if (*first_lang == NULL) {
            *first = info;
            *first_lang = lede__strndup(info.language, strlen(info.language));
            if (*first_lang == NULL)
                rc = lede__error_nomem();
        } else if (strcmp(info.language, *first_lang) != 0 ||
                   info.passage_words != first->passage_words ||
                   info.passage_overlap != first->passage_overlap) {
            lede__check_problem(
                &c->rep,
                "%s: settings (%s, %u-word passages, overlap %d) differ "
                "from the first shard's (%s, %u, %d)",
                c->shard, info.language, info.passage_words,
                info.passage_overlap, *first_lang, first->passage_words,
                first->passage_overlap);
        }
    }
    if (rc == 0)
        rc = lede__xdb_term_docs(lede__index_db(idx), LEDE__TERM_ARTICLE,
                                 strlen(LEDE__TERM_ARTICLE), collect, c);
    lede_index_free(idx);
    if (rc < 0 && rc != LEDE_ENOMEM)
        return lede__check_problem(&c->rep, "%s: %s", c->shard,
                                   lede_error_last());
    return rc;
}

LEDE_EXTERN(int)
lede_shards_check(uint64_t *problems_out, const char *path, lede_check_cb cb,
                  void *payload)
{
    set_checker c;
    shardset s;
    lede_index_info first;
    char *first_lang = NULL;
    unsigned n = 0;
    int rc;

    memset(&c, 0, sizeof c);
    memset(&s, 0, sizeof s);
    lede__check_start(&c.rep, cb, payload, problems_out);
    if (path == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_shards_check: path is NULL");
    rc = lede__stub_count(&n, path);
    if (rc == LEDE_ENOMEM || (rc < 0 && !has_shard(path, 0)))
        return rc;
    if (rc < 0) {
        /* No list, or a bad one: the shards there are checked still. */
        lede__check_problem(&c.rep, LEDE__STUB_NAME ": %s", lede_error_last());
        for (n = 0; n < LEDE_SHARDS_MAX; n++) {
            if (!has_shard(path, n))
                break;
        }
    }
    if ((rc = set_init(&s, path, n)) < 0)
        return rc;
    rc = unlisted(&c, path, n);
    for (unsigned k = 0; k < n && rc == 0 && !c.rep.stopped; k++)
        rc = check_shard(&c, &s, k, &first, &first_lang);

    /* Each article where its id hashes, and in one shard only. */
    for (size_t i = 0; i < c.nids && rc == 0 && !c.rep.stopped; i++) {
        const char *id = c.ids[i].id;
        unsigned want = (unsigned)(lede__hash_fnv1a(id, strlen(id)) % n);
        if (want != c.ids[i].shard)
            lede__check_problem(&c.rep,
                                "%s: article '%s' belongs in " LEDE_SHARD_NAME
                                " (its id hashes there)",
                                s.names[c.ids[i].shard], id, want);
    }
    if (c.nids > 1)
        qsort(c.ids, c.nids, sizeof *c.ids, by_id);
    for (size_t i = 1; i < c.nids && rc == 0 && !c.rep.stopped; i++) {
        if (strcmp(c.ids[i].id, c.ids[i - 1].id) == 0)
            lede__check_problem(&c.rep, "%s: article '%s' is also in %s",
                                s.names[c.ids[i].shard], c.ids[i].id,
                                s.names[c.ids[i - 1].shard]);
    }
    rc = lede__check_end(&c.rep, rc, path, problems_out);
    for (size_t i = 0; i < c.nids; i++)
        lede__free(c.ids[i].id);
    lede__free(c.ids);
    lede__free(first_lang);
    set_free(&s);
    return rc;
}

LEDE_EXTERN(int)
lede_shards_stat(uint64_t *articles_out, uint64_t *passages_out,
                 const char *path)
{
    shardset s;
    unsigned n;
    uint64_t articles = 0, passages = 0;
    int rc;

    if (articles_out != NULL)
        *articles_out = 0;
    if (passages_out != NULL)
        *passages_out = 0;
    if (path == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_shards_stat: path is NULL");
    if ((rc = lede__stub_count(&n, path)) < 0 ||
        (rc = set_init(&s, path, n)) < 0)
        return rc;
    for (unsigned k = 0; k < n && rc == 0; k++) {
        lede_index_info info;
        if ((rc = lede_index_open(&s.idx[k], s.paths[k], NULL)) == 0 &&
            (rc = lede_index_stat(&info, s.idx[k])) == 0) {
            articles += info.articles;
            passages += info.passages;
        }
        lede_index_free(s.idx[k]);
        s.idx[k] = NULL;
    }
    set_free(&s);
    if (rc < 0)
        return rc;
    if (articles_out != NULL)
        *articles_out = articles;
    if (passages_out != NULL)
        *passages_out = passages;
    return 0;
}
