/*
 * explain.c - a passage's score, term by term.
 *
 * Owns the explanation of scores: it walks the query tree against one
 * document the way Xapian's matcher combines weights (OR and AND add the
 * weights of matching children, AND_MAYBE adds its optional side when it
 * matches, FILTER and AND_NOT count only their first side, a phrase counts
 * its terms when their positions line up, SCALE multiplies) and computes
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
 * Calls the shim for statistics and positions.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Xapian's BM25Weight defaults that lede keeps. */
#define K3 1.0
#define MIN_NORMLEN 0.5

struct lede__explainer {
    lede__xdb *db;           /* the database */
    const lede__qnode *root; /* the query */
    double k1, b;            /* BM25 parameters */
    uint64_t docs;           /* documents in the database */
    double avlen;            /* their average length */
    /* The document being explained. */
    uint64_t docid;            /* its docid */
    uint64_t length;           /* its length */
    lede__explain_item *items; /* contributions so far */
    size_t nitems;             /* count */
    size_t capitems;           /* allocated */
};

int lede__explainer_new(lede__explainer **out, lede__xdb *db,
                        const lede__qnode *root, double k1, double b)
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
    double tw = ((double)e->docs - (double)df + 0.5) / ((double)df + 0.5);
    if (tw < 2)
        tw = tw * 0.5 + 1;
    double idf = log(tw);
    double wqf = t->wqf ? t->wqf : 1;
    double L = e->avlen > 0 ? (double)e->length / e->avlen : 0;
    if (L < MIN_NORMLEN)
        L = MIN_NORMLEN;
    double k = e->k1 * (e->b * L + 1 - e->b);
    *w = scale * idf * (K3 + 1) * wqf / (K3 + wqf) * (e->k1 + 1) * (double)tf /
         (k + (double)tf);
    if (!keep)
        return 0;
    lede__explain_item *v =
        lede__grow(e->items, &e->capitems, e->nitems, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    e->items = v;
    v[e->nitems++] =
        (lede__explain_item){t->term, t->len, tf, df, idf, e->length, *w};
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

typedef struct {
    uint32_t pos; /* a position */
    size_t which; /* of the i-th term */
} tagged;

static int by_pos(const void *a, const void *b)
{
    return cmp_u32(&((const tagged *)a)->pos, &((const tagged *)b)->pos);
}

/* Is there a window of fewer than w positions holding every term? The
 * shortest one is found by sliding over all positions in order. */
static int near(uint32_t **pos, const size_t *cnt, size_t k, unsigned w,
                int *ok)
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
    size_t n = 0, inside = 0, lo = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < cnt[i]; j++)
            all[n++] = (tagged){pos[i][j], i};
    qsort(all, n, sizeof *all, by_pos);
    *ok = 0;
    for (size_t hi = 0; hi < n && !*ok; hi++) {
        if (have[all[hi].which]++ == 0)
            inside++;
        while (inside == k) {
            if (all[hi].pos - all[lo].pos < w)
                *ok = 1;
            if (--have[all[lo].which] == 0)
                inside--;
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
    uint32_t *pos[LEDE_QUERY_MAX_WORDS];
    size_t cnt[LEDE_QUERY_MAX_WORDS], k = n->nkids;
    int rc = 0;
    *ok = 0;
    if (k == 0 || k > LEDE_QUERY_MAX_WORDS)
        return 0;
    memset(pos, 0, sizeof pos);
    for (size_t i = 0; i < k && rc == 0; i++)
        rc = lede__xdb_positions(e->db, e->docid, n->kids[i]->term,
                                 n->kids[i]->len, &pos[i], &cnt[i]);
    if (rc == 0 && n->op == LEDE__Q_PHRASE) {
        /* Adjacent and in order: term i at p + i. */
        for (size_t a = 0; a < cnt[0] && !*ok; a++) {
            int all = 1;
            for (size_t i = 1; i < k && all; i++) {
                uint32_t want = pos[0][a] + (uint32_t)i;
                all = bsearch(&want, pos[i], cnt[i], sizeof *pos[i], cmp_u32) !=
                      NULL;
            }
            *ok = all;
        }
    } else if (rc == 0) {
        rc = near(pos, cnt, k, n->window, ok);
    }
    for (size_t i = 0; i < k; i++)
        lede__free(pos[i]);
    return rc;
}

/* Does n match the document, and with what weight? Contributions are
 * kept (for the explanation) only when keep is set: the excluded and
 * filtering sides of a query match but weigh nothing. */
static int eval(lede__explainer *e, const lede__qnode *n, double scale,
                int keep, int *matched, double *w)
{
    int rc = 0, m;
    double x;
    *matched = 0;
    *w = 0;
    switch (n->op) {
    case LEDE__Q_TERM:
        return term_weight(e, n, scale, keep, matched, w);
    case LEDE__Q_ALL:
        *matched = 1;
        return 0;
    case LEDE__Q_NONE:
        return 0;
    case LEDE__Q_RANGE: {
        /* The filter matched, or the document would not be a hit: the
         * matcher checked the value; no weight either way. */
        *matched = 1;
        return 0;
    }
    case LEDE__Q_SCALE:
        return eval(e, n->kids[0], scale * n->scale, keep, matched, w);
    case LEDE__Q_OR: {
        /* Only the matching children weigh: evaluate without keeping,
         * then again keeping those that matched. */
        for (size_t i = 0; i < n->nkids && rc == 0; i++) {
            if ((rc = eval(e, n->kids[i], scale, 0, &m, &x)) == 0 && m) {
                *matched = 1;
                if (keep)
                    rc = eval(e, n->kids[i], scale, 1, &m, &x);
                *w += x;
            }
        }
        return rc;
    }
    case LEDE__Q_AND:
    case LEDE__Q_PHRASE:
    case LEDE__Q_NEAR: {
        int all = 1;
        for (size_t i = 0; i < n->nkids && rc == 0 && all; i++) {
            rc = eval(e, n->kids[i], scale, 0, &m, &x);
            all = m;
        }
        if (rc == 0 && all && n->op != LEDE__Q_AND)
            rc = positions_match(e, n, &all);
        if (rc < 0 || !all)
            return rc;
        *matched = 1;
        for (size_t i = 0; i < n->nkids && rc == 0; i++) {
            rc = eval(e, n->kids[i], scale, keep, &m, &x);
            *w += x;
        }
        return rc;
    }
    case LEDE__Q_AND_MAYBE:
        if ((rc = eval(e, n->kids[0], scale, keep, matched, w)) < 0 ||
            !*matched || n->nkids < 2)
            return rc;
        if ((rc = eval(e, n->kids[1], scale, 0, &m, &x)) == 0 && m) {
            if (keep)
                rc = eval(e, n->kids[1], scale, 1, &m, &x);
            *w += x;
        }
        return rc;
    case LEDE__Q_AND_NOT:
    case LEDE__Q_FILTER:
        /* The second side decides whether, never how much. */
        return eval(e, n->kids[0], scale, keep, matched, w);
    }
    return 0;
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
