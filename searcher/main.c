/*
 * lede-search: search a lede index and print the best passages.
 *
 * The run lives here: main() reads the options (options.c) and run()
 * opens the index and searches the command line's query or each of a
 * --queries file, or describes it (--parse), or shows one article whole
 * (--article); messages about a query, the
 * suggestion and the shards left out, and the exit status, as grep has
 * it. Each output format has its file: human.c, jsonl.c (JSON written
 * with jansson, so that every string is escaped as JSON requires) and
 * trec.c. Searching, snippets, highlights and explanations come from the
 * public API in lede.h. Text from the index is untrusted: control
 * characters in it are shown visibly (cli/visible.h) in the human output
 * and in messages, escaped in JSON, and percent-encoded in TREC runs.
 * Calls liblede (lede.h), options.c, human.c, jsonl.c, trec.c,
 * cli/visible.c and jansson.
 */
#include "../cli/visible.h"
#include "searcher.h"

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

const char *prog = "lede-search";

/* Where a query comes from: its messages name a line of a --queries file,
 * so that they can be told apart, and its output carries its id. */
typedef struct {
    const char *file; /* the --queries file; NULL: the command line */
    size_t line;      /* the query's line in file, from 1 */
    const char *qid;  /* its id (file, or --qid); NULL: none was given */
} query_src;

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
        return jsonl_line(o);
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
            rc = jsonl_line(o);
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
        rc = rc < 0 ? rc : jsonl_count(res, q->qid);
    else if (s->count_only && q->file != NULL)
        printf("%s\t%llu\n", vis(q->qid), (unsigned long long)total);
    else if (s->count_only)
        printf("%llu\n", (unsigned long long)total);
    else if (s->format == OUT_JSON)
        rc = rc < 0 ? rc : jsonl_results(res, s->so.offset, s, q->qid);
    else if (s->format == OUT_TREC)
        trec_print(res, s->so.offset, q->qid ? q->qid : "1");
    else
        rc = human_print(res, s->so.offset, s);
    /* The facets after the hits (a TREC run has no place for them). */
    if (s->format == OUT_JSON)
        rc = rc < 0 ? rc : jsonl_facets(res, q->qid);
    else if (s->format == OUT_HUMAN)
        human_facets(res);
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

/* --article: the stored article, whole; 1 (as for no match) when the
 * index has none of that id. */
static int show_article(lede_index *idx, const char *id, const settings *s)
{
    lede_stored *st;
    int rc = lede_index_article(&st, idx, id);
    if (rc < 0) {
        fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
        return rc == LEDE_ENOTFOUND ? EXIT_NOMATCH : EXIT_TROUBLE;
    }
    if (s->format == OUT_JSON)
        rc = jsonl_article(st);
    else
        human_article(st);
    lede_stored_free(st);
    return rc < 0 ? EXIT_TROUBLE : EXIT_MATCH;
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
    } else if (o->article) {
        status = show_article(idx, o->article, s);
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
    options o = {.s = {OUT_HUMAN, -1, 0, 0, NULL, defaults, 0},
                 .io = idefaults};

    argv[0] = (char *)prog; /* getopt's messages: not libtool's .libs path */
    int rc = options_read(&o, argc, argv);
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
