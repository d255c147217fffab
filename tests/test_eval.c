/*
 * test_eval.c - the evaluation measures (bench/eval/measures.c) against
 * hand computations: ties, unjudged documents, graded judgments, the
 * 1000-document cut, and a query with nothing relevant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "measures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-12

static void test_eval__ties_unjudged_and_grades(void **state)
{
    (void)state;
    /* Three relevant documents (d1 1, d3 2, d5 1), d7 judged not
     * relevant, d2, d4 and d8 unjudged. */
    const ev_judgment judged[] = {{"d1", 1}, {"d3", 2}, {"d5", 1}, {"d7", 0}};
    /* d2 and d3 tie: trec_eval puts the larger id first, so the order is
     * d1 d3 d2 d4 d7 d8, with relevant documents at ranks 1 and 2. */
    ev_hit hits[] = {{"d2", 2.5}, {"d1", 3.0}, {"d3", 2.5},
                     {"d4", 1.0}, {"d7", 0.5}, {"d8", 0.4}};
    ev_scores s;
    assert_int_equal(ev_query(&s, hits, 6, judged, 4), 0);
    assert_string_equal(hits[1].doc, "d3");
    assert_string_equal(hits[2].doc, "d2");
    /* AP: (1/1 + 2/2) / 3 relevant. */
    assert_float_equal(s.map, 2.0 / 3, EPS);
    assert_float_equal(s.p10, 0.2, EPS);
    assert_float_equal(s.p30, 2.0 / 30, EPS);
    assert_float_equal(s.recall100, 2.0 / 3, EPS);
    assert_float_equal(s.mrr10, 1.0, EPS);
    /* DCG: gain 1 at rank 1, gain 2 at rank 2; ideal: 2, 1, 1. */
    double dcg = 1 / log2(2) + 2 / log2(3);
    double idcg = 2 / log2(2) + 1 / log2(3) + 1 / log2(4);
    assert_float_equal(s.ndcg10, dcg / idcg, EPS);
}

static void test_eval__first_relevant_late(void **state)
{
    (void)state;
    const ev_judgment judged[] = {{"a", 1}, {"z", 1}};
    /* Equal scores: z, y, x, ..., a. The relevant z is first, a is 26th. */
    ev_hit hits[26];
    char ids[26][2];
    for (int i = 0; i < 26; i++) {
        ids[i][0] = (char)('a' + i);
        ids[i][1] = '\0';
        hits[i] = (ev_hit){ids[i], 1.0};
    }
    ev_scores s;
    assert_int_equal(ev_query(&s, hits, 26, judged, 2), 0);
    assert_string_equal(hits[0].doc, "z");
    assert_float_equal(s.mrr10, 1.0, EPS);
    assert_float_equal(s.map, (1.0 / 1 + 2.0 / 26) / 2, EPS);
    assert_float_equal(s.p10, 0.1, EPS);
    assert_float_equal(s.p30, 2.0 / 30, EPS);
    assert_float_equal(s.ndcg10, 1 / (1 / log2(2) + 1 / log2(3)), EPS);

    /* Only a relevant, and past rank 10: MRR@10 is 0. */
    const ev_judgment only_a[] = {{"a", 1}};
    assert_int_equal(ev_query(&s, hits, 26, only_a, 1), 0);
    assert_float_equal(s.mrr10, 0.0, EPS);
    assert_float_equal(s.map, 1.0 / 26, EPS);
    assert_float_equal(s.recall100, 1.0, EPS);
}

static void test_eval__cut_at_1000(void **state)
{
    (void)state;
    enum { N = 1001 };
    ev_hit *hits = calloc(N, sizeof *hits);
    char(*ids)[8] = calloc(N, sizeof *ids);
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "d%04d", i);
        hits[i] = (ev_hit){ids[i], (double)(N - i)};
    }
    /* d0000 at rank 1, d1000 at rank 1001: past the cut. */
    const ev_judgment judged[] = {{"d0000", 1}, {"d1000", 1}};
    ev_scores s;
    assert_int_equal(ev_query(&s, hits, N, judged, 2), 0);
    assert_float_equal(s.map, 1.0 / 2, EPS);
    assert_float_equal(s.recall100, 1.0 / 2, EPS);
    free(hits);
    free(ids);
}

static void test_eval__nothing_relevant(void **state)
{
    (void)state;
    const ev_judgment judged[] = {{"x", 0}, {"y", -1}};
    ev_hit hits[] = {{"x", 2}, {"y", 1}};
    ev_scores s;
    assert_int_equal(ev_query(&s, hits, 2, judged, 2), 0);
    for (int m = 0; m < EV_MEASURES; m++)
        assert_float_equal(ev_measure(&s, m), 0.0, EPS);
    /* No hits at all. */
    const ev_judgment one[] = {{"x", 3}};
    assert_int_equal(ev_query(&s, NULL, 0, one, 1), 0);
    assert_float_equal(s.ndcg10, 0.0, EPS);
    assert_float_equal(s.map, 0.0, EPS);
}

static void test_eval__graded_ndcg(void **state)
{
    (void)state;
    /* Cranfield-style grades 4..1; retrieved in the order 1, 4, unjudged,
     * 3. Ideal order: 4, 3, 2, 1. */
    const ev_judgment judged[] = {{"g1", 1}, {"g2", 2}, {"g3", 3}, {"g4", 4}};
    ev_hit hits[] = {{"g1", 9}, {"g4", 8}, {"u", 7}, {"g3", 6}};
    ev_scores s;
    assert_int_equal(ev_query(&s, hits, 4, judged, 4), 0);
    double dcg = 1 / log2(2) + 4 / log2(3) + 3 / log2(5);
    double idcg = 4 / log2(2) + 3 / log2(3) + 2 / log2(4) + 1 / log2(5);
    assert_float_equal(s.ndcg10, dcg / idcg, EPS);
    assert_float_equal(s.map, (1.0 / 1 + 2.0 / 2 + 3.0 / 4) / 4, EPS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval__ties_unjudged_and_grades),
        cmocka_unit_test(test_eval__first_relevant_late),
        cmocka_unit_test(test_eval__cut_at_1000),
        cmocka_unit_test(test_eval__nothing_relevant),
        cmocka_unit_test(test_eval__graded_ndcg),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
