/*
 * reader.c - corpus files to articles: formats, limits, and plain text.
 *
 * Owns lede_read_file(): choosing the format from a file name, filling in
 * the default limits and field names, refusing binary files, and handing
 * the decompressed bytes (input.c) to the parser of the format (fmt_*.c).
 * Also the plain-text format, whose title rule the rest of lede shares.
 * What a parser hands on (articles, warnings, dates, text made UTF-8) is
 * emit.c's, which the formats call without coming back here. Calls
 * input.c, fmt_jsonl.c, fmt_html.c, fmt_trec.c, emit.c, fields.c,
 * charset.c, date.c, strmap.c, buf.c, alloc.c and error.c.
 */
#include "lede_int.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* A file whose first bytes hold a NUL is binary (as grep decides). */
#define BINARY_PROBE 8192

static const struct {
    const char *suffix;
    lede_format format;
} suffixes[] = {
    {".txt", LEDE_FORMAT_TXT},      {".jsonl", LEDE_FORMAT_JSONL},
    {".ndjson", LEDE_FORMAT_JSONL}, {".html", LEDE_FORMAT_HTML},
    {".htm", LEDE_FORMAT_HTML},     {".trec", LEDE_FORMAT_TREC},
    {".sgml", LEDE_FORMAT_TREC},    {".sgm", LEDE_FORMAT_TREC},
};

static const char *const names[] = {"auto", "txt", "jsonl", "html", "trec"};

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len > n && strncasecmp(s + len - n, suffix, n) == 0;
}

LEDE_EXTERN(lede_format) lede_format_for_name(const char *name)
{
    if (name == NULL)
        return LEDE_FORMAT_AUTO;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t len = strlen(base);
    if (ends_with(base, len, ".gz"))
        len -= 3;
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        if (ends_with(base, len, suffixes[i].suffix))
            return suffixes[i].format;
    }
    return LEDE_FORMAT_AUTO;
}

LEDE_EXTERN(int) lede_format_parse(lede_format *out, const char *name)
{
    if (out == NULL || name == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_format_parse: %s is NULL",
                               out == NULL ? "out" : "name");
    for (int f = LEDE_FORMAT_TXT; f <= LEDE_FORMAT_TREC; f++) {
        if (strcmp(name, names[f]) == 0) {
            *out = (lede_format)f;
            return 0;
        }
    }
    *out = LEDE_FORMAT_AUTO;
    return lede__error_set(
        LEDE_EINVAL, "unknown format '%s' (txt, jsonl, html or trec)", name);
}

/* News archives often name a story's file after its day:
 * 2018-06-12-trump-kim-summit.txt. A one-article file so named, with no
 * date inside, takes that date. */
static int64_t name_date(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int64_t t;
    if (strlen(base) < 10 || (base[10] >= '0' && base[10] <= '9') ||
        lede__date_parse(&t, base, 10) < 0)
        return LEDE_NO_DATE;
    return t;
}

void lede__reader_split_title(const char *text, size_t len, lede_article *a)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3; /* byte order mark */
    for (;;) {
        size_t s = i;
        while (i < len && (text[i] == ' ' || text[i] == '\t' ||
                           text[i] == '\r' || text[i] == '\f'))
            i++;
        if (i < len && text[i] == '\n') {
            i++;
            continue; /* blank line before the title */
        }
        i = s;
        break;
    }
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    const char *nl = memchr(text + i, '\n', len - i);
    size_t stop = nl ? (size_t)(nl - text) : len;
    size_t end = stop;
    while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
                       text[end - 1] == '\r'))
        end--;
    a->title = text + i;
    a->title_len = end - i;
    a->body = nl ? text + stop + 1 : text + len;
    a->body_len = nl ? len - stop - 1 : 0;
}

/* Plain text: the first line is the title, the rest the body. */
static int fmt_txt(lede__reader *r)
{
    lede_article a = LEDE_ARTICLE_INIT;
    lede__buf_clear(&r->scratch);
    int rc = lede__input_all(r->in, &r->scratch, r->opt->max_article_bytes);
    if (rc < 0)
        return rc;
    const char *text = r->scratch.data ? r->scratch.data : "";
    size_t len = r->scratch.len;
    if ((rc = lede__emit_text(r, 1, &text, &len)) != 0)
        return rc;
    lede__reader_split_title(text, len, &a);
    a.id = r->id;
    return lede__emit_article(r, &a, 1);
}

int lede__reader_options_copy(lede_read_options *o, const lede_read_options *in)
{
    static const lede_read_options defaults = LEDE_READ_OPTIONS_INIT;
    *o = defaults;
    if (in == NULL)
        return 0;
    if (in->version < 1 || in->version > LEDE_READ_OPTIONS_VERSION)
        return lede__error_set(LEDE_EINVAL,
                               "lede_read_options version %u is not "
                               "supported (1..%d)",
                               in->version, LEDE_READ_OPTIONS_VERSION);
    /* A version 1 caller's struct ends before encoding, a version 2
     * one's before corpus_path. */
    memcpy(o, in,
           in->version >= 3   ? sizeof *o
           : in->version == 2 ? offsetof(lede_read_options, corpus_path)
                              : offsetof(lede_read_options, encoding));
    o->version = LEDE_READ_OPTIONS_VERSION;
    if ((int)o->format < LEDE_FORMAT_AUTO || o->format > LEDE_FORMAT_TREC)
        return lede__error_set(LEDE_EINVAL, "unknown format %d",
                               (int)o->format);
    int rc = lede__fields_list_check(o->fields);
    return rc < 0 ? rc : lede__charset_check(o->encoding);
}

/* The id of a one-article file: its name without directories or ".gz". */
static char *default_id(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (ends_with(base, len, ".gz"))
        len -= 3;
    return lede__strndup(base, len);
}

int lede__reader_file(const char *path, const lede_read_options *opts,
                      lede_read_cb cb, void *payload, uint64_t *hash_out,
                      uint64_t *read_out)
{
    lede_read_options o;
    lede__reader r = {.opt = &o,
                      .cb = cb,
                      .payload = payload,
                      .scratch = LEDE__BUF_INIT,
                      .name_date = LEDE_NO_DATE,
                      .ids = LEDE__STRMAP_INIT,
                      .decoded = LEDE__BUF_INIT};
    char *id = NULL;
    const char *head;
    size_t nhead;
    int rc;

    if (path == NULL || cb == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_read_file: %s is NULL",
                               path == NULL ? "path" : "callback");
    if ((rc = lede__reader_options_copy(&o, opts)) < 0)
        return rc;
    if (!o.max_file_bytes)
        o.max_file_bytes = LEDE_DEFAULT_MAX_FILE_BYTES;
    if (!o.max_article_bytes)
        o.max_article_bytes = LEDE_DEFAULT_MAX_ARTICLE_BYTES;
    if (!o.max_ratio)
        o.max_ratio = LEDE_DEFAULT_MAX_RATIO;
    if (!o.json_id)
        o.json_id = "id";
    if (!o.json_title)
        o.json_title = "title";
    if (!o.json_date)
        o.json_date = "date";
    if (!o.json_url)
        o.json_url = "url";
    lede_format f = o.format ? o.format : lede_format_for_name(path);
    if (f == LEDE_FORMAT_AUTO)
        return lede__error_set(
            LEDE_EINVAL, "%s: no format for this file name (name one)", path);
    if (o.id == NULL && (o.id = id = default_id(path)) == NULL)
        return lede__error_nomem();
    r.id = o.id;
    if (f == LEDE_FORMAT_TXT || f == LEDE_FORMAT_HTML)
        r.name_date = name_date(path);
    r.folder_section = f == LEDE_FORMAT_TXT;

    lede__input_limits lim = {o.max_file_bytes, o.max_ratio};
    if ((rc = lede__input_open(&r.in, path, &lim)) < 0)
        goto done;
    if ((rc = lede__input_peek(r.in, &head, &nhead)) < 0)
        goto done;
    if (memchr(head, '\0', nhead < BINARY_PROBE ? nhead : BINARY_PROBE)) {
        rc = lede__error_set(LEDE_EINVAL, "%s: binary file (NUL bytes)", path);
        goto done;
    }
    switch (f) {
    case LEDE_FORMAT_TXT:
        rc = fmt_txt(&r);
        break;
    case LEDE_FORMAT_JSONL:
        rc = lede__fmt_jsonl(&r);
        break;
    case LEDE_FORMAT_HTML:
        rc = lede__fmt_html(&r);
        break;
    default:
        rc = lede__fmt_trec(&r);
        break;
    }
    if (rc == 0 && hash_out != NULL) {
        /* Read to the end, so that the hash covers the whole file. */
        char sink[4096];
        size_t got;
        do
            rc = lede__input_read(r.in, sink, sizeof sink, &got);
        while (rc == 0 && got > 0);
        *hash_out = lede__input_hash(r.in);
    }
done:
    if (read_out != NULL)
        *read_out = r.in != NULL ? lede__input_consumed(r.in) : 0;
    lede__input_close(r.in);
    lede__buf_free(&r.scratch);
    lede__buf_free(&r.decoded);
    lede__strmap_free(&r.ids);
    lede__emit_fields_clear(&r);
    lede__free(r.fields);
    lede__free(id);
    return rc;
}

LEDE_EXTERN(int)
lede_read_file(const char *path, const lede_read_options *opts, lede_read_cb cb,
               void *payload)
{
    return lede__reader_file(path, opts, cb, payload, NULL, NULL);
}
