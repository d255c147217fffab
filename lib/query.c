/*
 * query.c - the query language: from what a user typed to a query tree.
 *
 * Owns the syntax (words, "phrases" and "phrases"~N, +required and
 * -excluded, title:, date:, prefix*, AND, OR, NOT and parentheses), its
 * precedence (words side by side < OR < AND and NOT), the title boost,
 * the limits on size, and error messages that give the column. Words
 * become terms through the index's own tokenizer and stemmer; a word the
 * tokenizer splits becomes a phrase, and one it leaves out for its length
 * (as it did in the index) is named when the query has no other word.
 * What words side by side mean together (Lucene's semantics: the required
 * ones must match, the excluded must not, the others rank, which also
 * reads "summit -Hanoi date:2018" as people mean it) is qcombine.c's;
 * what a prefix stands for in the index is prefix.c's; the tree's nodes
 * and the first failure are qtree.c's.
 * It bounds the work a query may cause: parentheses nest at most
 * LEDE_QUERY_MAX_DEPTH deep (the parser recurses per level), and a chain
 * of AND or OR is one node however long (later walks of the tree recurse
 * per level). Calls qlex.c, qtree.c, qcombine.c, qfilter.c, prefix.c,
 * tokenize.c,
 * analysis.c (tokenizer, stemmer, stop words), like.c, index.c, date.c,
 * buf.c, alloc.c and error.c.
 */
#include "lede_int.h"

#include <string.h>

/* Shortest prefix before '*': one letter would expand to noise. */
#define PREFIX_MIN 2

struct lede__query {
    lede_index *idx;         /* whose tokenizer, stemmer and vocabulary */
    lede__parse_opts opt;    /* how to read words side by side */
    const char *text;        /* the query */
    size_t len;              /* its bytes */
    size_t pos;              /* lexer position */
    lede__qtok cur;          /* current token */
    size_t words;            /* words seen */
    size_t dropped;          /* stop words left out */
    size_t too_long;         /* offset of the first word left out for its
                                length, or SIZE_MAX */
    lede__qnode *root;       /* the result */
    lede__qtree tree;        /* its memory and the first failure */
    lede__qword *qwords;     /* plain words, for suggestions */
    size_t nqwords;          /* count */
    size_t capqwords;        /* allocated */
    lede__buf stem;          /* stemmer output */
    unsigned depth;          /* parentheses open at the current token */
    lede__prefixes prefixes; /* prefix* read against the index */
    /* Tokens of the word being turned into terms. */
    char **folded;  /* folded words */
    size_t ntoks;   /* count */
    size_t captoks; /* allocated */
};

static int lex(lede__query *q)
{
    int rc = lede__qlex(&q->cur, q->text, q->len, &q->pos);
    if (rc < 0)
        lede__qtree_failed(&q->tree, rc);
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
    if ((v[q->ntoks] = lede__qtree_strndup(&q->tree, t->term, t->len)) == NULL)
        return lede__error_nomem();
    q->ntoks++;
    return 0;
}

/* Note a word over LEDE__TOKEN_MAX that the tokenizer's last run, over
 * the query from byte a, left out. */
static void note_too_long(lede__query *q, size_t a)
{
    size_t at = lede__tokenizer_too_long(
        lede__analysis_tokenizer(lede__index_analysis(q->idx)));
    if (at != SIZE_MAX && q->too_long == SIZE_MAX)
        q->too_long = a + at;
}

/* Tokenize text[a, b) into q->folded (replacing its contents). */
static int tokenize(lede__query *q, size_t a, size_t b)
{
    q->ntoks = 0;
    int rc = lede__tokenizer_run(
        lede__analysis_tokenizer(lede__index_analysis(q->idx)), q->text + a,
        b - a, add_token, q);
    if (rc < 0)
        lede__qtree_failed(&q->tree, rc);
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
        return lede__qtree_error_at(&q->tree, LEDE_EINVAL, off, "%s", what);
    if (q->tree.error)
        return q->tree.error;
    return q->tree.error = lede__error_set(
               LEDE_EINVAL,
               "query: the word at column %zu is over %d bytes, and such "
               "words are not indexed",
               lede__qlex_column(q->text, q->too_long), LEDE__TOKEN_MAX);
}

/* Count n more words (a phrase counts each of its words) against the
 * limit. */
static int count_words(lede__query *q, size_t at, size_t n)
{
    q->words += n;
    if (q->words > LEDE_QUERY_MAX_WORDS)
        return lede__qtree_error_at(&q->tree, LEDE_EINVAL, at,
                                    "more than %d words", LEDE_QUERY_MAX_WORDS);
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
        return lede__qtree_error_at(&q->tree, LEDE_EINVAL, at,
                                    "a phrase of more than %d words",
                                    LEDE_PHRASE_MAX_WORDS);
    return 0;
}

/* The stem of folded word w, as a TERM node under prefix. */
static lede__qnode *stem_term(lede__query *q, const char *prefix, const char *w)
{
    int rc = lede__analysis_stem(&q->stem, lede__index_analysis(q->idx), w,
                                 strlen(w));
    if (rc < 0) {
        lede__qtree_failed(&q->tree, rc);
        return NULL;
    }
    return lede__qtree_term(&q->tree, prefix, q->stem.data, q->stem.len);
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
            lede__analysis_is_stopword(q->folded[i], strlen(q->folded[i])))
            continue;
        if ((kids[n++] = stem_term(q, prefix, q->folded[i])) == NULL)
            return NULL;
    }
    if (n == 0)
        return NULL; /* only stop words */
    if (n == 1)
        return kids[0];
    lede__qnode *p = lede__qtree_op(
        &q->tree, has_slop ? LEDE__Q_NEAR : LEDE__Q_PHRASE, kids, n);
    if (p != NULL)
        p->window = (unsigned)ntoks + (has_slop ? slop : 0);
    return p;
}

/* prefix*: one word of PREFIX_MIN letters or more, read against the
 * index's vocabulary (prefix.c). */
static lede__qnode *prefix_node(lede__query *q, const char *field, size_t a,
                                size_t b)
{
    if (tokenize(q, a, b - 1) < 0)
        return NULL;
    if (q->ntoks != 1 || strlen(q->folded[0]) < PREFIX_MIN) {
        lede__qtree_error_at(&q->tree, LEDE_EINVAL, a,
                             "a prefix needs %d or more letters of one word "
                             "before '*'",
                             PREFIX_MIN);
        return NULL;
    }
    return lede__prefix_node(&q->prefixes, &q->tree, field, q->folded[0], a, b);
}

/* Body terms, and the same under the title prefix at title_weight, so
 * that a title holding them lifts every passage of its article. */
static lede__qnode *with_title(lede__query *q, lede__qnode *body,
                               lede__qnode *title)
{
    if (body == NULL || title == NULL || q->opt.title_weight <= 0)
        return body;
    lede__qnode *s = lede__qtree_node(&q->tree, LEDE__Q_SCALE);
    if (s == NULL)
        return NULL;
    s->scale = q->opt.title_weight;
    s->kids = lede__qtree_alloc(&q->tree, sizeof *s->kids);
    if (s->kids == NULL)
        return NULL;
    s->kids[0] = title;
    s->nkids = 1;
    return lede__qtree_pair(&q->tree, LEDE__Q_OR, body, s);
}

static int remember_word(lede__query *q, const lede__qtok *t,
                         const lede__qnode *n)
{
    if (n == NULL || n->op != LEDE__Q_TERM)
        return 0;
    lede__qword *v =
        lede__grow(q->qwords, &q->capqwords, q->nqwords, sizeof *v);
    if (v == NULL)
        return lede__qtree_nomem(&q->tree);
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
        if (q->tree.error)
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
        lede__analysis_is_stopword(q->folded[0], strlen(q->folded[0]))) {
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
        return lede__qtree_error_at(&q->tree, LEDE_EINVAL, a,
                                    "no such %s: %.*s",
                                    rc == LEDE__DATE_NO_DAY ? "day" : "month",
                                    (int)(b - a), q->text + a);
    if (rc < 0)
        return lede__qtree_error_at(
            &q->tree, LEDE_EINVAL, a,
            "'%.*s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", (int)(b - a),
            q->text + a);
    lede__date_format(lo, first);
    lede__date_format(hi, last);
    return 0;
}

static lede__qnode *range_node(lede__query *q, const char *lo, const char *hi)
{
    lede__qnode *n = lede__qtree_node(&q->tree, LEDE__Q_RANGE);
    if (n == NULL)
        return NULL;
    n->slot = LEDE__SLOT_DATE;
    n->lo = lede__qtree_strndup(&q->tree, lo, strlen(lo));
    n->hi = lede__qtree_strndup(&q->tree, hi, strlen(hi));
    return n->lo && n->hi ? n : NULL;
}

/* date:A, date:A..B, date:A.., date:..B */
static lede__qnode *date_filter(lede__query *q, const lede__qtok *t)
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
        lede__qtree_error_at(&q->tree, LEDE_EINVAL, t->start,
                             "date: needs at least one end of the range");
        return NULL;
    }
    if (strcmp(lo, hi) > 0) {
        lede__qtree_error_at(&q->tree, LEDE_EINVAL, t->start,
                             "the date range ends before it starts");
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

/* Whether a group is filters only ("(tag:a OR tag:b) NOT source:x"),
 * which narrows what stands beside it as a filter does rather than adding
 * matches: then *n loses the ALL that its filters narrowed. */
static int filter_group(lede__qnode **n)
{
    lede__qnode **f = n;
    if (*f != NULL && (*f)->op == LEDE__Q_AND_NOT)
        f = &(*f)->kids[0];
    if (*f == NULL || (*f)->op != LEDE__Q_FILTER ||
        (*f)->kids[0]->op != LEDE__Q_ALL)
        return 0;
    *f = (*f)->kids[1];
    return 1;
}

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
        it.n = date_filter(q, &t);
        it.filter = 1;
        break;
    case LEDE__T_FIELD:
        if (t.a == t.b && !t.quoted &&
            !lede__qfilter_is_field(q->idx, q->text, &t)) {
            /* "summit:" is the word summit. */
            lede__qtok w = t;
            w.kind = LEDE__T_WORD;
            w.a = t.na;
            w.b = t.nb;
            it.n = word(q, &w, 0);
            break;
        }
        it.n = lede__qfilter_node(&q->tree, q->idx, &t);
        it.filter = 1;
        break;
    case LEDE__T_LPAREN:
        /* The parser recurses once per open parenthesis, and each level
         * adds a few operators to the tree that later walks recurse
         * through: the bound keeps the stack small on any thread. */
        if (q->depth >= LEDE_QUERY_MAX_DEPTH) {
            lede__qtree_error_at(&q->tree, LEDE_EINVAL, t.start,
                                 "more than %d levels of parentheses",
                                 LEDE_QUERY_MAX_DEPTH);
            return it;
        }
        if (lex(q) < 0)
            return it;
        q->depth++;
        it.n = parse_seq(q, 1, t.start);
        q->depth--;
        if (q->tree.error)
            return it;
        if (q->cur.kind != LEDE__T_RPAREN) {
            lede__qtree_error_at(&q->tree, LEDE_EINVAL, t.start,
                                 "'(' is never closed");
            return it;
        }
        it.filter = filter_group(&it.n);
        break;
    case LEDE__T_RPAREN:
        lede__qtree_error_at(&q->tree, LEDE_EINVAL, t.start,
                             "')' without a '('");
        return it;
    case LEDE__T_END:
        lede__qtree_error_at(&q->tree, LEDE_EINVAL, t.start,
                             "the query ends where a word was expected");
        return it;
    default: /* AND, OR, NOT, +, - */
        lede__qtree_error_at(&q->tree, LEDE_EINVAL, t.start,
                             "'%.*s' needs a word, phrase or group after it",
                             (int)(q->pos - t.start), q->text + t.start);
        return it;
    }
    if (!q->tree.error)
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
        return lede__qtree_nomem(&q->tree);
    l->v = v;
    v[l->n++] = n;
    return 0;
}

/* One node of op over l's operands (the operand itself when alone), or
 * NULL when there are none. */
static lede__qnode *one_of(lede__query *q, lede__qop op, const operands *l)
{
    if (l->n == 0 || q->tree.error)
        return NULL;
    lede__qnode *r =
        l->n == 1 ? l->v[0] : lede__qtree_op(&q->tree, op, l->v, l->n);
    if (r == NULL)
        lede__qtree_nomem(&q->tree);
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
    if (!q->tree.error && first.n != NULL)
        push(q, first.filter ? &filt : &pos, first.n);
    while (!q->tree.error &&
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
            lede__qtree_error_at(&q->tree, LEDE_EINVAL, op.start,
                                 "%s needs something on both sides",
                                 op.kind == LEDE__T_AND ? "AND" : "NOT");
            break;
        }
        if (q->cur.kind == LEDE__T_NOT || q->cur.kind == LEDE__T_MINUS ||
            q->cur.kind == LEDE__T_PLUS) {
            lede__qtree_error_at(
                &q->tree, LEDE_EINVAL, q->cur.start,
                "'%s' cannot follow %s; group with parentheses",
                sign_text(q->cur.kind), op.kind == LEDE__T_AND ? "AND" : "NOT");
            break;
        }
        item right = primary(q);
        if (q->tree.error)
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
    if (!q->tree.error) {
        /* A date narrows the rest without weighing; dates alone stay a
         * filter for the caller to place. */
        lede__qnode *w = one_of(q, LEDE__Q_AND, &pos),
                    *f = one_of(q, LEDE__Q_AND, &filt),
                    *x = one_of(q, LEDE__Q_OR, &neg);
        r.n = w && f ? lede__qtree_pair(&q->tree, LEDE__Q_FILTER, w, f)
              : w    ? w
                     : f;
        r.filter = w == NULL && f != NULL;
        if (r.n && x)
            r.n = lede__qtree_pair(&q->tree, LEDE__Q_AND_NOT, r.n, x);
        if ((w || f) && r.n == NULL)
            lede__qtree_nomem(&q->tree);
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
    if (!q->tree.error && first.n != NULL) {
        push(q, &any, first.n);
        filters = first.filter;
    }
    while (!q->tree.error && q->cur.kind == LEDE__T_OR) {
        lede__qtok op = q->cur;
        if (lex(q) < 0)
            break;
        if (q->cur.kind == LEDE__T_END || q->cur.kind == LEDE__T_RPAREN ||
            q->cur.kind == LEDE__T_AND || q->cur.kind == LEDE__T_OR) {
            lede__qtree_error_at(&q->tree, LEDE_EINVAL, op.start,
                                 "OR needs something on both sides");
            break;
        }
        if (q->cur.kind == LEDE__T_NOT || q->cur.kind == LEDE__T_MINUS) {
            /* "a OR NOT b" would match every article without b. */
            lede__qtree_error_at(
                &q->tree, LEDE_EINVAL, q->cur.start,
                "'%s' cannot follow OR: exclude from both sides, as "
                "in (a OR b) NOT c",
                sign_text(q->cur.kind));
            break;
        }
        item right = parse_and(q);
        if (q->tree.error)
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

/* Words side by side, each plain, +required or -excluded, combined. */
static lede__qnode *parse_seq(lede__query *q, int nested, size_t open)
{
    lede__qnode **must = NULL, **should = NULL, **excl = NULL, **filter = NULL;
    lede__qnode **pairs = NULL;
    size_t nmust = 0, nshould = 0, nexcl = 0, nfilter = 0, npairs = 0;
    size_t cm = 0, cs = 0, cn = 0, cf = 0, cp = 0;
    lede__qnode *r = NULL;

    while (!q->tree.error && q->cur.kind != LEDE__T_END &&
           !(nested && q->cur.kind == LEDE__T_RPAREN)) {
        lede__qtok start = q->cur;
        int sign = 0;
        item it;
        if (start.kind == LEDE__T_RPAREN) {
            lede__qtree_error_at(&q->tree, LEDE_EINVAL, start.start,
                                 "')' without a '('");
            break;
        }
        if (start.kind == LEDE__T_PLUS || start.kind == LEDE__T_MINUS ||
            start.kind == LEDE__T_NOT) {
            sign = start.kind == LEDE__T_PLUS ? '+' : '-';
            if (lex(q) < 0)
                break;
            it = primary(q);
            if (!q->tree.error &&
                (q->cur.kind == LEDE__T_AND || q->cur.kind == LEDE__T_OR ||
                 q->cur.kind == LEDE__T_NOT))
                lede__qtree_error_at(
                    &q->tree, LEDE_EINVAL, start.start,
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
        if (q->tree.error || it.n == NULL)
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
            lede__qtree_nomem(&q->tree);
            break;
        }
        *list = v;
        v[(*n)++] = it.n;
    }
    if (!q->tree.error && nested && q->cur.kind != LEDE__T_RPAREN)
        lede__qtree_error_at(&q->tree, LEDE_EINVAL, open,
                             "'(' is never closed");
    if (!q->tree.error)
        lede__qcombine_pairs(
            &q->tree, q->opt.proximity, q->opt.all ? must : should,
            q->opt.all ? nmust : nshould, &pairs, &npairs, &cp);
    /* With related stories, exclusions alone are a query: they narrow
     * the article's words. */
    r = lede__qcombine_seq(&q->tree, must, nmust, should, nshould, pairs,
                           npairs, excl, nexcl, filter, nfilter,
                           nested || q->opt.like != NULL);
    lede__free(pairs);
    lede__free(must);
    lede__free(should);
    lede__free(excl);
    lede__free(filter);
    return q->tree.error ? NULL : r;
}

typedef struct {
    lede__span *v; /* word spans */
    size_t n;      /* count */
    size_t cap;    /* allocated */
} word_spans;

static int add_span(const lede__token *t, void *payload)
{
    word_spans *s = payload;
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
    word_spans sp = {NULL, 0, 0};
    lede__qnode **v = NULL, *r = NULL;
    const char **seen = NULL; /* the folded word of each v[i] */
    int rc = lede__tokenizer_run(
        lede__analysis_tokenizer(lede__index_analysis(q->idx)), q->text, q->len,
        add_span, &sp);
    if (rc == 0)
        note_too_long(q, 0);
    if (rc < 0) {
        lede__qtree_failed(&q->tree, rc);
    } else if (sp.n > 0 &&
               ((v = lede__calloc(sp.n, sizeof *v)) == NULL ||
                (seen = lede__calloc(sp.n, sizeof *seen)) == NULL)) {
        lede__qtree_nomem(&q->tree);
    } else {
        /* Each distinct word once, its repeats counted in its wqf, so that
         * the word limit counts distinct words: topics written as
         * paragraphs repeat many. */
        size_t n = 0;
        for (size_t i = 0; i < sp.n && !q->tree.error; i++) {
            lede__qtok t = {.kind = LEDE__T_WORD,
                            .start = sp.v[i].start,
                            .a = sp.v[i].start,
                            .b = sp.v[i].end};
            size_t j = 0;
            if (tokenize(q, t.a, t.b) < 0)
                break;
            if (q->ntoks != 1)
                continue; /* no word after all */
            /* Words with one stem are one term ("summit", "summits"). */
            rc = lede__analysis_stem(&q->stem, lede__index_analysis(q->idx),
                                     q->folded[0], strlen(q->folded[0]));
            const char *key =
                rc < 0
                    ? NULL
                    : lede__qtree_strndup(&q->tree, q->stem.data, q->stem.len);
            if (rc < 0 || key == NULL) {
                lede__qtree_failed(&q->tree, rc < 0 ? rc : LEDE_ENOMEM);
                break;
            }
            while (j < n && strcmp(seen[j], key) != 0)
                j++;
            if (j < n) {
                if (v[j] != NULL)
                    lede__qtree_bump_wqf(v[j]);
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
        lede__qcombine_pairs(&q->tree, q->opt.proximity, v, n, &pairs, &npairs,
                             &cap);
        if (!q->tree.error)
            r = q->opt.all ? lede__qcombine_seq(&q->tree, v, n, NULL, 0, pairs,
                                                npairs, NULL, 0, NULL, 0, 0)
                           : lede__qcombine_seq(&q->tree, NULL, 0, v, n, pairs,
                                                npairs, NULL, 0, NULL, 0, 0);
        lede__free(pairs);
    }
    lede__free(sp.v);
    lede__free(v);
    lede__free(seen);
    return q->tree.error ? NULL : r;
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
    q->tree.text = text;
    q->prefixes.idx = idx;
    q->prefixes.budget = opts->budget;
    parse_text(q);
    if (!q->tree.error && q->root == NULL && q->dropped > 0) {
        /* Only stop words ("The Who"): search them after all. */
        q->opt.stopwords = 0;
        parse_text(q);
    }
    if (!q->tree.error && q->opt.like != NULL)
        q->root = lede__like_root(&q->tree, q->opt.like, q->root);
    if (!q->tree.error && q->root == NULL)
        no_words(q, 0, "no words to search for");
    /* Dates given as options narrow whatever the query says. */
    if (!q->tree.error &&
        (opts->date_from != LEDE_NO_DATE || opts->date_to != LEDE_NO_DATE)) {
        char lo[16] = "00000101000000", hi[16] = "99991231235959";
        if (opts->date_from != LEDE_NO_DATE)
            lede__date_format(lo, opts->date_from);
        if (opts->date_to != LEDE_NO_DATE)
            lede__date_format(hi, opts->date_to);
        q->root = lede__qtree_pair(&q->tree, LEDE__Q_FILTER, q->root,
                                   range_node(q, lo, hi));
        if (q->root == NULL)
            lede__qtree_nomem(&q->tree);
    }
    if (q->tree.error) {
        int rc = q->tree.error;
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
    return q->prefixes.scanned;
}

void lede__query_free(lede__query *q)
{
    if (q == NULL)
        return;
    lede__qtree_free(&q->tree);
    lede__prefix_free(&q->prefixes);
    lede__free(q->qwords);
    lede__free(q->folded);
    lede__buf_free(&q->stem);
    lede__free(q);
}
