/*
 * measures.c - nDCG@10, MAP, P@10, P@30, Recall@100 and MRR@10 of one
 * query, following trec_eval's definitions (see measures.h for how runs
 * and judgments are read). Calls nothing but libc.
 */
#include "measures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* trec_eval -M1000: documents past this rank are not looked at. */
#define MAX_RANK 1000

const char *const ev_measure_names[EV_MEASURES] = {
    "ndcg_cut_10", "map", "P_10", "P_30", "recall_100", "recip_rank_10"};

double ev_measure(const ev_scores *s, int i)
{
    switch (i) {
    case 0:
        return s->ndcg10;
    case 1:
        return s->map;
    case 2:
        return s->p10;
    case 3:
        return s->p30;
    case 4:
        return s->recall100;
    default:
        return s->mrr10;
    }
}

static int by_score_then_id(const void *a, const void *b)
{
    const ev_hit *x = a, *y = b;
    if (x->score > y->score)
        return -1;
    if (x->score < y->score)
        return 1;
    return strcmp(y->doc, x->doc); /* ties: larger id first */
}

void ev_sort_hits(ev_hit *hits, size_t n)
{
    if (n > 1)
        qsort(hits, n, sizeof *hits, by_score_then_id);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const ev_judgment *)a)->doc, ((const ev_judgment *)b)->doc);
}

static int by_gain_desc(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (y > x) - (y < x);
}

/* The judgment of doc, or 0 when it is unjudged. */
static int judgment(const ev_judgment *sorted, size_t n, const char *doc)
{
    ev_judgment key = {(char *)doc, 0};
    const ev_judgment *j = bsearch(&key, sorted, n, sizeof key, by_id);
    return j ? j->rel : 0;
}

int ev_query(ev_scores *out, ev_hit *hits, size_t nhits,
             const ev_judgment *judged, size_t njudged)
{
    ev_judgment *sorted = malloc((njudged ? njudged : 1) * sizeof *sorted);
    int *gains = malloc((njudged ? njudged : 1) * sizeof *gains);
    size_t nrel = 0, ngains = 0;

    memset(out, 0, sizeof *out);
    if (sorted == NULL || gains == NULL) {
        free(sorted);
        free(gains);
        return -1;
    }
    memcpy(sorted, judged, njudged * sizeof *sorted);
    if (njudged > 1)
        qsort(sorted, njudged, sizeof *sorted, by_id);
    for (size_t i = 0; i < njudged; i++) {
        if (judged[i].rel >= 1)
            nrel++;
        if (judged[i].rel > 0)
            gains[ngains++] = judged[i].rel;
    }

    ev_sort_hits(hits, nhits);
    size_t n = nhits < MAX_RANK ? nhits : MAX_RANK, found = 0;
    size_t in10 = 0, in30 = 0, in100 = 0;
    double sum_prec = 0, dcg = 0;
    for (size_t i = 0; i < n; i++) {
        int rel = judgment(sorted, njudged, hits[i].doc);
        if (i < 10 && rel > 0)
            dcg += rel / log2((double)i + 2);
        if (rel < 1)
            continue;
        found++;
        sum_prec += (double)found / (double)(i + 1);
        if (i < 10 && in10++ == 0)
            out->mrr10 = 1.0 / (double)(i + 1);
        in30 += i < 30;
        in100 += i < 100;
    }
    out->p10 = (double)in10 / 10;
    out->p30 = (double)in30 / 30;
    if (nrel > 0) {
        out->map = sum_prec / (double)nrel;
        out->recall100 = (double)in100 / (double)nrel;
    }

    /* The ideal ordering: every judged gain, best first. */
    if (ngains > 1)
        qsort(gains, ngains, sizeof *gains, by_gain_desc);
    double idcg = 0;
    for (size_t i = 0; i < ngains && i < 10; i++)
        idcg += gains[i] / log2((double)i + 2);
    if (idcg > 0)
        out->ndcg10 = dcg / idcg;

    free(sorted);
    free(gains);
    return 0;
}
