/*
 * lede-index: keep a lede index in step with a corpus of articles.
 *
 * The run lives here: main() reads the options (options.c) and run()
 * carries them out, on an index or a shard set: signals, waiting for
 * another writer's lock, --check in a child process, compaction after a
 * first build, and the exit status. What is shown while and after it
 * runs is report.c's. The work (walking, reading, incremental indexing,
 * checking, rebuilding, repairing an index a failed commit damaged) is
 * done by the public API in lede.h, so a program can do all of it too.
 * Calls liblede (lede.h), options.c, report.c and cli/visible.c.
 */
#include "../cli/visible.h"
#include "indexer.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

const char *prog = "lede-index";
volatile sig_atomic_t got_signal;

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

static int on_problem(const char *problem, void *payload)
{
    (void)payload;
    printf("%s\n", vis(problem));
    return 0;
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

static int list_one(const char *id, const char *path, const char *source,
                    void *payload)
{
    (void)payload;
    printf("%s\t%s\n", vis(id), path ? vis(path) : source ? vis(source) : "");
    return ferror(stdout) ? 1 : 0;
}

/* --list[=DIR]: each article's id and where it came from (its path in
 * the corpus, or else its source file), one a line. */
static int list(const char *path, const char *dir)
{
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    if (lede_index_open(&idx, path, &o) < 0) {
        fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
        return EXIT_USAGE;
    }
    int rc = lede_index_articles(idx, dir, list_one, NULL);
    if (rc < 0)
        fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
    lede_index_free(idx);
    if (rc == 0 && fflush(stdout) != 0)
        rc = 1;
    if (rc > 0)
        fprintf(stderr, "%s: write error\n", prog);
    return rc == 0 ? EXIT_OK : rc > 0 ? EXIT_WRITE : EXIT_USAGE;
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
    if (rc == LEDE_ENOTFOUND || rc == LEDE_EINVAL) { /* nothing to compact */
        fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
        return EXIT_USAGE;
    }
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
    o->so.cb = report_event;
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
        double t = report_now();
        rc = wait_for_lock(o->index_dir, set, &o->io);
        u->waited = report_now() - t;
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
    report_clear(u);
    report_warnings_unshown(u);
    status = run_status(o, rc, st, status);
    if ((u->verbose || (u->tty && !u->quiet)) && rc != LEDE_ELOCKED)
        report_summary(o, u, st, idx, set, rc);
    lede_index_free(idx);
    if (rc == 0 && !got_signal)
        status = compact_after(o, set, created, parallel, status);
    return status;
}

int main(int argc, char **argv)
{
    options o;
    lede_sync_stats st;
    ui u = {isatty(STDERR_FILENO), 0, 0, report_now(), 0, 0, 0, {0}, 0, 0};
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
    int rc = options_read(&o, &u, argc, argv);
    if (rc > 0) {
        options_free(&o);
        return EXIT_OK; /* --help, --version */
    }
    if (rc < 0) {
        fprintf(stderr, "Try '%s --help' for more information.\n", prog);
        status = EXIT_USAGE;
    } else if (o.check) {
        status = check(o.index_dir);
    } else if (o.list) {
        status = list(o.index_dir, o.list_dir);
    } else if (o.compact && o.nroots == 0 && o.ndeletes == 0 && !o.rebuild &&
               o.shards == 0) {
        status = compact_index(o.index_dir, &o.io);
    } else {
        status = run(&o, &u, &st);
    }
    /* Whatever the mode and its end (a check and a compaction count no
     * articles: zeros), and last, so that it has the exit status,
     * compaction included. */
    if (o.stats)
        report_stats(&st, status, &u);
    options_free(&o);
    return status;
}
