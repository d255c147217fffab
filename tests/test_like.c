/*
 * test_like.c - related stories: the articles most like one, never the
 * article itself nor its near-duplicates, narrowed by a query.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *dir;       /* scratch directory */
    lede_index *idx; /* the fixture index */
} fixture;

#define SUMMIT                                                                 \
    "Kim Jong Un and Donald Trump met in Singapore for a summit on nuclear "   \
    "weapons. The two leaders signed a short statement on denuclearization "   \
    "after talks at a hotel on Sentosa island. Analysts doubted the summit "   \
    "would change much."

static const struct {
    const char *id, *section, *body;
} articles[] = {
    {"sg", "world", SUMMIT},
    /* The same story, filed again with a word changed. */
    {"sg-copy", "world",
     "Kim Jong Un and Donald Trump met in Singapore for a summit on nuclear "
     "weapons. The two leaders signed a short statement on denuclearization "
     "after talks at a hotel on Sentosa island. Analysts doubted the summit "
     "would change a thing."},
    {"hanoi", "world",
     "A second summit between Kim Jong Un and Donald Trump in Hanoi ended "
     "early without a statement on nuclear weapons or denuclearization."},
    {"analysis", "politics",
     "Analysts said the Singapore summit statement on denuclearization was "
     "vague, and doubted Kim would give up nuclear weapons."},
    {"cup", "sport",
     "The cup final went to penalties after a goalless draw at the "
     "national stadium."},
    {"budget", "politics",
     "Parliament passed the budget after a long debate on taxes and "
     "spending."},
};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    f->dir = th_tempdir();
    o.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&f->idx, th_path(f->dir, "i"), &o), 0);
    for (size_t i = 0; i < sizeof articles / sizeof *articles; i++) {
        lede_field v = {"section", articles[i].section};
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = articles[i].id;
        a.title = "T";
        a.title_len = 1;
        a.body = articles[i].body;
        a.body_len = strlen(a.body);
        a.fields = &v;
        a.n_fields = 1;
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

static const char *like(lede_index *idx, const char *id, const char *query,
                        unsigned flags)
{
    static char out[256];
    lede_results *res;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.like = id;
    so.flags = flags;
    if (lede_search(&res, idx, query, &so) < 0) {
        snprintf(out, sizeof out, "error: %s", lede_error_last());
        return out;
    }
    out[0] = '\0';
    for (size_t i = 0; i < lede_results_count(res); i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s",
                 i ? " " : "", lede_results_article_id(res, i));
    lede_results_free(res);
    return out;
}

static void test_like__related(void **state)
{
    fixture *f = *state;
    /* Not sg, not its copy; the stories sharing its words, best first;
     * the others last (they share "after" alone). */
    assert_string_equal(like(f->idx, "sg", "", 0), "analysis hanoi budget cup");
    /* Without near-duplicate folding the copy still goes, as sg does. */
    assert_string_equal(like(f->idx, "sg", "", LEDE_SEARCH_NO_DEDUP),
                        "analysis hanoi budget cup");
    /* From the copy's side, sg is its near-duplicate. */
    assert_string_equal(like(f->idx, "sg-copy", "", 0),
                        "analysis hanoi budget cup");
    /* The query only narrows: a field, an exclusion, a word. */
    assert_string_equal(like(f->idx, "sg", "section:world", 0), "hanoi");
    assert_string_equal(like(f->idx, "sg", "-section:world", 0),
                        "analysis budget cup");
    assert_string_equal(like(f->idx, "sg", "hanoi", 0), "hanoi");
    /* The query read, for the record: its words, less the article. */
    char *tree;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.like = "hanoi";
    assert_int_equal(lede_query_describe(&tree, f->idx, "", &so), 0);
    assert_non_null(strstr(tree, "id:hanoi)"));
    assert_string_equal(strstr(tree, "(AND_NOT (OR "), tree);
    lede_free(tree);
}

static void test_like__errors(void **state)
{
    fixture *f = *state;
    lede_results *res = NULL;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.like = "nope";
    assert_error(lede_search(&res, f->idx, "", &so), LEDE_ENOTFOUND);
    assert_string_equal(lede_error_last(),
                        "like: no article 'nope' in the index");
    assert_null(res);
    /* A bad narrowing query is the usual error, with its column. */
    so.like = "sg";
    assert_error(lede_search(&res, f->idx, "section:world (", &so),
                 LEDE_EINVAL);
    /* Without like, an empty query is still no query. */
    so.like = NULL;
    assert_error(lede_search(&res, f->idx, "", &so), LEDE_EINVAL);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_like__related, setup, teardown),
        cmocka_unit_test_setup_teardown(test_like__errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
