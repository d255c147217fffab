/*
 * search.c - search a lede index with the library.
 *
 *   cc search.c $(pkg-config --cflags --libs lede) -o search
 *   ./search INDEX_DIR QUERY
 *
 * Prints the best passages with their snippets (matches in [brackets]),
 * how the best score is made, or a spelling suggestion when nothing
 * matched. Exits 0 when something matched, 1 when nothing did, 2 on error.
 */
#include <lede.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    lede_search_options opts = LEDE_SEARCH_OPTIONS_INIT;
    lede_index *idx;
    lede_results *res;

    if (argc != 3) {
        fprintf(stderr, "usage: search INDEX_DIR QUERY\n");
        return 2;
    }
    printf("liblede %s (built against %s)\n", lede_version(), LEDE_VERSION);
    if (lede_index_open(&idx, argv[1], NULL) < 0) { /* read-only */
        fprintf(stderr, "search: %s\n", lede_error_last());
        return 2;
    }
    opts.limit = 5;
    opts.flags = LEDE_SEARCH_EXPLAIN;
    if (lede_search(&res, idx, argv[2], &opts) < 0) {
        fprintf(stderr, "search: %s\n", lede_error_last());
        lede_index_free(idx);
        return 2;
    }
    size_t n = lede_results_count(res);
    for (size_t i = 0; i < n; i++) {
        char *snippet;
        if (lede_results_snippet(&snippet, res, i, "[", "]") < 0)
            continue;
        printf("%zu. %s (%s, %.3f)\n   %s\n", i + 1, lede_results_title(res, i),
               lede_results_article_id(res, i), lede_results_score(res, i),
               snippet);
        lede_free(snippet);
    }
    if (n > 0) {
        size_t k;
        const lede_explain *ex = lede_results_explain(res, 0, &k);
        for (size_t i = 0; i < k; i++)
            printf("   %s: tf %llu, df %llu, weight %.3f\n", ex[i].term,
                   (unsigned long long)ex[i].tf, (unsigned long long)ex[i].df,
                   ex[i].weight);
    } else if (lede_results_suggestion(res) != NULL) {
        printf("no match; did you mean: %s\n", lede_results_suggestion(res));
    } else {
        printf("no match\n");
    }
    lede_results_free(res);
    lede_index_free(idx);
    return n > 0 ? 0 : 1;
}
