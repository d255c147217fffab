/*
 * fields.c - the keyword fields of articles: names, values and terms.
 *
 * Owns what a field is to the index: which names may be fields, how a
 * value becomes its filter term (LEDE__PREFIX_FIELD, the name, ':', the
 * value folded as words are, with runs of spaces as one), the dir: terms
 * of an article's path (LEDE__PREFIX_DIR and each folder of it), the
 * checks of an article's fields, the comma-separated lists of names
 * that options and the index's metadata hold, and the list of fields an
 * index has: the standard ones, those it declares, and those its terms
 * show. Does not store values for display (store.c) or parse queries.
 * Calls tokenize.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names the query language gives a meaning of its own. */
static const char *const reserved[] = {"title", "date", "dir",
                                       "id",    "url",  "text"};

static int name_error(const char *name, size_t len, const char *why)
{
    return lede__error_set(LEDE_EINVAL, "field name '%.*s' %s",
                           (int)(len > 40 ? 40 : len), name, why);
}

/* The check of lede_field_name_check() on name[0..len). */
static int check_name(const char *name, size_t len)
{
    if (len == 0)
        return lede__error_set(LEDE_EINVAL, "empty field name");
    if (len > LEDE_FIELD_NAME_MAX)
        return name_error(name, len, "is over 32 bytes");
    for (size_t i = 0; i < len; i++)
        if (name[i] >= 'A' && name[i] <= 'Z')
            return name_error(name, len,
                              "has a capital letter (names are lower case)");
    if (!(name[0] >= 'a' && name[0] <= 'z'))
        return name_error(name, len, "does not start with a letter a-z");
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return name_error(name, len,
                              "has a character other than a-z, 0-9 and _");
    }
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++) {
        if (strlen(reserved[i]) == len && memcmp(reserved[i], name, len) == 0)
            return name_error(name, len,
                              "is a name of the query language (title, "
                              "date, dir, id, url, text)");
    }
    return 0;
}

LEDE_EXTERN(int) lede_field_name_check(const char *name)
{
    if (name == NULL)
        return lede__error_set(LEDE_EINVAL, "field name is NULL");
    return check_name(name, strlen(name));
}

int lede__fields_list_check(const char *list)
{
    for (const char *p = list; p != NULL && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        int rc = check_name(p, len);
        if (rc < 0)
            return rc;
        p = comma ? comma + 1 : p + len;
    }
    return 0;
}

int lede__fields_list_has(const char *list, const char *name, size_t len)
{
    for (const char *p = list; p != NULL && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == len && memcmp(p, name, len) == 0)
            return 1;
        p = comma ? comma + 1 : p + n;
    }
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

int lede__fields_fold(lede__buf *out, lede__tokenizer *t, const char *value,
                      size_t len)
{
    int rc = lede__tokenizer_fold(out, t, value, len);
    if (rc < 0)
        return rc;
    /* Runs of white space become one space, and none is kept at either
     * end: "Alex  Wong" and "Alex Wong" are one author. */
    size_t j = 0;
    for (size_t i = 0; i < out->len; i++) {
        if (is_space((unsigned char)out->data[i])) {
            if (j > 0 && out->data[j - 1] != ' ')
                out->data[j++] = ' ';
        } else {
            out->data[j++] = out->data[i];
        }
    }
    if (j > 0 && out->data[j - 1] == ' ')
        j--;
    out->len = j;
    out->data[j] = '\0';
    return 0;
}

int lede__fields_term(lede__buf *out, lede__buf *folded, lede__tokenizer *t,
                      const char *name, size_t name_len, const char *value,
                      size_t len)
{
    int rc = lede__fields_fold(folded, t, value, len);
    if (rc < 0)
        return rc;
    if (folded->len == 0)
        return lede__error_set(LEDE_EINVAL, "field %.*s: the value is empty",
                               (int)name_len, name);
    if (folded->len > LEDE_FIELD_VALUE_MAX)
        return lede__error_set(LEDE_ELIMIT,
                               "field %.*s: the value is %zu bytes once "
                               "folded, over the limit of %d",
                               (int)name_len, name, folded->len,
                               LEDE_FIELD_VALUE_MAX);
    lede__buf_clear(out);
    if ((rc = lede__buf_puts(out, LEDE__PREFIX_FIELD)) < 0 ||
        (rc = lede__buf_put(out, name, name_len)) < 0 ||
        (rc = lede__buf_putc(out, ':')) < 0)
        return rc;
    return lede__buf_put(out, folded->data, folded->len);
}

int lede__fields_check(const lede_article *a)
{
    if (a->n_fields > 0 && a->fields == NULL)
        return lede__error_set(LEDE_EINVAL, "article %s: fields is NULL",
                               a->id);
    if (a->n_fields > LEDE_FIELDS_MAX)
        return lede__error_set(LEDE_ELIMIT,
                               "article %s: %zu field values, over the "
                               "limit of %d",
                               a->id, a->n_fields, LEDE_FIELDS_MAX);
    for (size_t i = 0; i < a->n_fields; i++) {
        const lede_field *f = &a->fields[i];
        int rc = lede_field_name_check(f->name);
        if (rc < 0)
            return lede__error_set(rc, "article %s: %s", a->id,
                                   lede_error_last());
        size_t len = f->value ? strlen(f->value) : 0;
        if (len == 0)
            return lede__error_set(LEDE_EINVAL,
                                   "article %s: field %s has an empty value",
                                   a->id, f->name);
        if (len > LEDE_FIELD_VALUE_MAX)
            return lede__error_set(LEDE_ELIMIT,
                                   "article %s: field %s: a value of %zu "
                                   "bytes, over the limit of %d",
                                   a->id, f->name, len, LEDE_FIELD_VALUE_MAX);
        if (lede__utf8_check(f->value, len) < len)
            return lede__error_set(LEDE_EINVAL,
                                   "article %s: field %s: the value has "
                                   "invalid UTF-8",
                                   a->id, f->name);
    }
    size_t len = a->path ? strlen(a->path) : 0;
    if (lede__utf8_check(a->path, len) < len)
        return lede__error_set(LEDE_EINVAL,
                               "article %s: path has invalid UTF-8", a->id);
    return 0;
}

int lede__fields_dir_term(lede__buf *out, const char *dir, size_t len)
{
    while (len > 0 && dir[len - 1] == '/')
        len--;
    while (len >= 2 && dir[0] == '.' && dir[1] == '/') {
        dir += 2;
        len -= 2;
    }
    lede__buf_clear(out);
    int rc = lede__buf_puts(out, LEDE__PREFIX_DIR);
    return rc < 0 ? rc : lede__buf_put(out, dir, len);
}

int lede__fields_each_dir(const char *path, lede__buf *scratch,
                          int (*fn)(const char *term, size_t len, void *),
                          void *payload)
{
    for (const char *p = path ? strchr(path, '/') : NULL; p != NULL;
         p = strchr(p + 1, '/')) {
        if (p == path || p[-1] == '/')
            continue; /* "/a" or "a//b": no empty folder */
        int rc = lede__fields_dir_term(scratch, path, (size_t)(p - path));
        if (rc < 0)
            return rc;
        /* Xapian caps a term at 245 bytes: a folder deeper than that is
         * not a filter, the ones above it still are. */
        if (scratch->len > LEDE__FIELD_TERM_MAX)
            break;
        if ((rc = fn(scratch->data, scratch->len, payload)) != 0)
            return rc;
    }
    return 0;
}

/* The names of fields the index's terms show, collected. */
typedef struct {
    char **v;   /* names */
    size_t n;   /* count */
    size_t cap; /* allocated */
} names;

static int add_name(names *l, const char *name, size_t len)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strlen(l->v[i]) == len && memcmp(l->v[i], name, len) == 0)
            return 0;
    }
    char **v = lede__grow(l->v, &l->cap, l->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    l->v = v;
    if ((v[l->n] = lede__strndup(name, len)) == NULL)
        return lede__error_nomem();
    l->n++;
    return 0;
}

static int on_name(const char *name, size_t len, uint64_t freq, void *payload)
{
    (void)freq;
    return add_name(payload, name, len);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every name of list to l. */
static int add_list(names *l, const char *list)
{
    for (const char *p = list; p != NULL && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        int rc = n ? add_name(l, p, n) : 0;
        if (rc < 0)
            return rc;
        p = comma ? comma + 1 : p + n;
    }
    return 0;
}

int lede__fields_of_index(lede__buf *out, lede__xdb *db, const char *declared,
                          const char *sep)
{
    names l = {NULL, 0, 0};
    int rc = add_list(&l, LEDE_FIELDS_STANDARD);
    if (rc == 0)
        rc = add_list(&l, declared);
    if (rc == 0 && db != NULL)
        rc = lede__xdb_term_names(db, LEDE__PREFIX_FIELD,
                                  strlen(LEDE__PREFIX_FIELD), ':', on_name, &l);
    if (rc == 0) {
        qsort(l.v, l.n, sizeof *l.v, by_name);
        lede__buf_clear(out);
        for (size_t i = 0; i < l.n && rc == 0; i++)
            rc = lede__buf_printf(out, "%s%s", i ? sep : "", l.v[i]);
    }
    for (size_t i = 0; i < l.n; i++)
        lede__free(l.v[i]);
    lede__free(l.v);
    return rc;
}

static int stop_at_first(const char *term, size_t len, uint64_t freq,
                         void *payload)
{
    (void)term;
    (void)len;
    (void)freq;
    (void)payload;
    return 1;
}

int lede__fields_known(int *out, lede__xdb *db, const char *declared,
                       const char *name, size_t len)
{
    *out = lede__fields_list_has(LEDE_FIELDS_STANDARD, name, len) ||
           lede__fields_list_has(declared, name, len);
    if (*out || db == NULL || len > LEDE_FIELD_NAME_MAX)
        return 0;
    char prefix[8 + LEDE_FIELD_NAME_MAX];
    int n = snprintf(prefix, sizeof prefix, "%s%.*s:", LEDE__PREFIX_FIELD,
                     (int)len, name);
    int rc = lede__xdb_allterms(db, prefix, (size_t)n, stop_at_first, NULL);
    if (rc < 0)
        return rc;
    *out = rc == 1;
    return 0;
}
