/*
 * fuzz_gzip.c - fuzz target of the input layer (input.c): gzip members,
 * padding and damage, plain files, line reading.
 *
 * input.c reads only files, so the input is written to a scratch file and
 * read three ways: whole (lede__input_all), by lines (lede__input_line,
 * long enough to keep every line), and by short lines mixed with peeks
 * and reads. Checks that the three agree on the bytes and on failure,
 * that a plain file comes back unchanged, that the hash covers the raw
 * file (as lede__input_file_hash() computes it) once read to the end, and that
 * the limits hold.
 */
#include "fuzz.h"
#include "lede_int.h"

#include <stdlib.h>
#include <string.h>

/* Small limits, so that a bomb stops early: the ratio is judged past
 * 1 MiB out. */
static const lede__input_limits limits = {(uint64_t)4 << 20, 50};

/* Everything, through lede__input_all(). */
static int read_all(lede__buf *out, const char *path, uint64_t *hash)
{
    lede__input *in;
    int rc = lede__input_open(&in, path, &limits);
    FUZZ_CHECK(rc == 0);
    rc = lede__input_all(in, out, (size_t)limits.max_bytes + 1);
    *hash = lede__input_hash(in);
    lede__input_close(in);
    return rc;
}

/* Line by line, each line given its '\n' back. */
static int read_lines(lede__buf *out, const char *path)
{
    lede__input *in;
    lede__buf line = LEDE__BUF_INIT;
    int too_long, rc = lede__input_open(&in, path, &limits);
    FUZZ_CHECK(rc == 0);
    while ((rc = lede__input_line(in, &line, SIZE_MAX, &too_long)) > 0) {
        FUZZ_CHECK(!too_long);
        FUZZ_CHECK(memchr(line.data ? line.data : "", '\n', line.len) == NULL);
        if (lede__buf_put(out, line.data, line.len) < 0 ||
            lede__buf_putc(out, '\n') < 0)
            abort();
    }
    lede__buf_free(&line);
    lede__input_close(in);
    return rc;
}

/* Lines of at most 7 bytes kept, with peeks and short reads between them:
 * the look-ahead must serve all three. Returns the bytes seen. */
static int read_mixed(lede__buf *out, const char *path)
{
    lede__input *in;
    lede__buf line = LEDE__BUF_INIT;
    int too_long, rc = lede__input_open(&in, path, &limits);
    FUZZ_CHECK(rc == 0);
    for (unsigned turn = 0;; turn++) {
        const char *p;
        size_t n;
        char buf[5];
        if (turn % 3 == 0) {
            if ((rc = lede__input_peek(in, &p, &n)) < 0)
                break;
            fuzz_touch(p, n);
            if ((rc = lede__input_read(in, buf, sizeof buf, &n)) < 0)
                break;
            if (n == 0)
                break;
            if (lede__buf_put(out, buf, n) < 0)
                abort();
        } else {
            if ((rc = lede__input_line(in, &line, 7, &too_long)) <= 0)
                break;
            FUZZ_CHECK(line.len <= 7);
            /* A cut line cannot be put back together: mark it. */
            if (lede__buf_put(out, line.data, line.len) < 0 ||
                lede__buf_puts(out, too_long ? "\x01\n" : "\n") < 0)
                abort();
        }
    }
    lede__buf_free(&line);
    lede__input_close(in);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    lede__buf all = LEDE__BUF_INIT, lines = LEDE__BUF_INIT;
    lede__buf mixed = LEDE__BUF_INIT;
    uint64_t hash, file_hash;
    int gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;

    int rc = read_all(&all, path, &hash);
    FUZZ_CHECK(rc == 0 || rc == LEDE_ECORRUPT || rc == LEDE_ELIMIT);
    FUZZ_CHECK(rc == 0 || lede_error_last()[0] != '\0');
    if (rc == 0) {
        FUZZ_CHECK(all.len <= limits.max_bytes);
        FUZZ_CHECK(lede__input_file_hash(&file_hash, path) == 0);
        FUZZ_CHECK(hash == file_hash);
        FUZZ_CHECK(hash == lede__hash(LEDE__HASH_INIT, data, size));
    }
    if (!gz) {
        /* Plain bytes pass through unchanged (and never fail). */
        FUZZ_CHECK(rc == 0 && all.len == size);
        FUZZ_CHECK(size == 0 || memcmp(all.data, data, size) == 0);
    }

    /* The expansion ratio is judged as the raw bytes come in, 64 KiB at a
     * time: readers that stop at other points may judge a larger file
     * differently. */
    int same = rc != LEDE_ELIMIT || size < 65536;
    int rl = read_lines(&lines, path);
    FUZZ_CHECK(!same || (rl < 0) == (rc < 0));
    if (rc == 0) {
        /* The lines and their '\n's are the bytes, plus a '\n' at the end
         * when the last line had none. */
        int add = all.len > 0 && all.data[all.len - 1] != '\n';
        FUZZ_CHECK(lines.len == all.len + (size_t)add);
        FUZZ_CHECK(all.len == 0 || memcmp(lines.data, all.data, all.len) == 0);
    }

    int rm = read_mixed(&mixed, path);
    FUZZ_CHECK(!same || (rm < 0) == (rc < 0));
    lede__buf_free(&all);
    lede__buf_free(&lines);
    lede__buf_free(&mixed);
    return 0;
}
