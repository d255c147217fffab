/*
 * sync.c - keeping an index in step with a corpus that changes.
 *
 * Owns lede_index_sync(): the incremental algorithm. The walk (walk.c)
 * lists the input files with size and modification time; the index's
 * source records (sources.c) say what they were when last read. A file
 * whose size and time match is not opened. A file whose raw bytes hash as
 * before is unchanged too, and only its record's time is refreshed. Any
 * other file is read (reader.c), and each of its articles is compared by
 * content hash with the article of the same id: new ones are added,
 * changed ones replaced, equal ones left alone. Articles no longer in a
 * re-read file, and those of files that vanished, are deleted. Commits
 * come every `batch` articles, and a file's source record is written in
 * the transaction that holds its last article, so an interrupted sync
 * leaves nothing half done that the next one would not redo. Calls walk.c,
 * sources.c, reader.c, index.c, buf.c and the shim.
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

/* What the threads of a parallel sync share. Each shard's sync reads
 * every file and indexes only the articles of its shard; the walk's and
 * the readers' events are shard 0's to report, an article's own events its
 * shard's. Counts reach the callback summed over the shards. */
typedef struct {
    pthread_mutex_t lock; /* the callback and pub[] */
    unsigned n;           /* shards */
    int whole;            /* kept whole or not at all: spellings deferred */
    atomic_int stop;      /* a callback or a failure ended the sync */
    lede_sync_stats *pub; /* each shard's counts at its last event */
    uint64_t *art_errors; /* each shard's bad articles, of those counts */
} par_state;

typedef struct {
    lede_index *idx;         /* the index */
    lede__xdb *db;           /* its database */
    lede_sync_options opt;   /* options, defaults filled in */
    lede_sync_stats stats;   /* counts so far */
    size_t pending;          /* changes since the last commit */
    int stop;                /* the callback asked to stop */
    int fatal;               /* an index failure: the sync is over */
    const lede__file *file;  /* file being read */
    lede__buf skey;          /* its short source key */
    lede__buf other;         /* scratch: another article's source */
    char **seen;             /* ids read from the file */
    size_t nseen;            /* count */
    size_t capseen;          /* allocated */
    uint64_t since_progress; /* articles since the last progress event */
    par_state *par;          /* a parallel sync's shared state, or NULL */
    unsigned shard;          /* this thread's shard of par->n */
    int in_article;          /* events now are an article's own */
    uint64_t art_errors;     /* bad articles (counted by their shard only) */
} sync_ctx;

/* The counts of every shard, summed as one sync's; p->lock held. */
static void par_sum(const par_state *p, lede_sync_stats *sum)
{
    *sum = p->pub[0]; /* the files, and every reader's problem, once */
    for (unsigned k = 1; k < p->n; k++) {
        sum->added += p->pub[k].added;
        sum->updated += p->pub[k].updated;
        sum->deleted += p->pub[k].deleted;
        sum->unchanged += p->pub[k].unchanged;
        sum->errors += p->art_errors[k];
        sum->commits += p->pub[k].commits;
    }
}

static void par_publish(sync_ctx *c)
{
    c->par->pub[c->shard] = c->stats;
    c->par->art_errors[c->shard] = c->art_errors;
}

static int stopped(const sync_ctx *c)
{
    return c->stop || (c->par != NULL && atomic_load(&c->par->stop));
}

static int emit(sync_ctx *c, lede_sync_event_kind kind, const char *path,
                uint64_t line, const char *msg)
{
    if (c->opt.cb == NULL)
        return 0;
    if (c->par == NULL) {
        lede_sync_event ev = {kind, path, line, msg, &c->stats};
        if (c->opt.cb(&ev, c->opt.payload) != 0)
            c->stop = 1;
        return 0;
    }
    if (c->shard != 0 && !c->in_article && kind != LEDE_SYNC_COMMITTED)
        return 0; /* thread 0 reports it */
    lede_sync_stats sum;
    pthread_mutex_lock(&c->par->lock);
    par_publish(c);
    par_sum(c->par, &sum);
    lede_sync_event ev = {kind, path, line, msg, &sum};
    if (c->opt.cb(&ev, c->opt.payload) != 0) {
        c->stop = 1;
        atomic_store(&c->par->stop, 1);
    }
    pthread_mutex_unlock(&c->par->lock);
    return 0;
}

static int commit(sync_ctx *c)
{
    if (c->pending == 0)
        return 0; /* nothing to commit */
    int rc = lede_index_commit(c->idx);
    if (rc < 0)
        return c->fatal = rc;
    c->pending = 0;
    c->stats.commits++;
    return emit(c, LEDE_SYNC_COMMITTED, NULL, 0, NULL);
}

/* One more change (an article, or a source record); commit when the
 * batch is full. */
static int changed(sync_ctx *c)
{
    if (++c->pending >= c->opt.batch)
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
}

/* One article read from the current file. */
static int on_article(sync_ctx *c, const lede_article *a, uint64_t line)
{
    uint64_t h, old;
    const char *path = c->file->path;
    char msg[512];

    if (c->par != NULL && a->id != NULL &&
        lede__fnv1a(a->id, strlen(a->id)) % c->par->n != c->shard)
        return 0; /* another shard's */
    h = lede__article_hash(a);
    int rc = lede__index_lookup(c->idx, a->id, &old, &c->other);
    if (rc < 0 && rc != LEDE_ENOTFOUND)
        return c->fatal = rc;
    int exists = rc == 0;
    int mine = exists && c->other.len == c->skey.len &&
               memcmp(c->other.data, c->skey.data, c->skey.len) == 0;
    if ((rc = remember_id(c, a->id)) < 0)
        return c->fatal = rc;
    if (exists && mine && old == h) {
        c->stats.unchanged++;
        return 0;
    }
    if (exists && !mine && c->other.len > 0) {
        snprintf(msg, sizeof msg,
                 "article '%s' was read from another file (%.*s); this "
                 "one replaces it",
                 a->id, (int)(c->other.len > 200 ? 200 : c->other.len),
                 c->other.data);
        c->in_article = 1;
        emit(c, LEDE_SYNC_WARNING, path, line, msg);
        c->in_article = 0;
    }
    rc = lede__index_add(c->idx, a, c->skey.data, c->skey.len);
    if (rc == LEDE_EINVAL || rc == LEDE_ELIMIT) {
        /* This article is bad (its id, say); pending work is intact. */
        c->stats.errors++;
        c->art_errors++;
        c->nseen--;
        lede__free(c->seen[c->nseen]);
        c->in_article = 1;
        emit(c, LEDE_SYNC_PROBLEM, path, line, lede_error_last());
        c->in_article = 0;
        return 0;
    }
    if (rc < 0)
        return c->fatal = rc;
    if (exists)
        c->stats.updated++;
    else
        c->stats.added++;
    if (++c->since_progress >= PROGRESS_EVERY) {
        c->since_progress = 0;
        emit(c, LEDE_SYNC_PROGRESS, path, 0, NULL);
    }
    return changed(c);
}

static int on_read(const lede_read_event *ev, void *payload)
{
    sync_ctx *c = payload;
    if (ev->article != NULL) {
        on_article(c, ev->article, ev->line);
    } else if (ev->code == 0) {
        emit(c, LEDE_SYNC_WARNING, c->file->path, ev->line, ev->message);
    } else if (ev->code == LEDE_ENOMEM) {
        /* Not the file's fault: the sync ends rather than lose it. */
        c->fatal = lede__error_set(LEDE_ENOMEM, "%s", ev->message);
    } else {
        c->stats.errors++;
        emit(c, LEDE_SYNC_PROBLEM, c->file->path, ev->line, ev->message);
    }
    if (c->fatal)
        return c->fatal;
    return stopped(c) ? LEDE_EUSER : 0;
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
        c->fatal = rc;
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

/* The id of a one-article file: its path in the corpus, without ".gz". */
static char *file_id(const lede__file *f)
{
    size_t len = strlen(f->rel);
    if (len > 3 && strcmp(f->rel + len - 3, ".gz") == 0)
        len -= 3;
    return lede__strndup(f->rel, len);
}

/* Bring the index in step with one file; st is what the index remembers
 * of it, or NULL. Returns < 0 only when the sync must end. */
static int sync_file(sync_ctx *c, const lede__file *f, lede__source *st)
{
    lede__source rec = {f->key, f->size, f->mtime_ns, 0, 0, 1};
    uint64_t hash;
    int rc;

    c->file = f;
    if ((rc = lede__source_short(&c->skey, f->key)) < 0)
        return c->fatal = rc;
    if (st != NULL) {
        st->seen = 1;
        if (st->size == f->size && st->mtime_ns == f->mtime_ns) {
            c->stats.unchanged += st->articles;
            return 0;
        }
        /* Touched, or changed? The raw bytes decide. */
        if (lede__file_hash(&hash, f->path) == 0 && hash == st->hash) {
            c->stats.unchanged += st->articles;
            rec.hash = hash;
            rec.articles = st->articles;
            if ((rc = lede__source_store(c->db, &rec)) < 0)
                return c->fatal = rc;
            return changed(c);
        }
    }

    char *id = file_id(f);
    if (id == NULL)
        return c->fatal = lede__error_nomem();
    lede_read_options ro = c->opt.read;
    ro.format = f->format;
    ro.id = id;
    forget_ids(c);
    rc = lede__read_file(f->path, &ro, on_read, c, &hash);
    lede__free(id);
    if (c->fatal)
        return c->fatal;
    if (rc == LEDE_EUSER || stopped(c))
        return 0; /* stopped inside the file: no record, read it again */
    if (rc == LEDE_ENOMEM)
        return c->fatal = rc; /* not the file's fault: do not skip it */
    if (rc < 0) {
        /* The file as a whole failed; its articles read before the
         * failure stay, nothing of it is deleted, and with no record it
         * is read again next time. */
        c->stats.skipped++;
        const char *why = lede_error_last();
        size_t n = strlen(f->path);
        if (strncmp(why, f->path, n) == 0 && strncmp(why + n, ": ", 2) == 0)
            why += n + 2; /* the event names the file already */
        return emit(c, LEDE_SYNC_SKIPPED, f->path, 0, why);
    }
    if (c->opt.delete_vanished) {
        if (c->nseen > 1)
            qsort(c->seen, c->nseen, sizeof *c->seen, by_str);
        if ((rc = delete_articles(c, &c->skey, c->seen, c->nseen)) < 0)
            return rc;
    }
    rec.hash = hash;
    if ((rc = count_articles(c, &c->skey, &rec.articles)) < 0 ||
        (rc = lede__source_store(c->db, &rec)) < 0)
        return c->fatal = rc;
    return changed(c);
}

/* A source under the roots that the walk no longer finds. */
static int vanished(sync_ctx *c, const lede__source *st)
{
    int rc;
    if (c->opt.delete_vanished) {
        lede__buf skey = LEDE__BUF_INIT;
        rc = lede__source_short(&skey, st->key);
        if (rc == 0)
            rc = delete_articles(c, &skey, NULL, 0);
        lede__buf_free(&skey);
        if (rc < 0)
            return c->fatal = rc;
    }
    if ((rc = lede__source_forget(c->db, st->key)) < 0)
        return c->fatal = rc;
    return changed(c);
}

static int walk_report(lede_sync_event_kind kind, const char *path,
                       const char *why, void *payload)
{
    sync_ctx *c = payload;
    if (kind == LEDE_SYNC_SKIPPED)
        c->stats.skipped++;
    emit(c, kind, path, 0, why);
    return stopped(c) ? LEDE_EUSER : 0;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const lede__file *)a)->key, ((const lede__file *)b)->key);
}

static int check_options(lede_sync_options *o, const lede_sync_options *in)
{
    static const lede_sync_options defaults = LEDE_SYNC_OPTIONS_INIT;
    *o = defaults;
    if (in != NULL) {
        if (in->version < 1 || in->version > LEDE_SYNC_OPTIONS_VERSION)
            return lede__error_set(LEDE_EINVAL,
                                   "lede_sync_options version %u is not "
                                   "supported (1..%d)",
                                   in->version, LEDE_SYNC_OPTIONS_VERSION);
        /* A version 1 caller's struct ends before threads. */
        memcpy(o, in,
               in->version >= 2 ? sizeof *o
                                : offsetof(lede_sync_options, threads));
    }
    if (o->read.version < 1 || o->read.version > LEDE_READ_OPTIONS_VERSION)
        return lede__error_set(LEDE_EINVAL,
                               "lede_read_options version %u is not "
                               "supported (1..%d)",
                               o->read.version, LEDE_READ_OPTIONS_VERSION);
    if ((int)o->read.format < LEDE_FORMAT_AUTO ||
        o->read.format > LEDE_FORMAT_TREC)
        return lede__error_set(LEDE_EINVAL, "unknown format %d",
                               (int)o->read.format);
    if (o->batch == 0)
        o->batch = 1000;
    return 0;
}

/* A sync of idx, or with par, of shard shard of par->n. */
static int sync_run(lede_sync_stats *stats_out, lede_index *idx,
                    const char *const *roots, size_t nroots,
                    const lede_sync_options *opts, par_state *par,
                    unsigned shard)
{
    sync_ctx c;
    lede__files files = {NULL, 0, 0};
    lede__sources srcs = {NULL, 0, 0};
    int rc;

    memset(&c, 0, sizeof c);
    c.par = par;
    c.shard = shard;
    if (stats_out != NULL)
        memset(stats_out, 0, sizeof *stats_out);
    if ((rc = lede__index_usable(idx, 1, "lede_index_sync")) < 0)
        return rc;
    if (roots == NULL && nroots > 0)
        return lede__error_set(LEDE_EINVAL, "lede_index_sync: roots is NULL");
    if ((rc = check_options(&c.opt, opts)) < 0)
        return rc;
    c.idx = idx;
    c.db = lede__index_db(idx);
    rc = 0;

    /* Walk every root first: a root that is missing (an unmounted disk,
     * say) must stop the sync before anything is taken for vanished. */
    for (size_t r = 0; r < nroots && rc == 0; r++) {
        if (roots[r] == NULL) {
            rc = lede__error_set(LEDE_EINVAL, "root %zu is NULL", r);
            break;
        }
        size_t before = files.n;
        rc = lede__walk(&files, roots[r], c.opt.read.format,
                        c.opt.follow_symlinks, walk_report, &c);
        if (rc == LEDE_EUSER)
            break;
        if (rc == 0) {
            char *abs = realpath(roots[r], NULL);
            int is_file = files.n == before + 1 && abs &&
                          strcmp(files.v[before].key, abs) == 0;
            rc = abs ? lede__sources_load(&srcs, c.db, abs, is_file)
                     : lede__error_set(LEDE_EINVAL, "%s: cannot resolve",
                                       roots[r]);
            free(abs);
        }
    }
    if (rc < 0 && rc != LEDE_EUSER)
        goto done;
    lede__sources_sort(&srcs);
    if (files.n > 1)
        qsort(files.v, files.n, sizeof *files.v, by_key);
    for (size_t i = 0; i < files.n; i++) {
        c.stats.files_total++;
        c.stats.bytes_total += files.v[i].size;
    }

    for (size_t i = 0; i < files.n && rc == 0 && !stopped(&c); i++) {
        const lede__file *f = &files.v[i];
        if (i > 0 && strcmp(f->key, files.v[i - 1].key) == 0) {
            /* Overlapping roots: the same file twice. */
            emit(&c, LEDE_SYNC_IGNORED, f->path, 0,
                 "already read through another root");
            continue;
        }
        rc = sync_file(&c, f, lede__sources_find(&srcs, f->key));
        c.stats.files_done++;
        c.stats.bytes_done += f->size;
        emit(&c, LEDE_SYNC_PROGRESS, f->path, 0, NULL);
    }
    for (size_t i = 0; i < srcs.n && rc == 0 && !stopped(&c); i++) {
        if (!srcs.v[i].seen)
            rc = vanished(&c, &srcs.v[i]);
    }
    if (!c.fatal && (rc == 0 || rc == LEDE_EUSER)) {
        int crc = commit(&c);
        if (crc < 0)
            rc = crc;
        else if (stopped(&c))
            rc = lede__error_set(LEDE_EUSER, "stopped; the work done so far is "
                                             "committed");
    }
done:
    if (c.fatal) {
        /* Never leave half a batch to a later commit. */
        lede__index_cancel(c.idx);
        if (rc >= 0)
            rc = c.fatal;
    }
    if (stats_out != NULL)
        *stats_out = c.stats;
    if (par != NULL) {
        pthread_mutex_lock(&par->lock);
        par_publish(&c);
        pthread_mutex_unlock(&par->lock);
    }
    forget_ids(&c);
    lede__free(c.seen);
    lede__buf_free(&c.skey);
    lede__buf_free(&c.other);
    lede__files_free(&files);
    lede__sources_free(&srcs);
    return rc;
}

LEDE_EXTERN(int)
lede_index_sync(lede_sync_stats *stats_out, lede_index *idx,
                const char *const *roots, size_t nroots,
                const lede_sync_options *opts)
{
    return sync_run(stats_out, idx, roots, nroots, opts, NULL, 0);
}

/* ---- parallel ---------------------------------------------------------- */

typedef struct {
    par_state *par;           /* shared */
    unsigned shard;           /* which */
    lede_index *idx;          /* its index */
    const char *const *roots; /* the sync's roots */
    size_t nroots;            /* count */
    const lede_sync_options *opts;
    int rc;         /* its result */
    char err[1024]; /* its error message (they are per thread) */
} worker;

static void work(worker *w)
{
    /* A build kept whole or not at all can leave the spelling data to its
     * end; a shard set's sync, resumed after a crash, cannot. */
    if (w->par->whole)
        lede__index_defer_spellings(w->idx, 1);
    w->rc =
        sync_run(NULL, w->idx, w->roots, w->nroots, w->opts, w->par, w->shard);
    if (w->par->whole)
        lede__index_defer_spellings(w->idx, 0);
    if (w->rc == 0)
        w->rc = lede_index_commit(w->idx);
    if (w->rc < 0) {
        snprintf(w->err, sizeof w->err, "%s", lede_error_last());
        if (w->rc != LEDE_EUSER)
            atomic_store(&w->par->stop, 1); /* the others end too */
    }
}

/* One thread's share of the shards: first, first + step, ... */
typedef struct {
    worker *w;      /* every shard's worker */
    unsigned first; /* this thread's first shard */
    unsigned step;  /* threads */
} runner;

static void *run(void *arg)
{
    runner *r = arg;
    par_state *p = r->w[0].par;
    for (unsigned k = r->first; k < p->n; k += r->step) {
        if (atomic_load(&p->stop)) {
            /* Stopped before this shard began: it stays as it was. */
            r->w[k].rc = LEDE_EUSER;
            snprintf(r->w[k].err, sizeof r->w[k].err,
                     "stopped before the shard's sync began");
            continue;
        }
        work(&r->w[k]);
    }
    return NULL;
}

int lede__sync_shards(lede_sync_stats *stats_out, lede_index *const *idxs,
                      unsigned n, unsigned threads, int whole,
                      const char *const *names, const char *const *roots,
                      size_t nroots, const lede_sync_options *opts)
{
    par_state p;
    worker *w = NULL;
    runner *r = NULL;
    pthread_t *tid = NULL;
    unsigned started = 0;
    int rc = 0;

    if (stats_out != NULL)
        memset(stats_out, 0, sizeof *stats_out);
    if (threads == 0 || threads > n)
        threads = n;
    memset(&p, 0, sizeof p);
    p.n = n;
    p.whole = whole;
    atomic_init(&p.stop, 0);
    p.pub = lede__calloc(n, sizeof *p.pub);
    p.art_errors = lede__calloc(n, sizeof *p.art_errors);
    w = lede__calloc(n, sizeof *w);
    r = lede__calloc(threads, sizeof *r);
    tid = lede__calloc(threads, sizeof *tid);
    if (p.pub == NULL || p.art_errors == NULL || w == NULL || r == NULL ||
        tid == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    if (pthread_mutex_init(&p.lock, NULL) != 0) {
        rc = lede__error_set(LEDE_ERROR, "cannot make a mutex");
        goto done;
    }
    for (unsigned k = 0; k < n; k++)
        w[k] = (worker){&p, k, idxs[k], roots, nroots, opts, 0, ""};
    for (unsigned t = 0; t < threads; t++)
        r[t] = (runner){w, t, threads};
    /* Thread 0's shards on this thread, the others on threads of their
     * own. */
    for (started = 1; started < threads; started++) {
        if (pthread_create(&tid[started], NULL, run, &r[started]) != 0) {
            atomic_store(&p.stop, 1);
            rc = lede__error_set(LEDE_ERROR, "cannot start a thread");
            break;
        }
    }
    if (rc < 0) {
        /* The shards of threads that never started were never synced. */
        for (unsigned t = started; t < threads; t++)
            for (unsigned k = t; k < n; k += threads)
                w[k].rc = LEDE_EUSER;
    }
    run(&r[0]);
    for (unsigned t = 1; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&p.lock);
    if (rc == 0) {
        /* The first real failure, else a stop. */
        for (unsigned k = 0; k < n; k++) {
            if (w[k].rc < 0 && (rc == 0 || rc == LEDE_EUSER)) {
                if (w[k].rc == LEDE_ENOMEM)
                    rc = lede__error_nomem();
                else if (names != NULL)
                    rc = lede__error_set(w[k].rc, "%s: %s", names[k], w[k].err);
                else
                    rc = lede__error_set(w[k].rc, "%s", w[k].err);
            }
        }
    }
    if (stats_out != NULL)
        par_sum(&p, stats_out);
done:
    lede__free(p.pub);
    lede__free(p.art_errors);
    lede__free(w);
    lede__free(r);
    lede__free(tid);
    return rc;
}

int lede__sync_parallel(lede_sync_stats *stats_out, lede_index *const *idxs,
                        unsigned n, const char *const *roots, size_t nroots,
                        const lede_sync_options *opts)
{
    return lede__sync_shards(stats_out, idxs, n, n, 1, NULL, roots, nroots,
                             opts);
}
