/*
 * searcher.h - what the files of lede-search share: the program's name
 * (main.c), how to search and print (settings) and the command line
 * (options), and each output file's entry points. One section per file,
 * in the order of the build. Only lede.h is used of the library; jansson
 * is named here only as the struct json_t that jsonl.c writes.
 */
#ifndef LEDE_SEARCHER_H
#define LEDE_SEARCHER_H

#include "lede.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_t;

/* main.c */

/* "lede-search", the name every message starts with. */
extern const char *prog;

/* The two structs the files pass around: what the outputs need to know
 * (settings), and the command line, read by options.c. */

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

/* What the command line asks for. */
typedef struct {
    settings s;            /* how to search and print */
    lede_index_options io; /* how to open the index */
    const char *queries;   /* --queries FILE, or NULL */
    int parse_only;        /* --parse: describe the query, do not search */
    const char *article;   /* --article ID, or NULL */
    const char *index_dir; /* INDEX_DIR */
    char *query;           /* the QUERY words joined, or NULL (--queries) */
} options;

/* options.c */

/* Read the command line into *o: 0 to run, 1 to exit at once with
 * status 0 (--help, --version), -1 on a usage error (said on stderr). */
int options_read(options *o, int argc, char **argv);

/* date.c */

/* The date t (seconds since 1970) in buf: the day, or with_time the
 * whole time in ISO 8601; "?" when it cannot be shown. */
void date_format(char *buf, size_t n, int64_t t, int with_time);

/* human.c */

/* Print the results for people; -1 when a snippet failed (said). */
int human_print(const lede_results *res, size_t offset, const settings *s);
/* The facets counted, if any, after a blank line. */
void human_facets(const lede_results *res);
/* --article: one stored article, whole. */
void human_article(const lede_stored *st);

/* jsonl.c */

/* Print o (a reference the call takes) as one line; -1 when it cannot be
 * encoded (said), o being NULL included. */
int jsonl_line(struct json_t *o);
/* One line per passage; -1 on a failure (said). */
int jsonl_results(const lede_results *res, size_t offset, const settings *s,
                  const char *qid);
/* --count --json: the count's line. */
int jsonl_count(const lede_results *res, const char *qid);
/* The facets' line, if any were counted; -1 on a failure (said). */
int jsonl_facets(const lede_results *res, const char *qid);
/* --article --json: one stored article as one line; -1 on a failure. */
int jsonl_article(const lede_stored *st);

/* trec.c */

/* One TREC run line per passage, with qid as the query's id. */
void trec_print(const lede_results *res, size_t offset, const char *qid);

/* usage.c */

/* Print --help on f. */
void usage_print(FILE *f);

#endif
