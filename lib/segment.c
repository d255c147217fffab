/*
 * segment.c - passages: windows of whole sentences.
 *
 * Owns where passages begin and end. A body is first cut into paragraphs:
 * a blank line always ends one; a single line break ends one too, unless
 * the lines around it look hard-wrapped (see soft_break()). Each paragraph
 * is cut into sentences by ICU's sentence rules, with the abbreviation
 * suppressions of the index language where ICU has them ("Mr. Smith" is one
 * sentence), so no sentence spans two paragraphs. Consecutive sentences are
 * then grouped into windows of at most max_words words that share
 * `overlap` sentences with the previous window; a single sentence longer
 * than the cap is cut into cap-sized pieces. Windows run on across
 * paragraph breaks (short news paragraphs make poor passages alone; the
 * judged collections rank better so, docs/evaluation.md) unless
 * opts->paragraphs keeps each window inside one paragraph.
 *
 * Word counts come from the caller's tokens, so the tokenizer alone decides
 * what a word is. Calls buf.c, alloc.c and error.c; ICU for sentences.
 */
#include "lede_int.h"

#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

/* A block whose lines (but the last) are all at most this many characters
 * may be hard-wrapped text; longer lines are written one paragraph each. */
#define WRAP_MAX_WIDTH 100
/* In a hard-wrapped block, a line that stops more than this many
 * characters short of the block's width ends its paragraph: a wrap would
 * have taken the next word onto it. */
#define WRAP_SLACK 20

struct lede__segmenter {
    UBreakIterator *brk; /* ICU sentence break iterator */
    UText *ut;           /* reused UText over one paragraph */
    lede__buf copy;      /* body with soft line breaks made spaces */
};

/* ICU locales with sentence-break suppressions, by stemmer name and code. */
static const char *const icu_locales[][3] = {
    {"english", "en", "en@ss=standard"}, {"german", "de", "de@ss=standard"},
    {"french", "fr", "fr@ss=standard"},  {"spanish", "es", "es@ss=standard"},
    {"italian", "it", "it@ss=standard"}, {"portuguese", "pt", "pt@ss=standard"},
    {"russian", "ru", "ru@ss=standard"},
};

int lede__segmenter_new(lede__segmenter **out, const char *lang)
{
    UErrorCode st = U_ZERO_ERROR;
    const char *locale = "root";
    lede__segmenter *s;

    *out = NULL;
    for (size_t i = 0; lang && i < sizeof icu_locales / sizeof *icu_locales;
         i++) {
        if (strcmp(lang, icu_locales[i][0]) == 0 ||
            strcmp(lang, icu_locales[i][1]) == 0)
            locale = icu_locales[i][2];
    }
    if ((s = lede__calloc(1, sizeof *s)) == NULL)
        return lede__error_nomem();
    s->brk = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &st);
    if (st == U_MEMORY_ALLOCATION_ERROR) {
        lede__free(s);
        return lede__error_nomem(); /* as any allocation of ours */
    }
    if (U_FAILURE(st)) {
        lede__free(s);
        return lede__error_set(LEDE_ERROR,
                               "ICU sentence break iterator failed: %s",
                               u_errorName(st));
    }
    *out = s;
    return 0;
}

void lede__segmenter_free(lede__segmenter *s)
{
    if (s == NULL)
        return;
    ubrk_close(s->brk);
    utext_close(s->ut);
    lede__buf_free(&s->copy);
    lede__free(s);
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

/* Length of the whitespace character at s[0..len), 0 if none: ASCII
 * spaces, NO-BREAK SPACE, LINE and PARAGRAPH SEPARATOR, IDEOGRAPHIC SPACE. */
static size_t space_at(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len >= 1 && is_space(u[0]))
        return 1;
    if (len >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
        return 2;
    if (len >= 3 && u[0] == 0xe2 && u[1] == 0x80 &&
        (u[2] == 0xa8 || u[2] == 0xa9))
        return 3;
    if (len >= 3 && u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

static size_t space_before(const char *s, size_t len)
{
    for (size_t n = 1; n <= 3 && n <= len; n++) {
        if (space_at(s + len - n, n) == n)
            return n;
    }
    return 0;
}

/* Narrow [*start, *end) to exclude leading and trailing whitespace. */
static void trim(const char *text, size_t *start, size_t *end)
{
    size_t n;
    while (*start < *end && (n = space_at(text + *start, *end - *start)) > 0)
        *start += n;
    while (*end > *start &&
           (n = space_before(text + *start, *end - *start)) > 0)
        *end -= n;
}

typedef struct {
    size_t start; /* first byte of the line */
    size_t end;   /* end of its text, trailing whitespace excluded */
    size_t width; /* characters in [start, end) */
} line;

static size_t count_chars(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xc0) != 0x80;
    return chars;
}

static int starts_item(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t'))
        return 1; /* indented: a new paragraph in wrapped text */
    if (len >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ')
        return 1;
    return len >= 3 && memcmp(s, "\xe2\x80\xa2", 3) == 0; /* bullet */
}

/*
 * Is the line break after lines[i] (inside one block of non-blank lines)
 * only a wrap? Only in a block that may be hard-wrapped (wrapped: every
 * line but the last no wider than WRAP_MAX_WIDTH), when the line is filled
 * to near the block's width and the next line is not indented or
 * bulleted.
 */
static int soft_break(const char *text, const line *lines, size_t i,
                      int wrapped, size_t width)
{
    if (!wrapped || lines[i].width + WRAP_SLACK < width)
        return 0;
    const line *nx = &lines[i + 1];
    return !starts_item(text + nx->start, nx->end - nx->start);
}

typedef struct {
    lede__passage *v; /* passages so far */
    size_t n;         /* count */
    size_t cap;       /* allocated */
} passages;

static int push(passages *ps, size_t start, size_t end, size_t tb, size_t te)
{
    if (tb == te)
        return 0; /* a window of punctuation only is not a passage */
    lede__passage *v = lede__grow(ps->v, &ps->cap, ps->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    ps->v = v;
    ps->v[ps->n++] = (lede__passage){start, end, tb, te};
    return 0;
}

typedef struct {
    size_t start; /* byte offsets of the trimmed sentence */
    size_t end;
    size_t tb; /* its tokens [tb, te) */
    size_t te;
} sentence;

/* Cut one over-long sentence into pieces of max_words tokens. */
static int push_long(passages *ps, const sentence *s, const lede__span *toks,
                     unsigned max_words)
{
    for (size_t a = s->tb; a < s->te; a += max_words) {
        size_t b = s->te - a > max_words ? a + max_words : s->te;
        size_t start = a == s->tb ? s->start : toks[a].start;
        size_t end = b == s->te ? s->end : toks[b - 1].end;
        int rc = push(ps, start, end, a, b);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Group the sentences of one paragraph into windows. */
static int windows(passages *ps, const sentence *ss, size_t n,
                   const lede__span *toks, const lede__segment_opts *o)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i, words = 0;
        while (j < n &&
               (j == i || words + (ss[j].te - ss[j].tb) <= o->max_words)) {
            words += ss[j].te - ss[j].tb;
            j++;
        }
        int rc;
        if (j == i + 1 && words > o->max_words)
            rc = push_long(ps, &ss[i], toks, o->max_words);
        else
            rc = push(ps, ss[i].start, ss[j - 1].end, ss[i].tb, ss[j - 1].te);
        if (rc < 0)
            return rc;
        if (j == n)
            break;
        /* The next window repeats up to `overlap` sentences, but only as
         * many as leave room for sentence j: a window that adds nothing
         * new would be a duplicate passage. */
        size_t next = j;
        for (size_t k = o->overlap; k > 0; k--) {
            if (k >= j - i)
                continue; /* would not move past sentence i */
            size_t w = 0;
            for (size_t t = j - k; t <= j; t++)
                w += ss[t].te - ss[t].tb;
            if (w <= o->max_words) {
                next = j - k;
                break;
            }
        }
        i = next;
    }
    return 0;
}

typedef struct {
    sentence *v; /* sentences of the current paragraph */
    size_t n;    /* count */
    size_t cap;  /* allocated */
} sentences;

/* Sentences of the paragraph text[start, end), against the soft-wrapped
 * copy; *tok is the first token not yet assigned to a sentence. */
static int split_sentences(sentences *out, lede__segmenter *s, const char *text,
                           size_t start, size_t end, const lede__span *toks,
                           size_t ntok, size_t *tok)
{
    UErrorCode st = U_ZERO_ERROR;

    s->ut = utext_openUTF8(s->ut, s->copy.data + start, (int64_t)(end - start),
                           &st);
    if (U_SUCCESS(st))
        ubrk_setUText(s->brk, s->ut, &st);
    if (st == U_MEMORY_ALLOCATION_ERROR)
        return lede__error_nomem();
    if (U_FAILURE(st))
        return lede__error_set(LEDE_ERROR, "ICU sentence breaking failed: %s",
                               u_errorName(st));
    int32_t prev = ubrk_first(s->brk);
    for (int32_t next = ubrk_next(s->brk); next != UBRK_DONE;
         prev = next, next = ubrk_next(s->brk)) {
        size_t a = start + (size_t)prev, b = start + (size_t)next;
        /* The sentence before may have taken its last word past this
         * boundary (below): this one starts after that word, so that no
         * window starts or ends inside it. */
        if (out->n > 0 && out->v[out->n - 1].end > a)
            a = out->v[out->n - 1].end;
        if (b < a)
            b = a;
        trim(text, &a, &b);
        if (a == b)
            continue;
        while (*tok < ntok && toks[*tok].start < a)
            (*tok)++; /* keep every window's words inside it */
        size_t tb = *tok;
        while (*tok < ntok && toks[*tok].start < b)
            (*tok)++;
        if (*tok > tb && toks[*tok - 1].end > b)
            b = toks[*tok - 1].end; /* never cut a word */
        sentence *v = lede__grow(out->v, &out->cap, out->n, sizeof *v);
        if (v == NULL)
            return lede__error_nomem();
        out->v = v;
        out->v[out->n++] = (sentence){a, b, tb, *tok};
    }
    return 0;
}

/* Split text into lines; *out is freed by the caller. */
static int split_lines(line **out, size_t *n_out, const char *text, size_t len)
{
    size_t n = 1, k = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    line *lines = lede__malloc(n * sizeof *lines);
    if (lines == NULL)
        return lede__error_nomem();
    for (size_t i = 0; i <= len && k < n;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t stop = nl ? (size_t)(nl - text) : len;
        size_t a = i, b = stop;
        trim(text, &a, &b);
        lines[k++] = (line){i, b, count_chars(text + i, b - i)};
        if (a == b)
            lines[k - 1].end = i; /* blank */
        i = nl ? stop + 1 : len + 1;
    }
    *out = lines;
    *n_out = k;
    return 0;
}

int lede__segment(lede__passage **out, size_t *n_out, lede__segmenter *s,
                  const char *text, size_t len, const lede__span *toks,
                  size_t ntok, const lede__segment_opts *opts)
{
    passages ps = {NULL, 0, 0};
    sentences ss = {NULL, 0, 0};
    line *lines = NULL;
    size_t nlines = 0, tok = 0;
    int rc;

    *out = NULL;
    *n_out = 0;
    if (len > INT32_MAX)
        return lede__error_set(
            LEDE_EINVAL, "text of %zu bytes is over the 2 GiB limit", len);
    lede__segment_opts o = *opts;
    if (o.max_words == 0)
        o.max_words = 1;
    lede__buf_clear(&s->copy);
    if ((rc = lede__buf_put(&s->copy, text, len)) < 0 ||
        (rc = split_lines(&lines, &nlines, text, len)) < 0)
        goto done;

    for (size_t i = 0; i < nlines;) {
        if (lines[i].end == lines[i].start) {
            i++; /* blank line */
            continue;
        }
        size_t j = i, width = 0;
        int wrapped = 1;
        while (j < nlines && lines[j].end > lines[j].start) {
            if (lines[j].width > width)
                width = lines[j].width;
            j++;
        }
        for (size_t k = i; k + 1 < j; k++) {
            if (lines[k].width > WRAP_MAX_WIDTH)
                wrapped = 0;
        }
        /* Lines i..j-1 form a block; cut it into paragraphs. */
        for (size_t p = i; p < j;) {
            size_t q = p;
            while (q + 1 < j && soft_break(text, lines, q, wrapped, width)) {
                /* Make the wrap a space in the copy ICU reads; the
                 * byte count, and so every offset, stays the same. */
                for (size_t b = lines[q].end; b < lines[q + 1].start; b++)
                    s->copy.data[b] = ' ';
                q++;
            }
            size_t a = lines[p].start, b = lines[q].end;
            trim(text, &a, &b);
            if (o.paragraphs)
                ss.n = 0;
            if ((rc = split_sentences(&ss, s, text, a, b, toks, ntok, &tok)) <
                    0 ||
                (o.paragraphs && (rc = windows(&ps, ss.v, ss.n, toks, &o)) < 0))
                goto done;
            p = q + 1;
        }
        i = j;
    }
    /* Across paragraphs: the sentences of the whole body in one run. */
    if (!o.paragraphs && (rc = windows(&ps, ss.v, ss.n, toks, &o)) < 0)
        goto done;
done:
    lede__free(lines);
    lede__free(ss.v);
    if (rc < 0) {
        lede__free(ps.v);
        return rc;
    }
    *out = ps.v;
    *n_out = ps.n;
    return 0;
}
