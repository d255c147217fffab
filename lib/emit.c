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
 * Calls input.c (how far the file is read), date.c, charset.c, strmap.c
 * and buf.c.
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

int lede__emit_article(lede__reader *r, const lede_article *a, uint64_t line)
{
    lede_article dated;
    int rc;
    if (a->id != NULL && (rc = check_duplicate(r, a->id, line)) != 0)
        return rc;
    if (a->date == LEDE_NO_DATE && r->name_date != LEDE_NO_DATE) {
        dated = *a;
        dated.date = r->name_date;
        a = &dated;
    }
    lede_read_event ev = {a,    line,           0,
                          NULL, LEDE_WARN_NONE, lede__input_consumed(r->in)};
    return r->cb(&ev, r->payload);
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
