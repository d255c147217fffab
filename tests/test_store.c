/*
 * test_store.c - stored passage records: round trips and corruption.
 */
#include "helpers.h"
#include "lede_int.h"

#include <stdio.h>
#include <string.h>

#include <zlib.h>

static void encode(lede__buf *out, const lede__store_record *r)
{
    lede__buf_clear(out);
    assert_int_equal(lede__store_encode(out, r), 0);
}

static void test_store__passage_round_trip(void **state)
{
    (void)state;
    static char body[5678];
    memset(body, 'a', sizeof body);
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__store_record in = {.ordinal = 7,
                             .start = 1234,
                             .end = 5678,
                             .has_article = 0,
                             .title = NULL,
                             .title_len = 0,
                             .body = body,
                             .body_len = 5678,
                             .date = LEDE_NO_DATE,
                             .url = NULL,
                             .url_len = 0,
                             .text = NULL,
                             .text_len = 0},
                       out;
    encode(&b, &in);
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.ordinal, 7);
    assert_int_equal(out.start, 1234);
    assert_int_equal(out.end, 5678);
    assert_int_equal(out.has_article, 0);
    assert_int_equal(out.title_len, 0); /* titles are not NUL-terminated */
    assert_int_equal(out.text_len, 5678 - 1234);
    assert_memory_equal(out.text, body + 1234, 5678 - 1234);
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
    lede__store_record in = {.ordinal = 0,
                             .start = 0,
                             .end = 24,
                             .has_article = 1,
                             .title = title,
                             .title_len = strlen(title),
                             .body = body,
                             .body_len = sizeof body,
                             .date = LEDE_NO_DATE,
                             .url = NULL,
                             .url_len = 0,
                             .text = NULL,
                             .text_len = 0};
    lede__store_record out;
    encode(&b, &in);
    /* Repetitive text compresses: the record is far smaller than it. */
    assert_true(b.len < sizeof body / 10);
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.has_article, 1);
    assert_int_equal(out.title_len, strlen(title));
    assert_memory_equal(out.title, title, strlen(title));
    /* The first passage keeps its own text and the article's length. */
    assert_null(out.body);
    assert_int_equal(out.body_len, sizeof body);
    assert_int_equal(out.text_len, 24);
    assert_memory_equal(out.text, body, 24);
    assert_int_equal(out.end, 24);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

/* A passage, the first or another, carries its own text, title, date and
 * URL, and no more of the article than its text. */
static void test_store__passage_text(void **state)
{
    (void)state;
    static const char body[] = "The first sentence. The second one is "
                               "longer. The third ends it.";
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__store_record in = {.ordinal = 2,
                             .start = 20,
                             .end = 45,
                             .has_article = 0,
                             .title = "Title",
                             .title_len = 5,
                             .body = body,
                             .body_len = strlen(body),
                             .date = 1528761600,
                             .url = "https://example.com/a",
                             .url_len = 21,
                             .text = NULL,
                             .text_len = 0},
                       out;
    encode(&b, &in);
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
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
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.body_len, strlen(body));
    assert_int_equal(out.text_len, 25);
    assert_memory_equal(out.text, "The second one is longer.", 25);
    assert_null(out.body);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

static void test_store__empty_article(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__store_record in = {.ordinal = 0,
                             .start = 0,
                             .end = 0,
                             .has_article = 1,
                             .title = "",
                             .title_len = 0,
                             .body = "",
                             .body_len = 0,
                             .date = LEDE_NO_DATE,
                             .url = NULL,
                             .url_len = 0,
                             .text = NULL,
                             .text_len = 0},
                       out;
    encode(&b, &in);
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
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
        lede__store_record in = {.ordinal = 0,
                                 .start = 0,
                                 .end = 2,
                                 .has_article = 1,
                                 .title = "T",
                                 .title_len = 1,
                                 .body = "hi",
                                 .body_len = 2,
                                 .date = dates[i],
                                 .url = "https://example.com/x",
                                 .url_len = 21,
                                 .text = NULL,
                                 .text_len = 0};
        lede__store_record out;
        encode(&b, &in);
        assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
        assert_true(out.date == dates[i]);
        assert_int_equal(out.url_len, 21);
        assert_memory_equal(out.url, "https://example.com/x", 21);
        lede__buf_free(&b);
        lede__buf_free(&scratch);
    }
    /* No date, no url: none stored, none read back. */
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__store_record in = {.ordinal = 0,
                             .start = 0,
                             .end = 2,
                             .has_article = 1,
                             .title = "T",
                             .title_len = 1,
                             .body = "hi",
                             .body_len = 2,
                             .date = LEDE_NO_DATE,
                             .url = NULL,
                             .url_len = 0,
                             .text = NULL,
                             .text_len = 0};
    lede__store_record out;
    encode(&b, &in);
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
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
    lede__store_record in = {.ordinal = 0,
                             .start = 0,
                             .end = 5,
                             .has_article = 1,
                             .title = "T",
                             .title_len = 1,
                             .body = "hello",
                             .body_len = 5,
                             .date = LEDE_NO_DATE,
                             .url = NULL,
                             .url_len = 0,
                             .text = NULL,
                             .text_len = 0},
                       out;
    encode(&b, &in);
    /* A field a later version might add: tag 99, 3 bytes. */
    assert_int_equal(lede__buf_put_varint(&b, 99), 0);
    assert_int_equal(lede__buf_put_varint(&b, 3), 0);
    assert_int_equal(lede__buf_put(&b, "xyz", 3), 0);
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
    assert_memory_equal(out.text, "hello", 5);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

/* A first passage keeps the runs between passages, the path and the
 * field values; a later passage only the fields; the meta decoding reads
 * them without the text. */
static void test_store__gaps_path_fields(void **state)
{
    (void)state;
    static const char body[] = "\n\nOne. Two.\n\n\nThree.  ";
    const lede__span gaps[] = {{0, 2}, {11, 14}, {20, 22}};
    const lede_field fields[] = {{"author", "Kim Lee"}, {"tag", "x"}};
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__store_record in = {.ordinal = 0,
                             .start = 2,
                             .end = 11,
                             .has_article = 1,
                             .body = body,
                             .body_len = 22,
                             .date = LEDE_NO_DATE,
                             .gaps = gaps,
                             .ngaps = 3,
                             .path = "a/b.txt",
                             .path_len = 7,
                             .fields = fields,
                             .nfields = 2};
    lede__store_record out;
    encode(&b, &in);
    assert_int_equal(lede__store_decode_meta(&out, b.data, b.len), 0);
    assert_null(out.text);
    assert_int_equal(out.body_len, 22);
    assert_int_equal(out.path_len, 7);
    assert_memory_equal(out.path, "a/b.txt", 7);
    const char *p = out.gaps_data, *end = p + out.gaps_len, *bytes;
    uint64_t at;
    size_t len;
    char seen[64] = "";
    while (lede__store_gap_next(&at, &bytes, &len, &p, end) == 1)
        snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "[%llu %zu]",
                 (unsigned long long)at, len);
    assert_string_equal(seen, "[0 2][11 3][20 2]");
    p = out.fields_data;
    end = p + out.fields_len;
    const char *name, *value;
    size_t nl, vl;
    assert_int_equal(lede__store_field_next(&name, &nl, &value, &vl, &p, end),
                     1);
    assert_memory_equal(value, "Kim Lee", vl);
    assert_int_equal(lede__store_field_next(&name, &nl, &value, &vl, &p, end),
                     1);
    assert_memory_equal(name, "tag", nl);
    assert_int_equal(lede__store_field_next(&name, &nl, &value, &vl, &p, end),
                     0);
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
    assert_memory_equal(out.text, "One. Two.", 9);

    /* A later passage: no runs, no path; the fields all the same. */
    in.ordinal = 1;
    in.has_article = 0;
    in.start = 14;
    in.end = 20;
    encode(&b, &in);
    assert_int_equal(lede__store_decode_meta(&out, b.data, b.len), 0);
    assert_null(out.gaps_data);
    assert_null(out.path);
    assert_int_equal(out.fields_len > 0, 1);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

static void test_store__corruption_detected(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__store_record in = {
        .ordinal = 0,
        .start = 2,
        .end = 9,
        .has_article = 1,
        .title = "Title",
        .title_len = 5,
        .body = "The body of an article, long enough to compress.",
        .body_len = 48,
        .date = LEDE_NO_DATE,
        .url = NULL,
        .url_len = 0,
        .text = NULL,
        .text_len = 0};
    lede__store_record out;
    encode(&b, &in);

    /* Every truncation fails cleanly. */
    for (size_t cut = 0; cut < b.len; cut++)
        assert_error(lede__store_decode(&out, &scratch, b.data, cut),
                     LEDE_ECORRUPT);
    /* A flipped byte in the compressed body fails its checksum. */
    b.data[b.len - 3] ^= 0x55;
    assert_error(lede__store_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    b.data[b.len - 3] ^= 0x55;
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);

    b.data[0] = 'X';
    assert_error(lede__store_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    b.data[0] = 'L';
    b.data[1] = 3;
    assert_error(lede__store_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    /* Version 1's text is a zlib stream: a zstd frame is not one. */
    b.data[1] = 1;
    assert_error(lede__store_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

/* Indexes made before the texts were zstd frames hold records of version
 * 1, whose text is a zlib stream: they read as before. Built here byte by
 * byte: flags 1 (first passage), ordinal 0, bytes 4 to 9 of a 12-byte
 * article, title "Tide", the text, the article's length. */
static void test_store__zlib_records_still_read(void **state)
{
    (void)state;
    static const char text[] = "tides";
    unsigned char z[64];
    uLongf zlen = sizeof z;
    assert_int_equal(compress2(z, &zlen, (const Bytef *)text, 5, 9), Z_OK);
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    static const char head[] = {'L', 1, 1, 0, 4, 9, 1, 4, 'T', 'i', 'd', 'e'};
    assert_int_equal(lede__buf_put(&b, head, sizeof head), 0);
    assert_int_equal(lede__buf_put_varint(&b, 5), 0);
    assert_int_equal(lede__buf_put_varint(&b, 1 + zlen), 0);
    assert_int_equal(lede__buf_put_varint(&b, 5), 0);
    assert_int_equal(lede__buf_put(&b, z, zlen), 0);
    static const char length[] = {6, 1, 12};
    assert_int_equal(lede__buf_put(&b, length, sizeof length), 0);
    lede__store_record out;
    assert_int_equal(lede__store_decode(&out, &scratch, b.data, b.len), 0);
    assert_int_equal(out.has_article, 1);
    assert_int_equal(out.start, 4);
    assert_int_equal(out.end, 9);
    assert_int_equal(out.body_len, 12);
    assert_int_equal(out.title_len, 4);
    assert_memory_equal(out.title, "Tide", 4);
    assert_int_equal(out.text_len, 5);
    assert_string_equal(out.text, "tides");
    /* Its stream's checksum damaged (the 4 bytes before the length
     * field): found, as before. */
    b.data[b.len - sizeof length - 1] ^= 0x55;
    assert_error(lede__store_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

static void test_store__offsets_outside_body(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT, scratch = LEDE__BUF_INIT;
    lede__store_record in = {.ordinal = 0,
                             .start = 0,
                             .end = 6,
                             .has_article = 1,
                             .title = "",
                             .title_len = 0,
                             .body = "hello",
                             .body_len = 5,
                             .date = LEDE_NO_DATE,
                             .url = NULL,
                             .url_len = 0,
                             .text = NULL,
                             .text_len = 0},
                       out;
    encode(&b, &in);
    assert_error(lede__store_decode(&out, &scratch, b.data, b.len),
                 LEDE_ECORRUPT);
    /* A passage that ends before it starts is not written, nor read. */
    lede__store_record backwards = {.ordinal = 1,
                                    .start = 9,
                                    .end = 4,
                                    .has_article = 0,
                                    .title = NULL,
                                    .title_len = 0,
                                    .body = "0123456789",
                                    .body_len = 10,
                                    .date = LEDE_NO_DATE,
                                    .url = NULL,
                                    .url_len = 0,
                                    .text = NULL,
                                    .text_len = 0};
    lede__buf_clear(&b);
    assert_error(lede__store_encode(&b, &backwards), LEDE_EINVAL);
    static const char back[] = "L\001\000\001\011\004";
    assert_error(lede__store_decode(&out, &scratch, back, sizeof back - 1),
                 LEDE_ECORRUPT);
    lede__buf_free(&b);
    lede__buf_free(&scratch);
}

/* Every record holds its passage's text, and a first passage its
 * article's length: one without is damaged. */
static void test_store__text_required(void **state)
{
    (void)state;
    lede__buf scratch = LEDE__BUF_INIT;
    lede__store_record out;
    /* Ordinal 7, bytes 12 to 34, and nothing more. */
    static const char bare[] = "L\001\000\007\014\042";
    assert_error(lede__store_decode(&out, &scratch, bare, sizeof bare - 1),
                 LEDE_ECORRUPT);
    assert_string_equal(lede_error_last(),
                        "stored passage record: passage without text");
    /* A first passage with its title alone. */
    static const char first[] = "L\001\001\000\000\005\001\001T";
    assert_error(lede__store_decode(&out, &scratch, first, sizeof first - 1),
                 LEDE_ECORRUPT);
    assert_string_equal(lede_error_last(),
                        "stored passage record: article without body");
    /* No text for the bytes a passage claims. */
    lede__buf b = LEDE__BUF_INIT;
    lede__store_record none = {.ordinal = 0,
                               .start = 0,
                               .end = 5,
                               .has_article = 1,
                               .title = "T",
                               .title_len = 1,
                               .body = NULL,
                               .body_len = 5,
                               .date = LEDE_NO_DATE,
                               .url = NULL,
                               .url_len = 0,
                               .text = NULL,
                               .text_len = 0};
    assert_error(lede__store_encode(&b, &none), LEDE_EINVAL);
    assert_string_equal(lede_error_last(),
                        "passage record: no text for bytes 0 to 5");
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
        cmocka_unit_test(test_store__gaps_path_fields),
        cmocka_unit_test(test_store__corruption_detected),
        cmocka_unit_test(test_store__zlib_records_still_read),
        cmocka_unit_test(test_store__offsets_outside_body),
        cmocka_unit_test(test_store__text_required),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
