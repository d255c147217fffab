/*
 * lede-search's output for people: each passage's rank, title, date, id
 * and score, its snippet wrapped with the matches in bold on a terminal,
 * the --explain lines, and the count of matching articles. Text from the
 * index is shown with its control characters visible.
 * Calls liblede (lede.h: the results' getters), date.c and cli/visible.c.
 */
#include "../cli/visible.h"
#include "searcher.h"

#include <stdio.h>
#include <string.h>

/* Snippets are wrapped to this many characters, after the indent. */
#define WRAP 76
#define BOLD "\033[1m"
#define PLAIN "\033[0m"
/* Highlights are marked in a snippet with bytes that UTF-8 text never
 * holds (the index stores its text as valid UTF-8), so that they cannot be
 * confused with the text's own, which is made visible. */
#define MARK_START "\xfe"
#define MARK_END "\xff"

/* "s" unless n is 1: "1 article", "2 articles". */
static const char *plural(unsigned long long n)
{
    return n == 1 ? "" : "s";
}

/* Print a snippet with its whitespace collapsed, wrapped at WRAP
 * characters (UTF-8 code points; highlight marks take no room, visible
 * forms of control characters take theirs) and indented. The marks become
 * the colour changes, or nothing without colour. A passage without text
 * (an article that is only a title) says so, as "(untitled)" does. */
static void print_wrapped(const char *text, const char *indent, int color)
{
    size_t col = 0;
    const char *p = text, *end = text + strlen(text);
    char buf[VIS_MAX];

    fputs(indent, stdout);
    if (p[strspn(p, " \t\n\r")] == '\0')
        fputs("(no text)", stdout);
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == '\0')
            break;
        const char *w = p;
        size_t chars = 0;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            if (*p == *MARK_START || *p == *MARK_END) {
                p++;
                continue;
            }
            size_t k = vis_unit(buf, p, (size_t)(end - p));
            chars += buf[0] ? strlen(buf) : 1;
            p += k;
        }
        if (col > 0 && col + 1 + chars > WRAP) {
            fputc('\n', stdout);
            fputs(indent, stdout);
            col = 0;
        } else if (col > 0) {
            fputc(' ', stdout);
            col++;
        }
        for (const char *q = w; q < p;) {
            size_t n = 0;
            while (q + n < p && q[n] != *MARK_START && q[n] != *MARK_END)
                n++;
            vis_write(q, n, stdout);
            q += n;
            if (q < p) {
                if (color)
                    fputs(*q == *MARK_START ? BOLD : PLAIN, stdout);
                q++;
            }
        }
        col += chars;
    }
    fputc('\n', stdout);
}

/* The hit's fields on one line, "author: A, B; section: S", each name
 * once in the order first given. */
static void print_fields(const lede_results *res, size_t i)
{
    size_t n;
    const lede_field *f = lede_results_fields(res, i, &n);
    for (size_t k = 0; k < n; k++) {
        size_t j = 0;
        while (j < k && strcmp(f[j].name, f[k].name) != 0)
            j++;
        if (j < k)
            continue; /* printed with the first value of its name */
        printf("%s%s: ", k ? "; " : "   ", f[k].name);
        for (size_t m = k, first = 1; m < n; m++) {
            if (strcmp(f[m].name, f[k].name) != 0)
                continue;
            printf("%s%s", first ? "" : " | ", vis(f[m].value));
            first = 0;
        }
    }
    if (n > 0)
        fputc('\n', stdout);
}

int human_print(const lede_results *res, size_t offset, const settings *s)
{
    for (size_t i = 0; i < lede_results_count(res); i++) {
        const char *title = lede_results_title(res, i);
        char date[32] = "", *snippet;
        if (lede_results_date(res, i) != LEDE_NO_DATE)
            date_format(date, sizeof date, lede_results_date(res, i), 0);
        if (lede_results_snippet(&snippet, res, i, MARK_START, MARK_END) < 0) {
            fprintf(stderr, "%s: %s\n", prog, vis(lede_error_last()));
            return -1;
        }
        if (i > 0)
            fputc('\n', stdout);
        printf("%zu. %s%s%s\n", offset + i + 1, s->color ? BOLD : "",
               *title ? vis(title) : "(untitled)", s->color ? PLAIN : "");
        printf("   %s%s%s #%u  score %.4f", date, *date ? "  " : "",
               vis(lede_results_article_id(res, i)),
               lede_results_passage(res, i), lede_results_score(res, i));
        if (lede_results_similar(res, i) > 0)
            printf("  similar %u", lede_results_similar(res, i));
        fputc('\n', stdout);
        print_fields(res, i);
        print_wrapped(snippet, "   ", s->color);
        lede_free(snippet);
        size_t n;
        const lede_explain *ex = lede_results_explain(res, i, &n);
        for (size_t k = 0; k < n; k++)
            printf("     %-20s tf %llu  df %llu  idf %.4f  length %llu  "
                   "weight %.4f\n",
                   vis(ex[k].term), (unsigned long long)ex[k].tf,
                   (unsigned long long)ex[k].df, ex[k].idf,
                   (unsigned long long)ex[k].length, ex[k].weight);
    }
    size_t n = lede_results_count(res);
    unsigned long long total = lede_results_estimated(res);
    const char *about = lede_results_exact(res) ? "" : "about ";
    if (n > 0 && s->so.per_article == 1)
        printf("\n%zu-%zu of %s%llu matching article%s\n", offset + 1,
               offset + n, about, total, plural(total));
    else if (n > 0)
        printf("\npassages %zu-%zu, of %s%llu matching article%s\n", offset + 1,
               offset + n, about, total, plural(total));
    return 0;
}

void human_facets(const lede_results *res)
{
    size_t nf = lede_results_facet_count(res);
    if (nf > 0)
        printf("\nmatching articles by\n");
    for (size_t f = 0; f < nf; f++) {
        const char *name;
        uint64_t distinct;
        size_t n;
        const lede_facet_value *v =
            lede_results_facet(res, f, &name, &distinct, &n);
        printf("  %s:", name);
        for (size_t k = 0; k < n; k++)
            printf("%s %s %llu", k ? " |" : "", vis(v[k].value),
                   (unsigned long long)v[k].articles);
        if (n == 0)
            printf(" none");
        if (distinct > n)
            printf(" (%llu more value%s)", (unsigned long long)(distinct - n),
                   distinct - n == 1 ? "" : "s");
        fputc('\n', stdout);
    }
}

void human_article(const lede_stored *st)
{
    const lede_article *a = lede_stored_article(st);
    char date[32] = "";
    if (a->date != LEDE_NO_DATE)
        date_format(date, sizeof date, a->date, 1);
    printf("%s\n", a->title_len ? vis(a->title) : "(untitled)");
    printf("   %s%s%s", vis(a->id), *date ? "  " : "", date);
    if (a->url != NULL)
        printf("  %s", vis(a->url));
    fputc('\n', stdout);
    for (size_t k = 0; k < a->n_fields; k++) {
        size_t j = 0;
        while (j < k && strcmp(a->fields[j].name, a->fields[k].name) != 0)
            j++;
        if (j < k)
            continue;
        printf("%s%s: ", k ? "; " : "   ", a->fields[k].name);
        for (size_t m = k, first = 1; m < a->n_fields; m++) {
            if (strcmp(a->fields[m].name, a->fields[k].name) != 0)
                continue;
            printf("%s%s", first ? "" : " | ", vis(a->fields[m].value));
            first = 0;
        }
    }
    if (a->n_fields > 0)
        fputc('\n', stdout);
    if (a->path != NULL)
        printf("   path: %s\n", vis(a->path));
    if (lede_stored_source(st) != NULL)
        printf("   source: %s\n", vis(lede_stored_source(st)));
    printf("   %zu passage%s\n\n", lede_stored_passage_count(st),
           lede_stored_passage_count(st) == 1 ? "" : "s");
    /* The text as stored, its lines and tabs as they are (other control
     * characters shown visibly, as in any text from the index). */
    for (size_t i = 0; i < a->body_len;) {
        char buf[VIS_MAX];
        size_t n = vis_unit(buf, a->body + i, a->body_len - i);
        if (*buf && a->body[i] != '\n' && a->body[i] != '\t')
            fputs(buf, stdout);
        else
            fwrite(a->body + i, 1, n, stdout);
        i += n;
    }
    if (a->body_len > 0 && a->body[a->body_len - 1] != '\n')
        fputc('\n', stdout);
}
