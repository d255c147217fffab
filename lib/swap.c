/*
 * swap.c - a new index or shard set, built beside the old one, put in its
 * place in one step.
 *
 * Owns the file-system side of rebuilding and compacting: clearing what
 * an interrupted build left beside the index (only if it is lede's),
 * exchanging two directories atomically with renameat2(RENAME_EXCHANGE),
 * so that a reader opening the path gets the old index or the new one,
 * never neither, and removing the old one afterwards. Readers that have
 * the old one open keep their open files, which stay readable after its
 * directory is removed. Also compacts an index into place, which is
 * such a build. What else is built, and the locks held meanwhile, are
 * rebuild.c's, shardset.c's and repair.c's. Calls perm.c, firstbuild.c,
 * alloc.c, error.c and the shim.
 */
#define _GNU_SOURCE /* renameat2 */

#include "lede_int.h"
#include "xapian_shim.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int lede__swap_remove(const char *path)
{
    return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Whether dir/name exists. */
static int has(const char *dir, const char *name)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

/* A leftover from an interrupted rebuild may be removed (an index, or a
 * shard set, which has its shards before its list of them); anything else
 * at that path is not ours to delete. */
int lede__swap_clear_leftover(const char *tmp)
{
    struct stat st;
    if (lstat(tmp, &st) != 0)
        return errno == ENOENT
                   ? 0
                   : lede__error_set(LEDE_EIO, "%s: %s", tmp, strerror(errno));
    char first[32]; /* a set's first shard, made before its stub */
    snprintf(first, sizeof first, LEDE_SHARD_NAME "/iamglass", 0u);
    if (!S_ISDIR(st.st_mode) ||
        !(has(tmp, "iamglass") || has(tmp, LEDE__STUB_NAME) || has(tmp, first)))
        return lede__error_set(LEDE_EINVAL,
                               "%s exists and is not a lede index; move it "
                               "away to rebuild",
                               tmp);
    if (lede__swap_remove(tmp) != 0)
        return lede__error_set(LEDE_EIO, "%s: cannot remove: %s", tmp,
                               strerror(errno));
    return 0;
}

int lede__swap_exchange(const char *a, const char *b, char **moved_old)
{
    *moved_old = NULL;
    if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return lede__error_set(LEDE_EIO, "cannot swap %s and %s: %s", a, b,
                               strerror(errno));
    /* No exchange on this file system: move the old index aside first. */
    size_t n = strlen(b) + 5;
    char *old = lede__malloc(n);
    if (old == NULL)
        return lede__error_nomem();
    snprintf(old, n, "%s.old", b);
    if (rename(b, old) != 0) {
        int rc = lede__error_set(LEDE_EIO, "cannot move %s aside: %s", b,
                                 strerror(errno));
        lede__free(old);
        return rc;
    }
    if (rename(a, b) != 0) {
        int rc = lede__error_set(LEDE_EIO, "cannot move %s to %s: %s", a, b,
                                 strerror(errno));
        rename(old, b);
        lede__free(old);
        return rc;
    }
    *moved_old = old;
    return 0;
}

int lede__swap_in(const char *tmp, const char *path, void (*release)(void *),
                  void *payload)
{
    char *moved = NULL;
    /* The index keeps its directory's mode: the new one was made 0700. */
    int rc = lede__perm_copy(tmp, path);
    if (rc == 0)
        rc = lede__swap_exchange(tmp, path, &moved);
    if (rc < 0) {
        lede__swap_remove(tmp);
        return rc;
    }
    /* The old one is now at tmp (or moved): unlock it, then remove. */
    if (release != NULL)
        release(payload);
    lede__swap_remove(moved ? moved : tmp);
    lede__free(moved);
    return 0;
}

int lede__swap_compact(lede__xdb *db, const char *path, void (*release)(void *),
                       void *payload)
{
    size_t n = strlen(path) + sizeof ".compact";
    char *tmp = lede__malloc(n);
    int rc;
    if (tmp == NULL)
        return lede__error_nomem();
    snprintf(tmp, n, "%s.compact", path);
    if ((rc = lede__swap_clear_leftover(tmp)) < 0 ||
        (rc = lede__perm_mkdir(tmp)) < 0)
        goto done;
    /* The mark of an unfinished first build goes with the copy, which is
     * swapped in whole: stopped before the swap, the index stays marked. */
    if ((rc = lede__xdb_compact(db, tmp)) < 0 ||
        (rc = lede__firstbuild_clear(tmp)) < 0) {
        lede__swap_remove(tmp);
        rc = lede__error_set(rc == LEDE_ENOMEM ? rc : LEDE_EIO,
                             "%s: cannot compact: %s", path, lede_error_last());
        goto done;
    }
    lede__perm_restrict(tmp);
    rc = lede__swap_in(tmp, path, release, payload);
done:
    lede__free(tmp);
    return rc;
}
