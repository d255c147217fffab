/*
 * query.c - from the text a user typed to a query tree for the shim.
 *
 * Owns the query language. A query is free text: its words are found by
 * the same tokenizer as article text and stemmed with the index's
 * language, and the passage must match any of them (OR), each scored by
 * BM25; a word given twice counts twice (its within-query frequency).
 * Owns the limits on query size. Calls tokenize.c through the index, buf.c
 * and error.c; running the query is search.c's job.
 */
#include "lede_int.h"

#include <string.h>

typedef struct {
    size_t off;   /* offset of the term in the arena */
    size_t len;   /* bytes */
    uint32_t wqf; /* occurrences in the query */
} qterm;

struct lede__query {
    lede__qnode root;         /* OR of the terms */
    lede__qnode *leaves;      /* one node per distinct term */
    const lede__qnode **kids; /* root's children: pointers to leaves */
    qterm *terms;             /* distinct terms while parsing */
    size_t n;                 /* distinct terms */
    size_t words;             /* words seen, repeats included */
    lede__buf arena;          /* term bytes */
    lede__buf stem;           /* stemmer output */
    lede_index *idx;          /* index whose stemmer applies */
};

static int add_word(const lede__token *t, void *payload)
{
    lede__query *q = payload;
    int rc;

    if (++q->words > LEDE__QUERY_MAX_WORDS)
        return lede__error_set(LEDE_EINVAL,
                               "query: more than %d words (at byte %zu)",
                               LEDE__QUERY_MAX_WORDS, t->start);
    if ((rc = lede__index_stem(&q->stem, q->idx, t->term, t->len)) < 0)
        return rc;
    if (q->stem.len == 0 || q->stem.len > LEDE__TOKEN_MAX)
        return 0;
    for (size_t i = 0; i < q->n; i++) {
        if (q->terms[i].len == q->stem.len &&
            memcmp(q->arena.data + q->terms[i].off, q->stem.data,
                   q->stem.len) == 0) {
            q->terms[i].wqf++;
            return 0;
        }
    }
    q->terms[q->n] = (qterm){q->arena.len, q->stem.len, 1};
    q->n++;
    return lede__buf_put(&q->arena, q->stem.data, q->stem.len);
}

int lede__query_parse(lede__query **out, lede_index *idx, const char *text)
{
    size_t len = strlen(text);
    lede__query *q;
    int rc;

    *out = NULL;
    if (len > LEDE__QUERY_MAX_BYTES)
        return lede__error_set(LEDE_EINVAL,
                               "query: %zu bytes is over the limit of %d", len,
                               LEDE__QUERY_MAX_BYTES);
    size_t bad = lede__utf8_check(text, len);
    if (bad < len)
        return lede__error_set(LEDE_EINVAL, "query: invalid UTF-8 at byte %zu",
                               bad);
    if ((q = lede__calloc(1, sizeof *q)) == NULL)
        return lede__error_nomem();
    q->idx = idx;
    q->terms = lede__calloc(LEDE__QUERY_MAX_WORDS, sizeof *q->terms);
    if (q->terms == NULL) {
        rc = lede__error_nomem();
        goto fail;
    }
    if ((rc = lede__tokenizer_run(lede__index_tokenizer(idx), text, len,
                                  add_word, q)) < 0)
        goto fail;
    if (q->n == 0) {
        rc = lede__error_set(LEDE_EINVAL, "query: no words to search for");
        goto fail;
    }
    q->leaves = lede__calloc(q->n, sizeof *q->leaves);
    q->kids = lede__calloc(q->n, sizeof *q->kids);
    if (q->leaves == NULL || q->kids == NULL) {
        rc = lede__error_nomem();
        goto fail;
    }
    for (size_t i = 0; i < q->n; i++) {
        q->leaves[i] = (lede__qnode){LEDE__Q_TERM,
                                     q->arena.data + q->terms[i].off,
                                     q->terms[i].len,
                                     q->terms[i].wqf,
                                     NULL,
                                     0};
        q->kids[i] = &q->leaves[i];
    }
    q->root = (lede__qnode){LEDE__Q_OR, NULL, 0, 0, q->kids, q->n};
    *out = q;
    return 0;
fail:
    lede__query_free(q);
    return rc;
}

const lede__qnode *lede__query_root(const lede__query *q)
{
    return &q->root;
}

void lede__query_free(lede__query *q)
{
    if (q == NULL)
        return;
    lede__free(q->leaves);
    lede__free(q->kids);
    lede__free(q->terms);
    lede__buf_free(&q->arena);
    lede__buf_free(&q->stem);
    lede__free(q);
}
