/*
 * sgml.c - the tags, elements and text of SGML records.
 *
 * Owns how lede reads the SGML of news collections without a DTD: what is
 * a tag (and a comment), where an element of a name lies (its content
 * ends at the next end tag of that name, or at the end, since SGML lets
 * end tags be left out), the value of an attribute, and the text of an
 * element: tags removed, SGML's few entities and numeric references
 * decoded, control characters dropped, white space kept as paragraphs or
 * run together on a line. Knows nothing of records or of which elements
 * a collection uses: that is fmt_trec.c's. Calls buf.c.
 */
#include "lede_int.h"

#include <string.h>
#include <strings.h>

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

int lede__sgml_is_name(int c)
{
    return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.' ||
           c == ':' || c == '!';
}

/* ---- tags inside a record ------------------------------------------------ */

/* The tag at s[i] == '<', if it is one: '<' then a letter, '/' and a
 * letter, '!' or '?', closed by '>' (a comment by "-->"; one never closed
 * runs to the end). Otherwise the '<' is text. */
int lede__sgml_tag_at(const char *s, size_t n, size_t i, lede__sgml_tag *t)
{
    size_t j = i + 1;
    if (n - j >= 3 && memcmp(s + j, "!--", 3) == 0) {
        size_t k = j + 3;
        while (k + 3 <= n && memcmp(s + k, "-->", 3) != 0)
            k++;
        *t = (lede__sgml_tag){i, k + 3 <= n ? k + 3 : n, s + j, 0, 0, k, k};
        return 1;
    }
    int is_end = j < n && s[j] == '/';
    j += is_end;
    if (j >= n || !(is_alpha((unsigned char)s[j]) ||
                    (!is_end && (s[j] == '!' || s[j] == '?'))))
        return 0;
    size_t k = j + 1;
    while (k < n && lede__sgml_is_name((unsigned char)s[k]))
        k++;
    size_t lim =
        n - i > LEDE__SGML_TAG_BYTES_MAX ? i + LEDE__SGML_TAG_BYTES_MAX : n;
    const char *gt = memchr(s + k, '>', lim > k ? lim - k : 0);
    if (gt == NULL)
        return 0;
    *t = (lede__sgml_tag){i, (size_t)(gt - s) + 1, s + j, k - j, is_end,
                          k, (size_t)(gt - s)};
    return 1;
}

/* The next tag at or after pos; 0 if there is none. */
int lede__sgml_next_tag(const char *s, size_t n, size_t pos, lede__sgml_tag *t)
{
    while (pos < n) {
        const char *lt = memchr(s + pos, '<', n - pos);
        if (lt == NULL)
            return 0;
        pos = (size_t)(lt - s);
        if (lede__sgml_tag_at(s, n, pos, t))
            return 1;
        pos++;
    }
    return 0;
}

int lede__sgml_tag_is(const lede__sgml_tag *t, const char *name)
{
    return t->nlen == strlen(name) && strncasecmp(t->name, name, t->nlen) == 0;
}

/* The first element called name at or after from. Its content ends at the
 * next end tag of that name, or at the end of s when there is none (SGML
 * lets end tags be left out). Elements of one name do not nest. */
int lede__sgml_find_elem(const char *s, size_t n, size_t from, const char *name,
                         lede__sgml_elem *e)
{
    lede__sgml_tag t;
    size_t pos = from;
    while (lede__sgml_next_tag(s, n, pos, &t)) {
        pos = t.end;
        if (t.is_end || !lede__sgml_tag_is(&t, name))
            continue;
        *e = (lede__sgml_elem){t.end, n, t.attr, t.attr_end, n};
        while (lede__sgml_next_tag(s, n, pos, &t)) {
            pos = t.end;
            if (t.is_end && lede__sgml_tag_is(&t, name)) {
                e->content_end = t.start;
                e->next = t.end;
                break;
            }
        }
        return 1;
    }
    return 0;
}

/* The value of attribute name in a start tag's attributes, quoted or not;
 * 0 if it is not there. */
int lede__sgml_attr_value(const char *s, size_t n, const char *name,
                          const char **v, size_t *vlen)
{
    size_t i = 0, want = strlen(name);
    while (i < n) {
        while (i < n && (is_space((unsigned char)s[i]) || s[i] == '/'))
            i++;
        size_t a = i;
        while (i < n && !is_space((unsigned char)s[i]) && s[i] != '=')
            i++;
        size_t alen = i - a;
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        const char *val = s + i;
        size_t len = 0;
        if (i < n && s[i] == '=') {
            i++;
            while (i < n && is_space((unsigned char)s[i]))
                i++;
            if (i < n && (s[i] == '"' || s[i] == '\'')) {
                const char *q = memchr(s + i + 1, s[i], n - i - 1);
                val = s + i + 1;
                len = q ? (size_t)(q - val) : n - i - 1;
                i = q ? (size_t)(q - s) + 1 : n;
            } else {
                val = s + i;
                while (i < n && !is_space((unsigned char)s[i]))
                    i++;
                len = (size_t)(s + i - val);
            }
        }
        if (alen == want && strncasecmp(s + a, name, want) == 0) {
            *v = val;
            *vlen = len;
            return 1;
        }
        if (alen == 0 && i < n)
            i++; /* a stray '=' */
    }
    return 0;
}

/* ---- text of a field ----------------------------------------------------- */

void lede__sgml_conv_init(lede__sgml_conv *cv, lede__buf *out, int line)
{
    lede__buf_clear(out);
    *cv = (lede__sgml_conv){out, line, 0, 0, SIZE_MAX, 0};
}

/* End the current paragraph: drop its trailing white space. */
void lede__sgml_conv_break(lede__sgml_conv *cv)
{
    if (cv->ws != SIZE_MAX && cv->out->len > cv->ws) {
        cv->out->len = cv->ws;
        cv->out->data[cv->out->len] = '\0';
    }
    cv->ws = SIZE_MAX;
    if (cv->in_para)
        cv->due = 1;
    cv->in_para = 0;
}

static void conv_put(lede__sgml_conv *cv, const char *p, size_t n)
{
    if (cv->rc == 0)
        cv->rc = lede__buf_put(cv->out, p, n);
}

/* One decoded character (n bytes of UTF-8, or one byte as written). */
void lede__sgml_conv_char(lede__sgml_conv *cv, const char *p, size_t n)
{
    unsigned char c = (unsigned char)p[0];
    if (n == 1 && (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n') {
        /* Control characters (and DEL; '\r' was made '\n') are dropped.
         * On a line they still part words: Reuters' teletype codes follow
         * a date after three ENQs ("11:48:27.70&#5;&#5;&#5;F"), and glued
         * to it they would hide its time of day. */
        if (cv->line && cv->in_para)
            cv->due = 1;
        return;
    }
    if (n == 1 && is_space(c)) {
        if (!cv->in_para)
            return;
        if (cv->line) {
            cv->due = 1;
            return;
        }
        if (cv->ws == SIZE_MAX)
            cv->ws = cv->out->len;
        conv_put(cv, p, 1);
        return;
    }
    if (cv->due && cv->out->len > 0) {
        if (cv->line)
            conv_put(cv, " ", 1);
        else
            conv_put(cv, "\n\n", 2);
    }
    cv->due = 0;
    cv->in_para = 1;
    cv->ws = SIZE_MAX;
    conv_put(cv, p, n);
}

static size_t utf8_encode(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static const struct {
    const char *name; /* without '&' and ';' */
    char c;           /* what it stands for */
} named[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
    {"AMP", '&'}, {"LT", '<'}, {"GT", '>'}, {"QUOT", '"'},
};

/* Decode the entity at s[i] == '&' into cv; returns the bytes it took, or
 * 0 when it is not one lede knows (and is then text as written). A
 * numeric reference to no character (0, a surrogate, past U+10FFFF)
 * becomes U+FFFD. */
static size_t entity(lede__sgml_conv *cv, const char *s, size_t n, size_t i)
{
    size_t j = i + 1, rest = n - j; /* bytes after the '&' */
    if (rest > 0 && s[j] == '#') {
        int hex = j + 1 < n && (s[j + 1] == 'x' || s[j + 1] == 'X');
        size_t k = j + 1 + hex, digits = 0;
        uint32_t cp = 0;
        for (; k < n && digits < 8; k++, digits++) {
            int c = (unsigned char)s[k], d;
            if (is_digit(c))
                d = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            else
                break;
            cp = cp * (hex ? 16 : 10) + (uint32_t)d;
        }
        if (digits == 0 || k >= n || s[k] != ';')
            return 0;
        if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            cp = 0xfffd;
        else if (cp == '\r')
            cp = '\n'; /* as a CR in the text is */
        char u[4];
        size_t len = utf8_encode(u, cp);
        lede__sgml_conv_char(cv, u, len);
        return k + 1 - i;
    }
    for (size_t e = 0; e < sizeof named / sizeof *named; e++) {
        size_t len = strlen(named[e].name);
        if (rest > len && memcmp(s + j, named[e].name, len) == 0 &&
            s[j + len] == ';') {
            lede__sgml_conv_char(cv, &named[e].c, 1);
            return len + 2;
        }
    }
    return 0;
}

static int name_in(const lede__sgml_tag *t, const char *const *names)
{
    for (; names != NULL && *names != NULL; names++) {
        if (lede__sgml_tag_is(t, *names))
            return 1;
    }
    return 0;
}

/* Write the text of s[0..n) to cv, leaving out the elements named in skip
 * (NULL-terminated; may be NULL). */
void lede__sgml_convert(lede__sgml_conv *cv, const char *s, size_t n,
                        const char *const *skip)
{
    size_t i = 0;
    while (i < n && cv->rc == 0) {
        char c = s[i];
        lede__sgml_tag t;
        if (c == '<' && lede__sgml_tag_at(s, n, i, &t)) {
            i = t.end;
            if (lede__sgml_tag_is(&t, "P")) {
                if (cv->line)
                    lede__sgml_conv_char(cv, " ", 1);
                else
                    lede__sgml_conv_break(cv);
            } else if (!t.is_end && name_in(&t, skip)) {
                /* Skip to the end tag of this element. */
                char name[LEDE__SGML_NAME_MAX + 1];
                size_t k =
                    t.nlen < LEDE__SGML_NAME_MAX ? t.nlen : LEDE__SGML_NAME_MAX;
                lede__sgml_elem e;
                memcpy(name, t.name, k);
                name[k] = '\0';
                i = lede__sgml_find_elem(s, n, t.start, name, &e) ? e.next : n;
            }
            continue;
        }
        if (c == '&') {
            size_t k = entity(cv, s, n, i);
            if (k > 0) {
                i += k;
                continue;
            }
        }
        if (c == '\r') {
            if (i + 1 < n && s[i + 1] == '\n') {
                i++;
                continue;
            }
            c = '\n';
        }
        lede__sgml_conv_char(cv, &c, 1);
        i++;
    }
}

/* End a field: trailing white space goes. */
int lede__sgml_conv_end(lede__sgml_conv *cv)
{
    lede__sgml_conv_break(cv);
    return cv->rc;
}
