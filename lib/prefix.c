/*
 * prefix.c - prefix* read against the index's vocabulary.
 *
 * Owns what a prefix stands for: the most frequent terms of the index's
 * words that start with it, found among the index's terms and among the
 * stems of its spelling words, each distinct prefix read once a query.
 * It bounds that reading: LEDE_PREFIX_MAX_SCAN entries a prefix,
 * LEDE_QUERY_MAX_SCAN a query, and the search's time budget. Expanding
 * here, once, means the search and its explanation see the same terms.
 * The syntax around a prefix (which word, which field) is query.c's.
 * Calls qtree.c, index.c (database), analysis.c (stemmer), budget.c, buf.c,
 * alloc.c, error.c and the shim (terms, spelling words and frequencies).
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *term;    /* a term starting with the prefix */
    size_t len;    /* its bytes */
    uint64_t freq; /* documents holding it */
} candidate;

typedef struct {
    candidate *v; /* the prefix's terms */
    size_t n;     /* count */
    size_t cap;   /* allocated */
} expansion;

/* One walk of the index's terms or spelling words for a prefix, counted
 * against the limits on the work a query may cause. */
typedef struct {
    lede__prefixes *ps; /* whose counts */
    lede__qtree *t;     /* the parse, for errors */
    expansion *into;    /* where the entries go */
    size_t at;          /* the prefix's offset in the query, for errors */
    size_t len;         /* its bytes, '*' included */
    size_t read;        /* entries read by this walk */
} scan;

/* A prefix's expansion, kept for its repeats in the query. */
struct lede__prefix_memo {
    const char *key;    /* field then folded prefix */
    const char **terms; /* its terms (owned by the query's allocations) */
    size_t *lens;       /* their bytes */
    size_t n;           /* count; 0: the prefix matches nothing */
};

static int add_candidate(const char *term, size_t len, uint64_t freq,
                         void *payload)
{
    expansion *e = payload;
    candidate *v = lede__grow(e->v, &e->cap, e->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    e->v = v;
    if ((v[e->n].term = lede__strndup(term, len)) == NULL)
        return lede__error_nomem();
    v[e->n].len = len;
    v[e->n].freq = freq;
    e->n++;
    return 0;
}

static int scan_entry(const char *term, size_t len, uint64_t freq,
                      void *payload)
{
    scan *sc = payload;
    lede__prefixes *ps = sc->ps;
    sc->read++;
    ps->scanned++;
    if (sc->read > LEDE_PREFIX_MAX_SCAN)
        return lede__qtree_error_at(
            sc->t, LEDE_ELIMIT, sc->at,
            "'%.*s' matches more than %d of the index's words; "
            "give more letters",
            (int)sc->len, sc->t->text + sc->at, LEDE_PREFIX_MAX_SCAN);
    if (ps->scanned > LEDE_QUERY_MAX_SCAN)
        return lede__qtree_error_at(
            sc->t, LEDE_ELIMIT, sc->at,
            "the query's prefixes match more than %d of the "
            "index's words in all; give fewer or longer prefixes",
            LEDE_QUERY_MAX_SCAN);
    /* The clock costs little beside reading a few hundred entries. */
    if (ps->scanned % 256 == 0) {
        int rc = lede__budget_check(ps->budget);
        if (rc < 0)
            return lede__qtree_failed(sc->t, rc);
    }
    return add_candidate(term, len, freq, sc->into);
}

/* Most frequent first; ties in term order, so expansions are stable. */
static int by_freq(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq > y->freq ? -1 : 1;
    return strcmp(x->term, y->term);
}

static int by_term(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    return strcmp(x->term, y->term);
}

/* Words of the spelling data looked at per prefix, the most used: each
 * costs a stem and a lookup. */
#define PREFIX_MAX_WORDS (4 * LEDE_PREFIX_MAX_EXPANSION)

/* The stems of the index's most used words starting with the folded
 * prefix, as terms under field with their passage counts, into e. */
static int add_word_stems(lede__prefixes *ps, lede__qtree *t, const char *field,
                          const char *prefix, expansion *e, size_t a, size_t b)
{
    lede__xdb *db = lede__index_db(ps->idx);
    expansion words = {NULL, 0, 0};
    lede__buf term = LEDE__BUF_INIT;
    scan sc = {ps, t, &words, a, b - a, 0};
    int rc = lede__xdb_spellings(db, prefix, strlen(prefix), scan_entry, &sc);
    if (rc == 0 && words.n > 1)
        qsort(words.v, words.n, sizeof *words.v, by_freq);
    for (size_t i = 0; rc == 0 && i < words.n && i < PREFIX_MAX_WORDS; i++) {
        uint64_t df = 0;
        lede__buf_clear(&term);
        if ((rc = lede__analysis_stem(&ps->stem, lede__index_analysis(ps->idx),
                                      words.v[i].term, words.v[i].len)) < 0 ||
            (rc = lede__buf_puts(&term, field)) < 0 ||
            (rc = lede__buf_put(&term, ps->stem.data, ps->stem.len)) < 0 ||
            (rc = lede__xdb_termfreq(&df, db, term.data, term.len)) < 0)
            break;
        /* Words of deleted articles stay in the spelling data. */
        if (df > 0)
            rc = add_candidate(term.data, term.len, df, e);
    }
    for (size_t i = 0; i < words.n; i++)
        lede__free(words.v[i].term);
    lede__free(words.v);
    lede__buf_free(&term);
    return rc;
}

static const struct lede__prefix_memo *find_memo(const lede__prefixes *ps,
                                                 const char *key)
{
    for (size_t i = 0; i < ps->nmemo; i++) {
        if (strcmp(ps->memo[i].key, key) == 0)
            return &ps->memo[i];
    }
    return NULL;
}

/* Remember terms[0..n) as the expansion of key. */
static int add_memo(lede__prefixes *ps, lede__qtree *t, const char *key,
                    lede__qnode **terms, size_t n)
{
    struct lede__prefix_memo *v =
        lede__grow(ps->memo, &ps->capmemo, ps->nmemo, sizeof *v);
    if (v == NULL)
        return lede__qtree_nomem(t);
    ps->memo = v;
    struct lede__prefix_memo *m = &v[ps->nmemo];
    m->key = lede__qtree_strndup(t, key, strlen(key));
    m->terms = lede__qtree_alloc(t, (n ? n : 1) * sizeof *m->terms);
    m->lens = lede__qtree_alloc(t, (n ? n : 1) * sizeof *m->lens);
    if (m->key == NULL || m->terms == NULL || m->lens == NULL)
        return t->error;
    for (size_t i = 0; i < n; i++) {
        m->terms[i] = terms[i]->term;
        m->lens[i] = terms[i]->len;
    }
    m->n = n;
    ps->nmemo++;
    return 0;
}

/* Read the terms of the folded prefix p (field included) from the index
 * into terms[0..*n_out): the most frequent first. */
static int expand(lede__prefixes *ps, lede__qtree *t, const char *w,
                  lede__qnode **terms, size_t *n_out, const char *field,
                  const lede__buf *p, size_t a, size_t b)
{
    expansion e = {NULL, 0, 0};
    scan sc = {ps, t, &e, a, b - a, 0};
    size_t n = 0, kept = 0;
    int rc = lede__xdb_allterms(lede__index_db(ps->idx), p->data, p->len,
                                scan_entry, &sc);
    if (rc == 0)
        rc = add_word_stems(ps, t, field, w, &e, a, b);
    /* Each term once. */
    if (rc == 0 && e.n > 1) {
        qsort(e.v, e.n, sizeof *e.v, by_term);
        for (size_t i = 0; i < e.n; i++) {
            if (kept > 0 && strcmp(e.v[i].term, e.v[kept - 1].term) == 0) {
                lede__free(e.v[i].term);
                continue;
            }
            e.v[kept++] = e.v[i];
        }
        e.n = kept;
        qsort(e.v, e.n, sizeof *e.v, by_freq);
    }
    for (size_t i = 0; rc == 0 && i < e.n && n < LEDE_PREFIX_MAX_EXPANSION;
         i++) {
        if ((terms[n] = lede__qtree_term(t, "", e.v[i].term, e.v[i].len)) ==
            NULL)
            rc = lede__error_nomem();
        else
            n++;
    }
    for (size_t i = 0; i < e.n; i++)
        lede__free(e.v[i].term);
    lede__free(e.v);
    if (rc == 0)
        rc = add_memo(ps, t, p->data, terms, n);
    *n_out = n;
    return rc;
}

/*
 * prefix*: the OR of the most frequent terms of words starting with it.
 * Terms are stems, and a stem can be shorter than the prefix ("election"
 * is indexed as "elect"), so the words come from two places: the index's
 * terms that start with the prefix ("summ*": summit), and the stems of
 * the words of the spelling data that do ("election*": elect, from
 * election and elections).
 */
lede__qnode *lede__prefix_node(lede__prefixes *ps, lede__qtree *t,
                               const char *field, const char *w, size_t a,
                               size_t b)
{
    lede__buf p = LEDE__BUF_INIT;
    lede__qnode *terms[LEDE_PREFIX_MAX_EXPANSION], *r = NULL;
    size_t n = 0;
    int rc = lede__buf_puts(&p, field);
    if (rc == 0)
        rc = lede__buf_puts(&p, w);
    const struct lede__prefix_memo *m = rc == 0 ? find_memo(ps, p.data) : NULL;
    if (m != NULL) {
        /* The same prefix again ("zz* zz*"): its terms as read before. */
        for (; n < m->n; n++) {
            if ((terms[n] = lede__qtree_term(t, "", m->terms[n], m->lens[n])) ==
                NULL)
                break;
        }
    } else if (rc == 0) {
        rc = expand(ps, t, w, terms, &n, field, &p, a, b);
    }
    lede__buf_free(&p);
    if (rc < 0) {
        lede__qtree_failed(t, rc);
        return NULL;
    }
    if (t->error)
        return NULL;
    r = n == 0   ? lede__qtree_node(t, LEDE__Q_NONE)
        : n == 1 ? terms[0]
                 : lede__qtree_op(t, LEDE__Q_OR, terms, n);
    if (r == NULL)
        lede__qtree_nomem(t);
    return r;
}

void lede__prefix_free(lede__prefixes *ps)
{
    lede__free(ps->memo);
    lede__buf_free(&ps->stem);
}
