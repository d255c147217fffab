/*
 * sources.c - what the index remembers of each corpus file.
 *
 * Owns the source records a sync keeps in the index's metadata, one per
 * input file: its size, modification time, a hash of its bytes, how many
 * articles it holds, and its full path. They are written in the same
 * transaction as the articles, so they are exactly as durable. Also the
 * short form of a source key used in the source term and value of an
 * article's first passage. Knows nothing of walking or reading. Calls
 * key.c (short keys), buf.c, alloc.c, error.c and the shim.
 *
 * Record: 'S', version 1, varint size, varint zigzag mtime (ns), 8 bytes
 * hash (little-endian), varint articles, then the path to the end.
 * Version 2 has a varint count of problems (bad parts skipped) after
 * articles; it is written only for a file that had some, so the records
 * of clean files stay readable by versions that know only version 1, and
 * a version 1 record means no problems.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdlib.h>
#include <string.h>

#define META_PREFIX LEDE__SOURCE_META_PREFIX
#define RECORD_MAGIC 'S'
#define RECORD_VERSION 1
#define RECORD_VERSION_PROBLEMS 2

int lede__source_short(lede__buf *out, const char *key)
{
    return lede__key_short(out, "", key, strlen(key));
}

static int meta_key(lede__buf *out, const char *key)
{
    return lede__key_short(out, META_PREFIX, key, strlen(key));
}

int lede__source_encode(lede__buf *out, const lede__source *s)
{
    unsigned char h[8];
    const char head[2] = {RECORD_MAGIC, s->problems > 0
                                            ? RECORD_VERSION_PROBLEMS
                                            : RECORD_VERSION};
    uint64_t z =
        ((uint64_t)s->mtime_ns << 1) ^ (uint64_t)(s->mtime_ns < 0 ? -1 : 0);

    for (int i = 0; i < 8; i++)
        h[i] = (unsigned char)(s->hash >> (8 * i));
    lede__buf_clear(out);
    int rc = lede__buf_put(out, head, 2);
    if (rc == 0)
        rc = lede__buf_put_varint(out, s->size);
    if (rc == 0)
        rc = lede__buf_put_varint(out, z);
    if (rc == 0)
        rc = lede__buf_put(out, h, 8);
    if (rc == 0)
        rc = lede__buf_put_varint(out, s->articles);
    if (rc == 0 && s->problems > 0)
        rc = lede__buf_put_varint(out, s->problems);
    if (rc == 0)
        rc = lede__buf_puts(out, s->key);
    return rc;
}

int lede__source_store(lede__xdb *db, const lede__source *s)
{
    lede__buf k = LEDE__BUF_INIT, v = LEDE__BUF_INIT;
    int rc = meta_key(&k, s->key);
    if (rc == 0)
        rc = lede__source_encode(&v, s);
    if (rc == 0)
        rc = lede__xdb_begin(db);
    if (rc == 0)
        rc = lede__xdb_set_metadata(db, k.data, v.data, v.len);
    lede__buf_free(&k);
    lede__buf_free(&v);
    return rc;
}

int lede__source_merge(lede__buf *out, const char *const *recs,
                       const size_t *lens, size_t n)
{
    lede__source first, s;
    lede__buf_clear(out);
    if (n == 0)
        return 0;
    int rc = lede__source_decode(&first, recs[0], lens[0]);
    for (size_t i = 1; i < n && rc == 0; i++) {
        if ((rc = lede__source_decode(&s, recs[i], lens[i])) == 0) {
            first.articles += s.articles;
            first.problems += s.problems; /* each shard's own */
            lede__free(s.key);
        }
    }
    if (rc == 0)
        rc = lede__source_encode(out, &first);
    lede__free(first.key);
    if (rc == LEDE_ECORRUPT) /* not a record this version wrote */
        rc = lede__buf_put(out, recs[0], lens[0]);
    return rc;
}

int lede__source_forget(lede__xdb *db, const char *key)
{
    lede__buf k = LEDE__BUF_INIT;
    int rc = meta_key(&k, key);
    if (rc == 0)
        rc = lede__xdb_begin(db);
    if (rc == 0) /* Xapian deletes a key set to the empty value */
        rc = lede__xdb_set_metadata(db, k.data, "", 0);
    lede__buf_free(&k);
    return rc;
}

int lede__source_decode(lede__source *s, const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    uint64_t z;

    memset(s, 0, sizeof *s);
    if (len < 2 || p[0] != RECORD_MAGIC ||
        (p[1] != RECORD_VERSION && p[1] != RECORD_VERSION_PROBLEMS))
        return lede__error_set(LEDE_ECORRUPT, "source record: bad header");
    int version = p[1];
    p += 2;
    if (lede__varint_get(&s->size, &p, end) < 0 ||
        lede__varint_get(&z, &p, end) < 0 || end - p < 8)
        return lede__error_set(LEDE_ECORRUPT, "source record: truncated");
    s->mtime_ns = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
    for (int i = 0; i < 8; i++)
        s->hash |= (uint64_t)p[i] << (8 * i);
    p += 8;
    if (lede__varint_get(&s->articles, &p, end) < 0 ||
        (version == RECORD_VERSION_PROBLEMS &&
         lede__varint_get(&s->problems, &p, end) < 0) ||
        p == end)
        return lede__error_set(LEDE_ECORRUPT, "source record: truncated");
    if ((s->key = lede__strndup((const char *)p, (size_t)(end - p))) == NULL)
        return lede__error_nomem();
    return 0;
}

typedef struct {
    lede__sources *out; /* where records go */
    const char *root;   /* root with a trailing '/', or a file */
    size_t root_len;    /* its length */
    int is_file;        /* root is a single file */
} loader;

static int load_one(const char *key, size_t key_len, const char *value,
                    size_t value_len, void *payload)
{
    loader *l = payload;
    lede__sources *o = l->out;
    lede__source s;
    (void)key;
    (void)key_len;
    int rc = lede__source_decode(&s, value, value_len);
    if (rc == LEDE_ECORRUPT)
        return 0; /* a damaged record is forgotten: the file is new again */
    if (rc < 0)
        return rc;
    /* Prefix scans may return sources of a longer root that shares the
     * cut prefix; keep only this root's. */
    int mine = l->is_file ? strcmp(s.key, l->root) == 0
                          : strncmp(s.key, l->root, l->root_len) == 0;
    if (!mine) {
        lede__free(s.key);
        return 0;
    }
    lede__source *v = lede__grow(o->v, &o->cap, o->n, sizeof *v);
    if (v == NULL) {
        lede__free(s.key);
        return lede__error_nomem();
    }
    o->v = v;
    o->v[o->n++] = s;
    return 0;
}

int lede__sources_load(lede__sources *out, lede__xdb *db, const char *root,
                       int is_file)
{
    lede__buf prefix = LEDE__BUF_INIT, r = LEDE__BUF_INIT;
    int rc = lede__buf_puts(&r, root);
    if (rc == 0 && !is_file)
        rc = lede__buf_putc(&r, '/');
    /* The metadata key of a long path keeps its first bytes, so the
     * shorter of root and that cut is a prefix of every key under root. */
    size_t cut = r.len < 180 ? r.len : 180;
    while (cut > 0 && cut < r.len &&
           ((unsigned char)r.data[cut] & 0xc0) == 0x80)
        cut--;
    if (rc == 0)
        rc = lede__buf_puts(&prefix, META_PREFIX);
    if (rc == 0)
        rc = lede__buf_put(&prefix, r.data, cut);
    loader l = {out, r.data, r.len, is_file};
    if (rc == 0)
        rc = lede__xdb_metadata_walk(db, prefix.data, load_one, &l);
    lede__buf_free(&prefix);
    lede__buf_free(&r);
    return rc;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const lede__source *)a)->key,
                  ((const lede__source *)b)->key);
}

void lede__sources_sort(lede__sources *s)
{
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, by_key);
}

lede__source *lede__sources_find(lede__sources *s, const char *key)
{
    lede__source probe;
    memset(&probe, 0, sizeof probe);
    probe.key = (char *)key;
    return s->n ? bsearch(&probe, s->v, s->n, sizeof *s->v, by_key) : NULL;
}

void lede__sources_free(lede__sources *s)
{
    for (size_t i = 0; i < s->n; i++)
        lede__free(s->v[i].key);
    lede__free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}
