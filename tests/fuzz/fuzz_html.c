/*
 * fuzz_html.c - fuzz target of the HTML reader (fmt_html.c).
 *
 * The input is an .html page, read with the default limits and with 64
 * bytes at most. Besides the checks of every format (fuzz_read): a page
 * read is one article; its title is one line, its body paragraphs a blank
 * line apart, and both have their white space collapsed (one space
 * between words, nothing at either end), as fmt_html.c promises.
 */
#include "fuzz.h"

#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Collapsed text: white space only as one ' ' or (with paras) "\n\n"
 * between two other characters. */
static void check_collapsed(const char *s, size_t n, int paras)
{
    size_t i = 0;
    while (i < n) {
        if (!is_space(s[i])) {
            i++;
            continue;
        }
        FUZZ_CHECK(i > 0);
        if (s[i] == ' ') {
            i++;
        } else {
            FUZZ_CHECK(paras && s[i] == '\n' && i + 1 < n && s[i + 1] == '\n');
            i += 2;
        }
        FUZZ_CHECK(i < n && !is_space(s[i]));
    }
}

static void check_article(const lede_article *a)
{
    check_collapsed(a->title, a->title_len, 0);
    check_collapsed(a->body, a->body_len, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    fuzz_events all, small;

    memset(&all, 0, sizeof all);
    memset(&small, 0, sizeof small);
    all.check = small.check = check_article;
    int rc = fuzz_read(&all, path, LEDE_FORMAT_HTML, 0);
    FUZZ_CHECK(all.n == (rc == 0));
    int rs = fuzz_read(&small, path, LEDE_FORMAT_HTML, 64);
    FUZZ_CHECK(small.n == (rs == 0));
    FUZZ_CHECK(rs == rc || rs == LEDE_ELIMIT);
    FUZZ_CHECK(fuzz_subsequence(&small, &all));
    fuzz_events_free(&all);
    fuzz_events_free(&small);
    return 0;
}
