/*
 * codec.c - the stored passage texts compressed as lede stores them
 * (zstd) and as it did before (zlib): size, and time to compress and to
 * decompress.
 *
 * Usage: codec DOCS.jsonl [CHUNK_BYTES [ROUNDS]]
 *
 * DOCS.jsonl is the benchmark's export of a corpus (bench/perf/export:
 * "title" and "text"). Each article's text is cut into pieces of
 * CHUNK_BYTES (default 1500, about a passage), each with the title in
 * front, as a record holds them, and each piece is compressed on its
 * own: by zlib at level 1 with a window and hash sized to it (lede's
 * records of version 1), and by zstd at levels 1 and 3 with a checksum
 * and no content size (store.c, at level 3). Decompression runs ROUNDS
 * times (default 20) over every piece, into a buffer of the known size.
 * Prints, per codec: bytes in, bytes out, their ratio, and the median
 * over five passes of the nanoseconds a piece takes to compress and to
 * decompress. Times are of this machine at this moment: compare the rows
 * of one run.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <zstd.h>

typedef struct {
    unsigned char *z; /* compressed */
    size_t zlen;
    size_t len; /* original */
} piece;

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int window_bits(size_t len)
{
    int bits = 9;
    while (bits < 15 && ((size_t)1 << bits) < len)
        bits++;
    return bits;
}

/* Compress src into p with codec (0: zlib; else the zstd level). */
static int squeeze(piece *p, int codec, ZSTD_CCtx *cc, const char *src,
                   size_t len)
{
    p->len = len;
    if (codec == 0) {
        uLong cap = compressBound((uLong)len) + 16;
        z_stream d;
        memset(&d, 0, sizeof d);
        if ((p->z = malloc(cap)) == NULL ||
            deflateInit2(&d, Z_BEST_SPEED, Z_DEFLATED, window_bits(len), 4,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            return -1;
        d.next_in = (Bytef *)src;
        d.avail_in = (uInt)len;
        d.next_out = p->z;
        d.avail_out = (uInt)cap;
        int rc = deflate(&d, Z_FINISH);
        p->zlen = cap - d.avail_out;
        deflateEnd(&d);
        return rc == Z_STREAM_END ? 0 : -1;
    }
    size_t cap = ZSTD_compressBound(len);
    if ((p->z = malloc(cap)) == NULL)
        return -1;
    p->zlen = ZSTD_compress2(cc, p->z, cap, src, len);
    return ZSTD_isError(p->zlen) ? -1 : 0;
}

static int expand(const piece *p, int codec, ZSTD_DCtx *dc, char *out)
{
    if (codec == 0) {
        z_stream z;
        memset(&z, 0, sizeof z);
        if (inflateInit(&z) != Z_OK)
            return -1;
        z.next_in = p->z;
        z.avail_in = (uInt)p->zlen;
        z.next_out = (Bytef *)out;
        z.avail_out = (uInt)(p->len + 258);
        int rc = inflate(&z, Z_FINISH);
        size_t got = p->len + 258 - z.avail_out;
        inflateEnd(&z);
        return rc == Z_STREAM_END && got == p->len ? 0 : -1;
    }
    size_t got = ZSTD_decompressDCtx(dc, out, p->len, p->z, p->zlen);
    return !ZSTD_isError(got) && got == p->len ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    size_t chunk = argc > 2 ? (size_t)atol(argv[2]) : 1500;
    int rounds = argc > 3 ? atoi(argv[3]) : 20;
    if (argc < 2 || chunk < 1 || rounds < 1) {
        fprintf(stderr, "usage: %s DOCS.jsonl [CHUNK_BYTES [ROUNDS]]\n",
                argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    /* The pieces, title and text back to back, one after another. */
    char *all = NULL, *line = NULL;
    size_t nall = 0, capall = 0, capline = 0, *starts = NULL, n = 0, capn = 0,
           most = 0;
    ssize_t got;
    while ((got = getline(&line, &capline, f)) > 0) {
        json_t *a = json_loadb(line, (size_t)got, 0, NULL);
        const char *title = json_string_value(json_object_get(a, "title"));
        const char *text = json_string_value(json_object_get(a, "text"));
        size_t tl = title ? strlen(title) : 0, xl = text ? strlen(text) : 0;
        for (size_t off = 0; off < xl; off += chunk) {
            size_t len = xl - off < chunk ? xl - off : chunk;
            if (nall + tl + len > capall) {
                capall = (nall + tl + len) * 2;
                if ((all = realloc(all, capall)) == NULL)
                    return 1;
            }
            if (n + 2 > capn) {
                capn = (n + 2) * 2;
                if ((starts = realloc(starts, capn * sizeof *starts)) == NULL)
                    return 1;
            }
            starts[n++] = nall;
            most = tl + len > most ? tl + len : most;
            memcpy(all + nall, title, tl);
            memcpy(all + nall + tl, text + off, len);
            nall += tl + len;
        }
        json_decref(a);
    }
    free(line);
    fclose(f);
    if (n == 0) {
        fprintf(stderr, "%s: no texts\n", argv[1]);
        return 1;
    }
    starts[n] = nall;

    static const int codecs[] = {0, 1, 3};
    static const char *const names[] = {"zlib level 1 (version 1)",
                                        "zstd level 1", "zstd level 3 (lede)"};
    piece *p = calloc(n, sizeof *p);
    char *out = malloc(most + 258);
    ZSTD_DCtx *dc = ZSTD_createDCtx();
    printf("%zu pieces of up to %zu bytes and their titles, from %s\n", n,
           chunk, argv[1]);
    printf("| codec | bytes in | bytes out | ratio | compress ns/piece | "
           "decompress ns/piece |\n|---|---|---|---|---|---|\n");
    for (size_t c = 0; c < sizeof codecs / sizeof *codecs; c++) {
        double comp[5], dec[5];
        size_t zbytes = 0;
        for (int pass = 0; pass < 5; pass++) {
            ZSTD_CCtx *cc = ZSTD_createCCtx();
            ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, codecs[c]);
            ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 0);
            ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
            zbytes = 0;
            double t0 = now_ns();
            for (size_t i = 0; i < n; i++) {
                free(p[i].z);
                if (squeeze(&p[i], codecs[c], cc, all + starts[i],
                            starts[i + 1] - starts[i]) < 0) {
                    fprintf(stderr, "%s: piece %zu does not compress\n",
                            names[c], i);
                    return 1;
                }
                zbytes += p[i].zlen;
            }
            comp[pass] = (now_ns() - t0) / (double)n;
            ZSTD_freeCCtx(cc);
            t0 = now_ns();
            for (int r = 0; r < rounds; r++) {
                for (size_t i = 0; i < n; i++) {
                    if (expand(&p[i], codecs[c], dc, out) < 0) {
                        fprintf(stderr, "%s: piece %zu does not decompress\n",
                                names[c], i);
                        return 1;
                    }
                }
            }
            dec[pass] = (now_ns() - t0) / ((double)n * rounds);
        }
        qsort(comp, 5, sizeof *comp, cmp_double);
        qsort(dec, 5, sizeof *dec, cmp_double);
        printf("| %s | %zu | %zu | %.4f | %.0f | %.0f |\n", names[c], nall,
               zbytes, (double)zbytes / (double)nall, comp[2], dec[2]);
    }
    for (size_t i = 0; i < n; i++)
        free(p[i].z);
    free(p);
    free(out);
    free(all);
    free(starts);
    ZSTD_freeDCtx(dc);
    return 0;
}
