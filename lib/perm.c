/*
 * perm.c - who may read an index's files.
 *
 * Owns the permissions of an index. A directory lede creates is 0700 and
 * the files in it 0600, both less the umask, because an index holds the
 * text of every article and only its owner should read it. A directory
 * that existed before (made by an administrator, for a web application's
 * group, say) says who else may read: its files get the group's and
 * others' read bits of the directory, and its group, as the files of a
 * git repository shared with a group do (0750 gives 0640, 0700 gives
 * 0600). Xapian creates its files (tables, the lock, the version file it
 * rewrites at every commit) itself, with 0666 less the umask, so they are
 * set after the fact, after each open for writing and each commit. Also
 * tells a reader who cannot read an index so, rather than letting Xapian
 * call it no database. Knows nothing of Xapian or of what the files
 * hold. Calls error.c.
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
#include <unistd.h>

#define DIR_MODE 0700
#define FILE_MODE 0600
/* What a directory may grant beyond its owner: reading, never writing
 * (only lede's user writes an index). */
#define SHARE_MODE (S_IRGRP | S_IROTH)

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
    struct stat st, dst;

    if (d == NULL)
        return;
    if (fstat(dirfd(d), &dst) != 0) {
        closedir(d);
        return;
    }
    mode_t share = dst.st_mode & SHARE_MODE;
    while ((e = readdir(d)) != NULL) {
        /* The index directory is trusted (its owner is lede's user), so a
         * file is not replaced between the stat and the changes. */
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        /* Best effort: a file of another owner (in an index shared on
         * purpose), or a group lede's user is not in, is left as it is
         * rather than failing a commit that is already done. The group
         * first: changing it may clear mode bits. */
        if (share & S_IRGRP && st.st_gid != dst.st_gid)
            (void)fchownat(dirfd(d), e->d_name, (uid_t)-1, dst.st_gid,
                           AT_SYMLINK_NOFOLLOW);
        mode_t want = (st.st_mode & FILE_MODE) | share;
        if ((st.st_mode & 07777) != want)
            (void)fchmodat(dirfd(d), e->d_name, want, 0);
    }
    closedir(d);
}

int lede__perm_copy(const char *dir, const char *like)
{
    struct stat st;
    if (stat(like, &st) != 0)
        return lede__error_set(LEDE_EIO, "%s: cannot set its permissions: %s",
                               dir, strerror(errno));
    /* The group too, so that the readers it names still can; a group
     * lede's user is not in is beyond it, and the directory keeps its
     * own. */
    (void)chown(dir, (uid_t)-1, st.st_gid);
    if (chmod(dir, st.st_mode & 07777) != 0)
        return lede__error_set(LEDE_EIO, "%s: cannot set its permissions: %s",
                               dir, strerror(errno));
    lede__perm_restrict(dir);
    return 0;
}

int lede__perm_openable(const char *dir, int flags, const char *what)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;

    if (d == NULL)
        return errno == EACCES ? lede__error_set(LEDE_EIO, "%s: cannot %s: %s",
                                                 dir, what, strerror(errno))
                               : 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        /* Neither created nor truncated: opening is only a question. */
        int fd = openat(dirfd(d), e->d_name, flags | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0)
            close(fd);
        else if (errno == EACCES)
            rc = lede__error_set(LEDE_EIO, "%s: cannot %s: %s: %s", dir, what,
                                 e->d_name, strerror(errno));
    }
    closedir(d);
    return rc;
}
