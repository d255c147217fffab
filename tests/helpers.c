/*
 * helpers.c - temporary directories for the unit tests.
 */
#define _XOPEN_SOURCE 700

#include "helpers.h"

#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

char *th_tempdir(void)
{
    const char *tmp = getenv("TMPDIR");
    char templ[4096];
    snprintf(templ, sizeof templ, "%s/lede-test-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    char *dir = mkdtemp(templ);
    assert_non_null(dir);
    char *copy = strdup(dir);
    assert_non_null(copy);
    return copy;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void th_rmtree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *th_path(const char *dir, const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

void th_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

void th_write_gz(const char *path, const char *data, size_t len,
                 const char *mode)
{
    gzFile g = gzopen(path, mode);
    assert_non_null(g);
    assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(g), Z_OK);
}

int th_setup_dir(void **state)
{
    th_dir *d = calloc(1, sizeof *d);
    assert_non_null(d);
    d->dir = th_tempdir();
    *state = d;
    return 0;
}

int th_teardown_dir(void **state)
{
    th_dir *d = *state;
    th_rmtree(d->dir);
    free(d->dir);
    free(d);
    return 0;
}

int th_record(const lede_read_event *ev, void *payload)
{
    th_events *e = payload;
    int k;
    if (ev->article) {
        const lede_article *a = ev->article;
        assert_int_equal(a->version, LEDE_ARTICLE_VERSION);
        k = snprintf(e->s + e->n, sizeof e->s - e->n,
                     "A %s|%.*s|%.*s|%lld|%s @%llu\n", a->id, (int)a->title_len,
                     a->title ? a->title : "", (int)a->body_len,
                     a->body ? a->body : "",
                     (long long)(a->date == LEDE_NO_DATE ? -1 : a->date),
                     a->url ? a->url : "", (unsigned long long)ev->line);
        /* Fields and path, when there are any, before the line's end:
         * " {name=value;...}" and " <path>". */
        if (k > 0 && (a->n_fields > 0 || a->path != NULL)) {
            size_t at = e->n + (size_t)k - 1; /* the '\n' */
            int m = 0;
            for (size_t i = 0; i < a->n_fields; i++) {
                m = snprintf(e->s + at, sizeof e->s - at, "%s%s=%s",
                             i ? ";" : " {", a->fields[i].name,
                             a->fields[i].value);
                assert_true(m > 0 && (size_t)m < sizeof e->s - at);
                at += (size_t)m;
            }
            m = snprintf(e->s + at, sizeof e->s - at, "%s%s%s%s\n",
                         a->n_fields ? "}" : "", a->path ? " <" : "",
                         a->path ? a->path : "", a->path ? ">" : "");
            assert_true(m > 0 && (size_t)m < sizeof e->s - at);
            k = (int)(at + (size_t)m - e->n);
        }
        e->articles++;
    } else if (ev->code == 0) {
        k = snprintf(e->s + e->n, sizeof e->s - e->n, "W @%llu %s\n",
                     (unsigned long long)ev->line, ev->message);
    } else {
        k = snprintf(e->s + e->n, sizeof e->s - e->n, "P %d @%llu %s\n",
                     ev->code, (unsigned long long)ev->line, ev->message);
        e->problems++;
    }
    assert_true(k > 0 && (size_t)k < sizeof e->s - e->n);
    e->n += (size_t)k;
    e->events++;
    return e->stop_at && e->events >= e->stop_at ? 99 : 0;
}
