/*
 * replay.c - runs a fuzz target on given inputs, without libFuzzer: the
 * seed corpora (and the crashes found, which join them) as regression
 * tests of `make check`, with any compiler.
 *
 * Usage: replay_TARGET [FILE_OR_DIR...]. With no argument, the files of
 * $LEDE_SRCDIR/tests/fuzz/corpus/TARGET. Prints TAP, one test per input,
 * in name order; an input that breaks an invariant aborts (the name of
 * the input is printed first, on stderr).
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET (the corpus name of the target) must be defined"
#endif

typedef struct {
    char **v;   /* paths */
    size_t n;   /* count */
    size_t cap; /* allocated */
} paths;

static void add(paths *p, const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char **v = p->v;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        if ((v = realloc(p->v, p->cap * sizeof *v)) == NULL)
            abort();
        p->v = v;
    }
    if ((p->v[p->n] = malloc(len)) == NULL)
        abort();
    snprintf(p->v[p->n++], len, "%s%s%s", dir, *dir ? "/" : "", name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add arg, or the files of the directory arg, to p. */
static int collect(paths *p, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) != 0) {
        printf("Bail out! %s: %s\n", arg, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        add(p, "", arg);
        return 0;
    }
    DIR *d = opendir(arg);
    if (d == NULL) {
        printf("Bail out! %s: %s\n", arg, strerror(errno));
        return -1;
    }
    size_t first = p->n;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] != '.')
            add(p, arg, e->d_name);
    }
    closedir(d);
    qsort(p->v + first, p->n - first, sizeof *p->v, by_name);
    return 0;
}

/* The bytes of path, in a buffer of exactly their size (so that
 * AddressSanitizer sees a read past them); NULL on error. */
static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t n = 0;
    if (f == NULL)
        return NULL;
    for (;;) {
        uint8_t buf[4096];
        size_t got = fread(buf, 1, sizeof buf, f);
        if (got == 0)
            break;
        uint8_t *more = realloc(data, n + got);
        if (more == NULL)
            abort();
        data = more;
        memcpy(data + n, buf, got);
        n += got;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(data);
        return NULL;
    }
    *size = n;
    return data != NULL ? data : malloc(1);
}

int main(int argc, char **argv)
{
    paths p = {NULL, 0, 0};
    int failed = 0;

    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            if (collect(&p, argv[i]) < 0)
                return 99;
        }
    } else {
        const char *src = getenv("LEDE_SRCDIR");
        char dir[4096];
        if (src == NULL || !*src) {
            printf("Bail out! LEDE_SRCDIR is not set (make check sets it)\n");
            return 99;
        }
        snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", src, FUZZ_TARGET);
        if (collect(&p, dir) < 0)
            return 99;
    }
    printf("1..%zu\n", p.n);
    fflush(stdout);
    for (size_t i = 0; i < p.n; i++) {
        size_t size = 0;
        uint8_t *data = slurp(p.v[i], &size);
        if (data == NULL) {
            printf("not ok %zu - %s: cannot be read\n", i + 1, p.v[i]);
            failed = 1;
            free(p.v[i]);
            continue;
        }
        fprintf(stderr, "%s: %s\n", FUZZ_TARGET, p.v[i]);
        LLVMFuzzerTestOneInput(data, size);
        printf("ok %zu - %s %s\n", i + 1, FUZZ_TARGET,
               strrchr(p.v[i], '/') ? strrchr(p.v[i], '/') + 1 : p.v[i]);
        fflush(stdout);
        free(data);
        free(p.v[i]);
    }
    free(p.v);
    return failed;
}
