/*
 * lede-search's command line read into an options struct: each option's
 * value checked (a number within its limits, a known word), the operands
 * checked against the options. Nothing is opened or searched here.
 * Calls liblede (lede.h: lede_version) and usage.c.
 */
#include "searcher.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_size(const char *opt, const char *s, size_t min, size_t max,
                      size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v < min ||
        v > max) {
        fprintf(stderr, "%s: %s: '%s' is not a number from %zu to %zu\n", prog,
                opt, s, min, max);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

static int parse_double(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno != 0) {
        fprintf(stderr, "%s: %s: '%s' is not a number\n", prog, opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Options taking seconds, 0.001 to 86400, into milliseconds. */
static int parse_ms(const char *opt, const char *arg, unsigned *out)
{
    double x;
    if (parse_double(opt, arg, &x) < 0)
        return -1;
    if (!(x >= 0.001 && x <= 86400)) {
        fprintf(stderr,
                "%s: %s: '%s' is not a number of seconds from 0.001 to "
                "86400\n",
                prog, opt, arg);
        return -1;
    }
    *out = (unsigned)(x * 1000 + 0.5);
    return 0;
}

enum {
    OPT_OFFSET = 256,
    OPT_PER_ARTICLE,
    OPT_ALL,
    OPT_SORT,
    OPT_NO_DEDUP,
    OPT_TITLE_WEIGHT,
    OPT_K1,
    OPT_B,
    OPT_SNIPPET,
    OPT_FORMAT,
    OPT_QID,
    OPT_QUERIES,
    OPT_EXPLAIN,
    OPT_COLOR,
    OPT_PARSE,
    OPT_WEIGHT,
    OPT_PLAIN,
    OPT_STOPWORDS,
    OPT_K3,
    OPT_PROXIMITY,
    OPT_TIMEOUT,
    OPT_ALLOW_PARTIAL,
    OPT_MAX_TIME,
    OPT_JSON,
    OPT_COUNT,
    OPT_THREADS,
    OPT_FACETS,
    OPT_FACET_LIMIT,
    OPT_ARTICLE,
    OPT_LIKE
};

/* An option of ranking and search: 0 taken, -1 a bad value, 1 not one. */
static int search_option(options *o, int c, const char *arg)
{
    lede_search_options *so = &o->s.so;
    size_t v;
    switch (c) {
    case 'n':
        /* 0: no passages, as for the facets or the count alone. */
        return parse_size("--limit", arg, 0, LEDE_SEARCH_LIMIT_MAX, &so->limit);
    case OPT_OFFSET:
        return parse_size("--offset", arg, 0, LEDE_SEARCH_OFFSET_MAX,
                          &so->offset);
    case OPT_PER_ARTICLE:
        if (parse_size("--per-article", arg, 0, 1000000, &v) < 0)
            return -1;
        so->per_article = (unsigned)v;
        return 0;
    case OPT_TITLE_WEIGHT:
        return parse_double("--title-weight", arg, &so->title_weight);
    case OPT_K1:
        return parse_double("--k1", arg, &so->k1);
    case OPT_K3:
        return parse_double("--k3", arg, &so->k3);
    case OPT_PROXIMITY:
        return parse_double("--proximity", arg, &so->proximity);
    case OPT_B:
        return parse_double("--b", arg, &so->b);
    case OPT_TIMEOUT:
        return parse_ms("--timeout", arg, &o->io.remote_timeout_ms);
    case OPT_MAX_TIME:
        return parse_ms("--max-time", arg, &so->max_time_ms);
    case OPT_THREADS:
        if (parse_size("--threads", arg, 0, 1024, &v) < 0)
            return -1;
        so->threads = (unsigned)v;
        return 0;
    case OPT_FACETS:
        so->facets = arg;
        return 0;
    case OPT_ARTICLE:
        o->article = arg;
        return 0;
    case OPT_LIKE:
        so->like = arg;
        return 0;
    case OPT_FACET_LIMIT:
        if (parse_size("--facet-limit", arg, 1, LEDE_FACET_LIMIT_MAX, &v) < 0)
            return -1;
        so->facet_limit = (unsigned)v;
        return 0;
    case OPT_WEIGHT:
        if (strcmp(arg, "lucene") == 0) {
            so->weighting = LEDE_WEIGHT_BM25_LUCENE;
        } else if (strcmp(arg, "bm25") == 0) {
            so->weighting = LEDE_WEIGHT_BM25;
        } else {
            fprintf(stderr, "%s: --weight: '%s' is not bm25 or lucene\n", prog,
                    arg);
            return -1;
        }
        return 0;
    case OPT_SORT:
        if (strcmp(arg, "date") == 0) {
            so->flags |= LEDE_SEARCH_SORT_DATE;
        } else if (strcmp(arg, "rank") != 0) {
            fprintf(stderr, "%s: --sort: '%s' is not rank or date\n", prog,
                    arg);
            return -1;
        }
        return 0;
    case OPT_ALL:
        so->flags |= LEDE_SEARCH_ALL;
        return 0;
    case OPT_NO_DEDUP:
        so->flags |= LEDE_SEARCH_NO_DEDUP;
        return 0;
    case OPT_PLAIN:
        so->flags |= LEDE_SEARCH_PLAIN;
        return 0;
    case OPT_STOPWORDS:
        so->flags |= LEDE_SEARCH_KEEP_STOPWORDS;
        return 0;
    case OPT_ALLOW_PARTIAL:
        o->io.allow_partial = 1;
        return 0;
    default:
        return 1;
    }
}

/* An option of output: 0 taken, -1 a bad value, 1 not one. */
static int output_option(options *o, int c, const char *arg)
{
    settings *s = &o->s;
    size_t v;
    switch (c) {
    case OPT_SNIPPET:
        if (parse_size("--snippet-words", arg, 1, 1000, &v) < 0)
            return -1;
        s->so.snippet_words = (unsigned)v;
        return 0;
    case OPT_JSON:
        s->format = OUT_JSON;
        return 0;
    case OPT_COUNT:
        s->count_only = 1;
        s->so.flags |= LEDE_SEARCH_COUNT;
        return 0;
    case OPT_FORMAT:
        if (strcmp(arg, "json") == 0) {
            s->format = OUT_JSON;
        } else if (strcmp(arg, "trec") == 0) {
            s->format = OUT_TREC;
        } else if (strcmp(arg, "human") == 0) {
            s->format = OUT_HUMAN;
        } else {
            fprintf(stderr, "%s: --format: '%s' is not human, json or trec\n",
                    prog, arg);
            return -1;
        }
        return 0;
    case OPT_EXPLAIN:
        s->explain = 1;
        s->so.flags |= LEDE_SEARCH_EXPLAIN;
        return 0;
    case OPT_COLOR:
        if (strcmp(arg, "always") == 0) {
            s->color = 1;
        } else if (strcmp(arg, "never") == 0) {
            s->color = 0;
        } else if (strcmp(arg, "auto") == 0) {
            s->color = -1;
        } else {
            fprintf(stderr, "%s: --color: '%s' is not auto, always or never\n",
                    prog, arg);
            return -1;
        }
        return 0;
    case OPT_QID:
        s->qid = arg;
        return 0;
    case OPT_QUERIES:
        o->queries = arg;
        return 0;
    case OPT_PARSE:
        o->parse_only = 1;
        return 0;
    default:
        return 1;
    }
}

/* The operands: INDEX_DIR, and the QUERY words unless --queries. */
static int read_operands(options *o, int argc, char **argv)
{
    int n = argc - optind;
    if (o->queries != NULL && o->s.qid != NULL) {
        /* Each line of the file has its own id; one --qid for all of them
         * would make a run whose queries cannot be told apart. */
        fprintf(stderr,
                "%s: --qid and --queries cannot be used together (each line "
                "of FILE has its id)\n",
                prog);
        return -1;
    }
    if (o->s.so.facets != NULL && o->s.format == OUT_TREC) {
        fprintf(stderr,
                "%s: --facets has no place in a TREC run (--format "
                "trec); use the human or JSON output\n",
                prog);
        return -1;
    }
    if (o->article != NULL && (o->queries != NULL || n > 1)) {
        fprintf(stderr,
                "%s: --article takes INDEX_DIR alone, no QUERY or "
                "--queries\n",
                prog);
        return -1;
    }
    if (n < 1 ||
        (o->queries == NULL && o->article == NULL && o->s.so.like == NULL &&
         n < 2) ||
        (o->queries != NULL && n > 1)) {
        fprintf(stderr, "%s: %s\n", prog,
                n < 1        ? "missing INDEX_DIR"
                : o->queries ? "--queries takes no QUERY arguments"
                             : "missing QUERY");
        return -1;
    }
    o->index_dir = argv[optind];
    return 0;
}

/* Read the command line into *o: 0 to run, 1 to exit at once with
 * EXIT_MATCH (--help, --version), -1 on a usage error (said on stderr). */
int options_read(options *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, OPT_OFFSET},
        {"per-article", required_argument, NULL, OPT_PER_ARTICLE},
        {"all", no_argument, NULL, OPT_ALL},
        {"sort", required_argument, NULL, OPT_SORT},
        {"no-dedup", no_argument, NULL, OPT_NO_DEDUP},
        {"title-weight", required_argument, NULL, OPT_TITLE_WEIGHT},
        {"k1", required_argument, NULL, OPT_K1},
        {"b", required_argument, NULL, OPT_B},
        {"snippet-words", required_argument, NULL, OPT_SNIPPET},
        {"json", no_argument, NULL, OPT_JSON},
        {"count", no_argument, NULL, OPT_COUNT},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"qid", required_argument, NULL, OPT_QID},
        {"queries", required_argument, NULL, OPT_QUERIES},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"color", required_argument, NULL, OPT_COLOR},
        {"colour", required_argument, NULL, OPT_COLOR},
        {"parse", no_argument, NULL, OPT_PARSE},
        {"weight", required_argument, NULL, OPT_WEIGHT},
        {"plain", no_argument, NULL, OPT_PLAIN},
        {"keep-stopwords", no_argument, NULL, OPT_STOPWORDS},
        {"k3", required_argument, NULL, OPT_K3},
        {"proximity", required_argument, NULL, OPT_PROXIMITY},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"allow-partial", no_argument, NULL, OPT_ALLOW_PARTIAL},
        {"max-time", required_argument, NULL, OPT_MAX_TIME},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"facets", required_argument, NULL, OPT_FACETS},
        {"facet-limit", required_argument, NULL, OPT_FACET_LIMIT},
        {"article", required_argument, NULL, OPT_ARTICLE},
        {"like", required_argument, NULL, OPT_LIKE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c, rc;

    while ((c = getopt_long(argc, argv, "+n:hV", longopts, NULL)) != -1) {
        if (c == 'h') {
            usage_print(stdout);
            return 1;
        }
        if (c == 'V') {
            printf("lede-search %s\n", lede_version());
            return 1;
        }
        if ((rc = search_option(o, c, optarg)) == 1)
            rc = output_option(o, c, optarg);
        if (rc != 0)
            return -1; /* a bad value, or an unknown option */
    }
    if (o->s.color < 0) {
        /* By default on a terminal that shows it: not with NO_COLOR
         * set, nor on TERM=dumb, which prints escape codes as they are. */
        const char *term = getenv("TERM");
        o->s.color = o->s.format == OUT_HUMAN && isatty(STDOUT_FILENO) &&
                     getenv("NO_COLOR") == NULL &&
                     !(term != NULL && strcmp(term, "dumb") == 0);
    }
    return read_operands(o, argc, argv);
}
