/*
 * sync.c - keeping an index, or a set of shards, in step with a corpus
 * that changes.
 *
 * Owns lede_index_sync() and the sync of shards: the incremental
 * algorithm. The walk (walk.c) lists the input files with size and
 * modification time; each shard's source records (sources.c) say what they
 * were when that shard last read them. A file whose size and time match is
 * not opened. A file whose raw bytes hash as before is unchanged too, and
 * only its record's time is refreshed. Any other file is read (reader.c),
 * and each of its articles is compared by content hash with the article of
 * the same id: new ones are added, changed ones replaced, equal ones left
 * alone. Articles no longer in a re-read file, and those of files that
 * vanished, are deleted. Commits come every `batch` articles, and a file's
 * source record is written in the transaction that holds its last article,
 * so an interrupted sync leaves nothing half done that the next one would
 * not redo.
 *
 * A sync has one reader and one or more shards (one index is a set of
 * one). The reader walks, decides per shard which files changed, reads
 * each such file once and hands every article to the shard its id hashes
 * to (lede__fnv1a(id) % n), which does the costly part: tokenizing,
 * passages, the index's writes and commits. lede_index_sync() does a
 * shard's work on the reader's thread; a parallel sync gives each of its
 * threads some shards and a bounded queue that the reader fills. Calls
 * walk.c, filter.c (which files are taken), sources.c, reader.c, index.c,
 * writer.c, firstbuild.c (the mark of a first build), buf.c and the
 * shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A progress event goes out every this many articles within a file. */
#define PROGRESS_EVERY 1000
/* An article this big is committed on its own: Xapian holds what it
 * buffered for the batch so far beside what it buffers for the article
 * (some 40 bytes a word, until the commit), and the two would add up. */
#define ALONE_BYTES ((size_t)1 << 20)

/* A thread's queue holds at most this many messages, and past its first
 * one at most this many bytes: the reader keeps a little ahead of the
 * shards, not a corpus ahead, and memory stays small. */
#define QUEUE_MESSAGES 256
#define QUEUE_BYTES ((size_t)16 << 20)

/* What the reader and the shards share. Counts reach the callback summed
 * over all of them: the reader counts files, bytes, skipped files, reader
 * problems and the articles of files it found unchanged; a shard the
 * articles it compared, and its commits. */
typedef struct {
    pthread_mutex_t lock;  /* the callback and pub[] */
    lede_sync_options opt; /* options, defaults filled in */
    unsigned n;            /* shards */
    atomic_int stop;       /* a callback or a failure ended the sync */
    atomic_int failed;     /* a failure: work still queued is dropped */
    lede_sync_stats *pub;  /* counts at each one's last event: [0] the
                              reader's, [1 + k] shard k's */
    lede__filter filter;   /* which files are taken */
} hub;

/* One shard's side of a sync. */
typedef struct {
    hub *hub;                /* shared */
    unsigned shard;          /* which of hub->n */
    int direct;              /* worked on the reader's thread */
    lede_index *idx;         /* the shard's index */
    lede__xdb *db;           /* its database */
    lede__sources srcs;      /* its source records (the reader marks them
                                seen, until it hands them over) */
    lede_sync_stats stats;   /* its counts */
    lede_sync_stats kept;    /* its counts at its last commit */
    size_t pending;          /* changes since the last commit */
    int fatal;               /* an index failure: the sync is over */
    const lede__file *file;  /* file being read */
    uint64_t file_problems;  /* its articles this shard could not take */
    lede__buf skey;          /* its short source key */
    lede__buf other;         /* scratch: another article's source */
    char **seen;             /* ids of the file given to this shard */
    size_t nseen;            /* count */
    size_t capseen;          /* allocated */
    lede__strmap counted;    /* those ids -> how each was counted (SEEN_*) */
    uint64_t since_progress; /* articles since the last progress event */
    int rc;                  /* its result */
    char err[1024];          /* its error message (they are per thread) */
} sync_ctx;

/* What the reader tells a shard. */
typedef enum {
    MSG_BEGIN,   /* the file's articles for the shard follow */
    MSG_ARTICLE, /* one of them */
    MSG_DONE,    /* the file was read to its end */
    MSG_TOUCH,   /* the file is as the shard has it, with a new time */
    MSG_END      /* no more: the thread finishes its shards */
} msg_kind;

typedef struct msg {
    struct msg *next;       /* the next in its queue */
    size_t size;            /* bytes held */
    msg_kind kind;          /* what */
    unsigned shard;         /* for which shard */
    const lede__file *file; /* the file (the reader's, which outlives the
                               threads) */
    uint64_t line;          /* MSG_ARTICLE: its line */
    uint64_t hash;          /* MSG_DONE, MSG_TOUCH: the file's hash */
    uint64_t articles;      /* MSG_TOUCH: the articles it holds */
    uint64_t problems;      /* MSG_DONE: the reader's problems in the file;
                               MSG_TOUCH: those the shard's record holds */
    lede_article a;         /* MSG_ARTICLE: the article; queued, its
                               strings follow the message */
} msg;

typedef struct {
    pthread_mutex_t lock; /* the rest */
    pthread_cond_t more;  /* a message was put */
    pthread_cond_t room;  /* a message was taken */
    msg *head;            /* oldest */
    msg *tail;            /* newest */
    size_t count;         /* messages */
    size_t bytes;         /* their sizes */
} queue;

typedef struct {
    hub *hub;                /* shared */
    sync_ctx *c;             /* the shards */
    queue *q;                /* each thread's queue; NULL: direct */
    unsigned threads;        /* threads; shard k is thread k % threads's */
    lede_sync_stats stats;   /* the reader's counts */
    const lede__file *file;  /* file being read */
    uint64_t file_problems;  /* bad parts of it the reader skipped */
    unsigned char *need;     /* per shard: the file is read for it */
    uint64_t since_progress; /* articles since the last progress event */
    int fatal;               /* the reader failed (out of memory) */
} reader;

static void add_stats(lede_sync_stats *sum, const lede_sync_stats *s)
{
    sum->added += s->added;
    sum->updated += s->updated;
    sum->deleted += s->deleted;
    sum->unchanged += s->unchanged;
    sum->skipped += s->skipped;
    sum->errors += s->errors;
    sum->files_total += s->files_total;
    sum->files_done += s->files_done;
    sum->bytes_total += s->bytes_total;
    sum->bytes_done += s->bytes_done;
    sum->commits += s->commits;
}

/* The counts of the reader and every shard, summed as one sync's. */
static void hub_sum(const hub *h, lede_sync_stats *sum)
{
    memset(sum, 0, sizeof *sum);
    for (unsigned i = 0; i <= h->n; i++)
        add_stats(sum, &h->pub[i]);
}

static int stopped(const hub *h)
{
    return atomic_load(&h->stop);
}

/* Report an event with mine, the counts of the one reporting it (slot
 * its place in pub). Events come one at a time, whatever the thread. */
static int emit(hub *h, lede_sync_stats *slot, const lede_sync_stats *mine,
                lede_sync_event_kind kind, const char *path, uint64_t line,
                const char *message)
{
    lede_sync_stats sum;
    if (h->opt.cb == NULL)
        return 0;
    pthread_mutex_lock(&h->lock);
    *slot = *mine;
    hub_sum(h, &sum);
    lede_sync_event ev = {kind, path, line, message, &sum};
    if (h->opt.cb(&ev, h->opt.payload) != 0)
        atomic_store(&h->stop, 1);
    pthread_mutex_unlock(&h->lock);
    return 0;
}

/* ---- a shard's side ------------------------------------------------------ */

static int shard_emit(sync_ctx *c, lede_sync_event_kind kind, const char *path,
                      uint64_t line, const char *message)
{
    return emit(c->hub, &c->hub->pub[1 + c->shard], &c->stats, kind, path, line,
                message);
}

/* An index failure: this shard's sync is over, and so is everyone's. */
static int fail(sync_ctx *c, int rc)
{
    c->fatal = rc;
    atomic_store(&c->hub->failed, 1);
    atomic_store(&c->hub->stop, 1);
    return rc;
}

static int commit(sync_ctx *c)
{
    if (c->pending == 0)
        return 0; /* nothing to commit */
    int rc = lede_index_commit(c->idx);
    if (rc < 0)
        return fail(c, rc);
    c->pending = 0;
    c->stats.commits++;
    c->kept = c->stats;
    return shard_emit(c, LEDE_SYNC_COMMITTED, NULL, 0, NULL);
}

/* One more change (an article, or a source record); commit when the
 * batch is full. */
static int changed(sync_ctx *c)
{
    if (++c->pending >= c->hub->opt.batch)
        return commit(c);
    return 0;
}

static int remember_id(sync_ctx *c, const char *id)
{
    char **v = lede__grow(c->seen, &c->capseen, c->nseen, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    c->seen = v;
    if ((c->seen[c->nseen] = lede__strndup(id, strlen(id))) == NULL)
        return lede__error_nomem();
    c->nseen++;
    return 0;
}

static void forget_ids(sync_ctx *c)
{
    for (size_t i = 0; i < c->nseen; i++)
        lede__free(c->seen[i]);
    c->nseen = 0;
    lede__strmap_clear(&c->counted);
}

/* How an article of the current file was counted. */
enum { SEEN_ADDED = 1, SEEN_UPDATED, SEEN_UNCHANGED };

static void tally(sync_ctx *c, uint64_t how, int delta)
{
    uint64_t *n = how == SEEN_ADDED     ? &c->stats.added
                  : how == SEEN_UPDATED ? &c->stats.updated
                                        : &c->stats.unchanged;
    *n += (uint64_t)(int64_t)delta;
}

/* Count the article id (content hash h) by what the index ends with
 * against what it held before the file was read: nothing (added), this
 * article (unchanged), another, or one of another file (updated). An id
 * the file gave before is counted once: its count moves. The index's
 * article before the file is kept in the entry's value: "" for none,
 * "-" for another file's, else its hash in hex. */
static int count_article(sync_ctx *c, const char *id, int exists, int mine,
                         uint64_t old, uint64_t h)
{
    size_t len = strlen(id);
    lede__strmap_entry *e = lede__strmap_find(&c->counted, id, len);
    char before[17] = "";
    if (e == NULL) {
        if (exists && mine)
            snprintf(before, sizeof before, "%016llx", (unsigned long long)old);
        else if (exists)
            before[0] = '-';
        int rc =
            lede__strmap_add(&e, &c->counted, id, len, before, strlen(before));
        if (rc < 0)
            return rc;
    } else {
        tally(c, e->count, -1);
        snprintf(before, sizeof before, "%s",
                 lede__strmap_value(&c->counted, e));
    }
    char now[17];
    snprintf(now, sizeof now, "%016llx", (unsigned long long)h);
    e->count = before[0] == '\0'          ? SEEN_ADDED
               : strcmp(before, now) == 0 ? SEEN_UNCHANGED
                                          : SEEN_UPDATED;
    tally(c, e->count, 1);
    return 0;
}

/* The file's articles for this shard follow. */
static int on_begin(sync_ctx *c, const lede__file *f)
{
    int rc;
    c->file = f;
    c->file_problems = 0;
    forget_ids(c);
    if ((rc = lede__source_short(&c->skey, f->key)) < 0)
        return fail(c, rc);
    return 0;
}

/* Whether the article id is the name of the file whose path (or source
 * key, when whole is 0: an absolute path) is p[0..n): its path in the
 * corpus, with or without ".gz". Such an id cannot be taken from the file
 * by another file, whichever is read first. */
static int named_by(const char *p, size_t n, const char *id, int whole)
{
    size_t k = strlen(id);
    if (n >= 3 && memcmp(p + n - 3, ".gz", 3) == 0 && n - 3 >= k &&
        memcmp(p + n - 3 - k, id, k) == 0)
        n -= 3;
    if (n < k || memcmp(p + n - k, id, k) != 0)
        return 0;
    return n == k ? whole : !whole && p[n - k - 1] == '/';
}

/* One article of the current file. */
static int on_article(sync_ctx *c, const lede_article *a, uint64_t line)
{
    uint64_t h, old;
    const char *path = c->file->path;
    char note[512];

    h = lede__writer_article_hash(a);
    int rc = lede__writer_lookup(c->idx, a->id, &old, &c->other);
    if (rc < 0 && rc != LEDE_ENOTFOUND)
        return fail(c, rc);
    int exists = rc == 0;
    int mine = exists && c->other.len == c->skey.len &&
               memcmp(c->other.data, c->skey.data, c->skey.len) == 0;
    if (exists && mine && old == h) {
        if ((rc = remember_id(c, a->id)) < 0 ||
            (rc = count_article(c, a->id, exists, mine, old, h)) < 0)
            return fail(c, rc);
        return 0;
    }
    int other_len = (int)(c->other.len > 200 ? 200 : c->other.len);
    if (exists && !mine && c->other.len > 0 &&
        !(named_by(c->file->rel, strlen(c->file->rel), a->id, 1) &&
          !named_by(c->other.data, c->other.len, a->id, 0))) {
        /* An article belongs to the file it was first read from: another
         * file may not replace it, nor delete it by vanishing. */
        c->stats.errors++;
        c->file_problems++;
        snprintf(note, sizeof note,
                 "article '%s' belongs to another file (%.*s); not indexed "
                 "from this one",
                 a->id, other_len, c->other.data);
        return shard_emit(c, LEDE_SYNC_PROBLEM, path, line, note);
    }
    if ((rc = remember_id(c, a->id)) < 0)
        return fail(c, rc);
    if (exists && !mine && c->other.len > 0) {
        snprintf(note, sizeof note,
                 "article '%s' was read from another file (%.*s), but its id "
                 "is this file's name; this file takes it back",
                 a->id, other_len, c->other.data);
        shard_emit(c, LEDE_SYNC_WARNING, path, line, note);
    }
    int alone = a->body_len + a->title_len >= ALONE_BYTES;
    if (alone && (rc = commit(c)) < 0)
        return rc;
    rc = lede__writer_add(c->idx, a, c->skey.data, c->skey.len);
    if (rc == LEDE_EINVAL || rc == LEDE_ELIMIT) {
        /* This article is bad (its id, say); pending work is intact. */
        c->stats.errors++;
        c->file_problems++;
        c->nseen--;
        lede__free(c->seen[c->nseen]);
        shard_emit(c, LEDE_SYNC_PROBLEM, path, line, lede_error_last());
        return 0;
    }
    if (rc < 0)
        return fail(c, rc);
    /* An id the file gave before (the reader warned) is counted once. */
    if ((rc = count_article(c, a->id, exists, mine, old, h)) < 0)
        return fail(c, rc);
    /* A parallel sync's reader reports its own progress. */
    if (c->direct && ++c->since_progress >= PROGRESS_EVERY) {
        c->since_progress = 0;
        shard_emit(c, LEDE_SYNC_PROGRESS, path, 0, NULL);
    }
    if (alone) {
        c->pending++;
        return commit(c);
    }
    return changed(c);
}
typedef struct {
    char **ids; /* article ids of one source */
    size_t n;   /* count */
    size_t cap; /* allocated */
} idlist;

static int collect_id(const lede__xdocinfo *d, void *payload)
{
    idlist *l = payload;
    char **v = lede__grow(l->ids, &l->cap, l->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    l->ids = v;
    l->ids[l->n] = lede__strndup(d->value[LEDE__SLOT_ARTICLE],
                                 d->value_len[LEDE__SLOT_ARTICLE]);
    if (l->ids[l->n] == NULL)
        return lede__error_nomem();
    l->n++;
    return 0;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Delete the articles whose first passage names source skey, except those
 * in keep (sorted). */
static int delete_articles(sync_ctx *c, const lede__buf *skey, char **keep,
                           size_t nkeep)
{
    lede__buf term = LEDE__BUF_INIT;
    idlist l = {NULL, 0, 0};
    int rc = lede__buf_puts(&term, LEDE__PREFIX_SOURCE);
    if (rc == 0)
        rc = lede__buf_put(&term, skey->data, skey->len);
    if (rc == 0)
        rc = lede__xdb_term_docs(c->db, term.data, term.len, collect_id, &l);
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        if (nkeep && bsearch(&l.ids[i], keep, nkeep, sizeof *keep, by_str))
            continue;
        rc = lede_index_delete(c->idx, l.ids[i]);
        if (rc == 0) {
            c->stats.deleted++;
            rc = changed(c);
        } else if (rc == LEDE_ENOTFOUND) {
            rc = 0;
        }
    }
    for (size_t i = 0; i < l.n; i++)
        lede__free(l.ids[i]);
    lede__free(l.ids);
    lede__buf_free(&term);
    if (rc < 0)
        fail(c, rc);
    return rc;
}

/* Articles the index holds from source skey. */
static int count_articles(sync_ctx *c, const lede__buf *skey, uint64_t *n)
{
    lede__buf term = LEDE__BUF_INIT;
    int rc = lede__buf_puts(&term, LEDE__PREFIX_SOURCE);
    if (rc == 0)
        rc = lede__buf_put(&term, skey->data, skey->len);
    if (rc == 0)
        rc = lede__xdb_termfreq(n, c->db, term.data, term.len);
    lede__buf_free(&term);
    return rc;
}

/* The current file was read to its end (its raw bytes hash to hash): the
 * articles the shard holds from it and did not get again go, and its
 * record goes in the transaction of its last article. The record counts
 * the file's problems, to report them again while the file is unchanged:
 * the shard's own, and in shard 0's record the reader's too (whose
 * problems are the same for every shard), so that the records of all
 * shards add up to the file's. */
static int on_done(sync_ctx *c, uint64_t hash, uint64_t reader_problems)
{
    const lede__file *f = c->file;
    lede__source rec = {
        f->key,
        f->size,
        f->mtime_ns,
        hash,
        0,
        c->file_problems + (c->shard == 0 ? reader_problems : 0),
        1};
    int rc;
    if (c->hub->opt.delete_vanished) {
        if (c->nseen > 1)
            qsort(c->seen, c->nseen, sizeof *c->seen, by_str);
        if ((rc = delete_articles(c, &c->skey, c->seen, c->nseen)) < 0)
            return rc;
    }
    forget_ids(c);
    if ((rc = count_articles(c, &c->skey, &rec.articles)) < 0 ||
        (rc = lede__source_store(c->db, &rec)) < 0)
        return fail(c, rc);
    return changed(c);
}

/* File f is as the shard has it, with another time: only its record
 * changes. */
static int on_touch(sync_ctx *c, const lede__file *f, uint64_t hash,
                    uint64_t articles, uint64_t problems)
{
    lede__source rec = {f->key,   f->size, f->mtime_ns, hash, articles,
                        problems, 1};
    int rc = lede__source_store(c->db, &rec);
    if (rc < 0)
        return fail(c, rc);
    return changed(c);
}

/* A source under the roots that the walk no longer finds. */
static int vanished(sync_ctx *c, const lede__source *st)
{
    int rc;
    if (c->hub->opt.delete_vanished) {
        lede__buf skey = LEDE__BUF_INIT;
        rc = lede__source_short(&skey, st->key);
        if (rc == 0)
            rc = delete_articles(c, &skey, NULL, 0);
        lede__buf_free(&skey);
        if (rc < 0)
            return fail(c, rc);
    }
    if ((rc = lede__source_forget(c->db, st->key)) < 0)
        return fail(c, rc);
    return changed(c);
}

static void deliver(sync_ctx *c, const msg *m)
{
    if (c->fatal)
        return;
    switch (m->kind) {
    case MSG_BEGIN:
        on_begin(c, m->file);
        break;
    case MSG_ARTICLE:
        on_article(c, &m->a, m->line);
        break;
    case MSG_DONE:
        on_done(c, m->hash, m->problems);
        break;
    case MSG_TOUCH:
        on_touch(c, m->file, m->hash, m->articles, m->problems);
        break;
    case MSG_END:
        break;
    }
}

/* After the reader's last message (and with its records marked seen): the
 * sources that vanished, and the last commit. Sets c->rc. */
static void shard_finish(sync_ctx *c)
{
    int rc = 0;
    for (size_t i = 0; i < c->srcs.n && !c->fatal && !stopped(c->hub); i++) {
        if (!c->srcs.v[i].seen)
            vanished(c, &c->srcs.v[i]);
    }
    if (!c->fatal && commit(c) == 0 && stopped(c->hub))
        rc = lede__error_set(LEDE_EUSER, "stopped; the work done so far is "
                                         "committed");
    if (c->fatal) {
        /* Never leave half a batch to a later commit; what it held is
         * not counted as done. */
        lede__writer_cancel(c->idx);
        c->stats.added = c->kept.added;
        c->stats.updated = c->kept.updated;
        c->stats.deleted = c->kept.deleted;
        rc = c->fatal;
    }
    c->rc = rc;
}

/* ---- the queues ------------------------------------------------------- */

static int queue_init(queue *q)
{
    memset(q, 0, sizeof *q);
    if (pthread_mutex_init(&q->lock, NULL) != 0)
        return lede__error_set(LEDE_ERROR, "cannot make a mutex");
    if (pthread_cond_init(&q->more, NULL) != 0) {
        pthread_mutex_destroy(&q->lock);
        return lede__error_set(LEDE_ERROR, "cannot make a condition");
    }
    if (pthread_cond_init(&q->room, NULL) != 0) {
        pthread_cond_destroy(&q->more);
        pthread_mutex_destroy(&q->lock);
        return lede__error_set(LEDE_ERROR, "cannot make a condition");
    }
    return 0;
}

static void queue_destroy(queue *q)
{
    while (q->head != NULL) {
        msg *m = q->head;
        q->head = m->next;
        lede__free(m);
    }
    pthread_cond_destroy(&q->room);
    pthread_cond_destroy(&q->more);
    pthread_mutex_destroy(&q->lock);
}

/* Put m (the queue's from now on) at the end, waiting for room. */
static void queue_put(queue *q, msg *m)
{
    pthread_mutex_lock(&q->lock);
    while (q->count >= QUEUE_MESSAGES ||
           (q->count > 0 && q->bytes + m->size > QUEUE_BYTES))
        pthread_cond_wait(&q->room, &q->lock);
    m->next = NULL;
    if (q->tail != NULL)
        q->tail->next = m;
    else
        q->head = m;
    q->tail = m;
    q->count++;
    q->bytes += m->size;
    pthread_cond_signal(&q->more);
    pthread_mutex_unlock(&q->lock);
}

/* The oldest message (the caller's from now on), waiting for one. */
static msg *queue_take(queue *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->head == NULL)
        pthread_cond_wait(&q->more, &q->lock);
    msg *m = q->head;
    q->head = m->next;
    if (q->head == NULL)
        q->tail = NULL;
    q->count--;
    q->bytes -= m->size;
    pthread_cond_signal(&q->room);
    pthread_mutex_unlock(&q->lock);
    return m;
}

/* A copy of m in one allocation, an article's strings with it. */
static msg *msg_copy(const msg *m)
{
    const lede_article *a = &m->a;
    size_t id_len = 0, url_len = 0, size = sizeof *m;
    if (m->kind == MSG_ARTICLE) {
        id_len = a->id != NULL ? strlen(a->id) + 1 : 0;
        url_len = a->url != NULL ? strlen(a->url) + 1 : 0;
        size += id_len + a->title_len + a->body_len + url_len;
    }
    msg *c = lede__malloc(size);
    if (c == NULL)
        return NULL;
    *c = *m;
    c->size = size;
    if (m->kind == MSG_ARTICLE) {
        char *p = (char *)(c + 1);
        if (a->id != NULL) {
            c->a.id = memcpy(p, a->id, id_len);
            p += id_len;
        }
        if (a->title_len > 0) {
            c->a.title = memcpy(p, a->title, a->title_len);
            p += a->title_len;
        }
        if (a->body_len > 0) {
            c->a.body = memcpy(p, a->body, a->body_len);
            p += a->body_len;
        }
        if (a->url != NULL)
            c->a.url = memcpy(p, a->url, url_len);
    }
    return c;
}

/* ---- the reader ---------------------------------------------------------- */

static int reader_emit(reader *r, lede_sync_event_kind kind, const char *path,
                       uint64_t line, const char *message)
{
    if (r->q == NULL)
        r->hub->pub[1] = r->c[0].stats; /* one thread: the shard's, live */
    return emit(r->hub, &r->hub->pub[0], &r->stats, kind, path, line, message);
}

/* Give m to its shard: at once when direct, else through its thread's
 * queue (as a copy). Non-zero when the sync must end. */
static int post(reader *r, const msg *m)
{
    if (r->q == NULL) {
        sync_ctx *c = &r->c[m->shard];
        deliver(c, m);
        return c->fatal;
    }
    msg *copy = msg_copy(m);
    if (copy == NULL) {
        r->fatal = lede__error_nomem();
        atomic_store(&r->hub->failed, 1);
        atomic_store(&r->hub->stop, 1);
        return r->fatal;
    }
    queue_put(&r->q[m->shard % r->threads], copy);
    return 0;
}

/* The reader's failure, or when direct its shard's. */
static int reader_failed(const reader *r)
{
    if (r->fatal)
        return r->fatal;
    return r->q == NULL ? r->c[0].fatal : 0;
}

static int on_read(const lede_read_event *ev, void *payload)
{
    reader *r = payload;
    hub *h = r->hub;
    if (ev->article != NULL) {
        const char *id = ev->article->id;
        unsigned k =
            id != NULL ? (unsigned)(lede__fnv1a(id, strlen(id)) % h->n) : 0;
        if (r->need[k]) {
            msg m;
            memset(&m, 0, sizeof m);
            m.kind = MSG_ARTICLE;
            m.shard = k;
            m.file = r->file;
            m.line = ev->line;
            m.a = *ev->article;
            post(r, &m);
            if (r->q != NULL && ++r->since_progress >= PROGRESS_EVERY) {
                r->since_progress = 0;
                reader_emit(r, LEDE_SYNC_PROGRESS, r->file->path, 0, NULL);
            }
        }
    } else if (ev->code == 0) {
        reader_emit(r, LEDE_SYNC_WARNING, r->file->path, ev->line, ev->message);
    } else if (ev->code == LEDE_ENOMEM) {
        /* Not the file's fault: the sync ends rather than lose it. */
        r->fatal = lede__error_set(LEDE_ENOMEM, "%s", ev->message);
        atomic_store(&h->failed, 1);
        atomic_store(&h->stop, 1);
    } else {
        r->stats.errors++;
        r->file_problems++;
        reader_emit(r, LEDE_SYNC_PROBLEM, r->file->path, ev->line, ev->message);
    }
    int rc = reader_failed(r);
    if (rc)
        return rc;
    return stopped(h) ? LEDE_EUSER : 0;
}

/* The id of a one-article file: its path in the corpus, without ".gz". */
static char *file_id(const lede__file *f)
{
    size_t len = strlen(f->rel);
    if (len > 3 && strcmp(f->rel + len - 3, ".gz") == 0)
        len -= 3;
    return lede__strndup(f->rel, len);
}

/* Send the file's news of one kind to every shard that reads it. */
static int send_needy(reader *r, msg_kind kind, uint64_t hash)
{
    msg m;
    memset(&m, 0, sizeof m);
    m.kind = kind;
    m.file = r->file;
    m.hash = hash;
    m.problems = r->file_problems;
    for (unsigned k = 0; k < r->hub->n; k++) {
        if (!r->need[k])
            continue;
        m.shard = k;
        int rc = post(r, &m);
        if (rc)
            return rc;
    }
    return 0;
}

/* A file not read again because it is unchanged still has the problems
 * found when it was read: they count, and are told, every time, until
 * the file is mended. */
static int report_remembered(reader *r, const lede__file *f, uint64_t n)
{
    char why[160];
    snprintf(why, sizeof why,
             "%llu bad part%s skipped when the file was read; it is "
             "unchanged since",
             (unsigned long long)n, n == 1 ? "" : "s");
    r->stats.errors += n;
    return reader_emit(r, LEDE_SYNC_PROBLEM, f->path, 0, why);
}

/* Bring every shard in step with one file: from each shard's record of
 * it, the shards that must read it; the file is read once for them all.
 * Returns non-zero only when the sync must end. */
static int sync_file(reader *r, const lede__file *f)
{
    hub *h = r->hub;
    uint64_t hash = 0, remembered = 0;
    int hashed = 0, hash_rc = 0, any = 0, rc;

    r->file = f;
    r->file_problems = 0;
    for (unsigned k = 0; k < h->n; k++) {
        lede__source *st = lede__sources_find(&r->c[k].srcs, f->key);
        r->need[k] = 1;
        if (st == NULL) {
            any = 1;
            continue;
        }
        st->seen = 1;
        if (st->size == f->size && st->mtime_ns == f->mtime_ns) {
            r->stats.unchanged += st->articles;
            remembered += st->problems;
            r->need[k] = 0;
            continue;
        }
        /* Touched, or changed? The raw bytes decide. */
        if (!hashed) {
            hash_rc = lede__file_hash(&hash, f->path);
            hashed = 1;
        }
        if (hash_rc == 0 && hash == st->hash) {
            r->stats.unchanged += st->articles;
            remembered += st->problems;
            r->need[k] = 0;
            msg m;
            memset(&m, 0, sizeof m);
            m.kind = MSG_TOUCH;
            m.shard = k;
            m.file = f;
            m.hash = hash;
            m.articles = st->articles;
            m.problems = st->problems;
            if ((rc = post(r, &m)) != 0)
                return rc;
            continue;
        }
        any = 1;
    }
    if (!any)
        return remembered > 0 ? report_remembered(r, f, remembered) : 0;

    char *id = file_id(f);
    if (id == NULL)
        return r->fatal = lede__error_nomem();
    if ((rc = send_needy(r, MSG_BEGIN, 0)) != 0) {
        lede__free(id);
        return rc;
    }
    lede_read_options ro = h->opt.read;
    ro.format = f->format;
    ro.id = id;
    r->since_progress = 0;
    rc = lede__read_file(f->path, &ro, on_read, r, &hash);
    lede__free(id);
    int failed = reader_failed(r);
    if (failed)
        return failed;
    if (rc == LEDE_EUSER || stopped(h))
        return 0; /* stopped inside the file: no record, read it again */
    if (rc == LEDE_ENOMEM)
        return r->fatal = rc; /* not the file's fault: do not skip it */
    if (rc < 0) {
        /* The file as a whole failed; its articles read before the
         * failure stay, nothing of it is deleted, and with no record it
         * is read again next time. */
        r->stats.skipped++;
        const char *why = lede_error_last();
        size_t n = strlen(f->path);
        if (strncmp(why, f->path, n) == 0 && strncmp(why + n, ": ", 2) == 0)
            why += n + 2; /* the event names the file already */
        return reader_emit(r, LEDE_SYNC_SKIPPED, f->path, 0, why);
    }
    return send_needy(r, MSG_DONE, hash);
}

static int walk_report(lede_sync_event_kind kind, const char *path,
                       const char *why, void *payload)
{
    reader *r = payload;
    if (kind == LEDE_SYNC_SKIPPED)
        r->stats.skipped++;
    reader_emit(r, kind, path, 0, why);
    return stopped(r->hub) ? LEDE_EUSER : 0;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const lede__file *)a)->key, ((const lede__file *)b)->key);
}

/* lede_sync_options as a caller built before lede_read_options grew
 * (read version 1) lays it out: read is held by value, so the fields
 * after it sit earlier than they now do. */
typedef struct {
    unsigned int version;
    struct {
        unsigned int version;
        lede_format format;
        const char *id;
        uint64_t max_file_bytes;
        size_t max_article_bytes;
        unsigned int max_ratio;
        const char *json[5];
    } read;
    int delete_vanished;
    int follow_symlinks;
    size_t batch;
    lede_sync_cb cb;
    void *payload;
    unsigned int threads;
} sync_options_read1;

int lede__sync_options_copy(lede_sync_options *o, const lede_sync_options *in)
{
    static const lede_sync_options defaults = LEDE_SYNC_OPTIONS_INIT;
    *o = defaults;
    if (in == NULL)
        return 0;
    if (in->version < 1 || in->version > LEDE_SYNC_OPTIONS_VERSION)
        return lede__error_set(LEDE_EINVAL,
                               "lede_sync_options version %u is not "
                               "supported (1..%d)",
                               in->version, LEDE_SYNC_OPTIONS_VERSION);
    if (in->read.version == 1) {
        const sync_options_read1 *old = (const void *)in;
        memcpy(&o->read, &old->read, sizeof old->read);
        o->delete_vanished = old->delete_vanished;
        o->follow_symlinks = old->follow_symlinks;
        o->batch = old->batch;
        o->cb = old->cb;
        o->payload = old->payload;
        if (in->version >= 2)
            o->threads = old->threads;
    } else {
        /* An older caller's struct ends before the fields it lacks. */
        memcpy(o, in,
               in->version >= 3   ? sizeof *o
               : in->version == 2 ? offsetof(lede_sync_options, include)
                                  : offsetof(lede_sync_options, threads));
    }
    /* The copy is of this layout, whatever the caller's. */
    o->version = LEDE_SYNC_OPTIONS_VERSION;
    if (o->read.version >= 1)
        o->read.version = LEDE_READ_OPTIONS_VERSION;
    return 0;
}

static int check_options(lede_sync_options *o, const lede_sync_options *in)
{
    lede_read_options ro;
    int rc = lede__sync_options_copy(o, in);
    if (rc == 0)
        rc = lede__read_options_copy(&ro, &o->read);
    if (rc < 0)
        return rc;
    o->read = ro;
    if (o->batch == 0)
        o->batch = 1000;
    return 0;
}

/* Drop the files from first on that the patterns leave out, each
 * reported; their records stay unseen, so they go as vanished files do. */
static int filter_files(reader *r, lede__files *files, size_t first)
{
    const lede__filter *flt = &r->hub->filter;
    lede__buf why = LEDE__BUF_INIT;
    size_t kept = first;
    int rc = 0;
    if (flt->ninclude + flt->nexclude == 0)
        return 0;
    for (size_t i = first; i < files->n; i++) {
        lede__file *f = &files->v[i];
        int take = rc < 0 ? 1 : lede__filter_takes(flt, f->rel, &why);
        if (take < 0)
            rc = take;
        if (take != 0) {
            files->v[kept++] = *f;
            continue;
        }
        reader_emit(r, LEDE_SYNC_IGNORED, f->path, 0, why.data);
        lede__free(f->path);
        lede__free(f->rel);
        lede__free(f->key);
    }
    files->n = kept;
    lede__buf_free(&why);
    return rc;
}

/* The patterns of this sync: the caller's, which every shard then keeps
 * (committed with its first commit), or else those the index keeps. */
static int choose_filter(reader *r)
{
    hub *h = r->hub;
    const lede_sync_options *o = &h->opt;
    if (o->include == NULL && o->exclude == NULL)
        return lede__filter_load(&h->filter, r->c[0].db);
    int rc =
        lede__filter_set(&h->filter, o->include, o->include ? o->ninclude : 0,
                         o->exclude, o->exclude ? o->nexclude : 0);
    for (unsigned k = 0; k < h->n && rc == 0; k++) {
        lede__filter old;
        if ((rc = lede__filter_load(&old, r->c[k].db)) == LEDE_ECORRUPT)
            rc = 0; /* replaced */
        if (rc == 0 && !lede__filter_equal(&old, &h->filter)) {
            rc = lede__filter_store(r->c[k].db, &h->filter);
            r->c[k].pending++;
        }
        lede__filter_free(&old);
    }
    return rc;
}

/* Walk every root first: a root that is missing (an unmounted disk, say)
 * must stop the sync before anything is taken for vanished. Loads each
 * shard's records of the roots' files. */
static int walk_roots(reader *r, lede__files *files, const char *const *roots,
                      size_t nroots)
{
    hub *h = r->hub;
    int rc = 0;
    for (size_t i = 0; i < nroots && rc == 0; i++) {
        if (roots[i] == NULL)
            return lede__error_set(LEDE_EINVAL, "root %zu is NULL", i);
        size_t before = files->n;
        rc = lede__walk(files, roots[i], h->opt.read.format,
                        h->opt.follow_symlinks, walk_report, r);
        if (rc == LEDE_EUSER)
            break;
        if (rc < 0)
            return rc;
        char *abs = realpath(roots[i], NULL);
        if (abs == NULL)
            return lede__error_set(LEDE_EINVAL, "%s: cannot resolve", roots[i]);
        int is_file =
            files->n == before + 1 && strcmp(files->v[before].key, abs) == 0;
        if ((rc = filter_files(r, files, before)) < 0) {
            free(abs);
            return rc;
        }
        for (unsigned k = 0; k < h->n && rc == 0; k++)
            rc = lede__sources_load(&r->c[k].srcs, r->c[k].db, abs, is_file);
        free(abs);
    }
    if (rc < 0 && rc != LEDE_EUSER)
        return rc;
    for (unsigned k = 0; k < h->n; k++)
        lede__sources_sort(&r->c[k].srcs);
    if (files->n > 1)
        qsort(files->v, files->n, sizeof *files->v, by_key);
    for (size_t i = 0; i < files->n; i++) {
        r->stats.files_total++;
        r->stats.bytes_total += files->v[i].size;
    }
    return 0;
}

/* Every file, each given to the shards that read it. */
static int read_all(reader *r, const lede__files *files)
{
    int rc = 0;
    for (size_t i = 0; i < files->n && rc == 0 && !stopped(r->hub); i++) {
        const lede__file *f = &files->v[i];
        if (i > 0 && strcmp(f->key, files->v[i - 1].key) == 0) {
            /* Overlapping roots: the same file twice. */
            reader_emit(r, LEDE_SYNC_IGNORED, f->path, 0,
                        "already read through another root");
            continue;
        }
        rc = sync_file(r, f);
        r->stats.files_done++;
        r->stats.bytes_done += f->size;
        reader_emit(r, LEDE_SYNC_PROGRESS, f->path, 0, NULL);
    }
    return rc;
}

/* ---- the shards' threads ------------------------------------------------- */

typedef struct {
    reader *r;  /* the sync */
    unsigned t; /* which thread: shards t, t + threads, ... */
    int whole;  /* kept whole or not at all: spellings deferred */
    msg end;    /* its last message, made before it starts (the end of a
                   sync cannot fail for want of memory) */
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    reader *r = w->r;
    hub *h = r->hub;
    queue *q = &r->q[w->t];

    /* A build kept whole or not at all can leave the spelling data to its
     * end; a shard set's sync, resumed after a crash, cannot. */
    for (unsigned k = w->t; k < h->n && w->whole; k += r->threads)
        lede__writer_defer_spellings(r->c[k].idx, 1);
    for (;;) {
        msg *m = queue_take(q);
        if (m->kind == MSG_END)
            break; /* w->end, not allocated */
        if (!atomic_load(&h->failed))
            deliver(&r->c[m->shard], m);
        lede__free(m);
    }
    for (unsigned k = w->t; k < h->n; k += r->threads) {
        sync_ctx *c = &r->c[k];
        if (r->fatal && !c->fatal)
            c->fatal = r->fatal; /* what is pending is not complete */
        shard_finish(c);
        if (w->whole)
            lede__writer_defer_spellings(c->idx, 0);
        if (c->rc == 0)
            c->rc = lede_index_commit(c->idx);
        if (c->rc < 0) {
            snprintf(c->err, sizeof c->err, "%s", lede_error_last());
            if (c->rc != LEDE_EUSER)
                atomic_store(&h->stop, 1); /* the others end too */
        }
    }
    return NULL;
}

/* The shards' threads read what the reader (this thread) sends. */
static int run_threads(reader *r, const lede__files *files, int whole)
{
    hub *h = r->hub;
    unsigned ready = 0, started = 0;
    pthread_t *tid = lede__calloc(r->threads, sizeof *tid);
    worker *w = lede__calloc(r->threads, sizeof *w);
    r->q = lede__calloc(r->threads, sizeof *r->q);
    int rc = 0;

    if (tid == NULL || w == NULL || r->q == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    for (ready = 0; ready < r->threads; ready++)
        if ((rc = queue_init(&r->q[ready])) < 0)
            goto done;
    for (started = 0; started < r->threads; started++) {
        w[started].r = r;
        w[started].t = started;
        w[started].whole = whole;
        w[started].end.kind = MSG_END;
        w[started].end.size = sizeof w[started].end;
        if (pthread_create(&tid[started], NULL, work, &w[started]) != 0) {
            atomic_store(&h->failed, 1);
            atomic_store(&h->stop, 1);
            rc = lede__error_set(LEDE_ERROR, "cannot start a thread");
            break;
        }
    }
    if (rc == 0)
        read_all(r, files);
    for (unsigned t = 0; t < started; t++)
        queue_put(&r->q[t], &w[t].end);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    /* The shards of a thread that never started were never synced. */
    for (unsigned t = started; t < r->threads; t++) {
        for (unsigned k = t; k < h->n; k += r->threads) {
            r->c[k].rc = LEDE_EUSER;
            snprintf(r->c[k].err, sizeof r->c[k].err,
                     "stopped before the shard's sync began");
        }
    }
done:
    for (unsigned t = 0; t < ready; t++)
        queue_destroy(&r->q[t]);
    lede__free(r->q);
    r->q = NULL;
    lede__free(tid);
    lede__free(w);
    return rc;
}

/* A sync of the n shards idxs, by threads threads (0: the reader's thread
 * does the one shard's work). */
static int sync_run(lede_sync_stats *stats_out, lede_index *const *idxs,
                    unsigned n, unsigned threads, int whole,
                    const char *const *names, const char *const *roots,
                    size_t nroots, const lede_sync_options *opts)
{
    hub h;
    reader r;
    lede__files files = {NULL, 0, 0};
    int rc = 0, mutex = 0;

    memset(&h, 0, sizeof h);
    memset(&r, 0, sizeof r);
    atomic_init(&h.stop, 0);
    atomic_init(&h.failed, 0);
    h.n = n;
    r.hub = &h;
    r.threads = threads;
    if (stats_out != NULL)
        memset(stats_out, 0, sizeof *stats_out);
    for (unsigned k = 0; k < n; k++)
        if ((rc = lede__index_usable(idxs[k], 1, "lede_index_sync")) < 0)
            return rc;
    if (roots == NULL && nroots > 0)
        return lede__error_set(LEDE_EINVAL, "lede_index_sync: roots is NULL");
    if ((rc = check_options(&h.opt, opts)) < 0)
        return rc;
    h.pub = lede__calloc(n + 1, sizeof *h.pub);
    r.c = lede__calloc(n, sizeof *r.c);
    r.need = lede__calloc(n, 1);
    if (h.pub == NULL || r.c == NULL || r.need == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    if (pthread_mutex_init(&h.lock, NULL) != 0) {
        rc = lede__error_set(LEDE_ERROR, "cannot make a mutex");
        goto done;
    }
    mutex = 1;
    for (unsigned k = 0; k < n; k++) {
        r.c[k].hub = &h;
        r.c[k].shard = k;
        r.c[k].direct = threads == 0;
        r.c[k].idx = idxs[k];
        r.c[k].db = lede__index_db(idxs[k]);
        /* The index remembers the corpus's encoding, so that every sync
         * reads its files alike; a new setting is committed with the
         * sync's work. */
        int stored = 0;
        if ((rc = lede__index_encoding(idxs[k], &h.opt.read.encoding,
                                       &stored)) < 0)
            goto done;
        r.c[k].pending += stored;
        /* A first build is marked with its first batch, so that a stopped
         * one is known for what it is by the run that finishes it. */
        if ((rc = lede__firstbuild_mark(idxs[k], &stored)) < 0)
            goto done;
        r.c[k].pending += stored;
    }

    if ((rc = choose_filter(&r)) < 0 ||
        (rc = walk_roots(&r, &files, roots, nroots)) < 0)
        goto done;
    if (threads == 0) {
        rc = read_all(&r, &files);
        if (r.fatal)
            r.c[0].fatal = r.fatal; /* what is pending is not complete */
        shard_finish(&r.c[0]);
        rc = r.c[0].rc;
    } else if ((rc = run_threads(&r, &files, whole)) == 0 && r.fatal) {
        rc = r.fatal;
    } else if (rc == 0) {
        /* The first real failure, else a stop. */
        for (unsigned k = 0; k < n; k++) {
            sync_ctx *c = &r.c[k];
            if (c->rc < 0 && (rc == 0 || rc == LEDE_EUSER)) {
                if (c->rc == LEDE_ENOMEM)
                    rc = lede__error_nomem();
                else if (names != NULL)
                    rc = lede__error_set(c->rc, "%s: %s", names[k], c->err);
                else
                    rc = lede__error_set(c->rc, "%s", c->err);
            }
        }
    }
done:
    if (stats_out != NULL && h.pub != NULL) {
        h.pub[0] = r.stats;
        for (unsigned k = 0; k < n && r.c != NULL; k++)
            h.pub[1 + k] = r.c[k].stats;
        hub_sum(&h, stats_out);
    }
    for (unsigned k = 0; k < n && r.c != NULL; k++) {
        forget_ids(&r.c[k]);
        lede__free(r.c[k].seen);
        lede__strmap_free(&r.c[k].counted);
        lede__buf_free(&r.c[k].skey);
        lede__buf_free(&r.c[k].other);
        lede__sources_free(&r.c[k].srcs);
    }
    if (mutex)
        pthread_mutex_destroy(&h.lock);
    lede__filter_free(&h.filter);
    lede__files_free(&files);
    lede__free(h.pub);
    lede__free(r.c);
    lede__free(r.need);
    return rc;
}

LEDE_EXTERN(int)
lede_index_sync(lede_sync_stats *stats_out, lede_index *idx,
                const char *const *roots, size_t nroots,
                const lede_sync_options *opts)
{
    return sync_run(stats_out, &idx, 1, 0, 0, NULL, roots, nroots, opts);
}

int lede__sync_shards(lede_sync_stats *stats_out, lede_index *const *idxs,
                      unsigned n, unsigned threads, int whole,
                      const char *const *names, const char *const *roots,
                      size_t nroots, const lede_sync_options *opts)
{
    if (threads == 0 || threads > n)
        threads = n;
    return sync_run(stats_out, idxs, n, threads, whole, names, roots, nroots,
                    opts);
}

int lede__sync_parallel(lede_sync_stats *stats_out, lede_index *const *idxs,
                        unsigned n, const char *const *roots, size_t nroots,
                        const lede_sync_options *opts)
{
    return lede__sync_shards(stats_out, idxs, n, n, 1, NULL, roots, nroots,
                             opts);
}
