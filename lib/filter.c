/*
 * filter.c - which of a corpus's files a sync takes: include and exclude
 * patterns.
 *
 * Owns the pattern language and the patterns' place in an index: they are
 * kept in its metadata, like its settings, so that a later sync given no
 * patterns takes the same files as the one before it. A pattern is a glob
 * matched against a file's path relative to its corpus root, as rsync and
 * ripgrep match theirs (and .gitignore): '*' and '?' and '[...]' stay
 * inside one path component, '**' crosses them (and before a '/' also
 * matches no directory at all: "a/", "**", "/b" together match "a/b" and
 * "a/x/y/b"); a pattern without a '/' matches a name at any depth, one
 * with a '/' (a leading one is dropped) the path from the root; a pattern
 * that matches a directory matches everything under it, and one ending in
 * '/' matches directories only. Knows nothing of walking: sync.c asks about
 * each file the walk found. Calls buf.c, alloc.c, error.c and the shim.
 *
 * Stored value: one line per pattern, 'i' (include) or 'e' (exclude)
 * followed by the pattern, in the order given.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <string.h>

#define META_FILTER "lede:filter"

/* Longest pattern accepted: matching is recursive at each '*'. */
#define PATTERN_MAX 1024

/* The code point of the UTF-8 character at *s (an ill-formed byte stands
 * for itself); *s moves past it. */
static unsigned next_char(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned c = p[0];
    size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            n = 1;
            break;
        }
    }
    if (n > 1) {
        c &= 0xff >> (n + 1);
        for (size_t i = 1; i < n; i++)
            c = (c << 6) | (p[i] & 0x3f);
    }
    *s += n;
    return c;
}

/* The end of the bracket expression at p (just after its '['): the byte
 * after its ']', or NULL if it is never closed. */
static const char *bracket_end(const char *p)
{
    if (*p == '!' || *p == '^')
        p++;
    if (*p == ']')
        p++; /* a ']' first is one of the set */
    for (; *p != '\0' && *p != ']'; p++)
        if (*p == '\\' && p[1] != '\0')
            p++;
    return *p == ']' ? p + 1 : NULL;
}

/* Whether character c is in the bracket expression [p, end). */
static int in_bracket(const char *p, const char *end, unsigned c)
{
    int negate = *p == '!' || *p == '^', in = 0;
    if (negate)
        p++;
    end--; /* the closing ']' */
    int first = 1;
    while (p < end) {
        if (*p == '\\' && p + 1 < end)
            p++;
        else if (*p == ']' && !first)
            break;
        first = 0;
        unsigned lo = next_char(&p), hi = lo;
        if (*p == '-' && p + 1 < end) {
            p++;
            if (*p == '\\' && p + 1 < end)
                p++;
            hi = next_char(&p);
        }
        if (c >= lo && c <= hi)
            in = 1;
    }
    return in != negate;
}

/* Whether glob p matches all of s. */
static int glob(const char *p, const char *s)
{
    for (;;) {
        switch (*p) {
        case '\0':
            return *s == '\0';
        case '*':
            if (p[1] == '*') {
                while (*p == '*')
                    p++;
                /* "**" followed by '/' matches no directory as well. */
                if (*p == '/' && glob(p + 1, s))
                    return 1;
                for (;; s++) {
                    if (glob(p, s))
                        return 1;
                    if (*s == '\0')
                        return 0;
                }
            }
            p++;
            for (;; s++) {
                if (glob(p, s))
                    return 1;
                if (*s == '\0' || *s == '/')
                    return 0;
            }
        case '?':
            if (*s == '\0' || *s == '/')
                return 0;
            next_char(&s);
            p++;
            break;
        case '[': {
            const char *end = bracket_end(p + 1);
            if (end == NULL) { /* unclosed: a plain '[' */
                if (*s != '[')
                    return 0;
                p++;
                s++;
                break;
            }
            if (*s == '\0' || *s == '/')
                return 0;
            if (!in_bracket(p + 1, end, next_char(&s)))
                return 0;
            p = end;
            break;
        }
        case '\\':
            if (p[1] != '\0')
                p++;
            /* fall through */
        default:
            if (*p != *s)
                return 0;
            p++;
            s++;
        }
    }
}

/* A pattern ready to match: the glob, from the root, and whether it
 * matches directories only. */
static int compile(lede__buf *out, int *dir_only, const char *pat)
{
    size_t len = strlen(pat);
    *dir_only = len > 0 && pat[len - 1] == '/';
    if (*dir_only)
        len--;
    int anchored = memchr(pat, '/', len) != NULL;
    if (len > 0 && pat[0] == '/') {
        pat++;
        len--;
    }
    lede__buf_clear(out);
    int rc = anchored ? 0 : lede__buf_puts(out, "**/");
    if (rc == 0)
        rc = lede__buf_put(out, pat, len);
    return rc;
}

/* Whether the pattern matches rel or a directory rel is under. */
static int matches(lede__buf *scratch, const char *pat, const char *rel)
{
    int dir_only;
    if (compile(scratch, &dir_only, pat) < 0)
        return -1;
    size_t n = strlen(rel);
    char *path = lede__strndup(rel, n);
    if (path == NULL)
        return -1;
    int hit = !dir_only && glob(scratch->data, path);
    for (size_t i = n; i > 0 && !hit; i--) {
        if (path[i - 1] != '/')
            continue;
        path[i - 1] = '\0'; /* the directory's path */
        hit = glob(scratch->data, path);
    }
    lede__free(path);
    return hit;
}

/* A bad pattern's message. */
static int check_pattern(const char *pat)
{
    size_t len = strlen(pat);
    if (len == 0 || strcmp(pat, "/") == 0)
        return lede__error_set(LEDE_EINVAL, "empty pattern");
    if (len > PATTERN_MAX)
        return lede__error_set(LEDE_EINVAL,
                               "pattern '%.40s...' is over %d bytes", pat,
                               PATTERN_MAX);
    if (strchr(pat, '\n') != NULL)
        return lede__error_set(LEDE_EINVAL, "pattern holds a line break");
    if (lede__utf8_check(pat, len) != len)
        return lede__error_set(LEDE_EINVAL, "pattern '%s' is not UTF-8", pat);
    for (const char *p = pat; *p != '\0'; p++) {
        if (*p == '\\' && p[1] != '\0') {
            p++;
        } else if (*p == '[') {
            const char *end = bracket_end(p + 1);
            if (end == NULL)
                return lede__error_set(LEDE_EINVAL,
                                       "pattern '%s': '[' at byte %zu is "
                                       "never closed",
                                       pat, (size_t)(p - pat) + 1);
            p = end - 1;
        }
    }
    return 0;
}

static int add(char ***v, size_t *n, const char *pat)
{
    char **w = lede__realloc(*v, (*n + 1) * sizeof *w);
    if (w == NULL)
        return lede__error_nomem();
    *v = w;
    if ((w[*n] = lede__strndup(pat, strlen(pat))) == NULL)
        return lede__error_nomem();
    (*n)++;
    return 0;
}

int lede__filter_set(lede__filter *out, const char *const *include,
                     size_t ninclude, const char *const *exclude,
                     size_t nexclude)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < ninclude + nexclude && rc == 0; i++) {
        int inc = i < ninclude;
        const char *pat = inc ? include[i] : exclude[i - ninclude];
        if (pat == NULL)
            rc = lede__error_set(LEDE_EINVAL, "%s pattern %zu is NULL",
                                 inc ? "include" : "exclude",
                                 inc ? i : i - ninclude);
        else if ((rc = check_pattern(pat)) < 0)
            rc = lede__error_set(rc, "%s: %s", inc ? "include" : "exclude",
                                 lede_error_last());
        else
            rc = inc ? add(&out->include, &out->ninclude, pat)
                     : add(&out->exclude, &out->nexclude, pat);
    }
    if (rc < 0)
        lede__filter_free(out);
    return rc;
}

int lede__filter_load(lede__filter *out, lede__xdb *db)
{
    lede__buf v = LEDE__BUF_INIT;
    memset(out, 0, sizeof *out);
    int rc = lede__xdb_get_metadata(&v, db, META_FILTER);
    for (size_t i = 0; rc == 0 && i < v.len;) {
        char *nl = memchr(v.data + i, '\n', v.len - i);
        if (nl == NULL || nl == v.data + i ||
            (v.data[i] != 'i' && v.data[i] != 'e')) {
            rc = lede__error_set(LEDE_ECORRUPT,
                                 "the index's file patterns (%s) are "
                                 "damaged",
                                 META_FILTER);
            break;
        }
        *nl = '\0';
        rc = v.data[i] == 'i'
                 ? add(&out->include, &out->ninclude, v.data + i + 1)
                 : add(&out->exclude, &out->nexclude, v.data + i + 1);
        i = (size_t)(nl - v.data) + 1;
    }
    lede__buf_free(&v);
    if (rc < 0)
        lede__filter_free(out);
    return rc;
}

int lede__filter_store(lede__xdb *db, const lede__filter *f)
{
    lede__buf v = LEDE__BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < f->ninclude + f->nexclude && rc == 0; i++) {
        int inc = i < f->ninclude;
        rc =
            lede__buf_printf(&v, "%c%s\n", inc ? 'i' : 'e',
                             inc ? f->include[i] : f->exclude[i - f->ninclude]);
    }
    if (rc == 0)
        rc = lede__xdb_begin(db);
    if (rc == 0) /* Xapian deletes a key set to the empty value */
        rc =
            lede__xdb_set_metadata(db, META_FILTER, v.len ? v.data : "", v.len);
    lede__buf_free(&v);
    return rc;
}

static int same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

int lede__filter_equal(const lede__filter *a, const lede__filter *b)
{
    return same_list(a->include, a->ninclude, b->include, b->ninclude) &&
           same_list(a->exclude, a->nexclude, b->exclude, b->nexclude);
}

int lede__filter_takes(const lede__filter *f, const char *rel, lede__buf *why)
{
    lede__buf scratch = LEDE__BUF_INIT;
    int rc = 1, hit = 0;
    lede__buf_clear(why);
    for (size_t i = 0; i < f->nexclude && hit == 0; i++) {
        if ((hit = matches(&scratch, f->exclude[i], rel)) > 0)
            rc = lede__buf_printf(why, "excluded by '%s'", f->exclude[i]);
    }
    if (hit == 0 && f->ninclude > 0) {
        int in = 0;
        for (size_t i = 0; i < f->ninclude && in == 0; i++)
            in = matches(&scratch, f->include[i], rel);
        if (in < 0) {
            hit = -1;
        } else if (in == 0) { /* left out */
            rc = lede__buf_puts(why, "matches no include pattern");
            hit = 1;
        }
    }
    lede__buf_free(&scratch);
    if (hit < 0 || rc < 0)
        return lede__error_nomem();
    return hit ? 0 : 1;
}

int lede__filter_inherit(lede__xdb *to, lede__xdb *from)
{
    lede__filter f;
    int rc = lede__filter_load(&f, from);
    if (rc == 0 && f.ninclude + f.nexclude > 0)
        rc = lede__filter_store(to, &f);
    lede__filter_free(&f);
    return rc;
}

void lede__filter_free(lede__filter *f)
{
    for (size_t i = 0; i < f->ninclude; i++)
        lede__free(f->include[i]);
    for (size_t i = 0; i < f->nexclude; i++)
        lede__free(f->exclude[i]);
    lede__free(f->include);
    lede__free(f->exclude);
    memset(f, 0, sizeof *f);
}
