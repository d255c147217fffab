/*
 * index.c - build a small lede index with the library.
 *
 *   cc index.c $(pkg-config --cflags --libs lede) -o index
 *   ./index INDEX_DIR [CORPUS_DIR...]
 *
 * Adds three articles written here, then keeps INDEX_DIR in step with any
 * CORPUS_DIR given (as lede-index does), and prints what the index holds.
 */
#include <lede.h>

#include <stdio.h>
#include <string.h>

static const struct {
    const char *id, *title, *body;
    int64_t date;
} articles[] = {
    {"lighthouse", "Lighthouse keeper retires",
     "After forty years the keeper of the harbour lighthouse handed over "
     "the keys on Friday.\n\nThe light has been automatic since 1998.",
     1528761600},
    {"tides", "Spring tides expected",
     "Unusually high spring tides are expected along the coast this "
     "weekend, the harbour office said.",
     1528848000},
    {"ferry", "Ferry returns to service",
     "The island ferry is back in service after repairs to its engine.",
     LEDE_NO_DATE},
};

static int fail(const char *what)
{
    fprintf(stderr, "index: %s: %s\n", what, lede_error_last());
    return 1;
}

int main(int argc, char **argv)
{
    lede_index_options opts = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    lede_index_info info;

    if (argc < 2) {
        fprintf(stderr, "usage: index INDEX_DIR [CORPUS_DIR...]\n");
        return 2;
    }
    opts.mode = LEDE_OPEN_CREATE;
    opts.lock_wait_ms = 10000; /* wait up to 10 s for another writer */
    if (lede_index_open(&idx, argv[1], &opts) < 0)
        return fail("open");

    for (size_t i = 0; i < sizeof articles / sizeof *articles; i++) {
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = articles[i].id;
        a.title = articles[i].title;
        a.title_len = strlen(a.title);
        a.body = articles[i].body;
        a.body_len = strlen(a.body);
        a.date = articles[i].date;
        if (lede_index_add(idx, &a) < 0) {
            lede_index_free(idx); /* discards what was not committed */
            return fail("add");
        }
    }
    if (lede_index_commit(idx) < 0) {
        lede_index_free(idx);
        return fail("commit");
    }

    if (argc > 2) {
        lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
        lede_sync_stats st;
        so.delete_vanished = 0; /* keep the articles added above */
        if (lede_index_sync(&st, idx, (const char *const *)argv + 2,
                            (size_t)(argc - 2), &so) < 0) {
            lede_index_free(idx);
            return fail("sync");
        }
        printf("sync: %llu added, %llu updated, %llu skipped files\n",
               (unsigned long long)st.added, (unsigned long long)st.updated,
               (unsigned long long)st.skipped);
    }
    if (lede_index_stat(&info, idx) < 0) {
        lede_index_free(idx);
        return fail("stat");
    }
    printf("%s: %llu articles in %llu passages (%s)\n", argv[1],
           (unsigned long long)info.articles, (unsigned long long)info.passages,
           info.language);
    lede_index_free(idx);
    return 0;
}
