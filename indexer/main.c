/*
 * lede-index: keep a lede index in step with a corpus of articles.
 *
 * Argument parsing, signals, the progress line and messages live here:
 * main() reads the options into a struct (read_options()) and run()
 * carries them out. The work (walking, reading, incremental indexing,
 * checking, rebuilding, repairing an index a failed commit damaged) is
 * done by the public API in lede.h, so a program can do all of it too.
 * Calls liblede (lede.h) and cli/visible.c.
 */
#include "../cli/visible.h"
#include "lede.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Exit statuses (also in --help, lede-index.1, README and docs/cron.md). */
enum {
    EXIT_OK = 0,       /* everything indexed */
    EXIT_PARTIAL = 1,  /* some inputs skipped, or parts of them, or a
                          --delete id not found; the rest indexed. With
                          --check: problems found */
    EXIT_USAGE = 2,    /* usage error, or the index cannot be opened */
    EXIT_WRITE = 74,   /* a commit failed (EX_IOERR): the index keeps its
                          last commit */
    EXIT_LOCKED = 75,  /* another lede-index holds the index (EX_TEMPFAIL) */
    EXIT_SIGINT = 130, /* stopped by SIGINT, work so far committed */
    EXIT_SIGTERM = 143 /* stopped by SIGTERM, work so far committed */
};

/* --jobs: at most the library's limit (LEDE_THREADS_MAX); by default one
 * per CPU up to 8. */
#define JOBS_DEFAULT_MAX 8

static const char *prog = "lede-index";
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

/* --wait: a signal ends the wait for the lock as it ends a run. */
static int stop_waiting(void *payload)
{
    (void)payload;
    return got_signal != 0;
}

/* The second half of --help: the options of checking, compacting,
 * deleting, limits and output, and the exit statuses. */
static void usage_rest(FILE *f)
{
    fprintf(f,
            "      --check              verify INDEX_DIR (an index or a set) "
            "and exit\n"
            "      --compact            compact INDEX_DIR after the run (done "
            "anyway after\n"
            "                           a run that creates it, and after "
            "--rebuild); a set\n"
            "                           is merged into one index. CORPUS may "
            "then be left out\n"
            "  -d, --delete=ID          delete the article ID (repeatable); "
            "CORPUS may then\n"
            "                           be left out\n"
            "      --max-file-bytes=N   decompressed bytes of one file at most "
            "(default 4 GiB)\n"
            "      --max-article-bytes=N  bytes of one article at most "
            "(default 16 MiB)\n"
            "      --max-ratio=N        gzip expansion at most (default %d; "
            "bombs)\n"
            "      --json-id=NAME       JSON Lines field of the id (also "
            "--json-title,\n"
            "                           --json-text, --json-date, --json-url)\n"
            "      --stats              print added=N updated=N deleted=N "
            "unchanged=N\n"
            "                           skipped=N errors=N seconds=S "
            "wait_seconds=S\n"
            "                           status=N time=YYYY-MM-DDThh:mm:ssZ on "
            "stdout\n"
            "  -q, --quiet              no progress line or summary\n"
            "  -v, --verbose            also name ignored files, and print the "
            "summary\n"
            "  -h, --help               show this help\n"
            "  -V, --version            show the version\n"
            "\n"
            "Skipped files and skipped parts of files are always named on "
            "stderr, with the\n"
            "reason. On a terminal a progress line shows; otherwise a "
            "successful run is\n"
            "silent unless --verbose.\n"
            "\n"
            "Exit status: 0 all indexed; 1 some inputs (or parts) skipped, or "
            "a --delete id\n"
            "not found (with --check: problems found); 2 usage error or the "
            "index cannot\n"
            "be opened; 74 a commit failed (disk full?), the index keeps its "
            "last commit;\n"
            "75 another lede-index holds the index; 130 or 143 stopped by "
            "SIGINT or\n"
            "SIGTERM after committing the work done.\n",
            LEDE_DEFAULT_MAX_RATIO);
}

static void usage(FILE *f)
{
    fprintf(
        f,
        "Usage: %s [OPTIONS] INDEX_DIR CORPUS...\n"
        "       %s --check INDEX_DIR\n"
        "Keep INDEX_DIR in step with the articles under each CORPUS (a "
        "directory or a\n"
        "file), creating it if needed. Only what changed since the last "
        "run is read:\n"
        "new articles are added, changed ones replaced, and those of "
        "vanished files\n"
        "deleted. Formats by file name: .txt (first line: title), .jsonl, "
        ".html/.htm,\n"
        ".trec/.sgml/.sgm (TREC and Reuters-21578), each also as .gz.\n"
        "\n"
        "Options:\n"
        "  -f, --format=FMT         read every file as FMT: txt, jsonl, "
        "html, trec\n"
        "      --encoding=NAME      character set of text, HTML and TREC "
        "files that\n"
        "                           declare none (default auto: UTF-8, "
        "else\n"
        "                           windows-1252); the index keeps it\n"
        "  -l, --lang=LANG          stemming language of a new index "
        "(default %s;\n"
        "                           any Xapian stemmer name or code; none: "
        "no stemming)\n"
        "      --passage-words=N    word cap of a passage, for a new index "
        "(default %d;\n"
        "                           article: each article is one passage)\n"
        "      --passage-overlap=N  sentences consecutive passages share "
        "(default %d)\n"
        "      --stopwords=LIST     words a new index leaves out: none "
        "(default) or\n"
        "                           english (the, of, and, ... as Lucene)\n"
        "      --paragraph-passages passages of a new index stay inside "
        "paragraphs\n"
        "  -b, --batch=N            commit every N changed articles "
        "(default 1000)\n"
        "      --no-delete          keep the articles of vanished files\n"
        "      --follow-symlinks    follow symbolic links that stay inside "
        "CORPUS\n"
        "      --exclude=GLOB       leave out the files whose path in CORPUS, "
        "or a\n"
        "                           directory's, matches GLOB (repeatable; "
        "a GLOB\n"
        "                           without '/' matches a name at any depth; "
        "'**'\n"
        "                           spans directories)\n"
        "      --include=GLOB       take only files matching one such GLOB "
        "(repeatable);\n"
        "                           the patterns are kept with the index and "
        "used by\n"
        "                           later runs given none\n"
        "      --no-filters         forget the patterns kept with the "
        "index\n"
        "      --wait[=SECONDS]     wait for another lede-index to finish "
        "(default:\n"
        "                           exit at once with status 75)\n"
        "      --rebuild            build a new index beside the old one "
        "and swap it in\n"
        "  -j, --jobs=N             threads for a run that creates the "
        "index, and for\n"
        "                           --rebuild (default: one per CPU, at "
        "most 8); with\n"
        "                           more than one, a stopped build keeps "
        "nothing\n"
        "                           (on a shard set: shards synced at "
        "once)\n"
        "      --shards=N           make INDEX_DIR a set of N shards "
        "(shard-000, ...,\n"
        "                           listed in INDEX_DIR/XAPIANDB), synced "
        "side by side,\n"
        "                           at most --jobs at a time; an existing "
        "set is synced\n"
        "                           as a set without it, and keeps its "
        "number of shards\n"
        "                           (--rebuild --shards=N makes a new set)\n",
        prog, prog, LEDE_DEFAULT_LANGUAGE, LEDE_DEFAULT_PASSAGE_WORDS,
        LEDE_DEFAULT_PASSAGE_OVERLAP);
    usage_rest(f);
}

static int parse_u64(const char *opt, const char *s, unsigned long long min,
                     unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v < min ||
        v > max) {
        fprintf(stderr, "%s: %s: '%s' is not a number from %llu to %llu\n",
                prog, opt, s, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

/* "s" unless n is 1: "1 error", "2 errors". */
static const char *plural(unsigned long long n)
{
    return n == 1 ? "" : "s";
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
    int tty;          /* stderr is a terminal: progress line */
    int verbose;      /* name ignored files too */
    int quiet;        /* no progress line */
    double start;     /* when the run began */
    double last_draw; /* when the progress line was last drawn */
    int drawn;        /* a progress line is on the screen */
    double waited;    /* seconds spent waiting for another writer */
} ui;

static void clear_line(ui *u)
{
    if (u->drawn) {
        fputs("\r\033[K", stderr);
        u->drawn = 0;
    }
}

static void draw(ui *u, const lede_sync_stats *s)
{
    double t = now(), dt = t - u->start;
    if (t - u->last_draw < 0.1)
        return;
    u->last_draw = t;
    double rate = dt > 0 ? (double)s->bytes_done / dt : 0;
    char eta[32] = "--:--";
    if (rate > 0 && s->bytes_total >= s->bytes_done) {
        long left = (long)((double)(s->bytes_total - s->bytes_done) / rate);
        snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
    }
    fprintf(stderr,
            "\r\033[K%s: files %llu/%llu  articles +%llu ~%llu -%llu  "
            "%.1f MB/s  ETA %s",
            prog, (unsigned long long)s->files_done,
            (unsigned long long)s->files_total, (unsigned long long)s->added,
            (unsigned long long)s->updated, (unsigned long long)s->deleted,
            rate / 1e6, eta);
    u->drawn = 1;
}

static int on_event(const lede_sync_event *ev, void *payload)
{
    ui *u = payload;
    switch (ev->kind) {
    case LEDE_SYNC_SKIPPED:
        clear_line(u);
        fprintf(stderr, "%s: %s: skipped: %s\n", prog, vis(ev->path),
                vis(ev->message));
        break;
    case LEDE_SYNC_PROBLEM:
        clear_line(u);
        if (ev->line)
            fprintf(stderr, "%s: %s:%llu: %s\n", prog, vis(ev->path),
                    (unsigned long long)ev->line, vis(ev->message));
        else
            fprintf(stderr, "%s: %s: %s\n", prog, vis(ev->path),
                    vis(ev->message));
        break;
    case LEDE_SYNC_WARNING:
        clear_line(u);
        if (ev->line)
            fprintf(stderr, "%s: warning: %s:%llu: %s\n", prog, vis(ev->path),
                    (unsigned long long)ev->line, vis(ev->message));
        else
            fprintf(stderr, "%s: warning: %s: %s\n", prog, vis(ev->path),
                    vis(ev->message));
        break;
    case LEDE_SYNC_IGNORED:
        if (u->verbose) {
            clear_line(u);
            fprintf(stderr, "%s: %s: ignored: %s\n", prog, vis(ev->path),
                    vis(ev->message));
        }
        break;
    case LEDE_SYNC_PROGRESS:
    case LEDE_SYNC_COMMITTED:
        if (u->tty && !u->quiet)
            draw(u, ev->stats);
        break;
    }
    return got_signal != 0; /* stop, after committing, on a signal */
}

static int on_problem(const char *problem, void *payload)
{
    (void)payload;
    printf("%s\n", vis(problem));
    return 0;
}

/* The --stats line, for logs and monitoring: the counts of what the index
 * kept (a run that failed or was stopped counts only what it committed),
 * the exit status, the seconds spent waiting for another lede-index's lock
 * apart from those of the run's own work, and when it ended. */
static void print_stats(const lede_sync_stats *st, int status, const ui *u)
{
    double end = now(), wait = u->waited;
    char when[32] = "";
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm) != NULL)
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("added=%llu updated=%llu deleted=%llu unchanged=%llu skipped=%llu "
           "errors=%llu seconds=%.3f wait_seconds=%.3f status=%d time=%s\n",
           (unsigned long long)st->added, (unsigned long long)st->updated,
           (unsigned long long)st->deleted, (unsigned long long)st->unchanged,
           (unsigned long long)st->skipped, (unsigned long long)st->errors,
           end - u->start - wait, wait, status, when);
    fflush(stdout);
}

/* Non-zero when the index at path holds no article: missing, an empty
 * directory (made beforehand, which is how its mode is chosen), or an
 * index left empty (a first build by several threads, stopped, keeps the
 * empty index it made). */
static int index_empty(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return errno == ENOENT;
    struct dirent *e;
    int entries = 0;
    while (!entries && (e = readdir(d)) != NULL)
        entries = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    if (!entries)
        return 1;
    lede_index *idx;
    lede_index_info info;
    if (lede_index_open(&idx, path, NULL) < 0)
        return 0; /* not an index: the run says why */
    int empty = lede_index_stat(&info, idx) == 0 && info.articles == 0;
    lede_index_free(idx);
    return empty;
}

/* Non-zero when the index at path is marked as a first build not yet
 * finished: stopped before the compaction that ends it. */
static int index_unfinished(const char *path)
{
    lede_index *idx;
    int unfinished = 0;
    if (lede_index_open(&idx, path, NULL) < 0)
        return 0; /* not an index: the run says why */
    if (lede_index_unfinished(&unfinished, idx) < 0)
        unfinished = 0;
    lede_index_free(idx);
    return unfinished;
}

/* Non-zero when path holds a shard set (or one being made). */
static int is_set(const char *path)
{
    unsigned n;
    return lede_shards_count(&n, path) == 0;
}

static int check_here(const char *path)
{
    uint64_t problems = 0;
    int rc = is_set(path) ? lede_shards_check(&problems, path, on_problem, NULL)
                          : lede_index_check(&problems, path, on_problem, NULL);
    if (rc == 0) {
        printf("%s: sound\n", vis(path));
        return EXIT_OK;
    }
    fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
    return rc == LEDE_ECORRUPT ? EXIT_PARTIAL : EXIT_USAGE;
}

/* --check. Xapian's own check, which lede_index_check() runs first,
 * trusts lengths it reads from the tables: a flipped byte in a term list
 * crashed it (a segmentation fault inside Database::check, libxapian
 * 1.4.22). So the check runs in a child process, and a crash there is
 * what it is: damage, reported as a problem, status 1. */
static int check(const char *path)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return check_here(path);
    if (pid == 0) {
        int st = check_here(path);
        fflush(stdout);
        _exit(st);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return check_here(path);
    if (WIFEXITED(status) && WEXITSTATUS(status) <= EXIT_USAGE)
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        printf("%s: the check crashed on damage it could not read (signal "
               "%d, %s)\n",
               vis(path), WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        printf("%s: the check crashed on damage it could not read (exit "
               "status %d)\n",
               vis(path), WEXITSTATUS(status));
    fprintf(stderr, "%s: %s: 1 problem found\n", prog, vis(path));
    return EXIT_PARTIAL;
}

/* Threads for a build: one per CPU, at most JOBS_DEFAULT_MAX. */
static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > JOBS_DEFAULT_MAX ? JOBS_DEFAULT_MAX : (unsigned)n;
}

/* Compact the index, or merge the set into one; on failure it stays as
 * it was, complete. */
static int compact_index(const char *path, const lede_index_options *io)
{
    int set = is_set(path);
    int rc = set ? lede_shards_compact(path, io) : lede_index_compact(path, io);
    if (rc == 0)
        return EXIT_OK;
    fprintf(stderr, "%s: %s; the %s is complete, only not %s\n", prog,
            vis(lede_error_last()), set ? "set" : "index",
            set ? "merged" : "compacted");
    return rc == LEDE_ELOCKED ? EXIT_LOCKED : EXIT_WRITE;
}

/* The directory of shard k of the set at dir (a stable layout, see
 * lede.h), in buf. */
static const char *shard_path(char *buf, size_t size, const char *dir,
                              unsigned k)
{
    snprintf(buf, size, "%s/" LEDE_SHARD_NAME, dir, k);
    return buf;
}

/* Under --wait, wait here for another writer to finish, where the time
 * is told apart from the run's: take the index's lock (every shard's, in
 * order, as a sync of the set does) and let it go. The run then takes it
 * again, at once unless yet another writer came in between. LEDE_ELOCKED
 * when the wait ran out; 0 otherwise (a missing index, or one the run
 * cannot open, is the run's to report). */
static int wait_for_lock(const char *path, int set,
                         const lede_index_options *io)
{
    lede_index_options o = *io;
    o.mode = LEDE_OPEN_WRITE;
    o.language = NULL; /* the index's own: no setting is checked */
    o.passage_words = 0;
    o.passage_overlap = -1;
    o.stopwords = NULL;
    unsigned n = 1;
    if (set && lede_shards_count(&n, path) != 0)
        return 0;
    for (unsigned k = 0; k < n; k++) {
        char shard[4096];
        lede_index *idx = NULL;
        int rc = lede_index_open(
            &idx, set ? shard_path(shard, sizeof shard, path, k) : path, &o);
        lede_index_free(idx);
        if (rc == LEDE_ELOCKED)
            return rc;
    }
    return 0;
}

/* The exit status for a failure of the index handle. */
static int exit_for(int rc)
{
    switch (rc) {
    case LEDE_ELOCKED:
        return EXIT_LOCKED;
    case LEDE_EUSER:
        return got_signal == SIGTERM ? EXIT_SIGTERM : EXIT_SIGINT;
    case LEDE_EINVAL:
    case LEDE_ENOTFOUND:
        return EXIT_USAGE;
    default:
        return EXIT_WRITE;
    }
}

enum {
    OPT_WORDS = 256,
    OPT_OVERLAP,
    OPT_STOPWORDS,
    OPT_PARAGRAPHS,
    OPT_NO_DELETE,
    OPT_FOLLOW,
    OPT_WAIT,
    OPT_REBUILD,
    OPT_CHECK,
    OPT_MAX_FILE,
    OPT_MAX_ARTICLE,
    OPT_MAX_RATIO,
    OPT_JSON_ID,
    OPT_JSON_TITLE,
    OPT_JSON_TEXT,
    OPT_JSON_DATE,
    OPT_JSON_URL,
    OPT_ENCODING,
    OPT_STATS,
    OPT_COMPACT,
    OPT_SHARDS,
    OPT_INCLUDE,
    OPT_EXCLUDE,
    OPT_NO_FILTERS
};

/* What the command line asks for. */
typedef struct {
    lede_index_options io;    /* how to open (or make) the index */
    lede_sync_options so;     /* how to read and sync the corpus */
    const char **deletes;     /* --delete ids */
    size_t ndeletes;          /* their count */
    const char **includes;    /* --include patterns */
    size_t nincludes;         /* their count */
    const char **excludes;    /* --exclude patterns */
    size_t nexcludes;         /* their count */
    int filters;              /* patterns given (or --no-filters) */
    int rebuild;              /* --rebuild */
    int check;                /* --check */
    int compact;              /* --compact */
    int stats;                /* --stats */
    unsigned shards;          /* --shards, or 0 */
    const char *index_dir;    /* INDEX_DIR */
    const char *const *roots; /* CORPUS... */
    size_t nroots;            /* their count */
} options;

static void options_free(options *o)
{
    free(o->deletes);
    free(o->includes);
    free(o->excludes);
}

/* An option of the index's settings or its lock: 0 taken, -1 a bad
 * value, 1 not one. */
static int index_option(options *o, int c, const char *arg)
{
    unsigned long long v;
    switch (c) {
    case 'l':
        o->io.language = arg;
        return 0;
    case OPT_WORDS:
        if (strcmp(arg, "article") == 0) {
            o->io.passage_words = LEDE_PASSAGE_ARTICLE;
            return 0;
        }
        if (parse_u64("--passage-words", arg, 1, LEDE_PASSAGE_WORDS_MAX, &v) <
            0)
            return -1;
        o->io.passage_words = (unsigned)v;
        return 0;
    case OPT_STOPWORDS:
        o->io.stopwords = arg;
        return 0;
    case OPT_PARAGRAPHS:
        o->io.paragraph_passages = 1;
        return 0;
    case OPT_OVERLAP:
        if (parse_u64("--passage-overlap", arg, 0, LEDE_PASSAGE_OVERLAP_MAX,
                      &v) < 0)
            return -1;
        o->io.passage_overlap = (int)v;
        return 0;
    case OPT_WAIT:
        o->io.lock_wait_ms = -1;
        if (arg != NULL) {
            if (parse_u64("--wait", arg, 0, INT_MAX / 1000, &v) < 0)
                return -1;
            o->io.lock_wait_ms = (int)v * 1000;
        }
        return 0;
    default:
        return 1;
    }
}

/* An option of reading the corpus files: 0 taken, -1 a bad value, 1 not
 * one. */
static int read_option(options *o, int c, const char *arg)
{
    lede_read_options *r = &o->so.read;
    unsigned long long v;
    switch (c) {
    case 'f':
        if (lede_format_parse(&r->format, arg) < 0) {
            fprintf(stderr, "%s: --format: %s\n", prog, vis(lede_error_last()));
            return -1;
        }
        return 0;
    case OPT_MAX_FILE:
        if (parse_u64("--max-file-bytes", arg, 1, UINT64_MAX, &v) < 0)
            return -1;
        r->max_file_bytes = v;
        return 0;
    case OPT_MAX_ARTICLE:
        if (parse_u64("--max-article-bytes", arg, 1, SIZE_MAX, &v) < 0)
            return -1;
        r->max_article_bytes = (size_t)v;
        return 0;
    case OPT_MAX_RATIO:
        if (parse_u64("--max-ratio", arg, 1, UINT_MAX, &v) < 0)
            return -1;
        r->max_ratio = (unsigned)v;
        return 0;
    case OPT_JSON_ID:
        r->json_id = arg;
        return 0;
    case OPT_JSON_TITLE:
        r->json_title = arg;
        return 0;
    case OPT_JSON_TEXT:
        r->json_text = arg;
        return 0;
    case OPT_JSON_DATE:
        r->json_date = arg;
        return 0;
    case OPT_JSON_URL:
        r->json_url = arg;
        return 0;
    case OPT_ENCODING:
        r->encoding = arg;
        return 0;
    default:
        return 1;
    }
}

/* An option of what the run does: 0 taken, -1 a bad value, 1 not one. */
static int run_option(options *o, ui *u, int c, const char *arg)
{
    unsigned long long v;
    switch (c) {
    case 'b':
        if (parse_u64("--batch", arg, 1, ULONG_MAX, &v) < 0)
            return -1;
        o->so.batch = (size_t)v;
        return 0;
    case 'j':
        if (parse_u64("--jobs", arg, 1, LEDE_THREADS_MAX, &v) < 0)
            return -1;
        o->so.threads = (unsigned)v;
        return 0;
    case OPT_SHARDS:
        if (parse_u64("--shards", arg, 1, LEDE_SHARDS_MAX, &v) < 0)
            return -1;
        o->shards = (unsigned)v;
        return 0;
    case OPT_NO_DELETE:
        o->so.delete_vanished = 0;
        return 0;
    case OPT_FOLLOW:
        o->so.follow_symlinks = 1;
        return 0;
    case OPT_INCLUDE:
        o->includes[o->nincludes++] = arg;
        o->filters = 1;
        return 0;
    case OPT_EXCLUDE:
        o->excludes[o->nexcludes++] = arg;
        o->filters = 1;
        return 0;
    case OPT_NO_FILTERS:
        o->filters = 1;
        return 0;
    case 'd':
        o->deletes[o->ndeletes++] = arg;
        return 0;
    case OPT_REBUILD:
        o->rebuild = 1;
        return 0;
    case OPT_CHECK:
        o->check = 1;
        return 0;
    case OPT_COMPACT:
        o->compact = 1;
        return 0;
    case OPT_STATS:
        o->stats = 1;
        return 0;
    case 'q':
        u->quiet = 1;
        return 0;
    case 'v':
        u->verbose = 1;
        return 0;
    default:
        return 1;
    }
}

/* The operands, checked against the options: INDEX_DIR, then CORPUS...
 * (which --check, --compact alone and --delete may leave out). */
static int read_operands(options *o, int argc, char **argv)
{
    int n = argc - optind;
    if (o->check && n != 1) {
        fprintf(stderr, "%s: --check takes one INDEX_DIR\n", prog);
        return -1;
    }
    int compact_only = o->compact && n == 1 && o->ndeletes == 0 &&
                       !o->rebuild && o->shards == 0;
    if (!o->check && !compact_only && (n < 1 || (n < 2 && o->ndeletes == 0))) {
        fprintf(stderr, "%s: %s\n", prog,
                n < 1 ? "missing INDEX_DIR and CORPUS" : "missing CORPUS");
        return -1;
    }
    if (!o->check && !compact_only && o->rebuild && o->ndeletes > 0) {
        fprintf(stderr, "%s: --rebuild and --delete do not go together\n",
                prog);
        return -1;
    }
    o->index_dir = argv[optind];
    o->roots = (const char *const *)argv + optind + 1;
    o->nroots = (size_t)(n - 1);
    if (o->filters) {
        /* Given, they replace the index's (an empty list: none). */
        o->so.include = o->includes;
        o->so.ninclude = o->nincludes;
        o->so.exclude = o->excludes;
        o->so.nexclude = o->nexcludes;
    }
    return 0;
}

/* Read the command line into *o: 0 to go on, 1 to exit at once with
 * EXIT_OK (--help, --version), -1 on a usage error (said on stderr). */
static int read_options(options *o, ui *u, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},
        {"passage-words", required_argument, NULL, OPT_WORDS},
        {"stopwords", required_argument, NULL, OPT_STOPWORDS},
        {"paragraph-passages", no_argument, NULL, OPT_PARAGRAPHS},
        {"passage-overlap", required_argument, NULL, OPT_OVERLAP},
        {"batch", required_argument, NULL, 'b'},
        {"no-delete", no_argument, NULL, OPT_NO_DELETE},
        {"follow-symlinks", no_argument, NULL, OPT_FOLLOW},
        {"include", required_argument, NULL, OPT_INCLUDE},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"no-filters", no_argument, NULL, OPT_NO_FILTERS},
        {"wait", optional_argument, NULL, OPT_WAIT},
        {"rebuild", no_argument, NULL, OPT_REBUILD},
        {"jobs", required_argument, NULL, 'j'},
        {"check", no_argument, NULL, OPT_CHECK},
        {"compact", no_argument, NULL, OPT_COMPACT},
        {"shards", required_argument, NULL, OPT_SHARDS},
        {"delete", required_argument, NULL, 'd'},
        {"max-file-bytes", required_argument, NULL, OPT_MAX_FILE},
        {"max-article-bytes", required_argument, NULL, OPT_MAX_ARTICLE},
        {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
        {"json-id", required_argument, NULL, OPT_JSON_ID},
        {"json-title", required_argument, NULL, OPT_JSON_TITLE},
        {"json-text", required_argument, NULL, OPT_JSON_TEXT},
        {"json-date", required_argument, NULL, OPT_JSON_DATE},
        {"json-url", required_argument, NULL, OPT_JSON_URL},
        {"encoding", required_argument, NULL, OPT_ENCODING},
        {"stats", no_argument, NULL, OPT_STATS},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c, rc;

    while ((c = getopt_long(argc, argv, "f:l:b:d:j:qvhV", longopts, NULL)) !=
           -1) {
        if (c == 'h') {
            usage(stdout);
            return 1;
        }
        if (c == 'V') {
            printf("lede-index %s\n", lede_version());
            return 1;
        }
        if ((rc = index_option(o, c, optarg)) == 1 &&
            (rc = read_option(o, c, optarg)) == 1)
            rc = run_option(o, u, c, optarg);
        if (rc != 0)
            return -1; /* a bad value, or an unknown option */
    }
    return read_operands(o, argc, argv);
}

/* SIGINT and SIGTERM stop the run after committing what is done; a
 * second one kills at once (SA_RESETHAND). */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* A run on a shard set: the deletions, then the sync or rebuild. Sets
 * *created when the set is new, and *status to EXIT_PARTIAL when an id
 * to delete was not found. */
static int run_set(const options *o, lede_sync_stats *st, int *created,
                   int *status)
{
    int rc = 0;
    if (o->ndeletes > 0) {
        /* Before the sync, as on an index; the set's locks are taken
         * again by the sync, a window another writer may use. */
        rc = lede_shards_delete(&st->deleted, o->index_dir, o->deletes,
                                o->ndeletes, &o->io);
        if (rc == LEDE_ENOTFOUND && is_set(o->index_dir)) {
            fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
            *status = EXIT_PARTIAL;
            rc = 0;
        }
    }
    if (rc == 0 && o->nroots > 0) {
        uint64_t deleted = st->deleted;
        /* A new set's shards are made side by side; each is compacted
         * after the run, as a new index is. */
        unsigned had = 0;
        *created = lede_shards_count(&had, o->index_dir) != 0 || had == 0;
        rc = o->rebuild
                 ? lede_shards_rebuild(st, o->index_dir, o->shards, &o->io,
                                       o->roots, o->nroots, &o->so)
                 : lede_shards_sync(st, o->index_dir, o->shards, &o->io,
                                    o->roots, o->nroots, &o->so);
        st->deleted += deleted;
    }
    return rc;
}

/* A run on an index, in place: opened in *idx, the deletions, then the
 * sync (or a commit of the deletions alone). 1 when the index could not
 * be opened, which is reported, with *status. Sets *status to
 * EXIT_PARTIAL when an id to delete was not found. */
static int run_index(const options *o, lede_sync_stats *st, lede_index **idx,
                     int *status)
{
    int rc = lede_index_open(idx, o->index_dir, &o->io);
    if (rc < 0 && rc != LEDE_ELOCKED) {
        fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
        *status = exit_for(rc) == EXIT_WRITE ? EXIT_USAGE : exit_for(rc);
        return 1;
    }
    for (size_t i = 0; i < o->ndeletes && rc == 0; i++) {
        rc = lede_index_delete(*idx, o->deletes[i]);
        if (rc == LEDE_ENOTFOUND) {
            fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
            *status = EXIT_PARTIAL;
            rc = 0;
        } else if (rc == 0) {
            st->deleted++;
        }
    }
    if (rc == 0 && o->nroots > 0) {
        uint64_t deleted = st->deleted;
        rc = lede_index_sync(st, *idx, o->roots, o->nroots, &o->so);
        /* The deletions go with the sync's first commit. */
        if (rc == 0 || st->commits > 0)
            st->deleted += deleted;
    } else if (rc == 0 && (rc = lede_index_commit(*idx)) < 0) {
        st->deleted = 0;
    }
    return rc;
}

/* The exit status of a run that ended with rc, reported on stderr. */
static int run_status(const options *o, int rc, const lede_sync_stats *st,
                      int status)
{
    if (rc == LEDE_ELOCKED) {
        fprintf(stderr,
                "%s: %s: another lede-index holds the index lock (use --wait "
                "to wait for it)\n",
                prog, vis(o->index_dir));
        return EXIT_LOCKED;
    }
    if (rc < 0) {
        fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
        status = exit_for(rc);
        if (status == EXIT_WRITE)
            fprintf(stderr,
                    "%s: %s: the index keeps its last commit; changes after "
                    "it were discarded\n",
                    prog, o->index_dir);
        return status;
    }
    return st->skipped > 0 || st->errors > 0 ? EXIT_PARTIAL : status;
}

/* The summary line on stderr: counts, and what the index (or set) now
 * holds. idx is the run's handle, or NULL. */
static void print_summary(const options *o, const ui *u,
                          const lede_sync_stats *st, lede_index *idx, int set,
                          int rc)
{
    lede_index_info info;
    fprintf(stderr,
            "%s: %llu added, %llu updated, %llu deleted, %llu unchanged; "
            "%llu file%s skipped, %llu error%s; %.1f MB in %.2f s",
            prog, (unsigned long long)st->added,
            (unsigned long long)st->updated, (unsigned long long)st->deleted,
            (unsigned long long)st->unchanged, (unsigned long long)st->skipped,
            plural(st->skipped), (unsigned long long)st->errors,
            plural(st->errors), (double)st->bytes_done / 1e6, now() - u->start);
    lede_index *r = idx;
    uint64_t articles, passages;
    if (set && lede_shards_stat(&articles, &passages, o->index_dir) == 0)
        fprintf(stderr, "; the set holds %llu article%s in %llu passage%s",
                (unsigned long long)articles, plural(articles),
                (unsigned long long)passages, plural(passages));
    if (!set && r == NULL && rc == 0) /* rebuilt: the new index */
        lede_index_open(&r, o->index_dir, NULL);
    if (r != NULL && lede_index_stat(&info, r) == 0)
        fprintf(stderr, "; the index holds %llu article%s in %llu passage%s",
                (unsigned long long)info.articles, plural(info.articles),
                (unsigned long long)info.passages, plural(info.passages));
    if (r != idx)
        lede_index_free(r);
    fputc('\n', stderr);
}

/* After a whole run (a stopped one is resumed first): compact what
 * --compact asks for, or what the run made or rebuilt. A new or rebuilt
 * set has each shard compacted, and stays a set. */
static int compact_after(const options *o, int set, int created, int parallel,
                         int status)
{
    int crc = EXIT_OK;
    if (set && !o->compact && (o->rebuild || created)) {
        unsigned n = 0;
        char shard[4096];
        lede_shards_count(&n, o->index_dir);
        for (unsigned k = 0; k < n; k++) {
            crc = compact_index(
                shard_path(shard, sizeof shard, o->index_dir, k), &o->io);
            if (crc != EXIT_OK && status == EXIT_OK)
                status = crc;
        }
    } else if (o->compact || ((o->rebuild || created) && !parallel)) {
        crc = compact_index(o->index_dir, &o->io);
        if (crc != EXIT_OK && status == EXIT_OK)
            status = crc;
    }
    return status;
}

/* Sync (or rebuild) the index or set as *o says; the exit status. */
static int run(options *o, ui *u, lede_sync_stats *st)
{
    lede_index *idx = NULL;
    int rc = 0, status = EXIT_OK;

    catch_signals();
    o->io.lock_wait_cb = stop_waiting;
    o->so.cb = on_event;
    o->so.payload = u;
    /* The run that fills an empty index is a first build, whatever
     * stopped before it: with more than one thread it builds as a rebuild
     * does, which merges the threads' shards into a compacted index; with
     * one, it is compacted at the end. So is a run on an index whose first
     * build was stopped (the library marks it until it is compacted): it
     * resumes with one thread, keeping what was done, and compacts. */
    int empty = index_empty(o->index_dir);
    int created = empty || index_unfinished(o->index_dir);
    if (o->so.threads == 0)
        o->so.threads = default_jobs();
    /* A shard set: one given --shards, or one already there. */
    int set = o->shards > 0 || is_set(o->index_dir);
    if (o->io.lock_wait_ms != 0) {
        double t = now();
        rc = wait_for_lock(o->index_dir, set, &o->io);
        u->waited = now() - t;
    }
    if (set && o->ndeletes > 0 && o->shards > 0 && !is_set(o->index_dir)) {
        fprintf(stderr, "%s: %s: --delete needs an index to delete from\n",
                prog, vis(o->index_dir));
        return EXIT_USAGE;
    }
    if (set && rc == 0)
        rc = run_set(o, st, &created, &status);
    int parallel = !set && o->so.threads > 1 &&
                   (o->rebuild || (empty && o->ndeletes == 0));
    if (set || rc == LEDE_ELOCKED) {
        /* done above */
    } else if (o->rebuild || parallel) {
        rc = lede_index_rebuild(st, o->index_dir, &o->io, o->roots, o->nroots,
                                &o->so);
    } else if ((rc = run_index(o, st, &idx, &status)) > 0) {
        lede_index_free(idx);
        return status;
    }
    clear_line(u);
    status = run_status(o, rc, st, status);
    if ((u->verbose || (u->tty && !u->quiet)) && rc != LEDE_ELOCKED)
        print_summary(o, u, st, idx, set, rc);
    lede_index_free(idx);
    if (rc == 0 && !got_signal)
        status = compact_after(o, set, created, parallel, status);
    return status;
}

int main(int argc, char **argv)
{
    options o;
    lede_sync_stats st;
    ui u = {isatty(STDERR_FILENO), 0, 0, now(), 0, 0, 0};
    static const lede_index_options idefaults = LEDE_INDEX_OPTIONS_INIT;
    static const lede_sync_options sdefaults = LEDE_SYNC_OPTIONS_INIT;
    int status;

    argv[0] = (char *)prog; /* getopt's messages: not libtool's .libs path */
    memset(&o, 0, sizeof o);
    memset(&st, 0, sizeof st);
    o.io = idefaults;
    o.so = sdefaults;
    o.io.mode = LEDE_OPEN_CREATE;
    /* Each list holds at most one entry per argument. */
    o.deletes = calloc((size_t)argc, sizeof *o.deletes);
    o.includes = calloc((size_t)argc, sizeof *o.includes);
    o.excludes = calloc((size_t)argc, sizeof *o.excludes);
    if (o.deletes == NULL || o.includes == NULL || o.excludes == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        options_free(&o);
        return EXIT_USAGE;
    }
    int rc = read_options(&o, &u, argc, argv);
    if (rc > 0) {
        status = EXIT_OK;
    } else if (rc < 0) {
        fprintf(stderr, "Try '%s --help' for more information.\n", prog);
        status = EXIT_USAGE;
        if (o.stats)
            print_stats(&st, status, &u);
    } else if (o.check) {
        status = check(o.index_dir);
    } else if (o.compact && o.nroots == 0 && o.ndeletes == 0 && !o.rebuild &&
               o.shards == 0) {
        status = compact_index(o.index_dir, &o.io);
    } else {
        status = run(&o, &u, &st);
        /* Last, so that it has the exit status, compaction included. */
        if (o.stats)
            print_stats(&st, status, &u);
    }
    options_free(&o);
    return status;
}
