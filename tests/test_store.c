/*
 * test_store.c - stored passage records: round trips and corruption.
 */
#include "helpers.h"
#include "lede_int.h"

#include <string.h>

static void encode(lede__buf *out, const lede__record *r)
{
    lede__buf_clear(out);
    assert_int_equal(lede__record_encode(out, r), 0);
}

static void test_store__passage_round_trip(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__record in = {7, 1234,         5678, 0, NULL, 0, NULL,
                       0, LEDE_NO_DATE, NULL, 0, NULL, 0},
                 out;
    encode(&b, &in);
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.ordinal, 7);
    assert_int_equal(out.start, 1234);
    assert_int_equal(out.end, 5678);
    assert_int_equal(out.has_article, 0);
    assert_string_equal(out.title, "");
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

static void test_store__article_round_trip(void **state)
{
    (void)state;
    static const char title[] = "Caf\xc3\xa9 summit";
    char body[5000];
    for (size_t i = 0; i < sizeof body; i++)
        body[i] = "Singapore summit talks. "[i % 24];
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__record in = {
        0,    0, 24,   1, title, strlen(title), body, sizeof body, LEDE_NO_DATE,
        NULL, 0, NULL, 0};
    lede__record out;
    encode(&b, &in);
    /* Repetitive text compresses: the record is far smaller than it. */
    assert_true(b.len < sizeof body / 10);
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.has_article, 1);
    assert_int_equal(out.title_len, strlen(title));
    assert_memory_equal(out.title, title, strlen(title));
    /* The first passage keeps its own text and the article's length. */
    assert_null(out.body);
    assert_int_equal(out.body_len, sizeof body);
    assert_int_equal(out.text_len, 24);
    assert_memory_equal(out.text, body, 24);
    assert_int_equal(out.end, 24);

    /* An older index's first passage holds the whole article. */
    th_old_record(&b, 0, 0, 24, title, body, sizeof body, LEDE_NO_DATE, NULL);
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.has_article, 1);
    assert_int_equal(out.body_len, sizeof body);
    assert_memory_equal(out.body, body, sizeof body);
    assert_memory_equal(out.text, body, 24);
    assert_memory_equal(out.title, title, strlen(title));
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

/* A passage after the first carries its own text, title, date and URL;
 * a hit on the first inflates the article only as far as the passage. */
static void test_store__passage_text(void **state)
{
    (void)state;
    static const char body[] = "The first sentence. The second one is "
                               "longer. The third ends it.";
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__record in = {2,          20,
                       45,         0,
                       "Title",    5,
                       body,       strlen(body),
                       1528761600, "https://example.com/a",
                       21,         NULL,
                       0},
                 out;
    encode(&b, &in);
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.has_article, 0);
    assert_int_equal(out.text_len, 25);
    assert_memory_equal(out.text, "The second one is longer.", 25);
    assert_memory_equal(out.title, "Title", 5);
    assert_int_equal(out.date, 1528761600);
    assert_int_equal(out.url_len, 21);
    assert_null(out.body);

    in.ordinal = 0;
    in.has_article = 1;
    encode(&b, &in);
    assert_int_equal(lede__record_decode_passage(&out, &scratch, b.data, b.len),
                     0);
    assert_int_equal(out.body_len, strlen(body));
    assert_int_equal(out.text_len, 25);
    assert_memory_equal(out.text, "The second one is longer.", 25);

    /* An older first passage: the article is inflated only as far as the
     * passage's end, for a hit. */
    th_old_record(&b, 0, 20, 45, "Title", body, strlen(body), LEDE_NO_DATE,
                  NULL);
    assert_int_equal(lede__record_decode_passage(&out, &scratch, b.data, b.len),
                     0);
    assert_int_equal(out.body_len, 45);
    assert_memory_equal(out.text, "The second one is longer.", 25);
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.body_len, strlen(body));
    assert_memory_equal(out.text, "The second one is longer.", 25);

    /* A record of an older index: no text, the caller cuts it. */
    in.has_article = 0;
    in.body = NULL;
    encode(&b, &in);
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
    assert_null(out.text);
    assert_int_equal(out.start, 20);
    assert_int_equal(out.end, 45);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

static void test_store__empty_article(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__record in = {0,    0, 0,    1, "", 0, "", 0, LEDE_NO_DATE,
                       NULL, 0, NULL, 0},
                 out;
    encode(&b, &in);
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.has_article, 1);
    assert_int_equal(out.body_len, 0);
    assert_int_equal(out.title_len, 0);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

static void test_store__date_and_url(void **state)
{
    (void)state;
    const int64_t dates[] = {1528761600, -1, 0, -4102444800LL, INT64_MAX};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
        lede__record in = {0,  0,    2, 1,        "T",
                           1,  "hi", 2, dates[i], "https://example.com/x",
                           21, NULL, 0};
        lede__record out;
        encode(&b, &in);
        assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
        assert_true(out.date == dates[i]);
        assert_int_equal(out.url_len, 21);
        assert_memory_equal(out.url, "https://example.com/x", 21);
        lede__buf_free(&b);
        lede__buf_free(&scratch);
    }
    /* No date, no url: none stored, none read back. */
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__record in = {0,    0, 2,    1, "T", 1, "hi", 2, LEDE_NO_DATE,
                       NULL, 0, NULL, 0};
    lede__record out;
    encode(&b, &in);
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
    assert_true(out.date == LEDE_NO_DATE);
    assert_null(out.url);
    assert_int_equal(out.url_len, 0);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

static void test_store__unknown_field_skipped(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__record in = {0,    0, 5,    1, "T", 1, "hello", 5, LEDE_NO_DATE,
                       NULL, 0, NULL, 0},
                 out;
    encode(&b, &in);
    /* A field a later version might add: tag 99, 3 bytes. */
    assert_int_equal(lede__buf_put_varint(&b, 99), 0);
    assert_int_equal(lede__buf_put_varint(&b, 3), 0);
    assert_int_equal(lede__buf_put(&b, "xyz", 3), 0);
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);
    assert_memory_equal(out.text, "hello", 5);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

static void test_store__corruption_detected(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__record in = {0,
                       2,
                       9,
                       1,
                       "Title",
                       5,
                       "The body of an article, long enough to compress.",
                       48,
                       LEDE_NO_DATE,
                       NULL,
                       0,
                       NULL,
                       0};
    lede__record out;
    encode(&b, &in);

    /* Every truncation fails cleanly. */
    for (size_t cut = 0; cut < b.len; cut++)
        assert_error(lede__record_decode(&out, &scratch, b.data, cut),
                     LEDE_ECORRUPT);
    /* A flipped byte in the compressed body fails its checksum. */
    b.data[b.len - 3] ^= 0x55;
    assert_error(lede__record_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    b.data[b.len - 3] ^= 0x55;
    assert_int_equal(lede__record_decode(&out, &scratch, b.data, b.len), 0);

    b.data[0] = 'X';
    assert_error(lede__record_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    b.data[0] = 'L';
    b.data[1] = 2;
    assert_error(lede__record_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

static void test_store__offsets_outside_body(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__record in = {0,    0, 6,    1, "", 0, "hello", 5, LEDE_NO_DATE,
                       NULL, 0, NULL, 0},
                 out;
    encode(&b, &in);
    assert_error(lede__record_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    lede__record backwards = {1,    9, 4,    0, NULL, 0, NULL, 0, LEDE_NO_DATE,
                              NULL, 0, NULL, 0};
    encode(&b, &backwards);
    assert_error(lede__record_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store__passage_round_trip),
        cmocka_unit_test(test_store__article_round_trip),
        cmocka_unit_test(test_store__passage_text),
        cmocka_unit_test(test_store__empty_article),
        cmocka_unit_test(test_store__date_and_url),
        cmocka_unit_test(test_store__unknown_field_skipped),
        cmocka_unit_test(test_store__corruption_detected),
        cmocka_unit_test(test_store__offsets_outside_body),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
