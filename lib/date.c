/*
 * date.c - reading the dates of news collections, and their stored form.
 *
 * Owns the date formats lede understands and the conversion between
 * calendar dates and seconds since 1970 (UTC, proleptic Gregorian, no
 * leap seconds), written out here because timegm() is not standard C and
 * depends on the process's time zone settings. Calls nothing else.
 */
#include "lede_int.h"

#include <stdio.h>
#include <string.h>

static const char *const months[12] = {"jan", "feb", "mar", "apr",
                                       "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"};

/* Days from 1970-01-01 to y-m-d: count days in whole 400-year eras of a
 * calendar that starts on March 1st, where the leap day falls at the end
 * of each year. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);                      /* 0..399 */
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365 */
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30,
                                      31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* A cursor over the date text. */
typedef struct {
    const char *p;   /* next character */
    const char *end; /* end of text */
} cur;

static int at_end(const cur *c)
{
    return c->p >= c->end;
}

static int peek(const cur *c)
{
    return at_end(c) ? -1 : (unsigned char)*c->p;
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_alpha(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static void skip_spaces(cur *c)
{
    while (peek(c) == ' ' || peek(c) == '\t')
        c->p++;
}

/* Exactly n digits (n == 0: one or more, at most 9). */
static int number(cur *c, int n, long *out)
{
    long v = 0;
    int k = 0;
    while (is_digit(peek(c)) && (n == 0 ? k < 9 : k < n)) {
        v = v * 10 + (*c->p++ - '0');
        k++;
    }
    if (k == 0 || (n > 0 && k != n) || (n == 0 && is_digit(peek(c))))
        return -1;
    *out = v;
    return 0;
}

static int accept(cur *c, char ch)
{
    if (peek(c) != ch)
        return 0;
    c->p++;
    return 1;
}

/* A month name (three letters or whole, any case): 1..12, or -1. */
static int month_name(cur *c)
{
    char w[16];
    size_t n = 0;
    while (is_alpha(peek(c)) && n < sizeof w - 1) {
        int ch = *c->p++;
        w[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    w[n] = '\0';
    if (n < 3 || is_alpha(peek(c)))
        return -1;
    accept(c, '.');
    for (int i = 0; i < 12; i++) {
        if (strncmp(w, months[i], 3) == 0)
            return i + 1;
    }
    return -1;
}

/* [hh:mm[:ss[.frac]]] after a date; seconds of the day, or -1. */
static long time_of_day(cur *c)
{
    long h, m, s = 0;
    if (number(c, 0, &h) < 0 || !accept(c, ':') || number(c, 2, &m) < 0)
        return -1;
    if (accept(c, ':')) {
        if (number(c, 2, &s) < 0)
            return -1;
        if (accept(c, '.') || accept(c, ','))
            while (is_digit(peek(c)))
                c->p++;
    }
    if (h > 24 || m > 59 || s > 60 || (h == 24 && (m || s)))
        return -1;
    return h * 3600 + m * 60 + s;
}

/* A zone: Z, UT, UTC, GMT, US zones, +hh, +hhmm, +hh:mm. Seconds east of
 * UTC in *off; 0 when there is none. */
static int zone(cur *c, long *off)
{
    static const struct {
        const char *name;
        int hours;
    } names[] = {{"z", 0},    {"ut", 0},   {"utc", 0},  {"gmt", 0},
                 {"est", -5}, {"edt", -4}, {"cst", -6}, {"cdt", -5},
                 {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
    *off = 0;
    skip_spaces(c);
    if (at_end(c))
        return 0;
    if (peek(c) == '+' || peek(c) == '-') {
        int sign = *c->p++ == '-' ? -1 : 1;
        long h, m = 0;
        if (number(c, 2, &h) < 0)
            return -1;
        accept(c, ':');
        if (is_digit(peek(c)) && number(c, 2, &m) < 0)
            return -1;
        if (h > 23 || m > 59)
            return -1;
        *off = sign * (h * 3600 + m * 60);
        return 0;
    }
    char w[8];
    size_t n = 0;
    while (is_alpha(peek(c)) && n < sizeof w - 1) {
        int ch = *c->p++;
        w[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    w[n] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (strcmp(w, names[i].name) == 0) {
            *off = names[i].hours * 3600L;
            return 0;
        }
    }
    return -1;
}

static int finish(int64_t *out, cur *c, long y, long m, long d, long secs,
                  long off)
{
    skip_spaces(c);
    if (!at_end(c) || y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        (unsigned long)d > month_days(y, (unsigned)m))
        return -1;
    *out = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + secs - off;
    return 0;
}

/* Optional time and zone after a date, then the end. */
static int rest(int64_t *out, cur *c, long y, long m, long d)
{
    long secs = 0, off = 0;
    int has_time = accept(c, 'T') || accept(c, 't');
    skip_spaces(c);
    if (has_time || is_digit(peek(c))) {
        if ((secs = time_of_day(c)) < 0)
            return -1;
    }
    if (zone(c, &off) < 0)
        return -1;
    return finish(out, c, y, m, d, secs, off);
}

/* 2018-06-12[T08:00[:00[.000]][Z|+08:00]], 2018-06, 2018. */
static int iso(int64_t *out, cur c)
{
    long y, m = 1, d = 1;
    if (number(&c, 4, &y) < 0)
        return -1;
    if (accept(&c, '-')) {
        if (number(&c, 2, &m) < 0)
            return -1;
        if (accept(&c, '-') && number(&c, 2, &d) < 0)
            return -1;
    }
    return rest(out, &c, y, m, d);
}

/* 20180612, 20180612083000, 880101 (two-digit years: 50..99 are 19xx). */
static int compact(int64_t *out, cur c)
{
    long y, m, d, h = 0, mi = 0, s = 0;
    size_t n = 0;
    while (c.p + n < c.end && is_digit((unsigned char)c.p[n]))
        n++;
    if (n == 6) {
        if (number(&c, 2, &y) < 0)
            return -1;
        y += y >= 50 ? 1900 : 2000;
    } else if ((n == 8 || n == 14) && number(&c, 4, &y) < 0) {
        return -1;
    } else if (n != 8 && n != 14) {
        return -1;
    }
    if (number(&c, 2, &m) < 0 || number(&c, 2, &d) < 0)
        return -1;
    if (n == 14 && (number(&c, 2, &h) < 0 || number(&c, 2, &mi) < 0 ||
                    number(&c, 2, &s) < 0 || h > 23 || mi > 59 || s > 60))
        return -1;
    return finish(out, &c, y, m, d, h * 3600 + mi * 60 + s, 0);
}

/* 26-FEB-1987 15:01:01.79 (Reuters), 12 Jun 2018 08:00:00 +0800 and
 * Tue, 12 Jun 2018 ... (RFC 2822), 12 June 2018. */
static int day_month_year(int64_t *out, cur c)
{
    long y, m, d;
    if (is_alpha(peek(&c))) { /* weekday */
        while (is_alpha(peek(&c)))
            c.p++;
        accept(&c, ',');
        skip_spaces(&c);
    }
    if (number(&c, 0, &d) < 0)
        return -1;
    if (!accept(&c, '-'))
        skip_spaces(&c);
    if ((m = month_name(&c)) < 0)
        return -1;
    if (!accept(&c, '-'))
        skip_spaces(&c);
    if (number(&c, 4, &y) < 0)
        return -1;
    return rest(out, &c, y, m, d);
}

/* June 12, 2018 and Jun 12 2018 (AP, TREC). */
static int month_day_year(int64_t *out, cur c)
{
    long y, m, d;
    if ((m = month_name(&c)) < 0)
        return -1;
    skip_spaces(&c);
    if (number(&c, 0, &d) < 0)
        return -1;
    accept(&c, ',');
    skip_spaces(&c);
    if (number(&c, 4, &y) < 0)
        return -1;
    return rest(out, &c, y, m, d);
}

int lede__date_parse(int64_t *out, const char *s, size_t len)
{
    cur c = {s, s + len};
    while (c.p < c.end &&
           (*c.p == ' ' || *c.p == '\t' || *c.p == '\n' || *c.p == '\r'))
        c.p++;
    while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t' ||
                           c.end[-1] == '\n' || c.end[-1] == '\r'))
        c.end--;
    if (at_end(&c))
        return -1;
    if (compact(out, c) == 0 || iso(out, c) == 0 ||
        day_month_year(out, c) == 0 || month_day_year(out, c) == 0)
        return 0;
    return -1;
}

void lede__date_format(char *buf, int64_t t)
{
    int64_t days = t / 86400, secs = t % 86400, y;
    unsigned m, d;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    if (y < 0) {
        memcpy(buf, "00000101000000", 15);
        return;
    }
    if (y > 9999) {
        memcpy(buf, "99991231235959", 15);
        return;
    }
    char tmp[64]; /* room for any int, to keep the compiler sure */
    snprintf(tmp, sizeof tmp, "%04d%02u%02u%02d%02d%02d", (int)y, m, d,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    memcpy(buf, tmp, 15);
}

int lede__date_span(int64_t *first, int64_t *last, const char *s, size_t len)
{
    cur c = {s, s + len};
    long y, m = 0, d = 0;
    int has_m = 0, has_d = 0;
    if (number(&c, 4, &y) < 0)
        return LEDE__DATE_FORM;
    if (accept(&c, '-')) {
        if (number(&c, 2, &m) < 0)
            return LEDE__DATE_FORM;
        has_m = 1;
        if (accept(&c, '-')) {
            if (number(&c, 2, &d) < 0)
                return LEDE__DATE_FORM;
            has_d = 1;
        }
    }
    if (!at_end(&c))
        return LEDE__DATE_FORM;
    /* The form is right; a month or day that does not exist (2018-13,
     * 1987-02-30, 2018-06-00) is told apart so that the message can say
     * so rather than blame the form. */
    if (has_m && (m < 1 || m > 12))
        return LEDE__DATE_NO_MONTH;
    if (has_d && (d < 1 || (unsigned long)d > month_days(y, (unsigned)m)))
        return LEDE__DATE_NO_DAY;
    int64_t day = days_from_civil(y, m ? (unsigned)m : 1, d ? (unsigned)d : 1);
    /* The last day: of the day itself, of its month, or of its year. */
    int64_t end = d   ? day
                  : m ? day + month_days(y, (unsigned)m) - 1
                      : days_from_civil(y + 1, 1, 1) - 1;
    *first = day * 86400;
    *last = end * 86400 + 86399;
    return 0;
}
