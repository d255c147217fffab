/*
 * test_filter.c - include and exclude patterns: which paths they take,
 * the patterns refused, and their round trip through an index.
 */
#include "helpers.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 taken, 0 left out, by one exclude (or include) pattern. */
static int takes(const char *include, const char *exclude, const char *rel)
{
    lede__filter f;
    lede__buf why = LEDE__BUF_INIT;
    const char *inc[] = {include}, *exc[] = {exclude};
    assert_int_equal(
        lede__filter_set(&f, inc, include != NULL, exc, exclude != NULL), 0);
    int rc = lede__filter_takes(&f, rel, &why);
    assert_true(rc == 0 || rc == 1);
    assert_int_equal(why.len > 0, rc == 0);
    lede__buf_free(&why);
    lede__filter_free(&f);
    return rc;
}

static void test_filter__exclude_patterns(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *rel;
        int taken;
    } cases[] = {
        /* No '/': a name at any depth, and a directory's name. */
        {"README.TXT", "README.TXT", 0},
        {"README.TXT", "sport/README.TXT", 0},
        {"README.TXT", "README.TXT.bak", 1},
        {"README.TXT", "readme.txt", 1},
        {"*.txt", "a/b/c.txt", 0},
        {"*.txt", "a.txt.gz", 1},
        {"drafts", "drafts/x.txt", 0},
        {"drafts", "a/drafts/b/x.txt", 0},
        {"drafts", "mydrafts/x.txt", 1},
        /* Ending in '/': directories only. */
        {"x.txt/", "x.txt", 1},
        {"drafts/", "a/drafts/x.txt", 0},
        /* With '/': from the root; a leading one is dropped. */
        {"sport/*.txt", "sport/001.txt", 0},
        {"sport/*.txt", "sport/2005/001.txt", 1},
        {"sport/*.txt", "old/sport/001.txt", 1},
        {"/README.TXT", "README.TXT", 0},
        {"/README.TXT", "sport/README.TXT", 1},
        /* '**' spans directories, and none. */
        {"sport/**/*.txt", "sport/001.txt", 0},
        {"sport/**/*.txt", "sport/2005/01/001.txt", 0},
        {"**/tmp", "a/b/tmp/x.txt", 0},
        {"**/tmp", "tmp/x.txt", 0},
        {"sport/**", "sport/a/b.txt", 0},
        {"sport/**", "sports/a.txt", 1},
        {"a**z.txt", "a/b/z.txt", 0},
        /* '?' is one character, UTF-8 too; '[...]' a set. */
        {"?.txt", "a.txt", 0},
        {"?.txt", "ab.txt", 1},
        {"?.txt", "\xc3\xa9.txt", 0},
        {"[0-9]*.txt", "001.txt", 0},
        {"[0-9]*.txt", "a01.txt", 1},
        {"[!0-9]*.txt", "a01.txt", 0},
        {"[]a]x", "]x", 0},
        {"a?b", "a/b", 1},
        {"a*b", "a/b", 1},
        /* '\' quotes. */
        {"\\*.txt", "*.txt", 0},
        {"\\*.txt", "a.txt", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int got = takes(NULL, cases[i].pattern, cases[i].rel);
        if (got != cases[i].taken)
            fail_msg("exclude '%s' on '%s': %s, expected %s", cases[i].pattern,
                     cases[i].rel, got ? "taken" : "left out",
                     cases[i].taken ? "taken" : "left out");
    }
}

static void test_filter__include_and_exclude(void **state)
{
    (void)state;
    lede__filter f;
    lede__buf why = LEDE__BUF_INIT;
    const char *inc[] = {"*.sgm", "docs/"}, *exc[] = {"*-old.sgm"};
    assert_int_equal(lede__filter_set(&f, inc, 2, exc, 1), 0);
    assert_int_equal(lede__filter_takes(&f, "reut2-000.sgm", &why), 1);
    assert_int_equal(why.len, 0);
    assert_int_equal(lede__filter_takes(&f, "docs/a/b.txt", &why), 1);
    assert_int_equal(lede__filter_takes(&f, "README.txt", &why), 0);
    assert_string_equal(why.data, "matches no include pattern");
    /* An exclude wins over an include. */
    assert_int_equal(lede__filter_takes(&f, "reut2-old.sgm", &why), 0);
    assert_string_equal(why.data, "excluded by '*-old.sgm'");
    lede__buf_free(&why);
    lede__filter_free(&f);
}

static void test_filter__bad_patterns(void **state)
{
    (void)state;
    lede__filter f;
    const char *bad[] = {"", "/", "sport/[a-z", "a\nb", "\xff.txt"};
    static const char *const why[] = {
        "exclude: empty pattern", "exclude: empty pattern",
        "exclude: pattern 'sport/[a-z': '[' at byte 7 is never closed",
        "exclude: pattern holds a line break",
        "exclude: pattern '\xff.txt' is not UTF-8"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_error(lede__filter_set(&f, NULL, 0, &bad[i], 1), LEDE_EINVAL);
        assert_string_equal(lede_error_last(), why[i]);
        assert_null(f.exclude);
    }
    const char *none[] = {NULL};
    assert_error(lede__filter_set(&f, none, 1, NULL, 0), LEDE_EINVAL);
    assert_string_equal(lede_error_last(), "include pattern 0 is NULL");
}

/* Stored in an index, in order, and read back; none removes them. */
static void test_filter__stored(void **state)
{
    th_dir *d = *state;
    lede_index *idx;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.mode = LEDE_OPEN_CREATE;
    const char *path = th_path(d->dir, "idx");
    assert_int_equal(lede_index_open(&idx, path, &io), 0);
    lede__filter f, g, none;
    const char *inc[] = {"b/**", "a/*.txt"}, *exc[] = {"README*"};
    assert_int_equal(lede__filter_set(&f, inc, 2, exc, 1), 0);
    assert_int_equal(lede__filter_store(lede__index_db(idx), &f), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    lede_index_free(idx);

    assert_int_equal(lede_index_open(&idx, path, NULL), 0);
    assert_int_equal(lede__filter_load(&g, lede__index_db(idx)), 0);
    assert_true(lede__filter_equal(&f, &g));
    assert_int_equal(g.ninclude, 2);
    assert_string_equal(g.include[0], "b/**");
    assert_string_equal(g.exclude[0], "README*");
    lede__buf v = LEDE__BUF_INIT;
    assert_int_equal(
        lede__xdb_get_metadata(&v, lede__index_db(idx), "lede:filter"), 0);
    assert_string_equal(v.data, "ib/**\nia/*.txt\neREADME*\n");
    lede_index_free(idx);

    io.mode = LEDE_OPEN_WRITE;
    assert_int_equal(lede_index_open(&idx, path, &io), 0);
    memset(&none, 0, sizeof none);
    assert_int_equal(lede__filter_store(lede__index_db(idx), &none), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    lede__filter_free(&g);
    assert_int_equal(lede__filter_load(&g, lede__index_db(idx)), 0);
    assert_int_equal(g.ninclude + g.nexclude, 0);
    assert_int_equal(
        lede__xdb_get_metadata(&v, lede__index_db(idx), "lede:filter"), 0);
    assert_int_equal(v.len, 0);
    lede__buf_free(&v);
    lede_index_free(idx);
    lede__filter_free(&f);
    lede__filter_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter__exclude_patterns),
        cmocka_unit_test(test_filter__include_and_exclude),
        cmocka_unit_test(test_filter__bad_patterns),
        cmocka_unit_test_setup_teardown(test_filter__stored, th_setup_dir,
                                        th_teardown_dir),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
