/*
 * test_facet.c - facets: matching articles counted per field value and per
 * date bucket, against counts made by hand on a small corpus.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *dir;       /* scratch directory */
    lede_index *idx; /* the fixture index */
} fixture;

/* By hand, for "nuclear" (every article but a6):
 *   section: World 3 (a1, a4, a5: "WORLD" is World), Politics 1, Sport 1;
 *   author: Alex Wong 3 (a1, a2, a4; a4 gives it twice, counted once),
 *           Mia Chen 1; tag: nuclear 2, talks 1;
 *   date:year: 2018 2, 2019 3 (a3 has no date);
 *   date:month: 2018-06 2, 2019-02 2, 2019-03 1. */
static const struct {
    const char *id, *body;
    int64_t date;
    lede_field fields[4];
    size_t n;
} articles[] = {
    {"a1",
     "Nuclear talks in Singapore.",
     1528761600, /* 2018-06-12 */
     {{"section", "World"},
      {"author", "Alex Wong"},
      {"tag", "nuclear"},
      {"tag", "talks"}},
     4},
    {"a2",
     "A nuclear budget.",
     1529020800, /* 2018-06-15 */
     {{"section", "Politics"}, {"author", "Mia Chen"}, {"author", "ALEX WONG"}},
     3},
    {"a3",
     "A nuclear option in the final.",
     LEDE_NO_DATE,
     {{"section", "Sport"}},
     1},
    {"a4",
     "Nuclear summit in Hanoi.",
     1551312000, /* 2019-02-28 */
     {{"section", "WORLD"},
      {"author", "Alex Wong"},
      {"author", "alex  wong"},
      {"tag", "nuclear"}},
     4},
    {"a5",
     "Nuclear inspectors arrive.",
     1551398400, /* 2019-03-01 */
     {{"section", "World"}},
     1},
    {"a6", "Nothing of the sort here.", 1551398400, {{"section", "World"}}, 1},
    {"a7",
     "Nuclear plant opens.",
     1550000000, /* 2019-02-12 */
     {{0}},
     0},
};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    f->dir = th_tempdir();
    o.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&f->idx, th_path(f->dir, "i"), &o), 0);
    for (size_t i = 0; i < sizeof articles / sizeof *articles; i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = articles[i].id;
        a.title = "T";
        a.title_len = 1;
        a.body = articles[i].body;
        a.body_len = strlen(a.body);
        a.date = articles[i].date;
        a.fields = articles[i].n ? articles[i].fields : NULL;
        a.n_fields = articles[i].n;
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

/* Facet f of res as "name(distinct): value=n value=n". */
static const char *facet_text(const lede_results *res, size_t f)
{
    static char out[512];
    const char *name;
    uint64_t distinct;
    size_t n;
    const lede_facet_value *v =
        lede_results_facet(res, f, &name, &distinct, &n);
    snprintf(out, sizeof out, "%s(%llu):", name ? name : "?",
             (unsigned long long)distinct);
    for (size_t k = 0; k < n; k++)
        snprintf(out + strlen(out), sizeof out - strlen(out), " %s=%llu",
                 v[k].value, (unsigned long long)v[k].articles);
    return out;
}

static void test_facet__hand_counts(void **state)
{
    fixture *f = *state;
    lede_results *res;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.facets = "section, author,tag,date:year,date:month,section";
    assert_int_equal(lede_search(&res, f->idx, "nuclear", &so), 0);
    assert_int_equal(lede_results_estimated(res), 6);
    assert_int_equal(lede_results_facet_count(res), 5);
    assert_string_equal(facet_text(res, 0),
                        "section(3): World=3 Politics=1 Sport=1");
    assert_string_equal(facet_text(res, 1),
                        "author(2): Alex Wong=3 Mia Chen=1");
    assert_string_equal(facet_text(res, 2), "tag(2): nuclear=2 talks=1");
    assert_string_equal(facet_text(res, 3), "date:year(2): 2018=2 2019=3");
    assert_string_equal(facet_text(res, 4),
                        "date:month(3): 2018-06=2 2019-02=2 2019-03=1");
    assert_null(lede_results_facet(res, 5, NULL, NULL, NULL));
    lede_results_free(res);

    /* Narrowed by a filter, limited to the most frequent value. */
    so.facets = "section,author";
    so.facet_limit = 1;
    assert_int_equal(lede_search(&res, f->idx, "nuclear -section:sport", &so),
                     0);
    assert_string_equal(facet_text(res, 0), "section(2): World=3");
    assert_string_equal(facet_text(res, 1), "author(2): Alex Wong=3");
    lede_results_free(res);

    /* A value is shown in the form most of its articles give, whatever
     * came first; a tie goes to the first in byte order. */
    so.facets = "section";
    so.facet_limit = 0;
    assert_int_equal(lede_search(&res, f->idx, "hanoi OR inspectors", &so), 0);
    assert_string_equal(facet_text(res, 0), "section(1): WORLD=2");
    lede_results_free(res);

    /* No facets asked: none counted. */
    so.facets = NULL;
    assert_int_equal(lede_search(&res, f->idx, "nuclear", &so), 0);
    assert_int_equal(lede_results_facet_count(res), 0);
    assert_null(lede_results_facet(res, 0, NULL, NULL, NULL));
    lede_results_free(res);
    assert_int_equal(lede_results_facet_count(NULL), 0);

    /* Nothing matches: each facet is there, empty. */
    so.facets = "tag";
    assert_int_equal(lede_search(&res, f->idx, "zeppelin", &so), 0);
    assert_int_equal(lede_results_facet_count(res), 1);
    assert_string_equal(facet_text(res, 0), "tag(0):");
    lede_results_free(res);
}

static void test_facet__bad_requests(void **state)
{
    fixture *f = *state;
    lede_results *res = NULL;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.facets = "section,desk";
    assert_error(lede_search(&res, f->idx, "nuclear", &so), LEDE_EINVAL);
    assert_string_equal(lede_error_last(),
                        "facets: no field 'desk' (this index's fields are "
                        "author, section, source, tag; and date:year, "
                        "date:month, date:day)");
    assert_null(res);
    so.facets = "date:week";
    assert_error(lede_search(&res, f->idx, "nuclear", &so), LEDE_EINVAL);
    so.facets = "section";
    so.facet_limit = LEDE_FACET_LIMIT_MAX + 1;
    assert_error(lede_search(&res, f->idx, "nuclear", &so), LEDE_EINVAL);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_facet__hand_counts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_facet__bad_requests, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
