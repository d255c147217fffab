/*
 * visible.h - text from an index or a corpus, made safe to print.
 *
 * Titles, snippets, ids, file names and messages that quote them come
 * from files lede does not trust: printed as they are, an escape sequence
 * among them would drive the terminal (recolour, retitle, move the cursor,
 * rewrite lines already printed). These helpers show every control
 * character and every byte that is not UTF-8 as visible text instead:
 *   - C0 controls (U+0000..U+001F) and DEL as \xHH ("\x1b" for ESC);
 *   - C1 controls (U+0080..U+009F) as \u00HH ("\u009b" for CSI);
 *   - a byte that does not belong to a valid UTF-8 sequence as \xHH.
 * The form is for reading, not for decoding back: a backslash in the text
 * is printed as it is.
 */
#ifndef LEDE_CLI_VISIBLE_H
#define LEDE_CLI_VISIBLE_H

#include <stddef.h>
#include <stdio.h>

/* Room for the longest visible form ("\u009f") and its NUL. */
#define VIS_MAX 8

/* The unit of text at the start of s[0..n), n > 0: a UTF-8 sequence, or
 * one byte that is not part of one. Returns its length in bytes; buf
 * receives its visible form when it is a control character or an invalid
 * byte, and "" when it is printed as it is. */
size_t vis_unit(char buf[VIS_MAX], const char *s, size_t n);

/* Write s[0..n) to f with the controls made visible. */
void vis_write(const char *s, size_t n, FILE *f);

/* s with the controls made visible, for printf's "%s": s itself when it
 * has none, else a copy that stays valid for the next VIS_SLOTS calls. */
#define VIS_SLOTS 8
const char *vis(const char *s);

#endif
