/*
 * jsonkeys.c - the JSON Lines keys a sync reads, kept with the index.
 *
 * Owns the metadata record of the keys that name an article's id, title,
 * text, date, URL and keyword fields in JSON Lines input (the json_*
 * read options): a sync given any of them stores them all, and a sync
 * given none reads by the stored ones, so that a nightly run that leaves
 * out the renames of the first one does not read every changed line
 * without its byline, or its id. Knows nothing of reading. Calls buf.c,
 * error.c and the shim.
 *
 * Record: "NAME\tKEY\n" for each key given, NAME one of id, title, text,
 * date, url, fields (json_fields' "FIELD=KEY,..." list).
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <string.h>

#define META_KEY "lede:json"

/* The options' key settings, in the order of the record. */
static const char **slot(lede_read_options *ro, size_t i)
{
    const char **v[] = {&ro->json_id,   &ro->json_title, &ro->json_text,
                        &ro->json_date, &ro->json_url,   &ro->json_fields};
    return v[i];
}

static const char *const names[] = {"id",   "title", "text",
                                    "date", "url",   "fields"};
#define NSLOTS (sizeof names / sizeof *names)

int lede__jsonkeys_resolve(lede_read_options *ro, lede__buf *keep,
                           lede__xdb *db, int *stored_out)
{
    lede__buf rec = LEDE__BUF_INIT;
    int given = 0, rc = 0;
    *stored_out = 0;
    for (size_t i = 0; i < NSLOTS; i++)
        given = given || *slot(ro, i) != NULL;
    if (given) {
        for (size_t i = 0; i < NSLOTS && rc == 0; i++) {
            const char *v = *slot(ro, i);
            if (v != NULL && (strchr(v, '\t') || strchr(v, '\n')))
                rc = lede__error_set(LEDE_EINVAL,
                                     "JSON key '%s' holds a tab or a line "
                                     "break",
                                     v);
            else if (v != NULL)
                rc = lede__buf_printf(&rec, "%s\t%s\n", names[i], v);
        }
        if (rc == 0)
            rc = lede__xdb_get_metadata(keep, db, META_KEY);
        if (rc == 0 && (keep->len != rec.len ||
                        memcmp(keep->data, rec.data, rec.len) != 0)) {
            if ((rc = lede__xdb_begin(db)) == 0 &&
                (rc = lede__xdb_set_metadata(db, META_KEY, rec.data,
                                             rec.len)) == 0)
                *stored_out = 1;
        }
        lede__buf_free(&rec);
        return rc;
    }
    if ((rc = lede__xdb_get_metadata(keep, db, META_KEY)) < 0)
        return rc;
    /* Each line's name and key, NUL-terminated in place. */
    for (char *p = keep->data; p != NULL && *p;) {
        char *tab = strchr(p, '\t'), *nl = tab ? strchr(tab, '\n') : NULL;
        if (tab == NULL || nl == NULL)
            return lede__error_set(LEDE_ECORRUPT, "bad %s record", META_KEY);
        *tab = *nl = '\0';
        for (size_t i = 0; i < NSLOTS; i++)
            if (strcmp(p, names[i]) == 0)
                *slot(ro, i) = tab + 1;
        p = nl + 1;
    }
    return 0;
}
