/*
 * xapian_shim.h - the C interface of the C++ boundary: xapian_shim.cc
 * (handles, writes, documents, stemming, maintenance) and xapian_read.cc
 * (searches and every other read).
 *
 * The shim turns finished terms, documents, query trees and value slot
 * numbers into Xapian calls and back; it makes no decisions of its own.
 * Every function returns 0 or a negative LEDE_E* code with the message
 * recorded (lede__error_set), and notes what the failure was on the handle
 * (lede__xdb_failure) for C to judge; no C++ exception crosses this
 * interface. A read that fails in a race with a writer is run again, on
 * the newer revision, for as long as retry.c says.
 */
#ifndef LEDE_XAPIAN_SHIM_H
#define LEDE_XAPIAN_SHIM_H

#include "lede_int.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- databases ----------------------------------------------------------- */

typedef struct lede__xdb lede__xdb;

/* mode is a lede_open_mode. */
int lede__xdb_open(lede__xdb **out, const char *path, int mode);
/* Open or create the database at path for writing, its commits not
 * synced to disk (Xapian's DB_NO_SYNC): for a build's temporary shards. */
int lede__xdb_open_scratch(lede__xdb **out, const char *path);
/* A read-only database of no shards yet, to which lede__xdb_add_shard()
 * adds each shard of a set: searches see them as one database, with
 * global statistics. */
int lede__xdb_open_set(lede__xdb **out);
/* Open one shard and add it: the database at path (host NULL), or the one
 * xapian-tcpsrv serves at host:port, where each request (the connection
 * too) fails after timeout_ms (0: never). */
int lede__xdb_add_shard(lede__xdb *db, const char *path, const char *host,
                        unsigned port, unsigned timeout_ms);
/* A metadata value of shard i (in the order added), which get_metadata()
 * cannot give: it reads the first shard only. */
int lede__xdb_shard_metadata(lede__buf *out, lede__xdb *db, size_t i,
                             const char *key);
/* Leave shard i out from now on; the docids of the others change. */
int lede__xdb_drop_shard(lede__xdb *db, size_t i);
/* The shard (in the order added, less those dropped) whose connection the
 * last failing read of db named, or -1 (none, or not known). */
long lede__xdb_failed_shard(const lede__xdb *db);
/* What the last failing call on db met (LEDE__XFAIL_NONE: it succeeded,
 * or failed in C). */
lede__xfail lede__xdb_failure(const lede__xdb *db);
/* Close; an open transaction is cancelled. NULL is a no-op. */
void lede__xdb_free(lede__xdb *db);

int lede__xdb_get_metadata(lede__buf *out, lede__xdb *db, const char *key);
int lede__xdb_set_metadata(lede__xdb *db, const char *key, const char *value,
                           size_t len);

/* Start a transaction if none is open (no-op otherwise). */
int lede__xdb_begin(lede__xdb *db);
/* Discard the open transaction, if any. */
int lede__xdb_cancel(lede__xdb *db);
/* Commit the open transaction, if any, atomically and durably. */
int lede__xdb_commit(lede__xdb *db);

int lede__xdb_doccount(uint64_t *out, lede__xdb *db);
int lede__xdb_termfreq(uint64_t *out, lede__xdb *db, const char *term,
                       size_t len);
/* Delete every document indexed by term. */
int lede__xdb_delete_term(lede__xdb *db, const char *term, size_t len);

/* The value slots a document visit sees: 0 to the source key's. */
#define LEDE__XDOC_SLOTS (LEDE__SLOT_SOURCE + 1)

/* A document, as lede__xdb_term_docs() shows it. */
typedef struct {
    uint64_t docid;                      /* its docid */
    const char *data;                    /* its data */
    size_t data_len;                     /* bytes of data */
    const char *value[LEDE__XDOC_SLOTS]; /* value slots 0..3 */
    size_t value_len[LEDE__XDOC_SLOTS];  /* their lengths (0: unset) */
} lede__xdocinfo;

/* Called with each document indexed by a term (every document for ""),
 * in docid order; a non-zero return stops the walk and is returned. */
typedef int (*lede__xdoc_fn)(const lede__xdocinfo *doc, void *payload);
int lede__xdb_term_docs(lede__xdb *db, const char *term, size_t len,
                        lede__xdoc_fn fn, void *payload);
/* Value slot of the first document indexed by term into out (replacing
 * it); LEDE_ENOTFOUND when no document has the term. */
int lede__xdb_first_value(lede__buf *out, lede__xdb *db, const char *term,
                          size_t len, unsigned slot);

/* Called with each metadata key starting with prefix, in key order, and
 * its value. */
typedef int (*lede__xmeta_fn)(const char *key, size_t key_len,
                              const char *value, size_t value_len,
                              void *payload);
int lede__xdb_metadata_walk(lede__xdb *db, const char *prefix,
                            lede__xmeta_fn fn, void *payload);

/* Xapian's own consistency check of the database at path: the number of
 * errors in *errors_out, and Xapian's report appended to report. */
int lede__xdb_check(uint64_t *errors_out, lede__buf *report, const char *path);

/* ---- documents ------------------------------------------------------------
 */

typedef struct lede__xdoc lede__xdoc;

int lede__xdoc_new(lede__xdoc **out);
void lede__xdoc_free(lede__xdoc *doc);
/* Forget all terms, values and data, to build the next document. */
int lede__xdoc_clear(lede__xdoc *doc);
/* Add term at position pos (1-based), raising its wdf by wdfinc. */
int lede__xdoc_posting(lede__xdoc *doc, const char *term, size_t len,
                       uint32_t pos, uint32_t wdfinc);
/* Add term without position or wdf (a filter term). */
int lede__xdoc_boolean(lede__xdoc *doc, const char *term, size_t len);
int lede__xdoc_value(lede__xdoc *doc, unsigned slot, const char *value,
                     size_t len);
int lede__xdoc_data(lede__xdoc *doc, const char *data, size_t len);
int lede__xdb_add(lede__xdb *db, lede__xdoc *doc);

/* ---- stemming --------------------------------------------------------------
 */

typedef struct lede__stem lede__stem;

/* lang: a name or code Xapian's stemmer knows, or "none". LEDE_EINVAL if
 * unknown; *name_out (may be NULL) receives its canonical name. */
int lede__stem_new(lede__stem **out, lede__buf *name_out, const char *lang);
void lede__stem_free(lede__stem *s);
/* Replace the contents of out with the stem of word. */
int lede__stem_word(lede__buf *out, lede__stem *s, const char *word,
                    size_t len);

/* ---- search ----------------------------------------------------------------
 */

typedef struct lede__xsearch {
    double k1;             /* BM25 k1 */
    double b;              /* BM25 b */
    size_t offset;         /* hits to skip */
    size_t limit;          /* hits to return */
    unsigned int collapse; /* most hits per key value; 0: no limit */
    int sort_value;        /* highest sort_slot value first, then weight */
    int lucene;            /* weigh with Lucene's BM25, not Xapian's */
    double k3;             /* Xapian's BM25: query-word saturation */
    int no_data;           /* leave out the documents' data */
    /* Or, when set, read a hit's data only if want_data says so, given
     * the key and signature values, in rank order; a call with a
     * NULL key starts again (the search is being retried). */
    int (*want_data)(const char *key, size_t key_len, const char *sig,
                     size_t sig_len, void *payload);
    void *want_payload; /* want_data's */
    unsigned key_slot;  /* the hits' key: the collapse key */
    unsigned sort_slot; /* what sort_value sorts on */
    unsigned sig_slot;  /* the hits' signature */
    /* Matches to look at before estimating (Xapian's check_at_least),
     * reported in the hits' count: the count costs no second match. None
     * when the query's bounds show that more match than this. */
    uint64_t count_at_least;
    /* With parts > 0, only the documents of the shards i with
     * i % parts == part, weighed with the whole set's statistics; each
     * hit then carries its sort key (lede__xdb_shards_local). */
    size_t part;
    size_t parts; /* 0: every document */
} lede__xsearch;

/* What Xapian says of the matches of a query, collapsed on a key value
 * slot, once it has kept at_least of them (UINT64_MAX: all). */
typedef struct lede__xcount {
    uint64_t articles_least;     /* distinct keys: at least this many */
    uint64_t articles_estimated; /* distinct keys: the estimate */
    uint64_t passages_least;     /* matching documents: at least this many */
    uint64_t passages_most;      /* matching documents: at most this many */
    uint64_t passages_estimated; /* matching documents: the estimate */
    uint64_t docs;               /* documents in the database */
} lede__xcount;

typedef struct {
    double score;       /* BM25 weight */
    uint64_t docid;     /* the passage's document */
    uint64_t collapsed; /* hits of the same article left out */
    size_t data;        /* offset of the document data in the arena */
    size_t data_len;    /* its length */
    size_t key;         /* offset of the key value (NUL-terminated) */
    size_t key_len;     /* its length */
    size_t sig;         /* offset of the signature value */
    size_t sig_len;     /* its length (0: none) */
    size_t sort;        /* offset of the sort key (parts > 0) */
    size_t sort_len;    /* its length */
} lede__xhit;

typedef struct lede__xhits {
    lede__xhit *v;      /* hits, best first */
    size_t n;           /* how many */
    uint64_t estimated; /* estimated matches in all */
    lede__xcount count; /* with count_at_least and a collapse key */
    lede__buf arena;    /* data and keys of every hit */
} lede__xhits;

int lede__xdb_search(lede__xhits *out, lede__xdb *db, const lede__qnode *q,
                     const lede__xsearch *params);
void lede__xhits_free(lede__xhits *hits);

/* ---- parallel search (xapian_shard.cc) ----------------------------------
 */

/* The number of db's shards when a part of them can be searched on its
 * own (every one local, and told apart by its UUID), else 0. */
int lede__xdb_shards_local(size_t *out, lede__xdb *db);
/* Copy w of db, over the same shards, for one thread: opened at its
 * first use and kept until db is freed; *same_out says whether it is at
 * db's revision of every shard (a copy behind is reopened, but one
 * cannot go back to an older revision). */
int lede__xdb_copy(lede__xdb **out, int *same_out, lede__xdb *db, size_t w);
/* Whether a and b are at the same revision of every shard. */
int lede__xdb_same_revision(int *out, lede__xdb *a, lede__xdb *b);
/* Read the data of xh's hits from db as a search with p would have: in
 * rank order, each only when p->want_data says so, none with no_data. */
int lede__xdb_fill_data(lede__xhits *xh, lede__xdb *db, const lede__xsearch *p);

/* How many documents have a value in slot (*count_out), and the lowest
 * and highest of them (emptied when unknown). */
int lede__xdb_value_range(uint64_t *count_out, lede__buf *lo_out,
                          lede__buf *hi_out, lede__xdb *db, unsigned slot);

/* The count alone, of q's matches, when the ranked search cannot report
 * it (a collapse other than one hit per key). */
int lede__xdb_count(lede__xcount *out, lede__xdb *db, const lede__qnode *q,
                    unsigned key_slot, uint64_t at_least);

/* The count of q's matches in a sample of the database's documents: every
 * `every`-th block of 64 docids (1: all of them; in a set, of each
 * shard's own docids), every match in it looked at. articles_least and
 * passages_least are the matching articles and passages in the sample,
 * articles told apart by the term `first` (len bytes) on each article's
 * first passage (an article's passages having docids in a row in its
 * shard); articles_estimated is articles_least scaled up by the share of
 * the docids the sample took. For an estimate that a ranked match, which
 * skips what cannot rank, gives badly. Local databases only (Xapian's
 * remote protocol knows no posting source of lede's). */
int lede__xdb_count_sample(lede__xcount *out, lede__xdb *db,
                           const lede__qnode *q, const char *first, size_t len,
                           uint64_t every);

/* Called with a term and the number of documents holding it; a non-zero
 * return stops the walk and is returned. */
typedef int (*lede__xterm_fn)(const char *term, size_t len, uint64_t freq,
                              void *payload);
/* The index's terms starting with prefix, in term order. */
int lede__xdb_allterms(lede__xdb *db, const char *prefix, size_t len,
                       lede__xterm_fn fn, void *payload);
/* Called with the article key (value key_slot) and stored data of one
 * matching passage of each article; first with key NULL, and again with
 * key NULL if the match starts over (a reader that met a writer), when
 * whatever was gathered goes. A non-zero return stops and is returned. */
typedef int (*lede__xarticle_fn)(const char *key, size_t key_len,
                                 const char *data, size_t data_len,
                                 void *payload);
/* fn for every article matching q (its count form: no proximity pairs),
 * in document order, unweighted. Local databases only (Xapian's remote
 * protocol knows no match spy of lede's). */
int lede__xdb_each_article(lede__xdb *db, const lede__qnode *q,
                           unsigned key_slot, lede__xarticle_fn fn,
                           void *payload);
/* Called with a term and its weight. */
typedef int (*lede__xweight_fn)(const char *term, size_t len, double weight,
                                void *payload);
/* The k terms that best tell documents docids[0..n) from the rest (Xapian's
 * expand set), words only (no prefixed term, none of digits alone, none
 * in fewer than 3 documents), best first. */
int lede__xdb_expand(lede__xdb *db, const uint64_t *docids, size_t n, size_t k,
                     lede__xweight_fn fn, void *payload);
/* The names of the terms starting with prefix, a name being what follows
 * the prefix up to the byte sep: fn with each once, in order (freq 0),
 * skipping the rest of the terms of a name. */
int lede__xdb_term_names(lede__xdb *db, const char *prefix, size_t len,
                         char sep, lede__xterm_fn fn, void *payload);
/* The words of the spelling data (folded, unstemmed) starting with prefix,
 * in order, each with its frequency. */
int lede__xdb_spellings(lede__xdb *db, const char *prefix, size_t len,
                        lede__xterm_fn fn, void *payload);

/* ---- what an explanation needs ------------------------------------------- */

/* Documents, and their average length. */
int lede__xdb_stats(lede__xdb *db, uint64_t *docs_out, double *avlen_out);
/* Value slot of a document into out (emptied when it has none). */
int lede__xdb_value(lede__buf *out, lede__xdb *db, uint64_t docid,
                    unsigned slot);
/* A document's length (sum of its wdf). */
int lede__xdb_doclen(lede__xdb *db, uint64_t docid, uint64_t *out);
/* The wdf of term in a document (0 when it does not hold it). */
int lede__xdb_wdf(lede__xdb *db, uint64_t docid, const char *term, size_t len,
                  uint64_t *out);
/* *out: whether a document holds term (boolean terms too, whose wdf is
 * 0). */
int lede__xdb_has_term(int *out, lede__xdb *db, uint64_t docid,
                       const char *term, size_t len);
/* The positions of term in a document, ascending, into *out (an array
 * the caller frees with lede__free) and *n_out. */
int lede__xdb_positions(lede__xdb *db, uint64_t docid, const char *term,
                        size_t len, uint32_t **out, size_t *n_out);

/* ---- spelling -------------------------------------------------------------
 */

/* Count one more use of word in the spelling data (writers). */
int lede__xdb_add_spelling(lede__xdb *db, const char *word, size_t len,
                           uint64_t count);
/* Move what Xapian buffers in memory for the open transaction (postings,
 * spelling changes; not positions) into its tables, uncommitted: a cancel
 * still drops it and a crash leaves the last commit. */
int lede__xdb_flush(lede__xdb *db);
/* The closest word of the spelling data (edit distance up to 2) into out,
 * or out emptied when there is none. */
int lede__xdb_spelling(lede__buf *out, lede__xdb *db, const char *word,
                       size_t len, unsigned max_edits);

/* ---- compaction -----------------------------------------------------------
 */

/* Write a compacted copy of the database to the new directory dest. */
int lede__xdb_compact(lede__xdb *db, const char *dest);

/* Decides the value of a metadata key that several merged databases hold:
 * n values (n >= 2) in source order, the result into out. */
typedef int (*lede__xmerge_fn)(lede__buf *out, const char *key, size_t key_len,
                               const char *const *values, const size_t *lens,
                               size_t n);

/* Merge the n databases at srcs into a new compacted one at dest: the
 * documents of srcs[0] first, renumbered from 1, then those of srcs[1],
 * and so on; spelling frequencies summed; a metadata key held by several
 * resolved by fn. */
int lede__xdb_merge(const char *const *srcs, size_t n, const char *dest,
                    lede__xmerge_fn fn);

/* Reopen db at the newest revision; *newer_out says whether there was
 * one (never, for a writer's handle). */
int lede__xdb_reopen(lede__xdb *db, int *newer_out);

#ifdef __cplusplus
}
#endif

#endif /* LEDE_XAPIAN_SHIM_H */
