/*
 * test_bm25.c - every score equals the BM25 formula, computed here by hand.
 *
 * lede ranks with Xapian's BM25Weight (k2 = 0, k3 = LEDE_DEFAULT_K3,
 * min_normlen = 0.5).
 * For a passage d and a query term t occurring wdf times in d:
 *
 *   w(t, d) = log(tw) * (k3 + 1) * wqf / (k3 + wqf)
 *             * (k1 + 1) * wdf / (k1 * (b * L + 1 - b) + wdf)
 *   tw      = (N - n + 0.5) / (n + 0.5), then 0.5 * tw + 1 if tw < 2
 *   L       = max(len(d) / avglen, 0.5)
 *
 * N counts passages, n the passages holding t, len(d) the words of the
 * passage plus the words of its article's title, and wqf the times t is in
 * the query. A passage scores the sum over the query terms it holds.
 *
 * The fixture below is written so that every number is countable by eye;
 * the comments give the counts this test relies on.
 */
#include "helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *id, *title, *body;
} fixture_articles[] = {
    {"a1", "", "apple banana apple"},                  /* len 3 */
    {"a2", "", "banana cherry"},                       /* len 2 */
    {"a3", "", "apple cherry cherry cherry date"},     /* len 5 */
    {"a4", "fruit news", "date elderberry fig grape"}, /* 4 + 2 = 6 */
    {"a5", "", "kiwi cherry mango"},                   /* len 3 */
    {"a6", "", "nut"},                                 /* len 1 */
    {"a7", "", "melon\n\nmelon papaya"},               /* 1 and 2 */
};
/* 8 passages (a7 has two), 23 words in all. */
#define N 8.0
#define AVGLEN (23.0 / 8.0)
#define K3 LEDE_DEFAULT_K3

typedef struct {
    const char *id;   /* article */
    unsigned passage; /* ordinal */
    double score;     /* computed by hand */
} expect;

typedef struct {
    double wdf; /* occurrences in the passage */
    double n;   /* passages holding the term */
    double wqf; /* occurrences in the query */
} part;

static double bm25(const part *parts, size_t nparts, double len, double k1,
                   double b)
{
    double sum = 0;
    for (size_t i = 0; i < nparts; i++) {
        const part *p = &parts[i];
        double tw = (N - p->n + 0.5) / (p->n + 0.5);
        if (tw < 2)
            tw = tw * 0.5 + 1;
        double L = fmax(len / AVGLEN, 0.5);
        sum += log(tw) * (K3 + 1) * p->wqf / (K3 + p->wqf) * (k1 + 1) * p->wdf /
               (k1 * (b * L + 1 - b) + p->wdf);
    }
    return sum;
}

typedef struct {
    char *dir;       /* temporary directory */
    lede_index *idx; /* the fixture index */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    f->dir = th_tempdir();
    o.mode = LEDE_OPEN_CREATE;
    o.language = "none";
    o.paragraph_passages = 1; /* a7's paragraphs are its two passages */
    assert_int_equal(lede_index_open(&f->idx, th_path(f->dir, "i"), &o), 0);
    for (size_t i = 0; i < sizeof fixture_articles / sizeof *fixture_articles;
         i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = fixture_articles[i].id;
        a.title = fixture_articles[i].title;
        a.title_len = strlen(a.title);
        a.body = fixture_articles[i].body;
        a.body_len = strlen(a.body);
        assert_int_equal(lede_index_add(f->idx, &a), 0);
    }
    assert_int_equal(lede_index_commit(f->idx), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    lede_index_free(f->idx);
    th_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static int by_score(const void *a, const void *b)
{
    double x = ((const expect *)a)->score, y = ((const expect *)b)->score;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Search and compare every hit, in order, with the hand computation;
 * query words near each other count again by proximity. */
static void check_near(lede_index *idx, const char *query, double k1, double b,
                       double proximity, expect *want, size_t nwant)
{
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res;
    o.k1 = k1;
    o.b = b;
    o.proximity = proximity;
    o.per_article = 0;
    o.limit = 100;
    assert_int_equal(lede_search(&res, idx, query, &o), 0);
    qsort(want, nwant, sizeof *want, by_score);
    assert_int_equal(lede_results_count(res), nwant);
    for (size_t i = 0; i < nwant; i++) {
        assert_string_equal(lede_results_article_id(res, i), want[i].id);
        assert_int_equal(lede_results_passage(res, i), want[i].passage);
        assert_float_equal(lede_results_score(res, i), want[i].score, 1e-9);
    }
    lede_results_free(res);
}

/* The same, BM25 alone. */
static void check(lede_index *idx, const char *query, double k1, double b,
                  expect *want, size_t nwant)
{
    check_near(idx, query, k1, b, 0, want, nwant);
}

static void test_bm25__single_term(void **state)
{
    fixture *f = *state;
    /* apple: in a1 (twice, len 3) and a3 (once, len 5); n = 2. */
    const part a1[] = {{2, 2, 1}}, a3[] = {{1, 2, 1}};
    expect want[] = {
        {"a1", 0, bm25(a1, 1, 3, 0.9, 0.4)},
        {"a3", 0, bm25(a3, 1, 5, 0.9, 0.4)},
    };
    check(f->idx, "apple", 0.9, 0.4, want, 2);
}

static void test_bm25__frequent_term_idf_floor(void **state)
{
    fixture *f = *state;
    /* cherry is in 3 of 8 passages: tw = 5.5 / 3.5 < 2, so Xapian's
     * floor applies. a2: once, len 2; a3: three times, len 5; a5: once,
     * len 3. */
    const part a2[] = {{1, 3, 1}}, a3[] = {{3, 3, 1}}, a5[] = {{1, 3, 1}};
    expect want[] = {
        {"a2", 0, bm25(a2, 1, 2, 0.9, 0.4)},
        {"a3", 0, bm25(a3, 1, 5, 0.9, 0.4)},
        {"a5", 0, bm25(a5, 1, 3, 0.9, 0.4)},
    };
    check(f->idx, "cherry", 0.9, 0.4, want, 3);
}

static void test_bm25__several_terms_add_up(void **state)
{
    fixture *f = *state;
    /* cherry (n 3), date (n 2: a3, a4) and melon (n 2: both passages of
     * a7). a4's length counts its two title words. */
    const part a2[] = {{1, 3, 1}};
    const part a3[] = {{3, 3, 1}, {1, 2, 1}};
    const part a4[] = {{1, 2, 1}};
    const part a5[] = {{1, 3, 1}};
    const part a7p0[] = {{1, 2, 1}}, a7p1[] = {{1, 2, 1}};
    expect want[] = {
        {"a2", 0, bm25(a2, 1, 2, 0.9, 0.4)},
        {"a3", 0, bm25(a3, 2, 5, 0.9, 0.4)},
        {"a4", 0, bm25(a4, 1, 6, 0.9, 0.4)},
        {"a5", 0, bm25(a5, 1, 3, 0.9, 0.4)},
        {"a7", 0, bm25(a7p0, 1, 1, 0.9, 0.4)},
        {"a7", 1, bm25(a7p1, 1, 2, 0.9, 0.4)},
    };
    check(f->idx, "cherry date melon", 0.9, 0.4, want, 6);
}

static void test_bm25__other_parameters(void **state)
{
    fixture *f = *state;
    const part a2[] = {{1, 3, 1}};
    const part a3[] = {{3, 3, 1}, {1, 2, 1}};
    const part a4[] = {{1, 2, 1}};
    const part a5[] = {{1, 3, 1}};
    expect want[] = {
        {"a2", 0, bm25(a2, 1, 2, 1.2, 0.75)},
        {"a3", 0, bm25(a3, 2, 5, 1.2, 0.75)},
        {"a4", 0, bm25(a4, 1, 6, 1.2, 0.75)},
        {"a5", 0, bm25(a5, 1, 3, 1.2, 0.75)},
    };
    check(f->idx, "cherry date", 1.2, 0.75, want, 4);
}

/* Proximity: in a3 ("apple cherry cherry cherry date") cherry and date,
 * neighbours in the query, are within 4 positions, so a3 scores their
 * weights again times the proximity weight; a2, a4 and a5 hold one of the
 * two and score BM25 alone. */
static void test_bm25__proximity(void **state)
{
    fixture *f = *state;
    const part a2[] = {{1, 3, 1}};
    const part a3[] = {{3, 3, 1}, {1, 2, 1}};
    const part a4[] = {{1, 2, 1}};
    const part a5[] = {{1, 3, 1}};
    expect want[] = {
        {"a2", 0, bm25(a2, 1, 2, 1.2, 0.75)},
        {"a3", 0, bm25(a3, 2, 5, 1.2, 0.75) * 1.25},
        {"a4", 0, bm25(a4, 1, 6, 1.2, 0.75)},
        {"a5", 0, bm25(a5, 1, 3, 1.2, 0.75)},
    };
    check_near(f->idx, "cherry date", 1.2, 0.75, 0.25, want, 4);
    /* "apple date": apple is at a3's first position, date at its fifth:
     * 5 positions apart, outside the window; a1 has no date. */
    const part b1[] = {{2, 2, 1}}, b3[] = {{1, 2, 1}, {1, 2, 1}};
    const part b4[] = {{1, 2, 1}};
    expect want2[] = {
        {"a1", 0, bm25(b1, 1, 3, 1.2, 0.75)},
        {"a3", 0, bm25(b3, 2, 5, 1.2, 0.75)},
        {"a4", 0, bm25(b4, 1, 6, 1.2, 0.75)},
    };
    check_near(f->idx, "apple date", 1.2, 0.75, 0.25, want2, 3);
}

static void test_bm25__no_length_normalisation(void **state)
{
    fixture *f = *state;
    /* b = 0: length plays no part; k1 = 0: only idf counts. */
    const part a1[] = {{2, 2, 1}}, a3[] = {{1, 2, 1}};
    expect want[] = {
        {"a1", 0, bm25(a1, 1, 3, 1.5, 0)},
        {"a3", 0, bm25(a3, 1, 5, 1.5, 0)},
    };
    check(f->idx, "apple", 1.5, 0, want, 2);
    /* k1 = 0 is run as k1 = 1e-6 (Xapian 1.4 loses phrase matches at
     * exactly 0), which is idf to a millionth. */
    double idf = log((N - 2 + 0.5) / (2 + 0.5));
    expect flat[] = {{"a1", 0, bm25(a1, 1, 3, 1e-6, 0.4)},
                     {"a3", 0, bm25(a3, 1, 5, 1e-6, 0.4)}};
    assert_float_equal(flat[0].score, idf, idf * 2e-6);
    assert_float_equal(flat[1].score, idf, idf * 2e-6);
    check(f->idx, "apple", 0, 0.4, flat, 2);
}

static void test_bm25__short_passage_floor(void **state)
{
    fixture *f = *state;
    /* nut: one word in a one-word passage; len / avglen = 0.35, raised
     * to the 0.5 floor. */
    const part a6[] = {{1, 1, 1}};
    expect want[] = {{"a6", 0, bm25(a6, 1, 1, 0.9, 0.4)}};
    check(f->idx, "nut", 0.9, 0.4, want, 1);
}

static void test_bm25__repeated_query_word(void **state)
{
    fixture *f = *state;
    /* "apple apple": wqf 2 scales the term by (k3 + 1) * 2 / (k3 + 2). */
    const part a1[] = {{2, 2, 2}}, a3[] = {{1, 2, 2}};
    expect want[] = {
        {"a1", 0, bm25(a1, 1, 3, 0.9, 0.4)},
        {"a3", 0, bm25(a3, 1, 5, 0.9, 0.4)},
    };
    check(f->idx, "apple Apple", 0.9, 0.4, want, 2);
    assert_float_equal(want[0].score,
                       bm25((const part[]){{2, 2, 1}}, 1, 3, 0.9, 0.4) *
                           (K3 + 1) * 2 / (K3 + 2),
                       1e-12);
}

/* Lucene's BM25: idf = log(1 + (N - n + 0.5) / (n + 0.5)), no (k1 + 1),
 * wqf linear, and the length as Lucene's norm byte rounds it (all the
 * fixture's lengths are under 24, so exact). */
static double lucene(const part *parts, size_t nparts, double len, double k1,
                     double b)
{
    double sum = 0;
    for (size_t i = 0; i < nparts; i++) {
        const part *p = &parts[i];
        double idf = log(1 + (N - p->n + 0.5) / (p->n + 0.5));
        sum +=
            p->wqf * idf * p->wdf / (p->wdf + k1 * (1 - b + b * len / AVGLEN));
    }
    return sum;
}

static void check_lucene(lede_index *idx, const char *query, expect *want,
                         size_t nwant)
{
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res;
    o.weighting = LEDE_WEIGHT_BM25_LUCENE;
    o.k1 = 0.9;
    o.b = 0.4;
    o.proximity = 0;
    o.per_article = 0;
    o.title_weight = 0;
    o.flags = LEDE_SEARCH_EXPLAIN;
    assert_int_equal(lede_search(&res, idx, query, &o), 0);
    qsort(want, nwant, sizeof *want, by_score);
    assert_int_equal(lede_results_count(res), nwant);
    for (size_t i = 0; i < nwant; i++) {
        size_t n;
        const lede_explain *ex = lede_results_explain(res, i, &n);
        double sum = 0;
        for (size_t k = 0; k < n; k++)
            sum += ex[k].weight;
        assert_string_equal(lede_results_article_id(res, i), want[i].id);
        assert_float_equal(lede_results_score(res, i), want[i].score, 1e-9);
        assert_float_equal(sum, want[i].score, 1e-9);
    }
    lede_results_free(res);
}

static void test_bm25__lucene(void **state)
{
    fixture *f = *state;
    /* cherry (n = 3): Lucene's idf stays positive where Xapian floors it;
     * "cherry cherry apple": wqf 2 doubles cherry's weight. */
    const part a2[] = {{1, 3, 2}}, a5[] = {{1, 3, 2}};
    const part a3[] = {{3, 3, 2}, {1, 2, 1}}, a1[] = {{2, 2, 1}};
    expect want[] = {
        {"a1", 0, lucene(a1, 1, 3, 0.9, 0.4)},
        {"a2", 0, lucene(a2, 1, 2, 0.9, 0.4)},
        {"a3", 0, lucene(a3, 2, 5, 0.9, 0.4)},
        {"a5", 0, lucene(a5, 1, 3, 0.9, 0.4)},
    };
    check_lucene(f->idx, "cherry cherry apple", want, 4);
}

/* Lucene's one-byte document lengths: exact below 24, then 4 significant
 * bits above 24, rounded down. By hand: 41 - 24 = 17 = 10001b keeps 1000b,
 * so 16 + 24 = 40; 100 - 24 = 76 = 1001100b keeps 1001000b = 72, so 96;
 * 1000 - 24 = 976 = 1111010000b keeps 1111000000b = 960, so 984. */
static void test_bm25__lucene_lengths(void **state)
{
    (void)state;
    static const uint64_t table[][2] = {
        {0, 0},   {1, 1},   {23, 23}, {24, 24}, {31, 31},  {32, 32},
        {39, 39}, {40, 40}, {41, 40}, {42, 42}, {100, 96}, {1000, 984},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        if (lede__lucene_length(table[i][0]) != table[i][1])
            fail_msg("length %llu: got %llu, expected %llu",
                     (unsigned long long)table[i][0],
                     (unsigned long long)lede__lucene_length(table[i][0]),
                     (unsigned long long)table[i][1]);
    }
    /* 255 codes, rising: every length's code decodes to at most it. */
    assert_int_equal(lede__lucene_norm(INT32_MAX), 255);
    for (unsigned c = 1; c < 256; c++)
        assert_true(lede__lucene_decode(c) > lede__lucene_decode(c - 1));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_bm25__single_term),
        T(test_bm25__frequent_term_idf_floor),
        T(test_bm25__several_terms_add_up),
        T(test_bm25__other_parameters),
        T(test_bm25__proximity),
        T(test_bm25__no_length_normalisation),
        T(test_bm25__short_passage_floor),
        T(test_bm25__repeated_query_word),
        T(test_bm25__lucene),
        cmocka_unit_test(test_bm25__lucene_lengths),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
