/*
 * fuzz_trec.c - fuzz target of the TREC and Reuters SGML reader
 * (fmt_trec.c).
 *
 * The input is a .trec file, read twice: with the default limits, and
 * with records of 64 bytes at most. Besides the checks of every format
 * (fuzz_read): ids and titles are one line, single-spaced and trimmed; a
 * body holds no control character but tab and line feed, and no white
 * space at either end; and the second reading gives the articles of the
 * first, some left out, none changed.
 */
#include "fuzz.h"

#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int is_control(char c)
{
    unsigned char u = (unsigned char)c;
    return u < 0x20 || u == 0x7f;
}

/* One line: no control character, no space at the ends or doubled. */
static void check_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(!is_control(s[i]));
        if (s[i] == ' ')
            FUZZ_CHECK(i > 0 && i + 1 < n && s[i + 1] != ' ');
    }
}

static void check_article(const lede_article *a)
{
    check_line(a->id, strlen(a->id));
    check_line(a->title, a->title_len);
    for (size_t i = 0; i < a->body_len; i++)
        FUZZ_CHECK(!is_control(a->body[i]) || a->body[i] == '\t' ||
                   a->body[i] == '\n');
    FUZZ_CHECK(a->body_len == 0 ||
               (!is_space(a->body[0]) && !is_space(a->body[a->body_len - 1])));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    fuzz_events all, small;

    memset(&all, 0, sizeof all);
    memset(&small, 0, sizeof small);
    all.check = small.check = check_article;
    int rc = fuzz_read(&all, path, LEDE_FORMAT_TREC, 0);
    int rs = fuzz_read(&small, path, LEDE_FORMAT_TREC, 64);
    FUZZ_CHECK(rs == rc);
    FUZZ_CHECK(fuzz_subsequence(&small, &all));
    fuzz_events_free(&all);
    fuzz_events_free(&small);
    return 0;
}
