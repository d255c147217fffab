/*
 * test_buf.c - byte buffers, varints and the UTF-8 reader.
 */
#include "helpers.h"
#include "lede_int.h"

#include <stdlib.h>
#include <string.h>

#define T(s) s, sizeof(s) - 1

typedef struct {
    const char *in;  /* input bytes */
    size_t len;      /* their length */
    size_t bad;      /* expected lede__utf8_check() */
    const char *out; /* expected sanitized text */
    size_t replaced; /* expected replacements */
} utf8_row;

#define FFFD "\xef\xbf\xbd"

static const utf8_row utf8_rows[] = {
    {T("plain ascii"), 11, "plain ascii", 0},
    {T(""), 0, "", 0},
    {T("caf\xc3\xa9 \xe6\x9d\xb1 \xf0\x9f\x98\x80"), 14,
     "caf\xc3\xa9 \xe6\x9d\xb1 \xf0\x9f\x98\x80", 0},
    {T("a\xff"
       "b"),
     1, "a" FFFD "b", 1},
    /* A truncated sequence is one maximal subpart: one U+FFFD. */
    {T("ab\xe2\x82"), 2, "ab" FFFD, 1},
    {T("\xf0\x9f\x98 x"), 0, FFFD " x", 1},
    /* Overlong encodings and surrogates: every byte is its own subpart. */
    {T("\xc0\xaf"), 0, FFFD FFFD, 2},
    {T("\xed\xa0\x80"), 0, FFFD FFFD FFFD, 3},
    {T("\xf4\x90\x80\x80"), 0, FFFD FFFD FFFD FFFD, 4},
    {T("x\x80y"), 1, "x" FFFD "y", 1},
    {T("a\0b"), 1, "a" FFFD "b", 1},
};

static void test_buf__utf8_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof utf8_rows / sizeof *utf8_rows; i++) {
        const utf8_row *r = &utf8_rows[i];
        lede__buf b = LEDE__BUF_INIT;
        size_t replaced = 99;
        assert_int_equal(lede__utf8_check(r->in, r->len), r->bad);
        assert_int_equal(lede_utf8_check(r->in, r->len), r->bad);
        assert_int_equal(lede__utf8_sanitize(&b, r->in, r->len, &replaced), 0);
        assert_int_equal(b.len, strlen(r->out));
        assert_memory_equal(b.data, r->out, b.len);
        assert_int_equal(replaced, r->replaced);
        lede__buf_free(&b);
    }
}

static void test_buf__utf8_check_null(void **state)
{
    (void)state;
    assert_int_equal(lede_utf8_check(NULL, 0), 0);
}

static void test_buf__varint_round_trip(void **state)
{
    (void)state;
    const uint64_t values[] = {0,         1,          127,
                               128,       300,        16383,
                               16384,     UINT32_MAX, (uint64_t)UINT32_MAX + 1,
                               UINT64_MAX};
    const size_t sizes[] = {1, 1, 1, 2, 2, 2, 3, 5, 5, 10};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        lede__buf b = LEDE__BUF_INIT;
        assert_int_equal(lede__buf_put_varint(&b, values[i]), 0);
        assert_int_equal(b.len, sizes[i]);
        const unsigned char *p = (const unsigned char *)b.data;
        uint64_t v = 0;
        assert_int_equal(lede__varint_get(&v, &p, p + b.len), 0);
        assert_true(v == values[i]);
        assert_ptr_equal(p, (const unsigned char *)b.data + b.len);
        /* Any truncation is an error, never a wrong value. */
        for (size_t cut = 0; cut < b.len; cut++) {
            p = (const unsigned char *)b.data;
            assert_int_equal(lede__varint_get(&v, &p, p + cut), -1);
        }
        lede__buf_free(&b);
    }
}

static void test_buf__varint_too_long(void **state)
{
    (void)state;
    const unsigned char eleven[11] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                      0x80, 0x80, 0x80, 0x80, 0x01};
    const unsigned char *p = eleven;
    uint64_t v;
    assert_int_equal(lede__varint_get(&v, &p, eleven + 11), -1);
}

static void test_buf__put_and_printf(void **state)
{
    (void)state;
    lede__buf b = LEDE__BUF_INIT;
    assert_int_equal(lede__buf_puts(&b, "passage "), 0);
    assert_int_equal(lede__buf_printf(&b, "%d of %s", 3, "ten"), 0);
    assert_string_equal(b.data, "passage 3 of ten");
    assert_int_equal(b.len, 16);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(lede__buf_putc(&b, 'x'), 0);
    assert_int_equal(b.len, 1016);
    assert_int_equal(b.data[1016], '\0');
    lede__buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    lede__buf_free(&b);
    assert_null(b.data);
}

static void test_buf__strerror_and_version(void **state)
{
    (void)state;
    for (int code = LEDE__ECODE_LOWEST; code <= LEDE_OK; code++) {
        assert_non_null(lede_strerror(code));
        assert_string_not_equal(lede_strerror(code), "unknown error");
    }
    assert_string_equal(lede_strerror(-1000), "unknown error");
    assert_string_equal(lede_version(), LEDE_VERSION);
}

static void test_buf__error_message_recorded(void **state)
{
    (void)state;
    assert_int_equal(lede__error_set(LEDE_EIO, "%s: %d", "file.txt", 7),
                     LEDE_EIO);
    assert_string_equal(lede_error_last(), "file.txt: 7");
}

/* A buffer is a string from its first reservation on, also when nothing
 * is put in it: lede_results_snippet() hands out an empty one as "". The
 * block freed first is the one malloc gives back, so stale bytes would
 * show. */
static void test_buf__reserve_terminates_empty(void **state)
{
    (void)state;
    char *junk = malloc(64);
    assert_non_null(junk);
    memset(junk, 'x', 64);
    free(junk);
    lede__buf b = LEDE__BUF_INIT;
    assert_int_equal(lede__buf_reserve(&b, 0), 0);
    assert_non_null(b.data);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    /* Reserving more keeps what is there, terminated. */
    assert_int_equal(lede__buf_puts(&b, "abc"), 0);
    assert_int_equal(lede__buf_reserve(&b, 1000), 0);
    assert_string_equal(b.data, "abc");
    lede__buf_clear(&b);
    assert_int_equal(lede__buf_reserve(&b, 10), 0);
    assert_string_equal(b.data, "");
    lede__buf_free(&b);
    /* Sanitizing nothing gives "" too. */
    assert_int_equal(lede__utf8_sanitize(&b, "", 0, NULL), 0);
    assert_string_equal(b.data, "");
    lede__buf_free(&b);
}

/* A message that wraps the last one ("%s: cannot compact: %s", ...,
 * lede_error_last()) reads from the buffer it writes. */
static void test_buf__error_message_wraps_last(void **state)
{
    (void)state;
    lede__error_set(LEDE_EINDEX, "Error writing block 9 (No space left)");
    assert_int_equal(lede__error_set(LEDE_EIO, "%s: cannot compact: %s",
                                     "/data/idx", lede_error_last()),
                     LEDE_EIO);
    assert_string_equal(lede_error_last(), "/data/idx: cannot compact: Error "
                                           "writing block 9 (No space left)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf__utf8_table),
        cmocka_unit_test(test_buf__utf8_check_null),
        cmocka_unit_test(test_buf__varint_round_trip),
        cmocka_unit_test(test_buf__varint_too_long),
        cmocka_unit_test(test_buf__put_and_printf),
        cmocka_unit_test(test_buf__reserve_terminates_empty),
        cmocka_unit_test(test_buf__strerror_and_version),
        cmocka_unit_test(test_buf__error_message_recorded),
        cmocka_unit_test(test_buf__error_message_wraps_last),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
