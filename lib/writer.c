/*
 * writer.c - articles in, passages out: adding, deleting and committing.
 *
 * Owns what lede_index_add(), lede_index_delete() and lede_index_commit()
 * do to an index opened for writing: turning an article into Xapian
 * documents, one per passage, its words into the spelling data, and
 * committing with the repair a failed commit may need. Each passage
 * document carries:
 *   - the article-id term (LEDE__PREFIX_ID, key.c), so replacing or
 *     deleting an article reaches every passage;
 *   - its body words, stemmed, with positions counted from 1 in the
 *     passage;
 *   - the title words under LEDE__PREFIX_TITLE, with positions; they count
 *     in the passage length like any other word;
 *   - the article id in value slot LEDE__SLOT_ARTICLE (the collapse key);
 *   - a stored record (store.c): ordinal, byte offsets and the passage's
 *     own text, with the article's title, date and URL; the first
 *     passage, also marked with LEDE__TERM_ARTICLE, adds the article's
 *     length.
 * An article's passages are deleted and added together, so in its
 * database they have docids in a row, the first marked (a compaction
 * keeps their order): count.c's sample tells articles apart by that.
 * The handle, its settings and the revision open are index.c's; the
 * writer's scratch, reused from one article to the next, and the spelling
 * counts waiting for a commit hang on the handle as this module's state.
 * A failed commit is handed to repair.c. Calls index.c, analysis.c,
 * tokenize.c, fields.c, segment.c, key.c, store.c, simhash.c, hash.c, date.c,
 * strmap.c, repair.c, perm.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t pos; /* word position in the body */
    uint32_t len; /* bytes of the stemmed term */
    size_t off;   /* offset of the stemmed term in the term arena */
} word;

/* The writer's state on a handle: scratch reused from one article to the
 * next, and the spelling counts since the last commit. */
typedef struct {
    lede__xdoc *doc;        /* the passage being added, one at a time */
    lede__buf title;        /* cleaned title */
    lede__buf body;         /* cleaned body */
    lede__buf term;         /* one term being built */
    lede__buf stemmed;      /* output of the stemmer */
    lede__buf idterm;       /* the article's id term */
    lede__buf record;       /* encoded passage record */
    lede__buf terms;        /* arena of stemmed words */
    lede__buf spell;        /* folded words of the article, NUL-separated */
    lede__buf fterms;       /* the article's field and dir: terms, each
                               NUL-terminated */
    lede__buf folded;       /* a field value folded */
    lede__span *gaps;       /* runs of the body no passage holds */
    size_t ngaps;           /* count */
    size_t capgaps;         /* allocated */
    size_t *spell_off;      /* their offsets in spell */
    size_t nspell;          /* count */
    size_t capspell;        /* allocated */
    const char **spell_ptr; /* the same words, for sorting */
    size_t capspellptr;     /* allocated */
    lede__strmap spellings; /* words for the spelling data since the last
                               commit, and in how many articles */
    int defer_spellings;    /* spelling counts wait for a commit after
                               lede__writer_defer_spellings(idx, 0) */
    lede__span *spans;      /* byte spans of body words */
    word *words;            /* the words behind spans */
    size_t nwords;          /* body words */
    size_t cap;             /* allocated spans and words */
    lede__span *tspans;     /* title words (their spans are unused) */
    word *twords;           /* the title's words */
    size_t ntwords;         /* title words */
    size_t tcap;            /* allocated title words */
} writer;

/* Scratch is kept from one article to the next only up to this much
 * body: one huge article must not leave its word arrays (some 60 bytes a
 * word) behind for the rest of the run. */
#define SCRATCH_KEEP ((size_t)1 << 20)

/* Free the scratch that grows with an article. */
static void drop_scratch(writer *wr)
{
    lede__buf_free(&wr->title);
    lede__buf_free(&wr->body);
    lede__buf_free(&wr->terms);
    lede__buf_free(&wr->spell);
    lede__buf_free(&wr->record);
    lede__free(wr->spell_off);
    lede__free(wr->spell_ptr);
    lede__free(wr->spans);
    lede__free(wr->words);
    lede__free(wr->tspans);
    lede__free(wr->twords);
    wr->tspans = NULL;
    wr->twords = NULL;
    wr->ntwords = wr->tcap = 0;
    wr->spell_off = NULL;
    wr->spell_ptr = NULL;
    wr->spans = NULL;
    wr->words = NULL;
    wr->nspell = wr->capspell = wr->capspellptr = 0;
    wr->nwords = wr->cap = 0;
}

static void trim_scratch(writer *wr)
{
    if (wr->body.cap > SCRATCH_KEEP || wr->title.cap > SCRATCH_KEEP)
        drop_scratch(wr);
}

static void writer_free(void *p)
{
    writer *wr = p;
    drop_scratch(wr);
    lede__xdoc_free(wr->doc);
    lede__buf_free(&wr->term);
    lede__buf_free(&wr->stemmed);
    lede__buf_free(&wr->idterm);
    lede__buf_free(&wr->fterms);
    lede__free(wr->gaps);
    lede__buf_free(&wr->folded);
    lede__strmap_free(&wr->spellings);
    lede__free(wr);
}

/* The writer's state on idx, made on the first write: the handle frees it
 * (with writer_free) without knowing what it is. */
static int writer_state(writer **out, lede_index *idx)
{
    writer *wr = lede__index_writer(idx);
    *out = NULL;
    if (wr == NULL) {
        if ((wr = lede__calloc(1, sizeof *wr)) == NULL)
            return lede__error_nomem();
        lede__index_set_writer(idx, wr, writer_free);
    }
    *out = wr;
    return 0;
}

typedef struct {
    writer *wr;         /* whose arena */
    lede__analysis *an; /* whose stemmer */
    int stopwords;      /* LEDE_STOPWORDS are left out */
    lede__span **spans; /* where the spans go */
    word **words;       /* where the words go */
    size_t *n;          /* count */
    size_t *cap;        /* allocated */
} collect;

/* Token callback: stem the word and append it to the arrays. */
static int collect_word(const lede__token *t, void *payload)
{
    collect *c = payload;
    writer *wr = c->wr;
    int rc;

    if (*c->n == *c->cap) {
        size_t cap = *c->cap ? *c->cap * 2 : 256;
        lede__span *s = lede__realloc(*c->spans, cap * sizeof *s);
        if (s == NULL)
            return lede__error_nomem();
        *c->spans = s;
        word *w = lede__realloc(*c->words, cap * sizeof *w);
        if (w == NULL)
            return lede__error_nomem();
        *c->words = w;
        *c->cap = cap;
    }
    if (c->stopwords && lede__analysis_is_stopword(t->term, t->len)) {
        /* A stop word keeps its place (passages count it, positions step
         * over it, as Lucene's do) but is no term: length 0. */
        (*c->spans)[*c->n] = (lede__span){t->start, t->end};
        (*c->words)[*c->n] = (word){t->pos, 0, wr->terms.len};
        (*c->n)++;
        return 0;
    }
    if ((rc = lede__analysis_stem(&wr->stemmed, c->an, t->term, t->len)) < 0)
        return rc;
    if (wr->stemmed.len == 0 || wr->stemmed.len > LEDE__TOKEN_MAX)
        return 0;
    /* Words (not numbers) feed the spelling suggestions. */
    if (!(t->term[0] >= '0' && t->term[0] <= '9')) {
        size_t *v =
            lede__grow(wr->spell_off, &wr->capspell, wr->nspell, sizeof *v);
        if (v == NULL)
            return lede__error_nomem();
        wr->spell_off = v;
        v[wr->nspell++] = wr->spell.len;
        if ((rc = lede__buf_put(&wr->spell, t->term, t->len)) < 0 ||
            (rc = lede__buf_putc(&wr->spell, '\0')) < 0)
            return rc;
    }
    (*c->spans)[*c->n] = (lede__span){t->start, t->end};
    (*c->words)[*c->n] =
        (word){t->pos, (uint32_t)wr->stemmed.len, wr->terms.len};
    (*c->n)++;
    return lede__buf_put(&wr->terms, wr->stemmed.data, wr->stemmed.len);
}

/* The article as version LEDE_ARTICLE_VERSION, whatever version the
 * caller's struct is: fields a version lacks take their defaults. */
static lede_article upgrade(const lede_article *a)
{
    lede_article v = LEDE_ARTICLE_INIT;
    v.id = a->id;
    v.title = a->title;
    v.title_len = a->title_len;
    v.body = a->body;
    v.body_len = a->body_len;
    if (a->version >= 2) {
        v.date = a->date;
        v.url = a->url;
    }
    if (a->version >= 3) {
        v.fields = a->fields;
        v.n_fields = a->n_fields;
        v.path = a->path;
    }
    return v;
}

static uint64_t hash_field(uint64_t h, const void *p, size_t n)
{
    uint64_t len = n;
    h = lede__hash(h, &len, sizeof len); /* fields cannot run together */
    return n ? lede__hash(h, p, n) : h;
}

uint64_t lede__writer_article_hash(const lede_article *article)
{
    lede_article a = upgrade(article);
    uint64_t h = LEDE__HASH_INIT;
    h = hash_field(h, a.title, a.title_len);
    h = hash_field(h, a.body, a.body_len);
    h = hash_field(h, &a.date, sizeof a.date);
    h = hash_field(h, a.url, a.url ? strlen(a.url) : 0);
    /* Only when there are any, so that the hashes of articles without
     * stay what earlier versions stored. */
    for (size_t i = 0; i < a.n_fields; i++) {
        h = hash_field(h, a.fields[i].name, strlen(a.fields[i].name));
        h = hash_field(h, a.fields[i].value, strlen(a.fields[i].value));
    }
    if (a.path != NULL)
        h = hash_field(h, a.path, strlen(a.path) + 1);
    return h;
}

static int check_article(const lede_article *a)
{
    if (a->version < 1 || a->version > LEDE_ARTICLE_VERSION)
        return lede__error_set(LEDE_EINVAL,
                               "lede_article version %u is not supported",
                               a->version);
    if (a->id == NULL || a->id[0] == '\0')
        return lede__error_set(LEDE_EINVAL, "article id is empty");
    size_t len = strlen(a->id);
    if (len > LEDE_ARTICLE_ID_MAX)
        return lede__error_set(LEDE_EINVAL,
                               "article id of %zu bytes is over the limit "
                               "of %d",
                               len, LEDE_ARTICLE_ID_MAX);
    size_t bad = lede__utf8_check(a->id, len);
    if (bad < len)
        return lede__error_set(LEDE_EINVAL,
                               "article id has invalid UTF-8 at byte %zu", bad);
    if (a->title == NULL && a->title_len > 0)
        return lede__error_set(LEDE_EINVAL, "article %s: title is NULL", a->id);
    if (a->body == NULL && a->body_len > 0)
        return lede__error_set(LEDE_EINVAL, "article %s: body is NULL", a->id);
    if (a->body_len > LEDE__BODY_MAX || a->title_len > LEDE__BODY_MAX)
        return lede__error_set(LEDE_ELIMIT,
                               "article %s: %zu bytes is over the limit of "
                               "%zu",
                               a->id, a->body_len, (size_t)LEDE__BODY_MAX);
    if (a->version >= 3)
        return lede__fields_check(a);
    return 0;
}

/* What every passage of the article being added shares. */
typedef struct {
    const lede_article *a; /* the article (current version) */
    const char *source;    /* source key, or NULL */
    size_t source_len;     /* bytes of source */
    char date[16];         /* sortable date, or "" */
    char hash[17];         /* content hash, hex */
    char simhash[17];      /* similarity signature, hex */
} shared;

/* Xapian keeps what it is given for the next commit in memory: some 60
 * bytes a posting, 130 a position and 400 a new spelling word. Within
 * one article, and between spelling words, it is made to write postings
 * and spelling changes to its tables every this many words (uncommitted:
 * the transaction still keeps the article whole), which took a 4 MiB
 * article from 270 to 170 MB. Positions it keeps to the commit or its
 * own threshold (10,000 documents); smaller articles leave all of it to
 * that threshold. */
#define FLUSH_WORDS 65536

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void lede__writer_defer_spellings(lede_index *idx, int on)
{
    writer *wr;
    /* Without its state the counts are not deferred: every commit writes
     * them, as it would without deferring, only slower. */
    if (writer_state(&wr, idx) == 0)
        wr->defer_spellings = on;
}

int lede__writer_take_spellings(lede_index *to, lede_index *from)
{
    writer *wt, *wf = lede__index_writer(from);
    int rc = 0;
    if (wf == NULL || wf->spellings.n == 0)
        return 0;
    if ((rc = writer_state(&wt, to)) < 0)
        return rc;
    const lede__strmap *m = &wf->spellings;
    for (size_t i = 0; i < m->n && rc == 0; i++) {
        const char *k = lede__strmap_key(m, &m->v[i]);
        lede__strmap_entry *e =
            lede__strmap_find(&wt->spellings, k, m->v[i].key_len);
        if (e == NULL)
            rc =
                lede__strmap_add(&e, &wt->spellings, k, m->v[i].key_len, "", 0);
        if (rc == 0)
            e->count += m->v[i].count;
    }
    lede__strmap_clear(&wf->spellings);
    return rc;
}

/* Hand the words counted since the last commit to Xapian's spelling
 * data, each once with its count: one call a word rather than one a word
 * and article. */
static int flush_spellings(writer *wr, lede__xdb *db)
{
    const lede__strmap *m = &wr->spellings;
    int rc = 0;
    for (size_t i = 0; i < m->n && rc == 0; i++) {
        rc = lede__xdb_add_spelling(db, lede__strmap_key(m, &m->v[i]),
                                    m->v[i].key_len, m->v[i].count);
        if (rc == 0 && (i + 1) % FLUSH_WORDS == 0)
            rc = lede__xdb_flush(db);
    }
    lede__strmap_clear(&wr->spellings);
    return rc;
}

/* Each distinct word of the article, once, into the spelling data: it is
 * what "did you mean" draws on. Deletions do not take words out (Xapian
 * would need the old text); suggestions are checked against the index.
 * Counted here, given to Xapian at the commit. */
static int add_spellings(writer *wr)
{
    const char **w = lede__grow(wr->spell_ptr, &wr->capspellptr,
                                wr->nspell ? wr->nspell - 1 : 0, sizeof *w);
    if (w == NULL)
        return lede__error_nomem();
    wr->spell_ptr = w;
    for (size_t i = 0; i < wr->nspell; i++)
        w[i] = wr->spell.data + wr->spell_off[i];
    if (wr->nspell > 1)
        qsort(w, wr->nspell, sizeof *w, by_string);
    int rc = 0;
    for (size_t i = 0; i < wr->nspell && rc == 0; i++) {
        if (i > 0 && strcmp(w[i], w[i - 1]) == 0)
            continue;
        size_t len = strlen(w[i]);
        lede__strmap_entry *e = lede__strmap_find(&wr->spellings, w[i], len);
        if (e == NULL)
            rc = lede__strmap_add(&e, &wr->spellings, w[i], len, "", 0);
        if (rc == 0)
            e->count++;
    }
    return rc;
}

/* Build the document of passage p (ordinal ord) into d. */
static int build_passage(writer *wr, const shared *sh, uint32_t ord,
                         const lede__passage *p, lede__xdoc *d)
{
    const char *id = sh->a->id;
    int rc;

    if ((rc = lede__xdoc_clear(d)) < 0 ||
        (rc = lede__xdoc_boolean(d, wr->idterm.data, wr->idterm.len)) < 0)
        return rc;
    if (ord == 0) {
        /* The first passage speaks for the article: the marker, its
         * content hash and where it came from. */
        if ((rc = lede__xdoc_boolean(d, LEDE__TERM_ARTICLE,
                                     strlen(LEDE__TERM_ARTICLE))) < 0 ||
            (rc = lede__xdoc_value(d, LEDE__SLOT_HASH, sh->hash, 16)) < 0)
            return rc;
        if (sh->source != NULL) {
            lede__buf_clear(&wr->term);
            if ((rc = lede__buf_puts(&wr->term, LEDE__PREFIX_SOURCE)) < 0 ||
                (rc = lede__buf_put(&wr->term, sh->source, sh->source_len)) <
                    0 ||
                (rc = lede__xdoc_boolean(d, wr->term.data, wr->term.len)) < 0 ||
                (rc = lede__xdoc_value(d, LEDE__SLOT_SOURCE, sh->source,
                                       sh->source_len)) < 0)
                return rc;
        }
    }
    if (sh->date[0] && (rc = lede__xdoc_value(d, LEDE__SLOT_DATE, sh->date,
                                              strlen(sh->date))) < 0)
        return rc;
    if (sh->simhash[0] &&
        (rc = lede__xdoc_value(d, LEDE__SLOT_SIMHASH, sh->simhash, 16)) < 0)
        return rc;
    for (size_t at = 0; at < wr->fterms.len;) {
        size_t n = strlen(wr->fterms.data + at);
        if ((rc = lede__xdoc_boolean(d, wr->fterms.data + at, n)) < 0)
            return rc;
        at += n + 1;
    }
    for (size_t i = 0; i < wr->ntwords; i++) {
        const word *w = &wr->twords[i];
        if (w->len == 0)
            continue; /* a stop word */
        lede__buf_clear(&wr->term);
        if ((rc = lede__buf_puts(&wr->term, LEDE__PREFIX_TITLE)) < 0 ||
            (rc = lede__buf_put(&wr->term, wr->terms.data + w->off, w->len)) <
                0 ||
            (rc = lede__xdoc_posting(d, wr->term.data, wr->term.len, w->pos,
                                     1)) < 0)
            return rc;
    }
    uint32_t base = p->tok_begin < p->tok_end ? wr->words[p->tok_begin].pos : 1;
    for (size_t k = p->tok_begin; k < p->tok_end; k++) {
        const word *w = &wr->words[k];
        if (w->len == 0)
            continue; /* a stop word */
        if ((rc = lede__xdoc_posting(d, wr->terms.data + w->off, w->len,
                                     w->pos - base + 1, 1)) < 0)
            return rc;
    }
    if ((rc = lede__xdoc_value(d, LEDE__SLOT_ARTICLE, id, strlen(id))) < 0)
        return rc;

    const lede__store_record r = {
        .ordinal = ord,
        .start = p->start,
        .end = p->end,
        .has_article = ord == 0,
        .title = wr->title.data,
        .title_len = wr->title.len,
        .body = wr->body.data,
        .body_len = wr->body.len,
        .date = sh->a->date,
        .url = sh->a->url,
        .url_len = sh->a->url ? strlen(sh->a->url) : 0,
        .gaps = wr->gaps,
        .ngaps = wr->ngaps,
        .path = sh->a->path,
        .path_len = sh->a->path ? strlen(sh->a->path) : 0,
        .fields = sh->a->fields,
        .nfields = sh->a->n_fields,
    };
    lede__buf_clear(&wr->record);
    if ((rc = lede__store_encode(&wr->record, &r)) < 0)
        return rc;
    return lede__xdoc_data(d, wr->record.data, wr->record.len);
}

static int put_term(const char *term, size_t len, void *payload)
{
    lede__buf *terms = payload;
    int rc = lede__buf_put(terms, term, len);
    return rc < 0 ? rc : lede__buf_putc(terms, '\0');
}

/* The filter terms of the article's fields and path into wr->fterms,
 * made once for all its passages. */
static int field_terms(writer *wr, lede_index *idx, const lede_article *a)
{
    lede__tokenizer *t = lede__analysis_tokenizer(lede__index_analysis(idx));
    int rc = 0;
    lede__buf_clear(&wr->fterms);
    for (size_t i = 0; i < a->n_fields && rc == 0; i++) {
        const lede_field *f = &a->fields[i];
        rc = lede__fields_term(&wr->term, &wr->folded, t, f->name,
                               strlen(f->name), f->value, strlen(f->value));
        if (rc < 0)
            return lede__error_set(rc, "article %s: %s", a->id,
                                   lede_error_last());
        rc = put_term(wr->term.data, wr->term.len, &wr->fterms);
    }
    if (rc == 0 && a->path != NULL)
        rc = lede__fields_each_dir(a->path, &wr->term, put_term, &wr->fterms);
    return rc;
}

/* The runs of the cleaned body that no passage of pv[0..n) holds (the
 * breaks between paragraphs, mostly), into wr->gaps: the first passage
 * stores them, so that the article can be given back byte for byte. */
static int find_gaps(writer *wr, const lede__passage *pv, size_t n)
{
    size_t covered = 0;
    wr->ngaps = 0;
    for (size_t i = 0; i <= n; i++) {
        size_t start = i < n ? pv[i].start : wr->body.len;
        if (start > covered) {
            lede__span *g =
                lede__grow(wr->gaps, &wr->capgaps, wr->ngaps, sizeof *g);
            if (g == NULL)
                return lede__error_nomem();
            wr->gaps = g;
            g[wr->ngaps++] = (lede__span){covered, start};
        }
        if (i < n && pv[i].end > covered)
            covered = pv[i].end;
    }
    return 0;
}

/* Clean the article's title and body into wr, U+FFFD for invalid UTF-8. */
static int clean_article(writer *wr, const lede_article *article,
                         const char *id)
{
    int rc;
    lede__buf_clear(&wr->title);
    lede__buf_clear(&wr->body);
    lede__buf_clear(&wr->terms);
    lede__buf_clear(&wr->spell);
    wr->nwords = wr->ntwords = wr->nspell = 0;
    if ((rc = lede__utf8_sanitize(&wr->title, article->title,
                                  article->title_len, NULL)) < 0 ||
        (rc = lede__utf8_sanitize(&wr->body, article->body, article->body_len,
                                  NULL)) < 0)
        return rc;
    if (wr->body.len > LEDE__BODY_MAX) /* U+FFFD takes 3 bytes */
        return lede__error_set(LEDE_ELIMIT,
                               "article %s: %zu bytes once cleaned is over "
                               "the limit of %zu",
                               id, wr->body.len, (size_t)LEDE__BODY_MAX);
    return 0;
}

/* The words of the cleaned body and title, stemmed, and the body's
 * similarity signature into sh. */
static int collect_words(writer *wr, lede_index *idx, shared *sh)
{
    lede__analysis *an = lede__index_analysis(idx);
    int stop = lede__index_stopwords(idx);
    collect body = {wr,         an,          stop,    &wr->spans,
                    &wr->words, &wr->nwords, &wr->cap};
    collect title = {wr,          an,           stop,     &wr->tspans,
                     &wr->twords, &wr->ntwords, &wr->tcap};
    int rc;
    if ((rc = lede__tokenizer_run(lede__analysis_tokenizer(an), wr->body.data,
                                  wr->body.len, collect_word, &body)) < 0 ||
        (rc = lede__tokenizer_run(lede__analysis_tokenizer(an), wr->title.data,
                                  wr->title.len, collect_word, &title)) < 0)
        return rc;
    lede__simhash sim;
    lede__simhash_init(&sim);
    for (size_t i = 0; i < wr->nwords; i++) {
        if (wr->words[i].len > 0)
            lede__simhash_add(&sim, wr->terms.data + wr->words[i].off,
                              wr->words[i].len);
    }
    /* A body without words has no signature: all such articles would
     * share one and fold into each other. */
    if (wr->nwords > 0)
        snprintf(sh->simhash, sizeof sh->simhash, "%016llx",
                 (unsigned long long)lede__simhash_final(&sim));
    else
        sh->simhash[0] = '\0';
    return 0;
}

/* The passages of the body by the index's settings into *out (freed with
 * lede__free(); NULL and *n_out 0 for a body without words). */
static int split_passages(lede__passage **out, size_t *n_out, writer *wr,
                          lede_index *idx)
{
    lede__segment_opts so = lede__index_passages(idx);
    *out = NULL;
    *n_out = 0;
    if (so.max_words != LEDE_PASSAGE_ARTICLE)
        return lede__segment(out, n_out, lede__index_segmenter(idx),
                             wr->body.data, wr->body.len, wr->spans, wr->nwords,
                             &so);
    /* The article is its only passage. */
    if (wr->nwords == 0)
        return 0;
    if ((*out = lede__malloc(sizeof **out)) == NULL)
        return lede__error_nomem();
    **out = (lede__passage){0, wr->body.len, 0, wr->nwords};
    *n_out = 1;
    return 0;
}

/* In the transaction begun: the article's old passages out, its n
 * passages pv in, its words into the spelling counts. */
static int write_passages(writer *wr, lede__xdb *db, const shared *sh,
                          const lede__passage *pv, size_t n)
{
    /* Deleting by a term no document holds still costs Xapian a postlist
     * walk (a fifth of a full build's time): look first. The count takes
     * in this transaction's own additions. */
    uint64_t have = 0;
    int rc = lede__xdb_termfreq(&have, db, wr->idterm.data, wr->idterm.len);
    if (rc == 0 && have > 0)
        rc = lede__xdb_delete_term(db, wr->idterm.data, wr->idterm.len);
    size_t unflushed = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = build_passage(wr, sh, (uint32_t)i, &pv[i], wr->doc);
        if (rc == 0)
            rc = lede__xdb_add(db, wr->doc);
        unflushed += pv[i].tok_end - pv[i].tok_begin;
        if (rc == 0 && unflushed >= FLUSH_WORDS) {
            rc = lede__xdb_flush(db);
            unflushed = 0;
        }
    }
    /* The last passage's terms and record are not kept to the next
     * article. */
    if (rc == 0)
        rc = lede__xdoc_clear(wr->doc);
    if (rc == 0)
        rc = add_spellings(wr);
    return rc;
}

static int add_article(lede_index *idx, const lede_article *article,
                       const char *source, size_t source_len)
{
    lede__passage *ps = NULL;
    size_t nps = 0;
    writer *wr;
    int rc;

    if ((rc = lede__index_usable(idx, 1, "lede_index_add")) < 0)
        return rc;
    if (article == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_index_add: article is NULL");
    if ((rc = check_article(article)) < 0)
        return rc;
    const lede_article a = upgrade(article);
    const char *id = a.id;
    shared sh = {&a, source, source_len, "", "", ""};
    if (a.date != LEDE_NO_DATE)
        lede__date_format(sh.date, a.date);
    snprintf(sh.hash, sizeof sh.hash, "%016llx",
             (unsigned long long)lede__writer_article_hash(article));
    if (a.url != NULL && lede__utf8_check(a.url, strlen(a.url)) < strlen(a.url))
        return lede__error_set(LEDE_EINVAL,
                               "article %s: url has invalid "
                               "UTF-8",
                               id);
    if ((rc = writer_state(&wr, idx)) < 0 ||
        (rc = field_terms(wr, idx, &a)) < 0 ||
        (rc = clean_article(wr, article, id)) < 0)
        return rc;
    if ((rc = collect_words(wr, idx, &sh)) < 0 ||
        (rc = split_passages(&ps, &nps, wr, idx)) < 0)
        goto done;

    /* No words in the body: one empty passage keeps the article (and its
     * title) in the index. */
    lede__passage empty = {0, 0, 0, 0};
    const lede__passage *pv = nps ? ps : &empty;
    size_t n = nps ? nps : 1;

    /* Each passage goes to Xapian as soon as it is built, so that one
     * passage's document is held at a time, not every passage's beside
     * what Xapian buffers of them. The transaction keeps the article
     * whole: a failure from here on cancels it (and the changes since the
     * last commit), and everything checked above fails before it
     * begins. */
    if ((rc = lede__key_id_term(&wr->idterm, id, strlen(id))) < 0 ||
        (rc = find_gaps(wr, nps ? ps : NULL, nps)) < 0)
        goto done;
    if (wr->doc == NULL && (rc = lede__xdoc_new(&wr->doc)) < 0)
        goto done;
    if ((rc = lede__xdb_begin(lede__index_db(idx))) < 0 ||
        (rc = lede__index_format_upgrade(idx)) < 0)
        goto done;
    if ((rc = write_passages(wr, lede__index_db(idx), &sh, pv, n)) < 0) {
        /* Half an article must never be committed: drop all uncommitted
         * changes of this handle. */
        char msg[512];
        snprintf(msg, sizeof msg, "%s", lede_error_last());
        lede__writer_cancel(idx);
        rc = lede__error_set(rc,
                             "%s: %s; the changes since the last commit "
                             "were discarded",
                             id, msg);
        lede__free(ps);
        return rc;
    }
done:
    lede__free(ps);
    if (rc < 0 && rc != LEDE_ENOMEM)
        rc = lede__index_error_prefix(rc, id);
    return rc;
}

int lede__writer_add(lede_index *idx, const lede_article *article,
                     const char *source, size_t source_len)
{
    int rc = add_article(idx, article, source, source_len);
    writer *wr = idx != NULL ? lede__index_writer(idx) : NULL;
    if (wr != NULL)
        trim_scratch(wr);
    return rc;
}

LEDE_EXTERN(int) lede_index_add(lede_index *idx, const lede_article *article)
{
    return lede__writer_add(idx, article, NULL, 0);
}

int lede__writer_lookup(lede_index *idx, const char *id, uint64_t *hash_out,
                        lede__buf *source_out)
{
    lede__buf v = LEDE__BUF_INIT;
    lede__xdb *db = lede__index_db(idx);
    writer *wr;
    int rc = writer_state(&wr, idx);
    if (rc == 0)
        rc = lede__key_id_term(&wr->idterm, id, strlen(id));
    if (rc == 0)
        rc = lede__xdb_first_value(&v, db, wr->idterm.data, wr->idterm.len,
                                   LEDE__SLOT_HASH);
    if (rc == 0) {
        char hex[17] = "";
        memcpy(hex, v.data ? v.data : "", v.len < 16 ? v.len : 16);
        *hash_out = strtoull(hex, NULL, 16);
        rc = lede__xdb_first_value(source_out, db, wr->idterm.data,
                                   wr->idterm.len, LEDE__SLOT_SOURCE);
    }
    lede__buf_free(&v);
    return rc;
}

LEDE_EXTERN(int) lede_index_delete(lede_index *idx, const char *article_id)
{
    uint64_t n;
    writer *wr;
    int rc;

    if ((rc = lede__index_usable(idx, 1, "lede_index_delete")) < 0)
        return rc;
    if (article_id == NULL)
        return lede__error_set(LEDE_EINVAL,
                               "lede_index_delete: article_id is NULL");
    lede__xdb *db = lede__index_db(idx);
    if ((rc = writer_state(&wr, idx)) < 0 ||
        (rc = lede__key_id_term(&wr->idterm, article_id, strlen(article_id))) <
            0 ||
        (rc = lede__xdb_termfreq(&n, db, wr->idterm.data, wr->idterm.len)) < 0)
        return rc;
    if (n == 0)
        return lede__error_set(LEDE_ENOTFOUND, "%s: no such article",
                               article_id);
    if ((rc = lede__xdb_begin(db)) < 0)
        return rc;
    return lede__xdb_delete_term(db, wr->idterm.data, wr->idterm.len);
}

void lede__writer_cancel(lede_index *idx)
{
    writer *wr = lede__index_writer(idx);
    if (wr != NULL)
        lede__strmap_clear(&wr->spellings);
    lede__xdb_cancel(lede__index_db(idx));
}

LEDE_EXTERN(int) lede_index_commit(lede_index *idx)
{
    int rc = lede__index_usable(idx, 1, "lede_index_commit");
    writer *wr = rc == 0 ? lede__index_writer(idx) : NULL;
    if (wr != NULL && wr->spellings.n > 0 && !wr->defer_spellings) {
        if ((rc = lede__xdb_begin(lede__index_db(idx))) == 0)
            rc = flush_spellings(wr, lede__index_db(idx));
        if (rc < 0) {
            lede__writer_cancel(idx);
            return rc;
        }
    }
    if (rc < 0)
        return rc;
    if ((rc = lede__xdb_commit(lede__index_db(idx))) == 0)
        lede__perm_restrict(lede__index_path(idx)); /* tables made, version
                                                       rewritten */
    else
        rc = lede__repair_commit(lede__index_db_slot(idx),
                                 lede__index_path(idx), rc);
    return rc;
}
