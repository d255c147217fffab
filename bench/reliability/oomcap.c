/*
 * oomcap - out of memory for real: a small index-and-search session runs
 * in a child process whose address space is capped (RLIMIT_AS) just above
 * what is already mapped, at STEPS caps spread over 0 to 6 MiB more. So
 * allocations fail wherever they happen: in Xapian and the C++ library
 * (std::bad_alloc, which the shim must catch) as well as in lede's own C
 * code. Each child must succeed or stop with LEDE_ENOMEM; an abort, a
 * crash or another error counts as a failure. After a child that ran out
 * of memory, what it committed must pass lede_index_check() and hold
 * whole batches, and a run without the cap must complete.
 *
 * Uses only the public API. Not for sanitizer builds: they reserve
 * terabytes of address space, so any cap breaks them.
 * Usage: oomcap DIR [STEPS]   (DIR: an empty scratch directory)
 */
#include <lede.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CHILD_OK = 0, CHILD_ENOMEM = 3, CHILD_OTHER = 4 };
enum { ARTICLES = 300, BATCH = 100 };

static void step(int rc)
{
    if (rc == 0)
        return;
    if (rc == LEDE_ENOMEM)
        _exit(CHILD_ENOMEM);
    fprintf(stderr, "oomcap: unexpected error %d: %s\n", rc, lede_error_last());
    _exit(CHILD_OTHER);
}

static void session(const char *path)
{
    lede_index *idx;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.mode = LEDE_OPEN_CREATE;
    step(lede_index_open(&idx, path, &io));
    for (int i = 0; i < ARTICLES; i++) {
        char id[32], body[600];
        lede_article a = LEDE_ARTICLE_INIT;
        snprintf(id, sizeof id, "a%d", i);
        snprintf(body, sizeof body,
                 "The summit in Singapore number %d drew leaders. Talks on "
                 "trade %d went on.\n\nA harbour ferry %d crossed at dawn, "
                 "and the keeper %d logged it.",
                 i, i * 7, i % 13, i % 29);
        a.id = id;
        a.body = body;
        a.body_len = strlen(body);
        step(lede_index_add(idx, &a));
        if (i % BATCH == BATCH - 1)
            step(lede_index_commit(idx));
    }
    lede_results *res;
    step(lede_search(&res, idx, "singapore summit \"harbour ferry\"", NULL));
    if (lede_results_count(res) == 0)
        _exit(CHILD_OTHER);
    char *snippet;
    step(lede_results_snippet(&snippet, res, 0, "[", "]"));
    lede_free(snippet);
    lede_results_free(res);
    lede_index_free(idx);
}

static long mapped_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (!f)
        return -1;
    int ok = fscanf(f, "%lu", &pages) == 1;
    fclose(f);
    return ok ? (long)(pages * (unsigned long)sysconf(_SC_PAGESIZE)) : -1;
}

/* After a child ran out of memory: what it committed is sound and whole
 * (0, 100, 200 or 300 articles), and a new run, without the cap, creates
 * or opens the index and completes. Returns 0 when so. */
static int recovers(const char *path)
{
    uint64_t problems = 0;
    int rc = lede_index_check(&problems, path, NULL, NULL);
    /* LEDE_ENOTFOUND, LEDE_EINDEX: it stopped before the first commit. */
    if (rc != 0 && rc != LEDE_ENOTFOUND && rc != LEDE_EINDEX) {
        fprintf(stderr, "oomcap: %s: check: %s\n", path, lede_error_last());
        return 1;
    }
    lede_index *idx;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    io.mode = LEDE_OPEN_CREATE;
    lede_index_info info;
    if (lede_index_open(&idx, path, &io) != 0 ||
        lede_index_stat(&info, idx) != 0) {
        fprintf(stderr, "oomcap: %s: reopening: %s\n", path, lede_error_last());
        lede_index_free(idx);
        return 1;
    }
    if (info.articles % BATCH != 0) {
        fprintf(stderr, "oomcap: %s: %llu articles, not whole batches\n", path,
                (unsigned long long)info.articles);
        lede_index_free(idx);
        return 1;
    }
    lede_article a = LEDE_ARTICLE_INIT;
    a.id = "after";
    a.body = "The run after the failure.";
    a.body_len = strlen(a.body);
    rc = lede_index_add(idx, &a);
    if (rc == 0)
        rc = lede_index_commit(idx);
    lede_index_free(idx);
    if (rc == 0)
        rc = lede_index_check(&problems, path, NULL, NULL);
    if (rc != 0) {
        fprintf(stderr, "oomcap: %s: the run after: %s\n", path,
                lede_error_last());
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: oomcap DIR [STEPS]\n");
        return 2;
    }
    int steps = argc > 2 ? atoi(argv[2]) : 200;
    if (steps < 1)
        steps = 1;
    int ok = 0, enomem = 0, bad = 0;
    for (int s = 0; s < steps; s++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/idx%d", argv[1], s);
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            perror("oomcap: fork");
            return 2;
        }
        if (pid == 0) {
            long now = mapped_bytes();
            if (now < 0)
                _exit(CHILD_OTHER);
            struct rlimit rl;
            rl.rlim_cur = rl.rlim_max =
                (rlim_t)now + (rlim_t)s * (6u << 20) / (rlim_t)steps;
            if (setrlimit(RLIMIT_AS, &rl) != 0)
                _exit(CHILD_OTHER);
            session(path);
            _exit(CHILD_OK);
        }
        int st;
        if (waitpid(pid, &st, 0) != pid) {
            perror("oomcap: waitpid");
            return 2;
        }
        if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_OK) {
            ok++;
        } else if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_ENOMEM) {
            enomem++;
            bad += recovers(path);
        } else {
            bad++;
            fprintf(stderr, "oomcap: cap %d of %d: %s %d\n", s, steps,
                    WIFSIGNALED(st) ? "killed by signal" : "exit status",
                    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
        }
    }
    printf("# %d caps: %d succeeded, %d stopped with LEDE_ENOMEM, %d "
           "failed otherwise\n",
           steps, ok, enomem, bad);
    return bad != 0;
}
