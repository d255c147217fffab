/*
 * visible.c - control characters and invalid bytes shown as text; see
 * visible.h. Shared by lede-index and lede-search.
 */
#include "visible.h"

#include <stdlib.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at the start of s[0..n), or 0
 * when it is not one (RFC 3629: no overlong forms, no surrogates, nothing
 * past U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    size_t len;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return len;
}

size_t vis_unit(char buf[VIS_MAX], const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = utf8_len(u, n);
    buf[0] = '\0';
    if (len == 0 || (len == 1 && (u[0] < 0x20 || u[0] == 0x7f))) {
        snprintf(buf, VIS_MAX, "\\x%02x", u[0]);
        return 1;
    }
    if (len == 2 && u[0] == 0xc2 && u[1] <= 0x9f)
        snprintf(buf, VIS_MAX, "\\u00%02x", u[1]);
    return len;
}

void vis_write(const char *s, size_t n, FILE *f)
{
    char buf[VIS_MAX];
    size_t i = 0, plain = 0;
    while (i < n) {
        size_t k = vis_unit(buf, s + i, n - i);
        if (buf[0] != '\0') {
            fwrite(s + plain, 1, i - plain, f);
            fputs(buf, f);
            plain = i + k;
        }
        i += k;
    }
    fwrite(s + plain, 1, n - plain, f);
}

const char *vis(const char *s)
{
    /* Each slot is freed when it is reused; the last VIS_SLOTS stay
     * reachable until exit. */
    static char *slot[VIS_SLOTS];
    static unsigned next;
    char buf[VIS_MAX];
    size_t n = strlen(s), need = 0, shown = 0;

    for (size_t i = 0; i < n;) {
        size_t k = vis_unit(buf, s + i, n - i);
        need += buf[0] ? strlen(buf) : k;
        shown += buf[0] != '\0';
        i += k;
    }
    if (shown == 0)
        return s;
    char *out = malloc(need + 1), *p = out;
    if (out == NULL)
        return "(text not shown: out of memory)";
    for (size_t i = 0; i < n;) {
        size_t k = vis_unit(buf, s + i, n - i);
        if (buf[0]) {
            p += strlen(strcpy(p, buf));
        } else {
            memcpy(p, s + i, k);
            p += k;
        }
        i += k;
    }
    *p = '\0';
    free(slot[next]);
    slot[next] = out;
    next = (next + 1) % VIS_SLOTS;
    return out;
}
