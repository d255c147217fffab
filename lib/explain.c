/*
 * explain.c - a passage's score, term by term.
 *
 * Owns the explanation of scores: it walks the query tree against one
 * document the way Xapian's matcher combines weights (OR and AND add the
 * weights of matching children, AND_MAYBE adds its optional side when it
 * matches, FILTER and AND_NOT count only their first side, a phrase counts
 * its terms when their positions line up, a date range matches the
 * document's value, SCALE multiplies) and computes
 * each matching term's BM25 weight with Xapian's formula and statistics:
 *
 *   tw     = (N - df + 0.5) / (df + 0.5), and 0.5 * tw + 1 if tw < 2
 *   weight = scale * log(tw) * (k3 + 1) * wqf / (k3 + wqf)
 *            * (k1 + 1) * tf / (k1 * (b * L + 1 - b) + tf)
 *   L      = max(length / average length, 0.5),  k3 = 1
 *
 * where wqf is the leaf's own within-query frequency (Xapian weighs every
 * leaf of the query tree on its own, even two leaves of one term). The weights
 * sum to Xapian's score for the document (tests check it to 1e-6).
 * Each node is evaluated once, so the cost grows with the size of the
 * query, not exponentially with its depth.
 * Calls the shim for statistics, values and positions, rank.c (Lucene's
 * lengths), buf.c, alloc.c and error.c.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Xapian's BM25Weight default that lede keeps. */
#define MIN_NORMLEN 0.5

struct lede__explainer {
    lede__xdb *db;           /* the database */
    const lede__qnode *root; /* the query */
    double k1, b, k3;        /* BM25 parameters */
    int lucene;              /* Lucene's BM25 rather than Xapian's */
    uint64_t docs;           /* documents in the database */
    double avlen;            /* their average length */
    /* The document being explained. */
    uint64_t docid;            /* its docid */
    uint64_t length;           /* its length */
    lede__explain_item *items; /* contributions so far */
    int in_pair;               /* evaluating a proximity pair */
    size_t nitems;             /* count */
    size_t capitems;           /* allocated */
    lede__buf value;           /* scratch: a value slot of the document */
};

int lede__explainer_new(lede__explainer **out, lede__xdb *db,
                        const lede__qnode *root, double k1, double b, double k3,
                        int lucene)
{
    lede__explainer *e = lede__calloc(1, sizeof *e);
    int rc;
    *out = NULL;
    if (e == NULL)
        return lede__error_nomem();
    e->db = db;
    e->root = root;
    e->k1 = k1;
    e->b = b;
    e->lucene = lucene;
    e->k3 = k3;
    if ((rc = lede__xdb_stats(db, &e->docs, &e->avlen)) < 0) {
        lede__explainer_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

void lede__explainer_free(lede__explainer *e)
{
    if (e == NULL)
        return;
    lede__free(e->items);
    lede__buf_free(&e->value);
    lede__free(e);
}

/* The weight of term t in the document, or 0 with *matched unset. */
static int term_weight(lede__explainer *e, const lede__qnode *t, double scale,
                       int keep, int *matched, double *w)
{
    uint64_t tf, df;
    int rc = lede__xdb_wdf(e->db, e->docid, t->term, t->len, &tf);
    *matched = 0;
    *w = 0;
    if (rc < 0 || tf == 0)
        return rc;
    if ((rc = lede__xdb_termfreq(&df, e->db, t->term, t->len)) < 0)
        return rc;
    *matched = 1;
    double wqf = t->wqf ? t->wqf : 1, idf;
    if (e->lucene) {
        /* Lucene: idf never below zero, wqf linear, the length rounded to
         * its norm byte, no (k1 + 1) factor. */
        idf =
            log(1 + ((double)e->docs - (double)df + 0.5) / ((double)df + 0.5));
        double L = e->avlen > 0
                       ? (double)lede__lucene_length(e->length) / e->avlen
                       : 0;
        double k = e->k1 * (1 - e->b + e->b * L);
        *w = scale * wqf * idf * (double)tf / ((double)tf + k);
    } else {
        double tw = ((double)e->docs - (double)df + 0.5) / ((double)df + 0.5);
        if (tw < 2)
            tw = tw * 0.5 + 1;
        idf = log(tw);
        double L = e->avlen > 0 ? (double)e->length / e->avlen : 0;
        if (L < MIN_NORMLEN)
            L = MIN_NORMLEN;
        double k = e->k1 * (e->b * L + 1 - e->b);
        *w = scale * idf * (e->k3 + 1) * wqf / (e->k3 + wqf) * (e->k1 + 1) *
             (double)tf / (k + (double)tf);
    }
    if (!keep)
        return 0;
    lede__explain_item *v =
        lede__grow(e->items, &e->capitems, e->nitems, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    e->items = v;
    v[e->nitems++] = (lede__explain_item){t->term, t->len,    tf, df,
                                          idf,     e->length, *w, e->in_pair};
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Compare v[0..len) with the NUL-terminated s as byte strings. */
static int cmp_bytes(const char *v, size_t len, const char *s)
{
    size_t slen = strlen(s);
    int c = memcmp(v, s, len < slen ? len : slen);
    if (c != 0)
        return c;
    return (len > slen) - (len < slen);
}

typedef struct {
    uint32_t pos; /* a position */
    size_t which; /* of the i-th term */
} tagged;

static int by_pos(const void *a, const void *b)
{
    return cmp_u32(&((const tagged *)a)->pos, &((const tagged *)b)->pos);
}

/* Is there a window of fewer than w positions holding need[i] distinct
 * positions of each term i? Xapian gives every term of a NEAR its own
 * position, so a word listed twice must occur twice. The shortest such
 * window ending at each position is found by sliding over all positions in
 * order. */
static int near(uint32_t **pos, const size_t *cnt, const size_t *need, size_t k,
                unsigned w, int *ok)
{
    size_t total = 0;
    for (size_t i = 0; i < k; i++)
        total += cnt[i];
    tagged *all = lede__malloc((total ? total : 1) * sizeof *all);
    size_t *have = lede__calloc(k, sizeof *have);
    if (all == NULL || have == NULL) {
        lede__free(all);
        lede__free(have);
        return lede__error_nomem();
    }
    size_t n = 0, enough = 0, lo = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < cnt[i]; j++)
            all[n++] = (tagged){pos[i][j], i};
    qsort(all, n, sizeof *all, by_pos);
    *ok = 0;
    for (size_t hi = 0; hi < n && !*ok; hi++) {
        if (++have[all[hi].which] == need[all[hi].which])
            enough++;
        while (enough == k) {
            if (all[hi].pos - all[lo].pos < w)
                *ok = 1;
            if (have[all[lo].which]-- == need[all[lo].which])
                enough--;
            lo++;
        }
    }
    lede__free(all);
    lede__free(have);
    return 0;
}

/* Do the terms of phrase or near node n line up in the document? */
static int positions_match(lede__explainer *e, const lede__qnode *n, int *ok)
{
    /* Each distinct term's positions are read once: term[j] is the j-th
     * distinct term, need[j] how often the node lists it, of[i] which
     * distinct term child i is. */
    uint32_t *pos[LEDE_QUERY_MAX_WORDS];
    size_t cnt[LEDE_QUERY_MAX_WORDS], need[LEDE_QUERY_MAX_WORDS];
    size_t of[LEDE_QUERY_MAX_WORDS];
    const lede__qnode *term[LEDE_QUERY_MAX_WORDS];
    size_t k = n->nkids, d = 0;
    int rc = 0;
    *ok = 0;
    if (k == 0 || k > LEDE_QUERY_MAX_WORDS)
        return 0;
    for (size_t i = 0; i < k; i++) {
        const lede__qnode *t = n->kids[i];
        size_t j = 0;
        while (j < d && !(term[j]->len == t->len &&
                          memcmp(term[j]->term, t->term, t->len) == 0))
            j++;
        if (j == d) {
            term[d] = t;
            need[d++] = 0;
        }
        need[j]++;
        of[i] = j;
    }
    memset(pos, 0, sizeof pos);
    for (size_t j = 0; j < d && rc == 0; j++)
        rc = lede__xdb_positions(e->db, e->docid, term[j]->term, term[j]->len,
                                 &pos[j], &cnt[j]);
    if (rc == 0 && n->op == LEDE__Q_PHRASE && n->window > k) {
        /* In order within the window (a phrase whose stop words the index
         * left out): each next term at its first position after the
         * previous one, which leaves the most room for the rest. */
        for (size_t a = 0; a < cnt[of[0]] && !*ok; a++) {
            uint32_t first = pos[of[0]][a], prev = first;
            int all = 1;
            for (size_t i = 1; i < k && all; i++) {
                const uint32_t *v = pos[of[i]];
                size_t lo = 0, hi = cnt[of[i]];
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (v[mid] <= prev)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                all = lo < cnt[of[i]];
                if (all)
                    prev = v[lo];
            }
            *ok = all && prev - first < n->window;
        }
    } else if (rc == 0 && n->op == LEDE__Q_PHRASE) {
        /* Adjacent and in order: child i at p + i, so every child has a
         * position of its own. */
        for (size_t a = 0; a < cnt[of[0]] && !*ok; a++) {
            int all = 1;
            for (size_t i = 1; i < k && all; i++) {
                uint32_t want = pos[of[0]][a] + (uint32_t)i;
                all = bsearch(&want, pos[of[i]], cnt[of[i]], sizeof *pos[0],
                              cmp_u32) != NULL;
            }
            *ok = all;
        }
    } else if (rc == 0) {
        rc = near(pos, cnt, need, d, n->window, ok);
    }
    for (size_t j = 0; j < d; j++)
        lede__free(pos[j]);
    return rc;
}

/* Does the document's value in slot lie in lo..hi (byte order, as Xapian
 * compares values)? A document without the value does not match, as in
 * Xapian's value range. */
static int range_match(lede__explainer *e, const lede__qnode *n, int *ok)
{
    int rc = lede__xdb_value(&e->value, e->db, e->docid, n->slot);
    *ok = 0;
    if (rc < 0 || e->value.len == 0)
        return rc;
    *ok = cmp_bytes(e->value.data, e->value.len, n->lo) >= 0 &&
          cmp_bytes(e->value.data, e->value.len, n->hi) <= 0;
    return 0;
}

static int eval(lede__explainer *e, const lede__qnode *n, double scale,
                int keep, int *matched, double *w);

/* eval() of n, which may leave contributions behind when n does not
 * match. Each child is evaluated once: evaluating to test and again to
 * weigh costs 2^depth on nested operators. */
static int eval_node(lede__explainer *e, const lede__qnode *n, double scale,
                     int keep, int *matched, double *w)
{
    int rc = 0, m;
    double x;
    switch (n->op) {
    case LEDE__Q_TERM:
        return term_weight(e, n, scale, keep, matched, w);
    case LEDE__Q_ALL:
        *matched = 1;
        return 0;
    case LEDE__Q_NONE:
        return 0;
    case LEDE__Q_RANGE:
        return range_match(e, n, matched);
    case LEDE__Q_SCALE:
        return eval(e, n->kids[0], scale * n->scale, keep, matched, w);
    case LEDE__Q_OR:
        for (size_t i = 0; i < n->nkids && rc == 0; i++) {
            if ((rc = eval(e, n->kids[i], scale, keep, &m, &x)) == 0 && m) {
                *matched = 1;
                *w += x;
            }
        }
        return rc;
    case LEDE__Q_AND:
    case LEDE__Q_PHRASE:
    case LEDE__Q_NEAR: {
        int all = 1, outer = e->in_pair;
        e->in_pair = outer || n->proximity;
        for (size_t i = 0; i < n->nkids && rc == 0 && all; i++) {
            rc = eval(e, n->kids[i], scale, keep, &m, &x);
            all = m;
            *w += x;
        }
        e->in_pair = outer;
        if (rc == 0 && all && n->op != LEDE__Q_AND)
            rc = positions_match(e, n, &all);
        *matched = rc == 0 && all;
        return rc;
    }
    case LEDE__Q_AND_MAYBE:
        if ((rc = eval(e, n->kids[0], scale, keep, matched, w)) < 0 ||
            !*matched || n->nkids < 2)
            return rc;
        if ((rc = eval(e, n->kids[1], scale, keep, &m, &x)) == 0 && m)
            *w += x;
        return rc;
    case LEDE__Q_AND_NOT:
    case LEDE__Q_FILTER:
        /* The second side decides whether, never how much: AND_NOT's
         * must not match, FILTER's must. */
        if ((rc = eval(e, n->kids[0], scale, keep, matched, w)) < 0 ||
            !*matched || n->nkids < 2)
            return rc;
        if ((rc = eval(e, n->kids[1], scale, 0, &m, &x)) == 0)
            *matched = n->op == LEDE__Q_FILTER ? m : !m;
        return rc;
    }
    return 0;
}

/* Does n match the document, and with what weight? Contributions are
 * kept (for the explanation) only when keep is set: the excluded and
 * filtering sides of a query match but weigh nothing. A node that does
 * not match leaves no contributions and weighs 0. */
static int eval(lede__explainer *e, const lede__qnode *n, double scale,
                int keep, int *matched, double *w)
{
    size_t mark = e->nitems;
    *matched = 0;
    *w = 0;
    int rc = eval_node(e, n, scale, keep, matched, w);
    if (rc < 0 || !*matched) {
        e->nitems = mark;
        *matched = 0;
        *w = 0;
    }
    return rc;
}

int lede__explain(lede__explain_item **out, size_t *n_out, lede__explainer *e,
                  uint64_t docid)
{
    int matched;
    double w;
    *out = NULL;
    *n_out = 0;
    e->docid = docid;
    e->nitems = 0;
    int rc = lede__xdb_doclen(e->db, docid, &e->length);
    if (rc == 0)
        rc = eval(e, e->root, 1.0, 1, &matched, &w);
    if (rc < 0)
        return rc;
    if (e->nitems > 0) {
        *out = lede__malloc(e->nitems * sizeof **out);
        if (*out == NULL)
            return lede__error_nomem();
        memcpy(*out, e->items, e->nitems * sizeof **out);
    }
    *n_out = e->nitems;
    return 0;
}
