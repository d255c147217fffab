/*
 * lede.h - the public interface of liblede, a passage search engine for
 * article collections.
 *
 * An index holds articles. Each article is split into passages (windows of
 * sentences inside one paragraph); each passage is ranked on its own with
 * BM25, and a search returns the best passages with their article, offsets
 * and text.
 *
 * Conventions that hold for every function below:
 *
 * - Errors. A function that can fail returns int: 0 (LEDE_OK) on success, a
 *   negative lede_error_code on failure. On failure every out-parameter is
 *   set to NULL (or 0) and a message is recorded for the calling thread;
 *   read it with lede_error_last().
 * - Ownership. A `T **out` result is owned by the caller and released with
 *   lede_T_free(). A `char **out` result is released with lede_free(). A
 *   `const char *` returned by a getter is borrowed from its parent object
 *   and stays valid until that object is freed. Inputs are copied when the
 *   library keeps them.
 * - Text. All text is UTF-8, in and out. Bulk text is passed as pointer and
 *   length and need not be NUL-terminated; names and paths are
 *   NUL-terminated. Offsets are byte offsets over half-open ranges
 *   [start, end). Invalid UTF-8 (and NUL bytes) in an article becomes U+FFFD;
 *   in a query it is an error (LEDE_EINVAL).
 * - Threads. An index handle is used by one thread at a time; separate
 *   handles, even on the same index, are independent and may be used from
 *   different threads at once (open one read handle per searching thread).
 *   Search results are read-only: any number of threads may read one
 *   lede_results at once. Functions that take no handle are thread-safe.
 *   The error message is kept per thread.
 * - The library never prints, and never exits or aborts on bad input.
 */
#ifndef LEDE_H
#define LEDE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define LEDE_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#define LEDE_EXTERN(type) extern type
#endif

/** The version of this header: major (incompatible changes), minor (new
 *  functions or option fields), patch (fixes). */
#define LEDE_VERSION_MAJOR 0
#define LEDE_VERSION_MINOR 1
#define LEDE_VERSION_PATCH 0
/** The same as a string. */
#define LEDE_VERSION "0.1.0"
/** The same as 0xMMmmpp; compare with >=. */
#define LEDE_VERSION_NUM 0x000100

/** The version of the library actually linked, e.g. "0.1.0". Static. */
LEDE_EXTERN(const char *) lede_version(void);

/* ------------------------------------------------------------------------
 * Errors and memory
 * ------------------------------------------------------------------------ */

/** Return codes. Every failure also records a message: lede_error_last(). */
typedef enum {
    LEDE_OK = 0,         /**< success */
    LEDE_ERROR = -1,     /**< failure with no more specific code */
    LEDE_ENOMEM = -2,    /**< out of memory */
    LEDE_EINVAL = -3,    /**< bad argument, or malformed query */
    LEDE_ENOTFOUND = -4, /**< no such index, or no such article */
    LEDE_EINDEX = -5,    /**< the index backend (Xapian) failed */
    LEDE_ECORRUPT = -6,  /**< stored data failed its format or CRC checks */
    LEDE_EUSER = -7,     /**< a callback stopped an iteration */
    LEDE_ELOCKED = -8,   /**< another process holds the index write lock */
    LEDE_EIO = -9,       /**< reading or writing a file failed */
    LEDE_ELIMIT = -10    /**< over a limit: a size (see the options), a
                              query's depth or work, or a time budget */
} lede_error_code;

/**
 * The message of the last failure on the calling thread, or "" if there
 * has been none. Library-owned; valid until the next failing lede_ call on
 * this thread.
 */
LEDE_EXTERN(const char *) lede_error_last(void);

/**
 * A short static description of a return code, e.g. "out of memory".
 * Unknown codes give "unknown error". Never NULL.
 */
LEDE_EXTERN(const char *) lede_strerror(int code);

/** Release memory that the library returned through a `char **out`.
 *  NULL is a no-op. */
LEDE_EXTERN(void) lede_free(void *ptr);

/* ------------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------------ */

/**
 * Byte offset of the first ill-formed UTF-8 sequence or NUL byte in
 * text[0..len), or len if there is none. lede_index_add() replaces such
 * bytes with U+FFFD; this tells a caller beforehand. Thread-safe.
 */
LEDE_EXTERN(size_t) lede_utf8_check(const char *text, size_t len);

/* ------------------------------------------------------------------------
 * Tokenizer
 * ------------------------------------------------------------------------ */

/**
 * Called once per token, in text order. tok is the token as it is indexed
 * before stemming: NFKC case-folded, not NUL-terminated, len bytes long,
 * valid until the callback returns. start and end are the byte offsets of
 * the token in the input text. Return 0 to go on; any other value stops
 * tokenization and is returned by lede_tokenize().
 */
typedef int (*lede_token_cb)(const char *tok, size_t len, size_t start,
                             size_t end, void *payload);

/**
 * Split text into the words lede indexes: ICU word boundaries, keeping
 * words and numbers and dropping spaces and punctuation; each word is
 * NFKC case-folded, typographic apostrophes become "'", and thousands
 * separators are dropped from numbers ("1,000" gives "1000"). Words longer
 * than 64 bytes after folding are skipped. Invalid UTF-8 is read as U+FFFD,
 * which is not a word.
 *
 * @param text     the text; need not be NUL-terminated (NULL if len is 0)
 * @param len      its length in bytes
 * @param cb       called for every token
 * @param payload  passed to cb
 * @return 0, LEDE_EINVAL (NULL text with len > 0, or NULL cb), LEDE_ENOMEM,
 *         LEDE_ERROR (ICU failure), or the callback's non-zero return value.
 *         Thread-safe.
 */
LEDE_EXTERN(int)
lede_tokenize(const char *text, size_t len, lede_token_cb cb, void *payload);

/* ------------------------------------------------------------------------
 * Index
 * ------------------------------------------------------------------------ */

/** An open index: a Xapian database of passages. Opaque. */
typedef struct lede_index lede_index;

/** How lede_index_open() opens the index. */
typedef enum {
    LEDE_OPEN_READ = 0,  /**< search only; many readers may share an index */
    LEDE_OPEN_WRITE = 1, /**< search and change an existing index */
    LEDE_OPEN_CREATE = 2 /**< like WRITE, creating the index if missing */
} lede_open_mode;

/** Defaults, chosen as README explains. */
#define LEDE_DEFAULT_LANGUAGE "english"
#define LEDE_DEFAULT_PASSAGE_WORDS 200
#define LEDE_DEFAULT_PASSAGE_OVERLAP 1
/** passage_words of an index whose passages are whole articles. */
#define LEDE_PASSAGE_ARTICLE 0xffffffffu
/** The largest passage_words but LEDE_PASSAGE_ARTICLE, and the largest
 *  passage_overlap: an index stating more is refused as damaged. */
#define LEDE_PASSAGE_WORDS_MAX 100000
#define LEDE_PASSAGE_OVERLAP_MAX 100

/** Options of lede_index_open(). Initialise with LEDE_INDEX_OPTIONS_INIT. */
typedef struct {
    unsigned int version; /**< LEDE_INDEX_OPTIONS_VERSION */
    lede_open_mode mode;  /**< read, write or create */
    /** Stemming language of a new index: any name or ISO code Xapian's
     *  stemmer knows ("english", "fr", ...) or "none". NULL: the index's
     *  own language, or LEDE_DEFAULT_LANGUAGE for a new index. A language
     *  different from an existing index's is LEDE_EINVAL. */
    const char *language;
    /** Word cap of a passage; 0: the index's own, or the default;
     *  LEDE_PASSAGE_ARTICLE: each article is one passage. */
    unsigned int passage_words;
    /** Sentences shared by consecutive passages of a paragraph; negative:
     *  the index's own, or the default. */
    int passage_overlap;
    /* Version 2: */
    /** Writers: milliseconds to wait for another writer's lock before
     *  failing with LEDE_ELOCKED; 0 fails at once, negative waits for
     *  ever. */
    int lock_wait_ms;
    /* Version 3: */
    /** Words a new index leaves out: "none", or "english" (LEDE_STOPWORDS,
     *  as Lucene's English analyzer does). They are not indexed, do not
     *  count in a passage's length, and are left out of queries (a phrase
     *  keeps its words' places). NULL: the index's own, or "none" for a
     *  new index; a different one for an existing index is LEDE_EINVAL. */
    const char *stopwords;
    /** Non-zero: a passage of a new index never crosses a paragraph break
     *  (passages then hold a paragraph's sentences at most); 0: passages
     *  fill up to passage_words across paragraphs, which ranks better
     *  (docs/evaluation.md). An existing index keeps its own. */
    int paragraph_passages;
    /* Version 4: */
    /** Shard sets: milliseconds a remote shard may take to connect, and
     *  then to answer each request, before it counts as failed; 0: 10000
     *  (Xapian's default). */
    unsigned int remote_timeout_ms;
    /** Shard sets: non-zero leaves out a shard that cannot be opened, or
     *  whose server fails during a search (the search is then run again
     *  without it), instead of failing; lede_index_missing() and
     *  lede_results_missing() name such shards. */
    int allow_partial;
    /* Version 5: */
    /** Writers waiting for another writer's lock: called before each
     *  pause of the wait (about ten times a second, and at once after a
     *  signal interrupts a pause); a non-zero return ends the wait with
     *  LEDE_EUSER. A program that stops on SIGTERM returns whether its
     *  handler has run. NULL: wait as lock_wait_ms says. */
    int (*lock_wait_cb)(void *payload);
    void *lock_wait_payload; /**< passed to lock_wait_cb */
    /* Version 6: */
    /** Fields a new index declares beside LEDE_FIELDS_STANDARD, as a
     *  comma-separated list of names ("desk,region"): readers of a sync
     *  take them from JSON keys and HTML <meta> names of the same name.
     *  NULL: none, or an existing index's own. Names an existing index
     *  lacks are added at its next commit; articles read before keep no
     *  values of them until their files change or the index is rebuilt. */
    const char *fields;
} lede_index_options;

#define LEDE_INDEX_OPTIONS_VERSION 6
#define LEDE_INDEX_OPTIONS_INIT                                                \
    {                                                                          \
        LEDE_INDEX_OPTIONS_VERSION, LEDE_OPEN_READ, NULL, 0, -1, 0, NULL, 0,   \
            0, 0, NULL, NULL, NULL                                             \
    }

/**
 * Open the index at path, or create it (mode LEDE_OPEN_CREATE).
 *
 * path may also be a shard set, for searching (LEDE_OPEN_READ only): a
 * file in Xapian's stub database format, or a directory holding one named
 * XAPIANDB. Each line names a shard: "auto PATH" (a lede index; a
 * relative PATH is taken from the stub's directory) or "remote HOST:PORT"
 * (a lede index served by Xapian's xapian-tcpsrv); blank lines and lines
 * starting with "#" are skipped. The shards are searched as one index,
 * with statistics over all of them: a set gives the same results and
 * scores as one index of the same articles (up to the order of equal
 * scores), and snippets, explanations, grouping and near-duplicate
 * folding work across shards. Every shard must have the same settings
 * (language, passages, stop words). Remote shards work with
 * LEDE_WEIGHT_BM25 only (xapian-tcpsrv knows Xapian's own weighting
 * schemes, not lede's Lucene one), and give no spelling data: "did you
 * mean" suggestions, and the part of a prefix's expansion drawn from
 * words whose stems are shorter than the prefix, come from local shards
 * only. A shard that cannot be opened (or, remote, answer within
 * remote_timeout_ms) fails the open, with a message naming its line,
 * unless allow_partial is set.
 *
 * A writer holds Xapian's lock on the index until lede_index_free(); a
 * second writer gets LEDE_ELOCKED. Readers never block, and see the index
 * as of the last commit before they opened it. (If a reader's snapshot is
 * overwritten by later commits, a search reopens the index and retries.)
 *
 * @param out   receives the handle; the caller releases it with
 *              lede_index_free(). NULL on failure.
 * @param path  directory of the index
 * @param opts  options, or NULL for LEDE_INDEX_OPTIONS_INIT
 * Xapian opens the index's files by name and follows symbolic links, so
 * lede refuses an index whose lock file, version file or tables are
 * links, and a writer first opens the lock file itself (without following
 * a link or changing it): one it may not write is LEDE_EIO with the
 * system's reason ("Permission denied"), not LEDE_ELOCKED. A reader whose
 * open meets a lede_index_rebuild() swap opens again, on the index it
 * then finds at path.
 *
 * @return 0; LEDE_EINVAL (NULL argument, unknown language or options
 *         version, or options that contradict the index); LEDE_ENOTFOUND
 *         (no index at path, in read or write mode); LEDE_EINDEX (path is
 *         not a lede index, or Xapian failed, or a shard of a set cannot
 *         be opened); LEDE_ECORRUPT (the index's settings or tables are
 *         damaged); LEDE_ELOCKED; LEDE_EIO (a shard set cannot be read,
 *         or this process may not read the index: "PATH: cannot read the
 *         index: Permission denied", naming the file if it is one; an
 *         index file is a symbolic link; the lock file cannot be opened
 *         for writing); LEDE_EUSER (lock_wait_cb ended the wait);
 *         LEDE_ENOMEM. A shard set also gives LEDE_EINVAL (a writing mode,
 *         a line lede cannot open, shards whose settings differ).
 */
LEDE_EXTERN(int)
lede_index_open(lede_index **out, const char *path,
                const lede_index_options *opts);

/**
 * The number of shards of a shard set opened with allow_partial that are
 * left out: those that could not be opened, and those whose server failed
 * during a search since. 0 for an index that is not a shard set, or NULL.
 */
LEDE_EXTERN(size_t) lede_index_missing_count(const lede_index *idx);

/**
 * The i-th shard left out (0 <= i < lede_index_missing_count()), as its
 * line of the stub reads, e.g. "remote 10.0.0.2:7000"; NULL when i is out
 * of range. Borrowed from idx; valid until lede_index_free(idx) or
 * lede_index_reopen(idx).
 */
LEDE_EXTERN(const char *) lede_index_missing(const lede_index *idx, size_t i);

/**
 * Release the handle: changes not committed with lede_index_commit() are
 * discarded, a writer's lock is released, and every file is closed. NULL
 * is a no-op. Not thread-safe on idx.
 */
LEDE_EXTERN(void) lede_index_free(lede_index *idx);

/**
 * Close the index but keep the handle: as lede_index_free() does with the
 * index (uncommitted changes discarded, the lock released, files closed),
 * after which every call with idx but lede_index_free() fails with
 * LEDE_EINVAL ("the index is closed"). For releasing a writer's lock at
 * once while other code still holds the pointer.
 *
 * @return 0; LEDE_EINVAL (NULL, or already closed). Not thread-safe on idx.
 */
LEDE_EXTERN(int) lede_index_close(lede_index *idx);

/**
 * Let a reader see the commits made since it opened the index. A read
 * handle sees the index as of the last commit before it was opened (or
 * reopened): a program that keeps one open across nightly reindexes calls
 * this when it wants to see new data, for example before each batch of
 * searches or once a minute. The index is opened again by its path, so a
 * reader also follows a lede_index_rebuild() swap, settings and all: after
 * it the handle searches exactly as one opened anew would (the index's
 * language, stop words and shards are those found now). On failure the
 * handle keeps its previous view. Writers always see the latest commit and
 * their own changes: for them it does nothing and returns 0. Strings
 * borrowed from idx (lede_index_info.language) are invalid after it.
 *
 * @return 0; LEDE_EINVAL (NULL, closed); LEDE_ENOTFOUND (the index is
 *         gone); LEDE_EINDEX; LEDE_ENOMEM. Not thread-safe on idx.
 */
LEDE_EXTERN(int) lede_index_reopen(lede_index *idx);

/**
 * One value of a keyword field of an article: who wrote it ("author"),
 * the desk ("section"), the agency or publication ("source"), what it is
 * tagged with ("tag"), or a field the index declares
 * (lede_index_options.fields). A field may have any number of values.
 * Values are matched as a whole, folded as query words are (case, NFKC,
 * runs of spaces as one) but not stemmed, and shown as written.
 */
typedef struct {
    const char *name;  /**< NUL-terminated; see lede_field_name_check() */
    const char *value; /**< NUL-terminated UTF-8, not empty */
} lede_field;

/** The longest field name, in bytes. */
#define LEDE_FIELD_NAME_MAX 32
/** The longest field value, in bytes as given and once folded. */
#define LEDE_FIELD_VALUE_MAX 200
/** The most field values one article may carry. */
#define LEDE_FIELDS_MAX 100
/** The fields every index has. */
#define LEDE_FIELDS_STANDARD "author,section,source,tag"

/**
 * Whether name may name a field: 1 to LEDE_FIELD_NAME_MAX bytes of ASCII
 * lower-case letters, digits and '_', starting with a letter, and not
 * one of the query language's own names (title, date, dir, id, url,
 * text).
 * @return 0; LEDE_EINVAL with a message saying why not.
 */
LEDE_EXTERN(int) lede_field_name_check(const char *name);

/** One article to index. Initialise with LEDE_ARTICLE_INIT. */
typedef struct {
    unsigned int version; /**< LEDE_ARTICLE_VERSION */
    const char *id;       /**< unique, non-empty, NUL-terminated UTF-8 */
    const char *title;    /**< may be NULL if title_len is 0 */
    size_t title_len;     /**< bytes of title */
    const char *body;     /**< may be NULL if body_len is 0 */
    size_t body_len;      /**< bytes of body */
    /* Version 2: */
    int64_t date;    /**< seconds since 1970-01-01 UTC, or LEDE_NO_DATE */
    const char *url; /**< NUL-terminated, or NULL */
    /* Version 3: */
    /** Keyword field values, at most LEDE_FIELDS_MAX; NULL if n_fields
     *  is 0. Names must pass lede_field_name_check(). */
    const lede_field *fields;
    size_t n_fields; /**< number of fields */
    /** Where the article came from, relative to its corpus root
     *  ("politics/002.txt"), for the query language's dir: filter; NULL:
     *  nowhere. lede_index_sync() gives each article its file's. */
    const char *path;
} lede_article;

/** lede_article.date of an article without a date. */
#define LEDE_NO_DATE INT64_MIN

#define LEDE_ARTICLE_VERSION 3
#define LEDE_ARTICLE_INIT                                                      \
    {                                                                          \
        LEDE_ARTICLE_VERSION, NULL, NULL, 0, NULL, 0, LEDE_NO_DATE, NULL,      \
            NULL, 0, NULL                                                      \
    }

/** The longest article id accepted, in bytes. */
#define LEDE_ARTICLE_ID_MAX 1024

/**
 * Add an article, replacing every passage of an article with the same id.
 * The body is split into passages; each passage is ranked on its own.
 * Passage offsets count bytes of the body as stored, which is the given
 * body with invalid UTF-8 and NUL bytes replaced by U+FFFD. An article with
 * no words in its body still gets one empty passage, so its title is
 * searchable.
 *
 * The change becomes visible to other handles, and durable, at the next
 * lede_index_commit(); until then Xapian holds it, partly in memory (its
 * word positions, some 130 bytes a word) and partly in its tables,
 * uncommitted. Passages are built and handed to Xapian one at a time: if
 * that fails (LEDE_EINDEX, LEDE_ENOMEM), every change since the last
 * commit is discarded, so that half an article is never committed; checks
 * of the article itself (LEDE_EINVAL, LEDE_ELIMIT) and failures before the
 * change began leave pending changes alone.
 *
 * Each field value becomes a filter term on every passage (the query
 * language's NAME:VALUE) and is stored with each passage for display, as
 * the title is; the path becomes dir: filter terms, one per folder of
 * it. A field name the index has not seen before is added to its fields
 * (lede_index_fields()).
 *
 * @return 0; LEDE_EINVAL (NULL argument, read-only handle, empty, too long
 *         or invalid UTF-8 id, url or path, unknown article version, a
 *         bad field name, an empty field value or one with invalid
 *         UTF-8); LEDE_ELIMIT (body over 1 GiB, a field value over
 *         LEDE_FIELD_VALUE_MAX bytes as given or folded, more than
 *         LEDE_FIELDS_MAX values); LEDE_EINDEX; LEDE_ENOMEM.
 */
LEDE_EXTERN(int) lede_index_add(lede_index *idx, const lede_article *article);

/**
 * Delete an article and all its passages (effective at the next commit).
 * @return 0; LEDE_ENOTFOUND (no article with that id); LEDE_EINVAL (NULL
 *         argument, read-only handle); LEDE_EINDEX; LEDE_ENOMEM.
 */
LEDE_EXTERN(int) lede_index_delete(lede_index *idx, const char *article_id);

/**
 * Make all changes since the last commit durable and visible, atomically:
 * after a crash the index holds either all of them or none.
 *
 * When the commit fails, the changes since the last commit are discarded
 * and the index is checked: Xapian 1.4, putting its tables back at the
 * last commit, can leave their list of free blocks damaged (the index
 * then fails lede_index_check() and refuses every later write). A damaged
 * index is compacted in place, as lede_index_compact() does, and the
 * handle opened on it again; the error message says so ("repaired by
 * compacting"), or, if compacting failed too (the disk still full), asks
 * for a compaction when there is space again. The handle takes its lock
 * afresh meanwhile; if it cannot, it is closed (LEDE_EINVAL afterwards).
 * lede_index_sync() commits this way too.
 * @return 0; LEDE_EINVAL (NULL or read-only handle); LEDE_EINDEX (for
 *         example, the disk is full: the index keeps its previous commit).
 */
LEDE_EXTERN(int) lede_index_commit(lede_index *idx);

/** Counts and settings of an index. */
typedef struct {
    uint64_t articles;          /**< articles in the index */
    uint64_t passages;          /**< passages (Xapian documents) */
    const char *language;       /**< stemming language, borrowed from idx
                                     until it is reopened or freed */
    unsigned int passage_words; /**< passage word cap */
    int passage_overlap;        /**< passage overlap in sentences */
} lede_index_info;

/**
 * Fill *out with the index's counts (including uncommitted changes of this
 * handle) and settings. Strings are borrowed from idx.
 * @return 0; LEDE_EINVAL (NULL argument); LEDE_EINDEX.
 */
LEDE_EXTERN(int) lede_index_stat(lede_index_info *out, lede_index *idx);

/**
 * The fields the index has, as a comma-separated list in order of name:
 * LEDE_FIELDS_STANDARD, the fields it declares, and every field an
 * article of it carries (of a shard set, of any shard).
 *
 * @param out  receives the list; the caller frees it with lede_free()
 * @return 0; LEDE_EINVAL (NULL argument, closed); LEDE_EINDEX;
 *         LEDE_ENOMEM.
 */
LEDE_EXTERN(int) lede_index_fields(char **out, lede_index *idx);

/** An article as the index holds it (lede_index_article()). */
typedef struct lede_stored lede_stored;

/**
 * The article with this id, whole: its title, date, URL, field values,
 * path in its corpus, and its text byte for byte as it was indexed (the
 * body given to lede_index_add(), invalid UTF-8 and NUL bytes made
 * U+FFFD), put back together from its passages' records.
 *
 * @param out  receives the article; the caller frees it with
 *             lede_stored_free(). NULL on failure.
 * @return 0; LEDE_ENOTFOUND (no such article); LEDE_EINVAL (NULL
 *         argument, closed handle); LEDE_ECORRUPT (its records do not
 *         make up its text, or were written before lede kept the text
 *         between passages: rebuild the index); LEDE_EINDEX;
 *         LEDE_ENOMEM.
 */
LEDE_EXTERN(int)
lede_index_article(lede_stored **out, lede_index *idx, const char *id);

/** Release a stored article. NULL is a no-op. */
LEDE_EXTERN(void) lede_stored_free(lede_stored *s);

/**
 * The stored article as a lede_article (version LEDE_ARTICLE_VERSION):
 * id, title, body (the whole text, also NUL-terminated), date, url
 * (NULL if none), fields and path (NULL if none). Borrowed from s; NULL
 * for NULL.
 */
LEDE_EXTERN(const lede_article *) lede_stored_article(const lede_stored *s);

/** The source file the article was read from by lede_index_sync(), as
 *  the index names it (the absolute path, or for a long one a shortened
 *  key), or NULL (added by lede_index_add()). Borrowed from s. */
LEDE_EXTERN(const char *) lede_stored_source(const lede_stored *s);

/** The number of the article's passages. */
LEDE_EXTERN(size_t) lede_stored_passage_count(const lede_stored *s);

/**
 * Passage i's byte offsets in the body (lede_results_start() and
 * lede_results_end() of a hit on it).
 * @return 0; LEDE_EINVAL (NULL, i out of range).
 */
LEDE_EXTERN(int)
lede_stored_passage(const lede_stored *s, size_t i, size_t *start_out,
                    size_t *end_out);

/** Called by lede_index_articles() with each article's id, its path in
 *  its corpus (or NULL) and its source file (or NULL); non-zero stops the
 *  walk and is returned. */
typedef int (*lede_articles_cb)(const char *id, const char *path,
                                const char *source, void *payload);

/**
 * Every article of the index, in the index's order (of a shard set, shard
 * by shard), or with dir not NULL only those whose path is under that
 * folder (as the query language's dir: filter).
 * @return 0; cb's non-zero value; LEDE_EINVAL (NULL idx or cb);
 *         LEDE_ECORRUPT; LEDE_EINDEX; LEDE_ENOMEM.
 */
LEDE_EXTERN(int)
lede_index_articles(lede_index *idx, const char *dir, lede_articles_cb cb,
                    void *payload);

/* ------------------------------------------------------------------------
 * Reading corpus files
 * ------------------------------------------------------------------------ */

/** Input formats. A file compressed with gzip (any number of members) is
 *  read through zlib whatever its format; it is recognised by its first
 *  bytes, and a ".gz" suffix is ignored when the format is chosen by
 *  name. */
typedef enum {
    LEDE_FORMAT_AUTO = 0, /**< by file name (lede_format_for_name()) */
    LEDE_FORMAT_TXT,      /**< one article: the first non-empty line is the
                               title, the rest the body */
    LEDE_FORMAT_JSONL,    /**< one article per line, a JSON object */
    LEDE_FORMAT_HTML,     /**< one article: an HTML page */
    LEDE_FORMAT_TREC      /**< TREC SGML <DOC> records, or Reuters-21578
                               <REUTERS> records; many per file */
} lede_format;

/**
 * The format a file name implies: .txt, .jsonl or .ndjson, .html or .htm,
 * .trec, .sgml or .sgm, each optionally followed by .gz. LEDE_FORMAT_AUTO
 * when the name implies none. name may be a path.
 */
LEDE_EXTERN(lede_format) lede_format_for_name(const char *name);

/** The format called name ("txt", "jsonl", "html", "trec"); LEDE_EINVAL
 *  if there is none. */
LEDE_EXTERN(int) lede_format_parse(lede_format *out, const char *name);

/** Defaults of the reading limits. */
#define LEDE_DEFAULT_MAX_FILE_BYTES ((uint64_t)4 << 30)
#define LEDE_DEFAULT_MAX_ARTICLE_BYTES ((size_t)16 << 20)
#define LEDE_DEFAULT_MAX_RATIO 200

/** Options of lede_read_file(). Initialise with LEDE_READ_OPTIONS_INIT. */
typedef struct {
    unsigned int version; /**< LEDE_READ_OPTIONS_VERSION */
    lede_format format;   /**< LEDE_FORMAT_AUTO: by the file's name */
    /** Id of the article of a one-article file (txt, html); NULL: the
     *  file's name without directories and without ".gz". */
    const char *id;
    /** Decompressed bytes of one file at most; 0: the default. */
    uint64_t max_file_bytes;
    /** Bytes of one article (a line, a record, a one-article file) at
     *  most; larger ones are skipped; 0: the default. */
    size_t max_article_bytes;
    /** gzip: decompressed bytes per compressed byte at most, checked once
     *  1 MiB is out (against gzip bombs); 0: the default. */
    unsigned int max_ratio;
    /** JSON Lines field names; NULL: "id", "title", "text" (or, when it is
     *  absent, "body"), "date", "url". */
    const char *json_id;
    const char *json_title;
    const char *json_text;
    const char *json_date;
    const char *json_url;
    /** (version 2) Character set of text, html and TREC files that name
     *  none, as ICU names it ("windows-1252", "ISO-8859-15", "Shift_JIS";
     *  ASCII-compatible ones only). NULL or "auto": UTF-8, except that a
     *  file (a TREC record) mostly not valid UTF-8 is read as
     *  Windows-1252, with a warning. "UTF-8": always UTF-8, invalid bytes
     *  becoming U+FFFD. Under another name, a file (a TREC record) that is
     *  valid UTF-8 and not plain ASCII stays UTF-8, with a warning. An
     *  HTML page's byte order mark or <meta charset> wins over it; JSON
     *  Lines are always UTF-8 (RFC 8259). */
    const char *encoding;
    /* Version 3: */
    /** The file's path relative to its corpus root ("politics/002.txt");
     *  lede_index_sync() gives the walk's. Every article read gets it as
     *  its path, and an article of a text file the folder in it as its
     *  section ("politics"). NULL: none. */
    const char *corpus_path;
    /** Fields to read beside LEDE_FIELDS_STANDARD, comma-separated
     *  (an index's declared fields): JSON keys and HTML <meta> names. */
    const char *fields;
    /** JSON Lines keys of fields, as "FIELD=KEY" pairs, comma-separated
     *  ("author=byline,tag=keywords"); a field not named reads the key
     *  of its own name. */
    const char *json_fields;
} lede_read_options;

#define LEDE_READ_OPTIONS_VERSION 3
#define LEDE_READ_OPTIONS_INIT                                                 \
    {                                                                          \
        LEDE_READ_OPTIONS_VERSION, LEDE_FORMAT_AUTO, NULL, 0, 0, 0, NULL,      \
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL                     \
    }

/** The kind of a warning, stable across versions (its message's wording
 *  may change): for counting or filtering warnings by kind. New kinds may
 *  be appended. */
typedef enum {
    LEDE_WARN_NONE,         /**< not a warning */
    LEDE_WARN_DATE,         /**< a date (or its time of day) that cannot be
                                 read; the article is kept without it */
    LEDE_WARN_ENCODING,     /**< text not in the encoding expected: read
                                 as another, or repaired (U+FFFD) */
    LEDE_WARN_DUPLICATE_ID, /**< an id a file gives twice: the last wins */
    LEDE_WARN_FIELDS,       /**< fields of a JSON line that are not read */
    LEDE_WARN_ID_OWNER,     /**< a one-article file takes back its name
                                 from the feed that gave it first */
    LEDE_WARN_ID_ELSEWHERE, /**< (a problem's kind, not a warning's) an
                                 article whose id another file of the
                                 index holds is not indexed from this
                                 one; a corpus that moved needs a
                                 rebuild */
    LEDE_WARN_REMEMBERED,   /**< (a problem's kind) a file not read again,
                                 unchanged since problems were found in
                                 it */
    LEDE_WARN_FIELD         /**< a field value left out: empty, not a
                                 string, over LEDE_FIELD_VALUE_MAX bytes,
                                 or past LEDE_FIELDS_MAX values */
} lede_warning;

/**
 * What lede_read_file() found. One of:
 * - an article: article is set;
 * - a warning: article is NULL, code is 0; the article it concerns was
 *   kept (or is given next) and message says what was odd (a date that
 *   cannot be read, say);
 * - a problem: article is NULL, code is a LEDE_E* code; the part of the
 *   file at line was skipped, and message says why.
 */
typedef struct {
    const lede_article *article; /**< valid during the callback only */
    uint64_t line;       /**< line of the decompressed file where the article or
                              problem starts, from 1; 0 if the format has none */
    int code;            /**< 0, or the problem's LEDE_E* code */
    const char *message; /**< warnings and problems: what and why */
    /* Appended (the library makes these events, so a caller built
     * against an older lede.h reads the fields above as before): */
    lede_warning warning; /**< a warning's kind; LEDE_WARN_NONE otherwise */
    /** Bytes of the file read so far (of a gzip file, compressed bytes,
     *  so that it compares with the file's size on disk), for progress. */
    uint64_t bytes_read;
} lede_read_event;

/** Return 0 to go on; anything else stops reading and is returned. */
typedef int (*lede_read_cb)(const lede_read_event *ev, void *payload);

/**
 * Read the articles of one corpus file and give each to cb. A bad part of
 * a many-article file (a malformed JSON line, an over-long record) is
 * reported to cb as a problem and skipped, and reading goes on.
 *
 * Dates come from the format's date field (JSON "date", TREC DATE,
 * Reuters DATE, HTML article:published_time or date meta or <time>) in ISO
 * 8601, RFC 2822, "26-FEB-1987 15:01:01.79" or YYYYMMDD form, or for JSON
 * a number of seconds since 1970. A date that cannot be read is a warning.
 *
 * @return 0 when the whole file was read; otherwise a failure of the file
 *         as a whole, reported after the articles before it were given:
 *         LEDE_ENOTFOUND or LEDE_EIO (cannot open or read), LEDE_EINVAL
 *         (not a regular file, a binary file, bad options), LEDE_ECORRUPT
 *         (damaged gzip data), LEDE_ELIMIT (over max_file_bytes or
 *         max_ratio, or a one-article file over max_article_bytes),
 *         LEDE_ENOMEM, or cb's non-zero value. The message names the file.
 */
LEDE_EXTERN(int)
lede_read_file(const char *path, const lede_read_options *opts, lede_read_cb cb,
               void *payload);

/* ------------------------------------------------------------------------
 * Keeping an index in step with a corpus
 * ------------------------------------------------------------------------ */

/** Counts of a sync. added, updated, deleted and unchanged count
 *  articles (an id a file gives twice once, by what the index ends with);
 *  the rest count input files or bytes. In the counts a sync
 *  returns, added, updated and deleted are those the index keeps: of a
 *  sync that failed, what it committed before; of a rebuild that failed
 *  or was stopped (which keeps nothing), 0. Events carry the counts so
 *  far. */
typedef struct {
    uint64_t added;       /**< new articles */
    uint64_t updated;     /**< articles whose text changed, replaced */
    uint64_t deleted;     /**< articles gone from the corpus, deleted */
    uint64_t unchanged;   /**< articles left as they were */
    uint64_t skipped;     /**< input files not used (each reported) */
    uint64_t errors;      /**< bad parts of files whose rest was used */
    uint64_t files_total; /**< input files found */
    uint64_t files_done;  /**< of those, dealt with so far */
    uint64_t bytes_total; /**< their size on disk */
    /** Of that, dealt with so far: the sizes of the files done, plus the
     *  bytes read of the file being read (of a gzip file, compressed
     *  bytes), so that a rate and the time left can be told within one
     *  large file. A file left before its end (the sync stopped, or the
     *  file failed) counts the bytes read of it, never more than its
     *  size. */
    uint64_t bytes_done;
    uint64_t commits; /**< commits made */
} lede_sync_stats;

typedef enum {
    LEDE_SYNC_PROGRESS, /**< after each file, and within a file every
                             1000 articles or 1 MiB read */
    LEDE_SYNC_SKIPPED,  /**< path was not used: message says why */
    LEDE_SYNC_PROBLEM,  /**< a part of path (at line) was skipped */
    LEDE_SYNC_WARNING,  /**< path was used, with a caveat */
    LEDE_SYNC_IGNORED,  /**< path is not an input: no known format,
                             hidden, left out by a pattern, or a symbolic
                             link not followed */
    LEDE_SYNC_COMMITTED /**< a batch of changes was committed */
} lede_sync_event_kind;

typedef struct {
    lede_sync_event_kind kind;    /**< what happened */
    const char *path;             /**< the file concerned, or NULL */
    uint64_t line;                /**< line in path, from 1; 0 if none */
    const char *message;          /**< why, for skips, problems, warnings */
    const lede_sync_stats *stats; /**< counts so far */
    /* Appended, as in lede_read_event: */
    lede_warning warning; /**< LEDE_SYNC_WARNING: its kind; a
                               LEDE_SYNC_PROBLEM's where it has one
                               (LEDE_WARN_ID_ELSEWHERE); else NONE */
} lede_sync_event;

/** Return 0 to go on; anything else stops the sync after committing the
 *  work done, and lede_index_sync() returns LEDE_EUSER. */
typedef int (*lede_sync_cb)(const lede_sync_event *ev, void *payload);

/** Options of lede_index_sync(). Initialise with LEDE_SYNC_OPTIONS_INIT. */
typedef struct {
    unsigned int version;   /**< LEDE_SYNC_OPTIONS_VERSION */
    lede_read_options read; /**< formats, field names, size limits */
    /** Non-zero: delete the articles of files that vanished, and articles
     *  gone from a file that changed. */
    int delete_vanished;
    /** Non-zero: follow symbolic links whose target is inside the root
     *  (a link out of the root is skipped and reported). Zero: every link
     *  is LEDE_SYNC_IGNORED ("symbolic link, not followed"), not counted
     *  as skipped. Links are
     *  followed after the rest of the tree is walked, and each directory
     *  and file (by device and inode) is visited once: a link to one
     *  already walked or read is skipped and reported, so links can
     *  neither loop nor multiply a corpus. */
    int follow_symlinks;
    /** Articles per commit; 0: 1000. Each commit is atomic. */
    size_t batch;
    lede_sync_cb cb; /**< events, or NULL */
    void *payload;   /**< passed to cb */
    /** (version 2) Threads for lede_index_rebuild(); 0 or 1: one; at
     *  most LEDE_THREADS_MAX. lede_index_sync() always uses one. For
     *  lede_shards_sync() and lede_shards_rebuild(): the shards synced at
     *  once; 0: all. */
    unsigned int threads;
    /* Version 3: */
    /** Which files are taken, by glob patterns matched against a file's
     *  path relative to its root (UTF-8, '/' between directories), as
     *  rsync and ripgrep match theirs: '*', '?' and '[...]' ('[!...]'
     *  negated) match within one path component, '**' across them (and
     *  followed by '/', no directory at all too), '\' quotes the next
     *  character; a pattern without '/' matches a name at any depth, one
     *  with '/' (a leading one is dropped) the path from the root; a
     *  pattern that matches a directory matches every file under it, and
     *  one ending in '/' matches directories only. A file is taken when
     *  it matches one of include (or include has none) and none of
     *  exclude. Files left out are reported as LEDE_SYNC_IGNORED, and
     *  their articles in the index are deleted as a vanished file's are.
     *
     *  The patterns are kept with the index (every shard of a set), like
     *  its settings, and a rebuild keeps them: when include and exclude
     *  are both NULL, the sync uses the stored ones; otherwise the two
     *  lists replace them (a NULL one, or a count of 0, standing for no
     *  patterns: both empty and non-NULL forgets them). LEDE_EINVAL names
     *  a bad pattern (empty, an unclosed '[', not UTF-8). */
    const char *const *include;
    size_t ninclude;            /**< patterns in include */
    const char *const *exclude; /**< see include */
    size_t nexclude;            /**< patterns in exclude */
} lede_sync_options;

#define LEDE_SYNC_OPTIONS_VERSION 3
#define LEDE_SYNC_OPTIONS_INIT                                                 \
    {                                                                          \
        LEDE_SYNC_OPTIONS_VERSION, LEDE_READ_OPTIONS_INIT, 1, 0, 0, NULL,      \
            NULL, 0, NULL, 0, NULL, 0                                          \
    }

/**
 * Bring the index in step with the files under roots (directories, or
 * single files), doing work only for what changed since the last sync:
 *
 * - Every input file (a regular, non-hidden file whose name gives a format,
 *   or any such file when opts->read.format is set) is compared with what
 *   the index remembers of it: size, modification time and a hash of its
 *   content. An unchanged file is not read; a touched file whose content
 *   is the same is read and hashed, and no article is rewritten.
 * - A new or changed file is read; each of its articles is added, or
 *   replaces the article with its id when its text changed (all its
 *   passages), or is left alone when it did not.
 * - An article belongs to the file it was first read from. Another file
 *   that gives the same id does not replace it: that article is refused
 *   (a LEDE_SYNC_PROBLEM naming both files, counted in errors), and the
 *   other file's deletion does not delete it. Once the owning file is
 *   gone or no longer gives the id, the id is free, and the other file's
 *   article takes it when that file is next read (it changed, or a
 *   rebuild). One exception: an id that is a one-article file's own name
 *   belongs to that file even if a feed gave it first (a
 *   LEDE_SYNC_WARNING names the feed).
 * - With delete_vanished, articles of files that are gone, and articles no
 *   longer in a changed file, are deleted. Files under other roots are
 *   never taken for gone.
 * - The article id of a one-article file is its path relative to its root,
 *   without ".gz"; many-article formats carry their own ids.
 *
 * Changes are committed every opts->batch articles and at the end, each
 * commit atomic: a sync that is interrupted (even by kill -9 or power
 * loss) leaves the index at its last commit, and the next sync finishes
 * the job. Bad files and bad parts of files are reported through the
 * callback and never stop the sync.
 *
 * @param stats_out receives the counts (also on failure); may be NULL
 * @param idx   an index open for writing
 * @param roots directories or files, NUL-terminated paths
 * @return 0 (files may have been skipped: see stats_out); LEDE_EUSER (the
 *         callback stopped it; the work so far is committed); LEDE_EINVAL
 *         (NULL argument, read-only index, bad options, a root that does
 *         not exist); LEDE_EINDEX (a commit failed, for example on a full
 *         disk: the index keeps its previous commit); LEDE_ENOMEM.
 */
LEDE_EXTERN(int)
lede_index_sync(lede_sync_stats *stats_out, lede_index *idx,
                const char *const *roots, size_t nroots,
                const lede_sync_options *opts);

/**
 * Build a new index at path from roots and replace the old one with it
 * atomically (Linux renameat2 with RENAME_EXCHANGE; where the file system
 * cannot, two renames, between which path is briefly missing). The new
 * index is built at path + ".rebuild" while the old one's write lock is
 * held; readers of the old index keep working, and see the new one when
 * they next open it. Settings that iopts leaves at their defaults are
 * taken from the old index.
 *
 * With sopts->threads above 1, that many threads build at once, each a
 * shard of its own (path + ".rebuild.0", ".1", ...): the calling thread
 * reads each file once and hands every article to the thread its id
 * hashes to, which indexes it into its shard, and Xapian's compactor then
 * merges the shards into the new index, which comes out compacted. Where
 * there is no index at path, an empty one is made first, to hold the lock.
 * A parallel build is all or nothing: stopped or failed, it leaves the old
 * index (or the empty one) as it was. Events come from all threads, one
 * at a time, with counts summed over them. Searches give the same
 * results and scores as after a build with one thread, except for the
 * order of equal scores (and so which of two equally scored near-
 * duplicates is shown).
 *
 * @return as lede_index_sync(), and LEDE_ELOCKED; LEDE_EIO (the swap
 *         failed: the old index is left in place).
 */
LEDE_EXTERN(int)
lede_index_rebuild(lede_sync_stats *stats_out, const char *path,
                   const lede_index_options *iopts, const char *const *roots,
                   size_t nroots, const lede_sync_options *sopts);

/**
 * Compact the index at path: Xapian's compactor writes a copy with full
 * blocks at path + ".compact", which then replaces the index as
 * lede_index_rebuild() swaps (atomically where the file system can). An
 * index grown by adding articles is several times larger than it needs
 * to be; lede-index compacts after a full build. The write lock is held
 * throughout, waiting as lock_wait_ms says (opts may be NULL: no wait).
 * Needs room for the copy. Searches and results are the same afterwards.
 *
 * @return 0; LEDE_EINVAL (NULL path); LEDE_ENOTFOUND, LEDE_EINDEX (no
 *         index there); LEDE_ELOCKED; LEDE_EIO (the copy or the swap
 *         failed: the index is left as it was); LEDE_ENOMEM.
 */
LEDE_EXTERN(int)
lede_index_compact(const char *path, const lede_index_options *opts);

/**
 * Whether the index's first build is unfinished. A sync that begins on an
 * index holding no article marks it, in the commit of its first batch;
 * lede_index_compact(), the merge that ends a parallel
 * lede_index_rebuild() and lede_shards_compact() clear the mark in the
 * compacted copy they swap in. So an index whose first build was stopped
 * (by the callback, a signal or kill -9, even during the compaction that
 * ends it) stays marked until it is compacted: the next run should finish
 * the sync and compact, as lede-index does. An index made by an older
 * lede has no mark. Reads the last commit, or this handle's changes not
 * yet committed.
 *
 * @param out set to 1 (marked) or 0; 0 on failure
 * @param idx an open index
 * @return 0; LEDE_EINVAL (NULL argument, closed handle); LEDE_EINDEX.
 */
LEDE_EXTERN(int) lede_index_unfinished(int *out, lede_index *idx);

/** Called with each problem lede_index_check() finds; a non-zero return
 *  stops the check. */
typedef int (*lede_check_cb)(const char *problem, void *payload);

/**
 * Verify the index at path: Xapian's own check of every table, then
 * lede's invariants: every stored record decodes; every article has
 * passages 0..n-1, each exactly once, and one first passage; passages
 * that overlap store the same text where they overlap; no two articles
 * share an id; every passage's offsets lie inside its article's text;
 * every remembered source file's record decodes.
 *
 * Xapian's check (libxapian 1.4) trusts some lengths it reads: on some
 * damage to a term list it reads past a buffer or crashes. To vet an
 * index from elsewhere, call this in a process of its own, as
 * lede-index --check does, and take a crash of that process for damage.
 *
 * @param problems_out receives the number of problems found; may be NULL
 * @return 0 when the index is sound; LEDE_ECORRUPT when problems were found
 *         (each given to cb); LEDE_ENOTFOUND or LEDE_EINDEX (cannot open);
 *         LEDE_EIO (this process may not read the index, or may not open
 *         its tables for writing, as Xapian's check does: no problem of
 *         the index); LEDE_ENOMEM; or cb's non-zero value.
 */
LEDE_EXTERN(int)
lede_index_check(uint64_t *problems_out, const char *path, lede_check_cb cb,
                 void *payload);

/* ------------------------------------------------------------------------
 * Shard sets
 *
 * A shard set is a directory holding N ordinary lede indexes, "shard-000",
 * "shard-001", ... (N - 1 in three digits), and a file "XAPIANDB" listing
 * them, one line each ("auto shard-000"): Xapian's stub
 * database format, so Xapian opens the directory as one database. Article
 * id goes to shard fnv1a(id) % N, where fnv1a is the 64-bit FNV-1a hash of
 * the id's bytes (offset basis 14695981039346656037, prime
 * 1099511628211); this assignment is a stable on-disk contract. Every
 * shard has the same settings (language, passages, stopwords), and keeps
 * its own records of the corpus files, so each is synced, locked, checked
 * and resumed after a crash as a single index is. A set is never
 * re-sharded in place: lede_shards_rebuild() builds a new one.
 * ------------------------------------------------------------------------ */

/** The most threads lede_sync_options.threads asks for. */
#define LEDE_THREADS_MAX 64

/** The most shards a set holds. */
#define LEDE_SHARDS_MAX 64
/** The name of shard k's directory in a set, a printf format taking an
 *  unsigned k: "shard-000", ... (three digits, since k < LEDE_SHARDS_MAX,
 *  so the names sort in shard order). */
#define LEDE_SHARD_NAME "shard-%03u"

/**
 * The number of shards of the set at path, from its XAPIANDB.
 *
 * @param out receives the count, or 0 for a set being made (shards there,
 *            XAPIANDB not yet written: a first sync was interrupted)
 * @return 0; LEDE_ENOTFOUND (path is not a shard set: an index, a file,
 *         or nothing); LEDE_ECORRUPT (XAPIANDB lists anything but shard-000,
 *         shard-001, ... in order); LEDE_EINVAL (NULL argument);
 *         LEDE_EIO.
 */
LEDE_EXTERN(int) lede_shards_count(unsigned int *out, const char *path);

/**
 * Bring the shard set at path in step with the files under roots, as
 * lede_index_sync() does an index, creating the set with the given number
 * of shards where there is none. The calling thread walks the roots and
 * reads each file that changed for any shard once, handing each article
 * to the shard its id hashes to; a file's records, the deletion of its
 * vanished articles, and of the articles of vanished files, are each
 * shard's own.
 *
 * Every shard is opened for writing first, in order, which takes its lock
 * (waiting as iopts->lock_wait_ms says): a second writer of the set gets
 * LEDE_ELOCKED and changes nothing. Then the shards are synced at once, by
 * sopts->threads threads beside the reading one (0: one per shard), each
 * indexing its share of the shards. Each shard commits every sopts->batch
 * of its own changes, so a sync interrupted (kill -9 too) leaves every
 * shard at its last commit, and the next sync finishes the job. A new set's
 * XAPIANDB is written (atomically) once its shards exist; until then
 * lede_shards_count() gives 0 and the set is resumed only with its number of
 * shards given. Events come from all threads, one at a time, with counts summed
 * over the shards.
 *
 * @param stats_out receives the counts, summed; may be NULL
 * @param path   the set's directory
 * @param shards the number of shards (1..LEDE_SHARDS_MAX) of a new set;
 *               for an existing set, 0 or its number
 * @param iopts  settings of a new set, checked against an existing one;
 *               lock_wait_ms; mode is ignored. NULL: the defaults
 * @param sopts  as lede_index_sync(); threads bounds the threads
 * @return as lede_index_sync(), the failing shard named in the message,
 *         and: LEDE_EINVAL (shards differs from the set's: re-sharding is
 *         not supported; path is an index or holds other files; too many
 *         shards); LEDE_ENOTFOUND (no set at path and shards is 0);
 *         LEDE_ELOCKED; LEDE_ECORRUPT (a bad XAPIANDB).
 */
LEDE_EXTERN(int)
lede_shards_sync(lede_sync_stats *stats_out, const char *path,
                 unsigned int shards, const lede_index_options *iopts,
                 const char *const *roots, size_t nroots,
                 const lede_sync_options *sopts);

/**
 * Build a new shard set from roots beside the one at path (at path +
 * ".rebuild", all shards at once, as lede_shards_sync() does) and swap it
 * in as lede_index_rebuild() swaps an index, holding every old shard's
 * lock meanwhile. The new set may have another number of shards than the
 * old one, and path may hold an ordinary index, which the set then
 * replaces (or nothing: the set is made in place). Settings iopts leaves
 * open come from the old set (or index). All or nothing: stopped or
 * failed, it leaves what was at path as it was.
 *
 * @param shards the new set's number of shards; 0: the old set's
 * @return as lede_shards_sync(), and LEDE_EIO (the swap failed).
 */
LEDE_EXTERN(int)
lede_shards_rebuild(lede_sync_stats *stats_out, const char *path,
                    unsigned int shards, const lede_index_options *iopts,
                    const char *const *roots, size_t nroots,
                    const lede_sync_options *sopts);

/**
 * Delete articles from the shard set at path, each from the shard its id
 * hashes to, as lede_index_delete() does, and commit. Every shard is
 * opened for writing first, in order, as lede_shards_sync() does (waiting
 * as iopts->lock_wait_ms says), so a second writer gets LEDE_ELOCKED and
 * nothing is deleted. An id in no shard is passed over and the others
 * are deleted all the same. The shards commit one after another: a
 * commit that fails leaves that shard (and the shards after it) as they
 * were, the shards before it committed, each whole.
 *
 * @param deleted_out receives the number of articles deleted; may be NULL
 * @param path  the set's directory
 * @param ids   the article ids; nids of them
 * @param iopts lock_wait_ms; the rest is ignored. NULL: the defaults
 * @return 0; LEDE_ENOTFOUND (no set at path; or some ids are in no shard,
 *         the rest deleted and committed, the message naming the first
 *         and how many); LEDE_EINVAL (a NULL argument or id);
 *         LEDE_ELOCKED; LEDE_ECORRUPT (a bad XAPIANDB); as
 *         lede_index_commit(), the failing shard named in the message.
 */
LEDE_EXTERN(int)
lede_shards_delete(uint64_t *deleted_out, const char *path,
                   const char *const *ids, size_t nids,
                   const lede_index_options *iopts);

/**
 * Merge the shard set at path into one ordinary index, with Xapian's
 * compactor: it is written at path + ".compact" while every shard's lock
 * is held (waiting as opts->lock_wait_ms says; opts may be NULL), then
 * replaces the set as lede_index_compact() swaps. The index holds the
 * same articles, passages and corpus-file records as one synced from the
 * same corpus, and searches give the same results and scores.
 *
 * @return 0; LEDE_EINVAL (NULL path); LEDE_ENOTFOUND (no set at path);
 *         LEDE_ECORRUPT (a bad XAPIANDB); LEDE_ELOCKED; LEDE_EIO (the
 *         merge or the swap failed: the set is left as it was);
 *         LEDE_ENOMEM.
 */
LEDE_EXTERN(int)
lede_shards_compact(const char *path, const lede_index_options *opts);

/**
 * Verify the shard set at path: that XAPIANDB lists exactly the shard
 * directories there, each as lede_index_check() verifies an index, that
 * every article is in the shard its id hashes to and in no other, and
 * that all shards have the same settings. Each problem given to cb starts
 * with the name of the shard concerned ("shard-002: ...").
 *
 * @return as lede_index_check(); LEDE_ENOTFOUND (no set at path).
 */
LEDE_EXTERN(int)
lede_shards_check(uint64_t *problems_out, const char *path, lede_check_cb cb,
                  void *payload);

/**
 * The counts of the shard set at path, summed over its shards, as
 * committed.
 *
 * @param articles_out receives the number of articles; may be NULL
 * @param passages_out receives the number of passages; may be NULL
 * @return 0; LEDE_ENOTFOUND (no set at path); LEDE_ECORRUPT; LEDE_EINDEX
 *         (a shard cannot be read); LEDE_ENOMEM.
 */
LEDE_EXTERN(int)
lede_shards_stat(uint64_t *articles_out, uint64_t *passages_out,
                 const char *path);

/* ------------------------------------------------------------------------
 * Search
 * ------------------------------------------------------------------------ */

/** The result of lede_search(). Opaque. */
typedef struct lede_results lede_results;

/** BM25 defaults, chosen on five judged collections (docs/evaluation.md). */
#define LEDE_DEFAULT_K1 1.2
#define LEDE_DEFAULT_B 0.8
/** BM25 query-word saturation k3: a word said twice counts nearly twice. */
#define LEDE_DEFAULT_K3 100.0

/** Weight of query words found near each other (docs/evaluation.md). */
#define LEDE_DEFAULT_PROXIMITY 0.15
/** Positions two query words may span to count as near. */
#define LEDE_PROXIMITY_WINDOW 4

/** Weight of a title match against a body match (docs/evaluation.md). */
#define LEDE_DEFAULT_TITLE_WEIGHT 0.5
/** Words of a snippet. */
#define LEDE_DEFAULT_SNIPPET_WORDS 30

/** Flags of lede_search_options.flags. */
enum {
    /** Words of the query not joined by an operator must all match (AND);
     *  without it, any may (OR, ranked). */
    LEDE_SEARCH_ALL = 1 << 0,
    /** Do not fold near-duplicate articles into the best of them. */
    LEDE_SEARCH_NO_DEDUP = 1 << 1,
    /** Newest first (articles without a date last), then by score. */
    LEDE_SEARCH_SORT_DATE = 1 << 2,
    /** Compute lede_results_explain() for every passage. */
    LEDE_SEARCH_EXPLAIN = 1 << 3,
    /** The query is plain text: its words are searched, and quotes,
     *  operators, fields and signs are not read (for queries written as
     *  sentences, such as test collections' topics). */
    LEDE_SEARCH_PLAIN = 1 << 4,
    /** Search the query's common English words ("the", "of": the 33 of
     *  LEDE_STOPWORDS) too. Without it they are left out where they stand
     *  alone (words of phrases are kept), unless the query has nothing
     *  else; an index built without them never has them. */
    LEDE_SEARCH_KEEP_STOPWORDS = 1 << 5,
    /** Results carry article ids and scores only: titles, texts and URLs
     *  are "", offsets and ordinals 0, dates LEDE_NO_DATE, and there are
     *  no highlights or snippets. Much faster for long result lists
     *  (evaluation runs). */
    LEDE_SEARCH_IDS_ONLY = 1 << 6,
    /** Results carry everything but highlights: the query's words are not
     *  looked for in the texts (about a third of a search's time with the
     *  defaults), lede_results_highlights() gives none, and
     *  lede_results_snippet() gives the whole passage. For programs that
     *  show texts their own way. */
    LEDE_SEARCH_NO_HIGHLIGHTS = 1 << 7,
    /** Count the matching articles exactly (lede_results_estimated(),
     *  lede_results_exact()): every match is looked at, which takes time
     *  in proportion to their number. Without it the count is exact when
     *  at most 500 passages match, and estimated beyond. */
    LEDE_SEARCH_COUNT = 1 << 8
};

/** The 33 English stop words of Lucene's EnglishAnalyzer, which Anserini's
 *  BM25 baselines use; lede_search() leaves them out of queries unless
 *  LEDE_SEARCH_KEEP_STOPWORDS. */
#define LEDE_STOPWORDS                                                         \
    "a an and are as at be but by for if in into is it no not of on or "       \
    "such that the their then there these they this to was will with"

/** How lede_search() weighs a term. */
typedef enum {
    /** Xapian's BM25 (BM25Weight with k2 = 0, k3 = 1, min_normlen = 0.5):
     *  idf = log((N - df + 0.5) / (df + 0.5)), kept above zero. */
    LEDE_WEIGHT_BM25 = 0,
    /** Lucene's BM25 (as Lucene 8 and later compute it, and Anserini
     *  uses): idf = log(1 + (N - df + 0.5) / (df + 0.5)), document lengths
     *  rounded to Lucene's one-byte norms, a repeated query word counted
     *  as many times as it is given. */
    LEDE_WEIGHT_BM25_LUCENE = 1
} lede_weighting;

/** Options of lede_search(). Initialise with LEDE_SEARCH_OPTIONS_INIT. */
typedef struct {
    unsigned int version;     /**< LEDE_SEARCH_OPTIONS_VERSION */
    size_t limit;             /**< passages to return (at most 10000) */
    size_t offset;            /**< passages to skip first, for paging (at
                                   most LEDE_SEARCH_OFFSET_MAX) */
    double k1;                /**< BM25 term-frequency saturation, >= 0;
                                   below 1e-6 taken as 1e-6 */
    double b;                 /**< BM25 length normalisation, 0..1 */
    unsigned int per_article; /**< passages per article at most; 0: all.
                                   With 1, an article that matches only
                                   through its title (no word of the query
                                   in the best passage's text) shows its
                                   first passage, with the best passage's
                                   score and explanation */
    /* Version 2: */
    unsigned int flags;         /**< LEDE_SEARCH_* flags */
    double title_weight;        /**< weight of title matches, >= 0; 0: titles
                                     are not searched unless asked (title:) */
    int64_t date_from;          /**< only articles dated at or after this
                                     (seconds since 1970), or LEDE_NO_DATE */
    int64_t date_to;            /**< only articles dated at or before this, or
                                     LEDE_NO_DATE */
    unsigned int snippet_words; /**< words of a snippet; 0: the default */
    /* Version 3: */
    lede_weighting weighting; /**< the BM25 variant */
    double k3; /**< LEDE_WEIGHT_BM25's query-word saturation, >= 0: a word
                    given n times weighs (k3 + 1) n / (k3 + n) times one */
    /** Weight, >= 0, of two words next to each other in the query found
     *  within LEDE_PROXIMITY_WINDOW words of each other in a passage: such
     *  a passage scores this much of the pair's weight again. 0: word
     *  order and nearness do not count. */
    double proximity;
    /* Version 4: */
    /** The search's time budget in milliseconds; 0: none. A search that
     *  runs over it fails with LEDE_ELIMIT rather than return what it had
     *  found by then. */
    unsigned int max_time_ms;
    /* Version 5: */
    /** Threads that search a set of local shards at once, each over a
     *  part of its shards, with the whole set's statistics: the results
     *  are those of one thread (the same hits, order and scores). 0: one
     *  per shard, at most one per online CPU; 1 (the default): one
     *  thread; N: at most N, and at most one per shard. An index of one
     *  database, and a set with a remote shard, is searched by one
     *  thread. More threads cost more work in all (each runs the query
     *  over the whole set): they pay only where cores are idle. */
    unsigned int threads;
    /* Version 6: */
    /** Facets to count over every matching article, comma-separated:
     *  field names ("section,author") and date buckets ("date:year",
     *  "date:month", "date:day"); NULL or "": none, and no cost. An
     *  unknown field is LEDE_EINVAL naming the index's fields. Read them
     *  with lede_results_facet_count() and lede_results_facet(). */
    const char *facets;
    /** Values kept per field facet, the most frequent; 0: 20, at most
     *  LEDE_FACET_LIMIT_MAX. Date facets keep every bucket. */
    unsigned int facet_limit;
    /** Related stories: the id of an article to find the articles most
     *  like. The query is then made of that article's most distinctive
     *  words (Xapian's expand set over its passages, LEDE_LIKE_TERMS of
     *  them); the article itself and its near-duplicates are left out,
     *  and the query text, which may be empty, only narrows ("section:
     *  politics date:2019", or words that must be there). NULL: none. An
     *  id the index lacks is LEDE_ENOTFOUND. */
    const char *like;
} lede_search_options;

#define LEDE_SEARCH_OPTIONS_VERSION 6
#define LEDE_SEARCH_OPTIONS_INIT                                               \
    {                                                                          \
        LEDE_SEARCH_OPTIONS_VERSION, 10, 0, LEDE_DEFAULT_K1, LEDE_DEFAULT_B,   \
            1, 0, LEDE_DEFAULT_TITLE_WEIGHT, LEDE_NO_DATE, LEDE_NO_DATE, 0,    \
            LEDE_WEIGHT_BM25, LEDE_DEFAULT_K3, LEDE_DEFAULT_PROXIMITY, 0, 1,   \
            NULL, 0, NULL                                                      \
    }

/** Facets: the default and the largest facet_limit, and the most facets
 *  one search may ask for. */
#define LEDE_DEFAULT_FACET_LIMIT 20
#define LEDE_FACET_LIMIT_MAX 10000
#define LEDE_FACETS_MAX 16
/** The words of a related-stories query (lede_search_options.like). */
#define LEDE_LIKE_TERMS 25

/** The most passages one search returns. */
#define LEDE_SEARCH_LIMIT_MAX 10000
/** The most passages a search may skip: a deeper page costs a search of
 *  all the passages before it, so one query could take the memory and
 *  time of a whole index. */
#define LEDE_SEARCH_OFFSET_MAX 100000

/** The longest query, in bytes, and the most words one may hold. */
#define LEDE_QUERY_MAX_BYTES 8192
#define LEDE_QUERY_MAX_WORDS 256
/** A prefix (summ*) matches at most this many of the index's words, the
 *  most frequent. */
#define LEDE_PREFIX_MAX_EXPANSION 100
/** Parentheses nest at most this deep: deeper is LEDE_EINVAL. */
#define LEDE_QUERY_MAX_DEPTH 64
/** The most words in one phrase, and the most extra words its ~N may
 *  allow: a phrase is checked position by position in every passage
 *  holding all its words, and the work grows with both. More is
 *  LEDE_EINVAL. */
#define LEDE_PHRASE_MAX_WORDS 32
#define LEDE_PHRASE_MAX_SLOP 100
/** To find the most frequent words of a prefix, lede reads every term and
 *  every word of the spelling data that starts with it, in each field
 *  searched: a prefix matching more than LEDE_PREFIX_MAX_SCAN of either,
 *  or the query's prefixes reading more than LEDE_QUERY_MAX_SCAN entries
 *  in all, is LEDE_ELIMIT. Each distinct prefix is read once per query. */
#define LEDE_PREFIX_MAX_SCAN 20000
#define LEDE_QUERY_MAX_SCAN 100000

/**
 * Search the index. The query language:
 *
 * - words: ranked by BM25, any of them (OR) unless LEDE_SEARCH_ALL; each
 *   goes through the index's tokenizer and stemmer, so "summits" finds
 *   "summit"; a word the tokenizer splits ("well-known", Chinese text)
 *   is a phrase;
 * - "a phrase", and "a phrase"~N for its words within N extra words of
 *   each other, in any order;
 * - +word must match, -word must not (also +"phrase", -(group));
 * - title:word, title:"phrase", title:prefix*: in the title only;
 * - summ*: words starting with summ, as their stems (at most
 *   LEDE_PREFIX_MAX_EXPANSION terms, the most frequent);
 * - date:2018, date:2018-06, date:2018-06-12, and ranges
 *   date:2018-06-01..2018-06-30, date:2018.., date:..2019;
 * - AND, OR, NOT (upper case) and parentheses; AND and NOT bind tighter
 *   than OR, and both tighter than words side by side; "a AND NOT b" and
 *   "a AND -b" are "a NOT b".
 *
 * A field is an ASCII name (a letter, then letters, digits or '_')
 * directly followed by ':' and a term; any other field than title: and
 * date: is an error ("author:x"), and any other colon is text ("10:30",
 * "http://x").
 *
 * Unless title_weight is 0, a word or phrase also matches the titles of
 * articles, weighted by title_weight, so every passage of an article whose
 * title holds the query's words ranks higher; an excluded word excludes
 * articles whose title holds it.
 *
 * @param out    receives the results, ranked best first; the caller
 *               releases them with lede_results_free(). NULL on failure.
 * @param idx    the index (any mode)
 * @param query  NUL-terminated UTF-8 query
 * @param opts   options, or NULL for LEDE_SEARCH_OPTIONS_INIT
 * @return 0, also when nothing matched (see lede_results_count() and
 *         lede_results_suggestion()); LEDE_EINVAL (NULL argument, bad
 *         options, or a query that cannot be read: the message says what
 *         is wrong and at which column, counted in characters from 1);
 *         LEDE_EINDEX (also a shard of a set whose server failed or did
 *         not answer in time, named in the message; with allow_partial
 *         the search is run again without it, see lede_results_missing());
 *         LEDE_ECORRUPT; LEDE_ENOMEM. LEDE_EINVAL also for
 *         LEDE_WEIGHT_BM25_LUCENE on a shard set with remote shards.
 *         LEDE_ELIMIT: the query's prefixes would read more of the index
 *         than LEDE_PREFIX_MAX_SCAN or LEDE_QUERY_MAX_SCAN allow (the
 *         column is named), or the search ran over opts->max_time_ms.
 */
LEDE_EXTERN(int)
lede_search(lede_results **out, lede_index *idx, const char *query,
            const lede_search_options *opts);

/**
 * As lede_search(), for a query of len bytes that need not be
 * NUL-terminated: the form for queries that come from elsewhere (a
 * network request, a file, another language's string). A query holding a
 * NUL byte is refused (LEDE_EINVAL, with its column) rather than cut
 * there, so that nothing appended after user input is silently dropped.
 */
LEDE_EXTERN(int)
lede_search_n(lede_results **out, lede_index *idx, const char *query,
              size_t len, const lede_search_options *opts);

/**
 * How lede reads a query, as an S-expression: for example
 * `(OR summit (SCALE 1 title:summit))`. Operators: OR, AND, AND_NOT,
 * AND_MAYBE, FILTER, (PHRASE w ...), (NEAR w ...), (SCALE f ...),
 * (DATE from to), ALL, NONE; terms are shown stemmed, title terms with
 * "title:", and a term given n > 1 times as term^n. For debugging
 * queries, and for tests.
 *
 * @param out  receives the text; the caller frees it with lede_free()
 * @return as lede_search() for the query's errors.
 */
LEDE_EXTERN(int)
lede_query_describe(char **out, lede_index *idx, const char *query,
                    const lede_search_options *opts);

/** As lede_query_describe(), for a query of len bytes (see
 *  lede_search_n()). */
LEDE_EXTERN(int)
lede_query_describe_n(char **out, lede_index *idx, const char *query,
                      size_t len, const lede_search_options *opts);

/** Release search results. NULL is a no-op. */
LEDE_EXTERN(void) lede_results_free(lede_results *res);

/** Number of passages in res (0 if res is NULL). */
LEDE_EXTERN(size_t) lede_results_count(const lede_results *res);

/** The number of articles the query matches, whatever per_article is:
 *  every matching article counts, near-duplicates folded into another
 *  (lede_results_similar()) too, so that with per_article 1 the results
 *  and their similar counts over all pages add up to it. Exact when
 *  lede_results_exact() says so (always with LEDE_SEARCH_COUNT), else an
 *  estimate, rounded as Xapian rounds, never above the number of articles
 *  in the index. With per_article 1, a search whose page reaches the last
 *  result has seen every match, and its count is exact. 0 if res is
 *  NULL. */
LEDE_EXTERN(uint64_t) lede_results_estimated(const lede_results *res);

/** Non-zero when lede_results_estimated() is the exact count; 0 when it is
 *  an estimate, or res is NULL. */
LEDE_EXTERN(int) lede_results_exact(const lede_results *res);

/** The number of shards of a shard set left out of this search (with
 *  allow_partial): the results are partial. 0 if res is NULL. */
LEDE_EXTERN(size_t) lede_results_missing_count(const lede_results *res);

/** The i-th shard left out of this search, as its stub line reads
 *  ("remote 10.0.0.2:7000"), or NULL when i is out of range. Borrowed from
 *  res. */
LEDE_EXTERN(const char *)
lede_results_missing(const lede_results *res, size_t i);

/** The query with its misspelt words replaced by the closest words of the
 *  index ("Singapre sumit" gives "singapore summit"), or NULL when there
 *  is none: offered whether or not something matched, for a word the
 *  index lacks, and for a word found in at most 3 passages when a word
 *  one edit away is at least 20 times as frequent. Borrowed from res. */
LEDE_EXTERN(const char *) lede_results_suggestion(const lede_results *res);

/** Why nothing is shown, when the index can tell: an offset past the last
 *  result although articles match ("offset 126 is past the last result:
 *  126 results, as 129 matching articles include 3 near-duplicates folded
 *  into others", or "... (the query matches about 500 articles)"); a
 *  query with dates on an index whose articles have none ("no article in
 *  the index has a date"), or whose dates all fall outside the range
 *  asked for (the message gives the index's first and last day). NULL
 *  otherwise. Borrowed from res. */
LEDE_EXTERN(const char *) lede_results_note(const lede_results *res);

/*
 * Accessors of the i-th passage, 0 <= i < lede_results_count(res). An index
 * out of range (or a NULL res) gives NULL, 0, 0.0 or LEDE_NO_DATE. Strings
 * are borrowed from res and NUL-terminated. Thread-safe: any number of
 * threads may read the same results at once.
 */

/** BM25 score of the passage. */
LEDE_EXTERN(double) lede_results_score(const lede_results *res, size_t i);
/** Id of the passage's article. */
LEDE_EXTERN(const char *)
lede_results_article_id(const lede_results *res, size_t i);
/** Title of the passage's article ("" if it has none). */
LEDE_EXTERN(const char *) lede_results_title(const lede_results *res, size_t i);
/** Ordinal of the passage in its article, from 0 (see per_article for
 *  articles that match only through their title). */
LEDE_EXTERN(unsigned int)
lede_results_passage(const lede_results *res, size_t i);
/** Byte offset in the article body where the passage starts. */
LEDE_EXTERN(size_t) lede_results_start(const lede_results *res, size_t i);
/** Byte offset in the article body where the passage ends (exclusive). */
LEDE_EXTERN(size_t) lede_results_end(const lede_results *res, size_t i);
/** Text of the passage: body bytes [start, end). */
LEDE_EXTERN(const char *) lede_results_text(const lede_results *res, size_t i);
/** Date of the passage's article (seconds since 1970 UTC), or
 *  LEDE_NO_DATE. */
LEDE_EXTERN(int64_t) lede_results_date(const lede_results *res, size_t i);
/** URL of the passage's article, or "" if it has none. */
LEDE_EXTERN(const char *) lede_results_url(const lede_results *res, size_t i);
/**
 * The field values of the passage's article, in the order they were
 * given, as written; *n_out receives their number (0 when it has none, or
 * i is out of range, or res is NULL, and then NULL is returned).
 * Borrowed from res.
 */
LEDE_EXTERN(const lede_field *)
lede_results_fields(const lede_results *res, size_t i, size_t *n_out);
/** Near-duplicates folded into this passage's article (0 with
 *  LEDE_SEARCH_NO_DEDUP): the matching passages of other articles whose
 *  text is nearly the same, counted among the best matches fetched for
 *  the page (at least 1.5 * (offset + limit) + 4, more when folding
 *  left the page short), so a deeper page may count more. With
 *  per_article above 1 it counts passages. */
LEDE_EXTERN(unsigned int)
lede_results_similar(const lede_results *res, size_t i);

/** A byte range [start, end). */
typedef struct {
    size_t start; /**< first byte */
    size_t end;   /**< one past the last byte */
} lede_span;

/**
 * Where the query matched in the passage text (lede_results_text()): byte
 * ranges, in order, not overlapping, each a whole word as indexed
 * ("summits" for summit) or a whole phrase. *n_out receives their number.
 * Borrowed from res; NULL (and 0) when there are none.
 */
LEDE_EXTERN(const lede_span *)
lede_results_highlights(const lede_results *res, size_t i, size_t *n_out);

/**
 * The snippet of the passage: about snippet_words words around the
 * densest cluster of matches, cut at word boundaries, with "…" where text
 * was cut, each run of white space (line and paragraph breaks too) made one
 * space, and each highlight wrapped in hi_start and hi_end (either may be
 * NULL for nothing). A passage without text (an article that is only a
 * title) gives "".
 *
 * @param out  receives the text; the caller frees it with lede_free()
 * @return 0; LEDE_EINVAL (NULL argument, i out of range); LEDE_ENOMEM.
 */
LEDE_EXTERN(int)
lede_results_snippet(char **out, const lede_results *res, size_t i,
                     const char *hi_start, const char *hi_end);

/** One term's share of a passage's score (LEDE_SEARCH_EXPLAIN). */
typedef struct {
    const char *term; /**< the term, stemmed; title terms as "title:word",
                           a proximity pair's as "near:word" */
    uint64_t tf;      /**< times in the passage (within-document frequency) */
    uint64_t df;      /**< passages holding it */
    double idf;       /**< BM25 idf, as Xapian computes it */
    uint64_t length;  /**< the passage's length in words */
    double weight;    /**< its share of the score; the shares sum to it */
} lede_explain;

/**
 * The terms that make up the passage's score, when the search had
 * LEDE_SEARCH_EXPLAIN; their weights sum to lede_results_score(). Borrowed
 * from res; NULL (and 0) without LEDE_SEARCH_EXPLAIN.
 */
LEDE_EXTERN(const lede_explain *)
lede_results_explain(const lede_results *res, size_t i, size_t *n_out);

/** One value of a facet and the number of matching articles holding it. */
typedef struct {
    const char *value; /**< in the form most of its matching articles
                            give (ties: the first in byte order); a date
                            bucket as "2018", "2018-06" or "2018-06-12" */
    uint64_t articles; /**< matching articles with this value */
} lede_facet_value;

/** The number of facets the search counted (as lede_search_options.facets
 *  asked for them, in that order); 0 for NULL. */
LEDE_EXTERN(size_t) lede_results_facet_count(const lede_results *res);

/**
 * Facet f (0 <= f < lede_results_facet_count()): its name as asked
 * ("section", "date:month") in *name_out, the number of distinct values
 * among the matches in *distinct_out (either may be NULL), and its values
 * kept: a field's most frequent first (ties by value), a date facet's
 * buckets in date order. Values are counted as a filter on them matches:
 * "Alex Wong" and "alex  wong" are one. The counts are of matching
 * articles, every one counted (near-duplicates folded out of the page
 * too), as lede_results_estimated() counts them, and exact; articles
 * without a value or a date count in none. *n_out receives the number kept.
 * Borrowed from res; NULL (and 0) when f is out of range.
 */
LEDE_EXTERN(const lede_facet_value *)
lede_results_facet(const lede_results *res, size_t f, const char **name_out,
                   uint64_t *distinct_out, size_t *n_out);

#ifdef __cplusplus
}
#endif

#endif /* LEDE_H */
