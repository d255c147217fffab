/*
 * glass.c - the glass version file, read before Xapian reads it.
 *
 * Owns lede__glass_vet(): a check of the fields of INDEX/iamglass that
 * Xapian 1.4's glass backend uses without a bound when it opens a
 * database. A version file with a damaged B-tree level (any value up to
 * 2^30) makes Xapian index its fixed array of cursors with it and crash
 * before any check of its own can run, so `lede-index --check` reads the
 * file first and reports such damage instead. Knows the file's layout
 * (magic, format version, UUID, revision, then per table root block,
 * level and flags, entry count, block size, compression threshold and the
 * free list, then the statistics, all as Xapian's little-endian base-128
 * numbers) and nothing else of glass. Calls error.c.
 */
#include "lede_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "\x0f\x0dXapian Glass" and format version 2016-02-29 in two bytes. */
#define MAGIC "\x0f\x0dXapian Glass"
#define MAGIC_LEN 14
#define HEAD_LEN (MAGIC_LEN + 2 + 16) /* magic, format version, UUID */
/* Glass keeps a cursor per level in an array of this many (its
 * BTREE_CURSOR_LEVELS): a tree this deep would need more blocks than a
 * 32-bit block number can count. */
#define MAX_LEVELS 10
#define TABLES 6 /* postlist docdata termlist position spelling synonym */

static const char *const table_names[TABLES] = {
    "postlist", "docdata", "termlist", "position", "spelling", "synonym"};

/* One number, in Xapian's packed form: 7 bits a byte, the high bit
 * marking that more follow. */
static int unpack(const unsigned char **p, const unsigned char *end,
                  uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned c = *(*p)++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (c < 0x80) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

static int bad(const char *path, const char *what, const char *table)
{
    return lede__error_set(LEDE_ECORRUPT, "%s/iamglass: %s%s%s", path, what,
                           table ? " of table " : "", table ? table : "");
}

int lede__glass_vet(const char *path)
{
    unsigned char buf[256];
    char name[4096];
    struct stat st;

    if ((size_t)snprintf(name, sizeof name, "%s/iamglass", path) >= sizeof name)
        return lede__error_set(LEDE_EINVAL, "%s: path too long", path);
    int fd = open(name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return lede__error_set(errno == ENOENT ? LEDE_ENOTFOUND : LEDE_EIO,
                               "%s: %s", name, strerror(errno));
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0)
        return lede__error_set(LEDE_EIO, "%s: %s", name, strerror(errno));
    /* Xapian reads at most 256 bytes and judges the magic and the rest
     * itself; here only what it would use unchecked. */
    if (n < HEAD_LEN || memcmp(buf, MAGIC, MAGIC_LEN) != 0)
        return 0;
    const unsigned char *p = buf + HEAD_LEN, *end = buf + n;
    uint64_t rev;
    if (unpack(&p, end, &rev) < 0)
        return 0;
    for (int t = 0; t < TABLES; t++) {
        uint64_t root, flags, entries, bs, cmin, fl;
        if (unpack(&p, end, &root) < 0 || unpack(&p, end, &flags) < 0 ||
            unpack(&p, end, &entries) < 0 || unpack(&p, end, &bs) < 0 ||
            unpack(&p, end, &cmin) < 0 || unpack(&p, end, &fl) < 0 ||
            fl > (uint64_t)(end - p))
            return 0; /* Xapian refuses a short file itself */
        p += fl;
        if ((flags >> 2) >= MAX_LEVELS)
            return bad(path, "B-tree level out of range", table_names[t]);
        bs <<= 11;
        if (bs < 2048 || bs > 65536 || (bs & (bs - 1)) != 0)
            return bad(path, "block size out of range", table_names[t]);
        if (flags & 1)
            continue; /* an empty table: its root is not read */
        if ((size_t)snprintf(name, sizeof name, "%s/%s.glass", path,
                             table_names[t]) >= sizeof name)
            return lede__error_set(LEDE_EINVAL, "%s: path too long", path);
        if (stat(name, &st) == 0 && root >= (uint64_t)st.st_size / bs)
            return bad(path, "root block past the end", table_names[t]);
    }
    return 0;
}
