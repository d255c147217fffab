/*
 * fmt_trec.c - SGML news records: TREC <DOC> files and Reuters-21578.
 *
 * Owns both record layouts and what lede takes from them: the id (<DOCNO>,
 * or the NEWID attribute of <REUTERS>), the title, the body with its <P>
 * paragraph breaks, and the date; SGML's few entities and the control
 * characters wire services left in the text; Reuters' dateline, kept, and
 * its sign-off, dropped. A file is read as a stream, one record at a time,
 * so memory stays at about one record whatever the size of the file; a
 * record over the size limit is skipped without being held. A bad record
 * (no id, too long, never closed) is reported and skipped and the rest of
 * the file is read. This is a tolerant scanner, not an SGML parser: no DTD
 * is read, and tags are matched by name. A record not in UTF-8 is decoded
 * whole first (emit.c). Calls input.c, emit.c, date.c and buf.c.
 */
#include "lede_int.h"

#include <string.h>
#include <strings.h>

/* Bytes asked of the input at a time. */
#define CHUNK (64 * 1024)
/* Tag names longer than this are none lede looks for. */
#define TAG_NAME_MAX 15
/* A '<' whose '>' is further than this is text, not a tag: a stray '<'
 * then costs a bounded look ahead, not a scan of the rest of a record. */
#define TAG_BYTES_MAX 4096
/* Dates longer than this are not searched for a leading date. */
#define DATE_BYTES_MAX 256

enum { KIND_DOC, KIND_REUTERS };
static const char *const record_names[] = {"DOC", "REUTERS"};

enum {
    OUTSIDE,  /* between records: only a record's start tag matters */
    COMMENT,  /* in a <!-- comment --> between records */
    INSIDE,   /* in a record, keeping its bytes */
    SKIPPING, /* in a record over the size limit, dropping its bytes */
};

/* The state of the stream scanner, and the fields of the last record. */
typedef struct {
    lede__reader *r;                 /* the reader: options, callback */
    int state;                       /* OUTSIDE, COMMENT, INSIDE or SKIPPING */
    int kind;                        /* KIND_DOC or KIND_REUTERS, in a record */
    uint64_t line;                   /* line of the byte being read, from 1 */
    uint64_t rec_line;               /* line where the record starts */
    lede__buf rec;                   /* INSIDE: the record's bytes so far */
    size_t end_pos;                  /* offset in rec of its end tag's '<' */
    int closing;                     /* the end tag's name was read */
    int in_tag;                      /* reading the name of a tag */
    int end_tag;                     /* that tag began "</" */
    char name[TAG_NAME_MAX + 1];     /* its name, NUL-terminated */
    size_t nlen;                     /* its length (more than TAG_NAME_MAX:
                                        too long to be one we want) */
    uint64_t tag_line;               /* line of its '<' */
    size_t tag_pos;                  /* INSIDE: offset of its '<' in rec */
    int dashes;                      /* COMMENT: '-' just read, up to 2 */
    lede__buf id, title, body, date; /* the fields of a record */
    lede__buf place;                 /* a Reuters record's DATELINE */
} scan;

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

static int is_name(int c)
{
    return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.' ||
           c == ':' || c == '!';
}

/* ---- tags inside a record ------------------------------------------------ */

typedef struct {
    size_t start, end;     /* the tag's bytes, [start, end) */
    const char *name;      /* its name, not NUL-terminated */
    size_t nlen;           /* bytes of name; 0 for a comment */
    int is_end;            /* an end tag, "</NAME>" */
    size_t attr, attr_end; /* its attributes, [attr, attr_end) */
} tag;

/* The tag at s[i] == '<', if it is one: '<' then a letter, '/' and a
 * letter, '!' or '?', closed by '>' (a comment by "-->"; one never closed
 * runs to the end). Otherwise the '<' is text. */
static int tag_at(const char *s, size_t n, size_t i, tag *t)
{
    size_t j = i + 1;
    if (n - j >= 3 && memcmp(s + j, "!--", 3) == 0) {
        size_t k = j + 3;
        while (k + 3 <= n && memcmp(s + k, "-->", 3) != 0)
            k++;
        *t = (tag){i, k + 3 <= n ? k + 3 : n, s + j, 0, 0, k, k};
        return 1;
    }
    int is_end = j < n && s[j] == '/';
    j += is_end;
    if (j >= n || !(is_alpha((unsigned char)s[j]) ||
                    (!is_end && (s[j] == '!' || s[j] == '?'))))
        return 0;
    size_t k = j + 1;
    while (k < n && is_name((unsigned char)s[k]))
        k++;
    size_t lim = n - i > TAG_BYTES_MAX ? i + TAG_BYTES_MAX : n;
    const char *gt = memchr(s + k, '>', lim > k ? lim - k : 0);
    if (gt == NULL)
        return 0;
    *t = (tag){i, (size_t)(gt - s) + 1, s + j, k - j, is_end,
               k, (size_t)(gt - s)};
    return 1;
}

/* The next tag at or after pos; 0 if there is none. */
static int next_tag(const char *s, size_t n, size_t pos, tag *t)
{
    while (pos < n) {
        const char *lt = memchr(s + pos, '<', n - pos);
        if (lt == NULL)
            return 0;
        pos = (size_t)(lt - s);
        if (tag_at(s, n, pos, t))
            return 1;
        pos++;
    }
    return 0;
}

static int tag_is(const tag *t, const char *name)
{
    return t->nlen == strlen(name) && strncasecmp(t->name, name, t->nlen) == 0;
}

/* An element: where its content and its start tag's attributes lie. */
typedef struct {
    size_t content, content_end; /* [content, content_end) */
    size_t attr, attr_end;       /* [attr, attr_end) */
    size_t next;                 /* offset just after the element */
} elem;

/* The first element called name at or after from. Its content ends at the
 * next end tag of that name, or at the end of s when there is none (SGML
 * lets end tags be left out). Elements of one name do not nest. */
static int find_elem(const char *s, size_t n, size_t from, const char *name,
                     elem *e)
{
    tag t;
    size_t pos = from;
    while (next_tag(s, n, pos, &t)) {
        pos = t.end;
        if (t.is_end || !tag_is(&t, name))
            continue;
        *e = (elem){t.end, n, t.attr, t.attr_end, n};
        while (next_tag(s, n, pos, &t)) {
            pos = t.end;
            if (t.is_end && tag_is(&t, name)) {
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
static int attr_value(const char *s, size_t n, const char *name, const char **v,
                      size_t *vlen)
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

/* Text being written out of SGML: tags removed, entities decoded, control
 * characters dropped, CRLF made LF. In a body, white space inside a
 * paragraph is kept as written (the passage splitter reads hard-wrapped
 * lines) and paragraphs, broken by <P> and between elements, are trimmed
 * and joined by one blank line; on a line (ids, titles, dates) each run
 * of white space is one space. */
typedef struct {
    lede__buf *out; /* the text so far */
    int line;       /* one line, not paragraphs */
    int in_para;    /* the current paragraph has a visible character */
    int due;        /* a separator is due before the next visible one */
    size_t ws;      /* body: where the trailing white space of out starts,
                       or SIZE_MAX */
    int rc;         /* first failure, or 0 */
} conv;

static void conv_init(conv *cv, lede__buf *out, int line)
{
    lede__buf_clear(out);
    *cv = (conv){out, line, 0, 0, SIZE_MAX, 0};
}

/* End the current paragraph: drop its trailing white space. */
static void conv_break(conv *cv)
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

static void conv_put(conv *cv, const char *p, size_t n)
{
    if (cv->rc == 0)
        cv->rc = lede__buf_put(cv->out, p, n);
}

/* One decoded character (n bytes of UTF-8, or one byte as written). */
static void conv_char(conv *cv, const char *p, size_t n)
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
static size_t entity(conv *cv, const char *s, size_t n, size_t i)
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
        conv_char(cv, u, len);
        return k + 1 - i;
    }
    for (size_t e = 0; e < sizeof named / sizeof *named; e++) {
        size_t len = strlen(named[e].name);
        if (rest > len && memcmp(s + j, named[e].name, len) == 0 &&
            s[j + len] == ';') {
            conv_char(cv, &named[e].c, 1);
            return len + 2;
        }
    }
    return 0;
}

static int name_in(const tag *t, const char *const *names)
{
    for (; names != NULL && *names != NULL; names++) {
        if (tag_is(t, *names))
            return 1;
    }
    return 0;
}

/* Write the text of s[0..n) to cv, leaving out the elements named in skip
 * (NULL-terminated; may be NULL). */
static void convert(conv *cv, const char *s, size_t n, const char *const *skip)
{
    size_t i = 0;
    while (i < n && cv->rc == 0) {
        char c = s[i];
        tag t;
        if (c == '<' && tag_at(s, n, i, &t)) {
            i = t.end;
            if (tag_is(&t, "P")) {
                if (cv->line)
                    conv_char(cv, " ", 1);
                else
                    conv_break(cv);
            } else if (!t.is_end && name_in(&t, skip)) {
                /* Skip to the end tag of this element. */
                char name[TAG_NAME_MAX + 1];
                size_t k = t.nlen < TAG_NAME_MAX ? t.nlen : TAG_NAME_MAX;
                elem e;
                memcpy(name, t.name, k);
                name[k] = '\0';
                i = find_elem(s, n, t.start, name, &e) ? e.next : n;
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
        conv_char(cv, &c, 1);
        i++;
    }
}

/* End a field: trailing white space goes. */
static int conv_end(conv *cv)
{
    conv_break(cv);
    return cv->rc;
}

/* ---- one record ---------------------------------------------------------- */

/* Whether the word at t[0..n) starts as a time of day does: a digit,
 * and a ':' before the next space. */
static int looks_like_time(const char *t, size_t n)
{
    if (n == 0 || !is_digit((unsigned char)t[0]))
        return 0;
    for (size_t i = 1; i < n && t[i] != ' '; i++) {
        if (t[i] == ':')
            return 1;
    }
    return 0;
}

/* Dates in collections often carry more after them: Reuters has teletype
 * codes after control characters ("5-MAR-1987 09:01:02.83 F"), the LA
 * Times a weekday and an edition ("January 1, 1989, Sunday, Home
 * Edition"). When the whole text is no date, the longest run of leading
 * words that is one is taken; when none is, the warning names the whole
 * text. A time of day left out that way is warned of, since the article
 * then sorts at midnight among the day's others. */
static int record_date(scan *s, int64_t *out)
{
    const char *t = s->date.data;
    size_t n = s->date.len;
    if (n == 0 || lede__date_parse(out, t, n) == 0)
        return 0;
    for (size_t k = n <= DATE_BYTES_MAX ? n - 1 : 0; k > 0; k--) {
        if (t[k] != ' ')
            continue;
        size_t m = k; /* the words before this space, without a comma */
        while (m > 0 && (t[m - 1] == ',' || t[m - 1] == ';'))
            m--;
        if (m == 0 || lede__date_parse(out, t, m) != 0)
            continue;
        if (!looks_like_time(t + k + 1, n - k - 1))
            return 0;
        return lede__emit_warning(s->r, s->rec_line, LEDE_WARN_DATE,
                                  "time in date '%.*s' not understood; "
                                  "the article is dated by its day alone",
                                  (int)(n > 64 ? 64 : n), t);
    }
    return lede__emit_date(s->r, s->rec_line, t, n, out);
}

/* The first non-empty text of an element named in names (NULL-terminated),
 * trying the names in their order; out is left empty if there is none. */
static int first_text(lede__buf *out, const char *s, size_t n,
                      const char *const *names)
{
    conv cv;
    lede__buf_clear(out);
    for (; *names != NULL && out->len == 0; names++) {
        elem e;
        for (size_t pos = 0; out->len == 0 && find_elem(s, n, pos, *names, &e);
             pos = e.next) {
            conv_init(&cv, out, 1);
            convert(&cv, s + e.content, e.content_end - e.content, NULL);
            if (conv_end(&cv) < 0)
                return cv.rc;
        }
    }
    return 0;
}

static const char *const trec_titles[] = {"HEADLINE", "HL",  "TITLE",
                                          "HEAD",     "TTL", NULL};
static const char *const trec_bodies[] = {"LP", "LEADPARA", "TEXT", NULL};
static const char *const trec_dates[] = {"DATE", "DATE_TIME", "DD", NULL};
static const char *const reuters_titles[] = {"TITLE", NULL};
static const char *const reuters_dates[] = {"DATE", NULL};
/* What a Reuters <TEXT> holds besides the story's text. */
static const char *const reuters_furniture[] = {"TITLE", "DATELINE", "AUTHOR",
                                                NULL};

/* TREC: DOCNO, a title, and every LP, LEADPARA and TEXT in that order. */
static int trec_fields(scan *s, const char *c, size_t n)
{
    static const char *const docno[] = {"DOCNO", NULL};
    conv cv;
    int rc;
    if ((rc = first_text(&s->id, c, n, docno)) < 0 ||
        (rc = first_text(&s->title, c, n, trec_titles)) < 0 ||
        (rc = first_text(&s->date, c, n, trec_dates)) < 0)
        return rc;
    conv_init(&cv, &s->body, 0);
    for (const char *const *name = trec_bodies; *name != NULL; name++) {
        elem e;
        for (size_t pos = 0; find_elem(c, n, pos, *name, &e); pos = e.next) {
            convert(&cv, c + e.content, e.content_end - e.content, NULL);
            conv_break(&cv);
        }
    }
    return conv_end(&cv);
}

static int is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

/* Where a sign-off word ends at s[0..e) begins, or SIZE_MAX if it does not
 * end there: "Reuter" in any case, then dots or a carriage return the
 * wire's software wrote out as "^M". "Reuters" with one period is how a
 * story ends that a source "told Reuters.", and stays; without one
 * ("Reuters", "REUTERS...") it signs off. The word stands alone. */
static size_t signoff_word(const char *s, size_t e)
{
    while (e >= 2 && s[e - 2] == '^' && s[e - 1] == 'M')
        e -= 2;
    size_t dots = 0;
    while (e > 0 && s[e - 1] == '.') {
        e--;
        dots++;
    }
    if (e > 0 && (s[e - 1] == 's' || s[e - 1] == 'S')) {
        if (dots == 1)
            return SIZE_MAX;
        e--;
    }
    if (e < 6 || strncasecmp(s + e - 6, "reuter", 6) != 0)
        return SIZE_MAX;
    e -= 6;
    return e == 0 || is_space((unsigned char)s[e - 1]) ? e : SIZE_MAX;
}

/* Where the sign-off that ends s[0..n) begins (its white space before
 * included), or SIZE_MAX if it has none: a sign-off word, perhaps
 * followed on its line by an operator's code of one to four capitals
 * ("REUTER TAW"). */
static size_t signoff_at(const char *s, size_t n)
{
    while (n > 0 && is_space((unsigned char)s[n - 1]))
        n--;
    size_t k = n;
    while (k > 0 && n - k < 5 && is_upper((unsigned char)s[k - 1]))
        k--;
    size_t w = SIZE_MAX;
    if (k < n && n - k <= 4 && k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t')) {
        size_t e = k;
        while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
            e--;
        w = signoff_word(s, e);
    }
    if (w == SIZE_MAX)
        w = signoff_word(s, n);
    while (w != SIZE_MAX && w > 0 && is_space((unsigned char)s[w - 1]))
        w--;
    return w;
}

/* The wire's sign-off: every Reuters story ends with "Reuter" ("REUTER",
 * "reuter", "REUTER...", "REUTER TAW"; a few "Reuters", some signed twice
 * on two lines) before the end-of-text mark (&#3;, dropped as a control
 * character). It is no part of the story and would make "reuter" a word
 * of nearly every article: it goes, with the white space before it. */
static void drop_signoff(lede__buf *b)
{
    size_t n = b->len, at;
    while ((at = signoff_at(b->data, n)) != SIZE_MAX)
        n = at;
    b->len = n;
    if (b->data != NULL)
        b->data[n] = '\0';
}

/* Reuters: NEWID, DATE, and in TEXT, TITLE and BODY; a TEXT TYPE="UNPROC"
 * without BODY is its own body; TYPE="BRIEF" is a title alone. The body
 * starts with the DATELINE ("SAO PAULO, Feb 26 -"), which names the place
 * the story was filed from, as the wire printed it; the sign-off at its
 * end goes. */
static int reuters_fields(scan *s, const char *attr, size_t attr_len,
                          const char *c, size_t n)
{
    static const char *const dateline[] = {"DATELINE", NULL};
    const char *v;
    size_t vlen;
    conv cv;
    elem text, body;
    int unproc = 0, rc;

    conv_init(&cv, &s->id, 1);
    if (attr_value(attr, attr_len, "NEWID", &v, &vlen))
        convert(&cv, v, vlen, NULL);
    if ((rc = conv_end(&cv)) < 0 ||
        (rc = first_text(&s->date, c, n, reuters_dates)) < 0)
        return rc;
    if (find_elem(c, n, 0, "TEXT", &text)) {
        unproc = attr_value(c + text.attr, text.attr_end - text.attr, "TYPE",
                            &v, &vlen) &&
                 vlen == 6 && strncasecmp(v, "UNPROC", 6) == 0;
        c += text.content;
        n = text.content_end - text.content;
    }
    if ((rc = first_text(&s->title, c, n, reuters_titles)) < 0 ||
        (rc = first_text(&s->place, c, n, dateline)) < 0)
        return rc;
    conv_init(&cv, &s->body, 0);
    if (find_elem(c, n, 0, "BODY", &body)) {
        /* Byte by byte: the dateline's entities are decoded already. */
        for (size_t i = 0; i < s->place.len; i++)
            conv_char(&cv, s->place.data + i, 1);
        if (s->place.len > 0)
            conv_char(&cv, " ", 1);
        convert(&cv, c + body.content, body.content_end - body.content, NULL);
    } else if (unproc) {
        convert(&cv, c, n, reuters_furniture);
    }
    if ((rc = conv_end(&cv)) < 0)
        return rc;
    drop_signoff(&s->body);
    return 0;
}

/* Turn the record in s->rec[0..end_pos) into an article and deliver it. */
static int deliver(scan *s)
{
    lede_article a = LEDE_ARTICLE_INIT;
    const char *rec = s->rec.data;
    size_t end = s->end_pos;
    size_t name_len = strlen(record_names[s->kind]);
    int rc;

    /* Tags are ASCII in every charset lede reads, so a record can be
     * decoded whole before its fields are found. */
    if ((rc = lede__emit_text(s->r, s->rec_line, &rec, &end)) != 0)
        return rc;
    const char *gt = memchr(rec, '>', end);
    size_t attr = 1 + name_len, attr_end = gt ? (size_t)(gt - rec) : end;
    size_t content = gt ? attr_end + 1 : end;
    if (attr > attr_end)
        attr = attr_end;
    if (s->kind == KIND_REUTERS)
        rc = reuters_fields(s, rec + attr, attr_end - attr, rec + content,
                            end - content);
    else
        rc = trec_fields(s, rec + content, end - content);
    if (rc < 0)
        return rc;
    if (s->id.len == 0)
        return lede__emit_problem(s->r, s->rec_line, LEDE_EINVAL,
                                  "record without DOCNO (or NEWID); "
                                  "skipped");
    if ((rc = record_date(s, &a.date)) != 0)
        return rc;
    a.id = s->id.data;
    a.title = s->title.data;
    a.title_len = s->title.len;
    a.body = s->body.data;
    a.body_len = s->body.len;
    return lede__emit_article(s->r, &a, s->rec_line);
}

/* ---- the stream ---------------------------------------------------------- */

static int is_record_name(const scan *s, int kind)
{
    return s->nlen <= TAG_NAME_MAX &&
           strcasecmp(s->name, record_names[kind]) == 0;
}

/* Begin a record at the tag whose name was just read. */
static int record_start(scan *s, int kind)
{
    lede__buf_clear(&s->rec);
    s->state = INSIDE;
    s->kind = kind;
    s->rec_line = s->tag_line;
    s->closing = 0;
    int rc = lede__buf_putc(&s->rec, '<');
    if (rc == 0)
        rc = lede__buf_puts(&s->rec, s->name);
    return rc;
}

static int no_end_tag(scan *s)
{
    return lede__emit_problem(s->r, s->rec_line, LEDE_ECORRUPT,
                              "record at line %llu has no end tag; "
                              "skipped",
                              (unsigned long long)s->rec_line);
}

/* The record's end tag is complete: deliver it, or end the skip. */
static int record_end(scan *s)
{
    int rc = s->state == INSIDE ? deliver(s) : 0;
    s->state = OUTSIDE;
    s->closing = 0;
    lede__buf_clear(&s->rec);
    return rc;
}

/* A tag's name was read and c (-1 at the end of input) follows it. */
static int tag_read(scan *s, int c)
{
    int starts = c == '>' || c == '/' || (c >= 0 && is_space(c));
    int rc;

    s->name[s->nlen < TAG_NAME_MAX ? s->nlen : TAG_NAME_MAX] = '\0';
    if (s->state == OUTSIDE) {
        if (!s->end_tag && strncmp(s->name, "!--", 3) == 0) {
            /* "<!---->" has its closing dashes in the name. */
            s->state = COMMENT;
            s->dashes = 0;
            for (size_t i = 3; i < s->nlen && s->name[i] == '-'; i++)
                s->dashes = s->dashes < 2 ? s->dashes + 1 : 2;
            return 0;
        }
        if (s->end_tag || !starts)
            return 0;
        if (is_record_name(s, KIND_DOC))
            return record_start(s, KIND_DOC);
        if (is_record_name(s, KIND_REUTERS))
            return record_start(s, KIND_REUTERS);
        return 0;
    }
    if (!is_record_name(s, s->kind))
        return 0;
    if (s->end_tag) {
        s->closing = 1;
        s->end_pos = s->tag_pos;
        return 0;
    }
    if (!starts)
        return 0;
    /* A start tag of the same kind: the record was never closed. (One
     * over the limit was reported already.) */
    if (s->state == INSIDE && (rc = no_end_tag(s)) != 0)
        return rc;
    return record_start(s, s->kind);
}

/* Read one byte. */
static int step(scan *s, int c)
{
    int rc;
    int name_goes_on =
        s->in_tag && ((c == '/' && s->nlen == 0 && !s->end_tag) ||
                      (is_name(c) && (s->nlen > 0 || c != '-')));

    if (s->in_tag && !name_goes_on) {
        s->in_tag = 0;
        if ((rc = tag_read(s, c)) != 0)
            return rc;
    }
    if (s->state == COMMENT) {
        if (c == '>' && s->dashes >= 2)
            s->state = OUTSIDE;
        s->dashes = c == '-' ? (s->dashes < 2 ? s->dashes + 1 : 2) : 0;
        return 0;
    }
    if (s->state == INSIDE) {
        if ((rc = lede__buf_putc(&s->rec, (char)c)) < 0)
            return rc;
        if (s->rec.len > s->r->opt->max_article_bytes) {
            /* Stop keeping it; what follows is dropped up to its end. */
            s->state = SKIPPING;
            lede__buf_free(&s->rec);
            if ((rc = lede__emit_problem(
                     s->r, s->rec_line, LEDE_ELIMIT,
                     "record over the limit of %zu bytes; skipped",
                     s->r->opt->max_article_bytes)) != 0)
                return rc;
        }
    }
    if (name_goes_on) {
        if (c == '/')
            s->end_tag = 1;
        else if (s->nlen++ < TAG_NAME_MAX)
            s->name[s->nlen - 1] = (char)c;
        return 0;
    }
    if (s->closing) {
        if (c == '>')
            return record_end(s);
        if (c != '<')
            return 0;
        if ((rc = record_end(s)) != 0) /* "</DOC" cut short by a tag */
            return rc;
    }
    if (c == '<') {
        s->in_tag = 1;
        s->end_tag = 0;
        s->nlen = 0;
        s->tag_line = s->line;
        s->tag_pos = s->state == INSIDE ? s->rec.len - 1 : 0;
    }
    return 0;
}

/* The input ended. */
static int at_end(scan *s)
{
    if (s->in_tag) {
        s->in_tag = 0;
        int rc = tag_read(s, -1);
        if (rc != 0)
            return rc;
    }
    if (s->closing)
        return record_end(s);
    if (s->state == INSIDE)
        return no_end_tag(s);
    return 0;
}

int lede__fmt_trec(lede__reader *r)
{
    scan s;
    size_t got;
    int rc;

    memset(&s, 0, sizeof s);
    s.r = r;
    s.line = 1;
    s.state = OUTSIDE;
    lede__buf_clear(&r->scratch);
    if ((rc = lede__buf_reserve(&r->scratch, CHUNK)) < 0)
        return rc;
    for (;;) {
        if ((rc = lede__input_read(r->in, r->scratch.data, CHUNK, &got)) < 0)
            break;
        if (got == 0) {
            rc = at_end(&s);
            break;
        }
        for (size_t i = 0; i < got && rc == 0; i++) {
            unsigned char c = (unsigned char)r->scratch.data[i];
            rc = step(&s, c);
            if (c == '\n')
                s.line++;
        }
        if (rc != 0)
            break;
    }
    lede__buf_free(&s.rec);
    lede__buf_free(&s.id);
    lede__buf_free(&s.title);
    lede__buf_free(&s.body);
    lede__buf_free(&s.date);
    lede__buf_free(&s.place);
    return rc;
}
