/*
 * qcombine.c - words side by side combined into one node.
 *
 * Owns what the words of a sequence mean together: the required ones
 * must match (AND), the others rank (OR, AND_MAYBE beside required ones),
 * dates narrow without weight (FILTER) and excluded words take away
 * (AND_NOT); a word given again counts in its term's wqf rather than as
 * another leaf; two plain words next to each other add a NEAR pair
 * scaled by the proximity weight. Reading the syntax is query.c's.
 * Calls qtree.c, buf.c and alloc.c.
 */
#include "lede_int.h"

#include <string.h>

/* A word given twice counts twice in one leaf (its wqf), as BM25's query
 * term frequency means, rather than as two leaves that would each weigh
 * in full: "apple apple" is not twice "apple". Same nodes are found by
 * their descriptions. */
static size_t merge_repeats(lede__qtree *t, lede__qnode **v, size_t n)
{
    /* Every description first: bumping a count changes the description
     * ("summit^2"), so comparing as we go would miss a third copy. */
    char **desc = lede__qtree_alloc(t, n * sizeof *desc);
    lede__buf b = LEDE__BUF_INIT;
    size_t k = 0;
    if (desc == NULL)
        return n;
    for (size_t i = 0; i < n; i++) {
        lede__buf_clear(&b);
        if (lede__qtree_describe(&b, v[i]) < 0 ||
            (desc[i] = lede__qtree_strndup(t, b.data, b.len)) == NULL) {
            lede__qtree_nomem(t);
            lede__buf_free(&b);
            return n;
        }
    }
    lede__buf_free(&b);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && strcmp(desc[i], desc[j]) != 0)
            j++;
        if (j < k) {
            lede__qtree_bump_wqf(v[j]);
        } else {
            desc[k] = desc[i];
            v[k++] = v[i];
        }
    }
    return k;
}

/* The body term of a plain word's node (a term, or a term OR'd with its
 * scaled title term), or NULL for anything else. */
static const lede__qnode *body_term(const lede__qnode *n)
{
    if (n->op == LEDE__Q_OR && n->nkids == 2 && n->kids[1]->op == LEDE__Q_SCALE)
        n = n->kids[0];
    if (n->op != LEDE__Q_TERM ||
        strncmp(n->term, LEDE__PREFIX_TITLE, strlen(LEDE__PREFIX_TITLE)) == 0)
        return NULL;
    return n;
}

static int same(const lede__qnode *a, const lede__qnode *b)
{
    return a->len == b->len && memcmp(a->term, b->term, a->len) == 0;
}

/* Proximity: for each two plain words next to each other in words[0..n),
 * append to *list (not words) a node matching where both are within
 * LEDE_PROXIMITY_WINDOW positions, scaled by proximity, so that such
 * passages score that share of the two words' weight again. */
void lede__qcombine_pairs(lede__qtree *t, double proximity, lede__qnode **words,
                          size_t n, lede__qnode ***list, size_t *nlist,
                          size_t *cap)
{
    size_t first = *nlist;
    if (proximity <= 0 || n < 2)
        return;
    for (size_t i = 0; i + 1 < n && !t->error; i++) {
        const lede__qnode *a = body_term(words[i]),
                          *b = body_term(words[i + 1]);
        if (a == NULL || b == NULL || same(a, b))
            continue;
        size_t j = first;
        for (; j < *nlist; j++) {
            lede__qnode *const *k = (*list)[j]->kids[0]->kids;
            if ((same(k[0], a) && same(k[1], b)) ||
                (same(k[0], b) && same(k[1], a)))
                break;
        }
        if (j < *nlist)
            continue; /* the same two words again count once */
        lede__qnode *kids[2] = {lede__qtree_term(t, "", a->term, a->len),
                                lede__qtree_term(t, "", b->term, b->len)};
        lede__qnode *near = kids[0] && kids[1]
                                ? lede__qtree_op(t, LEDE__Q_NEAR, kids, 2)
                                : NULL;
        lede__qnode *s = near ? lede__qtree_node(t, LEDE__Q_SCALE) : NULL;
        if (s != NULL)
            s->kids = lede__qtree_alloc(t, sizeof *s->kids);
        /* Grown last: a failure leaves *list as it was, still the
         * caller's to free. */
        lede__qnode **v =
            s && s->kids ? lede__grow(*list, cap, *nlist, sizeof *v) : NULL;
        if (v == NULL) {
            lede__qtree_nomem(t);
            return;
        }
        near->window = LEDE_PROXIMITY_WINDOW;
        near->proximity = 1;
        s->scale = proximity;
        s->kids[0] = near;
        s->nkids = 1;
        *list = v;
        v[(*nlist)++] = s;
    }
}

/* The words of a seq combined: must AND, should OR (AND_MAYBE when both),
 * then filters, then exclusions. NULL when there is nothing. */
lede__qnode *lede__qcombine_seq(lede__qtree *t, lede__qnode **must,
                                size_t nmust, lede__qnode **should,
                                size_t nshould, lede__qnode **boost,
                                size_t nboost, lede__qnode **excl, size_t nexcl,
                                lede__qnode **filter, size_t nfilter,
                                int nested)
{
    lede__qnode *r = NULL;
    if (!t->error)
        nshould = merge_repeats(t, should, nshould);
    if (!t->error)
        nmust = merge_repeats(t, must, nmust);
    if (!t->error && nboost > 0) {
        /* Boosts only add weight to what the words match. */
        lede__qnode **v = lede__qtree_alloc(t, (nshould + nboost) * sizeof *v);
        if (v == NULL) {
            lede__qtree_nomem(t);
        } else {
            if (nshould > 0)
                memcpy(v, should, nshould * sizeof *v);
            memcpy(v + nshould, boost, nboost * sizeof *v);
            should = v;
            nshould += nboost;
        }
    }
    if (!t->error) {
        if (nmust + nshould + nexcl + nfilter == 0) {
            r = NULL; /* nothing here: the caller decides */
        } else {
            lede__qnode *m = nmust == 1 ? must[0]
                             : nmust
                                 ? lede__qtree_op(t, LEDE__Q_AND, must, nmust)
                                 : NULL;
            lede__qnode *s =
                nshould == 1 ? should[0]
                : nshould    ? lede__qtree_op(t, LEDE__Q_OR, should, nshould)
                             : NULL;
            r = m && s ? lede__qtree_pair(t, LEDE__Q_AND_MAYBE, m, s)
                : m    ? m
                : s    ? s
                       : lede__qtree_node(t, LEDE__Q_ALL);
            if (r && nfilter)
                r = lede__qtree_pair(
                    t, LEDE__Q_FILTER, r,
                    nfilter == 1
                        ? filter[0]
                        : lede__qtree_op(t, LEDE__Q_AND, filter, nfilter));
            if (r && nexcl)
                r = lede__qtree_pair(
                    t, LEDE__Q_AND_NOT, r,
                    nexcl == 1 ? excl[0]
                               : lede__qtree_op(t, LEDE__Q_OR, excl, nexcl));
            if (r == NULL)
                lede__qtree_nomem(t);
            if (r && nmust + nshould == 0 && nfilter == 0 && !nested)
                lede__qtree_error_at(
                    t, LEDE_EINVAL, 0,
                    "only excluded words: give a word to search "
                    "for, or a filter (date:, section:, ...)");
        }
    }
    return t->error ? NULL : r;
}
