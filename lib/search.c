/*
 * search.c - running a query.
 *
 * Owns lede_search() and lede_query_describe(): the search options, the
 * run of the parsed query (query.c) through the shim with BM25 and
 * per-article grouping, fetching deeper while near-duplicate articles
 * are folded (neardup.c), the count of matching articles (count.c), and
 * the page of hits handed to results.c, which builds each one. When
 * nothing matches, the spelling suggestion and a note saying why. A
 * search with a time budget looks at the clock between its steps and
 * fails rather than return part of an answer; one that met a writer runs
 * again as retry.c says; a set of local shards is searched by several
 * threads at once (parallel.c). Calls query.c, qtree.c, qlex.c,
 * results.c, facet.c, like.c, neardup.c, count.c, parallel.c, snippet.c,
 * explain.c,
 * index.c, analysis.c, buf.c, budget.c, retry.c, alloc.c, error.c and
 * the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Hits fetched at most while looking past near-duplicates. */
#define DEDUP_FETCH_MAX 100000

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
        if (in->version >= 5)
            o->threads = in->threads;
        if (in->version >= 6) {
            o->facets = in->facets;
            o->facet_limit = in->facet_limit;
            o->like = in->like;
        }
    }
    if (o->facet_limit == 0)
        o->facet_limit = LEDE_DEFAULT_FACET_LIMIT;
    if (o->facet_limit > LEDE_FACET_LIMIT_MAX)
        return lede__error_set(LEDE_EINVAL,
                               "facet limit %u is over the maximum of %d",
                               o->facet_limit, LEDE_FACET_LIMIT_MAX);
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

/* What searching and describing share, fn naming which runs: idx usable,
 * out and query given, the options read into *o, the budget started
 * (NULL: none), a related-stories query made into *like (freed by the
 * caller, zeroed when there is none) and the query parsed into *q. */
static int start(lede__query **q, lede_search_options *o, lede__budget *budget,
                 lede__like *like, lede_index *idx, const void *out,
                 const char *query, const lede_search_options *opts,
                 const char *fn)
{
    memset(like, 0, sizeof *like);
    int rc;
    if ((rc = lede__index_usable(idx, 0, fn)) < 0)
        return rc;
    if (out == NULL || query == NULL)
        return lede__error_set(LEDE_EINVAL, "%s: %s is NULL", fn,
                               out == NULL ? "out" : "query");
    if ((rc = read_options(o, opts)) < 0)
        return rc;
    if (budget != NULL)
        lede__budget_start(budget, o->max_time_ms);
    if (o->like != NULL && (rc = lede__like_make(like, idx, o->like)) < 0)
        return rc;
    lede__parse_opts po = {(o->flags & LEDE_SEARCH_ALL) != 0,
                           o->title_weight,
                           o->date_from,
                           o->date_to,
                           (o->flags & LEDE_SEARCH_PLAIN) != 0,
                           !(o->flags & LEDE_SEARCH_KEEP_STOPWORDS) ||
                               lede__index_stopwords(idx),
                           lede__index_stopwords(idx),
                           o->proximity,
                           budget,
                           o->like != NULL ? like : NULL};
    return lede__query_parse(q, idx, query, &po);
}

/* Keep hits of xh, folding near-duplicates of earlier (better) articles
 * into them: keep[] receives the indices kept, similar[] their counts,
 * *nkeep_out how many. Each signature is read once: a page of 1000 hits
 * compares up to a million pairs. */
static int dedup(size_t *nkeep_out, const lede__xhits *xh, size_t *keep,
                 unsigned *similar, const lede__like *like, int fold)
{
    lede__neardup f = {NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0};
    lede__neardup src = {NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0};
    size_t into;
    int rc = 0;
    *nkeep_out = 0;
    /* Related stories: the article's near-duplicates go, as it does. */
    if (like != NULL && like->sig[0])
        rc = lede__neardup_fold(&into, &src, like->sig, 16, like->id,
                                strlen(like->id));
    for (size_t i = 0; i < xh->n && rc == 0; i++) {
        const lede__xhit *x = &xh->v[i];
        size_t before = f.n;
        if (src.n > 0) {
            rc = lede__neardup_fold(&into, &src, xh->arena.data + x->sig,
                                    x->sig_len, xh->arena.data + x->key,
                                    x->key_len);
            src.n = 1; /* the article alone, whatever this hit was */
            if (rc < 0 || into == 0)
                continue;
        }
        if (!fold) {
            keep[f.n] = i;
            similar[f.n] = 0;
            f.n++; /* kept, nothing folded */
            continue;
        }
        rc = lede__neardup_fold(&into, &f, xh->arena.data + x->sig, x->sig_len,
                                xh->arena.data + x->key, x->key_len);
        if (rc == 0 && f.n > before) {
            keep[into] = i;
            similar[into] = 0;
        } else if (rc == 0) {
            similar[into]++;
        }
    }
    *nkeep_out = f.n;
    lede__neardup_free(&f);
    lede__neardup_free(&src);
    return rc;
}

/* A query word found in at most this many passages is checked for a word
 * one edit away SPELL_RATIO times as frequent: a typo that some articles
 * share ("goverment") is rare. Rarer than that is a word of its own: at 4
 * to 50 passages, nearly every neighbour offered on Reuters and BBC News
 * was another word ("mayor" for "major"; bench/eval/spelling.py), and
 * Xapian's look-up of neighbours costs more than the rest of a search. */
#define SPELL_RARE 3
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
        if ((rc = lede__analysis_stem(&stem, lede__index_analysis(idx),
                                      sug.data, sug.len)) < 0 ||
            (rc = lede__xdb_termfreq(&stf, db, stem.data, stem.len)) < 0 ||
            stf == 0 || stf < tf * SPELL_RATIO)
            continue;
        if ((rc = lede__buf_put(&out, query + at, w[i].start - at)) == 0)
            rc = lede__buf_put(&out, sug.data, sug.len);
        at = w[i].end;
        changed = 1;
    }
    if (rc == 0 && changed && (rc = lede__buf_puts(&out, query + at)) == 0)
        rc = lede__results_set_suggestion(res, out.data, out.len);
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
    if (rc == 0 && b.len > 0)
        rc = lede__results_set_note(res, b.data, b.len);
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
    unsigned long long n = lede_results_estimated(res);
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
                              lede_results_exact(res) ? "" : "about ", n,
                              n == 1 ? "" : "s");
    if (rc == 0)
        rc = lede__results_set_note(res, b.data, b.len);
    lede__buf_free(&b);
    return rc;
}

/* The hits of one run of the query, and which of them are kept. */
typedef struct {
    lede__xhits xh;    /* fetched, best first */
    size_t *keep;      /* indices in xh of the hits kept, best first */
    unsigned *similar; /* near-duplicates folded into each kept hit */
    size_t nkeep;      /* how many are kept */
    int ran_out;       /* xh holds every match there is */
} fetched;

/* Run the query; with dedup, fetch deeper until the page is full of
 * distinct articles or the matches run out. */
static int run(fetched *r, lede_index *idx, const lede__query *q,
               const lede_search_options *o, const lede__budget *budget,
               const lede__like *like)
{
    lede__xhits *xh = &r->xh;
    int dedup_on = !(o->flags & LEDE_SEARCH_NO_DEDUP);
    size_t want = o->offset + o->limit;
    /* Near-duplicates are few: a little more than the page is fetched,
     * and more only when folding left the page short. */
    size_t fetch = dedup_on ? want + want / 2 + 4 : o->limit;
    lede__neardup f = {NULL, NULL, NULL, NULL, 0, 0, 1, o->offset, want};
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
            /* Related stories drop hits past the choice of the pages to
             * show: every hit's text is fetched then. */
            .want_data = dedup_on && like == NULL ? lede__neardup_want : NULL,
            .want_payload = &f,
            .key_slot = LEDE__SLOT_ARTICLE,
            .sort_slot = LEDE__SLOT_DATE,
            .sig_slot = LEDE__SLOT_SIMHASH,
            .count_at_least =
                o->per_article == 1 ? lede__count_at_least(o->flags) : 0,
        };
        int rc =
            lede__parallel_search(xh, idx, lede__query_root(q), &p, o->threads);
        lede__neardup_free(&f);
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
        lede__free(r->keep);
        lede__free(r->similar);
        r->keep = lede__calloc(xh->n ? xh->n : 1, sizeof *r->keep);
        r->similar = lede__calloc(xh->n ? xh->n : 1, sizeof *r->similar);
        if (r->keep == NULL || r->similar == NULL)
            return lede__error_nomem();
        /* Fewer than asked for: these are all the matches there are. */
        r->ran_out = xh->n < fetch;
        if (!dedup_on && like == NULL) {
            for (size_t i = 0; i < xh->n; i++)
                r->keep[i] = i;
            r->nkeep = xh->n;
            return 0;
        }
        if ((rc = dedup(&r->nkeep, xh, r->keep, r->similar, like, dedup_on)) <
            0)
            return rc;
        if (!dedup_on)
            return 0;
        if (r->nkeep >= want || xh->n < fetch || fetch >= DEDUP_FETCH_MAX)
            return 0;
        fetch = fetch * 4 > DEDUP_FETCH_MAX ? DEDUP_FETCH_MAX : fetch * 4;
    }
}

/* How many articles match (count.c). *all_out: the search has seen every
 * one, so none is left to count. */
static int matching(uint64_t *n_out, int *exact_out, int *all_out,
                    lede_index *idx, const lede__query *q,
                    const lede_search_options *o, const fetched *r)
{
    /* With one passage per article, each hit is an article of its own. */
    uint64_t known = o->per_article != 1                 ? 0
                     : (o->flags & LEDE_SEARCH_NO_DEDUP) ? o->offset + r->xh.n
                                                         : r->xh.n;
    /* A search that ran out of matches has seen every article, unless it
     * skipped them all (an offset past the end, without dedup). */
    *all_out = o->per_article == 1 && r->ran_out &&
               ((o->flags & LEDE_SEARCH_NO_DEDUP) == 0 || r->xh.n > 0 ||
                o->offset == 0);
    /* Collapsed to one passage each, the search counted the articles. */
    return lede__count_articles(
        n_out, exact_out, idx, lede__query_root(q), o->flags,
        o->per_article == 1 ? &r->xh.count : NULL, known, *all_out);
}

/* The page: with dedup, [offset, offset + limit) of the kept hits, each
 * built by results.c. */
static int page(lede_results **out, const fetched *r, lede_index *idx,
                const lede_search_options *o, lede__snippet_finder *hl,
                lede__explainer *ex, const lede__budget *budget)
{
    size_t first = o->flags & LEDE_SEARCH_NO_DEDUP ? 0 : o->offset;
    size_t count = r->nkeep > first ? r->nkeep - first : 0;
    if (count > o->limit)
        count = o->limit;
    int rc = lede__results_new(out, count);
    for (size_t i = 0; i < count && rc == 0; i++) {
        const lede__xhit *x = &r->xh.v[r->keep[first + i]];
        const lede__results_found f = {r->xh.arena.data + x->key,
                                       x->key_len,
                                       r->xh.arena.data + x->data,
                                       x->data_len,
                                       x->score,
                                       x->docid,
                                       r->similar[first + i]};
        if ((rc = lede__results_add(*out, &f, o, idx, hl, ex)) == 0)
            rc = lede__budget_check(budget);
    }
    if (rc == 0)
        lede__results_finish(*out);
    return rc;
}

/* What the results say beside the hits: the spelling suggestion, why
 * nothing was shown, and the shards left out. */
static int notes(lede_results *res, lede_index *idx, const char *query,
                 const lede__query *q, const lede_search_options *o,
                 size_t nkeep, int all)
{
    size_t shown = lede_results_count(res);
    uint64_t matched = lede_results_estimated(res);
    int rc = suggest(res, idx, query, q);
    if (rc == 0 && shown == 0 && matched == 0)
        rc = note_dates(res, idx, q);
    if (rc == 0 && shown == 0 && matched > 0)
        rc = note_offset(res, o, nkeep, all);
    if (rc == 0)
        rc = lede__results_set_missing(res, idx);
    return rc;
}

/* One search on the handle's current revision. */
static int search_once(lede_results **out, lede_index *idx, const char *query,
                       const lede_search_options *opts)
{
    lede_search_options o;
    lede__query *q = NULL;
    fetched r = {{.arena = LEDE__BUF_INIT}, NULL, NULL, 0, 0};
    lede_results *res = NULL;
    lede__snippet_finder *hl = NULL;
    lede__explainer *ex = NULL;
    lede__budget budget;
    lede__facets *facets = NULL;
    lede__like like;
    uint64_t matched;
    int rc, exact, all;

    if (out != NULL)
        *out = NULL;
    if ((rc = start(&q, &o, &budget, &like, idx, out, query, opts,
                    "lede_search")) < 0) {
        lede__like_free(&like);
        return rc;
    }
    if ((rc = lede__facet_new(&facets, idx, o.facets)) < 0)
        goto done;
    if ((rc = lede__budget_check(&budget)) < 0)
        goto done;
    if (o.weighting == LEDE_WEIGHT_BM25_LUCENE && lede__index_remote(idx)) {
        rc = lede__error_set(LEDE_EINVAL,
                             "the Lucene weighting cannot run on remote "
                             "shards (xapian-tcpsrv knows only Xapian's own "
                             "weighting schemes); use BM25, or local shards");
        goto done;
    }
    if ((rc = run(&r, idx, q, &o, &budget, o.like ? &like : NULL)) < 0 ||
        (rc = lede__snippet_new(&hl, idx, lede__query_root(q))) < 0)
        goto done;
    if ((o.flags & LEDE_SEARCH_EXPLAIN) &&
        (rc = lede__explainer_new(&ex, lede__index_db(idx), lede__query_root(q),
                                  o.k1, o.b, o.k3,
                                  o.weighting == LEDE_WEIGHT_BM25_LUCENE)) < 0)
        goto done;
    if ((rc = matching(&matched, &exact, &all, idx, q, &o, &r)) < 0 ||
        (rc = page(&res, &r, idx, &o, hl, ex, &budget)) < 0)
        goto done;
    lede__results_set_count(res, matched, exact);
    if ((rc = notes(res, idx, query, q, &o, r.nkeep, all)) < 0)
        goto done;
    if (facets != NULL) {
        if ((rc = lede__facet_count(facets, idx, lede__query_root(q),
                                    o.facet_limit)) < 0 ||
            (rc = lede__budget_check(&budget)) < 0)
            goto done;
        /* Every match was looked at: the count is exact now. */
        lede__results_set_count(res, lede__facet_articles(facets), 1);
        lede__results_set_facets(res, facets);
        facets = NULL;
    }
    *out = res;
    res = NULL;
done:
    lede_results_free(res);
    lede__facet_free(facets);
    lede__like_free(&like);
    lede__query_free(q);
    lede__snippet_free(hl);
    lede__explainer_free(ex);
    lede__xhits_free(&r.xh);
    lede__free(r.keep);
    lede__free(r.similar);
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
                               lede__qlex_column(query, (size_t)(nul - query)));
    if (len > LEDE_QUERY_MAX_BYTES)
        return lede__error_set(LEDE_EINVAL,
                               "query: %zu bytes is over the limit of %d", len,
                               LEDE_QUERY_MAX_BYTES);
    if ((*out = lede__strndup(query, len)) == NULL)
        return lede__error_nomem();
    return 0;
}

/* lede_search_n() into *results, or with describe set
 * lede_query_describe_n() into *text: the query copied, then searched or
 * described as a C string. */
static int by_length(lede_results **results, char **text, int describe,
                     lede_index *idx, const char *query, size_t len,
                     const lede_search_options *opts)
{
    char *copy;
    if (results != NULL)
        *results = NULL;
    if (text != NULL)
        *text = NULL;
    int rc = query_copy(&copy, query, len,
                        describe ? "lede_query_describe_n" : "lede_search_n");
    if (rc == 0 && describe)
        rc = lede_query_describe(text, idx, copy, opts);
    else if (rc == 0)
        rc = lede_search(results, idx, copy, opts);
    lede__free(copy);
    return rc;
}

LEDE_EXTERN(int)
lede_search_n(lede_results **out, lede_index *idx, const char *query,
              size_t len, const lede_search_options *opts)
{
    return by_length(out, NULL, 0, idx, query, len, opts);
}

LEDE_EXTERN(int)
lede_query_describe_n(char **out, lede_index *idx, const char *query,
                      size_t len, const lede_search_options *opts)
{
    return by_length(NULL, out, 1, idx, query, len, opts);
}

LEDE_EXTERN(int)
lede_query_describe(char **out, lede_index *idx, const char *query,
                    const lede_search_options *opts)
{
    lede_search_options o;
    lede__query *q = NULL;
    lede__buf b = LEDE__BUF_INIT;
    lede__like like;
    int rc;

    if (out != NULL)
        *out = NULL;
    rc = start(&q, &o, NULL, &like, idx, out, query, opts,
               "lede_query_describe");
    if (rc == 0)
        rc = lede__qtree_describe(&b, lede__query_root(q));
    lede__query_free(q);
    lede__like_free(&like);
    if (rc < 0) {
        lede__buf_free(&b);
        return rc;
    }
    *out = b.data;
    return 0;
}
