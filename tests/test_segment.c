/*
 * test_segment.c - passages: paragraphs, sentences, word caps, overlap.
 *
 * Each case lists the passages as [start,end) byte ranges of the input;
 * the comments say which text each range covers.
 */
#include "helpers.h"
#include "lede_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    lede__span *v; /* word spans */
    size_t n;      /* count */
} spans;

static int add_span(const lede__token *t, void *payload)
{
    spans *s = payload;
    s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
    assert_non_null(s->v);
    s->v[s->n++] = (lede__span){t->start, t->end};
    return 0;
}

/* Windows stay inside paragraphs (opts.paragraphs) in the cases that
 * test how paragraphs are found; test_segment__windows_cross_paragraphs
 * turns it off. */
static int in_paragraphs = 1;

/* The passages of text as "[s,e) [s,e) ...", and each passage's words as
 * "tb-te" in words_out (may be NULL). */
static void segment(char *out, size_t cap, char *words_out, const char *lang,
                    const char *text, unsigned max_words, unsigned overlap)
{
    lede__tokenizer *t;
    lede__segmenter *s;
    spans sp = {NULL, 0};
    lede__passage *ps;
    size_t nps, n = 0, wn = 0;
    lede__segment_opts o = {max_words, overlap, in_paragraphs};

    assert_int_equal(lede__tokenizer_new(&t), 0);
    assert_int_equal(lede__segmenter_new(&s, lang), 0);
    assert_int_equal(lede__tokenizer_run(t, text, strlen(text), add_span, &sp),
                     0);
    assert_int_equal(
        lede__segment(&ps, &nps, s, text, strlen(text), sp.v, sp.n, &o), 0);
    out[0] = '\0';
    if (words_out)
        words_out[0] = '\0';
    for (size_t i = 0; i < nps; i++) {
        n += (size_t)snprintf(out + n, cap - n, "%s[%zu,%zu)", i ? " " : "",
                              ps[i].start, ps[i].end);
        if (words_out)
            wn +=
                (size_t)snprintf(words_out + wn, 256 - wn, "%s%zu-%zu",
                                 i ? " " : "", ps[i].tok_begin, ps[i].tok_end);
        /* Every passage holds its words, and neither starts nor ends
         * with white space. */
        assert_true(ps[i].start <= sp.v[ps[i].tok_begin].start);
        assert_true(ps[i].end >= sp.v[ps[i].tok_end - 1].end);
        assert_true(text[ps[i].start] != ' ' && text[ps[i].start] != '\n');
        assert_true(text[ps[i].end - 1] != ' ' && text[ps[i].end - 1] != '\n');
    }
    free(ps);
    free(sp.v);
    lede__segmenter_free(s);
    lede__tokenizer_free(t);
}

#define SEG(want, text, max, overlap)                                          \
    do {                                                                       \
        char got_[1024];                                                       \
        segment(got_, sizeof got_, NULL, "english", text, max, overlap);       \
        assert_string_equal(got_, want);                                       \
    } while (0)

static void test_segment__one_paragraph_fits(void **state)
{
    (void)state;
    /* Three sentences, 9 words, under the cap: one passage. */
    SEG("[0,40)", "One two three. Four five six. Seven 8 9.", 100, 1);
}

static void test_segment__blank_line_splits_paragraphs(void **state)
{
    (void)state;
    /* "First para here." [0,16), "Second one." [18,29) */
    SEG("[0,16) [18,29)", "First para here.\n\nSecond one.", 100, 1);
    /* Blank lines holding spaces and CRLF endings count as blank. */
    SEG("[2,18) [25,36)", "  First para here. \r\n \t\r\nSecond one.\r\n", 100,
        1);
}

static void test_segment__long_lines_are_paragraphs(void **state)
{
    (void)state;
    /* Lines over 100 characters are written one paragraph per line, so a
     * single line break ends a paragraph. */
    const char *text =
        "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu "
        "nu xi omicron pi rho sigma tau upsilon.\n"
        "Second paragraph is short.";
    SEG("[0,106) [107,133)", text, 100, 1);
}

static void test_segment__hard_wrapped_lines_join(void **state)
{
    (void)state;
    /* Lines wrapped near 40 characters are one paragraph until a short
     * line ends it; the line after that starts a new one. */
    const char *text = "The quick brown fox jumps over the lazy\n" /* 0-39 */
                       "dog and then it runs far away into the\n"  /* 40-78 */
                       "woods.\n"                                  /* 79-85 */
                       "Next paragraph begins right here and it\n" /* 86 */
                       "ends here.";
    SEG("[0,85) [86,136)", text, 100, 1);
}

static void test_segment__indented_line_starts_paragraph(void **state)
{
    (void)state;
    const char *text = "Wrapped text runs on and on across the\n"  /* 0-38 */
                       "line.\n"                                   /* 39-44 */
                       "    Indented line starts a paragraph of\n" /* 45 */
                       "its own.";
    SEG("[0,44) [49,93)", text, 100, 1);
}

static void test_segment__word_cap_with_overlap(void **state)
{
    (void)state;
    /* Five sentences of 4 words each, cap 10, overlap 1: windows of two
     * sentences, each starting with the last sentence of the one before. */
    const char *text = "A b c d. E f g h. I j k l. M n o p. Q r s t.";
    /*                  0       9       18      27      36      44 */
    char got[1024], words[256];
    segment(got, sizeof got, words, "english", text, 10, 1);
    assert_string_equal(got, "[0,17) [9,26) [18,35) [27,44)");
    assert_string_equal(words, "0-8 4-12 8-16 12-20");
}

static void test_segment__word_cap_without_overlap(void **state)
{
    (void)state;
    SEG("[0,17) [18,35) [36,44)",
        "A b c d. E f g h. I j k l. M n o p. Q r s t.", 10, 0);
}

static void test_segment__overlap_larger_than_window(void **state)
{
    (void)state;
    /* An overlap of 3 sentences with windows of 2 still moves on by one. */
    SEG("[0,17) [9,26) [18,35) [27,44)",
        "A b c d. E f g h. I j k l. M n o p. Q r s t.", 10, 3);
}

static void test_segment__long_sentence_is_cut(void **state)
{
    (void)state;
    /* One sentence of 7 words with a cap of 3: pieces of 3, 3 and 1. */
    char got[1024], words[256];
    segment(got, sizeof got, words, "english",
            "one two three four five six "
            "seven.",
            3, 1);
    assert_string_equal(got, "[0,13) [14,27) [28,34)");
    assert_string_equal(words, "0-3 3-6 6-7");
}

static void test_segment__abbreviations_do_not_end_sentences(void **state)
{
    (void)state;
    /* With a cap of 4, "Mr. Smith went to Washington." (5 words) is cut
     * into pieces of 4 and 1 words; "He met Dr. Jones." (4 words) stays
     * whole. If "Mr." or "Dr." ended a sentence, the cuts would differ, as
     * they do with ICU's root rules (no suppressions). */
    const char *text = "Mr. Smith went to Washington. He met Dr. Jones.";
    char en[1024], root[1024];
    segment(en, sizeof en, NULL, "english", text, 4, 0);
    assert_string_equal(en, "[0,17) [18,29) [30,47)");
    segment(root, sizeof root, NULL, "none", text, 4, 0);
    assert_string_not_equal(root, en);
}

static void test_segment__overlap_never_repeats_a_window(void **state)
{
    (void)state;
    /* 5 + 4 words fit a cap of 10; the third sentence (7 words) cannot
     * share a window with the second, so the next window starts at the
     * third instead of repeating the second alone. */
    SEG("[0,19) [20,34)", "A b c d e. F g h i. J k l m n o p.", 10, 1);
}

static void test_segment__passage_may_start_with_punctuation(void **state)
{
    (void)state;
    /* The opening quote belongs to the passage's text. */
    SEG("[0,24)", "\"Hello there,\" she said.", 100, 1);
}

static void test_segment__no_words(void **state)
{
    (void)state;
    SEG("", "", 100, 1);
    SEG("", "   \n\n \t ", 100, 1);
    /* A paragraph of punctuation is no passage. */
    SEG("[5,15)", "***\n\nReal text.\n\n---", 100, 1);
}

static void test_segment__multibyte_offsets(void **state)
{
    (void)state;
    /* "Café au lait." is 14 bytes; the second paragraph starts after the
     * blank line at byte 16. */
    SEG("[0,14) [16,32)",
        "Caf\xc3\xa9 au lait.\n\n\xe6\x9d\xb1\xe4\xba\xac is Tokyo.\n", 100, 1);
}

/* ICU may end a sentence inside a word ("e.@." of "e.@.S"): the word
 * stays whole in the first sentence, and the next starts after it, so no
 * window cuts it (found by fuzzing). */
static void test_segment__sentence_break_inside_word(void **state)
{
    (void)state;
    /* "e.@.S" [0,5), U+FFFD, "T" [8,9). */
    SEG("[0,5) [5,9)", "e.@.S\xef\xbf\xbdT", 1, 0);
}

static void test_segment__windows_cross_paragraphs(void **state)
{
    (void)state;
    in_paragraphs = 0;
    /* Both paragraphs fit the cap: one passage, over the blank line. */
    SEG("[0,29)", "First para here.\n\nSecond one.", 100, 1);
    /* A cap of 3 words: a window per paragraph after all. */
    SEG("[0,16) [18,29)", "First para here.\n\nSecond one.", 3, 0);
    /* Cap 5, overlap 1: "First para here." + "Second one." is 5 words;
     * "Third." would make 6, so the next window starts again at the
     * shared sentence "Second one.". */
    SEG("[0,29) [18,37)", "First para here.\n\nSecond one.\n\nThird.", 5, 1);
    /* A heading line and its text: one passage. */
    SEG("[0,24)", "Title with no stop\nBody.", 100, 1);
    in_paragraphs = 1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segment__one_paragraph_fits),
        cmocka_unit_test(test_segment__blank_line_splits_paragraphs),
        cmocka_unit_test(test_segment__long_lines_are_paragraphs),
        cmocka_unit_test(test_segment__hard_wrapped_lines_join),
        cmocka_unit_test(test_segment__indented_line_starts_paragraph),
        cmocka_unit_test(test_segment__word_cap_with_overlap),
        cmocka_unit_test(test_segment__word_cap_without_overlap),
        cmocka_unit_test(test_segment__overlap_larger_than_window),
        cmocka_unit_test(test_segment__long_sentence_is_cut),
        cmocka_unit_test(test_segment__abbreviations_do_not_end_sentences),
        cmocka_unit_test(test_segment__overlap_never_repeats_a_window),
        cmocka_unit_test(test_segment__passage_may_start_with_punctuation),
        cmocka_unit_test(test_segment__no_words),
        cmocka_unit_test(test_segment__multibyte_offsets),
        cmocka_unit_test(test_segment__sentence_break_inside_word),
        cmocka_unit_test(test_segment__windows_cross_paragraphs),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
