/*
 * jsoncheck - check lede-search --json output with a real JSON parser.
 * Usage: jsoncheck [--explain] < output
 * Every line must be a JSON object: a result with every documented field
 * of the right type (highlights inside the text, in order; with
 * --explain, explanation weights that sum to the score within 1e-6), or a
 * {"suggestion": ...} object, or a {"missing_shards": [...]} object
 * (with a "qid" or not). Prints the number of results; exits 1 on the
 * first line that fails, saying why.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed(size_t line, const char *why)
{
    fprintf(stderr, "jsoncheck: line %zu: %s\n", line, why);
    return 1;
}

/* {"missing_shards": ["remote HOST:PORT", ...]}, with a "qid" or not. */
static int check_missing(json_t *o, size_t line)
{
    json_t *a = json_object_get(o, "missing_shards");
    json_t *qid = json_object_get(o, "qid");
    if (!json_is_array(a) || json_array_size(a) == 0)
        return failed(line, "missing_shards is not a non-empty array");
    for (size_t i = 0; i < json_array_size(a); i++) {
        if (!json_is_string(json_array_get(a, i)))
            return failed(line, "a missing shard is not a string");
    }
    if (json_object_size(o) != (qid ? 2u : 1u) || (qid && !json_is_string(qid)))
        return failed(line, "a missing_shards object has other fields");
    return 0;
}

static int check_result(json_t *o, size_t line, int explain)
{
    static const struct {
        const char *name;
        json_type type;
    } fields[] = {{"rank", JSON_INTEGER},      {"score", JSON_REAL},
                  {"article_id", JSON_STRING}, {"title", JSON_STRING},
                  {"passage", JSON_INTEGER},   {"start", JSON_INTEGER},
                  {"end", JSON_INTEGER},       {"text", JSON_STRING},
                  {"snippet", JSON_STRING},    {"highlights", JSON_ARRAY},
                  {"similar", JSON_INTEGER},   {"total", JSON_INTEGER}};
    char why[256];
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        json_t *v = json_object_get(o, fields[i].name);
        if (v == NULL || json_typeof(v) != fields[i].type) {
            snprintf(why, sizeof why, "field '%s' missing or of wrong type",
                     fields[i].name);
            return failed(line, why);
        }
    }
    /* Missing is null, for the url as for the date. */
    json_t *url = json_object_get(o, "url");
    if (!json_is_null(url) &&
        !(json_is_string(url) && *json_string_value(url) != '\0'))
        return failed(line, "url is neither a non-empty string nor null");
    json_t *exact = json_object_get(o, "total_exact");
    if (exact == NULL || !json_is_boolean(exact))
        return failed(line, "field 'total_exact' missing or not a boolean");
    json_t *date = json_object_get(o, "date");
    if (date == NULL || !(json_is_null(date) || json_is_string(date)))
        return failed(line, "field 'date' missing, or not a string or null");
    json_int_t start = json_integer_value(json_object_get(o, "start"));
    json_int_t end = json_integer_value(json_object_get(o, "end"));
    size_t tlen = json_string_length(json_object_get(o, "text"));
    if (end < start || (size_t)(end - start) != tlen)
        return failed(line, "end - start is not the length of text");
    json_t *hl = json_object_get(o, "highlights");
    json_int_t prev = 0;
    for (size_t i = 0; i < json_array_size(hl); i++) {
        json_t *s = json_array_get(hl, i);
        if (!json_is_array(s) || json_array_size(s) != 2)
            return failed(line, "a highlight is not [start,end]");
        json_int_t a = json_integer_value(json_array_get(s, 0));
        json_int_t b = json_integer_value(json_array_get(s, 1));
        if (a < prev || b <= a || (size_t)b > tlen)
            return failed(line, "highlights out of order or outside text");
        prev = b;
    }
    json_t *ex = json_object_get(o, "explain");
    if (explain) {
        if (!json_is_array(ex) || json_array_size(ex) == 0)
            return failed(line, "no explain array");
        double sum = 0;
        for (size_t i = 0; i < json_array_size(ex); i++) {
            json_t *e = json_array_get(ex, i);
            if (!json_is_string(json_object_get(e, "term")) ||
                !json_is_integer(json_object_get(e, "tf")) ||
                !json_is_integer(json_object_get(e, "df")) ||
                !json_is_real(json_object_get(e, "idf")) ||
                !json_is_integer(json_object_get(e, "length")) ||
                !json_is_real(json_object_get(e, "weight")))
                return failed(line, "an explain entry lacks a field");
            sum += json_real_value(json_object_get(e, "weight"));
        }
        double score = json_real_value(json_object_get(o, "score"));
        if (fabs(sum - score) > 1e-6) {
            snprintf(why, sizeof why, "explain sums to %.9f, score %.9f", sum,
                     score);
            return failed(line, why);
        }
    } else if (ex != NULL) {
        return failed(line, "explain without --explain");
    }
    return 0;
}

int main(int argc, char **argv)
{
    int explain = argc > 1 && strcmp(argv[1], "--explain") == 0;
    char *buf = NULL;
    size_t cap = 0, line = 0, results = 0;
    ssize_t n;
    while ((n = getline(&buf, &cap, stdin)) >= 0) {
        json_error_t err;
        line++;
        json_t *o = json_loads(buf, 0, &err);
        if (o == NULL || !json_is_object(o)) {
            json_decref(o);
            free(buf);
            return failed(line, o ? "not an object" : err.text);
        }
        int rc = 0;
        if (json_object_get(o, "suggestion") != NULL) {
            if (!json_is_string(json_object_get(o, "suggestion")) ||
                json_object_size(o) != 1)
                rc = failed(line, "a suggestion object has other fields");
        } else if (json_object_get(o, "missing_shards") != NULL) {
            rc = check_missing(o, line);
        } else {
            rc = check_result(o, line, explain);
            results++;
        }
        json_decref(o);
        if (rc) {
            free(buf);
            return 1;
        }
    }
    free(buf);
    printf("%zu\n", results);
    return 0;
}
