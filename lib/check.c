/*
 * check.c - is an index sound?
 *
 * Owns lede_index_check(): Xapian's own check of every table, then, only
 * if that passed, lede's invariants, walked article by article (the first
 * passages, then each article's passages through its id term): records
 * decode, passages are numbered 0..n-1 once each, only the first is marked
 * as the article's, every passage carries its article's id, offsets lie
 * inside the text, overlapping passages hold the same bytes where they
 * overlap, each stored field value is a filter term of its passage, ids
 * are unique, no passage is without an article, and source records
 * decode.
 * Reports every problem it finds rather than stopping at the first, but
 * for damage Xapian's check finds, which ends it.
 * Calls glass.c, index.c, analysis.c, fields.c, key.c, store.c, sources.c,
 * perm.c, buf.c, alloc.c, error.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    lede__check_report rep; /* the caller's callback, the count */
    lede_index *idx;        /* the index, read-only */
    uint64_t passages;      /* passages reached through articles */
    char **ids;             /* article ids, for the uniqueness check */
    size_t nids;            /* count */
    size_t capids;          /* allocated */
    /* The article being checked. */
    const char *id;    /* its id */
    size_t id_len;     /* bytes of id */
    uint64_t body_len; /* its body's length */
    /* Each passage holds its text: kept here to compare where passages
     * overlap. */
    struct piece {
        uint64_t start, end; /* its offsets */
        size_t off;          /* its text in texts */
        uint32_t ordinal;    /* which passage */
    } * pieces;
    size_t npieces, cappieces;
    lede__buf texts;
    uint32_t *ords;    /* ordinals of its passages */
    size_t nords;      /* count */
    size_t capords;    /* allocated */
    int firsts;        /* passages of it marked as its first */
    lede__buf scratch; /* decompressed texts: the first passage's */
    lede__buf text;    /* and each passage's */
} checker;

void lede__check_start(lede__check_report *r, lede_check_cb cb, void *payload,
                       uint64_t *problems_out)
{
    r->cb = cb;
    r->payload = payload;
    r->problems = 0;
    r->stopped = 0;
    if (problems_out != NULL)
        *problems_out = 0;
}

int lede__check_problem(lede__check_report *r, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->problems++;
    if (r->cb != NULL && !r->stopped)
        r->stopped = r->cb(msg, r->payload);
    return r->stopped;
}

int lede__check_end(lede__check_report *r, int rc, const char *path,
                    uint64_t *problems_out)
{
    if (r->stopped && rc == 0)
        rc = r->stopped;
    if (rc == 0 && r->problems > 0)
        rc = lede__error_set(LEDE_ECORRUPT, "%s: %llu problem%s found", path,
                             (unsigned long long)r->problems,
                             r->problems == 1 ? "" : "s");
    if (problems_out != NULL)
        *problems_out = r->problems;
    return rc;
}

/* Each field value a passage stores must be a filter term of it. */
static int check_fields(checker *k, uint64_t docid, const lede__store_record *r)
{
    const char *p = r->fields_data, *end = p + r->fields_len;
    const char *name, *value;
    size_t nl, vl;
    lede__buf term = LEDE__BUF_INIT, folded = LEDE__BUF_INIT;
    lede__tokenizer *t = lede__analysis_tokenizer(lede__index_analysis(k->idx));
    int rc = 0, has;
    while (p != NULL && rc == 0 &&
           (rc = lede__store_field_next(&name, &nl, &value, &vl, &p, end)) >
               0) {
        rc = lede__fields_term(&term, &folded, t, name, nl, value, vl);
        if (rc == 0)
            rc = lede__xdb_has_term(&has, lede__index_db(k->idx), docid,
                                    term.data, term.len);
        if (rc == 0 && !has)
            rc = lede__check_problem(
                &k->rep,
                "article '%s', document %llu: field %.*s: '%.*s' is "
                "stored but is not a filter term",
                k->id, (unsigned long long)docid, (int)nl, name, (int)vl,
                value);
    }
    lede__buf_free(&term);
    lede__buf_free(&folded);
    if (rc < 0 && rc != LEDE_ENOMEM)
        rc = lede__check_problem(&k->rep, "article '%s', document %llu: %s",
                                 k->id, (unsigned long long)docid,
                                 lede_error_last());
    return rc;
}

/* One passage of the current article (reached through its id term). */
static int passage(const lede__xdocinfo *d, void *payload)
{
    checker *k = payload;
    lede__store_record r;
    int rc;

    k->passages++;
    if (d->value_len[LEDE__SLOT_ARTICLE] != k->id_len ||
        memcmp(d->value[LEDE__SLOT_ARTICLE], k->id, k->id_len) != 0)
        return lede__check_problem(
            &k->rep,
            "document %llu has the id term of '%s' but the id "
            "'%.*s'",
            (unsigned long long)d->docid, k->id,
            (int)d->value_len[LEDE__SLOT_ARTICLE],
            d->value[LEDE__SLOT_ARTICLE]);
    if (lede__store_decode(&r, &k->text, d->data, d->data_len) < 0)
        return lede__check_problem(&k->rep, "article '%s', document %llu: %s",
                                   k->id, (unsigned long long)d->docid,
                                   lede_error_last());
    if ((rc = check_fields(k, d->docid, &r)) != 0)
        return rc;
    if (r.has_article)
        k->firsts++;
    if (r.has_article && r.ordinal != 0)
        return lede__check_problem(
            &k->rep, "article '%s': passage %u holds the article text", k->id,
            r.ordinal);
    if (r.end > k->body_len)
        return lede__check_problem(
            &k->rep,
            "article '%s': passage %u ends at byte %llu, past "
            "the text's %llu bytes",
            k->id, r.ordinal, (unsigned long long)r.end,
            (unsigned long long)k->body_len);
    struct piece *pc =
        lede__grow(k->pieces, &k->cappieces, k->npieces, sizeof *pc);
    if (pc == NULL)
        return lede__error_nomem();
    k->pieces = pc;
    pc[k->npieces++] = (struct piece){r.start, r.end, k->texts.len, r.ordinal};
    rc = lede__buf_put(&k->texts, r.text, r.text_len);
    if (rc < 0)
        return rc;
    uint32_t *v = lede__grow(k->ords, &k->capords, k->nords, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    k->ords = v;
    k->ords[k->nords++] = r.ordinal;
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const struct piece *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Where passages overlap, their stored texts must be the same bytes. */
static int compare_overlaps(checker *k, const char *id)
{
    if (k->npieces < 2)
        return 0;
    qsort(k->pieces, k->npieces, sizeof *k->pieces, by_start);
    for (size_t i = 0; i < k->npieces; i++) {
        const struct piece *a = &k->pieces[i];
        for (size_t j = i + 1; j < k->npieces && k->pieces[j].start < a->end;
             j++) {
            const struct piece *b = &k->pieces[j];
            uint64_t end = a->end < b->end ? a->end : b->end;
            if (memcmp(k->texts.data + a->off + (b->start - a->start),
                       k->texts.data + b->off, (size_t)(end - b->start)) != 0)
                return lede__check_problem(
                    &k->rep,
                    "article '%s': passages %u and %u differ in "
                    "bytes %llu to %llu, which both hold",
                    id, a->ordinal, b->ordinal, (unsigned long long)b->start,
                    (unsigned long long)end);
        }
    }
    return 0;
}

/* Every byte of the text is in a passage or in the runs between them
 * that the first passage r stores (k->pieces sorted by start). */
static int check_covered(checker *k, const char *id,
                         const lede__store_record *r)
{
    const char *p = r->gaps_data, *end = p + r->gaps_len, *bytes;
    uint64_t covered = 0, gap = 0;
    size_t i = 0, len = 0;
    int more = 1, rc;
    while (more || i < k->npieces) {
        if (more && len == 0 &&
            (more = lede__store_gap_next(&gap, &bytes, &len, &p, end)) < 0)
            return lede__check_problem(&k->rep, "article '%s': %s", id,
                                       lede_error_last());
        uint64_t start, stop;
        if (more && len > 0 && (i == k->npieces || gap < k->pieces[i].start)) {
            start = gap;
            stop = gap + len;
            len = 0;
        } else if (i < k->npieces) {
            start = k->pieces[i].start;
            stop = k->pieces[i].end;
            i++;
        } else {
            break;
        }
        if (start > covered)
            break;
        if (stop > covered)
            covered = stop;
    }
    if (covered >= k->body_len)
        return 0;
    rc = lede__check_problem(&k->rep,
                             "article '%s': byte %llu of its text is stored "
                             "nowhere",
                             id, (unsigned long long)covered);
    return rc;
}

static int by_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* One article, reached through its first passage (the article marker). */
static int article(const lede__xdocinfo *d, void *payload)
{
    checker *k = payload;
    lede__store_record r;
    lede__buf term = LEDE__BUF_INIT;
    int rc;

    char *id = lede__strndup(d->value[LEDE__SLOT_ARTICLE],
                             d->value_len[LEDE__SLOT_ARTICLE]);
    if (id == NULL)
        return lede__error_nomem();
    char **v = lede__grow(k->ids, &k->capids, k->nids, sizeof *v);
    if (v == NULL) {
        lede__free(id);
        return lede__error_nomem();
    }
    k->ids = v;
    k->ids[k->nids++] = id;
    if (*id == '\0')
        return lede__check_problem(&k->rep,
                                   "document %llu is an article without an id",
                                   (unsigned long long)d->docid);
    if (lede__store_decode(&r, &k->scratch, d->data, d->data_len) < 0) {
        k->passages++; /* it is a passage of this article, if a bad one */
        return lede__check_problem(&k->rep, "article '%s', document %llu: %s",
                                   id, (unsigned long long)d->docid,
                                   lede_error_last());
    }
    if (!r.has_article)
        return lede__check_problem(
            &k->rep,
            "article '%s': its marked first passage holds no "
            "text",
            id);

    k->id = id;
    k->id_len = strlen(id);
    k->body_len = r.body_len;
    k->npieces = 0;
    lede__buf_clear(&k->texts);
    k->nords = 0;
    k->firsts = 0;
    if ((rc = lede__key_id_term(&term, id, k->id_len)) == 0)
        rc = lede__xdb_term_docs(lede__index_db(k->idx), term.data, term.len,
                                 passage, k);
    lede__buf_free(&term);
    if (rc != 0)
        return rc;
    if ((rc = compare_overlaps(k, id)) != 0 ||
        (r.gaps_data != NULL && (rc = check_covered(k, id, &r)) != 0))
        return rc;
    if (k->firsts != 1)
        return lede__check_problem(
            &k->rep,
            "article '%s' has %d first passages (an id used "
            "twice?)",
            id, k->firsts);
    qsort(k->ords, k->nords, sizeof *k->ords, by_u32);
    for (size_t i = 0; i < k->nords; i++) {
        if (k->ords[i] != i)
            return lede__check_problem(
                &k->rep,
                "article '%s': passages are not numbered 0 to "
                "%zu (passage %u at place %zu)",
                id, k->nords - 1, k->ords[i], i);
    }
    return 0;
}

static int source(const char *key, size_t key_len, const char *value,
                  size_t value_len, void *payload)
{
    checker *k = payload;
    lede__source s;
    int rc = lede__source_decode(&s, value, value_len);
    lede__free(s.key);
    if (rc == LEDE_ECORRUPT)
        return lede__check_problem(&k->rep, "source record %.*s: %s",
                                   (int)key_len, key, lede_error_last());
    return rc;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

LEDE_EXTERN(int)
lede_index_check(uint64_t *problems_out, const char *path, lede_check_cb cb,
                 void *payload)
{
    checker k;
    lede__buf report = LEDE__BUF_INIT;
    uint64_t errors = 0, docs = 0;
    struct stat st;
    int rc;

    memset(&k, 0, sizeof k);
    lede__check_start(&k.rep, cb, payload, problems_out);
    if (path == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_index_check: path is NULL");
    if (stat(path, &st) != 0)
        return lede__error_set(errno == ENOENT ? LEDE_ENOTFOUND : LEDE_EIO,
                               "%s: %s", path, strerror(errno));
    /* Someone who may not read the index is told so, not given problems
     * Xapian would report for the files it could not open. */
    if ((rc = lede__perm_openable(path, O_RDONLY, "read the index")) < 0 ||
        (rc = lede__perm_openable(path, O_RDWR,
                                  "check the index (Xapian's check opens "
                                  "its tables for writing: run it as the "
                                  "index's owner)")) < 0)
        return rc;
    /* A directory without glass's marker file holds no database at all:
     * a wrong path, not a damaged index. */
    lede__buf marker = LEDE__BUF_INIT;
    if ((rc = lede__buf_puts(&marker, path)) < 0 ||
        (rc = lede__buf_puts(&marker, "/iamglass")) < 0)
        return rc;
    rc = stat(marker.data, &st) != 0 && errno == ENOENT;
    lede__buf_free(&marker);
    if (rc)
        return lede__error_set(
            LEDE_EINDEX, "%s: not a lede index (no database in it)", path);

    /* Xapian's own open would crash on some damage to the version file
     * before its check could see it. */
    if ((rc = lede__glass_vet(path)) == LEDE_ECORRUPT) {
        lede__check_problem(&k.rep, "%s", lede_error_last());
        rc = 0;
        goto done;
    }
    if (rc < 0)
        goto done;
    /* Xapian's check reads every block of every table. */
    rc = lede__xdb_check(&errors, &report, path);
    if (rc == LEDE_ENOMEM)
        goto done;
    if (rc < 0)
        lede__check_problem(&k.rep, "Xapian check: %s", lede_error_last());
    else if (errors > 0)
        lede__check_problem(&k.rep, "Xapian check found %llu error%s: %s",
                            (unsigned long long)errors, errors == 1 ? "" : "s",
                            report.data ? report.data : "");
    /* Xapian's readers trust what its check refuses: a term list or
     * posting list whose lengths were damaged is read past its end (seen
     * under AddressSanitizer in TermIterator::skip_to). The walk below
     * reads through them, so a table Xapian calls damaged ends the check
     * here. */
    if (k.rep.problems > 0) {
        rc = 0;
        goto done;
    }

    if ((rc = lede_index_open(&k.idx, path, NULL)) < 0)
        goto done;
    lede__xdb *db = lede__index_db(k.idx);
    rc = lede__xdb_term_docs(db, LEDE__TERM_ARTICLE, strlen(LEDE__TERM_ARTICLE),
                             article, &k);
    if (rc == 0)
        rc = lede__xdb_doccount(&docs, db);
    if (rc == 0 && docs != k.passages) {
        uint64_t stray = docs > k.passages ? docs - k.passages : 0;
        lede__check_problem(&k.rep, "%llu passage%s to no article",
                            (unsigned long long)stray,
                            stray == 1 ? " belongs" : "s belong");
    }
    if (rc == 0 && k.nids > 1) {
        qsort(k.ids, k.nids, sizeof *k.ids, by_str);
        for (size_t i = 1; i < k.nids; i++) {
            if (strcmp(k.ids[i], k.ids[i - 1]) == 0)
                lede__check_problem(&k.rep, "article id '%s' is used twice",
                                    k.ids[i]);
        }
    }
    if (rc == 0)
        rc = lede__xdb_metadata_walk(db, LEDE__SOURCE_META_PREFIX, source, &k);
done:
    rc = lede__check_end(&k.rep, rc, path, problems_out);
    lede_index_free(k.idx);
    for (size_t i = 0; i < k.nids; i++)
        lede__free(k.ids[i]);
    lede__free(k.ids);
    lede__free(k.ords);
    lede__buf_free(&k.scratch);
    lede__buf_free(&k.text);
    lede__buf_free(&k.texts);
    lede__free(k.pieces);
    lede__buf_free(&report);
    return rc;
}
