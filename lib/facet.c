/*
 * facet.c - facets: how the articles a query matches spread over the
 * values of fields and over dates.
 *
 * Owns lede_search_options.facets read ("section,author,date:month"),
 * the counting, and what lede_results_facet() gives back. Every matching
 * article is looked at once (the shim hands one passage of each, whose
 * stored record holds the article's fields and date, read without its
 * text), so the counts are exact and cost a walk of the matches, paid
 * only when facets are asked for. Values are counted as their filters
 * match, folded (fields.c), each shown in the form most of its articles
 * give; dates are
 * bucketed by year, month or day. Calls fields.c, store.c, index.c,
 * analysis.c, date.c, strmap.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdlib.h>
#include <string.h>

/* One facet asked for, and what counting it found. */
typedef struct {
    char name[LEDE_FIELD_NAME_MAX + 16]; /* as asked: "section", "date:month" */
    size_t field_len;                    /* bytes of the field's name; 0:
                                            a date facet */
    size_t date_chars;                   /* date facet: 4, 7 or 10 */
    lede__strmap counts;  /* folded value (a date bucket) -> articles
                             (count) and first written form (value) */
    lede__strmap written; /* each written form -> articles with it (count)
                             and its folded value (value) */
    const char **shown;   /* per counts entry: the form shown */
    lede_facet_value *v;  /* kept, in order */
    size_t nv;            /* count */
    uint64_t distinct;    /* distinct values among the matches */
} facet;

struct lede__facets {
    facet f[LEDE_FACETS_MAX]; /* as asked, in order */
    size_t n;                 /* count */
    lede__strmap folded;      /* written value -> folded, a cache */
    lede__buf term, fold;     /* scratch */
    lede__tokenizer *t;       /* the index's, for folding */
    size_t *seen;             /* the entries one article counted in, of
                                 the facet being counted */
    size_t nseen, capseen;    /* count, allocated */
    uint64_t articles;        /* matching articles seen */
};

void lede__facet_free(lede__facets *fs)
{
    if (fs == NULL)
        return;
    for (size_t i = 0; i < fs->n; i++) {
        lede__strmap_free(&fs->f[i].counts);
        lede__strmap_free(&fs->f[i].written);
        lede__free(fs->f[i].shown);
        lede__free(fs->f[i].v);
    }
    lede__strmap_free(&fs->folded);
    lede__buf_free(&fs->term);
    lede__buf_free(&fs->fold);
    lede__free(fs->seen);
    lede__free(fs);
}

/* One name of the spec: a field of the index or a date bucket. */
static int add_request(lede__facets *fs, lede_index *idx, const char *s,
                       size_t len)
{
    static const struct {
        const char *name;
        size_t chars;
    } dates[] = {{"date:year", 4}, {"date:month", 7}, {"date:day", 10}};
    facet *f = &fs->f[fs->n];
    int known = 0, rc;

    if (fs->n == LEDE_FACETS_MAX)
        return lede__error_set(LEDE_EINVAL, "facets: more than %d",
                               LEDE_FACETS_MAX);
    for (size_t i = 0; i < fs->n; i++)
        if (strlen(fs->f[i].name) == len && memcmp(fs->f[i].name, s, len) == 0)
            return 0; /* asked twice: counted once */
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        if (strlen(dates[i].name) == len && memcmp(dates[i].name, s, len) == 0)
            f->date_chars = dates[i].chars;
    }
    if (f->date_chars == 0 && !lede__index_keeps_fields(idx))
        return lede__error_set(LEDE_EINVAL,
                               "facets: this index was made before lede kept "
                               "keyword fields; rebuild it (lede-index "
                               "--rebuild) to count them");
    if (f->date_chars == 0 &&
        (len > LEDE_FIELD_NAME_MAX ||
         (rc = lede__fields_known(&known, lede__index_db(idx),
                                  lede__index_declared_fields(idx), s, len)) <
             0 ||
         !known)) {
        lede__buf list = LEDE__BUF_INIT;
        if ((rc = lede__fields_of_index(&list, lede__index_db(idx),
                                        lede__index_declared_fields(idx),
                                        ", ")) < 0) {
            lede__buf_free(&list);
            return rc;
        }
        rc = lede__error_set(LEDE_EINVAL,
                             "facets: no field '%.*s' (this index's fields "
                             "are %s; and date:year, date:month, date:day)",
                             (int)(len > 40 ? 40 : len), s, list.data);
        lede__buf_free(&list);
        return rc;
    }
    memcpy(f->name, s, len);
    f->name[len] = '\0';
    f->field_len = f->date_chars ? 0 : len;
    f->counts = (lede__strmap)LEDE__STRMAP_INIT;
    f->written = (lede__strmap)LEDE__STRMAP_INIT;
    fs->n++;
    return 0;
}

int lede__facet_new(lede__facets **out, lede_index *idx, const char *spec)
{
    lede__facets *fs;
    int rc = 0;
    *out = NULL;
    if (spec == NULL || *spec == '\0')
        return 0;
    if ((fs = lede__calloc(1, sizeof *fs)) == NULL)
        return lede__error_nomem();
    fs->folded = (lede__strmap)LEDE__STRMAP_INIT;
    fs->term = fs->fold = (lede__buf)LEDE__BUF_INIT;
    fs->t = lede__analysis_tokenizer(lede__index_analysis(idx));
    for (const char *p = spec; *p && rc == 0;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        while (n > 0 && *p == ' ') {
            p++;
            n--;
        }
        while (n > 0 && p[n - 1] == ' ')
            n--;
        char name[LEDE_FIELD_NAME_MAX + 16];
        /* Names in any case, as a query's field names. */
        for (size_t i = 0; i < n && i < sizeof name - 1; i++)
            name[i] =
                (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
        if (n > 0)
            rc = add_request(fs, idx, name,
                             n < sizeof name ? n : sizeof name - 1);
        p = comma ? comma + 1 : p + strlen(p);
    }
    if (rc < 0) {
        lede__facet_free(fs);
        return rc;
    }
    *out = fs;
    return 0;
}

/* Count the article once for value v (folded key) of facet f. */
static int count_value(lede__facets *fs, facet *f, const char *key,
                       size_t key_len, const char *written, size_t wlen)
{
    lede__strmap_entry *e = lede__strmap_find(&f->counts, key, key_len);
    int rc;
    if (e == NULL && (rc = lede__strmap_add(&e, &f->counts, key, key_len,
                                            written, wlen)) < 0)
        return rc;
    size_t at = (size_t)(e - f->counts.v);
    for (size_t i = 0; i < fs->nseen; i++)
        if (fs->seen[i] == at)
            return 0; /* this article counted for it already */
    e->count++;
    size_t *s = lede__grow(fs->seen, &fs->capseen, fs->nseen, sizeof *s);
    if (s == NULL)
        return lede__error_nomem();
    fs->seen = s;
    s[fs->nseen++] = at;
    if (f->date_chars)
        return 0;
    /* And its written form, so that the form most articles give is
     * shown, whatever order the articles came in. */
    lede__strmap_entry *w = lede__strmap_find(&f->written, written, wlen);
    if (w == NULL && (rc = lede__strmap_add(&w, &f->written, written, wlen, key,
                                            key_len)) < 0)
        return rc;
    w->count++;
    return 0;
}

/* The folded form of a written value, through the cache. */
static int folded(const char **out, size_t *len_out, lede__facets *fs,
                  const char *v, size_t len)
{
    lede__strmap_entry *e = lede__strmap_find(&fs->folded, v, len);
    int rc;
    if (e == NULL) {
        if ((rc = lede__fields_fold(&fs->fold, fs->t, v, len)) < 0 ||
            (rc = lede__strmap_add(&e, &fs->folded, v, len, fs->fold.data,
                                   fs->fold.len)) < 0)
            return rc;
    }
    *out = lede__strmap_value(&fs->folded, e);
    *len_out = e->value_len;
    return 0;
}

/* One matching article (one of its passages' records). */
static int on_article(const char *key, size_t key_len, const char *data,
                      size_t data_len, void *payload)
{
    lede__facets *fs = payload;
    lede__store_record r;
    int rc;
    (void)key_len;
    if (key == NULL) { /* (again) from the start */
        for (size_t i = 0; i < fs->n; i++)
            lede__strmap_clear(&fs->f[i].counts);
        for (size_t i = 0; i < fs->n; i++)
            lede__strmap_clear(&fs->f[i].written);
        fs->articles = 0;
        return 0;
    }
    fs->articles++;
    if ((rc = lede__store_decode_meta(&r, data, data_len)) < 0)
        return rc;
    for (size_t i = 0; i < fs->n; i++) {
        facet *f = &fs->f[i];
        fs->nseen = 0;
        if (f->date_chars) {
            char s[16], d[16];
            if (r.date == LEDE_NO_DATE)
                continue;
            lede__date_format(s, r.date); /* YYYYMMDDhhmmss */
            memcpy(d, s, 4);
            memcpy(d + 5, s + 4, 2);
            memcpy(d + 8, s + 6, 2);
            d[4] = d[7] = '-';
            if ((rc = count_value(fs, f, d, f->date_chars, d, f->date_chars)) <
                0)
                return rc;
            continue;
        }
        const char *p = r.fields_data, *end = p + r.fields_len;
        const char *name, *value, *fk;
        size_t nl, vl, fl;
        while (p != NULL && (rc = lede__store_field_next(&name, &nl, &value,
                                                         &vl, &p, end)) != 0) {
            if (rc < 0)
                return rc;
            if (nl != f->field_len || memcmp(name, f->name, nl) != 0)
                continue;
            if ((rc = folded(&fk, &fl, fs, value, vl)) < 0 ||
                (fl > 0 && (rc = count_value(fs, f, fk, fl, value, vl)) < 0))
                return rc;
        }
    }
    return 0;
}

static int by_count(const void *a, const void *b)
{
    const lede_facet_value *x = a, *y = b;
    if (x->articles != y->articles)
        return x->articles > y->articles ? -1 : 1;
    return strcmp(x->value, y->value);
}

static int by_value(const void *a, const void *b)
{
    return strcmp(((const lede_facet_value *)a)->value,
                  ((const lede_facet_value *)b)->value);
}

/* Keep the values of f to show: a field's most frequent, a date's all. */
static int keep(facet *f, unsigned limit)
{
    f->distinct = f->counts.n;
    if (f->counts.n == 0)
        return 0;
    if ((f->v = lede__calloc(f->counts.n, sizeof *f->v)) == NULL ||
        (f->shown = lede__calloc(f->counts.n, sizeof *f->shown)) == NULL)
        return lede__error_nomem();
    /* Each value shown in the form most of its articles give (ties: the
     * smallest in byte order). */
    uint64_t *most = lede__calloc(f->counts.n, sizeof *most);
    if (most == NULL)
        return lede__error_nomem();
    for (size_t i = 0; i < f->written.n; i++) {
        const lede__strmap_entry *w = &f->written.v[i];
        const char *form = lede__strmap_key(&f->written, w);
        lede__strmap_entry *e = lede__strmap_find(
            &f->counts, lede__strmap_value(&f->written, w), w->value_len);
        size_t at = e != NULL ? (size_t)(e - f->counts.v) : 0;
        if (e != NULL &&
            (w->count > most[at] ||
             (w->count == most[at] && strcmp(form, f->shown[at]) < 0))) {
            most[at] = w->count;
            f->shown[at] = form;
        }
    }
    lede__free(most);
    for (size_t i = 0; i < f->counts.n; i++) {
        const lede__strmap_entry *e = &f->counts.v[i];
        f->v[i] = (lede_facet_value){
            f->shown[i] ? f->shown[i] : lede__strmap_value(&f->counts, e),
            e->count};
    }
    qsort(f->v, f->counts.n, sizeof *f->v, f->date_chars ? by_value : by_count);
    f->nv = f->date_chars || f->counts.n < limit ? f->counts.n : limit;
    return 0;
}

int lede__facet_count(lede__facets *fs, lede_index *idx,
                      const lede__qnode *root, unsigned limit)
{
    if (lede__index_remote(idx))
        return lede__error_set(LEDE_EINVAL,
                               "facets cannot be counted on remote shards "
                               "(xapian-tcpsrv runs no code of lede's); "
                               "search local shards for them");
    int rc = lede__xdb_each_article(lede__index_db(idx), root,
                                    LEDE__SLOT_ARTICLE, on_article, fs);
    for (size_t i = 0; i < fs->n && rc == 0; i++)
        rc = keep(&fs->f[i], limit);
    return rc;
}

uint64_t lede__facet_articles(const lede__facets *fs)
{
    return fs->articles;
}

size_t lede__facet_n(const lede__facets *fs)
{
    return fs != NULL ? fs->n : 0;
}

const lede_facet_value *lede__facet_get(const lede__facets *fs, size_t f,
                                        const char **name_out,
                                        uint64_t *distinct_out, size_t *n_out)
{
    const facet *x = fs != NULL && f < fs->n ? &fs->f[f] : NULL;
    if (name_out != NULL)
        *name_out = x ? x->name : NULL;
    if (distinct_out != NULL)
        *distinct_out = x ? x->distinct : 0;
    if (n_out != NULL)
        *n_out = x ? x->nv : 0;
    return x && x->nv ? x->v : NULL;
}
