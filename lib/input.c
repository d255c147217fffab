/*
 * input.c - the bytes of one corpus file, decompressed when gzipped.
 *
 * Owns file access for the readers: opening without following a final
 * symbolic link and without blocking on FIFOs, gzip decompression with
 * zlib (any number of members, as gzip(1) writes when files are
 * concatenated), the limits that keep a hostile file from exhausting
 * memory or disk (decompressed size, expansion ratio), line reading with
 * bounded memory, and a hash of the raw bytes for change detection. It
 * knows no formats (fmt_*.c) and no articles. Calls buf.c, hash.c, alloc.c,
 * error.c and zlib.
 */
#include "lede_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

/* Raw reads and the decompressed look-ahead use buffers of this size. */
#define CHUNK (64 * 1024)
/* The expansion ratio is only judged once this much is out: small files
 * of repeated text can compress very well. */
#define RATIO_GRACE ((uint64_t)1 << 20)

struct lede__input {
    int fd;                 /* the open file */
    char *path;             /* its path, for messages */
    lede__input_limits lim; /* limits */
    unsigned char *raw;     /* raw bytes read and not yet used */
    size_t raw_pos;         /* next unused byte in raw */
    size_t raw_len;         /* bytes in raw */
    int raw_eof;            /* the file has no more bytes */
    uint64_t raw_total;     /* raw bytes read from the file */
    uint64_t hash;          /* hash of those bytes */
    int started;            /* the first bytes were looked at */
    int gz;                 /* the file is gzip data */
    int z_ready;            /* z is initialised */
    int z_end;              /* the current gzip member is complete */
    z_stream z;             /* the inflater */
    uint64_t out_total;     /* decompressed bytes produced */
    char *look;             /* decompressed look-ahead (lines, peeking) */
    size_t look_pos;        /* next unread byte of look */
    size_t look_len;        /* bytes in look */
};

static int io_error(const lede__input *in, const char *what, int err)
{
    return lede__error_set(err == ENOENT ? LEDE_ENOTFOUND : LEDE_EIO,
                           "%s: %s%s%s", in->path, what, *what ? ": " : "",
                           strerror(err));
}

int lede__input_open(lede__input **out, const char *path,
                     const lede__input_limits *lim)
{
    lede__input *in;
    struct stat st;
    int err;

    *out = NULL;
    if ((in = lede__calloc(1, sizeof *in)) == NULL ||
        (in->path = lede__strndup(path, strlen(path))) == NULL ||
        (in->raw = lede__malloc(CHUNK)) == NULL ||
        (in->look = lede__malloc(CHUNK)) == NULL) {
        if (in != NULL) {
            lede__free(in->path);
            lede__free(in->raw);
            lede__free(in);
        }
        return lede__error_nomem();
    }
    in->lim = *lim;
    in->hash = LEDE__HASH_INIT;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    in->fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (in->fd < 0) {
        err = errno;
        int rc = err == ELOOP
                     ? lede__error_set(LEDE_EINVAL,
                                       "%s: symbolic link, not followed", path)
                     : io_error(in, "", err);
        lede__input_close(in);
        return rc;
    }
    if (fstat(in->fd, &st) != 0) {
        err = errno;
        int rc = io_error(in, "", err);
        lede__input_close(in);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        lede__input_close(in);
        return lede__error_set(LEDE_EINVAL, "%s: not a regular file", path);
    }
    int flags = fcntl(in->fd, F_GETFL);
    if (flags >= 0)
        fcntl(in->fd, F_SETFL, flags & ~O_NONBLOCK);
    *out = in;
    return 0;
}

void lede__input_close(lede__input *in)
{
    if (in == NULL)
        return;
    if (in->fd >= 0)
        close(in->fd);
    if (in->z_ready)
        inflateEnd(&in->z);
    lede__free(in->path);
    lede__free(in->raw);
    lede__free(in->look);
    lede__free(in);
}

uint64_t lede__input_consumed(const lede__input *in)
{
    return in->raw_total - (in->raw_len - in->raw_pos);
}

const char *lede__input_path(const lede__input *in)
{
    return in->path;
}

uint64_t lede__input_hash(const lede__input *in)
{
    return in->hash;
}

/* Make raw hold unused bytes unless the file is at its end. */
static int fill_raw(lede__input *in)
{
    if (in->raw_pos < in->raw_len || in->raw_eof)
        return 0;
    for (;;) {
        ssize_t n = read(in->fd, in->raw, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_error(in, "read", errno);
        in->raw_pos = 0;
        in->raw_len = (size_t)n;
        in->raw_eof = n == 0;
        in->raw_total += (uint64_t)n;
        in->hash = lede__hash(in->hash, in->raw, (size_t)n);
        return 0;
    }
}

/* Decide once, on the first read, whether the file is gzip data. */
static int start(lede__input *in)
{
    in->started = 1;
    int rc = fill_raw(in);
    if (rc < 0)
        return rc;
    if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
        in->gz = 1;
        memset(&in->z, 0, sizeof in->z);
        int zrc = inflateInit2(&in->z, 16 + MAX_WBITS); /* gzip only */
        if (zrc != Z_OK)
            return zrc == Z_MEM_ERROR
                       ? lede__error_nomem()
                       : lede__error_set(LEDE_ERROR, "%s: zlib: error %d",
                                         in->path, zrc);
        in->z_ready = 1;
    }
    return 0;
}

static int check_limits(lede__input *in)
{
    if (in->lim.max_bytes && in->out_total > in->lim.max_bytes)
        return lede__error_set(LEDE_ELIMIT,
                               "%s: over the limit of %llu bytes%s", in->path,
                               (unsigned long long)in->lim.max_bytes,
                               in->gz ? " decompressed" : "");
    if (in->gz && in->lim.max_ratio && in->out_total > RATIO_GRACE &&
        in->out_total / (in->raw_total ? in->raw_total : 1) >=
            in->lim.max_ratio)
        return lede__error_set(LEDE_ELIMIT,
                               "%s: gzip data expands more than %u times "
                               "(a decompression bomb?)",
                               in->path, in->lim.max_ratio);
    return 0;
}

/* After a gzip member: more members, zero padding, or garbage. */
static int next_member(lede__input *in, int *more)
{
    int rc;
    *more = 0;
    for (;;) {
        if ((rc = fill_raw(in)) < 0)
            return rc;
        if (in->raw_pos == in->raw_len)
            return 0; /* end of file */
        if (in->raw[in->raw_pos] == 0) {
            in->raw_pos++; /* tape-style zero padding, as gzip allows */
            continue;
        }
        break;
    }
    if (in->raw[in->raw_pos] != 0x1f)
        return lede__error_set(
            LEDE_ECORRUPT, "%s: data after the gzip stream at byte %llu",
            in->path,
            (unsigned long long)(in->raw_total - in->raw_len + in->raw_pos));
    inflateReset(&in->z);
    in->z_end = 0;
    *more = 1;
    return 0;
}

static int inflate_some(lede__input *in, char *buf, size_t n, size_t *got)
{
    int rc;
    *got = 0;
    while (*got == 0) {
        if (in->z_end) {
            int more;
            if ((rc = next_member(in, &more)) < 0)
                return rc;
            if (!more)
                return 0;
        }
        if ((rc = fill_raw(in)) < 0)
            return rc;
        if (in->raw_pos == in->raw_len)
            return lede__error_set(LEDE_ECORRUPT,
                                   "%s: gzip data is truncated (the file "
                                   "ends inside a stream, at byte %llu)",
                                   in->path, (unsigned long long)in->raw_total);
        in->z.next_in = in->raw + in->raw_pos;
        in->z.avail_in = (uInt)(in->raw_len - in->raw_pos);
        in->z.next_out = (Bytef *)buf;
        in->z.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
        int zrc = inflate(&in->z, Z_NO_FLUSH);
        in->raw_pos = in->raw_len - in->z.avail_in;
        *got = (size_t)((char *)in->z.next_out - buf);
        if (zrc == Z_STREAM_END) {
            in->z_end = 1;
        } else if (zrc == Z_MEM_ERROR) {
            return lede__error_nomem();
        } else if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
            return lede__error_set(
                LEDE_ECORRUPT, "%s: damaged gzip data near byte %llu: %s",
                in->path,
                (unsigned long long)(in->raw_total - in->raw_len + in->raw_pos),
                in->z.msg ? in->z.msg : "data error");
        }
    }
    return 0;
}

/* Read decompressed bytes, bypassing the look-ahead. */
static int read_more(lede__input *in, char *buf, size_t n, size_t *got)
{
    int rc;
    *got = 0;
    if (!in->started && (rc = start(in)) < 0)
        return rc;
    if (in->gz) {
        rc = inflate_some(in, buf, n, got);
    } else {
        if ((rc = fill_raw(in)) < 0)
            return rc;
        size_t k = in->raw_len - in->raw_pos;
        *got = k < n ? k : n;
        memcpy(buf, in->raw + in->raw_pos, *got);
        in->raw_pos += *got;
    }
    if (rc < 0)
        return rc;
    in->out_total += *got;
    return check_limits(in);
}

int lede__input_read(lede__input *in, char *buf, size_t n, size_t *got)
{
    if (in->look_pos < in->look_len) {
        size_t k = in->look_len - in->look_pos;
        *got = k < n ? k : n;
        memcpy(buf, in->look + in->look_pos, *got);
        in->look_pos += *got;
        return 0;
    }
    return read_more(in, buf, n, got);
}

/* Refill an empty look-ahead; *got is 0 at the end of input. */
static int refill(lede__input *in, size_t *got)
{
    in->look_pos = in->look_len = 0;
    int rc = read_more(in, in->look, CHUNK, got);
    if (rc == 0)
        in->look_len = *got;
    return rc;
}

int lede__input_peek(lede__input *in, const char **p, size_t *n)
{
    size_t got;
    int rc;
    if (in->look_pos == in->look_len && (rc = refill(in, &got)) < 0)
        return rc;
    *p = in->look + in->look_pos;
    *n = in->look_len - in->look_pos;
    return 0;
}

int lede__input_line(lede__input *in, lede__buf *line, size_t max,
                     int *too_long)
{
    int any = 0, rc;
    size_t got;

    lede__buf_clear(line);
    *too_long = 0;
    for (;;) {
        if (in->look_pos == in->look_len) {
            if ((rc = refill(in, &got)) < 0)
                return rc;
            if (got == 0)
                return any;
        }
        any = 1;
        const char *start = in->look + in->look_pos;
        size_t avail = in->look_len - in->look_pos;
        const char *nl = memchr(start, '\n', avail);
        size_t seg = nl ? (size_t)(nl - start) : avail;
        size_t keep = line->len >= max        ? 0
                      : seg > max - line->len ? max - line->len
                                              : seg;
        if (keep < seg)
            *too_long = 1;
        if (keep > 0 && (rc = lede__buf_put(line, start, keep)) < 0)
            return rc;
        in->look_pos += seg + (nl != NULL);
        if (nl)
            return 1;
    }
}

int lede__input_all(lede__input *in, lede__buf *out, size_t max)
{
    size_t start = out->len, got;
    int rc;
    for (;;) {
        if ((rc = lede__buf_reserve(out, CHUNK)) < 0)
            return rc;
        if ((rc = lede__input_read(in, out->data + out->len, CHUNK, &got)) < 0)
            return rc;
        if (got == 0)
            break;
        out->len += got;
        out->data[out->len] = '\0';
        if (out->len - start > max)
            return lede__error_set(LEDE_ELIMIT,
                                   "%s: article over the limit of %zu bytes",
                                   in->path, max);
    }
    return 0;
}

int lede__input_file_hash(uint64_t *out, const char *path)
{
    static const lede__input_limits none = {0, 0};
    lede__input *in;
    int rc = lede__input_open(&in, path, &none);
    *out = 0;
    if (rc < 0)
        return rc;
    do {
        in->raw_pos = in->raw_len; /* use nothing, just read and hash */
        rc = fill_raw(in);
    } while (rc == 0 && !in->raw_eof);
    *out = in->hash;
    lede__input_close(in);
    return rc;
}
