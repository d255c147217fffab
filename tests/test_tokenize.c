/*
 * test_tokenize.c - the tokenizer: exact tokens and byte offsets.
 *
 * Each row of the table is one test case. A token is written as
 * term[start,end), tokens separated by one space.
 */
#include "helpers.h"
#include "lede_int.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name; /* test case name */
    const char *text; /* input, not necessarily NUL-terminated */
    size_t len;       /* bytes of input */
    const char *want; /* expected tokens */
} row;

/* A string literal and its length, embedded NULs included. */
#define T(s) s, sizeof(s) - 1

static const row rows[] = {
    {"test_tokenize__possessive", T("Trump's summit"),
     "trump's[0,7) summit[8,14)"},
    {"test_tokenize__curly_apostrophe", T("Trump\xe2\x80\x99s"),
     "trump's[0,9)"},
    {"test_tokenize__contractions", T("don't rock'n'roll"),
     "don't[0,5) rock'n'roll[6,17)"},
    {"test_tokenize__hyphenated", T("well-known co-operation"),
     "well[0,4) known[5,10) co[11,13) operation[14,23)"},
    {"test_tokenize__numbers", T("In 2025 it cost 3.5 or 1,000 dollars"),
     "in[0,2) 2025[3,7) it[8,10) cost[11,15) 3.5[16,19) or[20,22) "
     "1000[23,28) dollars[29,36)"},
    {"test_tokenize__abbreviation", T("U.S. president"),
     "u.s[0,3) president[5,14)"},
    {"test_tokenize__url", T("https://www.example.com/news/a?b=1"),
     "https[0,5) www.example.com[8,23) news[24,28) a[29,30) b[31,32) "
     "1[33,34)"},
    {"test_tokenize__email", T("mail john.doe@example.org now"),
     "mail[0,4) john.doe@example.org[5,25) now[26,29)"},
    {"test_tokenize__accents", T("caf\xc3\xa9 na\xc3\xafve Z\xc3\xbcrich"),
     "caf\xc3\xa9[0,5) na\xc3\xafve[6,12) z\xc3\xbcrich[13,20)"},
    {"test_tokenize__combining_mark_composed", T("e\xcc\x81tude"),
     "\xc3\xa9tude[0,7)"},
    {"test_tokenize__ligatures", T("\xef\xac\x81nance \xef\xac\x82ow"),
     "finance[0,8) flow[9,14)"},
    {"test_tokenize__full_width",
     T("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xef\xbc\x91\xef\xbc\x92"
       "\xef\xbc\x93"),
     "abc123[0,18)"},
    {"test_tokenize__sharp_s_folds",
     T("STRASSE Stra\xc3\x9f"
       "e"),
     "strasse[0,7) strasse[8,15)"},
    {"test_tokenize__greek",
     T("\xce\x9f\xce\x94\xce\xa5\xce\xa3\xce\xa3"
       "\xce\x95\xce\xa5\xce\xa3"),
     "\xce\xbf\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xcf\x85\xcf\x83[0,"
     "16)"},
    /* 新加坡峰会在2018年举行: ICU's dictionary finds the words. */
    {"test_tokenize__chinese",
     T("\xe6\x96\xb0\xe5\x8a\xa0\xe5\x9d\xa1\xe5\xb3\xb0\xe4\xbc\x9a\xe5\x9c"
       "\xa8"
       "2018\xe5\xb9\xb4\xe4\xb8\xbe\xe8\xa1\x8c"),
     "\xe6\x96\xb0\xe5\x8a\xa0\xe5\x9d\xa1[0,9) \xe5\xb3\xb0\xe4\xbc\x9a[9,15) "
     "\xe5\x9c\xa8[15,18) 2018[18,22) \xe5\xb9\xb4[22,25) "
     "\xe4\xb8\xbe\xe8\xa1\x8c[25,31)"},
    /* 東京で会議 */
    {"test_tokenize__japanese",
     T("\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xa7\xe4\xbc\x9a\xe8\xad\xb0"),
     "\xe6\x9d\xb1\xe4\xba\xac[0,6) \xe3\x81\xa7[6,9) "
     "\xe4\xbc\x9a\xe8\xad\xb0[9,15)"},
    /* 김정은 위원장 */
    {"test_tokenize__korean",
     T("\xea\xb9\x80\xec\xa0\x95\xec\x9d\x80 \xec\x9c\x84\xec\x9b\x90\xec\x9e"
       "\xa5"),
     "\xea\xb9\x80\xec\xa0\x95\xec\x9d\x80[0,9) "
     "\xec\x9c\x84\xec\x9b\x90\xec\x9e\xa5[10,19)"},
    {"test_tokenize__emoji_dropped",
     T("summit \xf0\x9f\x87\xb8\xf0\x9f\x87\xac talks"),
     "summit[0,6) talks[16,21)"},
    {"test_tokenize__invalid_byte_splits",
     T("ab\xff"
       "cd"),
     "ab[0,2) cd[3,5)"},
    {"test_tokenize__truncated_sequence_at_end", T("ab \xe2\x82"), "ab[0,2)"},
    {"test_tokenize__overlong_encoding", T("x\xc0\xafy"), "x[0,1) y[3,4)"},
    {"test_tokenize__nul_byte", T("a\0b"), "a[0,1) b[2,3)"},
    {"test_tokenize__empty", T(""), ""},
    {"test_tokenize__punctuation_only", T("... !!! -- \"\" ()"), ""},
    /* The buffer holds "summitXYZ" but only 6 bytes are given: the last
     * token ends exactly at the end of the input. */
    {"test_tokenize__token_ends_at_buffer_end", "summitXYZ", 6, "summit[0,6)"},
    {"test_tokenize__longest_kept",
     T("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b"),
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa[0,64) "
     "b[65,66)"},
    {"test_tokenize__overlong_token_skipped",
     T("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b"),
     "b[66,67)"},
};

typedef struct {
    char s[1024]; /* tokens written so far */
    size_t n;     /* bytes used */
} acc;

static int collect(const char *tok, size_t len, size_t start, size_t end,
                   void *payload)
{
    acc *a = payload;
    int n = snprintf(a->s + a->n, sizeof a->s - a->n, "%s%.*s[%zu,%zu)",
                     a->n ? " " : "", (int)len, tok, start, end);
    assert_true(n > 0 && (size_t)n < sizeof a->s - a->n);
    a->n += (size_t)n;
    return 0;
}

static void run_row(void **state)
{
    const row *r = *state;
    acc a = {"", 0};
    assert_int_equal(lede_tokenize(r->text, r->len, collect, &a), 0);
    assert_string_equal(a.s, r->want);
}

static int stop_at_second(const char *tok, size_t len, size_t start, size_t end,
                          void *payload)
{
    (void)tok;
    (void)len;
    (void)start;
    (void)end;
    int *seen = payload;
    return ++*seen == 2 ? 42 : 0;
}

static void test_tokenize__callback_stops(void **state)
{
    (void)state;
    int seen = 0;
    assert_int_equal(lede_tokenize(T("one two three"), stop_at_second, &seen),
                     42);
    assert_int_equal(seen, 2);
}

static void test_tokenize__null_arguments(void **state)
{
    (void)state;
    int seen = 0;
    assert_error(lede_tokenize(NULL, 3, stop_at_second, &seen), LEDE_EINVAL);
    assert_error(lede_tokenize("abc", 3, NULL, &seen), LEDE_EINVAL);
    assert_int_equal(lede_tokenize(NULL, 0, stop_at_second, &seen), 0);
    assert_int_equal(seen, 0);
}

typedef struct {
    uint32_t pos[8]; /* positions seen */
    size_t n;        /* count */
} positions;

static int collect_pos(const lede__token *t, void *payload)
{
    positions *p = payload;
    assert_true(p->n < 8);
    p->pos[p->n++] = t->pos;
    return 0;
}

/* Positions count every word, kept or skipped, and nothing else. */
static void test_tokenize__positions_count_skipped_words(void **state)
{
    (void)state;
    lede__tokenizer *t;
    positions p = {{0}, 0};
    const char text[] = "one, two! "
                        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                        "xxxxxxxxxxxxxxxxxxxx four";
    assert_int_equal(lede__tokenizer_new(&t), 0);
    assert_int_equal(
        lede__tokenizer_run(t, text, sizeof text - 1, collect_pos, &p), 0);
    lede__tokenizer_free(t);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.pos[0], 1);
    assert_int_equal(p.pos[1], 2);
    assert_int_equal(p.pos[2], 4);
}

typedef struct {
    char s[1 << 14]; /* tokens as term[start,end)@pos, one after another */
    size_t n;        /* bytes used */
} tokens;

static int collect_all(const lede__token *t, void *payload)
{
    tokens *k = payload;
    int w = snprintf(k->s + k->n, sizeof k->s - k->n, "%.*s[%zu,%zu)@%u ",
                     (int)t->len, t->term, t->start, t->end, t->pos);
    assert_true(w > 0 && (size_t)w < sizeof k->s - k->n);
    k->n += (size_t)w;
    return 0;
}

/* The fast path for ASCII gives exactly ICU's words, offsets and
 * positions, on random text of the characters that the word rules tell
 * apart, ASCII alone and mixed with other characters (which go to ICU,
 * the text being cut at white space). */
static void test_tokenize__ascii_path_is_icu(void **state)
{
    (void)state;
    static const char ascii[] = "aaaabbbZZ0001119___....,,,;;;:::'''\""
                                "@@--//##$%&+=!?()[]<>*^`~|\\  \n\t\r\v";
    static const char *const other[] = {
        "\xc3\xa9",                 /* e acute */
        "\xe2\x80\x99",             /* right single quotation mark */
        "\xcc\x81",                 /* combining acute accent */
        "\xc2\xad",                 /* soft hyphen (Format) */
        "\xe2\x80\x8d",             /* zero width joiner */
        "\xe4\xb8\xad\xe6\x96\x87", /* two Han ideographs */
        "\xf0\x9f\x98\x80",         /* an emoji */
        "\xc2\xa0",                 /* no-break space */
        "\xef\xbc\x91",             /* full-width digit one */
        "\xd7\xa9",                 /* Hebrew letter shin */
    };
    static tokens fast, slow;
    char text[256];
    lede__tokenizer *t;
    unsigned seed = 20261128;
    assert_int_equal(lede__tokenizer_new(&t), 0);
    for (int round = 0; round < 200000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % 24, len = 0;
        int mixed = round % 2;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            if (mixed && r % 8 == 0) {
                const char *o = other[(r / 8) % (sizeof other / sizeof *other)];
                memcpy(text + len, o, strlen(o));
                len += strlen(o);
            } else {
                text[len++] = ascii[r % (sizeof ascii - 1)];
            }
        }
        fast.n = slow.n = 0;
        fast.s[0] = slow.s[0] = '\0';
        assert_int_equal(lede__tokenizer_run(t, text, len, collect_all, &fast),
                         0);
        assert_int_equal(
            lede__tokenizer_run_icu(t, text, len, collect_all, &slow), 0);
        if (strcmp(fast.s, slow.s) != 0) {
            print_message("text: '%.*s'\n", (int)len, text);
            assert_string_equal(fast.s, slow.s);
        }
    }
    lede__tokenizer_free(t);
}

/* Run only for words starting with 's' or '1': the others come with an
 * empty term but their own spans and positions; a too-long word is still
 * left out, and text outside ASCII is folded as ever. */
static void test_tokenize__run_only_wanted_words(void **state)
{
    (void)state;
    static const char text[] = "The Summit, in 1,000 days: \xc3\x89t\xc3\xa9 "
                               "sun "
                               "sxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                               "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                               "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                               "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                               "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                               "xxxxxxxxxxxx end";
    static tokens k;
    unsigned char first[256] = {0};
    lede__tokenizer *t;
    first['s'] = first['1'] = 1;
    assert_true(sizeof text - 1 > 8 + 13 + LEDE__TOKEN_MAX);
    assert_int_equal(lede__tokenizer_new(&t), 0);
    assert_int_equal(lede__tokenizer_run_only(t, text, sizeof text - 1, first,
                                              collect_all, &k),
                     0);
    assert_string_equal(k.s, "[0,3)@1 summit[4,10)@2 [12,14)@3 1000[15,20)@4 "
                             "[21,25)@5 \xc3\xa9t\xc3\xa9[27,32)@6 "
                             "sun[33,36)@7 [271,274)@9 ");
    /* Afterwards the tokenizer folds every word again. */
    k.n = 0;
    assert_int_equal(lede__tokenizer_run(t, "The end", 7, collect_all, &k), 0);
    assert_string_equal(k.s, "the[0,3)@1 end[4,7)@2 ");
    lede__tokenizer_free(t);
}

int main(void)
{
    enum { NROWS = sizeof rows / sizeof rows[0] };
    struct CMUnitTest tests[NROWS + 5];

    for (size_t i = 0; i < NROWS; i++)
        tests[i] = (struct CMUnitTest){rows[i].name, run_row, NULL, NULL,
                                       (void *)&rows[i]};
    tests[NROWS] =
        (struct CMUnitTest)cmocka_unit_test(test_tokenize__callback_stops);
    tests[NROWS + 1] =
        (struct CMUnitTest)cmocka_unit_test(test_tokenize__null_arguments);
    tests[NROWS + 2] = (struct CMUnitTest)cmocka_unit_test(
        test_tokenize__positions_count_skipped_words);
    tests[NROWS + 3] =
        (struct CMUnitTest)cmocka_unit_test(test_tokenize__ascii_path_is_icu);
    tests[NROWS + 4] = (struct CMUnitTest)cmocka_unit_test(
        test_tokenize__run_only_wanted_words);
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
