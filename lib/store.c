/*
 * store.c - the stored form of a passage, in its Xapian document's data.
 *
 * Owns the byte layout of passage records and the compression of their
 * texts. Every passage records its ordinal, byte offsets and its own
 * text, with the article's title, date and URL, so that a search hit is
 * shown from its own record alone: no lookup of the article, no
 * decompressing of more than the passage. Overlapping passages store
 * their shared sentence twice, and no record holds the whole article.
 * Knows nothing of Xapian. Calls buf.c, alloc.c, error.c, zstd and zlib.
 *
 * Layout: 'L', format version (2), flags (bit 0: the article's first
 * passage), then varints ordinal, start, end; then fields as (varint tag,
 * varint length, bytes): the passage's text with the title, the
 * article's length (first passages only), date, URL, field values, and
 * on first passages the bytes of the body between passages and the
 * article's path, so that the article can be given back whole. Every
 * record has a
 * text, and a first passage's the article's length. Readers skip tags
 * they do not know, so later versions can add fields without breaking
 * old indexes. Version 1, still read, had the title as a field of its
 * own and the text alone, as a zlib stream.
 */
#include "lede_int.h"

#include <pthread.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#define RECORD_MAGIC 'L'
#define RECORD_VERSION 2      /* the text a zstd frame */
#define RECORD_VERSION_ZLIB 1 /* the text a zlib stream */
#define FLAG_ARTICLE 0x01

/* Tag 2 is not used: it held a whole article in records that no release
 * wrote, and a reader skips it as any tag it does not know. */
enum {
    TAG_TITLE = 1,  /* raw UTF-8 (version 1) */
    TAG_DATE = 3,   /* seconds since 1970, zigzag varint */
    TAG_URL = 4,    /* raw UTF-8 */
    TAG_TEXT = 5,   /* a passage's own text: its length, the title's, then
                       a zstd frame of both (version 1: the text's length
                       and a zlib stream of it) */
    TAG_LENGTH = 6, /* the article's length in bytes, varint */
    TAG_FIELDS = 7, /* the article's field values: for each, varint
                       length and name, varint length and value */
    TAG_GAPS = 8,   /* first passages: the bytes of the body no passage
                       holds, for each run varint start, varint length,
                       bytes */
    TAG_PATH = 9    /* first passages: the article's path in its corpus */
};

/* Decompressed texts larger than the index accepts are corruption. */
#define BODY_MAX ((uint64_t)LEDE__BODY_MAX)

static int corrupt(const char *what);

static int put_field(lede__buf *out, unsigned tag, const void *p, size_t n)
{
    int rc = lede__buf_put_varint(out, tag);
    if (rc == 0)
        rc = lede__buf_put_varint(out, n);
    if (rc == 0)
        rc = lede__buf_put(out, p, n);
    return rc;
}

/* zstd's level for the texts: its default. On the news corpora of the
 * benchmark, cut in pieces of a passage's size (bench/perf/codec), it
 * compresses them to within 2.5 % of zlib's fastest level's size, checksum
 * included, in less than half the time, and they decompress in about half
 * the time, which a search spends on every hit it shows. */
#define TEXT_LEVEL 3

/* A thread's zstd contexts, made on first use and freed when the thread
 * ends: a context is not to be shared between threads, and making one
 * for each text costs more than the text's decompression. */
typedef struct {
    ZSTD_CCtx *c;
    ZSTD_DCtx *d;
} zctx;

static pthread_key_t zctx_key;
static pthread_once_t zctx_once = PTHREAD_ONCE_INIT;
static int zctx_key_ok;

static void zctx_free(void *p)
{
    zctx *z = p;
    ZSTD_freeCCtx(z->c);
    ZSTD_freeDCtx(z->d);
    lede__free(z);
}

static void zctx_make_key(void)
{
    zctx_key_ok = pthread_key_create(&zctx_key, zctx_free) == 0;
}

/* This thread's contexts, with the one asked for (compressing or not)
 * made; NULL when out of memory. */
static zctx *zctx_get(int compressing)
{
    pthread_once(&zctx_once, zctx_make_key);
    if (!zctx_key_ok)
        return NULL;
    zctx *z = pthread_getspecific(zctx_key);
    if (z == NULL) {
        if ((z = lede__calloc(1, sizeof *z)) == NULL)
            return NULL;
        if (pthread_setspecific(zctx_key, z) != 0) {
            lede__free(z);
            return NULL;
        }
    }
    if (compressing && z->c == NULL) {
        /* The record has the text's length: the frame need not. A
         * checksum, as zlib's streams had, so that a damaged text is
         * found (lede-index --check) rather than shown. */
        if ((z->c = ZSTD_createCCtx()) == NULL ||
            ZSTD_isError(ZSTD_CCtx_setParameter(z->c, ZSTD_c_compressionLevel,
                                                TEXT_LEVEL)) ||
            ZSTD_isError(
                ZSTD_CCtx_setParameter(z->c, ZSTD_c_contentSizeFlag, 0)) ||
            ZSTD_isError(
                ZSTD_CCtx_setParameter(z->c, ZSTD_c_checksumFlag, 1))) {
            ZSTD_freeCCtx(z->c);
            z->c = NULL;
            return NULL;
        }
    }
    if (!compressing && z->d == NULL && (z->d = ZSTD_createDCtx()) == NULL)
        return NULL;
    return z;
}

/* The field `tag` of a text and a title: the text's length, the title's,
 * then one zstd frame of the title and the text, back to back (a title
 * repeated in each passage's record compresses with its text). */
static int put_body(lede__buf *out, unsigned tag, const char *title,
                    size_t title_len, const char *body, size_t len)
{
    lede__buf in = LEDE__BUF_INIT, z = LEDE__BUF_INIT;
    zctx *ctx = zctx_get(1);
    int rc = ctx == NULL ? lede__error_nomem() : lede__buf_put_varint(&z, len);
    if (rc == 0)
        rc = lede__buf_put_varint(&z, title_len);
    if (rc == 0)
        rc = lede__buf_put(&in, title, title_len);
    if (rc == 0)
        rc = lede__buf_put(&in, body, len);
    size_t bound = ZSTD_compressBound(in.len);
    if (rc == 0)
        rc = lede__buf_reserve(&z, bound);
    if (rc == 0) {
        size_t n =
            ZSTD_compress2(ctx->c, z.data + z.len, bound, in.data, in.len);
        if (ZSTD_isError(n))
            rc = lede__error_set(LEDE_ERROR, "zstd: %s", ZSTD_getErrorName(n));
        else
            z.len += n;
    }
    if (rc == 0)
        rc = put_field(out, tag, z.data, z.len);
    lede__buf_free(&in);
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
        rc = put_body(out, TAG_TEXT, r->title ? r->title : "", r->title_len,
                      r->body ? r->body + r->start : "",
                      (size_t)(r->end - r->start));
    /* Every first passage says, if only by an empty list, that the body's
     * other bytes are held: a reader tells an older record from it. */
    if (rc == 0 && r->has_article) {
        lede__buf v = LEDE__BUF_INIT;
        for (size_t i = 0; i < r->ngaps && rc == 0; i++) {
            const lede__span *g = &r->gaps[i];
            if ((rc = lede__buf_put_varint(&v, g->start)) == 0 &&
                (rc = lede__buf_put_varint(&v, g->end - g->start)) == 0)
                rc = lede__buf_put(&v, r->body + g->start, g->end - g->start);
        }
        if (rc == 0)
            rc = put_field(out, TAG_GAPS, v.data, v.len);
        lede__buf_free(&v);
    }
    if (rc == 0 && r->has_article && r->path_len > 0)
        rc = put_field(out, TAG_PATH, r->path, r->path_len);
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
    if (rc == 0 && r->nfields > 0) {
        lede__buf v = LEDE__BUF_INIT;
        for (size_t i = 0; i < r->nfields && rc == 0; i++) {
            const lede_field *f = &r->fields[i];
            size_t nl = strlen(f->name), vl = strlen(f->value);
            if ((rc = lede__buf_put_varint(&v, nl)) == 0 &&
                (rc = lede__buf_put(&v, f->name, nl)) == 0 &&
                (rc = lede__buf_put_varint(&v, vl)) == 0)
                rc = lede__buf_put(&v, f->value, vl);
        }
        if (rc == 0)
            rc = put_field(out, TAG_FIELDS, v.data, v.len);
        lede__buf_free(&v);
    }
    return rc;
}

int lede__store_field_next(const char **name, size_t *name_len,
                           const char **value, size_t *value_len,
                           const char **p, const char *end)
{
    const unsigned char *q = (const unsigned char *)*p;
    const unsigned char *e = (const unsigned char *)end;
    uint64_t nl, vl;
    if (q >= e)
        return 0;
    if (lede__varint_get(&nl, &q, e) < 0 || nl == 0 ||
        nl > LEDE_FIELD_NAME_MAX || nl > (uint64_t)(e - q))
        return corrupt("bad field name");
    *name = (const char *)q;
    *name_len = (size_t)nl;
    q += nl;
    if (lede__varint_get(&vl, &q, e) < 0 || vl == 0 ||
        vl > LEDE_FIELD_VALUE_MAX || vl > (uint64_t)(e - q))
        return corrupt("bad field value");
    *value = (const char *)q;
    *value_len = (size_t)vl;
    *p = (const char *)(q + vl);
    return 1;
}

static int corrupt(const char *what)
{
    return lede__error_set(LEDE_ECORRUPT, "stored passage record: %s", what);
}

/* zlib's fast decoding loop needs this much output room (inflate.c's
 * condition for inflate_fast: 258 bytes, the longest match). */
#define INFLATE_SLACK 258

/* Decompress a stored text in [p, end) into scratch: its length, then
 * the title's and a zstd frame of the title and the text; with zlib
 * (version 1), its length and a zlib stream of the text alone. Sets
 * *text and *text_len, and without zlib *title and *title_len. */
static int get_text(const char **text, size_t *text_len, const char **title,
                    size_t *title_len, lede__buf *scratch,
                    const unsigned char *p, const unsigned char *end, int zlib)
{
    uint64_t want, tlen = 0;
    if (lede__varint_get(&want, &p, end) < 0 || want > BODY_MAX ||
        (!zlib && (lede__varint_get(&tlen, &p, end) < 0 || tlen > BODY_MAX)))
        return corrupt("bad body length");
    lede__buf_clear(scratch);
    if (!zlib) {
        const size_t all = (size_t)(tlen + want);
        zctx *ctx = zctx_get(0);
        int rc =
            ctx == NULL ? lede__error_nomem() : lede__buf_reserve(scratch, all);
        if (rc < 0)
            return rc;
        /* All of it, in as many bytes as the record says. */
        size_t got = ZSTD_decompressDCtx(ctx->d, scratch->data, all, p,
                                         (size_t)(end - p));
        if (ZSTD_isError(got) || got != all)
            return ZSTD_getErrorCode(got) == ZSTD_error_memory_allocation
                       ? lede__error_nomem()
                       : corrupt("body does not decompress");
        scratch->len = all;
        scratch->data[all] = '\0';
        *title = scratch->data;
        *title_len = (size_t)tlen;
        *text = scratch->data + tlen;
        *text_len = (size_t)want;
        return 0;
    }
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

/* lede__store_decode(), the text decompressed only when want_text. */
static int decode(lede__store_record *r, lede__buf *scratch, const char *data,
                  size_t len, int want_text)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    uint64_t ordinal, start, stop;

    memset(r, 0, sizeof *r);
    if (len < 3 || p[0] != RECORD_MAGIC)
        return corrupt("not a lede record");
    if (p[1] != RECORD_VERSION && p[1] != RECORD_VERSION_ZLIB)
        return corrupt("unknown record version (index made by a newer lede?)");
    const int zlib = p[1] == RECORD_VERSION_ZLIB;
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
        if (tag == TAG_TITLE && zlib) {
            r->title = (const char *)p;
            r->title_len = (size_t)n;
        } else if (tag == TAG_LENGTH) {
            const unsigned char *q = p;
            if (lede__varint_get(&length, &q, p + n) < 0 || q != p + n ||
                length > BODY_MAX)
                return corrupt("bad article length");
            have_length = 1;
        } else if (tag == TAG_TEXT && !have_text && !want_text) {
            have_text = 1; /* there, not read */
        } else if (tag == TAG_TEXT && !have_text) {
            int rc = get_text(&r->text, &r->text_len, &r->title, &r->title_len,
                              scratch, p, p + n, zlib);
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
        } else if (tag == TAG_GAPS) {
            r->gaps_data = n ? (const char *)p : "";
            r->gaps_len = (size_t)n;
        } else if (tag == TAG_PATH) {
            r->path = (const char *)p;
            r->path_len = (size_t)n;
        } else if (tag == TAG_FIELDS) {
            const char *q = (const char *)p, *e = (const char *)(p + n);
            const char *nm, *v;
            size_t nl, vl, count = 0;
            int rc;
            while ((rc = lede__store_field_next(&nm, &nl, &v, &vl, &q, e)) > 0)
                count++;
            if (rc < 0)
                return rc;
            if (count > LEDE_FIELDS_MAX)
                return corrupt("too many field values");
            r->fields_data = (const char *)p;
            r->fields_len = (size_t)n;
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

int lede__store_decode(lede__store_record *r, lede__buf *scratch,
                       const char *data, size_t len)
{
    return decode(r, scratch, data, len, 1);
}

int lede__store_decode_meta(lede__store_record *r, const char *data, size_t len)
{
    return decode(r, NULL, data, len, 0);
}

int lede__store_gap_next(uint64_t *start, const char **bytes, size_t *len,
                         const char **p, const char *end)
{
    const unsigned char *q = (const unsigned char *)*p;
    const unsigned char *e = (const unsigned char *)end;
    uint64_t n;
    if (q >= e)
        return 0;
    if (lede__varint_get(start, &q, e) < 0 || lede__varint_get(&n, &q, e) < 0 ||
        n == 0 || n > (uint64_t)(e - q) || *start > BODY_MAX)
        return corrupt("bad gap");
    *bytes = (const char *)q;
    *len = (size_t)n;
    *p = (const char *)(q + n);
    return 1;
}
