/*
 * store.c - the stored form of a passage, in its Xapian document's data.
 *
 * Owns the byte layout of passage records and the zlib compression of the
 * text. Every passage records its ordinal, byte offsets and its own text,
 * with the article's title, date and URL, so that a search hit is shown
 * from its own record alone: no lookup of the article, no inflating of
 * more than the passage. Overlapping passages store their shared
 * sentence twice, and no record holds the whole article. Knows nothing
 * of Xapian. Calls buf.c, error.c and zlib.
 *
 * Layout: 'L', format version, flags (bit 0: the article's first
 * passage), then varints ordinal, start, end; then fields as (varint tag,
 * varint length, bytes): title, the passage's text, the article's length
 * (first passages only), date, URL. Every record has a text, and a first
 * passage's the article's length. Readers skip tags they do not know, so
 * later versions can add fields without breaking old indexes.
 */
#include "lede_int.h"

#include <string.h>

#include <zlib.h>

#define RECORD_MAGIC 'L'
#define RECORD_VERSION 1
#define FLAG_ARTICLE 0x01

/* Tag 2 is not used: it held a whole article in records that no release
 * wrote, and a reader skips it as any tag it does not know. */
enum {
    TAG_TITLE = 1, /* raw UTF-8 */
    TAG_DATE = 3,  /* seconds since 1970, zigzag varint */
    TAG_URL = 4,   /* raw UTF-8 */
    TAG_TEXT = 5,  /* a passage's own text: varint raw length, then a zlib
                      stream */
    TAG_LENGTH = 6 /* the article's length in bytes, varint */
};

/* Decompressed texts larger than the index accepts are corruption. */
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

/* Deflate's tables for a text of len bytes: a window just large enough
 * (2^9 to 2^15 bytes; any window inflates the same) and a small hash.
 * zlib clears the hash at every start, and compress2()'s default one is
 * 64 KB: for a passage of a kilobyte or two that clearing cost more than
 * the compressing, and a smaller one compresses BBC's passages as well
 * (to within 0.1 %). */
#define DEFLATE_MEM_LEVEL 4

static int window_bits(size_t len)
{
    int bits = 9;
    while (bits < 15 && ((size_t)1 << bits) < len)
        bits++;
    return bits;
}

static int put_body(lede__buf *out, unsigned tag, const char *body, size_t len)
{
    lede__buf z = LEDE__BUF_INIT;
    uLong bound = compressBound((uLong)len) + 16;
    int rc = lede__buf_put_varint(&z, len);
    if (rc == 0)
        rc = lede__buf_reserve(&z, bound);
    if (rc == 0) {
        z_stream d;
        memset(&d, 0, sizeof d);
        int zrc = deflateInit2(&d, Z_BEST_SPEED, Z_DEFLATED, window_bits(len),
                               DEFLATE_MEM_LEVEL, Z_DEFAULT_STRATEGY);
        if (zrc == Z_OK) {
            d.next_in = (Bytef *)body;
            d.avail_in = (uInt)len;
            d.next_out = (Bytef *)z.data + z.len;
            d.avail_out = (uInt)bound;
            zrc = deflate(&d, Z_FINISH);
            z.len += bound - d.avail_out;
            deflateEnd(&d);
            zrc = zrc == Z_STREAM_END ? Z_OK : zrc == Z_OK ? Z_BUF_ERROR : zrc;
        }
        if (zrc != Z_OK)
            rc = zrc == Z_MEM_ERROR
                     ? lede__error_nomem()
                     : lede__error_set(LEDE_ERROR, "zlib deflate: error %d",
                                       zrc);
    }
    if (rc == 0)
        rc = put_field(out, tag, z.data, z.len);
    lede__buf_free(&z);
    return rc;
}

int lede__store_encode(lede__buf *out, const lede__store_record *r)
{
    const char head[3] = {RECORD_MAGIC, RECORD_VERSION,
                          r->has_article ? FLAG_ARTICLE : 0};

    if (r->end < r->start || (r->body == NULL && r->end > r->start))
        return lede__error_set(LEDE_EINVAL,
                               "passage record: no text for bytes %llu to "
                               "%llu",
                               (unsigned long long)r->start,
                               (unsigned long long)r->end);
    int rc = lede__buf_put(out, head, sizeof head);
    if (rc == 0)
        rc = lede__buf_put_varint(out, r->ordinal);
    if (rc == 0)
        rc = lede__buf_put_varint(out, r->start);
    if (rc == 0)
        rc = lede__buf_put_varint(out, r->end);
    if (rc == 0)
        rc = put_field(out, TAG_TITLE, r->title, r->title_len);
    if (rc == 0)
        rc = put_body(out, TAG_TEXT, r->body ? r->body + r->start : "",
                      (size_t)(r->end - r->start));
    if (rc == 0 && r->has_article) {
        lede__buf v = LEDE__BUF_INIT;
        rc = lede__buf_put_varint(&v, r->body_len);
        if (rc == 0)
            rc = put_field(out, TAG_LENGTH, v.data, v.len);
        lede__buf_free(&v);
    }
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
    return rc;
}

static int corrupt(const char *what)
{
    return lede__error_set(LEDE_ECORRUPT, "stored passage record: %s", what);
}

/* zlib's fast decoding loop needs this much output room (inflate.c's
 * condition for inflate_fast: 258 bytes, the longest match). */
#define INFLATE_SLACK 258

/* Inflate a stored text (varint length, zlib stream) in [p, end) into
 * scratch. Sets *text and *text_len. */
static int get_text(const char **text, size_t *text_len, lede__buf *scratch,
                    const unsigned char *p, const unsigned char *end)
{
    uint64_t want;
    if (lede__varint_get(&want, &p, end) < 0 || want > BODY_MAX)
        return corrupt("bad body length");
    lede__buf_clear(scratch);
    /* Room for INFLATE_SLACK more than the text: zlib decodes on its
     * fast path only while that much output room is left, so without it
     * the text's last bytes take the slow one (a quarter of the time on
     * BBC's passages). A longer stream than want is corrupt. */
    int rc = lede__buf_reserve(scratch, (size_t)want + INFLATE_SLACK);
    if (rc < 0)
        return rc;
    z_stream z;
    memset(&z, 0, sizeof z);
    if ((rc = inflateInit(&z)) != Z_OK)
        return rc == Z_MEM_ERROR ? lede__error_nomem()
                                 : corrupt("body does not decompress");
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)(end - p);
    z.next_out = (Bytef *)scratch->data;
    z.avail_out = (uInt)(want + INFLATE_SLACK);
    int zrc = want == 0 ? Z_OK : inflate(&z, Z_FINISH);
    uint64_t got = want + INFLATE_SLACK - z.avail_out;
    inflateEnd(&z);
    if (zrc == Z_MEM_ERROR)
        return lede__error_nomem();
    /* All of it, and the stream must end there. */
    if (got != want || (want > 0 && zrc != Z_STREAM_END))
        return corrupt("body does not decompress");
    scratch->len = (size_t)want;
    scratch->data[want] = '\0';
    *text = scratch->data;
    *text_len = (size_t)want;
    return 0;
}

int lede__store_decode(lede__store_record *r, lede__buf *scratch,
                       const char *data, size_t len)
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

    int have_text = 0, have_length = 0;
    uint64_t length = 0;
    while (p < end) {
        uint64_t tag, n;
        if (lede__varint_get(&tag, &p, end) < 0 ||
            lede__varint_get(&n, &p, end) < 0 || n > (uint64_t)(end - p))
            return corrupt("truncated field");
        if (tag == TAG_TITLE) {
            r->title = (const char *)p;
            r->title_len = (size_t)n;
        } else if (tag == TAG_LENGTH) {
            const unsigned char *q = p;
            if (lede__varint_get(&length, &q, p + n) < 0 || q != p + n ||
                length > BODY_MAX)
                return corrupt("bad article length");
            have_length = 1;
        } else if (tag == TAG_TEXT && !have_text) {
            int rc = get_text(&r->text, &r->text_len, scratch, p, p + n);
            if (rc < 0)
                return rc;
            if (r->text_len != r->end - r->start)
                return corrupt("passage text of the wrong length");
            have_text = 1;
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
    if (r->has_article && !(have_text && have_length))
        return corrupt("article without body");
    if (!have_text)
        return corrupt("passage without text");
    if (r->has_article) {
        r->body_len = (size_t)length;
        if (r->end > r->body_len)
            return corrupt("passage offsets outside the article");
    }
    return 0;
}
