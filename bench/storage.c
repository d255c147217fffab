/*
 * storage.c - how much stored text costs: the article once per article
 * (lede's layout) against each passage's own text in its document.
 *
 * Usage: storage INDEX_DIR
 *
 * Walks every passage document of a lede index and prints the bytes of
 * the stored records as they are, and the bytes the alternative layout
 * would take: every passage record holding its own passage text,
 * compressed the same way (zlib, default level), and the title stored
 * once per article in both. Passages of an article are contiguous in
 * docid order, first passage first; the tool checks that.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <string.h>

#include <zlib.h>

typedef struct {
    lede__buf body;           /* body of the current article */
    uint32_t next;            /* ordinal expected next */
    unsigned long long arts;  /* articles */
    unsigned long long pass;  /* passages */
    unsigned long long raw;   /* body bytes */
    unsigned long long ptext; /* passage text bytes (overlaps counted) */
    unsigned long long now;   /* stored record bytes, as indexed */
    unsigned long long alt;   /* record bytes, one text per passage */
    int bad;                  /* layout assumption broken */
} tally;

static unsigned long zsize(const char *p, size_t n)
{
    uLongf len = compressBound((uLong)n);
    static Bytef out[1 << 22];
    if (len > sizeof out || compress2(out, &len, (const Bytef *)p, (uLong)n,
                                      Z_DEFAULT_COMPRESSION) != Z_OK)
        return (unsigned long)n;
    return len;
}

static int visit(const lede__xdocinfo *doc, void *payload)
{
    tally *t = payload;
    const char *data = doc->data;
    size_t len = doc->data_len;
    lede__buf scratch = LEDE__BUF_INIT;
    lede__record r;
    int rc = lede__record_decode(&r, &scratch, data, len);
    if (rc < 0) {
        lede__buf_free(&scratch);
        return rc;
    }
    if (r.has_article) {
        lede__buf_free(&t->body);
        t->body = scratch;
        scratch = (lede__buf)LEDE__BUF_INIT;
        t->arts++;
        t->raw += r.body_len;
        t->next = 0;
        /* Both layouts store the title once, in the first passage. */
        t->alt += r.title_len + 2;
    }
    if (r.ordinal != t->next || r.end > t->body.len)
        t->bad = 1;
    t->next = r.ordinal + 1;
    t->pass++;
    t->ptext += r.end - r.start;
    t->now += len;
    /* The passage header (magic, version, flags, three varints) is the
     * same in both layouts; approximate it by the record's first bytes. */
    t->alt += 3 + 3 * 3 + zsize(t->body.data + r.start, r.end - r.start);
    lede__buf_free(&scratch);
    return 0;
}

int main(int argc, char **argv)
{
    lede_index *idx;
    tally t = {LEDE__BUF_INIT, 0, 0, 0, 0, 0, 0, 0, 0};

    if (argc != 2) {
        fprintf(stderr, "usage: %s INDEX_DIR\n", argv[0]);
        return 2;
    }
    if (lede_index_open(&idx, argv[1], NULL) < 0 ||
        lede__xdb_term_docs(lede__index_db(idx), "", 0, visit, &t) < 0) {
        fprintf(stderr, "%s: %s\n", argv[0], lede_error_last());
        return 1;
    }
    lede_index_free(idx);
    lede__buf_free(&t.body);
    if (t.bad) {
        fprintf(stderr, "%s: passages are not in article order\n", argv[0]);
        return 1;
    }
    printf("articles            %llu\n", t.arts);
    printf("passages            %llu\n", t.pass);
    printf("body bytes          %llu\n", t.raw);
    printf("passage text bytes  %llu (%.2fx the bodies: overlap)\n", t.ptext,
           (double)t.ptext / (double)(t.raw ? t.raw : 1));
    printf("stored, article once     %llu bytes (%.3f of the bodies)\n", t.now,
           (double)t.now / (double)(t.raw ? t.raw : 1));
    printf("stored, text per passage %llu bytes (%.3f of the bodies)\n", t.alt,
           (double)t.alt / (double)(t.raw ? t.raw : 1));
    return 0;
}
