/*
 * buf.c - growable byte buffers, varints and UTF-8 checking.
 *
 * Owns lede__buf, the one dynamic string type of the C code, the LEB128
 * varints of the stored-record format, and the strict UTF-8 reader used to
 * clean article text before it is tokenized and stored. Word and sentence
 * boundaries are not here (tokenize.c, segment.c). Calls alloc.c and
 * error.c.
 */
#include "lede_int.h"

#include <stdio.h>
#include <string.h>

int lede__buf_reserve(lede__buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return lede__error_nomem();
    size_t need = b->len + extra + 1;
    if (need <= b->cap) {
        b->data[b->len] = '\0';
        return 0;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = lede__realloc(b->data, cap);
    if (data == NULL)
        return lede__error_nomem();
    b->data = data;
    b->cap = cap;
    /* Terminated from the first allocation on, so that data is a string
     * even when nothing is put: reserve(b, 0) is how a caller gets "". */
    b->data[b->len] = '\0';
    return 0;
}

int lede__buf_put(lede__buf *b, const void *p, size_t n)
{
    int rc = lede__buf_reserve(b, n);
    if (rc < 0)
        return rc;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int lede__buf_putc(lede__buf *b, char c)
{
    return lede__buf_put(b, &c, 1);
}

int lede__buf_puts(lede__buf *b, const char *s)
{
    return lede__buf_put(b, s, strlen(s));
}

int lede__buf_printf(lede__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return lede__error_set(LEDE_ERROR, "bad format string");
    int rc = lede__buf_reserve(b, (size_t)n);
    if (rc < 0)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void lede__buf_clear(lede__buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

void lede__buf_free(lede__buf *b)
{
    lede__free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

int lede__buf_put_varint(lede__buf *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char byte = v & 0x7f;
        v >>= 7;
        tmp[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    return lede__buf_put(b, tmp, n);
}

int lede__varint_get(uint64_t *out, const unsigned char **p,
                     const unsigned char *end)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*p >= end)
            return -1;
        unsigned char byte = *(*p)++;
        if (shift == 63 && byte > 1)
            return -1; /* more than 64 bits */
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

/*
 * Length of the well-formed sequence at s, or 0 with *bad set to the length
 * of its maximal ill-formed subpart (at least 1), following the Unicode
 * recommendation for U+FFFD substitution (Table 3-7 of the standard).
 */
static size_t utf8_next(const unsigned char *s, size_t len, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xbf;

    if (c >= 0x01 && c <= 0x7f)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        *bad = 1; /* NUL, continuation byte, C0, C1 or F5..FF */
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xbf;
    }
    return need + 1;
}

size_t lede__utf8_check(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, bad;
    while (i < len) {
        size_t n = utf8_next(u + i, len - i, &bad);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

LEDE_EXTERN(size_t) lede_utf8_check(const char *text, size_t len)
{
    return text == NULL ? 0 : lede__utf8_check(text, len);
}

int lede__utf8_sanitize(lede__buf *out, const char *s, size_t len,
                        size_t *replaced_out)
{
    static const char fffd[] = "\xef\xbf\xbd";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0, replaced = 0, bad;
    int rc = lede__buf_reserve(out, len);

    if (replaced_out != NULL)
        *replaced_out = 0;
    if (len == 0)
        return rc;
    while (rc == 0 && i < len) {
        size_t n = utf8_next(u + i, len - i, &bad);
        if (n > 0) {
            i += n;
            continue;
        }
        rc = lede__buf_put(out, s + run, i - run);
        if (rc == 0)
            rc = lede__buf_put(out, fffd, 3);
        replaced++;
        i += bad;
        run = i;
    }
    if (rc == 0)
        rc = lede__buf_put(out, s + run, len - run);
    if (replaced_out != NULL)
        *replaced_out = replaced;
    return rc;
}
