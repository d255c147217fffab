/*
 * lede_int.h - contracts between liblede's modules. Not installed.
 *
 * One section per .c file, in dependency order. A module calls another
 * only through the declarations here; the C++ shim's contract lives in
 * xapian_shim.h. What the shim stores and reads, value slots included, is
 * decided on this side and handed over.
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

/* The shim's database handle (xapian_shim.h), named by several sections. */
struct lede__xdb;
/* What the shim says of a match's count (xapian_shim.h): count.c's. */
struct lede__xcount;

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
/* Room for element n of the array v (cap elements allocated, each elem
 * bytes): v itself when there is room, else v reallocated (*cap updated);
 * NULL when out of memory, v then untouched. */
void *lede__grow(void *v, size_t *cap, size_t n, size_t elem);
/* NUL-terminated copy of n bytes of s; NULL when out of memory. */
char *lede__strndup(const char *s, size_t n);
/* Testing: after n more successful allocations on this thread, every
 * allocation fails; a negative n turns the hook off. */
void lede__alloc_fail_after(long n);
/* Testing: allocations attempted on this thread so far. */
long lede__alloc_attempts(void);

/* ---- version.c: the library's version ------------------------------------ */

/* Nothing shared: lede_version() is lede.h's. */

/* ---- rank.c: Lucene's document lengths ---------------------------------- */

/* The byte Lucene stores for a document of length words (0..255). */
unsigned lede__lucene_norm(uint64_t length);
/* The length a norm byte stands for. */
uint64_t lede__lucene_decode(unsigned code);
/* The length Lucene's BM25 uses for a document of length words: rounded
 * down to what its norm byte can hold. */
uint64_t lede__lucene_length(uint64_t length);

/* The smallest BM25 k1 handed to Xapian; smaller ones are raised to it. */
#define LEDE__K1_MIN 1e-6

/* ---- retry.c: when a read that met a writer is tried again ------------- */

/* What a failed call into Xapian met, as the shim reports it: the facts
 * C decides on (what is retried, which shard is left out). */
typedef enum {
    LEDE__XFAIL_NONE,     /* no failure, or one in C (a callback, memory) */
    LEDE__XFAIL_MODIFIED, /* a commit overwrote the revision being read */
    LEDE__XFAIL_CORRUPT,  /* a block, or a stored record, did not decode */
    LEDE__XFAIL_NETWORK,  /* a remote shard's connection failed */
    LEDE__XFAIL_OTHER     /* any other failure of Xapian's */
} lede__xfail;

/* Tries of one read, the first included. */
#define LEDE__RETRY_TRIES 5

/* Whether a read whose attempt-th try (from 1) failed with kind runs
 * again: after reopening the database, or at once when it is still being
 * opened. Counts the retry when it grants one. */
int lede__retry_read(lede__xfail kind, int attempt);
/* After that reopen: whether the read runs again. reopen_kind is what the
 * reopen met (LEDE__XFAIL_NONE: it succeeded), newer whether it found a
 * newer revision. When not, the read's failure stands, or the reopen's. */
int lede__retry_reopened(lede__xfail kind, lede__xfail reopen_kind, int newer);
/* Retries granted in this process (tests and diagnostics report it). */
long lede__retry_count(void);

/* ---- error.c: thread-local last error ----------------------------------- */

/* The lowest lede_error_code: a new code moves it, and error.c's message
 * table then fails to compile until the code has its text. */
#define LEDE__ECODE_LOWEST LEDE_ELIMIT

/* Record a message for lede_error_last() and return code (negative). */
int lede__error_set(int code, const char *fmt, ...) LEDE__PRINTF(2, 3);
/* Same message format, already-started va_list. */
int lede__error_setv(int code, const char *fmt, va_list ap) LEDE__PRINTF(2, 0);
/* Record "out of memory" and return LEDE_ENOMEM. */
int lede__error_nomem(void);
/* Forget the last message (lede_error_last() gives ""). */
void lede__error_clear(void);

/* ---- budget.c: a search's time budget ------------------------------------ */

typedef struct {
    unsigned ms;      /* the budget; 0: none */
    int64_t deadline; /* on the budget's clock, in nanoseconds */
} lede__budget;

/* Start a budget of ms milliseconds (0: unlimited) now. */
void lede__budget_start(lede__budget *b, unsigned ms);
/* 0 while time is left (or b is NULL or unlimited); LEDE_ELIMIT with a
 * message once it has run out. */
int lede__budget_check(const lede__budget *b);
/* Testing: measure budgets on clock (nanoseconds, any origin); NULL
 * restores the monotonic clock. Not thread-safe: set it between searches. */
void lede__budget_set_clock(int64_t (*clock)(void));

/* ---- buf.c: growable byte buffer, varints, UTF-8 --------------------------
 */

typedef struct {
    char *data; /* bytes, NUL-terminated; NULL until the first reserve */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
} lede__buf;
#define LEDE__BUF_INIT                                                         \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/* Room for extra more bytes and a NUL. data is NUL-terminated afterwards,
 * also when empty: lede__buf_reserve(b, 0) makes an unused buffer "". */
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

/* ---- hash.c: the 64-bit FNV-1a hash --------------------------------------
 */

/* 64-bit FNV-1a hash of p[0..n), continued from h (start with
 * LEDE__HASH_INIT, the FNV offset basis). */
#define LEDE__HASH_INIT 0xcbf29ce484222325u
uint64_t lede__hash(uint64_t h, const void *p, size_t n);
/* 64-bit FNV-1a of s[0..n): an article's shard in a set is
 * lede__hash_fnv1a(id) % N, as lede.h documents, so it never changes. */
uint64_t lede__hash_fnv1a(const char *s, size_t n);

/* ---- strmap.c: hash map of byte strings ---------------------------------- */

typedef struct {
    uint64_t hash;    /* of the key */
    size_t key;       /* offset of the key (NUL-terminated) in the arena */
    size_t key_len;   /* its bytes */
    size_t value;     /* offset of the value (NUL-terminated) */
    size_t value_len; /* its bytes */
    uint64_t count;   /* the caller's */
} lede__strmap_entry;

typedef struct {
    lede__buf arena;       /* keys and values */
    lede__strmap_entry *v; /* entries, in the order added */
    size_t n;              /* count */
    size_t cap;            /* allocated */
    uint32_t *slots;       /* 0 empty, else entry index + 1 */
    size_t nslots;         /* a power of two, or 0 */
} lede__strmap;

#define LEDE__STRMAP_INIT                                                      \
    {                                                                          \
        LEDE__BUF_INIT, NULL, 0, 0, NULL, 0                                    \
    }

/* The entry of key k[0..len), or NULL. Valid until the next add. */
lede__strmap_entry *lede__strmap_find(const lede__strmap *m, const char *k,
                                      size_t len);
/* Add k with value (count 0), or give k's entry the new value. */
int lede__strmap_add(lede__strmap_entry **out, lede__strmap *m, const char *k,
                     size_t len, const char *value, size_t value_len);
const char *lede__strmap_key(const lede__strmap *m,
                             const lede__strmap_entry *e);
const char *lede__strmap_value(const lede__strmap *m,
                               const lede__strmap_entry *e);
/* Empty the map, keeping its memory. */
void lede__strmap_clear(lede__strmap *m);
void lede__strmap_free(lede__strmap *m);

/* ---- date.c: dates in the formats of news collections ----------------------
 */

/* Parse s[0..len) as a date (ISO 8601 date or date-time with an optional
 * zone, RFC 2822, "26-FEB-1987 15:01:01.79", "January 5, 1988",
 * YYYYMMDD); leading and trailing spaces are ignored. 0 and seconds since
 * 1970 UTC in *out, or -1 if it is not a date lede reads. */
int lede__date_parse(int64_t *out, const char *s, size_t len);
/* Why lede__date_span() refused a date. */
#define LEDE__DATE_FORM (-1)     /* not YYYY, YYYY-MM or YYYY-MM-DD */
#define LEDE__DATE_NO_MONTH (-2) /* the form, but no such month (2018-13) */
#define LEDE__DATE_NO_DAY (-3)   /* the form, but no such day (1987-02-30) */
/* The first and last second of a day, month or year written YYYY-MM-DD,
 * YYYY-MM or YYYY; a negative LEDE__DATE_* if it is not one. */
int lede__date_span(int64_t *first, int64_t *last, const char *s, size_t len);
/* The sortable form of a date stored in the index: "YYYYMMDDhhmmss" (UTC,
 * years 0000..9999, clamped). buf holds at least 15 bytes. */
void lede__date_format(char *buf, int64_t t);

/* ---- charset.c: text in other character sets, made UTF-8 --------------- */

/* Whether name means "guess" (NULL, "" or "auto"). */
int lede__charset_is_auto(const char *name);
/* 0 if name is "auto" or an ASCII-compatible charset ICU knows; otherwise
 * LEDE_EINVAL with the message set. */
int lede__charset_check(const char *name);
/* Whether two names are one charset ("latin1" and "ISO-8859-1" are). */
int lede__charset_same(const char *a, const char *b);
/* Whether name is UTF-8 (not "auto"). */
int lede__charset_is_utf8(const char *name);

/* What lede__charset_guess() makes of some text. */
enum {
    LEDE__CHARSET_UTF8,    /* valid UTF-8 (or ASCII) */
    LEDE__CHARSET_DAMAGED, /* UTF-8 with a few invalid bytes */
    LEDE__CHARSET_LEGACY   /* not UTF-8: read it as Windows-1252 */
};
/* Guess the charset of s; *bad_out is the offset of its first invalid
 * UTF-8 byte (len if none). NUL bytes do not count either way. */
int lede__charset_guess(const char *s, size_t len, size_t *bad_out);
/* Replace out with s converted from charset name to UTF-8; bytes the
 * charset does not map become U+FFFD. */
int lede__charset_decode(lede__buf *out, const char *name, const char *s,
                         size_t len);

/* ---- input.c: bytes of a corpus file, through gzip when compressed ----------
 */

typedef struct {
    uint64_t max_bytes; /* decompressed bytes at most */
    unsigned max_ratio; /* gzip: decompressed / compressed, past 1 MiB */
} lede__input_limits;

typedef struct lede__input lede__input;

/* Open a regular file without following a symbolic link at the end of
 * path and without blocking on FIFOs; gzip is detected by its magic bytes.
 * Errors name path. */
int lede__input_open(lede__input **out, const char *path,
                     const lede__input_limits *lim);
void lede__input_close(lede__input *in);
/* Read up to n decompressed bytes into buf; *got is 0 at the end. Errors:
 * LEDE_EIO, LEDE_ECORRUPT (damaged gzip), LEDE_ELIMIT. */
int lede__input_read(lede__input *in, char *buf, size_t n, size_t *got);
/* Read the next line, without its '\n', into line (replacing it). 1 when
 * a line was read, 0 at the end of input. A line longer than max is not
 * kept: *too_long is set, line holds its first max bytes and the rest is
 * read and thrown away. */
int lede__input_line(lede__input *in, lede__buf *line, size_t max,
                     int *too_long);
/* Point *p at the next unread decompressed bytes (up to 64 KiB, fewer at
 * the end) without consuming them; *n is 0 at the end of input. */
int lede__input_peek(lede__input *in, const char **p, size_t *n);
/* Read everything left into out (appending); LEDE_ELIMIT if it is more
 * than max bytes (out then holds max + 1 of them). */
int lede__input_all(lede__input *in, lede__buf *out, size_t max);
/* Hash of the raw (compressed) bytes read so far; covers the whole file
 * once the end was reached. */
uint64_t lede__input_hash(const lede__input *in);
/* Raw (on disk, so of a gzip file compressed) bytes used so far: read
 * and decompressed or handed on, not merely buffered. For progress. */
uint64_t lede__input_consumed(const lede__input *in);
/* Path the input was opened with. */
const char *lede__input_path(const lede__input *in);
/* The hash lede__input_hash() gives for the whole file at path, reading
 * its raw bytes only (no decompression, no parsing). */
int lede__input_file_hash(uint64_t *out, const char *path);

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
/* The same, but a word of ASCII text whose folded form would not start
 * with a byte marked in first[] goes to fn unfolded, with an empty term
 * (its span and position as any word's): for finding a few words in a
 * text without folding all of it. */
int lede__tokenizer_run_only(lede__tokenizer *t, const char *text, size_t len,
                             const unsigned char first[256], lede__token_fn fn,
                             void *payload);
/* The same with ICU's iterator whatever the text (lede__tokenizer_run()
 * takes a faster path for ASCII text that gives the same words). */
int lede__tokenizer_run_icu(lede__tokenizer *t, const char *text, size_t len,
                            lede__token_fn fn, void *payload);
/* The whole of s[0..len), not only its words, folded as words are (NFKC,
 * case) into out (replacing its contents). */
int lede__tokenizer_fold(lede__buf *out, lede__tokenizer *t, const char *s,
                         size_t len);
/* The byte offset of the first word the last run skipped for being over
 * LEDE__TOKEN_MAX, or SIZE_MAX if none was: a query made only of such
 * words can say why it has none to search for. */
size_t lede__tokenizer_too_long(const lede__tokenizer *t);

/* ---- fields.c: keyword fields: names, values and terms ---------------------
 */

/* Terms of filters cap here: Xapian's limit is 245 bytes. */
#define LEDE__FIELD_TERM_MAX 240

/* Every name of the comma-separated list passes lede_field_name_check(). */
int lede__fields_list_check(const char *list);
/* Whether the comma-separated list (NULL: none) names name[0..len). */
int lede__fields_list_has(const char *list, const char *name, size_t len);
/* value[0..len) folded as words are, runs of white space as one space and
 * none at either end, into out (replacing its contents). */
int lede__fields_fold(lede__buf *out, lede__tokenizer *t, const char *value,
                      size_t len);
/* The filter term of a value of field name into out, its folded form into
 * folded: LEDE_EINVAL when that is empty, LEDE_ELIMIT when it is over
 * LEDE_FIELD_VALUE_MAX bytes. */
int lede__fields_term(lede__buf *out, lede__buf *folded, lede__tokenizer *t,
                      const char *name, size_t name_len, const char *value,
                      size_t len);
/* The checks lede_index_add() makes of an article's fields and path
 * (version 3 or later). */
int lede__fields_check(const lede_article *a);
/* The dir: term of folder dir[0..len) ("./" in front and "/" behind
 * dropped) into out. */
int lede__fields_dir_term(lede__buf *out, const char *dir, size_t len);
/* fn with the dir: term of each folder of path ("a/b/c.txt": "a", "a/b"),
 * built in scratch; a non-zero return of fn stops and is returned. */
int lede__fields_each_dir(const char *path, lede__buf *scratch,
                          int (*fn)(const char *term, size_t len, void *),
                          void *payload);
/* The fields of an index as lede_index_fields() lists them, from the
 * declared list and (db not NULL) the terms of db, sep between them. */
int lede__fields_of_index(lede__buf *out, struct lede__xdb *db,
                          const char *declared, const char *sep);
/* *out: whether name[0..len) is a field of the index: standard, declared
 * or the name of a term of db. */
int lede__fields_known(int *out, struct lede__xdb *db, const char *declared,
                       const char *name, size_t len);

/* ---- emit.c: what a format parser hands on ------------------------------ */

/* The state a format parser works with (filled in by reader.c). */
typedef struct {
    lede__input *in;              /* the file's bytes */
    const lede_read_options *opt; /* limits and field names (defaults
                                     filled in) */
    const char *id;               /* id of a one-article file */
    lede_read_cb cb;              /* the caller's callback */
    void *payload;                /* its payload */
    lede__buf scratch;            /* free for the parser to use */
    int64_t name_date;            /* one-article files: the date their
                                     name starts with, or LEDE_NO_DATE */
    lede__strmap ids;             /* ids given so far -> their line */
    lede__buf decoded;            /* lede__emit_text()'s conversions */
    int charset_said;             /* the file's charset warning was given */
    int folder_section;           /* a text file: its folder is the
                                     section of its article */
    lede_field *fields;           /* the next article's field values, each
                                     name and value allocated */
    size_t nfields;               /* count */
    size_t capfields;             /* allocated */
    int fields_full;              /* more than LEDE_FIELDS_MAX were given */
} lede__reader;

/* Give an article to the caller, with the field values given since the
 * last article (and a text file's folder as its section) and the
 * file's corpus path; returns the callback's value. */
int lede__emit_article(lede__reader *r, const lede_article *a, uint64_t line);
/* A value of field name (a valid name) for the next article: trimmed,
 * made valid UTF-8, left out if empty or given already, and left out with
 * a warning if it is over LEDE_FIELD_VALUE_MAX bytes or past
 * LEDE_FIELDS_MAX values. Returns the callback's value, or a negative
 * error. */
int lede__emit_field(lede__reader *r, uint64_t line, const char *name,
                     const char *value, size_t len);
/* Drop the field values given since the last article (emit.c does it
 * after an article and a problem; reader.c at the end). */
void lede__emit_fields_clear(lede__reader *r);
/* Report a skipped part (code < 0) at line; returns the callback's value. */
int lede__emit_problem(lede__reader *r, uint64_t line, int code,
                       const char *fmt, ...) LEDE__PRINTF(4, 5);
/* Report a warning of kind at line; returns the callback's value. */
int lede__emit_warning(lede__reader *r, uint64_t line, lede_warning kind,
                       const char *fmt, ...) LEDE__PRINTF(4, 5);
/* The text of s[0..len) (a whole file, or a record of one) as UTF-8 by
 * the encoding option: s itself, or its conversion (or repair: invalid
 * UTF-8 made U+FFFD) in r->decoded. Valid UTF-8 beyond ASCII is kept
 * whatever the option names. The first guess or repair of a file is
 * a warning at line. Returns the callback's value, or a negative error. */
int lede__emit_text(lede__reader *r, uint64_t line, const char **s,
                    size_t *len);
/* Parse a date field of an article; on failure, a warning naming the
 * field's text, and *out = LEDE_NO_DATE. Returns the callback's value. */
int lede__emit_date(lede__reader *r, uint64_t line, const char *s, size_t len,
                    int64_t *out);

/* ---- sgml.c: tags, elements and text of SGML records ----------------------
 */

/* Tag names longer than this are none lede looks for. */
#define LEDE__SGML_NAME_MAX 15
/* A '<' whose '>' is further than this is text, not a tag: a stray '<'
 * then costs a bounded look ahead, not a scan of the rest of a record. */
#define LEDE__SGML_TAG_BYTES_MAX 4096

typedef struct {
    size_t start, end;     /* the tag's bytes, [start, end) */
    const char *name;      /* its name, not NUL-terminated */
    size_t nlen;           /* bytes of name; 0 for a comment */
    int is_end;            /* an end tag, "</NAME>" */
    size_t attr, attr_end; /* its attributes, [attr, attr_end) */
} lede__sgml_tag;

/* An element: where its content and its start tag's attributes lie. */
typedef struct {
    size_t content, content_end; /* [content, content_end) */
    size_t attr, attr_end;       /* [attr, attr_end) */
    size_t next;                 /* offset just after the element */
} lede__sgml_elem;

/* Text being written out of SGML: tags removed, entities decoded, control
 * characters dropped, CRLF made LF. In a body, white space inside a
 * paragraph is kept as written (the passage splitter reads hard-wrapped
 * lines) and paragraphs, broken by <P> and between elements, are trimmed
 * and joined by one blank line; on a line (ids, titles, dates) each run
 * of white space is one space. */
typedef struct {
    lede__buf *out; /* the text so far */
    int line;       /* one line, not paragraphs */
    int in_para;    /* the current paragraph has a visible character */
    int due;        /* a separator is due before the next visible one */
    size_t ws;      /* body: where the trailing white space of out starts,
                       or SIZE_MAX */
    int rc;         /* first failure, or 0 */
} lede__sgml_conv;

/* Whether c may be in a tag's name (after its first letter). */
int lede__sgml_is_name(int c);
/* The tag at s[i] == '<', if it is one (1, and *t); 0: the '<' is text. */
int lede__sgml_tag_at(const char *s, size_t n, size_t i, lede__sgml_tag *t);
/* The next tag at or after pos; 0 if there is none. */
int lede__sgml_next_tag(const char *s, size_t n, size_t pos, lede__sgml_tag *t);
/* Whether t is named name, whatever the case. */
int lede__sgml_tag_is(const lede__sgml_tag *t, const char *name);
/* The first element called name at or after from (1, and *e); 0 if none. */
int lede__sgml_find_elem(const char *s, size_t n, size_t from, const char *name,
                         lede__sgml_elem *e);
/* The value of attribute name in a start tag's attributes, quoted or not;
 * 0 if it is not there. */
int lede__sgml_attr_value(const char *s, size_t n, const char *name,
                          const char **v, size_t *vlen);
/* Start text into out (emptied): one line (line non-zero) or paragraphs. */
void lede__sgml_conv_init(lede__sgml_conv *cv, lede__buf *out, int line);
/* End the current paragraph: drop its trailing white space. */
void lede__sgml_conv_break(lede__sgml_conv *cv);
/* One decoded character (n bytes of UTF-8, or one byte as written). */
void lede__sgml_conv_char(lede__sgml_conv *cv, const char *p, size_t n);
/* Write the text of s[0..n) to cv, leaving out the elements named in skip
 * (NULL-terminated; may be NULL). */
void lede__sgml_convert(lede__sgml_conv *cv, const char *s, size_t n,
                        const char *const *skip);
/* End the text: trailing white space goes; the first failure, or 0. */
int lede__sgml_conv_end(lede__sgml_conv *cv);

/* ---- fmt_jsonl.c, fmt_html.c, fmt_trec.c: one format each ------------- */

/* Each reads r->in to its end and gives every article to
 * lede__emit_article(); a failure of the whole file is a negative return
 * with the message set (naming the file). */
int lede__fmt_jsonl(lede__reader *r);
int lede__fmt_html(lede__reader *r);
int lede__fmt_trec(lede__reader *r);

/* ---- reader.c: corpus files -> articles, by format ---------------------- */

/* Copy the caller's options, of whatever version, into *o and check them
 * (version, format, encoding); fields their version lacks keep their
 * defaults. in may be NULL. */
int lede__reader_options_copy(lede_read_options *o,
                              const lede_read_options *in);

/* lede_read_file(), also giving the hash of the file's raw bytes when it
 * was read to its end, and the bytes of the file read (of a gzip file,
 * compressed), however the reading ended (either pointer may be NULL). */
int lede__reader_file(const char *path, const lede_read_options *opts,
                      lede_read_cb cb, void *payload, uint64_t *hash_out,
                      uint64_t *read_out);

/* Split a one-article text into title (the first non-empty line, trimmed)
 * and body (everything after that line). */
void lede__reader_split_title(const char *text, size_t len, lede_article *a);

/* ---- walk.c: the input files of a corpus ------------------------------------
 */

typedef struct {
    char *path;         /* where to open it (a link's target when
                           following links) */
    char *rel;          /* path relative to its root */
    char *key;          /* source key: the absolute path in the corpus */
    uint64_t size;      /* bytes on disk */
    int64_t mtime_ns;   /* modification time, ns since 1970 */
    lede_format format; /* how to read it */
} lede__file;

typedef struct {
    lede__file *v; /* files, in walk order */
    size_t n;      /* count */
    size_t cap;    /* allocated */
} lede__files;

/* Reports a skipped (LEDE_SYNC_SKIPPED) or ignored (LEDE_SYNC_IGNORED)
 * path with the reason; a non-zero return stops the walk. */
typedef int (*lede__walk_fn)(lede_sync_event_kind kind, const char *path,
                             const char *why, void *payload);

/* Append the inputs under root (a directory or one file) to out.
 * LEDE_EINVAL when root is missing or of no use. */
int lede__walk(lede__files *out, const char *root, lede_format forced,
               int follow, lede__walk_fn fn, void *payload);
void lede__walk_files_free(lede__files *f);

/* ---- filter.c: which corpus files a sync takes ---------------------------
 */

typedef struct {
    char **include;  /* patterns a file must match one of (none: all) */
    size_t ninclude; /* count */
    char **exclude;  /* patterns that leave a file out */
    size_t nexclude; /* count */
} lede__filter;

/* Check the patterns (LEDE_EINVAL naming a bad one) and copy them. */
int lede__filter_set(lede__filter *out, const char *const *include,
                     size_t ninclude, const char *const *exclude,
                     size_t nexclude);
/* The patterns stored in db (none when it has none). */
int lede__filter_load(lede__filter *out, struct lede__xdb *db);
/* Store f in db (in the open transaction, starting one if needed); no
 * patterns removes the stored ones. */
int lede__filter_store(struct lede__xdb *db, const lede__filter *f);
/* Store the patterns of from in to, when it has any. */
int lede__filter_inherit(struct lede__xdb *to, struct lede__xdb *from);
int lede__filter_equal(const lede__filter *a, const lede__filter *b);
/* 1 when the file at rel (relative to its root) is taken; 0 when it is
 * left out, why then saying by which pattern; LEDE_ENOMEM. */
int lede__filter_takes(const lede__filter *f, const char *rel, lede__buf *why);
void lede__filter_free(lede__filter *f);

/* ---- events.c: what a sync's reader and shards share; its events ---------
 */

/* C11 atomics and threads, which the C++ boundary neither has in C++17
 * nor needs. */
#ifndef __cplusplus
#include <pthread.h>
#include <stdatomic.h>

/* Within a file, a progress event goes out every this many articles, or
 * every this many bytes read (articles can be large, or few). */
#define LEDE__EVENTS_PROGRESS_EVERY 1000
#define LEDE__EVENTS_PROGRESS_BYTES ((uint64_t)1 << 20)

/* What the reader and the shards share. Counts reach the callback summed
 * over all of them: the reader counts files, bytes, skipped files, reader
 * problems and the articles of files it found unchanged; a shard the
 * articles it compared, and its commits. */
typedef struct {
    pthread_mutex_t lock;  /* the callback and pub[] */
    lede_sync_options opt; /* options, defaults filled in */
    unsigned n;            /* shards */
    atomic_int stop;       /* a callback or a failure ended the sync */
    atomic_int failed;     /* a failure: work still queued is dropped */
    lede_sync_stats *pub;  /* counts at each one's last event: [0] the
                              reader's, [1 + k] shard k's */
} lede__events;

/* The counts of the reader and every shard, summed as one sync's. */
void lede__events_sum(const lede__events *h, lede_sync_stats *sum);
/* Whether a callback or a failure ended the sync. */
int lede__events_stopped(const lede__events *h);
/* Make mine (slot its place in pub) the counts that the next event sums,
 * without an event. */
void lede__events_publish(lede__events *h, lede_sync_stats *slot,
                          const lede_sync_stats *mine);
/* Report an event with mine, the counts of the one reporting it (slot
 * its place in pub), and a warning's kind (LEDE_WARN_NONE for other
 * events). Events come one at a time, whatever the thread. */
int lede__events_emit(lede__events *h, lede_sync_stats *slot,
                      const lede_sync_stats *mine, lede_sync_event_kind kind,
                      lede_warning warning, const char *path, uint64_t line,
                      const char *message);
#endif /* !__cplusplus */

/* ---- simhash.c: near-duplicate signatures ----------------------------------
 */

/* Signatures this many bits apart or closer are near-duplicates; chosen
 * with bench/dedup (see simhash.c). */
#define LEDE__SIMHASH_NEAR 8

typedef struct {
    int32_t v[64];     /* per bit: features with it set minus without */
    uint64_t prev[3];  /* hashes of the last three words */
    uint64_t words;    /* words added */
    uint64_t features; /* shingles counted */
} lede__simhash;

void lede__simhash_init(lede__simhash *s);
/* Add the next word of the text (stemmed). */
void lede__simhash_add(lede__simhash *s, const char *word, size_t len);
uint64_t lede__simhash_final(lede__simhash *s);
/* Bits in which two signatures differ. */
unsigned lede__simhash_distance(uint64_t a, uint64_t b);

/* ---- analysis.c: words to terms: tokenizer, stemmer, stop words -----------
 */

/* The analysis of one revision of an index: its tokenizer, its
 * language's stemmer and that stemmer's stem cache. */
typedef struct lede__analysis lede__analysis;

/* A new analysis with its tokenizer; set its language before stemming. */
int lede__analysis_new(lede__analysis **out);
void lede__analysis_free(lede__analysis *a);
/* Stem by lang from now on (emptying the stem cache); fails as
 * lede__stem_new() does, with the shim's message, for an unknown one. */
int lede__analysis_set_language(lede__analysis *a, const char *lang);
/* The canonical name of the language ("none" for no stemming); borrowed
 * from a. */
const char *lede__analysis_language(const lede__analysis *a);
lede__tokenizer *lede__analysis_tokenizer(lede__analysis *a);
/* Stem a folded word into out (replacing its contents), through the
 * stem cache. */
int lede__analysis_stem(lede__buf *out, lede__analysis *a, const char *w,
                        size_t len);
/* Non-zero when every stem the language's stemmer makes starts with its
 * word's first byte (or is empty). */
int lede__analysis_stem_keeps_first(const lede__analysis *a);
/* Is the folded word w[0..len) one of LEDE_STOPWORDS? */
int lede__analysis_is_stopword(const char *w, size_t len);

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
    int paragraphs;         /* windows stay inside one paragraph */
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

/* The largest article body (and title) stored: the stored-record reader
 * refuses anything larger as corrupt. */
#define LEDE__BODY_MAX ((size_t)1 << 30)

typedef struct {
    uint32_t ordinal;       /* passage ordinal in its article */
    uint64_t start;         /* passage byte offsets in the body */
    uint64_t end;           /* exclusive */
    int has_article;        /* non-zero: the article's first passage */
    const char *title;      /* article title (not NUL-terminated) */
    size_t title_len;       /* bytes of title */
    const char *body;       /* encoding: the article's body (NULL: empty) */
    size_t body_len;        /* the article's length in bytes (first passages) */
    int64_t date;           /* article date, or LEDE_NO_DATE */
    const char *url;        /* article URL (not NUL-terminated), or NULL */
    size_t url_len;         /* bytes of url */
    const char *text;       /* decoded: the passage's text, body[start, end) */
    size_t text_len;        /* bytes of text */
    const lede__span *gaps; /* encoding, first passages: the runs of the
                               body no passage holds */
    size_t ngaps;           /* count */
    const char *gaps_data;  /* decoded: those runs as stored ("" for none), for
                               lede__store_gap_next(); NULL: none */
    size_t gaps_len;        /* bytes of gaps_data */
    const char *path;       /* first passages: the article's path in its
                               corpus (not NUL-terminated), or NULL */
    size_t path_len;        /* bytes of path */
    const lede_field *fields; /* encoding: the article's field values */
    size_t nfields;           /* count */
    const char *fields_data;  /* decoded: the field values as stored, for
                                 lede__store_field_next(); NULL: none */
    size_t fields_len;        /* bytes of fields_data */
} lede__store_record;

/* Append the stored form of r to out: its offsets, title, date, URL and
 * the passage's own text, body[start, end), compressed with the title in
 * one zstd frame, and for
 * a first passage the article's length. LEDE_EINVAL when end is before
 * start, or body is NULL and the passage is not empty. */
int lede__store_encode(lede__buf *out, const lede__store_record *r);
/* Parse data into r (body stays NULL). The url points into data, the
 * title and text into scratch (which receives what is decompressed; an
 * old record's title into data); both must outlive r. Returns
 * LEDE_ECORRUPT on malformed input. */
int lede__store_decode(lede__store_record *r, lede__buf *scratch,
                       const char *data, size_t len);
/* The next run of a first passage's gaps data [*p, end): 1, its start in
 * the body and its bytes (pointing into the data); 0 at the end;
 * LEDE_ECORRUPT. */
int lede__store_gap_next(uint64_t *start, const char **bytes, size_t *len,
                         const char **p, const char *end);
/* lede__store_decode() without the texts: offsets, date, URL, fields
 * (the text stays NULL, the title "" but in an old record). */
int lede__store_decode_meta(lede__store_record *r, const char *data,
                            size_t len);
/* The next field value of stored field data [*p, end) (a record's
 * fields_data): 1 and *p moved past it; 0 at the end; LEDE_ECORRUPT. The
 * name and value point into the data, not NUL-terminated. */
int lede__store_field_next(const char **name, size_t *name_len,
                           const char **value, size_t *value_len,
                           const char **p, const char *end);

/* ---- qlex.c: tokens of the query language ----------------------------------
 */

typedef enum {
    LEDE__T_END,
    LEDE__T_LPAREN,
    LEDE__T_RPAREN,
    LEDE__T_AND,
    LEDE__T_OR,
    LEDE__T_NOT,
    LEDE__T_PLUS,   /* + before a term */
    LEDE__T_MINUS,  /* - before a term */
    LEDE__T_WORD,   /* a word; may end in '*' */
    LEDE__T_PHRASE, /* "..." with an optional ~N */
    LEDE__T_TITLE,  /* title: followed by a word or phrase */
    LEDE__T_DATE,   /* date:RANGE */
    LEDE__T_FIELD   /* NAME:VALUE (a keyword field, dir:, id:) */
} lede__qtok_kind;

typedef struct {
    lede__qtok_kind kind; /* what it is */
    size_t start;         /* byte offset of its first character */
    size_t a, b;          /* its text: the word, the phrase's inside, the
                             field's value */
    int quoted;           /* LEDE__T_TITLE: the value is a phrase */
    unsigned slop; /* LEDE__T_PHRASE (and quoted LEDE__T_TITLE): the ~N, or 0 */
    int has_slop;  /* a ~N was given */
    size_t na, nb; /* LEDE__T_FIELD: the name */
} lede__qtok;

/* Read the token of text (len bytes, valid UTF-8) at *pos into t and move
 * *pos past it. LEDE_EINVAL with the column for a malformed one. */
int lede__qlex(lede__qtok *t, const char *text, size_t len, size_t *pos);
/* The column, in characters from 1, of byte offset off of text. */
size_t lede__qlex_column(const char *text, size_t off);

/* ---- qtree.c: the query tree's nodes: made, marked failed, described ---- */

typedef enum {
    LEDE__Q_TERM,      /* one term */
    LEDE__Q_OR,        /* any child; their weights add up */
    LEDE__Q_AND,       /* every child; their weights add up */
    LEDE__Q_AND_NOT,   /* the first child, unless the second matches */
    LEDE__Q_AND_MAYBE, /* the first child; the second adds its weight */
    LEDE__Q_FILTER,    /* the first child where the second (unweighted)
                          matches */
    LEDE__Q_PHRASE,    /* the children (terms) next to each other, in order */
    LEDE__Q_NEAR,      /* the children within `window` positions */
    LEDE__Q_SCALE,     /* the child, its weight times `scale` */
    LEDE__Q_RANGE,     /* value `slot` between lo and hi, unweighted */
    LEDE__Q_ALL,       /* every document, no weight */
    LEDE__Q_NONE       /* no document */
} lede__qop;

typedef struct lede__qnode {
    lede__qop op;              /* what this node does */
    const char *term;          /* TERM: the term */
    size_t len;                /* TERM: bytes of term */
    uint32_t wqf;              /* TERM: times in the query */
    struct lede__qnode **kids; /* children of an operator */
    size_t nkids;              /* number of children */
    unsigned window;           /* PHRASE, NEAR: positions spanned */
    int proximity;             /* NEAR: a pair added for proximity */
    double scale;              /* SCALE: the factor */
    unsigned slot;             /* RANGE: value slot */
    const char *lo;            /* RANGE: lowest value (NUL-terminated) */
    const char *hi;            /* RANGE: highest value */
} lede__qnode;

/* One parse's tree: every node and string of it, freed together, and the
 * parse's first failure. */
typedef struct {
    const char *text; /* the query, for the columns of messages */
    int error;        /* the first failure's code (< 0), or 0 */
    void **allocs;    /* every allocation, freed together */
    size_t nallocs;   /* count */
    size_t capallocs; /* allocated */
} lede__qtree;

/* n zeroed bytes that live until lede__qtree_free(t). Each of these makers
 * marks t failed (LEDE_ENOMEM) when it returns NULL. */
void *lede__qtree_alloc(lede__qtree *t, size_t n);
char *lede__qtree_strndup(lede__qtree *t, const char *s, size_t n);
lede__qnode *lede__qtree_node(lede__qtree *t, lede__qop op);
/* An operator node over kids[0..n); NULL kids are left out. */
lede__qnode *lede__qtree_op(lede__qtree *t, lede__qop op, lede__qnode **kids,
                            size_t n);
lede__qnode *lede__qtree_pair(lede__qtree *t, lede__qop op, lede__qnode *a,
                              lede__qnode *b);
/* A TERM node of prefix then term[0..len), wqf 1. */
lede__qnode *lede__qtree_term(lede__qtree *t, const char *prefix,
                              const char *term, size_t len);
void lede__qtree_free(lede__qtree *t);
/* Fail with code and the message "query: MSG at column N", N the column of
 * byte off of t->text, unless t failed already: the first failure is the
 * one reported. Returns t's failure code. */
int lede__qtree_error_at(lede__qtree *t, int code, size_t off, const char *fmt,
                         ...) LEDE__PRINTF(4, 5);
/* Record a failure whose message is set already; its code is what the
 * parse returns (LEDE_ENOMEM, LEDE_EINDEX, ...). */
int lede__qtree_failed(lede__qtree *t, int rc);
int lede__qtree_nomem(lede__qtree *t);
/* One more of every term under n in the query (its wqf). */
void lede__qtree_bump_wqf(lede__qnode *n);
/* Append the tree's S-expression to out. */
int lede__qtree_describe(lede__buf *out, const lede__qnode *n);

/* ---- qcombine.c: words side by side combined into one node -------------- */

/* Proximity: for each two plain words next to each other in words[0..n),
 * append to *list (grown, the caller's to free) a NEAR of the two within
 * LEDE_PROXIMITY_WINDOW positions, scaled by proximity (<= 0: none). */
void lede__qcombine_pairs(lede__qtree *t, double proximity, lede__qnode **words,
                          size_t n, lede__qnode ***list, size_t *nlist,
                          size_t *cap);
/* The words of a sequence combined: must AND, should OR (AND_MAYBE when
 * both; boost adds weight to them only), then filters, then exclusions.
 * NULL when there is nothing, or on failure (marked in t); only excluded
 * words fail unless nested. */
lede__qnode *lede__qcombine_seq(lede__qtree *t, lede__qnode **must,
                                size_t nmust, lede__qnode **should,
                                size_t nshould, lede__qnode **boost,
                                size_t nboost, lede__qnode **excl, size_t nexcl,
                                lede__qnode **filter, size_t nfilter,
                                int nested);

/* ---- explain.c: a score, term by term ----------------------------------- */

typedef struct {
    const char *term; /* points into the query tree */
    size_t len;       /* bytes of term */
    uint64_t tf;      /* wdf in the passage */
    uint64_t df;      /* passages holding the term */
    double idf;       /* BM25 idf (Xapian's) */
    uint64_t length;  /* passage length */
    double weight;    /* share of the score */
    int near;         /* counted again for a proximity pair */
} lede__explain_item;

typedef struct lede__explainer lede__explainer;

/* Prepare to explain the scores of root's matches with BM25 k1 and b. */
/* lucene: explain Lucene's BM25 (LEDE_WEIGHT_BM25_LUCENE), not Xapian's. */
int lede__explainer_new(lede__explainer **out, struct lede__xdb *db,
                        const lede__qnode *root, double k1, double b, double k3,
                        int lucene);
void lede__explainer_free(lede__explainer *e);
/* The terms that make up the score of document docid, into *out (an array
 * the caller frees with lede__free) and *n_out. */
int lede__explain(lede__explain_item **out, size_t *n_out, lede__explainer *e,
                  uint64_t docid);

/* ---- neardup.c: folding near-duplicate hits ------------------------------ */

/* The articles kept so far by near-duplicate folding. */
typedef struct {
    uint64_t *sig;    /* their signatures */
    char *has;        /* whether each has one */
    const char **key; /* their ids */
    size_t *key_len;  /* lengths */
    size_t n;         /* count */
    size_t cap;       /* allocated */
    int owns_keys;    /* the ids are copies, freed with the folder */
    size_t from, to;  /* lede__neardup_want(): the kept ranks shown */
} lede__neardup;

void lede__neardup_free(lede__neardup *f);
/* Which kept article a hit (signature sig, 16 hex digits or none; article
 * id key) is a near-duplicate of: its index, or f->n when it is new (and
 * now kept, its key borrowed). Another passage of a kept article is no
 * near-duplicate of it. */
int lede__neardup_fold(size_t *into, lede__neardup *f, const char *sig,
                       size_t sig_len, const char *key, size_t key_len);
/* lede__xdb_search's question, hit by hit in rank order, with payload a
 * lede__neardup of owns_keys set: is this hit's text needed? Only when it
 * is kept and on the page shown; folding the hits again with
 * lede__neardup_fold() makes the same choices from the same values. A
 * NULL key starts over. */
int lede__neardup_want(const char *key, size_t key_len, const char *sig,
                       size_t sig_len, void *payload);

/* ---- glass.c: the glass version file, read before Xapian reads it ------- */

/* LEDE_ECORRUPT, naming the field and table, when INDEX_DIR/iamglass holds
 * a value Xapian would use unchecked when it opens the database (a B-tree
 * level past its cursors, a block size out of range, a root block past
 * the end of its table); 0 otherwise, also when the file is damaged in a
 * way Xapian reports itself. */
int lede__glass_vet(const char *path);
/* For a creation at path: 0 when the directory is missing, empty, a
 * Xapian database or what a failed creation left (which is removed);
 * LEDE_EINVAL when it holds other files; LEDE_ELOCKED when another
 * process is creating an index there. */
int lede__glass_check_create(const char *path);
/* Before Xapian opens the index at path (mode: a lede_open_mode):
 * LEDE_EIO when one of the files it opens is a symbolic link (or, for a
 * writer, the lock file cannot be opened). */
int lede__glass_check_files(const char *path, lede_open_mode mode);

/* ---- perm.c: who may read an index's files ------------------------------ */

/* Create the directory of a new index, 0700 less the umask; one that
 * exists is left as it is. */
int lede__perm_mkdir(const char *path);
/* Make the regular files directly in dir 0600 less the umask (they were
 * created 0666 less the umask), plus the group's and others' read bits of
 * dir; where dir lets its group read, give them dir's group. Best effort:
 * a file that cannot be changed is left as it is. */
void lede__perm_restrict(const char *dir);
/* Give dir the permission bits and group of like (an index replaced by
 * dir keeps its directory's mode), then its files the modes that go with
 * them. */
int lede__perm_copy(const char *dir, const char *like);
/* LEDE_EIO with a message "DIR: cannot WHAT: FILE: Permission denied"
 * when this process may not list dir or open one of its files with flags
 * (O_RDONLY or O_RDWR); 0 otherwise. For telling why an index cannot be
 * opened, rather than letting Xapian call it no database. */
int lede__perm_openable(const char *dir, int flags, const char *what);

/* ---- stub.c: Xapian's stub file, the list of a set's shards --------------
 */

/* The stub in a shard set's directory, as Xapian names it. */
#define LEDE__STUB_NAME "XAPIANDB"

/* One line of a shard set. */
typedef struct {
    char *line;      /* the line as written, trimmed: "remote 10.0.0.2:7000" */
    char *path;      /* a local shard: its path; NULL for a remote one */
    char *host;      /* a remote shard: the host of its xapian-tcpsrv */
    unsigned port;   /* and its port */
    unsigned lineno; /* the line's number in the stub, from 1 */
} lede__shard;

typedef struct {
    char *stub;     /* the stub file read */
    lede__shard *v; /* its shards, in order */
    size_t n;       /* how many (at least 1 once read) */
} lede__shardset;

/* Non-zero when path is a shard set: a regular file (a stub given
 * directly) or a directory holding a stub named LEDE__STUB_NAME. */
int lede__stub_is_set(const char *path);
/* Read the shard set at path, any stub a search may open, into *out
 * (released with lede__stub_free()); local paths are made relative to the
 * stub's directory. LEDE_EINVAL for a line lede cannot open, naming it. */
int lede__stub_read(lede__shardset *out, const char *path);
void lede__stub_free(lede__shardset *s);
/* The number of shards the stub of the set lede made at dir lists: it
 * must list LEDE_SHARD_NAME 0, 1, ... in order, one "auto" line each.
 * LEDE_ENOTFOUND if there is no stub; LEDE_ECORRUPT for any other list. */
int lede__stub_count(unsigned *out, const char *dir);
/* Write the stub of dir listing shards 0..n-1: a temporary file made
 * durable, then renamed over, so a reader sees the whole list or none. */
int lede__stub_write(const char *dir, unsigned n);
/* The shard number of a directory entry named like a shard, or -1. */
int lede__stub_shard_number(const char *name);
/* Whether name is that of the stub while it is being written. */
int lede__stub_is_tmp(const char *name);

/* ---- shardopen.c: a shard set opened for searching, as one database -------
 */

/* The shards of a set a reader opened. A revision of an index that is no
 * set has one zeroed. */
typedef struct {
    lede__shardset set;  /* the set's shards, as the stub lists them */
    size_t *open;        /* the shards open in the database, in its order */
    size_t nopen;        /* how many */
    char *gone;          /* per shard of the set: left out */
    unsigned timeout_ms; /* remote shards' timeout */
    int allow_partial;   /* shards that fail are left out */
} lede__shardopen;

/* Open every shard of the set at path as one database *db_out, with s's
 * timeout_ms and allow_partial set by the caller (with allow_partial, a
 * shard that cannot be opened is left out), and check that the shards
 * open agree on the nsame metadata keys in same. */
int lede__shardopen_open(struct lede__xdb **db_out, lede__shardopen *s,
                         const char *path, const char *const *same,
                         size_t nsame);
void lede__shardopen_free(lede__shardopen *s);
/* After a search of db, the set s opened, failed with rc: when a shard's
 * connection failed, rc with a message naming the shard, or with
 * allow_partial 0 once the shard is left out (search again). Otherwise
 * rc as it is. */
int lede__shardopen_failed(lede__shardopen *s, struct lede__xdb *db, int rc);
/* Non-zero when a remote shard is open. */
int lede__shardopen_remote(const lede__shardopen *s);
/* The shards left out: how many, and the stub line of the i-th (NULL past
 * the last); borrowed from s. */
size_t lede__shardopen_missing_count(const lede__shardopen *s);
const char *lede__shardopen_missing(const lede__shardopen *s, size_t i);

/* ---- key.c: the names a passage document carries; short keys -------------
 */

/* Term prefixes. Indexed words are case-folded, so they never start with
 * an ASCII capital and cannot collide with a prefix. */
#define LEDE__PREFIX_ID "Q"     /* article id, on every passage */
#define LEDE__PREFIX_TITLE "S"  /* title words, on every passage */
#define LEDE__TERM_ARTICLE "XA" /* marks the passage holding the article */
#define LEDE__PREFIX_SOURCE "F" /* source file key, on the first passage */
#define LEDE__PREFIX_FIELD                                                     \
    "XF"                      /* NAME:VALUE of a field (fields.c), on          \
                                 every passage */
#define LEDE__PREFIX_DIR "XD" /* each folder of the article's path */
/* Value slots. */
#define LEDE__SLOT_ARTICLE 0 /* article id (collapse key) */
#define LEDE__SLOT_DATE 1    /* "YYYYMMDDhhmmss", every passage */
#define LEDE__SLOT_HASH 2    /* article content hash, first passage */
#define LEDE__SLOT_SOURCE 3  /* source file key, first passage */
#define LEDE__SLOT_SIMHASH 4 /* article similarity signature, every passage */

/* prefix + s, short enough for a Xapian term or metadata key: strings
 * over 200 bytes are cut at 180 (on a UTF-8 boundary) and completed with
 * '#' and a 64-bit hash of the whole. Replaces the contents of out. */
int lede__key_short(lede__buf *out, const char *prefix, const char *s,
                    size_t len);
/* The article-id term of id (LEDE__PREFIX_ID, index.c). */
int lede__key_id_term(lede__buf *out, const char *id, size_t len);

/* ---- sources.c: what the index remembers of each corpus file
 * ----------------- */

typedef struct {
    char *key;         /* source key (absolute path) */
    uint64_t size;     /* bytes on disk when last read */
    int64_t mtime_ns;  /* modification time then */
    uint64_t hash;     /* hash of the raw bytes then */
    uint64_t articles; /* articles it held */
    uint64_t problems; /* bad parts of it skipped then (reported again
                          every sync until it changes) */
    int seen;          /* sync: the walk found it */
} lede__source;

typedef struct {
    lede__source *v; /* records */
    size_t n;        /* count */
    size_t cap;      /* allocated */
} lede__sources;

/* Metadata keys of source records start with this. */
#define LEDE__SOURCE_META_PREFIX "lede:src:"

/* The form of a source key used in the index (term, value): the key, or
 * a cut and hashed form of a long one. Replaces the contents of out. */
int lede__source_short(lede__buf *out, const char *key);
/* Remember s (in the open transaction, starting one if needed). */
int lede__source_store(struct lede__xdb *db, const lede__source *s);
/* Forget the source with key. */
/* The record of s, encoded as the index keeps it. */
int lede__source_encode(lede__buf *out, const lede__source *s);
/* One record for a file that n shards each read: the first, with the
 * shards' article counts summed (a record that does not decode is kept as
 * it is). */
int lede__source_merge(lede__buf *out, const char *const *recs,
                       const size_t *lens, size_t n);
int lede__source_forget(struct lede__xdb *db, const char *key);
/* Parse a stored record; s->key is allocated. */
int lede__source_decode(lede__source *s, const char *data, size_t len);
/* Append the records of the sources under root (an absolute directory
 * path, or with is_file the one file) to out. */
int lede__sources_load(lede__sources *out, struct lede__xdb *db,
                       const char *root, int is_file);
void lede__sources_sort(lede__sources *s);
/* The record with key in a sorted set, or NULL. */
lede__source *lede__sources_find(lede__sources *s, const char *key);
void lede__sources_free(lede__sources *s);

/* ---- index.c: the index handle, its settings and the revision open -------
 */

/* lede_index_open() of a build's temporary shard (opts->mode
 * LEDE_OPEN_CREATE): its commits are not synced to disk, because the
 * shard is thrown away unless the whole build finishes, and the index
 * made of it is synced when it is written. */
int lede__index_open_scratch(lede_index **out, const char *path,
                             const lede_index_options *opts);
/* The database of the revision open (NULL once closed). */
struct lede__xdb *lede__index_db(lede_index *idx);
/* Where the revision keeps its database, for repair.c to open it again
 * after a failed commit. */
struct lede__xdb **lede__index_db_slot(lede_index *idx);
/* The path the handle was opened with. */
const char *lede__index_path(const lede_index *idx);
/* The analysis of the revision open: its language's stemmer and that
 * revision's own stem cache. Borrowed until lede_index_reopen() or
 * lede_index_free(). */
lede__analysis *lede__index_analysis(lede_index *idx);
/* Does the index leave LEDE_STOPWORDS out? */
int lede__index_stopwords(const lede_index *idx);
/* Its passage settings; max_words is LEDE_PASSAGE_ARTICLE when every
 * article is one passage. */
lede__segment_opts lede__index_passages(const lede_index *idx);
/* Its sentence segmenter (writers only; NULL for readers). */
lede__segmenter *lede__index_segmenter(lede_index *idx);
/* The writer's state (writer.c's; NULL until it sets one), freed by
 * free_fn with the handle: the handle knows nothing more of the writer,
 * which calls it, so that the two do not call each other. */
void *lede__index_writer(lede_index *idx);
void lede__index_set_writer(lede_index *idx, void *writer,
                            void (*free_fn)(void *));
/* Rewrite the current error message as "prefix: message", or leave it
 * when it names a file under prefix (a file in the index names the index
 * too). Returns rc. */
int lede__index_error_prefix(int rc, const char *prefix);
/* The encoding the index's corpus is read in (lede:encoding). With *name
 * NULL, *name becomes the stored one (NULL for "auto"; borrowed from idx
 * until the next call). Otherwise *name must be the stored one, or the
 * index must be empty: then it is stored (pending, for the next commit)
 * and *stored_out set. LEDE_EINVAL names both when they differ. */
int lede__index_encoding(lede_index *idx, const char **name, int *stored_out);
/* Whether the index was made by a lede that keeps keyword fields and dir:
 * terms (a set: every shard); an older one has none of them. */
int lede__index_keeps_fields(const lede_index *idx);
/* The fields the index declares, comma-separated ("" for none); borrowed
 * until the index is reopened or freed. */
const char *lede__index_declared_fields(const lede_index *idx);
/* Within a writer's transaction, before it adds a passage record: an
 * index of format 1 is marked as of the current format (pending, for the
 * next commit), since its new records are of a version older ledes do not
 * read. */
int lede__index_format_upgrade(lede_index *idx);
/* Copy options of any version into *o (current version, defaults for
 * what in lacks; in may be NULL) and check them. */
int lede__index_options_read(lede_index_options *o,
                             const lede_index_options *in);
/* After a search of a shard set failed with rc: when a shard's
 * connection failed, rc with a message naming the shard, or with
 * allow_partial 0 once the shard is left out (search again). Otherwise
 * rc as it is. */
int lede__index_shard_failed(lede_index *idx, int rc);
/* Non-zero when idx is a shard set with a remote shard open. */
int lede__index_remote(const lede_index *idx);
/* Whether a reader's path now names another directory than the one it
 * opened: a rebuild swapped a new index in. */
int lede__index_swapped(const lede_index *idx);
/* 0, or LEDE_EINVAL with the message when idx is NULL, closed, or (with
 * write) read-only; fn names the public function for the message. */
int lede__index_usable(const lede_index *idx, int write, const char *fn);

/* ---- article.c: articles given back whole; the list of them -------------
 * (its functions are all public: lede_index_article(), lede_stored_*(),
 * lede_index_articles()) */

/* ---- prefix.c: prefix* read against the index's vocabulary --------------- */

struct lede__prefix_memo;
/* The prefixes of one query: what they read, and each one's terms. */
typedef struct {
    lede_index *idx;                /* whose vocabulary and stemmer */
    const lede__budget *budget;     /* the search's time budget, or NULL */
    size_t scanned;                 /* index entries read so far */
    struct lede__prefix_memo *memo; /* each prefix's expansion, read once */
    size_t nmemo;                   /* count */
    size_t capmemo;                 /* allocated */
    lede__buf stem;                 /* stemmer output */
} lede__prefixes;

/* prefix*: the OR of the most frequent terms (under field) of the index's
 * words starting with the folded word w, which text[a, b) of t ('*'
 * included) gave; NONE when there are none. The nodes live in t, and a
 * failure (LEDE_ELIMIT past LEDE_PREFIX_MAX_SCAN or LEDE_QUERY_MAX_SCAN
 * entries, the budget, the index) marks t and returns NULL. */
lede__qnode *lede__prefix_node(lede__prefixes *ps, lede__qtree *t,
                               const char *field, const char *w, size_t a,
                               size_t b);
void lede__prefix_free(lede__prefixes *ps);

/* ---- qfilter.c: NAME:VALUE, dir: and id: filters of a query ------------- */

/* The node of the field token tok of t's text: a term that narrows and
 * weighs nothing; NULL with t failed (an unknown field, a bad value). */
lede__qnode *lede__qfilter_node(lede__qtree *t, lede_index *idx,
                                const lede__qtok *tok);
/* Whether the name of field token tok of text is a filter the index has
 * (a field, dir:, id:), for "NAME:" with no value, which is a word when
 * it is not. */
int lede__qfilter_is_field(lede_index *idx, const char *text,
                           const lede__qtok *tok);

/* ---- like.c: related stories: the words that best tell an article apart -- */

typedef struct {
    char *terms[LEDE_LIKE_TERMS]; /* its best words (stemmed terms), best
                                     first */
    size_t n;                     /* how many */
    char *id;                     /* the article */
    char sig[17];                 /* its near-duplicate signature, "" if
                                     none */
} lede__like;

/* The related-stories query of article id: LEDE_ENOTFOUND when the index
 * has no such article, or it has no words. */
int lede__like_make(lede__like *out, lede_index *idx, const char *id);
void lede__like_free(lede__like *l);
/* The tree of l: its words, any of them, ranking; the article itself
 * left out; narrow (a query's tree, may be NULL) narrowing. NULL with t
 * failed. */
lede__qnode *lede__like_root(lede__qtree *t, const lede__like *l,
                             lede__qnode *narrow);

/* ---- query.c: query text -> query tree ------------------------------------
 */

/* A plain word of the query, for spelling suggestions. */
typedef struct {
    size_t start;       /* byte offsets in the query text */
    size_t end;         /* exclusive */
    const char *folded; /* the word as the tokenizer folded it */
    const char *stem;   /* its stem (the term searched) */
} lede__qword;

typedef struct {
    int all;             /* words side by side must all match */
    double title_weight; /* weight of title matches; 0: none */
    int64_t date_from;   /* date filter, or LEDE_NO_DATE */
    int64_t date_to;     /* date filter, or LEDE_NO_DATE */
    int plain;           /* LEDE_SEARCH_PLAIN: words only, no syntax */
    int stopwords;       /* drop lone stop words (no KEEP_STOPWORDS) */
    int index_stopwords; /* the index has none: drop them from phrases too */
    double proximity;    /* weight of query neighbours found near */
    const lede__budget *budget; /* the search's time budget, or NULL */
    const lede__like *like;     /* related stories: the query ranks by
                                   these words, without the article, and
                                   the text (may be empty) only narrows */
} lede__parse_opts;

typedef struct lede__query lede__query;

/* Parse text (NUL-terminated UTF-8) with the words, stemmer and limits of
 * idx. Errors are LEDE_EINVAL naming the problem and its column. */
int lede__query_parse(lede__query **out, lede_index *idx, const char *text,
                      const lede__parse_opts *opts);
const lede__qnode *lede__query_root(const lede__query *q);
/* The plain (unfielded, unsigned or +) words of the query. */
const lede__qword *lede__query_words(const lede__query *q, size_t *n_out);
/* The index entries (terms and spelling words) read to expand the query's
 * prefixes, which LEDE_QUERY_MAX_SCAN bounds. */
size_t lede__query_scanned(const lede__query *q);
void lede__query_free(lede__query *q);

/* ---- snippet.c: highlights and snippets ---------------------------------- */

typedef struct {
    size_t first; /* index of the highlight's first word */
    size_t last;  /* index of its last word */
    unsigned id;  /* which term or phrase of the query it is */
} lede__snippet_hit;

typedef struct {
    lede_span *spans;        /* highlights, in order, not overlapping */
    lede__snippet_hit *hits; /* the same highlights' words and terms */
    size_t n;                /* count */
    size_t capspans;         /* allocated */
    size_t caphits;          /* allocated */
    const lede__span
        *words;    /* the passage's words (owned by the lede__snippet_finder) */
    size_t nwords; /* count */
} lede__snippet_matches;

typedef struct {
    size_t start;   /* byte offsets of the snippet in the passage text */
    size_t end;     /* exclusive */
    int cut_before; /* text before start was left out */
    int cut_after;  /* text after end was left out */
} lede__window;

typedef struct lede__snippet_finder lede__snippet_finder;

/* Prepare to find the body terms and phrases of a query in passages. */
int lede__snippet_new(lede__snippet_finder **out, lede_index *idx,
                      const lede__qnode *root);
void lede__snippet_free(lede__snippet_finder *h);
/* Find them in text; r is filled (free with lede__snippet_matches_free); its
 * words stay valid until the next call with h. */
int lede__snippet_find(lede__snippet_matches *r, lede__snippet_finder *h,
                       const char *text, size_t len);
void lede__snippet_matches_free(lede__snippet_matches *r);
/* The window of at most `words` words with the densest matches. */
void lede__snippet_window(lede__window *win, const lede__snippet_matches *r,
                          size_t text_len, const char *text, size_t words);
/* Append the window's text with "…" at cuts and highlights wrapped in
 * hi_start/hi_end (either may be NULL). */
int lede__snippet_render(lede__buf *out, const char *text,
                         const lede__window *win, const lede_span *hl,
                         size_t nhl, const char *hi_start, const char *hi_end);

/* ---- facet.c: how the matching articles spread over values and dates ---- */

typedef struct lede__facets lede__facets;

/* The facets of spec (lede_search_options.facets) to count; *out NULL for
 * none. LEDE_EINVAL names an unknown field with the index's fields. */
int lede__facet_new(lede__facets **out, lede_index *idx, const char *spec);
void lede__facet_free(lede__facets *fs);
/* Count them over every article matching root (local shards only),
 * keeping limit values of each field facet. */
int lede__facet_count(lede__facets *fs, lede_index *idx,
                      const lede__qnode *root, unsigned limit);
/* The matching articles the count saw: every one, exactly. */
uint64_t lede__facet_articles(const lede__facets *fs);
/* lede_results_facet_count() and lede_results_facet() of the facets. */
size_t lede__facet_n(const lede__facets *fs);
const lede_facet_value *lede__facet_get(const lede__facets *fs, size_t f,
                                        const char **name_out,
                                        uint64_t *distinct_out, size_t *n_out);

/* ---- results.c: the results of a search, built hit by hit ------------- */

/* One hit of a search, as the shim found it, to add to results. */
typedef struct {
    const char *id;   /* article id */
    size_t id_len;    /* its length */
    const char *data; /* the passage's stored record (not read: ids only) */
    size_t data_len;  /* its length */
    double score;     /* BM25 weight */
    uint64_t docid;   /* the passage's document, for its explanation */
    unsigned similar; /* near-duplicates folded into it */
} lede__results_found;

/* Empty results with room for nhits hits; *out is NULL on failure. */
int lede__results_new(lede_results **out, size_t nhits);
/* Add f as the next hit: its stored record's strings (or only its id,
 * with LEDE_SEARCH_IDS_ONLY), its highlights by hl and snippet window, and
 * its explanation by ex (NULL: none). A hit showing none of the query's
 * words shows its article's lead instead, read from idx. */
int lede__results_add(lede_results *res, const lede__results_found *f,
                      const lede_search_options *o, lede_index *idx,
                      lede__snippet_finder *hl, lede__explainer *ex);
/* After the last hit: no string is added after this but the notes. */
void lede__results_finish(lede_results *res);
/* n articles match (exactly, or estimated). */
void lede__results_set_count(lede_results *res, uint64_t n, int exact);
int lede__results_set_suggestion(lede_results *res, const char *s, size_t len);
/* Why nothing was shown. */
int lede__results_set_note(lede_results *res, const char *s, size_t len);
/* The shards of idx's set left out, as of now. */
/* The facets counted, which res now owns (NULL: none). */
void lede__results_set_facets(lede_results *res, lede__facets *fs);
int lede__results_set_missing(lede_results *res, lede_index *idx);

/* ---- count.c: how many articles a query matches ------------------------- */

/* How many articles match root, into *n_out, with *exact_out set when the
 * count is exact. found: what the ranked search, collapsed on the article
 * and run with lede__count_at_least(flags), saw (NULL: a match of its own
 * counts). known: articles the search has shown to match; all: known is
 * all of them (the search ran out of matches), so no count is needed.
 * LEDE_SEARCH_COUNT in flags counts every match. */
int lede__count_articles(uint64_t *n_out, int *exact_out, lede_index *idx,
                         const lede__qnode *root, unsigned flags,
                         const struct lede__xcount *found, uint64_t known,
                         int all);
/* The passages a search looks at before its count is an estimate. */
uint64_t lede__count_at_least(unsigned flags);

/* ---- parallel.c: one search by several threads, over a shard set -------- */

struct lede__xhits;
struct lede__xsearch;

/* The hits of root with p on idx into *out, as lede__xdb_search() finds
 * them, searched by up to `threads` threads (lede_search_options.threads)
 * when idx is a set of local shards, each thread over a part of them. */
int lede__parallel_search(struct lede__xhits *out, lede_index *idx,
                          const lede__qnode *root,
                          const struct lede__xsearch *p, unsigned threads);
/* The threads a search with `threads` (0: as many as shards, at most one
 * per online CPU) runs over a set of `shards` local shards. */
size_t lede__parallel_threads(unsigned threads, size_t shards);

/* ---- search.c: running a query ------------------------------------------ */

/* Nothing shared: its functions are lede.h's (lede_search(),
 * lede_query_describe() and their _n forms). */

/* ---- check.c: index verification --------------------------------------- */

/* How a check tells its caller what it finds: lede_index_check()'s and
 * lede_shards_check()'s. */
typedef struct {
    lede_check_cb cb;  /* caller's callback */
    void *payload;     /* its payload */
    uint64_t problems; /* found so far */
    int stopped;       /* cb's non-zero value, once it gave one */
} lede__check_report;

/* Start a report to cb, with *problems_out (may be NULL) set to 0. */
void lede__check_start(lede__check_report *r, lede_check_cb cb, void *payload,
                       uint64_t *problems_out);
/* Count a problem and tell the callback, unless it stopped the check;
 * returns its non-zero value once it gave one. */
int lede__check_problem(lede__check_report *r, const char *fmt, ...)
    LEDE__PRINTF(2, 3);
/* What a check of path that ended with rc returns: rc, else the
 * callback's stop value, else LEDE_ECORRUPT counting the problems (a
 * message naming path); *problems_out (may be NULL) gets the count. */
int lede__check_end(lede__check_report *r, int rc, const char *path,
                    uint64_t *problems_out);

/* ---- firstbuild.c: the mark of an unfinished first build -------------------
 */

/* Mark idx, if it holds no article and is not marked, as a first build
 * not yet finished: the mark is pending, for the sync's first commit
 * (*stored_out says whether a change was made). */
int lede__firstbuild_mark(lede_index *idx, int *stored_out);
/* Clear the mark in the database at path, a compacted copy not yet
 * swapped in (committed there; an unmarked copy is left as it is). */
int lede__firstbuild_clear(const char *path);

/* ---- swap.c: a new index built beside the old one, swapped in -------------
 */

/* Remove the tree at path (best effort; 0 or -1 with errno). */
int lede__swap_remove(const char *path);
/* Remove tmp if it is the leftover of an interrupted rebuild or compaction
 * (an index, or a shard set); anything else there is LEDE_EINVAL. */
int lede__swap_clear_leftover(const char *tmp);
/* Exchange the directories at a and b, atomically where the system can;
 * otherwise b is moved to *moved_old (allocated) and a to b. */
int lede__swap_exchange(const char *a, const char *b, char **moved_old);
/* Put the index or set built at tmp in the place of the one at path (which
 * keeps its directory's mode), call release(payload) (NULL: none) to let
 * the old one's handles and locks go, and remove the old one. On failure
 * tmp is removed and path left as it was. */
int lede__swap_in(const char *tmp, const char *path, void (*release)(void *),
                  void *payload);

/* Compact the database that db (a writer, holding its lock) opened at
 * path into path + ".compact", then swap that in as lede__swap_in() does,
 * release(payload) letting db go. */
int lede__swap_compact(struct lede__xdb *db, const char *path,
                       void (*release)(void *), void *payload);

/* ---- repair.c: after a failed commit --------------------------------------
 */

/* Call after a commit of the writer *db of the index at path failed with
 * rc: if the failure left the index damaged (Xapian 1.4's free-block
 * list), compact it in place and open *db again on it (NULL if that
 * fails). Returns rc, its message telling whether the index was damaged
 * and repaired. */
int lede__repair_commit(struct lede__xdb **db, const char *path, int rc);

/* ---- writer.c: articles -> passages -> Xapian documents ------------------
 */

/* Hash of an article's title, body, date and url: what decides whether a
 * re-read article changed. */
uint64_t lede__writer_article_hash(const lede_article *a);
/* lede_index_add() for an article read from the source file with key
 * source (NULL: none). */
int lede__writer_add(lede_index *idx, const lede_article *a, const char *source,
                     size_t source_len);
/* The content hash and source key of the article with id; LEDE_ENOTFOUND
 * (no message) when there is none. */
int lede__writer_lookup(lede_index *idx, const char *id, uint64_t *hash_out,
                        lede__buf *source_out);
/* Drop every change since the last commit (the spelling counts too). */
void lede__writer_cancel(lede_index *idx);
/* With on, commits leave the spelling counts in memory, for a commit
 * after lede__writer_defer_spellings(idx, 0): each word's fragments are
 * then written once, not once a batch (Xapian compresses each, clearing
 * zlib's 128 KB hash every time). Only for builds that keep
 * nothing unless they finish: a crash loses the counts. */
void lede__writer_defer_spellings(lede_index *idx, int on);
/* Move the spelling counts that from holds for a commit into to's, where
 * they add up: a build's shards hand theirs to one shard, so that each
 * fragment of the spelling data is written once, and the merge copies it
 * rather than inflating, merging and compressing again the fragments
 * that several shards hold. */
int lede__writer_take_spellings(lede_index *to, lede_index *from);

/* ---- apply.c: one shard's side of a sync -----------------------------------
 */

#ifndef __cplusplus /* C11 atomics: see events.c */

/* One shard's side of a sync. */
typedef struct {
    lede__events *hub;      /* shared */
    unsigned shard;         /* which of hub->n */
    lede_index *idx;        /* the shard's index */
    struct lede__xdb *db;   /* its database */
    lede__sources srcs;     /* its source records (the reader marks them
                               seen, until it hands them over) */
    lede_sync_stats stats;  /* its counts */
    lede_sync_stats kept;   /* its counts at its last commit */
    size_t pending;         /* changes since the last commit */
    int fatal;              /* an index failure: the sync is over */
    const lede__file *file; /* file being read */
    uint64_t file_problems; /* its articles this shard could not take */
    lede__buf skey;         /* its short source key */
    lede__buf other;        /* scratch: another article's source */
    char **seen;            /* ids of the file given to this shard */
    size_t nseen;           /* count */
    size_t capseen;         /* allocated */
    lede__strmap counted;   /* those ids -> how each was counted */
    int rc;                 /* its result */
    char err[1024];         /* its error message (they are per thread) */
} lede__apply_ctx;

/* What the reader tells a shard. */
typedef enum {
    LEDE__APPLY_BEGIN,   /* the file's articles for the shard follow */
    LEDE__APPLY_ARTICLE, /* one of them */
    LEDE__APPLY_DONE,    /* the file was read to its end */
    LEDE__APPLY_TOUCH,   /* the file is as the shard has it, with a new
                            time */
    LEDE__APPLY_END      /* no more: the thread finishes its shards */
} lede__apply_kind;

typedef struct lede__apply_msg {
    struct lede__apply_msg *next; /* the next in its queue */
    size_t size;                  /* bytes held */
    lede__apply_kind kind;        /* what */
    unsigned shard;               /* for which shard */
    const lede__file *file;       /* the file (the reader's, which outlives
                                     the threads) */
    uint64_t line;                /* ARTICLE: its line */
    uint64_t hash;                /* DONE, TOUCH: the file's hash */
    uint64_t articles;            /* TOUCH: the articles it holds */
    uint64_t problems;            /* DONE: the reader's problems in the
                                     file; TOUCH: those the shard's record
                                     holds */
    lede_article a;               /* ARTICLE: the article; queued, its
                                     strings follow the message */
} lede__apply_msg;

/* Apply m to the shard c (nothing once c->fatal is set). */
void lede__apply_deliver(lede__apply_ctx *c, const lede__apply_msg *m);
/* After the reader's last message (and with its records marked seen): the
 * sources that vanished, and the last commit. Sets c->rc. */
void lede__apply_finish(lede__apply_ctx *c);
/* Release what c holds (not its index). */
void lede__apply_free(lede__apply_ctx *c);
#endif /* !__cplusplus */

/* ---- queue.c: the reader's messages to the shards' threads ---------------
 */

#ifndef __cplusplus /* C11 atomics: see events.c */

typedef struct {
    pthread_mutex_t lock;  /* the rest */
    pthread_cond_t more;   /* a message was put */
    pthread_cond_t room;   /* a message was taken */
    lede__apply_msg *head; /* oldest */
    lede__apply_msg *tail; /* newest */
    size_t count;          /* messages */
    size_t bytes;          /* their sizes */
} lede__queue;

int lede__queue_init(lede__queue *q);
/* Frees the messages still queued. */
void lede__queue_destroy(lede__queue *q);
/* Put m (the queue's from now on) at the end, waiting for room. */
void lede__queue_put(lede__queue *q, lede__apply_msg *m);
/* The oldest message (the caller's from now on), waiting for one. */
lede__apply_msg *lede__queue_take(lede__queue *q);
/* A copy of m in one allocation, an article's strings with it; NULL when
 * out of memory. */
lede__apply_msg *lede__queue_copy(const lede__apply_msg *m);
#endif /* !__cplusplus */

/* ---- jsonkeys.c: the JSON Lines keys a sync reads, kept with the index -- */

/* The JSON keys of ro (json_id ... json_url, json_fields): given ones are
 * stored in db's metadata (pending, in a transaction; *stored_out set
 * when they changed); with none given, ro takes the stored ones, left in
 * keep, which must outlive ro's use. */
int lede__jsonkeys_resolve(lede_read_options *ro, lede__buf *keep,
                           struct lede__xdb *db, int *stored_out);

/* ---- sync.c: a corpus read once, its articles handed to the shards -------
 */

/* The most threads a parallel build takes. */
#define LEDE__THREADS_MAX LEDE_THREADS_MAX

/* copy the caller's sync options, of whatever version (the
 * struct's and its read options', which it holds by value and so lays out
 * the fields after it by), into *o, which then has this version's layout;
 * fields the caller's versions lack keep their defaults. Checks the
 * versions only. */
int lede__sync_options_copy(lede_sync_options *o, const lede_sync_options *in);
/* a sync by n threads, thread k indexing into idxs[k] the articles
 * whose id hashes to k, which the calling thread reads once for all; a
 * build whose shards are then merged into one index, so their spelling
 * counts are all written by shard 0, once, after the threads. */
int lede__sync_parallel(lede_sync_stats *stats_out, lede_index *const *idxs,
                        unsigned n, const char *const *roots, size_t nroots,
                        const lede_sync_options *opts);
/* whole for a build whose shards are merged (lede__sync_parallel). */
#define LEDE__SYNC_MERGED 2
/* the same, n shards synced by at most threads threads (0: n),
 * each shard's own commits made as they come. whole: the sync is kept
 * whole or not at all (a build), so spelling data waits for its end
 * (LEDE__SYNC_MERGED: for gathering in shard 0).
 * names (or NULL) name the shards in the error message. */
int lede__sync_shards(lede_sync_stats *stats_out, lede_index *const *idxs,
                      unsigned n, unsigned threads, int whole,
                      const char *const *names, const char *const *roots,
                      size_t nroots, const lede_sync_options *opts);

/* ---- rebuild.c: building beside ------------------------------------------
 */

/* Give the index fresh, being built to replace old (NULL: none), the file
 * patterns old keeps, and commit them. */
int lede__rebuild_inherit(lede_index *fresh, lede_index *old);
/* Make o open an existing index with the settings it was made with
 * (language, passage size and overlap, stop words), whatever the caller's
 * options named: to hold its lock, or to compact it. */
void lede__rebuild_keep_settings(lede_index_options *o);
/* The options of fn (lede_index_compact, lede_shards_compact) for the
 * index at path: the caller's (opts, any version) with the settings the
 * index keeps; LEDE_EINVAL, naming fn, when path is NULL. */
int lede__rebuild_compact_options(lede_index_options *o, const char *fn,
                                  const char *path,
                                  const lede_index_options *opts);
/* The compactor's merge of a metadata key that several shards hold: a
 * source record sums their article counts; settings are the first's. */
int lede__rebuild_merge_meta(lede__buf *out, const char *key, size_t key_len,
                             const char *const *values, const size_t *lens,
                             size_t n);
/* What a failed rebuild reports in stats (NULL: nothing): the index at
 * the path is as it was, so no article was added, updated or deleted. */
void lede__rebuild_unchanged(lede_sync_stats *stats);

/* ---- shardset.c: making, syncing, rebuilding and checking shard sets ----- */

/* Nothing shared: its functions are lede.h's (lede_shards_*()). */

#ifdef __cplusplus
}
#endif

#endif /* LEDE_INT_H */
