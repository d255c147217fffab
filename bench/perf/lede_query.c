/*
 * lede_query.c - lede's query driver for the performance benchmark.
 *
 * Usage: lede_query INDEX_DIR QUERIES.tsv ROUNDS [SETTING...]
 *
 * Opens the index once, then runs every query of QUERIES.tsv (QID<TAB>
 * query: words, or a phrase in double quotes) ROUNDS times for the best
 * 10 articles with lede's defaults, and prints QID<TAB>MICROSECONDS<TAB>
 * HITS per query and round. The time is lede_search() alone, which
 * parses, ranks, folds near-duplicates, loads each hit's passage text and
 * title, and finds the query's words in it for highlights; snippets are
 * cut from those only when asked for, so that is not in it.
 *
 * SETTINGs change one option, to see what a query's time is made of:
 * proximity=X, title=X (title weight), per_article=N, ids (ids and scores
 * only: no text, no highlights), nohl (texts without highlights), nodedup,
 * threads=N (threads searching a set of local shards; 0: one a shard, at
 * most one a CPU).
 */
#include <lede.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    lede_index *idx = NULL;
    char **qid = NULL, **text = NULL, line[8192];
    size_t n = 0, cap = 0;
    int rounds;
    FILE *f;

    if (argc < 4 || (rounds = atoi(argv[3])) < 1) {
        fprintf(stderr, "usage: %s INDEX_DIR QUERIES.tsv ROUNDS [SETTING...]\n",
                argv[0]);
        return 2;
    }
    for (int i = 4; i < argc; i++) {
        const char *s = argv[i];
        if (strncmp(s, "proximity=", 10) == 0)
            so.proximity = atof(s + 10);
        else if (strncmp(s, "title=", 6) == 0)
            so.title_weight = atof(s + 6);
        else if (strncmp(s, "per_article=", 12) == 0)
            so.per_article = (unsigned)atoi(s + 12);
        else if (strncmp(s, "threads=", 8) == 0)
            so.threads = (unsigned)atoi(s + 8);
        else if (strcmp(s, "ids") == 0)
            so.flags |= LEDE_SEARCH_IDS_ONLY;
        else if (strcmp(s, "nodedup") == 0)
            so.flags |= LEDE_SEARCH_NO_DEDUP;
        else if (strcmp(s, "nohl") == 0)
            so.flags |= LEDE_SEARCH_NO_HIGHLIGHTS;
        else {
            fprintf(stderr, "lede_query: unknown setting %s\n", s);
            return 2;
        }
    }
    if ((f = fopen(argv[2], "r")) == NULL) {
        perror(argv[2]);
        return 2;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *tab = strchr(line, '\t');
        line[strcspn(line, "\n")] = '\0';
        if (tab == NULL)
            continue;
        *tab = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            qid = realloc(qid, cap * sizeof *qid);
            text = realloc(text, cap * sizeof *text);
            if (qid == NULL || text == NULL)
                return 1;
        }
        qid[n] = strdup(line);
        text[n] = strdup(tab + 1);
        if (qid[n] == NULL || text[n] == NULL)
            return 1;
        n++;
    }
    fclose(f);
    if (lede_index_open(&idx, argv[1], &io) < 0) {
        fprintf(stderr, "lede_query: %s\n", lede_error_last());
        return 2;
    }
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < n; i++) {
            lede_results *res = NULL;
            double t0 = now_us();
            int rc = lede_search(&res, idx, text[i], &so);
            double t1 = now_us();
            if (rc < 0) {
                fprintf(stderr, "lede_query: %s: %s\n", qid[i],
                        lede_error_last());
                return 1;
            }
            printf("%s\t%.1f\t%zu\n", qid[i], t1 - t0, lede_results_count(res));
            lede_results_free(res);
        }
    }
    lede_index_free(idx);
    for (size_t i = 0; i < n; i++) {
        free(qid[i]);
        free(text[i]);
    }
    free(qid);
    free(text);
    return 0;
}
