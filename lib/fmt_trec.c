/*
 * fmt_trec.c - SGML news records: TREC <DOC> files and Reuters-21578.
 *
 * Owns both record layouts and what lede takes from them: the id (<DOCNO>,
 * or the NEWID attribute of <REUTERS>), the title, the body with its <P>
 * paragraph breaks, and the date; SGML's few entities and the control
 * characters wire services left in the text; Reuters' dateline, kept, and
 * its sign-off, dropped; keyword fields (Reuters' TOPICS, PLACES,
 * PEOPLE, ORGS and EXCHANGES as topic, place, person, org and exchange,
 * and its AUTHOR; TREC's BYLINE or BY, SECTION, SO or SOURCE, and a
 * declared field's element of its name in capitals). A file is read as a
 * stream, one record at a time, so memory stays at about one record whatever
 * the size of the file; a record over the size limit is skipped without being
 * held. A bad record (no id, too long, never closed) is reported and skipped
 * and the rest of the file is read. This is a tolerant scanner, not an SGML
 * parser: no DTD is read, and tags are matched by name (sgml.c). A record not
 * in UTF-8 is decoded whole first (emit.c). Calls input.c, emit.c, sgml.c,
 * date.c and buf.c.
 */
#include "lede_int.h"

#include <string.h>
#include <strings.h>

/* Bytes asked of the input at a time. */
#define CHUNK (64 * 1024)
/* Tag names longer than this are none lede looks for. */
#define TAG_NAME_MAX LEDE__SGML_NAME_MAX
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
    lede__buf fval;                  /* a field value being read */
} scan;

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
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
    lede__sgml_conv cv;
    lede__buf_clear(out);
    for (; *names != NULL && out->len == 0; names++) {
        lede__sgml_elem e;
        for (size_t pos = 0;
             out->len == 0 && lede__sgml_find_elem(s, n, pos, *names, &e);
             pos = e.next) {
            lede__sgml_conv_init(&cv, out, 1);
            lede__sgml_convert(&cv, s + e.content, e.content_end - e.content,
                               NULL);
            if (lede__sgml_conv_end(&cv) < 0)
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
    lede__sgml_conv cv;
    int rc;
    if ((rc = first_text(&s->id, c, n, docno)) < 0 ||
        (rc = first_text(&s->title, c, n, trec_titles)) < 0 ||
        (rc = first_text(&s->date, c, n, trec_dates)) < 0)
        return rc;
    lede__sgml_conv_init(&cv, &s->body, 0);
    for (const char *const *name = trec_bodies; *name != NULL; name++) {
        lede__sgml_elem e;
        for (size_t pos = 0; lede__sgml_find_elem(c, n, pos, *name, &e);
             pos = e.next) {
            lede__sgml_convert(&cv, c + e.content, e.content_end - e.content,
                               NULL);
            lede__sgml_conv_break(&cv);
        }
    }
    return lede__sgml_conv_end(&cv);
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
    lede__sgml_conv cv;
    lede__sgml_elem text, body;
    int unproc = 0, rc;

    lede__sgml_conv_init(&cv, &s->id, 1);
    if (lede__sgml_attr_value(attr, attr_len, "NEWID", &v, &vlen))
        lede__sgml_convert(&cv, v, vlen, NULL);
    if ((rc = lede__sgml_conv_end(&cv)) < 0 ||
        (rc = first_text(&s->date, c, n, reuters_dates)) < 0)
        return rc;
    if (lede__sgml_find_elem(c, n, 0, "TEXT", &text)) {
        unproc = lede__sgml_attr_value(c + text.attr, text.attr_end - text.attr,
                                       "TYPE", &v, &vlen) &&
                 vlen == 6 && strncasecmp(v, "UNPROC", 6) == 0;
        c += text.content;
        n = text.content_end - text.content;
    }
    if ((rc = first_text(&s->title, c, n, reuters_titles)) < 0 ||
        (rc = first_text(&s->place, c, n, dateline)) < 0)
        return rc;
    lede__sgml_conv_init(&cv, &s->body, 0);
    if (lede__sgml_find_elem(c, n, 0, "BODY", &body)) {
        /* Byte by byte: the dateline's entities are decoded already. */
        for (size_t i = 0; i < s->place.len; i++)
            lede__sgml_conv_char(&cv, s->place.data + i, 1);
        if (s->place.len > 0)
            lede__sgml_conv_char(&cv, " ", 1);
        lede__sgml_convert(&cv, c + body.content,
                           body.content_end - body.content, NULL);
    } else if (unproc) {
        lede__sgml_convert(&cv, c, n, reuters_furniture);
    }
    if ((rc = lede__sgml_conv_end(&cv)) < 0)
        return rc;
    drop_signoff(&s->body);
    return 0;
}

/* Reuters-21578's categories, each a list of <D> values, as fields. */
static const struct {
    const char *elem;  /* the record's element */
    const char *field; /* lede's field */
} reuters_lists[] = {{"TOPICS", "topic"},
                     {"PLACES", "place"},
                     {"PEOPLE", "person"},
                     {"ORGS", "org"},
                     {"EXCHANGES", "exchange"}};

/* TREC elements read as fields: the bylines, sections and sources of the
 * newspaper collections (AP, LA Times, WSJ, FT...). */
static const struct {
    const char *elem;
    const char *field;
} trec_keywords[] = {{"BYLINE", "author"},
                     {"BY", "author"},
                     {"SECTION", "section"},
                     {"SO", "source"},
                     {"SOURCE", "source"}};

/* The text of element e of c into out, whitespace as it is. */
static int elem_text(lede__buf *out, const char *c, const lede__sgml_elem *e)
{
    lede__sgml_conv cv;
    lede__buf_clear(out);
    lede__sgml_conv_init(&cv, out, 1);
    lede__sgml_convert(&cv, c + e->content, e->content_end - e->content, NULL);
    return lede__sgml_conv_end(&cv);
}

/* "    by Janie Gabbett, Reuters" is the author Janie Gabbett: the wire's
 * name goes in any of the spellings its desks typed (", Reuter",
 * ", Reuters.", ", Reutersd"). */
static void byline_name(const char **p, size_t *n)
{
    while (*n > 0 && is_space((unsigned char)**p)) {
        (*p)++;
        (*n)--;
    }
    if (*n > 3 && strncasecmp(*p, "by ", 3) == 0) {
        *p += 3;
        *n -= 3;
    }
    for (size_t i = *n; i >= 8; i--) {
        if (strncasecmp(*p + i - 8, ", reuter", 8) != 0)
            continue;
        size_t j = i;
        while (j < *n && (((*p)[j] >= 'a' && (*p)[j] <= 'z') ||
                          ((*p)[j] >= 'A' && (*p)[j] <= 'Z') ||
                          (*p)[j] == '.' || is_space((unsigned char)(*p)[j])))
            j++;
        if (j == *n) {
            *n = i - 8;
            break;
        }
    }
    while (*n > 0 && is_space((unsigned char)(*p)[*n - 1]))
        (*n)--;
}

/* Each author of a byline: "A and B" is two. */
static int authors(scan *s, const char *v, size_t len)
{
    int rc = 0;
    byline_name(&v, &len);
    while (rc == 0 && len > 0) {
        size_t k = 0;
        while (k + 5 <= len && strncasecmp(v + k, " and ", 5) != 0)
            k++;
        size_t part = k + 5 <= len ? k : len;
        rc = lede__emit_field(s->r, s->rec_line, "author", v, part);
        if (part == len)
            break;
        v += part + 5;
        len -= part + 5;
    }
    return rc;
}

/* The first element of each name the list gives, as a field value; a
 * declared field's element (its name in capitals) too. */
static int trec_keyword_fields(scan *s, const char *c, size_t n)
{
    lede__sgml_elem e;
    int rc = 0;
    for (size_t i = 0;
         i < sizeof trec_keywords / sizeof *trec_keywords && rc == 0; i++) {
        if (!lede__sgml_find_elem(c, n, 0, trec_keywords[i].elem, &e))
            continue;
        if ((rc = elem_text(&s->fval, c, &e)) < 0)
            return rc;
        rc = strcmp(trec_keywords[i].field, "author") == 0
                 ? authors(s, s->fval.data, s->fval.len)
                 : lede__emit_field(s->r, s->rec_line, trec_keywords[i].field,
                                    s->fval.data, s->fval.len);
    }
    for (const char *p = s->r->opt->fields; p != NULL && *p && rc == 0;) {
        const char *comma = strchr(p, ',');
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        char name[LEDE_FIELD_NAME_MAX + 1];
        if (k <= LEDE_FIELD_NAME_MAX) {
            for (size_t j = 0; j < k; j++)
                name[j] = (char)(p[j] >= 'a' && p[j] <= 'z' ? p[j] - 32 : p[j]);
            name[k] = '\0';
            if (lede__sgml_find_elem(c, n, 0, name, &e) &&
                (rc = elem_text(&s->fval, c, &e)) == 0) {
                for (size_t j = 0; j < k; j++)
                    name[j] = p[j];
                rc = lede__emit_field(s->r, s->rec_line, name, s->fval.data,
                                      s->fval.len);
            }
        }
        p = comma ? comma + 1 : p + k;
    }
    return rc;
}

/* A Reuters record's categories (every <D> of TOPICS, PLACES, PEOPLE,
 * ORGS, EXCHANGES) and the <AUTHOR> of its story, as field values. */
static int reuters_keyword_fields(scan *s, const char *c, size_t n)
{
    lede__sgml_elem list, d;
    int rc = 0;
    for (size_t i = 0;
         i < sizeof reuters_lists / sizeof *reuters_lists && rc == 0; i++) {
        if (!lede__sgml_find_elem(c, n, 0, reuters_lists[i].elem, &list))
            continue;
        const char *lc = c + list.content;
        size_t ln = list.content_end - list.content;
        for (size_t pos = 0;
             rc == 0 && lede__sgml_find_elem(lc, ln, pos, "D", &d);
             pos = d.next) {
            if ((rc = elem_text(&s->fval, lc, &d)) == 0)
                rc = lede__emit_field(s->r, s->rec_line, reuters_lists[i].field,
                                      s->fval.data, s->fval.len);
        }
    }
    if (rc == 0 && lede__sgml_find_elem(c, n, 0, "AUTHOR", &d) &&
        (rc = elem_text(&s->fval, c, &d)) == 0)
        rc = authors(s, s->fval.data, s->fval.len);
    return rc;
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
    rc = s->kind == KIND_REUTERS
             ? reuters_keyword_fields(s, rec + content, end - content)
             : trec_keyword_fields(s, rec + content, end - content);
    if (rc != 0)
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
                      (lede__sgml_is_name(c) && (s->nlen > 0 || c != '-')));

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
    lede__buf_free(&s.fval);
    return rc;
}
