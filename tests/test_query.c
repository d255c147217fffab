/*
 * test_query.c - the query language: each query of the table and the tree
 * lede reads from it (lede_query_describe), or the error and its column.
 */
#include "helpers.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *query; /* as typed */
    unsigned flags;    /* LEDE_SEARCH_* */
    double title;      /* title weight */
    const char *want;  /* the tree, or the error message */
} row;

static const row rows[] = {
    /* Words: stemmed, folded, repeated ones counted once with wqf. */
    {"summit", 0, 0, "summit"},
    {"Summits", 0, 0, "summit"},
    {"summit summit", 0, 0, "summit^2"},
    {"summit summit summit", 0, 0, "summit^3"},
    {"summit singapore summit summit", 0, 0, "(OR summit^3 singapor)"},
    {"summit singapore", 0, 0, "(OR summit singapor)"},
    {"summit singapore", LEDE_SEARCH_ALL, 0, "(AND summit singapor)"},
    {"well-known", 0, 0, "(PHRASE 2 well known)"},
    /* Phrases and proximity. */
    {"\"the summit\"", 0, 0, "(PHRASE 2 the summit)"},
    {"\"the summit\"~3", 0, 0, "(NEAR 5 the summit)"},
    {"\"summit\"", 0, 0, "summit"},
    /* Required and excluded. */
    {"+summit singapore", 0, 0, "(AND_MAYBE summit singapor)"},
    {"summit -singapore", 0, 0, "(AND_NOT summit singapor)"},
    {"summit -p -b", 0, 0, "(AND_NOT summit (OR p b))"},
    {"summit -\"p b\"", 0, 0, "(AND_NOT summit (PHRASE 2 p b))"},
    {"+(p b) c", 0, 0, "(AND_MAYBE (OR p b) c)"},
    {"x - y", 0, 0, "(OR x y)"},
    /* Fields. */
    {"title:summit", 0, 0, "title:summit"},
    {"title:\"summit in\"", 0, 0, "(PHRASE 2 title:summit title:in)"},
    /* Prefixes expand over the index: most frequent first. */
    {"summ*", 0, 0, "(OR summer summari summit)"},
    {"title:sum*", 0, 0, "(OR title:summari title:summit)"},
    {"zzz*", 0, 0, "NONE"},
    /* ... and over the words whose stems are shorter than the prefix. */
    {"summary*", 0, 0, "summari"},
    {"singapore*", 0, 0, "singapor"},
    {"leader*", 0, 0, "leader"},
    {"title:singapore*", 0, 0, "title:singapor"},
    /* Operators: AND and NOT bind tighter than OR, OR tighter than words
     * side by side. */
    {"p AND b", 0, 0, "(AND p b)"},
    {"p OR b AND c", 0, 0, "(OR p (AND b c))"},
    {"p b AND c", 0, 0, "(OR p (AND b c))"},
    {"p NOT b", 0, 0, "(AND_NOT p b)"},
    {"(p OR b) c", 0, 0, "(OR (OR p b) c)"},
    /* Common English words are not searched, unless asked for or alone. */
    {"p and b", 0, 0, "(OR p b)"},
    {"p and b", LEDE_SEARCH_KEEP_STOPWORDS, 0, "(OR p and b)"},
    {"the summit", 0, 0, "summit"},
    {"to be", 0, 0, "(OR to be)"},
    {"p AND NOT b", 0, 0, "(AND_NOT p b)"},
    {"p AND -b", 0, 0, "(AND_NOT p b)"},
    {"p AND +b", 0, 0, "(AND p b)"},
    /* Dates narrow without weight. */
    {"date:2018", 0, 0, "(FILTER ALL (DATE 20180101000000 20181231235959))"},
    {"summit date:2018-06", 0, 0,
     "(FILTER summit (DATE 20180601000000 20180630235959))"},
    {"summit AND date:2020-02", 0, 0,
     "(FILTER summit (DATE 20200201000000 20200229235959))"},
    {"summit date:2018-06-01..2018-06-30", 0, 0,
     "(FILTER summit (DATE 20180601000000 20180630235959))"},
    {"summit date:2019..", 0, 0,
     "(FILTER summit (DATE 20190101000000 99991231235959))"},
    {"summit date:..2019-03", 0, 0,
     "(FILTER summit (DATE 00000101000000 20190331235959))"},
    {"-summit date:2018", 0, 0,
     "(AND_NOT (FILTER ALL (DATE 20180101000000 20181231235959)) summit)"},
    /* The title boost. */
    {"summit", 0, 1.5, "(OR summit (SCALE 1.5 title:summit))"},
    {"\"a b\"", 0, 2,
     "(OR (PHRASE 2 a b) (SCALE 2 (PHRASE 2 title:a title:b)))"},
    {"summit -hanoi", 0, 1,
     "(AND_NOT (OR summit (SCALE 1 title:summit)) (OR hanoi (SCALE 1 "
     "title:hanoi)))"},
    /* Errors name the problem and its column (in characters). */
    {"(summit", 0, 0, "query: '(' is never closed at column 1"},
    {"caf\xc3\xa9 (summit", 0, 0, "query: '(' is never closed at column 6"},
    {"summit)", 0, 0, "query: ')' without a '(' at column 7"},
    {"AND summit", 0, 0,
     "query: 'AND' needs a word, phrase or group after it at column 1"},
    {"summit AND", 0, 0,
     "query: AND needs something on both sides at column 8"},
    {"p OR OR b", 0, 0, "query: OR needs something on both sides at column 3"},
    {"p NOT NOT b", 0, 0,
     "query: 'NOT' cannot follow NOT; group with parentheses at column 7"},
    {"p OR NOT b", 0, 0,
     "query: 'NOT' cannot follow OR: exclude from both sides, as in (a OR b) "
     "NOT c at column 6"},
    {"p OR -b", 0, 0,
     "query: '-' cannot follow OR: exclude from both sides, as in (a OR b) "
     "NOT c at column 6"},
    {"\"summit", 0, 0, "query: unterminated quote at column 1"},
    {"x \"  \"", 0, 0, "query: the phrase has no words at column 3"},
    {"\"a b\"~x", 0, 0,
     "query: '~' must be followed by a number of words (0 to 100) at "
     "column 6"},
    {"\"a b\"~101", 0, 0,
     "query: '~101' is over the limit of 100 words at column 6"},
    {"\"a b\"~99999999999", 0, 0,
     "query: '~' must be followed by a number of words (0 to 100) at "
     "column 6"},
    /* Unknown fields are errors, not phrases of their parts; a colon that
     * does not make a field is text. */
    {"author:smith", 0, 0, "(FILTER ALL (SCALE 0 author:smith))"},
    {"summit id:\"polit 002\"", 0, 0, "(FILTER summit (SCALE 0 id:polit 002))"},
    {"caf\xc3\xa9 (URL:x)", 0, 0,
     "query: unknown field 'URL:' (this index's fields are author, section, "
     "source, tag; and title:, date:, dir:, id:; put text with a colon in "
     "quotes) at column 7"},
    {"summit desk:x", 0, 0,
     "query: unknown field 'desk:' (this index's fields are author, section, "
     "source, tag; and title:, date:, dir:, id:; put text with a colon in "
     "quotes) at column 8"},
    {"x_1:(a b)", 0, 0,
     "query: x_1: needs a value right after the colon at column 1"},
    /* Keyword fields narrow, never weigh: values folded as words are,
     * spaces run together, names in any case. */
    {"summit -section:sport", 0, 0, "(AND_NOT summit (SCALE 0 section:sport))"},
    {"summit OR Section:World", 0, 0, "(OR summit (SCALE 0 section:world))"},
    {"summit author:\"Alex  WONG \"", 0, 0,
     "(FILTER summit (SCALE 0 author:\"alex wong\"))"},
    {"summit (tag:a OR tag:b) NOT source:AP", 0, 0,
     "(FILTER summit (AND_NOT (OR (SCALE 0 tag:a) (SCALE 0 tag:b)) (SCALE 0 "
     "source:ap)))"},
    {"summit dir:politics/", 0, 0, "(FILTER summit (SCALE 0 dir:politics))"},
    {"summit (date:2018 OR section:x)", 0, 0,
     "(FILTER summit (OR (DATE 20180101000000 20181231235959) (SCALE 0 "
     "section:x)))"},
    {"summit author:\"  \"", 0, 0,
     "query: field author: the value is empty at column 16"},
    {"summit tag:\"a\"~2", 0, 0,
     "query: '~N' has no meaning after tag: at column 8"},
    {"10:30 summit", 0, 0, "(OR (PHRASE 2 10 30) summit)"},
    {"http://summit.example", 0, 0, "(PHRASE 2 http summit.exampl)"},
    {"summit: leaders", 0, 0, "(OR summit leader)"},
    {"summit:", 0, 0, "summit"},
    {"summit section:", 0, 0,
     "query: section: needs a value right after the colon at column 8"},
    {"summit (Dir:)", 0, 0,
     "query: Dir: needs a value right after the colon at column 9"},
    {"\"author:smith\"", 0, 0, "(PHRASE 2 author smith)"},
    {"TITLE:summit", 0, 0, "title:summit"},
    /* Chains of one operator are one node, however long. */
    {"p AND b AND c AND d", 0, 0, "(AND p b c d)"},
    {"p OR b OR c OR d", 0, 0, "(OR p b c d)"},
    {"p NOT b NOT c", 0, 0, "(AND_NOT p (OR b c))"},
    {"p AND date:2018 AND b AND date:2018-06", 0, 0,
     "(FILTER (AND p b) (AND (DATE 20180101000000 20181231235959) (DATE "
     "20180601000000 20180630235959)))"},
    {"date:2018 NOT p", 0, 0,
     "(FILTER ALL (AND_NOT (DATE 20180101000000 20181231235959) p))"},
    {"+summit OR x", 0, 0,
     "query: a + term cannot take OR after it; put the rest in parentheses "
     "at column 1"},
    {"s*", 0, 0,
     "query: a prefix needs 2 or more letters of one word before '*' at "
     "column 1"},
    {"title:", 0, 0,
     "query: title: needs a word or a phrase right after the colon at "
     "column 1"},
    {"date:18-06", 0, 0,
     "query: '18-06' is not a date (YYYY, YYYY-MM or YYYY-MM-DD) at "
     "column 6"},
    {"date:2019..2018", 0, 0,
     "query: the date range ends before it starts at column 1"},
    {"date:..", 0, 0,
     "query: date: needs at least one end of the range at column 1"},
    {"-summit", 0, 0,
     "query: only excluded words: give a word to search for, or a filter "
     "(date:, section:, ...) at column 1"},
    {"!!! ...", 0, 0, "query: no words to search for at column 1"},
    {"", 0, 0, "query: no words to search for at column 1"},
    {"ok \xff", 0, 0, "query: invalid UTF-8 at byte 3"},
};

typedef struct {
    char *dir;       /* scratch directory */
    lede_index *idx; /* the fixture index */
} fixture;

static int setup(void **state)
{
    static const char *const texts[][3] = {
        {"s1", "Summit in Singapore",
         "Leaders met at the summit. It was summer in Singapore."},
        {"s2", "Summary", "A summary of the summer."},
    };
    fixture *f = calloc(1, sizeof *f);
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    f->dir = th_tempdir();
    o.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&f->idx, th_path(f->dir, "i"), &o), 0);
    for (size_t i = 0; i < 2; i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = texts[i][0];
        a.title = texts[i][1];
        a.title_len = strlen(a.title);
        a.body = texts[i][2];
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

/* The tree or the error of each row of v[0..n). */
static void check_rows(lede_index *idx, const row *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
        char *text = NULL;
        o.flags = v[i].flags;
        o.title_weight = v[i].title;
        o.proximity = 0; /* proximity_pairs checks those */
        int rc = lede_query_describe(&text, idx, v[i].query, &o);
        const char *got = rc == 0 ? text : lede_error_last();
        if (strcmp(got, v[i].want) != 0)
            fail_msg("'%s': got '%s', expected '%s'", v[i].query, got,
                     v[i].want);
        if (strncmp(v[i].want, "query:", 6) == 0)
            assert_int_equal(rc, LEDE_EINVAL);
        else
            assert_int_equal(rc, 0);
        lede_free(text);
    }
}

static void test_query__table(void **state)
{
    fixture *f = *state;
    check_rows(f->idx, rows, sizeof rows / sizeof *rows);
}

/* Lucene's fuzzy "blair~2" would be read as the phrase "blair 2" and find
 * nothing, silently: it is an error at the '~', which says where ~N does
 * belong. */
static void test_query__fuzzy_tilde(void **state)
{
    fixture *f = *state;
#define FUZZY                                                                  \
    "'~' after a word: fuzzy matching is not supported; '~N' follows a "       \
    "quoted phrase (\"a b\"~N)"
    static const row v[] = {
        {"blair~2", 0, 0, "query: " FUZZY " at column 6"},
        {"summit blair~", 0, 0, "query: " FUZZY " at column 13"},
        {"title:blair~0.8", 0, 0, "query: " FUZZY " at column 12"},
        {"(caf\xc3\xa9~1 OR x)", 0, 0, "query: " FUZZY " at column 6"},
        {"+summ*~1", 0, 0, "query: " FUZZY " at column 7"},
        /* After a phrase, ~N is the window; elsewhere '~' is punctuation,
         * and --plain reads no syntax at all. */
        {"\"tony blair\"~2", 0, 0, "(NEAR 4 toni blair)"},
        {"a~b", 0, 0, "(PHRASE 2 a b)"},
        {"~2", 0, 0, "2"},
        {"blair~2", LEDE_SEARCH_PLAIN, 0, "(OR blair 2)"},
    };
#undef FUZZY
    check_rows(f->idx, v, sizeof v / sizeof *v);
}

/* A word over 64 bytes is no more in a query than in the index (both go
 * through the same tokenizer): a query with nothing else says so, naming
 * the word's column, rather than "no words to search for". */
static void test_query__long_word(void **state)
{
    fixture *f = *state;
    char w100[101], w64[65], q[6][160];
    memset(w100, 'a', 100);
    w100[100] = '\0';
    for (int i = 0; i < 64; i++)
        w64[i] = (char)('a' + i % 26);
    w64[64] = '\0';
    snprintf(q[0], sizeof q[0], "%s", w100);
    snprintf(q[1], sizeof q[1], "!!! %s", w100);
    snprintf(q[2], sizeof q[2], "caf\xc3\xa9 \"%s\"", w100);
    snprintf(q[3], sizeof q[3], "title:%s", w100);
    snprintf(q[4], sizeof q[4], "summit %s", w100);
    snprintf(q[5], sizeof q[5], "%s", w64);
#define LONG(c)                                                                \
    "query: the word at column " #c " is over 64 bytes, and such words are "   \
    "not indexed"
    const row v[] = {
        {q[0], 0, 0, LONG(1)},
        {q[0], LEDE_SEARCH_PLAIN, 0, LONG(1)},
        {q[1], 0, 0, LONG(5)},
        {q[2], 0, 0, LONG(7)},
        {q[3], 0, 0, LONG(7)},
        /* Beside other words it is left out, as the index left it out. */
        {q[4], 0, 0, "summit"},
        {q[5], 0, 0, w64},
    };
#undef LONG
    check_rows(f->idx, v, sizeof v / sizeof *v);
}

/* A date of the right form that does not exist is named as such, not as
 * a date of the wrong form; a month or day 00 is not a wildcard. */
static void test_query__impossible_dates(void **state)
{
    fixture *f = *state;
    static const row v[] = {
        {"date:1987-02-30", 0, 0, "query: no such day: 1987-02-30 at column 6"},
        {"date:1987-02-29", 0, 0, "query: no such day: 1987-02-29 at column 6"},
        {"date:1988-02-29", 0, 0,
         "(FILTER ALL (DATE 19880229000000 19880229235959))"},
        {"date:2018-06-00", 0, 0, "query: no such day: 2018-06-00 at column 6"},
        {"date:2018-13", 0, 0, "query: no such month: 2018-13 at column 6"},
        {"date:2018-00", 0, 0, "query: no such month: 2018-00 at column 6"},
        {"date:2018-13-01", 0, 0,
         "query: no such month: 2018-13-01 at column 6"},
        {"summit date:2018..2018-04-31", 0, 0,
         "query: no such day: 2018-04-31 at column 19"},
        {"date:2018-6-1", 0, 0,
         "query: '2018-6-1' is not a date (YYYY, YYYY-MM or YYYY-MM-DD) at "
         "column 6"},
    };
    check_rows(f->idx, v, sizeof v / sizeof *v);
}

static void test_query__limits(void **state)
{
    fixture *f = *state;
    char *text = (char *)1;
    /* 257 words. */
    char words[257 * 2 + 1];
    for (int i = 0; i < 257; i++)
        memcpy(words + 2 * i, "w ", 2);
    words[514] = '\0';
    assert_error(lede_query_describe(&text, f->idx, words, NULL), LEDE_EINVAL);
    assert_null(text);
    assert_string_equal(lede_error_last(),
                        "query: more than 256 words at column 513");
    /* 256 are fine. */
    words[512] = '\0';
    assert_int_equal(lede_query_describe(&text, f->idx, words, NULL), 0);
    lede_free(text);
    /* Each word of a phrase counts: "w w ... w" with 257 words. */
    char phrase[257 * 2 + 2];
    phrase[0] = '"';
    for (int i = 0; i < 257; i++)
        memcpy(phrase + 1 + 2 * i, "w ", 2);
    phrase[514] = '"';
    phrase[515] = '\0';
    assert_error(lede_query_describe(&text, f->idx, phrase, NULL), LEDE_EINVAL);
    assert_string_equal(lede_error_last(),
                        "query: more than 256 words at column 1");
    /* Over LEDE_QUERY_MAX_BYTES. */
    char *big = malloc(LEDE_QUERY_MAX_BYTES + 2);
    memset(big, 'a', LEDE_QUERY_MAX_BYTES + 1);
    big[LEDE_QUERY_MAX_BYTES + 1] = '\0';
    assert_error(lede_query_describe(&text, f->idx, big, NULL), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "over the limit of 8192"));
    free(big);
}

static void test_query__bad_arguments(void **state)
{
    fixture *f = *state;
    char *text;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    assert_error(lede_query_describe(NULL, f->idx, "x", NULL), LEDE_EINVAL);
    assert_error(lede_query_describe(&text, NULL, "x", NULL), LEDE_EINVAL);
    assert_error(lede_query_describe(&text, f->idx, NULL, NULL), LEDE_EINVAL);
    o.title_weight = -1;
    assert_error(lede_query_describe(&text, f->idx, "x", &o), LEDE_EINVAL);
    o.title_weight = 1;
    o.date_from = 200;
    o.date_to = 100;
    assert_error(lede_query_describe(&text, f->idx, "x", &o), LEDE_EINVAL);
}

static void test_query__date_options_narrow(void **state)
{
    fixture *f = *state;
    char *text;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    o.title_weight = 0;
    o.date_from = 1528761600; /* 2018-06-12 */
    assert_int_equal(lede_query_describe(&text, f->idx, "summit", &o), 0);
    assert_string_equal(text,
                        "(FILTER summit (DATE 20180612000000 99991231235959))");
    lede_free(text);
}

/* Xapian 1.4 loses a phrase OR'd with a term the index lacks when k1 is
 * 0 (here the title phrase: no title holds "the"); lede raises k1 to a
 * millionth, which ranks the same. */
static void test_query__k1_zero_keeps_phrases(void **state)
{
    fixture *f = *state;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res = NULL;
    o.k1 = 0;
    assert_int_equal(lede_search(&res, f->idx, "\"the summit\"", &o), 0);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_article_id(res, 0), "s1");
    lede_results_free(res);
}

/* Two plain words next to each other in the query (after stop words are
 * left out) add a NEAR of the pair, scaled by the proximity weight; each
 * pair once, in either order; not for phrases, prefixes or fields. */
static void test_query__proximity_pairs(void **state)
{
    static const struct {
        const char *query;
        unsigned flags;
        const char *want;
    } pairs[] = {
        {"singapore summit", 0,
         "(OR singapor summit (SCALE 0.15 (NEAR 4 singapor summit)))"},
        {"summit summit singapore", 0,
         "(OR summit^2 singapor (SCALE 0.15 (NEAR 4 summit singapor)))"},
        {"leaders summit leaders summit", 0,
         "(OR leader^2 summit^2 (SCALE 0.15 (NEAR 4 leader summit)))"},
        {"the summit of leaders", 0,
         "(OR summit leader (SCALE 0.15 (NEAR 4 summit leader)))"},
        {"summit -hanoi singapore", 0,
         "(AND_NOT (OR summit singapor (SCALE 0.15 (NEAR 4 summit "
         "singapor))) hanoi)"},
        {"\"singapore summit\" leaders", 0,
         "(OR (PHRASE 2 singapor summit) leader)"},
        {"(singapore summit) OR hanoi", 0,
         "(OR (OR singapor summit (SCALE 0.15 (NEAR 4 singapor summit))) "
         "hanoi)"},
        {"title:singapore summit", 0, "(OR title:singapor summit)"},
        {"singapore summit", LEDE_SEARCH_ALL,
         "(AND_MAYBE (AND singapor summit) (SCALE 0.15 (NEAR 4 singapor "
         "summit)))"},
        {"\"Singapore\" -summit (leaders)", LEDE_SEARCH_PLAIN,
         "(OR singapor summit leader (SCALE 0.15 (NEAR 4 singapor summit)) "
         "(SCALE 0.15 (NEAR 4 summit leader)))"},
    };
    fixture *f = *state;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
        char *text = NULL;
        o.flags = pairs[i].flags;
        o.title_weight = 0;
        o.proximity = 0.15;
        assert_int_equal(lede_query_describe(&text, f->idx, pairs[i].query, &o),
                         0);
        if (strcmp(text, pairs[i].want) != 0)
            fail_msg("'%s': got '%s', expected '%s'", pairs[i].query, text,
                     pairs[i].want);
        lede_free(text);
    }
}

/* English possessives lose their "'s" before stemming with every English
 * stemmer: Xapian's porter would keep "acm'", which matches no "acm". */
static void test_query__possessives(void **state)
{
    static const char *const langs[] = {"porter", "english"};
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        char *dir = th_tempdir(), *text = NULL;
        lede_index *idx = NULL;
        lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
        lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
        lede_article a = LEDE_ARTICLE_INIT;
        lede_results *res = NULL;
        io.mode = LEDE_OPEN_CREATE;
        io.language = langs[i];
        assert_int_equal(lede_index_open(&idx, th_path(dir, "i"), &io), 0);
        a.id = "p1";
        a.body = "The ACM's journals and its members' letters.";
        a.body_len = strlen(a.body);
        assert_int_equal(lede_index_add(idx, &a), 0);
        assert_int_equal(lede_index_commit(idx), 0);
        o.title_weight = 0;
        o.proximity = 0;
        assert_int_equal(lede_query_describe(&text, idx, "ACM's members", &o),
                         0);
        assert_string_equal(text, "(OR acm member)");
        lede_free(text);
        assert_int_equal(lede_search(&res, idx, "acm", &o), 0);
        assert_int_equal(lede_results_count(res), 1);
        lede_results_free(res);
        lede_index_free(idx);
        th_rmtree(dir);
        free(dir);
    }
}

/* The deepest run of open parentheses in a description: how deep the
 * tree is that later walks (and Xapian) recurse through. */
static int tree_depth(const char *text)
{
    int d = 0, max = 0;
    for (; *text; text++) {
        d += *text == '(';
        d -= *text == ')';
        if (d > max)
            max = d;
    }
    return max;
}

typedef struct {
    lede_index *idx;  /* the fixture index */
    char *deep;       /* 4090 '(' around a word */
    char *nested;     /* (w0 (w1 ... 64 levels */
    char *chain;      /* 256 words joined by AND */
    int rc[4];        /* what each call returned */
    char msg[2][256]; /* the two errors */
    char *text[2];    /* descriptions of nested and chain */
    size_t hits;      /* passages found for nested */
} deep_job;

static void *deep_run(void *arg)
{
    deep_job *j = arg;
    lede_results *res = NULL;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    j->rc[0] = lede_search(&res, j->idx, j->deep, &o);
    snprintf(j->msg[0], sizeof j->msg[0], "%s", lede_error_last());
    j->rc[1] = lede_query_describe(&j->text[0], j->idx, j->deep, &o);
    snprintf(j->msg[1], sizeof j->msg[1], "%s", lede_error_last());
    lede_free(j->text[0]);
    j->text[0] = NULL;
    j->rc[2] = lede_search(&res, j->idx, j->nested, &o);
    j->hits = lede_results_count(res);
    lede_results_free(res);
    j->rc[3] = lede_query_describe(&j->text[0], j->idx, j->nested, &o) |
               lede_query_describe(&j->text[1], j->idx, j->chain, &o);
    return NULL;
}

/* Nesting is capped, so the parser's stack use is bounded whatever the
 * query: on a thread with a 512 KiB stack, 4090 parentheses (2 MiB of
 * parser frames before) are an error naming the column, 64 levels search,
 * and a chain of 256 words makes a tree one level deep. */
static void test_query__depth_small_stack(void **state)
{
    fixture *f = *state;
    deep_job j = {f->idx, NULL, NULL, NULL, {0}, {{0}}, {NULL, NULL}, 0};
    size_t n = 4090;
    j.deep = malloc(2 * n + 7);
    memset(j.deep, '(', n);
    memcpy(j.deep + n, "summit", 6);
    memset(j.deep + n + 6, ')', n);
    j.deep[2 * n + 6] = '\0';
    j.nested = malloc(64 * 12 + 16);
    j.nested[0] = '\0';
    for (int i = 0; i < LEDE_QUERY_MAX_DEPTH; i++)
        sprintf(j.nested + strlen(j.nested), "(w%d ", i);
    strcat(j.nested, "summit");
    for (int i = 0; i < LEDE_QUERY_MAX_DEPTH; i++)
        strcat(j.nested, ")");
    j.chain = malloc(256 * 10);
    j.chain[0] = '\0';
    for (int i = 0; i < 256; i++)
        sprintf(j.chain + strlen(j.chain), "%sw%d", i ? " AND " : "", i);

    pthread_attr_t attr;
    pthread_t t;
    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, 512 * 1024), 0);
    assert_int_equal(pthread_create(&t, &attr, deep_run, &j), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    pthread_attr_destroy(&attr);

    assert_int_equal(j.rc[0], LEDE_EINVAL);
    assert_string_equal(j.msg[0],
                        "query: more than 64 levels of parentheses at column "
                        "65");
    assert_int_equal(j.rc[1], LEDE_EINVAL);
    assert_string_equal(j.msg[1], j.msg[0]);
    assert_int_equal(j.rc[2], 0);
    assert_int_equal(j.hits, 1);
    assert_int_equal(j.rc[3], 0);
    /* An OR per level, then the last word's OR with its title's SCALE. */
    assert_int_equal(tree_depth(j.text[0]), LEDE_QUERY_MAX_DEPTH + 2);
    /* The chain: AND, then each word's OR and SCALE. */
    assert_int_equal(tree_depth(j.text[1]), 3);
    lede_free(j.text[0]);
    lede_free(j.text[1]);
    free(j.deep);
    free(j.nested);
    free(j.chain);
}

/* An index with 20,001 distinct words starting zz: zzaq0000..zzaq9999
 * and zzbq0000..zzbq9999 (digits written with consonants, which no
 * stemmer trims), and zzcqbbbb. */
static lede_index *zz_index(const char *dir)
{
    static const char digit[] = "bcdfghjkmp";
    lede_index *idx = NULL;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_article a = LEDE_ARTICLE_INIT;
    char *body = malloc(20001 * 9 + 1), *p = body;
    io.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&idx, th_path(dir, "zz"), &io), 0);
    for (int g = 0; g < 3; g++) {
        for (int i = 0; i < (g < 2 ? 10000 : 1); i++) {
            *p++ = 'z';
            *p++ = 'z';
            *p++ = (char)('a' + g);
            *p++ = 'q';
            for (int k = 1000; k > 0; k /= 10)
                *p++ = digit[i / k % 10];
            *p++ = ' ';
        }
    }
    a.id = "zz";
    a.title = "Words";
    a.title_len = 5;
    a.body = body;
    a.body_len = (size_t)(p - body);
    assert_int_equal(lede_index_add(idx, &a), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    free(body);
    return idx;
}

/* Index entries a query's prefixes read: each distinct prefix reads its
 * body terms, and the spelling data's words once per field. */
static size_t scanned(lede_index *idx, const char *query)
{
    lede__parse_opts po = {0, 0.5, LEDE_NO_DATE, LEDE_NO_DATE, 0,
                           1, 0,   0.15,         NULL,         NULL};
    lede__query *q = NULL;
    assert_int_equal(lede__query_parse(&q, idx, query, &po), 0);
    size_t n = lede__query_scanned(q);
    lede__query_free(q);
    return n;
}

/* The work one query may cause is bounded by counts: a prefix matching
 * too many words, or prefixes reading too many in all, are LEDE_ELIMIT
 * naming the column; each distinct prefix is read once; a phrase holds at
 * most LEDE_PHRASE_MAX_WORDS words. */
static void test_query__work_bounds(void **state)
{
    th_dir *d = *state;
    lede_index *idx = zz_index(d->dir);
    lede_results *res = (lede_results *)1;
    char *text = NULL;

    assert_error(lede_query_describe(&text, idx, "summit zz*", NULL),
                 LEDE_ELIMIT);
    assert_string_equal(lede_error_last(),
                        "query: 'zz*' matches more than 20000 of the index's "
                        "words; give more letters at column 8");
    assert_error(lede_search(&res, idx, "zz*", NULL), LEDE_ELIMIT);
    assert_null(res);

    assert_int_equal(scanned(idx, "zza*"), 30000);
    assert_int_equal(scanned(idx, "zza* zza* zza* zza*"), 30000);
    assert_int_equal(scanned(idx, "zza* OR (zza* AND title:zza*)"), 30000);
    assert_int_equal(scanned(idx, "zza* zzaq* zzb*"), 90000);
    assert_int_equal(lede_search(&res, idx, "zza* zza* zza* zza*", NULL), 0);
    assert_int_equal(lede_results_count(res), 1);
    lede_results_free(res);
    assert_error(lede_query_describe(&text, idx, "zza* zzaq* zzb* zzbq*", NULL),
                 LEDE_ELIMIT);
    assert_string_equal(lede_error_last(),
                        "query: the query's prefixes match more than 100000 "
                        "of the index's words in all; give fewer or longer "
                        "prefixes at column 17");

    /* Words of a phrase, and of a word the tokenizer splits. */
    char phrase[2 + 33 * 3 + 1] = "\"";
    for (int i = 0; i < 33; i++)
        sprintf(phrase + strlen(phrase), "w%c ", 'a' + i % 26);
    strcat(phrase, "\"");
    assert_error(lede_query_describe(&text, idx, phrase, NULL), LEDE_EINVAL);
    assert_string_equal(lede_error_last(),
                        "query: a phrase of more than 32 words at column 1");
    phrase[strlen(phrase) - 4] = '"';
    phrase[strlen(phrase) - 3] = '\0';
    assert_int_equal(lede_query_describe(&text, idx, phrase, NULL), 0);
    lede_free(text);
    char split[33 * 2 + 3] = "x ";
    for (int i = 0; i < 33; i++)
        strcat(split, i ? "-a" : "a");
    assert_error(lede_query_describe(&text, idx, split, NULL), LEDE_EINVAL);
    assert_string_equal(lede_error_last(),
                        "query: a phrase of more than 32 words at column 3");
    lede_index_free(idx);
}

static int64_t late_clock(void)
{
    static int64_t now;
    return now += 1000000000; /* a second per look */
}

/* A search that runs over its time budget fails with LEDE_ELIMIT instead
 * of returning what it had: on a clock that moves a second each time it
 * is read, a budget of 1 ms always runs out. */
static void test_query__time_budget(void **state)
{
    fixture *f = *state;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res = (lede_results *)1;
    o.max_time_ms = 1;
    lede__budget_set_clock(late_clock);
    int rc = lede_search(&res, f->idx, "summit", &o);
    lede__budget_set_clock(NULL);
    assert_int_equal(rc, LEDE_ELIMIT);
    assert_null(res);
    assert_string_equal(lede_error_last(),
                        "the search ran over its time budget of 1 ms");

    /* No budget, or options from before there was one: no limit. */
    lede__budget_set_clock(late_clock);
    o.max_time_ms = 0;
    rc = lede_search(&res, f->idx, "summit", &o);
    lede__budget_set_clock(NULL);
    assert_int_equal(rc, 0);
    assert_int_equal(lede_results_count(res), 1);
    lede_results_free(res);
    o.max_time_ms = 1;
    o.version = 3;
    lede__budget_set_clock(late_clock);
    rc = lede_search(&res, f->idx, "summit", &o);
    lede__budget_set_clock(NULL);
    assert_int_equal(rc, 0);
    lede_results_free(res);
    /* A real clock and a minute: the search fits. */
    o.version = LEDE_SEARCH_OPTIONS_VERSION;
    o.max_time_ms = 60000;
    assert_int_equal(lede_search(&res, f->idx, "summ* OR leader", &o), 0);
    assert_int_equal(lede_results_count(res), 2);
    lede_results_free(res);
}

/* A query with a NUL byte is refused, not cut at it: what follows may be
 * a restriction the application appended. */
static void test_query__nul_byte(void **state)
{
    fixture *f = *state;
    static const char q[] = "summit\0 NOT summit";
    lede_results *res = (lede_results *)1;
    char *text = (char *)1;
    assert_error(lede_search_n(&res, f->idx, q, sizeof q - 1, NULL),
                 LEDE_EINVAL);
    assert_null(res);
    assert_string_equal(lede_error_last(), "query: a NUL byte at column 7");
    assert_error(lede_query_describe_n(&text, f->idx, q, sizeof q - 1, NULL),
                 LEDE_EINVAL);
    assert_null(text);
    assert_string_equal(lede_error_last(), "query: a NUL byte at column 7");
    assert_error(lede_search_n(&res, f->idx, NULL, 0, NULL), LEDE_EINVAL);
    /* Without one: the len bytes, NUL-terminated or not. */
    assert_int_equal(lede_search_n(&res, f->idx, "summitXYZ", 6, NULL), 0);
    assert_int_equal(lede_results_count(res), 1);
    lede_results_free(res);
    assert_int_equal(lede_query_describe_n(&text, f->idx, q, 6, NULL), 0);
    assert_string_equal(text, "(OR summit (SCALE 0.5 title:summit))");
    lede_free(text);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_query__table),
        T(test_query__fuzzy_tilde),
        T(test_query__long_word),
        T(test_query__impossible_dates),
        T(test_query__limits),
        T(test_query__bad_arguments),
        T(test_query__date_options_narrow),
        T(test_query__k1_zero_keeps_phrases),
        T(test_query__proximity_pairs),
        cmocka_unit_test(test_query__possessives),
        T(test_query__depth_small_stack),
        cmocka_unit_test_setup_teardown(test_query__work_bounds, th_setup_dir,
                                        th_teardown_dir),
        T(test_query__time_budget),
        T(test_query__nul_byte),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
