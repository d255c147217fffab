/*
 * neardup.c - folding near-duplicate hits into the better article.
 *
 * Owns the folding: hit by hit in rank order, a hit whose article's
 * signature (simhash.c, stored as 16 hex digits) is near that of an
 * article kept before is folded into it, and otherwise kept. The same
 * choices are made twice from the same values: while the shim searches,
 * to read the text of only the hits that will be shown, and after, to
 * pick the page and count what each kept hit folded. Does not search.
 * Calls simhash.c, alloc.c and error.c.
 */
#include "lede_int.h"

#include <string.h>

static uint64_t parse_sig(const char *s, size_t len, int *ok)
{
    uint64_t v = 0;
    *ok = len == 16;
    for (size_t i = 0; i < len && *ok; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                       : -1;
        if (d < 0)
            *ok = 0;
        v = v << 4 | (uint64_t)(d < 0 ? 0 : d);
    }
    return v;
}

void lede__neardup_free(lede__neardup *f)
{
    for (size_t i = 0; f->owns_keys && i < f->n; i++)
        lede__free((char *)f->key[i]);
    lede__free(f->sig);
    lede__free(f->has);
    lede__free(f->key);
    lede__free(f->key_len);
    f->sig = NULL;
    f->has = NULL;
    f->key = NULL;
    f->key_len = NULL;
    f->n = f->cap = 0;
}

/* Which kept article a hit (signature sig, if ok; article id key) is a
 * near-duplicate of: its index, or f->n when it is new (and now kept).
 * Another passage of a kept article is no near-duplicate of it. */
static int fold(size_t *into, lede__neardup *f, uint64_t sig, int ok,
                const char *key, size_t key_len)
{
    for (size_t j = 0; ok && j < f->n; j++) {
        if (f->has[j] &&
            lede__simhash_distance(sig, f->sig[j]) <= LEDE__SIMHASH_NEAR &&
            (f->key_len[j] != key_len ||
             memcmp(f->key[j], key, key_len) != 0)) {
            *into = j;
            return 0;
        }
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 64;
        uint64_t *s = lede__realloc(f->sig, cap * sizeof *s);
        if (s != NULL)
            f->sig = s;
        const char **k = lede__realloc(f->key, cap * sizeof *k);
        if (k != NULL)
            f->key = k;
        size_t *l = lede__realloc(f->key_len, cap * sizeof *l);
        if (l != NULL)
            f->key_len = l;
        char *h = lede__realloc(f->has, cap);
        if (h != NULL)
            f->has = h;
        if (s == NULL || k == NULL || l == NULL || h == NULL)
            return lede__error_nomem();
        f->cap = cap;
    }
    /* A hit without a signature is never folded, nor folds another. */
    f->sig[f->n] = sig;
    f->has[f->n] = (char)ok;
    f->key[f->n] = key;
    f->key_len[f->n] = key_len;
    *into = f->n++;
    return 0;
}

/* The ids given do not outlive the call: they are copied. */
int lede__neardup_want(const char *key, size_t key_len, const char *sig,
                       size_t sig_len, void *payload)
{
    lede__neardup *f = payload;
    if (key == NULL) {
        lede__neardup_free(f);
        return 0;
    }
    int ok;
    uint64_t s = parse_sig(sig, sig_len, &ok);
    char *copy = lede__strndup(key, key_len);
    size_t into;
    if (copy == NULL || fold(&into, f, s, ok, copy, key_len) < 0) {
        lede__free(copy);
        return 1; /* out of memory: read it; the fold after fails */
    }
    if (f->key[into] != copy) {
        lede__free(copy); /* folded into an earlier article */
        return 0;
    }
    return into >= f->from && into < f->to;
}

int lede__neardup_fold(size_t *into, lede__neardup *f, const char *sig,
                       size_t sig_len, const char *key, size_t key_len)
{
    int ok;
    uint64_t s = parse_sig(sig, sig_len, &ok);
    return fold(into, f, s, ok, key, key_len);
}
