/*
 * query.c - the query language: from what a user typed to a query tree.
 *
 * Owns the syntax (words, "phrases" and "phrases"~N, +required and
 * -excluded, title:, date:, prefix*, AND, OR, NOT and parentheses), its
 * precedence (words side by side < OR < AND and NOT), the meaning of
 * words side by side (the required ones must match, the excluded must
 * not, the others rank: Lucene's semantics, which also reads "summit
 * -Hanoi date:2018" as people mean it), the title boost, the limits on
 * size, and error messages that give the column. Words become terms
 * through the index's own tokenizer and stemmer; a word the tokenizer
 * splits becomes a phrase, and one it leaves out for its length (as it
 * did in the index) is named when the query has no other word. Prefixes
 * are expanded here, against the index's vocabulary, so that the search
 * and its explanation see the same terms.
 * It bounds the work a query may cause: parentheses nest at most
 * LEDE_QUERY_MAX_DEPTH deep (the parser recurses per level), a chain of
 * AND or OR is one node however long (later walks of the tree recurse per
 * level), and each distinct prefix is read once, within
 * LEDE_PREFIX_MAX_SCAN and LEDE_QUERY_MAX_SCAN entries and the search's
 * time budget. Calls tokenize.c and the stemmer through index.c, date.c,
 * buf.c, budget.c and the shim (prefix expansion).
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortest prefix before '*': one letter would expand to noise. */
#define PREFIX_MIN 2

struct lede__query {
    lede_index *idx;      /* whose tokenizer, stemmer and vocabulary */
    lede__parse_opts opt; /* how to read words side by side */
    const char *text;     /* the query */
    size_t len;           /* its bytes */
    size_t pos;           /* lexer position */
    lede__qtok cur;       /* current token */
    int error;            /* the first failure's code (< 0), or 0 */
    size_t words;         /* words seen */
    size_t dropped;       /* stop words left out */
    size_t too_long;      /* offset of the first word left out for its
                             length, or SIZE_MAX */
    lede__qnode *root;    /* the result */
    void **allocs;        /* every allocation, freed together */
    size_t nallocs;       /* count */
    size_t capallocs;     /* allocated */
    lede__qword *qwords;  /* plain words, for suggestions */
    size_t nqwords;       /* count */
    size_t capqwords;     /* allocated */
    lede__buf stem;       /* stemmer output */
    unsigned depth;       /* parentheses open at the current token */
    size_t scanned;       /* index entries read for prefixes so far */
    struct memo *memo;    /* each prefix's expansion, read once */
    size_t nmemo;         /* count */
    size_t capmemo;       /* allocated */
    /* Tokens of the word being turned into terms. */
    char **folded;  /* folded words */
    size_t ntoks;   /* count */
    size_t captoks; /* allocated */
};

/* ---- memory ------------------------------------------------------------- */

static int nomem(lede__query *q);

/* Every allocation of the parse: on failure the query is marked failed
 * here, so that no caller can take a NULL for "nothing to search". */
static void *q_alloc(lede__query *q, size_t n)
{
    void **v = lede__grow(q->allocs, &q->capallocs, q->nallocs, sizeof *v);
    if (v == NULL) {
        nomem(q);
        return NULL;
    }
    q->allocs = v;
    void *p = lede__calloc(1, n);
    if (p == NULL) {
        nomem(q);
        return NULL;
    }
    q->allocs[q->nallocs++] = p;
    return p;
}

static char *q_strndup(lede__query *q, const char *s, size_t n)
{
    char *p = q_alloc(q, n + 1);
    if (p != NULL && n > 0)
        memcpy(p, s, n);
    return p;
}

static lede__qnode *node(lede__query *q, lede__qop op)
{
    lede__qnode *n = q_alloc(q, sizeof *n);
    if (n != NULL)
        n->op = op;
    return n;
}

/* An operator node over kids[0..n); NULL kids are left out. */
static lede__qnode *op_node(lede__query *q, lede__qop op, lede__qnode **kids,
                            size_t n)
{
    lede__qnode *r = node(q, op);
    if (r == NULL)
        return NULL;
    r->kids = q_alloc(q, (n ? n : 1) * sizeof *r->kids);
    if (r->kids == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (kids[i] != NULL)
            r->kids[r->nkids++] = kids[i];
    }
    return r;
}

static lede__qnode *pair(lede__query *q, lede__qop op, lede__qnode *a,
                         lede__qnode *b)
{
    lede__qnode *k[2] = {a, b};
    return op_node(q, op, k, 2);
}

static lede__qnode *term_node(lede__query *q, const char *prefix, const char *t,
                              size_t len)
{
    lede__qnode *n = node(q, LEDE__Q_TERM);
    size_t pl = strlen(prefix);
    char *s = n ? q_alloc(q, pl + len + 1) : NULL;
    if (s == NULL)
        return NULL;
    memcpy(s, prefix, pl);
    memcpy(s + pl, t, len);
    n->term = s;
    n->len = pl + len;
    n->wqf = 1;
    return n;
}

/* ---- errors ---------------------------------------------------------------
 */

static int verror_at(lede__query *q, int code, size_t off, const char *fmt,
                     va_list ap) LEDE__PRINTF(4, 0);

static int verror_at(lede__query *q, int code, size_t off, const char *fmt,
                     va_list ap)
{
    char msg[512];
    if (q->error)
        return q->error; /* the first failure is the one reported */
    vsnprintf(msg, sizeof msg, fmt, ap);
    return q->error = lede__error_set(code, "query: %s at column %zu", msg,
                                      lede__qcolumn(q->text, off));
}

static int error_at(lede__query *q, size_t off, const char *fmt, ...)
    LEDE__PRINTF(3, 4);

static int error_at(lede__query *q, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = verror_at(q, LEDE_EINVAL, off, fmt, ap);
    va_end(ap);
    return rc;
}

/* A query within the syntax that would cost more than the limits allow. */
static int limit_at(lede__query *q, size_t off, const char *fmt, ...)
    LEDE__PRINTF(3, 4);

static int limit_at(lede__query *q, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = verror_at(q, LEDE_ELIMIT, off, fmt, ap);
    va_end(ap);
    return rc;
}

/* Record a failure whose message is set already; its code is what the
 * parse returns (LEDE_ENOMEM, LEDE_EINDEX, ...). */
static int failed(lede__query *q, int rc)
{
    if (!q->error)
        q->error = rc;
    return rc;
}

static int nomem(lede__query *q)
{
    return failed(q, lede__error_nomem());
}

static int lex(lede__query *q)
{
    int rc = lede__qlex(&q->cur, q->text, q->len, &q->pos);
    if (rc < 0)
        failed(q, rc);
    return rc;
}

/* ---- words to terms --------------------------------------------------- */

static int add_token(const lede__token *t, void *payload)
{
    lede__query *q = payload;
    char **v = lede__grow(q->folded, &q->captoks, q->ntoks, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    q->folded = v;
    if ((v[q->ntoks] = q_strndup(q, t->term, t->len)) == NULL)
        return lede__error_nomem();
    q->ntoks++;
    return 0;
}

/* Note a word over LEDE__TOKEN_MAX that the tokenizer's last run, over
 * the query from byte a, left out. */
static void note_too_long(lede__query *q, size_t a)
{
    size_t at = lede__tokenizer_too_long(lede__index_tokenizer(q->idx));
    if (at != SIZE_MAX && q->too_long == SIZE_MAX)
        q->too_long = a + at;
}

/* Tokenize text[a, b) into q->folded (replacing its contents). */
static int tokenize(lede__query *q, size_t a, size_t b)
{
    q->ntoks = 0;
    int rc = lede__tokenizer_run(lede__index_tokenizer(q->idx), q->text + a,
                                 b - a, add_token, q);
    if (rc < 0)
        failed(q, rc);
    else
        note_too_long(q, a);
    return rc;
}

/* Nothing to search for at off: a word over LEDE__TOKEN_MAX (which the
 * index does not hold either, so it could never match) is named, for
 * otherwise the query would seem to have lost it; else what. */
static int no_words(lede__query *q, size_t off, const char *what)
{
    if (q->too_long == SIZE_MAX)
        return error_at(q, off, "%s", what);
    if (q->error)
        return q->error;
    return q->error = lede__error_set(
               LEDE_EINVAL,
               "query: the word at column %zu is over %d bytes, and such "
               "words are not indexed",
               lede__qcolumn(q->text, q->too_long), LEDE__TOKEN_MAX);
}

/* Count n more words (a phrase counts each of its words) against the
 * limit. */
static int count_words(lede__query *q, size_t at, size_t n)
{
    q->words += n;
    if (q->words > LEDE_QUERY_MAX_WORDS)
        return error_at(q, at, "more than %d words", LEDE_QUERY_MAX_WORDS);
    return 0;
}

static int count_word(lede__query *q, size_t at)
{
    return count_words(q, at, 1);
}

/* A phrase (or a word the tokenizer splits) of q->ntoks words, at the
 * column of at, within LEDE_PHRASE_MAX_WORDS. */
static int phrase_words(lede__query *q, size_t at)
{
    if (q->ntoks > LEDE_PHRASE_MAX_WORDS)
        return error_at(q, at, "a phrase of more than %d words",
                        LEDE_PHRASE_MAX_WORDS);
    return 0;
}

/* The stem of folded word w, as a TERM node under prefix. */
static lede__qnode *stemmed(lede__query *q, const char *prefix, const char *w)
{
    int rc = lede__index_stem(&q->stem, q->idx, w, strlen(w));
    if (rc < 0) {
        failed(q, rc);
        return NULL;
    }
    return term_node(q, prefix, q->stem.data, q->stem.len);
}

/* The terms of q->folded as one node: a term, or a phrase (or NEAR when
 * slop is set) of them. NULL without error when there are none. */
static lede__qnode *words_node(lede__query *q, const char *prefix, int has_slop,
                               unsigned slop)
{
    if (q->ntoks == 0)
        return NULL;
    lede__qnode *kids[LEDE_PHRASE_MAX_WORDS];
    size_t ntoks = q->ntoks;
    if (ntoks > LEDE_PHRASE_MAX_WORDS) /* phrase_words() said so */
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < ntoks; i++) {
        /* An index without stop words has none to match: the phrase keeps
         * their places through its window ("summit of leaders": summit,
         * then leader within 3 positions). */
        if (q->opt.index_stopwords && ntoks > 1 &&
            lede__is_stopword(q->folded[i], strlen(q->folded[i])))
            continue;
        if ((kids[n++] = stemmed(q, prefix, q->folded[i])) == NULL)
            return NULL;
    }
    if (n == 0)
        return NULL; /* only stop words */
    if (n == 1)
        return kids[0];
    lede__qnode *p =
        op_node(q, has_slop ? LEDE__Q_NEAR : LEDE__Q_PHRASE, kids, n);
    if (p != NULL)
        p->window = (unsigned)ntoks + (has_slop ? slop : 0);
    return p;
}

typedef struct {
    char *term;    /* a term starting with the prefix */
    size_t len;    /* its bytes */
    uint64_t freq; /* documents holding it */
} candidate;

typedef struct {
    candidate *v; /* the prefix's terms */
    size_t n;     /* count */
    size_t cap;   /* allocated */
} expansion;

/* One walk of the index's terms or spelling words for a prefix, counted
 * against the limits on the work a query may cause. */
typedef struct {
    lede__query *q;  /* whose counts */
    expansion *into; /* where the entries go */
    size_t at;       /* the prefix's offset in the query, for errors */
    size_t len;      /* its bytes, '*' included */
    size_t read;     /* entries read by this walk */
} scan;

/* A prefix's expansion, kept for its repeats in the query. */
struct memo {
    const char *key;    /* field then folded prefix */
    const char **terms; /* its terms (owned by the query's allocations) */
    size_t *lens;       /* their bytes */
    size_t n;           /* count; 0: the prefix matches nothing */
};

static int add_candidate(const char *term, size_t len, uint64_t freq,
                         void *payload)
{
    expansion *e = payload;
    candidate *v = lede__grow(e->v, &e->cap, e->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    e->v = v;
    if ((v[e->n].term = lede__strndup(term, len)) == NULL)
        return lede__error_nomem();
    v[e->n].len = len;
    v[e->n].freq = freq;
    e->n++;
    return 0;
}

static int scan_entry(const char *term, size_t len, uint64_t freq,
                      void *payload)
{
    scan *sc = payload;
    lede__query *q = sc->q;
    sc->read++;
    q->scanned++;
    if (sc->read > LEDE_PREFIX_MAX_SCAN)
        return limit_at(q, sc->at,
                        "'%.*s' matches more than %d of the index's words; "
                        "give more letters",
                        (int)sc->len, q->text + sc->at, LEDE_PREFIX_MAX_SCAN);
    if (q->scanned > LEDE_QUERY_MAX_SCAN)
        return limit_at(q, sc->at,
                        "the query's prefixes match more than %d of the "
                        "index's words in all; give fewer or longer prefixes",
                        LEDE_QUERY_MAX_SCAN);
    /* The clock costs little beside reading a few hundred entries. */
    if (q->scanned % 256 == 0) {
        int rc = lede__budget_check(q->opt.budget);
        if (rc < 0)
            return failed(q, rc);
    }
    return add_candidate(term, len, freq, sc->into);
}

/* Most frequent first; ties in term order, so expansions are stable. */
static int by_freq(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq > y->freq ? -1 : 1;
    return strcmp(x->term, y->term);
}

static int by_term(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    return strcmp(x->term, y->term);
}

/* Words of the spelling data looked at per prefix, the most used: each
 * costs a stem and a lookup. */
#define PREFIX_MAX_WORDS (4 * LEDE_PREFIX_MAX_EXPANSION)

/* The stems of the index's most used words starting with the folded
 * prefix, as terms under field with their passage counts, into e. */
static int add_word_stems(lede__query *q, const char *field, const char *prefix,
                          expansion *e, size_t a, size_t b)
{
    lede__xdb *db = lede__index_db(q->idx);
    expansion words = {NULL, 0, 0};
    lede__buf term = LEDE__BUF_INIT;
    scan sc = {q, &words, a, b - a, 0};
    int rc = lede__xdb_spellings(db, prefix, strlen(prefix), scan_entry, &sc);
    if (rc == 0 && words.n > 1)
        qsort(words.v, words.n, sizeof *words.v, by_freq);
    for (size_t i = 0; rc == 0 && i < words.n && i < PREFIX_MAX_WORDS; i++) {
        uint64_t df = 0;
        lede__buf_clear(&term);
        if ((rc = lede__index_stem(&q->stem, q->idx, words.v[i].term,
                                   words.v[i].len)) < 0 ||
            (rc = lede__buf_puts(&term, field)) < 0 ||
            (rc = lede__buf_put(&term, q->stem.data, q->stem.len)) < 0 ||
            (rc = lede__xdb_termfreq(&df, db, term.data, term.len)) < 0)
            break;
        /* Words of deleted articles stay in the spelling data. */
        if (df > 0)
            rc = add_candidate(term.data, term.len, df, e);
    }
    for (size_t i = 0; i < words.n; i++)
        lede__free(words.v[i].term);
    lede__free(words.v);
    lede__buf_free(&term);
    return rc;
}

static const struct memo *find_memo(const lede__query *q, const char *key)
{
    for (size_t i = 0; i < q->nmemo; i++) {
        if (strcmp(q->memo[i].key, key) == 0)
            return &q->memo[i];
    }
    return NULL;
}

/* Remember terms[0..n) as the expansion of key. */
static int add_memo(lede__query *q, const char *key, lede__qnode **terms,
                    size_t n)
{
    struct memo *v = lede__grow(q->memo, &q->capmemo, q->nmemo, sizeof *v);
    if (v == NULL)
        return nomem(q);
    q->memo = v;
    struct memo *m = &v[q->nmemo];
    m->key = q_strndup(q, key, strlen(key));
    m->terms = q_alloc(q, (n ? n : 1) * sizeof *m->terms);
    m->lens = q_alloc(q, (n ? n : 1) * sizeof *m->lens);
    if (m->key == NULL || m->terms == NULL || m->lens == NULL)
        return q->error;
    for (size_t i = 0; i < n; i++) {
        m->terms[i] = terms[i]->term;
        m->lens[i] = terms[i]->len;
    }
    m->n = n;
    q->nmemo++;
    return 0;
}

/* Read the terms of the folded prefix p (field included) from the index
 * into terms[0..*n_out): the most frequent first. */
static int expand(lede__query *q, lede__qnode **terms, size_t *n_out,
                  const char *field, const lede__buf *p, size_t a, size_t b)
{
    expansion e = {NULL, 0, 0};
    scan sc = {q, &e, a, b - a, 0};
    size_t n = 0, kept = 0;
    int rc = lede__xdb_allterms(lede__index_db(q->idx), p->data, p->len,
                                scan_entry, &sc);
    if (rc == 0)
        rc = add_word_stems(q, field, q->folded[0], &e, a, b);
    /* Each term once. */
    if (rc == 0 && e.n > 1) {
        qsort(e.v, e.n, sizeof *e.v, by_term);
        for (size_t i = 0; i < e.n; i++) {
            if (kept > 0 && strcmp(e.v[i].term, e.v[kept - 1].term) == 0) {
                lede__free(e.v[i].term);
                continue;
            }
            e.v[kept++] = e.v[i];
        }
        e.n = kept;
        qsort(e.v, e.n, sizeof *e.v, by_freq);
    }
    for (size_t i = 0; rc == 0 && i < e.n && n < LEDE_PREFIX_MAX_EXPANSION;
         i++) {
        if ((terms[n] = term_node(q, "", e.v[i].term, e.v[i].len)) == NULL)
            rc = lede__error_nomem();
        else
            n++;
    }
    for (size_t i = 0; i < e.n; i++)
        lede__free(e.v[i].term);
    lede__free(e.v);
    if (rc == 0)
        rc = add_memo(q, p->data, terms, n);
    *n_out = n;
    return rc;
}

/*
 * prefix*: the OR of the most frequent terms of words starting with it.
 * Terms are stems, and a stem can be shorter than the prefix ("election"
 * is indexed as "elect"), so the words come from two places: the index's
 * terms that start with the prefix ("summ*": summit), and the stems of
 * the words of the spelling data that do ("election*": elect, from
 * election and elections).
 */
static lede__qnode *prefix_node(lede__query *q, const char *field, size_t a,
                                size_t b)
{
    if (tokenize(q, a, b - 1) < 0)
        return NULL;
    if (q->ntoks != 1 || strlen(q->folded[0]) < PREFIX_MIN) {
        error_at(q, a,
                 "a prefix needs %d or more letters of one word "
                 "before '*'",
                 PREFIX_MIN);
        return NULL;
    }
    lede__buf p = LEDE__BUF_INIT;
    lede__qnode *terms[LEDE_PREFIX_MAX_EXPANSION], *r = NULL;
    size_t n = 0;
    int rc = lede__buf_puts(&p, field);
    if (rc == 0)
        rc = lede__buf_puts(&p, q->folded[0]);
    const struct memo *m = rc == 0 ? find_memo(q, p.data) : NULL;
    if (m != NULL) {
        /* The same prefix again ("zz* zz*"): its terms as read before. */
        for (; n < m->n; n++) {
            if ((terms[n] = term_node(q, "", m->terms[n], m->lens[n])) == NULL)
                break;
        }
    } else if (rc == 0) {
        rc = expand(q, terms, &n, field, &p, a, b);
    }
    lede__buf_free(&p);
    if (rc < 0) {
        failed(q, rc);
        return NULL;
    }
    if (q->error)
        return NULL;
    r = n == 0   ? node(q, LEDE__Q_NONE)
        : n == 1 ? terms[0]
                 : op_node(q, LEDE__Q_OR, terms, n);
    if (r == NULL)
        nomem(q);
    return r;
}

/* Body terms, and the same under the title prefix at title_weight, so
 * that a title holding them lifts every passage of its article. */
static lede__qnode *with_title(lede__query *q, lede__qnode *body,
                               lede__qnode *title)
{
    if (body == NULL || title == NULL || q->opt.title_weight <= 0)
        return body;
    lede__qnode *s = node(q, LEDE__Q_SCALE);
    if (s == NULL)
        return NULL;
    s->scale = q->opt.title_weight;
    s->kids = q_alloc(q, sizeof *s->kids);
    if (s->kids == NULL)
        return NULL;
    s->kids[0] = title;
    s->nkids = 1;
    return pair(q, LEDE__Q_OR, body, s);
}

static int remember_word(lede__query *q, const lede__qtok *t,
                         const lede__qnode *n)
{
    if (n == NULL || n->op != LEDE__Q_TERM)
        return 0;
    lede__qword *v =
        lede__grow(q->qwords, &q->capqwords, q->nqwords, sizeof *v);
    if (v == NULL)
        return nomem(q);
    q->qwords = v;
    v[q->nqwords++] = (lede__qword){t->a, t->b, q->folded[0], n->term};
    return 0;
}

/* A plain word (also the value of title:). */
static lede__qnode *word(lede__query *q, const lede__qtok *t, int title_only)
{
    if (count_word(q, t->a) < 0)
        return NULL;
    if (t->b > t->a && q->text[t->b - 1] == '*') {
        lede__qnode *body = title_only ? NULL : prefix_node(q, "", t->a, t->b);
        if (q->error)
            return NULL;
        if (!title_only && q->opt.title_weight <= 0)
            return body;
        lede__qnode *title = prefix_node(q, LEDE__PREFIX_TITLE, t->a, t->b);
        return title_only ? title : with_title(q, body, title);
    }
    if (tokenize(q, t->a, t->b) < 0 ||
        (q->ntoks > 1 && count_words(q, t->a, q->ntoks - 1) < 0) ||
        phrase_words(q, t->a) < 0)
        return NULL;
    if (q->opt.stopwords && !title_only && q->ntoks == 1 &&
        lede__is_stopword(q->folded[0], strlen(q->folded[0]))) {
        q->dropped++;
        return NULL; /* as a word of punctuation: no term */
    }
    if (title_only)
        return words_node(q, LEDE__PREFIX_TITLE, 0, 0);
    lede__qnode *body = words_node(q, "", 0, 0);
    if (body == NULL || remember_word(q, t, body) < 0)
        return NULL;
    lede__qnode *title = words_node(q, LEDE__PREFIX_TITLE, 0, 0);
    return with_title(q, body, title);
}

static lede__qnode *phrase(lede__query *q, const lede__qtok *t, int title_only)
{
    if (count_word(q, t->start) < 0 || tokenize(q, t->a, t->b) < 0)
        return NULL;
    if (q->ntoks == 0) {
        no_words(q, t->start, "the phrase has no words");
        return NULL;
    }
    if ((q->ntoks > 1 && count_words(q, t->start, q->ntoks - 1) < 0) ||
        phrase_words(q, t->start) < 0)
        return NULL;
    if (title_only)
        return words_node(q, LEDE__PREFIX_TITLE, t->has_slop, t->slop);
    lede__qnode *body = words_node(q, "", t->has_slop, t->slop);
    lede__qnode *title =
        words_node(q, LEDE__PREFIX_TITLE, t->has_slop, t->slop);
    return with_title(q, body, title);
}

/* ---- dates ----------------------------------------------------------------
 */

/* One end of a date range: the first and last second it covers, as
 * stored values. */
static int date_end(lede__query *q, size_t a, size_t b, char *lo, char *hi)
{
    int64_t first, last;
    int rc = lede__date_span(&first, &last, q->text + a, b - a);
    if (rc == LEDE__DATE_NO_MONTH || rc == LEDE__DATE_NO_DAY)
        return error_at(q, a, "no such %s: %.*s",
                        rc == LEDE__DATE_NO_DAY ? "day" : "month", (int)(b - a),
                        q->text + a);
    if (rc < 0)
        return error_at(q, a,
                        "'%.*s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                        (int)(b - a), q->text + a);
    lede__date_format(lo, first);
    lede__date_format(hi, last);
    return 0;
}

static lede__qnode *range_node(lede__query *q, const char *lo, const char *hi)
{
    lede__qnode *n = node(q, LEDE__Q_RANGE);
    if (n == NULL)
        return NULL;
    n->slot = LEDE__SLOT_DATE;
    n->lo = q_strndup(q, lo, strlen(lo));
    n->hi = q_strndup(q, hi, strlen(hi));
    return n->lo && n->hi ? n : NULL;
}

/* date:A, date:A..B, date:A.., date:..B */
static lede__qnode *date(lede__query *q, const lede__qtok *t)
{
    const char *s = q->text + t->a;
    size_t n = t->b - t->a;
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = s + i;
            break;
        }
    }
    char lo[16] = "00000101000000", hi[16] = "99991231235959", x[16];
    size_t mid = dots ? (size_t)(dots - q->text) : t->b;
    if (mid > t->a && date_end(q, t->a, mid, lo, dots ? x : hi) < 0)
        return NULL;
    if (dots && mid + 2 < t->b && date_end(q, mid + 2, t->b, x, hi) < 0)
        return NULL;
    if (dots && mid == t->a && mid + 2 == t->b) {
        error_at(q, t->start, "date: needs at least one end of the range");
        return NULL;
    }
    if (strcmp(lo, hi) > 0) {
        error_at(q, t->start, "the date range ends before it starts");
        return NULL;
    }
    return range_node(q, lo, hi);
}

/* ---- parser ------------------------------------------------------------- */

static lede__qnode *parse_seq(lede__query *q, int nested, size_t open);

/* Nodes of the parse: plain results, or a filter (date:) that only
 * narrows. */
typedef struct {
    lede__qnode *n; /* the node; NULL when the item had no words */
    int filter;     /* unweighted: a date range */
} item;

static item primary(lede__query *q)
{
    item it = {NULL, 0};
    lede__qtok t = q->cur;
    switch (t.kind) {
    case LEDE__T_WORD:
        it.n = word(q, &t, 0);
        break;
    case LEDE__T_PHRASE:
        it.n = phrase(q, &t, 0);
        break;
    case LEDE__T_TITLE:
        it.n = t.quoted ? phrase(q, &t, 1) : word(q, &t, 1);
        break;
    case LEDE__T_DATE:
        it.n = date(q, &t);
        it.filter = 1;
        break;
    case LEDE__T_LPAREN:
        /* The parser recurses once per open parenthesis, and each level
         * adds a few operators to the tree that later walks recurse
         * through: the bound keeps the stack small on any thread. */
        if (q->depth >= LEDE_QUERY_MAX_DEPTH) {
            error_at(q, t.start, "more than %d levels of parentheses",
                     LEDE_QUERY_MAX_DEPTH);
            return it;
        }
        if (lex(q) < 0)
            return it;
        q->depth++;
        it.n = parse_seq(q, 1, t.start);
        q->depth--;
        if (q->error)
            return it;
        if (q->cur.kind != LEDE__T_RPAREN) {
            error_at(q, t.start, "'(' is never closed");
            return it;
        }
        break;
    case LEDE__T_RPAREN:
        error_at(q, t.start, "')' without a '('");
        return it;
    case LEDE__T_END:
        error_at(q, t.start, "the query ends where a word was expected");
        return it;
    default: /* AND, OR, NOT, +, - */
        error_at(q, t.start, "'%.*s' needs a word, phrase or group after it",
                 (int)(q->pos - t.start), q->text + t.start);
        return it;
    }
    if (!q->error)
        lex(q);
    return it;
}

static const char *sign_text(lede__qtok_kind k)
{
    return k == LEDE__T_NOT ? "NOT" : k == LEDE__T_MINUS ? "-" : "+";
}

/* The operands of one operator, as they are read. */
typedef struct {
    lede__qnode **v; /* nodes */
    size_t n;        /* count */
    size_t cap;      /* allocated */
} operands;

static int push(lede__query *q, operands *l, lede__qnode *n)
{
    lede__qnode **v = lede__grow(l->v, &l->cap, l->n, sizeof *v);
    if (v == NULL)
        return nomem(q);
    l->v = v;
    v[l->n++] = n;
    return 0;
}

/* One node of op over l's operands (the operand itself when alone), or
 * NULL when there are none. */
static lede__qnode *one_of(lede__query *q, lede__qop op, const operands *l)
{
    if (l->n == 0 || q->error)
        return NULL;
    lede__qnode *r = l->n == 1 ? l->v[0] : op_node(q, op, l->v, l->n);
    if (r == NULL)
        nomem(q);
    return r;
}

/*
 * primary (AND primary | NOT primary)*, where AND NOT is NOT. A chain
 * becomes one AND of its weighted operands, narrowed by its dates and
 * less its NOTs, however long: a tree one level deep rather than one
 * level per word, which every later walk of the tree (and Xapian's)
 * would recurse through.
 */
static item parse_and(lede__query *q)
{
    operands pos = {NULL, 0, 0}, filt = {NULL, 0, 0}, neg = {NULL, 0, 0};
    item first = primary(q), r = {NULL, 0};
    if (!q->error && first.n != NULL)
        push(q, first.filter ? &filt : &pos, first.n);
    while (!q->error &&
           (q->cur.kind == LEDE__T_AND || q->cur.kind == LEDE__T_NOT)) {
        lede__qtok op = q->cur;
        if (lex(q) < 0)
            break;
        /* a AND NOT b, a AND -b: a NOT b; a AND +b: a AND b. */
        if (op.kind == LEDE__T_AND &&
            (q->cur.kind == LEDE__T_NOT || q->cur.kind == LEDE__T_MINUS ||
             q->cur.kind == LEDE__T_PLUS)) {
            if (q->cur.kind != LEDE__T_PLUS)
                op.kind = LEDE__T_NOT;
            if (lex(q) < 0)
                break;
        }
        if (q->cur.kind == LEDE__T_END || q->cur.kind == LEDE__T_RPAREN ||
            q->cur.kind == LEDE__T_AND || q->cur.kind == LEDE__T_OR) {
            error_at(q, op.start, "%s needs something on both sides",
                     op.kind == LEDE__T_AND ? "AND" : "NOT");
            break;
        }
        if (q->cur.kind == LEDE__T_NOT || q->cur.kind == LEDE__T_MINUS ||
            q->cur.kind == LEDE__T_PLUS) {
            error_at(q, q->cur.start,
                     "'%s' cannot follow %s; group with parentheses",
                     sign_text(q->cur.kind),
                     op.kind == LEDE__T_AND ? "AND" : "NOT");
            break;
        }
        item right = primary(q);
        if (q->error)
            break;
        if (right.n == NULL)
            continue; /* punctuation only: nothing to combine */
        /* With nothing on the left (punctuation), the right side is all
         * there is, whatever the operator. */
        if (op.kind == LEDE__T_NOT && pos.n + filt.n > 0)
            push(q, &neg, right.n);
        else
            push(q, right.filter ? &filt : &pos, right.n);
    }
    if (!q->error) {
        /* A date narrows the rest without weighing; dates alone stay a
         * filter for the caller to place. */
        lede__qnode *w = one_of(q, LEDE__Q_AND, &pos),
                    *f = one_of(q, LEDE__Q_AND, &filt),
                    *x = one_of(q, LEDE__Q_OR, &neg);
        r.n = w && f ? pair(q, LEDE__Q_FILTER, w, f) : w ? w : f;
        r.filter = w == NULL && f != NULL;
        if (r.n && x)
            r.n = pair(q, LEDE__Q_AND_NOT, r.n, x);
        if ((w || f) && r.n == NULL)
            nomem(q);
    }
    lede__free(pos.v);
    lede__free(filt.v);
    lede__free(neg.v);
    return r;
}

/* parse_and (OR parse_and)*, as one OR however long. */
static item parse_or(lede__query *q)
{
    operands any = {NULL, 0, 0};
    item first = parse_and(q), r = {NULL, 0};
    int filters = 1; /* every operand is a date */
    if (!q->error && first.n != NULL) {
        push(q, &any, first.n);
        filters = first.filter;
    }
    while (!q->error && q->cur.kind == LEDE__T_OR) {
        lede__qtok op = q->cur;
        if (lex(q) < 0)
            break;
        if (q->cur.kind == LEDE__T_END || q->cur.kind == LEDE__T_RPAREN ||
            q->cur.kind == LEDE__T_AND || q->cur.kind == LEDE__T_OR) {
            error_at(q, op.start, "OR needs something on both sides");
            break;
        }
        if (q->cur.kind == LEDE__T_NOT || q->cur.kind == LEDE__T_MINUS) {
            /* "a OR NOT b" would match every article without b. */
            error_at(q, q->cur.start,
                     "'%s' cannot follow OR: exclude from both sides, as "
                     "in (a OR b) NOT c",
                     sign_text(q->cur.kind));
            break;
        }
        item right = parse_and(q);
        if (q->error)
            break;
        if (right.n == NULL)
            continue;
        push(q, &any, right.n);
        filters = filters && right.filter;
    }
    r.n = one_of(q, LEDE__Q_OR, &any);
    r.filter = r.n != NULL && filters;
    lede__free(any.v);
    return r;
}

static void bump_wqf(lede__qnode *n)
{
    if (n->op == LEDE__Q_TERM)
        n->wqf++;
    for (size_t i = 0; i < n->nkids; i++)
        bump_wqf(n->kids[i]);
}

/* A word given twice counts twice in one leaf (its wqf), as BM25's query
 * term frequency means, rather than as two leaves that would each weigh
 * in full: "apple apple" is not twice "apple". Same nodes are found by
 * their descriptions. */
static size_t merge_repeats(lede__query *q, lede__qnode **v, size_t n)
{
    /* Every description first: bumping a count changes the description
     * ("summit^2"), so comparing as we go would miss a third copy. */
    char **desc = q_alloc(q, n * sizeof *desc);
    lede__buf b = LEDE__BUF_INIT;
    size_t k = 0;
    if (desc == NULL)
        return n;
    for (size_t i = 0; i < n; i++) {
        lede__buf_clear(&b);
        if (lede__query_describe(&b, v[i]) < 0 ||
            (desc[i] = q_strndup(q, b.data, b.len)) == NULL) {
            nomem(q);
            lede__buf_free(&b);
            return n;
        }
    }
    lede__buf_free(&b);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && strcmp(desc[i], desc[j]) != 0)
            j++;
        if (j < k) {
            bump_wqf(v[j]);
        } else {
            desc[k] = desc[i];
            v[k++] = v[i];
        }
    }
    return k;
}

static lede__qnode *combine(lede__query *q, lede__qnode **must, size_t nmust,
                            lede__qnode **should, size_t nshould,
                            lede__qnode **boost, size_t nboost,
                            lede__qnode **excl, size_t nexcl,
                            lede__qnode **filter, size_t nfilter, int nested);

/* The body term of a plain word's node (a term, or a term OR'd with its
 * scaled title term), or NULL for anything else. */
static const lede__qnode *body_term(const lede__qnode *n)
{
    if (n->op == LEDE__Q_OR && n->nkids == 2 && n->kids[1]->op == LEDE__Q_SCALE)
        n = n->kids[0];
    if (n->op != LEDE__Q_TERM ||
        strncmp(n->term, LEDE__PREFIX_TITLE, strlen(LEDE__PREFIX_TITLE)) == 0)
        return NULL;
    return n;
}

static int same(const lede__qnode *a, const lede__qnode *b)
{
    return a->len == b->len && memcmp(a->term, b->term, a->len) == 0;
}

/* Proximity: for each two plain words next to each other in words[0..n),
 * append to *list (not words) a node matching where both are within
 * LEDE_PROXIMITY_WINDOW positions, scaled by opt.proximity, so that such
 * passages score that share of the two words' weight again. */
static void add_pairs(lede__query *q, lede__qnode **words, size_t n,
                      lede__qnode ***list, size_t *nlist, size_t *cap)
{
    size_t first = *nlist;
    if (q->opt.proximity <= 0 || n < 2)
        return;
    for (size_t i = 0; i + 1 < n && !q->error; i++) {
        const lede__qnode *a = body_term(words[i]),
                          *b = body_term(words[i + 1]);
        if (a == NULL || b == NULL || same(a, b))
            continue;
        size_t j = first;
        for (; j < *nlist; j++) {
            lede__qnode *const *k = (*list)[j]->kids[0]->kids;
            if ((same(k[0], a) && same(k[1], b)) ||
                (same(k[0], b) && same(k[1], a)))
                break;
        }
        if (j < *nlist)
            continue; /* the same two words again count once */
        lede__qnode *kids[2] = {term_node(q, "", a->term, a->len),
                                term_node(q, "", b->term, b->len)};
        lede__qnode *near =
            kids[0] && kids[1] ? op_node(q, LEDE__Q_NEAR, kids, 2) : NULL;
        lede__qnode *s = near ? node(q, LEDE__Q_SCALE) : NULL;
        if (s != NULL)
            s->kids = q_alloc(q, sizeof *s->kids);
        /* Grown last: a failure leaves *list as it was, still the
         * caller's to free. */
        lede__qnode **v =
            s && s->kids ? lede__grow(*list, cap, *nlist, sizeof *v) : NULL;
        if (v == NULL) {
            nomem(q);
            return;
        }
        near->window = LEDE_PROXIMITY_WINDOW;
        near->proximity = 1;
        s->scale = q->opt.proximity;
        s->kids[0] = near;
        s->nkids = 1;
        *list = v;
        v[(*nlist)++] = s;
    }
}

/* Words side by side, each plain, +required or -excluded, combined. */
static lede__qnode *parse_seq(lede__query *q, int nested, size_t open)
{
    lede__qnode **must = NULL, **should = NULL, **excl = NULL, **filter = NULL;
    lede__qnode **pairs = NULL;
    size_t nmust = 0, nshould = 0, nexcl = 0, nfilter = 0, npairs = 0;
    size_t cm = 0, cs = 0, cn = 0, cf = 0, cp = 0;
    lede__qnode *r = NULL;

    while (!q->error && q->cur.kind != LEDE__T_END &&
           !(nested && q->cur.kind == LEDE__T_RPAREN)) {
        lede__qtok start = q->cur;
        int sign = 0;
        item it;
        if (start.kind == LEDE__T_RPAREN) {
            error_at(q, start.start, "')' without a '('");
            break;
        }
        if (start.kind == LEDE__T_PLUS || start.kind == LEDE__T_MINUS ||
            start.kind == LEDE__T_NOT) {
            sign = start.kind == LEDE__T_PLUS ? '+' : '-';
            if (lex(q) < 0)
                break;
            it = primary(q);
            if (!q->error &&
                (q->cur.kind == LEDE__T_AND || q->cur.kind == LEDE__T_OR ||
                 q->cur.kind == LEDE__T_NOT))
                error_at(q, start.start,
                         "a %s term cannot take %s after it; put the rest "
                         "in parentheses",
                         start.kind == LEDE__T_NOT ? "NOT"
                         : sign == '+'             ? "+"
                                                   : "-",
                         q->cur.kind == LEDE__T_AND  ? "AND"
                         : q->cur.kind == LEDE__T_OR ? "OR"
                                                     : "NOT");
        } else {
            it = parse_or(q);
        }
        if (q->error || it.n == NULL)
            continue; /* a word of punctuation only is no term */
        lede__qnode ***list = sign == '-'   ? &excl
                              : it.filter   ? &filter
                              : sign == '+' ? &must
                              : q->opt.all  ? &must
                                            : &should;
        size_t *n = list == &excl     ? &nexcl
                    : list == &filter ? &nfilter
                    : list == &must   ? &nmust
                                      : &nshould;
        size_t *cap = list == &excl     ? &cn
                      : list == &filter ? &cf
                      : list == &must   ? &cm
                                        : &cs;
        lede__qnode **v = lede__grow(*list, cap, *n, sizeof *v);
        if (v == NULL) {
            nomem(q);
            break;
        }
        *list = v;
        v[(*n)++] = it.n;
    }
    if (!q->error && nested && q->cur.kind != LEDE__T_RPAREN)
        error_at(q, open, "'(' is never closed");
    if (!q->error)
        add_pairs(q, q->opt.all ? must : should, q->opt.all ? nmust : nshould,
                  &pairs, &npairs, &cp);
    r = combine(q, must, nmust, should, nshould, pairs, npairs, excl, nexcl,
                filter, nfilter, nested);
    lede__free(pairs);
    lede__free(must);
    lede__free(should);
    lede__free(excl);
    lede__free(filter);
    return q->error ? NULL : r;
}

/* The words of a seq combined: must AND, should OR (AND_MAYBE when both),
 * then filters, then exclusions. NULL when there is nothing. */
static lede__qnode *combine(lede__query *q, lede__qnode **must, size_t nmust,
                            lede__qnode **should, size_t nshould,
                            lede__qnode **boost, size_t nboost,
                            lede__qnode **excl, size_t nexcl,
                            lede__qnode **filter, size_t nfilter, int nested)
{
    lede__qnode *r = NULL;
    if (!q->error)
        nshould = merge_repeats(q, should, nshould);
    if (!q->error)
        nmust = merge_repeats(q, must, nmust);
    if (!q->error && nboost > 0) {
        /* Boosts only add weight to what the words match. */
        lede__qnode **v = q_alloc(q, (nshould + nboost) * sizeof *v);
        if (v == NULL) {
            nomem(q);
        } else {
            if (nshould > 0)
                memcpy(v, should, nshould * sizeof *v);
            memcpy(v + nshould, boost, nboost * sizeof *v);
            should = v;
            nshould += nboost;
        }
    }
    if (!q->error) {
        if (nmust + nshould + nexcl + nfilter == 0) {
            r = NULL; /* nothing here: the caller decides */
        } else {
            lede__qnode *m = nmust == 1 ? must[0]
                             : nmust    ? op_node(q, LEDE__Q_AND, must, nmust)
                                        : NULL;
            lede__qnode *s = nshould == 1 ? should[0]
                             : nshould ? op_node(q, LEDE__Q_OR, should, nshould)
                                       : NULL;
            r = m && s ? pair(q, LEDE__Q_AND_MAYBE, m, s)
                : m    ? m
                : s    ? s
                       : node(q, LEDE__Q_ALL);
            if (r && nfilter)
                r = pair(q, LEDE__Q_FILTER, r,
                         nfilter == 1
                             ? filter[0]
                             : op_node(q, LEDE__Q_AND, filter, nfilter));
            if (r && nexcl)
                r = pair(q, LEDE__Q_AND_NOT, r,
                         nexcl == 1 ? excl[0]
                                    : op_node(q, LEDE__Q_OR, excl, nexcl));
            if (r == NULL)
                nomem(q);
            if (r && nmust + nshould == 0 && nfilter == 0 && !nested)
                error_at(q, 0,
                         "only excluded words: give a word to search "
                         "for, or a date:");
        }
    }
    return q->error ? NULL : r;
}

typedef struct {
    lede__span *v; /* word spans */
    size_t n;      /* count */
    size_t cap;    /* allocated */
} spans;

static int add_span(const lede__token *t, void *payload)
{
    spans *s = payload;
    lede__span *v = lede__grow(s->v, &s->cap, s->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    s->v = v;
    v[s->n++] = (lede__span){t->start, t->end};
    return 0;
}

/* LEDE_SEARCH_PLAIN: every word of the text, combined as words side by
 * side are; nothing else is read. */
static lede__qnode *parse_plain(lede__query *q)
{
    spans sp = {NULL, 0, 0};
    lede__qnode **v = NULL, *r = NULL;
    const char **seen = NULL; /* the folded word of each v[i] */
    int rc = lede__tokenizer_run(lede__index_tokenizer(q->idx), q->text, q->len,
                                 add_span, &sp);
    if (rc == 0)
        note_too_long(q, 0);
    if (rc < 0) {
        failed(q, rc);
    } else if (sp.n > 0 &&
               ((v = lede__calloc(sp.n, sizeof *v)) == NULL ||
                (seen = lede__calloc(sp.n, sizeof *seen)) == NULL)) {
        nomem(q);
    } else {
        /* Each distinct word once, its repeats counted in its wqf, so that
         * the word limit counts distinct words: topics written as
         * paragraphs repeat many. */
        size_t n = 0;
        for (size_t i = 0; i < sp.n && !q->error; i++) {
            lede__qtok t = {LEDE__T_WORD,
                            sp.v[i].start,
                            sp.v[i].start,
                            sp.v[i].end,
                            0,
                            0,
                            0};
            size_t j = 0;
            if (tokenize(q, t.a, t.b) < 0)
                break;
            if (q->ntoks != 1)
                continue; /* no word after all */
            /* Words with one stem are one term ("summit", "summits"). */
            rc = lede__index_stem(&q->stem, q->idx, q->folded[0],
                                  strlen(q->folded[0]));
            const char *key =
                rc < 0 ? NULL : q_strndup(q, q->stem.data, q->stem.len);
            if (rc < 0 || key == NULL) {
                failed(q, rc < 0 ? rc : LEDE_ENOMEM);
                break;
            }
            while (j < n && strcmp(seen[j], key) != 0)
                j++;
            if (j < n) {
                if (v[j] != NULL)
                    bump_wqf(v[j]);
                continue;
            }
            /* A stop word left out is remembered too (v[n] NULL), so
             * that its repeats are not counted again. */
            seen[n] = key;
            v[n++] = word(q, &t, 0);
        }
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            if (v[i] != NULL)
                v[kept++] = v[i];
        }
        n = kept;
        lede__qnode **pairs = NULL;
        size_t npairs = 0, cap = 0;
        add_pairs(q, v, n, &pairs, &npairs, &cap);
        if (!q->error)
            r = q->opt.all ? combine(q, v, n, NULL, 0, pairs, npairs, NULL, 0,
                                     NULL, 0, 0)
                           : combine(q, NULL, 0, v, n, pairs, npairs, NULL, 0,
                                     NULL, 0, 0);
        lede__free(pairs);
    }
    lede__free(sp.v);
    lede__free(v);
    lede__free(seen);
    return q->error ? NULL : r;
}

/* Parse q->text from its start (again, after stop words left it empty). */
static void parse_text(lede__query *q)
{
    q->pos = 0;
    q->words = 0;
    q->nqwords = 0;
    q->dropped = 0;
    if (q->opt.plain)
        q->root = parse_plain(q);
    else if (lex(q) == 0)
        q->root = parse_seq(q, 0, 0);
}

int lede__is_stopword(const char *w, size_t len)
{
    static const char list[] = " " LEDE_STOPWORDS " ";
    if (len == 0 || len > 8)
        return 0;
    for (const char *p = list; (p = strstr(p, " ")) != NULL && p[1]; p++) {
        if (strncmp(p + 1, w, len) == 0 && p[1 + len] == ' ')
            return 1;
    }
    return 0;
}

int lede__query_parse(lede__query **out, lede_index *idx, const char *text,
                      const lede__parse_opts *opts)
{
    size_t len = strlen(text);
    lede__query *q;

    *out = NULL;
    if (len > LEDE_QUERY_MAX_BYTES)
        return lede__error_set(LEDE_EINVAL,
                               "query: %zu bytes is over the limit of %d", len,
                               LEDE_QUERY_MAX_BYTES);
    size_t bad = lede__utf8_check(text, len);
    if (bad < len)
        return lede__error_set(LEDE_EINVAL, "query: invalid UTF-8 at byte %zu",
                               bad);
    if ((q = lede__calloc(1, sizeof *q)) == NULL)
        return lede__error_nomem();
    q->idx = idx;
    q->opt = *opts;
    q->text = text;
    q->len = len;
    q->too_long = SIZE_MAX;
    parse_text(q);
    if (!q->error && q->root == NULL && q->dropped > 0) {
        /* Only stop words ("The Who"): search them after all. */
        q->opt.stopwords = 0;
        parse_text(q);
    }
    if (!q->error && q->root == NULL)
        no_words(q, 0, "no words to search for");
    /* Dates given as options narrow whatever the query says. */
    if (!q->error &&
        (opts->date_from != LEDE_NO_DATE || opts->date_to != LEDE_NO_DATE)) {
        char lo[16] = "00000101000000", hi[16] = "99991231235959";
        if (opts->date_from != LEDE_NO_DATE)
            lede__date_format(lo, opts->date_from);
        if (opts->date_to != LEDE_NO_DATE)
            lede__date_format(hi, opts->date_to);
        q->root = pair(q, LEDE__Q_FILTER, q->root, range_node(q, lo, hi));
        if (q->root == NULL)
            nomem(q);
    }
    if (q->error) {
        int rc = q->error;
        lede__query_free(q);
        return rc;
    }
    *out = q;
    return 0;
}

const lede__qnode *lede__query_root(const lede__query *q)
{
    return q->root;
}

const lede__qword *lede__query_words(const lede__query *q, size_t *n_out)
{
    *n_out = q->nqwords;
    return q->qwords;
}

size_t lede__query_scanned(const lede__query *q)
{
    return q->scanned;
}

void lede__query_free(lede__query *q)
{
    if (q == NULL)
        return;
    for (size_t i = 0; i < q->nallocs; i++)
        lede__free(q->allocs[i]);
    lede__free(q->allocs);
    lede__free(q->qwords);
    lede__free(q->memo);
    lede__free(q->folded);
    lede__buf_free(&q->stem);
    lede__free(q);
}

/* ---- description ------------------------------------------------------------
 */

static const char *const op_names[] = {
    "TERM",   "OR",   "AND",   "AND_NOT", "AND_MAYBE", "FILTER",
    "PHRASE", "NEAR", "SCALE", "DATE",    "ALL",       "NONE"};

int lede__query_describe(lede__buf *out, const lede__qnode *n)
{
    int rc;
    size_t tp = strlen(LEDE__PREFIX_TITLE);
    switch (n->op) {
    case LEDE__Q_TERM:
        if (n->len >= tp && memcmp(n->term, LEDE__PREFIX_TITLE, tp) == 0)
            rc = lede__buf_printf(out, "title:%.*s", (int)(n->len - tp),
                                  n->term + tp);
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
            rc = lede__query_describe(out, n->kids[i]);
    }
    return rc == 0 ? lede__buf_putc(out, ')') : rc;
}
