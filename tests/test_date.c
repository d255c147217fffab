/*
 * test_date.c - the date forms lede reads, and their stored form.
 *
 * Expected values are seconds since 1970 UTC, worked out by hand from
 * 2018-06-12 = 17694 days after 1970-01-01 (1528761600 s) and similar
 * anchors noted beside each row.
 */
#include "helpers.h"
#include "lede_int.h"

#include <string.h>

typedef struct {
    const char *text; /* input */
    int ok;           /* parses? */
    int64_t want;     /* seconds since 1970 */
} row;

static const row rows[] = {
    /* 2018-06-12 00:00 UTC = 17694 * 86400 */
    {"2018-06-12", 1, 1528761600},
    {"  2018-06-12\n", 1, 1528761600},
    {"20180612", 1, 1528761600},
    {"2018-06-12T08:30:15Z", 1, 1528761600 + 8 * 3600 + 30 * 60 + 15},
    {"2018-06-12T08:30:15.250Z", 1, 1528761600 + 30615},
    {"2018-06-12 08:30", 1, 1528761600 + 30600},
    /* 08:00 in Singapore (+08:00) is midnight UTC. */
    {"2018-06-12T08:00:00+08:00", 1, 1528761600},
    {"2018-06-12T08:00:00+0800", 1, 1528761600},
    {"2018-06-11T19:00:00-05:00", 1, 1528761600},
    {"Tue, 12 Jun 2018 08:00:00 +0800", 1, 1528761600},
    {"12 Jun 2018 00:00:00 GMT", 1, 1528761600},
    {"12 June 2018", 1, 1528761600},
    {"June 12, 2018", 1, 1528761600},
    {"Jun 12 2018", 1, 1528761600},
    {"Mon, 11 Jun 2018 20:00:00 EDT", 1, 1528761600},
    /* Reuters: 1987-02-26 is 6265 days after 1970-01-01. */
    {"26-FEB-1987 15:01:01.79", 1, 6265LL * 86400 + 15 * 3600 + 61},
    {"26-feb-1987", 1, 6265LL * 86400},
    /* TREC AP/WSJ six-digit dates: 1988-01-01 is 6574 days. */
    {"880101", 1, 6574LL * 86400},
    {"20180612083015", 1, 1528761600 + 30615},
    {"2018", 1, 17532LL * 86400}, /* 2018-01-01 */
    {"2018-06", 1, 17683LL * 86400},
    /* Leap days and the ends of months. */
    {"2020-02-29", 1, 18321LL * 86400},
    {"2000-02-29", 1, 11016LL * 86400},
    {"1969-12-31T23:59:59Z", 1, -1},
    {"1900-03-01", 1, -25508LL * 86400},
    /* Not dates. */
    {"2019-02-29", 0, 0},
    {"2018-13-01", 0, 0},
    {"2018-06-31", 0, 0},
    {"2018-06-12T25:00", 0, 0},
    {"yesterday", 0, 0},
    {"", 0, 0},
    {"   ", 0, 0},
    {"12 Foo 2018", 0, 0},
    {"2018-06-12 junk", 0, 0},
    {"2018-06-12T08:00+99:00", 0, 0},
    {"123456789012345678901234", 0, 0},
};

static void test_date__parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int64_t t = 12345;
        int rc = lede__date_parse(&t, rows[i].text, strlen(rows[i].text));
        if (rows[i].ok) {
            if (rc != 0)
                fail_msg("'%s' should parse", rows[i].text);
            if (t != rows[i].want)
                fail_msg("'%s': %lld, expected %lld", rows[i].text,
                         (long long)t, (long long)rows[i].want);
        } else if (rc == 0) {
            fail_msg("'%s' should not parse", rows[i].text);
        }
    }
}

static void test_date__format(void **state)
{
    (void)state;
    char buf[15];
    lede__date_format(buf, 1528761600 + 30615);
    assert_string_equal(buf, "20180612083015");
    lede__date_format(buf, -1);
    assert_string_equal(buf, "19691231235959");
    lede__date_format(buf, 0);
    assert_string_equal(buf, "19700101000000");
    lede__date_format(buf, INT64_MIN / 2);
    assert_string_equal(buf, "00000101000000");
    lede__date_format(buf, INT64_MAX / 2);
    assert_string_equal(buf, "99991231235959");
}

/* Every day from 1900 to 2100 survives format -> parse. */
static void test_date__round_trip(void **state)
{
    (void)state;
    char buf[15];
    for (int64_t day = -25567; day < 47482; day++) {
        int64_t t = day * 86400 + 45296, back; /* 12:34:56 */
        lede__date_format(buf, t);
        assert_int_equal(lede__date_parse(&back, buf, 14), 0);
        assert_true(back == t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date__parse_table),
        cmocka_unit_test(test_date__format),
        cmocka_unit_test(test_date__round_trip),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
