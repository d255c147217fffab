/*
 * libsync - sync an index with a corpus through liblede alone, as a
 * program other than lede-index would, for the tests of what the library
 * itself does after a failed commit (tests/cli/ioerr.sh).
 *
 * Usage: libsync INDEX_DIR CORPUS BATCH
 * Opens (or creates) INDEX_DIR for writing and syncs it with CORPUS,
 * committing every BATCH articles. Prints "synced" and exits 0, or
 * prints the library's message and exits 1 when the sync fails.
 */
#include "lede.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_sync_options so = LEDE_SYNC_OPTIONS_INIT;
    lede_sync_stats st;
    lede_index *idx;
    const char *roots[1];
    if (argc != 4 || atoi(argv[3]) < 1) {
        fprintf(stderr, "usage: libsync INDEX_DIR CORPUS BATCH\n");
        return 2;
    }
    io.mode = LEDE_OPEN_CREATE;
    so.batch = (size_t)atoi(argv[3]);
    roots[0] = argv[2];
    int rc = lede_index_open(&idx, argv[1], &io);
    if (rc == 0)
        rc = lede_index_sync(&st, idx, roots, 1, &so);
    if (rc < 0)
        printf("%s\n", lede_error_last());
    else
        printf("synced\n");
    lede_index_free(idx);
    return rc < 0 ? 1 : 0;
}
