/*
 * fuzz_article.c - fuzz target of the whole path: an article in, every
 * output of a search out.
 *
 * The input is an article: its title up to the first NUL byte (or, with
 * none, the first line feed) and its body after it, any bytes. It is
 * indexed, replacing the last input's, into a real index on disk (eight-
 * word passages, so a body of a few sentences has several), and searched
 * for its own words, one at a time and all together, and for its date.
 * Every hit goes through every output the library has: text, offsets,
 * snippet (plain and marked), highlights, explanation, and a JSON
 * encoding of them as lede-search --json makes it. Checks that each
 * string is valid UTF-8 that JSON can carry, that the text is the stored
 * body (invalid UTF-8 made U+FFFD) between the hit's offsets, that
 * highlights lie inside it on character boundaries, in order, that the
 * explanation adds up to the score, and that a word of plain letters and
 * digits finds the article.
 */
#include "fuzz.h"
#include "lede_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORDS_MAX 8 /* words of the title and of the body searched */

static lede_index *idx; /* the index, made on the first call */

static void close_index(void)
{
    lede_index_free(idx);
    idx = NULL;
}

static void open_index(void)
{
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    char path[4200];

    snprintf(path, sizeof path, "%s/index", fuzz_dir());
    o.mode = LEDE_OPEN_CREATE;
    o.passage_words = 8;
    if (lede_index_open(&idx, path, &o) < 0)
        abort();
    atexit(close_index); /* before fuzz_dir()'s cleanup, which came first */
}

/* Words of a text, as their bytes in it. */
typedef struct {
    const char *text;        /* the text */
    size_t start[WORDS_MAX]; /* where each starts */
    size_t end[WORDS_MAX];   /* and ends */
    size_t n;                /* how many */
} words;

static int add_word(const char *tok, size_t len, size_t start, size_t end,
                    void *payload)
{
    words *w = payload;
    (void)tok;
    (void)len;
    w->start[w->n] = start;
    w->end[w->n] = end;
    return ++w->n == WORDS_MAX; /* enough: stop */
}

static void find_words(words *w, const lede__buf *b)
{
    memset(w, 0, sizeof *w);
    w->text = b->data;
    int rc = lede_tokenize(b->data, b->len, add_word, w);
    FUZZ_CHECK(rc == 0 || rc == 1);
}

static int valid(const char *s)
{
    size_t len = strlen(s);
    return lede__utf8_check(s, len) == len;
}

static int boundary(const char *s, size_t len, size_t i)
{
    return i == len || ((unsigned char)s[i] & 0xc0) != 0x80;
}

/* A string that JSON can carry, with its bytes back after a round trip. */
static void check_json(const char *s)
{
    json_t *o = json_pack("{s:s}", "v", s);
    FUZZ_CHECK(o != NULL);
    char *line = json_dumps(o, JSON_COMPACT);
    FUZZ_CHECK(line != NULL);
    json_t *back = json_loads(line, 0, NULL);
    FUZZ_CHECK(back != NULL);
    const char *v = json_string_value(json_object_get(back, "v"));
    FUZZ_CHECK(v != NULL && strcmp(v, s) == 0);
    json_decref(back);
    free(line);
    json_decref(o);
}

/* The snippet, marked with a and b or not; unmarked, it is the text with
 * white space runs made one space and perhaps "…" at either end, so never
 * longer than the text and two of those (and "" for an empty text). */
static void check_snippet(const lede_results *res, size_t i, const char *a,
                          const char *b)
{
    size_t len = strlen(lede_results_text(res, i));
    char *s;
    FUZZ_CHECK(lede_results_snippet(&s, res, i, a, b) == 0);
    FUZZ_CHECK(valid(s));
    FUZZ_CHECK(a != NULL || strlen(s) <= (len ? len + 6 : 0));
    check_json(s);
    lede_free(s);
}

static void check_hit(const lede_results *res, size_t i, const lede__buf *title,
                      const lede__buf *body)
{
    const char *text = lede_results_text(res, i);
    size_t start = lede_results_start(res, i), end = lede_results_end(res, i);
    size_t n;

    FUZZ_CHECK(strcmp(lede_results_article_id(res, i), "a") == 0);
    FUZZ_CHECK(strcmp(lede_results_title(res, i),
                      title->data ? title->data : "") == 0);
    FUZZ_CHECK(text != NULL && valid(text));
    FUZZ_CHECK(start <= end && end <= body->len);
    FUZZ_CHECK(strlen(text) == end - start);
    FUZZ_CHECK(memcmp(text, body->data + start, end - start) == 0);
    FUZZ_CHECK(strcmp(lede_results_url(res, i), "") == 0);
    check_json(lede_results_title(res, i));
    check_json(text);

    size_t len = end - start;
    const lede_span *hl = lede_results_highlights(res, i, &n);
    for (size_t k = 0; k < n; k++) {
        FUZZ_CHECK(hl[k].start < hl[k].end && hl[k].end <= len);
        FUZZ_CHECK(boundary(text, len, hl[k].start));
        FUZZ_CHECK(boundary(text, len, hl[k].end));
        FUZZ_CHECK(k == 0 || hl[k].start >= hl[k - 1].end);
    }
    check_snippet(res, i, NULL, NULL);
    check_snippet(res, i, "[", "]");

    const lede_explain *ex = lede_results_explain(res, i, &n);
    double sum = 0, score = lede_results_score(res, i);
    for (size_t k = 0; k < n; k++) {
        FUZZ_CHECK(valid(ex[k].term));
        check_json(ex[k].term);
        sum += ex[k].weight;
    }
    FUZZ_CHECK(fabs(sum - score) <= 1e-6 * (fabs(score) + 1));
}

/* Search q, as plain text or in the query language; with must_find, the
 * article must be among the hits. */
static void search(const char *q, size_t len, int plain, int must_find,
                   const lede__buf *title, const lede__buf *body)
{
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res;
    char *query = malloc(len + 1);

    if (query == NULL)
        abort();
    memcpy(query, q, len);
    query[len] = '\0';
    o.flags = LEDE_SEARCH_EXPLAIN | LEDE_SEARCH_KEEP_STOPWORDS |
              (plain ? LEDE_SEARCH_PLAIN : 0);
    for (int k = 0; k < 2; k++) {
        o.per_article = k == 0 ? 1 : 0;
        o.snippet_words = k == 0 ? 0 : 3;
        int rc = lede_search(&res, idx, query, &o);
        FUZZ_CHECK(rc == 0 || (rc == LEDE_EINVAL && lede_error_last()[0]));
        if (rc < 0)
            continue;
        FUZZ_CHECK(!must_find || lede_results_count(res) > 0);
        for (size_t i = 0; i < lede_results_count(res); i++)
            check_hit(res, i, title, body);
        lede_results_free(res);
    }
    free(query);
}

/* A word that reads the same alone as in its text: ASCII letters and
 * digits only (ICU may cut other words differently out of context). */
static int plain_word(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return 0;
    }
    return len > 0;
}

static void search_words(const words *w, const lede__buf *title,
                         const lede__buf *body, lede__buf *all)
{
    for (size_t k = 0; k < w->n; k++) {
        const char *s = w->text + w->start[k];
        size_t len = w->end[k] - w->start[k];
        search(s, len, 1, plain_word(s, len), title, body);
        if (lede__buf_put(all, s, len) < 0 || lede__buf_putc(all, ' ') < 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *cut = memchr(in, '\0', size);
    lede__buf title = LEDE__BUF_INIT, body = LEDE__BUF_INIT;
    lede__buf all = LEDE__BUF_INIT;
    lede_article a = LEDE_ARTICLE_INIT;
    words w;

    if (idx == NULL)
        open_index();
    if (cut == NULL)
        cut = memchr(in, '\n', size);
    a.id = "a";
    a.title = in;
    a.title_len = cut ? (size_t)(cut - in) : size;
    a.body = cut ? cut + 1 : NULL;
    a.body_len = cut ? size - a.title_len - 1 : 0;
    a.date = 1528761600; /* 2018-06-12 */
    FUZZ_CHECK(lede_index_add(idx, &a) == 0);
    FUZZ_CHECK(lede_index_commit(idx) == 0);

    /* What the index keeps: the bytes with invalid UTF-8 made U+FFFD. */
    if (lede__utf8_sanitize(&title, a.title, a.title_len, NULL) < 0 ||
        lede__utf8_sanitize(&body, a.body, a.body_len, NULL) < 0)
        abort();
    find_words(&w, &title);
    search_words(&w, &title, &body, &all);
    find_words(&w, &body);
    search_words(&w, &title, &body, &all);
    if (all.len > 0)
        search(all.data, all.len, 1, 0, &title, &body);
    search("date:2018-06-12", strlen("date:2018-06-12"), 0, 1, &title, &body);
    lede__buf_free(&title);
    lede__buf_free(&body);
    lede__buf_free(&all);
    return 0;
}
