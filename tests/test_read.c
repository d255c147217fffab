/*
 * test_read.c - reading corpus files: plain and gzip input, limits, plain
 * text and JSON Lines, and the files that must be refused.
 */
#include "helpers.h"
#include "lede_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

/* Write data gzip-compressed (one member) to path. */

static int read_path(th_events *e, const char *path, const lede_read_options *o)
{
    memset(e, 0, sizeof *e);
    return lede_read_file(path, o, th_record, e);
}

static void test_read__format_names(void **state)
{
    (void)state;
    assert_int_equal(lede_format_for_name("a/b.txt"), LEDE_FORMAT_TXT);
    assert_int_equal(lede_format_for_name("b.TXT.gz"), LEDE_FORMAT_TXT);
    assert_int_equal(lede_format_for_name("x.jsonl"), LEDE_FORMAT_JSONL);
    assert_int_equal(lede_format_for_name("x.ndjson.gz"), LEDE_FORMAT_JSONL);
    assert_int_equal(lede_format_for_name("x.htm"), LEDE_FORMAT_HTML);
    assert_int_equal(lede_format_for_name("reut2-000.sgm"), LEDE_FORMAT_TREC);
    assert_int_equal(lede_format_for_name("x.gz"), LEDE_FORMAT_AUTO);
    assert_int_equal(lede_format_for_name("README"), LEDE_FORMAT_AUTO);
    assert_int_equal(lede_format_for_name(".txt"), LEDE_FORMAT_AUTO);
    assert_int_equal(lede_format_for_name(NULL), LEDE_FORMAT_AUTO);
    lede_format f;
    assert_int_equal(lede_format_parse(&f, "html"), 0);
    assert_int_equal(f, LEDE_FORMAT_HTML);
    assert_error(lede_format_parse(&f, "pdf"), LEDE_EINVAL);
    assert_int_equal(f, LEDE_FORMAT_AUTO);
    assert_error(lede_format_parse(NULL, "txt"), LEDE_EINVAL);
}

static const char story[] = "\n  Comet returns  \r\nIt was seen.\n\nTwice.\n";

static void test_read__txt(void **state)
{
    th_dir *f = *state;
    th_events e;
    th_write(th_path(f->dir, "comet.txt"), story, sizeof story - 1);
    assert_int_equal(read_path(&e, th_path(f->dir, "comet.txt"), NULL), 0);
    assert_string_equal(e.s, "A comet.txt|Comet returns|It was seen.\n\n"
                             "Twice.\n|-1| @1\n");
}

static void test_read__txt_gzip_same_article(void **state)
{
    th_dir *f = *state;
    th_events plain, gz;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.id = "the-id";
    th_write(th_path(f->dir, "a.txt"), story, sizeof story - 1);
    th_write_gz(th_path(f->dir, "a.txt.gz"), story, sizeof story - 1, "wb");
    assert_int_equal(read_path(&plain, th_path(f->dir, "a.txt"), &o), 0);
    assert_int_equal(read_path(&gz, th_path(f->dir, "a.txt.gz"), &o), 0);
    assert_string_equal(plain.s, gz.s);
    assert_int_equal(gz.articles, 1);
    /* The default id drops ".gz". */
    assert_int_equal(read_path(&gz, th_path(f->dir, "a.txt.gz"), NULL), 0);
    assert_non_null(strstr(gz.s, "A a.txt|"));
}

static void test_read__gzip_multi_member(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char *path = th_path(f->dir, "m.jsonl.gz");
    const char l1[] = "{\"id\":\"one\",\"title\":\"First\",\"text\":\"A\"}\n";
    const char l2[] = "{\"id\":\"two\",\"title\":\"Second\",\"text\":\"B\"}\n";
    char copy[4096];
    strcpy(copy, path);
    /* Two gzip members, as "cat a.gz b.gz > m.gz" makes. */
    th_write_gz(copy, l1, sizeof l1 - 1, "wb");
    th_write_gz(copy, l2, sizeof l2 - 1, "ab");
    assert_int_equal(read_path(&e, copy, NULL), 0);
    assert_string_equal(e.s, "A one|First|A|-1| @1\nA two|Second|B|-1| @2\n");
}

/* Gzip data of text, as one member, in memory. */
static size_t gz_bytes(unsigned char *out, size_t cap, const char *text,
                       size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(
        deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY),
        Z_OK);
    z.next_in = (Bytef *)text;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

static void test_read__gzip_truncated(void **state)
{
    th_dir *f = *state;
    char text[3000];
    unsigned char gz[4096];
    th_events e;
    /* 30 JSON lines; the file is cut in the middle of its gzip stream. */
    size_t len = 0;
    for (int i = 0; i < 30; i++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "{\"id\":\"n%d\",\"text\":\"line %d of %s\"}\n",
                                i, i, "many distinct words here");
    size_t n = gz_bytes(gz, sizeof gz, text, len);
    th_write(th_path(f->dir, "cut.jsonl.gz"), (char *)gz, n / 2);
    lede__error_clear();
    assert_int_equal(read_path(&e, th_path(f->dir, "cut.jsonl.gz"), NULL),
                     LEDE_ECORRUPT);
    assert_non_null(strstr(lede_error_last(), "cut.jsonl.gz"));
    assert_non_null(strstr(lede_error_last(), "truncated"));
    /* The articles before the damage were read, in order. */
    assert_true(e.articles > 0 && e.articles < 30);
    assert_non_null(strstr(e.s, "A n0|"));
}

static void test_read__gzip_damaged(void **state)
{
    th_dir *f = *state;
    unsigned char gz[4096];
    th_events e;
    char text[2000];
    memset(text, 0, sizeof text);
    for (size_t i = 0; i + 1 < sizeof text; i++)
        text[i] = "abcdefghij klmnopqrstuvwxyz\n"[(i * 7) % 28];
    size_t n = gz_bytes(gz, sizeof gz, text, strlen(text));
    gz[n / 2] ^= 0xff;
    gz[n / 2 + 1] ^= 0xff;
    th_write(th_path(f->dir, "bad.txt.gz"), (char *)gz, n);
    assert_error(read_path(&e, th_path(f->dir, "bad.txt.gz"), NULL),
                 LEDE_ECORRUPT);
    assert_non_null(strstr(lede_error_last(), "bad.txt.gz"));
    assert_int_equal(e.articles, 0);

    /* Garbage after a complete stream is an error too. */
    n = gz_bytes(gz, sizeof gz, "T\n\nbody\n", 8);
    memcpy(gz + n, "junk", 4);
    th_write(th_path(f->dir, "tail.txt.gz"), (char *)gz, n + 4);
    assert_error(read_path(&e, th_path(f->dir, "tail.txt.gz"), NULL),
                 LEDE_ECORRUPT);
    assert_non_null(strstr(lede_error_last(), "data after the gzip stream"));
}

static void test_read__gzip_bomb(void **state)
{
    th_dir *f = *state;
    th_events e;
    /* 8 MiB of one repeated line compresses about a thousandfold. */
    size_t len = 8u << 20;
    char *text = malloc(len);
    for (size_t i = 0; i < len; i++)
        text[i] = (i % 64 == 63) ? '\n' : 'a';
    th_write_gz(th_path(f->dir, "bomb.txt.gz"), text, len, "wb9");
    free(text);
    assert_error(read_path(&e, th_path(f->dir, "bomb.txt.gz"), NULL),
                 LEDE_ELIMIT);
    assert_non_null(strstr(lede_error_last(), "expands more than 200"));
    /* A higher ratio limit lets it through to the article limit. */
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.max_ratio = 100000;
    o.max_article_bytes = 1 << 20;
    assert_error(read_path(&e, th_path(f->dir, "bomb.txt.gz"), &o),
                 LEDE_ELIMIT);
    assert_non_null(strstr(lede_error_last(), "article over the limit"));
    /* And the file limit applies to decompressed bytes. */
    o.max_article_bytes = 0;
    o.max_file_bytes = 4 << 20;
    assert_error(read_path(&e, th_path(f->dir, "bomb.txt.gz"), &o),
                 LEDE_ELIMIT);
    assert_non_null(strstr(lede_error_last(), "4194304 bytes decompressed"));
}

static void test_read__jsonl(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] =
        "{\"id\":\"a1\",\"title\":\"Summit\",\"text\":\"Leaders met.\","
        "\"date\":\"2018-06-12\",\"url\":\"https://example.com/a1\"}\n"
        "\n"
        "{\"id\":7,\"title\":\"Numbered\",\"body\":\"From body.\","
        "\"date\":1528761600}\n"
        "{\"id\":\"a3\",\"title\":\"Bad date\",\"text\":\"x\","
        "\"date\":\"someday\"}\n"
        "{\"id\":\"a4\",\"text\":\"unterminated}\n"
        "[1,2,3]\n"
        "{\"title\":\"No id\",\"text\":\"y\"}\n"
        "{\"id\":\"a5\",\"title\":[\"not\",\"a\",\"string\"]}\n"
        "{\"id\":\"a6\",\"title\":\"Bad \xff byte\",\"text\":\"z\"}\n"
        "{\"id\":\"a7\",\"title\":\"Last, no newline\",\"text\":\"w\"}";
    th_write(th_path(f->dir, "n.jsonl"), text, sizeof text - 1);
    assert_int_equal(read_path(&e, th_path(f->dir, "n.jsonl"), NULL), 0);
    assert_string_equal(
        e.s,
        "A a1|Summit|Leaders met.|1528761600|https://example.com/a1 @1\n"
        "A 7|Numbered|From body.|1528761600| @3\n"
        "W @4 date 'someday' not understood; the article is kept without a "
        "date\n"
        "A a3|Bad date|x|-1| @4\n"
        "P -3 @5 malformed JSON at column 32: premature end of input near "
        "'\"unterminated}'; line skipped\n"
        "P -3 @6 not a JSON object; line skipped\n"
        "P -3 @7 no \"id\" field (a string or an integer); line skipped\n"
        "P -3 @8 a title, text, body or url field is not a string; line "
        "skipped\n"
        "W @9 invalid UTF-8 at byte 24 of the line, read as U+FFFD\n"
        "A a6|Bad \xef\xbf\xbd byte|z|-1| @9\n"
        "A a7|Last, no newline|w|-1| @10\n");
}

static void test_read__jsonl_field_names(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    const char text[] =
        "{\"docid\":\"x1\",\"headline\":\"H\",\"content\":\"C\","
        "\"published\":\"2018-06-12\",\"link\":\"u\","
        "\"text\":\"ignored\"}\n";
    o.json_id = "docid";
    o.json_title = "headline";
    o.json_text = "content";
    o.json_date = "published";
    o.json_url = "link";
    th_write(th_path(f->dir, "f.jsonl"), text, sizeof text - 1);
    assert_int_equal(read_path(&e, th_path(f->dir, "f.jsonl"), &o), 0);
    /* "text" is not read when another field is named for the text. */
    assert_string_equal(e.s, "A x1|H|C|1528761600|u @1\n"
                             "W @1 fields not indexed (first at line 1): "
                             "\"text\"\n");
}

/* An id a file gives twice: the later article replaces the earlier, and
 * the warning names both lines. */
static void test_read__jsonl_duplicate_id(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] = "{\"id\":\"a\",\"title\":\"First\"}\n"
                        "{\"id\":\"b\",\"title\":\"Other\"}\n"
                        "{\"id\":\"a\",\"title\":\"Second\"}\n"
                        "{\"id\":\"a\",\"title\":\"Third\"}\n";
    th_write(th_path(f->dir, "d.jsonl"), text, sizeof text - 1);
    assert_int_equal(read_path(&e, th_path(f->dir, "d.jsonl"), NULL), 0);
    assert_string_equal(e.s, "A a|First||-1| @1\n"
                             "A b|Other||-1| @2\n"
                             "W @3 duplicate id 'a' (also at line 1); this "
                             "article, at line 3, replaces that one\n"
                             "A a|Second||-1| @3\n"
                             "W @4 duplicate id 'a' (also at line 3); this "
                             "article, at line 4, replaces that one\n"
                             "A a|Third||-1| @4\n");
}

/* "\u0000" is valid JSON, but a NUL is no character of any text: a line
 * whose read fields hold one is skipped, naming the field, as a text file
 * holding a NUL byte is refused; fields lede does not read may, and a
 * keyword field's value holding one is left out with a warning. */
static void test_read__jsonl_nul(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] =
        "{\"id\":\"a\",\"text\":\"a\\u0000b zebra\"}\n"
        "{\"id\":\"b\\u0000c\",\"text\":\"x\"}\n"
        "{\"id\":\"c\",\"title\":\"T\",\"author\":\"x\\u0000y\"}\n"
        "{\"id\":\"d\",\"title\":\"T\",\"date\":\"2018\\u0000\"}\n";
    th_write(th_path(f->dir, "z.jsonl"), text, sizeof text - 1);
    assert_int_equal(read_path(&e, th_path(f->dir, "z.jsonl"), NULL), 0);
    assert_string_equal(e.s, "P -3 @1 \"text\" holds a NUL character "
                             "(\\u0000); line skipped\n"
                             "P -3 @2 \"id\" holds a NUL character "
                             "(\\u0000); line skipped\n"
                             "W @3 field author: a value holds a NUL "
                             "character; left out\n"
                             "A c|T||-1| @3\n"
                             "P -3 @4 \"date\" holds a NUL character "
                             "(\\u0000); line skipped\n");
}

/* Fields lede does not read are named once per file, where first seen. */
static void test_read__jsonl_ignored_fields(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] =
        "{\"id\":\"a\",\"title\":\"T\",\"body\":\"B\"}\n"
        "{\"id\":\"b\",\"title\":\"T\",\"author\":\"Kim\","
        "\"section\":\"World\"}\n"
        "{\"id\":\"c\",\"title\":\"T\",\"section\":\"UK\",\"tags\":[1]}\n";
    th_write(th_path(f->dir, "x.jsonl"), text, sizeof text - 1);
    assert_int_equal(read_path(&e, th_path(f->dir, "x.jsonl"), NULL), 0);
    assert_string_equal(e.s, "A a|T|B|-1| @1\n"
                             "A b|T||-1| @2 {author=Kim;section=World}\n"
                             "A c|T||-1| @3 {section=UK}\n"
                             "W @3 fields not indexed (first at line 3): "
                             "\"tags\"\n");
}

/* Keyword fields: a string or an array of strings, trimmed, each value
 * once; keys renamed by json_fields; declared fields read under their
 * names; what is not a string left out with a warning, and a value over
 * the limit too; the file's corpus path given to every article. */
static void test_read__jsonl_fields(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    char text[1024];
    char long_value[LEDE_FIELD_VALUE_MAX + 2];
    memset(long_value, 'x', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    snprintf(
        text, sizeof text,
        "{\"id\":\"a\",\"title\":\"T\",\"byline\":[\" Kim Lee \",\"Ann\","
        "\"Kim Lee\"],\"tag\":[\"x\",2,null],\"desk\":\"Metro\"}\n"
        "{\"id\":\"b\",\"title\":\"T\",\"section\":{\"a\":1},"
        "\"source\":\"%s\",\"author\":\"unread\"}\n"
        "{\"id\":\"c\",\"title\":\"T\",\"tag\":\"   \",\"source\":\"AP\"}\n",
        long_value);
    th_write(th_path(f->dir, "x.jsonl"), text, strlen(text));
    o.json_fields = "author=byline";
    o.fields = "desk";
    o.corpus_path = "feeds/x.jsonl";
    assert_int_equal(read_path(&e, th_path(f->dir, "x.jsonl"), &o), 0);
    assert_string_equal(
        e.s, "W @1 \"tag\": item 2 is not a string; left out\n"
             "A a|T||-1| @1 {author=Kim Lee;author=Ann;tag=x;desk=Metro} "
             "<feeds/x.jsonl>\n"
             "W @2 \"section\" is not a string or an array of strings; left "
             "out\n"
             "W @2 field source: a value of 201 bytes is over the limit of "
             "200; left out\n"
             "A b|T||-1| @2 <feeds/x.jsonl>\n"
             "A c|T||-1| @3 {source=AP} <feeds/x.jsonl>\n"
             "W @3 fields not indexed (first at line 2): \"author\"\n");
    /* A bad declared name is refused before the file is read. */
    o.fields = "desk,Bad";
    assert_error(read_path(&e, th_path(f->dir, "x.jsonl"), &o), LEDE_EINVAL);
}

/* A text file mostly not UTF-8 is Windows-1252; one with a damaged byte
 * is UTF-8 with U+FFFD; the encoding option names another charset, or
 * UTF-8 for good. JSON Lines stay UTF-8 whatever it says. */
static void test_read__encodings(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    const char latin1[] = "Caf\xe9 prices\nThe price is \xa3"
                          "5, \x93"
                          "cheap\x94.\n";
    const char damaged[] = "Caf\xc3\xa9 na\xc3\xafve\nOne bad \xa3 byte.\n";
    th_write(th_path(f->dir, "l.txt"), latin1, sizeof latin1 - 1);
    th_write(th_path(f->dir, "d.txt"), damaged, sizeof damaged - 1);

    assert_int_equal(read_path(&e, th_path(f->dir, "l.txt"), NULL), 0);
    assert_string_equal(e.s, "W @1 not UTF-8 (invalid at byte 3); read as "
                             "windows-1252\n"
                             "A l.txt|Caf\xc3\xa9 prices|The price is "
                             "\xc2\xa3"
                             "5, \xe2\x80\x9c"
                             "cheap\xe2\x80\x9d.\n|-1| @1\n");
    assert_int_equal(read_path(&e, th_path(f->dir, "d.txt"), NULL), 0);
    assert_string_equal(e.s, "W @1 invalid UTF-8 at byte 21, read as "
                             "U+FFFD\n"
                             "A d.txt|Caf\xc3\xa9 na\xc3\xafve|One bad "
                             "\xef\xbf\xbd byte.\n|-1| @1\n");
    o.encoding = "utf-8";
    assert_int_equal(read_path(&e, th_path(f->dir, "l.txt"), &o), 0);
    assert_string_equal(e.s, "W @1 invalid UTF-8 at byte 3, read as U+FFFD\n"
                             "A l.txt|Caf\xef\xbf\xbd prices|The price is "
                             "\xef\xbf\xbd"
                             "5, \xef\xbf\xbd"
                             "cheap\xef\xbf\xbd.\n|-1| @1\n");
    o.encoding = "ISO-8859-1";
    assert_int_equal(read_path(&e, th_path(f->dir, "l.txt"), &o), 0);
    assert_string_equal(e.s, "A l.txt|Caf\xc3\xa9 prices|The price is "
                             "\xc2\xa3"
                             "5, \xc2\x93"
                             "cheap\xc2\x94.\n|-1| @1\n");

    const char json[] = "{\"id\":\"j\",\"title\":\"Caf\xe9\"}\n";
    th_write(th_path(f->dir, "j.jsonl"), json, sizeof json - 1);
    assert_int_equal(read_path(&e, th_path(f->dir, "j.jsonl"), &o), 0);
    assert_string_equal(e.s, "W @1 invalid UTF-8 at byte 22 of the line, "
                             "read as U+FFFD\n"
                             "A j|Caf\xef\xbf\xbd||-1| @1\n");

    /* Names that are no charset, or one lede cannot read. */
    o.encoding = "klingon";
    assert_error(read_path(&e, th_path(f->dir, "l.txt"), &o), LEDE_EINVAL);
    assert_string_equal(lede_error_last(),
                        "unknown character encoding 'klingon'");
    o.encoding = "UTF-16";
    assert_error(read_path(&e, th_path(f->dir, "l.txt"), &o), LEDE_EINVAL);
    assert_int_equal(e.events, 0);
}

/* A file that is valid UTF-8, and not plain ASCII, is UTF-8 whatever
 * charset the option names: legacy bytes almost never form valid UTF-8,
 * and decoding it would garble every accent. It is said once. */
static void test_read__encoding_option_keeps_utf8(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    const char utf8[] = "Caf\xc3\xa9 / na\xc3\xafve text\nMore \xc3\xbc.\n";
    const char koi8[] = "\xf0\xd2\xc9\xd7\xc5\xd4\n";
    th_write(th_path(f->dir, "u.txt"), utf8, sizeof utf8 - 1);
    th_write(th_path(f->dir, "k.txt"), koi8, sizeof koi8 - 1);
    th_write(th_path(f->dir, "a.txt"), "Plain\n", 6);
    o.encoding = "koi8-r";
    assert_int_equal(read_path(&e, th_path(f->dir, "u.txt"), &o), 0);
    assert_string_equal(e.s, "W @1 valid UTF-8: read as UTF-8, not as koi8-r\n"
                             "A u.txt|Caf\xc3\xa9 / na\xc3\xafve text|More "
                             "\xc3\xbc.\n|-1| @1\n");
    /* "Привет" in KOI8-R; ASCII is the same in both, and needs no word. */
    assert_int_equal(read_path(&e, th_path(f->dir, "k.txt"), &o), 0);
    assert_string_equal(e.s, "A k.txt|\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2"
                             "\xd0\xb5\xd1\x82||-1| @1\n");
    assert_int_equal(read_path(&e, th_path(f->dir, "a.txt"), &o), 0);
    assert_string_equal(e.s, "A a.txt|Plain||-1| @1\n");
}

/* A caller built before encoding was added passes the shorter struct of
 * version 1, which must be read as such. */
static void test_read__options_version1(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char latin1[] = "Caf\xe9\n";
    /* Allocated at its old size, so that reading past it is caught by
     * the sanitizers and valgrind. */
    lede_read_options *small = malloc(offsetof(lede_read_options, encoding));
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    assert_non_null(small);
    o.version = 1;
    memcpy(small, &o, offsetof(lede_read_options, encoding));
    th_write(th_path(f->dir, "l.txt"), latin1, sizeof latin1 - 1);
    assert_int_equal(read_path(&e, th_path(f->dir, "l.txt"), small), 0);
    assert_string_equal(e.s, "W @1 not UTF-8 (invalid at byte 3); read as "
                             "windows-1252\n"
                             "A l.txt|Caf\xc3\xa9||-1| @1\n");
    free(small);
}

static void test_read__jsonl_long_line_bounded(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.max_article_bytes = 1000;
    /* One 5000-byte line between two good ones: skipped, the rest read. */
    char text[6000];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":"
                                "\"big\",\"text\":\"");
    memset(text + n, 'x', 5000);
    n += 5000;
    n += (size_t)snprintf(text + n, sizeof text - n,
                          "\"}\n{\"id\":\"b\",\"text\":\"two\"}\n");
    th_write(th_path(f->dir, "l.jsonl"), text, n);
    assert_int_equal(read_path(&e, th_path(f->dir, "l.jsonl"), &o), 0);
    assert_string_equal(e.s, "A a||one|-1| @1\n"
                             "P -10 @2 line over the limit of 1000 bytes; "
                             "skipped\n"
                             "A b||two|-1| @3\n");
}

static void test_read__refused_files(void **state)
{
    th_dir *f = *state;
    th_events e;

    th_write(th_path(f->dir, "bin.txt"), "Title\n\nab\0cd", 13);
    assert_error(read_path(&e, th_path(f->dir, "bin.txt"), NULL), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "binary file"));

    assert_error(read_path(&e, th_path(f->dir, "missing.txt"), NULL),
                 LEDE_ENOTFOUND);
    assert_non_null(strstr(lede_error_last(), "missing.txt"));

    assert_int_equal(mkfifo(th_path(f->dir, "fifo.txt"), 0600), 0);
    assert_error(read_path(&e, th_path(f->dir, "fifo.txt"), NULL), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "not a regular file"));

    th_write(th_path(f->dir, "real.txt"), story, sizeof story - 1);
    char target[4096];
    strcpy(target, th_path(f->dir, "real.txt"));
    assert_int_equal(symlink(target, th_path(f->dir, "link.txt")), 0);
    assert_error(read_path(&e, th_path(f->dir, "link.txt"), NULL), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "symbolic link"));

    th_write(th_path(f->dir, "notes.md"), "x", 1);
    assert_error(read_path(&e, th_path(f->dir, "notes.md"), NULL), LEDE_EINVAL);
    assert_non_null(strstr(lede_error_last(), "no format"));

    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.version = 0;
    assert_error(read_path(&e, target, &o), LEDE_EINVAL);
    assert_error(lede_read_file(target, NULL, NULL, NULL), LEDE_EINVAL);
    assert_int_equal(e.articles, 0);
}

static void test_read__one_article_limit(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.max_article_bytes = 100;
    char text[200];
    memset(text, 'w', sizeof text);
    th_write(th_path(f->dir, "big.txt"), text, sizeof text);
    assert_error(read_path(&e, th_path(f->dir, "big.txt"), &o), LEDE_ELIMIT);
    assert_non_null(strstr(lede_error_last(), "big.txt"));
    assert_int_equal(e.articles, 0);
}

static int stop_first(const lede_read_event *ev, void *payload)
{
    (void)ev;
    ++*(int *)payload;
    return 17;
}

static void test_read__callback_stops(void **state)
{
    th_dir *f = *state;
    const char text[] = "{\"id\":\"a\",\"text\":\"1\"}\n"
                        "{\"id\":\"b\",\"text\":\"2\"}\n";
    int calls = 0;
    th_write(th_path(f->dir, "s.jsonl"), text, sizeof text - 1);
    assert_int_equal(
        lede_read_file(th_path(f->dir, "s.jsonl"), NULL, stop_first, &calls),
        17);
    assert_int_equal(calls, 1);
}

static void test_read__hash_covers_file(void **state)
{
    th_dir *f = *state;
    th_events e;
    uint64_t h1 = 0, h2 = 0, h3 = 0;
    th_write(th_path(f->dir, "h.txt"), story, sizeof story - 1);
    memset(&e, 0, sizeof e);
    assert_int_equal(lede__reader_file(th_path(f->dir, "h.txt"), NULL,
                                       th_record, &e, &h1, NULL),
                     0);
    assert_true(h1 == lede__hash(LEDE__HASH_INIT, story, sizeof story - 1));
    memset(&e, 0, sizeof e);
    assert_int_equal(lede__reader_file(th_path(f->dir, "h.txt"), NULL,
                                       th_record, &e, &h2, NULL),
                     0);
    assert_true(h1 == h2);
    th_write(th_path(f->dir, "h.txt"), story, sizeof story - 2);
    memset(&e, 0, sizeof e);
    assert_int_equal(lede__reader_file(th_path(f->dir, "h.txt"), NULL,
                                       th_record, &e, &h3, NULL),
                     0);
    assert_true(h1 != h3);
}

int main(void)
{
#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, th_setup_dir, th_teardown_dir)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read__format_names),
        T(test_read__txt),
        T(test_read__txt_gzip_same_article),
        T(test_read__gzip_multi_member),
        T(test_read__gzip_truncated),
        T(test_read__gzip_damaged),
        T(test_read__gzip_bomb),
        T(test_read__jsonl),
        T(test_read__jsonl_field_names),
        T(test_read__jsonl_duplicate_id),
        T(test_read__jsonl_fields),
        T(test_read__jsonl_ignored_fields),
        T(test_read__jsonl_nul),
        T(test_read__encodings),
        T(test_read__encoding_option_keeps_utf8),
        T(test_read__options_version1),
        T(test_read__jsonl_long_line_bounded),
        T(test_read__refused_files),
        T(test_read__one_article_limit),
        T(test_read__callback_stops),
        T(test_read__hash_covers_file),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
