/*
 * results.c - the results of a search: built hit by hit, then read.
 *
 * Owns lede_results: for every hit its article id, title, date, url,
 * offsets and text (from the hit's own stored passage record, store.c, or
 * for a hit that shows nothing of the query its article's lead), its
 * highlights and snippet window (snippet.c), and on request its
 * explanation (explain.c); beside the hits, the count of matching
 * articles, the spelling suggestion, a note, the shards left out and the
 * facets (facet.c), which search.c works out and hands over. Every string lives
 * in one arena, which the getters lend out. Does not search. Calls snippet.c,
 * explain.c, facet.c, store.c, index.c, key.c, buf.c, alloc.c, error.c
 * and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <string.h>

/* The first passage of the article of the hit being resolved, which
 * first_passage() may show instead of the hit's: kept from hit to hit
 * while the results are built. */
typedef struct {
    lede__buf id;      /* article id */
    lede__buf text;    /* its first passage's record's texts */
    size_t text_off;   /* where the passage's own text starts in text */
    uint64_t start;    /* that passage's offsets in the body */
    uint64_t end;      /* exclusive */
    int found;         /* the fields hold the article of id */
    lede__buf scratch; /* a hit's record's text, inflated */
} article;

typedef struct {
    double score;     /* BM25 weight */
    uint32_t passage; /* ordinal in the article */
    size_t start;     /* byte offsets in the body */
    size_t end;       /* exclusive */
    int64_t date;     /* article date, or LEDE_NO_DATE */
    unsigned similar; /* near-duplicates folded into this hit */
    size_t id;        /* arena offset of the article id */
    size_t title;     /* arena offset of the title */
    size_t url;       /* arena offset of the url */
    size_t text;      /* arena offset of the passage text */
    size_t hl;        /* first highlight in res->spans */
    size_t nhl;       /* highlights */
    lede__window win; /* snippet window in the text */
    size_t ex;        /* first explanation item in res->ex */
    size_t nex;       /* explanation items */
    size_t fv;        /* first field value in res->fv */
    size_t nfv;       /* field values */
} hit;

struct lede_results {
    hit *hits;            /* best first */
    size_t n;             /* number of hits */
    uint64_t estimated;   /* matching articles, estimated */
    int exact;            /* estimated is exact */
    lede__buf arena;      /* NUL-terminated strings of all hits */
    lede_span *spans;     /* highlights of all hits */
    size_t nspans;        /* count */
    size_t capspans;      /* allocated */
    lede_explain *ex;     /* explanations of all hits */
    size_t *ex_term;      /* arena offsets of their terms */
    size_t nex;           /* count */
    size_t capex;         /* allocated (ex and ex_term) */
    size_t capexterm;     /* allocated (ex_term) */
    long suggestion;      /* arena offset of the suggestion, or -1 */
    long note;            /* arena offset of why nothing matched, or -1 */
    lede_field *fv;       /* field values of all hits */
    size_t *fv_off;       /* arena offsets of their names and values, two
                             per value */
    size_t nfv;           /* count */
    size_t capfv;         /* allocated (fv) */
    size_t capfvoff;      /* allocated (fv_off) */
    lede__facets *facets; /* the facets counted, or NULL */
    size_t *missing;      /* arena offsets of the shards left out */
    size_t nmissing;      /* how many */
    article lead;         /* while building: the last article's lead */
};

static int find_article(const lede__xdocinfo *doc, void *payload)
{
    article *a = payload;
    lede__store_record r;
    int rc = lede__store_decode(&r, &a->text, doc->data, doc->data_len);
    if (rc < 0)
        return rc;
    if (!r.has_article)
        return 0;
    a->start = r.start;
    a->end = r.end;
    a->text_off = (size_t)(r.text - a->text.data);
    a->found = 1;
    return 1; /* stop: a->text holds the passage's text */
}

/* Make a hold the first passage of the article with this id. */
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
        (rc = lede__key_id_term(&term, id, id_len)) < 0)
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

static int put_string(lede_results *res, size_t *off, const char *s, size_t n)
{
    *off = res->arena.len;
    int rc = lede__buf_put(&res->arena, s, n);
    return rc == 0 ? lede__buf_putc(&res->arena, '\0') : rc;
}

/* The field values of a record to the arena, for h. */
static int keep_fields(lede_results *res, hit *h, const lede__store_record *r)
{
    const char *p = r->fields_data, *end = p + r->fields_len;
    const char *name, *value;
    size_t nl, vl;
    int rc;
    h->fv = res->nfv;
    h->nfv = 0;
    while (p != NULL && (rc = lede__store_field_next(&name, &nl, &value, &vl,
                                                     &p, end)) != 0) {
        if (rc < 0)
            return rc;
        lede_field *v = lede__grow(res->fv, &res->capfv, res->nfv, sizeof *v);
        if (v == NULL)
            return lede__error_nomem();
        res->fv = v;
        size_t *o = lede__grow(res->fv_off, &res->capfvoff, 2 * res->nfv + 1,
                               sizeof *o);
        if (o == NULL)
            return lede__error_nomem();
        res->fv_off = o;
        if ((rc = put_string(res, &o[2 * res->nfv], name, nl)) < 0 ||
            (rc = put_string(res, &o[2 * res->nfv + 1], value, vl)) < 0)
            return rc;
        res->nfv++;
        h->nfv++;
    }
    return 0;
}

/* Fill h from the stored record of a hit: its own text, title, date,
 * URL and fields. */
static int resolve(lede_results *res, hit *h, lede__buf *scratch,
                   const lede__results_found *f)
{
    lede__store_record r;
    int rc = lede__store_decode(&r, scratch, f->data, f->data_len);
    if (rc < 0)
        return rc;
    h->score = f->score;
    h->passage = r.ordinal;
    h->start = (size_t)r.start;
    h->end = (size_t)r.end;
    h->date = r.date;
    if ((rc = put_string(res, &h->id, f->id, f->id_len)) < 0 ||
        (rc = put_string(res, &h->title, r.title, r.title_len)) < 0 ||
        (rc = put_string(res, &h->url, r.url ? r.url : "", r.url_len)) < 0 ||
        (rc = keep_fields(res, h, &r)) < 0)
        return rc;
    return put_string(res, &h->text, r.text, h->end - h->start);
}

/* LEDE_SEARCH_IDS_ONLY: the id and score, every string else empty. */
static int id_only(lede_results *res, hit *h, const lede__results_found *f)
{
    int rc = put_string(res, &h->id, f->id, f->id_len);
    if (rc == 0)
        rc = put_string(res, &h->title, "", 0);
    h->url = h->text = h->title;
    h->score = f->score;
    h->date = LEDE_NO_DATE;
    return rc;
}

/* Highlights and the snippet window of h's text. */
static int highlight(lede_results *res, hit *h, lede__snippet_finder *hl,
                     unsigned words)
{
    lede__snippet_matches r;
    const char *text = res->arena.data + h->text;
    size_t len = h->end - h->start;
    int rc = lede__snippet_find(&r, hl, text, len);
    if (rc == 0) {
        h->hl = res->nspans;
        h->nhl = r.n;
        if (r.n > 0) { /* room for them all, then the copy */
            lede_span *v = lede__grow(res->spans, &res->capspans,
                                      res->nspans + r.n - 1, sizeof *v);
            if (v == NULL) {
                rc = lede__error_nomem();
            } else {
                res->spans = v;
                memcpy(v + res->nspans, r.spans, r.n * sizeof *v);
                res->nspans += r.n;
            }
        }
        lede__snippet_window(&h->win, &r, len, text, words);
    }
    lede__snippet_matches_free(&r);
    return rc;
}

/* A hit whose passage shows none of the query's words matched through
 * its article's title alone (or a date), which every passage of the
 * article carries: among passages that match alike the shortest wins, on
 * length, and shows nothing of what was asked. With one passage an
 * article, the article's first passage, its lead, stands for it instead,
 * as a search engine shows the start of a document whose body has no
 * match. The score and its explanation stay those that ranked the
 * article. */
static int first_passage(lede_results *res, hit *h, article *a, lede_index *idx,
                         lede__snippet_finder *hl, unsigned words)
{
    const char *id = res->arena.data + h->id;
    int rc = load_article(a, idx, id, strlen(id));
    if (rc < 0)
        return rc;
    h->passage = 0;
    h->start = (size_t)a->start;
    h->end = (size_t)a->end;
    if ((rc = put_string(res, &h->text, a->text.data + a->text_off,
                         h->end - h->start)) < 0)
        return rc;
    return highlight(res, h, hl, words);
}

static int explain(lede_results *res, hit *h, lede__explainer *e,
                   uint64_t docid)
{
    lede__explain_item *items;
    size_t n;
    int rc = lede__explain(&items, &n, e, docid);
    if (rc < 0)
        return rc;
    h->ex = res->nex;
    h->nex = n;
    if (n > 0) { /* room for the n items in both arrays */
        size_t cap = res->capex, last = res->nex + n - 1;
        lede_explain *v = lede__grow(res->ex, &cap, last, sizeof *v);
        if (v != NULL)
            res->ex = v;
        size_t *t = lede__grow(res->ex_term, &res->capexterm, last, sizeof *t);
        if (t != NULL)
            res->ex_term = t;
        if (v == NULL || t == NULL)
            rc = lede__error_nomem();
        else
            res->capex = cap;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        lede_explain *v = res->ex;
        size_t *t = res->ex_term;
        /* Title terms read as title:word, proximity pairs' as near:word. */
        const lede__explain_item *it = &items[i];
        size_t tp = strlen(LEDE__PREFIX_TITLE);
        int title =
            it->len >= tp && memcmp(it->term, LEDE__PREFIX_TITLE, tp) == 0;
        t[res->nex] = res->arena.len;
        if (title)
            rc = lede__buf_printf(&res->arena, "title:%.*s",
                                  (int)(it->len - tp), it->term + tp);
        else if (it->near)
            rc = lede__buf_printf(&res->arena, "near:%.*s", (int)it->len,
                                  it->term);
        else
            rc = lede__buf_put(&res->arena, it->term, it->len);
        if (rc == 0)
            rc = lede__buf_putc(&res->arena, '\0');
        v[res->nex++] = (lede_explain){NULL,    it->tf,     it->df,
                                       it->idf, it->length, it->weight};
    }
    lede__free(items);
    return rc;
}

int lede__results_new(lede_results **out, size_t nhits)
{
    lede_results *res = lede__calloc(1, sizeof *res);
    *out = NULL;
    if (res == NULL)
        return lede__error_nomem();
    res->suggestion = -1;
    res->note = -1;
    res->lead = (article){.id = LEDE__BUF_INIT,
                          .text = LEDE__BUF_INIT,
                          .scratch = LEDE__BUF_INIT};
    if (nhits > 0 &&
        (res->hits = lede__calloc(nhits, sizeof *res->hits)) == NULL) {
        lede_results_free(res);
        return lede__error_nomem();
    }
    *out = res;
    return 0;
}

int lede__results_add(lede_results *res, const lede__results_found *f,
                      const lede_search_options *o, lede_index *idx,
                      lede__snippet_finder *hl, lede__explainer *ex)
{
    hit *h = &res->hits[res->n];
    int rc;
    h->similar = f->similar;
    if (o->flags & LEDE_SEARCH_IDS_ONLY)
        rc = id_only(res, h, f);
    else if ((rc = resolve(res, h, &res->lead.scratch, f)) == 0 &&
             !(o->flags & LEDE_SEARCH_NO_HIGHLIGHTS)) {
        rc = highlight(res, h, hl, o->snippet_words);
        if (rc == 0 && h->nhl == 0 && h->passage != 0 && o->per_article == 1)
            rc = first_passage(res, h, &res->lead, idx, hl, o->snippet_words);
    } else if (rc == 0) { /* the snippet is the whole passage */
        h->win = (lede__window){0, h->end - h->start, 0, 0};
    }
    if (rc < 0 || (ex && (rc = explain(res, h, ex, f->docid)) < 0))
        return rc;
    res->n++;
    return 0;
}

static void lead_free(article *a)
{
    lede__buf_free(&a->id);
    lede__buf_free(&a->text);
    lede__buf_free(&a->scratch);
    a->found = 0;
}

void lede__results_finish(lede_results *res)
{
    /* Strings are final: point the explanations at their terms. */
    for (size_t i = 0; i < res->nex; i++)
        res->ex[i].term = res->arena.data + res->ex_term[i];
    for (size_t i = 0; i < res->nfv; i++)
        res->fv[i] = (lede_field){res->arena.data + res->fv_off[2 * i],
                                  res->arena.data + res->fv_off[2 * i + 1]};
    lead_free(&res->lead);
}

void lede__results_set_count(lede_results *res, uint64_t n, int exact)
{
    res->estimated = n;
    res->exact = exact;
}

/* Keep s in the arena, at *off. */
static int keep_string(lede_results *res, long *off, const char *s, size_t len)
{
    size_t at;
    int rc = put_string(res, &at, s, len);
    if (rc == 0)
        *off = (long)at;
    return rc;
}

int lede__results_set_suggestion(lede_results *res, const char *s, size_t len)
{
    return keep_string(res, &res->suggestion, s, len);
}

int lede__results_set_note(lede_results *res, const char *s, size_t len)
{
    return keep_string(res, &res->note, s, len);
}

int lede__results_set_missing(lede_results *res, lede_index *idx)
{
    size_t n = lede_index_missing_count(idx);
    if (n == 0)
        return 0;
    if ((res->missing = lede__calloc(n, sizeof *res->missing)) == NULL)
        return lede__error_nomem();
    for (size_t i = 0; i < n; i++) {
        const char *line = lede_index_missing(idx, i);
        int rc = put_string(res, &res->missing[i], line, strlen(line));
        if (rc < 0)
            return rc;
        res->nmissing++;
    }
    return 0;
}

LEDE_EXTERN(void) lede_results_free(lede_results *res)
{
    if (res == NULL)
        return;
    lede__free(res->hits);
    lede__buf_free(&res->arena);
    lede__free(res->spans);
    lede__free(res->ex);
    lede__free(res->ex_term);
    lede__free(res->fv);
    lede__free(res->fv_off);
    lede__free(res->missing);
    lede__facet_free(res->facets);
    lead_free(&res->lead);
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

LEDE_EXTERN(int) lede_results_exact(const lede_results *res)
{
    return res ? res->exact : 0;
}

LEDE_EXTERN(size_t) lede_results_missing_count(const lede_results *res)
{
    return res ? res->nmissing : 0;
}

LEDE_EXTERN(const char *)
lede_results_missing(const lede_results *res, size_t i)
{
    return res && i < res->nmissing ? res->arena.data + res->missing[i] : NULL;
}

LEDE_EXTERN(const char *) lede_results_suggestion(const lede_results *res)
{
    return res && res->suggestion >= 0 ? res->arena.data + res->suggestion
                                       : NULL;
}

LEDE_EXTERN(const char *) lede_results_note(const lede_results *res)
{
    return res && res->note >= 0 ? res->arena.data + res->note : NULL;
}

/* Offset of no string: the getters' NULL. */
#define NO_STRING SIZE_MAX

/* What the getters give for no such hit. */
static const hit none = {.date = LEDE_NO_DATE,
                         .id = NO_STRING,
                         .title = NO_STRING,
                         .url = NO_STRING,
                         .text = NO_STRING};

/* Hit i, or none. */
static const hit *get(const lede_results *res, size_t i)
{
    return res != NULL && i < res->n ? &res->hits[i] : &none;
}

/* The string at arena offset off, borrowed, or NULL. */
static const char *string(const lede_results *res, size_t off)
{
    return off == NO_STRING ? NULL : res->arena.data + off;
}

LEDE_EXTERN(double) lede_results_score(const lede_results *res, size_t i)
{
    return get(res, i)->score;
}

LEDE_EXTERN(const char *)
lede_results_article_id(const lede_results *res, size_t i)
{
    return string(res, get(res, i)->id);
}

LEDE_EXTERN(const char *) lede_results_title(const lede_results *res, size_t i)
{
    return string(res, get(res, i)->title);
}

LEDE_EXTERN(unsigned int)
lede_results_passage(const lede_results *res, size_t i)
{
    return get(res, i)->passage;
}

LEDE_EXTERN(size_t) lede_results_start(const lede_results *res, size_t i)
{
    return get(res, i)->start;
}

LEDE_EXTERN(size_t) lede_results_end(const lede_results *res, size_t i)
{
    return get(res, i)->end;
}

LEDE_EXTERN(const char *) lede_results_text(const lede_results *res, size_t i)
{
    return string(res, get(res, i)->text);
}

LEDE_EXTERN(int64_t) lede_results_date(const lede_results *res, size_t i)
{
    return get(res, i)->date;
}

LEDE_EXTERN(const char *) lede_results_url(const lede_results *res, size_t i)
{
    return string(res, get(res, i)->url);
}

LEDE_EXTERN(const lede_field *)
lede_results_fields(const lede_results *res, size_t i, size_t *n_out)
{
    const hit *h = res != NULL && i < res->n ? &res->hits[i] : NULL;
    size_t n = h != NULL ? h->nfv : 0;
    if (n_out != NULL)
        *n_out = n;
    return n > 0 ? res->fv + h->fv : NULL;
}

LEDE_EXTERN(unsigned int)
lede_results_similar(const lede_results *res, size_t i)
{
    return get(res, i)->similar;
}

LEDE_EXTERN(const lede_span *)
lede_results_highlights(const lede_results *res, size_t i, size_t *n_out)
{
    const hit *h = get(res, i);
    if (n_out != NULL)
        *n_out = h->nhl;
    return h->nhl ? res->spans + h->hl : NULL;
}

LEDE_EXTERN(const lede_explain *)
lede_results_explain(const lede_results *res, size_t i, size_t *n_out)
{
    const hit *h = get(res, i);
    if (n_out != NULL)
        *n_out = h->nex;
    return h->nex ? res->ex + h->ex : NULL;
}

LEDE_EXTERN(int)
lede_results_snippet(char **out, const lede_results *res, size_t i,
                     const char *hi_start, const char *hi_end)
{
    lede__buf b = LEDE__BUF_INIT;
    const hit *h = get(res, i);
    if (out != NULL)
        *out = NULL;
    if (out == NULL || h == &none)
        return lede__error_set(LEDE_EINVAL, "lede_results_snippet: %s",
                               out == NULL ? "out is NULL" : "no such result");
    int rc = lede__snippet_render(&b, res->arena.data + h->text, &h->win,
                                  h->nhl ? res->spans + h->hl : NULL, h->nhl,
                                  hi_start, hi_end);
    if (rc == 0)
        rc = lede__buf_reserve(&b, 0); /* an empty snippet is "" too */
    if (rc < 0) {
        lede__buf_free(&b);
        return rc;
    }
    *out = b.data;
    return 0;
}

void lede__results_set_facets(lede_results *res, lede__facets *fs)
{
    lede__facet_free(res->facets);
    res->facets = fs;
}

LEDE_EXTERN(size_t) lede_results_facet_count(const lede_results *res)
{
    return res != NULL ? lede__facet_n(res->facets) : 0;
}

LEDE_EXTERN(const lede_facet_value *)
lede_results_facet(const lede_results *res, size_t f, const char **name_out,
                   uint64_t *distinct_out, size_t *n_out)
{
    return lede__facet_get(res != NULL ? res->facets : NULL, f, name_out,
                           distinct_out, n_out);
}
