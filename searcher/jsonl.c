/*
 * lede-search's JSON Lines output (--json, --format=json): one object per
 * passage, the --count object, and the line writer the other JSON lines
 * (suggestions, missing shards) go through. jansson builds and escapes
 * every string; DEL and the C1 controls are escaped on top of it.
 * Calls liblede (lede.h: the results' getters), date.c, cli/visible.c and
 * jansson.
 */
#include "../cli/visible.h"
#include "searcher.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static json_t *explain_json(const lede_results *res, size_t i)
{
    size_t n;
    const lede_explain *ex = lede_results_explain(res, i, &n);
    json_t *a = json_array();
    for (size_t k = 0; a && k < n; k++) {
        json_t *o = json_pack("{s:s, s:I, s:I, s:f, s:I, s:f}", "term",
                              ex[k].term, "tf", (json_int_t)ex[k].tf, "df",
                              (json_int_t)ex[k].df, "idf", ex[k].idf, "length",
                              (json_int_t)ex[k].length, "weight", ex[k].weight);
        if (o == NULL || json_array_append_new(a, o) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Write a line jansson made, with DEL and the C1 controls escaped too:
 * JSON (RFC 8259) allows them raw, but a terminal acts on C1 controls, and
 * jansson's only way to escape them escapes all non-ASCII text. Outside
 * strings its output is ASCII, so these bytes are always inside one. */
static void put_json(const char *line)
{
    const unsigned char *p = (const unsigned char *)line;
    for (; *p != '\0'; p++) {
        if (*p == 0x7f) {
            fputs("\\u007F", stdout);
        } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            printf("\\u00%02X", p[1]);
            p++;
        } else {
            putchar(*p);
        }
    }
    putchar('\n');
}

int jsonl_line(json_t *o)
{
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (line == NULL) {
        fprintf(stderr, "%s: cannot encode a result as JSON\n", prog);
        return -1;
    }
    put_json(line);
    free(line);
    return 0;
}

/* The hit's fields as {"NAME": [VALUE, ...]}, names in the order first
 * given. */
static json_t *fields_json(const lede_results *res, size_t i)
{
    size_t n;
    const lede_field *f = lede_results_fields(res, i, &n);
    json_t *o = json_object();
    for (size_t k = 0; o && k < n; k++) {
        json_t *v = json_object_get(o, f[k].name);
        if (v == NULL) {
            v = json_array();
            json_object_set_new(o, f[k].name, v);
        }
        json_array_append_new(v, json_string(f[k].value));
    }
    return o;
}

int jsonl_results(const lede_results *res, size_t offset, const settings *s,
                  const char *qid)
{
    for (size_t i = 0; i < lede_results_count(res); i++) {
        char *snippet;
        if (lede_results_snippet(&snippet, res, i, NULL, NULL) < 0) {
            fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
            return -1;
        }
        size_t nhl;
        const lede_span *hl = lede_results_highlights(res, i, &nhl);
        json_t *spans = json_array();
        for (size_t k = 0; spans && k < nhl; k++)
            json_array_append_new(spans,
                                  json_pack("[I,I]", (json_int_t)hl[k].start,
                                            (json_int_t)hl[k].end));
        json_t *date = json_null();
        if (lede_results_date(res, i) != LEDE_NO_DATE) {
            char buf[32];
            date_format(buf, sizeof buf, lede_results_date(res, i), 1);
            date = json_string(buf);
        }
        /* Missing is null, for the url as for the date. */
        const char *u = lede_results_url(res, i);
        json_t *url = *u ? json_string(u) : json_null();
        json_t *o = json_pack(
            "{s:I, s:f, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, "
            "s:o, s:I, s:I, s:b}",
            "rank", (json_int_t)(offset + i + 1), "score",
            lede_results_score(res, i), "article_id",
            lede_results_article_id(res, i), "title",
            lede_results_title(res, i), "passage",
            (json_int_t)lede_results_passage(res, i), "start",
            (json_int_t)lede_results_start(res, i), "end",
            (json_int_t)lede_results_end(res, i), "text",
            lede_results_text(res, i), "snippet", snippet, "highlights", spans,
            "date", date, "url", url, "fields", fields_json(res, i), "similar",
            (json_int_t)lede_results_similar(res, i), "total",
            (json_int_t)lede_results_estimated(res), "total_exact",
            lede_results_exact(res));
        lede_free(snippet);
        if (o && qid)
            json_object_set_new(o, "qid", json_string(qid));
        if (o && s->explain)
            json_object_set_new(o, "explain", explain_json(res, i));
        if (jsonl_line(o) < 0)
            return -1;
    }
    return 0;
}

/* --count --json: the count alone, as the results carry it. */
int jsonl_count(const lede_results *res, const char *qid)
{
    json_t *o = json_pack("{s:I, s:b}", "total",
                          (json_int_t)lede_results_estimated(res),
                          "total_exact", lede_results_exact(res));
    if (o && qid)
        json_object_set_new(o, "qid", json_string(qid));
    return jsonl_line(o);
}

int jsonl_facets(const lede_results *res, const char *qid)
{
    size_t nf = lede_results_facet_count(res);
    if (nf == 0)
        return 0;
    json_t *all = json_object();
    for (size_t f = 0; all && f < nf; f++) {
        const char *name;
        uint64_t distinct;
        size_t n;
        const lede_facet_value *v =
            lede_results_facet(res, f, &name, &distinct, &n);
        json_t *values = json_array();
        for (size_t k = 0; values && k < n; k++)
            json_array_append_new(values, json_pack("[s,I]", v[k].value,
                                                    (json_int_t)v[k].articles));
        json_object_set_new(all, name,
                            json_pack("{s:I, s:o}", "distinct",
                                      (json_int_t)distinct, "values",
                                      values ? values : json_null()));
    }
    json_t *o = all ? json_pack("{s:o}", "facets", all) : NULL;
    if (o && qid)
        json_object_set_new(o, "qid", json_string(qid));
    return jsonl_line(o);
}

int jsonl_article(const lede_stored *st)
{
    const lede_article *a = lede_stored_article(st);
    json_t *date = json_null(), *fields = json_object(), *pass = json_array();
    if (a->date != LEDE_NO_DATE) {
        char buf[32];
        date_format(buf, sizeof buf, a->date, 1);
        date = json_string(buf);
    }
    for (size_t k = 0; fields && k < a->n_fields; k++) {
        json_t *v = json_object_get(fields, a->fields[k].name);
        if (v == NULL) {
            v = json_array();
            json_object_set_new(fields, a->fields[k].name, v);
        }
        json_array_append_new(v, json_string(a->fields[k].value));
    }
    for (size_t i = 0; pass && i < lede_stored_passage_count(st); i++) {
        size_t start, end;
        lede_stored_passage(st, i, &start, &end);
        json_array_append_new(
            pass, json_pack("[I,I]", (json_int_t)start, (json_int_t)end));
    }
    const char *src = lede_stored_source(st);
    json_t *o = json_pack(
        "{s:s, s:s%, s:o, s:o, s:o, s:o, s:o, s:o, s:s%}", "article_id", a->id,
        "title", a->title ? a->title : "", a->title_len, "date", date, "url",
        a->url ? json_string(a->url) : json_null(), "fields",
        fields ? fields : json_null(), "path",
        a->path ? json_string(a->path) : json_null(), "source",
        src ? json_string(src) : json_null(), "passages",
        pass ? pass : json_null(), "text", a->body ? a->body : "", a->body_len);
    return jsonl_line(o);
}
