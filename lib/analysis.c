/*
 * analysis.c - text analysis: from a folded word to the term it is.
 *
 * Owns what turns words into terms, the same way for indexing, queries
 * and snippets: the tokenizer handle, the stemmer of one language and its
 * stem cache, the English possessive rule, and the stop words
 * (LEDE_STOPWORDS). One analysis belongs to one revision of an index
 * (index.c), so that a reopened index, perhaps rebuilt in another
 * language, never stems with stems cached in the old one. What a word is
 * (ICU word breaks, case folding) is tokenize.c's; which language an
 * index has, and whether it leaves stop words out, is read from its
 * settings by index.c. Calls tokenize.c, strmap.c, buf.c, alloc.c,
 * error.c and the shim (the stemmer).
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <string.h>

struct lede__analysis {
    lede__tokenizer *tok; /* words of bodies, titles and queries */
    lede__stem *stem;     /* the language's stemmer; NULL until set */
    lede__buf language;   /* canonical stemmer name */
    lede__strmap stems;   /* folded word -> stem, a cache */
};

/* Stems cached: past this many words the cache starts again, so that a
 * long run over many languages' words stays small. */
#define STEM_CACHE_MAX 65536

int lede__analysis_new(lede__analysis **out)
{
    lede__analysis *a = lede__calloc(1, sizeof *a);
    *out = NULL;
    if (a == NULL)
        return lede__error_nomem();
    int rc = lede__tokenizer_new(&a->tok);
    if (rc < 0) {
        lede__analysis_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void lede__analysis_free(lede__analysis *a)
{
    if (a == NULL)
        return;
    lede__tokenizer_free(a->tok);
    lede__stem_free(a->stem);
    lede__buf_free(&a->language);
    lede__strmap_free(&a->stems);
    lede__free(a);
}

int lede__analysis_set_language(lede__analysis *a, const char *lang)
{
    lede__stem_free(a->stem);
    a->stem = NULL;
    lede__strmap_clear(&a->stems); /* stems of another language */
    return lede__stem_new(&a->stem, &a->language, lang);
}

const char *lede__analysis_language(const lede__analysis *a)
{
    return a->language.data ? a->language.data : "";
}

lede__tokenizer *lede__analysis_tokenizer(lede__analysis *a)
{
    return a->tok;
}

/* An English possessive's "'s" goes before stemming ("acm's" is "acm"),
 * as Lucene's EnglishPossessiveFilter does: Xapian's english stemmer
 * drops it itself, its porter and lovins stemmers leave "acm'". */
static size_t without_possessive(const lede__analysis *a, const char *w,
                                 size_t len)
{
    const char *lang = lede__analysis_language(a);
    if (len > 2 && w[len - 2] == '\'' && w[len - 1] == 's' &&
        (strcmp(lang, "porter") == 0 || strcmp(lang, "lovins") == 0 ||
         strcmp(lang, "english") == 0 || strcmp(lang, "earlyenglish") == 0))
        return len - 2;
    return len;
}

int lede__analysis_stem_keeps_first(const lede__analysis *a)
{
    /* Checked over the 64,577 distinct words of two news collections:
     * these stemmers give each word a stem that starts with its first
     * byte, or an empty one. Stemmers that work on the front of words
     * (Arabic, Indonesian, Irish, Kraaij-Pohlmann) or recode it (Lovins)
     * are not listed. Tokens never start with an apostrophe, which the
     * English stemmer drops. */
    static const char *const keep[] = {"english", "porter", "earlyenglish",
                                       "none"};
    const char *lang = lede__analysis_language(a);
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
        if (strcmp(lang, keep[i]) == 0)
            return 1;
    }
    return 0;
}

int lede__analysis_stem(lede__buf *out, lede__analysis *a, const char *w,
                        size_t len)
{
    len = without_possessive(a, w, len);
    const lede__strmap_entry *e = lede__strmap_find(&a->stems, w, len);
    if (e != NULL) {
        lede__buf_clear(out);
        return lede__buf_put(out, lede__strmap_value(&a->stems, e),
                             e->value_len);
    }
    int rc = lede__stem_word(out, a->stem, w, len);
    if (rc < 0)
        return rc;
    if (a->stems.n >= STEM_CACHE_MAX)
        lede__strmap_clear(&a->stems);
    lede__strmap_entry *added;
    /* A full cache is no failure: the stem is right either way. */
    if (lede__strmap_add(&added, &a->stems, w, len, out->data ? out->data : "",
                         out->len) < 0)
        lede__strmap_clear(&a->stems);
    return 0;
}

int lede__analysis_is_stopword(const char *w, size_t len)
{
    static const char list[] = " " LEDE_STOPWORDS " ";
    if (len == 0 || len > 8)
        return 0;
    for (const char *p = list; (p = strstr(p, " ")) != NULL && p[1]; p++) {
        if (strncmp(p + 1, w, len) == 0 && p[1 + len] == ' ')
            return 1;
    }
    return 0;
}
