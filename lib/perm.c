/*
 * perm.c - who may read an index's files.
 *
 * Owns the permissions of an index: its directory is created 0700 and the
 * files in it are made 0600, both less the umask, because an index holds
 * the text of every article and only its owner should read it. Xapian
 * creates its files (tables, the lock, the version file it rewrites at
 * every commit) itself, with 0666 less the umask, so they are restricted
 * after the fact, after each open for writing and each commit. Knows
 * nothing of Xapian or of what the files hold. Calls error.c.
 *
 * The umask is never read or set: umask() is process-wide, and setting it
 * for a moment would race with other threads creating files (a program
 * may build several indexes at once, or write files of its own). Masking
 * the mode a file was created with gives the same result without it:
 * (0666 & ~umask) & 0600 is 0600 & ~umask.
 */
#include "lede_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#define DIR_MODE 0700
#define FILE_MODE 0600

int lede__perm_mkdir(const char *path)
{
    /* Made here, not by Xapian (which would use 0755): between its
     * creation and the first restriction the files are readable only if
     * the directory lets others in. */
    if (mkdir(path, DIR_MODE) == 0 || errno == EEXIST)
        return 0;
    return lede__error_set(errno == ENOENT ? LEDE_ENOTFOUND : LEDE_EIO,
                           "%s: cannot create the index directory: %s", path,
                           strerror(errno));
}

void lede__perm_restrict(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat st;

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        /* The index directory is trusted (its owner is lede's user), so a
         * file is not replaced between the stat and the chmod. */
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode) || (st.st_mode & 07777 & ~FILE_MODE) == 0)
            continue;
        /* Best effort: a file of another owner (in an index shared on
         * purpose) is left as it is rather than failing a commit that is
         * already done. */
        (void)fchmodat(dirfd(d), e->d_name, st.st_mode & FILE_MODE, 0);
    }
    closedir(d);
}

int lede__perm_copy(const char *dir, const char *like)
{
    struct stat st;
    if (stat(like, &st) != 0 || chmod(dir, st.st_mode & 07777) != 0)
        return lede__error_set(LEDE_EIO, "%s: cannot set its permissions: %s",
                               dir, strerror(errno));
    return 0;
}
