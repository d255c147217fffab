/*
 * fuzz_jsonl.c - fuzz target of the JSON Lines reader (fmt_jsonl.c).
 *
 * The input is a .jsonl file, read twice: with the default limits, and
 * with articles of 64 bytes at most. Besides the checks of every format
 * (fuzz_read), each article of a plain file comes from a line of its own,
 * and the second
 * reading gives the articles of the first, some left out, none changed.
 */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    fuzz_events all, small;
    size_t lines = 1;

    memset(&all, 0, sizeof all);
    memset(&small, 0, sizeof small);
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    int rc = fuzz_read(&all, path, LEDE_FORMAT_JSONL, 0);
    if (size < 2 || data[0] != 0x1f || data[1] != 0x8b) /* not gzip */
        FUZZ_CHECK(all.n <= lines);
    int rs = fuzz_read(&small, path, LEDE_FORMAT_JSONL, 64);
    FUZZ_CHECK(rs == rc);
    FUZZ_CHECK(fuzz_subsequence(&small, &all));
    fuzz_events_free(&all);
    fuzz_events_free(&small);
    return 0;
}
