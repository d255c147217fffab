/*
 * sync.c - keeping an index, or a set of shards, in step with a corpus
 * that changes.
 *
 * Owns lede_index_sync() and the sync of shards: the incremental
 * algorithm's reader. The walk (walk.c) lists the input files with size
 * and modification time; each shard's source records (sources.c) say what
 * they were when that shard last read them. A file whose size and time
 * match is not opened. A file whose raw bytes hash as before is unchanged
 * too, and only its record's time is refreshed. Any other file is read
 * (reader.c) once for every shard that needs it, and each of its articles
 * is handed to the shard its id hashes to (lede__hash_fnv1a(id) % n). What a
 * shard does with them (compare, add, replace, delete, commit) is
 * apply.c's; what the reader and the shards share, and the events the
 * caller sees, events.c's.
 *
 * A sync has one reader and one or more shards (one index is a set of
 * one). lede_index_sync() does a shard's work on the reader's thread; a
 * parallel sync gives each of its threads some shards and a bounded queue
 * (queue.c) that the reader fills. Also the sync options of every
 * version, and the choice of the include and exclude patterns. Calls
 * walk.c, filter.c, sources.c, reader.c, input.c (a file's hash), hash.c,
 * apply.c, queue.c, events.c, index.c, jsonkeys.c, fields.c, writer.c,
 * firstbuild.c (the mark of a first build), alloc.c, error.c and buf.c.
 */
#include "lede_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reader's side of a sync. */
typedef struct {
    lede__events *hub;       /* shared */
    lede__apply_ctx *c;      /* the shards */
    lede__queue *q;          /* each thread's queue; NULL: direct */
    unsigned threads;        /* threads; shard k is thread k % threads's */
    lede_sync_stats stats;   /* the reader's counts */
    const lede__file *file;  /* file being read */
    uint64_t file_problems;  /* bad parts of it the reader skipped */
    unsigned char *need;     /* per shard: the file is read for it */
    uint64_t since_progress; /* articles since the last progress event */
    uint64_t file_base;      /* bytes_done before the file being read */
    uint64_t bytes_said;     /* bytes_done at the last event */
    int file_cut;            /* the file was left before its end */
    int fatal;               /* the reader failed (out of memory) */
    lede__filter filter;     /* which files are taken */
    lede__buf jsonkeys;      /* the JSON keys the index keeps, when the
                                options name none */
} reader;

static int reader_warn(reader *r, lede_sync_event_kind kind,
                       lede_warning warning, const char *path, uint64_t line,
                       const char *message)
{
    if (r->q == NULL)
        r->hub->pub[1] = r->c[0].stats; /* one thread: the shard's, live */
    r->bytes_said = r->stats.bytes_done;
    return lede__events_emit(r->hub, &r->hub->pub[0], &r->stats, kind, warning,
                             path, line, message);
}

static int reader_emit(reader *r, lede_sync_event_kind kind, const char *path,
                       uint64_t line, const char *message)
{
    return reader_warn(r, kind, LEDE_WARN_NONE, path, line, message);
}

/* Give m to its shard: at once when direct, else through its thread's
 * queue (as a copy). Non-zero when the sync must end. */
static int post(reader *r, const lede__apply_msg *m)
{
    if (r->q == NULL) {
        lede__apply_ctx *c = &r->c[m->shard];
        lede__apply_deliver(c, m);
        return c->fatal;
    }
    lede__apply_msg *copy = lede__queue_copy(m);
    if (copy == NULL) {
        r->fatal = lede__error_nomem();
        atomic_store(&r->hub->failed, 1);
        atomic_store(&r->hub->stop, 1);
        return r->fatal;
    }
    lede__queue_put(&r->q[m->shard % r->threads], copy);
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
    lede__events *h = r->hub;
    /* Bytes within the file count as they are read, so that one large
     * file shows a rate; never past the size the walk found (a file that
     * grows while read), which the file's end counts in full. */
    uint64_t size = r->file->size;
    r->stats.bytes_done =
        r->file_base + (ev->bytes_read < size ? ev->bytes_read : size);
    if (ev->article != NULL) {
        const char *id = ev->article->id;
        unsigned k = id != NULL
                         ? (unsigned)(lede__hash_fnv1a(id, strlen(id)) % h->n)
                         : 0;
        if (r->need[k]) {
            lede__apply_msg m;
            memset(&m, 0, sizeof m);
            m.kind = LEDE__APPLY_ARTICLE;
            m.shard = k;
            m.file = r->file;
            m.line = ev->line;
            m.a = *ev->article;
            /* The shards' events (commits) tell how far the file is read. */
            lede__events_publish(h, &h->pub[0], &r->stats);
            post(r, &m);
        }
        if (++r->since_progress >= LEDE__EVENTS_PROGRESS_EVERY ||
            r->stats.bytes_done - r->bytes_said >=
                LEDE__EVENTS_PROGRESS_BYTES) {
            r->since_progress = 0;
            reader_emit(r, LEDE_SYNC_PROGRESS, r->file->path, 0, NULL);
        }
    } else if (ev->code == 0) {
        reader_warn(r, LEDE_SYNC_WARNING, ev->warning, r->file->path, ev->line,
                    ev->message);
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
    return lede__events_stopped(h) ? LEDE_EUSER : 0;
}

/* The id of a one-article file: its path in the corpus, without ".gz". */
static char *file_id(const lede__file *f)
{
    size_t len = strlen(f->rel);
    if (len > 3 && strcmp(f->rel + len - 3, ".gz") == 0)
        len -= 3;
    return lede__strndup(f->rel, len);
}

/* Tell shard k news of file f other than an article. Non-zero when the
 * sync must end. */
static int post_news(reader *r, lede__apply_kind kind, unsigned k,
                     const lede__file *f, uint64_t hash, uint64_t articles,
                     uint64_t problems)
{
    lede__apply_msg m = {.kind = kind,
                         .shard = k,
                         .file = f,
                         .hash = hash,
                         .articles = articles,
                         .problems = problems};
    return post(r, &m);
}

/* Send the file's news of one kind to every shard that reads it. */
static int send_needy(reader *r, lede__apply_kind kind, uint64_t hash)
{
    for (unsigned k = 0; k < r->hub->n; k++) {
        if (!r->need[k])
            continue;
        int rc = post_news(r, kind, k, r->file, hash, 0, r->file_problems);
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
    return reader_warn(r, LEDE_SYNC_PROBLEM, LEDE_WARN_REMEMBERED, f->path, 0,
                       why);
}

/* Bring every shard in step with one file: from each shard's record of
 * it, the shards that must read it; the file is read once for them all.
 * Returns non-zero only when the sync must end. */
static int sync_file(reader *r, const lede__file *f)
{
    lede__events *h = r->hub;
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
            hash_rc = lede__input_file_hash(&hash, f->path);
            hashed = 1;
        }
        if (hash_rc == 0 && hash == st->hash) {
            r->stats.unchanged += st->articles;
            remembered += st->problems;
            r->need[k] = 0;
            if ((rc = post_news(r, LEDE__APPLY_TOUCH, k, f, hash, st->articles,
                                st->problems)) != 0)
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
    if ((rc = send_needy(r, LEDE__APPLY_BEGIN, 0)) != 0) {
        lede__free(id);
        return rc;
    }
    lede_read_options ro = h->opt.read;
    ro.format = f->format;
    ro.id = id;
    ro.corpus_path = f->rel;
    if (ro.fields == NULL)
        ro.fields = lede__index_declared_fields(r->c[0].idx);
    r->since_progress = 0;
    uint64_t got = 0;
    rc = lede__reader_file(f->path, &ro, on_read, r, &hash, &got);
    lede__free(id);
    if (rc != 0 || lede__events_stopped(h)) {
        /* Left before its end: it counts what was read of it, so that a
         * stopped run's rate is the rate it read at. */
        r->file_cut = 1;
        r->stats.bytes_done = r->file_base + (got < f->size ? got : f->size);
    }
    int failed = reader_failed(r);
    if (failed)
        return failed;
    if (rc == LEDE_EUSER || lede__events_stopped(h))
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
    return send_needy(r, LEDE__APPLY_DONE, hash);
}

static int walk_report(lede_sync_event_kind kind, const char *path,
                       const char *why, void *payload)
{
    reader *r = payload;
    if (kind == LEDE_SYNC_SKIPPED)
        r->stats.skipped++;
    reader_emit(r, kind, path, 0, why);
    return lede__events_stopped(r->hub) ? LEDE_EUSER : 0;
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

/* The same of a caller built before corpus_path (read version 2). */
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
        const char *encoding;
    } read;
    int delete_vanished;
    int follow_symlinks;
    size_t batch;
    lede_sync_cb cb;
    void *payload;
    unsigned int threads;
    const char *const *include;
    size_t ninclude;
    const char *const *exclude;
    size_t nexclude;
} sync_options_read2;

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
    } else if (in->read.version == 2) {
        const sync_options_read2 *old = (const void *)in;
        memcpy(&o->read, &old->read, sizeof old->read);
        o->delete_vanished = old->delete_vanished;
        o->follow_symlinks = old->follow_symlinks;
        o->batch = old->batch;
        o->cb = old->cb;
        o->payload = old->payload;
        if (in->version >= 2)
            o->threads = old->threads;
        if (in->version >= 3) {
            o->include = old->include;
            o->ninclude = old->ninclude;
            o->exclude = old->exclude;
            o->nexclude = old->nexclude;
        }
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
        rc = lede__reader_options_copy(&ro, &o->read);
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
    const lede__filter *flt = &r->filter;
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
    lede__events *h = r->hub;
    const lede_sync_options *o = &h->opt;
    if (o->include == NULL && o->exclude == NULL)
        return lede__filter_load(&r->filter, r->c[0].db);
    int rc =
        lede__filter_set(&r->filter, o->include, o->include ? o->ninclude : 0,
                         o->exclude, o->exclude ? o->nexclude : 0);
    for (unsigned k = 0; k < h->n && rc == 0; k++) {
        lede__filter old;
        if ((rc = lede__filter_load(&old, r->c[k].db)) == LEDE_ECORRUPT)
            rc = 0; /* replaced */
        if (rc == 0 && !lede__filter_equal(&old, &r->filter)) {
            rc = lede__filter_store(r->c[k].db, &r->filter);
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
    lede__events *h = r->hub;
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
    for (size_t i = 0; i < files->n && rc == 0 && !lede__events_stopped(r->hub);
         i++) {
        const lede__file *f = &files->v[i];
        if (i > 0 && strcmp(f->key, files->v[i - 1].key) == 0) {
            /* Overlapping roots: the same file twice. */
            reader_emit(r, LEDE_SYNC_IGNORED, f->path, 0,
                        "already read through another root");
            continue;
        }
        uint64_t base = r->stats.bytes_done;
        r->file_base = base;
        r->file_cut = 0;
        rc = sync_file(r, f);
        r->stats.files_done++;
        if (!r->file_cut) /* read to its end, or unchanged: in full */
            r->stats.bytes_done = base + f->size;
        reader_emit(r, LEDE_SYNC_PROGRESS, f->path, 0, NULL);
    }
    return rc;
}

/* ---- the shards' threads ------------------------------------------------- */

typedef struct {
    reader *r;           /* the sync */
    unsigned t;          /* which thread: shards t, t + threads, ... */
    int whole;           /* kept whole or not at all: spellings deferred */
    lede__apply_msg end; /* its last message, made before it starts (the end of
                a sync cannot fail for want of memory) */
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    reader *r = w->r;
    lede__events *h = r->hub;
    lede__queue *q = &r->q[w->t];

    /* A build kept whole or not at all can leave the spelling data to its
     * end; a shard set's sync, resumed after a crash, cannot. */
    for (unsigned k = w->t; k < h->n && w->whole; k += r->threads)
        lede__writer_defer_spellings(r->c[k].idx, 1);
    for (;;) {
        lede__apply_msg *m = lede__queue_take(q);
        if (m->kind == LEDE__APPLY_END)
            break; /* w->end, not allocated */
        if (!atomic_load(&h->failed))
            lede__apply_deliver(&r->c[m->shard], m);
        lede__free(m);
    }
    for (unsigned k = w->t; k < h->n; k += r->threads) {
        lede__apply_ctx *c = &r->c[k];
        if (r->fatal && !c->fatal)
            c->fatal = r->fatal; /* what is pending is not complete */
        lede__apply_finish(c);
        /* A merged build's spelling counts wait for gather_spellings(). */
        if (w->whole && w->whole != LEDE__SYNC_MERGED)
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

/* After the threads of a build whose shards are then merged: every
 * shard's spelling counts go to shard 0, which writes them in one commit
 * (a set keeps each shard's own, for a shard may be searched alone). */
static void gather_spellings(reader *r)
{
    lede__events *h = r->hub;
    for (unsigned k = 0; k < h->n; k++) {
        if (r->c[k].rc < 0)
            return; /* the build fails: nothing more is written */
    }
    lede__apply_ctx *c = &r->c[0];
    for (unsigned k = 1; k < h->n && c->rc == 0; k++)
        c->rc = lede__writer_take_spellings(c->idx, r->c[k].idx);
    lede__writer_defer_spellings(c->idx, 0);
    if (c->rc == 0)
        c->rc = lede_index_commit(c->idx);
    if (c->rc < 0)
        snprintf(c->err, sizeof c->err, "%s", lede_error_last());
}

/* The shards' threads read what the reader (this thread) sends. */
static int run_threads(reader *r, const lede__files *files, int whole)
{
    lede__events *h = r->hub;
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
        if ((rc = lede__queue_init(&r->q[ready])) < 0)
            goto done;
    for (started = 0; started < r->threads; started++) {
        w[started].r = r;
        w[started].t = started;
        w[started].whole = whole;
        w[started].end.kind = LEDE__APPLY_END;
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
        lede__queue_put(&r->q[t], &w[t].end);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    if (whole == LEDE__SYNC_MERGED && started == r->threads)
        gather_spellings(r);
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
        lede__queue_destroy(&r->q[t]);
    lede__free(r->q);
    r->q = NULL;
    lede__free(tid);
    lede__free(w);
    return rc;
}

/* Every field that json_fields gives a key names a field of the index:
 * a key for one it does not have would be read for nothing. */
static int check_json_fields(const lede_read_options *ro, lede_index *idx)
{
    const char *declared = lede__index_declared_fields(idx);
    for (const char *p = ro->json_fields; p != NULL && *p;) {
        const char *comma = strchr(p, ','), *eq = strchr(p, '=');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        size_t name = eq != NULL && eq < p + n ? (size_t)(eq - p) : n;
        if (!lede__fields_list_has(LEDE_FIELDS_STANDARD, p, name) &&
            !lede__fields_list_has(declared, p, name) &&
            !lede__fields_list_has(ro->fields, p, name))
            return lede__error_set(LEDE_EINVAL,
                                   "a JSON key is given for field '%.*s', "
                                   "which the index does not have (declare "
                                   "it with --field %.*s when the index is "
                                   "made)",
                                   (int)name, p, (int)name, p);
        p = comma ? comma + 1 : p + n;
    }
    return 0;
}

/* A sync of the n shards idxs, by threads threads (0: the reader's thread
 * does the one shard's work). */
static int sync_run(lede_sync_stats *stats_out, lede_index *const *idxs,
                    unsigned n, unsigned threads, int whole,
                    const char *const *names, const char *const *roots,
                    size_t nroots, const lede_sync_options *opts)
{
    lede__events h;
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
        /* And its JSON keys: given, they are kept; left out, the kept
         * ones are read by (the first shard's, as every shard keeps the
         * same). */
        if ((rc = lede__jsonkeys_resolve(&h.opt.read, &r.jsonkeys,
                                         lede__index_db(idxs[k]), &stored)) <
                0 ||
            (k == 0 && (rc = check_json_fields(&h.opt.read, idxs[0])) < 0))
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
        lede__apply_finish(&r.c[0]);
        rc = r.c[0].rc;
    } else if ((rc = run_threads(&r, &files, whole)) == 0 && r.fatal) {
        rc = r.fatal;
    } else if (rc == 0) {
        /* The first real failure, else a stop. */
        for (unsigned k = 0; k < n; k++) {
            lede__apply_ctx *c = &r.c[k];
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
        lede__events_sum(&h, stats_out);
    }
    for (unsigned k = 0; k < n && r.c != NULL; k++) {
        lede__apply_free(&r.c[k]);
    }
    if (mutex)
        pthread_mutex_destroy(&h.lock);
    lede__filter_free(&r.filter);
    lede__buf_free(&r.jsonkeys);
    lede__walk_files_free(&files);
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
    return lede__sync_shards(stats_out, idxs, n, n, LEDE__SYNC_MERGED, NULL,
                             roots, nroots, opts);
}
