/*
 * index.c - articles in, passages out: the index handle and its writer.
 *
 * Owns lede_index: opening and creating indexes, the settings stored in
 * them (format, language, passage sizes, the corpus's encoding), and
 * turning an article into Xapian documents, one per passage. What one
 * revision of the index decides (database, shards, stemmer and its stem
 * cache, settings) is one structure, which lede_index_reopen() replaces
 * whole; the handle keeps only its path, mode, tokenizer and the
 * writer's scratch. Each passage document carries:
 *   - the article-id term (LEDE__PREFIX_ID), so replacing or deleting an
 *     article reaches every passage;
 *   - its body words, stemmed, with positions counted from 1 in the
 *     passage;
 *   - the title words under LEDE__PREFIX_TITLE, with positions; they count
 *     in the passage length like any other word;
 *   - the article id in value slot LEDE__SLOT_ARTICLE (the collapse key);
 *   - a stored record (store.c): ordinal, byte offsets and the passage's
 *     own text, with the article's title, date and URL; the first
 *     passage, also marked with LEDE__TERM_ARTICLE, adds the article's
 *     length.
 * Searching is in search.c; a shard set is read through stub.c, and a
 * failed commit is handed to repair.c. Calls tokenize.c, segment.c,
 * store.c, stub.c, repair.c, strmap.c, hash.c, simhash.c, perm.c, buf.c,
 * alloc.c, error.c, charset.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Bump when the stored layout changes incompatibly. */
#define FORMAT "1"

#define META_FORMAT "lede:format"
#define META_LANGUAGE "lede:language"
#define META_STOPWORDS "lede:stopwords"
#define META_PARAGRAPHS "lede:paragraph_passages"
#define META_PASSAGE_WORDS "lede:passage_words"
#define META_PASSAGE_OVERLAP "lede:passage_overlap"
/* Absent: "auto" (lede_read_options.encoding). */
#define META_ENCODING "lede:encoding"

/* Sanity bounds on passage settings. */
#define PASSAGE_WORDS_MAX 100000
/* How the metadata names LEDE_PASSAGE_ARTICLE. */
#define PASSAGE_ARTICLE "article"
/* The one list of stop words an index can have (LEDE_STOPWORDS). */
#define STOPWORDS_ENGLISH "english"

#define PASSAGE_OVERLAP_MAX 100

typedef struct {
    uint32_t pos; /* word position in the body */
    uint32_t len; /* bytes of the stemmed term */
    size_t off;   /* offset of the stemmed term in the term arena */
} word;

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
    unsigned passage_words; /* passage word cap */
    int passage_overlap;    /* passage overlap in sentences */
    int stopwords;          /* LEDE_STOPWORDS are not indexed */
    int paragraphs;         /* passages stay inside paragraphs */
    int ident;              /* readers: dev and ino are path's when the
                               database was opened */
    dev_t dev;              /* its device */
    ino_t ino;              /* its inode */
} revision;

struct lede_index {
    revision *rev;   /* the revision open */
    char *path;      /* where it is, for lede_index_reopen() */
    int mode;        /* lede_open_mode */
    lede__xdoc *doc; /* the passage being added, one at a time */

    /* Scratch reused from one article to the next. */
    lede__buf title;        /* cleaned title */
    lede__buf body;         /* cleaned body */
    lede__buf term;         /* one term being built */
    lede__buf stemmed;      /* output of the stemmer */
    lede__buf idterm;       /* the article's id term */
    lede__buf record;       /* encoded passage record */
    lede__buf terms;        /* arena of stemmed words */
    lede__buf spell;        /* folded words of the article, NUL-separated */
    size_t *spell_off;      /* their offsets in spell */
    size_t nspell;          /* count */
    size_t capspell;        /* allocated */
    const char **spell_ptr; /* the same words, for sorting */
    size_t capspellptr;     /* allocated */
    lede__strmap spellings; /* words for the spelling data since the last
                               commit, and in how many articles */
    int defer_spellings;    /* spelling counts wait for a commit after
                               lede__index_defer_spellings(idx, 0) */
    lede__span *spans;      /* byte spans of body words */
    word *words;            /* the words behind spans */
    size_t nwords;          /* body words */
    size_t cap;             /* allocated spans and words */
    lede__span *tspans;     /* title words (their spans are unused) */
    word *twords;           /* the title's words */
    size_t ntwords;         /* title words */
    size_t tcap;            /* allocated title words */
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

/* Rewrite the current error message as "prefix: message". */
static int error_prefix(int rc, const char *prefix)
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
    if (rc == 0)
        rc = lede__xdb_commit(r->db);
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
    if (strcmp(v.data, FORMAT) != 0) {
        rc = lede__error_set(LEDE_EINDEX,
                             "%s: index format %s is not supported by lede "
                             "%s (it reads format %s)",
                             path, v.data, LEDE_VERSION, FORMAT);
        goto done;
    }
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
        rc = error_prefix(LEDE_EINDEX, path);
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
    else if (parse_uint(v.data ? v.data : "", PASSAGE_WORDS_MAX, &n) < 0 ||
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
    if (parse_uint(v.data ? v.data : "", PASSAGE_OVERLAP_MAX, &n) < 0) {
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

/* What Xapian's glass backend leaves of a database whose creation failed
 * before its version file (iamglass) was written, out of memory or disk
 * full: the lock file, tables and temporaries. */
static int glass_leftover(const char *name)
{
    size_t n = strlen(name);
    return strcmp(name, "flintlock") == 0 ||
           (n > 6 && strcmp(name + n - 6, ".glass") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".tmp") == 0);
}

/* Remove a failed creation's leftovers, which Xapian refuses to create
 * over, unless a creation is under way in another process (it holds the
 * lock on flintlock, a whole-file write lock, which F_GETLK reports
 * whether it is a process or an open-file-description lock). */
static int remove_leftovers(const char *path)
{
    lede__buf p = LEDE__BUF_INIT;
    int rc = 0;
    if (lede__buf_printf(&p, "%s/flintlock", path) < 0)
        return lede__error_nomem();
    int fd = open(p.data, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        int held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
        close(fd);
        if (held) {
            lede__buf_free(&p);
            return lede__error_set(LEDE_ELOCKED,
                                   "%s: another process is creating this "
                                   "index",
                                   path);
        }
    }
    DIR *d = opendir(path);
    struct dirent *e;
    while (d != NULL && rc == 0 && (e = readdir(d)) != NULL) {
        if (!glass_leftover(e->d_name))
            continue;
        lede__buf_clear(&p);
        if (lede__buf_printf(&p, "%s/%s", path, e->d_name) < 0)
            rc = lede__error_nomem();
        else if (unlink(p.data) != 0 && errno != ENOENT)
            rc = lede__error_set(LEDE_EIO,
                                 "%s: cannot remove what a failed creation "
                                 "left: %s",
                                 p.data, strerror(errno));
    }
    if (d != NULL)
        closedir(d);
    lede__buf_free(&p);
    return rc;
}

/* Creating an index inside a directory that holds other files (a corpus,
 * say, after swapped arguments) would scatter database files among them.
 * A directory may become an index only if it is empty, already a Xapian
 * database, or what a failed creation left (which is cleared). */
static int check_create_target(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int others = 0, xapian = 0, leftovers = 0;

    if (d == NULL)
        return 0; /* missing (to be created) or not a directory: Xapian
                     reports the latter */
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (strcmp(name, "iamglass") == 0 || strcmp(name, "iamchert") == 0)
            xapian = 1;
        else if (glass_leftover(name))
            leftovers = 1;
        else
            others = 1;
    }
    closedir(d);
    if (others && !xapian)
        return lede__error_set(LEDE_EINVAL,
                               "%s: directory is not empty and not an index; "
                               "refusing to create an index in it",
                               path);
    if (leftovers && !xapian)
        return remove_leftovers(path);
    return 0;
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
    if (o->stopwords != NULL && strcmp(o->stopwords, "none") != 0 &&
        strcmp(o->stopwords, STOPWORDS_ENGLISH) != 0)
        return lede__error_set(LEDE_EINVAL,
                               "unknown stop words '%s' (none or english)",
                               o->stopwords);
    if (o->mode != LEDE_OPEN_READ && o->mode != LEDE_OPEN_WRITE &&
        o->mode != LEDE_OPEN_CREATE)
        return lede__error_set(LEDE_EINVAL, "unknown open mode %d",
                               (int)o->mode);
    if (o->passage_words > PASSAGE_WORDS_MAX &&
        o->passage_words != LEDE_PASSAGE_ARTICLE)
        return lede__error_set(LEDE_EINVAL,
                               "passage_words %u is over the limit of %d",
                               o->passage_words, PASSAGE_WORDS_MAX);
    if (o->passage_overlap > PASSAGE_OVERLAP_MAX)
        return lede__error_set(LEDE_EINVAL,
                               "passage_overlap %d is over the limit of %d",
                               o->passage_overlap, PASSAGE_OVERLAP_MAX);
    return 0;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Xapian opens an index's files by name and follows symbolic links: a
 * link planted as the lock file would have a writer truncate whatever it
 * points to (Xapian opens the lock file with O_TRUNC), and one planted as
 * a table would have readers read it. So before every open, the files
 * Xapian opens must not be links. A writer then opens the lock file
 * itself, not following a link and without changing it, so that a lock
 * file it may not write (another user's, in a shared index) is reported
 * as what it is rather than as a lock someone holds. Whoever can write in
 * the directory can still swap a file between this check and Xapian's
 * open: the directory is trusted (docs/security.md). */
static int check_files(const char *path, lede_open_mode mode)
{
    lede__buf p = LEDE__BUF_INIT;
    DIR *d = opendir(path);
    struct dirent *e;
    struct stat st;
    int rc = 0;

    while (d != NULL && rc == 0 && (e = readdir(d)) != NULL) {
        if (!glass_leftover(e->d_name) && strcmp(e->d_name, "iamglass") != 0)
            continue;
        lede__buf_clear(&p);
        if (lede__buf_printf(&p, "%s/%s", path, e->d_name) < 0)
            rc = lede__error_nomem();
        else if (lstat(p.data, &st) == 0 && S_ISLNK(st.st_mode))
            rc = lede__error_set(LEDE_EIO,
                                 "%s: is a symbolic link; lede does not open "
                                 "an index's files through links",
                                 p.data);
    }
    if (d != NULL)
        closedir(d);
    lede__buf_clear(&p);
    if (rc == 0 && mode != LEDE_OPEN_READ &&
        lede__buf_printf(&p, "%s/flintlock", path) < 0)
        rc = lede__error_nomem();
    if (rc == 0 && mode != LEDE_OPEN_READ) {
        int fd = open(p.data, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0)
            close(fd);
        else if (errno == ELOOP)
            rc = lede__error_set(LEDE_EIO,
                                 "%s: is a symbolic link; lede does not open "
                                 "an index's files through links",
                                 p.data);
        else if (errno != ENOENT && errno != ENOTDIR)
            rc = lede__error_set(LEDE_EIO, "%s: %s", p.data, strerror(errno));
    }
    lede__buf_free(&p);
    return rc;
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
        if ((rc = check_files(path, o->mode)) < 0)
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
                   const lede_index_options *o)
{
    double deadline = seconds() + o->lock_wait_ms / 1000.0;
    if (o->mode == LEDE_OPEN_READ)
        return open_reader(out, r, path, o);
    for (;;) {
        int rc = check_files(path, o->mode);
        if (rc < 0)
            return rc;
        rc = lede__xdb_open(out, path, o->mode);
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

/* Settings every shard of a set must share. */
static const char *const shard_settings[] = {
    META_FORMAT,     META_LANGUAGE,      META_STOPWORDS,
    META_PARAGRAPHS, META_PASSAGE_WORDS, META_PASSAGE_OVERLAP};

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
    return 0;
}

/* Open the index or shard set at path as o says (creating it if o asks
 * and it is missing) and read its settings: a whole revision in *out, or
 * NULL and an error. */
static int open_revision(revision **out, const char *path,
                         const lede_index_options *o)
{
    struct stat st;
    revision *r;
    int rc;

    *out = NULL;
    int missing = stat(path, &st) != 0 && errno == ENOENT;
    if (missing && o->mode != LEDE_OPEN_CREATE)
        return lede__error_set(LEDE_ENOTFOUND, "%s: no such index", path);
    int set = !missing && lede__stub_is_set(path);
    if (set && o->mode != LEDE_OPEN_READ)
        return lede__error_set(LEDE_EINVAL,
                               "%s: a shard set is opened for searching "
                               "only; a set that lede-index --shards made "
                               "is changed with lede_shards_sync()",
                               path);
    if (o->mode == LEDE_OPEN_CREATE && (rc = check_create_target(path)) < 0)
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
                                           sizeof *shard_settings)) < 0)
            goto fail;
    } else if ((rc = open_db(&r->db, r, path, o)) < 0) {
        /* The path exists (checked above), so "not found" means there is
         * no database in it. */
        int denied = lede__perm_openable(path, O_RDONLY, "read the index");
        if (denied < 0)
            rc = denied;
        else if (rc == LEDE_ENOTFOUND)
            rc = lede__error_set(
                LEDE_EINDEX, "%s: not a lede index (no database in it)", path);
        else
            rc = error_prefix(rc == LEDE_EINVAL ? LEDE_EINDEX : rc, path);
        goto fail;
    }
    lede__buf v = LEDE__BUF_INIT;
    rc = lede__xdb_get_metadata(&v, r->db, META_FORMAT);
    uint64_t docs = 0;
    if (rc == 0 && v.len == 0 && o->mode == LEDE_OPEN_CREATE)
        rc = lede__xdb_doccount(&docs, r->db);
    if (rc == 0 && v.len == 0 && o->mode == LEDE_OPEN_CREATE && docs == 0)
        rc = init_index(r); /* a new, empty database */
    else if (rc == 0)
        rc = load_settings(r, path, o);
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

LEDE_EXTERN(int)
lede_index_open(lede_index **out, const char *path,
                const lede_index_options *opts)
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
    if ((rc = open_revision(&idx->rev, path, &opt)) < 0) {
        lede_index_free(idx);
        return rc;
    }
    if (opt.mode != LEDE_OPEN_READ)
        lede__perm_restrict(path); /* the lock file, a new index's tables */
    *out = idx;
    return 0;
}

LEDE_EXTERN(void) lede_index_free(lede_index *idx)
{
    if (idx == NULL)
        return;
    lede__free(idx->path);
    revision_free(idx->rev);
    lede__xdoc_free(idx->doc);
    lede__buf_free(&idx->title);
    lede__buf_free(&idx->body);
    lede__buf_free(&idx->term);
    lede__buf_free(&idx->stemmed);
    lede__buf_free(&idx->idterm);
    lede__buf_free(&idx->record);
    lede__buf_free(&idx->terms);
    lede__buf_free(&idx->spell);
    lede__free(idx->spell_off);
    lede__free(idx->spell_ptr);
    lede__strmap_free(&idx->spellings);
    lede__free(idx->spans);
    lede__free(idx->words);
    lede__free(idx->tspans);
    lede__free(idx->twords);
    lede__free(idx);
}

typedef struct {
    lede_index *idx;    /* whose arena and stemmer */
    lede__span **spans; /* where the spans go */
    word **words;       /* where the words go */
    size_t *n;          /* count */
    size_t *cap;        /* allocated */
} collect;

/* Token callback: stem the word and append it to the arrays. */
static int collect_word(const lede__token *t, void *payload)
{
    collect *c = payload;
    lede_index *idx = c->idx;
    int rc;

    if (*c->n == *c->cap) {
        size_t cap = *c->cap ? *c->cap * 2 : 256;
        lede__span *s = lede__realloc(*c->spans, cap * sizeof *s);
        if (s == NULL)
            return lede__error_nomem();
        *c->spans = s;
        word *w = lede__realloc(*c->words, cap * sizeof *w);
        if (w == NULL)
            return lede__error_nomem();
        *c->words = w;
        *c->cap = cap;
    }
    if (idx->rev->stopwords && lede__analysis_is_stopword(t->term, t->len)) {
        /* A stop word keeps its place (passages count it, positions step
         * over it, as Lucene's do) but is no term: length 0. */
        (*c->spans)[*c->n] = (lede__span){t->start, t->end};
        (*c->words)[*c->n] = (word){t->pos, 0, idx->terms.len};
        (*c->n)++;
        return 0;
    }
    if ((rc = lede__analysis_stem(&idx->stemmed, idx->rev->an, t->term,
                                  t->len)) < 0)
        return rc;
    if (idx->stemmed.len == 0 || idx->stemmed.len > LEDE__TOKEN_MAX)
        return 0;
    /* Words (not numbers) feed the spelling suggestions. */
    if (!(t->term[0] >= '0' && t->term[0] <= '9')) {
        size_t *v =
            lede__grow(idx->spell_off, &idx->capspell, idx->nspell, sizeof *v);
        if (v == NULL)
            return lede__error_nomem();
        idx->spell_off = v;
        v[idx->nspell++] = idx->spell.len;
        if ((rc = lede__buf_put(&idx->spell, t->term, t->len)) < 0 ||
            (rc = lede__buf_putc(&idx->spell, '\0')) < 0)
            return rc;
    }
    (*c->spans)[*c->n] = (lede__span){t->start, t->end};
    (*c->words)[*c->n] =
        (word){t->pos, (uint32_t)idx->stemmed.len, idx->terms.len};
    (*c->n)++;
    return lede__buf_put(&idx->terms, idx->stemmed.data, idx->stemmed.len);
}

/* The article as version LEDE_ARTICLE_VERSION, whatever version the
 * caller's struct is: fields a version lacks take their defaults. */
static lede_article upgrade(const lede_article *a)
{
    lede_article v = LEDE_ARTICLE_INIT;
    v.id = a->id;
    v.title = a->title;
    v.title_len = a->title_len;
    v.body = a->body;
    v.body_len = a->body_len;
    if (a->version >= 2) {
        v.date = a->date;
        v.url = a->url;
    }
    return v;
}

static uint64_t hash_field(uint64_t h, const void *p, size_t n)
{
    uint64_t len = n;
    h = lede__hash(h, &len, sizeof len); /* fields cannot run together */
    return n ? lede__hash(h, p, n) : h;
}

uint64_t lede__article_hash(const lede_article *article)
{
    lede_article a = upgrade(article);
    uint64_t h = LEDE__HASH_INIT;
    h = hash_field(h, a.title, a.title_len);
    h = hash_field(h, a.body, a.body_len);
    h = hash_field(h, &a.date, sizeof a.date);
    return hash_field(h, a.url, a.url ? strlen(a.url) : 0);
}

static int check_article(const lede_article *a)
{
    if (a->version < 1 || a->version > LEDE_ARTICLE_VERSION)
        return lede__error_set(LEDE_EINVAL,
                               "lede_article version %u is not supported",
                               a->version);
    if (a->id == NULL || a->id[0] == '\0')
        return lede__error_set(LEDE_EINVAL, "article id is empty");
    size_t len = strlen(a->id);
    if (len > LEDE_ARTICLE_ID_MAX)
        return lede__error_set(LEDE_EINVAL,
                               "article id of %zu bytes is over the limit "
                               "of %d",
                               len, LEDE_ARTICLE_ID_MAX);
    size_t bad = lede__utf8_check(a->id, len);
    if (bad < len)
        return lede__error_set(LEDE_EINVAL,
                               "article id has invalid UTF-8 at byte %zu", bad);
    if (a->title == NULL && a->title_len > 0)
        return lede__error_set(LEDE_EINVAL, "article %s: title is NULL", a->id);
    if (a->body == NULL && a->body_len > 0)
        return lede__error_set(LEDE_EINVAL, "article %s: body is NULL", a->id);
    if (a->body_len > LEDE__BODY_MAX || a->title_len > LEDE__BODY_MAX)
        return lede__error_set(LEDE_ELIMIT,
                               "article %s: %zu bytes is over the limit of "
                               "%zu",
                               a->id, a->body_len, (size_t)LEDE__BODY_MAX);
    return 0;
}

/* What every passage of the article being added shares. */
typedef struct {
    const lede_article *a; /* the article (current version) */
    const char *source;    /* source key, or NULL */
    size_t source_len;     /* bytes of source */
    char date[16];         /* sortable date, or "" */
    char hash[17];         /* content hash, hex */
    char simhash[17];      /* similarity signature, hex */
} shared;

/* Xapian keeps what it is given for the next commit in memory: some 60
 * bytes a posting, 130 a position and 400 a new spelling word. Within
 * one article, and between spelling words, it is made to write postings
 * and spelling changes to its tables every this many words (uncommitted:
 * the transaction still keeps the article whole), which took a 4 MiB
 * article from 270 to 170 MB. Positions it keeps to the commit or its
 * own threshold (10,000 documents); smaller articles leave all of it to
 * that threshold. */
#define FLUSH_WORDS 65536

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Hand the words counted since the last commit to Xapian's spelling
 * data, each once with its count: one call a word rather than one a word
 * and article. */
void lede__index_defer_spellings(lede_index *idx, int on)
{
    idx->defer_spellings = on;
}

int lede__index_flush_spellings(lede_index *idx)
{
    const lede__strmap *m = &idx->spellings;
    int rc = 0;
    for (size_t i = 0; i < m->n && rc == 0; i++) {
        rc = lede__xdb_add_spelling(idx->rev->db, lede__strmap_key(m, &m->v[i]),
                                    m->v[i].key_len, m->v[i].count);
        if (rc == 0 && (i + 1) % FLUSH_WORDS == 0)
            rc = lede__xdb_flush(idx->rev->db);
    }
    lede__strmap_clear(&idx->spellings);
    return rc;
}

/* Each distinct word of the article, once, into the spelling data: it is
 * what "did you mean" draws on. Deletions do not take words out (Xapian
 * would need the old text); suggestions are checked against the index.
 * Counted here, given to Xapian at the commit. */
static int add_spellings(lede_index *idx)
{
    const char **w = lede__grow(idx->spell_ptr, &idx->capspellptr,
                                idx->nspell ? idx->nspell - 1 : 0, sizeof *w);
    if (w == NULL)
        return lede__error_nomem();
    idx->spell_ptr = w;
    for (size_t i = 0; i < idx->nspell; i++)
        w[i] = idx->spell.data + idx->spell_off[i];
    if (idx->nspell > 1)
        qsort(w, idx->nspell, sizeof *w, by_string);
    int rc = 0;
    for (size_t i = 0; i < idx->nspell && rc == 0; i++) {
        if (i > 0 && strcmp(w[i], w[i - 1]) == 0)
            continue;
        size_t len = strlen(w[i]);
        lede__strmap_entry *e = lede__strmap_find(&idx->spellings, w[i], len);
        if (e == NULL)
            rc = lede__strmap_add(&e, &idx->spellings, w[i], len, "", 0);
        if (rc == 0)
            e->count++;
    }
    return rc;
}

/* Build the document of passage p (ordinal ord) into d. */
static int build_passage(lede_index *idx, const shared *sh, uint32_t ord,
                         const lede__passage *p, lede__xdoc *d)
{
    const char *id = sh->a->id;
    int rc;

    if ((rc = lede__xdoc_clear(d)) < 0 ||
        (rc = lede__xdoc_boolean(d, idx->idterm.data, idx->idterm.len)) < 0)
        return rc;
    if (ord == 0) {
        /* The first passage speaks for the article: the marker, its
         * content hash and where it came from. */
        if ((rc = lede__xdoc_boolean(d, LEDE__TERM_ARTICLE,
                                     strlen(LEDE__TERM_ARTICLE))) < 0 ||
            (rc = lede__xdoc_value(d, LEDE__SLOT_HASH, sh->hash, 16)) < 0)
            return rc;
        if (sh->source != NULL) {
            lede__buf_clear(&idx->term);
            if ((rc = lede__buf_puts(&idx->term, LEDE__PREFIX_SOURCE)) < 0 ||
                (rc = lede__buf_put(&idx->term, sh->source, sh->source_len)) <
                    0 ||
                (rc = lede__xdoc_boolean(d, idx->term.data, idx->term.len)) <
                    0 ||
                (rc = lede__xdoc_value(d, LEDE__SLOT_SOURCE, sh->source,
                                       sh->source_len)) < 0)
                return rc;
        }
    }
    if (sh->date[0] && (rc = lede__xdoc_value(d, LEDE__SLOT_DATE, sh->date,
                                              strlen(sh->date))) < 0)
        return rc;
    if (sh->simhash[0] &&
        (rc = lede__xdoc_value(d, LEDE__SLOT_SIMHASH, sh->simhash, 16)) < 0)
        return rc;
    for (size_t i = 0; i < idx->ntwords; i++) {
        const word *w = &idx->twords[i];
        if (w->len == 0)
            continue; /* a stop word */
        lede__buf_clear(&idx->term);
        if ((rc = lede__buf_puts(&idx->term, LEDE__PREFIX_TITLE)) < 0 ||
            (rc = lede__buf_put(&idx->term, idx->terms.data + w->off, w->len)) <
                0 ||
            (rc = lede__xdoc_posting(d, idx->term.data, idx->term.len, w->pos,
                                     1)) < 0)
            return rc;
    }
    uint32_t base =
        p->tok_begin < p->tok_end ? idx->words[p->tok_begin].pos : 1;
    for (size_t k = p->tok_begin; k < p->tok_end; k++) {
        const word *w = &idx->words[k];
        if (w->len == 0)
            continue; /* a stop word */
        if ((rc = lede__xdoc_posting(d, idx->terms.data + w->off, w->len,
                                     w->pos - base + 1, 1)) < 0)
            return rc;
    }
    if ((rc = lede__xdoc_value(d, LEDE__SLOT_ARTICLE, id, strlen(id))) < 0)
        return rc;

    lede__record r = {ord,
                      p->start,
                      p->end,
                      ord == 0,
                      idx->title.data,
                      idx->title.len,
                      idx->body.data,
                      idx->body.len,
                      sh->a->date,
                      sh->a->url,
                      sh->a->url ? strlen(sh->a->url) : 0,
                      NULL,
                      0};
    lede__buf_clear(&idx->record);
    if ((rc = lede__record_encode(&idx->record, &r)) < 0)
        return rc;
    return lede__xdoc_data(d, idx->record.data, idx->record.len);
}

/* Scratch is kept from one article to the next only up to this much
 * body: one huge article must not leave its word arrays (some 60 bytes a
 * word) behind for the rest of the run. */
#define SCRATCH_KEEP ((size_t)1 << 20)

static void trim_scratch(lede_index *idx)
{
    if (idx->body.cap <= SCRATCH_KEEP && idx->title.cap <= SCRATCH_KEEP)
        return;
    lede__buf_free(&idx->title);
    lede__buf_free(&idx->body);
    lede__buf_free(&idx->terms);
    lede__buf_free(&idx->spell);
    lede__buf_free(&idx->record);
    lede__free(idx->spell_off);
    lede__free(idx->spell_ptr);
    lede__free(idx->spans);
    lede__free(idx->words);
    lede__free(idx->tspans);
    lede__free(idx->twords);
    idx->tspans = NULL;
    idx->twords = NULL;
    idx->ntwords = idx->tcap = 0;
    idx->spell_off = NULL;
    idx->spell_ptr = NULL;
    idx->spans = NULL;
    idx->words = NULL;
    idx->nspell = idx->capspell = idx->capspellptr = 0;
    idx->nwords = idx->cap = 0;
}

static int add_article(lede_index *idx, const lede_article *article,
                       const char *source, size_t source_len)
{
    lede__passage *ps = NULL;
    size_t nps = 0;
    int rc;

    if ((rc = lede__index_usable(idx, 1, "lede_index_add")) < 0)
        return rc;
    if (article == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_index_add: article is NULL");
    if ((rc = check_article(article)) < 0)
        return rc;
    const lede_article a = upgrade(article);
    const char *id = a.id;
    shared sh = {&a, source, source_len, "", "", ""};
    if (a.date != LEDE_NO_DATE)
        lede__date_format(sh.date, a.date);
    snprintf(sh.hash, sizeof sh.hash, "%016llx",
             (unsigned long long)lede__article_hash(article));
    if (a.url != NULL && lede__utf8_check(a.url, strlen(a.url)) < strlen(a.url))
        return lede__error_set(LEDE_EINVAL,
                               "article %s: url has invalid "
                               "UTF-8",
                               id);

    lede__buf_clear(&idx->title);
    lede__buf_clear(&idx->body);
    lede__buf_clear(&idx->terms);
    lede__buf_clear(&idx->spell);
    idx->nwords = idx->ntwords = idx->nspell = 0;
    if ((rc = lede__utf8_sanitize(&idx->title, article->title,
                                  article->title_len, NULL)) < 0 ||
        (rc = lede__utf8_sanitize(&idx->body, article->body, article->body_len,
                                  NULL)) < 0)
        return rc;
    if (idx->body.len > LEDE__BODY_MAX) /* U+FFFD takes 3 bytes */
        return lede__error_set(LEDE_ELIMIT,
                               "article %s: %zu bytes once cleaned is over "
                               "the limit of %zu",
                               id, idx->body.len, (size_t)LEDE__BODY_MAX);

    collect body = {idx, &idx->spans, &idx->words, &idx->nwords, &idx->cap};
    collect title = {idx, &idx->tspans, &idx->twords, &idx->ntwords,
                     &idx->tcap};
    if ((rc = lede__tokenizer_run(lede__analysis_tokenizer(idx->rev->an),
                                  idx->body.data, idx->body.len, collect_word,
                                  &body)) < 0 ||
        (rc = lede__tokenizer_run(lede__analysis_tokenizer(idx->rev->an),
                                  idx->title.data, idx->title.len, collect_word,
                                  &title)) < 0)
        goto done;
    lede__simhash sim;
    lede__simhash_init(&sim);
    for (size_t i = 0; i < idx->nwords; i++) {
        if (idx->words[i].len > 0)
            lede__simhash_add(&sim, idx->terms.data + idx->words[i].off,
                              idx->words[i].len);
    }
    /* A body without words has no signature: all such articles would
     * share one and fold into each other. */
    if (idx->nwords > 0)
        snprintf(sh.simhash, sizeof sh.simhash, "%016llx",
                 (unsigned long long)lede__simhash_final(&sim));
    else
        sh.simhash[0] = '\0';
    lede__segment_opts so = {idx->rev->passage_words,
                             (unsigned)idx->rev->passage_overlap,
                             idx->rev->paragraphs};
    lede__passage whole = {0, idx->body.len, 0, idx->nwords};
    if (idx->rev->passage_words == LEDE_PASSAGE_ARTICLE) {
        /* The article is its only passage. */
        ps = idx->nwords ? lede__malloc(sizeof *ps) : NULL;
        if (idx->nwords && ps == NULL) {
            rc = lede__error_nomem();
            goto done;
        }
        if (ps != NULL) {
            *ps = whole;
            nps = 1;
        }
    } else if ((rc = lede__segment(&ps, &nps, idx->rev->seg, idx->body.data,
                                   idx->body.len, idx->spans, idx->nwords,
                                   &so)) < 0) {
        goto done;
    }

    /* No words in the body: one empty passage keeps the article (and its
     * title) in the index. */
    lede__passage empty = {0, 0, 0, 0};
    const lede__passage *pv = nps ? ps : &empty;
    size_t n = nps ? nps : 1;

    /* Each passage goes to Xapian as soon as it is built, so that one
     * passage's document is held at a time, not every passage's beside
     * what Xapian buffers of them. The transaction keeps the article
     * whole: a failure from here on cancels it (and the changes since the
     * last commit), and everything checked above fails before it
     * begins. */
    if ((rc = lede__key_id_term(&idx->idterm, id, strlen(id))) < 0)
        goto done;
    if (idx->doc == NULL && (rc = lede__xdoc_new(&idx->doc)) < 0)
        goto done;
    if ((rc = lede__xdb_begin(idx->rev->db)) < 0)
        goto done;
    /* Deleting by a term no document holds still costs Xapian a postlist
     * walk (a fifth of a full build's time): look first. The count takes
     * in this transaction's own additions. */
    uint64_t have = 0;
    rc = lede__xdb_termfreq(&have, idx->rev->db, idx->idterm.data,
                            idx->idterm.len);
    if (rc == 0 && have > 0)
        rc = lede__xdb_delete_term(idx->rev->db, idx->idterm.data,
                                   idx->idterm.len);
    size_t unflushed = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = build_passage(idx, &sh, (uint32_t)i, &pv[i], idx->doc);
        if (rc == 0)
            rc = lede__xdb_add(idx->rev->db, idx->doc);
        unflushed += pv[i].tok_end - pv[i].tok_begin;
        if (rc == 0 && unflushed >= FLUSH_WORDS) {
            rc = lede__xdb_flush(idx->rev->db);
            unflushed = 0;
        }
    }
    /* The last passage's terms and record are not kept to the next
     * article. */
    if (rc == 0)
        rc = lede__xdoc_clear(idx->doc);
    if (rc == 0)
        rc = add_spellings(idx);
    if (rc < 0) {
        /* Half an article must never be committed: drop all uncommitted
         * changes of this handle. */
        char msg[512];
        snprintf(msg, sizeof msg, "%s", lede_error_last());
        lede__index_cancel(idx);
        rc = lede__error_set(rc,
                             "%s: %s; the changes since the last commit "
                             "were discarded",
                             id, msg);
        lede__free(ps);
        return rc;
    }
done:
    lede__free(ps);
    if (rc < 0 && rc != LEDE_ENOMEM)
        rc = error_prefix(rc, id);
    return rc;
}

int lede__index_add(lede_index *idx, const lede_article *article,
                    const char *source, size_t source_len)
{
    int rc = add_article(idx, article, source, source_len);
    if (idx != NULL)
        trim_scratch(idx);
    return rc;
}

LEDE_EXTERN(int) lede_index_add(lede_index *idx, const lede_article *article)
{
    return lede__index_add(idx, article, NULL, 0);
}

int lede__index_lookup(lede_index *idx, const char *id, uint64_t *hash_out,
                       lede__buf *source_out)
{
    lede__buf v = LEDE__BUF_INIT;
    int rc = lede__key_id_term(&idx->idterm, id, strlen(id));
    if (rc == 0)
        rc = lede__xdb_first_value(&v, idx->rev->db, idx->idterm.data,
                                   idx->idterm.len, LEDE__SLOT_HASH);
    if (rc == 0) {
        char hex[17] = "";
        memcpy(hex, v.data ? v.data : "", v.len < 16 ? v.len : 16);
        *hash_out = strtoull(hex, NULL, 16);
        rc = lede__xdb_first_value(source_out, idx->rev->db, idx->idterm.data,
                                   idx->idterm.len, LEDE__SLOT_SOURCE);
    }
    lede__buf_free(&v);
    return rc;
}

LEDE_EXTERN(int) lede_index_delete(lede_index *idx, const char *article_id)
{
    uint64_t n;
    int rc;

    if ((rc = lede__index_usable(idx, 1, "lede_index_delete")) < 0)
        return rc;
    if (article_id == NULL)
        return lede__error_set(LEDE_EINVAL,
                               "lede_index_delete: article_id is NULL");
    if ((rc = lede__key_id_term(&idx->idterm, article_id, strlen(article_id))) <
            0 ||
        (rc = lede__xdb_termfreq(&n, idx->rev->db, idx->idterm.data,
                                 idx->idterm.len)) < 0)
        return rc;
    if (n == 0)
        return lede__error_set(LEDE_ENOTFOUND, "%s: no such article",
                               article_id);
    if ((rc = lede__xdb_begin(idx->rev->db)) < 0)
        return rc;
    return lede__xdb_delete_term(idx->rev->db, idx->idterm.data,
                                 idx->idterm.len);
}

void lede__index_cancel(lede_index *idx)
{
    lede__strmap_clear(&idx->spellings);
    lede__xdb_cancel(idx->rev->db);
}

LEDE_EXTERN(int) lede_index_commit(lede_index *idx)
{
    int rc = lede__index_usable(idx, 1, "lede_index_commit");
    if (rc == 0 && idx->spellings.n > 0 && !idx->defer_spellings) {
        if ((rc = lede__xdb_begin(idx->rev->db)) == 0)
            rc = lede__index_flush_spellings(idx);
        if (rc < 0) {
            lede__index_cancel(idx);
            return rc;
        }
    }
    if (rc < 0)
        return rc;
    if ((rc = lede__xdb_commit(idx->rev->db)) == 0)
        lede__perm_restrict(idx->path); /* tables made, version rewritten */
    else
        rc = lede__repair_commit(&idx->rev->db, idx->path, rc);
    return rc;
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
    if ((rc = open_revision(&fresh, idx->path, &o)) < 0)
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
