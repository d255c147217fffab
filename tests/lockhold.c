/*
 * lockhold - hold an index's write lock until killed, for the tests of
 * lede-index against a second writer. Usage: lockhold INDEX_DIR READY_FILE
 * Opens INDEX_DIR for writing, creates READY_FILE, then waits.
 */
#include "lede.h"

#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx;
    if (argc != 3) {
        fprintf(stderr, "usage: lockhold INDEX_DIR READY_FILE\n");
        return 2;
    }
    o.mode = LEDE_OPEN_CREATE;
    if (lede_index_open(&idx, argv[1], &o) < 0) {
        fprintf(stderr, "lockhold: %s\n", lede_error_last());
        return 1;
    }
    FILE *f = fopen(argv[2], "w");
    if (f == NULL || fclose(f) != 0)
        return 1;
    for (;;)
        pause();
}
