/*
 * fuzz_segment.c - fuzz target of the passage splitter (segment.c).
 *
 * The input is an article body: made valid UTF-8 and tokenized as
 * writer.c does, then split under three settings (the default, short
 * overlapping windows inside paragraphs, one word a passage). Checks
 * that every passage lies in the text on character boundaries, neither
 * starts nor ends inside a word, holds its words, follows the one before
 * it, and that together the passages leave no word out.
 */
#include "fuzz.h"
#include "lede_int.h"

#include <stdlib.h>

typedef struct {
    lede__span *v; /* the words' spans */
    size_t n;      /* count */
    size_t cap;    /* allocated */
} spans;

static int add_span(const lede__token *t, void *payload)
{
    spans *s = payload;
    lede__span *v = lede__grow(s->v, &s->cap, s->n, sizeof *v);
    if (v == NULL)
        abort();
    s->v = v;
    s->v[s->n++] = (lede__span){t->start, t->end};
    return 0;
}

static int char_boundary(const char *text, size_t len, size_t off)
{
    return off == len || ((unsigned char)text[off] & 0xc0) != 0x80;
}

/* Whether off falls strictly inside one of the words. */
static int inside_word(const spans *w, size_t off)
{
    size_t lo = 0, hi = w->n; /* the first word that starts at or after off */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->v[mid].start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && w->v[lo - 1].end > off;
}

static void check(const char *text, size_t len, const spans *w,
                  const lede__passage *ps, size_t n)
{
    size_t covered = 0; /* words [0, covered) are in some passage */
    for (size_t i = 0; i < n; i++) {
        const lede__passage *p = &ps[i];
        FUZZ_CHECK(p->start <= p->end && p->end <= len);
        FUZZ_CHECK(char_boundary(text, len, p->start));
        FUZZ_CHECK(char_boundary(text, len, p->end));
        FUZZ_CHECK(!inside_word(w, p->start) && !inside_word(w, p->end));
        FUZZ_CHECK(p->tok_begin < p->tok_end && p->tok_end <= w->n);
        FUZZ_CHECK(w->v[p->tok_begin].start >= p->start);
        FUZZ_CHECK(w->v[p->tok_end - 1].end <= p->end);
        if (i > 0) {
            FUZZ_CHECK(p->start >= ps[i - 1].start);
            FUZZ_CHECK(p->tok_begin >= ps[i - 1].tok_begin);
            FUZZ_CHECK(p->tok_end >= ps[i - 1].tok_end);
        }
        FUZZ_CHECK(p->tok_begin <= covered);
        covered = p->tok_end;
    }
    FUZZ_CHECK(covered == w->n);
}

static const struct {
    int english;             /* English sentence rules, else root's */
    lede__segment_opts opts; /* max_words, overlap, paragraphs */
} settings[] = {
    {1, {LEDE_DEFAULT_PASSAGE_WORDS, LEDE_DEFAULT_PASSAGE_OVERLAP, 0}},
    {0, {4, 2, 1}},
    {1, {1, 0, 0}},
};

static lede__tokenizer *tok;    /* made once */
static lede__segmenter *seg[2]; /* root's and English rules, made once */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lede__buf body = LEDE__BUF_INIT;
    spans w = {NULL, 0, 0};

    if (tok == NULL && (lede__tokenizer_new(&tok) < 0 ||
                        lede__segmenter_new(&seg[0], NULL) < 0 ||
                        lede__segmenter_new(&seg[1], "english") < 0))
        abort();
    if (lede__utf8_sanitize(&body, (const char *)data, size, NULL) < 0)
        abort();
    FUZZ_CHECK(lede__tokenizer_run(tok, body.data, body.len, add_span, &w) ==
               0);
    for (size_t k = 0; k < sizeof settings / sizeof *settings; k++) {
        lede__passage *ps;
        size_t n;
        FUZZ_CHECK(lede__segment(&ps, &n, seg[settings[k].english], body.data,
                                 body.len, w.v, w.n, &settings[k].opts) == 0);
        check(body.data, body.len, &w, ps, n);
        lede__free(ps);
    }
    lede__free(w.v);
    lede__buf_free(&body);
    return 0;
}
