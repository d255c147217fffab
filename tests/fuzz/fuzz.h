/*
 * fuzz.h - shared by the fuzz targets (tests/fuzz/fuzz_*.c): the libFuzzer
 * entry point each defines, invariant checks, and a scratch file for the
 * targets whose code under test reads a path.
 *
 * The same targets are built twice: with clang and libFuzzer for fuzzing
 * (configure --enable-fuzz, make fuzz), and with any compiler against
 * replay.c, which feeds them the seed corpora as regression tests.
 */
#ifndef LEDE_FUZZ_H
#define LEDE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "lede_int.h"

/* Run the code under test on data[0..size); always returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test. A broken one aborts, so that
 * libFuzzer (or replay) reports the input as a crash. */
#define FUZZ_CHECK(cond)                                                       \
    ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))

_Noreturn void fuzz_fail(const char *file, int line, const char *what);

/* The path of this process's scratch file, now holding data[0..size);
 * made on the first call under $TMPDIR (or /tmp), removed at exit. */
const char *fuzz_file(const uint8_t *data, size_t size);

/* A new empty directory under $TMPDIR (or /tmp), removed with everything
 * in it at exit. The string is static. */
const char *fuzz_dir(void);

/* Read every byte of p[0..n), so that AddressSanitizer flags any that
 * cannot be read; p may be NULL when n is 0. */
void fuzz_touch(const void *p, size_t n);

/* What one reading of a corpus file gave. */
typedef struct {
    lede__buf arts;     /* the articles, each as its fields with lengths */
    size_t *off;        /* where each article starts in arts */
    size_t n;           /* articles */
    size_t cap;         /* allocated in off */
    size_t problems;    /* problems and warnings */
    uint64_t last_line; /* line of the last event */
    void (*check)(const lede_article *a); /* checks of the format, or NULL */
} fuzz_events;

/* Read path in format f, with max_article_bytes limit (0: the default),
 * into ev (zeroed by the caller, check set). Checks what holds for every
 * format: each article has an id and readable fields, each problem a
 * message, lines never go back, and the result is 0 or a failure of the
 * file with a message. Returns lede_read_file()'s result. */
int fuzz_read(fuzz_events *ev, const char *path, lede_format f,
              size_t max_article_bytes);
/* Whether the articles of part are those of all, in order, perhaps with
 * some left out. */
int fuzz_subsequence(const fuzz_events *part, const fuzz_events *all);
void fuzz_events_free(fuzz_events *ev);

#endif
