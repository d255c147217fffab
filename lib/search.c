/*
 * search.c - running a query and shaping its results.
 *
 * Owns lede_search() and lede_results: checks the search options, hands
 * the parsed query (query.c) to the shim with the BM25 parameters, and
 * turns each hit into an article id, title, passage ordinal, offsets and
 * passage text. The text comes from the article record stored with the
 * article's first passage (store.c), fetched once per article. Calls
 * query.c, store.c, index.c, buf.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <math.h>
#include <string.h>

typedef struct {
    double score;     /* BM25 weight */
    uint32_t passage; /* ordinal in the article */
    size_t start;     /* byte offsets in the body */
    size_t end;       /* exclusive */
    int64_t date;     /* article date, or LEDE_NO_DATE */
    size_t id;        /* arena offset of the article id */
    size_t title;     /* arena offset of the title */
    size_t url;       /* arena offset of the url */
    size_t text;      /* arena offset of the passage text */
} hit;

struct lede_results {
    hit *hits;          /* best first */
    size_t n;           /* number of hits */
    uint64_t estimated; /* estimated matches */
    lede__buf arena;    /* NUL-terminated strings of all hits */
};

/* The article of the hit being resolved. */
typedef struct {
    lede__buf id;    /* article id */
    lede__buf title; /* its title */
    lede__buf body;  /* its body */
    lede__buf url;   /* its url */
    int64_t date;    /* its date */
    int found;       /* the fields hold the article of id */
} article;

static int check_options(const lede_search_options *o)
{
    if (o->version < 1 || o->version > LEDE_SEARCH_OPTIONS_VERSION)
        return lede__error_set(LEDE_EINVAL,
                               "lede_search_options version %u is not "
                               "supported (1..%d)",
                               o->version, LEDE_SEARCH_OPTIONS_VERSION);
    if (o->limit > LEDE_SEARCH_LIMIT_MAX)
        return lede__error_set(LEDE_EINVAL,
                               "limit %zu is over the maximum of %d", o->limit,
                               LEDE_SEARCH_LIMIT_MAX);
    if (o->offset > UINT32_MAX)
        return lede__error_set(LEDE_EINVAL, "offset %zu is too large",
                               o->offset);
    if (!isfinite(o->k1) || o->k1 < 0)
        return lede__error_set(LEDE_EINVAL, "k1 must be >= 0 (got %g)", o->k1);
    if (!isfinite(o->b) || o->b < 0 || o->b > 1)
        return lede__error_set(LEDE_EINVAL,
                               "b must be between 0 and 1 (got %g)", o->b);
    return 0;
}

static int find_article(const lede__xdocinfo *doc, void *payload)
{
    article *a = payload;
    lede__record r;
    int rc = lede__record_decode(&r, &a->body, doc->data, doc->data_len);
    if (rc < 0)
        return rc;
    if (!r.has_article)
        return 0;
    lede__buf_clear(&a->title);
    lede__buf_clear(&a->url);
    if ((rc = lede__buf_put(&a->title, r.title, r.title_len)) < 0 ||
        (rc = lede__buf_put(&a->url, r.url, r.url_len)) < 0)
        return rc;
    a->date = r.date;
    a->found = 1;
    return 1; /* stop: a->body holds the body */
}

/* Make a hold the article with this id (the first passage's record). */
static int load_article(article *a, lede_index *idx, const char *id,
                        size_t id_len)
{
    lede__buf term = LEDE__BUF_INIT;
    int rc;

    if (a->found && a->id.len == id_len && memcmp(a->id.data, id, id_len) == 0)
        return 0;
    a->found = 0;
    lede__buf_clear(&a->id);
    if ((rc = lede__buf_put(&a->id, id, id_len)) < 0 ||
        (rc = lede__id_term(&term, id, id_len)) < 0)
        goto done;
    rc = lede__xdb_term_docs(lede__index_db(idx), term.data, term.len,
                             find_article, a);
    if (rc == 1)
        rc = 0;
    else if (rc == 0)
        rc =
            lede__error_set(LEDE_ECORRUPT, "article %s has no stored text", id);
done:
    lede__buf_free(&term);
    return rc;
}

/* Fill h from the stored record of a hit. */
static int resolve(lede_results *res, hit *h, article *a, lede_index *idx,
                   const lede__xhits *xh, const lede__xhit *x)
{
    const char *data = xh->arena.data + x->data;
    const char *id = xh->arena.data + x->key;
    lede__record r;
    lede__buf scratch = LEDE__BUF_INIT;
    int rc = lede__record_decode(&r, &scratch, data, x->data_len);

    if (rc == 0 && r.has_article) {
        /* The hit is the article's first passage: it carries the text. */
        lede__buf body = a->body;
        a->body = scratch;
        scratch = body;
        lede__buf_clear(&a->id);
        lede__buf_clear(&a->title);
        lede__buf_clear(&a->url);
        a->found = 0;
        a->date = r.date;
        if ((rc = lede__buf_put(&a->id, id, x->key_len)) == 0 &&
            (rc = lede__buf_put(&a->title, r.title, r.title_len)) == 0 &&
            (rc = lede__buf_put(&a->url, r.url, r.url_len)) == 0)
            a->found = 1;
    } else if (rc == 0) {
        rc = load_article(a, idx, id, x->key_len);
    }
    lede__buf_free(&scratch);
    if (rc < 0)
        return rc;
    if (r.end > a->body.len)
        return lede__error_set(LEDE_ECORRUPT,
                               "article %s: passage %u ends at byte %llu, "
                               "after the body",
                               id, r.ordinal, (unsigned long long)r.end);
    h->score = x->score;
    h->passage = r.ordinal;
    h->start = (size_t)r.start;
    h->end = (size_t)r.end;
    h->id = res->arena.len;
    if ((rc = lede__buf_put(&res->arena, id, x->key_len + 1)) < 0)
        return rc;
    h->date = a->date;
    h->title = res->arena.len;
    if ((rc = lede__buf_put(&res->arena, a->title.data, a->title.len)) < 0 ||
        (rc = lede__buf_putc(&res->arena, '\0')) < 0)
        return rc;
    h->url = res->arena.len;
    if ((rc = lede__buf_put(&res->arena, a->url.data, a->url.len)) < 0 ||
        (rc = lede__buf_putc(&res->arena, '\0')) < 0)
        return rc;
    h->text = res->arena.len;
    if ((rc = lede__buf_put(&res->arena, a->body.data + h->start,
                            h->end - h->start)) < 0)
        return rc;
    return lede__buf_putc(&res->arena, '\0');
}

LEDE_EXTERN(int)
lede_search(lede_results **out, lede_index *idx, const char *query,
            const lede_search_options *opts)
{
    static const lede_search_options defaults = LEDE_SEARCH_OPTIONS_INIT;
    const lede_search_options *o = opts ? opts : &defaults;
    lede__query *q = NULL;
    lede__xhits xh = {NULL, 0, 0, LEDE__BUF_INIT};
    article a = {LEDE__BUF_INIT, LEDE__BUF_INIT, LEDE__BUF_INIT,
                 LEDE__BUF_INIT, LEDE_NO_DATE,   0};
    lede_results *res = NULL;
    int rc;

    if (out != NULL)
        *out = NULL;
    if (out == NULL || idx == NULL || query == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_search: %s is NULL",
                               out == NULL   ? "out"
                               : idx == NULL ? "index"
                                             : "query");
    if ((rc = check_options(o)) < 0 ||
        (rc = lede__query_parse(&q, idx, query)) < 0)
        return rc;

    lede__xsearch params = {o->k1, o->b, o->offset, o->limit, o->per_article};
    if ((rc = lede__xdb_search(&xh, lede__index_db(idx), lede__query_root(q),
                               &params)) < 0)
        goto done;
    if ((res = lede__calloc(1, sizeof *res)) == NULL ||
        (xh.n > 0 &&
         (res->hits = lede__calloc(xh.n, sizeof *res->hits)) == NULL)) {
        rc = lede__error_nomem();
        goto done;
    }
    res->estimated = xh.estimated;
    for (size_t i = 0; i < xh.n; i++) {
        if ((rc = resolve(res, &res->hits[i], &a, idx, &xh, &xh.v[i])) < 0)
            goto done;
        res->n++;
    }
    *out = res;
    res = NULL;
done:
    lede_results_free(res);
    lede__query_free(q);
    lede__xhits_free(&xh);
    lede__buf_free(&a.id);
    lede__buf_free(&a.title);
    lede__buf_free(&a.body);
    lede__buf_free(&a.url);
    return rc;
}

LEDE_EXTERN(void) lede_results_free(lede_results *res)
{
    if (res == NULL)
        return;
    lede__free(res->hits);
    lede__buf_free(&res->arena);
    lede__free(res);
}

LEDE_EXTERN(size_t) lede_results_count(const lede_results *res)
{
    return res ? res->n : 0;
}

LEDE_EXTERN(uint64_t) lede_results_estimated(const lede_results *res)
{
    return res ? res->estimated : 0;
}

static const hit *get(const lede_results *res, size_t i)
{
    return res != NULL && i < res->n ? &res->hits[i] : NULL;
}

LEDE_EXTERN(double) lede_results_score(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? h->score : 0.0;
}

LEDE_EXTERN(const char *)
lede_results_article_id(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? res->arena.data + h->id : NULL;
}

LEDE_EXTERN(const char *) lede_results_title(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? res->arena.data + h->title : NULL;
}

LEDE_EXTERN(unsigned int)
lede_results_passage(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? h->passage : 0;
}

LEDE_EXTERN(size_t) lede_results_start(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? h->start : 0;
}

LEDE_EXTERN(size_t) lede_results_end(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? h->end : 0;
}

LEDE_EXTERN(const char *) lede_results_text(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? res->arena.data + h->text : NULL;
}

LEDE_EXTERN(int64_t) lede_results_date(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? h->date : LEDE_NO_DATE;
}

LEDE_EXTERN(const char *) lede_results_url(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? res->arena.data + h->url : NULL;
}
