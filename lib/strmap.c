/*
 * strmap.c - a hash map from byte strings to a count and a string, for
 * the indexer's per-batch tables (stems of words seen, spelling counts).
 *
 * Open addressing with linear probing over a power-of-two table of slots;
 * entries are kept dense, in insertion order, so that they can be walked;
 * keys and values live in one arena and are referred to by offset, so
 * growing the arena moves nothing that matters. Calls hash.c, buf.c,
 * alloc.c and error.c.
 */
#include "lede_int.h"

#include <string.h>

void lede__strmap_clear(lede__strmap *m)
{
    if (m->slots != NULL)
        memset(m->slots, 0, m->nslots * sizeof *m->slots);
    m->n = 0;
    lede__buf_clear(&m->arena);
}

void lede__strmap_free(lede__strmap *m)
{
    lede__free(m->slots);
    lede__free(m->v);
    lede__buf_free(&m->arena);
    *m = (lede__strmap)LEDE__STRMAP_INIT;
}

const char *lede__strmap_key(const lede__strmap *m, const lede__strmap_entry *e)
{
    return m->arena.data + e->key;
}

const char *lede__strmap_value(const lede__strmap *m,
                               const lede__strmap_entry *e)
{
    return m->arena.data + e->value;
}

/* The first slot to try for hash h. FNV-1a's low bits depend only on
 * the low bits of each byte, so words that differ in their high bits
 * crowd together; mixing the high bits in (the finaliser of MurmurHash3)
 * spreads them. */
static size_t home(uint64_t h, size_t mask)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return (size_t)h & mask;
}

/* Where key k (hash h) is, or the empty slot where it would go. */
static size_t probe(const lede__strmap *m, uint64_t h, const char *k,
                    size_t len)
{
    size_t mask = m->nslots - 1, i = home(h, mask);
    for (;;) {
        uint32_t s = m->slots[i];
        if (s == 0)
            return i;
        const lede__strmap_entry *e = &m->v[s - 1];
        if (e->hash == h && e->key_len == len &&
            memcmp(m->arena.data + e->key, k, len) == 0)
            return i;
        i = (i + 1) & mask;
    }
}

lede__strmap_entry *lede__strmap_find(const lede__strmap *m, const char *k,
                                      size_t len)
{
    if (m->n == 0)
        return NULL;
    uint32_t s = m->slots[probe(m, lede__hash_fnv1a(k, len), k, len)];
    return s ? &m->v[s - 1] : NULL;
}

/* Twice the slots, every entry placed again. */
static int rehash(lede__strmap *m)
{
    size_t n = m->nslots ? m->nslots * 2 : 1024;
    uint32_t *slots = lede__calloc(n, sizeof *slots);
    if (slots == NULL)
        return lede__error_nomem();
    lede__free(m->slots);
    m->slots = slots;
    m->nslots = n;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = home(m->v[i].hash, n - 1);
        while (slots[j] != 0)
            j = (j + 1) & (n - 1);
        slots[j] = (uint32_t)(i + 1);
    }
    return 0;
}

int lede__strmap_add(lede__strmap_entry **out, lede__strmap *m, const char *k,
                     size_t len, const char *value, size_t value_len)
{
    *out = NULL;
    if (m->n >= UINT32_MAX - 1)
        return lede__error_set(LEDE_ELIMIT, "too many distinct words");
    /* At most half full, so probes stay short. */
    if (2 * (m->n + 1) > m->nslots) {
        int rc = rehash(m);
        if (rc < 0)
            return rc;
    }
    lede__strmap_entry *v = lede__grow(m->v, &m->cap, m->n, sizeof *v);
    if (v == NULL)
        return lede__error_nomem();
    m->v = v;
    uint64_t h = lede__hash_fnv1a(k, len);
    size_t slot = probe(m, h, k, len);
    size_t key = m->arena.len, val;
    int rc = lede__buf_put(&m->arena, k, len);
    if (rc == 0)
        rc = lede__buf_putc(&m->arena, '\0');
    val = m->arena.len;
    if (rc == 0)
        rc = lede__buf_put(&m->arena, value, value_len);
    if (rc == 0)
        rc = lede__buf_putc(&m->arena, '\0');
    if (rc < 0) {
        m->arena.len = key; /* nothing added */
        return rc;
    }
    if (m->slots[slot] != 0) {
        /* Already there: the new value replaces the old. */
        lede__strmap_entry *e = &v[m->slots[slot] - 1];
        e->value = val;
        e->value_len = value_len;
        *out = e;
        return 0;
    }
    v[m->n] = (lede__strmap_entry){h, key, len, val, value_len, 0};
    m->slots[slot] = (uint32_t)(m->n + 1);
    *out = &v[m->n++];
    return 0;
}
