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
 * numbers) and nothing else of glass.
 *
 * Also owns what is in an index's directory before Xapian opens it: what
 * a failed creation left (removed, unless a creation is under way),
 * whether a directory may become an index, and symbolic links planted
 * where Xapian opens files. Calls buf.c and error.c.
 */
#include "lede_int.h"

#include <dirent.h>
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

/* What Xapian's glass backend leaves of a database whose creation failed
 * before its version file (iamglass) was written, out of memory or disk
 * full: the lock file, tables and temporaries. */
static int glass_leftover(const char *name)
{
    size_t n = strlen(name);
    return strcmp(name, "flintlock") == 0 ||
           (n > 6 && strcmp(name + n - 6, ".glass") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".tmp") == 0);
}

/* Remove a failed creation's leftovers, which Xapian refuses to create
 * over, unless a creation is under way in another process (it holds the
 * lock on flintlock, a whole-file write lock, which F_GETLK reports
 * whether it is a process or an open-file-description lock). */
static int remove_leftovers(const char *path)
{
    lede__buf p = LEDE__BUF_INIT;
    int rc = 0;
    if (lede__buf_printf(&p, "%s/flintlock", path) < 0)
        return lede__error_nomem();
    int fd = open(p.data, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        int held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
        close(fd);
        if (held) {
            lede__buf_free(&p);
            return lede__error_set(LEDE_ELOCKED,
                                   "%s: another process is creating this "
                                   "index",
                                   path);
        }
    }
    DIR *d = opendir(path);
    struct dirent *e;
    while (d != NULL && rc == 0 && (e = readdir(d)) != NULL) {
        if (!glass_leftover(e->d_name))
            continue;
        lede__buf_clear(&p);
        if (lede__buf_printf(&p, "%s/%s", path, e->d_name) < 0)
            rc = lede__error_nomem();
        else if (unlink(p.data) != 0 && errno != ENOENT)
            rc = lede__error_set(LEDE_EIO,
                                 "%s: cannot remove what a failed creation "
                                 "left: %s",
                                 p.data, strerror(errno));
    }
    if (d != NULL)
        closedir(d);
    lede__buf_free(&p);
    return rc;
}

/* Creating an index inside a directory that holds other files (a corpus,
 * say, after swapped arguments) would scatter database files among them.
 * A directory may become an index only if it is empty, already a Xapian
 * database, or what a failed creation left (which is cleared). */
int lede__glass_check_create(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int others = 0, xapian = 0, leftovers = 0;

    if (d == NULL)
        return 0; /* missing (to be created) or not a directory: Xapian
                     reports the latter */
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (strcmp(name, "iamglass") == 0 || strcmp(name, "iamchert") == 0)
            xapian = 1;
        else if (glass_leftover(name))
            leftovers = 1;
        else
            others = 1;
    }
    closedir(d);
    if (others && !xapian)
        return lede__error_set(LEDE_EINVAL,
                               "%s: directory is not empty and not an index; "
                               "refusing to create an index in it",
                               path);
    if (leftovers && !xapian)
        return remove_leftovers(path);
    return 0;
}

/* Xapian opens an index's files by name and follows symbolic links: a
 * link planted as the lock file would have a writer truncate whatever it
 * points to (Xapian opens the lock file with O_TRUNC), and one planted as
 * a table would have readers read it. So before every open, the files
 * Xapian opens must not be links. A writer then opens the lock file
 * itself, not following a link and without changing it, so that a lock
 * file it may not write (another user's, in a shared index) is reported
 * as what it is rather than as a lock someone holds. Whoever can write in
 * the directory can still swap a file between this check and Xapian's
 * open: the directory is trusted (docs/security.md). */
int lede__glass_check_files(const char *path, lede_open_mode mode)
{
    lede__buf p = LEDE__BUF_INIT;
    DIR *d = opendir(path);
    struct dirent *e;
    struct stat st;
    int rc = 0;

    while (d != NULL && rc == 0 && (e = readdir(d)) != NULL) {
        if (!glass_leftover(e->d_name) && strcmp(e->d_name, "iamglass") != 0)
            continue;
        lede__buf_clear(&p);
        if (lede__buf_printf(&p, "%s/%s", path, e->d_name) < 0)
            rc = lede__error_nomem();
        else if (lstat(p.data, &st) == 0 && S_ISLNK(st.st_mode))
            rc = lede__error_set(LEDE_EIO,
                                 "%s: is a symbolic link; lede does not open "
                                 "an index's files through links",
                                 p.data);
    }
    if (d != NULL)
        closedir(d);
    lede__buf_clear(&p);
    if (rc == 0 && mode != LEDE_OPEN_READ &&
        lede__buf_printf(&p, "%s/flintlock", path) < 0)
        rc = lede__error_nomem();
    if (rc == 0 && mode != LEDE_OPEN_READ) {
        int fd = open(p.data, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0)
            close(fd);
        else if (errno == ELOOP)
            rc = lede__error_set(LEDE_EIO,
                                 "%s: is a symbolic link; lede does not open "
                                 "an index's files through links",
                                 p.data);
        else if (errno != ENOENT && errno != ENOTDIR)
            rc = lede__error_set(LEDE_EIO, "%s: %s", p.data, strerror(errno));
    }
    lede__buf_free(&p);
    return rc;
}
