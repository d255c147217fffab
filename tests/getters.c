/*
 * getters - print every result getter of liblede for a search, for the
 * end-to-end tests of edge articles (tests/cli/edge.sh), which compare
 * the output with a recorded one and also run it under valgrind.
 *
 * Usage: getters INDEX_DIR QUERY [PER_ARTICLE]
 * Prints, for each hit, its id, passage, offsets and score, then its
 * title, text, snippet (plain and with [ ] marks), highlights and
 * explanation, each string quoted with its byte length. Checks that
 * every string is valid UTF-8, that the text's length is end - start and
 * that every highlight lies inside the text on character boundaries;
 * exits 1 if one does not, 2 on an error of the library, 0 otherwise.
 */
#include "lede.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad; /* a check failed */

/* Print name "s" (N bytes), flagging invalid UTF-8. */
static void show(const char *name, const char *s)
{
    if (s == NULL) {
        printf("  %s NULL\n", name);
        bad = 1;
        return;
    }
    size_t len = strlen(s);
    printf("  %s \"%s\" (%zu bytes)", name, s, len);
    if (lede_utf8_check(s, len) != len) {
        printf(" INVALID UTF-8");
        bad = 1;
    }
    putchar('\n');
}

/* Is byte i of s the start of a character (or its end)? */
static int boundary(const char *s, size_t len, size_t i)
{
    return i == len || ((unsigned char)s[i] & 0xc0) != 0x80;
}

static int snippet(const lede_results *res, size_t i, const char *name,
                   const char *a, const char *b)
{
    char *s;
    if (lede_results_snippet(&s, res, i, a, b) < 0) {
        fprintf(stderr, "getters: snippet: %s\n", lede_error_last());
        return -1;
    }
    show(name, s);
    lede_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    lede_index *idx;
    lede_results *res;

    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: getters INDEX_DIR QUERY [PER_ARTICLE]\n");
        return 2;
    }
    if (argc == 4)
        so.per_article = (unsigned)strtoul(argv[3], NULL, 10);
    so.flags = LEDE_SEARCH_EXPLAIN;
    if (lede_index_open(&idx, argv[1], &io) < 0 ||
        lede_search(&res, idx, argv[2], &so) < 0) {
        fprintf(stderr, "getters: %s\n", lede_error_last());
        lede_index_free(idx);
        return 2;
    }
    int rc = 0;
    for (size_t i = 0; i < lede_results_count(res) && rc == 0; i++) {
        const char *text = lede_results_text(res, i);
        size_t start = lede_results_start(res, i);
        size_t end = lede_results_end(res, i);
        printf("%zu. %s #%u [%zu, %zu) score %.4f\n", i + 1,
               lede_results_article_id(res, i), lede_results_passage(res, i),
               start, end, lede_results_score(res, i));
        show("title", lede_results_title(res, i));
        show("text", text);
        size_t len = text ? strlen(text) : 0;
        if (start > end || len != end - start) {
            printf("  TEXT LENGTH %zu IS NOT end - start\n", len);
            bad = 1;
        }
        if (snippet(res, i, "snippet", NULL, NULL) < 0 ||
            snippet(res, i, "marked", "[", "]") < 0) {
            rc = 2;
            break;
        }
        size_t n;
        const lede_span *hl = lede_results_highlights(res, i, &n);
        printf("  highlights");
        for (size_t k = 0; k < n; k++) {
            printf(" [%zu, %zu)", hl[k].start, hl[k].end);
            if (hl[k].start >= hl[k].end || hl[k].end > len ||
                !boundary(text, len, hl[k].start) ||
                !boundary(text, len, hl[k].end)) {
                printf(" OUTSIDE THE TEXT");
                bad = 1;
            }
        }
        putchar('\n');
        const lede_explain *ex = lede_results_explain(res, i, &n);
        double sum = 0;
        printf("  explain");
        for (size_t k = 0; k < n; k++) {
            printf(" %s=%.4f", ex[k].term, ex[k].weight);
            sum += ex[k].weight;
        }
        printf(" (sum %.4f)\n", sum);
    }
    lede_results_free(res);
    lede_index_free(idx);
    return rc ? rc : bad;
}
