/*
 * test_parallel.c - one search by several threads over a set of local
 * shards: the same results as one thread (ids, passages, offsets, scores
 * to 1e-9, near-duplicates folded, counts) for sets of 1, 2 and 4 shards
 * and every kind of query; each thread's part holds its shards' documents
 * only; how many threads a setting asks for; the count's sample, which
 * tells a shard's articles apart by their docids, against a full count.
 */
#include "helpers.h"
#include "xapian_shim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Articles in the corpus. */
#define ARTICLES 160

static const char *const words[] = {
    "harbour", "ferry",  "storm",   "gull",   "wheat",  "grain",  "oil",
    "price",   "summit", "tanker",  "market", "bridge", "river",  "flood",
    "council", "budget", "railway", "strike", "pier",   "beacon", "tide"};
#define NWORDS (sizeof words / sizeof *words)

typedef struct {
    char *dir; /* scratch: corpus/ and the sets */
} fixture;

/* A deterministic sequence, so every run builds the same corpus. */
static unsigned next_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

/* A paragraph of n words from the vocabulary. */
static size_t paragraph(char *buf, size_t cap, unsigned *seed, int n)
{
    size_t len = 0;
    for (int w = 0; w < n; w++) {
        const char *word = words[next_rand(seed) % NWORDS];
        len += (size_t)snprintf(buf + len, cap - len, "%s%s%s",
                                w == 0 ? "" : " ", word, w % 9 == 8 ? "." : "");
    }
    return len + (size_t)snprintf(buf + len, cap - len, ".");
}

/* ARTICLES articles of two to four paragraphs, dated over a month; every
 * tenth repeats the text of the one before (a near-duplicate). */
static void write_corpus(const char *path)
{
    size_t cap = (size_t)ARTICLES * 4096, len = 0;
    char *out = malloc(cap), prev[3072] = "", text[3072];
    unsigned seed = 7;
    assert_non_null(out);
    for (int i = 0; i < ARTICLES; i++) {
        if (i % 10 == 9) {
            memcpy(text, prev, sizeof text);
        } else {
            size_t t = 0;
            int paras = 2 + (int)(next_rand(&seed) % 3);
            for (int p = 0; p < paras; p++) {
                if (p > 0)
                    t += (size_t)snprintf(text + t, sizeof text - t, "\\n\\n");
                t += paragraph(text + t, sizeof text - t, &seed,
                               20 + (int)(next_rand(&seed) % 40));
            }
            memcpy(prev, text, sizeof text);
        }
        len += (size_t)snprintf(
            out + len, cap - len,
            "{\"id\":\"a%03d\",\"title\":\"Report %d on the %s\","
            "\"date\":\"1987-03-%02d\",\"text\":\"%s\"}\n",
            i, i, words[(unsigned)i % NWORDS], 1 + i % 28, text);
    }
    th_write(path, out, len);
    free(out);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = th_tempdir();
    char corpus[4096];
    snprintf(corpus, sizeof corpus, "%s", th_path(f->dir, "corpus"));
    assert_int_equal(mkdir(corpus, 0755), 0);
    write_corpus(th_path(corpus, "news.jsonl"));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    th_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* The set of n shards of the corpus, made on first use; with paragraphs,
 * a passage a paragraph (two to four an article). */
static const char *set_made(fixture *f, unsigned n, int paragraphs)
{
    static char path[4096];
    char name[32];
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.paragraph_passages = paragraphs;
    snprintf(name, sizeof name, "%s%u", paragraphs ? "para" : "set", n);
    snprintf(path, sizeof path, "%s", th_path(f->dir, name));
    if (access(path, F_OK) != 0) {
        char corpus[4096];
        snprintf(corpus, sizeof corpus, "%s", th_path(f->dir, "corpus"));
        const char *roots[] = {corpus};
        lede_sync_stats st;
        assert_int_equal(lede_shards_sync(&st, path, n, &io, roots, 1, NULL),
                         0);
        if (st.added != ARTICLES)
            fail_msg("%u shards: %llu articles added, %llu errors", n,
                     (unsigned long long)st.added,
                     (unsigned long long)st.errors);
    }
    return path;
}

static const char *set_of(fixture *f, unsigned n)
{
    return set_made(f, n, 0);
}

/* Search query with o and threads. */
static lede_results *run(lede_index *idx, const char *query,
                         const lede_search_options *o, unsigned threads)
{
    lede_search_options so = *o;
    lede_results *res = NULL;
    so.threads = threads;
    int rc = lede_search(&res, idx, query, &so);
    if (rc != 0)
        fail_msg("%s: %s", query, lede_error_last());
    return res;
}

/* a and b hold the same results. */
static void assert_same(const lede_results *a, const lede_results *b,
                        const char *what)
{
    size_t n = lede_results_count(a);
    if (n != lede_results_count(b) ||
        lede_results_estimated(a) != lede_results_estimated(b) ||
        lede_results_exact(a) != lede_results_exact(b))
        fail_msg("%s: %zu results (%llu matching), not %zu (%llu)", what,
                 lede_results_count(b),
                 (unsigned long long)lede_results_estimated(b), n,
                 (unsigned long long)lede_results_estimated(a));
    for (size_t i = 0; i < n; i++) {
        if (strcmp(lede_results_article_id(a, i),
                   lede_results_article_id(b, i)) != 0 ||
            lede_results_passage(a, i) != lede_results_passage(b, i) ||
            fabs(lede_results_score(a, i) - lede_results_score(b, i)) > 1e-9 ||
            lede_results_start(a, i) != lede_results_start(b, i) ||
            lede_results_end(a, i) != lede_results_end(b, i) ||
            lede_results_similar(a, i) != lede_results_similar(b, i) ||
            strcmp(lede_results_text(a, i), lede_results_text(b, i)) != 0)
            fail_msg("%s: hit %zu is %s #%u %.12f, not %s #%u %.12f", what, i,
                     lede_results_article_id(b, i), lede_results_passage(b, i),
                     lede_results_score(b, i), lede_results_article_id(a, i),
                     lede_results_passage(a, i), lede_results_score(a, i));
    }
}

/* One case: a query with its options. */
typedef struct {
    const char *query;    /* the query */
    unsigned flags;       /* LEDE_SEARCH_* */
    size_t limit;         /* passages asked for */
    size_t offset;        /* passages skipped */
    unsigned per_article; /* passages per article */
    size_t least;         /* results there must be, at least */
} search_case;

static const search_case cases[] = {
    {"harbour", 0, 100, 0, 1, 50},
    {"storm OR wheat OR tide", 0, 100, 0, 1, 90},
    {"\"oil price\"", 0, 100, 0, 1, 1},
    {"harbour ferry", LEDE_SEARCH_ALL, 100, 0, 1, 10},
    {"harbour", LEDE_SEARCH_NO_DEDUP, 100, 0, 1, 50},
    {"gull beacon", LEDE_SEARCH_NO_DEDUP, 100, 0, 0, 90},
    {"gull beacon", 0, 100, 0, 3, 90},
    {"river flood", LEDE_SEARCH_SORT_DATE, 100, 0, 1, 50},
    {"river flood", LEDE_SEARCH_SORT_DATE | LEDE_SEARCH_NO_DEDUP, 20, 15, 1,
     20},
    {"budget council", 0, 10, 30, 1, 10},
    {"budget council", LEDE_SEARCH_NO_DEDUP, 10, 30, 1, 10},
    {"railway -strike", LEDE_SEARCH_COUNT, 100, 0, 1, 3},
    {"title:report", 0, 50, 0, 1, 50},
    {"pier", LEDE_SEARCH_IDS_ONLY, 100, 0, 1, 30},
    {"zeppelin", 0, 100, 0, 1, 0},
    {"harbour", 0, 10, 5000, 1, 0},
};

/* Every case with one thread and with threads (and 0) on a set of n. */
static void same_as_one_thread(fixture *f, unsigned n, unsigned threads)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    io.mode = LEDE_OPEN_READ;
    assert_int_equal(lede_index_open(&idx, set_of(f, n), &io), 0);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const search_case *k = &cases[c];
        lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
        char what[256];
        o.flags = k->flags;
        o.limit = k->limit;
        o.offset = k->offset;
        o.per_article = k->per_article;
        lede_results *one = run(idx, k->query, &o, 1);
        lede_results *many = run(idx, k->query, &o, threads);
        lede_results *dflt = run(idx, k->query, &o, 0);
        if (lede_results_count(one) < k->least)
            fail_msg("%s: %zu results, fewer than %zu", k->query,
                     lede_results_count(one), k->least);
        snprintf(what, sizeof what, "%u shards, %u threads, '%s' (case %zu)", n,
                 threads, k->query, c);
        assert_same(one, many, what);
        assert_same(one, dflt, what);
        lede_results_free(one);
        lede_results_free(many);
        lede_results_free(dflt);
    }
    lede_index_free(idx);
}

static void test_parallel__one_shard_as_one_thread(void **state)
{
    same_as_one_thread(*state, 1, 4);
}

static void test_parallel__two_shards_as_one_thread(void **state)
{
    same_as_one_thread(*state, 2, 2);
}

static void test_parallel__four_shards_as_one_thread(void **state)
{
    same_as_one_thread(*state, 4, 4);
    same_as_one_thread(*state, 4, 2);
    same_as_one_thread(*state, 4, 3);
}

/* Each thread's part holds the documents of its shards and no other: the
 * set's docids interleave its shards' (shard i of n holds the docids d
 * with (d - 1) % n == i), and the parts together are the whole. */
static void test_parallel__part_holds_its_shards(void **state)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede__query *q;
    lede_index *idx;
    lede__xhits whole = {.arena = LEDE__BUF_INIT};
    lede__xsearch p = {.k1 = 1.2, .b = 0.75, .limit = 10000, .no_data = 1};
    lede__parse_opts po = {0, 0, LEDE_NO_DATE, LEDE_NO_DATE, 0, 0,
                           0, 0, NULL,         NULL};
    size_t shards, seen = 0;
    io.mode = LEDE_OPEN_READ;
    assert_int_equal(lede_index_open(&idx, set_of(*state, 4), &io), 0);
    lede__xdb *db = lede__index_db(idx);
    assert_int_equal(lede__xdb_shards_local(&shards, db), 0);
    assert_int_equal(shards, 4);
    assert_int_equal(lede__query_parse(&q, idx, "storm OR tide", &po), 0);
    assert_int_equal(lede__xdb_search(&whole, db, lede__query_root(q), &p), 0);
    assert_true(whole.n > 100);
    for (size_t part = 0; part < 2; part++) {
        lede__xhits h = {.arena = LEDE__BUF_INIT};
        lede__xsearch pp = p;
        pp.part = part;
        pp.parts = 2;
        assert_int_equal(lede__xdb_search(&h, db, lede__query_root(q), &pp), 0);
        for (size_t i = 0; i < h.n; i++) {
            assert_int_equal((h.v[i].docid - 1) % 4 % 2, part);
            /* The same weight as in the whole set's match. */
            size_t j = 0;
            while (j < whole.n && whole.v[j].docid != h.v[i].docid)
                j++;
            assert_true(j < whole.n);
            assert_true(fabs(whole.v[j].score - h.v[i].score) <= 1e-12);
        }
        seen += h.n;
        lede__xhits_free(&h);
    }
    assert_int_equal(seen, whole.n);
    lede__xhits_free(&whole);
    lede__query_free(q);
    lede_index_free(idx);
}

/* The count's sample, with every block in it, against a full count of
 * each query on idx: the same articles and passages. Returns the queries
 * whose articles have several matching passages. */
static size_t sample_as_full_count(lede_index *idx, const char *what)
{
    static const char *const queries[] = {"storm OR tide", "harbour",
                                          "\"oil price\"", "railway -strike"};
    lede__parse_opts po = {0, 0, LEDE_NO_DATE, LEDE_NO_DATE, 0, 0,
                           0, 0, NULL,         NULL};
    lede__xdb *db = lede__index_db(idx);
    size_t fewer = 0;
    for (size_t k = 0; k < sizeof queries / sizeof *queries; k++) {
        lede__query *q;
        lede__xcount c, truth;
        lede__xhits all = {.arena = LEDE__BUF_INIT};
        lede__xsearch p = {.k1 = 1.2, .b = 0.75, .limit = 100000, .no_data = 1};
        assert_int_equal(lede__query_parse(&q, idx, queries[k], &po), 0);
        assert_int_equal(lede__xdb_count_sample(&c, db, lede__query_root(q),
                                                LEDE__TERM_ARTICLE,
                                                strlen(LEDE__TERM_ARTICLE), 1),
                         0);
        /* Every match looked at and collapsed by article id; and every
         * matching passage. */
        assert_int_equal(lede__xdb_count(&truth, db, lede__query_root(q),
                                         LEDE__SLOT_ARTICLE, UINT64_MAX),
                         0);
        assert_int_equal(lede__xdb_search(&all, db, lede__query_root(q), &p),
                         0);
        if (c.articles_least != truth.articles_least ||
            c.passages_least != all.n)
            fail_msg("%s, '%s': sample %llu articles, %llu passages; truth "
                     "%llu, %zu",
                     what, queries[k], (unsigned long long)c.articles_least,
                     (unsigned long long)c.passages_least,
                     (unsigned long long)truth.articles_least, all.n);
        fewer += c.articles_least < c.passages_least;
        lede__xhits_free(&all);
        lede__query_free(q);
    }
    return fewer;
}

/* The count's sample tells articles apart by where each starts among its
 * shard's docids: with every block in it, it counts exactly the articles
 * and passages a full count does, on 1, 2 and 4 shards (their docids
 * interleaved) of articles of two to four passages. */
static void test_parallel__sample_counts_articles(void **state)
{
    static const unsigned sets[] = {1, 2, 4};
    for (size_t s = 0; s < 3; s++) {
        lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
        lede_index *idx;
        char what[32];
        io.mode = LEDE_OPEN_READ;
        snprintf(what, sizeof what, "%u shards", sets[s]);
        assert_int_equal(
            lede_index_open(&idx, set_made(*state, sets[s], 1), &io), 0);
        assert_true(sample_as_full_count(idx, what) >= 3);
        lede_index_free(idx);
    }
}

/* And on an index whose articles were replaced (by more or fewer
 * passages) and deleted in turn, over two commits. */
static void test_parallel__sample_after_replacements(void **state)
{
    fixture *f = *state;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    io.mode = LEDE_OPEN_CREATE;
    io.paragraph_passages = 1;
    assert_int_equal(lede_index_open(&idx, th_path(f->dir, "replaced"), &io),
                     0);
    unsigned seed = 11;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < ARTICLES; i++) {
            char id[32], text[3072];
            size_t t = 0;
            if (round > 0 && i % (round + 2) != 0)
                continue;
            int paras = 1 + (int)(next_rand(&seed) % 4);
            for (int p = 0; p < paras; p++) {
                if (p > 0)
                    t += (size_t)snprintf(text + t, sizeof text - t, "\n\n");
                t += paragraph(text + t, sizeof text - t, &seed,
                               20 + (int)(next_rand(&seed) % 40));
            }
            snprintf(id, sizeof id, "a%03d", i);
            lede_article a = LEDE_ARTICLE_INIT;
            a.id = id;
            a.title = "";
            a.body = text;
            a.body_len = t;
            assert_int_equal(lede_index_add(idx, &a), 0);
            if (round == 2 && i % 8 == 0)
                assert_int_equal(lede_index_delete(idx, id), 0);
        }
        assert_int_equal(lede_index_commit(idx), 0);
    }
    assert_true(sample_as_full_count(idx, "replaced") >= 3);
    lede_index_free(idx);
}

/* With a third of the blocks in it, the sample's articles scaled up by
 * the share of the docids it took: near the full count on 1, 2 and 4
 * shards (each shard sampled by its own docids from its first block, so
 * that a set's shards hold more than a third of their blocks). */
static void test_parallel__sample_estimates(void **state)
{
    static const char *const queries[] = {"harbour", "storm OR tide",
                                          "railway -strike", "oil OR price"};
    static const unsigned sets[] = {1, 2, 4};
    lede__parse_opts po = {0, 0, LEDE_NO_DATE, LEDE_NO_DATE, 0, 0,
                           0, 0, NULL,         NULL};
    for (size_t s = 0; s < 3; s++) {
        lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
        lede_index *idx;
        io.mode = LEDE_OPEN_READ;
        assert_int_equal(
            lede_index_open(&idx, set_made(*state, sets[s], 1), &io), 0);
        lede__xdb *db = lede__index_db(idx);
        for (size_t k = 0; k < sizeof queries / sizeof *queries; k++) {
            lede__query *q;
            lede__xcount c, truth;
            assert_int_equal(lede__query_parse(&q, idx, queries[k], &po), 0);
            assert_int_equal(lede__xdb_count_sample(&c, db, lede__query_root(q),
                                                    LEDE__TERM_ARTICLE,
                                                    strlen(LEDE__TERM_ARTICLE),
                                                    3),
                             0);
            assert_int_equal(lede__xdb_count(&truth, db, lede__query_root(q),
                                             LEDE__SLOT_ARTICLE, UINT64_MAX),
                             0);
            uint64_t t = truth.articles_least, e = c.articles_estimated;
            if (e < t * 3 / 4 || e > t * 5 / 4)
                fail_msg("%u shards, '%s': about %llu, not within a quarter "
                         "of %llu (%llu in the sample)",
                         sets[s], queries[k], (unsigned long long)e,
                         (unsigned long long)t,
                         (unsigned long long)c.articles_least);
            lede__query_free(q);
        }
        lede_index_free(idx);
    }
}

/* 0: one a shard, at most one a CPU; N: at most N and one a shard. */
static void test_parallel__threads_resolve(void **state)
{
    (void)state;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t c = cpus > 0 ? (size_t)cpus : 1;
    assert_int_equal(lede__parallel_threads(0, 4), c < 4 ? c : 4);
    assert_int_equal(lede__parallel_threads(0, 1), 1);
    assert_int_equal(lede__parallel_threads(0, 0), 1);
    assert_int_equal(lede__parallel_threads(1, 4), 1);
    assert_int_equal(lede__parallel_threads(3, 4), 3);
    assert_int_equal(lede__parallel_threads(8, 2), 2);
    assert_int_equal(lede__parallel_threads(8, 0), 1);
}

/* The option is read from version 5 on: an older caller's struct, which
 * has no such field, searches as before. */
static void test_parallel__option_version(void **state)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_search_options o = LEDE_SEARCH_OPTIONS_INIT;
    lede_index *idx;
    lede_results *a = NULL, *b = NULL;
    io.mode = LEDE_OPEN_READ;
    assert_int_equal(LEDE_SEARCH_OPTIONS_VERSION, 6);
    assert_int_equal(o.threads, 1);
    assert_int_equal(lede_index_open(&idx, set_of(*state, 2), &io), 0);
    o.version = 4;
    o.threads = 7; /* not read */
    assert_int_equal(lede_search(&a, idx, "harbour", &o), 0);
    o.version = 5;
    o.threads = 2;
    o.facets = "nothing such"; /* not read before version 6 */
    assert_int_equal(lede_search(&b, idx, "harbour", &o), 0);
    assert_same(a, b, "version 4");
    assert_int_equal(lede_results_facet_count(b), 0);
    lede_results_free(a);
    lede_results_free(b);
    lede_index_free(idx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel__threads_resolve),
        cmocka_unit_test(test_parallel__one_shard_as_one_thread),
        cmocka_unit_test(test_parallel__two_shards_as_one_thread),
        cmocka_unit_test(test_parallel__four_shards_as_one_thread),
        cmocka_unit_test(test_parallel__part_holds_its_shards),
        cmocka_unit_test(test_parallel__option_version),
        cmocka_unit_test(test_parallel__sample_counts_articles),
        cmocka_unit_test(test_parallel__sample_after_replacements),
        cmocka_unit_test(test_parallel__sample_estimates),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown);
}
