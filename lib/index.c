/*
 * index.c - the index handle: opening, settings and the revision open.
 *
 * Owns lede_index: opening and creating indexes (and what a failed
 * creation left in the way), the settings stored in them (format,
 * language, stop words, passage sizes, the corpus's encoding), and
 * closing, reopening and counting them. What one revision of the index
 * decides (database, shards, analysis with its stem cache, settings) is
 * one structure, which lede_index_reopen() replaces whole; the handle
 * keeps only its path, mode and the writer's state, which it frees but
 * does not know. Turning words into terms is analysis.c's; adding,
 * deleting and committing is writer.c's, which calls this module, never
 * the other way; a shard set is opened by shardopen.c; searching is in
 * search.c. Calls analysis.c, fields.c, shardopen.c, stub.c, segment.c,
 * charset.c, perm.c, glass.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Bump when the stored layout changes incompatibly. 2: records of version
 * 2 (store.c). Format 1 still reads, and becomes 2 when an article is
 * added, so that an older lede refuses the index as a whole. */
#define FORMAT "2"
#define FORMAT_1 "1"

#define META_FORMAT "lede:format"
#define META_LANGUAGE "lede:language"
#define META_STOPWORDS "lede:stopwords"
#define META_PARAGRAPHS "lede:paragraph_passages"
#define META_PASSAGE_WORDS "lede:passage_words"
#define META_PASSAGE_OVERLAP "lede:passage_overlap"
/* Absent: "auto" (lede_read_options.encoding). */
#define META_ENCODING "lede:encoding"
#define META_FIELDS "lede:fields" /* declared fields, comma-separated */
/* Set when the index is made: its articles carry keyword fields and dir:
 * terms (an index made before lede kept them has none). */
#define META_KEEPS_FIELDS "lede:keeps_fields"

/* How the metadata names LEDE_PASSAGE_ARTICLE. */
#define PASSAGE_ARTICLE "article"
/* The one list of stop words an index can have (LEDE_STOPWORDS). */
#define STOPWORDS_ENGLISH "english"

/* One revision of the index: the database and all that was read from
 * it or made by its settings when it was opened. lede_index_reopen()
 * builds a new one and replaces this one whole, so that nothing of the
 * old index (a stem cached in its language, a shard it left out) is
 * used with the new one. */
typedef struct {
    lede__xdb *db;          /* the Xapian database; NULL once closed */
    lede__analysis *an;     /* tokenizer, stemmer and stem cache */
    lede__segmenter *seg;   /* passages (writers only) */
    lede__shardopen shards; /* a shard set's shards (none: one index) */
    lede__buf encoding;     /* the corpus's encoding, as last read */
    lede__buf fields;       /* declared fields, comma-separated (of a set,
                               any shard's) */
    unsigned passage_words; /* passage word cap */
    int passage_overlap;    /* passage overlap in sentences */
    int stopwords;          /* LEDE_STOPWORDS are not indexed */
    int paragraphs;         /* passages stay inside paragraphs */
    int format_1;           /* lede:format is still 1 */
    int keeps_fields;       /* made by a lede that keeps keyword fields
                               (of a set: every shard was) */
    int ident;              /* readers: dev and ino are path's when the
                               database was opened */
    dev_t dev;              /* its device */
    ino_t ino;              /* its inode */
} revision;

struct lede_index {
    revision *rev;               /* the revision open */
    char *path;                  /* where it is, for lede_index_reopen() */
    int mode;                    /* lede_open_mode */
    int scratch;                 /* a build's temporary shard: its commits
                                    are not synced to disk */
    void *writer;                /* the writer's state (writer.c), or NULL */
    void (*writer_free)(void *); /* how the writer frees it */
};

lede__xdb *lede__index_db(lede_index *idx)
{
    return idx->rev->db;
}

int lede__index_stopwords(const lede_index *idx)
{
    return idx->rev->stopwords;
}

int lede__index_swapped(const lede_index *idx)
{
    struct stat st;
    if (!idx->rev->ident)
        return 0;
    return stat(idx->path, &st) != 0 || st.st_dev != idx->rev->dev ||
           st.st_ino != idx->rev->ino;
}

int lede__index_usable(const lede_index *idx, int write, const char *fn)
{
    if (idx == NULL)
        return lede__error_set(LEDE_EINVAL, "%s: index is NULL", fn);
    if (idx->rev->db == NULL)
        return lede__error_set(LEDE_EINVAL, "%s: the index is closed", fn);
    if (write && idx->mode == LEDE_OPEN_READ)
        return lede__error_set(LEDE_EINVAL,
                               "%s: the index was opened read-only", fn);
    return 0;
}

lede__analysis *lede__index_analysis(lede_index *idx)
{
    return idx->rev->an;
}

const char *lede__index_path(const lede_index *idx)
{
    return idx->path;
}

lede__xdb **lede__index_db_slot(lede_index *idx)
{
    return &idx->rev->db;
}

lede__segmenter *lede__index_segmenter(lede_index *idx)
{
    return idx->rev->seg;
}

lede__segment_opts lede__index_passages(const lede_index *idx)
{
    const revision *r = idx->rev;
    lede__segment_opts so = {r->passage_words, (unsigned)r->passage_overlap,
                             r->paragraphs};
    return so;
}

void *lede__index_writer(lede_index *idx)
{
    return idx->writer;
}

void lede__index_set_writer(lede_index *idx, void *writer,
                            void (*free_fn)(void *))
{
    idx->writer = writer;
    idx->writer_free = free_fn;
}

int lede__index_error_prefix(int rc, const char *prefix)
{
    char msg[512];
    size_t n = strlen(prefix);
    snprintf(msg, sizeof msg, "%s", lede_error_last());
    /* A message that names a file in the index names the index too. */
    if (strncmp(msg, prefix, n) == 0 && msg[n] == '/')
        return lede__error_set(rc, "%s", msg);
    return lede__error_set(rc, "%s: %s", prefix, msg);
}

/* A passage word cap as text: a number, or "article". */
static const char *words_text(unsigned long n, char *buf)
{
    if (n == LEDE_PASSAGE_ARTICLE)
        return "whole-article";
    snprintf(buf, 24, "%lu", n);
    return buf;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Write the settings of a new index and commit them, so that it is a lede
 * index from its first moment. */
static int init_index(revision *r)
{
    const char *lang = lede__analysis_language(r->an);
    char num[32];
    int rc = lede__xdb_begin(r->db);
    if (rc == 0)
        rc = lede__xdb_set_metadata(r->db, META_FORMAT, FORMAT, strlen(FORMAT));
    if (rc == 0)
        rc = lede__xdb_set_metadata(r->db, META_LANGUAGE, lang, strlen(lang));
    if (rc == 0 && r->stopwords)
        rc = lede__xdb_set_metadata(r->db, META_STOPWORDS, STOPWORDS_ENGLISH,
                                    strlen(STOPWORDS_ENGLISH));
    if (rc == 0 && r->paragraphs)
        rc = lede__xdb_set_metadata(r->db, META_PARAGRAPHS, "1", 1);
    if (r->passage_words == LEDE_PASSAGE_ARTICLE)
        snprintf(num, sizeof num, "%s", PASSAGE_ARTICLE);
    else
        snprintf(num, sizeof num, "%u", r->passage_words);
    if (rc == 0)
        rc =
            lede__xdb_set_metadata(r->db, META_PASSAGE_WORDS, num, strlen(num));
    snprintf(num, sizeof num, "%d", r->passage_overlap);
    if (rc == 0)
        rc = lede__xdb_set_metadata(r->db, META_PASSAGE_OVERLAP, num,
                                    strlen(num));
    if (rc == 0 && r->fields.len > 0)
        rc = lede__xdb_set_metadata(r->db, META_FIELDS, r->fields.data,
                                    r->fields.len);
    if (rc == 0)
        rc = lede__xdb_set_metadata(r->db, META_KEEPS_FIELDS, "1", 1);
    r->keeps_fields = 1;
    if (rc == 0)
        rc = lede__xdb_commit(r->db);
    return rc;
}

/* Add the names of list that r->fields lacks to it. */
static int merge_fields(revision *r, const char *list, int *added_out)
{
    int rc = 0;
    if (added_out != NULL)
        *added_out = 0;
    for (const char *p = list; p != NULL && *p && rc == 0;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n > 0 && !lede__fields_list_has(r->fields.data, p, n)) {
            if (r->fields.len > 0)
                rc = lede__buf_putc(&r->fields, ',');
            if (rc == 0)
                rc = lede__buf_put(&r->fields, p, n);
            if (added_out != NULL)
                *added_out = 1;
        }
        p = comma ? comma + 1 : p + n;
    }
    return rc;
}

/* The fields the index declares, of a set every shard's; a writer given
 * more in o declares them too, from its next commit. */
static int load_fields(revision *r, const lede_index_options *o)
{
    lede__buf v = LEDE__BUF_INIT;
    int rc = 0, added = 0;
    lede__buf_clear(&r->fields);
    r->keeps_fields = 1;
    if (r->shards.nopen == 0) {
        rc = lede__xdb_get_metadata(&v, r->db, META_FIELDS);
        if (rc == 0)
            rc = merge_fields(r, v.data, NULL);
        if (rc == 0)
            rc = lede__xdb_get_metadata(&v, r->db, META_KEEPS_FIELDS);
        r->keeps_fields = v.len > 0;
    }
    for (size_t i = 0; i < r->shards.nopen && rc == 0; i++) {
        if ((rc = lede__xdb_shard_metadata(&v, r->db, i, META_FIELDS)) == 0)
            rc = merge_fields(r, v.data, NULL);
        if (rc == 0 && (rc = lede__xdb_shard_metadata(&v, r->db, i,
                                                      META_KEEPS_FIELDS)) == 0)
            r->keeps_fields = r->keeps_fields && v.len > 0;
    }
    if (rc == 0 && o->mode != LEDE_OPEN_READ)
        rc = merge_fields(r, o->fields, &added);
    if (rc == 0 && added)
        rc = lede__xdb_set_metadata(r->db, META_FIELDS, r->fields.data,
                                    r->fields.len);
    lede__buf_free(&v);
    return rc;
}

int lede__index_encoding(lede_index *idx, const char **name, int *stored_out)
{
    revision *r = idx->rev;
    lede_index_info info;
    int rc;

    *stored_out = 0;
    if ((rc = lede__xdb_get_metadata(&r->encoding, r->db, META_ENCODING)) < 0)
        return rc;
    const char *have = r->encoding.len > 0 ? r->encoding.data : "auto";
    if (*name == NULL) {
        *name = r->encoding.len > 0 ? r->encoding.data : NULL;
        return 0;
    }
    if (lede__charset_same(*name, have))
        return 0;
    /* Files read before were read by the old setting, and unchanged ones
     * are not read again: a new one would hold for some articles only. */
    if ((rc = lede_index_stat(&info, idx)) < 0)
        return rc;
    if (info.articles > 0)
        return lede__error_set(LEDE_EINVAL,
                               "%s: the index reads its corpus as '%s', not "
                               "'%s'; rebuild the index to change it",
                               idx->path, have, *name);
    if ((rc = lede__xdb_begin(r->db)) < 0 ||
        (rc = lede__xdb_set_metadata(r->db, META_ENCODING, *name,
                                     strlen(*name))) < 0)
        return rc;
    *stored_out = 1;
    return 0;
}

/* LEDE_EINDEX unless lede reads index format f. */
static int supported_format(const char *f, const char *path)
{
    if (strcmp(f, FORMAT) == 0 || strcmp(f, FORMAT_1) == 0)
        return 0;
    return lede__error_set(LEDE_EINDEX,
                           "%s: index format %s is not supported by lede %s "
                           "(it reads formats %s and %s)",
                           path, f, LEDE_VERSION, FORMAT_1, FORMAT);
}

/* Read the settings of an existing index; check them against opts. */
static int load_settings(revision *r, const char *path,
                         const lede_index_options *o)
{
    lede__buf v = LEDE__BUF_INIT;
    unsigned long n;
    char wa[24], wb[24];
    int rc;

    if ((rc = lede__xdb_get_metadata(&v, r->db, META_FORMAT)) < 0)
        goto done;
    if (v.len == 0) {
        rc = lede__error_set(LEDE_EINDEX,
                             "%s: not a lede index (no lede:format)", path);
        goto done;
    }
    if ((rc = supported_format(v.data, path)) < 0)
        goto done;
    r->format_1 = strcmp(v.data, FORMAT_1) == 0;
    if ((rc = lede__xdb_get_metadata(&v, r->db, META_LANGUAGE)) < 0)
        goto done;
    if (o->language != NULL &&
        strcmp(v.data ? v.data : "", lede__analysis_language(r->an)) != 0) {
        rc = lede__error_set(LEDE_EINVAL,
                             "%s: the index language is '%s', not '%s'; "
                             "rebuild the index to change it",
                             path, v.data ? v.data : "", o->language);
        goto done;
    }
    if ((rc = lede__analysis_set_language(r->an, v.data ? v.data : "")) < 0) {
        rc = lede__index_error_prefix(LEDE_EINDEX, path);
        goto done;
    }

    if ((rc = lede__xdb_get_metadata(&v, r->db, META_STOPWORDS)) < 0)
        goto done;
    if (v.len > 0 && strcmp(v.data, STOPWORDS_ENGLISH) != 0) {
        rc = lede__error_set(LEDE_ECORRUPT, "%s: bad %s '%s'", path,
                             META_STOPWORDS, v.data);
        goto done;
    }
    if (o->stopwords != NULL && (v.len > 0) != (r->stopwords != 0)) {
        rc = lede__error_set(LEDE_EINVAL,
                             "%s: the index's stop words are '%s', not '%s'; "
                             "rebuild the index to change them",
                             path, v.len > 0 ? STOPWORDS_ENGLISH : "none",
                             o->stopwords);
        goto done;
    }
    r->stopwords = v.len > 0;

    if ((rc = lede__xdb_get_metadata(&v, r->db, META_PARAGRAPHS)) < 0)
        goto done;
    r->paragraphs = v.len > 0;

    if ((rc = lede__xdb_get_metadata(&v, r->db, META_PASSAGE_WORDS)) < 0)
        goto done;
    if (v.data != NULL && strcmp(v.data, PASSAGE_ARTICLE) == 0)
        n = LEDE_PASSAGE_ARTICLE;
    else if (parse_uint(v.data ? v.data : "", LEDE_PASSAGE_WORDS_MAX, &n) < 0 ||
             n == 0) {
        rc = lede__error_set(LEDE_ECORRUPT, "%s: bad %s '%s'", path,
                             META_PASSAGE_WORDS, v.data ? v.data : "");
        goto done;
    }
    if (o->passage_words != 0 && o->passage_words != n) {
        rc = lede__error_set(LEDE_EINVAL,
                             "%s: the index has passages of %s words, not "
                             "%s; rebuild the index to change it",
                             path, words_text(n, wa),
                             words_text(o->passage_words, wb));
        goto done;
    }
    r->passage_words = (unsigned)n;

    if ((rc = lede__xdb_get_metadata(&v, r->db, META_PASSAGE_OVERLAP)) < 0)
        goto done;
    if (parse_uint(v.data ? v.data : "", LEDE_PASSAGE_OVERLAP_MAX, &n) < 0) {
        rc = lede__error_set(LEDE_ECORRUPT, "%s: bad %s '%s'", path,
                             META_PASSAGE_OVERLAP, v.data ? v.data : "");
        goto done;
    }
    if (o->passage_overlap >= 0 && (unsigned long)o->passage_overlap != n) {
        rc = lede__error_set(LEDE_EINVAL,
                             "%s: the index has passages overlapping by %lu "
                             "sentences, not %d; rebuild the index to change "
                             "it",
                             path, n, o->passage_overlap);
        goto done;
    }
    r->passage_overlap = (int)n;
done:
    lede__buf_free(&v);
    return rc;
}

/* Copy the caller's options, of whatever version, into *o and check
 * them; fields their version lacks keep their defaults. */
int lede__index_options_read(lede_index_options *o,
                             const lede_index_options *in)
{
    static const lede_index_options defaults = LEDE_INDEX_OPTIONS_INIT;
    *o = defaults;
    if (in == NULL)
        return 0;
    if (in->version < 1 || in->version > LEDE_INDEX_OPTIONS_VERSION)
        return lede__error_set(LEDE_EINVAL,
                               "lede_index_options version %u is not "
                               "supported (1..%d)",
                               in->version, LEDE_INDEX_OPTIONS_VERSION);
    o->mode = in->mode;
    o->language = in->language;
    o->passage_words = in->passage_words;
    o->passage_overlap = in->passage_overlap;
    if (in->version >= 2)
        o->lock_wait_ms = in->lock_wait_ms;
    if (in->version >= 3) {
        o->stopwords = in->stopwords;
        o->paragraph_passages = in->paragraph_passages;
    }
    if (in->version >= 4) {
        o->remote_timeout_ms = in->remote_timeout_ms;
        o->allow_partial = in->allow_partial;
    }
    if (in->version >= 5) {
        o->lock_wait_cb = in->lock_wait_cb;
        o->lock_wait_payload = in->lock_wait_payload;
    }
    if (in->version >= 6)
        o->fields = in->fields;
    int rc = lede__fields_list_check(o->fields);
    if (rc < 0)
        return rc;
    if (o->stopwords != NULL && strcmp(o->stopwords, "none") != 0 &&
        strcmp(o->stopwords, STOPWORDS_ENGLISH) != 0)
        return lede__error_set(LEDE_EINVAL,
                               "unknown stop words '%s' (none or english)",
                               o->stopwords);
    if (o->mode != LEDE_OPEN_READ && o->mode != LEDE_OPEN_WRITE &&
        o->mode != LEDE_OPEN_CREATE)
        return lede__error_set(LEDE_EINVAL, "unknown open mode %d",
                               (int)o->mode);
    if (o->passage_words > LEDE_PASSAGE_WORDS_MAX &&
        o->passage_words != LEDE_PASSAGE_ARTICLE)
        return lede__error_set(LEDE_EINVAL,
                               "passage_words %u is over the limit of %d",
                               o->passage_words, LEDE_PASSAGE_WORDS_MAX);
    if (o->passage_overlap > LEDE_PASSAGE_OVERLAP_MAX)
        return lede__error_set(LEDE_EINVAL,
                               "passage_overlap %d is over the limit of %d",
                               o->passage_overlap, LEDE_PASSAGE_OVERLAP_MAX);
    return 0;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A rebuild swaps a new index's directory in at the path, atomically;
 * but Xapian opens the version file and then each table by name, so a
 * reader whose open straddles the swap gets a mix of two indexes: it
 * reads past the end of a table ("EOF reading block") or, worse, answers
 * from the mix. A sound open finds the same directory at the path before
 * and after; otherwise the reader opens again, on the index it finds. */
#define SWAP_TRIES 10

static int open_reader(lede__xdb **out, revision *r, const char *path,
                       const lede_index_options *o)
{
    int rc = LEDE_ERROR;
    for (int attempt = 1; attempt <= SWAP_TRIES; attempt++) {
        struct stat before, after;
        int known = stat(path, &before) == 0;
        if ((rc = lede__glass_check_files(path, o->mode)) < 0)
            return rc;
        rc = lede__xdb_open(out, path, o->mode);
        if (known && stat(path, &after) == 0 && after.st_dev == before.st_dev &&
            after.st_ino == before.st_ino) {
            r->ident = rc == 0;
            r->dev = before.st_dev;
            r->ino = before.st_ino;
            return rc;
        }
        if (rc == 0 && attempt < SWAP_TRIES) {
            lede__xdb_free(*out);
            *out = NULL;
        }
    }
    return rc;
}

/* Open the database; a writer finding the lock taken tries again until
 * lock_wait_ms have passed, or until lock_wait_cb says to stop. */
static int open_db(lede__xdb **out, revision *r, const char *path,
                   const lede_index_options *o, int scratch)
{
    double deadline = seconds() + o->lock_wait_ms / 1000.0;
    if (o->mode == LEDE_OPEN_READ)
        return open_reader(out, r, path, o);
    for (;;) {
        int rc = lede__glass_check_files(path, o->mode);
        if (rc < 0)
            return rc;
        rc = scratch ? lede__xdb_open_scratch(out, path)
                     : lede__xdb_open(out, path, o->mode);
        if (rc != LEDE_ELOCKED || o->mode == LEDE_OPEN_READ ||
            o->lock_wait_ms == 0 ||
            (o->lock_wait_ms > 0 && seconds() >= deadline))
            return rc;
        if (o->lock_wait_cb != NULL && o->lock_wait_cb(o->lock_wait_payload))
            return lede__error_set(LEDE_EUSER, "stopped while waiting for "
                                               "another writer's lock");
        /* Xapian has no blocking lock wait; poll, often enough that the
         * waiter starts soon after the holder finishes. A signal cuts the
         * pause short, so a caller's handler is heard at once. */
        struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL);
        if (o->lock_wait_cb != NULL && o->lock_wait_cb(o->lock_wait_payload))
            return lede__error_set(LEDE_EUSER, "stopped while waiting for "
                                               "another writer's lock");
    }
}

/* Settings every shard of a set must share; not the format (a sync
 * writes some shards only), each shard's checked by shard_formats(). */
static const char *const shard_settings[] = {
    META_LANGUAGE, META_STOPWORDS, META_PARAGRAPHS, META_PASSAGE_WORDS,
    META_PASSAGE_OVERLAP};

/* LEDE_EINDEX unless lede reads every open shard's format. */
static int shard_formats(revision *r, const char *path)
{
    lede__buf v = LEDE__BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < r->shards.nopen && rc == 0; i++)
        if ((rc = lede__xdb_shard_metadata(&v, r->db, i, META_FORMAT)) == 0)
            rc = supported_format(v.len ? v.data : FORMAT, path);
    lede__buf_free(&v);
    return rc;
}

int lede__index_format_upgrade(lede_index *idx)
{
    return !idx->rev->format_1
               ? 0
               : lede__xdb_set_metadata(idx->rev->db, META_FORMAT, FORMAT,
                                        strlen(FORMAT));
}

int lede__index_shard_failed(lede_index *idx, int rc)
{
    return lede__shardopen_failed(&idx->rev->shards, idx->rev->db, rc);
}

int lede__index_remote(const lede_index *idx)
{
    return lede__shardopen_remote(&idx->rev->shards);
}

LEDE_EXTERN(size_t) lede_index_missing_count(const lede_index *idx)
{
    return idx != NULL ? lede__shardopen_missing_count(&idx->rev->shards) : 0;
}

LEDE_EXTERN(const char *) lede_index_missing(const lede_index *idx, size_t i)
{
    return idx != NULL ? lede__shardopen_missing(&idx->rev->shards, i) : NULL;
}

static void revision_free(revision *r)
{
    if (r == NULL)
        return;
    lede__xdb_free(r->db);
    lede__analysis_free(r->an);
    lede__segmenter_free(r->seg);
    lede__shardopen_free(&r->shards);
    lede__buf_free(&r->encoding);
    lede__buf_free(&r->fields);
    lede__free(r);
}

/* The settings a new index gets from o, the language checked before
 * anything is created on disk. */
static int settings_from_options(revision *r, const lede_index_options *o)
{
    const char *lang = o->language ? o->language : LEDE_DEFAULT_LANGUAGE;
    if (*lang == '\0')
        return lede__error_set(LEDE_EINVAL, "empty language name");
    int rc = lede__analysis_new(&r->an);
    if (rc < 0)
        return rc;
    rc = lede__analysis_set_language(r->an, lang);
    if (rc == LEDE_ENOMEM)
        return rc;
    if (rc < 0)
        return lede__error_set(LEDE_EINVAL,
                               "unknown language '%s' (try english, french, "
                               "german, ... or none)",
                               lang);
    r->stopwords =
        o->stopwords != NULL && strcmp(o->stopwords, STOPWORDS_ENGLISH) == 0;
    r->paragraphs = o->paragraph_passages != 0;
    r->passage_words =
        o->passage_words ? o->passage_words : LEDE_DEFAULT_PASSAGE_WORDS;
    r->passage_overlap = o->passage_overlap >= 0 ? o->passage_overlap
                                                 : LEDE_DEFAULT_PASSAGE_OVERLAP;
    return merge_fields(r, o->fields, NULL);
}

/* Whether the file at path lists shards, as a stub file does: a writer
 * refusing it tells a file that is no index from a set it only searches. */
static int is_stub_file(const char *path)
{
    lede__shardset s;
    int rc = lede__stub_read(&s, path);
    int listed = rc == 0 && s.n > 0;
    if (rc == 0)
        lede__stub_free(&s);
    lede__error_clear();
    return listed;
}

/* Open the index or shard set at path as o says (creating it if o asks
 * and it is missing) and read its settings: a whole revision in *out, or
 * NULL and an error. */
static int open_revision(revision **out, const char *path,
                         const lede_index_options *o, int scratch)
{
    struct stat st;
    revision *r;
    int rc;

    *out = NULL;
    int missing = stat(path, &st) != 0 && errno == ENOENT;
    if (missing && o->mode != LEDE_OPEN_CREATE)
        return lede__error_set(LEDE_ENOTFOUND, "%s: no such index", path);
    int set = !missing && lede__stub_is_set(path);
    if (set && o->mode != LEDE_OPEN_READ && S_ISREG(st.st_mode) &&
        !is_stub_file(path))
        return lede__error_set(LEDE_EINVAL,
                               "%s: is a file, not an index (an index is a "
                               "directory; a stub file listing shards is "
                               "opened for searching only)",
                               path);
    if (set && o->mode != LEDE_OPEN_READ)
        return lede__error_set(LEDE_EINVAL,
                               "%s: a shard set is opened for searching "
                               "only; a set that lede-index --shards made "
                               "is changed with lede_shards_sync()",
                               path);
    if (o->mode == LEDE_OPEN_CREATE &&
        (rc = lede__glass_check_create(path)) < 0)
        return rc;
    if ((r = lede__calloc(1, sizeof *r)) == NULL)
        return lede__error_nomem();
    /* Xapian's own default, which its 0 would turn off. */
    r->shards.timeout_ms = o->remote_timeout_ms ? o->remote_timeout_ms : 10000;
    r->shards.allow_partial = o->allow_partial != 0;
    if ((rc = settings_from_options(r, o)) < 0)
        goto fail;

    if (missing && (rc = lede__perm_mkdir(path)) < 0)
        goto fail;
    if (set) {
        if ((rc = lede__shardopen_open(&r->db, &r->shards, path, shard_settings,
                                       sizeof shard_settings /
                                           sizeof *shard_settings)) < 0 ||
            (rc = shard_formats(r, path)) < 0)
            goto fail;
    } else if ((rc = open_db(&r->db, r, path, o, scratch)) < 0) {
        /* The path exists (checked above), so "not found" means there is
         * no database in it. */
        int denied = lede__perm_openable(path, O_RDONLY, "read the index");
        if (denied < 0)
            rc = denied;
        else if (rc == LEDE_ENOTFOUND)
            rc = lede__error_set(
                LEDE_EINDEX, "%s: not a lede index (no database in it)", path);
        else
            rc = lede__index_error_prefix(rc == LEDE_EINVAL ? LEDE_EINDEX : rc,
                                          path);
        goto fail;
    }
    lede__buf v = LEDE__BUF_INIT;
    rc = lede__xdb_get_metadata(&v, r->db, META_FORMAT);
    uint64_t docs = 0;
    if (rc == 0 && v.len == 0 && o->mode == LEDE_OPEN_CREATE)
        rc = lede__xdb_doccount(&docs, r->db);
    if (rc == 0 && v.len == 0 && o->mode == LEDE_OPEN_CREATE && docs == 0)
        rc = init_index(r); /* a new, empty database */
    else if (rc == 0 && (rc = load_settings(r, path, o)) == 0)
        rc = load_fields(r, o);
    lede__buf_free(&v);
    if (rc < 0)
        goto fail;
    if (o->mode != LEDE_OPEN_READ &&
        (rc = lede__segmenter_new(&r->seg, lede__analysis_language(r->an))) < 0)
        goto fail;
    *out = r;
    return 0;
fail:
    revision_free(r);
    return rc;
}

static int index_open(lede_index **out, const char *path,
                      const lede_index_options *opts, int scratch)
{
    lede_index_options opt;
    lede_index *idx;
    int rc;

    if (out != NULL)
        *out = NULL;
    if (out == NULL || path == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_index_open: %s is NULL",
                               out == NULL ? "out" : "path");
    if ((rc = lede__index_options_read(&opt, opts)) < 0)
        return rc;
    if ((idx = lede__calloc(1, sizeof *idx)) == NULL ||
        (idx->path = lede__strndup(path, strlen(path))) == NULL) {
        lede__free(idx);
        return lede__error_nomem();
    }
    idx->mode = opt.mode;
    idx->scratch = scratch;
    if ((rc = open_revision(&idx->rev, path, &opt, scratch)) < 0) {
        lede_index_free(idx);
        return rc;
    }
    if (opt.mode != LEDE_OPEN_READ)
        lede__perm_restrict(path); /* the lock file, a new index's tables */
    *out = idx;
    return 0;
}

LEDE_EXTERN(int)
lede_index_open(lede_index **out, const char *path,
                const lede_index_options *opts)
{
    return index_open(out, path, opts, 0);
}

int lede__index_open_scratch(lede_index **out, const char *path,
                             const lede_index_options *opts)
{
    return index_open(out, path, opts, 1);
}

LEDE_EXTERN(void) lede_index_free(lede_index *idx)
{
    if (idx == NULL)
        return;
    lede__free(idx->path);
    revision_free(idx->rev);
    if (idx->writer != NULL)
        idx->writer_free(idx->writer);
    lede__free(idx);
}

LEDE_EXTERN(int) lede_index_close(lede_index *idx)
{
    int rc = lede__index_usable(idx, 0, "lede_index_close");
    if (rc < 0)
        return rc;
    /* Uncommitted changes are cancelled, the lock released, the files
     * closed; the handle stays for lede_index_free(). */
    lede__xdb_free(idx->rev->db);
    idx->rev->db = NULL;
    return 0;
}

LEDE_EXTERN(int) lede_index_reopen(lede_index *idx)
{
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    revision *fresh;
    int rc = lede__index_usable(idx, 0, "lede_index_reopen");
    if (rc < 0)
        return rc;
    if (idx->mode != LEDE_OPEN_READ)
        return 0; /* a writer sees every commit, its own changes too */
    /* Open the path afresh, rather than Xapian's reopen(): after a
     * --rebuild the path is another directory, perhaps with other
     * settings, and only a new open sees that. The new revision replaces
     * the old whole, or, if it cannot be opened, not at all. */
    o.remote_timeout_ms = idx->rev->shards.timeout_ms;
    o.allow_partial = idx->rev->shards.allow_partial;
    if ((rc = open_revision(&fresh, idx->path, &o, idx->scratch)) < 0)
        return rc;
    revision_free(idx->rev);
    idx->rev = fresh;
    return 0;
}

LEDE_EXTERN(int) lede_index_stat(lede_index_info *out, lede_index *idx)
{
    int rc;

    if (out != NULL)
        memset(out, 0, sizeof *out);
    if ((rc = lede__index_usable(idx, 0, "lede_index_stat")) < 0)
        return rc;
    if (out == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_index_stat: out is NULL");
    if ((rc = lede__xdb_termfreq(&out->articles, idx->rev->db,
                                 LEDE__TERM_ARTICLE,
                                 strlen(LEDE__TERM_ARTICLE))) < 0 ||
        (rc = lede__xdb_doccount(&out->passages, idx->rev->db)) < 0) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->language = lede__analysis_language(idx->rev->an);
    out->passage_words = idx->rev->passage_words;
    out->passage_overlap = idx->rev->passage_overlap;
    return 0;
}

int lede__index_keeps_fields(const lede_index *idx)
{
    return idx->rev->keeps_fields;
}

const char *lede__index_declared_fields(const lede_index *idx)
{
    return idx->rev->fields.data ? idx->rev->fields.data : "";
}

LEDE_EXTERN(int) lede_index_fields(char **out, lede_index *idx)
{
    lede__buf list = LEDE__BUF_INIT;
    int rc;
    if (out != NULL)
        *out = NULL;
    if ((rc = lede__index_usable(idx, 0, "lede_index_fields")) < 0)
        return rc;
    if (out == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_index_fields: out is NULL");
    rc = lede__fields_of_index(&list, idx->rev->db,
                               lede__index_declared_fields(idx), ",");
    if (rc < 0) {
        lede__buf_free(&list);
        return rc;
    }
    *out = list.data ? list.data : lede__strndup("", 0);
    return *out ? 0 : lede__error_nomem();
}
