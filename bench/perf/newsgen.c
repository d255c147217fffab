/*
 * newsgen.c - synthetic news articles for indexing-speed and query-latency
 * benchmarks, at any scale (10k, 100k, 1M articles).
 *
 * Usage: newsgen [--seed=N] [--articles=N] [--vocabulary=N] [--fields] [OUT]
 *
 * Writes JSON Lines to OUT (standard output if absent or "-"), one article
 * a line: {"id":"syn-0000001","title":"...","text":"...","date":"..."}.
 * With --fields each article also has "section" (one of twelve desks),
 * "author" (two names) and "tag" (one to three of its topic words), drawn
 * after the rest of it, which stays the same bytes.
 * Defaults: seed 1, 10000 articles, a vocabulary of 50000 words. The same
 * options give the same bytes; each article depends only on the seed, the
 * vocabulary and its number, so a smaller --articles is a prefix of a
 * larger one. An article is about 2 KB (1M articles, 2.1 GB), and memory
 * is the vocabulary's, whatever the article count.
 *
 * Words are pseudo-words of 1 to 4 syllables, 2 to 12 lower-case letters,
 * all distinct. Shorter words get lower ranks, as in real languages, and
 * rank r is drawn with probability proportional to 1/r (Zipf, exponent 1):
 * the top word is about 8% of the text, as "the" is of English. 2000
 * capitalised names follow their own Zipf law. Each article has 8 topic
 * words and 3 names that recur through its title and body, as a story's
 * subject does, so rare terms get term frequencies above 1 and titles
 * match their bodies.
 *
 * Shapes: an article aims at 150 + 100 X^2 words, X the sum of three
 * uniforms (150 to 1050, mean 400, skewed right), in 2 to 15 paragraphs
 * of 1 to 5 sentences split by a blank line ("\n\n" in the JSON string).
 * A sentence has 5 to 40 words (sum of four uniforms, mean 20), a comma
 * after one word in 16, and ends in '.', 4% '?', 1% '!'. 2% of words are
 * numbers (12, 3.5, 1,200, 2019) and 5% are names. Titles have 5 to 12
 * words, capitalised as headlines, with no final period. Dates are uniform
 * over 2000-01-01..2025-12-31.
 *
 * Sampling uses only integers and exact IEEE double arithmetic on
 * splitmix64 streams, never libm or rand(), whose results differ between
 * C libraries: the output is the same on every machine with IEEE
 * doubles.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE                                                                  \
    "usage: newsgen [--seed=N] [--articles=N] [--vocabulary=N] [--fields] "    \
    "[OUT]\n"

enum {
    WORD_MAX = 12,         /* letters in a word or a name */
    NAMES = 2000,          /* distinct names */
    TOPIC_WORDS = 8,       /* subject words of an article */
    TOPIC_NAMES = 3,       /* names an article is about */
    VOCAB_MIN = 100,       /* room for topic words above the common ones */
    VOCAB_MAX = 10000000,  /* about 50 bytes a word while building */
    BUF_SIZE = 1 << 22,    /* output buffer */
    ARTICLE_MAX = 1 << 16, /* > 15 x 5 x 40 words of <= 14 bytes, + title */
};

#define ARTICLES_MAX 1000000000ull /* 2.5 TB of output; ids stay readable */

typedef struct {
    char s[15];        /* letters, then zero padding */
    unsigned char len; /* letters used */
} word;

typedef struct {
    uint32_t *cut;   /* keep the bucket if 32 random bits are below this */
    uint32_t *alias; /* else draw this entry */
    uint32_t n;      /* entries */
} zipf;

typedef struct {
    const word *vocab;           /* by rank, most frequent first */
    const word *names;           /* by rank, capitalised */
    zipf vz;                     /* rank of the next word */
    zipf nz;                     /* rank of the next name */
    uint32_t floor;              /* lowest rank a topic word may have */
    long first_day;              /* 2000-01-01, in days since 1970 */
    uint32_t days;               /* in 2000..2025 */
    uint64_t base;               /* seeds every article's stream */
    uint64_t r;                  /* the current article's stream */
    uint32_t topic[TOPIC_WORDS]; /* this article's subject words */
    uint32_t cast[TOPIC_NAMES];  /* and the names it is about */
    char *p;                     /* next byte of the output buffer */
    int fields;                  /* --fields: section, author, tags */
} gen;

static void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "newsgen: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n" USAGE);
    exit(2);
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* splitmix64: fast, passes BigCrush, and streams started at mix()ed
 * states do not overlap in practice. */
static uint64_t next(uint64_t *s)
{
    return mix(*s += 0x9e3779b97f4a7c15u);
}

/* Uniform in [0, k); the bias, under k / 2^32, is far below noise. */
static uint32_t below(uint64_t *s, uint32_t k)
{
    return (uint32_t)(((next(s) >> 32) * k) >> 32);
}

/* Uniform in [0, 1), exactly a multiple of 2^-53. */
static double unit(uint64_t *s)
{
    return (double)(next(s) >> 11) * 0x1p-53;
}

#define PICK(r, a) ((a)[below((r), sizeof(a) / sizeof *(a))])

static const char *const onset1[] = {"b", "c", "d", "f", "g", "h", "j",
                                     "k", "l", "m", "n", "p", "r", "s",
                                     "t", "v", "w", "y", "z"};
static const char *const onset2[] = {"bl", "br", "ch", "cl", "cr", "dr", "fl",
                                     "fr", "gl", "gr", "pl", "pr", "sc", "sh",
                                     "sk", "sl", "sp", "st", "th", "tr", "wh"};
static const char *const vowel1[] = {"a", "e", "i", "o", "u"};
static const char *const vowel2[] = {"ai", "au", "ea", "ee", "ie",
                                     "io", "oa", "oo", "ou"};
static const char *const coda[] = {"ck", "d",  "ll", "m",  "n",  "nd",
                                   "ng", "nt", "r",  "rd", "rk", "rn",
                                   "s",  "ss", "st", "t",  "th", "x"};
static const char *const name_end[] = {"a",  "an", "berg", "el",  "ez",  "ia",
                                       "in", "o",  "ov",   "ski", "son", "ton"};

/* People read benchmark text: keep syllables from spelling these. */
static const char *const banned[] = {"cock", "cunt", "dick", "fag",  "fuck",
                                     "nazi", "nig",  "piss", "porn", "rape",
                                     "shit", "slut", "twat", "wank", "whore"};

/* Append src to w; 0 if that would pass WORD_MAX letters. */
static int cat(word *w, const char *src)
{
    size_t n = strlen(src);
    if (w->len + n > WORD_MAX)
        return 0;
    memcpy(w->s + w->len, src, n);
    w->len = (unsigned char)(w->len + n);
    return 1;
}

/* Onset, vowel, optional coda; only a first syllable may start with a
 * vowel, which keeps vowels from piling up ("aeoi"). */
static int syllable(word *w, uint64_t *r, int first)
{
    uint32_t k = below(r, 100);
    const char *on = k < 72 || (k >= 90 && !first) ? PICK(r, onset1)
                     : k < 90                      ? PICK(r, onset2)
                                                   : "";
    const char *v = below(r, 100) < 85 ? PICK(r, vowel1) : PICK(r, vowel2);
    const char *c = below(r, 100) < 40 ? PICK(r, coda) : "";
    return cat(w, on) && cat(w, v) && cat(w, c);
}

/* A word of 1 to 4 syllables, or a name of 2 or 3 with sometimes a
 * name-like ending; 0 if it came out too long or too short. */
static int make(word *w, uint64_t *r, int name)
{
    uint32_t k = below(r, 100);
    int n = name ? 2 + (k < 40) : k < 20 ? 1 : k < 65 ? 2 : k < 92 ? 3 : 4;
    memset(w, 0, sizeof *w);
    for (int i = 0; i < n; i++)
        if (!syllable(w, r, i == 0))
            return 0;
    if (name && below(r, 2) && !cat(w, PICK(r, name_end)))
        return 0;
    if (w->len < (name ? 4 : 2))
        return 0;
    for (int i = 2; i < w->len; i++)
        if (w->s[i] == w->s[i - 1] && w->s[i] == w->s[i - 2])
            return 0; /* "sss" where a coda meets an onset */
    for (size_t i = 0; i < sizeof banned / sizeof *banned; i++)
        if (strstr(w->s, banned[i]) != NULL)
            return 0;
    return 1;
}

static uint64_t hash(const word *w)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (int i = 0; i < w->len; i++)
        h = (h ^ (unsigned char)w->s[i]) * 0x100000001b3u;
    return h;
}

static int by_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* n words by rank, then NAMES names, all distinct from each other. NULL if
 * out of memory; the caller frees the result. */
static word *lexicon(uint64_t seed, uint32_t n)
{
    uint32_t total = n + NAMES;
    size_t size = 1;
    while (size < 2 * (size_t)total)
        size <<= 1;
    word *all = malloc(total * sizeof *all);
    word *ranked = malloc(n * sizeof *ranked);
    uint32_t *slot = calloc(size, sizeof *slot); /* index + 1; 0 is free */
    uint64_t *key = malloc(n * sizeof *key);
    uint64_t r = mix(seed ^ 0x766f636162756c61u);
    if (all == NULL || ranked == NULL || slot == NULL || key == NULL) {
        free(all);
        all = NULL;
        goto done;
    }
    for (uint32_t i = 0; i < total;) {
        word *w = &all[i];
        if (!make(w, &r, i >= n))
            continue;
        size_t h = hash(w) & (size - 1);
        while (slot[h] && memcmp(&all[slot[h] - 1], w, sizeof *w) != 0)
            h = (h + 1) & (size - 1);
        if (slot[h])
            continue;
        slot[h] = ++i;
    }
    /* Rank by length with a little noise: frequent words are short (the
     * top ones 2 or 3 letters) without all 2-letter words coming first.
     * The index in the key makes the order total, so qsort's is fixed. */
    for (uint32_t i = 0; i < n; i++)
        key[i] = (uint64_t)(all[i].len + below(&r, 4)) << 32 | i;
    qsort(key, n, sizeof *key, by_key);
    for (uint32_t i = 0; i < n; i++)
        ranked[i] = all[(uint32_t)key[i]];
    memcpy(all, ranked, n * sizeof *all);
    for (uint32_t i = n; i < total; i++)
        all[i].s[0] = (char)(all[i].s[0] - 'a' + 'A');
done:
    free(ranked);
    free(slot);
    free(key);
    return all;
}

/* Walker's alias table for P(rank r) = (1 / (r + 1)) / H(n): one random
 * number and one lookup a draw, where a cumulative table would take 16
 * dependent probes for 50000 words. Built with Vose's method. */
static int zipf_init(zipf *z, uint32_t n)
{
    double *p = malloc(n * sizeof *p), sum = 0;
    uint32_t *small = malloc(n * sizeof *small);
    uint32_t *large = malloc(n * sizeof *large);
    uint32_t ns = 0, nl = 0;
    z->cut = malloc(n * sizeof *z->cut);
    z->alias = malloc(n * sizeof *z->alias);
    z->n = n;
    if (p == NULL || small == NULL || large == NULL || z->cut == NULL ||
        z->alias == NULL) {
        free(p);
        free(small);
        free(large);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++)
        sum += 1.0 / (i + 1.0);
    for (uint32_t i = 0; i < n; i++) {
        p[i] = n / (i + 1.0) / sum; /* mean 1 */
        if (p[i] < 1)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
        uint32_t s = small[--ns], l = large[nl - 1];
        z->cut[s] = (uint32_t)(p[s] * 0x1p32); /* p < 1: below 2^32 */
        z->alias[s] = l;
        p[l] -= 1 - p[s];
        if (p[l] < 1) {
            nl--;
            small[ns++] = l;
        }
    }
    /* What is left is 1 up to rounding: always keep it. */
    while (ns > 0) {
        uint32_t s = small[--ns];
        z->cut[s] = UINT32_MAX;
        z->alias[s] = s;
    }
    while (nl > 0) {
        uint32_t l = large[--nl];
        z->cut[l] = UINT32_MAX;
        z->alias[l] = l;
    }
    free(p);
    free(small);
    free(large);
    return 0;
}

static void zipf_free(zipf *z)
{
    free(z->cut);
    free(z->alias);
}

static uint32_t zipf_draw(const zipf *z, uint64_t *r)
{
    uint64_t x = next(r);
    uint32_t i = (uint32_t)(((x >> 32) * z->n) >> 32);
    return (uint32_t)x < z->cut[i] ? i : z->alias[i];
}

static void put(gen *g, const char *s)
{
    size_t n = strlen(s);
    memcpy(g->p, s, n);
    g->p += n;
}

static void put_word(gen *g, const word *w, int cap)
{
    /* The whole 16-byte slot in one move; the bytes past len are
     * overwritten next (ARTICLE_MAX leaves the slack). */
    memcpy(g->p, w, sizeof *w);
    if (cap && g->p[0] >= 'a')
        g->p[0] = (char)(g->p[0] - 'a' + 'A');
    g->p += w->len;
}

/* v in decimal, zero-padded to at least width digits. */
static void put_uint(gen *g, uint64_t v, int width)
{
    char d[24];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 || n < width);
    while (n > 0)
        *g->p++ = d[--n];
}

/* A number as news prints them: counts, decimals, thousands (small ones
 * and round ones likelier), years. */
static void put_number(gen *g)
{
    uint32_t k = below(&g->r, 100);
    if (k < 40) {
        put_uint(g, 2 + below(&g->r, 98), 1);
    } else if (k < 60) {
        put_uint(g, below(&g->r, 100), 1);
        *g->p++ = '.';
        put_uint(g, 1 + below(&g->r, 9), 1);
    } else if (k < 80) {
        uint32_t high = 1 + below(&g->r, 1 + below(&g->r, 999));
        uint32_t low =
            below(&g->r, 2) ? 100 * below(&g->r, 10) : below(&g->r, 1000);
        put_uint(g, high, 1);
        *g->p++ = ',';
        put_uint(g, low, 3);
    } else {
        put_uint(g, 1950 + below(&g->r, 76), 1);
    }
}

/* Half the names are the article's own, half from the whole set. */
static const word *name(gen *g)
{
    if (below(&g->r, 2))
        return &g->names[g->cast[below(&g->r, TOPIC_NAMES)]];
    return &g->names[zipf_draw(&g->nz, &g->r)];
}

/* One sentence; returns its words. */
static int sentence(gen *g)
{
    uint64_t x = next(&g->r);
    int n = 0;
    for (int i = 0; i < 4; i++, x >>= 16)
        n += (int)(((x & 0xffff) * 11) >> 16); /* 0..10 */
    if (n < 5)
        n = 5;
    for (int i = 0; i < n; i++) {
        uint32_t k = below(&g->r, 1000);
        if (i > 0)
            *g->p++ = ' ';
        if (k < 20) {
            put_number(g);
        } else if (k < 60) {
            put_word(g, name(g), 1);
            if (k < 30 && i + 1 < n) { /* a full name: two words */
                *g->p++ = ' ';
                put_word(g, &g->names[zipf_draw(&g->nz, &g->r)], 1);
                i++;
            }
        } else if (k < 130) {
            put_word(g, &g->vocab[g->topic[below(&g->r, TOPIC_WORDS)]], i == 0);
        } else {
            put_word(g, &g->vocab[zipf_draw(&g->vz, &g->r)], i == 0);
        }
        if (i > 0 && i + 2 < n && below(&g->r, 16) == 0)
            *g->p++ = ',';
    }
    uint32_t end = below(&g->r, 100);
    *g->p++ = end < 4 ? '?' : end < 5 ? '!' : '.';
    return n;
}

/* Headline case: every word capitalised but the short common ones ("of",
 * "the"). The first subject word always appears; the other subject words
 * and names come in turn, as a headline does not repeat itself. */
static void title(gen *g)
{
    int n = 5 + (int)below(&g->r, 8);
    int subject = (int)below(&g->r, (uint32_t)n);
    uint32_t topics = 1, names = 0;
    for (int i = 0; i < n; i++) {
        uint32_t k = below(&g->r, 100);
        if (i > 0)
            *g->p++ = ' ';
        if (i == subject) {
            put_word(g, &g->vocab[g->topic[0]], 1);
        } else if (k < 4) {
            put_number(g);
        } else if (k < 16 && names < TOPIC_NAMES) {
            put_word(g, &g->names[g->cast[names++]], 1);
        } else if (k < 40 && topics < TOPIC_WORDS) {
            put_word(g, &g->vocab[g->topic[topics++]], 1);
        } else {
            uint32_t rank = zipf_draw(&g->vz, &g->r);
            const word *w = &g->vocab[rank];
            put_word(g, w, i == 0 || rank >= 50 || w->len > 3);
        }
    }
}

/* Paragraphs share out what is left of the target, so the article lands
 * near it and the paragraph count stays within 2..15. */
static void body(gen *g)
{
    double x = unit(&g->r); /* one draw a statement: a fixed order */
    x += unit(&g->r);
    x += unit(&g->r);
    int target = 150 + (int)(100 * x * x);
    int paras = target / (40 + (int)below(&g->r, 41));
    paras = paras < 2 ? 2 : paras > 15 ? 15 : paras;
    int done = 0;
    for (int p = 0; p < paras; p++) {
        int budget = (target - done) / (paras - p);
        int k = (budget + 10) / 20 + (int)below(&g->r, 3) - 1;
        k = k < 1 ? 1 : k > 5 ? 5 : k;
        if (p > 0)
            put(g, "\\n\\n");
        for (int s = 0; s < k; s++) {
            if (s > 0)
                *g->p++ = ' ';
            done += sentence(g);
        }
    }
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's algorithms, for years >= 0). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = y / 400, yoe = y - era * 400;
    long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void put_date(gen *g, long z)
{
    z += 719468;
    long era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    put_uint(g, (uint64_t)(yoe + era * 400 + (m <= 2)), 4);
    *g->p++ = '-';
    put_uint(g, (uint64_t)m, 2);
    *g->p++ = '-';
    put_uint(g, (uint64_t)d, 2);
}

static int seen(const uint32_t *v, int n, uint32_t x)
{
    for (int i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

/* --fields: a desk of twelve (uniform), an author of two names (each as
 * the text's names are drawn) and one to three of the article's topic
 * words as tags; drawn after the rest, so that the rest is the same
 * bytes as without --fields. */
static void fields(gen *g)
{
    static const char *const desks[] = {
        "world", "politics", "business", "technology", "science", "health",
        "sport", "culture",  "opinion",  "education",  "climate", "local"};
    put(g, ",\"section\":\"");
    put(g, desks[below(&g->r, 12)]);
    put(g, "\",\"author\":\"");
    put_word(g, &g->names[zipf_draw(&g->nz, &g->r)], 1);
    put(g, " ");
    put_word(g, &g->names[zipf_draw(&g->nz, &g->r)], 1);
    put(g, "\",\"tag\":[\"");
    uint32_t tags = 1 + (uint32_t)below(&g->r, 3);
    for (uint32_t i = 0; i < tags; i++) {
        put(g, i ? "\",\"" : "");
        put_word(g, &g->vocab[g->topic[i]], 0);
    }
    put(g, "\"]");
}

static void article(gen *g, uint64_t id)
{
    /* Hashed, not base + id: consecutive splitmix states would make
     * article id + 1 a copy of article id shifted by one draw. */
    g->r = mix(g->base ^ mix(id));
    for (int i = 0; i < TOPIC_WORDS;) {
        g->topic[i] = zipf_draw(&g->vz, &g->r);
        if (g->topic[i] >= g->floor && !seen(g->topic, i, g->topic[i]))
            i++;
    }
    for (int i = 0; i < TOPIC_NAMES;) {
        g->cast[i] = zipf_draw(&g->nz, &g->r);
        if (!seen(g->cast, i, g->cast[i]))
            i++;
    }
    long day = g->first_day + (long)below(&g->r, g->days);
    put(g, "{\"id\":\"syn-");
    put_uint(g, id, 7);
    put(g, "\",\"title\":\"");
    title(g);
    put(g, "\",\"text\":\"");
    body(g);
    put(g, "\",\"date\":\"");
    put_date(g, day);
    put(g, "\"");
    if (g->fields)
        fields(g);
    put(g, "}\n");
}

static uint64_t count(const char *arg, size_t skip, uint64_t lo, uint64_t hi)
{
    const char *v = arg + skip;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*v < '0' || *v > '9' || *end != '\0' || errno == ERANGE || x < lo ||
        x > hi)
        usage_error("%s: expected a whole number from %llu to %llu", arg,
                    (unsigned long long)lo, (unsigned long long)hi);
    return x;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, articles = 10000, vocabulary = 50000;
    const char *path = NULL, *shown = "standard output";
    FILE *f = stdout;
    gen g;

    memset(&g, 0, sizeof g);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(USAGE, stdout);
            return 0;
        } else if (strncmp(a, "--seed=", 7) == 0) {
            seed = count(a, 7, 0, UINT64_MAX);
        } else if (strncmp(a, "--articles=", 11) == 0) {
            articles = count(a, 11, 0, ARTICLES_MAX);
        } else if (strncmp(a, "--vocabulary=", 13) == 0) {
            vocabulary = count(a, 13, VOCAB_MIN, VOCAB_MAX);
        } else if (strcmp(a, "--fields") == 0) {
            g.fields = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            usage_error("unknown option %s", a);
        } else if (path != NULL) {
            usage_error("more than one output file: %s", a);
        } else {
            path = a;
        }
    }
    if (path != NULL && strcmp(path, "-") != 0) {
        shown = path;
        f = fopen(path, "wb");
        if (f == NULL) {
            fprintf(stderr, "newsgen: %s: %s\n", path, strerror(errno));
            return 1;
        }
    }

    word *lex = lexicon(seed, (uint32_t)vocabulary);
    char *buf = malloc(BUF_SIZE);
    if (lex == NULL || buf == NULL || zipf_init(&g.vz, (uint32_t)vocabulary) ||
        zipf_init(&g.nz, NAMES)) {
        fprintf(stderr, "newsgen: out of memory\n");
        return 1;
    }
    g.vocab = lex;
    g.names = lex + vocabulary;
    /* Topic words come from below the function-word ranks, as subjects do;
     * rejecting the top ranks costs under two draws a word on average. */
    g.floor = vocabulary / 10 < 100 ? (uint32_t)vocabulary / 10 : 100;
    g.first_day = days_from_civil(2000, 1, 1);
    g.days = (uint32_t)(days_from_civil(2025, 12, 31) - g.first_day + 1);
    g.base = mix(seed ^ 0x61727469636c6573u);
    g.p = buf;
    for (uint64_t id = 1; id <= articles; id++) {
        article(&g, id);
        size_t n = (size_t)(g.p - buf);
        if (n > BUF_SIZE - ARTICLE_MAX || id == articles) {
            if (fwrite(buf, 1, n, f) != n)
                break;
            g.p = buf;
        }
    }
    if (ferror(f) || fflush(f) != 0 || (f != stdout && fclose(f) != 0)) {
        fprintf(stderr, "newsgen: %s: %s\n", shown, strerror(errno));
        return 1;
    }
    zipf_free(&g.vz);
    zipf_free(&g.nz);
    free(buf);
    free(lex);
    return 0;
}
