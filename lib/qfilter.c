/*
 * qfilter.c - the filters of the query language: NAME:VALUE, dir: and id:.
 *
 * Owns what a field token of a query (qlex.c) becomes: a keyword field's
 * value its filter term (fields.c folds it as the writer did), dir:PATH
 * the term of that folder, id:ID the article-id term. Each is a term that
 * only narrows: query.c places it as it places a date range, and this
 * module gives it a weight of nothing, so that in an OR beside words it
 * adds no score either. A name that is no field of the index is an error
 * at its column listing the fields the index has. Calls fields.c,
 * index.c, analysis.c, key.c, qtree.c, buf.c and error.c.
 */
#include "lede_int.h"

#include <string.h>

/* Query text the length of a field value, at most, before folding. */
#define VALUE_MAX (4 * LEDE_FIELD_VALUE_MAX)

static int is_name(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && memcmp(s, name, len) == 0;
}

/* The unknown field's error, listing the index's fields. */
static void unknown(lede__qtree *t, lede_index *idx, const lede__qtok *tok,
                    const char *name, size_t len)
{
    lede__buf list = LEDE__BUF_INIT;
    int rc = lede__fields_of_index(&list, lede__index_db(idx),
                                   lede__index_declared_fields(idx), ", ");
    if (rc < 0) {
        lede__qtree_failed(t, rc);
    } else {
        lede__qtree_error_at(t, LEDE_EINVAL, tok->na,
                             "unknown field '%.*s:' (this index's fields are "
                             "%s; and title:, date:, dir:, id:; put text "
                             "with a colon in quotes)",
                             (int)len, name, list.data);
    }
    lede__buf_free(&list);
}

/* A term node that narrows and weighs nothing. */
static lede__qnode *unweighted(lede__qtree *t, const lede__buf *term)
{
    lede__qnode *n = lede__qtree_term(t, "", term->data, term->len);
    lede__qnode *s = n ? lede__qtree_op(t, LEDE__Q_SCALE, &n, 1) : NULL;
    if (s != NULL)
        s->scale = 0.0;
    return s;
}

int lede__qfilter_is_field(lede_index *idx, const char *text,
                           const lede__qtok *tok)
{
    char name[LEDE_FIELD_NAME_MAX + 1];
    size_t n = tok->nb - tok->na;
    int known = 0;
    if (n > LEDE_FIELD_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = text[tok->na + i];
        name[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    name[n] = '\0';
    if (is_name(name, n, "dir") || is_name(name, n, "id"))
        return 1;
    if (lede__fields_known(&known, lede__index_db(idx),
                           lede__index_declared_fields(idx), name, n) < 0)
        lede__error_clear(); /* then no field: the word is searched */
    return known;
}

lede__qnode *lede__qfilter_node(lede__qtree *t, lede_index *idx,
                                const lede__qtok *tok)
{
    const char *text = t->text;
    char name[LEDE_FIELD_NAME_MAX + 1];
    size_t nlen = tok->nb - tok->na;
    const char *v = text + tok->a;
    size_t vlen = tok->b - tok->a;
    lede__buf term = LEDE__BUF_INIT, folded = LEDE__BUF_INIT;
    lede__qnode *r = NULL;
    int rc = 0, known = 0;

    /* Names are matched whatever their case, as title: and date: are. */
    for (size_t i = 0; i < nlen && i < LEDE_FIELD_NAME_MAX; i++) {
        char c = text[tok->na + i];
        name[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    name[nlen < LEDE_FIELD_NAME_MAX ? nlen : LEDE_FIELD_NAME_MAX] = '\0';
    if (tok->a == tok->b && !tok->quoted) {
        lede__qtree_error_at(t, LEDE_EINVAL, tok->na,
                             "%.*s: needs a value right after the colon",
                             (int)nlen, text + tok->na);
        return NULL;
    }
    if (tok->has_slop) {
        lede__qtree_error_at(t, LEDE_EINVAL, tok->na,
                             "'~N' has no meaning after %.*s:", (int)nlen,
                             text + tok->na);
        return NULL;
    }
    if (vlen > VALUE_MAX) {
        lede__qtree_error_at(t, LEDE_EINVAL, tok->a,
                             "a value of %zu bytes is over the limit of %d",
                             vlen, VALUE_MAX);
        return NULL;
    }
    if (!lede__index_keeps_fields(idx) &&
        !(nlen <= LEDE_FIELD_NAME_MAX && is_name(name, nlen, "id"))) {
        lede__qtree_error_at(t, LEDE_EINVAL, tok->na,
                             "%.*s: this index was made before lede kept "
                             "keyword fields and folders; rebuild it "
                             "(lede-index --rebuild) to filter on them",
                             (int)nlen, text + tok->na);
        return NULL;
    }
    if (nlen <= LEDE_FIELD_NAME_MAX && is_name(name, nlen, "dir")) {
        rc = lede__fields_dir_term(&term, v, vlen);
        if (rc == 0 && term.len > LEDE__FIELD_TERM_MAX)
            rc = lede__qtree_error_at(t, LEDE_EINVAL, tok->a,
                                      "dir: a path of %zu bytes is over the "
                                      "limit",
                                      vlen);
    } else if (nlen <= LEDE_FIELD_NAME_MAX && is_name(name, nlen, "id")) {
        rc = lede__key_id_term(&term, v, vlen);
    } else {
        if (nlen <= LEDE_FIELD_NAME_MAX &&
            (rc = lede__fields_known(&known, lede__index_db(idx),
                                     lede__index_declared_fields(idx), name,
                                     nlen)) < 0) {
            lede__qtree_failed(t, rc);
        } else if (!known) {
            unknown(t, idx, tok, text + tok->na, nlen);
            rc = LEDE_EINVAL;
        }
        if (rc == 0)
            rc = lede__fields_term(
                &term, &folded,
                lede__analysis_tokenizer(lede__index_analysis(idx)), name, nlen,
                v, vlen);
        if (rc < 0 && rc != LEDE_EINVAL && rc != LEDE_ELIMIT)
            lede__qtree_failed(t, rc);
        else if (rc < 0 && !t->error)
            lede__qtree_error_at(t, LEDE_EINVAL, tok->a, "%s",
                                 lede_error_last());
    }
    if (rc == 0 && (r = unweighted(t, &term)) == NULL)
        lede__qtree_nomem(t);
    lede__buf_free(&term);
    lede__buf_free(&folded);
    return r;
}
