/*
 * lede-search: search a lede index and print the best passages.
 *
 * Argument parsing and output formatting live here; searching goes through
 * the public API in lede.h. JSON output is written with jansson, so that
 * every string is escaped the way JSON requires.
 */

#include "lede.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exit statuses, as grep has them. */
enum {
    EXIT_MATCH = 0,   /* something matched */
    EXIT_NOMATCH = 1, /* nothing matched */
    EXIT_TROUBLE = 2  /* usage error, bad query, or the index failed */
};

/* Passage text is wrapped to this many characters, after the indent. */
#define WRAP 76

static const char *prog = "lede-search";

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: %s [OPTIONS] INDEX_DIR QUERY...\n"
            "Search INDEX_DIR and print the best passages, best first. The "
            "query is the\n"
            "remaining arguments joined by spaces; passages are ranked by "
            "BM25 over the\n"
            "OR of its words.\n"
            "\n"
            "Options:\n"
            "  -n, --limit=N        passages to show (default 10)\n"
            "      --offset=N       skip the first N passages (paging)\n"
            "      --per-article=N  at most N passages of one article "
            "(default 1; 0: all)\n"
            "      --k1=X           BM25 k1 (default %g)\n"
            "      --b=X            BM25 b (default %g)\n"
            "  -j, --json           one JSON object per passage and line\n"
            "  -h, --help           show this help\n"
            "  -V, --version        show the version\n"
            "\n"
            "Exit status: 0 a passage matched; 1 nothing matched; 2 error.\n",
            prog, LEDE_DEFAULT_K1, LEDE_DEFAULT_B);
}

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

/* The query: the arguments joined by single spaces. */
static char *join(char **argv, int argc)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *q = malloc(len), *p = q;
    if (q == NULL)
        return NULL;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i > 0)
            *p++ = ' ';
        memcpy(p, argv[i], n);
        p += n;
    }
    *p = '\0';
    return q;
}

/* Print text with its whitespace collapsed, wrapped at WRAP characters
 * (counted as UTF-8 code points) and indented. */
static void print_wrapped(const char *text, const char *indent)
{
    size_t col = 0;
    const char *p = text;

    fputs(indent, stdout);
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == '\0')
            break;
        const char *w = p;
        size_t chars = 0;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            chars += ((unsigned char)*p & 0xc0) != 0x80;
            p++;
        }
        if (col > 0 && col + 1 + chars > WRAP) {
            fputc('\n', stdout);
            fputs(indent, stdout);
            col = 0;
        } else if (col > 0) {
            fputc(' ', stdout);
            col++;
        }
        fwrite(w, 1, (size_t)(p - w), stdout);
        col += chars;
    }
    fputc('\n', stdout);
}

static void print_human(const lede_results *res, size_t offset)
{
    for (size_t i = 0; i < lede_results_count(res); i++) {
        const char *title = lede_results_title(res, i);
        printf("%zu. %s  [%.4f]\n", offset + i + 1,
               *title ? title : "(untitled)", lede_results_score(res, i));
        printf("   %s  passage %u  bytes %zu-%zu\n",
               lede_results_article_id(res, i), lede_results_passage(res, i),
               lede_results_start(res, i), lede_results_end(res, i));
        print_wrapped(lede_results_text(res, i), "   ");
        if (i + 1 < lede_results_count(res))
            fputc('\n', stdout);
    }
}

static int print_json(const lede_results *res, size_t offset)
{
    for (size_t i = 0; i < lede_results_count(res); i++) {
        json_t *o = json_pack("{s:I, s:f, s:s, s:s, s:I, s:I, s:I, s:s}",
                              "rank", (json_int_t)(offset + i + 1), "score",
                              lede_results_score(res, i), "article_id",
                              lede_results_article_id(res, i), "title",
                              lede_results_title(res, i), "passage",
                              (json_int_t)lede_results_passage(res, i), "start",
                              (json_int_t)lede_results_start(res, i), "end",
                              (json_int_t)lede_results_end(res, i), "text",
                              lede_results_text(res, i));
        char *line =
            o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        if (line == NULL) {
            fprintf(stderr, "%s: cannot encode result %zu as JSON\n", prog,
                    i + 1);
            return -1;
        }
        puts(line);
        free(line);
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'},
        {"per-article", required_argument, NULL, 'p'},
        {"k1", required_argument, NULL, 'k'},
        {"b", required_argument, NULL, 'B'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    lede_search_options so = LEDE_SEARCH_OPTIONS_INIT;
    lede_index_options io = LEDE_INDEX_OPTIONS_INIT;
    lede_index *idx = NULL;
    lede_results *res = NULL;
    int json = 0, c, status = EXIT_TROUBLE;
    size_t v;

    while ((c = getopt_long(argc, argv, "n:jhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (parse_size("--limit", optarg, 1, LEDE_SEARCH_LIMIT_MAX,
                           &so.limit) < 0)
                goto usage_error;
            break;
        case 'o':
            if (parse_size("--offset", optarg, 0, 1000000000, &so.offset) < 0)
                goto usage_error;
            break;
        case 'p':
            if (parse_size("--per-article", optarg, 0, 1000000, &v) < 0)
                goto usage_error;
            so.per_article = (unsigned)v;
            break;
        case 'k':
            if (parse_double("--k1", optarg, &so.k1) < 0)
                goto usage_error;
            break;
        case 'B':
            if (parse_double("--b", optarg, &so.b) < 0)
                goto usage_error;
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            usage(stdout);
            return EXIT_MATCH;
        case 'V':
            printf("lede-search %s\n", lede_version());
            return EXIT_MATCH;
        default:
            goto usage_error;
        }
    }
    if (argc - optind < 2) {
        fprintf(stderr, "%s: missing %s\n", prog,
                argc - optind < 1 ? "INDEX_DIR and QUERY" : "QUERY");
        goto usage_error;
    }

    char *query = join(argv + optind + 1, argc - optind - 1);
    if (query == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return EXIT_TROUBLE;
    }
    if (lede_index_open(&idx, argv[optind], &io) < 0 ||
        lede_search(&res, idx, query, &so) < 0) {
        fprintf(stderr, "%s: %s\n", prog, lede_error_last());
    } else if (lede_results_count(res) == 0) {
        status = EXIT_NOMATCH;
    } else if (json ? print_json(res, so.offset) == 0
                    : (print_human(res, so.offset), 1)) {
        status = EXIT_MATCH;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        status = EXIT_TROUBLE;
    }
    lede_results_free(res);
    lede_index_free(idx);
    free(query);
    return status;

usage_error:
    fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    return EXIT_TROUBLE;
}
