/*
 * apply.c - one shard's side of a sync: what the reader tells it about a
 * corpus file, applied to its index.
 *
 * Owns the comparison of each article with the index's article of the
 * same id, by content hash: new ones are added, changed ones replaced,
 * equal ones left alone, and each is counted once by what the index ends
 * with. An article belongs to the file it was first read from; another
 * file may take it only when the id is that file's name. Articles no
 * longer in a re-read file, and those of files that vanished, are
 * deleted. Commits come every `batch` changes, and a file's source record
 * is written in the transaction that holds its last article, so an
 * interrupted sync leaves nothing half done that the next one would not
 * redo. Knows nothing of walking, reading or threads: the reader (sync.c)
 * hands it messages, on its own thread or through a queue (queue.c).
 * Calls events.c, sources.c, writer.c, strmap.c, alloc.c, error.c, buf.c
 * and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An article this big is committed on its own: Xapian holds what it
 * buffered for the batch so far beside what it buffers for the article
 * (some 40 bytes a word, until the commit), and the two would add up. */
#define ALONE_BYTES ((size_t)1 << 20)

static int shard_emit(lede__apply_ctx *c, lede_sync_event_kind kind,
                      lede_warning warning, const char *path, uint64_t line,
                      const char *message)
{
    return lede__events_emit(c->hub, &c->hub->pub[1 + c->shard], &c->stats,
                             kind, warning, path, line, message);
}

/* An index failure: this shard's sync is over, and so is everyone's. */
static int fail(lede__apply_ctx *c, int rc)
{
    c->fatal = rc;
    atomic_store(&c->hub->failed, 1);
    atomic_store(&c->hub->stop, 1);
    return rc;
}

static int commit(lede__apply_ctx *c)
{
    if (c->pending == 0)
        return 0; /* nothing to commit */
    int rc = lede_index_commit(c->idx);
    if (rc < 0)
        return fail(c, rc);
    c->pending = 0;
    c->stats.commits++;
    c->kept = c->stats;
    return shard_emit(c, LEDE_SYNC_COMMITTED, LEDE_WARN_NONE, NULL, 0, NULL);
}

/* One more change (an article, or a source record); commit when the
 * batch is full. */
static int changed(lede__apply_ctx *c)
{
    if (++c->pending >= c->hub->opt.batch)
        return commit(c);
    return 0;
}

static int remember_id(lede__apply_ctx *c, const char *id)
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

static void forget_ids(lede__apply_ctx *c)
{
    for (size_t i = 0; i < c->nseen; i++)
        lede__free(c->seen[i]);
    c->nseen = 0;
    lede__strmap_clear(&c->counted);
}

/* How an article of the current file was counted. */
enum { SEEN_ADDED = 1, SEEN_UPDATED, SEEN_UNCHANGED };

static void tally(lede__apply_ctx *c, uint64_t how, int delta)
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
static int count_article(lede__apply_ctx *c, const char *id, int exists,
                         int mine, uint64_t old, uint64_t h)
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
static int on_begin(lede__apply_ctx *c, const lede__file *f)
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
static int on_article(lede__apply_ctx *c, const lede_article *a, uint64_t line)
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
        return shard_emit(c, LEDE_SYNC_PROBLEM, LEDE_WARN_ID_ELSEWHERE, path,
                          line, note);
    }
    if ((rc = remember_id(c, a->id)) < 0)
        return fail(c, rc);
    if (exists && !mine && c->other.len > 0) {
        snprintf(note, sizeof note,
                 "article '%s' was read from another file (%.*s), but its id "
                 "is this file's name; this file takes it back",
                 a->id, other_len, c->other.data);
        shard_emit(c, LEDE_SYNC_WARNING, LEDE_WARN_ID_OWNER, path, line, note);
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
        shard_emit(c, LEDE_SYNC_PROBLEM, LEDE_WARN_NONE, path, line,
                   lede_error_last());
        return 0;
    }
    if (rc < 0)
        return fail(c, rc);
    /* An id the file gave before (the reader warned) is counted once. */
    if ((rc = count_article(c, a->id, exists, mine, old, h)) < 0)
        return fail(c, rc);
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
static int delete_articles(lede__apply_ctx *c, const lede__buf *skey,
                           char **keep, size_t nkeep)
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
static int count_articles(lede__apply_ctx *c, const lede__buf *skey,
                          uint64_t *n)
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
static int on_done(lede__apply_ctx *c, uint64_t hash, uint64_t reader_problems)
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
static int on_touch(lede__apply_ctx *c, const lede__file *f, uint64_t hash,
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
static int vanished(lede__apply_ctx *c, const lede__source *st)
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

void lede__apply_deliver(lede__apply_ctx *c, const lede__apply_msg *m)
{
    if (c->fatal)
        return;
    switch (m->kind) {
    case LEDE__APPLY_BEGIN:
        on_begin(c, m->file);
        break;
    case LEDE__APPLY_ARTICLE:
        on_article(c, &m->a, m->line);
        break;
    case LEDE__APPLY_DONE:
        on_done(c, m->hash, m->problems);
        break;
    case LEDE__APPLY_TOUCH:
        on_touch(c, m->file, m->hash, m->articles, m->problems);
        break;
    case LEDE__APPLY_END:
        break;
    }
}

/* After the reader's last message (and with its records marked seen): the
 * sources that vanished, and the last commit. Sets c->rc. */
void lede__apply_finish(lede__apply_ctx *c)
{
    int rc = 0;
    for (size_t i = 0;
         i < c->srcs.n && !c->fatal && !lede__events_stopped(c->hub); i++) {
        if (!c->srcs.v[i].seen)
            vanished(c, &c->srcs.v[i]);
    }
    if (!c->fatal && commit(c) == 0 && lede__events_stopped(c->hub))
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

void lede__apply_free(lede__apply_ctx *c)
{
    forget_ids(c);
    lede__free(c->seen);
    lede__strmap_free(&c->counted);
    lede__buf_free(&c->skey);
    lede__buf_free(&c->other);
    lede__sources_free(&c->srcs);
}
