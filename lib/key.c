/*
 * key.c - strings made short enough to be Xapian terms and metadata keys.
 *
 * Owns the one rule by which a string of any length (an article id, a
 * corpus file's key) becomes a term or metadata key within Xapian's
 * 245-byte limit, and the article-id term built by it: the term that
 * reaches every passage of an article, for replacing, deleting and
 * looking it up. A changed rule would lose every long id already
 * indexed, so it lives here alone. Its section of lede_int.h also names
 * the other terms and the value slots a passage document carries
 * (docs/design.md). Calls buf.c and hash.c.
 */
#include "lede_int.h"

/* Strings up to this length are their own key; longer ones are cut and
 * completed with a hash, to stay within Xapian's 245-byte term limit. */
#define KEY_DIRECT 200
#define KEY_CUT 180

int lede__key_short(lede__buf *out, const char *prefix, const char *s,
                    size_t len)
{
    lede__buf_clear(out);
    int rc = lede__buf_puts(out, prefix);
    if (rc < 0 || len <= KEY_DIRECT)
        return rc < 0 ? rc : lede__buf_put(out, s, len);
    size_t cut = KEY_CUT;
    while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
        cut--; /* do not split a UTF-8 sequence */
    rc = lede__buf_put(out, s, cut);
    if (rc == 0)
        rc = lede__buf_printf(out, "#%016llx",
                              (unsigned long long)lede__hash_fnv1a(s, len));
    return rc;
}

int lede__key_id_term(lede__buf *out, const char *id, size_t len)
{
    return lede__key_short(out, LEDE__PREFIX_ID, id, len);
}
