/*
 * article.c - articles given back whole, and the list of an index's
 * articles.
 *
 * Owns lede_index_article() and lede_stored: an article put back together
 * from its passages' records, reached through its id term (key.c): each
 * passage's text at its offsets, the runs between passages that the first
 * passage stores, and what the first passage says of the article (its
 * length, title, date, URL, fields, path; its source file in a value
 * slot). Every byte of the body must be accounted for, or the records are
 * damaged (or from before the runs between passages were kept). Also
 * lede_index_articles(): the first passages, walked through the article
 * marker or a folder's dir: term. Calls index.c, key.c, fields.c,
 * store.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdlib.h>
#include <string.h>

struct lede_stored {
    lede_article a;      /* what lede_stored_article() lends */
    char *id, *title;    /* the strings a points at */
    char *body, *url;    /* (body NUL-terminated, of a.body_len bytes) */
    char *path, *source; /* NULL when there is none */
    lede_field *fields;  /* the field values, names and values allocated */
    size_t nfields;      /* count */
    lede__span *pass;    /* each passage's offsets, by ordinal */
    size_t npass;        /* count */
};

LEDE_EXTERN(void) lede_stored_free(lede_stored *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nfields; i++) {
        lede__free((char *)s->fields[i].name);
        lede__free((char *)s->fields[i].value);
    }
    lede__free(s->fields);
    lede__free(s->id);
    lede__free(s->title);
    lede__free(s->body);
    lede__free(s->url);
    lede__free(s->path);
    lede__free(s->source);
    lede__free(s->pass);
    lede__free(s);
}

/* What the walk of an article's passages gathers. */
typedef struct {
    lede_stored *s;     /* being filled */
    lede__buf scratch;  /* a record's texts */
    unsigned char *got; /* per body byte: filled */
    size_t capgot;      /* allocated */
    int first;          /* the first passage was seen */
    int gaps;           /* it stored runs between passages */
    size_t ntexts;      /* passages seen */
    lede__buf texts;    /* their texts, until the body's length is known */
    struct piece {
        uint64_t start, end; /* offsets */
        size_t off;          /* in texts */
    } * pieces;
    size_t cappieces;
} gather;

static char *dup_n(const char *p, size_t n)
{
    return lede__strndup(p ? p : "", p ? n : 0);
}

/* The first passage's word on the article. */
static int first_passage(gather *g, const lede__store_record *r,
                         const lede__xdocinfo *d)
{
    lede_stored *s = g->s;
    const char *p = r->fields_data, *end = p + r->fields_len;
    const char *name, *value;
    size_t nl, vl;
    int rc;

    g->first = 1;
    g->gaps = r->gaps_data != NULL;
    s->a.body_len = r->body_len;
    s->a.date = r->date;
    if ((s->title = dup_n(r->title, r->title_len)) == NULL ||
        (s->body = lede__calloc(r->body_len + 1, 1)) == NULL ||
        (g->got = lede__calloc(r->body_len + 1, 1)) == NULL ||
        (r->url != NULL && (s->url = dup_n(r->url, r->url_len)) == NULL) ||
        (r->path != NULL && (s->path = dup_n(r->path, r->path_len)) == NULL) ||
        (d->value_len[LEDE__SLOT_SOURCE] > 0 &&
         (s->source = dup_n(d->value[LEDE__SLOT_SOURCE],
                            d->value_len[LEDE__SLOT_SOURCE])) == NULL))
        return lede__error_nomem();
    s->a.title_len = r->title_len;
    while (p != NULL && (rc = lede__store_field_next(&name, &nl, &value, &vl,
                                                     &p, end)) != 0) {
        if (rc < 0)
            return rc;
        lede_field *f =
            lede__realloc(s->fields, (s->nfields + 1) * sizeof *s->fields);
        if (f == NULL)
            return lede__error_nomem();
        s->fields = f;
        f[s->nfields] = (lede_field){dup_n(name, nl), dup_n(value, vl)};
        if (f[s->nfields].name == NULL || f[s->nfields].value == NULL) {
            lede__free((char *)f[s->nfields].name);
            lede__free((char *)f[s->nfields].value);
            return lede__error_nomem();
        }
        s->nfields++;
    }
    p = r->gaps_data;
    end = p + r->gaps_len;
    uint64_t at;
    const char *bytes;
    size_t len;
    while (p != NULL &&
           (rc = lede__store_gap_next(&at, &bytes, &len, &p, end)) != 0) {
        if (rc < 0)
            return rc;
        if (at + len > r->body_len)
            return lede__error_set(
                LEDE_ECORRUPT, "article %s: stored bytes past its end", s->id);
        memcpy(s->body + at, bytes, len);
        memset(g->got + at, 1, len);
    }
    return 0;
}

static int one_passage(const lede__xdocinfo *d, void *payload)
{
    gather *g = payload;
    lede__store_record r;
    int rc = lede__store_decode(&r, &g->scratch, d->data, d->data_len);
    if (rc < 0)
        return rc;
    if (r.has_article && (rc = first_passage(g, &r, d)) < 0)
        return rc;
    /* Texts wait for the first passage, which says the body's length. */
    struct piece *pc =
        lede__grow(g->pieces, &g->cappieces, g->ntexts, sizeof *pc);
    if (pc == NULL)
        return lede__error_nomem();
    g->pieces = pc;
    pc[g->ntexts] = (struct piece){r.start, r.end, g->texts.len};
    lede_stored *s = g->s;
    lede__span *v = lede__realloc(s->pass, (s->npass + 1) * sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    s->pass = v;
    if (r.ordinal != s->npass) /* in docid order, so ordinal order */
        return lede__error_set(LEDE_ECORRUPT,
                               "article %s: passage %u where %zu was due",
                               s->id, r.ordinal, s->npass);
    v[s->npass++] = (lede__span){(size_t)r.start, (size_t)r.end};
    g->ntexts++;
    return lede__buf_put(&g->texts, r.text, r.text_len);
}

/* The passages' texts in place; every byte must then be there. */
static int assemble(gather *g)
{
    lede_stored *s = g->s;
    if (!g->first)
        return lede__error_set(LEDE_ECORRUPT, "article %s has no first passage",
                               s->id);
    for (size_t i = 0; i < g->ntexts; i++) {
        const struct piece *pc = &g->pieces[i];
        if (pc->end > s->a.body_len)
            return lede__error_set(LEDE_ECORRUPT,
                                   "article %s: a passage past its end", s->id);
        memcpy(s->body + pc->start, g->texts.data + pc->off,
               (size_t)(pc->end - pc->start));
        memset(g->got + pc->start, 1, (size_t)(pc->end - pc->start));
    }
    for (size_t i = 0; i < s->a.body_len; i++) {
        if (!g->got[i])
            return lede__error_set(
                LEDE_ECORRUPT,
                g->gaps ? "article %s: byte %zu of its text is not stored"
                        : "article %s: its text between passages is not "
                          "stored (byte %zu on): the index was built "
                          "before lede kept it; rebuild it to read "
                          "articles whole",
                s->id, i);
    }
    return 0;
}

LEDE_EXTERN(int)
lede_index_article(lede_stored **out, lede_index *idx, const char *id)
{
    gather g = {.scratch = LEDE__BUF_INIT, .texts = LEDE__BUF_INIT};
    lede__buf term = LEDE__BUF_INIT;
    int rc;

    if (out != NULL)
        *out = NULL;
    if ((rc = lede__index_usable(idx, 0, "lede_index_article")) < 0)
        return rc;
    if (out == NULL || id == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_index_article: %s is NULL",
                               out == NULL ? "out" : "id");
    if ((g.s = lede__calloc(1, sizeof *g.s)) == NULL ||
        (g.s->id = lede__strndup(id, strlen(id))) == NULL) {
        lede__free(g.s);
        return lede__error_nomem();
    }
    if ((rc = lede__key_id_term(&term, id, strlen(id))) == 0)
        rc = lede__xdb_term_docs(lede__index_db(idx), term.data, term.len,
                                 one_passage, &g);
    if (rc == 0 && g.ntexts == 0)
        rc = lede__error_set(LEDE_ENOTFOUND, "no article '%s'", id);
    if (rc == 0)
        rc = assemble(&g);
    if (rc == 0) {
        lede_stored *s = g.s;
        lede_article a = LEDE_ARTICLE_INIT;
        a.id = s->id;
        a.title = s->title;
        a.title_len = s->a.title_len;
        a.body = s->body;
        a.body_len = s->a.body_len;
        a.date = s->a.date;
        a.url = s->url;
        a.fields = s->fields;
        a.n_fields = s->nfields;
        a.path = s->path;
        s->a = a;
        *out = s;
        g.s = NULL;
    }
    lede_stored_free(g.s);
    lede__free(g.got);
    lede__free(g.pieces);
    lede__buf_free(&g.scratch);
    lede__buf_free(&g.texts);
    lede__buf_free(&term);
    return rc;
}

LEDE_EXTERN(const lede_article *) lede_stored_article(const lede_stored *s)
{
    return s != NULL ? &s->a : NULL;
}

LEDE_EXTERN(const char *) lede_stored_source(const lede_stored *s)
{
    return s != NULL ? s->source : NULL;
}

LEDE_EXTERN(size_t) lede_stored_passage_count(const lede_stored *s)
{
    return s != NULL ? s->npass : 0;
}

LEDE_EXTERN(int)
lede_stored_passage(const lede_stored *s, size_t i, size_t *start_out,
                    size_t *end_out)
{
    if (s == NULL || i >= s->npass)
        return lede__error_set(LEDE_EINVAL,
                               "lede_stored_passage: no passage %zu", i);
    if (start_out != NULL)
        *start_out = s->pass[i].start;
    if (end_out != NULL)
        *end_out = s->pass[i].end;
    return 0;
}

/* The walk of lede_index_articles(). */
typedef struct {
    lede_articles_cb cb; /* the caller's */
    void *payload;       /* its payload */
    lede__buf id, path;  /* NUL-terminated copies */
    lede__buf source;    /* the same */
    int rc;              /* the callback's non-zero return */
} walk;

static int put_cstr(lede__buf *b, const char *p, size_t n)
{
    lede__buf_clear(b);
    int rc = lede__buf_put(b, p ? p : "", p ? n : 0);
    return rc < 0 ? rc : lede__buf_putc(b, '\0');
}

static int list_one(const lede__xdocinfo *d, void *payload)
{
    walk *w = payload;
    lede__store_record r;
    int rc = lede__store_decode_meta(&r, d->data, d->data_len);
    if (rc < 0)
        return rc;
    if (!r.has_article)
        return 0; /* a later passage of an article under the folder */
    if ((rc = put_cstr(&w->id, d->value[LEDE__SLOT_ARTICLE],
                       d->value_len[LEDE__SLOT_ARTICLE])) < 0 ||
        (rc = put_cstr(&w->path, r.path, r.path_len)) < 0 ||
        (rc = put_cstr(&w->source, d->value[LEDE__SLOT_SOURCE],
                       d->value_len[LEDE__SLOT_SOURCE])) < 0)
        return rc;
    rc = w->cb(w->id.data, r.path ? w->path.data : NULL,
               d->value_len[LEDE__SLOT_SOURCE] ? w->source.data : NULL,
               w->payload);
    if (rc != 0)
        w->rc = rc;
    return rc;
}

LEDE_EXTERN(int)
lede_index_articles(lede_index *idx, const char *dir, lede_articles_cb cb,
                    void *payload)
{
    walk w = {cb, payload, LEDE__BUF_INIT, LEDE__BUF_INIT, LEDE__BUF_INIT, 0};
    lede__buf term = LEDE__BUF_INIT;
    int rc;
    if ((rc = lede__index_usable(idx, 0, "lede_index_articles")) < 0)
        return rc;
    if (cb == NULL)
        return lede__error_set(LEDE_EINVAL,
                               "lede_index_articles: the callback is NULL");
    rc = dir != NULL ? lede__fields_dir_term(&term, dir, strlen(dir))
                     : lede__buf_puts(&term, LEDE__TERM_ARTICLE);
    if (rc == 0)
        rc = lede__xdb_term_docs(lede__index_db(idx), term.data, term.len,
                                 list_one, &w);
    if (w.rc != 0)
        rc = w.rc; /* the caller's, as it gave it */
    lede__buf_free(&term);
    lede__buf_free(&w.id);
    lede__buf_free(&w.path);
    lede__buf_free(&w.source);
    return rc;
}
