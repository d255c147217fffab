/*
 * lede-search's TREC run output (--format=trec): "qid Q0 id rank score
 * lede", one line per passage, as trec_eval reads it, with the fields'
 * whitespace, '%' and control characters percent-encoded.
 * Calls liblede (lede.h: the results' getters) and cli/visible.c.
 */
#include "../cli/visible.h"
#include "searcher.h"

#include <stdio.h>
#include <string.h>

/* A TREC run is six fields split at whitespace, so the whitespace of an
 * id (a file name with a space) is percent-encoded; so are '%', so that
 * the id can be decoded again and distinct ids stay distinct, and the
 * bytes of control characters and of invalid UTF-8, which a terminal
 * showing the run would act on. */
static void print_trec_field(const char *s)
{
    char buf[VIS_MAX];
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = vis_unit(buf, s + i, n - i);
        if (buf[0] || s[i] == '%' || s[i] == ' ') {
            for (size_t j = 0; j < k; j++)
                printf("%%%02X", (unsigned)(unsigned char)s[i + j]);
        } else {
            fwrite(s + i, 1, k, stdout);
        }
        i += k;
    }
}

void trec_print(const lede_results *res, size_t offset, const char *qid)
{
    for (size_t i = 0; i < lede_results_count(res); i++) {
        print_trec_field(qid);
        fputs(" Q0 ", stdout);
        print_trec_field(lede_results_article_id(res, i));
        printf(" %zu %.6f lede\n", offset + i + 1, lede_results_score(res, i));
    }
}
