/*
 * helpers.h - shared by the unit tests: temporary directories and the
 * includes cmocka needs, in the order it needs them.
 */
#ifndef LEDE_TEST_HELPERS_H
#define LEDE_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lede.h"
#include "lede_int.h"

/* A new empty directory under $TMPDIR (or /tmp); the caller frees the
 * string after th_rmtree(). Fails the test if it cannot be made. */
char *th_tempdir(void);
/* Remove a directory tree (best effort). */
void th_rmtree(const char *path);
/* path/name in a static buffer, overwritten by the next call. */
const char *th_path(const char *dir, const char *name);
/* Write len bytes to path; fails the test on error. */
void th_write(const char *path, const char *data, size_t len);
/* Write len bytes gzip-compressed, as one member, to path; mode is
 * gzopen's ("wb", "ab" to add a member, "wb9" for level 9). */
void th_write_gz(const char *path, const char *data, size_t len,
                 const char *mode);

/* The state of tests that need only a scratch directory: setup and
 * teardown functions for cmocka. */
typedef struct {
    char *dir; /* scratch directory, removed afterwards */
} th_dir;
int th_setup_dir(void **state);
int th_teardown_dir(void **state);

/* Everything lede_read_file() reported, as text (th_record is the
 * callback): one line per event, "A id|title|body|date|url @line",
 * "W @line message" or "P code @line message". */
typedef struct {
    char s[1 << 18]; /* events */
    size_t n;        /* bytes used */
    int articles;    /* articles seen */
    int problems;    /* problems seen */
    int stop_at;     /* non-zero: return 99 from this event on (1-based) */
    int events;      /* events seen */
} th_events;

int th_record(const lede_read_event *ev, void *payload);

/* Assert that the call rc returns code and records a message: the last
 * message is cleared first, so an old one cannot pass for it. */
#define assert_error(rc, code)                                                 \
    do {                                                                       \
        lede__error_clear();                                                   \
        assert_int_equal((rc), (code));                                        \
        assert_true(lede_error_last()[0] != '\0');                             \
    } while (0)

#endif
