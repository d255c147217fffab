/*
 * lede-index's command line read into an options struct: each option's
 * value checked (a number within its limits, a known format), the
 * operands checked against the options (which runs may leave CORPUS out,
 * which options do not go together). Nothing is opened or run here.
 * Calls liblede (lede.h: lede_format_parse, lede_version), usage.c and
 * cli/visible.c.
 */
#include "../cli/visible.h"
#include "indexer.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_u64(const char *opt, const char *s, unsigned long long min,
                     unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v < min ||
        v > max) {
        fprintf(stderr, "%s: %s: '%s' is not a number from %llu to %llu\n",
                prog, opt, s, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

enum {
    OPT_WORDS = 256,
    OPT_OVERLAP,
    OPT_STOPWORDS,
    OPT_PARAGRAPHS,
    OPT_NO_DELETE,
    OPT_FOLLOW,
    OPT_WAIT,
    OPT_REBUILD,
    OPT_CHECK,
    OPT_LIST,
    OPT_MAX_FILE,
    OPT_MAX_ARTICLE,
    OPT_MAX_RATIO,
    OPT_JSON_ID,
    OPT_JSON_TITLE,
    OPT_JSON_TEXT,
    OPT_JSON_DATE,
    OPT_JSON_URL,
    OPT_JSON_AUTHOR,
    OPT_JSON_SECTION,
    OPT_JSON_SOURCE,
    OPT_JSON_TAG,
    OPT_JSON_FIELD,
    OPT_FIELD,
    OPT_ENCODING,
    OPT_STATS,
    OPT_COMPACT,
    OPT_SHARDS,
    OPT_INCLUDE,
    OPT_EXCLUDE,
    OPT_NO_FILTERS
};

void options_free(options *o)
{
    free(o->deletes);
    free(o->includes);
    free(o->excludes);
    free(o->fields);
    free(o->json_fields);
}

/* An option of the index's settings or its lock: 0 taken, -1 a bad
 * value, 1 not one. */
static int index_option(options *o, int c, const char *arg)
{
    unsigned long long v;
    switch (c) {
    case 'l':
        o->io.language = arg;
        return 0;
    case OPT_WORDS:
        if (strcmp(arg, "article") == 0) {
            o->io.passage_words = LEDE_PASSAGE_ARTICLE;
            return 0;
        }
        if (parse_u64("--passage-words", arg, 1, LEDE_PASSAGE_WORDS_MAX, &v) <
            0)
            return -1;
        o->io.passage_words = (unsigned)v;
        return 0;
    case OPT_STOPWORDS:
        o->io.stopwords = arg;
        return 0;
    case OPT_PARAGRAPHS:
        o->io.paragraph_passages = 1;
        return 0;
    case OPT_OVERLAP:
        if (parse_u64("--passage-overlap", arg, 0, LEDE_PASSAGE_OVERLAP_MAX,
                      &v) < 0)
            return -1;
        o->io.passage_overlap = (int)v;
        return 0;
    case OPT_WAIT:
        o->io.lock_wait_ms = -1;
        if (arg != NULL) {
            if (parse_u64("--wait", arg, 0, INT_MAX / 1000, &v) < 0)
                return -1;
            o->io.lock_wait_ms = (int)v * 1000;
        }
        return 0;
    default:
        return 1;
    }
}

/* Append ",s" (or s) to the comma-separated *list. */
static int list_add(char **list, const char *s, size_t len)
{
    size_t have = *list ? strlen(*list) : 0;
    char *l = realloc(*list, have + len + 2);
    if (l == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return -1;
    }
    if (have > 0)
        l[have++] = ',';
    memcpy(l + have, s, len);
    l[have + len] = '\0';
    *list = l;
    return 0;
}

/* --field NAME[,NAME...]: fields the index declares. */
static int field_names(options *o, const char *arg)
{
    for (const char *p = arg; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char name[LEDE_FIELD_NAME_MAX + 2];
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : 0), p);
        if (n >= sizeof name || lede_field_name_check(name) < 0) {
            fprintf(stderr, "%s: --field: %s\n", prog,
                    n >= sizeof name ? "a name is over 32 bytes"
                                     : vis(lede_error_last()));
            return -1;
        }
        if (list_add(&o->fields, p, n) < 0)
            return -1;
        p = comma ? comma + 1 : p + n;
    }
    o->io.fields = o->fields;
    return 0;
}

/* --json-author=KEY and the like (field given), --json-field=FIELD=KEY
 * (field NULL): the JSON key of a field. */
static int json_field(options *o, const char *field, const char *arg)
{
    char pair[512];
    const char *eq = field ? NULL : strchr(arg, '=');
    if (field == NULL && (eq == NULL || eq == arg || eq[1] == '\0')) {
        fprintf(stderr, "%s: --json-field: '%s' is not FIELD=KEY\n", prog,
                vis(arg));
        return -1;
    }
    int n = field ? snprintf(pair, sizeof pair, "%s=%s", field, arg)
                  : snprintf(pair, sizeof pair, "%s", arg);
    if (n < 0 || (size_t)n >= sizeof pair || strchr(field ? arg : eq, ',')) {
        fprintf(stderr,
                "%s: --json-%s: a key of at most 400 bytes without "
                "a comma, please\n",
                prog, field ? field : "field");
        return -1;
    }
    if (field == NULL) {
        char name[LEDE_FIELD_NAME_MAX + 2];
        size_t len = (size_t)(eq - arg);
        snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : 0),
                 arg);
        if (len >= sizeof name || lede_field_name_check(name) < 0) {
            fprintf(stderr, "%s: --json-field: %s\n", prog,
                    len >= sizeof name ? "a name is over 32 bytes"
                                       : vis(lede_error_last()));
            return -1;
        }
    }
    if (list_add(&o->json_fields, pair, (size_t)n) < 0)
        return -1;
    o->so.read.json_fields = o->json_fields;
    return 0;
}

/* An option of reading the corpus files: 0 taken, -1 a bad value, 1 not
 * one. */
static int read_option(options *o, int c, const char *arg)
{
    lede_read_options *r = &o->so.read;
    unsigned long long v;
    switch (c) {
    case 'f':
        if (lede_format_parse(&r->format, arg) < 0) {
            fprintf(stderr, "%s: --format: %s\n", prog, vis(lede_error_last()));
            return -1;
        }
        return 0;
    case OPT_MAX_FILE:
        if (parse_u64("--max-file-bytes", arg, 1, UINT64_MAX, &v) < 0)
            return -1;
        r->max_file_bytes = v;
        return 0;
    case OPT_MAX_ARTICLE:
        if (parse_u64("--max-article-bytes", arg, 1, SIZE_MAX, &v) < 0)
            return -1;
        r->max_article_bytes = (size_t)v;
        return 0;
    case OPT_MAX_RATIO:
        if (parse_u64("--max-ratio", arg, 1, UINT_MAX, &v) < 0)
            return -1;
        r->max_ratio = (unsigned)v;
        return 0;
    case OPT_JSON_ID:
        r->json_id = arg;
        return 0;
    case OPT_JSON_TITLE:
        r->json_title = arg;
        return 0;
    case OPT_JSON_TEXT:
        r->json_text = arg;
        return 0;
    case OPT_JSON_DATE:
        r->json_date = arg;
        return 0;
    case OPT_JSON_URL:
        r->json_url = arg;
        return 0;
    case OPT_ENCODING:
        r->encoding = arg;
        return 0;
    case OPT_JSON_AUTHOR:
    case OPT_JSON_SECTION:
    case OPT_JSON_SOURCE:
    case OPT_JSON_TAG:
        return json_field(o,
                          c == OPT_JSON_AUTHOR    ? "author"
                          : c == OPT_JSON_SECTION ? "section"
                          : c == OPT_JSON_SOURCE  ? "source"
                                                  : "tag",
                          arg);
    case OPT_JSON_FIELD:
        return json_field(o, NULL, arg);
    case OPT_FIELD:
        return field_names(o, arg);
    default:
        return 1;
    }
}

/* An option of what the run does: 0 taken, -1 a bad value, 1 not one. */
static int run_option(options *o, ui *u, int c, const char *arg)
{
    unsigned long long v;
    switch (c) {
    case 'b':
        if (parse_u64("--batch", arg, 1, ULONG_MAX, &v) < 0)
            return -1;
        o->so.batch = (size_t)v;
        return 0;
    case 'j':
        if (parse_u64("--jobs", arg, 1, LEDE_THREADS_MAX, &v) < 0)
            return -1;
        o->so.threads = (unsigned)v;
        return 0;
    case OPT_SHARDS:
        if (parse_u64("--shards", arg, 1, LEDE_SHARDS_MAX, &v) < 0)
            return -1;
        o->shards = (unsigned)v;
        return 0;
    case OPT_NO_DELETE:
        o->so.delete_vanished = 0;
        return 0;
    case OPT_FOLLOW:
        o->so.follow_symlinks = 1;
        return 0;
    case OPT_INCLUDE:
        o->includes[o->nincludes++] = arg;
        o->filters = 1;
        return 0;
    case OPT_EXCLUDE:
        o->excludes[o->nexcludes++] = arg;
        o->filters = 1;
        return 0;
    case OPT_NO_FILTERS:
        o->filters = 1;
        return 0;
    case 'd':
        o->deletes[o->ndeletes++] = arg;
        return 0;
    case OPT_REBUILD:
        o->rebuild = 1;
        return 0;
    case OPT_CHECK:
        o->check = 1;
        return 0;
    case OPT_LIST:
        o->list = 1;
        o->list_dir = arg;
        return 0;
    case OPT_COMPACT:
        o->compact = 1;
        return 0;
    case OPT_STATS:
        o->stats = 1;
        return 0;
    case 'q':
        u->quiet = 1;
        return 0;
    case 'v':
        u->verbose = 1;
        return 0;
    default:
        return 1;
    }
}

/* The operands, checked against the options: INDEX_DIR, then CORPUS...
 * (which --check, --compact alone and --delete may leave out). */
static int read_operands(options *o, int argc, char **argv)
{
    int n = argc - optind;
    if ((o->check || o->list) && n != 1) {
        fprintf(stderr, "%s: --%s takes one INDEX_DIR\n", prog,
                o->check ? "check" : "list");
        return -1;
    }
    if (o->check && o->list) {
        fprintf(stderr, "%s: --check and --list do not go together\n", prog);
        return -1;
    }
    int compact_only = o->compact && n == 1 && o->ndeletes == 0 &&
                       !o->rebuild && o->shards == 0;
    if (!o->check && !o->list && !compact_only &&
        (n < 1 || (n < 2 && o->ndeletes == 0))) {
        fprintf(stderr, "%s: %s\n", prog,
                n < 1 ? "missing INDEX_DIR and CORPUS" : "missing CORPUS");
        return -1;
    }
    if (!o->check && !compact_only && o->rebuild && o->ndeletes > 0) {
        fprintf(stderr, "%s: --rebuild and --delete do not go together\n",
                prog);
        return -1;
    }
    o->index_dir = argv[optind];
    o->roots = (const char *const *)argv + optind + 1;
    o->nroots = (size_t)(n - 1);
    if (o->filters) {
        /* Given, they replace the index's (an empty list: none). */
        o->so.include = o->includes;
        o->so.ninclude = o->nincludes;
        o->so.exclude = o->excludes;
        o->so.nexclude = o->nexcludes;
    }
    return 0;
}

/* Read the command line into *o: 0 to go on, 1 to exit at once with
 * EXIT_OK (--help, --version), -1 on a usage error (said on stderr). */
int options_read(options *o, ui *u, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},
        {"passage-words", required_argument, NULL, OPT_WORDS},
        {"stopwords", required_argument, NULL, OPT_STOPWORDS},
        {"paragraph-passages", no_argument, NULL, OPT_PARAGRAPHS},
        {"passage-overlap", required_argument, NULL, OPT_OVERLAP},
        {"batch", required_argument, NULL, 'b'},
        {"no-delete", no_argument, NULL, OPT_NO_DELETE},
        {"follow-symlinks", no_argument, NULL, OPT_FOLLOW},
        {"include", required_argument, NULL, OPT_INCLUDE},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"no-filters", no_argument, NULL, OPT_NO_FILTERS},
        {"wait", optional_argument, NULL, OPT_WAIT},
        {"rebuild", no_argument, NULL, OPT_REBUILD},
        {"jobs", required_argument, NULL, 'j'},
        {"check", no_argument, NULL, OPT_CHECK},
        {"list", optional_argument, NULL, OPT_LIST},
        {"compact", no_argument, NULL, OPT_COMPACT},
        {"shards", required_argument, NULL, OPT_SHARDS},
        {"delete", required_argument, NULL, 'd'},
        {"max-file-bytes", required_argument, NULL, OPT_MAX_FILE},
        {"max-article-bytes", required_argument, NULL, OPT_MAX_ARTICLE},
        {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
        {"json-id", required_argument, NULL, OPT_JSON_ID},
        {"json-title", required_argument, NULL, OPT_JSON_TITLE},
        {"json-text", required_argument, NULL, OPT_JSON_TEXT},
        {"json-date", required_argument, NULL, OPT_JSON_DATE},
        {"json-url", required_argument, NULL, OPT_JSON_URL},
        {"json-author", required_argument, NULL, OPT_JSON_AUTHOR},
        {"json-section", required_argument, NULL, OPT_JSON_SECTION},
        {"json-source", required_argument, NULL, OPT_JSON_SOURCE},
        {"json-tag", required_argument, NULL, OPT_JSON_TAG},
        {"json-field", required_argument, NULL, OPT_JSON_FIELD},
        {"field", required_argument, NULL, OPT_FIELD},
        {"encoding", required_argument, NULL, OPT_ENCODING},
        {"stats", no_argument, NULL, OPT_STATS},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c, rc;

    while ((c = getopt_long(argc, argv, "f:l:b:d:j:qvhV", longopts, NULL)) !=
           -1) {
        if (c == 'h') {
            usage_print(stdout);
            return 1;
        }
        if (c == 'V') {
            printf("lede-index %s\n", lede_version());
            return 1;
        }
        if ((rc = index_option(o, c, optarg)) == 1 &&
            (rc = read_option(o, c, optarg)) == 1)
            rc = run_option(o, u, c, optarg);
        if (rc != 0)
            return -1; /* a bad value, or an unknown option */
    }
    return read_operands(o, argc, argv);
}
