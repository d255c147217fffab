/*
 * measures.h - retrieval measures as trec_eval computes them.
 *
 * Not part of liblede: the evaluation tool (lede-eval) and its tests use
 * it. A run is read as trec_eval reads one: each query's documents sorted
 * by score, highest first, ties broken by document id in decreasing byte
 * order (the rank column is ignored). Unjudged documents are not relevant.
 * A document is relevant when its judgment is at least 1; nDCG's gain is
 * the judgment itself.
 */
#ifndef LEDE_EVAL_MEASURES_H
#define LEDE_EVAL_MEASURES_H

#include <stddef.h>

/* One judged document of a query. */
typedef struct {
    char *doc; /* document id */
    int rel;   /* judgment: gain for nDCG, relevant if >= 1 */
} ev_judgment;

/* One retrieved document of a query. */
typedef struct {
    char *doc;    /* document id */
    double score; /* the run's score */
} ev_hit;

/* The measures of one query, or their mean. */
typedef struct {
    double ndcg10;    /* nDCG at 10 (trec_eval ndcg_cut_10) */
    double map;       /* average precision over the first 1000 */
    double p10;       /* precision at 10 */
    double p30;       /* precision at 30 */
    double recall100; /* recall at 100 */
    double mrr10;     /* reciprocal rank of the first relevant, if in 10 */
} ev_scores;

/* The names of the measures, in ev_scores' order, and their count. */
extern const char *const ev_measure_names[];
#define EV_MEASURES 6
/* The i-th measure of s. */
double ev_measure(const ev_scores *s, int i);

/*
 * The measures of one query: hits as the run gave them (they are sorted
 * here, in place), judged its judgments. At most 1000 hits count, as in
 * trec_eval -M1000. A document retrieved twice is an error in trec_eval;
 * here the caller makes sure ids are distinct. Returns 0, or -1 when out of
 * memory.
 */
int ev_query(ev_scores *out, ev_hit *hits, size_t nhits,
             const ev_judgment *judged, size_t njudged);

/* Sort hits as trec_eval does: score descending, then id descending. */
void ev_sort_hits(ev_hit *hits, size_t n);

#endif
