/*
 * qtree.c - the query tree's nodes: made, marked failed, described.
 *
 * Owns the memory of one parse's tree (every node and string of it is
 * made here and freed together), the parse's first failure and its
 * message with the query column, and the tree's S-expression, which tests,
 * --explain and the merging of repeated words read. What the syntax means
 * is not here (query.c), nor how words side by side combine (qcombine.c).
 * An allocation that fails marks the parse failed here, so that no caller
 * can take a NULL for "nothing to search". Calls qlex.c (columns),
 * alloc.c, buf.c and error.c.
 */
#include "lede_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- memory ------------------------------------------------------------- */

void *lede__qtree_alloc(lede__qtree *t, size_t n)
{
    void **v = lede__grow(t->allocs, &t->capallocs, t->nallocs, sizeof *v);
    if (v == NULL) {
        lede__qtree_nomem(t);
        return NULL;
    }
    t->allocs = v;
    void *p = lede__calloc(1, n);
    if (p == NULL) {
        lede__qtree_nomem(t);
        return NULL;
    }
    t->allocs[t->nallocs++] = p;
    return p;
}

char *lede__qtree_strndup(lede__qtree *t, const char *s, size_t n)
{
    char *p = lede__qtree_alloc(t, n + 1);
    if (p != NULL && n > 0)
        memcpy(p, s, n);
    return p;
}

lede__qnode *lede__qtree_node(lede__qtree *t, lede__qop op)
{
    lede__qnode *n = lede__qtree_alloc(t, sizeof *n);
    if (n != NULL)
        n->op = op;
    return n;
}

lede__qnode *lede__qtree_op(lede__qtree *t, lede__qop op, lede__qnode **kids,
                            size_t n)
{
    lede__qnode *r = lede__qtree_node(t, op);
    if (r == NULL)
        return NULL;
    r->kids = lede__qtree_alloc(t, (n ? n : 1) * sizeof *r->kids);
    if (r->kids == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (kids[i] != NULL)
            r->kids[r->nkids++] = kids[i];
    }
    return r;
}

lede__qnode *lede__qtree_pair(lede__qtree *t, lede__qop op, lede__qnode *a,
                              lede__qnode *b)
{
    lede__qnode *k[2] = {a, b};
    return lede__qtree_op(t, op, k, 2);
}

lede__qnode *lede__qtree_term(lede__qtree *t, const char *prefix,
                              const char *term, size_t len)
{
    lede__qnode *n = lede__qtree_node(t, LEDE__Q_TERM);
    size_t pl = strlen(prefix);
    char *s = n ? lede__qtree_alloc(t, pl + len + 1) : NULL;
    if (s == NULL)
        return NULL;
    memcpy(s, prefix, pl);
    memcpy(s + pl, term, len);
    n->term = s;
    n->len = pl + len;
    n->wqf = 1;
    return n;
}

void lede__qtree_free(lede__qtree *t)
{
    for (size_t i = 0; i < t->nallocs; i++)
        lede__free(t->allocs[i]);
    lede__free(t->allocs);
    t->allocs = NULL;
    t->nallocs = t->capallocs = 0;
}

/* ---- errors ------------------------------------------------------------- */

int lede__qtree_error_at(lede__qtree *t, int code, size_t off, const char *fmt,
                         ...)
{
    char msg[512];
    va_list ap;
    if (t->error)
        return t->error; /* the first failure is the one reported */
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return t->error = lede__error_set(code, "query: %s at column %zu", msg,
                                      lede__qlex_column(t->text, off));
}

int lede__qtree_failed(lede__qtree *t, int rc)
{
    if (!t->error)
        t->error = rc;
    return rc;
}

int lede__qtree_nomem(lede__qtree *t)
{
    return lede__qtree_failed(t, lede__error_nomem());
}

/* ---- the tree ----------------------------------------------------------- */

void lede__qtree_bump_wqf(lede__qnode *n)
{
    if (n->op == LEDE__Q_TERM)
        n->wqf++;
    for (size_t i = 0; i < n->nkids; i++)
        lede__qtree_bump_wqf(n->kids[i]);
}

static const char *const op_names[] = {
    "TERM",   "OR",   "AND",   "AND_NOT", "AND_MAYBE", "FILTER",
    "PHRASE", "NEAR", "SCALE", "DATE",    "ALL",       "NONE"};

/* A field's term "NAME:VALUE" as a query would give it: the value quoted
 * when it holds a space. */
static int describe_field(lede__buf *out, const char *t, size_t len)
{
    const char *colon = memchr(t, ':', len);
    if (colon == NULL || memchr(colon, ' ', len - (size_t)(colon - t)) == NULL)
        return lede__buf_put(out, t, len);
    return lede__buf_printf(out, "%.*s\"%.*s\"", (int)(colon - t + 1), t,
                            (int)(len - (size_t)(colon - t) - 1), colon + 1);
}

int lede__qtree_describe(lede__buf *out, const lede__qnode *n)
{
    int rc;
    size_t tp = strlen(LEDE__PREFIX_TITLE);
    switch (n->op) {
    case LEDE__Q_TERM:
        if (n->len >= tp && memcmp(n->term, LEDE__PREFIX_TITLE, tp) == 0)
            rc = lede__buf_printf(out, "title:%.*s", (int)(n->len - tp),
                                  n->term + tp);
        else if (n->len > 2 && memcmp(n->term, LEDE__PREFIX_FIELD, 2) == 0)
            rc = describe_field(out, n->term + 2, n->len - 2);
        else if (n->len > 2 && memcmp(n->term, LEDE__PREFIX_DIR, 2) == 0)
            rc = lede__buf_printf(out, "dir:%.*s", (int)(n->len - 2),
                                  n->term + 2);
        else if (n->len > 1 && n->term[0] == LEDE__PREFIX_ID[0])
            rc = lede__buf_printf(out, "id:%.*s", (int)(n->len - 1),
                                  n->term + 1);
        else
            rc = lede__buf_put(out, n->term, n->len);
        if (rc == 0 && n->wqf > 1) /* a word given more than once */
            rc = lede__buf_printf(out, "^%u", (unsigned)n->wqf);
        return rc;
    case LEDE__Q_ALL:
    case LEDE__Q_NONE:
        return lede__buf_puts(out, op_names[n->op]);
    case LEDE__Q_RANGE:
        return lede__buf_printf(out, "(DATE %s %s)", n->lo, n->hi);
    default:
        break;
    }
    rc = lede__buf_printf(out, "(%s", op_names[n->op]);
    if (rc == 0 && (n->op == LEDE__Q_PHRASE || n->op == LEDE__Q_NEAR))
        rc = lede__buf_printf(out, " %u", n->window);
    if (rc == 0 && n->op == LEDE__Q_SCALE)
        rc = lede__buf_printf(out, " %g", n->scale);
    for (size_t i = 0; i < n->nkids && rc == 0; i++) {
        rc = lede__buf_putc(out, ' ');
        if (rc == 0)
            rc = lede__qtree_describe(out, n->kids[i]);
    }
    return rc == 0 ? lede__buf_putc(out, ')') : rc;
}
