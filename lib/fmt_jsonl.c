/*
 * fmt_jsonl.c - JSON Lines: one article per line, a JSON object.
 *
 * Owns the mapping from JSON fields to articles: the id (a string or an
 * integer), title, text (or body), date (a string in a form date.c reads,
 * or a number of seconds since 1970) and url, under names the options can
 * change, and the keyword fields (author, section, source, tag and those
 * declared; a string or an array of strings, under keys json_fields can
 * rename). A bad line (malformed JSON, no id, over the size limit) is
 * reported and skipped; the rest of the file is read. Lines holding
 * invalid UTF-8 are repaired (U+FFFD) before parsing, so one bad byte does
 * not cost the article. Fields no option names are listed once per file,
 * in a warning, and the file is read as UTF-8 whatever the encoding
 * option says, since JSON exchanged between systems is UTF-8 (RFC 8259,
 * section 8.1). Parsing is jansson's. Calls input.c, emit.c, fields.c,
 * strmap.c, buf.c and error.c.
 */
#include "lede_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

/* A warning names this many fields that are not read, at most. */
#define IGNORED_MAX 32

/* A string field, or NULL when absent; *bad is set when present but not a
 * string, and *nul to its name when it holds a NUL character. */
static const char *string_field(json_t *o, const char *name, size_t *len,
                                int *bad, const char **nul)
{
    json_t *v = json_object_get(o, name);
    *len = 0;
    if (v == NULL || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    *len = json_string_length(v);
    if (memchr(json_string_value(v), '\0', *len) != NULL && *nul == NULL)
        *nul = name;
    return json_string_value(v);
}

/* A field lede reads that holds "\u0000" is refused as a text file
 * holding a NUL byte is (as binary): a NUL is no character of any text,
 * and C strings would cut the field at it unseen. */
static int nul_problem(lede__reader *r, uint64_t line, const char *name)
{
    return lede__emit_problem(r, line, LEDE_EINVAL,
                              "\"%s\" holds a NUL character (\\u0000); "
                              "line skipped",
                              name);
}

/* The JSON key of field name: its json_fields pair "name=KEY", or the
 * name itself; NULL when json_fields has a malformed pair. */
static const char *field_key(lede__buf *key, const lede_read_options *opt,
                             const char *name)
{
    size_t nl = strlen(name);
    lede__buf_clear(key);
    for (const char *p = opt->json_fields; p != NULL && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n > nl + 1 && memcmp(p, name, nl) == 0 && p[nl] == '=') {
            if (lede__buf_put(key, p + nl + 1, n - nl - 1) < 0)
                return NULL;
            return key->data;
        }
        p = comma ? comma + 1 : p + n;
    }
    return lede__buf_puts(key, name) < 0 ? NULL : key->data;
}

/* The values of one field: a string, or an array of strings. */
static int read_field(lede__reader *r, json_t *o, uint64_t line,
                      const char *name, lede__buf *key)
{
    const char *k = field_key(key, r->opt, name);
    if (k == NULL)
        return lede__error_nomem();
    json_t *v = json_object_get(o, k);
    if (v == NULL || json_is_null(v))
        return 0;
    if (json_is_string(v))
        return lede__emit_field(r, line, name, json_string_value(v),
                                json_string_length(v));
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            int rc = json_is_string(e)
                         ? lede__emit_field(r, line, name, json_string_value(e),
                                            json_string_length(e))
                     : json_is_null(e)
                         ? 0
                         : lede__emit_warning(r, line, LEDE_WARN_FIELD,
                                              "\"%s\": item %zu is not a "
                                              "string; left out",
                                              k, i + 1);
            if (rc != 0)
                return rc;
        }
        return 0;
    }
    return lede__emit_warning(r, line, LEDE_WARN_FIELD,
                              "\"%s\" is not a string or an array of "
                              "strings; left out",
                              k);
}

/* Every field's values: the standard fields, then the declared ones. */
static int read_fields(lede__reader *r, json_t *o, uint64_t line)
{
    static const char *const standard[] = {"author", "section", "source",
                                           "tag"};
    lede__buf key = LEDE__BUF_INIT, name = LEDE__BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < 4 && rc == 0; i++)
        rc = read_field(r, o, line, standard[i], &key);
    for (const char *p = r->opt->fields; p != NULL && *p && rc == 0;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        lede__buf_clear(&name);
        if (n > 0 && !lede__fields_list_has(LEDE_FIELDS_STANDARD, p, n) &&
            (rc = lede__buf_put(&name, p, n)) == 0)
            rc = read_field(r, o, line, name.data, &key);
        p = comma ? comma + 1 : p + n;
    }
    lede__buf_free(&key);
    lede__buf_free(&name);
    return rc;
}

/* Whether key is the JSON key of a field the options read. */
static int is_field_key(const lede_read_options *opt, const char *key)
{
    static const char *const standard[] = {"author", "section", "source",
                                           "tag"};
    lede__buf k = LEDE__BUF_INIT;
    int found = 0;
    for (size_t i = 0; i < 4 && !found; i++) {
        const char *fk = field_key(&k, opt, standard[i]);
        found = fk != NULL && strcmp(fk, key) == 0;
    }
    for (const char *p = opt->fields; p != NULL && *p && !found;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        lede__buf name = LEDE__BUF_INIT;
        if (lede__buf_put(&name, p, n) == 0) {
            const char *fk = field_key(&k, opt, name.data);
            found = fk != NULL && strcmp(fk, key) == 0;
        }
        lede__buf_free(&name);
        p = comma ? comma + 1 : p + n;
    }
    lede__buf_free(&k);
    return found;
}

/* Turn one parsed line into an article and deliver it. */
static int article(lede__reader *r, json_t *o, uint64_t line)
{
    const lede_read_options *opt = r->opt;
    lede_article a = LEDE_ARTICLE_INIT;
    char num[32];
    const char *nul = NULL;
    int bad = 0, rc;
    size_t len;

    json_t *id = json_object_get(o, opt->json_id);
    if (json_is_integer(id)) {
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(id));
        a.id = num;
    } else if (json_is_string(id) && json_string_length(id) > 0) {
        a.id = json_string_value(id);
    } else {
        return lede__emit_problem(r, line, LEDE_EINVAL,
                                  "no \"%s\" field (a string or an "
                                  "integer); line skipped",
                                  opt->json_id);
    }
    if (strlen(a.id) != json_string_length(id) && json_is_string(id))
        return nul_problem(r, line, opt->json_id);

    a.title = string_field(o, opt->json_title, &a.title_len, &bad, &nul);
    if (opt->json_text != NULL) {
        a.body = string_field(o, opt->json_text, &a.body_len, &bad, &nul);
    } else {
        a.body = string_field(o, "text", &a.body_len, &bad, &nul);
        if (a.body == NULL && !bad)
            a.body = string_field(o, "body", &a.body_len, &bad, &nul);
    }
    a.url = string_field(o, opt->json_url, &len, &bad, &nul);
    if (bad)
        return lede__emit_problem(r, line, LEDE_EINVAL,
                                  "a title, text, body or url field is "
                                  "not a string; line skipped");
    json_t *date = json_object_get(o, opt->json_date);
    if (json_is_string(date) &&
        strlen(json_string_value(date)) != json_string_length(date) &&
        nul == NULL)
        nul = opt->json_date;
    if (nul != NULL)
        return nul_problem(r, line, nul);
    if (a.title == NULL && a.body == NULL)
        return lede__emit_problem(r, line, LEDE_EINVAL,
                                  "article '%s' has neither title nor text; "
                                  "line skipped",
                                  a.id);

    if (json_is_string(date)) {
        rc = lede__emit_date(r, line, json_string_value(date),
                             json_string_length(date), &a.date);
        if (rc != 0)
            return rc;
    } else if (json_is_number(date)) {
        double t = json_number_value(date);
        if (isfinite(t) && fabs(t) < 1e15)
            a.date = (int64_t)t;
        else if ((rc = lede__emit_warning(r, line, LEDE_WARN_DATE,
                                          "date %g out of range; the "
                                          "article is kept without a date",
                                          t)) != 0)
            return rc;
    } else if (date != NULL && !json_is_null(date) &&
               (rc = lede__emit_warning(r, line, LEDE_WARN_DATE,
                                        "\"%s\" is not a string or number; "
                                        "the article is kept without a date",
                                        opt->json_date)) != 0) {
        return rc;
    }
    if ((rc = read_fields(r, o, line)) != 0)
        return rc;
    return lede__emit_article(r, &a, line);
}

/* Fields of a file that no option names, listed once when the file is
 * read: a corpus whose author or section goes unindexed should not learn
 * it by searching. */
typedef struct {
    lede__strmap names; /* each name once, in the order first seen */
    uint64_t line;      /* where the first was seen */
} ignored;

/* The names of o's fields the options do not read. */
static int note_fields(ignored *ig, const lede_read_options *opt, json_t *o,
                       uint64_t line)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        size_t len = strlen(key);
        int known = strcmp(key, opt->json_id) == 0 ||
                    strcmp(key, opt->json_title) == 0 ||
                    strcmp(key, opt->json_date) == 0 ||
                    strcmp(key, opt->json_url) == 0 ||
                    (opt->json_text != NULL ? strcmp(key, opt->json_text) == 0
                                            : strcmp(key, "text") == 0 ||
                                                  strcmp(key, "body") == 0) ||
                    is_field_key(opt, key);
        if (known || lede__strmap_find(&ig->names, key, len) != NULL)
            continue;
        if (ig->names.n >= IGNORED_MAX)
            return 0; /* enough to name in a message */
        lede__strmap_entry *e;
        int rc = lede__strmap_add(&e, &ig->names, key, len, "", 0);
        if (rc < 0)
            return rc;
        if (ig->names.n == 1)
            ig->line = line;
    }
    return 0;
}

/* One warning naming the fields that were not read, at the file's last
 * line: events come in the order of their lines. */
static int report_ignored(lede__reader *r, const ignored *ig, uint64_t last)
{
    lede__buf msg = LEDE__BUF_INIT;
    int rc = 0;
    if (ig->names.n == 0)
        return 0;
    for (size_t i = 0; i < ig->names.n && rc == 0; i++) {
        const char *name = lede__strmap_key(&ig->names, &ig->names.v[i]);
        if (msg.len > 300) {
            rc = lede__buf_printf(&msg, ", ...");
            break;
        }
        rc = lede__buf_printf(&msg, "%s\"%.40s\"", i ? ", " : "", name);
    }
    if (rc == 0)
        rc = lede__emit_warning(r, last, LEDE_WARN_FIELDS,
                                "fields not indexed (first at line %llu): "
                                "%s",
                                (unsigned long long)ig->line, msg.data);
    lede__buf_free(&msg);
    return rc;
}

int lede__fmt_jsonl(lede__reader *r)
{
    lede__buf line = LEDE__BUF_INIT, clean = LEDE__BUF_INIT;
    ignored ig = {LEDE__STRMAP_INIT, 0};
    uint64_t lineno = 0;
    int too_long, rc;

    while ((rc = lede__input_line(r->in, &line, r->opt->max_article_bytes,
                                  &too_long)) > 0) {
        lineno++;
        if (too_long) {
            rc = lede__emit_problem(r, lineno, LEDE_ELIMIT,
                                    "line over the limit of %zu bytes; "
                                    "skipped",
                                    r->opt->max_article_bytes);
            if (rc != 0)
                break;
            continue;
        }
        size_t i = 0;
        while (i < line.len && (line.data[i] == ' ' || line.data[i] == '\t' ||
                                line.data[i] == '\r'))
            i++;
        if (i == line.len)
            continue; /* blank line */

        const char *text = line.data;
        size_t len = line.len;
        size_t bad = lede__utf8_check(text, len);
        if (bad < len) {
            rc = lede__emit_warning(r, lineno, LEDE_WARN_ENCODING,
                                    "invalid UTF-8 at byte %zu of the "
                                    "line, read as U+FFFD",
                                    bad);
            if (rc != 0)
                break;
            lede__buf_clear(&clean);
            if ((rc = lede__utf8_sanitize(&clean, text, len, NULL)) < 0)
                break;
            text = clean.data;
            len = clean.len;
        }
        json_error_t err;
        /* "\u0000" is valid JSON; the fields lede reads refuse it
         * (nul_problem), the others are not read. */
        json_t *o = json_loadb(text, len, JSON_ALLOW_NUL, &err);
        if (o == NULL || !json_is_object(o)) {
            rc = o == NULL ? lede__emit_problem(
                                 r, lineno, LEDE_EINVAL,
                                 "malformed JSON at column %d: %s; line "
                                 "skipped",
                                 err.column, err.text)
                           : lede__emit_problem(r, lineno, LEDE_EINVAL,
                                                "not a JSON object; line "
                                                "skipped");
            json_decref(o);
            if (rc != 0)
                break;
            continue;
        }
        rc = note_fields(&ig, r->opt, o, lineno);
        if (rc == 0)
            rc = article(r, o, lineno);
        json_decref(o);
        if (rc != 0)
            break;
    }
    if (rc == 0)
        rc = report_ignored(r, &ig, lineno);
    lede__strmap_free(&ig.names);
    lede__buf_free(&line);
    lede__buf_free(&clean);
    return rc;
}
