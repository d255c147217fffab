/*
 * tokenize.c - words of a text: ICU word boundaries and NFKC case folding.
 *
 * Owns the decision of what a word is, for documents and queries alike:
 * ICU's word break rules over a UTF-8 UText (so offsets are byte offsets
 * into the caller's text), keeping the segments ICU tags as numbers,
 * letters, kana or ideographs. Each kept word is folded with NFKC_Casefold,
 * typographic apostrophes become ASCII ones (so the stemmer sees "trump's"
 * either way) and thousands separators leave numbers. Stemming is not here
 * (the index owns its language). Calls buf.c, alloc.c and error.c.
 */
#include "lede_int.h"

#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

struct lede__tokenizer {
    UBreakIterator *brk;        /* ICU word break iterator */
    const UNormalizer2 *cf;     /* NFKC_Casefold, owned by ICU */
    UText *ut;                  /* reused UText over the current input */
    UChar *u16;                 /* scratch: the word as UTF-16 */
    int32_t u16_cap;            /* UChars allocated in u16 */
    UChar *norm;                /* scratch: the folded word as UTF-16 */
    int32_t norm_cap;           /* UChars allocated in norm */
    lede__buf term;             /* the folded word as UTF-8 */
    size_t too_long;            /* offset of the first word over
                                   LEDE__TOKEN_MAX in the last run, or
                                   SIZE_MAX */
    const unsigned char *first; /* lede__tokenizer_run_only()'s, or NULL */
};

/* ICU running out of memory is LEDE_ENOMEM, like any allocation of ours:
 * callers tell it from a real failure by the code alone. */
static int icu_error(const char *what, UErrorCode st)
{
    if (st == U_MEMORY_ALLOCATION_ERROR)
        return lede__error_nomem();
    return lede__error_set(LEDE_ERROR, "ICU %s failed: %s", what,
                           u_errorName(st));
}

int lede__tokenizer_new(lede__tokenizer **out)
{
    UErrorCode st = U_ZERO_ERROR;
    lede__tokenizer *t = lede__calloc(1, sizeof *t);

    *out = NULL;
    if (t == NULL)
        return lede__error_nomem();
    t->cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st)) {
        lede__free(t);
        return icu_error("NFKC_Casefold", st);
    }
    t->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    if (U_FAILURE(st)) {
        lede__free(t);
        return icu_error("word break iterator", st);
    }
    *out = t;
    return 0;
}

void lede__tokenizer_free(lede__tokenizer *t)
{
    if (t == NULL)
        return;
    ubrk_close(t->brk);
    utext_close(t->ut);
    lede__free(t->u16);
    lede__free(t->norm);
    lede__buf_free(&t->term);
    lede__free(t);
}

static int grow_u16(UChar **p, int32_t *cap, int32_t need)
{
    if (need <= *cap)
        return 0;
    UChar *q = lede__realloc(*p, (size_t)need * sizeof(UChar));
    if (q == NULL)
        return lede__error_nomem();
    *p = q;
    *cap = need;
    return 0;
}

/* Fold a non-ASCII word into t->term. */
static int fold_unicode(lede__tokenizer *t, const char *w, int32_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0, nnorm, n8;
    int rc;

    /* A UTF-8 word never needs more UTF-16 units than it has bytes. */
    if ((rc = grow_u16(&t->u16, &t->u16_cap, len)) < 0)
        return rc;
    u_strFromUTF8WithSub(t->u16, t->u16_cap, &n16, w, len, 0xfffd, NULL, &st);
    if (U_FAILURE(st))
        return icu_error("UTF-8 conversion", st);

    nnorm = unorm2_normalize(t->cf, t->u16, n16, t->norm, t->norm_cap, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        st = U_ZERO_ERROR;
        if ((rc = grow_u16(&t->norm, &t->norm_cap, nnorm)) < 0)
            return rc;
        nnorm = unorm2_normalize(t->cf, t->u16, n16, t->norm, t->norm_cap, &st);
    }
    if (U_FAILURE(st))
        return icu_error("case folding", st);
    for (int32_t i = 0; i < nnorm; i++) {
        /* Right single quotation mark and modifier letter apostrophe are
         * the apostrophes of edited text; the stemmer knows only "'". */
        if (t->norm[i] == 0x2019 || t->norm[i] == 0x02bc)
            t->norm[i] = 0x27;
    }

    st = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &n8, t->norm, nnorm, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return icu_error("UTF-8 conversion", st);
    lede__buf_clear(&t->term);
    if ((rc = lede__buf_reserve(&t->term, (size_t)n8)) < 0)
        return rc;
    st = U_ZERO_ERROR;
    u_strToUTF8(t->term.data, n8 + 1, NULL, t->norm, nnorm, &st);
    if (U_FAILURE(st))
        return icu_error("UTF-8 conversion", st);
    t->term.len = (size_t)n8;
    return 0;
}

/* Fold the word w[0..len) into t->term; numbers lose their commas. */
static int fold(lede__tokenizer *t, const char *w, size_t len, int number)
{
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)w[i] < 0x80;

    if (ascii) {
        int rc;
        lede__buf_clear(&t->term);
        if ((rc = lede__buf_reserve(&t->term, len)) < 0)
            return rc;
        for (size_t i = 0; i < len; i++) {
            char c = w[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            t->term.data[i] = c;
        }
        t->term.len = len;
        t->term.data[len] = '\0';
    } else {
        int rc = fold_unicode(t, w, (int32_t)len);
        if (rc < 0)
            return rc;
    }
    if (number) {
        size_t j = 0;
        for (size_t i = 0; i < t->term.len; i++) {
            if (t->term.data[i] != ',')
                t->term.data[j++] = t->term.data[i];
        }
        t->term.len = j;
        t->term.data[j] = '\0';
    }
    return 0;
}

int lede__tokenizer_fold(lede__buf *out, lede__tokenizer *t, const char *s,
                         size_t len)
{
    if (len > INT32_MAX / 4)
        return lede__error_set(LEDE_ELIMIT, "%zu bytes are too many to fold",
                               len);
    int rc = fold(t, s, len, 0);
    lede__buf_clear(out);
    return rc < 0 ? rc : lede__buf_put(out, t->term.data, t->term.len);
}

/* One word of [start, end) to fn: folded, counted, skipped when empty or
 * too long. */
static int emit_word(lede__tokenizer *t, const char *text, size_t start,
                     size_t end, int number, uint32_t *pos, lede__token_fn fn,
                     void *payload)
{
    (*pos)++;
    int rc = fold(t, text + start, end - start, number);
    if (rc < 0)
        return rc;
    if (t->term.len > LEDE__TOKEN_MAX && t->too_long == SIZE_MAX)
        t->too_long = start;
    if (t->term.len == 0 || t->term.len > LEDE__TOKEN_MAX)
        return 0;
    lede__token tok = {t->term.data, t->term.len, start, end, *pos};
    return fn(&tok, payload);
}

/* ---- ASCII text ------------------------------------------------------------
 * ICU's word rules restricted to ASCII, for text with no other bytes:
 * ICU's iterator costs about a hundred instructions a byte, this a few.
 * What ICU 72's rules say of ASCII, as a test that compares the two on
 * random text confirms: letters, digits, '_' and '@' make words; '.' and
 * '\'' join two letters, and with ',' and ';' two digits; a lone '_' is
 * no word; a word is a number (its commas dropped) when it ends in a
 * digit, or in a '_' after a digit. */

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* ASCII's MidLetter and MidNumLet characters, and the Single_Quote: each
 * joins two letters. */
static int joins_letters(unsigned char c)
{
    return c == '.' || c == '\'';
}

/* ASCII's MidNum and MidNumLet characters, and the Single_Quote: each
 * joins two digits. */
static int joins_digits(unsigned char c)
{
    return c == '.' || c == '\'' || c == ',' || c == ';';
}

/* The words of text[from, to), ASCII, positions going on from *pos. */
static int run_ascii(lede__tokenizer *t, const char *text, size_t from,
                     size_t len, uint32_t *pos, lede__token_fn fn,
                     void *payload)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = from;
    while (i < len) {
        unsigned char c = s[i];
        if (!is_alpha(c) && !is_digit(c) && c != '_') {
            i++;
            continue;
        }
        size_t start = i++;
        for (;;) {
            unsigned char p = s[i - 1];
            if (i < len && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '_')) {
                i++;
                continue;
            }
            if (i + 1 < len) {
                unsigned char m = s[i], q = s[i + 1];
                if ((is_alpha(p) && is_alpha(q) && joins_letters(m)) ||
                    (is_digit(p) && is_digit(q) && joins_digits(m))) {
                    i += 2;
                    continue;
                }
            }
            break;
        }
        if (i - start == 1 && s[start] == '_')
            continue; /* a lone '_' is no word */
        /* ICU tags a word a number when it ends in a digit, or in a '_'
         * after one. */
        int number = is_digit(s[i - 1]) ||
                     (s[i - 1] == '_' && i - start > 1 && is_digit(s[i - 2]));
        int rc;
        /* An ASCII word folds to lower case, so its first byte is known
         * without folding it: one that is not wanted goes unfolded. */
        unsigned char lead = s[start] >= 'A' && s[start] <= 'Z'
                                 ? (unsigned char)(s[start] - 'A' + 'a')
                                 : s[start];
        if (t->first != NULL && !t->first[lead] &&
            i - start <= LEDE__TOKEN_MAX) {
            lede__token tok = {"", 0, start, i, ++*pos};
            rc = fn(&tok, payload);
        } else
            rc = emit_word(t, text, start, i, number, pos, fn, payload);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The words of text[from, to) by ICU's iterator. */
static int run_icu(lede__tokenizer *t, const char *text, size_t from, size_t to,
                   uint32_t *pos, lede__token_fn fn, void *payload)
{
    UErrorCode st = U_ZERO_ERROR;
    if (to == from)
        return 0;
    t->ut = utext_openUTF8(t->ut, text + from, (int64_t)(to - from), &st);
    if (U_FAILURE(st))
        return icu_error("UText", st);
    ubrk_setUText(t->brk, t->ut, &st);
    if (U_FAILURE(st))
        return icu_error("word break iterator", st);

    int32_t prev = ubrk_first(t->brk);
    for (int32_t next = ubrk_next(t->brk); next != UBRK_DONE;
         prev = next, next = ubrk_next(t->brk)) {
        int32_t status = ubrk_getRuleStatus(t->brk);
        if (status < UBRK_WORD_NONE_LIMIT)
            continue; /* spaces, punctuation, symbols, U+FFFD */
        int rc = emit_word(t, text, from + (size_t)prev, from + (size_t)next,
                           status < UBRK_WORD_NUMBER_LIMIT, pos, fn, payload);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Text is cut into stretches at ASCII white space, which the word rules
 * always break at: stretches of ASCII go the fast way, the others
 * through ICU. */
int lede__tokenizer_run(lede__tokenizer *t, const char *text, size_t len,
                        lede__token_fn fn, void *payload)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t pos = 0;
    size_t from = 0, i = 0;
    int ascii = 1; /* the stretch [from, i) so far */

    t->too_long = SIZE_MAX;
    if (len > INT32_MAX)
        return lede__error_set(
            LEDE_EINVAL, "text of %zu bytes is over the 2 GiB limit", len);
    while (i < len) {
        /* One chunk: white space, then what follows up to the next. */
        size_t c = i;
        while (c < len && is_space(s[c]))
            c++;
        size_t e = c;
        unsigned char any = 0;
        while (e < len && !is_space(s[e]))
            any |= s[e++];
        int chunk_ascii = any < 0x80;
        if (chunk_ascii != ascii && c > from) {
            int rc = ascii ? run_ascii(t, text, from, c, &pos, fn, payload)
                           : run_icu(t, text, from, c, &pos, fn, payload);
            if (rc != 0)
                return rc;
            from = c;
        }
        ascii = chunk_ascii;
        i = e;
    }
    return ascii ? run_ascii(t, text, from, len, &pos, fn, payload)
                 : run_icu(t, text, from, len, &pos, fn, payload);
}

int lede__tokenizer_run_only(lede__tokenizer *t, const char *text, size_t len,
                             const unsigned char first[256], lede__token_fn fn,
                             void *payload)
{
    t->first = first;
    int rc = lede__tokenizer_run(t, text, len, fn, payload);
    t->first = NULL;
    return rc;
}

int lede__tokenizer_run_icu(lede__tokenizer *t, const char *text, size_t len,
                            lede__token_fn fn, void *payload)
{
    uint32_t pos = 0;
    t->too_long = SIZE_MAX;
    if (len > INT32_MAX)
        return lede__error_set(
            LEDE_EINVAL, "text of %zu bytes is over the 2 GiB limit", len);
    return run_icu(t, text, 0, len, &pos, fn, payload);
}

size_t lede__tokenizer_too_long(const lede__tokenizer *t)
{
    return t->too_long;
}

struct public_cb {
    lede_token_cb cb; /* the caller's callback */
    void *payload;    /* the caller's payload */
};

static int call_public(const lede__token *tok, void *payload)
{
    struct public_cb *p = payload;
    return p->cb(tok->term, tok->len, tok->start, tok->end, p->payload);
}

LEDE_EXTERN(int)
lede_tokenize(const char *text, size_t len, lede_token_cb cb, void *payload)
{
    lede__tokenizer *t;
    struct public_cb p = {cb, payload};

    if ((text == NULL && len > 0) || cb == NULL)
        return lede__error_set(LEDE_EINVAL, "lede_tokenize: %s is NULL",
                               cb == NULL ? "callback" : "text");
    int rc = lede__tokenizer_new(&t);
    if (rc < 0)
        return rc;
    rc = lede__tokenizer_run(t, text, len, call_public, &p);
    lede__tokenizer_free(t);
    return rc;
}
