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
    UBreakIterator *brk;    /* ICU word break iterator */
    const UNormalizer2 *cf; /* NFKC_Casefold, owned by ICU */
    UText *ut;              /* reused UText over the current input */
    UChar *u16;             /* scratch: the word as UTF-16 */
    int32_t u16_cap;        /* UChars allocated in u16 */
    UChar *norm;            /* scratch: the folded word as UTF-16 */
    int32_t norm_cap;       /* UChars allocated in norm */
    lede__buf term;         /* the folded word as UTF-8 */
};

static int icu_error(const char *what, UErrorCode st)
{
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

int lede__tokenizer_run(lede__tokenizer *t, const char *text, size_t len,
                        lede__token_fn fn, void *payload)
{
    UErrorCode st = U_ZERO_ERROR;
    uint32_t pos = 0;

    if (len > INT32_MAX)
        return lede__error_set(
            LEDE_EINVAL, "text of %zu bytes is over the 2 GiB limit", len);
    if (len == 0)
        return 0;
    t->ut = utext_openUTF8(t->ut, text, (int64_t)len, &st);
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
        pos++;
        int rc = fold(t, text + prev, (size_t)(next - prev),
                      status < UBRK_WORD_NUMBER_LIMIT);
        if (rc < 0)
            return rc;
        if (t->term.len == 0 || t->term.len > LEDE__TOKEN_MAX)
            continue;
        lede__token tok = {t->term.data, t->term.len, (size_t)prev,
                           (size_t)next, pos};
        if ((rc = fn(&tok, payload)) != 0)
            return rc;
    }
    return 0;
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
