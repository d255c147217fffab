/*
 * stub.c - Xapian's stub database file: the list of a shard set's shards,
 * read and written.
 *
 * Owns the stub format (one database a line: "auto PATH" or "remote
 * HOST:PORT", blank lines and "#" comments) and its name in a set's
 * directory, XAPIANDB. Two readers share one line splitter: any stub, as
 * a search opens it (given directly or as a directory's XAPIANDB), and a
 * set lede made, which must list shard-000, shard-001, ... in order. lede
 * reads the stub itself rather than letting Xapian open it, so that each
 * shard is opened on its own: a remote one with lede's timeout, and one
 * that cannot be opened named in the error, or left out when partial
 * results are allowed. Writes a set's stub atomically. Opening the shards
 * is shardopen.c's; making, syncing and checking a set is shardset.c's.
 * Calls buf.c, alloc.c and error.c.
 */
#include "lede_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The stub being written, renamed over LEDE__STUB_NAME when complete. */
#define STUB_TMP LEDE__STUB_NAME ".tmp"
/* The longest stub line read: a path, or a host and port. */
#define LINE_MAX_BYTES 4096
/* The digits after "shard-" in a shard's directory name. */
#define SHARD_PREFIX "shard-"
#define SHARD_DIGITS 3

/* A stub being read line by line. */
typedef struct {
    const char *path; /* the stub's path, for messages */
    FILE *f;          /* open on it */
    char *line;       /* the current line (getline's) */
    size_t cap;       /* allocated for it */
    unsigned lineno;  /* its number, from 1 */
} stub_lines;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void lines_close(stub_lines *s)
{
    if (s->f != NULL)
        fclose(s->f);
    free(s->line); /* getline's, from the C library */
    memset(s, 0, sizeof *s);
}

/* The next line that names a database: *type points at the line,
 * trimmed, whose first word (type_len bytes) is the database's type, and
 * *arg at the rest after the blanks that follow it ("" when none). 1 for such a
 * line, 0 at the end; LEDE_EINVAL for a line too long or holding a NUL byte,
 * LEDE_EIO if reading fails. */
static int next_entry(stub_lines *s, char **type, size_t *type_len, char **arg)
{
    ssize_t len;
    while ((len = getline(&s->line, &s->cap, s->f)) >= 0) {
        s->lineno++;
        if (len > LINE_MAX_BYTES || strlen(s->line) != (size_t)len)
            return lede__error_set(LEDE_EINVAL,
                                   "%s:%u: not a shard set line (too long, "
                                   "or binary)",
                                   s->path, s->lineno);
        char *line = s->line;
        while (len > 0 && is_blank(line[len - 1]))
            line[--len] = '\0';
        char *p = line;
        while (is_blank(*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        *type = p;
        while (*p != '\0' && !is_blank(*p))
            p++;
        *type_len = (size_t)(p - *type);
        while (is_blank(*p))
            p++;
        *arg = p;
        return 1;
    }
    if (ferror(s->f))
        return lede__error_set(LEDE_EIO, "%s: cannot read the shard set: %s",
                               s->path, strerror(errno));
    return 0;
}

int lede__stub_is_set(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return 1;
    if (!S_ISDIR(st.st_mode))
        return 0;
    lede__buf p = LEDE__BUF_INIT;
    int set = lede__buf_printf(&p, "%s/%s", path, LEDE__STUB_NAME) == 0 &&
              stat(p.data, &st) == 0 && S_ISREG(st.st_mode);
    lede__buf_free(&p);
    return set;
}

void lede__stub_free(lede__shardset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        lede__free(s->v[i].line);
        lede__free(s->v[i].path);
        lede__free(s->v[i].host);
    }
    lede__free(s->v);
    lede__free(s->stub);
    memset(s, 0, sizeof *s);
}

/* Fill sh from the words of one stub line: the type and its argument. */
static int parse_line(lede__shard *sh, const lede__shardset *s, const char *dir,
                      const char *type, size_t type_len, const char *arg)
{
    if ((type_len == 4 && memcmp(type, "auto", 4) == 0) ||
        (type_len == 5 && memcmp(type, "glass", 5) == 0)) {
        lede__buf p = LEDE__BUF_INIT;
        int rc = arg[0] == '/' ? lede__buf_puts(&p, arg)
                               : lede__buf_printf(&p, "%s/%s", dir, arg);
        if (rc < 0) {
            lede__buf_free(&p);
            return rc;
        }
        sh->path = p.data;
        return 0;
    }
    if (type_len == 6 && memcmp(type, "remote", 6) == 0 && arg[0] != ':') {
        const char *colon = strrchr(arg, ':');
        char *end;
        errno = 0;
        unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
        if (colon == NULL || colon == arg || colon[1] == '\0' || *end != '\0' ||
            errno != 0 || port == 0 || port > 65535)
            return lede__error_set(LEDE_EINVAL,
                                   "%s:%u: '%s' is not HOST:PORT (a port from "
                                   "1 to 65535)",
                                   s->stub, sh->lineno, arg);
        const char *host = arg;
        size_t host_len = (size_t)(colon - arg);
        if (host_len > 2 && host[0] == '[' && host[host_len - 1] == ']') {
            host++; /* an IPv6 address, [::1]:port */
            host_len -= 2;
        }
        if ((sh->host = lede__strndup(host, host_len)) == NULL)
            return lede__error_nomem();
        sh->port = (unsigned)port;
        return 0;
    }
    return lede__error_set(LEDE_EINVAL,
                           "%s:%u: '%s' is not a shard lede can open (auto "
                           "PATH, or remote HOST:PORT for xapian-tcpsrv)",
                           s->stub, sh->lineno, sh->line);
}

/* The stub of path (the file itself, or a directory's LEDE__STUB_NAME)
 * into *stub, and the directory its relative paths start from into *dir. */
static int stub_of(lede__buf *stub, lede__buf *dir, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        int rc = lede__buf_printf(stub, "%s/%s", path, LEDE__STUB_NAME);
        return rc < 0 ? rc : lede__buf_puts(dir, path);
    }
    /* Paths in a stub given directly are relative to its directory. */
    const char *slash = strrchr(path, '/');
    int rc = lede__buf_puts(stub, path);
    if (rc < 0)
        return rc;
    return slash == NULL   ? lede__buf_puts(dir, ".")
           : slash == path ? lede__buf_puts(dir, "/")
                           : lede__buf_put(dir, path, (size_t)(slash - path));
}

int lede__stub_read(lede__shardset *out, const char *path)
{
    lede__buf stub = LEDE__BUF_INIT, dir = LEDE__BUF_INIT;
    stub_lines in;
    char *type, *arg;
    size_t type_len;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&in, 0, sizeof in);
    if ((rc = stub_of(&stub, &dir, path)) < 0) {
        lede__buf_free(&stub);
        goto done;
    }
    out->stub = stub.data;
    in.path = out->stub;
    if ((in.f = fopen(out->stub, "r")) == NULL) {
        rc = lede__error_set(errno == ENOENT ? LEDE_ENOTFOUND : LEDE_EIO,
                             "%s: cannot read the shard set: %s", out->stub,
                             strerror(errno));
        goto done;
    }
    while ((rc = next_entry(&in, &type, &type_len, &arg)) == 1) {
        lede__shard *v = lede__realloc(out->v, (out->n + 1) * sizeof *v);
        if (v == NULL) {
            rc = lede__error_nomem();
            goto done;
        }
        out->v = v;
        lede__shard *sh = &v[out->n];
        memset(sh, 0, sizeof *sh);
        sh->lineno = in.lineno;
        out->n++;
        if ((sh->line = lede__strndup(type, strlen(type))) == NULL) {
            rc = lede__error_nomem();
            goto done;
        }
        if (*arg == '\0') {
            rc = lede__error_set(LEDE_EINVAL,
                                 "%s:%u: '%s' names no database (auto PATH, "
                                 "or remote HOST:PORT)",
                                 out->stub, in.lineno, sh->line);
            goto done;
        }
        if ((rc = parse_line(sh, out, dir.data, type, type_len, arg)) < 0)
            goto done;
    }
    if (rc == 0 && out->n == 0)
        rc = lede__error_set(LEDE_EINVAL, "%s: the shard set names no shard",
                             out->stub);
done:
    lines_close(&in);
    lede__buf_free(&dir);
    if (rc < 0)
        lede__stub_free(out);
    return rc;
}

int lede__stub_shard_number(const char *name)
{
    size_t plen = strlen(SHARD_PREFIX);
    if (strlen(name) != plen + SHARD_DIGITS ||
        strncmp(name, SHARD_PREFIX, plen) != 0)
        return -1;
    int k = 0;
    for (const char *p = name + plen; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        k = k * 10 + (*p - '0');
    }
    return k;
}

/* dir + "/" + name, allocated (lede__free()), or NULL. */
static char *join(const char *dir, const char *name)
{
    lede__buf p = LEDE__BUF_INIT;
    if (lede__buf_printf(&p, "%s/%s", dir, name) < 0) {
        lede__buf_free(&p);
        return NULL;
    }
    return p.data;
}

int lede__stub_count(unsigned *out, const char *dir)
{
    stub_lines in;
    char *type, *arg;
    size_t type_len;
    unsigned n = 0;
    int rc;

    *out = 0;
    memset(&in, 0, sizeof in);
    char *path = join(dir, LEDE__STUB_NAME);
    if (path == NULL)
        return lede__error_nomem();
    in.path = path;
    if ((in.f = fopen(path, "r")) == NULL) {
        rc = errno == ENOENT || errno == ENOTDIR
                 ? lede__error_set(LEDE_ENOTFOUND, "%s: not a shard set", dir)
                 : lede__error_set(LEDE_EIO, "%s: %s", path, strerror(errno));
        lede__free(path);
        return rc;
    }
    while ((rc = next_entry(&in, &type, &type_len, &arg)) == 1) {
        char want[32];
        snprintf(want, sizeof want, LEDE_SHARD_NAME, n);
        if (type_len != 4 || memcmp(type, "auto", 4) != 0 ||
            strcmp(arg, want) != 0) {
            rc = lede__error_set(LEDE_ECORRUPT,
                                 "%s: line %u is not 'auto %s': not a shard "
                                 "set that lede made",
                                 path, in.lineno, want);
            break;
        }
        if (++n > LEDE_SHARDS_MAX) {
            rc = lede__error_set(LEDE_ECORRUPT, "%s: over %d shards", path,
                                 LEDE_SHARDS_MAX);
            break;
        }
    }
    if (rc == LEDE_EINVAL) /* a line too long, or binary */
        rc = lede__error_set(LEDE_ECORRUPT, "%s", lede_error_last());
    if (rc == 0 && n == 0)
        rc = lede__error_set(LEDE_ECORRUPT, "%s: lists no shards", path);
    lines_close(&in);
    lede__free(path);
    if (rc == 0)
        *out = n;
    return rc;
}

int lede__stub_write(const char *dir, unsigned n)
{
    lede__buf text = LEDE__BUF_INIT;
    char line[32];
    int rc = 0, fd = -1;
    char *tmp = join(dir, STUB_TMP), *path = join(dir, LEDE__STUB_NAME);

    if (tmp == NULL || path == NULL) {
        rc = lede__error_nomem();
        goto done;
    }
    for (unsigned k = 0; k < n && rc == 0; k++) {
        snprintf(line, sizeof line, "auto " LEDE_SHARD_NAME "\n", k);
        rc = lede__buf_puts(&text, line);
    }
    if (rc < 0)
        goto done;
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = lede__error_set(LEDE_EIO, "%s: %s", tmp, strerror(errno));
        goto done;
    }
    for (size_t off = 0; off < text.len;) {
        ssize_t w = write(fd, text.data + off, text.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            rc = lede__error_set(LEDE_EIO, "%s: %s", tmp, strerror(errno));
            goto done;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        fd = -1;
        rc = lede__error_set(LEDE_EIO, "%s: %s", tmp, strerror(errno));
        goto done;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = lede__error_set(LEDE_EIO, "%s: %s", path, strerror(errno));
        goto done;
    }
    /* The rename itself is durable once the directory is. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
done:
    if (fd >= 0)
        close(fd);
    if (rc < 0 && tmp != NULL)
        unlink(tmp);
    lede__buf_free(&text);
    lede__free(tmp);
    lede__free(path);
    return rc;
}

int lede__stub_is_tmp(const char *name)
{
    return strcmp(name, STUB_TMP) == 0;
}
