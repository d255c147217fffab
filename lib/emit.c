/*
 * emit.c - what a format parser hands on while it reads a file: articles,
 * warnings, dates and text made UTF-8.
 *
 * Owns the callback side of a read (lede__reader, filled in by reader.c):
 * an article goes to the caller's callback, with an id the file gave
 * before reported and a one-article file's date from its name filled in;
 * a problem goes as a warning or a skipped part at its line; a date field
 * is parsed or warned about; text is taken as UTF-8, converted or
 * repaired by the encoding option, with one warning a file. Choosing the
 * format and opening the file are reader.c's; the formats are fmt_*.c.
 * Field values are gathered here for the next article: trimmed, checked
 * against the limits, and freed once it is given. Calls input.c (how far the
 * file is read), date.c, charset.c, strmap.c, buf.c, alloc.c and error.c.
 */
#include "lede_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Ids a file may repeat are looked for among its first this many
 * articles, which bounds the memory a file of millions of lines takes. */
#define IDS_MAX ((size_t)1 << 20)

/* A second article with an id the file gave before replaces the first
 * (the last one wins, as in an index), and the caller is told where both
 * are: a duplicate id is more often a mistake than an intended update. */
static int check_duplicate(lede__reader *r, const char *id, uint64_t line)
{
    lede__strmap_entry *e;
    size_t len = strlen(id);
    int rc;

    if ((e = lede__strmap_find(&r->ids, id, len)) != NULL) {
        uint64_t first = e->count;
        e->count = line;
        return lede__emit_warning(
            r, line, LEDE_WARN_DUPLICATE_ID,
            "duplicate id '%.*s' (also at line %llu); this article, at line "
            "%llu, replaces that one",
            (int)(len > 200 ? 200 : len), id, (unsigned long long)first,
            (unsigned long long)line);
    }
    if (r->ids.n >= IDS_MAX)
        return 0;
    if ((rc = lede__strmap_add(&e, &r->ids, id, len, "", 0)) < 0)
        return rc;
    e->count = line;
    return 0;
}

void lede__emit_fields_clear(lede__reader *r)
{
    for (size_t i = 0; i < r->nfields; i++) {
        lede__free((char *)r->fields[i].name);
        lede__free((char *)r->fields[i].value);
    }
    r->nfields = 0;
    r->fields_full = 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

int lede__emit_field(lede__reader *r, uint64_t line, const char *name,
                     const char *value, size_t len)
{
    lede__buf v = LEDE__BUF_INIT;
    int rc;
    while (len > 0 && is_space((unsigned char)value[0])) {
        value++;
        len--;
    }
    while (len > 0 && is_space((unsigned char)value[len - 1]))
        len--;
    /* "By Lois Lane" is the author Lois Lane. */
    if (strcmp(name, "author") == 0 && len > 3 &&
        (value[0] == 'B' || value[0] == 'b') &&
        (value[1] == 'Y' || value[1] == 'y') && value[2] == ' ') {
        value += 3;
        len -= 3;
    }
    if (len == 0)
        return 0;
    if (memchr(value, '\0', len) != NULL) /* a C string cannot hold it */
        return lede__emit_warning(r, line, LEDE_WARN_FIELD,
                                  "field %s: a value holds a NUL character; "
                                  "left out",
                                  name);
    if ((rc = lede__utf8_sanitize(&v, value, len, NULL)) < 0)
        return rc;
    if (v.len > LEDE_FIELD_VALUE_MAX) {
        rc = lede__emit_warning(r, line, LEDE_WARN_FIELD,
                                "field %s: a value of %zu bytes is over the "
                                "limit of %d; left out",
                                name, v.len, LEDE_FIELD_VALUE_MAX);
        lede__buf_free(&v);
        return rc;
    }
    for (size_t i = 0; i < r->nfields; i++) {
        if (strcmp(r->fields[i].name, name) == 0 &&
            strcmp(r->fields[i].value, v.data) == 0) {
            lede__buf_free(&v);
            return 0; /* given twice: once is enough for a filter */
        }
    }
    if (r->nfields == LEDE_FIELDS_MAX) {
        int said = r->fields_full;
        r->fields_full = 1;
        lede__buf_free(&v);
        return said ? 0
                    : lede__emit_warning(r, line, LEDE_WARN_FIELD,
                                         "more than %d field values; the "
                                         "rest are left out",
                                         LEDE_FIELDS_MAX);
    }
    lede_field *f = lede__grow(r->fields, &r->capfields, r->nfields, sizeof *f);
    char *n = f ? lede__strndup(name, strlen(name)) : NULL;
    if (n == NULL) {
        lede__buf_free(&v);
        return lede__error_nomem();
    }
    r->fields = f;
    f[r->nfields++] = (lede_field){n, v.data};
    return 0;
}

/* A text file's folder in its corpus path ("politics" of
 * "politics/002.txt"), as its section unless it has one. */
static int folder_section(lede__reader *r, uint64_t line)
{
    const char *path = r->opt->corpus_path;
    const char *slash = path ? strrchr(path, '/') : NULL;
    for (size_t i = 0; i < r->nfields; i++)
        if (strcmp(r->fields[i].name, "section") == 0)
            return 0;
    return slash == NULL ? 0
                         : lede__emit_field(r, line, "section", path,
                                            (size_t)(slash - path));
}

int lede__emit_article(lede__reader *r, const lede_article *a, uint64_t line)
{
    lede_article v = *a;
    int rc;
    if (a->id != NULL && (rc = check_duplicate(r, a->id, line)) != 0)
        goto done;
    if (r->folder_section && (rc = folder_section(r, line)) != 0)
        goto done;
    if (a->date == LEDE_NO_DATE && r->name_date != LEDE_NO_DATE)
        v.date = r->name_date;
    v.fields = r->fields;
    v.n_fields = r->nfields;
    if (v.path == NULL)
        v.path = r->opt->corpus_path;
    lede_read_event ev = {&v,   line,           0,
                          NULL, LEDE_WARN_NONE, lede__input_consumed(r->in)};
    rc = r->cb(&ev, r->payload);
done:
    lede__emit_fields_clear(r);
    return rc;
}

static int report(lede__reader *r, uint64_t line, int code, lede_warning kind,
                  const char *fmt, va_list ap) LEDE__PRINTF(5, 0);

static int report(lede__reader *r, uint64_t line, int code, lede_warning kind,
                  const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    lede_read_event ev = {NULL, line, code,
                          msg,  kind, lede__input_consumed(r->in)};
    return r->cb(&ev, r->payload);
}

int lede__emit_problem(lede__reader *r, uint64_t line, int code,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = report(r, line, code, LEDE_WARN_NONE, fmt, ap);
    va_end(ap);
    lede__emit_fields_clear(r); /* the part they were of is skipped */
    return rc;
}

int lede__emit_warning(lede__reader *r, uint64_t line, lede_warning kind,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = report(r, line, 0, kind, fmt, ap);
    va_end(ap);
    return rc;
}

int lede__emit_date(lede__reader *r, uint64_t line, const char *s, size_t len,
                    int64_t *out)
{
    if (lede__date_parse(out, s, len) == 0)
        return 0;
    *out = LEDE_NO_DATE;
    return lede__emit_warning(r, line, LEDE_WARN_DATE,
                              "date '%.*s' not understood; the article "
                              "is kept without a date",
                              (int)(len > 64 ? 64 : len), s);
}

static int ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    }
    return 1;
}

int lede__emit_text(lede__reader *r, uint64_t line, const char **s, size_t *len)
{
    const char *enc = r->opt->encoding;
    int said = r->charset_said, rc;
    size_t bad;

    if (!lede__charset_is_auto(enc) && !lede__charset_is_utf8(enc)) {
        /* Text that is valid UTF-8 and not plain ASCII is UTF-8 whatever
         * the corpus is said to be in: bytes of a legacy charset almost
         * never happen to form valid UTF-8 sequences, and a file added
         * later by a newer tool is more likely UTF-8 than not. */
        if (lede__charset_guess(*s, *len, &bad) == LEDE__CHARSET_UTF8 &&
            !ascii(*s, *len)) {
            r->charset_said = 1;
            return said ? 0
                        : lede__emit_warning(r, line, LEDE_WARN_ENCODING,
                                             "valid UTF-8: read as UTF-8, "
                                             "not as %s",
                                             enc);
        }
        if ((rc = lede__charset_decode(&r->decoded, enc, *s, *len)) < 0)
            return rc;
        *s = r->decoded.data ? r->decoded.data : "";
        *len = r->decoded.len;
        return 0;
    }
    int guess = lede__charset_guess(*s, *len, &bad);
    if (guess == LEDE__CHARSET_UTF8)
        return 0;
    r->charset_said = 1;
    if (guess == LEDE__CHARSET_DAMAGED || !lede__charset_is_auto(enc)) {
        lede__buf_clear(&r->decoded);
        if ((rc = lede__utf8_sanitize(&r->decoded, *s, *len, NULL)) < 0)
            return rc;
        *s = r->decoded.data ? r->decoded.data : "";
        *len = r->decoded.len;
        return said ? 0
                    : lede__emit_warning(r, line, LEDE_WARN_ENCODING,
                                         "invalid UTF-8 at byte %zu, read "
                                         "as U+FFFD",
                                         bad);
    }
    if ((rc = lede__charset_decode(&r->decoded, "windows-1252", *s, *len)) < 0)
        return rc;
    *s = r->decoded.data ? r->decoded.data : "";
    *len = r->decoded.len;
    return said ? 0
                : lede__emit_warning(r, line, LEDE_WARN_ENCODING,
                                     "not UTF-8 (invalid at byte %zu); "
                                     "read as windows-1252",
                                     bad);
}
