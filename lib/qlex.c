/*
 * qlex.c - the tokens of the query language.
 *
 * Owns what the characters of a query are: parentheses, the operators
 * AND, OR and NOT (upper case only, so "and" stays a word), + and - before
 * a term, "quoted phrases" with an optional ~N, the fields title: and
 * date:, and words (which may end in '*'). A field is a name of ASCII
 * letters (then letters, digits or '_') directly followed by ':' and a
 * term; any other colon is text ("10:30", "http://x"), and an unknown
 * field name is an error rather than a phrase of its parts, as Lucene's
 * fuzzy "word~N" is rather than the phrase of the word and N. It does not
 * know what the tokens mean; query.c does. Errors give the column, in
 * characters from 1. Calls error.c.
 */
#include "lede_int.h"

#include <stdio.h>
#include <string.h>

size_t lede__qlex_column(const char *text, size_t off)
{
    size_t col = 1;
    for (size_t i = 0; i < off && text[i]; i++)
        col += ((unsigned char)text[i] & 0xc0) != 0x80;
    return col;
}

static int error_at(const char *text, size_t off, const char *fmt, ...)
    LEDE__PRINTF(3, 4);

static int error_at(const char *text, size_t off, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lede__error_set(LEDE_EINVAL, "query: %s at column %zu", msg,
                           lede__qlex_column(text, off));
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int ends_word(char c)
{
    return c == '\0' || is_space(c) || c == '(' || c == ')' || c == '"';
}

static int starts_with(const char *s, const char *p)
{
    size_t n = strlen(p);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != p[i])
            return 0;
    }
    return 1;
}

/* Read a quoted phrase starting at the '"' at *pos into t. */
static int lex_phrase(lede__qtok *t, const char *text, size_t len, size_t *pos)
{
    size_t open = *pos;
    const char *close = memchr(text + open + 1, '"', len - open - 1);
    if (close == NULL)
        return error_at(text, open, "unterminated quote");
    t->a = open + 1;
    t->b = (size_t)(close - text);
    *pos = t->b + 1;
    if (*pos < len && text[*pos] == '~') {
        size_t at = (*pos)++;
        unsigned long n = 0;
        size_t digits = 0;
        while (*pos < len && text[*pos] >= '0' && text[*pos] <= '9' &&
               digits < 9) {
            n = n * 10 + (unsigned long)(text[(*pos)++] - '0');
            digits++;
        }
        if (digits == 0 || !ends_word(text[*pos]))
            return error_at(text, at,
                            "'~' must be followed by a number of "
                            "words (0 to %d)",
                            LEDE_PHRASE_MAX_SLOP);
        /* A wide window makes the matcher try every placement of the
         * phrase's words in it, passage by passage. */
        if (n > LEDE_PHRASE_MAX_SLOP)
            return error_at(text, at, "'~%lu' is over the limit of %d words", n,
                            LEDE_PHRASE_MAX_SLOP);
        t->slop = (unsigned)n;
        t->has_slop = 1;
    }
    return 0;
}

/* Lucene's fuzzy term ("blair~", "blair~2", "blair~0.8") inside the word
 * text[a, b): an error at its '~', since the tokenizer would otherwise
 * read it as the phrase "blair 2" and find nothing, without a word. */
static int fuzzy_tilde(const char *text, size_t a, size_t b)
{
    for (size_t i = a + 1; i < b; i++) {
        if (text[i] != '~')
            continue;
        size_t j = i + 1;
        while (j < b && ((text[j] >= '0' && text[j] <= '9') || text[j] == '.'))
            j++;
        if (j == b)
            return error_at(text, i,
                            "'~' after a word: fuzzy matching is not "
                            "supported; '~N' follows a quoted phrase "
                            "(\"a b\"~N)");
    }
    return 0;
}

static int is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of the field name at s ("author" of "author:x"), or 0 when
 * s does not start with one: letters, digits and '_' from a letter on,
 * then ':' and something a term can start with. */
static size_t field_name(const char *s)
{
    size_t n = 0;
    if (!is_ascii_letter(s[0]))
        return 0;
    while (is_ascii_letter(s[n]) || (s[n] >= '0' && s[n] <= '9') || s[n] == '_')
        n++;
    if (s[n] != ':')
        return 0;
    char c = s[n + 1];
    if (c == '\0' || is_space(c) || c == ')' || c == ':' || c == '/')
        return 0;
    return n;
}

/* The length of the name at s when s is a name, ':' and nothing (the
 * end, a space or ')'), else 0. */
static size_t bare_field(const char *s)
{
    size_t n = 0;
    if (!is_ascii_letter(s[0]))
        return 0;
    while (is_ascii_letter(s[n]) || (s[n] >= '0' && s[n] <= '9') || s[n] == '_')
        n++;
    if (s[n] != ':')
        return 0;
    char c = s[n + 1];
    return c == '\0' || is_space(c) || c == ')' ? n : 0;
}

int lede__qlex(lede__qtok *t, const char *text, size_t len, size_t *pos)
{
    memset(t, 0, sizeof *t);
    while (*pos < len && is_space(text[*pos]))
        (*pos)++;
    t->start = *pos;
    if (*pos >= len) {
        t->kind = LEDE__T_END;
        return 0;
    }
    char c = text[*pos];
    if (c == '(' || c == ')') {
        t->kind = c == '(' ? LEDE__T_LPAREN : LEDE__T_RPAREN;
        (*pos)++;
        return 0;
    }
    if (c == '"') {
        t->kind = LEDE__T_PHRASE;
        return lex_phrase(t, text, len, pos);
    }
    char next = text[*pos + 1];
    if ((c == '+' || c == '-') && next != '\0' && !is_space(next) &&
        next != ')') {
        t->kind = c == '+' ? LEDE__T_PLUS : LEDE__T_MINUS;
        (*pos)++;
        return 0;
    }
    if (starts_with(text + *pos, "title:") ||
        starts_with(text + *pos, "date:")) {
        int title = starts_with(text + *pos, "title:");
        size_t at = *pos;
        *pos += title ? 6 : 5;
        t->kind = title ? LEDE__T_TITLE : LEDE__T_DATE;
        if (title && text[*pos] == '"') {
            t->quoted = 1;
            return lex_phrase(t, text, len, pos);
        }
        t->a = *pos;
        while (!ends_word(text[*pos]))
            (*pos)++;
        t->b = *pos;
        if (t->a == t->b)
            return error_at(text, at, "%s needs a %s right after the colon",
                            title ? "title:" : "date:",
                            title ? "word or a phrase" : "date");
        return title ? fuzzy_tilde(text, t->a, t->b) : 0;
    }
    size_t field = field_name(text + *pos);
    size_t bare = field ? 0 : bare_field(text + *pos);
    if (bare > 0) {
        /* "section:" with nothing after it: query.c tells a field (an
         * error) from a word that ends a phrase ("summit: leaders"). */
        t->kind = LEDE__T_FIELD;
        t->na = *pos;
        t->nb = *pos + bare;
        *pos += bare + 1;
        t->a = t->b = *pos;
        return 0;
    }
    if (field > 0) {
        /* NAME:VALUE, NAME:"A VALUE": query.c knows the names. */
        t->kind = LEDE__T_FIELD;
        t->na = *pos;
        t->nb = *pos + field;
        *pos += field + 1;
        if (text[*pos] == '"') {
            t->quoted = 1;
            return lex_phrase(t, text, len, pos);
        }
        t->a = *pos;
        while (!ends_word(text[*pos]))
            (*pos)++;
        t->b = *pos;
        if (t->a == t->b)
            return error_at(text, t->na,
                            "%.*s: needs a value right after the colon",
                            (int)field, text + t->na);
        return 0;
    }
    t->a = *pos;
    while (!ends_word(text[*pos]))
        (*pos)++;
    t->b = *pos;
    size_t n = t->b - t->a;
    t->kind = LEDE__T_WORD;
    if (n == 3 && memcmp(text + t->a, "AND", 3) == 0)
        t->kind = LEDE__T_AND;
    else if (n == 2 && memcmp(text + t->a, "OR", 2) == 0)
        t->kind = LEDE__T_OR;
    else if (n == 3 && memcmp(text + t->a, "NOT", 3) == 0)
        t->kind = LEDE__T_NOT;
    return fuzzy_tilde(text, t->a, t->b);
}
