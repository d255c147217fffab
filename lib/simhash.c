/*
 * simhash.c - a similarity signature of an article's text.
 *
 * Owns near-duplicate detection's fingerprint: Charikar's SimHash over the
 * article's overlapping three-word shingles (of stemmed words), 64 bits.
 * Two texts that share most of their shingles get signatures a few bits
 * apart. Manku, Jain and Das Sarma (WWW 2007) used 3 bits for long web
 * pages; news stories are shorter, so one edit moves more bits. On BBC
 * News (business and politics, 927 stories; bench/dedup) one changed word
 * or one added sentence stays within 8 bits for 926 of 927 stories, and
 * every pair of distinct stories within 10 bits is one story in two
 * versions; so LEDE__SIMHASH_NEAR is 8. Calls hash.c.
 */
#include "lede_int.h"

#include <string.h>

/* splitmix64's finaliser: spreads the bits of a weak hash over all 64. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9u;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

void lede__simhash_init(lede__simhash *s)
{
    memset(s, 0, sizeof *s);
}

static void add_feature(lede__simhash *s, uint64_t h)
{
    for (int bit = 0; bit < 64; bit++)
        s->v[bit] += (h >> bit) & 1 ? 1 : -1;
    s->features++;
}

void lede__simhash_add(lede__simhash *s, const char *word, size_t len)
{
    uint64_t h = mix(lede__hash(LEDE__HASH_INIT, word, len));
    s->prev[0] = s->prev[1];
    s->prev[1] = s->prev[2];
    s->prev[2] = h;
    if (++s->words >= 3)
        add_feature(s, mix(s->prev[0] * 3 + s->prev[1] * 5 + s->prev[2]));
}

uint64_t lede__simhash_final(lede__simhash *s)
{
    /* Fewer than three words: the words themselves are the feature. */
    if (s->words > 0 && s->words < 3)
        add_feature(s, mix(s->prev[0] * 3 + s->prev[1] * 5 + s->prev[2]));
    uint64_t sig = 0;
    for (int bit = 0; bit < 64; bit++) {
        if (s->v[bit] > 0)
            sig |= (uint64_t)1 << bit;
    }
    return sig;
}

unsigned lede__simhash_distance(uint64_t a, uint64_t b)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_popcountll(a ^ b);
#else
    uint64_t x = a ^ b;
    unsigned n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
#endif
}
