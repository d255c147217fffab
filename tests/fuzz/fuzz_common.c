/*
 * fuzz_common.c - helpers of the fuzz targets (see fuzz.h): failing an
 * invariant, scratch files and directories that go away at exit.
 *
 * The scratch file is made once and rewritten for each input, since a
 * libFuzzer campaign runs millions of inputs; its fixed name keeps the
 * readers' results the same from one run to the next.
 */
#include "fuzz.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

static char file_path[4096]; /* the scratch file, or "" */
static int file_fd = -1;     /* open on it */
static char dir_path[4096];  /* the scratch directory, or "" */
static int registered;       /* cleanup() runs at exit */

static const char *tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t != NULL && *t ? t : "/tmp";
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void cleanup(void)
{
    if (file_path[0])
        unlink(file_path);
    if (dir_path[0])
        nftw(dir_path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup_failed(const char *what)
{
    perror(what);
    abort();
}

static void at_exit(void)
{
    if (!registered && atexit(cleanup) == 0)
        registered = 1;
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
    if (file_fd < 0) {
        snprintf(file_path, sizeof file_path, "%s/lede-fuzz-XXXXXX", tmpdir());
        if ((file_fd = mkstemp(file_path)) < 0)
            setup_failed(file_path);
        at_exit();
    }
    if (ftruncate(file_fd, 0) != 0)
        setup_failed("ftruncate");
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(file_fd, data + done, size - done, (off_t)done);
        if (n <= 0)
            setup_failed("pwrite");
        done += (size_t)n;
    }
    return file_path;
}

const char *fuzz_dir(void)
{
    if (!dir_path[0]) {
        snprintf(dir_path, sizeof dir_path, "%s/lede-fuzz-XXXXXX", tmpdir());
        if (mkdtemp(dir_path) == NULL)
            setup_failed(dir_path);
        at_exit();
    }
    return dir_path;
}

void fuzz_touch(const void *p, size_t n)
{
    const volatile unsigned char *s = p;
    unsigned char sum = 0;
    for (size_t i = 0; i < n; i++)
        sum ^= s[i];
    (void)sum;
}

/* ---- reading corpus files ------------------------------------------------ */

static void put_field(lede__buf *b, const char *s, size_t n)
{
    if (lede__buf_printf(b, "%zu:", n) < 0 || lede__buf_put(b, s, n) < 0)
        abort();
}

static int on_event(const lede_read_event *e, void *payload)
{
    fuzz_events *ev = payload;
    FUZZ_CHECK(e->line >= ev->last_line);
    ev->last_line = e->line;
    if (e->article == NULL) {
        FUZZ_CHECK(e->code <= 0);
        FUZZ_CHECK(e->message != NULL && e->message[0] != '\0');
        ev->problems++;
        return 0;
    }
    const lede_article *a = e->article;
    FUZZ_CHECK(a->id != NULL && a->id[0] != '\0');
    FUZZ_CHECK(a->title != NULL || a->title_len == 0);
    FUZZ_CHECK(a->body != NULL || a->body_len == 0);
    size_t *off = lede__grow(ev->off, &ev->cap, ev->n, sizeof *off);
    if (off == NULL)
        abort();
    ev->off = off;
    ev->off[ev->n++] = ev->arts.len;
    /* Copying the fields reads every byte of them. */
    put_field(&ev->arts, a->id, strlen(a->id));
    put_field(&ev->arts, a->title, a->title_len);
    put_field(&ev->arts, a->body, a->body_len);
    put_field(&ev->arts, a->url ? a->url : "", a->url ? strlen(a->url) : 0);
    if (lede__buf_printf(&ev->arts, "%lld;", (long long)a->date) < 0)
        abort();
    if (ev->check != NULL)
        ev->check(a);
    return 0;
}

int fuzz_read(fuzz_events *ev, const char *path, lede_format f,
              size_t max_article_bytes)
{
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.format = f;
    o.id = "fuzz"; /* not the scratch file's name, which varies */
    o.max_file_bytes = (uint64_t)4 << 20;
    o.max_ratio = 50;
    o.max_article_bytes = max_article_bytes;
    lede__error_clear();
    int rc = lede_read_file(path, &o, on_event, ev);
    FUZZ_CHECK(rc == 0 || rc == LEDE_EINVAL || rc == LEDE_ECORRUPT ||
               rc == LEDE_ELIMIT);
    FUZZ_CHECK(rc == 0 || lede_error_last()[0] != '\0');
    return rc;
}

static size_t article_len(const fuzz_events *ev, size_t i)
{
    return (i + 1 < ev->n ? ev->off[i + 1] : ev->arts.len) - ev->off[i];
}

int fuzz_subsequence(const fuzz_events *part, const fuzz_events *all)
{
    size_t j = 0;
    for (size_t i = 0; i < part->n; i++) {
        size_t len = article_len(part, i);
        while (j < all->n && (article_len(all, j) != len ||
                              memcmp(all->arts.data + all->off[j],
                                     part->arts.data + part->off[i], len) != 0))
            j++;
        if (j == all->n)
            return 0;
        j++;
    }
    return 1;
}

void fuzz_events_free(fuzz_events *ev)
{
    lede__buf_free(&ev->arts);
    lede__free(ev->off);
}
