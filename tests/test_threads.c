/*
 * test_threads.c - eight threads search while a writer commits.
 *
 * lede follows Xapian's rule: a handle belongs to one thread at a time, so
 * every reader thread opens its own handle. The writer rewrites all 200
 * articles with a new generation word in each commit. Every search must
 * then see one generation only (a commit is atomic, and a search runs on
 * one revision, reopening by itself when a writer overwrote it), and the
 * generations a thread sees never go back. The readers run at least
 * 10,000 queries in all, and go on until at least 100 commits have landed
 * while they ran. Run under ThreadSanitizer by ./run-tests.sh --tsan.
 *
 * Then readers during rebuilds: a writer rebuilds the index again and
 * again, each time swapping a new directory in at the index's path, while
 * readers open the path afresh for every search. Every search must
 * succeed and find every article, whichever index it met. The count of
 * swaps and its time are bounded (LEDE_SWAPS, default 200; at most
 * LEDE_SWAP_SECONDS, default 30); bench/reliability/swaps.sh runs
 * thousands.
 */
#include "helpers.h"
#include "xapian_shim.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define ARTICLES 200
#define READERS 8
#define QUERIES 1250 /* each, at least */
#define COMMITS 100  /* landed while the readers run, at least */

typedef struct {
    const char *path;       /* the index */
    atomic_int writer_done; /* the writer has stopped */
    atomic_int generations; /* commits made */
    atomic_int readers_up;  /* readers that have opened their handle */
    atomic_int first_gen;   /* the generation when the last reader opened */
    atomic_long queries;    /* searches run */
    atomic_int failures;    /* searches that failed or were inconsistent */
    atomic_long hits;       /* passages checked */
    atomic_int reopens;     /* explicit reopens done */
} shared;

static void write_generation(lede_index *w, int gen)
{
    char id[32], body[160];
    for (int i = 0; i < ARTICLES; i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        snprintf(id, sizeof id, "story%03d", i);
        snprintf(body, sizeof body,
                 "The lighthouse keeper wrote entry zq%d in generation "
                 "gen%d of the log.",
                 i, gen);
        a.id = id;
        a.body = body;
        a.body_len = strlen(body);
        if (lede_index_add(w, &a) != 0)
            abort(); /* the test's own failure, not the library's */
    }
}

static void *writer(void *arg)
{
    shared *s = arg;
    lede_index *w;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    o.mode = LEDE_OPEN_WRITE;
    if (lede_index_open(&w, s->path, &o) != 0) {
        fprintf(stderr, "# writer: open: %s\n", lede_error_last());
        atomic_fetch_add(&s->failures, 1);
        atomic_store(&s->writer_done, 1);
        return NULL;
    }
    /* On until the readers are done. */
    for (int gen = 1; gen < 1000000; gen++) {
        write_generation(w, gen);
        if (lede_index_commit(w) != 0) {
            fprintf(stderr, "# writer: commit: %s\n", lede_error_last());
            atomic_fetch_add(&s->failures, 1);
            break;
        }
        atomic_store(&s->generations, gen);
        if (atomic_load(&s->writer_done))
            break;
    }
    lede_index_free(w);
    return NULL;
}

/* The generation number in a passage text, or -1. */
static int generation(const char *text)
{
    const char *g = strstr(text, " gen");
    return g ? atoi(g + 4) : -1;
}

static void *reader(void *arg)
{
    shared *s = arg;
    lede_index *r;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    int last = 0;
    unsigned seed = (unsigned)(uintptr_t)&r;

    o.flags = LEDE_SEARCH_NO_DEDUP; /* the stories are near-duplicates */
    o.limit = 5;
    if (lede_index_open(&r, s->path, NULL) != 0) {
        fprintf(stderr, "# reader: open: %s\n", lede_error_last());
        atomic_fetch_add(&s->failures, 1);
        return NULL;
    }
    if (atomic_fetch_add(&s->readers_up, 1) == READERS - 1)
        atomic_store(&s->first_gen, atomic_load(&s->generations));
    for (int q = 0;; q++) {
        if (q >= QUERIES && atomic_load(&s->readers_up) == READERS &&
            atomic_load(&s->generations) - atomic_load(&s->first_gen) >=
                COMMITS)
            break;
        char query[64];
        seed = seed * 1103515245u + 12345u;
        if (q % 2)
            snprintf(query, sizeof query, "zq%u keeper",
                     (seed >> 8) % ARTICLES);
        else
            snprintf(query, sizeof query, "lighthouse log");
        lede_results *res;
        if (lede_search(&res, r, query, &o) != 0) {
            fprintf(stderr, "# search failed: %s\n", lede_error_last());
            atomic_fetch_add(&s->failures, 1);
            continue;
        }
        int gen = -1, ok = lede_results_count(res) > 0;
        for (size_t i = 0; i < lede_results_count(res); i++) {
            int g = generation(lede_results_text(res, i));
            if (gen < 0)
                gen = g;
            ok = ok && g == gen; /* one revision: one generation */
        }
        ok = ok && gen >= last; /* never back in time */
        if (!ok) {
            fprintf(stderr, "# inconsistent: gen %d after %d\n", gen, last);
            atomic_fetch_add(&s->failures, 1);
        }
        last = gen > last ? gen : last;
        atomic_fetch_add(&s->hits, (long)lede_results_count(res));
        atomic_fetch_add(&s->queries, 1);
        lede_results_free(res);
        if (q % 100 == 99) {
            if (lede_index_reopen(r) != 0) {
                fprintf(stderr, "# reader: reopen: %s\n", lede_error_last());
                atomic_fetch_add(&s->failures, 1);
            }
            atomic_fetch_add(&s->reopens, 1);
        }
    }
    lede_index_free(r);
    return NULL;
}

static void test_threads__readers_during_commits(void **state)
{
    th_dir *d = *state;
    lede_index *w;
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    shared s;
    pthread_t wt, rt[READERS];

    o.mode = LEDE_OPEN_CREATE;
    s.path = th_path(d->dir, "i");
    char path[4096];
    strcpy(path, s.path);
    s.path = path;
    atomic_init(&s.writer_done, 0);
    atomic_init(&s.generations, 0);
    atomic_init(&s.failures, 0);
    atomic_init(&s.hits, 0);
    atomic_init(&s.reopens, 0);
    atomic_init(&s.readers_up, 0);
    atomic_init(&s.first_gen, 0);
    atomic_init(&s.queries, 0);
    assert_int_equal(lede_index_open(&w, path, &o), 0);
    write_generation(w, 0);
    assert_int_equal(lede_index_commit(w), 0);
    lede_index_free(w);

    long retries = lede__retry_count();
    assert_int_equal(pthread_create(&wt, NULL, writer, &s), 0);
    for (int i = 0; i < READERS; i++)
        assert_int_equal(pthread_create(&rt[i], NULL, reader, &s), 0);
    for (int i = 0; i < READERS; i++)
        assert_int_equal(pthread_join(rt[i], NULL), 0);
    int during = atomic_load(&s.generations) - atomic_load(&s.first_gen);
    atomic_store(&s.writer_done, 1);
    assert_int_equal(pthread_join(wt, NULL), 0);
    retries = lede__retry_count() - retries;

    /* The line bench/reliability/readers.sh reports. */
    printf("# %ld queries, %d failed, %d commits landed during them, %ld "
           "passages checked, %d reopens by the readers, %ld reads retried "
           "on a newer revision\n",
           atomic_load(&s.queries), atomic_load(&s.failures), during,
           atomic_load(&s.hits), atomic_load(&s.reopens), retries);
    assert_int_equal(atomic_load(&s.failures), 0);
    assert_true(during >= COMMITS);
    assert_true(atomic_load(&s.queries) >= READERS * QUERIES);
    assert_true(atomic_load(&s.hits) >= READERS * QUERIES);
}

/* ---- readers during rebuilds ------------------------------------------ */

#define SWAP_ARTICLES 30
#define SWAP_READERS 2

typedef struct {
    const char *path;  /* the index */
    const char *small; /* the puffins alone */
    const char *large; /* the puffins and many others */
    int swaps_max;     /* rebuilds to do */
    double deadline;   /* or until then (CLOCK_MONOTONIC seconds) */
    atomic_int done;   /* the writer has stopped */
    atomic_int swaps;  /* rebuilds swapped in */
    atomic_long queries;
    atomic_int failures;
} swapping;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *rebuilder(void *arg)
{
    swapping *s = arg;
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.threads = 1;
    while (atomic_load(&s->swaps) < s->swaps_max && now() < s->deadline) {
        /* Indexes of different sizes in turn: a reader that mixed the
         * files of two would read past the end of one. */
        const char *roots[] = {atomic_load(&s->swaps) % 2 ? s->small
                                                          : s->large};
        if (lede_index_rebuild(NULL, s->path, NULL, roots, 1, &so) != 0) {
            fprintf(stderr, "# rebuild: %s\n", lede_error_last());
            atomic_fetch_add(&s->failures, 1);
            break;
        }
        atomic_fetch_add(&s->swaps, 1);
    }
    atomic_store(&s->done, 1);
    return NULL;
}

static void *swap_reader(void *arg)
{
    swapping *s = arg;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    o.flags = LEDE_SEARCH_NO_DEDUP;
    o.limit = 100;
    while (!atomic_load(&s->done)) {
        lede_index *r;
        lede_results *res = NULL;
        int rc = lede_index_open(&r, s->path, NULL);
        if (rc == 0)
            rc = lede_search(&res, r, "puffin", &o);
        if (rc != 0) {
            fprintf(stderr, "# search failed: %s\n", lede_error_last());
            atomic_fetch_add(&s->failures, 1);
        } else if (lede_results_count(res) != SWAP_ARTICLES) {
            fprintf(stderr, "# %zu hits, not %d\n", lede_results_count(res),
                    SWAP_ARTICLES);
            atomic_fetch_add(&s->failures, 1);
        }
        atomic_fetch_add(&s->queries, 1);
        lede_results_free(res);
        lede_index_free(r);
    }
    return NULL;
}

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    return v != NULL && atoi(v) > 0 ? atoi(v) : dflt;
}

static void test_threads__readers_during_rebuilds(void **state)
{
    th_dir *d = *state;
    char path[4096], small[4096], large[4096], file[4200], text[128];
    swapping s;
    pthread_t wt, rt[SWAP_READERS];

    snprintf(path, sizeof path, "%s", th_path(d->dir, "i"));
    snprintf(small, sizeof small, "%s", th_path(d->dir, "small"));
    snprintf(large, sizeof large, "%s", th_path(d->dir, "large"));
    assert_int_equal(mkdir(small, 0755), 0);
    assert_int_equal(mkdir(large, 0755), 0);
    for (int i = 0; i < SWAP_ARTICLES; i++) {
        int n = snprintf(text, sizeof text,
                         "Puffin %d\n\nThe puffin number %d nests on the "
                         "cliff.\n",
                         i, i);
        snprintf(file, sizeof file, "%s/p%02d.txt", small, i);
        th_write(file, text, (size_t)n);
        snprintf(file, sizeof file, "%s/p%02d.txt", large, i);
        th_write(file, text, (size_t)n);
    }
    for (int i = 0; i < 5 * SWAP_ARTICLES; i++) {
        int n = snprintf(text, sizeof text,
                         "Gannet %d\n\nThe gannet w%d dives for fish x%d.\n", i,
                         i, i * 7);
        snprintf(file, sizeof file, "%s/g%03d.txt", large, i);
        th_write(file, text, (size_t)n);
    }
    memset(&s, 0, sizeof s);
    s.path = path;
    s.small = small;
    s.large = large;
    s.swaps_max = env_int("LEDE_SWAPS", 200);
    s.deadline = now() + env_int("LEDE_SWAP_SECONDS", 30);
    atomic_init(&s.done, 0);
    atomic_init(&s.swaps, 0);
    atomic_init(&s.queries, 0);
    atomic_init(&s.failures, 0);
    const char *roots[] = {small};
    assert_int_equal(lede_index_rebuild(NULL, path, NULL, roots, 1, NULL), 0);

    for (int i = 0; i < SWAP_READERS; i++)
        assert_int_equal(pthread_create(&rt[i], NULL, swap_reader, &s), 0);
    assert_int_equal(pthread_create(&wt, NULL, rebuilder, &s), 0);
    assert_int_equal(pthread_join(wt, NULL), 0);
    for (int i = 0; i < SWAP_READERS; i++)
        assert_int_equal(pthread_join(rt[i], NULL), 0);

    /* The line bench/reliability/swaps.sh reports. */
    printf("# %ld searches, %d failed, across %d swaps\n",
           atomic_load(&s.queries), atomic_load(&s.failures),
           atomic_load(&s.swaps));
    assert_int_equal(atomic_load(&s.failures), 0);
    /* Enough of both to have met the swap many times, even on a slow
     * machine (or under a sanitizer) that reached the time limit first. */
    assert_true(atomic_load(&s.swaps) >= 20 ||
                atomic_load(&s.swaps) >= s.swaps_max);
    assert_true(atomic_load(&s.queries) >= 10 * atomic_load(&s.swaps));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_threads__readers_during_commits,
                                        th_setup_dir, th_teardown_dir),
        cmocka_unit_test_setup_teardown(test_threads__readers_during_rebuilds,
                                        th_setup_dir, th_teardown_dir),
    };
    /* The swap campaign runs the second test alone. */
    const struct CMUnitTest swaps[] = {
        cmocka_unit_test_setup_teardown(test_threads__readers_during_rebuilds,
                                        th_setup_dir, th_teardown_dir),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    if (getenv("LEDE_SWAPS") != NULL)
        return cmocka_run_group_tests(swaps, NULL, NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
