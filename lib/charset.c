/*
 * charset.c - text in other character sets, made UTF-8.
 *
 * Owns the character set names lede accepts (ICU's converter names and
 * their aliases, and "auto"), the guess made for text that names none,
 * and the conversion to UTF-8. The guess: text whose non-ASCII sequences
 * are mostly valid UTF-8 is UTF-8 (a damaged byte in it becomes U+FFFD
 * later, and the rest of its characters survive); any other text is
 * Windows-1252, the superset of ISO 8859-1 that web browsers read for
 * "latin1", and what old news archives and Windows editors wrote. It knows
 * no formats: reader.c and fmt_*.c decide what text a name applies to.
 * Calls buf.c, error.c and ICU (ucnv).
 */
#include "lede_int.h"

#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>

/* The converter of name, which the caller closes. */
static int open_converter(UConverter **out, const char *name)
{
    UErrorCode err = U_ZERO_ERROR;
    *out = ucnv_open(name, &err);
    if (err == U_MEMORY_ALLOCATION_ERROR)
        return lede__error_nomem();
    if (U_FAILURE(err) || *out == NULL) {
        *out = NULL;
        return lede__error_set(LEDE_EINVAL, "unknown character encoding '%s'",
                               name);
    }
    return 0;
}

int lede__charset_is_auto(const char *name)
{
    return name == NULL || *name == '\0' || strcasecmp(name, "auto") == 0;
}

int lede__charset_check(const char *name)
{
    if (lede__charset_is_auto(name))
        return 0;
    UConverter *cnv;
    int rc = open_converter(&cnv, name);
    if (rc < 0)
        return rc;
    /* Tags and markup are read as ASCII bytes before any decoding, so
     * UTF-16 and the like cannot be read (their files hold NUL bytes and
     * are refused as binary anyway). */
    int8_t min = ucnv_getMinCharSize(cnv);
    ucnv_close(cnv);
    if (min != 1)
        return lede__error_set(LEDE_EINVAL,
                               "character encoding '%s' is not "
                               "ASCII-compatible; lede cannot read it",
                               name);
    return 0;
}

/* ICU's own name of a converter, copied to out (size n); "" if unknown. */
static void canonical(char *out, size_t n, const char *name)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(name, &err);
    out[0] = '\0';
    if (U_SUCCESS(err)) {
        const char *c = ucnv_getName(cnv, &err);
        if (U_SUCCESS(err) && c != NULL && strlen(c) < n)
            memcpy(out, c, strlen(c) + 1);
    }
    ucnv_close(cnv);
}

int lede__charset_same(const char *a, const char *b)
{
    char ca[64], cb[64];
    if (lede__charset_is_auto(a) || lede__charset_is_auto(b))
        return lede__charset_is_auto(a) && lede__charset_is_auto(b);
    if (strcasecmp(a, b) == 0)
        return 1;
    canonical(ca, sizeof ca, a);
    canonical(cb, sizeof cb, b);
    return ca[0] != '\0' && strcmp(ca, cb) == 0;
}

int lede__charset_is_utf8(const char *name)
{
    return !lede__charset_is_auto(name) && lede__charset_same(name, "UTF-8");
}

int lede__charset_guess(const char *s, size_t len, size_t *bad_out)
{
    size_t valid = 0, invalid = 0, i = 0;
    *bad_out = len;
    while (i < len) {
        size_t ok = lede__utf8_check(s + i, len - i);
        for (size_t k = i; k < i + ok; k++)
            valid += (unsigned char)s[k] >= 0xc0; /* a lead byte */
        i += ok;
        if (i == len)
            break;
        if (s[i] != '\0') {
            if (invalid++ == 0)
                *bad_out = i;
        }
        i++;
    }
    if (invalid == 0)
        return LEDE__CHARSET_UTF8;
    return invalid > valid ? LEDE__CHARSET_LEGACY : LEDE__CHARSET_DAMAGED;
}

int lede__charset_decode(lede__buf *out, const char *name, const char *s,
                         size_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    int rc = 0;

    lede__buf_clear(out);
    if (len > INT32_MAX)
        return lede__error_set(LEDE_ELIMIT,
                               "text over 2 GiB cannot be converted from "
                               "'%s'",
                               name);
    UConverter *cnv;
    if ((rc = open_converter(&cnv, name)) < 0)
        return rc;
    /* Bytes the charset does not map become U+FFFD (ICU's default), as
     * invalid UTF-8 does elsewhere. One byte becomes at most 3 bytes of
     * UTF-8, and so does any longer sequence of bytes per byte. */
    size_t cap = 3 * len + 1;
    if (cap > INT32_MAX)
        cap = INT32_MAX;
    if ((rc = lede__buf_reserve(out, cap)) == 0) {
        int32_t n = ucnv_toAlgorithmic(UCNV_UTF8, cnv, out->data, (int32_t)cap,
                                       s, (int32_t)len, &err);
        if (err == U_MEMORY_ALLOCATION_ERROR)
            rc = lede__error_nomem();
        else if (err == U_BUFFER_OVERFLOW_ERROR)
            rc = lede__error_set(LEDE_ELIMIT,
                                 "text from '%s' is over 2 GiB in UTF-8", name);
        else if (U_FAILURE(err))
            rc =
                lede__error_set(LEDE_ERROR, "cannot convert text from '%s': %s",
                                name, u_errorName(err));
        else
            out->len = (size_t)n;
        out->data[out->len] = '\0';
    }
    ucnv_close(cnv);
    return rc;
}
