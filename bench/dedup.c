/*
 * dedup.c - what near-duplicate threshold a collection supports.
 *
 * Usage: dedup FILE...   (one-article .txt files: title line, then body)
 *
 * Prints, by SimHash distance (bits of 64), how many articles stay within
 * it after three kinds of edit (one word changed in the middle, a sentence
 * appended, the last paragraph dropped), and how many pairs of distinct
 * files are that close; then lists the close pairs (up to the threshold
 * asked by DEDUP_SHOW, default 12 bits) with their first words, to judge
 * by eye whether they are the same story.
 */
#include "lede_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static lede__tokenizer *tk;
static lede_index *idx; /* its stemmer: signatures are over stems */
static lede__buf stem;

static int add(const lede__token *t, void *p)
{
    if (lede__analysis_stem(&stem, lede__index_analysis(idx), t->term, t->len) <
        0)
        return -1;
    lede__simhash_add(p, stem.data, stem.len);
    return 0;
}

static uint64_t sig(const char *s, size_t n)
{
    lede__simhash h;
    lede__simhash_init(&h);
    lede__tokenizer_run(tk, s, n, add, &h);
    return lede__simhash_final(&h);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *b = malloc(1 << 22);
    *n = b ? fread(b, 1, (1 << 22) - 1, f) : 0;
    if (b)
        b[*n] = '\0';
    fclose(f);
    return b;
}

int main(int argc, char **argv)
{
    lede_index_options o = LEDE_INDEX_OPTIONS_INIT;
    char tmp[] = "/tmp/lede-dedup-XXXXXX";
    int show = getenv("DEDUP_SHOW") ? atoi(getenv("DEDUP_SHOW")) : 12;
    long word[65] = {0}, append[65] = {0}, drop[65] = {0}, pairs[65] = {0};

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\n", argv[0]);
        return 2;
    }
    o.mode = LEDE_OPEN_CREATE;
    if (mkdtemp(tmp) == NULL || lede_index_open(&idx, tmp, &o) < 0 ||
        lede__tokenizer_new(&tk) < 0) {
        fprintf(stderr, "%s: cannot set up\n", argv[0]);
        return 1;
    }
    int n = argc - 1;
    uint64_t *sigs = calloc((size_t)n, sizeof *sigs);
    char **heads = calloc((size_t)n, sizeof *heads);
    for (int i = 0; i < n; i++) {
        size_t len;
        char *t = slurp(argv[i + 1], &len);
        if (t == NULL || len < 2)
            continue;
        uint64_t s = sigs[i] = sig(t, len);
        char *c = strdup(t), *sp = strchr(c + len / 2, ' ');
        if (sp && sp[1]) {
            sp[1] = sp[1] == 'x' ? 'y' : 'x';
            word[lede__simhash_distance(s, sig(c, len))]++;
        }
        free(c);
        char *d = malloc(len + 64);
        memcpy(d, t, len);
        strcpy(d + len, " The company declined to comment further.");
        append[lede__simhash_distance(s, sig(d, strlen(d)))]++;
        free(d);
        for (size_t k = len - 2; k > 0; k--) {
            if (t[k] == '\n' && t[k - 1] == '\n') {
                drop[lede__simhash_distance(s, sig(t, k))]++;
                break;
            }
        }
        t[len > 70 ? 70 : len] = '\0';
        for (char *q = t; *q; q++)
            if (*q == '\n')
                *q = ' ';
        heads[i] = t;
    }
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (heads[i] && heads[j])
                pairs[lede__simhash_distance(sigs[i], sigs[j])]++;
    printf("bits  one-word  append-sentence  drop-last-paragraph  "
           "pairs-of-files\n");
    for (int b = 0; b <= 24; b++)
        printf("%4d  %8ld  %15ld  %19ld  %14ld\n", b, word[b], append[b],
               drop[b], pairs[b]);
    printf("\npairs within %d bits:\n", show);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            unsigned b = lede__simhash_distance(sigs[i], sigs[j]);
            if (heads[i] && heads[j] && (int)b <= show)
                printf("%2u  %s | %s\n    %s\n    %s\n", b, argv[i + 1],
                       argv[j + 1], heads[i], heads[j]);
        }
    lede_index_free(idx);
    return 0;
}
