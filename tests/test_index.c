/*
 * test_index.c - the index and search API, through lede.h only, on real
 * Xapian databases in temporary directories.
 */
#include "helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    char *dir;  /* temporary directory */
    char *path; /* index path inside it */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = th_tempdir();
    f->path = strdup(th_path(f->dir, "index"));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    th_rmtree(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

static lede_index *open_mode(const char *path, lede_open_mode mode,
                             const char *lang)
{
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx = NULL;
    o.mode = mode;
    o.language = lang;
    /* The cases here count passages by paragraph;
     * test_index__passages_cross_paragraphs covers the default. */
    o.paragraph_passages = 1;
    assert_int_equal(lede_index_open(&idx, path, &o), 0);
    assert_non_null(idx);
    return idx;
}

static void add(lede_index *idx, const char *id, const char *title,
                const char *body)
{
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = id;
    a.title = title;
    a.title_len = strlen(title);
    a.body = body;
    a.body_len = strlen(body);
    assert_int_equal(lede_index_add(idx, &a), 0);
}

static lede_results *search(lede_index *idx, const char *q,
                            unsigned per_article)
{
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res = NULL;
    o.per_article = per_article;
    o.limit = 100;
    assert_int_equal(lede_search(&res, idx, q, &o), 0);
    assert_non_null(res);
    return res;
}

/* Number of passages matching q, all passages of every article. */
static size_t hits(lede_index *idx, const char *q)
{
    lede_results *res = search(idx, q, 0);
    size_t n = lede_results_count(res);
    lede_results_free(res);
    return n;
}

static const char summit_body[] =
    "Leaders met in Singapore on Tuesday for a summit.\n"
    "\n"
    "The talks lasted four hours. Both sides called them productive.";

static void test_index__round_trip(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    add(idx, "a/summit.txt", "Summit in Singapore", summit_body);
    add(idx, "b/weather.txt", "Rain", "Heavy rain fell on the city.");
    assert_int_equal(lede_index_commit(idx), 0);

    lede_results *res = search(idx, "productive talks", 1);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_article_id(res, 0), "a/summit.txt");
    assert_string_equal(lede_results_title(res, 0), "Summit in Singapore");
    assert_int_equal(lede_results_passage(res, 0), 1);
    /* The second paragraph starts after "...summit.\n\n" (51 bytes). */
    assert_int_equal(lede_results_start(res, 0), 51);
    assert_int_equal(lede_results_end(res, 0), sizeof summit_body - 1);
    assert_string_equal(lede_results_text(res, 0),
                        "The talks lasted four hours. Both sides called "
                        "them productive.");
    assert_true(lede_results_score(res, 0) > 0);
    assert_int_equal(lede_results_estimated(res), 1);
    /* Out of range: NULL and zeros, no crash. */
    assert_null(lede_results_article_id(res, 1));
    assert_null(lede_results_title(res, 1));
    assert_null(lede_results_text(res, 1));
    assert_int_equal(lede_results_start(res, 1), 0);
    assert_int_equal(lede_results_end(res, 1), 0);
    assert_int_equal(lede_results_passage(res, 1), 0);
    assert_true(lede_results_score(res, 1) == 0.0);
    lede_results_free(res);

    lede_index_info info;
    assert_int_equal(lede_index_stat(&info, idx), 0);
    assert_int_equal(info.articles, 2);
    assert_int_equal(info.passages, 3);
    assert_string_equal(info.language, "english");
    assert_int_equal(info.passage_words, LEDE_DEFAULT_PASSAGE_WORDS);
    assert_int_equal(info.passage_overlap, LEDE_DEFAULT_PASSAGE_OVERLAP);
    lede_index_free(idx);

    /* A reader opened afterwards sees the same. */
    idx = open_mode(f->path, LEDE_OPEN_READ, NULL);
    res = search(idx, "Singapore", 1);
    assert_int_equal(lede_results_count(res), 1);
    assert_int_equal(lede_results_passage(res, 0), 0);
    assert_int_equal(lede_results_start(res, 0), 0);
    assert_int_equal(lede_results_end(res, 0), 49);
    lede_results_free(res);
    lede_index_free(idx);
}

static void test_index__stemmed_matches(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    add(idx, "one", "", "Two summits were held.");
    assert_int_equal(lede_index_commit(idx), 0);
    assert_int_equal(hits(idx, "summit"), 1);
    assert_int_equal(hits(idx, "SUMMITING"), 1);
    lede_index_free(idx);

    /* Without stemming only the exact word matches. */
    char *dir2 = strdup(th_path(f->dir, "nostem"));
    idx = open_mode(dir2, LEDE_OPEN_CREATE, "none");
    add(idx, "one", "", "Two summits were held.");
    assert_int_equal(lede_index_commit(idx), 0);
    assert_int_equal(hits(idx, "summit"), 0);
    assert_int_equal(hits(idx, "Summits"), 1);
    lede_index_free(idx);
    free(dir2);
}

static void test_index__language_is_stored(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, "fr");
    add(idx, "un", "", "Les sommets internationaux.");
    assert_int_equal(lede_index_commit(idx), 0);
    lede_index_free(idx);

    /* Opened without a language, the index uses its own (French), so the
     * query's "sommet" meets the indexed "sommets". */
    idx = open_mode(f->path, LEDE_OPEN_READ, NULL);
    lede_index_info info;
    assert_int_equal(lede_index_stat(&info, idx), 0);
    assert_string_equal(info.language, "french");
    assert_int_equal(hits(idx, "sommet"), 1);
    lede_index_free(idx);

    /* Naming the same language under another name is fine. */
    idx = open_mode(f->path, LEDE_OPEN_WRITE, "french");
    lede_index_free(idx);
}

static void test_index__language_mismatch(void **state)
{
    fixture *f = *state;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, "english");
    lede_index_free(idx);
    o.mode = LEDE_OPEN_WRITE;
    o.language = "german";
    idx = (lede_index *)1;
    assert_error(lede_index_open(&idx, f->path, &o), LEDE_EINVAL);
    assert_null(idx);
    assert_non_null(strstr(lede_error_last(), "english"));
}

static void test_index__passage_settings_mismatch(void **state)
{
    fixture *f = *state;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx = NULL;
    o.mode = LEDE_OPEN_CREATE;
    o.passage_words = 50;
    o.passage_overlap = 0;
    assert_int_equal(lede_index_open(&idx, f->path, &o), 0);
    lede_index_free(idx);

    /* Defaults (0 and -1) take the index's own settings. */
    idx = open_mode(f->path, LEDE_OPEN_WRITE, NULL);
    lede_index_info info;
    assert_int_equal(lede_index_stat(&info, idx), 0);
    assert_int_equal(info.passage_words, 50);
    assert_int_equal(info.passage_overlap, 0);
    lede_index_free(idx);

    o.mode = LEDE_OPEN_WRITE;
    o.passage_words = 60;
    assert_error(lede_index_open(&idx, f->path, &o), LEDE_EINVAL);
    o.passage_words = 0;
    o.passage_overlap = 2;
    assert_error(lede_index_open(&idx, f->path, &o), LEDE_EINVAL);
}

static void test_index__replace_article(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    add(idx, "story", "Old", "Volcano erupts.\n\nAsh covers the town.");
    add(idx, "other", "Other", "A volcano elsewhere.");
    assert_int_equal(lede_index_commit(idx), 0);
    assert_int_equal(hits(idx, "ash"), 1);

    add(idx, "story", "New", "Flood waters rise.");
    assert_int_equal(lede_index_commit(idx), 0);
    assert_int_equal(hits(idx, "ash"), 0);
    assert_int_equal(hits(idx, "volcano"), 1); /* only "other" */
    lede_results *res = search(idx, "flood", 1);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_title(res, 0), "New");
    assert_string_equal(lede_results_text(res, 0), "Flood waters rise.");
    lede_results_free(res);

    lede_index_info info;
    assert_int_equal(lede_index_stat(&info, idx), 0);
    assert_int_equal(info.articles, 2);
    assert_int_equal(info.passages, 2);
    lede_index_free(idx);
}

static void test_index__delete_article(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    add(idx, "gone", "", "Comet seen.\n\nComet fades.");
    add(idx, "kept", "", "Comet returns.");
    assert_int_equal(lede_index_commit(idx), 0);
    assert_int_equal(lede_index_delete(idx, "gone"), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    lede_results *res = search(idx, "comet", 0);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_article_id(res, 0), "kept");
    lede_results_free(res);

    assert_error(lede_index_delete(idx, "gone"), LEDE_ENOTFOUND);
    assert_error(lede_index_delete(idx, "never-was"), LEDE_ENOTFOUND);
    lede_index_free(idx);
}

static void test_index__uncommitted_changes_discarded(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    add(idx, "first", "", "Committed text.");
    assert_int_equal(lede_index_commit(idx), 0);
    add(idx, "second", "", "Uncommitted text.");
    /* The writer sees its own change; other handles do not. */
    assert_int_equal(hits(idx, "uncommitted"), 1);
    lede_index *reader = open_mode(f->path, LEDE_OPEN_READ, NULL);
    assert_int_equal(hits(reader, "uncommitted"), 0);
    lede_index_free(reader);
    lede_index_free(idx);

    idx = open_mode(f->path, LEDE_OPEN_READ, NULL);
    assert_int_equal(hits(idx, "uncommitted"), 0);
    assert_int_equal(hits(idx, "committed"), 1);
    lede_index_free(idx);
}

static void test_index__second_writer_locked(void **state)
{
    fixture *f = *state;
    lede_index *w1 = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    lede_index *w2 = (lede_index *)1;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    o.mode = LEDE_OPEN_WRITE;
    assert_error(lede_index_open(&w2, f->path, &o), LEDE_ELOCKED);
    assert_null(w2);
    /* Readers are not blocked. */
    lede_index *r = open_mode(f->path, LEDE_OPEN_READ, NULL);
    lede_index_free(r);
    lede_index_free(w1);
    w2 = open_mode(f->path, LEDE_OPEN_WRITE, NULL);
    lede_index_free(w2);
}

static void test_index__per_article_and_paging(void **state)
{
    fixture *f = *state;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx = NULL;
    o.mode = LEDE_OPEN_CREATE;
    o.passage_words = 3;
    o.passage_overlap = 0;
    assert_int_equal(lede_index_open(&idx, f->path, &o), 0);
    /* "many": three passages about otters; "one": a single one. */
    add(idx, "many", "", "Otters swim fast. Otters eat fish. Otters sleep.");
    add(idx, "one", "", "Otters play.");
    assert_int_equal(lede_index_commit(idx), 0);

    lede_results *res = search(idx, "otters", 0);
    assert_int_equal(lede_results_count(res), 4);
    lede_results_free(res);
    res = search(idx, "otters", 1);
    assert_int_equal(lede_results_count(res), 2);
    assert_string_not_equal(lede_results_article_id(res, 0),
                            lede_results_article_id(res, 1));
    lede_results_free(res);
    res = search(idx, "otters", 2);
    assert_int_equal(lede_results_count(res), 3);
    lede_results_free(res);

    /* Paging: offset 1, limit 2 gives ranks 2 and 3 of the full list. */
    lede_results *all = search(idx, "otters", 0);
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.per_article = 0;
    so.offset = 1;
    so.limit = 2;
    assert_int_equal(lede_search(&res, idx, "otters", &so), 0);
    assert_int_equal(lede_results_count(res), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(lede_results_article_id(res, i),
                            lede_results_article_id(all, i + 1));
        assert_int_equal(lede_results_passage(res, i),
                         lede_results_passage(all, i + 1));
    }
    lede_results_free(res);
    lede_results_free(all);
    lede_index_free(idx);
}

static void test_index__invalid_utf8_body(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    /* The bad byte becomes U+FFFD (3 bytes), and offsets count the text
     * as stored. */
    add(idx, "bad", "T\xff", "Broken \xff text here.");
    assert_int_equal(lede_index_commit(idx), 0);
    lede_results *res = search(idx, "here", 1);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_text(res, 0),
                        "Broken \xef\xbf\xbd text here.");
    assert_string_equal(lede_results_title(res, 0), "T\xef\xbf\xbd");
    assert_int_equal(lede_results_end(res, 0), 21);
    lede_results_free(res);
    lede_index_free(idx);
}

static void test_index__empty_body_keeps_article(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    add(idx, "title-only", "Just a headline", "");
    add(idx, "punctuation", "", "... --- !!!");
    assert_int_equal(lede_index_commit(idx), 0);
    lede_index_info info;
    assert_int_equal(lede_index_stat(&info, idx), 0);
    assert_int_equal(info.articles, 2);
    assert_int_equal(info.passages, 2);
    /* Articles without body words are no near-duplicates of each other:
     * each is found, none folded. */
    add(idx, "headline-2", "Another headline", "");
    add(idx, "headline-3", "A third headline", "");
    assert_int_equal(lede_index_commit(idx), 0);
    lede_results *res = search(idx, "headline", 1);
    assert_int_equal(lede_results_count(res), 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(lede_results_similar(res, i), 0);
    lede_results_free(res);
    assert_int_equal(lede_index_delete(idx, "title-only"), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    assert_int_equal(lede_index_stat(&info, idx), 0);
    assert_int_equal(info.articles, 3);
    lede_index_free(idx);
}

static void test_index__long_ids(void **state)
{
    fixture *f = *state;
    char id1[LEDE_ARTICLE_ID_MAX + 1], id2[LEDE_ARTICLE_ID_MAX + 1];
    memset(id1, 'x', 600);
    id1[600] = '\0';
    memcpy(id2, id1, 601);
    id2[599] = 'y'; /* same 599-byte prefix, different id */
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    add(idx, id1, "", "Gazelle one.");
    add(idx, id2, "", "Gazelle two.");
    assert_int_equal(lede_index_commit(idx), 0);
    lede_results *res = search(idx, "gazelle", 1);
    assert_int_equal(lede_results_count(res), 2);
    lede_results_free(res);
    assert_int_equal(lede_index_delete(idx, id2), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    res = search(idx, "gazelle", 1);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_article_id(res, 0), id1);
    lede_results_free(res);

    lede_article a = LEDE_ARTICLE_INIT;
    memset(id1, 'z', sizeof id1 - 1);
    id1[sizeof id1 - 1] = '\0'; /* LEDE_ARTICLE_ID_MAX + 0 bytes: fine */
    a.id = id1;
    assert_int_equal(lede_index_add(idx, &a), 0);
    char toolong[LEDE_ARTICLE_ID_MAX + 2];
    memset(toolong, 'z', sizeof toolong - 1);
    toolong[sizeof toolong - 1] = '\0';
    a.id = toolong;
    assert_error(lede_index_add(idx, &a), LEDE_EINVAL);
    lede_index_free(idx);
}

/* Whatever allocation fails while an article is replaced, a commit
 * afterwards holds the old article or the new one, never neither or half
 * of one. */
static void test_index__replace_is_atomic_under_allocation_failure(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    add(idx, "story", "Old", "Otters swim.\n\nOtters eat fish.");
    assert_int_equal(lede_index_commit(idx), 0);
    int failures = 0;
    for (long n = 0; n < 400; n++) {
        /* A fresh handle each time, so its buffers grow (allocate) again. */
        lede_index_free(idx);
        idx = open_mode(f->path, LEDE_OPEN_WRITE, NULL);
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = "story";
        a.title = n % 2 ? "New" : "Old";
        a.title_len = 3;
        a.body = n % 2 ? "Beavers build.\n\nBeavers swim.\n\nBeavers eat."
                       : "Otters swim.\n\nOtters eat fish.";
        a.body_len = strlen(a.body);
        lede__alloc_fail_after(n);
        int rc = lede_index_add(idx, &a);
        lede__alloc_fail_after(-1);
        if (rc != 0) {
            assert_int_equal(rc, LEDE_ENOMEM);
            failures++;
        }
        assert_int_equal(lede_index_commit(idx), 0);
        lede_index_info info;
        assert_int_equal(lede_index_stat(&info, idx), 0);
        assert_int_equal(info.articles, 1);
        lede_results *res = search(idx, "otters beavers", 1);
        assert_int_equal(lede_results_count(res), 1);
        const char *title = lede_results_title(res, 0);
        /* Passages agree with the title: 2 for Old, 3 for New. */
        assert_int_equal(info.passages, strcmp(title, "Old") == 0 ? 2 : 3);
        lede_results_free(res);
    }
    assert_true(failures > 10); /* the hook did bite */
    lede_index_free(idx);
}

static void test_index__bad_articles(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    lede_article a = LEDE_ARTICLE_INIT;
    assert_error(lede_index_add(idx, &a), LEDE_EINVAL); /* no id */
    a.id = "";
    assert_error(lede_index_add(idx, &a), LEDE_EINVAL);
    a.id = "bad\xff";
    assert_error(lede_index_add(idx, &a), LEDE_EINVAL);
    a.id = "ok";
    a.body_len = 5; /* body NULL */
    assert_error(lede_index_add(idx, &a), LEDE_EINVAL);
    a.body_len = 0;
    a.version = 99;
    assert_error(lede_index_add(idx, &a), LEDE_EINVAL);
    assert_error(lede_index_add(idx, NULL), LEDE_EINVAL);
    assert_error(lede_index_add(NULL, &a), LEDE_EINVAL);
    lede_index_free(idx);
}

static void test_index__read_only_handle(void **state)
{
    fixture *f = *state;
    lede_index_free(open_mode(f->path, LEDE_OPEN_CREATE, NULL));
    lede_index *idx = open_mode(f->path, LEDE_OPEN_READ, NULL);
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = "x";
    assert_error(lede_index_add(idx, &a), LEDE_EINVAL);
    assert_error(lede_index_delete(idx, "x"), LEDE_EINVAL);
    assert_error(lede_index_commit(idx), LEDE_EINVAL);
    lede_index_free(idx);
}

static void test_index__open_errors(void **state)
{
    fixture *f = *state;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx = (lede_index *)1;

    /* Missing index, for reading and for writing. */
    assert_error(lede_index_open(&idx, f->path, NULL), LEDE_ENOTFOUND);
    assert_null(idx);
    assert_non_null(strstr(lede_error_last(), f->path));
    o.mode = LEDE_OPEN_WRITE;
    assert_error(lede_index_open(&idx, f->path, &o), LEDE_ENOTFOUND);

    /* A directory that is not an index. */
    assert_int_equal(mkdir(f->path, 0755), 0);
    assert_error(lede_index_open(&idx, f->path, NULL), LEDE_EINDEX);
    assert_non_null(strstr(lede_error_last(), f->path));

    /* Never create an index among other files. */
    th_write(th_path(f->path, "article.txt"), "x", 1);
    o.mode = LEDE_OPEN_CREATE;
    assert_error(lede_index_open(&idx, f->path, &o), LEDE_EINVAL);
    struct stat st;
    assert_int_not_equal(stat(th_path(f->path, "iamglass"), &st), 0);

    /* Unknown language: nothing is created. */
    char *fresh = strdup(th_path(f->dir, "fresh"));
    o.language = "klingon";
    assert_error(lede_index_open(&idx, fresh, &o), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "klingon"));
    assert_int_not_equal(stat(fresh, &st), 0);
    o.language = "";
    assert_error(lede_index_open(&idx, fresh, &o), LEDE_EINVAL);
    free(fresh);

    /* Bad arguments. */
    o.language = NULL;
    assert_error(lede_index_open(NULL, f->path, &o), LEDE_EINVAL);
    assert_error(lede_index_open(&idx, NULL, &o), LEDE_EINVAL);
    o.version = 0;
    assert_error(lede_index_open(&idx, f->path, &o), LEDE_EINVAL);
    o.version = LEDE_INDEX_OPTIONS_VERSION;
    o.mode = (lede_open_mode)7;
    assert_error(lede_index_open(&idx, f->path, &o), LEDE_EINVAL);
    lede_index_free(NULL);
}

/* A creation that failed before Xapian wrote its version file (out of
 * memory, disk full) leaves a lock file, empty tables and a temporary;
 * the next creation clears them, unless another process holds the lock
 * because it is creating the index right now. */
static void test_index__create_over_failed_creation(void **state)
{
    fixture *f = *state;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    struct stat st;

    assert_int_equal(mkdir(f->path, 0755), 0);
    th_write(th_path(f->path, "flintlock"), "", 0);
    th_write(th_path(f->path, "postlist.glass"), "", 0);
    th_write(th_path(f->path, "termlist.glass"), "", 0);
    th_write(th_path(f->path, "v.tmp"), "partial", 7);
    o.mode = LEDE_OPEN_CREATE;

    /* Another process holds the lock: not touched. */
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(th_path(f->path, "flintlock"), O_RDWR);
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        char c = fd >= 0 && fcntl(fd, F_SETLK, &fl) == 0 ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(1);
        _exit(0);
    }
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(c, 'y');
    assert_error(lede_index_open(&idx, f->path, &o), LEDE_ELOCKED);
    assert_non_null(strstr(lede_error_last(), "another process"));
    assert_int_equal(stat(th_path(f->path, "v.tmp"), &st), 0);
    assert_int_equal(write(go[1], "x", 1), 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(status, 0);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);

    /* Nobody holds it: cleared, and the index is created. */
    assert_int_equal(lede_index_open(&idx, f->path, &o), 0);
    assert_int_not_equal(stat(th_path(f->path, "v.tmp"), &st), 0);
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = "one";
    a.body = "Created at last.";
    a.body_len = strlen(a.body);
    assert_int_equal(lede_index_add(idx, &a), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    lede_index_free(idx);
    uint64_t problems = 1;
    assert_int_equal(lede_index_check(&problems, f->path, NULL, NULL), 0);
    assert_int_equal(problems, 0);

    /* A leftover beside a file of someone else's is still refused. */
    char *other = strdup(th_path(f->dir, "other"));
    assert_int_equal(mkdir(other, 0755), 0);
    th_write(th_path(other, "flintlock"), "", 0);
    th_write(th_path(other, "notes.txt"), "mine", 4);
    assert_error(lede_index_open(&idx, other, &o), LEDE_EINVAL);
    assert_int_equal(stat(th_path(other, "flintlock"), &st), 0);
    free(other);
}

static void test_index__search_errors(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_results *res = (lede_results *)1;
    add(idx, "a", "", "Some words.");
    assert_int_equal(lede_index_commit(idx), 0);

    assert_error(lede_search(&res, idx, "", &o), LEDE_EINVAL);
    assert_null(res);
    assert_error(lede_search(&res, idx, "?! ...", &o), LEDE_EINVAL);
    assert_error(lede_search(&res, idx, "good \xff bad", &o), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "byte 5"));
    assert_error(lede_search(NULL, idx, "words", &o), LEDE_EINVAL);
    assert_error(lede_search(&res, NULL, "words", &o), LEDE_EINVAL);
    assert_error(lede_search(&res, idx, NULL, &o), LEDE_EINVAL);
    o.k1 = -1;
    assert_error(lede_search(&res, idx, "words", &o), LEDE_EINVAL);
    o.k1 = LEDE_DEFAULT_K1;
    o.b = 1.5;
    assert_error(lede_search(&res, idx, "words", &o), LEDE_EINVAL);
    o.b = LEDE_DEFAULT_B;
    o.limit = LEDE_SEARCH_LIMIT_MAX + 1;
    assert_error(lede_search(&res, idx, "words", &o), LEDE_EINVAL);
    assert_string_equal(lede_error_last(),
                        "limit 10001 is over the maximum of 10000");
    o.limit = 10;
    o.offset = LEDE_SEARCH_OFFSET_MAX + 1;
    assert_error(lede_search(&res, idx, "words", &o), LEDE_EINVAL);
    assert_string_equal(lede_error_last(),
                        "offset 100001 is over the maximum of 100000");
    o.offset = LEDE_SEARCH_OFFSET_MAX;
    assert_int_equal(lede_search(&res, idx, "words", &o), 0);
    assert_int_equal(lede_results_count(res), 0);
    lede_results_free(res);
    o.offset = 0;
    o.version = 0;
    assert_error(lede_search(&res, idx, "words", &o), LEDE_EINVAL);

    /* A query of 300 words is over the limit. */
    char big[300 * 2 + 1];
    for (int i = 0; i < 300; i++)
        memcpy(big + 2 * i, "w ", 2);
    big[600] = '\0';
    assert_error(lede_search(&res, idx, big, NULL), LEDE_EINVAL);

    /* The index still answers. */
    assert_int_equal(hits(idx, "words"), 1);
    lede_index_free(idx);
    assert_int_equal(lede_results_count(NULL), 0);
    assert_int_equal(lede_results_estimated(NULL), 0);
    lede_results_free(NULL);
}

static void test_index__stat_errors(void **state)
{
    fixture *f = *state;
    lede_index *idx = open_mode(f->path, LEDE_OPEN_CREATE, NULL);
    lede_index_info info;
    assert_error(lede_index_stat(NULL, idx), LEDE_EINVAL);
    assert_error(lede_index_stat(&info, NULL), LEDE_EINVAL);
    assert_error(lede_index_commit(NULL), LEDE_EINVAL);
    assert_error(lede_index_delete(NULL, "x"), LEDE_EINVAL);
    assert_error(lede_index_delete(idx, NULL), LEDE_EINVAL);
    lede_index_free(idx);
}

static void test_index__passages_cross_paragraphs(void **state)
{
    fixture *f = *state;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    o.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&idx, f->path, &o), 0);
    add(idx, "a/summit.txt", "Summit in Singapore", summit_body);
    assert_int_equal(lede_index_commit(idx), 0);
    /* Both paragraphs fit in 100 words: one passage, the whole body. */
    lede_results *res = search(idx, "productive talks", 1);
    assert_int_equal(lede_results_count(res), 1);
    assert_int_equal(lede_results_passage(res, 0), 0);
    assert_int_equal(lede_results_start(res, 0), 0);
    assert_int_equal(lede_results_end(res, 0), sizeof summit_body - 1);
    lede_results_free(res);
    lede_index_free(idx);
    /* The index remembers: asking a writer for paragraph passages now is
     * ignored (an existing index keeps its own), and new articles are
     * split the same way. */
    o.mode = LEDE_OPEN_WRITE;
    o.paragraph_passages = 1;
    assert_int_equal(lede_index_open(&idx, f->path, &o), 0);
    add(idx, "b/summit.txt", "Again", summit_body);
    assert_int_equal(lede_index_commit(idx), 0);
    lede_index_info info;
    assert_int_equal(lede_index_stat(&info, idx), 0);
    assert_int_equal(info.passages, 2);
    lede_index_free(idx);
}

/* Highlights fall on the words whose stems matched, in English, where
 * words not starting as a query term starts are not even stemmed, and in
 * a language whose stemmer takes prefixes off ("membaca" is "baca"). */
static void test_index__highlights_by_stem(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *lang, *body, *query;
        const char *words[3]; /* the highlighted words, in order */
    } cases[] = {
        {"english",
         "Leaders talked. The talks on trade were talking points.",
         "talk",
         {"talked", "talks", "talking"}},
        {"indonesian",
         "Mereka membaca buku yang dibaca oleh guru.",
         "baca",
         {"membaca", "dibaca", NULL}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        char path[4096];
        snprintf(path, sizeof path, "%s-%zu", f->path, c);
        lede_index *idx = open_mode(path, LEDE_OPEN_CREATE, cases[c].lang);
        add(idx, "a", "Title", cases[c].body);
        assert_int_equal(lede_index_commit(idx), 0);
        lede_results *res = search(idx, cases[c].query, 1);
        assert_int_equal(lede_results_count(res), 1);
        size_t n;
        const lede_span *hl = lede_results_highlights(res, 0, &n);
        const char *text = lede_results_text(res, 0);
        size_t want = 0;
        while (want < 3 && cases[c].words[want] != NULL)
            want++;
        assert_int_equal(n, want);
        for (size_t i = 0; i < n; i++) {
            const char *w = cases[c].words[i];
            assert_int_equal(hl[i].end - hl[i].start, strlen(w));
            assert_memory_equal(text + hl[i].start, w, strlen(w));
        }
        lede_results_free(res);
        lede_index_free(idx);
    }
}

/* Articles of the shard tests: varied enough that no two scores tie. */
static const char *const shard_words[] = {
    "harbour", "ship",   "channel", "storm",  "pilot", "cargo",
    "tide",    "anchor", "crane",   "vessel", "dock",  "quay"};

static void shard_article(char *body, size_t n, int k)
{
    size_t at = 0;
    for (int w = 0; w < 5 + k % 7 && at + 16 < n; w++)
        at += (size_t)snprintf(body + at, n - at, "%s ",
                               shard_words[(k * 7 + w * w) % 12]);
    snprintf(body + at, n - at, ".");
}

/* The same articles in one index at dir/one and in shards dir/shard-00i,
 * each article in shard fnv1a(id) % nshards, and a stub dir/set.stub. */
static void make_shards(const char *dir, int nshards, const char *lang1)
{
    lede_index *one = open_mode(th_path(dir, "one"), LEDE_OPEN_CREATE, NULL);
    lede_index *sh[4];
    char name[32], body[256], id[16], stub[256] = "# two shards\n\n";
    for (int i = 0; i < nshards; i++) {
        snprintf(name, sizeof name, "shard-00%d", i);
        sh[i] = open_mode(th_path(dir, name), LEDE_OPEN_CREATE,
                          i == 1 ? lang1 : NULL);
        snprintf(stub + strlen(stub), sizeof stub - strlen(stub), "auto %s\n",
                 name);
    }
    for (int k = 0; k < 40; k++) {
        snprintf(id, sizeof id, "art%02d", k);
        shard_article(body, sizeof body, k);
        add(one, id, shard_words[k % 12], body);
        add(sh[lede__hash_fnv1a(id, strlen(id)) % (unsigned)nshards], id,
            shard_words[k % 12], body);
    }
    assert_int_equal(lede_index_commit(one), 0);
    lede_index_free(one);
    for (int i = 0; i < nshards; i++) {
        assert_int_equal(lede_index_commit(sh[i]), 0);
        lede_index_free(sh[i]);
    }
    th_write(th_path(dir, "set.stub"), stub, strlen(stub));
}

static void test_index__shard_set_local(void **state)
{
    fixture *f = *state;
    make_shards(f->dir, 2, NULL);
    char *set = strdup(th_path(f->dir, "set.stub"));
    lede_index *one = open_mode(th_path(f->dir, "one"), LEDE_OPEN_READ, NULL);
    lede_index *all = open_mode(set, LEDE_OPEN_READ, NULL);
    lede_index_info a, b;
    assert_int_equal(lede_index_stat(&a, one), 0);
    assert_int_equal(lede_index_stat(&b, all), 0);
    assert_int_equal(b.articles, 40);
    assert_int_equal(a.passages, b.passages);
    assert_int_equal(lede_index_missing_count(all), 0);
    assert_null(lede_index_missing(all, 0));

    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    o.limit = 100;
    o.per_article = 2;
    o.flags = LEDE_SEARCH_EXPLAIN;
    lede_results *r1, *r2;
    assert_int_equal(lede_search(&r1, one, "harbour storm pilot", &o), 0);
    assert_int_equal(lede_search(&r2, all, "harbour storm pilot", &o), 0);
    assert_true(lede_results_count(r1) > 10);
    assert_int_equal(lede_results_count(r1), lede_results_count(r2));
    assert_int_equal(lede_results_missing_count(r2), 0);
    for (size_t i = 0; i < lede_results_count(r1); i++) {
        assert_string_equal(lede_results_article_id(r1, i),
                            lede_results_article_id(r2, i));
        assert_int_equal(lede_results_passage(r1, i),
                         lede_results_passage(r2, i));
        assert_float_equal(lede_results_score(r1, i), lede_results_score(r2, i),
                           1e-9);
        size_t n1, n2;
        const lede_explain *e1 = lede_results_explain(r1, i, &n1);
        const lede_explain *e2 = lede_results_explain(r2, i, &n2);
        assert_int_equal(n1, n2);
        for (size_t k = 0; k < n1; k++) {
            assert_string_equal(e1[k].term, e2[k].term);
            assert_int_equal(e1[k].df, e2[k].df);
            assert_float_equal(e1[k].weight, e2[k].weight, 1e-9);
        }
        char *s1, *s2;
        assert_int_equal(lede_results_snippet(&s1, r1, i, "[", "]"), 0);
        assert_int_equal(lede_results_snippet(&s2, r2, i, "[", "]"), 0);
        assert_string_equal(s1, s2);
        lede_free(s1);
        lede_free(s2);
    }
    lede_results_free(r1);
    lede_results_free(r2);
    /* The spelling data of local shards is there too. */
    assert_int_equal(lede_search(&r2, all, "harbuor", &o), 0);
    assert_int_equal(lede_results_count(r2), 0);
    assert_string_equal(lede_results_suggestion(r2), "harbour");
    lede_results_free(r2);
    lede_index_free(one);
    lede_index_free(all);
    free(set);
}

static void test_index__shard_set_errors(void **state)
{
    fixture *f = *state;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx = (lede_index *)1;
    make_shards(f->dir, 2, NULL);
    char *set = strdup(th_path(f->dir, "set.stub"));

    /* Writing to a set is refused, pointing to lede-index --shards. */
    o.mode = LEDE_OPEN_WRITE;
    assert_error(lede_index_open(&idx, set, &o), LEDE_EINVAL);
    assert_null(idx);
    assert_non_null(strstr(lede_error_last(), "--shards"));
    o.mode = LEDE_OPEN_READ;

    /* A line lede cannot open, and a set of no shards. */
    th_write(set, "auto shard-000\nprog lede\n", 25);
    assert_error(lede_index_open(&idx, set, &o), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "set.stub:2: 'prog lede'"));
    th_write(set, "remote host:99999\n", 18);
    assert_error(lede_index_open(&idx, set, &o), LEDE_EINVAL);
    th_write(set, "# nothing\n", 10);
    assert_error(lede_index_open(&idx, set, &o), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "names no shard"));

    /* A shard that is not there: an error naming it, or with
     * allow_partial the others, and its name. */
    th_write(set, "auto shard-000\nauto gone\n", 25);
    lede__error_clear();
    assert_true(lede_index_open(&idx, set, &o) < 0);
    assert_null(idx);
    assert_non_null(strstr(lede_error_last(), "set.stub:2: shard 'auto gone'"));
    o.allow_partial = 1;
    assert_int_equal(lede_index_open(&idx, set, &o), 0);
    assert_int_equal(lede_index_missing_count(idx), 1);
    assert_string_equal(lede_index_missing(idx, 0), "auto gone");
    assert_null(lede_index_missing(idx, 1));
    lede_results *res;
    assert_int_equal(lede_search(&res, idx, "harbour", NULL), 0);
    assert_int_equal(lede_results_missing_count(res), 1);
    assert_string_equal(lede_results_missing(res, 0), "auto gone");
    assert_null(lede_results_missing(res, 1));
    lede_results_free(res);
    /* A reader reopened keeps its options. */
    assert_int_equal(lede_index_reopen(idx), 0);
    assert_int_equal(lede_index_missing_count(idx), 1);
    lede_index_free(idx);
    /* Options of version 3 have no allow_partial: it is not read. */
    o.version = 3;
    lede__error_clear();
    assert_true(lede_index_open(&idx, set, &o) < 0);
    assert_null(idx);
    free(set);
}

/* A reader reopened after a rebuild in another language searches as a
 * new reader does: the stems it had cached belong to the old index. */
static void test_index__reopen_after_language_rebuild(void **state)
{
    fixture *f = *state;
    char *corpus = strdup(th_path(f->dir, "corpus"));
    assert_int_equal(mkdir(corpus, 0755), 0);
    static const char text[] = "Night ferries\n\nThe ferries kept running "
                               "all night.\n";
    th_write(th_path(corpus, "a.txt"), text, strlen(text));
    const char *roots[] = {corpus};
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.language = "english";
    assert_int_equal(lede_index_rebuild(NULL, f->path, &io, roots, 1, NULL), 0);

    /* English: "running" is stemmed "run", and the stem is cached. */
    lede_index *reader = open_mode(f->path, LEDE_OPEN_READ, NULL);
    assert_int_equal(hits(reader, "running"), 1);
    assert_int_equal(hits(reader, "run"), 1);

    io.language = "none";
    assert_int_equal(lede_index_rebuild(NULL, f->path, &io, roots, 1, NULL), 0);
    lede_index *fresh = open_mode(f->path, LEDE_OPEN_READ, NULL);
    assert_int_equal(hits(fresh, "running"), 1);
    assert_int_equal(hits(fresh, "run"), 0);

    assert_int_equal(lede_index_reopen(reader), 0);
    lede_index_info info;
    assert_int_equal(lede_index_stat(&info, reader), 0);
    assert_string_equal(info.language, "none");
    lede_results *res = search(reader, "running", 1);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_article_id(res, 0), "a.txt");
    assert_string_equal(lede_results_text(res, 0),
                        "The ferries kept running all night.");
    lede_results_free(res);
    assert_int_equal(hits(reader, "run"), 0);

    /* A reopen that fails keeps the revision the handle had. */
    char *moved = strdup(th_path(f->dir, "moved"));
    assert_int_equal(rename(f->path, moved), 0);
    assert_error(lede_index_reopen(reader), LEDE_ENOTFOUND);
    assert_int_equal(hits(reader, "running"), 1);
    assert_int_equal(lede_index_stat(&info, reader), 0);
    assert_string_equal(info.language, "none");
    lede_index_free(fresh);
    lede_index_free(reader);
    free(moved);
    free(corpus);
}

static void test_index__shard_settings_differ(void **state)
{
    fixture *f = *state;
    lede_index *idx = (lede_index *)1;
    make_shards(f->dir, 2, "french");
    assert_error(lede_index_open(&idx, th_path(f->dir, "set.stub"), NULL),
                 LEDE_EINVAL);
    assert_null(idx);
    assert_non_null(
        strstr(lede_error_last(), "lede:language is 'english' and 'french'"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_index__round_trip),
        T(test_index__passages_cross_paragraphs),
        T(test_index__stemmed_matches),
        T(test_index__language_is_stored),
        T(test_index__language_mismatch),
        T(test_index__passage_settings_mismatch),
        T(test_index__replace_article),
        T(test_index__delete_article),
        T(test_index__uncommitted_changes_discarded),
        T(test_index__second_writer_locked),
        T(test_index__per_article_and_paging),
        T(test_index__invalid_utf8_body),
        T(test_index__empty_body_keeps_article),
        T(test_index__long_ids),
        T(test_index__replace_is_atomic_under_allocation_failure),
        T(test_index__bad_articles),
        T(test_index__read_only_handle),
        T(test_index__open_errors),
        T(test_index__create_over_failed_creation),
        T(test_index__search_errors),
        T(test_index__stat_errors),
        T(test_index__highlights_by_stem),
        T(test_index__shard_set_local),
        T(test_index__shard_set_errors),
        T(test_index__shard_settings_differ),
        T(test_index__reopen_after_language_rebuild),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
