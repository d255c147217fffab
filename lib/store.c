/*
 * store.c - the stored form of a passage, in its Xapian document's data.
 *
 * Owns the byte layout of passage records and the zlib compression of the
 * article text. Every passage records its ordinal and byte offsets; the
 * first passage of an article also carries the article itself (title and
 * body), so an article's text is stored once however many overlapping
 * passages point into it. Knows nothing of Xapian; calls buf.c and
 * error.c, and zlib.
 *
 * Layout: 'L', format version, flags (bit 0: article fields follow), then
 * varints ordinal, start, end; then, for an article, fields as
 * (varint tag, varint length, bytes): title, body, date, URL. Readers skip
 * tags they do not know,
 * so later versions can add fields without breaking old indexes.
 */
#include "lede_int.h"

#include <string.h>

#include <zlib.h>

#define RECORD_MAGIC 'L'
#define RECORD_VERSION 1
#define FLAG_ARTICLE 0x01

enum {
    TAG_TITLE = 1, /* raw UTF-8 */
    TAG_BODY = 2,  /* varint raw length, then a zlib stream */
    TAG_DATE = 3,  /* seconds since 1970, zigzag varint */
    TAG_URL = 4    /* raw UTF-8 */
};

/* Decompressed bodies larger than the index accepts are corruption. */
#define BODY_MAX ((uint64_t)LEDE__BODY_MAX)

static int put_field(lede__buf *out, unsigned tag, const void *p, size_t n)
{
    int rc = lede__buf_put_varint(out, tag);
    if (rc == 0)
        rc = lede__buf_put_varint(out, n);
    if (rc == 0)
        rc = lede__buf_put(out, p, n);
    return rc;
}

static int put_body(lede__buf *out, const char *body, size_t len)
{
    lede__buf z = LEDE__BUF_INIT;
    uLongf zlen = compressBound((uLong)len);
    int rc = lede__buf_put_varint(&z, len);

    if (rc == 0)
        rc = lede__buf_reserve(&z, zlen);
    if (rc == 0) {
        int zrc = compress2((Bytef *)z.data + z.len, &zlen, (const Bytef *)body,
                            (uLong)len, Z_BEST_SPEED);
        if (zrc != Z_OK)
            rc = zrc == Z_MEM_ERROR
                     ? lede__error_nomem()
                     : lede__error_set(LEDE_ERROR, "zlib compress: error %d",
                                       zrc);
        else
            z.len += zlen;
    }
    if (rc == 0)
        rc = put_field(out, TAG_BODY, z.data, z.len);
    lede__buf_free(&z);
    return rc;
}

int lede__record_encode(lede__buf *out, const lede__record *r)
{
    const char head[3] = {RECORD_MAGIC, RECORD_VERSION,
                          r->has_article ? FLAG_ARTICLE : 0};
    int rc = lede__buf_put(out, head, sizeof head);

    if (rc == 0)
        rc = lede__buf_put_varint(out, r->ordinal);
    if (rc == 0)
        rc = lede__buf_put_varint(out, r->start);
    if (rc == 0)
        rc = lede__buf_put_varint(out, r->end);
    if (rc == 0 && r->has_article) {
        rc = put_field(out, TAG_TITLE, r->title, r->title_len);
        if (rc == 0)
            rc = put_body(out, r->body, r->body_len);
        if (rc == 0 && r->date != LEDE_NO_DATE) {
            /* Zigzag, so that dates before 1970 stay short. */
            uint64_t z =
                ((uint64_t)r->date << 1) ^ (uint64_t)(r->date < 0 ? -1 : 0);
            lede__buf v = LEDE__BUF_INIT;
            rc = lede__buf_put_varint(&v, z);
            if (rc == 0)
                rc = put_field(out, TAG_DATE, v.data, v.len);
            lede__buf_free(&v);
        }
        if (rc == 0 && r->url_len > 0)
            rc = put_field(out, TAG_URL, r->url, r->url_len);
    }
    return rc;
}

static int corrupt(const char *what)
{
    return lede__error_set(LEDE_ECORRUPT, "stored passage record: %s", what);
}

static int get_body(lede__record *r, lede__buf *scratch, const unsigned char *p,
                    const unsigned char *end)
{
    uint64_t raw;
    if (lede__varint_get(&raw, &p, end) < 0 || raw > BODY_MAX)
        return corrupt("bad body length");
    lede__buf_clear(scratch);
    int rc = lede__buf_reserve(scratch, (size_t)raw);
    if (rc < 0)
        return rc;
    uLongf n = (uLongf)raw;
    int zrc = uncompress((Bytef *)scratch->data, &n, p, (uLong)(end - p));
    if (zrc == Z_MEM_ERROR)
        return lede__error_nomem();
    if (zrc != Z_OK || n != raw)
        return corrupt("body does not decompress");
    scratch->len = (size_t)raw;
    scratch->data[raw] = '\0';
    r->body = scratch->data;
    r->body_len = (size_t)raw;
    return 0;
}

int lede__record_decode(lede__record *r, lede__buf *scratch, const char *data,
                        size_t len)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    uint64_t ordinal, start, stop;

    memset(r, 0, sizeof *r);
    if (len < 3 || p[0] != RECORD_MAGIC)
        return corrupt("not a lede record");
    if (p[1] != RECORD_VERSION)
        return corrupt("unknown record version (index made by a newer lede?)");
    r->has_article = p[2] & FLAG_ARTICLE;
    p += 3;
    if (lede__varint_get(&ordinal, &p, end) < 0 ||
        lede__varint_get(&start, &p, end) < 0 ||
        lede__varint_get(&stop, &p, end) < 0 || ordinal > UINT32_MAX ||
        start > stop)
        return corrupt("bad passage header");
    r->ordinal = (uint32_t)ordinal;
    r->start = start;
    r->end = stop;
    r->title = "";
    r->date = LEDE_NO_DATE;

    int have_body = 0;
    while (p < end) {
        uint64_t tag, n;
        if (lede__varint_get(&tag, &p, end) < 0 ||
            lede__varint_get(&n, &p, end) < 0 || n > (uint64_t)(end - p))
            return corrupt("truncated field");
        if (tag == TAG_TITLE) {
            r->title = (const char *)p;
            r->title_len = (size_t)n;
        } else if (tag == TAG_BODY) {
            int rc = get_body(r, scratch, p, p + n);
            if (rc < 0)
                return rc;
            have_body = 1;
        } else if (tag == TAG_DATE) {
            const unsigned char *q = p;
            uint64_t z;
            if (lede__varint_get(&z, &q, p + n) < 0 || q != p + n)
                return corrupt("bad date");
            r->date = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
        } else if (tag == TAG_URL) {
            r->url = (const char *)p;
            r->url_len = (size_t)n;
        }
        p += n;
    }
    if (r->has_article && !have_body)
        return corrupt("article without body");
    if (r->has_article && r->end > r->body_len)
        return corrupt("passage offsets outside the article");
    return 0;
}
