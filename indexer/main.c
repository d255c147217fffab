/*
 * lede-index: index a corpus of articles into a lede index.
 *
 * Argument parsing, the corpus walk and file reading live here; everything
 * about indexing goes through the public API in lede.h.
 */

#include "lede.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Exit statuses (also in the manual and README). */
enum {
    EXIT_OK = 0,       /* everything indexed */
    EXIT_PARTIAL = 1,  /* some files could not be read; the rest indexed */
    EXIT_FAILURE_ = 2, /* usage error, or the index could not be written */
    EXIT_LOCKED = 75   /* another lede-index holds the index (EX_TEMPFAIL) */
};

/* Larger files are refused: an article is never this long, and reading
 * one whole into memory must stay cheap. */
#define FILE_MAX (256u << 20)

typedef struct {
    lede_index *idx;          /* the open index */
    unsigned long batch;      /* commit after this many articles */
    int verbose;              /* name each file */
    unsigned long pending;    /* articles since the last commit */
    unsigned long articles;   /* articles indexed */
    unsigned long failed;     /* files that could not be indexed */
    unsigned long long bytes; /* bytes of text indexed */
    char **ids;               /* ids seen in this run, for duplicate checks */
    char **sources;           /* the file each id came from */
    size_t nids;              /* count */
    size_t capids;            /* allocated */
} run;

static const char *prog = "lede-index";

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: %s [OPTIONS] INDEX_DIR CORPUS...\n"
            "Index the articles under each CORPUS directory (or file) into "
            "INDEX_DIR,\n"
            "creating it if needed. A .txt file is one article: its first "
            "non-empty line\n"
            "is the title, the rest is the body, and its id is its path "
            "relative to\n"
            "CORPUS. Re-indexing an article replaces all its passages.\n"
            "\n"
            "Options:\n"
            "  -l, --lang=LANG          stemming language of a new index "
            "(default %s;\n"
            "                           any Xapian stemmer name or code; "
            "none: no stemming)\n"
            "      --passage-words=N    word cap of a passage, for a new "
            "index (default %d)\n"
            "      --passage-overlap=N  sentences consecutive passages "
            "share (default %d)\n"
            "  -b, --batch=N            commit after every N articles "
            "(default 1000)\n"
            "  -d, --delete=ID          delete the article ID (repeatable); "
            "CORPUS may\n"
            "                           then be left out\n"
            "  -q, --quiet              no summary line\n"
            "  -v, --verbose            name each file as it is indexed\n"
            "  -h, --help               show this help\n"
            "  -V, --version            show the version\n"
            "\n"
            "Exit status: 0 all indexed; 1 some files could not be read "
            "(the others\n"
            "were indexed); 2 usage error or index failure; 75 another "
            "lede-index holds\n"
            "the index.\n",
            prog, LEDE_DEFAULT_LANGUAGE, LEDE_DEFAULT_PASSAGE_WORDS,
            LEDE_DEFAULT_PASSAGE_OVERLAP);
}

static int parse_ulong(const char *opt, const char *s, unsigned long min,
                       unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v < min ||
        v > max) {
        fprintf(stderr, "%s: %s: '%s' is not a number from %lu to %lu\n", prog,
                opt, s, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exit_for(int rc)
{
    return rc == LEDE_ELOCKED ? EXIT_LOCKED : EXIT_FAILURE_;
}

static int commit(run *r)
{
    int rc = lede_index_commit(r->idx);
    if (rc < 0)
        fprintf(stderr, "%s: commit failed: %s\n", prog, lede_error_last());
    r->pending = 0;
    return rc;
}

/* Remember id; warn when an earlier file of this run had the same id. */
static int note_id(run *r, const char *id, const char *path)
{
    for (size_t i = 0; i < r->nids; i++) {
        if (strcmp(r->ids[i], id) == 0) {
            fprintf(stderr,
                    "%s: warning: %s and %s have the same article id '%s'; "
                    "the later replaces the earlier\n",
                    prog, r->sources[i], path, id);
            return 0;
        }
    }
    if (r->nids == r->capids) {
        size_t cap = r->capids ? r->capids * 2 : 256;
        char **ids = realloc(r->ids, cap * sizeof *ids);
        if (ids == NULL)
            return -1;
        r->ids = ids;
        char **src = realloc(r->sources, cap * sizeof *src);
        if (src == NULL)
            return -1;
        r->sources = src;
        r->capids = cap;
    }
    r->ids[r->nids] = strdup(id);
    r->sources[r->nids] = strdup(path);
    if (r->ids[r->nids] == NULL || r->sources[r->nids] == NULL) {
        free(r->ids[r->nids]);
        free(r->sources[r->nids]);
        return -1;
    }
    r->nids++;
    return 0;
}

/* Read a whole file; the caller frees *out. Returns -1 with errno set. */
static int read_file(const char *path, char **out, size_t *len_out)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    char *data = NULL;
    size_t len = 0;

    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0)
        goto fail;
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        goto fail;
    }
    if ((unsigned long long)st.st_size > FILE_MAX) {
        errno = EFBIG;
        goto fail;
    }
    size_t cap = (size_t)st.st_size + 1;
    if ((data = malloc(cap)) == NULL)
        goto fail;
    for (;;) {
        ssize_t n = read(fd, data + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail;
        if (n == 0)
            break;
        len += (size_t)n;
        if (len == cap) { /* the file grew while we read it */
            if (cap > FILE_MAX) {
                errno = EFBIG;
                goto fail;
            }
            char *more = realloc(data, cap * 2);
            if (more == NULL)
                goto fail;
            data = more;
            cap *= 2;
        }
    }
    close(fd);
    *out = data;
    *len_out = len;
    return 0;
fail:;
    int saved = errno;
    free(data);
    close(fd);
    errno = saved;
    return -1;
}

/* Split a .txt article: the first non-empty line is the title. */
static void split_article(const char *text, size_t len, lede_article *a)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3; /* byte order mark */
    for (;;) {
        size_t s = i;
        while (i < len && (text[i] == ' ' || text[i] == '\t' ||
                           text[i] == '\r' || text[i] == '\f'))
            i++;
        if (i < len && text[i] == '\n') {
            i++;
            continue; /* blank line before the title */
        }
        i = s;
        break;
    }
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    const char *nl = memchr(text + i, '\n', len - i);
    size_t stop = nl ? (size_t)(nl - text) : len;
    size_t end = stop;
    while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
                       text[end - 1] == '\r'))
        end--;
    a->title = text + i;
    a->title_len = end - i;
    a->body = nl ? text + stop + 1 : text + len;
    a->body_len = nl ? len - stop - 1 : 0;
}

static int has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), m = strlen(suffix);
    return n > m && strcmp(name + n - m, suffix) == 0;
}

/* Index one file as the article id. Returns -1 only on index failure. */
static int index_file(run *r, const char *path, const char *id)
{
    char *text;
    size_t len;
    lede_article a = LEDE_ARTICLE_INIT;

    if (read_file(path, &text, &len) != 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        r->failed++;
        return 0;
    }
    if (memchr(text, '\0', len < 8192 ? len : 8192) != NULL) {
        fprintf(stderr, "%s: %s: binary file (NUL bytes), not indexed\n", prog,
                path);
        free(text);
        r->failed++;
        return 0;
    }
    size_t bad = lede_utf8_check(text, len);
    if (bad < len)
        fprintf(stderr,
                "%s: warning: %s: invalid UTF-8 at byte %zu; such bytes are "
                "indexed as U+FFFD\n",
                prog, path, bad);
    split_article(text, len, &a);
    a.id = id;
    if (note_id(r, id, path) < 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        free(text);
        return -1;
    }
    int rc = lede_index_add(r->idx, &a);
    if (rc == LEDE_EINVAL) {
        /* This article is bad (its id, say); the index is fine. */
        fprintf(stderr, "%s: %s: %s\n", prog, path, lede_error_last());
        free(text);
        r->failed++;
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, lede_error_last());
        free(text);
        return -1;
    }
    if (r->verbose)
        fprintf(stderr, "%s: indexed %s as %s\n", prog, path, id);
    r->articles++;
    r->bytes += len;
    free(text);
    if (++r->pending >= r->batch && commit(r) < 0)
        return -1;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Index the .txt files under dir (path relative to the root: rel). */
static int walk(run *r, const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (d == NULL) {
        fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
        r->failed++;
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ., .., and hidden files such as .git */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **more = realloc(names, cap * sizeof *names);
            if (more == NULL) {
                rc = -1;
                break;
            }
            names = more;
        }
        if ((names[n] = strdup(e->d_name)) == NULL) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc < 0)
        fprintf(stderr, "%s: out of memory\n", prog);
    /* Sorted, so that the same corpus always gives the same index. */
    if (n > 0)
        qsort(names, n, sizeof *names, by_name);

    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t plen = strlen(dir) + strlen(names[i]) + 2;
        size_t rlen = strlen(rel) + strlen(names[i]) + 2;
        char *path = malloc(plen), *id = malloc(rlen);
        struct stat st;
        if (path == NULL || id == NULL) {
            fprintf(stderr, "%s: out of memory\n", prog);
            rc = -1;
        } else {
            snprintf(path, plen, "%s/%s", dir, names[i]);
            snprintf(id, rlen, "%s%s%s", rel, *rel ? "/" : "", names[i]);
            if (lstat(path, &st) != 0) {
                fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
                r->failed++;
            } else if (S_ISDIR(st.st_mode)) {
                rc = walk(r, path, id);
            } else if (S_ISREG(st.st_mode) && has_suffix(names[i], ".txt")) {
                rc = index_file(r, path, id);
            }
            /* Symbolic links, devices and other files are skipped. */
        }
        free(path);
        free(id);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int index_corpus(run *r, const char *root)
{
    struct stat st;
    size_t len = strlen(root);
    char *dir = strdup(root);
    int rc = 0;

    if (dir == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return -1;
    }
    while (len > 1 && dir[len - 1] == '/')
        dir[--len] = '\0';
    if (stat(dir, &st) != 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, root, strerror(errno));
        r->failed++;
    } else if (S_ISDIR(st.st_mode)) {
        rc = walk(r, dir, "");
    } else if (S_ISREG(st.st_mode)) {
        const char *base = strrchr(dir, '/');
        rc = index_file(r, dir, base ? base + 1 : dir);
    } else {
        fprintf(stderr, "%s: %s: not a directory or regular file\n", prog,
                root);
        r->failed++;
    }
    free(dir);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"lang", required_argument, NULL, 'l'},
        {"passage-words", required_argument, NULL, 'W'},
        {"passage-overlap", required_argument, NULL, 'O'},
        {"batch", required_argument, NULL, 'b'},
        {"delete", required_argument, NULL, 'd'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    lede_index_options opts = LEDE_INDEX_OPTIONS_INIT;
    run r = {0};
    const char **deletes = NULL;
    size_t ndeletes = 0;
    unsigned long v;
    int quiet = 0, c, status = EXIT_OK;

    r.batch = 1000;
    opts.mode = LEDE_OPEN_CREATE;
    if ((deletes = calloc((size_t)argc, sizeof *deletes)) == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return EXIT_FAILURE_;
    }
    while ((c = getopt_long(argc, argv, "l:b:d:qvhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            opts.language = optarg;
            break;
        case 'W':
            if (parse_ulong("--passage-words", optarg, 1, 100000, &v) < 0)
                goto usage_error;
            opts.passage_words = (unsigned)v;
            break;
        case 'O':
            if (parse_ulong("--passage-overlap", optarg, 0, 100, &v) < 0)
                goto usage_error;
            opts.passage_overlap = (int)v;
            break;
        case 'b':
            if (parse_ulong("--batch", optarg, 1, ULONG_MAX, &r.batch) < 0)
                goto usage_error;
            break;
        case 'd':
            deletes[ndeletes++] = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'v':
            r.verbose = 1;
            break;
        case 'h':
            usage(stdout);
            free(deletes);
            return EXIT_OK;
        case 'V':
            printf("lede-index %s\n", lede_version());
            free(deletes);
            return EXIT_OK;
        default:
            goto usage_error;
        }
    }
    if (argc - optind < 1 || (argc - optind < 2 && ndeletes == 0)) {
        fprintf(stderr, "%s: %s\n", prog,
                argc - optind < 1 ? "missing INDEX_DIR and CORPUS"
                                  : "missing CORPUS");
        goto usage_error;
    }

    const char *index_dir = argv[optind++];
    double t0 = now();
    int rc = lede_index_open(&r.idx, index_dir, &opts);
    if (rc < 0) {
        fprintf(stderr, "%s: %s\n", prog, lede_error_last());
        free(deletes);
        return exit_for(rc);
    }

    unsigned long deleted = 0;
    for (size_t i = 0; i < ndeletes; i++) {
        rc = lede_index_delete(r.idx, deletes[i]);
        if (rc == LEDE_ENOTFOUND) {
            fprintf(stderr, "%s: %s\n", prog, lede_error_last());
            status = EXIT_PARTIAL;
        } else if (rc < 0) {
            fprintf(stderr, "%s: %s\n", prog, lede_error_last());
            status = EXIT_FAILURE_;
            goto out;
        } else {
            deleted++;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (index_corpus(&r, argv[i]) < 0) {
            status = EXIT_FAILURE_;
            goto out;
        }
    }
    if (commit(&r) < 0) {
        status = EXIT_FAILURE_;
        goto out;
    }
    if (r.failed > 0 && status == EXIT_OK)
        status = EXIT_PARTIAL;

    lede_index_info info;
    if (!quiet && lede_index_stat(&info, r.idx) == 0) {
        fprintf(stderr,
                "%s: %lu articles indexed (%.1f MB), %lu deleted, %lu failed "
                "in %.2f s; the index holds %llu articles in %llu passages\n",
                prog, r.articles, (double)r.bytes / 1e6, deleted, r.failed,
                now() - t0, (unsigned long long)info.articles,
                (unsigned long long)info.passages);
    }
out:
    if (status == EXIT_FAILURE_)
        fprintf(stderr, "%s: changes since the last commit were discarded\n",
                prog);
    lede_index_free(r.idx);
    for (size_t i = 0; i < r.nids; i++) {
        free(r.ids[i]);
        free(r.sources[i]);
    }
    free(r.ids);
    free(r.sources);
    free(deletes);
    return status;

usage_error:
    fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    free(deletes);
    return EXIT_FAILURE_;
}
