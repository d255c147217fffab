/*
 * search.c - running a query and shaping its results.
 *
 * Owns lede_search() and lede_results: the search options, the run of the
 * parsed query (query.c) through the shim with BM25 and per-article
 * grouping, the folding of near-duplicate articles (simhash.c), and for
 * every hit its article id, title, date, url, offsets and text (from the
 * hit's own stored passage record, store.c), its highlights
 * and snippet window (snippet.c), and on request its explanation
 * (explain.c). When nothing matches, the spelling suggestion. A search
 * with a time budget looks at the clock between its steps and fails
 * rather than return part of an answer. Calls query.c, snippet.c,
 * explain.c, store.c, index.c, buf.c, budget.c, retry.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Hits fetched at most while looking past near-duplicates. */
#define DEDUP_FETCH_MAX 100000
/* Matching passages looked at before the count of their articles becomes
 * an estimate: a tenth of a millisecond on a news index. */
#define COUNT_EXACT_UP_TO 500

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
} hit;

struct lede_results {
    hit *hits;          /* best first */
    size_t n;           /* number of hits */
    uint64_t estimated; /* matching articles, estimated */
    int exact;          /* estimated is exact */
    lede__buf arena;    /* NUL-terminated strings of all hits */
    lede_span *spans;   /* highlights of all hits */
    size_t nspans;      /* count */
    size_t capspans;    /* allocated */
    lede_explain *ex;   /* explanations of all hits */
    size_t *ex_term;    /* arena offsets of their terms */
    size_t nex;         /* count */
    size_t capex;       /* allocated (ex and ex_term) */
    size_t capexterm;   /* allocated (ex_term) */
    long suggestion;    /* arena offset of the suggestion, or -1 */
    long note;          /* arena offset of why nothing matched, or -1 */
    size_t *missing;    /* arena offsets of the shards left out */
    size_t nmissing;    /* how many */
};

/* The first passage of the article of the hit being resolved, which
 * first_passage() may show instead of the hit's. */
typedef struct {
    lede__buf id;      /* article id */
    lede__buf text;    /* its first passage's text */
    uint64_t start;    /* that passage's offsets in the body */
    uint64_t end;      /* exclusive */
    int found;         /* the fields hold the article of id */
    lede__buf scratch; /* a hit's record's text, inflated */
} article;

/* Copy the caller's options, of any version, with defaults for fields
 * their version lacks, and check them. */
static int read_options(lede_search_options *o, const lede_search_options *in)
{
    static const lede_search_options defaults = LEDE_SEARCH_OPTIONS_INIT;
    *o = defaults;
    if (in != NULL) {
        if (in->version < 1 || in->version > LEDE_SEARCH_OPTIONS_VERSION)
            return lede__error_set(LEDE_EINVAL,
                                   "lede_search_options version %u is not "
                                   "supported (1..%d)",
                                   in->version, LEDE_SEARCH_OPTIONS_VERSION);
        o->limit = in->limit;
        o->offset = in->offset;
        o->k1 = in->k1;
        o->b = in->b;
        o->per_article = in->per_article;
        if (in->version >= 2) {
            o->flags = in->flags;
            o->title_weight = in->title_weight;
            o->date_from = in->date_from;
            o->date_to = in->date_to;
            o->snippet_words = in->snippet_words;
        }
        if (in->version >= 3) {
            o->weighting = in->weighting;
            o->k3 = in->k3;
            o->proximity = in->proximity;
        }
        if (in->version >= 4)
            o->max_time_ms = in->max_time_ms;
    }
    if (o->weighting != LEDE_WEIGHT_BM25 &&
        o->weighting != LEDE_WEIGHT_BM25_LUCENE)
        return lede__error_set(LEDE_EINVAL, "unknown weighting %d",
                               (int)o->weighting);
    if (o->flags & ~(unsigned)(LEDE_SEARCH_ALL | LEDE_SEARCH_NO_DEDUP |
                               LEDE_SEARCH_SORT_DATE | LEDE_SEARCH_EXPLAIN |
                               LEDE_SEARCH_PLAIN | LEDE_SEARCH_KEEP_STOPWORDS |
                               LEDE_SEARCH_IDS_ONLY |
                               LEDE_SEARCH_NO_HIGHLIGHTS | LEDE_SEARCH_COUNT))
        return lede__error_set(LEDE_EINVAL, "unknown search flags 0x%x",
                               o->flags);
    if (o->limit > LEDE_SEARCH_LIMIT_MAX)
        return lede__error_set(LEDE_EINVAL,
                               "limit %zu is over the maximum of %d", o->limit,
                               LEDE_SEARCH_LIMIT_MAX);
    if (o->offset > LEDE_SEARCH_OFFSET_MAX)
        return lede__error_set(LEDE_EINVAL,
                               "offset %zu is over the maximum of %d",
                               o->offset, LEDE_SEARCH_OFFSET_MAX);
    if (!isfinite(o->k1) || o->k1 < 0)
        return lede__error_set(LEDE_EINVAL, "k1 must be >= 0 (got %g)", o->k1);
    /* Xapian 1.4 drops phrase matches OR'd with an absent term when k1 is
     * exactly 0; a k1 this small ranks the same (weights differ by under
     * one part in a million). */
    if (o->k1 < LEDE__K1_MIN)
        o->k1 = LEDE__K1_MIN;
    if (!isfinite(o->k3) || o->k3 < 0)
        return lede__error_set(LEDE_EINVAL, "k3 must be >= 0 (got %g)", o->k3);
    if (!isfinite(o->proximity) || o->proximity < 0)
        return lede__error_set(LEDE_EINVAL, "proximity must be >= 0 (got %g)",
                               o->proximity);
    if (!isfinite(o->b) || o->b < 0 || o->b > 1)
        return lede__error_set(LEDE_EINVAL,
                               "b must be between 0 and 1 (got %g)", o->b);
    if (!isfinite(o->title_weight) || o->title_weight < 0)
        return lede__error_set(
            LEDE_EINVAL, "title weight must be >= 0 (got %g)", o->title_weight);
    if (o->date_from != LEDE_NO_DATE && o->date_to != LEDE_NO_DATE &&
        o->date_from > o->date_to)
        return lede__error_set(LEDE_EINVAL,
                               "the date range ends before it starts");
    if (o->snippet_words == 0)
        o->snippet_words = LEDE_DEFAULT_SNIPPET_WORDS;
    return 0;
}

static int parse(lede__query **q, lede_index *idx, const char *query,
                 const lede_search_options *o, const lede__budget *budget)
{
    lede__parse_opts po = {(o->flags & LEDE_SEARCH_ALL) != 0,
                           o->title_weight,
                           o->date_from,
                           o->date_to,
                           (o->flags & LEDE_SEARCH_PLAIN) != 0,
                           !(o->flags & LEDE_SEARCH_KEEP_STOPWORDS) ||
                               lede__index_stopwords(idx),
                           lede__index_stopwords(idx),
                           o->proximity,
                           budget};
    return lede__query_parse(q, idx, query, &po);
}

static int find_article(const lede__xdocinfo *doc, void *payload)
{
    article *a = payload;
    lede__record r;
    int rc = lede__record_decode(&r, &a->text, doc->data, doc->data_len);
    if (rc < 0)
        return rc;
    if (!r.has_article)
        return 0;
    a->start = r.start;
    a->end = r.end;
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

static int put_string(lede_results *res, size_t *off, const char *s, size_t n)
{
    *off = res->arena.len;
    int rc = lede__buf_put(&res->arena, s, n);
    return rc == 0 ? lede__buf_putc(&res->arena, '\0') : rc;
}

/* Fill h from the stored record of a hit: its own text, title, date and
 * URL. */
static int resolve(lede_results *res, hit *h, lede__buf *scratch,
                   const lede__xhits *xh, const lede__xhit *x)
{
    const char *data = xh->arena.data + x->data;
    const char *id = xh->arena.data + x->key;
    lede__record r;
    int rc = lede__record_decode(&r, scratch, data, x->data_len);
    if (rc < 0)
        return rc;
    h->score = x->score;
    h->passage = r.ordinal;
    h->start = (size_t)r.start;
    h->end = (size_t)r.end;
    h->date = r.date;
    if ((rc = put_string(res, &h->id, id, x->key_len)) < 0 ||
        (rc = put_string(res, &h->title, r.title, r.title_len)) < 0 ||
        (rc = put_string(res, &h->url, r.url ? r.url : "", r.url_len)) < 0)
        return rc;
    return put_string(res, &h->text, r.text, h->end - h->start);
}

/* LEDE_SEARCH_IDS_ONLY: the id and score, every string else empty. */
static int id_only(lede_results *res, hit *h, const lede__xhits *xh,
                   const lede__xhit *x)
{
    int rc = put_string(res, &h->id, xh->arena.data + x->key, x->key_len);
    if (rc == 0)
        rc = put_string(res, &h->title, "", 0);
    h->url = h->text = h->title;
    h->score = x->score;
    h->date = LEDE_NO_DATE;
    return rc;
}

/* Highlights and the snippet window of h's text. */
static int highlight(lede_results *res, hit *h, lede__hl *hl, unsigned words)
{
    lede__hl_result r;
    const char *text = res->arena.data + h->text;
    size_t len = h->end - h->start;
    int rc = lede__hl_find(&r, hl, text, len);
    if (rc == 0) {
        h->hl = res->nspans;
        h->nhl = r.n;
        for (size_t i = 0; i < r.n && rc == 0; i++) {
            lede_span *v =
                lede__grow(res->spans, &res->capspans, res->nspans, sizeof *v);
            if (v == NULL) {
                rc = lede__error_nomem();
                break;
            }
            res->spans = v;
            v[res->nspans++] = r.spans[i];
        }
        lede__snippet_window(&h->win, &r, len, text, words);
    }
    lede__hl_result_free(&r);
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
                         lede__hl *hl, unsigned words)
{
    const char *id = res->arena.data + h->id;
    int rc = load_article(a, idx, id, strlen(id));
    if (rc < 0)
        return rc;
    h->passage = 0;
    h->start = (size_t)a->start;
    h->end = (size_t)a->end;
    if ((rc = put_string(res, &h->text, a->text.data, h->end - h->start)) < 0)
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
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t cap = res->capex;
        lede_explain *v = lede__grow(res->ex, &cap, res->nex, sizeof *v);
        if (v == NULL) {
            rc = lede__error_nomem();
            break;
        }
        res->ex = v;
        size_t *t =
            lede__grow(res->ex_term, &res->capexterm, res->nex, sizeof *t);
        if (t == NULL) {
            rc = lede__error_nomem();
            break;
        }
        res->ex_term = t;
        res->capex = cap;
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

static uint64_t parse_sig(const char *s, size_t len, int *ok)
{
    uint64_t v = 0;
    *ok = len == 16;
    for (size_t i = 0; i < len && *ok; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                       : -1;
        if (d < 0)
            *ok = 0;
        v = v << 4 | (uint64_t)(d < 0 ? 0 : d);
    }
    return v;
}

/* The articles kept so far by near-duplicate folding. */
typedef struct {
    uint64_t *sig;    /* their signatures */
    char *has;        /* whether each has one */
    const char **key; /* their ids */
    size_t *key_len;  /* lengths */
    size_t n;         /* count */
    size_t cap;       /* allocated */
    int owns_keys;    /* the ids are copies, freed with the folder */
    size_t from, to;  /* want_data(): the kept ranks whose text is shown */
} folder;

static void folder_free(folder *f)
{
    for (size_t i = 0; f->owns_keys && i < f->n; i++)
        lede__free((char *)f->key[i]);
    lede__free(f->sig);
    lede__free(f->has);
    lede__free(f->key);
    lede__free(f->key_len);
    f->sig = NULL;
    f->has = NULL;
    f->key = NULL;
    f->key_len = NULL;
    f->n = f->cap = 0;
}

/* Which kept article a hit (signature sig, if ok; article id key) is a
 * near-duplicate of: its index, or f->n when it is new (and now kept).
 * Another passage of a kept article is no near-duplicate of it. */
static int fold(size_t *into, folder *f, uint64_t sig, int ok, const char *key,
                size_t key_len)
{
    for (size_t j = 0; ok && j < f->n; j++) {
        if (f->has[j] &&
            lede__simhash_distance(sig, f->sig[j]) <= LEDE__SIMHASH_NEAR &&
            (f->key_len[j] != key_len ||
             memcmp(f->key[j], key, key_len) != 0)) {
            *into = j;
            return 0;
        }
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 64;
        uint64_t *s = lede__realloc(f->sig, cap * sizeof *s);
        if (s != NULL)
            f->sig = s;
        const char **k = lede__realloc(f->key, cap * sizeof *k);
        if (k != NULL)
            f->key = k;
        size_t *l = lede__realloc(f->key_len, cap * sizeof *l);
        if (l != NULL)
            f->key_len = l;
        char *h = lede__realloc(f->has, cap);
        if (h != NULL)
            f->has = h;
        if (s == NULL || k == NULL || l == NULL || h == NULL)
            return lede__error_nomem();
        f->cap = cap;
    }
    /* A hit without a signature is never folded, nor folds another. */
    f->sig[f->n] = sig;
    f->has[f->n] = (char)ok;
    f->key[f->n] = key;
    f->key_len[f->n] = key_len;
    *into = f->n++;
    return 0;
}

/* lede__xdb_search's question, hit by hit in rank order: is this hit's
 * text needed? Only when it is kept and on the page shown; dedup() then
 * makes the same choices from the same values. The ids given do not
 * outlive the call: they are copied. */
static int want_data(const char *key, size_t key_len, const char *sig,
                     size_t sig_len, void *payload)
{
    folder *f = payload;
    if (key == NULL) {
        folder_free(f);
        return 0;
    }
    int ok;
    uint64_t s = parse_sig(sig, sig_len, &ok);
    char *copy = lede__strndup(key, key_len);
    size_t into;
    if (copy == NULL || fold(&into, f, s, ok, copy, key_len) < 0) {
        lede__free(copy);
        return 1; /* out of memory: read it; dedup() fails cleanly */
    }
    if (f->key[into] != copy) {
        lede__free(copy); /* folded into an earlier article */
        return 0;
    }
    return into >= f->from && into < f->to;
}

/* Keep hits of xh, folding near-duplicates of earlier (better) articles
 * into them: keep[] receives the indices kept, similar[] their counts,
 * *nkeep_out how many. Each signature is read once: a page of 1000 hits
 * compares up to a million pairs. */
static int dedup(size_t *nkeep_out, const lede__xhits *xh, size_t *keep,
                 unsigned *similar)
{
    folder f = {NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0};
    int rc = 0;
    *nkeep_out = 0;
    for (size_t i = 0; i < xh->n && rc == 0; i++) {
        const lede__xhit *x = &xh->v[i];
        int ok;
        uint64_t sig = parse_sig(xh->arena.data + x->sig, x->sig_len, &ok);
        size_t into, before = f.n;
        rc = fold(&into, &f, sig, ok, xh->arena.data + x->key, x->key_len);
        if (rc == 0 && f.n > before) {
            keep[into] = i;
            similar[into] = 0;
        } else if (rc == 0) {
            similar[into]++;
        }
    }
    *nkeep_out = f.n;
    folder_free(&f);
    return rc;
}

/* A query word found in at most this many passages is checked for a word
 * one edit away SPELL_RATIO times as frequent: a typo that some articles
 * share ("goverment") is rare, and looking up its neighbours costs too
 * much to do for every word. */
#define SPELL_RARE 50
#define SPELL_RATIO 20

/* The query with its words that the index lacks, or has far fewer of than
 * of a word one edit away, replaced by the nearest words the index knows:
 * offered whether or not something matched, since the other words of the
 * query may match on their own. */
static int suggest(lede_results *res, lede_index *idx, const char *query,
                   const lede__query *q)
{
    size_t n, at = 0;
    const lede__qword *w = lede__query_words(q, &n);
    lede__buf out = LEDE__BUF_INIT, sug = LEDE__BUF_INIT, stem = LEDE__BUF_INIT;
    lede__xdb *db = lede__index_db(idx);
    int rc = 0, changed = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint64_t tf, stf;
        if ((rc = lede__xdb_termfreq(&tf, db, w[i].stem, strlen(w[i].stem))) <
                0 ||
            tf > SPELL_RARE)
            continue;
        if ((rc = lede__xdb_spelling(&sug, db, w[i].folded, strlen(w[i].folded),
                                     tf > 0 ? 1 : 2)) < 0 ||
            sug.len == 0)
            continue;
        /* Only a word that would match: the spelling data may remember
         * words of deleted articles. */
        if ((rc = lede__index_stem(&stem, idx, sug.data, sug.len)) < 0 ||
            (rc = lede__xdb_termfreq(&stf, db, stem.data, stem.len)) < 0 ||
            stf == 0 || stf < tf * SPELL_RATIO)
            continue;
        if ((rc = lede__buf_put(&out, query + at, w[i].start - at)) == 0)
            rc = lede__buf_put(&out, sug.data, sug.len);
        at = w[i].end;
        changed = 1;
    }
    if (rc == 0 && changed && (rc = lede__buf_puts(&out, query + at)) == 0) {
        size_t off;
        rc = put_string(res, &off, out.data, out.len);
        res->suggestion = (long)off;
    }
    lede__buf_free(&out);
    lede__buf_free(&sug);
    lede__buf_free(&stem);
    return rc;
}

/* The first date range of the query, or NULL. */
static const lede__qnode *date_range(const lede__qnode *n)
{
    if (n->op == LEDE__Q_RANGE && n->slot == LEDE__SLOT_DATE)
        return n;
    for (size_t i = 0; i < n->nkids; i++) {
        const lede__qnode *r = date_range(n->kids[i]);
        if (r != NULL)
            return r;
    }
    return NULL;
}

/* "YYYY-MM-DD" of a stored date ("YYYYMMDDhhmmss"). */
static int put_day(lede__buf *b, const lede__buf *v)
{
    if (v->len < 8)
        return lede__buf_puts(b, "?");
    return lede__buf_printf(b, "%.4s-%.2s-%.2s", v->data, v->data + 4,
                            v->data + 6);
}

/* When nothing matched a query with dates, and the index's dates explain
 * why, say so: otherwise an index without dates answers date:2005 with
 * silence. */
static int note_dates(lede_results *res, lede_index *idx, const lede__query *q)
{
    const lede__qnode *r = date_range(lede__query_root(q));
    lede__buf lo = LEDE__BUF_INIT, hi = LEDE__BUF_INIT, b = LEDE__BUF_INIT;
    uint64_t dated;
    int rc;
    if (r == NULL)
        return 0;
    rc = lede__xdb_value_range(&dated, &lo, &hi, lede__index_db(idx),
                               LEDE__SLOT_DATE);
    if (rc == 0 && dated == 0) {
        rc = lede__buf_puts(&b, "no article in the index has a date");
    } else if (rc == 0 && lo.len > 0 && hi.len > 0 &&
               ((r->hi[0] && strncmp(r->hi, lo.data, lo.len) < 0) ||
                (r->lo[0] && strncmp(r->lo, hi.data, hi.len) > 0))) {
        if ((rc = lede__buf_puts(&b, "no article is dated in that range: the "
                                     "index's dates run from ")) == 0 &&
            (rc = put_day(&b, &lo)) == 0 &&
            (rc = lede__buf_puts(&b, " to ")) == 0)
            rc = put_day(&b, &hi);
    }
    if (rc == 0 && b.len > 0) {
        size_t off;
        rc = put_string(res, &off, b.data, b.len);
        res->note = (long)off;
    }
    lede__buf_free(&lo);
    lede__buf_free(&hi);
    lede__buf_free(&b);
    return rc;
}

/* Nothing shown although something matched: the offset is past the
 * end. Folded near-duplicates make fewer results than matching articles,
 * so both are told when both are known (results: the results there are,
 * when all is set and near-duplicates were folded). */
static int note_offset(lede_results *res, const lede_search_options *o,
                       size_t results, int all)
{
    lede__buf b = LEDE__BUF_INIT;
    unsigned long long n = res->estimated;
    int rc =
        lede__buf_printf(&b, "offset %zu is past the last result", o->offset);
    if (rc == 0 && all && !(o->flags & LEDE_SEARCH_NO_DEDUP) && results < n)
        rc = lede__buf_printf(&b,
                              ": %zu result%s, as %llu matching articles "
                              "include %llu near-duplicate%s folded into "
                              "others",
                              results, results == 1 ? "" : "s", n, n - results,
                              n - results == 1 ? "" : "s");
    else if (rc == 0)
        rc = lede__buf_printf(&b, " (the query matches %s%llu article%s)",
                              res->exact ? "" : "about ", n, n == 1 ? "" : "s");
    if (rc == 0) {
        size_t off;
        if ((rc = put_string(res, &off, b.data, b.len)) == 0)
            res->note = (long)off;
    }
    lede__buf_free(&b);
    return rc;
}

/* The shards of a set left out, as of the end of the search. */
static int note_missing(lede_results *res, lede_index *idx)
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

/* Run the query; with dedup, fetch deeper until the page is full of
 * distinct articles or the matches run out. */
static int run(lede__xhits *xh, size_t **keep, unsigned **similar,
               size_t *nkeep, int *ran_out, lede_index *idx,
               const lede__query *q, const lede_search_options *o,
               const lede__budget *budget)
{
    int dedup_on = !(o->flags & LEDE_SEARCH_NO_DEDUP);
    size_t want = o->offset + o->limit;
    /* Near-duplicates are few: a little more than the page is fetched,
     * and more only when folding left the page short. */
    size_t fetch = dedup_on ? want + want / 2 + 4 : o->limit;
    folder f = {NULL, NULL, NULL, NULL, 0, 0, 1, o->offset, want};
    for (;;) {
        lede__xsearch p = {
            .k1 = o->k1,
            .b = o->b,
            .offset = dedup_on ? 0 : o->offset,
            .limit = fetch,
            .collapse = o->per_article,
            .sort_value = (o->flags & LEDE_SEARCH_SORT_DATE) != 0,
            .lucene = o->weighting == LEDE_WEIGHT_BM25_LUCENE,
            .k3 = o->k3,
            .no_data = (o->flags & LEDE_SEARCH_IDS_ONLY) != 0,
            .want_data = dedup_on ? want_data : NULL,
            .want_payload = &f,
            .key_slot = LEDE__SLOT_ARTICLE,
            .sort_slot = LEDE__SLOT_DATE,
            .sig_slot = LEDE__SLOT_SIMHASH,
        };
        int rc =
            lede__xdb_search(xh, lede__index_db(idx), lede__query_root(q), &p);
        folder_free(&f);
        /* Xapian 1.4 cannot stop a match part way (its time limit only
         * ends the checking of matches beyond the page): the budget is
         * looked at after it, and the phrase and prefix limits bound it. */
        if (rc == 0)
            rc = lede__budget_check(budget);
        /* A shard lost mid-search, with allow_partial: the others again. */
        if (rc < 0 && (rc = lede__index_shard_failed(idx, rc)) == 0)
            continue;
        if (rc < 0)
            return rc;
        lede__free(*keep);
        lede__free(*similar);
        *keep = lede__calloc(xh->n ? xh->n : 1, sizeof **keep);
        *similar = lede__calloc(xh->n ? xh->n : 1, sizeof **similar);
        if (*keep == NULL || *similar == NULL)
            return lede__error_nomem();
        /* Fewer than asked for: these are all the matches there are. */
        *ran_out = xh->n < fetch;
        if (!dedup_on) {
            for (size_t i = 0; i < xh->n; i++)
                (*keep)[i] = i;
            *nkeep = xh->n;
            return 0;
        }
        if ((rc = dedup(nkeep, xh, *keep, *similar)) < 0)
            return rc;
        if (*nkeep >= want || xh->n < fetch || fetch >= DEDUP_FETCH_MAX)
            return 0;
        fetch = fetch * 4 > DEDUP_FETCH_MAX ? DEDUP_FETCH_MAX : fetch * 4;
    }
}

/* How many articles match: counted apart from the ranked search, whose
 * own estimate counts passages (it measures how often a passage belongs
 * to an article already seen on a page of best passages, which rarely
 * do). known: articles the search has shown to match; all: known is all
 * of them (the search ran out of matches), so no count is needed. */
static int count(lede_results *res, lede_index *idx, const lede__query *q,
                 const lede_search_options *o, uint64_t known, int all)
{
    lede__xdb *db = lede__index_db(idx);
    const uint64_t most =
        o->flags & LEDE_SEARCH_COUNT ? UINT64_MAX : COUNT_EXACT_UP_TO;
    lede__xcount c;
    uint64_t n, articles;
    int rc;
    if (all) {
        res->estimated = known;
        res->exact = 1;
        return 0;
    }
    do
        rc = lede__xdb_count(&c, db, lede__query_root(q), LEDE__SLOT_ARTICLE,
                             most);
    while (rc < 0 && (rc = lede__index_shard_failed(idx, rc)) == 0);
    if (rc < 0)
        return rc;
    /* Xapian looked at every match until `most` articles were kept, and
     * counted those exactly; past that it skipped what could not rank.
     * When it looked at every passage, the articles it saw are all. */
    res->exact = most >= c.docs || c.passages_most <= most;
    n = res->exact ? c.articles_least : c.articles_estimated;
    if (!res->exact) {
        if ((rc = lede__xdb_termfreq(&articles, db, LEDE__TERM_ARTICLE,
                                     strlen(LEDE__TERM_ARTICLE))) < 0)
            return rc;
        n = n > articles ? articles : n;
        n = n < known ? known : n;
    }
    res->estimated = n;
    return 0;
}

/* One search on the handle's current revision. */
static int search_once(lede_results **out, lede_index *idx, const char *query,
                       const lede_search_options *opts)
{
    lede_search_options o;
    lede__query *q = NULL;
    lede__xhits xh = {NULL, 0, 0, LEDE__BUF_INIT};
    article a = {LEDE__BUF_INIT, LEDE__BUF_INIT, 0, 0, 0, LEDE__BUF_INIT};
    lede_results *res = NULL;
    lede__hl *hl = NULL;
    lede__explainer *ex = NULL;
    size_t *keep = NULL, nkeep = 0;
    unsigned *similar = NULL;
    lede__budget budget;
    int rc;

    if (out != NULL)
        *out = NULL;
    if ((rc = lede__index_usable(idx, 0, "lede_search")) < 0)
        return rc;
    if (out == NULL || query == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_search: %s is NULL",
                               out == NULL ? "out" : "query");
    if ((rc = read_options(&o, opts)) < 0)
        return rc;
    lede__budget_start(&budget, o.max_time_ms);
    if ((rc = parse(&q, idx, query, &o, &budget)) < 0)
        return rc;
    if ((rc = lede__budget_check(&budget)) < 0)
        goto done;
    if ((res = lede__calloc(1, sizeof *res)) == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    res->suggestion = -1;
    res->note = -1;
    if (o.weighting == LEDE_WEIGHT_BM25_LUCENE && lede__index_remote(idx)) {
        rc = lede__error_set(LEDE_EINVAL,
                             "the Lucene weighting cannot run on remote "
                             "shards (xapian-tcpsrv knows only Xapian's own "
                             "weighting schemes); use BM25, or local shards");
        goto done;
    }
    int ran_out = 0;
    if ((rc = run(&xh, &keep, &similar, &nkeep, &ran_out, idx, q, &o,
                  &budget)) < 0 ||
        (rc = lede__hl_new(&hl, idx, lede__query_root(q))) < 0)
        goto done;
    if ((o.flags & LEDE_SEARCH_EXPLAIN) &&
        (rc = lede__explainer_new(&ex, lede__index_db(idx), lede__query_root(q),
                                  o.k1, o.b, o.k3,
                                  o.weighting == LEDE_WEIGHT_BM25_LUCENE)) < 0)
        goto done;
    /* With one passage per article, each hit is an article of its own. */
    uint64_t known = o.per_article != 1                 ? 0
                     : (o.flags & LEDE_SEARCH_NO_DEDUP) ? o.offset + xh.n
                                                        : xh.n;
    /* A search that ran out of matches has seen every article, unless it
     * skipped them all (an offset past the end, without dedup). */
    int all =
        o.per_article == 1 && ran_out &&
        ((o.flags & LEDE_SEARCH_NO_DEDUP) == 0 || xh.n > 0 || o.offset == 0);
    if ((rc = count(res, idx, q, &o, known, all)) < 0)
        goto done;

    /* The page: with dedup, [offset, offset + limit) of the kept hits. */
    size_t first = o.flags & LEDE_SEARCH_NO_DEDUP ? 0 : o.offset;
    size_t count = nkeep > first ? nkeep - first : 0;
    if (count > o.limit)
        count = o.limit;
    if (count > 0 &&
        (res->hits = lede__calloc(count, sizeof *res->hits)) == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        const lede__xhit *x = &xh.v[keep[first + i]];
        hit *h = &res->hits[i];
        h->similar = similar[first + i];
        if (o.flags & LEDE_SEARCH_IDS_ONLY)
            rc = id_only(res, h, &xh, x);
        else if ((rc = resolve(res, h, &a.scratch, &xh, x)) == 0 &&
                 !(o.flags & LEDE_SEARCH_NO_HIGHLIGHTS)) {
            rc = highlight(res, h, hl, o.snippet_words);
            if (rc == 0 && h->nhl == 0 && h->passage != 0 && o.per_article == 1)
                rc = first_passage(res, h, &a, idx, hl, o.snippet_words);
        } else if (rc == 0) { /* the snippet is the whole passage */
            h->win = (lede__window){0, h->end - h->start, 0, 0};
        }
        if (rc < 0 || (ex && (rc = explain(res, h, ex, x->docid)) < 0) ||
            (rc = lede__budget_check(&budget)) < 0)
            goto done;
        res->n++;
    }
    /* Strings are final: point the explanations at their terms. */
    for (size_t i = 0; i < res->nex; i++)
        res->ex[i].term = res->arena.data + res->ex_term[i];
    if ((rc = suggest(res, idx, query, q)) < 0)
        goto done;
    if (res->n == 0 && res->estimated == 0 &&
        (rc = note_dates(res, idx, q)) < 0)
        goto done;
    if (res->n == 0 && res->estimated > 0 &&
        (rc = note_offset(res, &o, nkeep, all)) < 0)
        goto done;
    if ((rc = note_missing(res, idx)) < 0)
        goto done;
    *out = res;
    res = NULL;
done:
    lede_results_free(res);
    lede__query_free(q);
    lede__hl_free(hl);
    lede__explainer_free(ex);
    lede__xhits_free(&xh);
    lede__free(keep);
    lede__free(similar);
    lede__buf_free(&a.id);
    lede__buf_free(&a.text);
    lede__buf_free(&a.scratch);
    return rc;
}

/* A reader racing a writer can, rarely, read a passage's record from a
 * block the writer has just rewritten, which no longer decodes (seen
 * about once in 100,000 queries while commits land continuously). That
 * is the race retry.c judges for every read, and it judges this one: if
 * a newer revision exists, the search runs again on it; if not, the
 * damage is real and reported. */
LEDE_EXTERN(int)
lede_search(lede_results **out, lede_index *idx, const char *query,
            const lede_search_options *opts)
{
    for (int attempt = 1;; attempt++) {
        int rc = search_once(out, idx, query, opts), newer = 0;
        /* A table read for the first time now, from a directory a rebuild
         * swapped in since the open, does not fit: search the index the
         * path now holds. */
        if ((rc == LEDE_EINDEX || rc == LEDE_ECORRUPT) &&
            attempt < LEDE__RETRY_TRIES && lede__index_swapped(idx)) {
            if ((rc = lede_index_reopen(idx)) < 0)
                return rc;
            continue;
        }
        if (rc != LEDE_ECORRUPT ||
            !lede__retry_read(LEDE__XFAIL_CORRUPT, attempt))
            return rc;
        lede__xdb *db = lede__index_db(idx);
        int again = lede__xdb_reopen(db, &newer);
        if (!lede__retry_reopened(
                LEDE__XFAIL_CORRUPT,
                again < 0 ? lede__xdb_failure(db) : LEDE__XFAIL_NONE, newer))
            return again < 0 ? again : rc;
    }
}

/* A query given with its length, as a NUL-terminated copy in *out: one
 * holding a NUL byte is refused, as a C string would end there and
 * silently drop what follows (a restriction appended to user input). */
static int query_copy(char **out, const char *query, size_t len, const char *fn)
{
    *out = NULL;
    if (query == NULL)
        return lede__error_set(LEDE_EINVAL, "%s: query is NULL", fn);
    const char *nul = memchr(query, '\0', len);
    if (nul != NULL)
        return lede__error_set(LEDE_EINVAL, "query: a NUL byte at column %zu",
                               lede__qcolumn(query, (size_t)(nul - query)));
    if (len > LEDE_QUERY_MAX_BYTES)
        return lede__error_set(LEDE_EINVAL,
                               "query: %zu bytes is over the limit of %d", len,
                               LEDE_QUERY_MAX_BYTES);
    if ((*out = lede__strndup(query, len)) == NULL)
        return lede__error_nomem();
    return 0;
}

LEDE_EXTERN(int)
lede_search_n(lede_results **out, lede_index *idx, const char *query,
              size_t len, const lede_search_options *opts)
{
    char *copy;
    if (out != NULL)
        *out = NULL;
    int rc = query_copy(&copy, query, len, "lede_search_n");
    if (rc == 0)
        rc = lede_search(out, idx, copy, opts);
    lede__free(copy);
    return rc;
}

LEDE_EXTERN(int)
lede_query_describe_n(char **out, lede_index *idx, const char *query,
                      size_t len, const lede_search_options *opts)
{
    char *copy;
    if (out != NULL)
        *out = NULL;
    int rc = query_copy(&copy, query, len, "lede_query_describe_n");
    if (rc == 0)
        rc = lede_query_describe(out, idx, copy, opts);
    lede__free(copy);
    return rc;
}

LEDE_EXTERN(int)
lede_query_describe(char **out, lede_index *idx, const char *query,
                    const lede_search_options *opts)
{
    lede_search_options o;
    lede__query *q;
    lede__buf b = LEDE__BUF_INIT;
    int rc;

    if (out != NULL)
        *out = NULL;
    if ((rc = lede__index_usable(idx, 0, "lede_query_describe")) < 0)
        return rc;
    if (out == NULL || query == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_query_describe: %s is NULL",
                               out == NULL ? "out" : "query");
    if ((rc = read_options(&o, opts)) < 0 ||
        (rc = parse(&q, idx, query, &o, NULL)) < 0)
        return rc;
    rc = lede__qtree_describe(&b, lede__query_root(q));
    lede__query_free(q);
    if (rc < 0) {
        lede__buf_free(&b);
        return rc;
    }
    *out = b.data;
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
    lede__free(res->missing);
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

LEDE_EXTERN(unsigned int)
lede_results_similar(const lede_results *res, size_t i)
{
    const hit *h = get(res, i);
    return h ? h->similar : 0;
}

LEDE_EXTERN(const lede_span *)
lede_results_highlights(const lede_results *res, size_t i, size_t *n_out)
{
    const hit *h = get(res, i);
    if (n_out != NULL)
        *n_out = h ? h->nhl : 0;
    return h && h->nhl ? res->spans + h->hl : NULL;
}

LEDE_EXTERN(const lede_explain *)
lede_results_explain(const lede_results *res, size_t i, size_t *n_out)
{
    const hit *h = get(res, i);
    if (n_out != NULL)
        *n_out = h ? h->nex : 0;
    return h && h->nex ? res->ex + h->ex : NULL;
}

LEDE_EXTERN(int)
lede_results_snippet(char **out, const lede_results *res, size_t i,
                     const char *hi_start, const char *hi_end)
{
    lede__buf b = LEDE__BUF_INIT;
    const hit *h = get(res, i);
    if (out != NULL)
        *out = NULL;
    if (out == NULL || h == NULL)
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
