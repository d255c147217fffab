/*
 * like.c - related stories: the words that best tell an article apart.
 *
 * Owns what lede_search_options.like makes of an article: its passages
 * (through its id term) taken as the relevant set of Xapian's expand set,
 * whose best LEDE_LIKE_TERMS words (no prefixed term, no number, no
 * stop word) become
 * the query that query.c builds, and the article's near-duplicate
 * signature, by which search.c leaves its near-duplicates out; and the
 * query tree of those words. Does not search. Calls index.c, analysis.c,
 * key.c, qtree.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <string.h>

/* The article's passages. */
typedef struct {
    uint64_t *v; /* docids */
    size_t n;    /* count */
    size_t cap;  /* allocated */
} docids;

static int add_docid(const lede__xdocinfo *d, void *payload)
{
    docids *ds = payload;
    uint64_t *v = lede__grow(ds->v, &ds->cap, ds->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    ds->v = v;
    v[ds->n++] = d->docid;
    return 0;
}

static int add_term(const char *term, size_t len, double weight, void *payload)
{
    lede__like *l = payload;
    (void)weight; /* the query weighs them by BM25, as any words */
    /* Common words ("the", "on") tell nothing apart, however the expand
     * set weighs them in a short article. */
    if (l->n == LEDE_LIKE_TERMS || lede__analysis_is_stopword(term, len))
        return 0;
    char *t = lede__strndup(term, len);
    if (t == NULL)
        return lede__error_nomem();
    l->terms[l->n++] = t;
    return 0;
}

void lede__like_free(lede__like *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        lede__free(l->terms[i]);
    lede__free(l->id);
    memset(l, 0, sizeof *l);
}

int lede__like_make(lede__like *out, lede_index *idx, const char *id)
{
    lede__buf term = LEDE__BUF_INIT, sig = LEDE__BUF_INIT;
    docids ds = {NULL, 0, 0};
    lede__xdb *db = lede__index_db(idx);
    int rc;

    memset(out, 0, sizeof *out);
    if ((out->id = lede__strndup(id, strlen(id))) == NULL)
        return lede__error_nomem();
    if ((rc = lede__key_id_term(&term, id, strlen(id))) == 0)
        rc = lede__xdb_term_docs(db, term.data, term.len, add_docid, &ds);
    if (rc == 0 && ds.n == 0)
        rc = lede__error_set(LEDE_ENOTFOUND,
                             "like: no article '%s' in the index", id);
    if (rc == 0 &&
        (rc = lede__xdb_first_value(&sig, db, term.data, term.len,
                                    LEDE__SLOT_SIMHASH)) == 0 &&
        sig.len == 16)
        memcpy(out->sig, sig.data, 16);
    if (rc == 0)
        rc = lede__xdb_expand(db, ds.v, ds.n, 2 * LEDE_LIKE_TERMS, add_term,
                              out);
    if (rc == 0 && out->n == 0)
        rc = lede__error_set(LEDE_ENOTFOUND,
                             "like: article '%s' has no words to search "
                             "for",
                             id);
    lede__free(ds.v);
    lede__buf_free(&term);
    lede__buf_free(&sig);
    if (rc < 0)
        lede__like_free(out);
    return rc;
}

lede__qnode *lede__like_root(lede__qtree *t, const lede__like *l,
                             lede__qnode *narrow)
{
    lede__qnode *words[LEDE_LIKE_TERMS], *id;
    lede__buf term = LEDE__BUF_INIT;
    for (size_t i = 0; i < l->n; i++)
        if ((words[i] = lede__qtree_term(t, "", l->terms[i],
                                         strlen(l->terms[i]))) == NULL)
            return NULL;
    int rc = lede__key_id_term(&term, l->id, strlen(l->id));
    id = rc == 0 ? lede__qtree_term(t, "", term.data, term.len) : NULL;
    lede__buf_free(&term);
    if (rc < 0) {
        lede__qtree_failed(t, rc);
        return NULL;
    }
    lede__qnode *any = lede__qtree_op(t, LEDE__Q_OR, words, l->n);
    lede__qnode *r =
        any && id ? lede__qtree_pair(t, LEDE__Q_AND_NOT, any, id) : NULL;
    if (r != NULL && narrow != NULL)
        r = lede__qtree_pair(t, LEDE__Q_FILTER, r, narrow);
    if (r == NULL)
        lede__qtree_nomem(t);
    return r;
}
