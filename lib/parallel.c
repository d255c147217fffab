/*
 * parallel.c - one search run by several threads over a shard set.
 *
 * Owns how many threads search a set of local shards, what each is given
 * and how their hits become one list. Each thread runs the query over the
 * whole set through its own copy of the set's database (the shim keeps
 * them, one per thread, until the database is closed), filtered to its
 * part of the shards, so that every weight is the one-thread search's: it
 * is computed with the whole set's statistics by the same code. The
 * parts' lists are merged as Xapian orders a match (sort key, then weight
 * highest first, then docid lowest first); an article lives in one shard,
 * so grouping by article is exact within a part. The hits' texts are then
 * read in rank order through the search's own handle, as a one-thread
 * search reads them. A set with a remote shard, an index of one database
 * and a search that meets anything unusual (a thread that cannot start, a
 * copy at another revision, a failure) are searched by one thread, as
 * before, which also reports the failure. No thread outlives the search.
 * Calls index.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

/* One thread's share of a search. */
typedef struct {
    lede__xhits hits;        /* its hits, best first */
    lede__xdb *db;           /* the database it searches through */
    const lede__qnode *root; /* the query */
    lede__xsearch p;         /* the search, restricted to its part */
    pthread_t thread;        /* its thread, when started */
    int started;             /* a thread was started for it */
    int rc;                  /* 0, or how its search failed */
} part;

size_t lede__parallel_threads(unsigned threads, size_t shards)
{
    size_t n = threads;
    if (n == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (size_t)cpus : 1;
    }
    if (n > shards)
        n = shards;
    return n > 0 ? n : 1;
}

static void *run_part(void *arg)
{
    part *w = arg;
    w->rc = lede__xdb_search(&w->hits, w->db, w->root, &w->p);
    return NULL;
}

/* Byte order, a prefix first: how Xapian compares sort keys. */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen;
}

/* Whether hit x of part a ranks before hit y of part b: the highest sort
 * key first (when sorting by it), then the highest weight, then the
 * lowest docid. */
static int ranks_before(const part *a, const lede__xhit *x, const part *b,
                        const lede__xhit *y)
{
    if (a->p.sort_value) {
        int c = key_cmp(a->hits.arena.data + x->sort, x->sort_len,
                        b->hits.arena.data + y->sort, y->sort_len);
        if (c != 0)
            return c > 0;
    }
    if (x->score != y->score)
        return x->score > y->score;
    return x->docid < y->docid;
}

/* s (len bytes) and a NUL at the end of arena, its offset in *at. */
static int put_str(lede__buf *arena, size_t *at, const char *s, size_t len)
{
    *at = arena->len;
    int rc = lede__buf_put(arena, s, len);
    return rc < 0 ? rc : lede__buf_putc(arena, '\0');
}

/* Hit x of part w appended to out. */
static int take(lede__xhits *out, const part *w, const lede__xhit *x)
{
    lede__xhit *h = &out->v[out->n++];
    const char *a = w->hits.arena.data;
    int rc;
    *h = *x;
    if ((rc = put_str(&out->arena, &h->data, a + x->data, x->data_len)) < 0 ||
        (rc = put_str(&out->arena, &h->key, a + x->key, x->key_len)) < 0 ||
        (rc = put_str(&out->arena, &h->sig, a + x->sig, x->sig_len)) < 0)
        return rc;
    return put_str(&out->arena, &h->sort, a + x->sort, x->sort_len);
}

/* The n parts' hits merged into out, best first: the first `skip` left
 * out, then at most `limit`. */
static int merge(lede__xhits *out, const part *w, size_t n, size_t skip,
                 size_t limit)
{
    size_t *at = lede__calloc(n, sizeof *at);
    int rc = 0;
    lede__xhits_free(out);
    if (at == NULL ||
        (out->v = lede__calloc(limit ? limit : 1, sizeof *out->v)) == NULL) {
        lede__free(at);
        return lede__error_nomem();
    }
    /* Each part counts its own shards' matches (an article lives in one
     * shard), and looks at as many before estimating as one thread
     * would: where that thread's count is exact, so is every part's,
     * and their sum is the same. An estimate is the sum of the parts'. */
    for (size_t k = 0; k < n; k++) {
        const lede__xcount *c = &w[k].hits.count;
        out->estimated += w[k].hits.estimated;
        out->count.articles_least += c->articles_least;
        out->count.articles_estimated += c->articles_estimated;
        out->count.passages_least += c->passages_least;
        out->count.passages_most += c->passages_most;
        out->count.passages_estimated += c->passages_estimated;
        out->count.docs = c->docs; /* the whole set's, in every part */
    }
    while (out->n < limit && rc == 0) {
        size_t best = n;
        for (size_t k = 0; k < n; k++) {
            if (at[k] < w[k].hits.n &&
                (best == n || ranks_before(&w[k], &w[k].hits.v[at[k]], &w[best],
                                           &w[best].hits.v[at[best]])))
                best = k;
        }
        if (best == n)
            break;
        const lede__xhit *x = &w[best].hits.v[at[best]++];
        if (skip > 0)
            skip--;
        else
            rc = take(out, &w[best], x);
    }
    lede__free(at);
    return rc;
}

/* Set up the n parts of the search p on db: part 0 through db itself,
 * each other through a copy of its own. 0 when every copy is at db's
 * revision, 1 when one is not (the search is then the one thread's). */
static int prepare(part *w, size_t n, lede__xdb *db, const lede__qnode *root,
                   const lede__xsearch *p)
{
    for (size_t k = 0; k < n; k++) {
        int same = 1;
        w[k].root = root;
        w[k].p = *p;
        /* Every part's best offset + limit hold the merged page's. */
        w[k].p.offset = 0;
        w[k].p.limit = p->offset + p->limit;
        w[k].p.part = k;
        w[k].p.parts = n;
        /* Which texts to read is decided in rank order, after the merge. */
        w[k].p.no_data = 1;
        w[k].p.want_data = NULL;
        w[k].p.want_payload = NULL;
        w[k].db = db;
        if (k > 0 && lede__xdb_copy(&w[k].db, &same, db, k - 1) < 0)
            return 1;
        if (!same)
            return 1;
    }
    return 0;
}

/* Run the n parts, part 0 on this thread; 0 when all succeeded on the
 * revision db is at. */
static int run_parts(part *w, size_t n, lede__xdb *db)
{
    int failed = 0;
    for (size_t k = 1; k < n; k++)
        w[k].started = pthread_create(&w[k].thread, NULL, run_part, &w[k]) == 0;
    run_part(&w[0]);
    for (size_t k = 1; k < n; k++) {
        if (w[k].started)
            pthread_join(w[k].thread, NULL);
        else
            failed = 1; /* no thread: the one-thread search will do */
    }
    for (size_t k = 0; k < n && !failed; k++) {
        int same = 0;
        /* A part that met a writer ran again on a newer revision. */
        failed = w[k].rc < 0 ||
                 lede__xdb_same_revision(&same, db, w[k].db) < 0 || !same;
    }
    return failed;
}

int lede__parallel_search(lede__xhits *out, lede_index *idx,
                          const lede__qnode *root, const lede__xsearch *p,
                          unsigned threads)
{
    lede__xdb *db = lede__index_db(idx);
    size_t shards = 0;
    if (threads != 1 && !lede__index_remote(idx) &&
        lede__xdb_shards_local(&shards, db) < 0)
        shards = 0;
    size_t n = lede__parallel_threads(threads, shards);
    if (n < 2)
        return lede__xdb_search(out, db, root, p);
    part *w = lede__calloc(n, sizeof *w);
    if (w == NULL)
        return lede__error_nomem();
    int rc = -1;
    if (prepare(w, n, db, root, p) == 0 && run_parts(w, n, db) == 0 &&
        (rc = merge(out, w, n, p->offset, p->limit)) == 0)
        rc = lede__xdb_fill_data(out, db, p);
    /* Out of memory is reported as the one-thread search would; anything
     * else, that search meets again and reports, or does not. */
    if (rc < 0 && rc != LEDE_ENOMEM) {
        lede__error_clear();
        rc = lede__xdb_search(out, db, root, p);
    }
    for (size_t k = 0; k < n; k++)
        lede__xhits_free(&w[k].hits);
    lede__free(w);
    return rc;
}
