/*
 * test_shards.c - shard sets through the public API: each article in the
 * shard its id hashes to, the shards together holding exactly what one
 * index built from the same corpus holds, before and after incremental
 * syncs; locks, stops, checks, rebuilds and the merge into one index.
 */
#include "helpers.h"
#include "xapian_shim.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    char *dir;      /* scratch */
    char *corpus;   /* corpus root */
    char *set;      /* the shard set */
    char *single;   /* an index of the same corpus */
    int stop_after; /* stop at this progress event; 0: never */
    int progress;   /* progress events seen */
    int kill_at;    /* kill -9 the process at this commit; 0: never */
    int commits;    /* commits seen */
    char log[8192]; /* events other than progress and commits, one a line */
    size_t nlog;    /* bytes used */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = th_tempdir();
    f->corpus = strdup(th_path(f->dir, "corpus"));
    f->set = strdup(th_path(f->dir, "set"));
    f->single = strdup(th_path(f->dir, "single"));
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
    free(f->set);
    free(f->single);
    free(f);
    return 0;
}

static int on_event(const lede_sync_event *ev, void *payload)
{
    static const char *const kinds[] = {"PROGRESS", "SKIPPED", "PROBLEM",
                                        "WARNING",  "IGNORED", "COMMITTED"};
    fixture *f = payload;
    if (ev->kind == LEDE_SYNC_PROGRESS)
        return f->stop_after && ++f->progress >= f->stop_after;
    if (ev->kind == LEDE_SYNC_COMMITTED) {
        if (f->kill_at && ++f->commits >= f->kill_at)
            kill(getpid(), SIGKILL); /* a crash, amid the other threads */
        return 0;
    }
    /* Paths relative to the corpus keep the log readable. */
    const char *p = ev->path ? ev->path : "";
    size_t n = strlen(f->corpus);
    if (strncmp(p, f->corpus, n) == 0 && p[n] == '/')
        p += n + 1;
    int w =
        snprintf(f->log + f->nlog, sizeof f->log - f->nlog, "%s %s:%llu %s\n",
                 kinds[ev->kind], p, (unsigned long long)ev->line,
                 ev->message ? ev->message : "");
    if (w > 0 && (size_t)w < sizeof f->log - f->nlog)
        f->nlog += (size_t)w;
    return 0;
}

static void put(fixture *f, const char *rel, const char *text)
{
    th_write(th_path(f->corpus, rel), text, strlen(text));
}

/* A txt article i with a text of its own (extra words make it longer). */
static void put_txt(fixture *f, int i, const char *extra)
{
    char name[32], text[512];
    snprintf(name, sizeof name, "t%02d.txt", i);
    snprintf(text, sizeof text,
             "Story %d\n\nThe harbour ferry number %d left at dawn%s. Gulls "
             "followed it past the breakwater%s.\n\nThe crossing took %d "
             "minutes.\n",
             i, i, i % 3 ? "" : " in fog", extra, 30 + i);
    put(f, name, text);
}

/* A JSON Lines file of the articles prefix<i> for i in [from, to), each
 * with a text of its own; changed: the id whose text differs. */
static void put_jsonl(fixture *f, const char *name, const char *prefix,
                      int from, int to, int changed)
{
    char buf[8192];
    size_t n = 0;
    for (int i = from; i < to; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "{\"id\":\"%s%02d\",\"title\":\"Note %d\","
                              "\"text\":\"The lighthouse keeper %d wrote "
                              "of %s. Storm warnings rose at noon.\"}\n",
                              prefix, i, i, i,
                              i == changed ? "whales" : "seals");
    put(f, name, buf);
}

/* Corpus version 1: 20 txt articles, many.jsonl (j00..j11), gone.jsonl
 * (g00..g05): 38 articles. */
static void corpus_v1(fixture *f)
{
    for (int i = 0; i < 20; i++)
        put_txt(f, i, "");
    put_jsonl(f, "many.jsonl", "j", 0, 12, -1);
    put_jsonl(f, "gone.jsonl", "g", 0, 6, -1);
}

/* Version 2: t03 changed, t20 new, t05 gone; many.jsonl without j00..j02,
 * j05 changed, j12 new; gone.jsonl gone: 30 articles. */
static void corpus_v2(fixture *f)
{
    put_txt(f, 3, " and a seal");
    put_txt(f, 20, "");
    assert_int_equal(unlink(th_path(f->corpus, "t05.txt")), 0);
    put_jsonl(f, "many.jsonl", "j", 3, 13, 5);
    assert_int_equal(unlink(th_path(f->corpus, "gone.jsonl")), 0);
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

static int sync_set(fixture *f, lede_sync_stats *st, unsigned shards,
                    unsigned threads)
{
    const char *roots[] = {f->corpus};
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_event;
    so.payload = f;
    so.threads = threads;
    f->progress = 0;
    return lede_shards_sync(st, f->set, shards, NULL, roots, 1, &so);
}

/* A new index at path from the corpus, as one index. */
static void build_single(fixture *f, const char *path)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    const char *roots[] = {f->corpus};
    io.mode = LEDE_OPEN_CREATE;
    th_rmtree(path);
    assert_int_equal(lede_index_open(&idx, path, &io), 0);
    assert_int_equal(lede_index_sync(NULL, idx, roots, 1, NULL), 0);
    lede_index_free(idx);
}

static const char *shard(fixture *f, unsigned k)
{
    static char p[4096];
    snprintf(p, sizeof p, "%s/shard-%03u", f->set, k);
    return p;
}

/* Every passage of an index as a line: "id|ordinal|start|end|text", and
 * for an article's first passage its title and body too. */
typedef struct {
    char **v;   /* lines */
    size_t n;   /* count */
    size_t cap; /* allocated */
    lede__buf scratch;
} dump;

static int dump_doc(const lede__xdocinfo *d, void *payload)
{
    dump *u = payload;
    lede__store_record r;
    assert_int_equal(lede__store_decode(&r, &u->scratch, d->data, d->data_len),
                     0);
    const char *text = r.text;
    size_t text_len = r.text_len;
    if (text == NULL && r.body != NULL) {
        text = r.body + r.start;
        text_len = (size_t)(r.end - r.start);
    }
    size_t size = d->value_len[LEDE__SLOT_ARTICLE] + text_len +
                  (r.has_article ? r.title_len + r.body_len : 0) + 128;
    char *line = malloc(size);
    snprintf(line, size, "%.*s|%u|%llu|%llu|%.*s|%.*s|%.*s",
             (int)d->value_len[LEDE__SLOT_ARTICLE],
             d->value[LEDE__SLOT_ARTICLE], r.ordinal,
             (unsigned long long)r.start, (unsigned long long)r.end,
             (int)text_len, text ? text : "",
             r.has_article ? (int)r.title_len : 0, r.has_article ? r.title : "",
             r.has_article ? (int)r.body_len : 0, r.has_article ? r.body : "");
    if (u->n == u->cap) {
        u->cap = u->cap ? 2 * u->cap : 64;
        u->v = realloc(u->v, u->cap * sizeof *u->v);
    }
    u->v[u->n++] = line;
    return 0;
}

static void dump_add(dump *u, const char *path)
{
    lede_index *idx;
    assert_int_equal(lede_index_open(&idx, path, NULL), 0);
    assert_int_equal(
        lede__xdb_term_docs(lede__index_db(idx), "", 0, dump_doc, u), 0);
    lede_index_free(idx);
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The dump, sorted, as one string; frees the lines. */
static char *dump_text(dump *u)
{
    size_t len = 1;
    qsort(u->v, u->n, sizeof *u->v, by_str);
    for (size_t i = 0; i < u->n; i++)
        len += strlen(u->v[i]) + 1;
    char *s = malloc(len);
    s[0] = '\0';
    for (size_t i = 0, at = 0; i < u->n; i++) {
        at += (size_t)sprintf(s + at, "%s\n", u->v[i]);
        free(u->v[i]);
    }
    free(u->v);
    lede__buf_free(&u->scratch);
    memset(u, 0, sizeof *u);
    return s;
}

/* The passages of the n shards of the set, or of an index (n 0). */
static char *dump_of(fixture *f, const char *path, unsigned n)
{
    dump u;
    memset(&u, 0, sizeof u);
    if (n == 0)
        dump_add(&u, path);
    for (unsigned k = 0; k < n; k++)
        dump_add(&u, shard(f, k));
    return dump_text(&u);
}

typedef struct {
    unsigned want; /* the shard being visited */
    unsigned n;    /* of n */
    size_t count;  /* its articles */
} placement;

static int placed_right(const lede__xdocinfo *d, void *payload)
{
    placement *p = payload;
    uint64_t h = lede__hash_fnv1a(d->value[LEDE__SLOT_ARTICLE],
                                  d->value_len[LEDE__SLOT_ARTICLE]);
    assert_int_equal(h % p->n, p->want);
    p->count++;
    return 0;
}

/* Every article of each of the n shards hashes to it; the total. */
static size_t assert_placed(fixture *f, unsigned n)
{
    size_t total = 0;
    for (unsigned k = 0; k < n; k++) {
        lede_index *idx;
        placement p = {k, n, 0};
        assert_int_equal(lede_index_open(&idx, shard(f, k), NULL), 0);
        assert_int_equal(
            lede__xdb_term_docs(lede__index_db(idx), LEDE__TERM_ARTICLE,
                                strlen(LEDE__TERM_ARTICLE), placed_right, &p),
            0);
        lede_index_free(idx);
        total += p.count;
    }
    return total;
}

static void assert_set_sound(fixture *f)
{
    uint64_t problems = 99;
    assert_int_equal(lede_shards_check(&problems, f->set, NULL, NULL), 0);
    assert_int_equal(problems, 0);
}

/* The set holds what one index of the corpus holds. */
static void assert_same_as_single(fixture *f, unsigned n)
{
    build_single(f, f->single);
    char *a = dump_of(f, f->set, n), *b = dump_of(f, f->single, 0);
    assert_true(strlen(b) > 0);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* For N = 1, 2, 4: placement, the union equal to one index, and an
 * incremental sync (files changed, added, deleted, a JSON Lines file
 * whose articles span shards changed, another deleted) equal to a fresh
 * build. */
static void test_shards__sync_matches_single(void **state)
{
    fixture *f = *state;
    static const unsigned counts[] = {1, 2, 4};
    lede_sync_stats st;
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        unsigned n = counts[c];
        th_rmtree(f->corpus);
        th_rmtree(f->set);
        assert_int_equal(mkdir(f->corpus, 0755), 0);
        corpus_v1(f);
        assert_int_equal(sync_set(f, &st, n, 0), 0);
        assert_stats(st, 38, 0, 0, 0, 0, 0);
        unsigned got = 0;
        assert_int_equal(lede_shards_count(&got, f->set), 0);
        assert_int_equal(got, n);
        assert_int_equal(assert_placed(f, n), 38);
        assert_same_as_single(f, n);
        assert_set_sound(f);
        uint64_t articles = 0, passages = 0;
        assert_int_equal(lede_shards_stat(&articles, &passages, f->set), 0);
        assert_int_equal(articles, 38);
        assert_int_equal(passages, 38);

        /* Nothing changed: every shard knows every file. */
        assert_int_equal(sync_set(f, &st, 0, 0), 0);
        assert_stats(st, 0, 0, 0, 38, 0, 0);

        corpus_v2(f);
        assert_int_equal(sync_set(f, &st, n, 0), 0);
        assert_stats(st, 2, 2, 10, 26, 0, 0);
        assert_int_equal(assert_placed(f, n), 30);
        assert_same_as_single(f, n);
        assert_set_sound(f);
        assert_int_equal(sync_set(f, &st, 0, 1), 0);
        assert_stats(st, 0, 0, 0, 30, 0, 0);
    }
    /* The JSON Lines files' articles did span the shards. */
    unsigned seen = 0;
    for (int i = 0; i < 12; i++) {
        char id[8];
        snprintf(id, sizeof id, "j%02d", i);
        seen |= 1u << (lede__hash_fnv1a(id, strlen(id)) % 4);
    }
    assert_int_equal(seen, 0xf);
}

/* The set file is the list Xapian reads, written in full. */
static void test_shards__stub(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    corpus_v1(f);
    assert_int_equal(sync_set(f, &st, 3, 0), 0);
    FILE *in = fopen(th_path(f->set, "XAPIANDB"), "r");
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, in);
    fclose(in);
    buf[n] = '\0';
    assert_string_equal(buf, "auto shard-000\nauto shard-001\nauto "
                             "shard-002\n");
    assert_int_not_equal(access(th_path(f->set, "XAPIANDB.tmp"), F_OK), 0);
}

/* A set keeps its number of shards; other misuses fail with a message. */
static void test_shards__errors(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    unsigned n = 99;
    corpus_v1(f);
    assert_error(sync_set(f, &st, 0, 0), LEDE_ENOTFOUND);
    assert_int_not_equal(access(f->set, F_OK), 0);
    assert_error(sync_set(f, &st, LEDE_SHARDS_MAX + 1, 0), LEDE_EINVAL);
    assert_int_equal(sync_set(f, &st, 2, 0), 0);
    assert_error(sync_set(f, &st, 3, 0), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "2 shards, not 3"));
    assert_non_null(strstr(lede_error_last(), "not supported"));
    assert_int_equal(sync_set(f, &st, 0, 0), 0);
    assert_stats(st, 0, 0, 0, 38, 0, 0);

    /* An index is not a set, nor is a directory of other files. */
    build_single(f, f->single);
    assert_error(lede_shards_count(&n, f->single), LEDE_ENOTFOUND);
    assert_int_equal(n, 0);
    const char *roots[] = {f->corpus};
    assert_error(lede_shards_sync(&st, f->single, 2, NULL, roots, 1, NULL),
                 LEDE_EINVAL);
    assert_error(lede_shards_sync(&st, f->corpus, 2, NULL, roots, 1, NULL),
                 LEDE_EINVAL);
    assert_error(lede_shards_count(&n, NULL), LEDE_EINVAL);
    assert_error(lede_shards_sync(&st, NULL, 2, NULL, roots, 1, NULL),
                 LEDE_EINVAL);
    assert_error(lede_shards_compact(f->single, NULL), LEDE_ENOTFOUND);
    assert_error(lede_shards_stat(NULL, NULL, f->single), LEDE_ENOTFOUND);

    /* A list lede did not write. */
    th_write(th_path(f->set, "XAPIANDB"), "auto shard-001\n", 15);
    assert_error(lede_shards_count(&n, f->set), LEDE_ECORRUPT);
    assert_error(sync_set(f, &st, 0, 0), LEDE_ECORRUPT);
}

/* A second writer of the set is refused before anything changes. */
static void test_shards__locked(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    corpus_v1(f);
    assert_int_equal(sync_set(f, &st, 2, 0), 0);
    corpus_v2(f);
    lede_index *holder;
    lede_index_options wo = LEDE_INDEX_OPTIONS_INIT;
    wo.mode = LEDE_OPEN_WRITE;
    assert_int_equal(lede_index_open(&holder, shard(f, 1), &wo), 0);
    assert_error(sync_set(f, &st, 0, 0), LEDE_ELOCKED);
    assert_error(lede_shards_compact(f->set, NULL), LEDE_ELOCKED);
    lede_index_free(holder);
    /* Shard 0 was not synced meanwhile: the whole change is still to do. */
    assert_int_equal(sync_set(f, &st, 0, 0), 0);
    assert_stats(st, 2, 2, 10, 26, 0, 0);
}

/* --delete on a set: each id from the shard it hashes to, the set then
 * equal to one index the same ids were deleted from; an unknown id named,
 * the rest deleted; a second writer refused with nothing deleted. */
static void test_shards__delete(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    uint64_t deleted = 99, articles = 0;
    lede_index_options wo = LEDE_INDEX_OPTIONS_INIT;
    corpus_v1(f);
    assert_int_equal(sync_set(f, &st, 3, 0), 0);
    /* Ids in each of the three shards. */
    const char *ids[] = {"t03.txt", "j04", "g01", "t02.txt", "nosuch"};
    unsigned in[3] = {0, 0, 0};
    for (size_t i = 0; i < 4; i++)
        in[lede__hash_fnv1a(ids[i], strlen(ids[i])) % 3]++;
    assert_true(in[0] > 0 && in[1] > 0 && in[2] > 0);

    lede_index *holder;
    wo.mode = LEDE_OPEN_WRITE;
    assert_int_equal(lede_index_open(&holder, shard(f, 2), &wo), 0);
    assert_error(lede_shards_delete(&deleted, f->set, ids, 4, NULL),
                 LEDE_ELOCKED);
    assert_int_equal(deleted, 0);
    lede_index_free(holder);
    assert_int_equal(lede_shards_stat(&articles, NULL, f->set), 0);
    assert_int_equal(articles, 38);

    assert_error(lede_shards_delete(&deleted, f->set, ids, 5, NULL),
                 LEDE_ENOTFOUND);
    assert_string_equal(lede_error_last(),
                        "nosuch: no such article (1 of 5 ids not found)");
    assert_int_equal(deleted, 4);
    assert_int_equal(lede_shards_stat(&articles, NULL, f->set), 0);
    assert_int_equal(articles, 34);
    assert_int_equal(assert_placed(f, 3), 34);
    assert_set_sound(f);
    assert_int_equal(lede_shards_delete(&deleted, f->set, ids, 0, NULL), 0);
    assert_int_equal(deleted, 0);

    build_single(f, f->single);
    lede_index *idx;
    assert_int_equal(lede_index_open(&idx, f->single, &wo), 0);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(lede_index_delete(idx, ids[i]), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    lede_index_free(idx);
    char *a = dump_of(f, f->set, 3), *b = dump_of(f, f->single, 0);
    assert_string_equal(a, b);
    free(a);
    free(b);

    const char *bad[] = {"j05", NULL};
    assert_error(lede_shards_delete(NULL, f->set, bad, 2, NULL), LEDE_EINVAL);
    assert_error(lede_shards_delete(NULL, f->single, ids, 1, NULL),
                 LEDE_ENOTFOUND);
    assert_int_equal(lede_shards_stat(&articles, NULL, f->set), 0);
    assert_int_equal(articles, 34);
}

/* Stopped (by the callback), each shard keeps its last commit and the
 * next sync completes the set. One thread: shard 0 stops after two
 * files, and the others never begin. */
static void test_shards__stop_and_resume(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    corpus_v1(f);
    f->stop_after = 2;
    assert_error(sync_set(f, &st, 3, 1), LEDE_EUSER);
    f->stop_after = 0;
    uint64_t before = 0;
    assert_int_equal(lede_shards_stat(&before, NULL, f->set), 0);
    assert_true(before > 0 && before < 38);
    assert_int_equal(st.added, before);
    assert_set_sound(f);
    assert_int_equal(sync_set(f, &st, 0, 2), 0);
    assert_int_equal(st.added, 38 - before);
    assert_int_equal(st.added + st.unchanged, 38);
    assert_same_as_single(f, 3);
}

typedef struct {
    char log[4096]; /* problems, one a line */
    size_t n;       /* bytes used */
} problems_log;

static int log_problem(const char *problem, void *payload)
{
    problems_log *l = payload;
    int w = snprintf(l->log + l->n, sizeof l->log - l->n, "%s\n", problem);
    if (w > 0 && (size_t)w < sizeof l->log - l->n)
        l->n += (size_t)w;
    return 0;
}

/* An id hashing to shard 1, and its name. */
static const char *id_for_shard(unsigned k, unsigned n)
{
    static char id[32];
    for (int i = 0;; i++) {
        snprintf(id, sizeof id, "stray%d", i);
        if (lede__hash_fnv1a(id, strlen(id)) % n == k)
            return id;
    }
}

/* The check names the shard of each problem: an article in the wrong
 * shard, an id in two, a shard the list leaves out. */
static void test_shards__check_finds_misplaced(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    corpus_v1(f);
    assert_int_equal(sync_set(f, &st, 2, 0), 0);
    char id[32];
    snprintf(id, sizeof id, "%s", id_for_shard(1, 2));
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = id;
    a.title = "Stray";
    a.title_len = 5;
    a.body = "A stray article.";
    a.body_len = strlen(a.body);
    lede_index_options wo = LEDE_INDEX_OPTIONS_INIT;
    wo.mode = LEDE_OPEN_WRITE;
    for (unsigned k = 0; k < 2; k++) {
        lede_index *w;
        assert_int_equal(lede_index_open(&w, shard(f, k), &wo), 0);
        assert_int_equal(lede_index_add(w, &a), 0);
        assert_int_equal(lede_index_commit(w), 0);
        lede_index_free(w);
    }
    assert_int_equal(mkdir(th_path(f->set, "shard-002"), 0700), 0);
    problems_log l;
    memset(&l, 0, sizeof l);
    uint64_t problems = 0;
    assert_error(lede_shards_check(&problems, f->set, log_problem, &l),
                 LEDE_ECORRUPT);
    char want[512];
    snprintf(want, sizeof want,
             "shard-002: not listed in XAPIANDB\n"
             "shard-000: article '%s' belongs in shard-001 (its id hashes "
             "there)\n"
             "shard-001: article '%s' is also in shard-000\n",
             id, id);
    assert_string_equal(l.log, want);
    assert_int_equal(problems, 3);
    assert_error(lede_shards_check(NULL, f->corpus, NULL, NULL),
                 LEDE_ENOTFOUND);
}

/* Every hit of q with its score, sorted by article id. */
typedef struct {
    char id[64];  /* article id */
    double score; /* its passage's score */
} hit;

static int by_hit(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    int d = strcmp(x->id, y->id);
    return d ? d : (x->score > y->score) - (x->score < y->score);
}

static size_t hits_of(const char *index, const char *q, hit *out, size_t max)
{
    lede_index *idx;
    lede_results *res;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    so.limit = 1000;
    so.flags = LEDE_SEARCH_NO_DEDUP;
    assert_int_equal(lede_index_open(&idx, index, NULL), 0);
    assert_int_equal(lede_search(&res, idx, q, &so), 0);
    size_t n = lede_results_count(res);
    assert_true(n <= max);
    for (size_t i = 0; i < n; i++) {
        snprintf(out[i].id, sizeof out[i].id, "%s",
                 lede_results_article_id(res, i));
        out[i].score = lede_results_score(res, i);
    }
    qsort(out, n, sizeof *out, by_hit);
    lede_results_free(res);
    lede_index_free(idx);
    return n;
}

/* Merged into one index, a set searches as one index built from the same
 * corpus, and syncs on as one. */
static void test_shards__compact_matches_single(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    corpus_v1(f);
    assert_int_equal(sync_set(f, &st, 4, 0), 0);
    corpus_v2(f);
    assert_int_equal(sync_set(f, &st, 0, 0), 0);
    assert_int_equal(lede_shards_compact(f->set, NULL), 0);
    unsigned n;
    assert_error(lede_shards_count(&n, f->set), LEDE_ENOTFOUND);
    assert_int_not_equal(access(th_path(f->set, "XAPIANDB"), F_OK), 0);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.compact", f->set);
    assert_int_not_equal(access(tmp, F_OK), 0);
    uint64_t problems = 99;
    assert_int_equal(lede_index_check(&problems, f->set, NULL, NULL), 0);
    build_single(f, f->single);
    char *a = dump_of(f, f->set, 0), *b = dump_of(f, f->single, 0);
    assert_string_equal(a, b);
    free(a);
    free(b);
    static const char *const queries[] = {"ferry",  "fog harbour",
                                          "seals",  "\"left at dawn\"",
                                          "whales", "lighthouse storm"};
    static hit x[64], y[64];
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        size_t nx = hits_of(f->single, queries[q], x, 64);
        size_t ny = hits_of(f->set, queries[q], y, 64);
        assert_true(nx > 0);
        assert_int_equal(nx, ny);
        for (size_t i = 0; i < nx; i++) {
            assert_string_equal(x[i].id, y[i].id);
            assert_float_equal(x[i].score, y[i].score, 1e-9);
        }
    }
    /* The shards' records of each file were summed into one. */
    lede_index *idx;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    const char *roots[] = {f->corpus};
    io.mode = LEDE_OPEN_WRITE;
    assert_int_equal(lede_index_open(&idx, f->set, &io), 0);
    assert_int_equal(lede_index_sync(&st, idx, roots, 1, NULL), 0);
    lede_index_free(idx);
    assert_stats(st, 0, 0, 0, 30, 0, 0);
}

/* A rebuild makes a new set beside the old, of any number of shards, and
 * turns an index into a set; stopped, it leaves the old one. */
static int count_word(const char *term, size_t len, uint64_t freq,
                      void *payload)
{
    (void)term;
    (void)len;
    (void)freq;
    (*(uint64_t *)payload)++;
    return 0;
}

/* Words in the spelling data of the database at path. */
static uint64_t spelling_words(const char *path)
{
    lede__xdb *db;
    uint64_t n = 0;
    assert_int_equal(lede__xdb_open(&db, path, LEDE_OPEN_READ), 0);
    assert_int_equal(lede__xdb_spellings(db, "", 0, count_word, &n), 0);
    lede__xdb_free(db);
    return n;
}

static void test_shards__rebuild(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    const char *roots[] = {f->corpus};
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    unsigned n = 0;
    corpus_v1(f);
    assert_int_equal(sync_set(f, &st, 2, 0), 0);
    corpus_v2(f);
    assert_int_equal(lede_shards_rebuild(&st, f->set, 3, NULL, roots, 1, &so),
                     0);
    assert_stats(st, 30, 0, 0, 0, 0, 0);
    assert_int_equal(lede_shards_count(&n, f->set), 0);
    assert_int_equal(n, 3);
    assert_int_equal(assert_placed(f, 3), 30);
    assert_int_not_equal(access(th_path(f->set, "shard-003"), F_OK), 0);
    assert_set_sound(f);
    assert_same_as_single(f, 3);
    /* Each shard keeps the spelling data of its own articles, for a
     * shard may be searched alone (a remote one's is not seen). */
    char tmp[4096];
    for (unsigned k = 0; k < 3; k++) {
        snprintf(tmp, sizeof tmp, "%s/shard-%03u", f->set, k);
        assert_true(spelling_words(tmp) > 0);
    }
    snprintf(tmp, sizeof tmp, "%s.rebuild", f->set);
    assert_int_not_equal(access(tmp, F_OK), 0);

    /* Stopped: the set stays as it was. */
    put_txt(f, 30, "");
    so.cb = on_event;
    so.payload = f;
    f->stop_after = 1;
    f->progress = 0;
    assert_error(lede_shards_rebuild(&st, f->set, 0, NULL, roots, 1, &so),
                 LEDE_EUSER);
    f->stop_after = 0;
    uint64_t articles = 0;
    assert_int_equal(lede_shards_stat(&articles, NULL, f->set), 0);
    assert_int_equal(articles, 30);
    assert_int_not_equal(access(tmp, F_OK), 0);

    /* An index becomes a set. */
    build_single(f, f->single);
    assert_error(lede_shards_rebuild(&st, f->single, 0, NULL, roots, 1, &so),
                 LEDE_EINVAL);
    assert_int_equal(
        lede_shards_rebuild(&st, f->single, 2, NULL, roots, 1, &so), 0);
    assert_int_equal(lede_shards_count(&n, f->single), 0);
    assert_int_equal(n, 2);
    assert_int_equal(lede_shards_stat(&articles, NULL, f->single), 0);
    assert_int_equal(articles, 31);
}

/* The lines of a log, sorted: threads report in their own order. */
static void sort_lines(char *log)
{
    char *v[64];
    size_t n = 0;
    for (char *p = strtok(log, "\n"); p != NULL && n < 64;
         p = strtok(NULL, "\n"))
        v[n++] = strdup(p);
    qsort(v, n, sizeof *v, by_str);
    log[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(log, v[i]);
        strcat(log, "\n");
        free(v[i]);
    }
}

/* A sync of the single index with the fixture's callback. */
static int sync_single(fixture *f, lede_sync_stats *st)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    const char *roots[] = {f->corpus};
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    so.cb = on_event;
    so.payload = f;
    io.mode = LEDE_OPEN_CREATE;
    assert_int_equal(lede_index_open(&idx, f->single, &io), 0);
    int rc = lede_index_sync(st, idx, roots, 1, &so);
    lede_index_free(idx);
    return rc;
}

/* Sync both the set and the single index; the counts and the events are
 * the same (each file, and each problem, once), and are returned. */
static void sync_both(fixture *f, lede_sync_stats *st, unsigned shards)
{
    lede_sync_stats one;
    static char single_log[sizeof f->log];
    f->nlog = 0;
    f->log[0] = '\0';
    assert_int_equal(sync_single(f, &one), 0);
    sort_lines(f->log);
    strcpy(single_log, f->log);
    f->nlog = 0;
    f->log[0] = '\0';
    assert_int_equal(sync_set(f, st, shards, 0), 0);
    sort_lines(f->log);
    assert_string_equal(f->log, single_log);
    assert_stats(*st, one.added, one.updated, one.deleted, one.unchanged,
                 one.skipped, one.errors);
    assert_int_equal(st->files_total, one.files_total);
    assert_int_equal(st->files_done, one.files_done);
    assert_int_equal(st->bytes_total, one.bytes_total);
    assert_int_equal(st->bytes_done, one.bytes_done);
}

/* Set every file's modification time to t. */
static void touch_all(fixture *f, time_t t)
{
    static const char *const names[] = {"bad.jsonl", "blob.txt", "gone.jsonl",
                                        "many.jsonl", "more.jsonl"};
    struct timespec times[2] = {{t, 0}, {t, 0}};
    char name[32];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        assert_int_equal(
            utimensat(AT_FDCWD, th_path(f->corpus, names[i]), times, 0), 0);
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "t%02d.txt", i);
        assert_int_equal(
            utimensat(AT_FDCWD, th_path(f->corpus, name), times, 0), 0);
    }
}

/* Four shards count and report as one index: a file, a reader's problem
 * or warning, a skipped file once, not once a shard; an article refused
 * to another file once; unchanged and touched files' articles once. */
static void test_shards__counted_once(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    corpus_v1(f);
    put(f, "bad.jsonl",
        "{\"id\":\"b1\",\"title\":\"Buoy\",\"text\":\"The buoy rang.\"}\n"
        "{broken\n"
        "{\"id\":\"b2\",\"title\":\"Bell\",\"text\":\"The bell rang.\","
        "\"date\":\"someday\"}\n");
    put(f, "more.jsonl",
        "{\"id\":\"b1\",\"title\":\"Buoy\",\"text\":\"The buoy sank.\"}\n");
    th_write(th_path(f->corpus, "blob.txt"), "Blob\n\n\0\0\0", 9);
    put(f, "notes.md", "not an input");

    sync_both(f, &st, 4);
    assert_stats(st, 40, 0, 0, 0, 1, 2);
    assert_int_equal(st.files_total, 25);
    char want[2048];
    snprintf(want, sizeof want,
             "IGNORED notes.md:0 no known format\n"
             "PROBLEM bad.jsonl:2 malformed JSON at column 7: string or '}' "
             "expected near 'broken'; line skipped\n"
             "PROBLEM more.jsonl:1 article 'b1' belongs to another file "
             "(%s/bad.jsonl); not indexed from this one\n"
             "SKIPPED blob.txt:0 binary file (NUL bytes)\n"
             "WARNING bad.jsonl:3 date 'someday' not understood; the article "
             "is kept without a date\n",
             f->corpus);
    assert_string_equal(f->log, want);
    assert_int_equal(assert_placed(f, 4), 40);

    /* Unchanged: each file's articles once, and the unchanged files'
     * problems once, not once a shard. */
    static const char again[] =
        "IGNORED notes.md:0 no known format\n"
        "PROBLEM bad.jsonl:0 1 bad part skipped when the file was read; it "
        "is unchanged since\n"
        "PROBLEM more.jsonl:0 1 bad part skipped when the file was read; it "
        "is unchanged since\n"
        "SKIPPED blob.txt:0 binary file (NUL bytes)\n";
    sync_both(f, &st, 0);
    assert_stats(st, 0, 0, 0, 40, 1, 2);
    assert_string_equal(f->log, again);
    /* Touched: hashed once, and still counted once. */
    touch_all(f, 1000000000);
    sync_both(f, &st, 0);
    assert_stats(st, 0, 0, 0, 40, 1, 2);
    assert_string_equal(f->log, again);
    sync_both(f, &st, 0);
    assert_stats(st, 0, 0, 0, 40, 1, 2);
    assert_same_as_single(f, 4);
    assert_set_sound(f);
}

/* Sync the set in a child process killed by SIGKILL at its kill_at-th
 * commit; non-zero when it was killed (not done before). */
static int sync_killed(fixture *f, unsigned shards, int kill_at)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const char *roots[] = {f->corpus};
        lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
        so.cb = on_event;
        so.payload = f;
        so.batch = 2;
        f->kill_at = kill_at;
        f->commits = 0;
        int rc = lede_shards_sync(NULL, f->set, shards, NULL, roots, 1, &so);
        _exit(rc == 0 ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status)) {
        assert_int_equal(WEXITSTATUS(status), 0);
        return 0;
    }
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    return 1;
}

/* kill -9 of a four-shard sync at many moments, while the set is made
 * and while it takes a change: the next sync completes it, and the set
 * then holds what one index built from the corpus holds. */
static void test_shards__killed_and_resumed(void **state)
{
    fixture *f = *state;
    static const int moments[] = {1, 3, 8, 17, 30};
    lede_sync_stats st;
    int killed = 0;
    for (size_t m = 0; m < sizeof moments / sizeof *moments; m++) {
        for (int change = 0; change < 2; change++) {
            th_rmtree(f->corpus);
            th_rmtree(f->set);
            assert_int_equal(mkdir(f->corpus, 0755), 0);
            corpus_v1(f);
            if (change) {
                assert_int_equal(sync_set(f, &st, 4, 0), 0);
                corpus_v2(f);
            }
            killed += sync_killed(f, 4, moments[m]);
            assert_int_equal(sync_set(f, &st, 4, 0), 0);
            assert_int_equal(st.skipped + st.errors, 0);
            assert_set_sound(f);
            assert_same_as_single(f, 4);
            assert_int_equal(assert_placed(f, 4), change ? 30 : 38);
            assert_int_equal(sync_set(f, &st, 0, 0), 0);
            assert_stats(st, 0, 0, 0, change ? 30 : 38, 0, 0);
        }
    }
    assert_true(killed >= 8);
}

/* Set the index format that the database at path says it has. */
static void set_format(const char *path, const char *format)
{
    lede__xdb *db;
    assert_int_equal(lede__xdb_open(&db, path, LEDE_OPEN_WRITE), 0);
    assert_int_equal(lede__xdb_begin(db), 0);
    assert_int_equal(
        lede__xdb_set_metadata(db, "lede:format", format, strlen(format)), 0);
    assert_int_equal(lede__xdb_commit(db), 0);
    lede__xdb_free(db);
}

/* The index format that the database at path says it has. */
static void assert_format(const char *path, const char *format)
{
    lede__xdb *db;
    lede__buf v = LEDE__BUF_INIT;
    assert_int_equal(lede__xdb_open(&db, path, LEDE_OPEN_READ), 0);
    assert_int_equal(lede__xdb_get_metadata(&v, db, "lede:format"), 0);
    assert_string_equal(v.data ? v.data : "", format);
    lede__buf_free(&v);
    lede__xdb_free(db);
}

/* Indexes of format 1 (made before passage records became version 2)
 * are read, and become format 2 with the first article a writer adds,
 * so that an older lede refuses them rather than failing on the new
 * records; in a set only the shards a sync writes do, and a set of both
 * formats opens. A format lede does not know is refused by name. */
static void test_shards__format_1_upgraded(void **state)
{
    fixture *f = *state;
    lede_sync_stats st;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    corpus_v1(f);
    assert_int_equal(sync_set(f, &st, 3, 1), 0);
    build_single(f, f->single);
    for (unsigned k = 0; k < 3; k++)
        set_format(shard(f, k), "1");
    set_format(f->single, "1");

    /* Read as they are. */
    io.mode = LEDE_OPEN_READ;
    assert_int_equal(lede_index_open(&idx, f->set, &io), 0);
    lede_index_free(idx);
    assert_int_equal(lede_index_open(&idx, f->single, &io), 0);
    lede_index_free(idx);

    /* One article changed: only its shard is written. */
    put_txt(f, 3, " and a walrus");
    assert_int_equal(sync_set(f, &st, 3, 1), 0);
    assert_stats(st, 0, 1, 0, 37, 0, 0);
    unsigned upgraded = 0;
    for (unsigned k = 0; k < 3; k++) {
        lede__xdb *db;
        lede__buf v = LEDE__BUF_INIT;
        assert_int_equal(lede__xdb_open(&db, shard(f, k), LEDE_OPEN_READ), 0);
        assert_int_equal(lede__xdb_get_metadata(&v, db, "lede:format"), 0);
        upgraded += strcmp(v.data, "2") == 0;
        if (strcmp(v.data, "2") != 0)
            assert_string_equal(v.data, "1");
        lede__buf_free(&v);
        lede__xdb_free(db);
    }
    assert_int_equal(upgraded, 1);
    assert_int_equal(lede_index_open(&idx, f->set, &io), 0);
    lede_results *res;
    assert_int_equal(lede_search(&res, idx, "walrus", NULL), 0);
    assert_int_equal(lede_results_count(res), 1);
    assert_string_equal(lede_results_article_id(res, 0), "t03.txt");
    lede_results_free(res);
    lede_index_free(idx);

    /* The single index: a deletion alone writes no record. */
    lede_index_options wo = LEDE_INDEX_OPTIONS_INIT;
    wo.mode = LEDE_OPEN_WRITE;
    assert_int_equal(lede_index_open(&idx, f->single, &wo), 0);
    assert_int_equal(lede_index_delete(idx, "t07.txt"), 0);
    assert_int_equal(lede_index_commit(idx), 0);
    lede_index_free(idx);
    assert_format(f->single, "1");
    const char *roots[] = {f->corpus};
    assert_int_equal(lede_index_open(&idx, f->single, &wo), 0);
    assert_int_equal(lede_index_sync(&st, idx, roots, 1, NULL), 0);
    assert_int_equal(st.updated, 1); /* t03 */
    lede_index_free(idx);
    assert_format(f->single, "2");

    /* A format from a later lede. */
    set_format(f->single, "3");
    assert_error(lede_index_open(&idx, f->single, &io), LEDE_EINDEX);
    assert_non_null(strstr(lede_error_last(), "index format 3 is not "
                                              "supported"));
    set_format(shard(f, 1), "3");
    assert_error(lede_index_open(&idx, f->set, &io), LEDE_EINDEX);
    assert_non_null(strstr(lede_error_last(), "index format 3 is not "
                                              "supported"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_shards__sync_matches_single),
        T(test_shards__stub),
        T(test_shards__errors),
        T(test_shards__locked),
        T(test_shards__delete),
        T(test_shards__stop_and_resume),
        T(test_shards__check_finds_misplaced),
        T(test_shards__compact_matches_single),
        T(test_shards__rebuild),
        T(test_shards__counted_once),
        T(test_shards__killed_and_resumed),
        T(test_shards__format_1_upgraded),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
