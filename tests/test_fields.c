/*
 * test_fields.c - keyword fields: the names allowed, the values an article
 * carries into the index, the filters of the query language over them,
 * the values a hit shows, and the list of an index's fields.
 */
#include "helpers.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *dir;       /* scratch directory */
    lede_index *idx; /* the fixture index, open for writing */
} fixture;

/* Four articles: who wrote them, on which desk, tagged how, from where. */
static const struct {
    const char *id, *title, *body, *path;
    lede_field fields[4];
    size_t n;
} articles[] = {
    {"a1",
     "Summit in Singapore",
     "Leaders met in Singapore for a nuclear summit.",
     "world/asia/a1.txt",
     {{"author", "Alex  Wong"},
      {"section", "World"},
      {"tag", "nuclear"},
      {"tag", "Diplomacy"}},
     4},
    {"a2",
     "Budget vote",
     "Parliament passed the budget after a nuclear debate.",
     "politics/a2.txt",
     {{"author", "Mia Chen"}, {"author", "ALEX WONG"}, {"section", "Politics"}},
     3},
    {"a3",
     "Cup final",
     "The nuclear option was a penalty shoot-out in the final.",
     "sport/a3.txt",
     {{"section", "Sport"}, {"desk", "Metro"}},
     2},
    {"a4", "Plain", "A nuclear story with no fields at all.", NULL, {{0}}, 0},
};

static void add_all(lede_index *idx)
{
    for (size_t i = 0; i < sizeof articles / sizeof *articles; i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = articles[i].id;
        a.title = articles[i].title;
        a.title_len = strlen(a.title);
        a.body = articles[i].body;
        a.body_len = strlen(a.body);
        a.fields = articles[i].n ? articles[i].fields : NULL;
        a.n_fields = articles[i].n;
        a.path = articles[i].path;
        assert_int_equal(lede_index_add(idx, &a), 0);
    }
    assert_int_equal(lede_index_commit(idx), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    f->dir = th_tempdir();
    o.mode = LEDE_OPEN_CREATE;
    o.fields = "region";
    assert_int_equal(lede_index_open(&f->idx, th_path(f->dir, "i"), &o), 0);
    add_all(f->idx);
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

/* The ids of the hits of query, in rank order, space-separated. */
static const char *ids(lede_index *idx, const char *query)
{
    static char out[256];
    lede_results *res;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.limit = 20;
    int rc = lede_search(&res, idx, query, &so);
    if (rc < 0) {
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

static void test_fields__name_check(void **state)
{
    (void)state;
    assert_int_equal(lede_field_name_check("author"), 0);
    assert_int_equal(lede_field_name_check("desk_2"), 0);
    assert_error(lede_field_name_check(""), LEDE_EINVAL);
    assert_error(lede_field_name_check("Desk"), LEDE_EINVAL);
    assert_error(lede_field_name_check("2desk"), LEDE_EINVAL);
    assert_error(lede_field_name_check("de-sk"), LEDE_EINVAL);
    assert_error(lede_field_name_check("title"), LEDE_EINVAL);
    assert_string_equal(lede_error_last(),
                        "field name 'title' is a name of the query language "
                        "(title, date, dir, id, url, text)");
    assert_error(lede_field_name_check("dir"), LEDE_EINVAL);
    assert_error(lede_field_name_check(NULL), LEDE_EINVAL);
    assert_error(lede_field_name_check("a23456789012345678901234567890123"),
                 LEDE_EINVAL);
    assert_int_equal(lede_field_name_check("a2345678901234567890123456789012"),
                     0);
}

/* Filters narrow, alone, negated, in OR and AND, over folded values. */
static void test_fields__filters(void **state)
{
    fixture *f = *state;
    lede_index *idx = f->idx;
    /* Each alone: every article holding the value, unranked (weight 0),
     * so in the order of the index. */
    assert_string_equal(ids(idx, "section:world"), "a1");
    assert_string_equal(ids(idx, "author:\"alex wong\""), "a1 a2");
    assert_string_equal(ids(idx, "AUTHOR:\"Alex   Wong\""), "a1 a2");
    assert_string_equal(ids(idx, "tag:diplomacy"), "a1");
    assert_string_equal(ids(idx, "desk:metro"), "a3");
    assert_string_equal(ids(idx, "section:nowhere"), "");
    /* Beside words: the words rank, the filter narrows. */
    assert_string_equal(ids(idx, "nuclear section:politics"), "a2");
    assert_string_equal(ids(idx, "nuclear -section:politics"), "a4 a1 a3");
    assert_string_equal(ids(idx, "nuclear NOT author:\"alex wong\""), "a4 a3");
    assert_string_equal(ids(idx, "nuclear (section:sport OR tag:nuclear)"),
                        "a1 a3");
    assert_string_equal(ids(idx, "section:world OR section:sport"), "a1 a3");
    assert_string_equal(ids(idx, "nuclear AND section:world"), "a1");
    /* dir: is a folder of the path, at any depth from the root; id: the
     * article. */
    assert_string_equal(ids(idx, "dir:world"), "a1");
    assert_string_equal(ids(idx, "dir:world/asia/"), "a1");
    assert_string_equal(ids(idx, "dir:asia"), "");
    assert_string_equal(ids(idx, "nuclear -dir:world -dir:sport"), "a4 a2");
    assert_string_equal(ids(idx, "id:a3"), "a3");
    /* An unknown field names the index's fields, the declared one and
     * the one an article brought (desk) among them. */
    assert_string_equal(ids(idx, "nuclear secton:world"),
                        "error: query: unknown field 'secton:' (this index's "
                        "fields are author, desk, region, section, source, "
                        "tag; and title:, date:, dir:, id:; put text with a "
                        "colon in quotes) at column 9");
}

/* A filter in an OR adds no weight: the scores are the words' alone. */
static void test_fields__filters_never_weigh(void **state)
{
    fixture *f = *state;
    lede_results *a, *b;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    assert_int_equal(lede_search(&a, f->idx, "nuclear", &so), 0);
    assert_int_equal(
        lede_search(&b, f->idx, "nuclear OR section:world OR tag:x", &so), 0);
    assert_int_equal(lede_results_count(a), 4);
    assert_int_equal(lede_results_count(b), 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(lede_results_article_id(a, i),
                            lede_results_article_id(b, i));
        assert_float_equal(lede_results_score(a, i), lede_results_score(b, i),
                           1e-12);
    }
    lede_results_free(a);
    lede_results_free(b);
    assert_int_equal(lede_search(&a, f->idx, "section:world", &so), 0);
    assert_int_equal(lede_results_count(a), 1);
    assert_float_equal(lede_results_score(a, 0), 0.0, 0.0);
    lede_results_free(a);
}

/* A hit shows its article's values as written, in the order given. */
static void test_fields__shown_as_written(void **state)
{
    fixture *f = *state;
    lede_results *res;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    size_t n = 99;
    assert_int_equal(lede_search(&res, f->idx, "singapore", &so), 0);
    assert_int_equal(lede_results_count(res), 1);
    const lede_field *v = lede_results_fields(res, 0, &n);
    assert_int_equal(n, 4);
    assert_string_equal(v[0].name, "author");
    assert_string_equal(v[0].value, "Alex  Wong");
    assert_string_equal(v[1].name, "section");
    assert_string_equal(v[1].value, "World");
    assert_string_equal(v[2].name, "tag");
    assert_string_equal(v[2].value, "nuclear");
    assert_string_equal(v[3].name, "tag");
    assert_string_equal(v[3].value, "Diplomacy");
    assert_null(lede_results_fields(res, 1, &n));
    assert_int_equal(n, 0);
    assert_null(lede_results_fields(NULL, 0, &n));
    lede_results_free(res);
    assert_int_equal(lede_search(&res, f->idx, "\"no fields\"", &so), 0);
    assert_int_equal(lede_results_count(res), 1);
    assert_null(lede_results_fields(res, 0, &n));
    assert_int_equal(n, 0);
    lede_results_free(res);
}

/* Replacing an article replaces its values: the old ones match no more. */
static void test_fields__replaced(void **state)
{
    fixture *f = *state;
    lede_field v[] = {{"section", "Business"}, {"author", "Kim Park"}};
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = "a1";
    a.title = "Summit in Singapore";
    a.title_len = strlen(a.title);
    a.body = "Leaders met in Singapore.";
    a.body_len = strlen(a.body);
    a.fields = v;
    a.n_fields = 2;
    assert_int_equal(lede_index_add(f->idx, &a), 0);
    assert_int_equal(lede_index_commit(f->idx), 0);
    assert_string_equal(ids(f->idx, "section:world"), "");
    assert_string_equal(ids(f->idx, "author:\"alex wong\""), "a2");
    assert_string_equal(ids(f->idx, "section:business"), "a1");
    assert_string_equal(ids(f->idx, "dir:world"), "");
}

/* The limits: values too long as given or once folded, too many, empty,
 * badly named, not UTF-8; nothing of such an article is added. */
static void test_fields__limits(void **state)
{
    fixture *f = *state;
    char long_value[LEDE_FIELD_VALUE_MAX + 2];
    lede_field many[LEDE_FIELDS_MAX + 1];
    lede_field one[1] = {{"tag", "x"}};
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = "bad";
    a.title = "T";
    a.title_len = 1;
    a.fields = one;
    a.n_fields = 1;
    memset(long_value, 'x', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    one[0].value = long_value;
    assert_error(lede_index_add(f->idx, &a), LEDE_ELIMIT);
    assert_string_equal(lede_error_last(),
                        "article bad: field tag: a value of 201 bytes, over "
                        "the limit of 200");
    /* Ten of U+FDFA (30 bytes), a ligature of four Arabic words, fold to
     * 33 bytes each. */
    char lig[31];
    for (size_t i = 0; i < 30; i += 3)
        memcpy(lig + i, "\xef\xb7\xba", 3);
    lig[30] = '\0';
    one[0].value = lig;
    assert_error(lede_index_add(f->idx, &a), LEDE_ELIMIT);
    assert_string_equal(lede_error_last(),
                        "article bad: field tag: the value is 330 bytes once "
                        "folded, over the limit of 200");
    one[0].value = "  ";
    assert_error(lede_index_add(f->idx, &a), LEDE_EINVAL);
    one[0].value = "";
    assert_error(lede_index_add(f->idx, &a), LEDE_EINVAL);
    one[0].value = "\xff";
    assert_error(lede_index_add(f->idx, &a), LEDE_EINVAL);
    one[0] = (lede_field){"Tag", "x"};
    assert_error(lede_index_add(f->idx, &a), LEDE_EINVAL);
    for (size_t i = 0; i < LEDE_FIELDS_MAX + 1; i++)
        many[i] = (lede_field){"tag", "x"};
    a.fields = many;
    a.n_fields = LEDE_FIELDS_MAX + 1;
    assert_error(lede_index_add(f->idx, &a), LEDE_ELIMIT);
    a.n_fields = LEDE_FIELDS_MAX;
    assert_int_equal(lede_index_add(f->idx, &a), 0);
    assert_int_equal(lede_index_commit(f->idx), 0);
    assert_string_equal(ids(f->idx, "tag:x"), "bad");
}

/* The fields of an index: the standard ones, the declared, the seen;
 * an article of version 2 (no fields) still goes in. */
static void test_fields__index_fields(void **state)
{
    fixture *f = *state;
    char *list = NULL;
    assert_int_equal(lede_index_fields(&list, f->idx), 0);
    assert_string_equal(list, "author,desk,region,section,source,tag");
    lede_free(list);
    assert_error(lede_index_fields(NULL, f->idx), LEDE_EINVAL);
    assert_error(lede_index_fields(&list, NULL), LEDE_EINVAL);
    assert_null(list);

    lede_article a = LEDE_ARTICLE_INIT;
    a.version = 2;
    a.id = "old";
    a.title = "Old caller";
    a.title_len = strlen(a.title);
    assert_int_equal(lede_index_add(f->idx, &a), 0);
    assert_int_equal(lede_index_commit(f->idx), 0);
    assert_string_equal(ids(f->idx, "caller"), "old");

    /* A reader sees the declared field, and a bad declared name is
     * refused. */
    lede_index *r;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    assert_int_equal(lede_index_open(&r, th_path(f->dir, "i"), &o), 0);
    assert_int_equal(lede_index_fields(&list, r), 0);
    assert_string_equal(list, "author,desk,region,section,source,tag");
    lede_free(list);
    assert_string_equal(ids(r, "region:x"), "");
    lede_index_free(r);
    o.fields = "region,Bad";
    assert_error(lede_index_open(&r, th_path(f->dir, "i"), &o), LEDE_EINVAL);
    assert_null(r);
}

static int keep_record(const lede__xdocinfo *d, void *payload)
{
    lede__buf *data = payload;
    assert_int_equal(lede__buf_put(data, d->data, d->data_len), 0);
    return 1; /* articles of one passage here */
}

static int log_problem(const char *problem, void *payload)
{
    strncat(payload, problem, 1024 - strlen(payload) - 2);
    strcat(payload, "\n");
    return 0;
}

/* The check finds a stored value whose filter term is gone: article a3's
 * passage written again as it was, but without its field terms. */
static void test_fields__check(void **state)
{
    fixture *f = *state;
    uint64_t problems = 0;
    char log[1024] = "";
    lede_index_free(f->idx);
    f->idx = NULL;
    assert_int_equal(
        lede_index_check(&problems, th_path(f->dir, "i"), log_problem, log), 0);
    assert_string_equal(log, "");

    lede__xdb *db;
    lede__xdoc *doc;
    lede__buf term = LEDE__BUF_INIT, data = LEDE__BUF_INIT;
    assert_int_equal(lede__xdb_open(&db, th_path(f->dir, "i"), LEDE_OPEN_WRITE),
                     0);
    assert_int_equal(lede__key_id_term(&term, "a3", 2), 0);
    assert_int_equal(
        lede__xdb_term_docs(db, term.data, term.len, keep_record, &data), 1);
    assert_int_equal(lede__xdb_delete_term(db, term.data, term.len), 0);
    assert_int_equal(lede__xdoc_new(&doc), 0);
    assert_int_equal(lede__xdoc_boolean(doc, term.data, term.len), 0);
    assert_int_equal(
        lede__xdoc_boolean(doc, LEDE__TERM_ARTICLE, strlen(LEDE__TERM_ARTICLE)),
        0);
    assert_int_equal(lede__xdoc_value(doc, LEDE__SLOT_ARTICLE, "a3", 2), 0);
    assert_int_equal(lede__xdoc_data(doc, data.data, data.len), 0);
    assert_int_equal(lede__xdb_add(db, doc), 0);
    assert_int_equal(lede__xdb_commit(db), 0);
    lede__xdoc_free(doc);
    lede__xdb_free(db);
    lede__buf_free(&term);
    lede__buf_free(&data);

    assert_error(
        lede_index_check(&problems, th_path(f->dir, "i"), log_problem, log),
        LEDE_ECORRUPT);
    assert_string_equal(log, "article 'a3', document 5: field section: "
                             "'Sport' is stored but is not a filter term\n"
                             "article 'a3', document 5: field desk: 'Metro' "
                             "is stored but is not a filter term\n");
    assert_int_equal(problems, 2);
}

/* An index made before lede kept fields says so when asked to filter or
 * count by them, rather than finding nothing; id: and dates still work. */
static void test_fields__index_before_fields(void **state)
{
    fixture *f = *state;
    lede__xdb *db;
    lede_index_free(f->idx);
    f->idx = NULL;
    assert_int_equal(lede__xdb_open(&db, th_path(f->dir, "i"), LEDE_OPEN_WRITE),
                     0);
    assert_int_equal(lede__xdb_set_metadata(db, "lede:keeps_fields", "", 0), 0);
    assert_int_equal(lede__xdb_commit(db), 0);
    lede__xdb_free(db);
    lede_index *idx;
    assert_int_equal(lede_index_open(&idx, th_path(f->dir, "i"), NULL), 0);
    assert_string_equal(ids(idx, "nuclear section:world"),
                        "error: query: section: this index was made before "
                        "lede kept keyword fields and folders; rebuild it "
                        "(lede-index --rebuild) to filter on them at column "
                        "9");
    assert_string_equal(ids(idx, "dir:world"),
                        "error: query: dir: this index was made before lede "
                        "kept keyword fields and folders; rebuild it "
                        "(lede-index --rebuild) to filter on them at column "
                        "1");
    assert_string_equal(ids(idx, "id:a2"), "a2");
    lede_results *res = NULL;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.facets = "section";
    assert_error(lede_search(&res, idx, "nuclear", &so), LEDE_EINVAL);
    so.facets = "date:year";
    assert_int_equal(lede_search(&res, idx, "nuclear", &so), 0);
    lede_results_free(res);
    lede_index_free(idx);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields__name_check),
        cmocka_unit_test_setup_teardown(test_fields__filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields__filters_never_weigh, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fields__shown_as_written, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fields__replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields__limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields__index_fields, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fields__check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields__index_before_fields, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
