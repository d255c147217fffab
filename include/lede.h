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
 * - Threads. A handle is used by one thread at a time; separate handles are
 *   independent and may be used from different threads at once.
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

/** The version of this header, as a string. */
#define LEDE_VERSION "0.1.0"
/** The version of this header as 0xMMmmpp; compare with >=. */
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
    LEDE_EIO = -9        /**< reading or writing a file failed */
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
#define LEDE_DEFAULT_PASSAGE_WORDS 100
#define LEDE_DEFAULT_PASSAGE_OVERLAP 1

/** Options of lede_index_open(). Initialise with LEDE_INDEX_OPTIONS_INIT. */
typedef struct {
    unsigned int version; /**< LEDE_INDEX_OPTIONS_VERSION */
    lede_open_mode mode;  /**< read, write or create */
    /** Stemming language of a new index: any name or ISO code Xapian's
     *  stemmer knows ("english", "fr", ...) or "none". NULL: the index's
     *  own language, or LEDE_DEFAULT_LANGUAGE for a new index. A language
     *  different from an existing index's is LEDE_EINVAL. */
    const char *language;
    /** Word cap of a passage; 0: the index's own, or the default. */
    unsigned int passage_words;
    /** Sentences shared by consecutive passages of a paragraph; negative:
     *  the index's own, or the default. */
    int passage_overlap;
} lede_index_options;

#define LEDE_INDEX_OPTIONS_VERSION 1
#define LEDE_INDEX_OPTIONS_INIT                                                \
    {                                                                          \
        LEDE_INDEX_OPTIONS_VERSION, LEDE_OPEN_READ, NULL, 0, -1                \
    }

/**
 * Open the index at path, or create it (mode LEDE_OPEN_CREATE).
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
 * @return 0; LEDE_EINVAL (NULL argument, unknown language or options
 *         version, or options that contradict the index); LEDE_ENOTFOUND
 *         (no index at path, in read or write mode); LEDE_EINDEX (path is
 *         not a lede index, or Xapian failed); LEDE_ELOCKED; LEDE_ENOMEM.
 */
LEDE_EXTERN(int)
lede_index_open(lede_index **out, const char *path,
                const lede_index_options *opts);

/** Close the index. Changes not committed with lede_index_commit() are
 *  discarded. NULL is a no-op. */
LEDE_EXTERN(void) lede_index_free(lede_index *idx);

/** One article to index. Initialise with LEDE_ARTICLE_INIT. */
typedef struct {
    unsigned int version; /**< LEDE_ARTICLE_VERSION */
    const char *id;       /**< unique, non-empty, NUL-terminated UTF-8 */
    const char *title;    /**< may be NULL if title_len is 0 */
    size_t title_len;     /**< bytes of title */
    const char *body;     /**< may be NULL if body_len is 0 */
    size_t body_len;      /**< bytes of body */
} lede_article;

#define LEDE_ARTICLE_VERSION 1
#define LEDE_ARTICLE_INIT                                                      \
    {                                                                          \
        LEDE_ARTICLE_VERSION, NULL, NULL, 0, NULL, 0                           \
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
 * lede_index_commit(); until then it is held in memory.
 *
 * @return 0; LEDE_EINVAL (NULL argument, read-only handle, empty, too long
 *         or invalid UTF-8 id, unknown article version); LEDE_EINDEX;
 *         LEDE_ENOMEM.
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
 * @return 0; LEDE_EINVAL (NULL or read-only handle); LEDE_EINDEX (for
 *         example, the disk is full: the index keeps its previous commit).
 */
LEDE_EXTERN(int) lede_index_commit(lede_index *idx);

/** Counts and settings of an index. */
typedef struct {
    uint64_t articles;          /**< articles in the index */
    uint64_t passages;          /**< passages (Xapian documents) */
    const char *language;       /**< stemming language, borrowed from idx */
    unsigned int passage_words; /**< passage word cap */
    int passage_overlap;        /**< passage overlap in sentences */
} lede_index_info;

/**
 * Fill *out with the index's counts (including uncommitted changes of this
 * handle) and settings. Strings are borrowed from idx.
 * @return 0; LEDE_EINVAL (NULL argument); LEDE_EINDEX.
 */
LEDE_EXTERN(int) lede_index_stat(lede_index_info *out, lede_index *idx);

/* ------------------------------------------------------------------------
 * Search
 * ------------------------------------------------------------------------ */

/** The result of lede_search(). Opaque. */
typedef struct lede_results lede_results;

/** BM25 defaults: k1=0.9, b=0.4, as in Anserini and PISA (README). */
#define LEDE_DEFAULT_K1 0.9
#define LEDE_DEFAULT_B 0.4

/** Options of lede_search(). Initialise with LEDE_SEARCH_OPTIONS_INIT. */
typedef struct {
    unsigned int version;     /**< LEDE_SEARCH_OPTIONS_VERSION */
    size_t limit;             /**< passages to return (at most 10000) */
    size_t offset;            /**< passages to skip first, for paging */
    double k1;                /**< BM25 term-frequency saturation, >= 0 */
    double b;                 /**< BM25 length normalisation, 0..1 */
    unsigned int per_article; /**< passages per article at most; 0: all */
} lede_search_options;

#define LEDE_SEARCH_OPTIONS_VERSION 1
#define LEDE_SEARCH_OPTIONS_INIT                                               \
    {                                                                          \
        LEDE_SEARCH_OPTIONS_VERSION, 10, 0, LEDE_DEFAULT_K1, LEDE_DEFAULT_B, 1 \
    }

/** The most passages one search returns. */
#define LEDE_SEARCH_LIMIT_MAX 10000

/**
 * Search the index. The query is free text: its words go through the same
 * tokenizer and stemmer as the index, and passages are ranked by BM25 over
 * the OR of them.
 *
 * @param out    receives the results, ranked best first; the caller
 *               releases them with lede_results_free(). NULL on failure.
 * @param idx    the index (any mode)
 * @param query  NUL-terminated UTF-8 query
 * @param opts   options, or NULL for LEDE_SEARCH_OPTIONS_INIT
 * @return 0, also when nothing matched (see lede_results_count());
 *         LEDE_EINVAL (NULL argument, invalid UTF-8 in the query (the
 *         message gives its byte position), a query with no words, bad
 *         options); LEDE_EINDEX; LEDE_ECORRUPT; LEDE_ENOMEM.
 */
LEDE_EXTERN(int)
lede_search(lede_results **out, lede_index *idx, const char *query,
            const lede_search_options *opts);

/** Release search results. NULL is a no-op. */
LEDE_EXTERN(void) lede_results_free(lede_results *res);

/** Number of passages in res (0 if res is NULL). */
LEDE_EXTERN(size_t) lede_results_count(const lede_results *res);

/** Estimated number of matching passages in the index, after the
 *  per-article limit (0 if res is NULL). */
LEDE_EXTERN(uint64_t) lede_results_estimated(const lede_results *res);

/*
 * Accessors of the i-th passage, 0 <= i < lede_results_count(res). An index
 * out of range (or a NULL res) gives NULL, 0 or 0.0. Strings are borrowed
 * from res and NUL-terminated.
 */

/** BM25 score of the passage. */
LEDE_EXTERN(double) lede_results_score(const lede_results *res, size_t i);
/** Id of the passage's article. */
LEDE_EXTERN(const char *)
lede_results_article_id(const lede_results *res, size_t i);
/** Title of the passage's article ("" if it has none). */
LEDE_EXTERN(const char *) lede_results_title(const lede_results *res, size_t i);
/** Ordinal of the passage in its article, from 0. */
LEDE_EXTERN(unsigned int)
lede_results_passage(const lede_results *res, size_t i);
/** Byte offset in the article body where the passage starts. */
LEDE_EXTERN(size_t) lede_results_start(const lede_results *res, size_t i);
/** Byte offset in the article body where the passage ends (exclusive). */
LEDE_EXTERN(size_t) lede_results_end(const lede_results *res, size_t i);
/** Text of the passage: body bytes [start, end). */
LEDE_EXTERN(const char *) lede_results_text(const lede_results *res, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* LEDE_H */
