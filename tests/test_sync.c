/*
 * test_sync.c - incremental syncs, rebuilds and checks through the public
 * API, on real files and real Xapian databases.
 */
#include "helpers.h"
#include "xapian_shim.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

typedef struct {
    char *dir;      /* scratch */
    char *corpus;   /* corpus root */
    char *index;    /* index path */
    char log[8192]; /* events, one per line: "KIND path:line message" */
    size_t nlog;    /* bytes used */
    int stop_after; /* stop at this progress event; 0: never */
    int progress;   /* progress events seen */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = th_tempdir();
    f->corpus = strdup(th_path(f->dir, "corpus"));
    f->index = strdup(th_path(f->dir, "index"));
    assert_int_equal(mkdir(f->corpus, 0755), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    th_rmtree(f->dir);
    free(f->dir);
    free(f->corpus);
    free(f->index);
    free(f);
    return 0;
}

static const char *kind_name(lede_sync_event_kind k)
{
    switch (k) {
    case LEDE_SYNC_SKIPPED:
        return "SKIPPED";
    case LEDE_SYNC_PROBLEM:
        return "PROBLEM";
    case LEDE_SYNC_WARNING:
        return "WARNING";
    case LEDE_SYNC_IGNORED:
        return "IGNORED";
    default:
        return NULL;
    }
}

static int on_event(const lede_sync_event *ev, void *payload)
{
    fixture *f = payload;
    if (ev->kind == LEDE_SYNC_PROGRESS)
        return f->stop_after && ++f->progress >= f->stop_after;
    const char *k = kind_name(ev->kind);
    if (k == NULL)
        return 0;
    /* Paths relative to the corpus keep the log readable. */
    const char *p = ev->path ? ev->path : "";
    size_t n = strlen(f->corpus);
    if (strncmp(p, f->corpus, n) == 0 && p[n] == '/')
        p += n + 1;
    int w = snprintf(f->log + f->nlog, sizeof f->log - f->nlog,
                     "%s %s:%llu %s\n", k, p, (unsigned long long)ev->line,
                     ev->message ? ev->message : "");
    if (w > 0 && (size_t)w < sizeof f->log - f->nlog)
        f->nlog += (size_t)w;
    return 0;
}

/* Write a file under the corpus, making directories as needed. */
static void put(fixture *f, const char *rel, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", f->corpus, rel);
    for (char *s = strchr(path + strlen(f->corpus) + 1, '/'); s;
         s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    th_write(path, text, strlen(text));
}

static const char *corpus_path(fixture *f, const char *rel)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", f->corpus, rel);
    return path;
}

/* Sync the corpus into the index; returns the status, stats in *st. */
static int sync_opts(fixture *f, lede_sync_stats *st,
                     const lede_sync_options *so)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    const char *roots[] = {f->corpus};
    io.mode = LEDE_OPEN_CREATE;
    f->nlog = 0;
    f->log[0] = '\0';
    f->progress = 0;
    assert_int_equal(lede_index_open(&idx, f->index, &io), 0);
    int rc = lede_index_sync(st, idx, roots, 1, so);
    lede_index_free(idx);
    return rc;
}

static int sync_now(fixture *f, lede_sync_stats *st)
{
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_event;
    so.payload = f;
    return sync_opts(f, st, &so);
}

#define assert_stats(st, a, u, d, n, s, e)                                     \
    do {                                                                       \
        assert_int_equal((st).added, (a));                                     \
        assert_int_equal((st).updated, (u));                                   \
        assert_int_equal((st).deleted, (d));                                   \
        assert_int_equal((st).unchanged, (n));                                 \
        assert_int_equal((st).skipped, (s));                                   \
        assert_int_equal((st).errors, (e));                                    \
    } while (0)

/* Passages matching q (all of them), with the index opened afresh. */
static size_t hits(fixture *f, const char *q)
{
    lede_index *idx;
    lede_results *res;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.per_article = 0;
    so.limit = 1000;
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_int_equal(lede_search(&res, idx, q, &so), 0);
    size_t n = lede_results_count(res);
    lede_results_free(res);
    lede_index_free(idx);
    return n;
}

static uint64_t articles(fixture *f)
{
    lede_index *idx;
    lede_index_info info;
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_int_equal(lede_index_stat(&info, idx), 0);
    lede_index_free(idx);
    return info.articles;
}

static void assert_sound(fixture *f)
{
    uint64_t problems = 99;
    assert_int_equal(lede_index_check(&problems, f->index, NULL, NULL), 0);
    assert_int_equal(problems, 0);
}

static void three_files(fixture *f)
{
    put(f, "a.txt", "Alpha\n\nThe aardvark digs.\n");
    put(f, "sub/b.txt", "Beta\n\nThe badger sleeps.\n");
    put(f, "sub/c.jsonl",
        "{\"id\":\"c1\",\"title\":\"C one\",\"text\":\"The camel walks.\"}\n"
        "{\"id\":\"c2\",\"title\":\"C two\",\"text\":\"The cobra waits.\"}\n"
        "{\"id\":\"c3\",\"title\":\"C three\",\"text\":\"The crab hides.\"}\n");
}

static void test_sync__first_and_unchanged(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    three_files(f);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 5, 0, 0, 0, 0, 0);
    assert_int_equal(st.files_total, 3);
    assert_int_equal(st.files_done, 3);
    assert_true(st.commits >= 1);
    assert_int_equal(articles(f), 5);
    assert_int_equal(hits(f, "badger"), 1);
    assert_string_equal(f->log, "");

    /* Nothing changed: nothing is read, nothing is committed. */
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 5, 0, 0);
    assert_int_equal(st.commits, 0);
    assert_sound(f);
}

/* An id a file gives twice is one article, counted once by what the
 * index ends with: added on a first build (not added and then updated),
 * unchanged when the file is read again as it was, updated when one of
 * its lines changes it. */
static void test_sync__duplicate_id_counted_once(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    char text[1024] = "";
    for (int i = 1; i <= 7; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 "{\"id\":\"a%d\",\"text\":\"zebra %d\"}\n", i, i);
    strcat(text, "{\"id\":\"a3\",\"text\":\"zebra again\"}\n");
    put(f, "n.jsonl", text);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 7, 0, 0, 0, 0, 0);
    assert_int_equal(articles(f), 7);
    assert_int_equal(hits(f, "again"), 1);
    assert_string_equal(f->log, "WARNING n.jsonl:8 duplicate id 'a3' (also at "
                                "line 3); this article, at line 8, replaces "
                                "that one\n");

    /* Read again for a new line: a3 is rewritten twice, and ends as it
     * was. */
    strcat(text, "{\"id\":\"a9\",\"text\":\"zebra 9\"}\n");
    put(f, "n.jsonl", text);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 1, 0, 0, 7, 0, 0);

    /* A later line changes a1, which its first line left unchanged. */
    strcat(text, "{\"id\":\"a1\",\"text\":\"zebra changed\"}\n");
    put(f, "n.jsonl", text);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 1, 0, 7, 0, 0);
    assert_int_equal(articles(f), 8);
    assert_int_equal(hits(f, "changed"), 1);
    assert_sound(f);
}

static void test_sync__touched_file_not_rewritten(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    three_files(f);
    assert_int_equal(sync_now(f, &st), 0);
    /* A new modification time, the same bytes. */
    struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
    assert_int_equal(
        utimensat(AT_FDCWD, corpus_path(f, "sub/c.jsonl"), times, 0), 0);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 5, 0, 0);
    /* Its record now has the new time: the next run does not hash it. */
    assert_int_equal(st.commits, 1);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 5, 0, 0);
    assert_int_equal(st.commits, 0);
}

static void test_sync__changed_file_replaces_articles(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    three_files(f);
    assert_int_equal(sync_now(f, &st), 0);
    put(f, "sub/b.txt", "Beta\n\nThe beaver builds a dam.\n\nIt rains.\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 1, 0, 4, 0, 0);
    assert_int_equal(hits(f, "badger"), 0);
    assert_int_equal(hits(f, "beaver"), 1);
    assert_int_equal(hits(f, "rains"), 1);

    /* In a many-article file: c1 kept, c2 changed, c3 gone, c4 new. */
    put(f, "sub/c.jsonl",
        "{\"id\":\"c1\",\"title\":\"C one\",\"text\":\"The camel walks.\"}\n"
        "{\"id\":\"c2\",\"title\":\"C two\",\"text\":\"The cobra strikes.\"}\n"
        "{\"id\":\"c4\",\"title\":\"C four\",\"text\":\"The cod swims.\"}\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 1, 1, 1, 3, 0, 0);
    assert_int_equal(hits(f, "crab"), 0);
    assert_int_equal(hits(f, "waits"), 0);
    assert_int_equal(hits(f, "strikes"), 1);
    assert_int_equal(hits(f, "cod"), 1);
    assert_int_equal(articles(f), 5);
    assert_sound(f);
}

static void test_sync__vanished_files(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    three_files(f);
    assert_int_equal(sync_now(f, &st), 0);
    assert_int_equal(unlink(corpus_path(f, "sub/c.jsonl")), 0);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 3, 2, 0, 0);
    assert_int_equal(hits(f, "camel"), 0);
    assert_int_equal(articles(f), 2);

    /* Without deletion, the articles stay, and a file that comes back is
     * taken as it is. */
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.delete_vanished = 0;
    assert_int_equal(unlink(corpus_path(f, "a.txt")), 0);
    assert_int_equal(sync_opts(f, &st, &so), 0);
    assert_stats(st, 0, 0, 0, 1, 0, 0);
    assert_int_equal(hits(f, "aardvark"), 1);
    put(f, "a.txt", "Alpha\n\nThe aardvark digs.\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 2, 0, 0);
    assert_sound(f);
}

static void test_sync__other_roots_untouched(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    three_files(f);
    assert_int_equal(sync_now(f, &st), 0);
    /* A second corpus into the same index: the first is not "vanished". */
    char *other = strdup(th_path(f->dir, "other"));
    assert_int_equal(mkdir(other, 0755), 0);
    th_write(th_path(other, "d.txt"), "Delta\n\nThe dingo howls.\n", 23);
    lede_index *idx;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.mode = LEDE_OPEN_WRITE;
    const char *roots[] = {other};
    assert_int_equal(lede_index_open(&idx, f->index, &io), 0);
    assert_int_equal(lede_index_sync(&st, idx, roots, 1, NULL), 0);
    assert_stats(st, 1, 0, 0, 0, 0, 0);
    lede_index_free(idx);
    assert_int_equal(articles(f), 6);
    free(other);
}

static void test_sync__missing_root_changes_nothing(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    three_files(f);
    assert_int_equal(sync_now(f, &st), 0);
    lede_index *idx;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.mode = LEDE_OPEN_WRITE;
    const char *roots[] = {f->corpus, th_path(f->dir, "unmounted")};
    assert_int_equal(lede_index_open(&idx, f->index, &io), 0);
    assert_error(lede_index_sync(&st, idx, roots, 2, NULL), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "unmounted"));
    lede_index_free(idx);
    assert_int_equal(articles(f), 5);
}

static void test_sync__bad_inputs(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    three_files(f);
    put(f, "notes.md", "not an input");
    put(f, ".hidden.txt", "Hidden\n\nNever read.\n");
    put(f, "bad.jsonl",
        "{\"id\":\"g1\",\"text\":\"good gnu\"}\n{broken\n"
        "{\"id\":\"g2\",\"text\":\"good goat\"}\n");
    th_write(corpus_path(f, "blob.txt"), "Blob\n\n\0\0\0", 9);
    assert_int_equal(mkfifo(corpus_path(f, "pipe.txt"), 0600), 0);
    char target[4096];
    snprintf(target, sizeof target, "%s/a.txt", f->corpus);
    assert_int_equal(symlink(target, corpus_path(f, "link.txt")), 0);
    /* A truncated gzip file. */
    char gzpath[4096];
    snprintf(gzpath, sizeof gzpath, "%s", corpus_path(f, "cut.txt.gz"));
    th_write_gz(gzpath, "Cut\n\nNever whole.\n", 18, "wb");
    assert_int_equal(truncate(gzpath, 15), 0);

    assert_int_equal(sync_now(f, &st), 0);
    /* blob, pipe and cut skipped; one bad line; the link, not followed,
     * is ignored as the hidden file is, not skipped. */
    assert_stats(st, 7, 0, 0, 0, 3, 1);
    assert_string_equal(
        f->log, "IGNORED .hidden.txt:0 hidden\n"
                "IGNORED link.txt:0 symbolic link, not followed "
                "(--follow-symlinks follows links inside the corpus)\n"
                "IGNORED notes.md:0 no known format\n"
                "SKIPPED pipe.txt:0 a FIFO, not a regular file\n"
                "PROBLEM bad.jsonl:2 malformed JSON at column 7: string or "
                "'}' expected near 'broken'; line skipped\n"
                "SKIPPED blob.txt:0 binary file (NUL bytes)\n"
                "SKIPPED cut.txt.gz:0 gzip data is truncated (the file ends "
                "inside a stream, at byte 15)\n");
    assert_int_equal(hits(f, "gnu"), 1);
    assert_int_equal(hits(f, "never"), 0);
    assert_sound(f);
}

/* Following links: a link whose target is inside the root is followed,
 * one that leads out of it (directly, relatively, through another link,
 * to a file or a directory) is skipped and named; a loop is skipped, and
 * a FIFO behind a link is skipped without being opened. */
static void test_sync__symlinks_stay_inside_root(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    char outside[4096], target[4096];
    put(f, "a.txt", "Alpha\n\nThe aardvark digs.\n");
    put(f, ".hidden-b.txt", "Beta\n\nThe badger sleeps.\n");
    put(f, ".store/r.txt", "Real\n\nThe rabbit runs.\n");
    assert_int_equal(mkfifo(corpus_path(f, ".q.txt"), 0600), 0);
    snprintf(outside, sizeof outside, "%s", th_path(f->dir, "outside"));
    assert_int_equal(mkdir(outside, 0755), 0);
    const char secret[] = "Secret\n\nThe secret password.\n";
    th_write(th_path(outside, "passwd.txt"), secret, sizeof secret - 1);
    snprintf(target, sizeof target, "%s", th_path(outside, "passwd.txt"));
    assert_int_equal(symlink(target, corpus_path(f, "outfile.txt")), 0);
    assert_int_equal(
        symlink("../outside/passwd.txt", corpus_path(f, "outrel.txt")), 0);
    assert_int_equal(symlink(outside, corpus_path(f, "outdir")), 0);
    assert_int_equal(symlink("outrel.txt", corpus_path(f, "chain.txt")), 0);
    assert_int_equal(symlink(".store", corpus_path(f, "docs")), 0);
    assert_int_equal(symlink(".hidden-b.txt", corpus_path(f, "inlink.txt")), 0);
    assert_int_equal(symlink(".", corpus_path(f, "loop")), 0);
    assert_int_equal(symlink(".q.txt", corpus_path(f, "qlink.txt")), 0);

    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_event;
    so.payload = f;
    so.follow_symlinks = 1;
    assert_int_equal(sync_opts(f, &st, &so), 0);
    assert_stats(st, 3, 0, 0, 0, 6, 0);
    assert_string_equal(
        f->log, "IGNORED .hidden-b.txt:0 hidden\n"
                "IGNORED .q.txt:0 hidden\n"
                "IGNORED .store:0 hidden\n"
                "SKIPPED chain.txt:0 symbolic link out of the corpus root, "
                "not followed\n"
                "SKIPPED loop:0 symbolic link loop (a directory inside "
                "itself)\n"
                "SKIPPED outdir:0 symbolic link out of the corpus root, not "
                "followed\n"
                "SKIPPED outfile.txt:0 symbolic link out of the corpus root, "
                "not followed\n"
                "SKIPPED outrel.txt:0 symbolic link out of the corpus root, "
                "not followed\n"
                "SKIPPED qlink.txt:0 a FIFO, not a regular file\n");
    assert_int_equal(hits(f, "aardvark"), 1);
    assert_int_equal(hits(f, "badger"), 1);
    assert_int_equal(hits(f, "rabbit"), 1);
    assert_int_equal(hits(f, "password"), 0);
    assert_sound(f);
}

/* Following links visits each directory and file once: 12 hidden
 * directories, each with two links to the next, and one file give one
 * article, not 2^12; and a link to a file of the corpus does not read it
 * again under the link's name, whichever name sorts first. */
static void test_sync__symlinks_visit_each_once(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    char dir[32], target[32], link[64];
    for (int i = 1; i <= 12; i++) {
        snprintf(dir, sizeof dir, ".d%02d", i);
        assert_int_equal(mkdir(corpus_path(f, dir), 0755), 0);
        for (int k = 0; k < 2; k++) {
            /* The root links to .d01, .dNN to .dNN+1. */
            snprintf(target, sizeof target, "%s.d%02d", i == 1 ? "" : "../", i);
            if (i == 1)
                snprintf(link, sizeof link, "%s", k ? "b" : "a");
            else
                snprintf(link, sizeof link, ".d%02d/%s", i - 1, k ? "b" : "a");
            assert_int_equal(symlink(target, corpus_path(f, link)), 0);
        }
    }
    put(f, ".d12/deep.txt", "Deep\n\nThe wombat burrows.\n");
    put(f, "real.txt", "Real\n\nThe quokka smiles.\n");
    assert_int_equal(symlink("real.txt", corpus_path(f, "alias.txt")), 0);

    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_event;
    so.payload = f;
    so.follow_symlinks = 1;
    assert_int_equal(sync_opts(f, &st, &so), 0);
    assert_stats(st, 2, 0, 0, 0, 13, 0);
    assert_int_equal(hits(f, "wombat"), 1);
    assert_int_equal(hits(f, "quokka"), 1);
    assert_non_null(strstr(f->log, "SKIPPED alias.txt:0 symbolic link to a "
                                   "file read already, not followed\n"));
    assert_non_null(strstr(f->log, "SKIPPED b:0 symbolic link to a "
                                   "directory walked already, not "
                                   "followed\n"));
    /* A link is named by where it is on disk. */
    assert_non_null(strstr(f->log, "SKIPPED .d11/b:0 "
                                   "symbolic link to a directory walked "
                                   "already, not followed\n"));

    lede_index *idx;
    lede_results *res;
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_int_equal(lede_search(&res, idx, "wombat OR quokka", NULL), 0);
    assert_int_equal(lede_results_count(res), 2);
    const char *a = lede_results_article_id(res, 0);
    const char *b = lede_results_article_id(res, 1);
    if (strcmp(a, b) > 0) {
        const char *t = a;
        a = b;
        b = t;
    }
    assert_string_equal(a, "a/a/a/a/a/a/a/a/a/a/a/a/deep.txt");
    assert_string_equal(b, "real.txt");
    lede_results_free(res);
    lede_index_free(idx);
    assert_sound(f);
}

/* An article belongs to the file it was first read from: another file
 * that gives the same id is refused (a problem naming both files), cannot
 * delete it by vanishing, and gets the id only once the owner's file no
 * longer gives it and the other file is read again. A file whose own name
 * is the id takes it back from a feed read before it. */
static void test_sync__article_belongs_to_its_file(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    char want[8192];
    put(f, "feedA/statement.txt", "Statement\n\nThe real otter statement.\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 1, 0, 0, 0, 0, 0);

    put(f, "feedB/x.jsonl",
        "{\"id\":\"feedA/statement.txt\",\"text\":\"FORGED otter\"}\n"
        "{\"id\":\"b1\",\"text\":\"An honest beaver.\"}\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 1, 0, 0, 1, 0, 1);
    snprintf(want, sizeof want,
             "PROBLEM feedB/x.jsonl:1 article 'feedA/statement.txt' belongs "
             "to another file (%s/feedA/statement.txt); not indexed from "
             "this one\n",
             f->corpus);
    assert_string_equal(f->log, want);
    assert_int_equal(hits(f, "forged"), 0);
    assert_int_equal(hits(f, "otter"), 1);
    assert_int_equal(hits(f, "beaver"), 1);

    /* Unchanged, the claimant is not read again; its refusal still
     * counts, and the owner keeps the article. */
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 2, 0, 1);
    assert_string_equal(f->log, "PROBLEM feedB/x.jsonl:0 1 bad part skipped "
                                "when the file was read; it is unchanged "
                                "since\n");
    assert_int_equal(hits(f, "otter"), 1);

    /* The claimant's deletion removes its own articles only. */
    assert_int_equal(unlink(corpus_path(f, "feedB/x.jsonl")), 0);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 1, 1, 0, 0);
    assert_int_equal(hits(f, "otter"), 1);
    assert_int_equal(hits(f, "beaver"), 0);

    /* Numeric ids of two feeds: the first read keeps the id. */
    put(f, "n1.jsonl", "{\"id\":7,\"text\":\"The first feed's lynx.\"}\n");
    put(f, "n2.jsonl", "{\"id\":7,\"text\":\"The second feed's puma.\"}\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 1, 0, 0, 1, 0, 1);
    snprintf(want, sizeof want,
             "PROBLEM n2.jsonl:1 article '7' belongs to another file "
             "(%s/n1.jsonl); not indexed from this one\n",
             f->corpus);
    assert_string_equal(f->log, want);
    assert_int_equal(hits(f, "lynx"), 1);
    assert_int_equal(hits(f, "puma"), 0);

    /* Once n1.jsonl no longer gives the id, n2.jsonl gets it when it is
     * read again (here, because it changed). */
    put(f, "n1.jsonl", "{\"id\":8,\"text\":\"The first feed's lynx.\"}\n");
    put(f, "n2.jsonl", "{\"id\":7,\"text\":\"The second feed's pumas.\"}\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 2, 0, 1, 1, 0, 0);
    assert_int_equal(hits(f, "puma"), 1);

    /* A feed read first may not keep a file's own name. */
    put(f, "a.jsonl", "{\"id\":\"z/own.txt\",\"text\":\"FORGED heron\"}\n");
    put(f, "z/own.txt", "Own\n\nThe real heron.\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 1, 1, 0, 3, 0, 0);
    snprintf(want, sizeof want,
             "WARNING z/own.txt:1 article 'z/own.txt' was read from another "
             "file (%s/a.jsonl), but its id is this file's name; this file "
             "takes it back\n",
             f->corpus);
    assert_string_equal(f->log, want);
    assert_int_equal(hits(f, "forged"), 0);
    assert_int_equal(hits(f, "heron"), 1);
    assert_int_equal(unlink(corpus_path(f, "a.jsonl")), 0);
    assert_int_equal(sync_now(f, &st), 0);
    assert_int_equal(st.deleted, 0);
    assert_int_equal(hits(f, "heron"), 1);
    assert_sound(f);
}

static void test_sync__file_gone_bad_keeps_articles(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    const char lines[] = "{\"id\":\"z1\",\"text\":\"zebra one\"}\n"
                         "{\"id\":\"z2\",\"text\":\"zebra two\"}\n";
    th_write_gz(corpus_path(f, "z.jsonl.gz"), lines, sizeof lines - 1, "wb");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 2, 0, 0, 0, 0, 0);
    /* The file is damaged: skipped, and nothing of it is lost. */
    assert_int_equal(truncate(corpus_path(f, "z.jsonl.gz"), 20), 0);
    assert_int_equal(sync_now(f, &st), 0);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.deleted, 0);
    assert_non_null(strstr(f->log, "SKIPPED z.jsonl.gz:0 "));
    assert_non_null(strstr(f->log, "truncated"));
    assert_int_equal(hits(f, "zebra"), 2);
}

static void test_sync__stop_and_resume(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    char name[64], text[128];
    for (int i = 0; i < 30; i++) {
        snprintf(name, sizeof name, "f%02d.txt", i);
        snprintf(text, sizeof text, "File %d\n\nOstrich number %d.\n", i, i);
        put(f, name, text);
    }
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_event;
    so.payload = f;
    so.batch = 7;
    f->stop_after = 12;
    assert_error(sync_opts(f, &st, &so), LEDE_EUSER);
    /* What was read before the stop is committed, and sound. */
    assert_int_equal(st.added, 12);
    assert_int_equal(articles(f), 12);
    assert_sound(f);
    f->stop_after = 0;
    assert_int_equal(sync_opts(f, &st, &so), 0);
    assert_stats(st, 18, 0, 0, 12, 0, 0);
    assert_int_equal(articles(f), 30);
}

static void test_sync__dates_and_urls_stored(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    put(f, "d.jsonl",
        "{\"id\":\"d1\",\"title\":\"Dated\",\"text\":\"Emu "
        "facts.\",\"date\":\"2018-06-12T08:00:00+08:00\","
        "\"url\":\"https://example.com/d1\"}\n");
    assert_int_equal(sync_now(f, &st), 0);
    lede_index *idx;
    lede_results *res;
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_int_equal(lede_search(&res, idx, "emu", NULL), 0);
    assert_int_equal(lede_results_count(res), 1);
    assert_true(lede_results_date(res, 0) == 1528761600);
    assert_string_equal(lede_results_url(res, 0), "https://example.com/d1");
    lede_results_free(res);
    /* The sortable date value is on the passage. */
    lede__buf v = LEDE__BUF_INIT;
    assert_int_equal(lede__xdb_first_value(&v, lede__index_db(idx), "Qd1", 3,
                                           LEDE__SLOT_DATE),
                     0);
    assert_string_equal(v.data, "20180612000000");
    lede__buf_free(&v);
    lede_index_free(idx);
}

static void test_sync__rebuild_swaps(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    three_files(f);
    assert_int_equal(sync_now(f, &st), 0);
    /* A reader that stays open across the rebuild. */
    lede_index *reader;
    assert_int_equal(lede_index_open(&reader, f->index, NULL), 0);

    put(f, "a.txt", "Alpha\n\nThe albatross glides.\n");
    const char *roots[] = {f->corpus};
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.passage_words = 50; /* a new setting takes effect */
    assert_int_equal(lede_index_rebuild(&st, f->index, &io, roots, 1, NULL), 0);
    assert_stats(st, 5, 0, 0, 0, 0, 0);
    /* The old reader still answers from the old index. */
    lede_results *res;
    assert_int_equal(lede_search(&res, reader, "aardvark", NULL), 0);
    assert_int_equal(lede_results_count(res), 1);
    lede_results_free(res);
    lede_index_free(reader);
    /* A new reader sees the new one. */
    assert_int_equal(hits(f, "aardvark"), 0);
    assert_int_equal(hits(f, "albatross"), 1);
    lede_index *idx;
    lede_index_info info;
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_int_equal(lede_index_stat(&info, idx), 0);
    assert_int_equal(info.passage_words, 50);
    lede_index_free(idx);
    struct stat sb;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.rebuild", f->index);
    assert_int_not_equal(stat(tmp, &sb), 0);
    assert_sound(f);
    /* And it syncs incrementally afterwards. */
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 5, 0, 0);
}

/* n small stories of harbour ferries, f00.txt, f01.txt, ... */
static void put_ferries(fixture *f, int n)
{
    char name[64], text[512];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "f%02d.txt", i);
        snprintf(text, sizeof text,
                 "Story %d\n\nThe harbour ferry number %d left at dawn%s. "
                 "Gulls followed it past the breakwater.\n\nThe crossing "
                 "took %d minutes.\n",
                 i, i, i % 3 ? "" : " in fog", 30 + i);
        put(f, name, text);
    }
}

/* Nothing of a rebuild by three threads is left beside index. */
static void assert_no_leftovers(const char *index)
{
    struct stat sb;
    char tmp[4096];
    for (int k = -1; k < 3; k++) {
        if (k < 0)
            snprintf(tmp, sizeof tmp, "%s.rebuild", index);
        else
            snprintf(tmp, sizeof tmp, "%s.rebuild.%d", index, k);
        assert_int_not_equal(stat(tmp, &sb), 0);
    }
}

static int count_of(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

static int by_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every hit of q with its score, sorted by article id: a form that equal
 * scores in another order do not change. Near-duplicates are not folded:
 * which of two equal twins is kept depends on that order. */
static void scored_hits(const char *index, const char *q, char *out,
                        size_t size)
{
    lede_index *idx;
    lede_results *res;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.limit = 1000;
    so.flags = LEDE_SEARCH_NO_DEDUP;
    assert_int_equal(lede_index_open(&idx, index, NULL), 0);
    assert_int_equal(lede_search(&res, idx, q, &so), 0);
    size_t n = lede_results_count(res);
    char **line = calloc(n + 1, sizeof *line);
    for (size_t i = 0; i < n; i++) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s %.12f\n", lede_results_article_id(res, i),
                 lede_results_score(res, i));
        line[i] = strdup(buf);
    }
    qsort(line, n, sizeof *line, by_line);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(out, line[i], size - strlen(out) - 1);
        free(line[i]);
    }
    free(line);
    lede_results_free(res);
    lede_index_free(idx);
}

/* A build by several threads: the same articles, passages, scores and
 * sync state as one thread's, each reader problem reported once, nothing
 * left beside the index; stopped, it keeps the index it had. */
static void test_sync__parallel_rebuild(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    put_ferries(f, 40);
    put(f, "many.jsonl",
        "{\"id\":\"m1\",\"title\":\"Ferry strike\",\"text\":\"Crews "
        "stopped the ferry.\"}\n"
        "{\"id\":\"m2\",\"title\":\"Fog\",\"text\":\"Fog closed the "
        "harbour.\"}\n"
        "{not json\n"
        "{\"id\":\"m3\",\"title\":\"Gulls\",\"text\":\"Gulls nest on "
        "the breakwater.\"}\n");
    /* The same id in a later file is refused: the first one keeps it. */
    put(f, "more.jsonl",
        "{\"id\":\"m2\",\"title\":\"Fog lifts\",\"text\":\"The fog "
        "lifted by noon.\"}\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 43, 0, 0, 0, 0, 2);

    const char *par = strdup(th_path(f->dir, "par"));
    const char *roots[] = {f->corpus};
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_event;
    so.payload = f;
    so.threads = 3;
    f->nlog = 0;
    f->log[0] = '\0';
    assert_int_equal(lede_index_rebuild(&st, par, NULL, roots, 1, &so), 0);
    assert_stats(st, 43, 0, 0, 0, 0, 2);
    /* The reader's problem and the refusal once, not once a thread
     * (in either order: the threads run side by side). */
    assert_int_equal(count_of(f->log, "\n"), 2);
    assert_int_equal(count_of(f->log, "PROBLEM many.jsonl:3 malformed JSON"),
                     1);
    assert_int_equal(count_of(f->log, "PROBLEM more.jsonl:1 article 'm2' "
                                      "belongs to another file"),
                     1);
    lede_index *a, *b;
    lede_index_info ia, ib;
    assert_int_equal(lede_index_open(&a, f->index, NULL), 0);
    assert_int_equal(lede_index_open(&b, par, NULL), 0);
    assert_int_equal(lede_index_stat(&ia, a), 0);
    assert_int_equal(lede_index_stat(&ib, b), 0);
    assert_int_equal(ib.articles, 43);
    assert_int_equal(ib.articles, ia.articles);
    assert_int_equal(ib.passages, ia.passages);
    lede_index_free(a);
    lede_index_free(b);
    static const char *const queries[] = {"ferry", "fog harbour", "gulls",
                                          "\"left at dawn\"", "breakwater"};
    static char x[16384], y[16384];
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        scored_hits(f->index, queries[q], x, sizeof x);
        scored_hits(par, queries[q], y, sizeof y);
        assert_true(strlen(x) > 0);
        assert_string_equal(x, y);
    }
    uint64_t problems = 99;
    assert_int_equal(lede_index_check(&problems, par, NULL, NULL), 0);
    assert_int_equal(problems, 0);
    /* The shards' source records were summed: nothing to do next time,
     * and the same counts as one thread's, and the malformed line and
     * the refused article still counted, as their files are unchanged. */
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 43, 0, 2);
    char *seq = f->index;
    f->index = (char *)par;
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 43, 0, 2);
    assert_no_leftovers(par);

    /* Stopped by the callback: the index it had stays, and nothing else. */
    put(f, "late.txt", "Late\n\nThe last ferry of the night.\n");
    f->stop_after = 1;
    f->progress = 0;
    assert_error(lede_index_rebuild(&st, par, NULL, roots, 1, &so), LEDE_EUSER);
    f->stop_after = 0;
    assert_int_equal(articles(f), 43);
    assert_no_leftovers(par);
    so.threads = LEDE__THREADS_MAX + 1;
    assert_error(lede_index_rebuild(&st, par, NULL, roots, 1, &so),
                 LEDE_EINVAL);
    f->index = seq;
    free((char *)par);
}

/* Append "word freq\n" to the string payload (of 16 KiB). */
static int put_spelling(const char *term, size_t len, uint64_t freq,
                        void *payload)
{
    char *out = payload;
    size_t used = strlen(out);
    snprintf(out + used, 16384 - used, "%.*s %llu\n", (int)len, term,
             (unsigned long long)freq);
    return 0;
}

static void spellings(const char *index, char *out)
{
    lede__xdb *db;
    out[0] = '\0';
    assert_int_equal(lede__xdb_open(&db, index, LEDE_OPEN_READ), 0);
    assert_int_equal(lede__xdb_spellings(db, "", 0, put_spelling, out), 0);
    lede__xdb_free(db);
}

/* The shards of a build by several threads hand their spelling counts to
 * one of them, which writes them once: the words and their counts are
 * one thread's, however the articles fell to the threads. */
static void test_sync__parallel_spellings(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    put_ferries(f, 40);
    put(f, "rocks.txt",
        "Rocks\n\nCormorants nest on the rocks and watch "
        "the ferry.\n");
    assert_int_equal(sync_now(f, &st), 0);
    const char *roots[] = {f->corpus};
    for (unsigned threads = 2; threads <= 4; threads++) {
        char par[4096];
        snprintf(par, sizeof par, "%s", th_path(f->dir, "par"));
        lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
        so.threads = threads;
        assert_int_equal(lede_index_rebuild(&st, par, NULL, roots, 1, &so), 0);
        assert_int_equal(st.added, 41);
        static char x[16384], y[16384];
        spellings(f->index, x);
        spellings(par, y);
        assert_non_null(strstr(x, "\ncormorants 1\n"));
        assert_non_null(strstr(x, "\nferry 41\n"));
        assert_string_equal(x, y);
        assert_no_leftovers(par);
    }
}

/* A reader opened before many commits still searches, and its results
 * are from one commit: every article carries the same generation word. */
/* Size in bytes of the files directly in dir. */
static long long dir_bytes(const char *dir)
{
    static const char *const tables[] = {"docdata", "position", "postlist",
                                         "spelling", "termlist"};
    long long n = 0;
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char p[4096];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s.glass", dir, tables[i]);
        if (stat(p, &sb) == 0)
            n += (long long)sb.st_size;
    }
    return n;
}

static int count_problem(const char *problem, void *payload)
{
    char *log = payload;
    strncat(log, problem, 4096 - strlen(log) - 2);
    strcat(log, "\n");
    return 0;
}

/* The passage records of one article, as a walk of its id term finds
 * them. */
typedef struct {
    lede__buf data[16]; /* each passage's record */
    size_t n;           /* how many */
} records;

static int keep_record(const lede__xdocinfo *d, void *payload)
{
    records *rs = payload;
    assert_true(rs->n < sizeof rs->data / sizeof *rs->data);
    lede__buf *b = &rs->data[rs->n++];
    *b = (lede__buf)LEDE__BUF_INIT;
    assert_int_equal(lede__buf_put(b, d->data, d->data_len), 0);
    return 0;
}

/* Write article id's passages again with passage forge's stored text
 * replaced by as many 'x's: the right length, the wrong bytes. */
static void forge_text(const char *index, const char *id, unsigned forge)
{
    lede__xdb *db;
    lede__buf term = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    records rs = {.n = 0};
    int forged = 0;
    assert_int_equal(lede__xdb_open(&db, index, LEDE_OPEN_WRITE), 0);
    assert_int_equal(lede__key_id_term(&term, id, strlen(id)), 0);
    assert_int_equal(
        lede__xdb_term_docs(db, term.data, term.len, keep_record, &rs), 0);
    assert_int_equal(lede__xdb_delete_term(db, term.data, term.len), 0);
    for (size_t i = 0; i < rs.n; i++) {
        lede__store_record r;
        lede__xdoc *doc;
        assert_int_equal(
            lede__store_decode(&r, &scratch, rs.data[i].data, rs.data[i].len),
            0);
        assert_int_equal(lede__xdoc_new(&doc), 0);
        assert_int_equal(lede__xdoc_boolean(doc, term.data, term.len), 0);
        if (r.has_article)
            assert_int_equal(lede__xdoc_boolean(doc, LEDE__TERM_ARTICLE,
                                                strlen(LEDE__TERM_ARTICLE)),
                             0);
        assert_int_equal(
            lede__xdoc_value(doc, LEDE__SLOT_ARTICLE, id, strlen(id)), 0);
        if (r.ordinal == forge) {
            lede__buf out = LEDE__BUF_INIT;
            char *fake = malloc(r.end + 1);
            memset(fake, 'x', r.end);
            r.body = fake;
            assert_int_equal(lede__store_encode(&out, &r), 0);
            assert_int_equal(lede__xdoc_data(doc, out.data, out.len), 0);
            free(fake);
            lede__buf_free(&out);
            forged++;
        } else {
            assert_int_equal(
                lede__xdoc_data(doc, rs.data[i].data, rs.data[i].len), 0);
        }
        assert_int_equal(lede__xdb_add(db, doc), 0);
        lede__xdoc_free(doc);
        lede__buf_free(&rs.data[i]);
    }
    assert_int_equal(lede__xdb_commit(db), 0);
    lede__xdb_free(db);
    assert_int_equal(forged, 1);
    lede__buf_free(&term);
    lede__buf_free(&scratch);
}

/* The best passage of q, all it shows, as one string. */
static void best_passage(fixture *f, const char *q, char *out, size_t size)
{
    lede_index *idx;
    lede_results *res;
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_int_equal(lede_search(&res, idx, q, NULL), 0);
    assert_int_equal(lede_results_count(res), 1);
    char *snip;
    assert_int_equal(lede_results_snippet(&snip, res, 0, "[", "]"), 0);
    snprintf(out, size, "%s #%u [%zu,%zu) %s | %s | %lld | %s | %s",
             lede_results_article_id(res, 0), lede_results_passage(res, 0),
             lede_results_start(res, 0), lede_results_end(res, 0),
             lede_results_title(res, 0), lede_results_url(res, 0),
             (long long)lede_results_date(res, 0), lede_results_text(res, 0),
             snip);
    lede_free(snip);
    lede_results_free(res);
    lede_index_free(idx);
}

/* A passage after an article's first shows from its own record, with
 * the article's title, date and URL; where overlapping passages' stored
 * texts disagree, the check says so. */
static void test_sync__passage_text_from_own_record(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    static char body[8192], text[16384];
    size_t n = 0;
    for (int i = 0; i < 120; i++)
        n += (size_t)snprintf(body + n, sizeof body - n,
                              "The delegates met in hall %d. ", i);
    snprintf(body + n, sizeof body - n, "At last a zebra walked in.");
    snprintf(text, sizeof text,
             "{\"id\":\"long\",\"title\":\"A long day\",\"date\":"
             "\"2019-02-27\",\"url\":\"https://example.com/long\","
             "\"text\":\"%s\"}\n",
             body);
    put(f, "long.jsonl", text);
    assert_int_equal(sync_now(f, &st), 0);
    char before[4096];
    best_passage(f, "zebra", before, sizeof before);
    assert_null(strstr(before, "#0 ")); /* a later passage */
    assert_non_null(strstr(before, "[zebra]"));
    assert_non_null(strstr(before, ") A long day | https://example.com/long | "
                                   "1551225600 | "));
    assert_sound(f);

    /* Passage 1's stored text forged: it no longer agrees with the
     * passages it overlaps. */
    forge_text(f->index, "long", 1);
    uint64_t problems = 0;
    char log[4096] = "";
    assert_error(lede_index_check(&problems, f->index, count_problem, log),
                 LEDE_ECORRUPT);
    assert_string_equal(log, "article 'long': passages 0 and 1 differ in "
                             "bytes 950 to 979, which both hold\n");
    assert_int_equal(problems, 1);
}

/* Compaction: the same articles, searches, settings and sync state, in
 * fewer bytes; the lock is honoured; nothing is left beside the index. */
static void test_sync__compact(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    put_ferries(f, 60);
    put(f, "a.txt", "Alpha\n\nThe aardvark digs at night.\n");
    assert_int_equal(sync_now(f, &st), 0);
    long long before = dir_bytes(f->index);
    lede_results *res;
    lede_index *idx;
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_int_equal(lede_search(&res, idx, "ferry gulls", NULL), 0);
    double score = lede_results_score(res, 0);
    char *first = strdup(lede_results_article_id(res, 0));
    lede_results_free(res);

    /* Another writer holds the lock: no compaction, nothing changed. */
    lede_index *writer;
    lede_index_options wo = LEDE_INDEX_OPTIONS_INIT;
    wo.mode = LEDE_OPEN_WRITE;
    assert_int_equal(lede_index_open(&writer, f->index, &wo), 0);
    assert_int_equal(lede_index_compact(f->index, NULL), LEDE_ELOCKED);
    lede_index_free(writer);
    assert_int_equal(dir_bytes(f->index), before);

    assert_int_equal(lede_index_compact(f->index, NULL), 0);
    long long after = dir_bytes(f->index);
    assert_true(after < before);
    struct stat sb;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.compact", f->index);
    assert_int_not_equal(stat(tmp, &sb), 0);
    /* The reader opened before still answers; a new one the same. */
    assert_int_equal(lede_search(&res, idx, "aardvark", NULL), 0);
    assert_int_equal(lede_results_count(res), 1);
    lede_results_free(res);
    lede_index_free(idx);
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_int_equal(lede_search(&res, idx, "ferry gulls", NULL), 0);
    assert_string_equal(lede_results_article_id(res, 0), first);
    assert_float_equal(lede_results_score(res, 0), score, 1e-12);
    lede_results_free(res);
    lede_index_free(idx);
    free(first);
    assert_sound(f);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 61, 0, 0);
    assert_int_equal(lede_index_compact(NULL, NULL), LEDE_EINVAL);
}

/* Whether the index at f->index is marked as an unfinished first build. */
static int unfinished(fixture *f)
{
    lede_index *idx;
    int out = -1;
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_int_equal(lede_index_unfinished(&out, idx), 0);
    lede_index_free(idx);
    return out;
}

static void test_sync__first_build_marked_until_compacted(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    char name[64], text[128];
    for (int i = 0; i < 30; i++) {
        snprintf(name, sizeof name, "f%02d.txt", i);
        snprintf(text, sizeof text, "File %d\n\nOstrich number %d.\n", i, i);
        put(f, name, text);
    }
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_event;
    so.payload = f;
    so.batch = 7;
    f->stop_after = 12;
    assert_error(sync_opts(f, &st, &so), LEDE_EUSER);
    assert_int_equal(articles(f), 12);
    assert_int_equal(unfinished(f), 1);
    assert_sound(f); /* the mark is no damage */
    /* Finished, but not compacted: still a first build to end. */
    f->stop_after = 0;
    assert_int_equal(sync_opts(f, &st, &so), 0);
    assert_stats(st, 18, 0, 0, 12, 0, 0);
    assert_int_equal(unfinished(f), 1);
    /* A compaction that fails (a leftover it may not remove) keeps it. */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.compact", f->index);
    th_write(tmp, "not an index\n", 13);
    assert_error(lede_index_compact(f->index, NULL), LEDE_EINVAL);
    assert_int_equal(unfinished(f), 1);
    assert_int_equal(unlink(tmp), 0);
    assert_int_equal(lede_index_compact(f->index, NULL), 0);
    assert_int_equal(unfinished(f), 0);
    assert_sound(f);
    /* A sync of an index holding articles is no first build. */
    put(f, "g.txt", "Gull\n\nThe gull cried.\n");
    assert_int_equal(sync_opts(f, &st, &so), 0);
    assert_stats(st, 1, 0, 0, 30, 0, 0);
    assert_int_equal(unfinished(f), 0);

    /* A parallel rebuild's merge compacts: nothing left unfinished. */
    so.threads = 3;
    assert_int_equal(lede_index_rebuild(&st, f->index, NULL,
                                        (const char *const *)&f->corpus, 1,
                                        &so),
                     0);
    assert_int_equal(articles(f), 31);
    assert_int_equal(unfinished(f), 0);
    /* One thread rebuilds by adding: marked until compacted. */
    so.threads = 1;
    assert_int_equal(lede_index_rebuild(&st, f->index, NULL,
                                        (const char *const *)&f->corpus, 1,
                                        &so),
                     0);
    assert_int_equal(unfinished(f), 1);
    assert_int_equal(lede_index_compact(f->index, NULL), 0);
    assert_int_equal(unfinished(f), 0);

    lede_index *idx;
    int out = 7;
    assert_int_equal(lede_index_open(&idx, f->index, NULL), 0);
    assert_error(lede_index_unfinished(NULL, idx), LEDE_EINVAL);
    assert_error(lede_index_unfinished(&out, NULL), LEDE_EINVAL);
    assert_int_equal(out, 0);
    lede_index_free(idx);
}

static void test_sync__reader_survives_commits(void **state)
{
    fixture *f = *state;
    lede_index *w, *reader;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    char body[128], id[16];
    io.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&w, f->index, &io), 0);
    for (int gen = 0; gen < 20; gen++) {
        for (int i = 0; i < 300; i++) {
            lede_article a = LEDE_ARTICLE_INIT;
            snprintf(id, sizeof id, "a%d", i);
            snprintf(body, sizeof body,
                     "Generation g%d of the llama story, part %d.", gen, i);
            a.id = id;
            a.body = body;
            a.body_len = strlen(body);
            assert_int_equal(lede_index_add(w, &a), 0);
        }
        assert_int_equal(lede_index_commit(w), 0);
        if (gen == 0)
            assert_int_equal(lede_index_open(&reader, f->index, NULL), 0);
        if (gen % 5 != 4)
            continue;
        /* The reader's revision is long overwritten: the search reopens
         * and answers from one consistent revision. */
        lede_results *res;
        lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
        so.limit = 300;
        so.flags = LEDE_SEARCH_NO_DEDUP; /* the parts are near-duplicates */
        assert_int_equal(lede_search(&res, reader, "llama", &so), 0);
        assert_int_equal(lede_results_count(res), 300);
        char want[16];
        const char *g = strstr(lede_results_text(res, 0), " g");
        assert_non_null(g);
        snprintf(want, sizeof want, "%.*s", (int)strcspn(g + 1, " "), g + 1);
        for (size_t i = 0; i < 300; i++)
            assert_non_null(strstr(lede_results_text(res, i), want));
        lede_results_free(res);
    }
    lede_index_free(reader);
    lede_index_free(w);
}

static void test_sync__lock_wait(void **state)
{
    fixture *f = *state;
    lede_index *w1, *w2 = (lede_index *)1;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&w1, f->index, &io), 0);
    io.mode = LEDE_OPEN_WRITE;
    io.lock_wait_ms = 300;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_error(lede_index_open(&w2, f->index, &io), LEDE_ELOCKED);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) +
                    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(waited >= 0.3);
    assert_null(w2);
    lede_index_free(w1);
    assert_int_equal(lede_index_open(&w2, f->index, &io), 0);
    lede_index_free(w2);
}

static void test_sync__check_finds_damage(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    char log[4096] = "";
    three_files(f);
    assert_int_equal(sync_now(f, &st), 0);
    assert_sound(f);

    /* Damage the index behind lede's back: a passage whose article does
     * not exist, and an article whose stored record is garbage. */
    lede__xdb *db;
    lede__xdoc *doc;
    assert_int_equal(lede__xdb_open(&db, f->index, LEDE_OPEN_WRITE), 0);
    assert_int_equal(lede__xdb_begin(db), 0);
    assert_int_equal(lede__xdoc_new(&doc), 0);
    assert_int_equal(lede__xdoc_boolean(doc, "Qghost", 6), 0);
    assert_int_equal(lede__xdoc_value(doc, LEDE__SLOT_ARTICLE, "ghost", 5), 0);
    assert_int_equal(lede__xdb_add(db, doc), 0);
    assert_int_equal(lede__xdoc_clear(doc), 0);
    assert_int_equal(lede__xdoc_boolean(doc, "Qjunk", 5), 0);
    assert_int_equal(lede__xdoc_boolean(doc, "XA", 2), 0);
    assert_int_equal(lede__xdoc_value(doc, LEDE__SLOT_ARTICLE, "junk", 4), 0);
    assert_int_equal(lede__xdoc_data(doc, "garbage", 7), 0);
    assert_int_equal(lede__xdb_add(db, doc), 0);
    assert_int_equal(lede__xdb_commit(db), 0);
    lede__xdoc_free(doc);
    lede__xdb_free(db);

    uint64_t problems = 0;
    assert_error(lede_index_check(&problems, f->index, count_problem, log),
                 LEDE_ECORRUPT);
    assert_int_equal(problems, 2);
    assert_string_equal(log, "article 'junk', document 7: stored passage "
                             "record: not a lede record\n"
                             "1 passage belongs to no article\n");
    const char *e = lede_error_last();
    assert_true(strlen(e) > 18);
    assert_string_equal(e + strlen(e) - 18, ": 2 problems found");
    assert_error(lede_index_check(NULL, th_path(f->dir, "none"), NULL, NULL),
                 LEDE_ENOTFOUND);
}

/* A file's bad parts are told, and counted, on every sync until the file
 * changes, not only on the one that read it: the reader's (a malformed
 * line) and the index's (an id over the limit) alike, through a touch
 * that keeps the bytes, and through a build by several threads, whose
 * records are merged. */
static void test_sync__problems_remembered(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    char bad[1400], text[2048];
    memset(bad, 'x', sizeof bad - 1);
    bad[sizeof bad - 1] = '\0';
    snprintf(text, sizeof text,
             "{\"id\":\"p1\",\"title\":\"One\",\"text\":\"The otter.\"}\n"
             "{not json\n"
             "{\"id\":\"%s\",\"title\":\"Long\",\"text\":\"Too long.\"}\n"
             "{\"id\":\"p2\",\"title\":\"Two\",\"text\":\"The heron.\"}\n",
             bad);
    put(f, "p.jsonl", text);
    put(f, "ok.txt", "Fine\n\nNothing wrong here.\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 3, 0, 0, 0, 0, 2);
    assert_int_equal(count_of(f->log, "PROBLEM p.jsonl:2 malformed JSON"), 1);
    assert_int_equal(count_of(f->log, "PROBLEM p.jsonl:3 "), 1);

    static const char told[] =
        "PROBLEM p.jsonl:0 2 bad parts skipped when the file was read; "
        "it is unchanged since\n";
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 3, 0, 2);
    assert_int_equal(st.commits, 0);
    assert_string_equal(f->log, told);

    /* Touched: the record keeps the count with the new time. */
    struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, corpus_path(f, "p.jsonl"), times, 0),
                     0);
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 3, 0, 2);
    assert_string_equal(f->log, told);
    assert_int_equal(sync_now(f, &st), 0);
    assert_string_equal(f->log, told);

    /* Built by three threads: the shards' counts add up to the file's. */
    const char *par = strdup(th_path(f->dir, "par"));
    const char *roots[] = {f->corpus};
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.threads = 3;
    assert_int_equal(lede_index_rebuild(&st, par, NULL, roots, 1, &so), 0);
    assert_stats(st, 3, 0, 0, 0, 0, 2);
    char *seq = f->index;
    f->index = (char *)par;
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 3, 0, 2);
    assert_string_equal(f->log, told);
    f->index = seq;
    free((char *)par);

    /* Mended: nothing more is said. */
    put(f, "p.jsonl",
        "{\"id\":\"p1\",\"title\":\"One\",\"text\":\"The otter.\"}\n"
        "{\"id\":\"p2\",\"title\":\"Two\",\"text\":\"The heron.\"}\n");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 3, 0, 0);
    assert_string_equal(f->log, "");
    assert_int_equal(sync_now(f, &st), 0);
    assert_stats(st, 0, 0, 0, 3, 0, 0);
    assert_string_equal(f->log, "");
    assert_sound(f);
}

/* A file's record without problems is written as before (version 1),
 * which older versions read; a record of that version reads as none. */
static void test_sync__source_record_versions(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT;
    lede__source s = {
        (char *)"/c/a.jsonl", 300, 7, 0x0102030405060708u, 4, 0, 0};
    lede__source d;
    assert_int_equal(lede__source_encode(&b, &s), 0);
    static const char v1[] = "S\001\254\002\016\010\007\006\005\004\003\002"
                             "\001\004/c/a.jsonl";
    assert_int_equal(b.len, sizeof v1 - 1);
    assert_memory_equal(b.data, v1, sizeof v1 - 1);
    assert_int_equal(lede__source_decode(&d, v1, sizeof v1 - 1), 0);
    assert_int_equal(d.articles, 4);
    assert_int_equal(d.problems, 0);
    assert_string_equal(d.key, "/c/a.jsonl");
    lede__free(d.key);

    s.problems = 300;
    assert_int_equal(lede__source_encode(&b, &s), 0);
    assert_int_equal(b.data[1], 2);
    assert_int_equal(b.len, sizeof v1 - 1 + 2);
    assert_int_equal(lede__source_decode(&d, b.data, b.len), 0);
    assert_int_equal(d.articles, 4);
    assert_int_equal(d.problems, 300);
    assert_int_equal(d.size, 300);
    assert_string_equal(d.key, "/c/a.jsonl");
    lede__free(d.key);
    /* Cut inside the count: damaged. */
    assert_error(lede__source_decode(&d, b.data, 15), LEDE_ECORRUPT);
    lede__buf_free(&b);
}

/* The bytes_done of every progress event, and the files done then. */
typedef struct {
    uint64_t done[1024];  /* bytes_done */
    uint64_t files[1024]; /* files_done */
    uint64_t total;       /* bytes_total of the last one */
    size_t n;             /* events */
} progress_log;

static int on_progress(const lede_sync_event *ev, void *payload)
{
    progress_log *p = payload;
    if (ev->kind == LEDE_SYNC_PROGRESS && p->n < 1024) {
        p->done[p->n] = ev->stats->bytes_done;
        p->files[p->n] = ev->stats->files_done;
        p->total = ev->stats->bytes_total;
        p->n++;
    }
    return 0;
}

/* n JSON Lines articles of words that compress little (as gzip does real
 * text), ids prefix1, prefix2, ...; the caller frees the text. */
static char *big_jsonl(const char *prefix, int n, size_t *len)
{
    size_t cap = (size_t)n * 400 + 1, used = 0;
    char *s = malloc(cap);
    uint32_t x = 12345;
    for (int i = 0; i < n; i++) {
        used += (size_t)snprintf(s + used, cap - used,
                                 "{\"id\":\"%s%d\",\"title\":\"Report %d\","
                                 "\"text\":\"",
                                 prefix, i, i);
        for (int w = 0; w < 40; w++) {
            x = x * 1103515245u + 12345u;
            used += (size_t)snprintf(s + used, cap - used, "%s%x", w ? " " : "",
                                     (x >> 8) & 0xfffff);
        }
        used += (size_t)snprintf(s + used, cap - used, "\"}\n");
    }
    *len = used;
    return s;
}

/* Sizes of the big files, in the order the sync reads them. */
static uint64_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

/* Within each file, progress events count the bytes read so far, so that
 * one large file shows a rate; at each file's end, the sizes of the
 * files done, exactly. */
static void check_progress(const progress_log *p, uint64_t a, uint64_t b)
{
    uint64_t prev = 0;
    int in_a = 0, in_b = 0;
    assert_true(p->n > 2);
    for (size_t i = 0; i < p->n; i++) {
        assert_true(p->done[i] >= prev); /* never goes back */
        assert_true(p->done[i] <= a + b);
        if (p->files[i] == 0 && p->done[i] > 0 && p->done[i] < a) {
            assert_true(p->done[i] > prev || in_a == 0);
            in_a++;
        }
        if (p->files[i] == 1) {
            assert_true(p->done[i] >= a);
            if (p->done[i] > a && p->done[i] < a + b)
                in_b++;
        }
        prev = p->done[i];
    }
    assert_true(in_a >= 2); /* before the first file ended */
    assert_true(in_b >= 2); /* within the gzip file */
    assert_int_equal(p->done[p->n - 1], a + b);
    assert_int_equal(p->total, a + b);
}

static void test_sync__progress_by_bytes(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    size_t len;
    char *text = big_jsonl("p", 3000, &len);
    put(f, "big.jsonl", text);
    free(text);
    text = big_jsonl("z", 3000, &len);
    th_write_gz(corpus_path(f, "big.jsonl.gz"), text, len, "wb");
    free(text);
    uint64_t a = file_size(corpus_path(f, "big.jsonl"));
    uint64_t b = file_size(corpus_path(f, "big.jsonl.gz"));
    assert_true(b > (uint64_t)4 << 16); /* several of the reader's reads */

    progress_log p;
    memset(&p, 0, sizeof p);
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_progress;
    so.payload = &p;
    assert_int_equal(sync_opts(f, &st, &so), 0);
    assert_int_equal(st.added, 6000);
    assert_int_equal(st.bytes_done, a + b);
    assert_int_equal(st.bytes_total, a + b);
    check_progress(&p, a, b);

    /* The same with two threads, whose counts are summed. */
    const char *roots[] = {f->corpus};
    char *par = strdup(th_path(f->dir, "par"));
    memset(&p, 0, sizeof p);
    so.threads = 2;
    assert_int_equal(lede_index_rebuild(&st, par, NULL, roots, 1, &so), 0);
    assert_int_equal(st.added, 6000);
    assert_int_equal(st.bytes_done, a + b);
    check_progress(&p, a, b);
    free(par);
}

/* A gzip file cut short counts its size once, whatever was read of it. */
static void test_sync__progress_of_failed_file(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    size_t len;
    char *text = big_jsonl("c", 5000, &len);
    th_write_gz(corpus_path(f, "cut.jsonl.gz"), text, len, "wb");
    free(text);
    uint64_t whole = file_size(corpus_path(f, "cut.jsonl.gz"));
    assert_int_equal(
        truncate(corpus_path(f, "cut.jsonl.gz"), (off_t)(whole / 2)), 0);
    progress_log p;
    memset(&p, 0, sizeof p);
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_progress;
    so.payload = &p;
    assert_int_equal(sync_opts(f, &st, &so), 0);
    assert_true(st.added > 0 && st.added < 5000);
    assert_int_equal(st.skipped + st.errors, 1);
    assert_int_equal(st.bytes_done, whole / 2);
    assert_int_equal(st.bytes_total, whole / 2);
    assert_true(p.n >= 2);
    for (size_t i = 0; i < p.n; i++)
        assert_true(p.done[i] <= whole / 2);
    assert_true(p.done[0] > 0 && p.done[0] < whole / 2);
}

/* Stops the sync at the first progress event within the first file, and
 * keeps the bytes_done that event told. */
typedef struct {
    uint64_t told; /* bytes_done of the event that stopped it */
    int events;    /* progress events within the file */
} stop_log;

static int stop_in_file(const lede_sync_event *ev, void *payload)
{
    stop_log *p = payload;
    if (ev->kind != LEDE_SYNC_PROGRESS || ev->stats->files_done > 0 ||
        p->events++ > 0)
        return 0;
    p->told = ev->stats->bytes_done;
    return 1;
}

/* Sync the corpus into a new index at name with threads; stopped as
 * stop_in_file says, the counts in *st. */
static void sync_stopped(fixture *f, const char *name, unsigned threads,
                         lede_sync_stats *st, stop_log *p)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    lede_index *idx;
    const char *roots[] = {f->corpus};
    io.mode = LEDE_OPEN_CREATE;
    so.cb = stop_in_file;
    so.payload = p;
    so.threads = threads;
    memset(p, 0, sizeof *p);
    assert_int_equal(lede_index_open(&idx, th_path(f->dir, name), &io), 0);
    assert_error(lede_index_sync(st, idx, roots, 1, &so), LEDE_EUSER);
    lede_index_free(idx);
}

/* A file left before its end (the sync stopped within it) counts the
 * bytes read of it, not its size: so many bytes as the event that
 * stopped the sync told, with one thread or two. */
static void test_sync__stopped_file_counts_bytes_read(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    stop_log p;
    size_t len;
    char *text = big_jsonl("s", 5000, &len);
    put(f, "big.jsonl", text);
    uint64_t size = file_size(corpus_path(f, "big.jsonl"));
    const char *names[] = {"one", "two"};
    for (unsigned t = 1; t <= 2; t++) {
        sync_stopped(f, names[t - 1], t, &st, &p);
        assert_true(p.told > 0 && p.told < size);
        assert_int_equal(st.bytes_done, p.told);
        assert_int_equal(st.bytes_total, size);
        assert_true(st.added > 0 && st.added < 5000);
    }

    /* Of a gzip file, the compressed bytes read. */
    assert_int_equal(unlink(corpus_path(f, "big.jsonl")), 0);
    th_write_gz(corpus_path(f, "big.jsonl.gz"), text, len, "wb");
    free(text);
    size = file_size(corpus_path(f, "big.jsonl.gz"));
    const char *gz_names[] = {"gz_one", "gz_two"};
    for (unsigned t = 1; t <= 2; t++) {
        sync_stopped(f, gz_names[t - 1], t, &st, &p);
        assert_true(p.told > 0 && p.told < size);
        assert_int_equal(st.bytes_done, p.told);
        assert_int_equal(st.bytes_total, size);
        assert_true(st.added > 0 && st.added < 5000);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_sync__first_and_unchanged),
        T(test_sync__duplicate_id_counted_once),
        T(test_sync__touched_file_not_rewritten),
        T(test_sync__changed_file_replaces_articles),
        T(test_sync__vanished_files),
        T(test_sync__other_roots_untouched),
        T(test_sync__missing_root_changes_nothing),
        T(test_sync__bad_inputs),
        T(test_sync__symlinks_stay_inside_root),
        T(test_sync__symlinks_visit_each_once),
        T(test_sync__article_belongs_to_its_file),
        T(test_sync__file_gone_bad_keeps_articles),
        T(test_sync__stop_and_resume),
        T(test_sync__dates_and_urls_stored),
        T(test_sync__rebuild_swaps),
        T(test_sync__parallel_rebuild),
        T(test_sync__parallel_spellings),
        T(test_sync__compact),
        T(test_sync__first_build_marked_until_compacted),
        T(test_sync__passage_text_from_own_record),
        T(test_sync__reader_survives_commits),
        T(test_sync__lock_wait),
        T(test_sync__check_finds_damage),
        T(test_sync__problems_remembered),
        T(test_sync__source_record_versions),
        T(test_sync__progress_by_bytes),
        T(test_sync__progress_of_failed_file),
        T(test_sync__stopped_file_counts_bytes_read),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
