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

/* A new empty directory under $TMPDIR (or /tmp); the caller frees the
 * string after th_rmtree(). Fails the test if it cannot be made. */
char *th_tempdir(void);
/* Remove a directory tree (best effort). */
void th_rmtree(const char *path);
/* path/name in a static buffer, overwritten by the next call. */
const char *th_path(const char *dir, const char *name);
/* Write len bytes to path; fails the test on error. */
void th_write(const char *path, const char *data, size_t len);

/* Assert that rc is code and that an error message was recorded. */
#define assert_error(rc, code)                                                 \
    do {                                                                       \
        assert_int_equal((rc), (code));                                        \
        assert_true(lede_error_last()[0] != '\0');                             \
    } while (0)

#endif
