/*
 * fmt_html.c - HTML pages: one article per file.
 *
 * Owns what lede takes from a web page: the title (the headline of
 * <title>, og:title or the first <h1>, without the site's name), the
 * readable text of <body> cut into paragraphs at block-level elements,
 * with navigation, scripts, forms, the like and the <h1> that is the
 * title left out, the publication date (meta tags, then <time>),
 * the canonical URL and the keyword fields of <meta> tags (author,
 * article:author, article:section, article:tag, og:site_name,
 * news_keywords, and the names of declared fields). It owns the choice of
 * character encoding handed to the parser, not the decoding of declared
 * encodings, nor the parsing: libxml2's forgiving HTML parser does both, and no
 * page is refused for being malformed. A page that declares no encoding is made
 * UTF-8 first (emit.c). Calls input.c, emit.c, fields.c, buf.c, error.c and
 * libxml2.
 */
#include "lede_int.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* A charset declaration counts only in the first bytes, as in browsers'
 * prescan (which looks at 1024). */
#define PRESCAN 1024

/* Subtrees that hold no article text: code, page furniture, forms and
 * embedded objects; textarea, audio, video and canvas too, whose content
 * is fallback text for old browsers. <head> is not passed over whole, but
 * its elements are, one by one (title, style, script...; meta and link
 * hold no text): libxml2 2.9 knows no HTML5 element, and leaves
 * <article>, <main> or <time> in <head> when a page has no <body> tag,
 * as short HTML5 pages often do. */
static const char *const skipped[] = {
    "script", "style",    "noscript", "template", "title",  "nav",  "header",
    "footer", "aside",    "form",     "button",   "select", "svg",  "iframe",
    "object", "textarea", "audio",    "video",    "canvas", "math",
};

/* Elements whose start and end separate paragraphs. */
static const char *const blocks[] = {
    "p",        "div",    "section",    "article",  "main",    "h1",
    "h2",       "h3",     "h4",         "h5",       "h6",      "ul",
    "ol",       "li",     "dl",         "dt",       "dd",      "blockquote",
    "pre",      "table",  "tr",         "caption",  "thead",   "tbody",
    "tfoot",    "figure", "figcaption", "hr",       "address", "br",
    "body",     "html",   "center",     "details",  "summary", "dialog",
    "hgroup",   "menu",   "dir",        "fieldset", "legend",  "noframes",
    "frameset",
};

/* Table cells of one row stay in one paragraph, a space apart. */
static const char *const spaced[] = {"td", "th"};

static int in_list(const xmlChar *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp((const char *)name, list[i]) == 0)
            return 1;
    }
    return 0;
}

#define IN_LIST(name, list) in_list(name, list, sizeof list / sizeof *list)

static int is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           strcasecmp((const char *)n->name, name) == 0;
}

/* The next node of a document-order walk of the tree under top; with
 * descend 0 the children of n are passed over. leave (may be NULL) is
 * called for each element whose subtree is finished. */
static xmlNode *walk_next(xmlNode *n, const xmlNode *top, int descend,
                          void (*leave)(xmlNode *, void *), void *payload)
{
    if (descend && n->children != NULL && n->type == XML_ELEMENT_NODE)
        return n->children;
    for (;;) {
        if (leave != NULL && n->type == XML_ELEMENT_NODE)
            leave(n, payload);
        if (n == top)
            return NULL;
        if (n->next != NULL)
            return n->next;
        n = n->parent;
        if (n == NULL || n == top)
            return NULL;
    }
}

/* ---- collapsed text ------------------------------------------------------ */

/* Text with white space collapsed: runs of spaces become one space and
 * paragraph breaks one blank line; neither is written at the start, and
 * both wait for the next visible character, so nothing trails. */
typedef struct {
    lede__buf *out; /* the text so far */
    int space;      /* a space is due before the next character */
    int para;       /* a paragraph break is due (wins over space) */
    int rc;         /* first failure of a put, or 0 */
} text;

static void text_break(text *t)
{
    t->para = 1;
}

static void text_space(text *t)
{
    t->space = 1;
}

/* NO-BREAK SPACE (U+00A0, &nbsp;) is taken for an ordinary space, so that
 * "<p>&nbsp;</p>", a common spacer, is no paragraph and runs of &nbsp;
 * used for layout collapse; the tokenizer splits words at it anyway. */
static size_t space_at(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v')
        return 1;
    if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0)
        return 2;
    return 0;
}

static void text_put(text *t, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && t->rc == 0) {
        size_t k = space_at(s, i, n);
        if (k > 0) {
            t->space = 1;
            i += k;
            continue;
        }
        size_t j = i;
        while (j < n && space_at(s, j, n) == 0)
            j++;
        if (t->out->len > 0 && (t->para || t->space))
            t->rc =
                lede__buf_put(t->out, t->para ? "\n\n" : " ", t->para ? 2 : 1);
        t->para = t->space = 0;
        if (t->rc == 0)
            t->rc = lede__buf_put(t->out, s + i, j - i);
        i = j;
    }
}

/* All the text under n, on one line (for titles). */
static int line_text(lede__buf *out, xmlNode *n)
{
    text t = {out, 0, 0, 0};
    for (xmlNode *c = n; c != NULL && t.rc == 0;) {
        int descend = 1;
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content != NULL)
                text_put(&t, (const char *)c->content,
                         strlen((const char *)c->content));
        } else if (c->type == XML_ELEMENT_NODE && c != n) {
            descend = !IN_LIST(c->name, skipped);
            if (!descend || IN_LIST(c->name, blocks) ||
                IN_LIST(c->name, spaced))
                text_space(&t); /* "<br>" or a block inside a heading */
        } else if (c->type != XML_ELEMENT_NODE) {
            descend = 0;
        }
        c = walk_next(c, n, descend, NULL, NULL);
    }
    return t.rc;
}

/* ---- body text ----------------------------------------------------------- */

static void leave_element(xmlNode *n, void *payload)
{
    text *t = payload;
    if (IN_LIST(n->name, blocks))
        text_break(t);
    else if (IN_LIST(n->name, spaced))
        text_space(t);
}

/* Append the text under top (a top-level node of the document) to out,
 * leaving out the element omit (may be NULL). */
static int body_text(lede__buf *out, xmlNode *top, const xmlNode *omit)
{
    text t = {out, 0, out->len > 0, 0};
    for (xmlNode *c = top; c != NULL && t.rc == 0;) {
        int descend = 1;
        if (c == omit) {
            descend = 0;
            text_break(&t);
        } else if (c->type == XML_TEXT_NODE ||
                   c->type == XML_CDATA_SECTION_NODE) {
            if (c->content != NULL)
                text_put(&t, (const char *)c->content,
                         strlen((const char *)c->content));
        } else if (c->type == XML_ELEMENT_NODE) {
            if (IN_LIST(c->name, skipped)) {
                descend = 0;
                text_space(&t); /* words on both sides stay apart */
            } else if (IN_LIST(c->name, blocks)) {
                text_break(&t);
            } else if (IN_LIST(c->name, spaced)) {
                text_space(&t);
            }
        } else {
            descend = 0; /* comments, processing instructions */
        }
        c = walk_next(c, top, descend, leave_element, &t);
    }
    return t.rc;
}

/* ---- metadata ------------------------------------------------------------ */

/* The page's metadata: attribute values owned by libxml2 (xmlFree). */
typedef struct {
    xmlChar *published; /* <meta property="article:published_time"> */
    xmlChar *named;     /* <meta name="date" (or pubdate, ...)> */
    xmlChar *itemprop;  /* <meta itemprop="datePublished"> */
    xmlChar *time;      /* the first <time datetime> */
    xmlChar *canonical; /* <link rel="canonical" href> */
    xmlChar *og_url;    /* <meta property="og:url"> */
    xmlChar *og_title;  /* <meta property="og:title"> */
    xmlChar *og_site;   /* <meta property="og:site_name"> */
    xmlNode *title;     /* the first <title> outside svg and math */
    xmlNode *h1;        /* the first <h1> */
    lede__reader *r;    /* where field values go */
    int rc;             /* the first non-zero return of giving one */
} meta;

static const char *const date_names[] = {
    "date", "pubdate", "publishdate", "dc.date", "dc.date.issued",
};

/* Blank by the same white space that put_trimmed() trims: a value of "\v"
 * kept as not blank would trim to nothing, and be read as a date. */
static int blank(const xmlChar *s)
{
    for (; s != NULL && *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '\f' &&
            *s != '\v')
            return 0;
    }
    return 1;
}

/* Keep v in *slot unless the slot is taken or v is blank. */
static void keep(xmlChar **slot, xmlChar *v)
{
    if (*slot == NULL && !blank(v))
        *slot = v;
    else
        xmlFree(v);
}

static int attr_is(xmlNode *n, const char *attr, const char *value)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    int yes = v != NULL && strcasecmp((const char *)v, value) == 0;
    xmlFree(v);
    return yes;
}

/* Whether the space-separated list of link types in rel holds canonical. */
static int rel_canonical(xmlNode *n)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)"rel");
    int yes = 0;
    for (const char *p = (const char *)v; p != NULL && *p && !yes;) {
        p += strspn(p, " \t\n\r\f");
        size_t k = strcspn(p, " \t\n\r\f");
        yes = k == 9 && strncasecmp(p, "canonical", 9) == 0;
        p += k;
    }
    xmlFree(v);
    return yes;
}

/* The field a <meta> tag gives a value of, or NULL: name="author",
 * property="article:author", "article:section", "article:tag",
 * "og:site_name", name="news_keywords" (*split: comma-separated), and
 * name=NAME for a field the options declare. */
static const char *meta_field(const lede_read_options *opt, xmlNode *n,
                              const xmlChar *name, int *split)
{
    *split = 0;
    if (attr_is(n, "property", "article:author"))
        return "author";
    if (attr_is(n, "property", "article:section"))
        return "section";
    if (attr_is(n, "property", "article:tag"))
        return "tag";
    if (attr_is(n, "property", "og:site_name"))
        return "source";
    if (name == NULL)
        return NULL;
    if (strcasecmp((const char *)name, "author") == 0)
        return "author";
    if (strcasecmp((const char *)name, "news_keywords") == 0) {
        *split = 1;
        return "tag";
    }
    size_t len = strlen((const char *)name);
    for (const char *p = opt->fields; p != NULL && *p;) {
        const char *comma = strchr(p, ',');
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        if (k == len && strncasecmp(p, (const char *)name, len) == 0 &&
            !lede__fields_list_has(LEDE_FIELDS_STANDARD, p, k))
            return p; /* NUL-terminated or not: meta_value() copies */
        p = comma ? comma + 1 : p + k;
    }
    return NULL;
}

/* Give the values of a field's <meta> tag to the reader. */
static void meta_value(meta *m, xmlNode *n, const xmlChar *name)
{
    int split;
    const char *field = meta_field(m->r->opt, n, name, &split);
    if (field == NULL || m->rc != 0)
        return;
    char fname[LEDE_FIELD_NAME_MAX + 1];
    size_t fl = strcspn(field, ",");
    snprintf(fname, sizeof fname, "%.*s", (int)fl, field);
    xmlChar *v = xmlGetProp(n, (const xmlChar *)"content");
    const char *p = (const char *)v;
    /* article:author is often the author's page, not a name. */
    if (p != NULL && strcmp(fname, "author") == 0 &&
        (strncasecmp(p, "http://", 7) == 0 ||
         strncasecmp(p, "https://", 8) == 0))
        p = NULL;
    while (p != NULL && *p && m->rc == 0) {
        size_t k = split ? strcspn(p, ",") : strlen(p);
        m->rc = lede__emit_field(m->r, 0, fname, p, k);
        p += k;
        if (*p == ',')
            p++;
    }
    xmlFree(v);
}

static void meta_element(meta *m, xmlNode *n)
{
    const xmlChar *content = (const xmlChar *)"content";
    if (is_element(n, "meta")) {
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        meta_value(m, n, name);
        if (attr_is(n, "property", "article:published_time"))
            keep(&m->published, xmlGetProp(n, content));
        else if (attr_is(n, "property", "og:url"))
            keep(&m->og_url, xmlGetProp(n, content));
        else if (attr_is(n, "property", "og:title"))
            keep(&m->og_title, xmlGetProp(n, content));
        else if (attr_is(n, "property", "og:site_name"))
            keep(&m->og_site, xmlGetProp(n, content));
        else if (name != NULL && IN_LIST(name, date_names))
            keep(&m->named, xmlGetProp(n, content));
        else if (attr_is(n, "itemprop", "datePublished"))
            keep(&m->itemprop, xmlGetProp(n, content));
        xmlFree(name);
    } else if (is_element(n, "time")) {
        keep(&m->time, xmlGetProp(n, (const xmlChar *)"datetime"));
    } else if (is_element(n, "link")) {
        if (rel_canonical(n))
            keep(&m->canonical, xmlGetProp(n, (const xmlChar *)"href"));
    } else if (is_element(n, "h1")) {
        if (m->h1 == NULL)
            m->h1 = n;
    }
}

/* One walk over the whole document for everything but the text. */
static void find_meta(meta *m, xmlDoc *doc)
{
    for (xmlNode *top = doc->children; top != NULL; top = top->next) {
        for (xmlNode *n = top; n != NULL;) {
            int descend = 1;
            if (n->type == XML_ELEMENT_NODE) {
                meta_element(m, n);
                if (is_element(n, "svg") || is_element(n, "math"))
                    descend = 0; /* their <title>s name pictures */
                else if (is_element(n, "title") && m->title == NULL)
                    m->title = n;
            }
            n = walk_next(n, top, descend, NULL, NULL);
        }
    }
}

static void free_meta(meta *m)
{
    xmlFree(m->published);
    xmlFree(m->named);
    xmlFree(m->itemprop);
    xmlFree(m->time);
    xmlFree(m->canonical);
    xmlFree(m->og_url);
    xmlFree(m->og_title);
    xmlFree(m->og_site);
}

/* ---- encoding ------------------------------------------------------------ */

/* Find needle (lower case) in s[0..n) ignoring case. */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        if (strncasecmp(s + i, needle, k) == 0)
            return s + i;
    }
    return NULL;
}

/* Whether the first bytes declare an encoding: a <meta> tag naming a
 * charset (<meta charset> or the http-equiv Content-Type form), or an XML
 * declaration with encoding=. */
static int declares_charset(const char *s, size_t n)
{
    if (n > PRESCAN)
        n = PRESCAN;
    const char *p = s, *end = s + n;
    while ((p = find_ci(p, (size_t)(end - p), "<meta")) != NULL) {
        const char *gt = memchr(p, '>', (size_t)(end - p));
        const char *stop = gt ? gt : end;
        if (find_ci(p, (size_t)(stop - p), "charset"))
            return 1;
        p += 5;
    }
    if (n >= 5 && memcmp(s, "<?xml", 5) == 0) {
        const char *gt = memchr(s, '>', n);
        if (find_ci(s, gt ? (size_t)(gt - s) : n, "encoding"))
            return 1;
    }
    return 0;
}

static int has_bom(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    return (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) ||
           (n >= 2 &&
            ((u[0] == 0xfe && u[1] == 0xff) || (u[0] == 0xff && u[1] == 0xfe)));
}

/* The page as libxml2 gets it, and the encoding to hand it: NULL lets it
 * follow a byte order mark or a declaration, which know the page best.
 * Without either, libxml2 2.9 reads Latin-1 (the HTML 4 default), which
 * garbles the UTF-8 most pages are written in; so a page that declares
 * nothing is made UTF-8 by the reader's rule (the encoding option, else
 * UTF-8 or, failing that, Windows-1252, as browsers read "Latin-1"). */
static int choose_encoding(lede__reader *r, const char **s, size_t *n,
                           const char **out)
{
    *out = NULL;
    if (has_bom(*s, *n) || declares_charset(*s, *n))
        return 0;
    *out = "UTF-8";
    return lede__emit_text(r, 0, s, n);
}

/* ---- the title ----------------------------------------------------------- */

/* Whether needle[0..k) occurs in s[0..n). */
static int contains(const char *s, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; k <= n && i <= n - k; i++) {
        if (memcmp(s + i, needle, k) == 0)
            return 1;
    }
    return 0;
}

/* Collapsed text of an attribute value into out. */
static int value_text(lede__buf *out, const xmlChar *v)
{
    text t = {out, 0, 0, 0};
    lede__buf_clear(out);
    if (v != NULL)
        text_put(&t, (const char *)v, strlen((const char *)v));
    return t.rc;
}

/* Separators between a headline and a site's name in <title>. */
static const char *const separators[] = {" - ", " | ", " \xe2\x80\x94 ",
                                         " \xe2\x80\x93 ", " :: "};

/* Strip the site's name from a <title> that starts or ends with it after
 * a separator ("Storm batters coast - BBC News"); a title that is the
 * name alone, or names it otherwise, stays. */
static void strip_site(lede__buf *title, const lede__buf *site)
{
    size_t n = title->len, k = site->len;
    if (k == 0 || n <= k)
        return;
    for (size_t i = 0; i < sizeof separators / sizeof *separators; i++) {
        size_t sl = strlen(separators[i]);
        if (n <= k + sl)
            continue;
        if (memcmp(title->data + n - k, site->data, k) == 0 &&
            memcmp(title->data + n - k - sl, separators[i], sl) == 0) {
            title->len = n - k - sl;
            title->data[title->len] = '\0';
            return;
        }
        if (memcmp(title->data, site->data, k) == 0 &&
            memcmp(title->data + k, separators[i], sl) == 0) {
            memmove(title->data, title->data + k + sl, n - k - sl);
            title->len = n - k - sl;
            title->data[title->len] = '\0';
            return;
        }
    }
}

/* The headline: sites put their own name in <title> ("Site | Volcano
 * erupts", "Volcano erupts - Site"), while og:title (for link previews)
 * and the first <h1> hold the headline alone. Either is taken when
 * <title> holds it and more, og:title first; a <title> that holds neither
 * is kept, for they then may be a teaser or a section's name, without the
 * site's name when og:site_name gives it and a separator sets it apart
 * (without og:site_name, nothing tells a name from a headline's part). A
 * page without <title> takes og:title, else the <h1>. *h1_out is set when
 * the headline is the <h1>'s text, which the body then leaves out, as a
 * text file's first line is its title and no part of its body. */
static int page_title(lede__buf *out, const meta *m, int *h1_out)
{
    lede__buf og = LEDE__BUF_INIT, h1 = LEDE__BUF_INIT;
    int rc = 0, taken = 0;

    lede__buf_clear(out);
    *h1_out = 0;
    if (m->title != NULL)
        rc = line_text(out, m->title);
    if (rc == 0)
        rc = value_text(&og, m->og_title);
    if (rc == 0 && m->h1 != NULL)
        rc = line_text(&h1, m->h1);
    const lede__buf *parts[] = {&og, &h1};
    for (size_t i = 0; i < 2 && rc == 0; i++) {
        const lede__buf *p = parts[i];
        if (p->len > 0 && (out->len == 0 ||
                           (p->len < out->len &&
                            contains(out->data, out->len, p->data, p->len)))) {
            lede__buf_clear(out);
            rc = lede__buf_put(out, p->data, p->len);
            taken = 1;
            break;
        }
    }
    if (rc == 0 && !taken && out->len > 0 && m->og_site != NULL &&
        (rc = value_text(&og, m->og_site)) == 0)
        strip_site(out, &og);
    *h1_out = rc == 0 && h1.len > 0 && h1.len == out->len &&
              memcmp(h1.data, out->data, h1.len) == 0;
    lede__buf_free(&og);
    lede__buf_free(&h1);
    return rc;
}

/* ---- the article --------------------------------------------------------- */

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

/* Parse without a word on stderr: HTML_PARSE_NOERROR silences the parser,
 * but encoding conversion errors go to the thread's generic handlers,
 * which are swapped out for the call. */
static xmlDoc *parse(const char *s, size_t n, const char *encoding)
{
    xmlGenericErrorFunc old = xmlGenericError;
    void *old_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_s = xmlStructuredError;
    void *old_s_ctx = xmlStructuredErrorContext;

    xmlSetGenericErrorFunc(NULL, quiet);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    xmlDoc *doc = htmlReadMemory(s, (int)n, NULL, encoding,
                                 HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    xmlSetGenericErrorFunc(old_ctx, old);
    xmlSetStructuredErrorFunc(old_s_ctx, old_s);
    return doc;
}

/* Trimmed copy of an attribute value into out (NUL-terminated). */
static int put_trimmed(lede__buf *out, const xmlChar *v)
{
    const char *s = (const char *)v;
    size_t n = strlen(s);
    while (n > 0 && space_at(s, 0, n) == 1) {
        s++;
        n--;
    }
    while (n > 0 && space_at(s, n - 1, n) == 1)
        n--;
    lede__buf_clear(out);
    return n > 0 ? lede__buf_put(out, s, n) : 0;
}

int lede__fmt_html(lede__reader *r)
{
    lede_article a = LEDE_ARTICLE_INIT;
    lede__buf title = LEDE__BUF_INIT, body = LEDE__BUF_INIT;
    lede__buf url = LEDE__BUF_INIT, date = LEDE__BUF_INIT;
    meta m;
    xmlDoc *doc = NULL;
    int rc;

    memset(&m, 0, sizeof m);
    lede__buf_clear(&r->scratch);
    rc = lede__input_all(r->in, &r->scratch, r->opt->max_article_bytes);
    if (rc < 0)
        return rc;
    if (r->scratch.len > INT_MAX)
        return lede__error_set(LEDE_ELIMIT,
                               "%s: HTML page over 2 GiB, which the parser "
                               "cannot take",
                               lede__input_path(r->in));
    a.id = r->id;
    if (r->scratch.len > 0) {
        const char *page = r->scratch.data, *enc;
        size_t n = r->scratch.len;
        if ((rc = choose_encoding(r, &page, &n, &enc)) != 0)
            return rc;
        if (n > INT_MAX)
            return lede__error_set(LEDE_ELIMIT,
                                   "%s: HTML page over 2 GiB in UTF-8, "
                                   "which the parser cannot take",
                                   lede__input_path(r->in));
        xmlInitParser();
        doc = parse(page, n, enc);
    }
    m.r = r;
    if (doc != NULL) {
        find_meta(&m, doc);
        rc = m.rc;
        int h1_is_title = 0;
        if (rc == 0)
            rc = page_title(&title, &m, &h1_is_title);
        for (xmlNode *top = doc->children; top != NULL && rc == 0;
             top = top->next)
            rc = body_text(&body, top, h1_is_title ? m.h1 : NULL);
        const xmlChar *u = m.canonical ? m.canonical : m.og_url;
        if (rc == 0 && u != NULL && (rc = put_trimmed(&url, u)) == 0)
            a.url = url.data;
        /* Meta tags written to date the page come before a <time>, which
         * may date anything the text mentions. */
        const xmlChar *d = m.published  ? m.published
                           : m.named    ? m.named
                           : m.itemprop ? m.itemprop
                                        : m.time;
        if (rc == 0 && d != NULL && (rc = put_trimmed(&date, d)) == 0)
            rc = lede__emit_date(r, 0, date.data, date.len, &a.date);
    }
    if (rc == 0) {
        a.title = title.data;
        a.title_len = title.len;
        a.body = body.data;
        a.body_len = body.len;
        rc = lede__emit_article(r, &a, 0);
    }
    free_meta(&m);
    xmlFreeDoc(doc);
    lede__buf_free(&title);
    lede__buf_free(&body);
    lede__buf_free(&url);
    lede__buf_free(&date);
    return rc;
}
