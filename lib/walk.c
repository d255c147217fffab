/*
 * walk.c - which files of a corpus are inputs.
 *
 * Owns the directory walk of a sync: recursion in sorted order (the same
 * corpus always gives the same order), what is an input (a regular,
 * non-hidden file whose name gives a format, or any file when a format is
 * forced), and the policy for everything else: hidden files and files of
 * no known format are ignored; symbolic links are skipped unless asked
 * for, and then followed with loop detection, but only to a target inside
 * the corpus root: a link is not a way out of it; FIFOs, devices and sockets
 * named like inputs are skipped without being opened. Every skip and
 * ignore is reported with its reason. Each input gets its source key, the
 * absolute path by which the index remembers it. Calls reader.c (formats
 * by name), buf.c and error.c.
 */
#include "lede_int.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    lede__files *out;     /* inputs found */
    const char *root_abs; /* absolute root */
    lede_format forced;   /* format for every file, or AUTO */
    int follow;           /* follow symbolic links */
    lede__walk_fn fn;     /* reports */
    void *payload;        /* for fn */
    struct dir_id {
        dev_t dev; /* device */
        ino_t ino; /* inode */
    } * open;      /* the directories being walked, outermost first */
    size_t depth;  /* entries used in open */
    size_t cap;    /* entries allocated */
} walker;

static int report(walker *w, lede_sync_event_kind kind, const char *path,
                  const char *why)
{
    return w->fn ? w->fn(kind, path, why, w->payload) : 0;
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = lede__malloc(la + lb + 2);
    if (s == NULL)
        return NULL;
    memcpy(s, a, la);
    size_t k = la;
    if (la > 0 && lb > 0)
        s[k++] = '/';
    memcpy(s + k, b, lb + 1);
    return s;
}

static int add_file(walker *w, const char *path, const char *rel,
                    const char *key, const struct stat *st, lede_format format)
{
    lede__files *f = w->out;
    lede__file *v = lede__grow(f->v, &f->cap, f->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    f->v = v;
    lede__file *file = &f->v[f->n];
    memset(file, 0, sizeof *file);
    file->path = lede__strndup(path, strlen(path));
    file->rel = lede__strndup(rel, strlen(rel));
    file->key = key ? lede__strndup(key, strlen(key)) : join(w->root_abs, rel);
    if (file->path == NULL || file->rel == NULL || file->key == NULL) {
        lede__free(file->path);
        lede__free(file->rel);
        lede__free(file->key);
        return lede__error_nomem();
    }
    file->size = (uint64_t)st->st_size;
    file->mtime_ns =
        (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    file->format = format;
    f->n++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(walker *w, const char *dir, const char *rel,
                    const struct stat *dst);

/* Whether the absolute, resolved path is root or under it. */
static int inside(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n > 0 && root[n - 1] == '/') /* the root is "/" */
        n--;
    return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* One directory entry: path on disk, rel in the corpus. */
static int visit(walker *w, const char *path, const char *rel, const char *name)
{
    struct stat st;
    const char *open_path = path;
    char *resolved = NULL;
    int rc = 0;

    if (name[0] == '.')
        return report(w, LEDE_SYNC_IGNORED, path, "hidden");
    if (lstat(path, &st) != 0)
        return report(w, LEDE_SYNC_SKIPPED, path, strerror(errno));
    if (S_ISLNK(st.st_mode)) {
        if (!w->follow)
            return report(w, LEDE_SYNC_SKIPPED, path,
                          "symbolic link, not followed");
        if (stat(path, &st) != 0)
            return report(w, LEDE_SYNC_SKIPPED, path,
                          errno == ELOOP ? "symbolic link loop"
                                         : "dangling symbolic link");
        /* Inputs are opened without following links, so open the
         * target itself. */
        if ((resolved = realpath(path, NULL)) == NULL)
            return report(w, LEDE_SYNC_SKIPPED, path, strerror(errno));
        if (!inside(w->root_abs, resolved)) {
            free(resolved);
            return report(w, LEDE_SYNC_SKIPPED, path,
                          "symbolic link out of the corpus root, not "
                          "followed");
        }
        open_path = resolved;
    }
    if (S_ISDIR(st.st_mode)) {
        for (size_t i = 0; i < w->depth; i++) {
            if (w->open[i].dev == st.st_dev && w->open[i].ino == st.st_ino) {
                free(resolved);
                return report(w, LEDE_SYNC_SKIPPED, path,
                              "symbolic link loop (a directory inside "
                              "itself)");
            }
        }
        rc = walk_dir(w, open_path, rel, &st);
    } else {
        lede_format f = w->forced ? w->forced : lede_format_for_name(name);
        if (f == LEDE_FORMAT_AUTO)
            rc = report(w, LEDE_SYNC_IGNORED, path, "no known format");
        else if (!S_ISREG(st.st_mode))
            rc = report(w, LEDE_SYNC_SKIPPED, path,
                        S_ISFIFO(st.st_mode) ? "a FIFO, not a regular file"
                                             : "not a regular file");
        else
            rc = add_file(w, open_path, rel, NULL, &st, f);
    }
    free(resolved);
    return rc;
}

static int walk_dir(walker *w, const char *dir, const char *rel,
                    const struct stat *dst)
{
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if ((d = opendir(dir)) == NULL)
        return report(w, LEDE_SYNC_SKIPPED, dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char **more = lede__grow(names, &cap, n, sizeof *names);
        if (more == NULL) {
            rc = lede__error_nomem();
            break;
        }
        names = more;
        if ((names[n] = lede__strndup(e->d_name, strlen(e->d_name))) == NULL) {
            rc = lede__error_nomem();
            break;
        }
        n++;
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof *names, by_name);

    if (rc == 0) {
        struct dir_id *open =
            lede__grow(w->open, &w->cap, w->depth, sizeof *open);
        if (open == NULL)
            rc = lede__error_nomem();
        else
            w->open = open;
    }
    if (rc == 0) {
        w->open[w->depth].dev = dst->st_dev;
        w->open[w->depth].ino = dst->st_ino;
        w->depth++;
        for (size_t i = 0; i < n && rc == 0; i++) {
            char *path = join(dir, names[i]), *sub = join(rel, names[i]);
            rc = path && sub ? visit(w, path, sub, names[i])
                             : lede__error_nomem();
            lede__free(path);
            lede__free(sub);
        }
        w->depth--;
    }
    for (size_t i = 0; i < n; i++)
        lede__free(names[i]);
    lede__free(names);
    return rc;
}

int lede__walk(lede__files *out, const char *root, lede_format forced,
               int follow, lede__walk_fn fn, void *payload)
{
    walker w = {out, NULL, forced, follow, fn, payload, NULL, 0, 0};
    struct stat st;
    char *abs = NULL;
    int rc;

    if (stat(root, &st) != 0 || (abs = realpath(root, NULL)) == NULL)
        return lede__error_set(LEDE_EINVAL, "%s: %s", root, strerror(errno));
    w.root_abs = abs;
    if (S_ISDIR(st.st_mode)) {
        rc = walk_dir(&w, root, "", &st);
    } else if (S_ISREG(st.st_mode)) {
        /* A file given as a root is its own corpus: its id is its name. */
        const char *base = strrchr(abs, '/');
        base = base ? base + 1 : abs;
        lede_format f = forced ? forced : lede_format_for_name(base);
        if (f == LEDE_FORMAT_AUTO) {
            rc = lede__error_set(LEDE_EINVAL, "%s: no known format (name one)",
                                 root);
        } else {
            rc = add_file(&w, abs, base, abs, &st, f);
        }
    } else {
        rc =
            lede__error_set(LEDE_EINVAL, "%s: not a directory or a file", root);
    }
    free(abs);
    lede__free(w.open);
    return rc;
}

void lede__files_free(lede__files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        lede__free(f->v[i].path);
        lede__free(f->v[i].rel);
        lede__free(f->v[i].key);
    }
    lede__free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
}
