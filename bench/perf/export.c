/*
 * export.c - corpus files as JSON Lines, the one input every system of
 * the performance benchmark indexes.
 *
 * Usage: export [--root=DIR] FILE...   (any format lede-index reads:
 *                          Reuters SGML, TREC, JSON Lines, HTML, text, gzip)
 *
 * The id of a one-article file is its path without the DIR/ in front, as
 * lede-index names it (BBC's business/001.txt and sport/001.txt differ).
 *
 * Writes {"id", "title", "text", "date"} per article to stdout (date as
 * YYYY-MM-DD, left out when the article has none). Articles without body
 * text are left out: they are nothing to search. The articles are read
 * with lede_read_file(), as lede-index reads them, so every system gets
 * the same titles and texts.
 */
#include <lede.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    unsigned long articles; /* written */
    unsigned long problems; /* parts of files skipped */
} counts;

static int put(const lede_read_event *ev, void *payload)
{
    counts *c = payload;
    const lede_article *a = ev->article;
    if (a == NULL) {
        if (ev->code != 0)
            c->problems++;
        return 0;
    }
    if (a->body_len == 0)
        return 0;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(a->id));
    json_object_set_new(o, "title",
                        json_stringn(a->title ? a->title : "", a->title_len));
    json_object_set_new(o, "text", json_stringn(a->body, a->body_len));
    if (a->date != LEDE_NO_DATE) {
        char day[16];
        time_t t = (time_t)a->date;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
        json_object_set_new(o, "date", json_string(day));
    }
    char *line = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (line == NULL)
        return -1;
    puts(line);
    free(line);
    c->articles++;
    return 0;
}

int main(int argc, char **argv)
{
    lede_read_options o = LEDE_READ_OPTIONS_INIT;
    counts c = {0, 0};
    const char *root = NULL;
    int first = 1;
    if (argc > 1 && strncmp(argv[1], "--root=", 7) == 0) {
        root = argv[1] + 7;
        first = 2;
    }
    if (argc <= first) {
        fprintf(stderr, "usage: %s [--root=DIR] FILE...\n", argv[0]);
        return 2;
    }
    size_t rlen = root ? strlen(root) : 0;
    while (rlen > 1 && root[rlen - 1] == '/')
        rlen--;
    for (int i = first; i < argc; i++) {
        const char *id = argv[i];
        if (root && strncmp(id, root, rlen) == 0 && id[rlen] == '/')
            id += rlen + 1;
        o.id = id;
        if (lede_read_file(argv[i], &o, put, &c) < 0) {
            fprintf(stderr, "export: %s\n", lede_error_last());
            return 1;
        }
    }
    fprintf(stderr, "export: %lu articles (%lu parts of files skipped)\n",
            c.articles, c.problems);
    return fflush(stdout) == 0 ? 0 : 1;
}
