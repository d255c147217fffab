/*
 * test_search.c - searching fixture articles: exact orders under title
 * boosts, grouping, dates and sorting, near-duplicates folded and counted,
 * explanations that sum to the score, snippets and highlights at exact
 * offsets, and spelling suggestions.
 */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2018-06-12 and 2019-03-01, 00:00 UTC. */
#define D2018 1528761600
#define D2019 1551398400

static const char wire[] =
    "The cargo ship Ever Bright ran aground in the canal on Tuesday, "
    "blocking traffic in both directions for most of the day. Tugboats "
    "worked through the night to free the vessel, and the canal authority "
    "said normal traffic should resume by Thursday once divers have "
    "inspected the hull for damage.";
/* The same story as another paper printed it: one word changed. */
static const char wire2[] =
    "The cargo ship Ever Bright ran aground in the canal on Tuesday, "
    "blocking traffic in both directions for most of the day. Tugboats "
    "worked through the night to free the vessel, and the canal authority "
    "said normal traffic should resume by Friday once divers have "
    "inspected the hull for damage.";

static const char budget[] =
    "The committee met on Monday to discuss the annual budget for the city. "
    "After hours of debate about roads, parks, libraries and the new bus "
    "lanes, members finally agreed to fund two summits of regional mayors "
    "next spring.";

static const struct {
    const char *id, *title, *body;
    int64_t date;
} fixture_articles[] = {
    {"v1", "Harbour news",
     "The volcano near the town rumbled all night, and by morning the "
     "volcano had covered the harbour in grey ash while fishermen waited.",
     LEDE_NO_DATE},
    {"v2", "Volcano erupts",
     "Ash fell on the town after the volcano erupted again. Schools closed "
     "for the day and the airport stopped all flights until the cloud of "
     "ash had drifted out to sea.",
     LEDE_NO_DATE},
    {"d1", "Results", "Election results came in from the capital.", D2018},
    {"d2", "Campaign", "The election campaign begins in the north.", D2019},
    {"d3", "Count", "Election officials count the last ballots.", LEDE_NO_DATE},
    {"w1", "Ship blocks canal", wire, D2019},
    {"w2", "Canal blocked by cargo ship", wire2, D2019},
    {"w3", "Port traffic",
     "A second cargo vessel waited outside the port for a pilot.", D2019},
    {"b1", "City budget", budget, D2018},
};

typedef struct {
    char *dir;       /* scratch directory */
    lede_index *idx; /* the fixture index */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    f->dir = th_tempdir();
    o.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&f->idx, th_path(f->dir, "i"), &o), 0);
    for (size_t i = 0; i < sizeof fixture_articles / sizeof *fixture_articles;
         i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = fixture_articles[i].id;
        a.title = fixture_articles[i].title;
        a.title_len = strlen(a.title);
        a.body = fixture_articles[i].body;
        a.body_len = strlen(a.body);
        a.date = fixture_articles[i].date;
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

/* The article ids of a search, space-separated, in rank order. */
static void ids(char *out, size_t cap, lede_index *idx, const char *q,
                const lede_search_options *o)
{
    lede_results *res;
    size_t n = 0;
    assert_int_equal(lede_search(&res, idx, q, o), 0);
    out[0] = '\0';
    for (size_t i = 0; i < lede_results_count(res); i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " " : "",
                              lede_results_article_id(res, i));
    lede_results_free(res);
}

#define ORDER(want, q, o)                                                      \
    do {                                                                       \
        char got_[512];                                                        \
        ids(got_, sizeof got_, f->idx, q, o);                                  \
        assert_string_equal(got_, want);                                       \
    } while (0)

static void test_search__title_boost_changes_order(void **state)
{
    fixture *f = *state;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    /* Without titles, v1 (volcano twice) beats v2 (once). */
    o.title_weight = 0;
    ORDER("v1 v2", "volcano", &o);
    /* v2's title is "Volcano erupts": a strong title weight lifts it. */
    o.title_weight = 3;
    ORDER("v2 v1", "volcano", &o);
    /* title: alone finds only titles. */
    ORDER("v2", "title:volcano", &o);
}

static void test_search__required_excluded_all(void **state)
{
    fixture *f = *state;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    o.title_weight = 0;
    ORDER("v2 v1", "ash", &o);
    ORDER("v2", "ash -fishermen", &o);
    ORDER("v1 v2", "+volcano ash", &o);
    /* d3 holds "election" and "count", next to each other in the query,
     * within the proximity window: that lifts it over d1 (whose
     * "results" is rarer than d3's "count" but has no query neighbour). */
    ORDER("d3 d1 d2", "election count results", &o);
    o.proximity = 0;
    ORDER("d1 d3 d2", "election count results", &o);
    o.proximity = LEDE_DEFAULT_PROXIMITY;
    o.flags = LEDE_SEARCH_ALL;
    ORDER("", "volcano election", &o);
    ORDER("d3", "election count", &o);
}

static void test_search__dates(void **state)
{
    fixture *f = *state;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    ORDER("d1", "election date:2018", &o);
    ORDER("d2", "election date:2019-03", &o);
    ORDER("d1 d2", "election date:2018..2019", &o);
    o.date_from = D2019;
    ORDER("d2", "election", &o);
    o.date_from = LEDE_NO_DATE;
    o.date_to = D2019 - 1;
    ORDER("d1", "election", &o);
    /* Newest first; undated last. */
    o.date_to = LEDE_NO_DATE;
    o.flags = LEDE_SEARCH_SORT_DATE;
    ORDER("d2 d1 d3", "election", &o);

    lede_results *res;
    assert_int_equal(lede_search(&res, f->idx, "election date:2018", NULL), 0);
    assert_true(lede_results_date(res, 0) == D2018);
    lede_results_free(res);
}

static void test_search__near_duplicates_fold(void **state)
{
    fixture *f = *state;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res;
    /* w1 and w2 are one wire story; w3 is another. */
    assert_int_equal(lede_search(&res, f->idx, "cargo canal", &o), 0);
    assert_int_equal(lede_results_count(res), 2);
    assert_string_equal(lede_results_article_id(res, 1), "w3");
    assert_int_equal(lede_results_similar(res, 0), 1);
    assert_int_equal(lede_results_similar(res, 1), 0);
    lede_results_free(res);
    o.flags = LEDE_SEARCH_NO_DEDUP;
    assert_int_equal(lede_search(&res, f->idx, "cargo canal", &o), 0);
    assert_int_equal(lede_results_count(res), 3);
    assert_int_equal(lede_results_similar(res, 0), 0);
    lede_results_free(res);
    /* Paging counts folded results as one. */
    o.flags = 0;
    o.limit = 1;
    o.offset = 1;
    ORDER("w3", "cargo canal", &o);
}

static int add_simhash(const lede__token *t, void *payload)
{
    lede__simhash_add(payload, t->term, t->len);
    return 0;
}

static uint64_t signature(const char *text)
{
    lede__tokenizer *t;
    lede__simhash h;
    lede__simhash_init(&h);
    assert_int_equal(lede__tokenizer_new(&t), 0);
    assert_int_equal(
        lede__tokenizer_run(t, text, strlen(text), add_simhash, &h), 0);
    lede__tokenizer_free(t);
    return lede__simhash_final(&h);
}

static void test_search__simhash_distances(void **state)
{
    (void)state;
    /* One word changed in a 45-word story stays within the threshold; a
     * different story is far off; the same text is the same. */
    uint64_t a = signature(wire), b = signature(wire2), c = signature(budget);
    assert_true(lede__simhash_distance(a, signature(wire)) == 0);
    assert_true(lede__simhash_distance(a, b) <= LEDE__SIMHASH_NEAR);
    assert_true(lede__simhash_distance(a, c) > 2 * LEDE__SIMHASH_NEAR);
    assert_true(lede__simhash_distance(0, ~(uint64_t)0) == 64);
    assert_true(lede__simhash_distance(1, 3) == 1);
}

/* Every score is the sum of its explanation's weights. */
static void check_explain(lede_index *idx, const char *q, double title,
                          size_t min_hits)
{
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res;
    o.flags = LEDE_SEARCH_EXPLAIN | LEDE_SEARCH_NO_DEDUP;
    o.title_weight = title;
    o.per_article = 0;
    o.limit = 100;
    assert_int_equal(lede_search(&res, idx, q, &o), 0);
    if (lede_results_count(res) < min_hits)
        fail_msg("'%s': %zu hits, expected at least %zu", q,
                 lede_results_count(res), min_hits);
    for (size_t i = 0; i < lede_results_count(res); i++) {
        size_t n;
        const lede_explain *ex = lede_results_explain(res, i, &n);
        double sum = 0;
        for (size_t k = 0; k < n; k++) {
            assert_true(ex[k].tf > 0 && ex[k].df > 0 && ex[k].length > 0);
            sum += ex[k].weight;
        }
        if (fabs(sum - lede_results_score(res, i)) > 1e-6)
            fail_msg("'%s' hit %zu: explain sums to %.9f, score %.9f", q, i,
                     sum, lede_results_score(res, i));
    }
    lede_results_free(res);
}

static void test_search__explain_sums_to_score(void **state)
{
    fixture *f = *state;
    check_explain(f->idx, "volcano", 0, 2);
    check_explain(f->idx, "volcano", 1, 2);
    check_explain(f->idx, "volcano ash town", 1.5, 2);
    check_explain(f->idx, "ash ash volcano", 1, 2);
    check_explain(f->idx, "\"the volcano\"", 1, 2);
    check_explain(f->idx, "\"volcano ash\"~9 town", 1, 2);
    check_explain(f->idx, "+volcano ash harbour", 1, 2);
    check_explain(f->idx, "ash -fishermen", 1, 1);
    check_explain(f->idx, "volc* elect*", 1, 5);
    check_explain(f->idx, "title:volcano OR election", 1, 4);
    check_explain(f->idx, "(cargo OR canal) AND ship date:2019", 1, 2);

    /* One term's numbers, against the formula. */
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res;
    o.flags = LEDE_SEARCH_EXPLAIN;
    o.title_weight = 0;
    assert_int_equal(lede_search(&res, f->idx, "fishermen", &o), 0);
    size_t n;
    const lede_explain *ex = lede_results_explain(res, 0, &n);
    assert_int_equal(n, 1);
    assert_string_equal(ex[0].term, "fishermen");
    assert_int_equal(ex[0].tf, 1);
    assert_int_equal(ex[0].df, 1);
    /* v1's passage: 23 words of body and 2 of title. */
    assert_int_equal(ex[0].length, 25);
    lede_index_info info;
    assert_int_equal(lede_index_stat(&info, f->idx), 0);
    double N = (double)info.passages;
    assert_float_equal(ex[0].idf, log((N - 1 + 0.5) / 1.5), 1e-12);
    lede_results_free(res);
    /* Without the flag there is no explanation. */
    assert_int_equal(lede_search(&res, f->idx, "fishermen", NULL), 0);
    assert_null(lede_results_explain(res, 0, &n));
    assert_int_equal(n, 0);
    lede_results_free(res);
}

/* Nested ANDs are explained in time linear in their depth: evaluating
 * each child twice (to test, then to weigh) took 2^depth steps. */
static void test_search__explain_deep_nesting(void **state)
{
    fixture *f = *state;
    char q[1024];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "(the AND ");
    n += (size_t)snprintf(q + n, sizeof q - n, "summit");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, ")");
    assert_true(n < sizeof q);
    check_explain(f->idx, q, 1, 1);
    check_explain(f->idx, q, 0, 1);
}

/* A second index: dated and undated articles about one story, and short
 * texts with a repeated word. */
static const struct {
    const char *id, *title, *body;
    int64_t date;
} news_articles[] = {
    {"n1", "Summit", "Trump met Kim in Singapore for the summit.", D2018},
    {"n2", "Talks", "Trump and Kim talked again in Hanoi.", D2019},
    {"n3", "Letters", "Kim wrote letters to Trump from Singapore.", D2019},
    {"n4", "Rally", "Trump praised Kim at a rally.", LEDE_NO_DATE},
    {"n5", "Travel", "Kim travelled by train.", D2019 + 86400 * 200},
    {"c1", "Cat", "the cat sat", LEDE_NO_DATE},
    {"c2", "Dog", "the dog and the cat sat", LEDE_NO_DATE},
    {"c3", "Typo", "it was the the end, he sat", LEDE_NO_DATE},
};

static int setup_news(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    f->dir = th_tempdir();
    o.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&f->idx, th_path(f->dir, "i"), &o), 0);
    for (size_t i = 0; i < sizeof news_articles / sizeof *news_articles; i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = news_articles[i].id;
        a.title = news_articles[i].title;
        a.title_len = strlen(a.title);
        a.body = news_articles[i].body;
        a.body_len = strlen(a.body);
        a.date = news_articles[i].date;
        assert_int_equal(lede_index_add(f->idx, &a), 0);
    }
    assert_int_equal(lede_index_commit(f->idx), 0);
    *state = f;
    return 0;
}

/* A date range, an exclusion or a filter below the top of the query
 * decides whether its branch weighs: a passage outside the range (or
 * without a date) or holding the excluded word gets only the other
 * branch's weight. */
static void test_search__explain_nested_filters(void **state)
{
    fixture *f = *state;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    o.flags = LEDE_SEARCH_NO_DEDUP;
    o.per_article = 0;
    /* n1 (2018) and n4 (undated) match through trump alone, n5 (no
     * Trump) through kim in 2019. */
    ORDER("n2 n3 n4 n1 n5", "trump (kim date:2019)", &o);
    for (int t = 0; t <= 1; t++) {
        check_explain(f->idx, "trump (kim date:2019)", t, 4);
        check_explain(f->idx, "trump (kim date:2019-03-01)", t, 4);
        check_explain(f->idx, "trump (kim date:..2018)", t, 4);
        check_explain(f->idx, "trump (kim -singapore)", t, 4);
        check_explain(f->idx, "trump (kim NOT singapore)", t, 4);
        check_explain(f->idx, "trump OR (kim AND (date:2019 OR zzzz))", t, 4);
        check_explain(f->idx, "trump OR (kim AND NOT (singapore OR hanoi))", t,
                      4);
        check_explain(f->idx, "trump OR (kim AND (date:2018.. OR zzzz))", t, 4);
        check_explain(f->idx, "(trump (kim -singapore)) date:2019", t, 2);
    }
}

/* A repeated word in a NEAR needs one position per occurrence, as in
 * Xapian; in a phrase too. */
static void test_search__explain_repeated_words(void **state)
{
    fixture *f = *state;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    o.flags = LEDE_SEARCH_NO_DEDUP;
    o.title_weight = 0;
    /* c1 has one "the": it matches through "sat" alone. */
    ORDER("c3", "\"the the\"~1", &o);
    ORDER("c2 c3", "\"the the\"~2", &o);
    ORDER("c3", "\"the the\"", &o);
    for (int t = 0; t <= 1; t++) {
        check_explain(f->idx, "sat \"the the\"~1", t, 3);
        check_explain(f->idx, "sat \"the the\"~2", t, 3);
        check_explain(f->idx, "sat \"the the\"~9", t, 3);
        check_explain(f->idx, "sat \"the the the\"~9", t, 3);
        check_explain(f->idx, "sat \"the cat the\"~3", t, 3);
        check_explain(f->idx, "sat \"the the\"", t, 3);
        check_explain(f->idx, "sat \"was the the\"", t, 3);
    }
}

static char *snippet(lede_results *res, size_t i, const char *a, const char *b)
{
    char *s;
    assert_int_equal(lede_results_snippet(&s, res, i, a, b), 0);
    return s;
}

static void test_search__snippets_and_highlights(void **state)
{
    fixture *f = *state;
    lede_results *res;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    size_t n;

    /* "summit" finds "summits" (word 32 of 38); the snippet is the last 30
     * words, cut before. */
    assert_int_equal(lede_search(&res, f->idx, "summit", &o), 0);
    assert_string_equal(lede_results_article_id(res, 0), "b1");
    const lede_span *hl = lede_results_highlights(res, 0, &n);
    assert_int_equal(n, 1);
    const char *text = lede_results_text(res, 0);
    assert_int_equal(hl[0].start, (size_t)(strstr(text, "summits") - text));
    assert_int_equal(hl[0].end, hl[0].start + 7);
    char *s = snippet(res, 0, "[", "]");
    assert_string_equal(s, "\xe2\x80\xa6"
                           "annual budget for the city. After hours of "
                           "debate about "
                           "roads, parks, libraries and the new bus lanes, "
                           "members finally agreed to fund two [summits] of "
                           "regional mayors next spring.");
    lede_free(s);
    s = snippet(res, 0, NULL, NULL);
    assert_non_null(strstr(s, " two summits of "));
    lede_free(s);
    lede_results_free(res);

    /* A phrase is one span; the snippet around it, cut at both ends. */
    o.snippet_words = 8;
    assert_int_equal(lede_search(&res, f->idx, "\"bus lanes\"", &o), 0);
    hl = lede_results_highlights(res, 0, &n);
    assert_int_equal(n, 1);
    text = lede_results_text(res, 0);
    assert_int_equal(hl[0].start, (size_t)(strstr(text, "bus lanes") - text));
    assert_int_equal(hl[0].end, hl[0].start + 9);
    s = snippet(res, 0, "<b>", "</b>");
    /* 8 words: the phrase's 2 and 3 on either side. */
    assert_string_equal(s, "\xe2\x80\xa6"
                           "and the new <b>bus lanes</b>, members finally "
                           "agreed\xe2\x80\xa6");
    lede_free(s);
    lede_results_free(res);

    /* Several terms: each word highlighted, in order; excluded and
     * title-only words not at all. */
    o.snippet_words = 0;
    o.title_weight = 1;
    assert_int_equal(lede_search(&res, f->idx, "volcano town -fishermen", &o),
                     0);
    assert_string_equal(lede_results_article_id(res, 0), "v2");
    s = snippet(res, 0, "*", "*");
    assert_string_equal(s, "Ash fell on the *town* after the *volcano* "
                           "erupted again. Schools closed for the day and "
                           "the airport stopped all flights until the cloud "
                           "of ash had drifted out to\xe2\x80\xa6");
    lede_free(s);
    assert_int_equal(lede_results_snippet(&s, res, 99, NULL, NULL),
                     LEDE_EINVAL);
    assert_null(s);

    /* Without highlights: the same hits and texts, no spans, and the
     * whole passage for a snippet. */
    lede_results *plain;
    o.flags = LEDE_SEARCH_NO_HIGHLIGHTS;
    assert_int_equal(lede_search(&plain, f->idx, "volcano town -fishermen", &o),
                     0);
    assert_int_equal(lede_results_count(plain), lede_results_count(res));
    for (size_t i = 0; i < lede_results_count(res); i++) {
        assert_string_equal(lede_results_article_id(plain, i),
                            lede_results_article_id(res, i));
        assert_string_equal(lede_results_text(plain, i),
                            lede_results_text(res, i));
        assert_null(lede_results_highlights(plain, i, &n));
        assert_int_equal(n, 0);
        s = snippet(plain, i, "*", "*");
        assert_string_equal(s, lede_results_text(res, i));
        lede_free(s);
    }
    lede_results_free(plain);
    lede_results_free(res);
}

static void test_search__suggestions(void **state)
{
    fixture *f = *state;
    lede_results *res;
    assert_int_equal(lede_search(&res, f->idx, "vulcano harbr", NULL), 0);
    assert_int_equal(lede_results_count(res), 0);
    assert_string_equal(lede_results_suggestion(res), "volcano harbour");
    lede_results_free(res);
    /* Known words, and the syntax around them, stay as typed. */
    assert_int_equal(lede_search(&res, f->idx, "+vlcano Election", NULL), 0);
    assert_int_equal(lede_results_count(res), 0);
    assert_string_equal(lede_results_suggestion(res), "+volcano Election");
    lede_results_free(res);
    /* No suggestion for what matches, or for what is too far. */
    assert_int_equal(lede_search(&res, f->idx, "volcano", NULL), 0);
    assert_null(lede_results_suggestion(res));
    lede_results_free(res);
    assert_int_equal(lede_search(&res, f->idx, "qqqqzzzz", NULL), 0);
    assert_null(lede_results_suggestion(res));
    lede_results_free(res);
}

/* An index of paragraph passages: article i is bodies[i]. */
static lede_index *paragraph_index(const char *dir, const char *const *bodies,
                                   size_t n)
{
    lede_index *idx;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    o.mode = LEDE_OPEN_CREATE;
    o.paragraph_passages = 1;
    assert_int_equal(lede_index_open(&idx, th_path(dir, "p"), &o), 0);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "a%zu", i + 1);
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = id;
        a.title = "";
        a.body = bodies[i];
        a.body_len = strlen(bodies[i]);
        assert_int_equal(lede_index_add(idx, &a), 0);
    }
    assert_int_equal(lede_index_commit(idx), 0);
    return idx;
}

/* The count of q's articles, which must be exact. */
static uint64_t exact_count(lede_index *idx, const char *q,
                            unsigned per_article, unsigned flags, size_t offset)
{
    lede_results *res;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    o.per_article = per_article;
    o.flags = flags;
    o.offset = offset;
    assert_int_equal(lede_search(&res, idx, q, &o), 0);
    assert_int_equal(lede_results_exact(res), 1);
    uint64_t n = lede_results_estimated(res);
    lede_results_free(res);
    return n;
}

static void test_search__counts_articles_not_passages(void **state)
{
    (void)state;
    /* By hand: "tide" is in 6 passages of 3 articles, "reef" in 2
     * passages of 2 articles, one of them also with "tide". */
    static const char *const bodies[] = {
        "The tide rose early.\n\nA second tide came at noon.\n\nThe "
        "evening tide flooded the quay.",
        "Fishermen watched the tide.\n\nThe tide turned by dusk.",
        "A spring tide is due.\n\nDivers mapped the reef.",
        "The reef is bleaching, scientists said.",
    };
    char *dir = th_tempdir();
    lede_index *idx = paragraph_index(dir, bodies, 4);
    lede_index_info info;
    assert_int_equal(lede_index_stat(&info, idx), 0);
    assert_int_equal(info.passages, 8);
    for (unsigned per = 0; per <= 2; per++) {
        assert_int_equal(exact_count(idx, "tide", per, 0, 0), 3);
        assert_int_equal(exact_count(idx, "reef", per, 0, 0), 2);
        assert_int_equal(exact_count(idx, "tide reef", per, 0, 0), 4);
        /* Exclusion is by passage: a3's tide passage has no reef. */
        assert_int_equal(exact_count(idx, "tide -reef", per, 0, 0), 3);
        assert_int_equal(exact_count(idx, "+tide +reef", per, 0, 0), 0);
        assert_int_equal(exact_count(idx, "tide", per, LEDE_SEARCH_COUNT, 0),
                         3);
        assert_int_equal(exact_count(idx, "tide", per, LEDE_SEARCH_NO_DEDUP, 0),
                         3);
        assert_int_equal(exact_count(idx, "zeppelin", per, 0, 0), 0);
    }
    /* A page past the last result still counts the matches. */
    assert_int_equal(exact_count(idx, "tide", 1, 0, 5), 3);
    assert_int_equal(lede_results_exact(NULL), 0);
    lede_index_free(idx);
    th_rmtree(dir);
    free(dir);
}

/* 300 articles of 3 passages, each with "tide" in every passage, words
 * of its own, and "government"; article 7 also has "goverment". */
#define MANY 300
static lede_index *many_index(const char *dir)
{
    static char text[MANY][256];
    const char *bodies[MANY];
    for (unsigned i = 0; i < MANY; i++) {
        snprintf(text[i], sizeof text[i],
                 "The tide w%ux came in%s.\n\nThe government said the tide "
                 "v%uy was high%s.\n\nA tide u%uz ran out.",
                 i, i % 10 == 1 && i < 40 ? " tidy" : "", i * 7,
                 i % 100 == 6 ? " for the goverment" : "", i * 13);
        bodies[i] = text[i];
    }
    return paragraph_index(dir, bodies, MANY);
}

static void test_search__estimate_never_above_articles(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    lede_index *idx = many_index(dir);
    lede_results *res;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    for (unsigned per = 0; per <= 1; per++) {
        o.per_article = per;
        o.flags = 0;
        assert_int_equal(lede_search(&res, idx, "tide", &o), 0);
        assert_int_equal(lede_results_count(res), 10);
        /* Too many to count by default: an estimate of articles, not of
         * the 900 passages, and never above the 300 articles. */
        assert_int_equal(lede_results_exact(res), 0);
        assert_true(lede_results_estimated(res) >= 10);
        assert_true(lede_results_estimated(res) <= MANY);
        lede_results_free(res);
        o.flags = LEDE_SEARCH_COUNT;
        assert_int_equal(lede_search(&res, idx, "tide", &o), 0);
        assert_int_equal(lede_results_exact(res), 1);
        assert_int_equal(lede_results_estimated(res), MANY);
        lede_results_free(res);
    }
    lede_index_free(idx);
    th_rmtree(dir);
    free(dir);
}

/* Fewer than 500 matching passages are counted exactly, however loose
 * Xapian's bound on them: 200 articles of two passages, the words in
 * each passage and in the title (their terms sum to 1,600 passages, for
 * 400 that match). */
static void test_search__exact_under_loose_bound(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    lede_index *idx;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.mode = LEDE_OPEN_CREATE;
    io.paragraph_passages = 1;
    assert_int_equal(lede_index_open(&idx, th_path(dir, "b"), &io), 0);
    for (unsigned i = 0; i < 200; i++) {
        char id[32], body[96];
        snprintf(id, sizeof id, "a%u", i);
        snprintf(body, sizeof body,
                 "Alpha and beta met q%ux.\n\nBeta saw alpha r%uy.", i, i);
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = id;
        a.title = "Alpha beta";
        a.body = body;
        a.body_len = strlen(body);
        assert_int_equal(lede_index_add(idx, &a), 0);
    }
    assert_int_equal(lede_index_commit(idx), 0);
    lede_results *res;
    assert_int_equal(lede_search(&res, idx, "alpha beta", NULL), 0);
    assert_int_equal(lede_results_exact(res), 1);
    assert_int_equal(lede_results_estimated(res), 200);
    lede_results_free(res);
    lede_index_free(idx);
    th_rmtree(dir);
    free(dir);
}

/* Past 500 matching passages the count is an estimate, and a fair one
 * also where a date range cuts the matches: 2000 one-passage articles,
 * the first 1000 dated 2018 and the next 1000 2019, in that order. */
static void test_search__estimate_with_date_range(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    lede_index *idx;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&idx, th_path(dir, "d"), &io), 0);
    for (int i = 0; i < 2000; i++) {
        char id[32], body[64];
        snprintf(id, sizeof id, "a%d", i);
        snprintf(body, sizeof body, "The tide report number w%dx.", i);
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = id;
        a.title = "";
        a.body = body;
        a.body_len = strlen(body);
        /* 2018-01-01 or 2019-01-01, plus i minutes. */
        a.date = (i < 1000 ? 1514764800 : 1546300800) + (int64_t)i * 60;
        assert_int_equal(lede_index_add(idx, &a), 0);
    }
    assert_int_equal(lede_index_commit(idx), 0);
    static const char *const queries[] = {"tide date:2019", "tide date:2018",
                                          "tide", "report -date:2018"};
    static const uint64_t truth[] = {1000, 1000, 2000, 1000};
    for (size_t k = 0; k < 4; k++) {
        lede_results *res;
        assert_int_equal(lede_search(&res, idx, queries[k], NULL), 0);
        uint64_t n = lede_results_estimated(res);
        if (!lede_results_exact(res) &&
            (n < truth[k] * 4 / 5 || n > truth[k] * 6 / 5))
            fail_msg("'%s': about %llu, not within a fifth of %llu", queries[k],
                     (unsigned long long)n, (unsigned long long)truth[k]);
        assert_true(!lede_results_exact(res) || n == truth[k]);
        lede_results_free(res);
    }
    lede_index_free(idx);
    th_rmtree(dir);
    free(dir);
}

static void test_search__suggestions_with_matches(void **state)
{
    fixture *f = *state;
    lede_results *res;
    /* "ash" matches, "vulcano" is not in the index. */
    assert_int_equal(lede_search(&res, f->idx, "vulcano ash", NULL), 0);
    assert_int_equal(lede_results_count(res), 2);
    assert_string_equal(lede_results_suggestion(res), "volcano ash");
    lede_results_free(res);
    /* A word in the index, in 3 passages, 100 times rarer than one an
     * edit away. */
    char *dir = th_tempdir();
    lede_index *idx = many_index(dir);
    assert_int_equal(lede_search(&res, idx, "goverment", NULL), 0);
    assert_int_equal(lede_results_count(res), 3);
    assert_string_equal(lede_results_suggestion(res), "government");
    lede_results_free(res);
    /* In 4 passages it is taken as a word of its own, though "tide" is 225
     * times as frequent: at 4 passages or more, nearly every neighbour
     * offered was another word (docs/evaluation.md). */
    assert_int_equal(lede_search(&res, idx, "tidy", NULL), 0);
    assert_int_equal(lede_results_count(res), 4);
    assert_null(lede_results_suggestion(res));
    lede_results_free(res);
    assert_int_equal(lede_search(&res, idx, "government", NULL), 0);
    assert_null(lede_results_suggestion(res));
    lede_results_free(res);
    lede_index_free(idx);
    th_rmtree(dir);
    free(dir);
}

static void test_search__note_says_why_dates_match_nothing(void **state)
{
    fixture *f = *state;
    lede_results *res;
    assert_int_equal(lede_search(&res, f->idx, "election date:2005", NULL), 0);
    assert_int_equal(lede_results_count(res), 0);
    assert_string_equal(lede_results_note(res),
                        "no article is dated in that range: the index's "
                        "dates run from 2018-06-12 to 2019-03-01");
    lede_results_free(res);
    /* Dates within the index's: nothing to explain. */
    assert_int_equal(lede_search(&res, f->idx, "volcano date:2018", NULL), 0);
    assert_int_equal(lede_results_count(res), 0);
    assert_null(lede_results_note(res));
    lede_results_free(res);
    assert_int_equal(lede_search(&res, f->idx, "election date:2018", NULL), 0);
    assert_int_equal(lede_results_count(res), 1);
    assert_null(lede_results_note(res));
    lede_results_free(res);
    static const char *const bodies[] = {"The tide rose early."};
    char *dir = th_tempdir();
    lede_index *idx = paragraph_index(dir, bodies, 1);
    assert_int_equal(lede_search(&res, idx, "date:2005", NULL), 0);
    assert_int_equal(lede_results_count(res), 0);
    assert_string_equal(lede_results_note(res),
                        "no article in the index has a date");
    lede_results_free(res);
    lede_index_free(idx);
    th_rmtree(dir);
    free(dir);
    assert_null(lede_results_note(NULL));
}

static void test_search__bad_options(void **state)
{
    fixture *f = *state;
    lede_results *res = (lede_results *)1;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    o.title_weight = -0.5;
    assert_error(lede_search(&res, f->idx, "ash", &o), LEDE_EINVAL);
    assert_null(res);
    o.title_weight = NAN;
    assert_error(lede_search(&res, f->idx, "ash", &o), LEDE_EINVAL);
    /* Version 1 options still work, with version 2's defaults. */
    o = (lede_search_options)LEDE_SEARCH_OPTIONS_INIT;
    o.version = 1;
    o.flags = 12345; /* not read: version 1 has no flags */
    assert_int_equal(lede_search(&res, f->idx, "ash", &o), 0);
    assert_int_equal(lede_results_count(res), 2);
    lede_results_free(res);
    assert_null(lede_results_highlights(NULL, 0, NULL));
    assert_null(lede_results_explain(NULL, 0, NULL));
    assert_null(lede_results_suggestion(NULL));
    assert_int_equal(lede_results_similar(NULL, 0), 0);
}

/* Index n articles (id, title, body; NULL for none) into a new index. */
static lede_index *edge_index(const char *dir, const char *const (*arts)[3],
                              size_t n, unsigned passage_words)
{
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    o.mode = LEDE_OPEN_CREATE;
    o.passage_words = passage_words;
    assert_int_equal(lede_index_open(&idx, th_path(dir, "i"), &o), 0);
    for (size_t i = 0; i < n; i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = arts[i][0];
        a.title = arts[i][1];
        a.title_len = a.title ? strlen(a.title) : 0;
        a.body = arts[i][2];
        a.body_len = a.body ? strlen(a.body) : 0;
        a.date = arts[i][1] || arts[i][2] ? LEDE_NO_DATE : D2019;
        assert_int_equal(lede_index_add(idx, &a), 0);
    }
    assert_int_equal(lede_index_commit(idx), 0);
    return idx;
}

/* An article without a body, or without a title, or without either
 * (found by its date): every getter gives an empty string where there is
 * nothing, never bytes from memory, and an empty snippet is "". */
static void test_search__empty_title_and_body(void **state)
{
    th_dir *d = *state;
    static const char *const arts[][3] = {
        {"no-body", "Volcano erupts", ""},
        {"no-title", "", "A volcano erupted at dawn."},
        {"null-body", "Volcano news", NULL},
        {"nothing", NULL, NULL},
    };
    lede_index *idx = edge_index(d->dir, arts, 4, 0);
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res;
    size_t n;
    char *s;

    o.flags = LEDE_SEARCH_EXPLAIN;
    assert_int_equal(lede_search(&res, idx, "volcano", &o), 0);
    assert_int_equal(lede_results_count(res), 3);
    assert_string_equal(lede_results_article_id(res, 0), "no-title");
    assert_string_equal(lede_results_title(res, 0), "");
    assert_string_equal(lede_results_text(res, 0),
                        "A volcano erupted at dawn.");
    for (size_t i = 1; i < 3; i++) {
        assert_string_equal(lede_results_article_id(res, i),
                            i == 1 ? "no-body" : "null-body");
        assert_string_equal(lede_results_text(res, i), "");
        assert_int_equal(lede_results_start(res, i), 0);
        assert_int_equal(lede_results_end(res, i), 0);
        assert_null(lede_results_highlights(res, i, &n));
        assert_int_equal(n, 0);
        for (int marks = 0; marks <= 1; marks++) {
            s = snippet(res, i, marks ? "[" : NULL, marks ? "]" : NULL);
            assert_string_equal(s, "");
            lede_free(s);
        }
        const lede_explain *ex = lede_results_explain(res, i, &n);
        assert_int_equal(n, 1);
        assert_string_equal(ex[0].term, "title:volcano");
        assert_true(fabs(ex[0].weight - lede_results_score(res, i)) < 1e-9);
    }
    lede_results_free(res);

    assert_int_equal(lede_search(&res, idx, "date:2019-03-01", &o), 0);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_article_id(res, 0), "nothing");
    assert_string_equal(lede_results_title(res, 0), "");
    assert_string_equal(lede_results_text(res, 0), "");
    assert_string_equal(lede_results_url(res, 0), "");
    s = snippet(res, 0, "[", "]");
    assert_string_equal(s, "");
    lede_free(s);
    assert_null(lede_results_explain(res, 0, &n));
    assert_int_equal(n, 0);
    lede_results_free(res);
    lede_index_free(idx);
}

/* A query that matches an article only through its title matches every
 * passage alike (each carries the title); the shortest won on length and
 * showed a passage without a word of the query. The first passage stands
 * for the article then; a passage that matches in its text still wins,
 * and with all passages asked for, each shows itself. */
static void test_search__title_only_match_shows_first_passage(void **state)
{
    th_dir *d = *state;
    /* Passages of at most eight words: the eruption story's are [0, 46),
     * "town." [47, 52) (the shortest), [53, 91) (the one that says
     * "ash"), [92, 107) and [108, 124). */
    static const char *const arts[][3] = {
        {"eruption", "Volcano erupts",
         "Schools closed early on Monday in the mountain town. "
         "Grey ash fell over the harbour and the fields all day. "
         "Flights resumed."},
        {"harbour", "Harbour news", "Boats stayed in the harbour all week."},
    };
    lede_index *idx = edge_index(d->dir, arts, 2, 8);
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res;
    size_t n;

    static const char *const title_only[] = {"title:volcano", "volcano",
                                             "title:erupts volcano"};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(lede_search(&res, idx, title_only[k], &o), 0);
        assert_int_equal(lede_results_count(res), 1);
        assert_string_equal(lede_results_article_id(res, 0), "eruption");
        assert_int_equal(lede_results_passage(res, 0), 0);
        assert_int_equal(lede_results_start(res, 0), 0);
        assert_int_equal(lede_results_end(res, 0), 46);
        assert_string_equal(lede_results_text(res, 0),
                            "Schools closed early on Monday in the mountain");
        assert_null(lede_results_highlights(res, 0, &n));
        lede_results_free(res);
    }

    /* A word of the text: its passage, highlighted. */
    assert_int_equal(lede_search(&res, idx, "volcano ash", &o), 0);
    assert_string_equal(lede_results_article_id(res, 0), "eruption");
    assert_int_equal(lede_results_passage(res, 0), 2);
    assert_int_equal(lede_results_start(res, 0), 53);
    assert_non_null(lede_results_highlights(res, 0, &n));
    assert_int_equal(n, 1);
    lede_results_free(res);

    /* Every passage: each its own, shortest first as ranked. */
    o.per_article = 0;
    assert_int_equal(lede_search(&res, idx, "title:volcano", &o), 0);
    assert_int_equal(lede_results_count(res), 5);
    assert_int_equal(lede_results_passage(res, 0), 1);
    assert_string_equal(lede_results_text(res, 0), "town.");
    lede_results_free(res);
    lede_index_free(idx);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_search__title_boost_changes_order),
        T(test_search__required_excluded_all),
        T(test_search__dates),
        T(test_search__near_duplicates_fold),
        cmocka_unit_test(test_search__simhash_distances),
        T(test_search__explain_sums_to_score),
        T(test_search__explain_deep_nesting),
        cmocka_unit_test_setup_teardown(test_search__explain_nested_filters,
                                        setup_news, teardown),
        cmocka_unit_test_setup_teardown(test_search__explain_repeated_words,
                                        setup_news, teardown),
        T(test_search__snippets_and_highlights),
        T(test_search__suggestions),
        T(test_search__suggestions_with_matches),
        T(test_search__note_says_why_dates_match_nothing),
        cmocka_unit_test(test_search__counts_articles_not_passages),
        cmocka_unit_test(test_search__estimate_never_above_articles),
        cmocka_unit_test(test_search__estimate_with_date_range),
        cmocka_unit_test(test_search__exact_under_loose_bound),
        T(test_search__bad_options),
        cmocka_unit_test_setup_teardown(test_search__empty_title_and_body,
                                        th_setup_dir, th_teardown_dir),
        cmocka_unit_test_setup_teardown(
            test_search__title_only_match_shows_first_passage, th_setup_dir,
            th_teardown_dir),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
