/*
 * test_api.c - the contract of lede.h as a whole: every public function
 * refuses NULL arguments and closed handles with LEDE_EINVAL and a message
 * naming it; out-parameters are cleared on failure; and a whole
 * index-sync-search session survives running out of memory at every one
 * of its allocations, failing only with LEDE_ENOMEM, leaking nothing
 * (AddressSanitizer runs check that) and leaving a sound index.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* rc must be code, and the message must contain text. */
#define assert_fails_with(rc, code, text)                                      \
    do {                                                                       \
        lede__error_clear();                                                   \
        int rc_ = (rc);                                                        \
        assert_int_equal(rc_, (code));                                         \
        if (strstr(lede_error_last(), (text)) == NULL)                         \
            fail_msg("message \"%s\" lacks \"%s\"", lede_error_last(),         \
                     (text));                                                  \
    } while (0)

static int count_token(const char *tok, size_t len, size_t start, size_t end,
                       void *payload)
{
    (void)tok, (void)len, (void)start, (void)end;
    ++*(int *)payload;
    return 0;
}

static int count_read(const lede_read_event *ev, void *payload)
{
    if (ev->article != NULL)
        ++*(int *)payload;
    return 0;
}

static int count_problem(const char *problem, void *payload)
{
    (void)problem;
    ++*(int *)payload;
    return 0;
}

static lede_index *make_index(const char *path)
{
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx = NULL;
    lede_article a = LEDE_ARTICLE_INIT;
    o.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&idx, path, &o), 0);
    a.id = "a1";
    a.title = "Summit";
    a.title_len = 6;
    a.body = "The summit ended.";
    a.body_len = strlen(a.body);
    assert_int_equal(lede_index_add(idx, &a), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    return idx;
}

static void test_api__null_arguments(void **state)
{
    th_dir *d = *state;
    const char *path = th_path(d->dir, "idx");
    char *ipath = strdup(path);
    lede_index *idx = make_index(ipath);
    lede_index *out_idx = (lede_index *)1;
    lede_results *res = (lede_results *)1;
    char *text = (char *)1;
    lede_index_info info;
    lede_format fmt;
    lede_sync_stats st;
    uint64_t problems = 7;
    const char *roots[] = {d->dir};
    lede_article a = LEDE_ARTICLE_INIT;

    assert_fails_with(lede_index_open(NULL, ipath, NULL), LEDE_EINVAL,
                      "lede_index_open: ");
    assert_fails_with(lede_index_open(&out_idx, NULL, NULL), LEDE_EINVAL,
                      "lede_index_open: ");
    assert_null(out_idx);
    assert_fails_with(lede_index_add(NULL, &a), LEDE_EINVAL,
                      "lede_index_add: index is NULL");
    assert_fails_with(lede_index_add(idx, NULL), LEDE_EINVAL,
                      "lede_index_add: article is NULL");
    assert_fails_with(lede_index_delete(NULL, "a1"), LEDE_EINVAL,
                      "lede_index_delete: index is NULL");
    assert_fails_with(lede_index_delete(idx, NULL), LEDE_EINVAL,
                      "lede_index_delete: ");
    assert_fails_with(lede_index_commit(NULL), LEDE_EINVAL,
                      "lede_index_commit: index is NULL");
    assert_fails_with(lede_index_stat(NULL, idx), LEDE_EINVAL,
                      "lede_index_stat: out is NULL");
    assert_fails_with(lede_index_stat(&info, NULL), LEDE_EINVAL,
                      "lede_index_stat: index is NULL");
    assert_fails_with(lede_index_reopen(NULL), LEDE_EINVAL,
                      "lede_index_reopen: index is NULL");
    assert_fails_with(lede_index_close(NULL), LEDE_EINVAL,
                      "lede_index_close: index is NULL");
    assert_fails_with(lede_index_sync(&st, NULL, roots, 1, NULL), LEDE_EINVAL,
                      "lede_index_sync: index is NULL");
    assert_fails_with(lede_index_sync(&st, idx, NULL, 1, NULL), LEDE_EINVAL,
                      "lede_index_sync: roots is NULL");
    assert_fails_with(lede_index_rebuild(&st, NULL, NULL, roots, 1, NULL),
                      LEDE_EINVAL, "lede_index_rebuild: path is");
    assert_fails_with(lede_index_check(&problems, NULL, NULL, NULL),
                      LEDE_EINVAL, "lede_index_check: path is NULL");
    assert_int_equal(problems, 0);
    assert_fails_with(lede_search(NULL, idx, "x", NULL), LEDE_EINVAL,
                      "lede_search: ");
    assert_fails_with(lede_search(&res, NULL, "x", NULL), LEDE_EINVAL,
                      "lede_search: ");
    assert_null(res);
    res = (lede_results *)1;
    assert_fails_with(lede_search(&res, idx, NULL, NULL), LEDE_EINVAL,
                      "lede_search: query is NULL");
    assert_null(res);
    assert_fails_with(lede_query_describe(&text, idx, NULL, NULL), LEDE_EINVAL,
                      "lede_query_describe: query is NULL");
    assert_null(text);
    assert_fails_with(lede_query_describe(NULL, idx, "x", NULL), LEDE_EINVAL,
                      "lede_query_describe: ");
    assert_fails_with(lede_results_snippet(NULL, NULL, 0, "", ""), LEDE_EINVAL,
                      "lede_results_snippet: ");
    assert_fails_with(lede_tokenize(NULL, 3, count_token, NULL), LEDE_EINVAL,
                      "lede_tokenize: text is NULL");
    assert_fails_with(lede_tokenize("abc", 3, NULL, NULL), LEDE_EINVAL,
                      "lede_tokenize: ");
    assert_fails_with(lede_format_parse(&fmt, NULL), LEDE_EINVAL,
                      "lede_format_parse: name is NULL");
    assert_fails_with(lede_format_parse(NULL, "txt"), LEDE_EINVAL,
                      "lede_format_parse: ");
    assert_fails_with(lede_read_file(NULL, NULL, count_read, NULL), LEDE_EINVAL,
                      "lede_read_file: path is NULL");
    assert_fails_with(lede_read_file(ipath, NULL, NULL, NULL), LEDE_EINVAL,
                      "lede_read_file: ");

    /* Getters of NULL results are empty, never a crash. */
    assert_int_equal(lede_results_count(NULL), 0);
    assert_int_equal(lede_results_estimated(NULL), 0);
    assert_null(lede_results_suggestion(NULL));
    assert_null(lede_results_text(NULL, 0));
    assert_null(lede_results_article_id(NULL, 0));
    assert_true(lede_results_score(NULL, 0) == 0.0);
    assert_int_equal(lede_results_date(NULL, 0), LEDE_NO_DATE);
    size_t n = 9;
    assert_null(lede_results_highlights(NULL, 0, &n));
    assert_int_equal(n, 0);
    n = 9;
    assert_null(lede_results_explain(NULL, 0, &n));
    assert_int_equal(n, 0);

    /* The free functions accept NULL. */
    lede_index_free(NULL);
    lede_results_free(NULL);
    lede_free(NULL);

    assert_string_equal(lede_strerror(LEDE_OK), "success");
    assert_string_equal(lede_strerror(LEDE_ENOMEM), "out of memory");
    assert_string_equal(lede_strerror(LEDE_ELIMIT), "over a limit");
    assert_string_equal(lede_strerror(12345), "unknown error");
    lede_index_free(idx);
    free(ipath);
}

static void test_api__closed_handle(void **state)
{
    th_dir *d = *state;
    char *ipath = strdup(th_path(d->dir, "idx"));
    lede_index *idx = make_index(ipath);
    lede_results *res = (lede_results *)1;
    lede_index_info info;
    lede_sync_stats st;
    const char *roots[] = {d->dir};
    lede_article a = LEDE_ARTICLE_INIT;
    char *text = (char *)1;
    a.id = "a2";

    assert_int_equal(lede_index_close(idx), 0);
    assert_fails_with(lede_index_close(idx), LEDE_EINVAL,
                      "lede_index_close: the index is closed");
    assert_fails_with(lede_index_add(idx, &a), LEDE_EINVAL,
                      "lede_index_add: the index is closed");
    assert_fails_with(lede_index_delete(idx, "a1"), LEDE_EINVAL,
                      "lede_index_delete: the index is closed");
    assert_fails_with(lede_index_commit(idx), LEDE_EINVAL,
                      "lede_index_commit: the index is closed");
    assert_fails_with(lede_index_stat(&info, idx), LEDE_EINVAL,
                      "lede_index_stat: the index is closed");
    assert_fails_with(lede_index_reopen(idx), LEDE_EINVAL,
                      "lede_index_reopen: the index is closed");
    assert_fails_with(lede_index_sync(&st, idx, roots, 1, NULL), LEDE_EINVAL,
                      "lede_index_sync: the index is closed");
    assert_fails_with(lede_search(&res, idx, "summit", NULL), LEDE_EINVAL,
                      "lede_search: the index is closed");
    assert_null(res);
    assert_fails_with(lede_query_describe(&text, idx, "summit", NULL),
                      LEDE_EINVAL, "lede_query_describe: the index is closed");
    assert_null(text);

    /* Closing released the write lock: another writer gets in at once. */
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *w = NULL;
    o.mode = LEDE_OPEN_WRITE;
    assert_int_equal(lede_index_open(&w, ipath, &o), 0);
    lede_index_free(w);
    lede_index_free(idx);
    free(ipath);
}

/* Functions that take a path, on a path with no index and on a directory
 * that is not one; and a reader whose index vanished. */
static void test_api__missing_and_foreign_paths(void **state)
{
    th_dir *d = *state;
    char *missing = strdup(th_path(d->dir, "missing"));
    char *plain = strdup(th_path(d->dir, "plain"));
    char *ipath = strdup(th_path(d->dir, "idx"));
    uint64_t problems = 7;
    lede_index *idx = NULL;
    lede_results *res = NULL;
    int n = 0;

    assert_int_equal(mkdir(plain, 0777), 0);
    assert_fails_with(lede_index_check(&problems, missing, count_problem, &n),
                      LEDE_ENOTFOUND, missing);
    assert_int_equal(problems, 0);
    assert_fails_with(lede_index_check(&problems, plain, count_problem, &n),
                      LEDE_EINDEX, plain);
    assert_int_equal(n, 0);
    assert_fails_with(lede_index_open(&idx, missing, NULL), LEDE_ENOTFOUND,
                      missing);
    assert_fails_with(lede_index_open(&idx, plain, NULL), LEDE_EINDEX, plain);
    assert_null(idx);

    /* A reader keeps its view when its index is gone, and says so. */
    lede_index_free(make_index(ipath));
    assert_int_equal(lede_index_open(&idx, ipath, NULL), 0);
    assert_int_equal(lede_index_check(&problems, ipath, NULL, NULL), 0);
    th_rmtree(ipath);
    assert_fails_with(lede_index_reopen(idx), LEDE_ENOTFOUND, ipath);
    assert_int_equal(lede_search(&res, idx, "summit", NULL), 0);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_article_id(res, 0), "a1");
    lede_results_free(res);
    lede_index_free(idx);
    free(missing);
    free(plain);
    free(ipath);
}

static void test_api__version(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", LEDE_VERSION_MAJOR,
             LEDE_VERSION_MINOR, LEDE_VERSION_PATCH);
    assert_string_equal(lede_version(), LEDE_VERSION);
    assert_string_equal(want, LEDE_VERSION);
    assert_int_equal(LEDE_VERSION_NUM, (LEDE_VERSION_MAJOR << 16) |
                                           (LEDE_VERSION_MINOR << 8) |
                                           LEDE_VERSION_PATCH);
}

/*
 * One session as a library user would run it; every call must succeed or
 * fail with LEDE_ENOMEM. Returns 0 when all of it succeeded, 1 when some
 * call ran out of memory (the session stops there, releasing everything).
 */
static int session(const char *dir, int n)
{
    char ipath[1024], corpus[1024], jsonl[1024];
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    lede_index *idx = NULL;
    lede_results *res = NULL;
    lede_sync_stats st;
    char *text = NULL;
    int rc, tokens = 0, articles = 0, problems = 0;

    snprintf(ipath, sizeof ipath, "%s/idx%d", dir, n);
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    snprintf(jsonl, sizeof jsonl, "%s/corpus/news.jsonl", dir);
    const char *roots[] = {corpus};

#define STEP(call)                                                             \
    do {                                                                       \
        lede__error_clear();                                                   \
        rc = (call);                                                           \
        if (rc == LEDE_ENOMEM) {                                               \
            assert_true(lede_error_last()[0] != '\0');                         \
            goto out;                                                          \
        }                                                                      \
        if (rc != 0)                                                           \
            fail_msg("%s: %d (%s) with allocation %d failing", #call, rc,      \
                     lede_error_last(), n);                                    \
    } while (0)

    rc = 0;
    STEP(lede_tokenize("Kim and Trump met in Singapore", 30, count_token,
                       &tokens));
    STEP(lede_read_file(jsonl, NULL, count_read, &articles));
    io.mode = LEDE_OPEN_CREATE;
    STEP(lede_index_open(&idx, ipath, &io));
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = "manual";
    a.title = "Summit in Singapore";
    a.title_len = strlen(a.title);
    a.body = "Leaders met in Singapore on 12 June 2018. The summit was "
             "short.\n\nA second paragraph follows, about the talks.";
    a.body_len = strlen(a.body);
    a.date = 1528761600;
    STEP(lede_index_add(idx, &a));
    STEP(lede_index_sync(&st, idx, roots, 1, NULL));
    /* Sync must not swallow running out of memory as a bad file. */
    if (st.skipped != 0 || st.errors != 0)
        fail_msg("sync skipped %llu files, %llu errors, allocation %d",
                 (unsigned long long)st.skipped, (unsigned long long)st.errors,
                 n);
    STEP(lede_index_commit(idx));
    so.flags = LEDE_SEARCH_EXPLAIN;
    so.limit = 5;
    STEP(lede_search(&res, idx, "singapore summit -hanoi title:summit summ*",
                     &so));
    if (lede_results_count(res) > 0)
        STEP(lede_results_snippet(&text, res, 0, "[", "]"));
    lede_free(text);
    text = NULL;
    lede_results_free(res);
    res = NULL;
    STEP(lede_search(&res, idx, "singapre", NULL));
    lede_results_free(res);
    res = NULL;
    STEP(lede_query_describe(&text, idx, "\"harbour ferry\"~2 OR date:2018",
                             NULL));
    lede_free(text);
    text = NULL;
    STEP(lede_index_delete(idx, "manual"));
    STEP(lede_index_commit(idx));
    lede_index_free(idx);
    idx = NULL;
    STEP(lede_index_check(NULL, ipath, count_problem, &problems));
#undef STEP
out:
    lede_free(text);
    lede_results_free(res);
    lede_index_free(idx);
    /* Whatever failed, what was committed is sound. */
    if (rc != 0) {
        lede__alloc_fail_after(-1);
        lede_index *r = NULL;
        int orc = lede_index_open(&r, ipath, NULL);
        lede_index_free(r);
        if (orc == 0) {
            problems = 0;
            assert_int_equal(
                lede_index_check(NULL, ipath, count_problem, &problems), 0);
        }
    }
    assert_int_equal(problems, 0);
    return rc != 0;
}

static void test_api__out_of_memory_everywhere(void **state)
{
    th_dir *d = *state;
    char corpus[1024];
    snprintf(corpus, sizeof corpus, "%s/corpus", d->dir);
    assert_int_equal(mkdir(corpus, 0777), 0);
    const char *jsonl =
        "{\"id\":\"j1\",\"title\":\"Hanoi summit\",\"text\":\"The Hanoi "
        "summit ended early.\",\"date\":\"2019-02-28\"}\n"
        "{\"id\":\"j2\",\"title\":\"Harbour\",\"text\":\"The harbour ferry "
        "runs again.\"}\n";
    th_write(th_path(corpus, "news.jsonl"), jsonl, strlen(jsonl));
    const char *txt = "Lighthouse\n\nThe keeper retired after forty years.\n";
    th_write_gz(th_path(corpus, "keeper.txt.gz"), txt, strlen(txt), "wb");

    /* A clean run first, counting its allocations. */
    long before = lede__alloc_attempts();
    assert_int_equal(session(d->dir, -1), 0);
    long total = lede__alloc_attempts() - before;
    assert_true(total > 100);

    long failed = 0;
    for (long n = 0; n <= total; n++) {
        lede__alloc_fail_after(n);
        failed += session(d->dir, (int)n);
        lede__alloc_fail_after(-1);
        char sub[64];
        snprintf(sub, sizeof sub, "idx%ld", n);
        th_rmtree(th_path(d->dir, sub));
    }
    /* Every allocation's failure reached the caller as LEDE_ENOMEM: none
     * was swallowed (the last run, n == total, needs no more). */
    print_message("# %ld allocations, %ld sessions ran out of memory\n", total,
                  failed);
    assert_int_equal(failed, total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_api__null_arguments, th_setup_dir,
                                        th_teardown_dir),
        cmocka_unit_test_setup_teardown(test_api__closed_handle, th_setup_dir,
                                        th_teardown_dir),
        cmocka_unit_test_setup_teardown(test_api__missing_and_foreign_paths,
                                        th_setup_dir, th_teardown_dir),
        cmocka_unit_test(test_api__version),
        cmocka_unit_test_setup_teardown(test_api__out_of_memory_everywhere,
                                        th_setup_dir, th_teardown_dir),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
