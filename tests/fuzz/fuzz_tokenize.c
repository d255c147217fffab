/*
 * fuzz_tokenize.c - fuzz target of the tokenizer (tokenize.c).
 *
 * Any bytes are a text: lede_tokenize() takes invalid UTF-8 too. Checks
 * that each word is 1 to LEDE__TOKEN_MAX bytes once folded, that its
 * offsets lie in the text, in order and without overlap, and that
 * positions go up; and, for ASCII text, that the fast path gives exactly
 * the words of ICU's iterator, as tokenize.c promises.
 */
#include "fuzz.h"
#include "lede_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t size;       /* bytes of the text */
    size_t last_end;   /* end of the previous word */
    uint32_t last_pos; /* position of the previous word */
    lede__buf out;     /* the words as "start end pos term\n" */
} seen;

static int check_word(const lede__token *t, void *payload)
{
    seen *s = payload;
    FUZZ_CHECK(t->len >= 1 && t->len <= LEDE__TOKEN_MAX);
    FUZZ_CHECK(t->start < t->end && t->end <= s->size);
    FUZZ_CHECK(t->start >= s->last_end);
    FUZZ_CHECK(t->pos > s->last_pos);
    fuzz_touch(t->term, t->len);
    s->last_end = t->end;
    s->last_pos = t->pos;
    if (lede__buf_printf(&s->out, "%zu %zu %u ", t->start, t->end,
                         (unsigned)t->pos) < 0 ||
        lede__buf_put(&s->out, t->term, t->len) < 0 ||
        lede__buf_putc(&s->out, '\n') < 0)
        abort();
    return 0;
}

static lede__tokenizer *tok; /* made once, reused as the index does */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    seen fast = {size, 0, 0, LEDE__BUF_INIT};
    seen icu = {size, 0, 0, LEDE__BUF_INIT};
    int ascii = 1;

    if (tok == NULL && lede__tokenizer_new(&tok) < 0)
        abort();
    for (size_t i = 0; i < size && ascii; i++)
        ascii = data[i] < 0x80;
    FUZZ_CHECK(lede__tokenizer_run(tok, text, size, check_word, &fast) == 0);
    if (ascii) {
        FUZZ_CHECK(lede__tokenizer_run_icu(tok, text, size, check_word, &icu) ==
                   0);
        FUZZ_CHECK(fast.out.len == icu.out.len &&
                   (fast.out.len == 0 ||
                    memcmp(fast.out.data, icu.out.data, fast.out.len) == 0));
    }
    lede__buf_free(&fast.out);
    lede__buf_free(&icu.out);
    return 0;
}
