/*
 * lede-search: search a lede index and print the best passages.
 *
 * Argument parsing and output formatting live here; searching, snippets,
 * highlights and explanations come from the public API in lede.h. JSON is
 * written with jansson, so that every string is escaped as JSON requires.
 * Text from the index is untrusted: control characters in it are shown
 * visibly (cli/visible.h) in the human output and in messages, escaped in
 * JSON, and percent-encoded in TREC runs. main() reads the options into
 * a struct (read_options()) and run() searches and prints. Calls liblede
 * (lede.h), cli/visible.c and jansson.
 */
#include "../cli/visible.h"
#include "lede.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Exit statuses, as grep has them. */
enum {
    EXIT_MATCH = 0,   /* something matched */
    EXIT_NOMATCH = 1, /* nothing matched */
    EXIT_TROUBLE = 2  /* usage error, bad query, or the index failed */
};

/* Snippets are wrapped to this many characters, after the indent. */
#define WRAP 76
#define BOLD "\033[1m"
#define PLAIN "\033[0m"
/* Highlights are marked in a snippet with bytes that UTF-8 text never
 * holds (the index stores its text as valid UTF-8), so that they cannot be
 * confused with the text's own, which is made visible. */
#define MARK_START "\xfe"
#define MARK_END "\xff"

static const char *prog = "lede-search";

typedef enum { OUT_HUMAN, OUT_JSON, OUT_TREC } out_format;

typedef struct {
    out_format format;      /* how to print */
    int color;              /* bold highlights */
    int explain;            /* print explanations */
    int count_only;         /* --count: print how many articles match */
    const char *qid;        /* --qid: id of the command-line query */
    lede_search_options so; /* search options */
    size_t warned;          /* missing shards already warned about */
} settings;

/* Where a query comes from: its messages name a line of a --queries file,
 * so that they can be told apart, and its output carries its id. */
typedef struct {
    const char *file; /* the --queries file; NULL: the command line */
    size_t line;      /* the query's line in file, from 1 */
    const char *qid;  /* its id (file, or --qid); NULL: none was given */
} query_src;

static void usage(FILE *f)
{
    fprintf(
        f,
        "Usage: %s [OPTIONS] INDEX_DIR QUERY...\n"
        "       %s [OPTIONS] --queries=FILE INDEX_DIR\n"
        "Search INDEX_DIR and print the best passages, best first. The "
        "query is the\n"
        "arguments after INDEX_DIR joined by spaces (options come before "
        "INDEX_DIR,\n"
        "so -word in a query is not an option):\n"
        "  words               ranked by BM25, any of them (all with --all)\n"
        "  \"a phrase\"          the words next to each other; \"...\"~N: "
        "within N words\n"
        "  +word  -word        must match, must not match\n"
        "  title:word          in the title (also title:\"a phrase\")\n"
        "  summ*               words starting with summ\n"
        "  date:2018  date:2018-06-01..2018-06-30  date:2018..  "
        "date:..2019-03\n"
        "  AND  OR  NOT  ( )   operators (upper case) and grouping\n"
        "INDEX_DIR may be a shard set: a Xapian stub file of 'auto PATH' and "
        "'remote\n"
        "HOST:PORT' (xapian-tcpsrv) lines, or a directory holding one as "
        "XAPIANDB.\n"
        "\n"
        "Options:\n"
        "  -n, --limit=N          passages to show (default 10)\n"
        "      --offset=N         skip the first N passages (paging)\n"
        "      --per-article=N    at most N passages of one article "
        "(default 1; 0: all)\n"
        "      --all              words side by side must all match\n"
        "      --sort=ORDER       rank (default) or date (newest first)\n"
        "      --no-dedup         show near-duplicate articles too\n"
        "      --title-weight=X   weight of title matches (default %g; 0: "
        "none)\n"
        "      --k1=X             BM25 k1 (default %g)\n"
        "      --b=X              BM25 b (default %g)\n"
        "      --k3=X             BM25 k3, repeated query words (default "
        "%g)\n"
        "      --proximity=X      weight of query words found near each "
        "other (default %g)\n"
        "      --weight=W         bm25 (Xapian's, default) or lucene (Lucene's "
        "BM25)\n"
        "      --plain            the query is plain text: no operators, "
        "quotes or fields\n"
        "      --keep-stopwords   search common English words (the, of, ...) "
        "too\n"
        "      --snippet-words=N  words of a snippet (default %d)\n"
        "      --json             one JSON object per passage and line, "
        "then a summary\n"
        "      --count            print only the exact number of matching "
        "articles\n"
        "      --format=FMT       human (default), json, or trec "
        "(qid Q0 id rank score lede)\n"
        "      --qid=ID           the query id in trec (default 1) and json "
        "output\n"
        "      --queries=FILE     run each line of FILE (a query, or "
        "QID<TAB>query;\n"
        "                         the id is the line number if not given)\n"
        "      --explain          show how each score is made, term by "
        "term\n"
        "      --color=WHEN       bold matches: auto (on a terminal), "
        "always, never\n"
        "      --parse            print how the query is read (each of "
        "--queries:\n"
        "                         QID<TAB>reading), and exit\n"
        "      --timeout=SECONDS  shard sets: how long a remote shard may "
        "take to answer\n"
        "                         (default 10)\n"
        "      --allow-partial    shard sets: search the shards that answer, "
        "and name\n"
        "                         those that do not\n"
        "      --max-time=SECONDS fail a search (each of --queries) that "
        "takes longer\n"
        "  -h, --help             show this help\n"
        "  -V, --version          show the version\n"
        "\n"
        "Exit status: 0 a passage matched; 1 nothing matched; 2 error.\n",
        prog, prog, LEDE_DEFAULT_TITLE_WEIGHT, LEDE_DEFAULT_K1, LEDE_DEFAULT_B,
        LEDE_DEFAULT_K3, LEDE_DEFAULT_PROXIMITY, LEDE_DEFAULT_SNIPPET_WORDS);
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

/* A date in UTC: the day ("2018-06-12") for people, whatever its time,
 * so that every line reads alike; the whole time ("2018-06-12T00:00:00Z")
 * for programs, in one ISO 8601 form. */
static void format_date(char *buf, size_t n, int64_t t, int with_time)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL) {
        snprintf(buf, n, "?");
        return;
    }
    strftime(buf, n, with_time ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d", &tm);
}

/* "s" unless n is 1: "1 article", "2 articles". */
static const char *plural(unsigned long long n)
{
    return n == 1 ? "" : "s";
}

/* Print a snippet with its whitespace collapsed, wrapped at WRAP
 * characters (UTF-8 code points; highlight marks take no room, visible
 * forms of control characters take theirs) and indented. The marks become
 * the colour changes, or nothing without colour. A passage without text
 * (an article that is only a title) says so, as "(untitled)" does. */
static void print_wrapped(const char *text, const char *indent, int color)
{
    size_t col = 0;
    const char *p = text, *end = text + strlen(text);
    char buf[VIS_MAX];

    fputs(indent, stdout);
    if (p[strspn(p, " \t\n\r")] == '\0')
        fputs("(no text)", stdout);
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == '\0')
            break;
        const char *w = p;
        size_t chars = 0;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            if (*p == *MARK_START || *p == *MARK_END) {
                p++;
                continue;
            }
            size_t k = vis_unit(buf, p, (size_t)(end - p));
            chars += buf[0] ? strlen(buf) : 1;
            p += k;
        }
        if (col > 0 && col + 1 + chars > WRAP) {
            fputc('\n', stdout);
            fputs(indent, stdout);
            col = 0;
        } else if (col > 0) {
            fputc(' ', stdout);
            col++;
        }
        for (const char *q = w; q < p;) {
            size_t n = 0;
            while (q + n < p && q[n] != *MARK_START && q[n] != *MARK_END)
                n++;
            vis_write(q, n, stdout);
            q += n;
            if (q < p) {
                if (color)
                    fputs(*q == *MARK_START ? BOLD : PLAIN, stdout);
                q++;
            }
        }
        col += chars;
    }
    fputc('\n', stdout);
}

static int print_human(const lede_results *res, size_t offset,
                       const settings *s)
{
    for (size_t i = 0; i < lede_results_count(res); i++) {
        const char *title = lede_results_title(res, i);
        char date[32] = "", *snippet;
        if (lede_results_date(res, i) != LEDE_NO_DATE)
            format_date(date, sizeof date, lede_results_date(res, i), 0);
        if (lede_results_snippet(&snippet, res, i, MARK_START, MARK_END) < 0) {
            fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
            return -1;
        }
        if (i > 0)
            fputc('\n', stdout);
        printf("%zu. %s%s%s\n", offset + i + 1, s->color ? BOLD : "",
               *title ? vis(title) : "(untitled)", s->color ? PLAIN : "");
        printf("   %s%s%s #%u  score %.4f", date, *date ? "  " : "",
               vis(lede_results_article_id(res, i)),
               lede_results_passage(res, i), lede_results_score(res, i));
        if (lede_results_similar(res, i) > 0)
            printf("  similar %u", lede_results_similar(res, i));
        fputc('\n', stdout);
        print_wrapped(snippet, "   ", s->color);
        lede_free(snippet);
        size_t n;
        const lede_explain *ex = lede_results_explain(res, i, &n);
        for (size_t k = 0; k < n; k++)
            printf("     %-20s tf %llu  df %llu  idf %.4f  length %llu  "
                   "weight %.4f\n",
                   vis(ex[k].term), (unsigned long long)ex[k].tf,
                   (unsigned long long)ex[k].df, ex[k].idf,
                   (unsigned long long)ex[k].length, ex[k].weight);
    }
    size_t n = lede_results_count(res);
    unsigned long long total = lede_results_estimated(res);
    const char *about = lede_results_exact(res) ? "" : "about ";
    if (n > 0 && s->so.per_article == 1)
        printf("\n%zu-%zu of %s%llu matching article%s\n", offset + 1,
               offset + n, about, total, plural(total));
    else if (n > 0)
        printf("\npassages %zu-%zu, of %s%llu matching article%s\n", offset + 1,
               offset + n, about, total, plural(total));
    return 0;
}

static json_t *explain_json(const lede_results *res, size_t i)
{
    size_t n;
    const lede_explain *ex = lede_results_explain(res, i, &n);
    json_t *a = json_array();
    for (size_t k = 0; a && k < n; k++) {
        json_t *o = json_pack("{s:s, s:I, s:I, s:f, s:I, s:f}", "term",
                              ex[k].term, "tf", (json_int_t)ex[k].tf, "df",
                              (json_int_t)ex[k].df, "idf", ex[k].idf, "length",
                              (json_int_t)ex[k].length, "weight", ex[k].weight);
        if (o == NULL || json_array_append_new(a, o) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Write a line jansson made, with DEL and the C1 controls escaped too:
 * JSON (RFC 8259) allows them raw, but a terminal acts on C1 controls, and
 * jansson's only way to escape them escapes all non-ASCII text. Outside
 * strings its output is ASCII, so these bytes are always inside one. */
static void put_json(const char *line)
{
    const unsigned char *p = (const unsigned char *)line;
    for (; *p != '\0'; p++) {
        if (*p == 0x7f) {
            fputs("\\u007F", stdout);
        } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            printf("\\u00%02X", p[1]);
            p++;
        } else {
            putchar(*p);
        }
    }
    putchar('\n');
}

static int print_line(json_t *o)
{
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (line == NULL) {
        fprintf(stderr, "%s: cannot encode a result as JSON\n", prog);
        return -1;
    }
    put_json(line);
    free(line);
    return 0;
}

static int print_json(const lede_results *res, size_t offset, const settings *s,
                      const char *qid)
{
    for (size_t i = 0; i < lede_results_count(res); i++) {
        char *snippet;
        if (lede_results_snippet(&snippet, res, i, NULL, NULL) < 0) {
            fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
            return -1;
        }
        size_t nhl;
        const lede_span *hl = lede_results_highlights(res, i, &nhl);
        json_t *spans = json_array();
        for (size_t k = 0; spans && k < nhl; k++)
            json_array_append_new(spans,
                                  json_pack("[I,I]", (json_int_t)hl[k].start,
                                            (json_int_t)hl[k].end));
        json_t *date = json_null();
        if (lede_results_date(res, i) != LEDE_NO_DATE) {
            char buf[32];
            format_date(buf, sizeof buf, lede_results_date(res, i), 1);
            date = json_string(buf);
        }
        /* Missing is null, for the url as for the date. */
        const char *u = lede_results_url(res, i);
        json_t *url = *u ? json_string(u) : json_null();
        json_t *o = json_pack(
            "{s:I, s:f, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, "
            "s:I, s:I, s:b}",
            "rank", (json_int_t)(offset + i + 1), "score",
            lede_results_score(res, i), "article_id",
            lede_results_article_id(res, i), "title",
            lede_results_title(res, i), "passage",
            (json_int_t)lede_results_passage(res, i), "start",
            (json_int_t)lede_results_start(res, i), "end",
            (json_int_t)lede_results_end(res, i), "text",
            lede_results_text(res, i), "snippet", snippet, "highlights", spans,
            "date", date, "url", url, "similar",
            (json_int_t)lede_results_similar(res, i), "total",
            (json_int_t)lede_results_estimated(res), "total_exact",
            lede_results_exact(res));
        lede_free(snippet);
        if (o && qid)
            json_object_set_new(o, "qid", json_string(qid));
        if (o && s->explain)
            json_object_set_new(o, "explain", explain_json(res, i));
        if (print_line(o) < 0)
            return -1;
    }
    return 0;
}

/* --count --json: the count alone, as the results carry it. */
static int print_count(const lede_results *res, const char *qid)
{
    json_t *o = json_pack("{s:I, s:b}", "total",
                          (json_int_t)lede_results_estimated(res),
                          "total_exact", lede_results_exact(res));
    if (o && qid)
        json_object_set_new(o, "qid", json_string(qid));
    return print_line(o);
}

/* A TREC run is six fields split at whitespace, so the whitespace of an
 * id (a file name with a space) is percent-encoded; so are '%', so that
 * the id can be decoded again and distinct ids stay distinct, and the
 * bytes of control characters and of invalid UTF-8, which a terminal
 * showing the run would act on. */
static void print_trec_field(const char *s)
{
    char buf[VIS_MAX];
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = vis_unit(buf, s + i, n - i);
        if (buf[0] || s[i] == '%' || s[i] == ' ') {
            for (size_t j = 0; j < k; j++)
                printf("%%%02X", (unsigned)(unsigned char)s[i + j]);
        } else {
            fwrite(s + i, 1, k, stdout);
        }
        i += k;
    }
}

static void print_trec(const lede_results *res, size_t offset, const char *qid)
{
    for (size_t i = 0; i < lede_results_count(res); i++) {
        print_trec_field(qid);
        fputs(" Q0 ", stdout);
        print_trec_field(lede_results_article_id(res, i));
        printf(" %zu %.6f lede\n", offset + i + 1, lede_results_score(res, i));
    }
}

/* A message about one query on standard error: what, then detail. */
static void query_msg(const query_src *q, const char *what, const char *detail)
{
    if (q->file != NULL)
        fprintf(stderr, "%s: %s:%zu: query %s: %s%s\n", prog,
                strcmp(q->file, "-") == 0 ? "(standard input)" : vis(q->file),
                q->line, vis(q->qid), what, vis(detail));
    else
        fprintf(stderr, "%s: %s%s\n", prog, what, vis(detail));
}

/* --parse: print how a query is read; an exit status. */
static int describe_query(lede_index *idx, const char *query, size_t len,
                          const query_src *q, const settings *s)
{
    char *text;
    if (lede_query_describe_n(&text, idx, query, len, &s->so) < 0) {
        query_msg(q, "", lede_error_last());
        return EXIT_TROUBLE;
    }
    if (q->file != NULL)
        printf("%s\t%s\n", vis(q->qid), vis(text));
    else
        puts(vis(text));
    lede_free(text);
    return EXIT_MATCH;
}

/* Shards of a set left out of a search (--allow-partial): a JSON line
 * per query, or a warning on standard error when more are missing than
 * were warned about. */
static int print_missing(const lede_results *res, const query_src *q,
                         settings *s)
{
    size_t n = lede_results_missing_count(res);
    if (n == 0)
        return 0;
    if (s->format == OUT_JSON) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++)
            json_array_append_new(a, json_string(lede_results_missing(res, i)));
        json_t *o = a ? json_pack("{s:o}", "missing_shards", a) : NULL;
        if (o && q->qid)
            json_object_set_new(o, "qid", json_string(q->qid));
        return print_line(o);
    }
    if (n > s->warned) {
        for (size_t i = 0; i < n; i++)
            fprintf(stderr,
                    "%s: warning: shard '%s' is missing; the results are "
                    "partial\n",
                    prog, vis(lede_results_missing(res, i)));
        s->warned = n;
    }
    return 0;
}

/* Run one query and print its results; an exit status. */
static int run_query(lede_index *idx, const char *query, size_t len,
                     const query_src *q, settings *s)
{
    lede_results *res;
    if (lede_search_n(&res, idx, query, len, &s->so) < 0) {
        query_msg(q, "", lede_error_last());
        return EXIT_TROUBLE;
    }
    uint64_t total = lede_results_estimated(res);
    int status = lede_results_count(res) || (s->count_only && total > 0)
                     ? EXIT_MATCH
                     : EXIT_NOMATCH;
    int rc = print_missing(res, q, s);
    const char *sug = lede_results_suggestion(res);
    if (rc == 0 && sug != NULL && !s->count_only) {
        if (s->format == OUT_JSON) {
            json_t *o = json_pack("{s:s}", "suggestion", sug);
            if (o && q->qid)
                json_object_set_new(o, "qid", json_string(q->qid));
            rc = print_line(o);
        } else {
            query_msg(q,
                      status == EXIT_NOMATCH ? "no match; did you mean: "
                                             : "did you mean: ",
                      sug);
        }
    }
    /* Nothing shown: say why, when it is not simply that nothing matched
     * (grep's silence). */
    char why[256] = "";
    const char *note = lede_results_note(res);
    if (status == EXIT_NOMATCH && note != NULL && total > 0 && !s->count_only)
        snprintf(why, sizeof why, "--%s", note); /* the offset */
    else if (status == EXIT_NOMATCH && note != NULL)
        snprintf(why, sizeof why, "no match: %s", note);
    if (*why)
        query_msg(q, why, "");
    if (s->count_only && s->format == OUT_JSON)
        rc = rc < 0 ? rc : print_count(res, q->qid);
    else if (s->count_only && q->file != NULL)
        printf("%s\t%llu\n", vis(q->qid), (unsigned long long)total);
    else if (s->count_only)
        printf("%llu\n", (unsigned long long)total);
    else if (s->format == OUT_JSON)
        rc = rc < 0 ? rc : print_json(res, s->so.offset, s, q->qid);
    else if (s->format == OUT_TREC)
        print_trec(res, s->so.offset, q->qid ? q->qid : "1");
    else
        rc = print_human(res, s->so.offset, s);
    lede_results_free(res);
    return rc < 0 ? EXIT_TROUBLE : status;
}

/* Whether a query id can be printed: a JSON string holds only UTF-8, so
 * an id that is not would be dropped from every line of its results and
 * the run could not be told apart from another query's. */
static int qid_fits(const char *qid, const settings *s)
{
    if (s->format != OUT_JSON || qid == NULL)
        return 1;
    json_t *t = json_string(qid);
    json_decref(t);
    return t != NULL;
}

/* --queries: each line a query, or QID<TAB>query; searched, or with
 * --parse described. */
static int run_file(lede_index *idx, const char *path, int parse_only,
                    settings *s)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL, num[32];
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int any = 0, trouble = 0;

    if (f == NULL) {
        fprintf(stderr, "%s: %s: %s\n", prog, vis(path), strerror(errno));
        return EXIT_TROUBLE;
    }
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        /* The line's length, not strlen: a NUL byte inside is refused
         * (by the library, with its column) rather than cut at. */
        char *tab = memchr(line, '\t', (size_t)n), *query = line;
        query_src q = {path, lineno, num};
        if (tab != NULL) {
            *tab = '\0';
            query = tab + 1;
        }
        if (tab != NULL && line[0] != '\0')
            q.qid = line;
        else /* no id, or an empty one: the line number */
            snprintf(num, sizeof num, "%zu", lineno);
        size_t len = (size_t)n - (size_t)(query - line);
        int status;
        if (tab != NULL && memchr(line, '\0', (size_t)(tab - line)) != NULL) {
            query_msg(&q, "", "a NUL byte in the query id");
            status = EXIT_TROUBLE;
        } else if (!parse_only && !qid_fits(q.qid, s)) {
            query_msg(&q, "",
                      "its id is not valid UTF-8, which JSON cannot "
                      "carry");
            status = EXIT_TROUBLE;
        } else {
            status = parse_only ? describe_query(idx, query, len, &q, s)
                                : run_query(idx, query, len, &q, s);
        }
        if (status == EXIT_TROUBLE)
            trouble = 1;
        else if (status == EXIT_MATCH)
            any = 1;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return trouble ? EXIT_TROUBLE : any ? EXIT_MATCH : EXIT_NOMATCH;
}

/* What the command line asks for. */
typedef struct {
    settings s;            /* how to search and print */
    lede_index_options io; /* how to open the index */
    const char *queries;   /* --queries FILE, or NULL */
    int parse_only;        /* --parse: describe the query, do not search */
    const char *index_dir; /* INDEX_DIR */
    char *query;           /* the QUERY words joined, or NULL (--queries) */
} options;

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
    OPT_COUNT
};

/* An option of ranking and search: 0 taken, -1 a bad value, 1 not one. */
static int search_option(options *o, int c, const char *arg)
{
    lede_search_options *so = &o->s.so;
    size_t v;
    switch (c) {
    case 'n':
        return parse_size("--limit", arg, 1, LEDE_SEARCH_LIMIT_MAX, &so->limit);
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
    if (n < 1 || (o->queries == NULL && n < 2) ||
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
static int read_options(options *o, int argc, char **argv)
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
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c, rc;

    while ((c = getopt_long(argc, argv, "+n:hV", longopts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
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
    if (o->s.color < 0)
        o->s.color = o->s.format == OUT_HUMAN && isatty(STDOUT_FILENO) &&
                     getenv("NO_COLOR") == NULL;
    return read_operands(o, argc, argv);
}

/* Search as *o says; the exit status. */
static int run(options *o)
{
    settings *s = &o->s;
    lede_index *idx = NULL;
    int status = EXIT_TROUBLE;
    const query_src cmdline = {NULL, 0, s->qid};
    if (!o->parse_only && !qid_fits(s->qid, s)) {
        fprintf(stderr,
                "%s: --qid %s is not valid UTF-8, which JSON cannot "
                "carry\n",
                prog, vis(s->qid));
        return EXIT_TROUBLE;
    }
    /* A TREC run needs ids and scores only; a count, not even those. */
    if ((s->format == OUT_TREC && !s->explain) || s->count_only)
        s->so.flags |= LEDE_SEARCH_IDS_ONLY;
    if (s->count_only) {
        s->so.flags &= ~(unsigned)LEDE_SEARCH_EXPLAIN;
        s->so.limit = 1;
        s->so.offset = 0;
    }
    if (lede_index_open(&idx, o->index_dir, &o->io) < 0) {
        fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
    } else if (o->queries) {
        status = run_file(idx, o->queries, o->parse_only, s);
    } else if (o->parse_only) {
        status = describe_query(idx, o->query, strlen(o->query), &cmdline, s);
    } else {
        status = run_query(idx, o->query, strlen(o->query), &cmdline, s);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        status = EXIT_TROUBLE;
    }
    lede_index_free(idx);
    return status;
}

int main(int argc, char **argv)
{
    static const lede_search_options defaults = LEDE_SEARCH_OPTIONS_INIT;
    static const lede_index_options idefaults = LEDE_INDEX_OPTIONS_INIT;
    options o = {{OUT_HUMAN, -1, 0, 0, NULL, defaults, 0},
                 idefaults,
                 NULL,
                 0,
                 NULL,
                 NULL};

    argv[0] = (char *)prog; /* getopt's messages: not libtool's .libs path */
    int rc = read_options(&o, argc, argv);
    if (rc > 0)
        return EXIT_MATCH;
    if (rc < 0) {
        fprintf(stderr, "Try '%s --help' for more information.\n", prog);
        return EXIT_TROUBLE;
    }
    if (o.queries == NULL &&
        (o.query = join(argv + optind + 1, argc - optind - 1)) == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return EXIT_TROUBLE;
    }
    int status = run(&o);
    free(o.query);
    return status;
}
