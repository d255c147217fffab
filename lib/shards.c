/*
 * shards.c - shard sets: reading Xapian's stub database files.
 *
 * Owns the parsing of a shard set, which is a stub file in Xapian's own
 * format (one database a line: "auto PATH" or "remote HOST:PORT", blank
 * lines and "#" comments), given directly or as the XAPIANDB file of a
 * directory. lede reads the stub itself rather than letting Xapian open
 * it, so that each shard is opened on its own: a remote one with lede's
 * timeout, and one that cannot be opened named in the error, or left out
 * when partial results are allowed. Opening the shards and searching them
 * as one database is index.c's and the shim's. Calls buf.c and alloc.c.
 */
#include "lede_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The stub file of a directory, as Xapian names it. */
#define STUB_NAME "XAPIANDB"
/* The longest stub line read: a path, or a host and port. */
#define LINE_MAX_BYTES 4096

int lede__shards_is_set(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return 1;
    if (!S_ISDIR(st.st_mode))
        return 0;
    lede__buf p = LEDE__BUF_INIT;
    int set = lede__buf_printf(&p, "%s/%s", path, STUB_NAME) == 0 &&
              stat(p.data, &st) == 0 && S_ISREG(st.st_mode);
    lede__buf_free(&p);
    return set;
}

void lede__shards_free(lede__shardset *s)
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

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
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

int lede__shards_read(lede__shardset *out, const char *path)
{
    struct stat st;
    lede__buf dir = LEDE__BUF_INIT;
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    ssize_t len;
    FILE *f = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    lede__buf stub = LEDE__BUF_INIT;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = lede__buf_printf(&stub, "%s/%s", path, STUB_NAME);
        if (rc == 0)
            rc = lede__buf_puts(&dir, path);
    } else {
        /* Paths in a stub given directly are relative to its directory. */
        const char *slash = strrchr(path, '/');
        rc = lede__buf_puts(&stub, path);
        if (rc == 0)
            rc = slash == NULL ? lede__buf_puts(&dir, ".")
                 : slash == path
                     ? lede__buf_puts(&dir, "/")
                     : lede__buf_put(&dir, path, (size_t)(slash - path));
    }
    if (rc < 0) {
        lede__buf_free(&stub);
        goto done;
    }
    out->stub = stub.data;
    if ((f = fopen(out->stub, "r")) == NULL) {
        rc = lede__error_set(errno == ENOENT ? LEDE_ENOTFOUND : LEDE_EIO,
                             "%s: cannot read the shard set: %s", out->stub,
                             strerror(errno));
        goto done;
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (len > LINE_MAX_BYTES || strlen(line) != (size_t)len) {
            rc = lede__error_set(LEDE_EINVAL,
                                 "%s:%u: not a shard set line (too long, or "
                                 "binary)",
                                 out->stub, lineno);
            goto done;
        }
        while (len > 0 && is_blank(line[len - 1]))
            line[--len] = '\0';
        char *p = line;
        while (is_blank(*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        char *type = p;
        while (*p != '\0' && !is_blank(*p))
            p++;
        size_t type_len = (size_t)(p - type);
        while (is_blank(*p))
            p++;
        lede__shard *v = lede__realloc(out->v, (out->n + 1) * sizeof *v);
        if (v == NULL) {
            rc = lede__error_nomem();
            goto done;
        }
        out->v = v;
        lede__shard *sh = &v[out->n];
        memset(sh, 0, sizeof *sh);
        sh->lineno = lineno;
        out->n++;
        if ((sh->line = lede__strndup(type, strlen(type))) == NULL) {
            rc = lede__error_nomem();
            goto done;
        }
        if (*p == '\0') {
            rc = lede__error_set(LEDE_EINVAL,
                                 "%s:%u: '%s' names no database (auto PATH, "
                                 "or remote HOST:PORT)",
                                 out->stub, lineno, sh->line);
            goto done;
        }
        if ((rc = parse_line(sh, out, dir.data, type, type_len, p)) < 0)
            goto done;
    }
    if (ferror(f)) {
        rc = lede__error_set(LEDE_EIO, "%s: cannot read the shard set: %s",
                             out->stub, strerror(errno));
        goto done;
    }
    if (out->n == 0)
        rc = lede__error_set(LEDE_EINVAL, "%s: the shard set names no shard",
                             out->stub);
done:
    if (f != NULL)
        fclose(f);
    free(line); /* getline's, from the C library */
    lede__buf_free(&dir);
    if (rc < 0)
        lede__shards_free(out);
    return rc;
}
