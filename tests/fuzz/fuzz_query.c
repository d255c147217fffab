/*
 * fuzz_query.c - fuzz target of the query language (qlex.c, query.c) and
 * of the search behind it.
 *
 * The input is a query. Words become terms through an index's tokenizer,
 * stemmer and vocabulary, so a small index is built once per process;
 * each query is then described and searched under three sets of options.
 * Checks that a query is either read or refused as LEDE_EINVAL with a
 * message, the same way by lede_query_describe() and lede_search(); that
 * the tree's description is valid UTF-8; that the plain words lie in the
 * query; and that every result's highlights lie in its text, in order,
 * and its explanation adds up to its score.
 */
#include "fuzz.h"
#include "lede_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static lede_index *idx; /* the index, built on the first call */

static void close_index(void)
{
    lede_index_free(idx);
    idx = NULL;
}

static void build_index(void)
{
    static const char *const docs[][5] = {
        /* id, title, body, date, url */
        {"s1", "Summit in Singapore",
         "Leaders met at the summit. It was summer in Singapore.\n\n"
         "The talks went on for five hours; a joint statement followed.",
         "2018-06-12", "https://example.org/s1"},
        {"s2", "Summary",
         "A summary of the summer. Well-known facts, 3,000 "
         "words, e-mail and C++ in one line.",
         "2019-03-01", NULL},
        {"s3", "東京の会議", "東京で首脳会議が開かれた。中国語と日本語の文。",
         "2020-02-29", NULL},
        {"s4", "Café déjà vu",
         "Ein Gipfeltreffen in Genf. Cafe\xcc\x81 au lait, na\xc3\xafve "
         "re\xcc\x81sume\xcc\x81.",
         NULL, NULL},
        {"s5", "Summit in Singapore again",
         "Leaders met at the summit. It was summer in Singapore.\n\n"
         "The talks went on for five hours; a joint statement followed.",
         "2018-06-13", NULL},
    };
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    char path[4200];

    snprintf(path, sizeof path, "%s/index", fuzz_dir());
    o.mode = LEDE_OPEN_CREATE;
    o.passage_words = 8;
    if (lede_index_open(&idx, path, &o) < 0)
        abort();
    atexit(close_index); /* before fuzz_dir()'s cleanup, which came first */
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = docs[i][0];
        a.title = docs[i][1];
        a.title_len = strlen(a.title);
        a.body = docs[i][2];
        a.body_len = strlen(a.body);
        if (docs[i][3] != NULL &&
            lede__date_parse(&a.date, docs[i][3], strlen(docs[i][3])) < 0)
            abort();
        a.url = docs[i][4];
        if (lede_index_add(idx, &a) < 0)
            abort();
    }
    if (lede_index_commit(idx) < 0)
        abort();
}

/* Options the query is read and searched under. */
static lede_search_options options(int k)
{
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    if (k == 1) {
        o.flags =
            LEDE_SEARCH_ALL | LEDE_SEARCH_KEEP_STOPWORDS | LEDE_SEARCH_EXPLAIN;
        o.title_weight = 0;
        o.proximity = 0;
        o.date_from = 1500000000; /* 2017-07-14 */
        o.date_to = 1600000000;   /* 2020-09-13 */
        o.weighting = LEDE_WEIGHT_BM25_LUCENE;
    } else if (k == 2) {
        o.flags = LEDE_SEARCH_PLAIN | LEDE_SEARCH_NO_DEDUP |
                  LEDE_SEARCH_SORT_DATE | LEDE_SEARCH_EXPLAIN;
        o.per_article = 0;
        o.snippet_words = 3;
    }
    return o;
}

static void check_error(int rc)
{
    FUZZ_CHECK(rc == LEDE_EINVAL);
    FUZZ_CHECK(lede_error_last()[0] != '\0');
}

static void check_hit(const lede_results *res, size_t i)
{
    const char *text = lede_results_text(res, i);
    size_t start = lede_results_start(res, i), end = lede_results_end(res, i);
    size_t n, len;
    char *snippet;

    FUZZ_CHECK(text != NULL && start <= end);
    len = strlen(text);
    FUZZ_CHECK(len == end - start);
    fuzz_touch(lede_results_title(res, i), strlen(lede_results_title(res, i)));
    fuzz_touch(lede_results_url(res, i), strlen(lede_results_url(res, i)));
    const lede_span *hl = lede_results_highlights(res, i, &n);
    for (size_t k = 0; k < n; k++) {
        FUZZ_CHECK(hl[k].start < hl[k].end && hl[k].end <= len);
        FUZZ_CHECK(k == 0 || hl[k].start >= hl[k - 1].end);
    }
    FUZZ_CHECK(lede_results_snippet(&snippet, res, i, "[", "]") == 0);
    FUZZ_CHECK(lede__utf8_check(snippet, strlen(snippet)) == strlen(snippet));
    lede_free(snippet);
    const lede_explain *ex = lede_results_explain(res, i, &n);
    if (ex != NULL) {
        double sum = 0, score = lede_results_score(res, i);
        for (size_t k = 0; k < n; k++)
            sum += ex[k].weight;
        FUZZ_CHECK(fabs(sum - score) <= 1e-6 * (fabs(score) + 1));
    }
}

static void check_words(const char *q)
{
    lede__parse_opts po = {0, 1.0, LEDE_NO_DATE, LEDE_NO_DATE, 0,
                           1, 0,   0.15,         NULL,         NULL};
    lede__query *parsed;
    size_t n, len = strlen(q);

    int rc = lede__query_parse(&parsed, idx, q, &po);
    if (rc < 0) {
        check_error(rc);
        return;
    }
    const lede__qword *w = lede__query_words(parsed, &n);
    for (size_t k = 0; k < n; k++) {
        FUZZ_CHECK(w[k].start < w[k].end && w[k].end <= len);
        fuzz_touch(w[k].folded, strlen(w[k].folded));
        fuzz_touch(w[k].stem, strlen(w[k].stem));
    }
    lede__query_free(parsed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *q = malloc(size + 1);

    if (q == NULL)
        abort();
    if (idx == NULL)
        build_index();
    memcpy(q, data, size);
    q[size] = '\0'; /* the query is what comes before a NUL */
    for (int k = 0; k < 3; k++) {
        lede_search_options o = options(k);
        lede_results *res;
        char *tree;

        int rc = lede_query_describe(&tree, idx, q, &o);
        if (rc == 0) {
            size_t len = strlen(tree);
            FUZZ_CHECK(len > 0 && lede__utf8_check(tree, len) == len);
            lede_free(tree);
        } else {
            check_error(rc);
        }
        int rs = lede_search(&res, idx, q, &o);
        FUZZ_CHECK(rs == rc);
        if (rs == 0) {
            FUZZ_CHECK(lede_results_count(res) <= o.limit);
            for (size_t i = 0; i < lede_results_count(res); i++)
                check_hit(res, i);
            const char *s = lede_results_suggestion(res);
            if (s != NULL)
                fuzz_touch(s, strlen(s));
            lede_results_free(res);
        } else {
            check_error(rs);
        }
    }
    check_words(q);
    free(q);
    return 0;
}
