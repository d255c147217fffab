/*
 * test_retry.c - when a read that met a writer runs again (retry.c), and
 * the facts the shim reports for that decision: a real glass database
 * whose blocks no longer decode is read once more on reopening, then
 * reported as corrupt.
 */
#include "helpers.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <string.h>

static void test_retry__policy(void **state)
{
    (void)state;
    static const struct {
        lede__xfail kind;
        int attempt;
        int again;
    } reads[] = {
        {LEDE__XFAIL_MODIFIED, 1, 1},
        {LEDE__XFAIL_MODIFIED, LEDE__RETRY_TRIES - 1, 1},
        {LEDE__XFAIL_MODIFIED, LEDE__RETRY_TRIES, 0},
        {LEDE__XFAIL_CORRUPT, 1, 1},
        {LEDE__XFAIL_CORRUPT, LEDE__RETRY_TRIES, 0},
        {LEDE__XFAIL_NETWORK, 1, 0},
        {LEDE__XFAIL_OTHER, 1, 0},
        {LEDE__XFAIL_NONE, 1, 0},
    };
    long before = lede__retry_count();
    long granted = 0;
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        assert_int_equal(lede__retry_read(reads[i].kind, reads[i].attempt),
                         reads[i].again);
        granted += reads[i].again;
    }
    assert_int_equal(lede__retry_count() - before, granted);

    static const struct {
        lede__xfail kind, reopen;
        int newer, again;
    } reopens[] = {
        /* An overwritten revision: the newest one is read. */
        {LEDE__XFAIL_MODIFIED, LEDE__XFAIL_NONE, 0, 1},
        {LEDE__XFAIL_MODIFIED, LEDE__XFAIL_NONE, 1, 1},
        /* Corruption is a writer's race only if a commit landed. */
        {LEDE__XFAIL_CORRUPT, LEDE__XFAIL_NONE, 1, 1},
        {LEDE__XFAIL_CORRUPT, LEDE__XFAIL_NONE, 0, 0},
        /* The reopen met the writer too: one more try. */
        {LEDE__XFAIL_CORRUPT, LEDE__XFAIL_MODIFIED, 0, 1},
        {LEDE__XFAIL_MODIFIED, LEDE__XFAIL_CORRUPT, 0, 1},
        /* Any other failure of the reopen is reported. */
        {LEDE__XFAIL_MODIFIED, LEDE__XFAIL_NETWORK, 1, 0},
        {LEDE__XFAIL_CORRUPT, LEDE__XFAIL_OTHER, 1, 0},
    };
    for (size_t i = 0; i < sizeof reopens / sizeof *reopens; i++)
        assert_int_equal(lede__retry_reopened(reopens[i].kind,
                                              reopens[i].reopen,
                                              reopens[i].newer),
                         reopens[i].again);
}

/* Block n (of glass's default 8 KiB) of file overwritten with 0xAA. */
static void garble(const char *file, long n)
{
    FILE *f = fopen(file, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    assert_true(ftell(f) >= (n + 1) * 8192);
    assert_int_equal(fseek(f, n * 8192, SEEK_SET), 0);
    for (long i = 0; i < 8192; i++)
        assert_int_not_equal(fputc(0xAA, f), EOF);
    assert_int_equal(fclose(f), 0);
}

static void test_retry__corrupt_block_read_once_more(void **state)
{
    th_dir *d = *state;
    const char *path = th_path(d->dir, "db");
    char *db_path = lede__strndup(path, strlen(path));
    lede__xdb *db;
    lede__xdoc *doc;
    assert_int_equal(lede__xdb_open(&db, db_path, LEDE_OPEN_CREATE), 0);
    assert_int_equal(lede__xdoc_new(&doc), 0);
    /* Enough words for the postlist's B-tree to have leaves below its
     * root, which opening the database reads. */
    for (uint32_t i = 1; i <= 3; i++) {
        char word[32];
        assert_int_equal(lede__xdoc_clear(doc), 0);
        assert_int_equal(lede__xdoc_posting(doc, "apple", 5, 1, 1), 0);
        for (uint32_t w = 0; w < 2000; w++) {
            int len = snprintf(word, sizeof word, "w%u-%08u-%u", i, w, w * 7);
            assert_int_equal(
                lede__xdoc_posting(doc, word, (size_t)len, w + 2, 1), 0);
        }
        assert_int_equal(lede__xdb_add(db, doc), 0);
    }
    lede__xdoc_free(doc);
    assert_int_equal(lede__xdb_commit(db), 0);
    lede__xdb_free(db);

    uint64_t n;
    assert_int_equal(lede__xdb_open(&db, db_path, LEDE_OPEN_READ), 0);
    assert_int_equal(lede__xdb_termfreq(&n, db, "apple", 5), 0);
    assert_int_equal(n, 3);
    assert_int_equal(lede__xdb_failure(db), LEDE__XFAIL_NONE);
    lede__xdb_free(db);

    /* The postlist's first leaf, which holds "apple" (its root, which
     * opening reads, is written last). No commit lands, so no newer
     * revision can explain the damage: the read is tried once more on
     * reopening, then reported. */
    garble(th_path(db_path, "postlist.glass"), 0);
    assert_int_equal(lede__xdb_open(&db, db_path, LEDE_OPEN_READ), 0);
    long before = lede__retry_count();
    assert_error(lede__xdb_termfreq(&n, db, "apple", 5), LEDE_ECORRUPT);
    assert_int_equal(lede__xdb_failure(db), LEDE__XFAIL_CORRUPT);
    assert_int_equal(lede__retry_count() - before, 1);
    assert_int_equal(lede__xdb_failed_shard(db), -1);
    lede__xdb_free(db);
    lede__free(db_path);
}

static void test_retry__missing_database_not_retried(void **state)
{
    th_dir *d = *state;
    lede__xdb *db;
    long before = lede__retry_count();
    assert_error(lede__xdb_open(&db, th_path(d->dir, "none"), LEDE_OPEN_READ),
                 LEDE_ENOTFOUND);
    assert_null(db);
    assert_int_equal(lede__retry_count() - before, 0);
}

int main(void)
{
#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, th_setup_dir, th_teardown_dir)
    const struct CMUnitTest tests[] = {
        T(test_retry__policy),
        T(test_retry__corrupt_block_read_once_more),
        T(test_retry__missing_database_not_retried),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
