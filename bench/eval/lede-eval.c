/*
 * lede-eval - score a TREC run against TREC qrels, as trec_eval would.
 *
 *   lede-eval [-q] [--aggregate=max|sum] QRELS RUN
 *
 * Prints, for the queries that are both in the run and in the qrels (as
 * trec_eval does by default), the mean of nDCG@10, MAP (first 1000), P@10,
 * P@30, Recall@100 and MRR@10, one "measure<TAB>all<TAB>value" line each
 * after a num_q line; -q adds the same lines for every query. A run that
 * lists a document twice is an error, unless --aggregate folds its lines
 * into one: max keeps the best score (a passage run read as MaxP), sum
 * adds them (the sum of an article's passages).
 */
#include "measures.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *qid;    /* query id */
    char *doc;    /* document id */
    double value; /* judgment, or score */
} row;

typedef struct {
    row *v;     /* rows */
    size_t n;   /* count */
    size_t cap; /* allocated */
} rows;

enum { AGG_NONE, AGG_MAX, AGG_SUM };

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "lede-eval: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static char *copy(const char *s)
{
    char *c = strdup(s);
    if (c == NULL)
        die("out of memory");
    return c;
}

/* Read whitespace-separated lines of path: qrels (qid iter doc rel) when
 * qrels is set, else a run (qid Q0 doc rank score tag). */
static void read_rows(rows *out, const char *path, int qrels)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    if (f == NULL)
        die("%s: %s", path, strerror(errno));
    while (getline(&line, &cap, f) >= 0) {
        char *field[6], *save = NULL;
        int n = 0;
        lineno++;
        for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 6;
             t = strtok_r(NULL, " \t\r\n", &save))
            field[n++] = t;
        if (n == 0)
            continue;
        if (n != (qrels ? 4 : 6)) {
            die("%s:%zu: wrong number of fields", path, lineno);
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 1024;
            out->v = realloc(out->v, out->cap * sizeof *out->v);
            if (out->v == NULL)
                die("out of memory");
        }
        char *end;
        const char *num = qrels ? field[3] : field[4];
        double v = strtod(num, &end);
        if (*end != '\0') {
            die("%s:%zu: not a number", path, lineno);
        }
        out->v[out->n++] = (row){copy(field[0]), copy(field[2]), v};
    }
    free(line);
    fclose(f);
}

static int by_qid_doc(const void *a, const void *b)
{
    const row *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    return c ? c : strcmp(x->doc, y->doc);
}

/* [from, to) of r (sorted) with qid q, starting the search at *at. */
static size_t group(const rows *r, size_t at, size_t *end)
{
    size_t e = at;
    while (e < r->n && strcmp(r->v[e].qid, r->v[at].qid) == 0)
        e++;
    *end = e;
    return at;
}

static void print_scores(const char *qid, const ev_scores *s)
{
    for (int m = 0; m < EV_MEASURES; m++)
        printf("%s\t%s\t%.4f\n", ev_measure_names[m], qid, ev_measure(s, m));
}

int main(int argc, char **argv)
{
    int per_query = 0, agg = AGG_NONE, argi = 1;
    rows qrels = {NULL, 0, 0}, run = {NULL, 0, 0};

    for (; argi < argc && argv[argi][0] == '-'; argi++) {
        if (strcmp(argv[argi], "-q") == 0)
            per_query = 1;
        else if (strcmp(argv[argi], "--aggregate=max") == 0)
            agg = AGG_MAX;
        else if (strcmp(argv[argi], "--aggregate=sum") == 0)
            agg = AGG_SUM;
        else
            die("unknown option %s", argv[argi]);
    }
    if (argc - argi != 2) {
        fprintf(stderr,
                "usage: lede-eval [-q] [--aggregate=max|sum] QRELS RUN\n");
        return 2;
    }
    read_rows(&qrels, argv[argi], 1);
    read_rows(&run, argv[argi + 1], 0);
    if (qrels.n > 1)
        qsort(qrels.v, qrels.n, sizeof *qrels.v, by_qid_doc);
    if (run.n > 1)
        qsort(run.v, run.n, sizeof *run.v, by_qid_doc);

    /* Fold a document listed twice in one query. */
    size_t k = 0;
    for (size_t i = 0; i < run.n; i++) {
        if (k > 0 && by_qid_doc(&run.v[k - 1], &run.v[i]) == 0) {
            if (agg == AGG_NONE)
                die("run lists %s twice for query %s", run.v[i].doc,
                    run.v[i].qid);
            if (agg == AGG_SUM)
                run.v[k - 1].value += run.v[i].value;
            else if (run.v[i].value > run.v[k - 1].value)
                run.v[k - 1].value = run.v[i].value;
            free(run.v[i].qid);
            free(run.v[i].doc);
            continue;
        }
        run.v[k++] = run.v[i];
    }
    run.n = k;

    ev_scores sum = {0, 0, 0, 0, 0, 0};
    size_t nq = 0, qi = 0;
    for (size_t ri = 0; ri < run.n;) {
        size_t rend, qend;
        group(&run, ri, &rend);
        /* The qrels of this query, if any. */
        while (qi < qrels.n && strcmp(qrels.v[qi].qid, run.v[ri].qid) < 0)
            qi++;
        if (qi >= qrels.n || strcmp(qrels.v[qi].qid, run.v[ri].qid) != 0) {
            ri = rend; /* unjudged query: trec_eval leaves it out */
            continue;
        }
        group(&qrels, qi, &qend);
        size_t nh = rend - ri, nj = qend - qi;
        ev_hit *hits = malloc(nh * sizeof *hits);
        ev_judgment *judged = malloc(nj * sizeof *judged);
        if (hits == NULL || judged == NULL)
            die("out of memory");
        for (size_t i = 0; i < nh; i++)
            hits[i] = (ev_hit){run.v[ri + i].doc, run.v[ri + i].value};
        for (size_t i = 0; i < nj; i++)
            judged[i] =
                (ev_judgment){qrels.v[qi + i].doc, (int)qrels.v[qi + i].value};
        ev_scores s;
        if (ev_query(&s, hits, nh, judged, nj) < 0)
            die("out of memory");
        if (per_query)
            print_scores(run.v[ri].qid, &s);
        sum.ndcg10 += s.ndcg10;
        sum.map += s.map;
        sum.p10 += s.p10;
        sum.p30 += s.p30;
        sum.recall100 += s.recall100;
        sum.mrr10 += s.mrr10;
        nq++;
        free(hits);
        free(judged);
        ri = rend;
        qi = qend;
    }
    printf("num_q\tall\t%zu\n", nq);
    if (nq > 0) {
        sum.ndcg10 /= (double)nq;
        sum.map /= (double)nq;
        sum.p10 /= (double)nq;
        sum.p30 /= (double)nq;
        sum.recall100 /= (double)nq;
        sum.mrr10 /= (double)nq;
    }
    print_scores("all", &sum);
    for (size_t i = 0; i < qrels.n; i++) {
        free(qrels.v[i].qid);
        free(qrels.v[i].doc);
    }
    for (size_t i = 0; i < run.n; i++) {
        free(run.v[i].qid);
        free(run.v[i].doc);
    }
    free(qrels.v);
    free(run.v);
    return 0;
}
