/*
 * test_article.c - articles given back whole: the text byte for byte
 * whatever its shape, what the first passage says of the article, and
 * the list of an index's articles.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *dir;       /* scratch directory */
    lede_index *idx; /* open for writing */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    f->dir = th_tempdir();
    o.mode = LEDE_OPEN_CREATE;
    o.passage_words = 12; /* many passages, overlapping */
    assert_int_equal(lede_index_open(&f->idx, th_path(f->dir, "i"), &o), 0);
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

static void add(lede_index *idx, const char *id, const char *body, size_t len)
{
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = id;
    a.title = "T";
    a.title_len = 1;
    a.body = body;
    a.body_len = len;
    assert_int_equal(lede_index_add(idx, &a), 0);
}

/* Bodies of every shape come back as they went in (invalid UTF-8 and NUL
 * as U+FFFD, as documented). */
static void test_article__text_byte_for_byte(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *id, *in, *out;
        size_t in_len;
    } cases[] = {
        {"spaces", "  \n\nLead.  Second   sentence here.\n\n\n  Last one.\n  ",
         NULL, 0},
        {"crlf", "One line.\r\n\r\nTwo line.\r\n", NULL, 0},
        {"nowords", " \n -- ... \n", NULL, 0},
        {"empty", "", NULL, 0},
        {"long",
         "The delegates met in the hall at dawn. They argued for hours "
         "about the text of the treaty, word by word.\n\nA vote came at "
         "noon; it failed. The chair adjourned the meeting until the next "
         "day, and the delegates left the hall one by one, in silence.\n\n"
         "\tIndented, with a tab.",
         NULL, 0},
        {"bad", "caf\xe9 and a NUL\0 here.",
         "caf\xef\xbf\xbd and a NUL\xef"
         "\xbf\xbd here.",
         21},
        {"utf8", "Ηφαίστειο εξερράγη. 火山が噴火した。", NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        add(f->idx, cases[i].id, cases[i].in,
            cases[i].in_len ? cases[i].in_len : strlen(cases[i].in));
    assert_int_equal(lede_index_commit(f->idx), 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lede_stored *s;
        assert_int_equal(lede_index_article(&s, f->idx, cases[i].id), 0);
        const lede_article *a = lede_stored_article(s);
        const char *want = cases[i].out ? cases[i].out : cases[i].in;
        assert_int_equal(a->body_len, strlen(want));
        assert_memory_equal(a->body, want, a->body_len);
        assert_int_equal(a->body[a->body_len], '\0');
        assert_string_equal(a->id, cases[i].id);
        lede_stored_free(s);
    }
    /* The long one has overlapping passages: their offsets, in order. */
    lede_stored *s;
    size_t n, start, end, prev_start = 0;
    assert_int_equal(lede_index_article(&s, f->idx, "long"), 0);
    n = lede_stored_passage_count(s);
    assert_true(n >= 3);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(lede_stored_passage(s, i, &start, &end), 0);
        assert_true(start >= prev_start && end > start);
        prev_start = start;
    }
    assert_int_equal(lede_stored_passage(s, 0, &start, &end), 0);
    assert_int_equal(start, 0);
    assert_int_equal(end, 38); /* "The delegates met in the hall at dawn." */
    assert_error(lede_stored_passage(s, n, &start, &end), LEDE_EINVAL);
    lede_stored_free(s);
}

/* Everything the first passage says of the article. */
static void test_article__what_is_stored(void **state)
{
    fixture *f = *state;
    lede_field v[] = {{"author", "Alex  Wong"}, {"tag", "x"}, {"tag", "y"}};
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = "full";
    a.title = "A title";
    a.title_len = 7;
    a.body = "Body text.";
    a.body_len = 10;
    a.date = 1528761600;
    a.url = "https://example.org/full";
    a.fields = v;
    a.n_fields = 3;
    a.path = "world/asia/full.txt";
    assert_int_equal(lede_index_add(f->idx, &a), 0);
    add(f->idx, "bare", "Bare.", 5);
    assert_int_equal(lede_index_commit(f->idx), 0);

    lede_stored *s;
    assert_int_equal(lede_index_article(&s, f->idx, "full"), 0);
    const lede_article *b = lede_stored_article(s);
    assert_int_equal(b->version, LEDE_ARTICLE_VERSION);
    assert_int_equal(b->title_len, 7);
    assert_memory_equal(b->title, "A title", 7);
    assert_int_equal(b->date, 1528761600);
    assert_string_equal(b->url, "https://example.org/full");
    assert_string_equal(b->path, "world/asia/full.txt");
    assert_int_equal(b->n_fields, 3);
    assert_string_equal(b->fields[0].value, "Alex  Wong");
    assert_string_equal(b->fields[2].name, "tag");
    assert_string_equal(b->fields[2].value, "y");
    assert_null(lede_stored_source(s)); /* added, not synced */
    lede_stored_free(s);

    assert_int_equal(lede_index_article(&s, f->idx, "bare"), 0);
    b = lede_stored_article(s);
    assert_null(b->url);
    assert_null(b->path);
    assert_int_equal(b->n_fields, 0);
    assert_int_equal(b->date, LEDE_NO_DATE);
    lede_stored_free(s);

    /* Failures. */
    s = (lede_stored *)&a; /* overwritten with NULL */
    assert_error(lede_index_article(&s, f->idx, "nope"), LEDE_ENOTFOUND);
    assert_null(s);
    assert_string_equal(lede_error_last(), "no article 'nope'");
    assert_error(lede_index_article(NULL, f->idx, "full"), LEDE_EINVAL);
    assert_error(lede_index_article(&s, f->idx, NULL), LEDE_EINVAL);
    assert_error(lede_index_article(&s, NULL, "full"), LEDE_EINVAL);
    assert_null(lede_stored_article(NULL));
    assert_int_equal(lede_stored_passage_count(NULL), 0);
    lede_stored_free(NULL);
}

static int collect(const char *id, const char *path, const char *source,
                   void *payload)
{
    char *out = payload;
    snprintf(out + strlen(out), 1024 - strlen(out), "%s|%s|%s\n", id,
             path ? path : "-", source ? source : "-");
    return strcmp(id, "stop") == 0 ? 7 : 0;
}

/* Every article, or those under a folder; the callback can stop it. */
static void test_article__list(void **state)
{
    fixture *f = *state;
    static const char *const paths[][2] = {
        {"a", "world/a.txt"}, {"b", "world/asia/b.txt"}, {"c", "sport/c.txt"},
        {"d", NULL},          {"stop", "z.txt"},         {"e", "world/e.txt"}};
    for (size_t i = 0; i < 6; i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = paths[i][0];
        a.title = "T";
        a.title_len = 1;
        a.body = "Two sentences here. Two passages, with twelve words in "
                 "a passage at most, and more words.";
        a.body_len = strlen(a.body);
        a.path = paths[i][1];
        assert_int_equal(lede_index_add(f->idx, &a), 0);
    }
    assert_int_equal(lede_index_commit(f->idx), 0);
    char out[1024] = "";
    assert_int_equal(lede_index_articles(f->idx, NULL, collect, out), 7);
    assert_string_equal(out, "a|world/a.txt|-\n"
                             "b|world/asia/b.txt|-\n"
                             "c|sport/c.txt|-\n"
                             "d|-|-\n"
                             "stop|z.txt|-\n");
    out[0] = '\0';
    assert_int_equal(lede_index_articles(f->idx, "world", collect, out), 0);
    assert_string_equal(out, "a|world/a.txt|-\n"
                             "b|world/asia/b.txt|-\n"
                             "e|world/e.txt|-\n");
    out[0] = '\0';
    assert_int_equal(lede_index_articles(f->idx, "world/asia/", collect, out),
                     0);
    assert_string_equal(out, "b|world/asia/b.txt|-\n");
    assert_int_equal(lede_index_articles(f->idx, "nowhere", collect, out), 0);
    assert_error(lede_index_articles(f->idx, NULL, NULL, NULL), LEDE_EINVAL);
    assert_error(lede_index_articles(NULL, NULL, collect, out), LEDE_EINVAL);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_article__text_byte_for_byte, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_article__what_is_stored, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_article__list, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
