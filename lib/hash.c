/*
 * hash.c - the 64-bit FNV-1a hash, the one lede uses everywhere.
 *
 * Owns the hash, and so where an article lives in a shard set: an
 * article goes to shard fnv1a(id) % N (lede.h documents it), and a
 * changed definition would send ids to other shards than those holding
 * them. Also hashes files for change detection, stem-cache keys, the
 * per-batch maps and near-duplicate signatures. FNV-1a: small, stable
 * across platforms and byte orders, a good spread for short keys; not
 * for anything an adversary may choose to collide. Calls nothing.
 */
#include "lede_int.h"

uint64_t lede__hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3u; /* the 64-bit FNV prime */
    }
    return h;
}

uint64_t lede__hash_fnv1a(const char *s, size_t n)
{
    return lede__hash(LEDE__HASH_INIT, s, n);
}
