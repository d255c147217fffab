/*
 * lede_int.h - contracts between liblede's modules. Not installed.
 *
 * One section per .c file, in dependency order. A module calls another
 * only through the declarations here; the C++ shim's contract lives in
 * xapian_shim.h.
 */
#ifndef LEDE_INT_H
#define LEDE_INT_H

#include "lede.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define LEDE__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LEDE__PRINTF(f, a)
#endif

/* ---- alloc.c: every allocation of the library goes through here -------- */

void *lede__malloc(size_t n);
void *lede__calloc(size_t count, size_t n);
void *lede__realloc(void *p, size_t n);
void lede__free(void *p);
/* NUL-terminated copy of n bytes of s; NULL when out of memory. */
char *lede__strndup(const char *s, size_t n);

/* ---- error.c: thread-local last error ----------------------------------- */

/* Record a message for lede_error_last() and return code (negative). */
int lede__error_set(int code, const char *fmt, ...) LEDE__PRINTF(2, 3);
/* Same message format, already-started va_list. */
int lede__error_setv(int code, const char *fmt, va_list ap);
/* Record "out of memory" and return LEDE_ENOMEM. */
int lede__error_nomem(void);

/* ---- buf.c: growable byte buffer, varints, UTF-8 --------------------------
 */

typedef struct {
    char *data; /* bytes; NUL-terminated after every put, NULL when empty */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
} lede__buf;
#define LEDE__BUF_INIT                                                         \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

int lede__buf_reserve(lede__buf *b, size_t extra);
int lede__buf_put(lede__buf *b, const void *p, size_t n);
int lede__buf_putc(lede__buf *b, char c);
int lede__buf_puts(lede__buf *b, const char *s);
int lede__buf_printf(lede__buf *b, const char *fmt, ...) LEDE__PRINTF(2, 3);
void lede__buf_clear(lede__buf *b);
void lede__buf_free(lede__buf *b);

/* LEB128 unsigned varints, used by the stored-record format. */
int lede__buf_put_varint(lede__buf *b, uint64_t v);
/* Read a varint at *p (< end); advances *p. -1 on truncated input. */
int lede__varint_get(uint64_t *out, const unsigned char **p,
                     const unsigned char *end);

/* Byte offset of the first ill-formed UTF-8 sequence or NUL byte in s, or
 * len if there is none. */
size_t lede__utf8_check(const char *s, size_t len);
/* Append s to out, replacing each maximal ill-formed subsequence and each
 * NUL byte with U+FFFD. *replaced_out (may be NULL) counts replacements. */
int lede__utf8_sanitize(lede__buf *out, const char *s, size_t len,
                        size_t *replaced_out);

/* ---- tokenize.c: ICU word breaks and case folding --------------------------
 */

/* Words longer than this after folding are skipped (Xapian caps a term at
 * 245 bytes; longer words are nearly always junk such as base64). */
#define LEDE__TOKEN_MAX 64

typedef struct {
    const char *term; /* folded word, not NUL-terminated */
    size_t len;       /* bytes of term */
    size_t start;     /* byte offset of the word in the input */
    size_t end;       /* byte offset just after the word */
    uint32_t pos;     /* 1-based word position; skipped words count too */
} lede__token;

typedef int (*lede__token_fn)(const lede__token *tok, void *payload);

typedef struct lede__tokenizer lede__tokenizer;

int lede__tokenizer_new(lede__tokenizer **out);
void lede__tokenizer_free(lede__tokenizer *t);
/* Tokenize text; calls fn for each kept word. A non-zero return of fn
 * stops and is returned. Not reentrant per tokenizer. */
int lede__tokenizer_run(lede__tokenizer *t, const char *text, size_t len,
                        lede__token_fn fn, void *payload);

/* ---- segment.c: passages from paragraphs and sentences ---------------------
 */

typedef struct {
    size_t start; /* byte offset of a word */
    size_t end;   /* exclusive */
} lede__span;

typedef struct {
    size_t start;     /* byte offset of the passage in the body */
    size_t end;       /* exclusive */
    size_t tok_begin; /* first token (index into the token array) */
    size_t tok_end;   /* one past the last token */
} lede__passage;

typedef struct {
    unsigned int max_words; /* word cap of a passage (>= 1) */
    unsigned int overlap;   /* sentences shared by consecutive windows */
} lede__segment_opts;

typedef struct lede__segmenter lede__segmenter;

/* lang: a stemming language name or code; picks the ICU sentence rules
 * (abbreviation suppressions) when ICU has them. */
int lede__segmenter_new(lede__segmenter **out, const char *lang);
void lede__segmenter_free(lede__segmenter *s);
/* Split text into passages. toks: the byte spans of the text's words, in
 * order (ntok of them). On success *out is an array the caller frees with
 * lede__free() (NULL when *n_out is 0). */
int lede__segment(lede__passage **out, size_t *n_out, lede__segmenter *s,
                  const char *text, size_t len, const lede__span *toks,
                  size_t ntok, const lede__segment_opts *opts);

/* ---- store.c: stored passage records ---------------------------------------
 */

typedef struct {
    uint32_t ordinal;  /* passage ordinal in its article */
    uint64_t start;    /* passage byte offsets in the body */
    uint64_t end;      /* exclusive */
    int has_article;   /* non-zero: title and body below are present */
    const char *title; /* article title (not NUL-terminated) */
    size_t title_len;  /* bytes of title */
    const char *body;  /* article body */
    size_t body_len;   /* bytes of body */
} lede__record;

/* Append the stored form of r to out (body compressed with zlib). */
int lede__record_encode(lede__buf *out, const lede__record *r);
/* Parse data into r. Title and body point into data or into scratch
 * (which receives the decompressed body); both must outlive r. Returns
 * LEDE_ECORRUPT on malformed input. */
int lede__record_decode(lede__record *r, lede__buf *scratch, const char *data,
                        size_t len);

/* ---- query.c: query text -> query tree ------------------------------------
 */

typedef enum {
    LEDE__Q_TERM, /* one term */
    LEDE__Q_OR,   /* any child; scores add up */
    LEDE__Q_AND   /* every child */
} lede__qop;

typedef struct lede__qnode {
    lede__qop op;                    /* what this node does */
    const char *term;                /* LEDE__Q_TERM: the term */
    size_t len;                      /* bytes of term */
    uint32_t wqf;                    /* LEDE__Q_TERM: times in the query */
    const struct lede__qnode **kids; /* children of an operator */
    size_t nkids;                    /* number of children */
} lede__qnode;

/* The most bytes and words a query may have. */
#define LEDE__QUERY_MAX_BYTES 8192
#define LEDE__QUERY_MAX_WORDS 256

typedef struct lede__query lede__query;

/* Parse text (NUL-terminated UTF-8) with the words, stemmer and limits of
 * idx. Errors are LEDE_EINVAL with the byte position in the message. */
int lede__query_parse(lede__query **out, lede_index *idx, const char *text);
const lede__qnode *lede__query_root(const lede__query *q);
void lede__query_free(lede__query *q);

/* ---- index.c: articles -> passages -> Xapian documents ----------------------
 */

/* Term prefixes. Indexed words are case-folded, so they never start with
 * an ASCII capital and cannot collide with a prefix. */
#define LEDE__PREFIX_ID "Q"     /* article id, on every passage */
#define LEDE__PREFIX_TITLE "S"  /* title words, on every passage */
#define LEDE__TERM_ARTICLE "XA" /* marks the passage holding the article */
/* Value slots. */
#define LEDE__SLOT_ARTICLE 0 /* article id (collapse key) */

/* The article-id term of id. */
int lede__id_term(lede__buf *out, const char *id, size_t len);

struct lede__xdb;
/* Internals of an open index that query.c needs. */
struct lede__xdb *lede__index_db(lede_index *idx);
/* Stem a folded word into out (replacing its contents). */
int lede__index_stem(lede__buf *out, lede_index *idx, const char *w,
                     size_t len);
lede__tokenizer *lede__index_tokenizer(lede_index *idx);

#ifdef __cplusplus
}
#endif

#endif /* LEDE_INT_H */
