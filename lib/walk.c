/*
 * walk.c - which files of a corpus are inputs.
 *
 * Owns the directory walk of a sync: recursion in sorted order (the same
 * corpus always gives the same order), what is an input (a regular,
 * non-hidden file whose name gives a format, or any file when a format is
 * forced), and the policy for everything else: hidden files, files of no
 * known format and symbolic links are ignored, unless links are asked
 * for, and then followed, but only to a target inside the corpus root: a
 * link is not a way out of it, and not a way back into what was walked
 * already (each directory and file, by device and inode, is visited
 * once, so links cannot multiply a corpus); FIFOs, devices and sockets
 * named like inputs are skipped without being opened. Every skip and
 * ignore is reported with its reason. Each input gets its source key, the
 * absolute path by which the index remembers it. Calls reader.c (formats
 * by name), strmap.c, alloc.c and error.c.
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
        dev_t dev;     /* device */
        ino_t ino;     /* inode */
    } * open;          /* the directories being walked, outermost first */
    size_t depth;      /* entries used in open */
    size_t cap;        /* entries allocated */
    lede__strmap seen; /* following links: directories and files
                          visited, by device and inode */
    int via_link;      /* walking what a link leads to */
    struct link {
        char *path;  /* the link on disk */
        char *rel;   /* in the corpus */
    } * links;       /* links met, followed after the real tree */
    size_t nlinks;   /* entries used */
    size_t caplinks; /* entries allocated */
} walker;

static int report(walker *w, lede_sync_event_kind kind, const char *path,
                  const char *why)
{
    return w->fn ? w->fn(kind, path, why, w->payload) : 0;
}

/* Mark the directory or file st as visited; 1 if it was already. */
static int visited(walker *w, const struct stat *st, int *rc)
{
    char key[64];
    int n =
        snprintf(key, sizeof key, "%c%jx:%jx", S_ISDIR(st->st_mode) ? 'd' : 'f',
                 (uintmax_t)st->st_dev, (uintmax_t)st->st_ino);
    if (lede__strmap_find(&w->seen, key, (size_t)n) != NULL)
        return 1;
    lede__strmap_entry *e;
    if ((*rc = lede__strmap_add(&e, &w->seen, key, (size_t)n, "", 0)) < 0)
        return 1;
    return 0;
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

/* Whether the link at path (a directory's entry) lies inside the
 * directory target (resolved), which would make it a loop. */
static int link_inside(const char *target, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? lede__strndup(path, (size_t)(slash - path))
                      : lede__strndup(".", 1);
    char *parent = dir ? realpath(*dir ? dir : "/", NULL) : NULL;
    int in = parent != NULL && inside(target, parent);
    free(parent);
    lede__free(dir);
    return in;
}

/* A directory or file to take in: open_path on disk, path to report, rel
 * in the corpus; link: it was reached through the symbolic link path. */
static int enter(walker *w, const char *open_path, const char *path,
                 const char *rel, const char *name, const struct stat *st,
                 int link)
{
    int rc = 0;
    if (S_ISDIR(st->st_mode)) {
        for (size_t i = 0; i < w->depth; i++) {
            if (w->open[i].dev == st->st_dev && w->open[i].ino == st->st_ino)
                return report(w, LEDE_SYNC_SKIPPED, path,
                              "symbolic link loop (a directory inside "
                              "itself)");
        }
        if (w->follow && visited(w, st, &rc)) {
            if (rc < 0)
                return rc;
            if (link && link_inside(open_path, path))
                return report(w, LEDE_SYNC_SKIPPED, path,
                              "symbolic link loop (a directory inside "
                              "itself)");
            return report(w, LEDE_SYNC_SKIPPED, path,
                          link ? "symbolic link to a directory walked "
                                 "already, not followed"
                               : "a directory walked already under "
                                 "another name");
        }
        return walk_dir(w, open_path, rel, st);
    }
    lede_format f = w->forced ? w->forced : lede_format_for_name(name);
    if (f == LEDE_FORMAT_AUTO)
        return report(w, LEDE_SYNC_IGNORED, path, "no known format");
    if (!S_ISREG(st->st_mode))
        return report(w, LEDE_SYNC_SKIPPED, path,
                      S_ISFIFO(st->st_mode) ? "a FIFO, not a regular file"
                                            : "not a regular file");
    /* A file in the real tree is read under its own name; one that a
     * link leads to again is not read a second time. */
    if (w->follow && visited(w, st, &rc) && w->via_link) {
        if (rc < 0)
            return rc;
        return report(w, LEDE_SYNC_SKIPPED, path,
                      link ? "symbolic link to a file read already, not "
                             "followed"
                           : "a file read already under another name");
    }
    if (rc < 0)
        return rc;
    return add_file(w, open_path, rel, NULL, st, f);
}

/* One directory entry: path on disk, rel in the corpus. A link is
 * followed only after the whole real tree is walked, so that whatever
 * is in the corpus is found under its own name first. */
static int visit(walker *w, const char *path, const char *rel, const char *name)
{
    struct stat st;

    if (name[0] == '.')
        return report(w, LEDE_SYNC_IGNORED, path, "hidden");
    if (lstat(path, &st) != 0)
        return report(w, LEDE_SYNC_SKIPPED, path, strerror(errno));
    if (!S_ISLNK(st.st_mode))
        return enter(w, path, path, rel, name, &st, 0);
    /* Not following links is the policy, not a failure: the link is
     * ignored (as rsync and ripgrep pass over theirs), so that a corpus
     * holding one does not end every nightly run with status 1. The
     * reason names the option, for the caller who wants them. */
    if (!w->follow)
        return report(w, LEDE_SYNC_IGNORED, path,
                      "symbolic link, not followed (--follow-symlinks "
                      "follows links inside the corpus)");
    struct link *v = lede__grow(w->links, &w->caplinks, w->nlinks, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    w->links = v;
    v[w->nlinks].path = lede__strndup(path, strlen(path));
    v[w->nlinks].rel = lede__strndup(rel, strlen(rel));
    if (v[w->nlinks].path == NULL || v[w->nlinks].rel == NULL) {
        lede__free(v[w->nlinks].path);
        lede__free(v[w->nlinks].rel);
        return lede__error_nomem();
    }
    w->nlinks++;
    return 0;
}

/* Follow a link met in the walk. */
static int follow_link(walker *w, const char *path, const char *rel)
{
    struct stat st;
    char *resolved;
    const char *name = strrchr(rel, '/');
    name = name ? name + 1 : rel;

    if (stat(path, &st) != 0)
        return report(w, LEDE_SYNC_SKIPPED, path,
                      errno == ELOOP ? "symbolic link loop"
                                     : "dangling symbolic link");
    /* Inputs are opened without following links, so open the target
     * itself. */
    if ((resolved = realpath(path, NULL)) == NULL)
        return report(w, LEDE_SYNC_SKIPPED, path, strerror(errno));
    int rc;
    if (!inside(w->root_abs, resolved))
        rc = report(w, LEDE_SYNC_SKIPPED, path,
                    "symbolic link out of the corpus root, not followed");
    else
        rc = enter(w, resolved, path, rel, name, &st, 1);
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
    walker w;
    struct stat st;
    char *abs = NULL;
    int rc;

    memset(&w, 0, sizeof w);
    w.out = out;
    w.forced = forced;
    w.follow = follow;
    w.fn = fn;
    w.payload = payload;
    w.seen = (lede__strmap)LEDE__STRMAP_INIT;
    if (stat(root, &st) != 0 || (abs = realpath(root, NULL)) == NULL)
        return lede__error_set(LEDE_EINVAL, "%s: %s", root, strerror(errno));
    w.root_abs = abs;
    if (S_ISDIR(st.st_mode)) {
        rc = 0;
        if (follow)
            visited(&w, &st, &rc); /* the root is walked already */
        if (rc == 0)
            rc = walk_dir(&w, root, "", &st);
        /* Links met in what a link leads to are added as they come. */
        w.via_link = 1;
        for (size_t i = 0; i < w.nlinks && rc == 0; i++)
            rc = follow_link(&w, w.links[i].path, w.links[i].rel);
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
    for (size_t i = 0; i < w.nlinks; i++) {
        lede__free(w.links[i].path);
        lede__free(w.links[i].rel);
    }
    lede__free(w.links);
    lede__strmap_free(&w.seen);
    return rc;
}

void lede__walk_files_free(lede__files *f)
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
