/*
 * test_formats.c - the HTML and TREC/Reuters readers, through
 * lede_read_file(): titles, bodies and their paragraph breaks, ids, dates,
 * URLs, encodings, line numbers and the problems a bad record reports.
 * Every fixture is written here for the tests.
 */
#include "helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

/* 2018-06-12T00:00:00Z and 1987-02-26T15:01:01Z in seconds since 1970. */
#define JUNE_12_2018 1528761600
#define FEB_26_1987_150101 541350061

/* Write text to dir/name and read it back with options o (may be NULL). */
static int read_text(th_events *e, th_dir *f, const char *name,
                     const char *text, size_t len, const lede_read_options *o)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", th_path(f->dir, name));
    th_write(path, text, len);
    memset(e, 0, sizeof *e);
    return lede_read_file(path, o, th_record, e);
}

#define READ(e, f, name, text, o) read_text(e, f, name, text, strlen(text), o)

/* ---- HTML ---------------------------------------------------------------- */

static const char page[] =
    "<!DOCTYPE html>\n"
    "<html><head><title>  Summit   in\n Singapore </title>\n"
    "<meta property=\"article:published_time\" "
    "content=\"2018-06-12T10:00:00Z\">\n"
    "<meta property=\"og:url\" content=\"https://example.com/og\">\n"
    "<link rel=\"stylesheet\" href=\"/s.css\">\n"
    "<link rel=\"canonical\" href=\" https://example.com/summit \">\n"
    "<style>p { color: red }</style>\n"
    "<script>var x = \"<p>not text</p>\";</script>\n"
    "</head>\n"
    "<body>\n"
    "<header><h1>The Daily Site</h1></header>\n"
    "<nav><ul><li>Home</li><li>World</li></ul></nav>\n"
    "<article>\n"
    "<h1>Leaders   meet</h1>\n"
    "<p>Kim and <b>Trump</b> met in Sin<i>gapore</i>.\n"
    "   They   talked.</p>\n"
    "<p>Line one<br>line two<br/><br>line three</p>\n"
    "<div>div text<div>nested</div>tail</div>\n"
    "<p>   </p><p></p>\n"
    "<table><tr><td>a1</td><td>b1</td></tr><tr><th>c2</th></tr></table>\n"
    "<ul><li>one</li><li>two</li></ul>\n"
    "<blockquote>Quoted<pre>  pre   text\n  kept  </pre></blockquote>\n"
    "<noscript>Enable JavaScript</noscript>\n"
    "<form><p>Subscribe</p><button>Go</button></form>\n"
    "<aside>Related stories</aside>\n"
    "<iframe src=\"x\">frame</iframe>\n"
    "<script>document.write('no');</script>\n"
    "<template><p>template</p></template>\n"
    "<svg><title>icon</title><text>svg text</text></svg>\n"
    "<select><option>opt</option></select>\n"
    "<p>Last <span>words</span><!-- a comment -->.</p>\n"
    "</article>\n"
    "<footer>Copyright 2018</footer>\n"
    "</body></html>\n";

static const char page_body[] = "Leaders meet\n\n"
                                "Kim and Trump met in Singapore. They talked."
                                "\n\n"
                                "Line one\n\nline two\n\nline three\n\n"
                                "div text\n\nnested\n\ntail\n\n"
                                "a1 b1\n\nc2\n\n"
                                "one\n\ntwo\n\n"
                                "Quoted\n\npre text kept\n\n"
                                "Last words.";

static void test_formats__html_article(void **state)
{
    th_dir *f = *state;
    th_events e;
    char want[2048];
    assert_int_equal(READ(&e, f, "summit.html", page, NULL), 0);
    snprintf(want, sizeof want,
             "A summit.html|Summit in Singapore|%s|%d|"
             "https://example.com/summit @0\n",
             page_body, JUNE_12_2018 + 10 * 3600);
    assert_string_equal(e.s, want);
}

static void test_formats__html_id_option_and_htm(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.id = "news/42";
    assert_int_equal(READ(&e, f, "page.htm", "<title>T</title><p>B</p>", &o),
                     0);
    assert_string_equal(e.s, "A news/42|T|B|-1| @0\n");
    /* A name of no format is read as HTML when the options say so. */
    o.id = NULL;
    o.format = LEDE_FORMAT_HTML;
    assert_int_equal(READ(&e, f, "page.dat", "<title>T</title><p>B</p>", &o),
                     0);
    assert_string_equal(e.s, "A page.dat|T|B|-1| @0\n");
}

static void test_formats__html_entities(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] =
        "<title>Caf&eacute; &amp; bar</title>"
        "<p>Fish &amp; chips &lt;b&gt; &eacute;t&#233; &#x263A; &quot;q&quot;"
        "</p><p>a&nbsp;b&nbsp;&nbsp;c &nbsp; d</p><p>&nbsp;&nbsp;</p>"
        "<p>&#8212;&#x1F600;</p>";
    /* &nbsp; is read as a space: runs of it collapse, and a paragraph of
     * nothing else is none. */
    assert_int_equal(READ(&e, f, "ent.html", text, NULL), 0);
    assert_string_equal(e.s, "A ent.html|Caf\xc3\xa9 & bar|Fish & chips <b> "
                             "\xc3\xa9t\xc3\xa9 \xe2\x98\xba \"q\"\n\n"
                             "a b c d\n\n"
                             "\xe2\x80\x94\xf0\x9f\x98\x80|-1| @0\n");
}

static void test_formats__html_title_fallback(void **state)
{
    th_dir *f = *state;
    th_events e;
    /* No <title>: the first <h1>, whatever it holds, on one line; as the
     * title it is no part of the body, as a text file's first line. */
    assert_int_equal(READ(&e, f, "a.html",
                          "<body><p>Intro</p><h1> Big\n <em>news</em>"
                          "<br>today</h1><h1>Second</h1></body>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A a.html|Big news today|Intro\n\nSecond|-1| "
                             "@0\n");
    /* A blank <title> counts as none. */
    assert_int_equal(READ(&e, f, "b.html",
                          "<title> \n </title><h1>Headline</h1><p>x</p>", NULL),
                     0);
    assert_string_equal(e.s, "A b.html|Headline|x|-1| @0\n");
    /* A <title> wins over <h1>; an svg's <title> is no page title. */
    assert_int_equal(READ(&e, f, "c.html",
                          "<body><svg><title>icon</title></svg>"
                          "<h1>Headline</h1></body>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A c.html|Headline||-1| @0\n");
    assert_int_equal(
        READ(&e, f, "d.html", "<title>Page</title><h1>Headline</h1>", NULL), 0);
    assert_string_equal(e.s, "A d.html|Page|Headline|-1| @0\n");
    /* Neither: an empty title. */
    assert_int_equal(READ(&e, f, "e.html", "<p>only text</p>", NULL), 0);
    assert_string_equal(e.s, "A e.html||only text|-1| @0\n");
}

static void test_formats__html_malformed(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] = "<html><title>Broken</title>\n"
                        "<p>one <b>bold <i>both</b> still</i>\n"
                        "<p>two</div></span>\n"
                        "<div><p>three <a href=\"x\">link\n"
                        "<li>four</ul>\n"
                        "<p>five &bogus; &amp; text <unknown-tag>in</unknown-"
                        "tag> < 3\n"
                        "<p>six <!-- unclosed comment";
    assert_int_equal(READ(&e, f, "broken.html", text, NULL), 0);
    assert_string_equal(e.s, "A broken.html|Broken|one bold both still\n\n"
                             "two\n\nthree link\n\nfour\n\n"
                             "five &bogus; & text in < 3\n\nsix|-1| @0\n");

    /* Text with no markup at all is one paragraph. */
    assert_int_equal(READ(&e, f, "plain.html", "just  words\nhere", NULL), 0);
    assert_string_equal(e.s, "A plain.html||just words here|-1| @0\n");

    /* Markup and nothing else. */
    assert_int_equal(READ(&e, f, "tags.html", "<<<>>></></>", NULL), 0);
    assert_int_equal(e.articles, 1);
    assert_int_equal(e.problems, 0);
}

/* libxml2 2.9 knows no HTML5 element and leaves them in <head> when there
 * is no <body> tag; their text still counts, the head's own does not. */
static void test_formats__html5_without_body_tag(void **state)
{
    th_dir *f = *state;
    th_events e;
    assert_int_equal(READ(&e, f, "h5.html",
                          "<!DOCTYPE html><meta charset=\"utf-8\">"
                          "<title>T</title><style>x{}</style>"
                          "<header><nav>Menu</nav></header>"
                          "<main><article><h1>Head</h1><time "
                          "datetime=\"2018-06-12\">June 12</time>"
                          "<section><p>One.</p><p>Two.</p></section>"
                          "</article></main><footer>(c)</footer>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A h5.html|T|Head\n\nJune 12\n\nOne.\n\nTwo."
                             "|1528761600| @0\n");
}

static void test_formats__html_utf8_without_charset(void **state)
{
    th_dir *f = *state;
    th_events e;
    /* No declaration, valid UTF-8: read as UTF-8, not as Latin-1. */
    assert_int_equal(READ(&e, f, "u.html",
                          "<title>Caf\xc3\xa9 \xe2\x82\xac</title>"
                          "<p>na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A u.html|Caf\xc3\xa9 \xe2\x82\xac|"
                             "na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac|-1| @0\n");
    /* With a byte order mark too. */
    assert_int_equal(READ(&e, f, "bom.html",
                          "\xef\xbb\xbf<title>Caf\xc3\xa9</title><p>x</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A bom.html|Caf\xc3\xa9|x|-1| @0\n");
    /* A declaration past the first 1024 bytes does not count (as in a
     * browser's prescan): valid UTF-8 is read as UTF-8. */
    char late[2048];
    memset(late, 0, sizeof late);
    strcpy(late, "<html><head><!-- ");
    memset(late + strlen(late), '-', 1100);
    strcat(late, " --><meta charset=\"iso-8859-1\"></head>"
                 "<body><p>caf\xc3\xa9</p></body></html>");
    assert_int_equal(READ(&e, f, "late.html", late, NULL), 0);
    assert_string_equal(e.s, "A late.html||caf\xc3\xa9|-1| @0\n");
    /* No declaration and not UTF-8: Windows-1252, as browsers read
     * Latin-1 (0x93 and 0x94 are quotation marks there, controls in
     * ISO 8859-1). */
    assert_int_equal(READ(&e, f, "l.html",
                          "<p>\x93"
                          "caf\xe9\x94</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "W @0 not UTF-8 (invalid at byte 3); read as "
                             "windows-1252\n"
                             "A l.html||\xe2\x80\x9c"
                             "caf\xc3\xa9\xe2\x80\x9d|-1| @0\n");
}

/* The encoding option is for pages that declare none; a declaration or a
 * byte order mark wins over it. */
static void test_formats__html_encoding_option(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.encoding = "ISO-8859-15";
    assert_int_equal(READ(&e, f, "a.html", "<p>5 \xa4</p>", &o), 0);
    assert_string_equal(e.s, "A a.html||5 \xe2\x82\xac|-1| @0\n");
    assert_int_equal(READ(&e, f, "b.html",
                          "<meta charset=\"windows-1252\"><p>5 \xa4</p>", &o),
                     0);
    assert_string_equal(e.s, "A b.html||5 \xc2\xa4|-1| @0\n");
}

/* Sites put their name in <title>: og:title, or else the <h1>, is the
 * headline when <title> holds it. */
/* Keyword fields from <meta> tags, in the page's order: author and
 * article:author, article:section, every article:tag, og:site_name as the
 * source, news_keywords split at commas, and a declared field's own name;
 * a <meta name> nobody declared is not read. */
static void test_formats__html_fields(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.fields = "desk";
    o.corpus_path = "web/2018/x.html";
    assert_int_equal(
        READ(&e, f, "x.html",
             "<head><meta name=\"Author\" content=\"Alex Wong\">"
             "<meta property=\"article:author\" content=\"Mia Chen\">"
             "<meta property=\"article:section\" content=\"World\">"
             "<meta property=\"article:tag\" content=\"Korea\">"
             "<meta property=\"article:tag\" content=\"Summit\">"
             "<meta property=\"og:site_name\" content=\"Daily\">"
             "<meta name=\"news_keywords\" content=\"nuclear, talks,,\">"
             "<meta name=\"desk\" content=\"Foreign\">"
             "<meta name=\"region\" content=\"Asia\">"
             "<title>Talks</title></head><p>Text.</p>",
             &o),
        0);
    assert_string_equal(e.s, "A x.html|Talks|Text.|-1| @0 {author=Alex Wong;"
                             "author=Mia Chen;section=World;tag=Korea;"
                             "tag=Summit;source=Daily;tag=nuclear;tag=talks;"
                             "desk=Foreign} <web/2018/x.html>\n");
}

/* A text file's folder is its section; at the corpus root it has none. */
static void test_formats__txt_folder_section(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.corpus_path = "politics/uk/002.txt";
    assert_int_equal(READ(&e, f, "002.txt", "Vote\n\nMPs voted.", &o), 0);
    assert_string_equal(e.s, "A 002.txt|Vote|\nMPs voted.|-1| @1 "
                             "{section=politics/uk} <politics/uk/002.txt>\n");
    o.corpus_path = "003.txt";
    assert_int_equal(READ(&e, f, "003.txt", "Vote\n\nMPs voted.", &o), 0);
    assert_string_equal(e.s, "A 003.txt|Vote|\nMPs voted.|-1| @1 <003.txt>\n");
}

/* TREC's keyword-like elements: BYLINE (without "By"), SECTION, SO, and
 * a declared field's element of its name in capitals. */
static void test_formats__trec_fields(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.fields = "region";
    assert_int_equal(
        READ(&e, f, "x.trec",
             "<DOC><DOCNO> LA1 </DOCNO><BYLINE>By JANE ROE, Times Staff "
             "Writer</BYLINE><SECTION><P>Metro; Part B</P></SECTION>"
             "<SO>Los Angeles Times</SO><REGION>West</REGION>"
             "<HEADLINE>Rain</HEADLINE><TEXT>It rained.</TEXT></DOC>\n",
             &o),
        0);
    assert_string_equal(e.s, "A LA1|Rain|It rained.|-1| @1 {author=JANE ROE, "
                             "Times Staff Writer;section=Metro; Part B;"
                             "source=Los Angeles Times;region=West}\n");
}

/* Bylines: "by" and the wire's name in its spellings go; two authors
 * joined by "and" are two; an author's page is no author. */
static void test_formats__bylines(void **state)
{
    th_dir *f = *state;
    th_events e;
    assert_int_equal(
        READ(&e, f, "b.sgm",
             "<REUTERS NEWID=\"1\"><TEXT><AUTHOR>    By Patti Domm, "
             "Reuter</AUTHOR><BODY>One.</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"2\"><TEXT><AUTHOR>    by Cal Mankowski, "
             "Reutersd</AUTHOR><BODY>Two.</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"3\"><TEXT><AUTHOR>    By STEPHEN JUKES AND "
             "PHILIP SHEHADI, Reuters.</AUTHOR><BODY>Three.</BODY></TEXT>"
             "</REUTERS>\n",
             NULL),
        0);
    assert_string_equal(e.s, "A 1||One.|-1| @1 {author=Patti Domm}\n"
                             "A 2||Two.|-1| @2 {author=Cal Mankowski}\n"
                             "A 3||Three.|-1| @3 {author=STEPHEN JUKES;"
                             "author=PHILIP SHEHADI}\n");
    assert_int_equal(READ(&e, f, "a.html",
                          "<meta property=\"article:author\" "
                          "content=\"https://example.org/staff/lois-lane\">"
                          "<meta name=\"author\" content=\"By Lois Lane\">"
                          "<title>T</title><p>Text.</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A a.html|T|Text.|-1| @0 {author=Lois Lane}\n");
}

static void test_formats__html_title_site_name(void **state)
{
    th_dir *f = *state;
    th_events e;
    assert_int_equal(
        READ(&e, f, "og.html",
             "<title>Daily Site | Volcano  erupts</title>"
             "<meta property=\"og:title\" content=\" Volcano erupts \">"
             "<h1>Daily Site</h1><p>Lava.</p>",
             NULL),
        0);
    assert_string_equal(e.s, "A og.html|Volcano erupts|Daily Site\n\n"
                             "Lava.|-1| @0\n");
    assert_int_equal(READ(&e, f, "h1.html",
                          "<title>Volcano erupts - Daily Site</title>"
                          "<h1>Volcano <i>erupts</i></h1><p>Lava.</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A h1.html|Volcano erupts|Lava.|-1| @0\n");
    /* Neither is part of <title>: a teaser and a section name. */
    assert_int_equal(
        READ(&e, f, "teaser.html",
             "<title>Volcano erupts</title>"
             "<meta property=\"og:title\" content=\"You won't believe\">"
             "<h1>World</h1><p>Lava.</p>",
             NULL),
        0);
    assert_string_equal(e.s, "A teaser.html|Volcano erupts|World\n\n"
                             "Lava.|-1| @0\n");
    /* No <title>: og:title before the <h1>. */
    assert_int_equal(
        READ(&e, f, "none.html",
             "<meta property=\"og:title\" content=\"Volcano erupts\">"
             "<h1>World</h1><p>Lava.</p>",
             NULL),
        0);
    assert_string_equal(e.s, "A none.html|Volcano erupts|World\n\n"
                             "Lava.|-1| @0\n");
}

/* The <h1> that is the title is left out of the body, wherever the title
 * came from; og:site_name is taken off a <title> that starts or ends with
 * it after a separator, and without it a <title> is kept whole. */
static void test_formats__html_title_not_repeated(void **state)
{
    th_dir *f = *state;
    th_events e;
    assert_int_equal(READ(&e, f, "a.html",
                          "<title>Storm two - Daily Site</title>"
                          "<h1>Storm two</h1><p>Another storm.</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A a.html|Storm two|Another storm.|-1| @0\n");
    assert_int_equal(
        READ(&e, f, "b.html",
             "<title>Storm batters coast - BBC News</title>"
             "<meta property=\"og:site_name\" content=\" BBC  News \">"
             "<p>Waves.</p>",
             NULL),
        0);
    assert_string_equal(
        e.s, "A b.html|Storm batters coast|Waves.|-1| @0 {source=BBC  News}\n");
    assert_int_equal(
        READ(&e, f, "c.html",
             "<title>BBC News | Storm batters coast</title>"
             "<meta property=\"og:site_name\" content=\"BBC News\">"
             "<h1>Storm batters coast</h1><p>Waves.</p>",
             NULL),
        0);
    assert_string_equal(
        e.s, "A c.html|Storm batters coast|Waves.|-1| @0 {source=BBC News}\n");
    /* Not after a separator, or the name alone: kept. */
    assert_int_equal(
        READ(&e, f, "d.html",
             "<title>Inside BBC News</title><title>x</title>"
             "<meta property=\"og:site_name\" content=\"BBC News\">"
             "<p>Waves.</p>",
             NULL),
        0);
    assert_string_equal(
        e.s, "A d.html|Inside BBC News|Waves.|-1| @0 {source=BBC News}\n");
    assert_int_equal(
        READ(&e, f, "e.html",
             "<title>BBC News</title>"
             "<meta property=\"og:site_name\" content=\"BBC News\">"
             "<p>Waves.</p>",
             NULL),
        0);
    assert_string_equal(e.s,
                        "A e.html|BBC News|Waves.|-1| @0 {source=BBC News}\n");
    /* No og:site_name: nothing tells the name from the headline. */
    assert_int_equal(READ(&e, f, "f.html",
                          "<title>Storm batters coast - BBC News</title>"
                          "<p>Waves.</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A f.html|Storm batters coast - BBC News|"
                             "Waves.|-1| @0\n");
    /* An <h1> that is not the title stays in the body. */
    assert_int_equal(READ(&e, f, "g.html",
                          "<title>Storm</title><h1>Weather</h1><p>Rain.</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A g.html|Storm|Weather\n\nRain.|-1| @0\n");
}

static void test_formats__html_latin1_declared(void **state)
{
    th_dir *f = *state;
    th_events e;
    assert_int_equal(READ(&e, f, "l1.html",
                          "<html><head><meta charset=\"iso-8859-1\">"
                          "<title>Caf\xe9</title></head>"
                          "<body><p>\xc0 la cr\xe8me br\xfbl\xe9"
                          "e</p></body></html>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A l1.html|Caf\xc3\xa9|\xc3\x80 la cr\xc3\xa8me "
                             "br\xc3\xbbl\xc3\xa9"
                             "e|-1| @0\n");
    /* The http-equiv form, even when the bytes happen to be valid UTF-8
     * ("\xc3\xa9" is two Latin-1 characters). */
    assert_int_equal(READ(&e, f, "l2.html",
                          "<head><meta http-equiv=\"Content-Type\" "
                          "content=\"text/html; charset=ISO-8859-1\">"
                          "<title>\xc3\xa9</title></head><p>\xe9</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A l2.html|\xc3\x83\xc2\xa9|\xc3\xa9|-1| @0\n");
}

static void test_formats__html_dates(void **state)
{
    th_dir *f = *state;
    th_events e;
    /* Meta tags named for the purpose, names in any case. */
    assert_int_equal(
        READ(&e, f, "a.html",
             "<meta name=\"DC.Date.Issued\" content=\"2018-06-12\">"
             "<p>x</p>",
             NULL),
        0);
    assert_string_equal(e.s, "A a.html||x|1528761600| @0\n");
    assert_int_equal(READ(&e, f, "b.html",
                          "<meta name=\"pubdate\" content=\" 20180612 \">"
                          "<p>x</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A b.html||x|1528761600| @0\n");
    assert_int_equal(READ(&e, f, "c.html",
                          "<meta itemprop=\"datePublished\" "
                          "content=\"2018-06-12T02:00:00+02:00\"><p>x</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A c.html||x|1528761600| @0\n");
    /* article:published_time comes first, wherever it is. */
    assert_int_equal(
        READ(&e, f, "d.html",
             "<meta name=\"date\" content=\"2001-01-01\">"
             "<meta property=\"article:published_time\" content=\"2018-06-12\">"
             "<p>x</p>",
             NULL),
        0);
    assert_string_equal(e.s, "A d.html||x|1528761600| @0\n");
    /* No meta date: the first <time datetime>, even in a header. */
    assert_int_equal(READ(&e, f, "e.html",
                          "<header><time>yesterday</time>"
                          "<time datetime=\"2018-06-12\">June 12</time>"
                          "</header><p>x <time datetime=\"2001-01-01\">then"
                          "</time></p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A e.html||x then|1528761600| @0\n");
    /* A meta date beats <time>; an unreadable one is a warning. */
    assert_int_equal(READ(&e, f, "f.html",
                          "<meta name=\"date\" content=\"last Tuesday\">"
                          "<time datetime=\"2018-06-12\">x</time>",
                          NULL),
                     0);
    assert_string_equal(e.s, "W @0 date 'last Tuesday' not understood; the "
                             "article is kept without a date\n"
                             "A f.html||x|-1| @0\n");
    /* A meta date of white space alone ("\v" too) is none: the <time>
     * dates the page, with no warning (found by fuzzing). */
    assert_int_equal(READ(&e, f, "g.html",
                          "<meta name=\"pubdate\" content=\"\v\">"
                          "<time datetime=\"2018-06-12\">x</time>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A g.html||x|1528761600| @0\n");
}

static void test_formats__html_url(void **state)
{
    th_dir *f = *state;
    th_events e;
    /* og:url when there is no canonical link. */
    assert_int_equal(READ(&e, f, "a.html",
                          "<meta property=\"og:url\" content=\"https://e.com/a"
                          "\"><link rel=\"alternate\" href=\"https://e.com/x\">"
                          "<p>x</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A a.html||x|-1|https://e.com/a @0\n");
    /* rel may list several types; canonical wins over og:url. */
    assert_int_equal(READ(&e, f, "b.html",
                          "<link rel=\"Canonical\" href=\"\">"
                          "<meta property=\"og:url\" content=\"https://e.com/o"
                          "\"><link rel=\"nofollow canonical\" "
                          "href=\"https://e.com/c?a=1&amp;b=2\"><p>x</p>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A b.html||x|-1|https://e.com/c?a=1&b=2 @0\n");
    /* Neither: no URL (NULL). */
    assert_int_equal(READ(&e, f, "c.html", "<p>x</p>", NULL), 0);
    assert_string_equal(e.s, "A c.html||x|-1| @0\n");
}

static int check_no_url(const lede_read_event *ev, void *payload)
{
    (void)payload;
    assert_non_null(ev->article);
    assert_null(ev->article->url);
    assert_int_equal(ev->article->date, LEDE_NO_DATE);
    assert_int_equal(ev->article->title_len, 0);
    assert_int_equal(ev->article->body_len, 0);
    assert_string_equal(ev->article->id, "empty.html");
    return 0;
}

static void test_formats__html_empty_file(void **state)
{
    th_dir *f = *state;
    th_events e;
    assert_int_equal(read_text(&e, f, "empty.html", "", 0, NULL), 0);
    assert_string_equal(e.s, "A empty.html|||-1| @0\n");
    assert_int_equal(
        lede_read_file(th_path(f->dir, "empty.html"), NULL, check_no_url, NULL),
        0);
    /* White space only, or a page with an empty body. */
    assert_int_equal(READ(&e, f, "ws.html", " \n\t\n", NULL), 0);
    assert_string_equal(e.s, "A ws.html|||-1| @0\n");
    assert_int_equal(READ(&e, f, "nobody.html",
                          "<html><head><title>Only a title</title></head>"
                          "<body></body></html>",
                          NULL),
                     0);
    assert_string_equal(e.s, "A nobody.html|Only a title||-1| @0\n");
}

static void test_formats__html_gzip(void **state)
{
    th_dir *f = *state;
    th_events plain, gz;
    char want[2048];
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.id = "summit";
    th_write_gz(th_path(f->dir, "summit.html.gz"), page, sizeof page - 1, "wb");
    memset(&gz, 0, sizeof gz);
    assert_int_equal(
        lede_read_file(th_path(f->dir, "summit.html.gz"), &o, th_record, &gz),
        0);
    assert_int_equal(READ(&plain, f, "summit.html", page, &o), 0);
    assert_string_equal(gz.s, plain.s);
    snprintf(want, sizeof want,
             "A summit|Summit in Singapore|%s|%d|https://example.com/summit "
             "@0\n",
             page_body, JUNE_12_2018 + 10 * 3600);
    assert_string_equal(gz.s, want);
    /* The default id drops ".gz". */
    memset(&gz, 0, sizeof gz);
    assert_int_equal(
        lede_read_file(th_path(f->dir, "summit.html.gz"), NULL, th_record, &gz),
        0);
    assert_non_null(strstr(gz.s, "A summit.html|Summit in Singapore|"));
}

static void test_formats__html_over_limit(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.max_article_bytes = 100;
    char text[300];
    memset(text, 'w', sizeof text);
    memcpy(text, "<p>", 3);
    assert_error(read_text(&e, f, "big.html", text, sizeof text, &o),
                 LEDE_ELIMIT);
    assert_non_null(strstr(lede_error_last(), "big.html"));
    assert_int_equal(e.articles, 0);
    /* Exactly at the limit is fine. */
    assert_int_equal(read_text(&e, f, "fits.html", text, 100, &o), 0);
    assert_int_equal(e.articles, 1);
}

/* libxml2 must not write to stderr, even for broken encodings. */
static void test_formats__html_quiet(void **state)
{
    th_dir *f = *state;
    th_events e;
    char log[4096];
    snprintf(log, sizeof log, "%s", th_path(f->dir, "stderr.log"));
    fflush(stderr);
    int saved = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    int rc1 = READ(&e, f, "bad.html",
                   "<meta charset=\"utf-8\"><title>caf\xe9</title>"
                   "<p>caf\xe9 \xff\xfe x</p>",
                   NULL);
    int a1 = e.articles;
    int rc2 =
        READ(&e, f, "unknown.html",
             "<meta charset=\"x-no-such-charset\"><p>caf\xc3\xa9</p>", NULL);
    int a2 = e.articles;
    int rc3 = READ(&e, f, "deep.html",
                   "<div><div><div><div><div><div><div><div><div><div>"
                   "<p>&#xD800; &#0; &#99999999; <x y=\"></p>",
                   NULL);
    int a3 = e.articles;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(rc1, 0);
    assert_int_equal(rc2, 0);
    assert_int_equal(rc3, 0);
    assert_int_equal(a1 + a2 + a3, 3);
    FILE *in = fopen(log, "rb");
    assert_non_null(in);
    char got[256];
    size_t n = fread(got, 1, sizeof got - 1, in);
    fclose(in);
    got[n] = '\0';
    assert_string_equal(got, "");
}

/* ---- TREC ---------------------------------------------------------------- */

static const char trec[] =
    "<!-- A TREC file: text outside records is ignored. <DOC> -->\n"
    "<!DOCTYPE trec>\n"
    "stray text\n"
    "<DOC>\n"
    "<DOCNO> AP880212-0001 </DOCNO>\n"
    "<FILEID>AP-NR-02-12-88 2344EST</FILEID>\n"
    "<DATE>880212</DATE>\n"
    "<HEAD>Second choice</HEAD>\n"
    "<HEADLINE>\n"
    "  Summit   ends &amp; talks\n"
    "  go on\n"
    "</HEADLINE>\n"
    "<TEXT>\n"
    "   First paragraph, hard\n"
    "wrapped &lt;here&gt;.\n"
    "<P>\n"
    "Second   paragraph\n"
    "</P>\n"
    "<P>Third &#233;t&#xE9; &quot;q&quot; &apos;s&apos; &unknown; & a</P>\n"
    "</TEXT>\n"
    "</DOC>\n"
    "<doc>\n"
    "<docno>LA010189-0001</docno>\n"
    "<date><P>January 1, 1989, Sunday, Home Edition</P></date>\n"
    "<hl>Lower case tags</hl>\n"
    "<lp>Lead <b>para</b>.</lp>\n"
    "<text id=\"t1\">Body one.</text>\n"
    "<TEXT>Body two.</TEXT>\n"
    "</doc>\n"
    "<DOC id=\"x\">\n"
    "<DOCNO>WSJ-3</DOCNO><DD> 12/13/89 </DD><TTL>Only TTL</TTL>\n"
    "<TEXT></TEXT>\n"
    "</DOC >\n"
    "trailing text\n";

static void test_formats__trec_docs(void **state)
{
    th_dir *f = *state;
    th_events e;
    assert_int_equal(READ(&e, f, "ap.trec", trec, NULL), 0);
    assert_string_equal(
        e.s, "A AP880212-0001|Summit ends & talks go on|First paragraph, "
             "hard\nwrapped <here>.\n\nSecond   paragraph\n\n"
             "Third \xc3\xa9t\xc3\xa9 \"q\" 's' &unknown; & a"
             "|571622400| @4\n"
             "A LA010189-0001|Lower case tags|Lead para.\n\nBody one.\n\n"
             "Body two.|599616000| @22\n"
             "W @30 date '12/13/89' not understood; the article is kept "
             "without a date\n"
             "A WSJ-3|Only TTL||-1| @30\n");
}

static void test_formats__trec_field_order(void **state)
{
    th_dir *f = *state;
    th_events e;
    /* Title: the first non-empty of HEADLINE, HL, TITLE, HEAD, TTL, in that
     * order whatever their places; date: DATE, DATE_TIME, DD. */
    const char text[] = "<DOC><TTL>ttl</TTL><HEAD>head</HEAD>"
                        "<TITLE>title</TITLE><HL>hl</HL><HEADLINE> <P> "
                        "</HEADLINE><DOCNO>d1</DOCNO>"
                        "<DD>2001-01-01</DD><DATE_TIME>2018-06-12</DATE_TIME>"
                        "<TEXT>t1</TEXT><LEADPARA>lead2</LEADPARA>"
                        "<LP>lead1</LP><TEXT>t2</TEXT></DOC>\n"
                        "<DOC><DOCNO>d2</DOCNO><HEAD>head</HEAD>"
                        "<TITLE>title</TITLE></DOC>";
    assert_int_equal(READ(&e, f, "o.trec", text, NULL), 0);
    assert_string_equal(e.s, "A d1|hl|lead1\n\nlead2\n\nt1\n\nt2|1528761600| "
                             "@1\n"
                             "A d2|title||-1| @2\n");
}

static void test_formats__trec_entities_and_controls(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] = "<DOC><DOCNO>e&amp;1</DOCNO><TEXT>"
                        "a&#9;b&#10;c &#x41;&#X42;&#067; "
                        "ctl[\x01\x02&#2;&#3;&#31;&#127;\x7f] "
                        "bad[&#0;&#xD800;&#x110000;] "
                        "kept[&#; &#x; &#65 &#xZZ; &AMP; &Amp; &nbsp; "
                        "&#99999999999;] "
                        "\xe2\x82\xac\r\nnext\rline"
                        "</TEXT></DOC>";
    assert_int_equal(READ(&e, f, "ent.sgml", text, NULL), 0);
    assert_string_equal(
        e.s, "A e&1||a\tb\nc ABC ctl[] "
             "bad[\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd] "
             "kept[&#; &#x; &#65 &#xZZ; & &Amp; &nbsp; &#99999999999;] "
             "\xe2\x82\xac\nnext\nline|-1| @1\n");
}

static void test_formats__trec_no_docno(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] = "<DOC>\n<TEXT>no id</TEXT>\n</DOC>\n"
                        "<DOC>\n<DOCNO>  </DOCNO>\n<TEXT>blank id</TEXT>\n"
                        "</DOC>\n"
                        "<DOC><DOCNO>ok</DOCNO><TEXT>kept</TEXT></DOC>\n";
    assert_int_equal(READ(&e, f, "n.trec", text, NULL), 0);
    assert_string_equal(e.s,
                        "P -3 @1 record without DOCNO (or NEWID); skipped\n"
                        "P -3 @4 record without DOCNO (or NEWID); skipped\n"
                        "A ok||kept|-1| @8\n");
}

static void test_formats__trec_oversized_record(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.max_article_bytes = 100;
    /* A record of 5000 bytes between two small ones, with a tag that
     * looks like an end tag inside it. */
    size_t cap = 8000, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text + n, cap - n,
                          "<DOC><DOCNO>a</DOCNO><TEXT>one</TEXT></DOC>\n"
                          "<DOC>\n<DOCNO>big</DOCNO>\n<TEXT>\n</DOCNO>");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(text + n, cap - n, "%s",
                              "word word word word word word word word "
                              "word\n");
    n += (size_t)snprintf(text + n, cap - n,
                          "</TEXT>\n</DOC>\n"
                          "<DOC><DOCNO>b</DOCNO><TEXT>two</TEXT></DOC>\n");
    assert_int_equal(read_text(&e, f, "big.trec", text, n, &o), 0);
    assert_string_equal(e.s, "A a||one|-1| @1\n"
                             "P -10 @2 record over the limit of 100 bytes; "
                             "skipped\n"
                             "A b||two|-1| @107\n");
    /* Exactly at the limit is kept. */
    const char fits[] = "<DOC><DOCNO>c</DOCNO><TEXT>xxx</TEXT></DOC>";
    o.max_article_bytes = sizeof fits - 1;
    assert_int_equal(READ(&e, f, "fits.trec", fits, &o), 0);
    assert_string_equal(e.s, "A c||xxx|-1| @1\n");
    o.max_article_bytes = sizeof fits - 2;
    assert_int_equal(READ(&e, f, "fits.trec", fits, &o), 0);
    assert_int_equal(e.problems, 1);
    assert_int_equal(e.articles, 0);
    free(text);
}

static void test_formats__trec_huge_record_streamed(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.max_article_bytes = 1000;
    /* 8 MiB in one record with no end tag until the end of the file: it is
     * dropped as it is read, and the record after it is found. */
    size_t big = 8u << 20, n = 0;
    char *text = malloc(big + 200);
    n += (size_t)snprintf(text, 200, "<DOC><DOCNO>huge</DOCNO><TEXT>");
    memset(text + n, 'x', big);
    n += big;
    n += (size_t)snprintf(text + n, 200,
                          "</TEXT></DOC>\n<DOC><DOCNO>after"
                          "</DOCNO></DOC>");
    assert_int_equal(read_text(&e, f, "huge.trec", text, n, &o), 0);
    assert_string_equal(e.s, "P -10 @1 record over the limit of 1000 bytes; "
                             "skipped\n"
                             "A after|||-1| @2\n");
    free(text);
}

static void test_formats__trec_unterminated(void **state)
{
    th_dir *f = *state;
    th_events e;
    /* A record cut off by the next one, and one cut off by the end. */
    const char text[] = "<DOC><DOCNO>a</DOCNO><TEXT>one\n"
                        "<DOC><DOCNO>b</DOCNO><TEXT>two</TEXT></DOC>\n"
                        "\n"
                        "<DOC>\n<DOCNO>c</DOCNO>\n<TEXT>three</TEXT>\n";
    assert_int_equal(READ(&e, f, "u.trec", text, NULL), 0);
    assert_string_equal(e.s, "P -6 @1 record at line 1 has no end tag; "
                             "skipped\n"
                             "A b||two|-1| @2\n"
                             "P -6 @4 record at line 4 has no end tag; "
                             "skipped\n");
    /* An end tag cut short by the end of the file still ends it. */
    assert_int_equal(READ(&e, f, "v.trec", "<DOC><DOCNO>d</DOCNO></DOC", NULL),
                     0);
    assert_string_equal(e.s, "A d|||-1| @1\n");
    /* A file ending inside a start tag holds no record. */
    assert_int_equal(READ(&e, f, "w.trec", "<DOC", NULL), 0);
    assert_string_equal(e.s, "");
}

static void test_formats__trec_crlf(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] = "<DOC>\r\n<DOCNO>\r\nFT911-1\r\n</DOCNO>\r\n"
                        "<HEADLINE>\r\nTwo\r\nlines\r\n</HEADLINE>\r\n"
                        "<DATE>\r\n2018-06-12\r\n</DATE>\r\n"
                        "<TEXT>\r\nFirst\r\nline.\r\n<P>\r\nSecond.\r\n"
                        "</P>\r\n</TEXT>\r\n</DOC>\r\n"
                        "<DOC>\r\n<DOCNO>FT911-2</DOCNO>\r\n</DOC>\r\n";
    assert_int_equal(READ(&e, f, "ft.trec", text, NULL), 0);
    assert_string_equal(e.s, "A FT911-1|Two lines|First\nline.\n\nSecond."
                             "|1528761600| @1\n"
                             "A FT911-2|||-1| @20\n");
}

static void test_formats__trec_across_chunks(void **state)
{
    th_dir *f = *state;
    th_events e;
    /* Records of every alignment against the 64 KiB reads: each end tag,
     * entity and P tag falls across a boundary somewhere. */
    size_t cap = 300000, n = 0;
    char *text = malloc(cap);
    int docs = 0;
    while (n < 200000) {
        n += (size_t)snprintf(text + n, cap - n,
                              "<DOC><DOCNO>d%d</DOCNO>\n<TEXT>a&amp;b<P>"
                              "c&#233;</TEXT></DOC>\n",
                              docs);
        docs++;
    }
    assert_int_equal(read_text(&e, f, "many.trec", text, n, NULL), 0);
    free(text);
    assert_int_equal(e.articles, docs);
    assert_int_equal(e.problems, 0);
    char want[128];
    snprintf(want, sizeof want, "A d%d||a&b\n\nc\xc3\xa9|-1| @%d\n", docs - 1,
             2 * (docs - 1) + 1);
    assert_non_null(strstr(e.s, want));
}

static void test_formats__trec_callback_stops(void **state)
{
    th_dir *f = *state;
    th_events e;
    const char text[] = "<DOC><DOCNO>a</DOCNO></DOC>\n"
                        "<DOC><DOCNO>b</DOCNO></DOC>\n"
                        "<DOC><DOCNO>c</DOCNO></DOC>\n";
    th_write(th_path(f->dir, "s.trec"), text, sizeof text - 1);
    memset(&e, 0, sizeof e);
    e.stop_at = 2;
    assert_int_equal(
        lede_read_file(th_path(f->dir, "s.trec"), NULL, th_record, &e), 99);
    assert_string_equal(e.s, "A a|||-1| @1\nA b|||-1| @2\n");
    /* A problem's callback can stop it too. */
    th_write(th_path(f->dir, "p.trec"), "<DOC></DOC><DOC></DOC>", 22);
    memset(&e, 0, sizeof e);
    e.stop_at = 1;
    assert_int_equal(
        lede_read_file(th_path(f->dir, "p.trec"), NULL, th_record, &e), 99);
    assert_int_equal(e.events, 1);
}

static void test_formats__trec_missing_file(void **state)
{
    th_dir *f = *state;
    th_events e;
    memset(&e, 0, sizeof e);
    assert_error(
        lede_read_file(th_path(f->dir, "none.sgm"), NULL, th_record, &e),
        LEDE_ENOTFOUND);
    assert_int_equal(e.events, 0);
}

/* ---- Reuters-21578 ------------------------------------------------------- */

static const char reuters[] =
    "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n"
    "<REUTERS TOPICS=\"YES\" LEWISSPLIT=\"TRAIN\" OLDID=\"100\" "
    "NEWID=\"7\">\n"
    "<DATE>26-FEB-1987 15:01:01.79</DATE>\n"
    "<TOPICS><D>grain</D></TOPICS>\n"
    "<PLACES><D>usa</D></PLACES><PEOPLE><D>reagan</D></PEOPLE><ORGS><D>ec"
    "</D></ORGS><EXCHANGES><D>nyse</D><D> cbt </D><D>nyse</D></EXCHANGES>\n"
    "<UNKNOWN> \n&#5;&#5;&#5;G\n&#22;&#1;f0001&#31;reute</UNKNOWN>\n"
    "<TEXT>&#2;\n"
    "<TITLE>FARM GROUP &lt;FG> SEES BIG HARVEST</TITLE><AUTHOR>    by Ann "
    "Smith, Reuters</AUTHOR>\n"
    "<DATELINE>    CHICAGO, Feb 26 - </DATELINE><BODY>A farm group said\n"
    "the harvest would be big.\n"
    "    It gave no figures &amp; no dates.\n"
    " Reuter\n"
    "&#3;</BODY></TEXT>\n"
    "</REUTERS>\n"
    "<REUTERS TOPICS=\"NO\" NEWID='8'>\n"
    "<DATE>26-FEB-1987 15:02:00.00\t\t\tRM</DATE>\n"
    "<TEXT TYPE=\"BRIEF\">&#2;\n"
    "******<TITLE>SHORT NOTE ON RATES\n"
    "</TITLE>Blah blah blah.\n"
    "&#3;\n"
    "\n"
    "</TEXT>\n"
    "</REUTERS>\n"
    "<REUTERS NEWID=9 OLDID=\"1\">\n"
    "<DATE> 1-MAR-1987 09:00:00.00</DATE>\n"
    "<TEXT TYPE=\"UNPROC\">&#2;\n"
    "WEEKLY TABLE - MAR 1\n"
    "    Item one.........12 vs.....11\n"
    "    Item two.........15 vs.....14\n"
    " Reuter\n"
    "&#3;</TEXT>\n"
    "</REUTERS>\n"
    "<REUTERS OLDID=\"2\">\n"
    "<DATE>1-MAR-1987 10:00:00.00</DATE>\n"
    "<TEXT><TITLE>NO NEWID</TITLE><BODY>x</BODY></TEXT>\n"
    "</REUTERS>\n"
    "<REUTERS NEWID=\"10\">\n"
    "<DATE>sometime</DATE>\n"
    "<TEXT TYPE=\"UNPROC\">&#2;<TITLE>T</TITLE>only\n text&#3;</TEXT>\n"
    "</REUTERS>\n";

static void test_formats__reuters(void **state)
{
    th_dir *f = *state;
    th_events e;
    char want[2048];
    assert_int_equal(READ(&e, f, "reut2-000.sgm", reuters, NULL), 0);
    snprintf(want, sizeof want,
             "A 7|FARM GROUP <FG> SEES BIG HARVEST|CHICAGO, Feb 26 - A "
             "farm group said\n"
             "the harvest would be big.\n"
             "    It gave no figures & no dates.|%d| @2 {topic=grain;"
             "place=usa;person=reagan;org=ec;exchange=nyse;exchange=cbt;"
             "author=Ann Smith}\n"
             "A 8|SHORT NOTE ON RATES||%d| @17\n"
             "A 9||WEEKLY TABLE - MAR 1\n"
             "    Item one.........12 vs.....11\n"
             "    Item two.........15 vs.....14|%d| @26\n"
             "P -3 @35 record without DOCNO (or NEWID); skipped\n"
             "W @39 date 'sometime' not understood; the article is kept "
             "without a date\n"
             "A 10|T|only\n text|-1| @39\n",
             FEB_26_1987_150101, FEB_26_1987_150101 + 59,
             541587600 /* 1987-03-01T09:00:00Z */);
    assert_string_equal(e.s, want);
}

/* The sign-off comes in several spellings, on a line of its own or after
 * the last sentence, with dots, a written-out carriage return ("^M") or
 * an operator's code, and some stories are signed twice; a word that
 * merely ends in "reuter", and a last sentence that ends in "told
 * Reuters.", stay. */
static void test_formats__reuters_signoff(void **state)
{
    th_dir *f = *state;
    th_events e;
    assert_int_equal(
        READ(&e, f, "s.sgm",
             "<REUTERS NEWID=\"1\"><TEXT><DATELINE> LONDON, March 2 - "
             "</DATELINE><BODY>Gold rose.\n REUTER...\n&#3;</BODY></TEXT>"
             "</REUTERS>\n"
             "<REUTERS NEWID=\"2\"><TEXT><BODY>Oil fell. Reuters\n&#3;"
             "</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"3\"><TEXT><BODY>Ask Freuter\n&#3;</BODY>"
             "</TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"4\"><TEXT><BODY>Tin held.\nREUTER\n Reuter\n"
             "&#3;</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"5\"><TEXT><BODY>Zinc slid.\nREUTER^M\n&#3;"
             "</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"6\"><TEXT><BODY>Lead won.\nREUTER...^M\n&#3;"
             "</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"7\"><TEXT><BODY>Cocoa gained.\n REUTER TAW\n"
             "&#3;</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"8\"><TEXT><BODY>Banks shut. REUTER E\n&#3;"
             "</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"9\"><TEXT><BODY>Sales rose, he told\nReuters."
             "\n&#3;</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"10\"><TEXT><BODY>Sales fell, she told "
             "Reuters.\n Reuter\n&#3;</BODY></TEXT></REUTERS>\n",
             NULL),
        0);
    assert_string_equal(e.s, "A 1||LONDON, March 2 - Gold rose.|-1| @1\n"
                             "A 2||Oil fell.|-1| @4\n"
                             "A 3||Ask Freuter|-1| @6\n"
                             "A 4||Tin held.|-1| @8\n"
                             "A 5||Zinc slid.|-1| @12\n"
                             "A 6||Lead won.|-1| @15\n"
                             "A 7||Cocoa gained.|-1| @18\n"
                             "A 8||Banks shut.|-1| @21\n"
                             "A 9||Sales rose, he told\nReuters.|-1| @23\n"
                             "A 10||Sales fell, she told Reuters.|-1| @26\n");
}

/* Reuters' dates carry teletype codes after control characters
 * ("&#5;&#5;&#5;F A"): the time of day before them is read, and a time
 * that cannot be is warned of, not dropped without a word. */
static void test_formats__reuters_date_codes(void **state)
{
    th_dir *f = *state;
    th_events e;
    char want[1024];
    assert_int_equal(
        READ(&e, f, "d.sgm",
             "<REUTERS NEWID=\"1\"><DATE>27-MAR-1987 11:48:27.70&#5;&#5;"
             "&#5;F A</DATE><TEXT><BODY>x</BODY></TEXT></REUTERS>\n"
             "<REUTERS NEWID=\"2\"><DATE>31-MAR-1987 605:12:19.12</DATE>"
             "<TEXT><BODY>y</BODY></TEXT></REUTERS>\n",
             NULL),
        0);
    snprintf(want, sizeof want,
             "A 1||x|%d| @1\n"
             "W @2 time in date '31-MAR-1987 605:12:19.12' not understood; "
             "the article is dated by its day alone\n"
             "A 2||y|%d| @2\n",
             543844107 /* 1987-03-27T11:48:27Z */,
             544147200 /* 1987-03-31T00:00:00Z */);
    assert_string_equal(e.s, want);
}

/* A record not in UTF-8 is read as Windows-1252, or as the encoding
 * option says; one warning per file. */
static void test_formats__trec_latin1(void **state)
{
    th_dir *f = *state;
    th_events e;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    static const char text[] = "<DOC><DOCNO>A</DOCNO><TEXT>Caf\xe9</TEXT>"
                               "</DOC>\n<DOC><DOCNO>B</DOCNO><TEXT>\xa4"
                               "5"
                               "</TEXT></DOC>\n";
    assert_int_equal(READ(&e, f, "a.trec", text, NULL), 0);
    assert_string_equal(e.s, "W @1 not UTF-8 (invalid at byte 30); read as "
                             "windows-1252\n"
                             "A A||Caf\xc3\xa9|-1| @1\n"
                             "A B||\xc2\xa4"
                             "5|-1| @2\n");
    o.encoding = "latin9";
    assert_int_equal(READ(&e, f, "a.trec", text, &o), 0);
    assert_string_equal(e.s, "A A||Caf\xc3\xa9|-1| @1\n"
                             "A B||\xe2\x82\xac"
                             "5|-1| @2\n");
}

static void test_formats__reuters_gzip(void **state)
{
    th_dir *f = *state;
    th_events plain, gz;
    th_write_gz(th_path(f->dir, "reut2-001.sgm.gz"), reuters,
                sizeof reuters - 1, "wb");
    memset(&gz, 0, sizeof gz);
    assert_int_equal(lede_read_file(th_path(f->dir, "reut2-001.sgm.gz"), NULL,
                                    th_record, &gz),
                     0);
    assert_int_equal(READ(&plain, f, "reut2-001.sgm", reuters, NULL), 0);
    assert_string_equal(gz.s, plain.s);
    assert_int_equal(gz.articles, 4);
    assert_non_null(strstr(gz.s, "A 7|FARM GROUP <FG> SEES BIG HARVEST|"));
}

static void test_formats__trec_gzip(void **state)
{
    th_dir *f = *state;
    th_events plain, gz;
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    o.format = LEDE_FORMAT_TREC;
    th_write_gz(th_path(f->dir, "ap.gz"), trec, sizeof trec - 1, "wb");
    memset(&gz, 0, sizeof gz);
    assert_int_equal(
        lede_read_file(th_path(f->dir, "ap.gz"), &o, th_record, &gz), 0);
    assert_int_equal(READ(&plain, f, "ap.trec", trec, NULL), 0);
    assert_string_equal(gz.s, plain.s);
    assert_int_equal(gz.articles, 3);
    assert_non_null(strstr(gz.s, "A AP880212-0001|"));
}

int main(void)
{
#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, th_setup_dir, th_teardown_dir)
    const struct CMUnitTest tests[] = {
        T(test_formats__html_article),
        T(test_formats__html_id_option_and_htm),
        T(test_formats__html_entities),
        T(test_formats__html_title_fallback),
        T(test_formats__html_malformed),
        T(test_formats__html5_without_body_tag),
        T(test_formats__html_utf8_without_charset),
        T(test_formats__html_latin1_declared),
        T(test_formats__html_encoding_option),
        T(test_formats__html_fields),
        T(test_formats__txt_folder_section),
        T(test_formats__trec_fields),
        T(test_formats__bylines),
        T(test_formats__html_title_site_name),
        T(test_formats__html_title_not_repeated),
        T(test_formats__html_dates),
        T(test_formats__html_url),
        T(test_formats__html_empty_file),
        T(test_formats__html_gzip),
        T(test_formats__html_over_limit),
        T(test_formats__html_quiet),
        T(test_formats__trec_docs),
        T(test_formats__trec_field_order),
        T(test_formats__trec_entities_and_controls),
        T(test_formats__trec_no_docno),
        T(test_formats__trec_oversized_record),
        T(test_formats__trec_huge_record_streamed),
        T(test_formats__trec_unterminated),
        T(test_formats__trec_crlf),
        T(test_formats__trec_across_chunks),
        T(test_formats__trec_callback_stops),
        T(test_formats__trec_missing_file),
        T(test_formats__trec_gzip),
        T(test_formats__reuters),
        T(test_formats__reuters_signoff),
        T(test_formats__reuters_date_codes),
        T(test_formats__trec_latin1),
        T(test_formats__reuters_gzip),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
