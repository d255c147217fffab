/*
 * snippet.c - where a query matched in a passage, and the snippet to show.
 *
 * Owns highlighting and snippets. The passage text is tokenized and
 * stemmed again, exactly as it was indexed, so a highlight falls on the
 * very word that matched ("summits" for summit) at its byte offsets; a
 * phrase is one span from its first word to its last. The snippet is the
 * window of at most N words holding the most distinct matched terms (then
 * the most matches; the earliest on a tie), cut at word boundaries with
 * "…" where text was cut. Excluded and title-only terms are not
 * highlighted: they do not match in the passage's text. Calls tokenize.c,
 * index.c, analysis.c (the stemmer and stop words), buf.c, alloc.c
 * and error.c.
 */
#include "lede_int.h"

#include <stdlib.h>
#include <string.h>

/* A body term or phrase of the query to find in passages. */
typedef struct {
    const char **terms; /* its terms (one for a term, more for a phrase) */
    size_t *lens;       /* their lengths */
    size_t n;           /* how many */
} target;

struct lede__snippet_finder {
    target *v;      /* what to find */
    size_t n;       /* count */
    size_t cap;     /* allocated */
    int empty_term; /* a target has an empty term */
    lede__buf stem; /* stemmer output */
    /* The passage being searched: its words. */
    lede__span *spans; /* byte spans */
    size_t capspans;   /* allocated */
    struct stem {
        size_t off;  /* offset of the word's stem in stems */
        size_t len;  /* its length */
    } * st;          /* the words' stems */
    size_t capst;    /* allocated */
    size_t nw;       /* words */
    lede__buf stems; /* stems of the words, back to back */
    lede_index *idx; /* whose stemmer */
    /* With a stemmer that keeps a word's first byte, a word that starts
     * with none of the targets' first bytes cannot match: it is not
     * stemmed (most words of a passage, and a lookup each spared). */
    int by_first;
    unsigned char first[256]; /* first bytes of the targets' terms */
};

static int add_target(lede__snippet_finder *h, const lede__qnode *const *kids,
                      size_t n)
{
    target *v = lede__grow(h->v, &h->cap, h->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    h->v = v;
    target *t = &v[h->n];
    t->terms = lede__calloc(n, sizeof *t->terms);
    t->lens = lede__calloc(n, sizeof *t->lens);
    if (t->terms == NULL || t->lens == NULL) {
        lede__free(t->terms);
        lede__free(t->lens);
        return lede__error_nomem();
    }
    for (size_t i = 0; i < n; i++) {
        t->terms[i] = kids[i]->term;
        t->lens[i] = kids[i]->len;
    }
    t->n = n;
    h->n++;
    return 0;
}

static int is_title(const lede__qnode *t)
{
    return t->len > 0 && t->term[0] == LEDE__PREFIX_TITLE[0];
}

/* Collect the body terms and phrases that can match a passage's text. */
static int collect(lede__snippet_finder *h, const lede__qnode *n)
{
    int rc = 0;
    switch (n->op) {
    case LEDE__Q_TERM:
        return is_title(n) ? 0
                           : add_target(h, (const lede__qnode *const *)&n, 1);
    case LEDE__Q_PHRASE:
        if (n->nkids > 0 && !is_title(n->kids[0]))
            return add_target(h, (const lede__qnode *const *)n->kids, n->nkids);
        return 0;
    case LEDE__Q_AND_NOT:
    case LEDE__Q_FILTER:
        /* Excluded and filtering sides never match the text shown. */
        return n->nkids ? collect(h, n->kids[0]) : 0;
    default:
        for (size_t i = 0; i < n->nkids && rc == 0; i++)
            rc = collect(h, n->kids[i]);
        return rc;
    }
}

void lede__snippet_free(lede__snippet_finder *h)
{
    if (h == NULL)
        return;
    for (size_t i = 0; i < h->n; i++) {
        lede__free(h->v[i].terms);
        lede__free(h->v[i].lens);
    }
    lede__free(h->v);
    lede__free(h->spans);
    lede__free(h->st);
    lede__buf_free(&h->stem);
    lede__buf_free(&h->stems);
    lede__free(h);
}

int lede__snippet_new(lede__snippet_finder **out, lede_index *idx,
                      const lede__qnode *root)
{
    lede__snippet_finder *h = lede__calloc(1, sizeof *h);
    *out = NULL;
    if (h == NULL)
        return lede__error_nomem();
    h->idx = idx;
    int rc = collect(h, root);
    if (rc < 0) {
        lede__snippet_free(h);
        return rc;
    }
    h->by_first = lede__analysis_stem_keeps_first(lede__index_analysis(idx));
    for (size_t i = 0; i < h->n; i++) {
        for (size_t j = 0; j < h->v[i].n; j++) {
            if (h->v[i].lens[j] > 0)
                h->first[(unsigned char)h->v[i].terms[j][0]] = 1;
            else
                h->empty_term = 1;
        }
    }
    *out = h;
    return 0;
}

static int add_word(const lede__token *t, void *payload)
{
    lede__snippet_finder *h = payload;
    /* Where the index has no stop words, phrases skip them: so does the
     * text they are matched against. */
    if (lede__index_stopwords(h->idx) &&
        lede__analysis_is_stopword(t->term, t->len))
        return 0;
    int rc, none = t->len == 0 ||
                   (h->by_first && !h->first[(unsigned char)t->term[0]]);
    if (!none &&
        (rc = lede__analysis_stem(&h->stem, lede__index_analysis(h->idx),
                                  t->term, t->len)) < 0)
        return rc;
    if (h->nw == h->capspans) {
        lede__span *s = lede__grow(h->spans, &h->capspans, h->nw, sizeof *s);
        if (s == NULL)
            return lede__error_nomem();
        h->spans = s;
    }
    if (h->nw == h->capst) {
        struct stem *st = lede__grow(h->st, &h->capst, h->nw, sizeof *st);
        if (st == NULL)
            return lede__error_nomem();
        h->st = st;
    }
    h->spans[h->nw] = (lede__span){t->start, t->end};
    /* Most words match nothing: an empty stem, and nothing to keep. */
    h->st[h->nw] = (struct stem){h->stems.len, none ? 0 : h->stem.len};
    h->nw++;
    return none ? 0 : lede__buf_put(&h->stems, h->stem.data, h->stem.len);
}

static int word_is(const lede__snippet_finder *h, size_t w, const char *term,
                   size_t len)
{
    return h->st[w].len == len &&
           memcmp(h->stems.data + h->st[w].off, term, len) == 0;
}

/* Does target t match the words starting at w? */
static int matches_at(const lede__snippet_finder *h, const target *t, size_t w)
{
    if (w + t->n > h->nw)
        return 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!word_is(h, w + i, t->terms[i], t->lens[i]))
            return 0;
    }
    return 1;
}

int lede__snippet_find(lede__snippet_matches *r, lede__snippet_finder *h,
                       const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    h->nw = 0;
    lede__buf_clear(&h->stems);
    lede__tokenizer *tok =
        lede__analysis_tokenizer(lede__index_analysis(h->idx));
    /* Without stop words to recognise, a word that cannot match need not
     * even be folded (the tokenizer tells its first byte from ASCII). */
    int rc =
        h->by_first && !lede__index_stopwords(h->idx)
            ? lede__tokenizer_run_only(tok, text, len, h->first, add_word, h)
            : lede__tokenizer_run(tok, text, len, add_word, h);
    if (rc < 0)
        return rc;
    r->words = h->spans;
    r->nwords = h->nw;
    for (size_t w = 0; w < h->nw;) {
        /* The longest target that starts here wins (a phrase over its
         * words); spans never overlap. A word with no stem kept matches
         * no target whose terms are all stems. */
        size_t best = 0, id = 0;
        if (h->st[w].len == 0 && !h->empty_term) {
            w++;
            continue;
        }
        for (size_t t = 0; t < h->n; t++) {
            if (h->v[t].n > best && matches_at(h, &h->v[t], w)) {
                best = h->v[t].n;
                id = t;
            }
        }
        if (best == 0) {
            w++;
            continue;
        }
        lede_span *s = lede__grow(r->spans, &r->capspans, r->n, sizeof *s);
        if (s == NULL)
            return lede__error_nomem();
        r->spans = s;
        lede__snippet_hit *hit =
            lede__grow(r->hits, &r->caphits, r->n, sizeof *hit);
        if (hit == NULL)
            return lede__error_nomem();
        r->hits = hit;
        s[r->n] = (lede_span){h->spans[w].start, h->spans[w + best - 1].end};
        hit[r->n] = (lede__snippet_hit){w, w + best - 1, (unsigned)id};
        r->n++;
        w += best;
    }
    return 0;
}

void lede__snippet_matches_free(lede__snippet_matches *r)
{
    lede__free(r->spans);
    lede__free(r->hits);
    memset(r, 0, sizeof *r);
}

/* Distinct terms among hits [a, b). */
static size_t distinct(const lede__snippet_hit *hits, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++) {
        size_t j = a;
        while (j < i && hits[j].id != hits[i].id)
            j++;
        n += j == i;
    }
    return n;
}

void lede__snippet_window(lede__window *win, const lede__snippet_matches *r,
                          size_t text_len, const char *text, size_t words)
{
    win->start = 0;
    win->end = text_len;
    win->cut_before = win->cut_after = 0;
    if (r->nwords <= words || words == 0)
        return;
    /* Slide a window of `words` words; score it by the distinct terms and
     * then the hits whose first word is inside. */
    size_t best = 0, best_d = 0, best_h = 0, h0 = 0, h1 = 0;
    for (size_t w = 0; w + words <= r->nwords; w++) {
        while (h0 < r->n && r->hits[h0].first < w)
            h0++;
        if (h1 < h0)
            h1 = h0;
        while (h1 < r->n && r->hits[h1].first < w + words)
            h1++;
        size_t d = distinct(r->hits, h0, h1), hits = h1 - h0;
        if (d > best_d || (d == best_d && hits > best_h)) {
            best = w;
            best_d = d;
            best_h = hits;
        }
    }
    /* Place the window around the matches it holds: from the start of
     * the passage, or to its end, when either still holds them all (so
     * less is cut); otherwise with the spare words split around them. */
    if (best_h > 0) {
        size_t first = r->n, last = 0;
        for (size_t i = 0; i < r->n; i++) {
            if (r->hits[i].first >= best && r->hits[i].first < best + words) {
                if (first == r->n)
                    first = r->hits[i].first;
                last = r->hits[i].last;
            }
        }
        if (last >= best + words)
            last = best + words - 1; /* a phrase cut by the window's end */
        size_t lo = last + 1 > words ? last + 1 - words : 0;
        size_t spare = words - (last - first + 1);
        if (lo == 0)
            best = 0;
        else if (first + words >= r->nwords)
            best = r->nwords - words;
        else
            best = first - spare / 2 < lo ? lo : first - spare / 2;
    }
    size_t last = best + words - 1;
    win->start = best == 0 ? 0 : r->words[best].start;
    win->cut_before = best > 0;
    win->cut_after = last + 1 < r->nwords;
    /* Keep the punctuation that closes the last word ("summit."). */
    size_t end = r->words[last].end;
    size_t next = win->cut_after ? r->words[last + 1].start : text_len;
    while (end < next && text[end] != ' ' && text[end] != '\n' &&
           text[end] != '\t' && text[end] != '\r')
        end++;
    win->end = win->cut_after ? end : text_len;
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Append text[0..n) with each run of white space (a paragraph break, since
 * passages run across them) made one space: a snippet is one line. */
static int put_flat(lede__buf *out, const char *text, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        size_t j = i;
        while (j < n && !is_space(text[j]))
            j++;
        rc = lede__buf_put(out, text + i, j - i);
        if (j < n && rc == 0) {
            rc = lede__buf_putc(out, ' ');
            while (j < n && is_space(text[j]))
                j++;
        }
        i = j;
    }
    return rc;
}

int lede__snippet_render(lede__buf *out, const char *text,
                         const lede__window *win, const lede_span *hl,
                         size_t nhl, const char *hi_start, const char *hi_end)
{
    static const char ellipsis[] = "\xe2\x80\xa6";
    size_t at = win->start;
    int rc = win->cut_before ? lede__buf_puts(out, ellipsis) : 0;
    for (size_t i = 0; i < nhl && rc == 0; i++) {
        size_t a = hl[i].start > win->start ? hl[i].start : win->start;
        size_t b = hl[i].end < win->end ? hl[i].end : win->end;
        if (a >= b)
            continue;
        rc = put_flat(out, text + at, a - at);
        if (rc == 0 && hi_start)
            rc = lede__buf_puts(out, hi_start);
        if (rc == 0)
            rc = put_flat(out, text + a, b - a);
        if (rc == 0 && hi_end)
            rc = lede__buf_puts(out, hi_end);
        at = b;
    }
    if (rc == 0)
        rc = put_flat(out, text + at, win->end - at);
    if (rc == 0 && win->cut_after)
        rc = lede__buf_puts(out, ellipsis);
    return rc;
}
