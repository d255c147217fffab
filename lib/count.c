/*
 * count.c - how many articles a query matches.
 *
 * Owns the count shown beside the hits: of articles, not passages. Up to
 * COUNT_EXACT_UP_TO passages it is exact; past that an estimate, unless
 * LEDE_SEARCH_COUNT asks for every match to be counted. With one passage
 * per article the ranked search itself looks at that many passages and
 * reports what it saw (Xapian's estimate of a collapsed match, with an
 * article as its key), so the count costs no match of its own, and when
 * the query's bounds alone show that more passages match, it looks at
 * none beyond what ranking needs, as the count is an estimate either way
 * (a little rougher for it). Otherwise the count is a match apart,
 * collapsed on the article.
 * Does not rank. Calls index.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <string.h>

/* Matching passages looked at before the count of their articles becomes
 * an estimate: a tenth of a millisecond on a news index. */
#define COUNT_EXACT_UP_TO 500

/* Articles from what Xapian said of a match (c) that looked at `most`
 * passages. */
static int from_count(uint64_t *n_out, int *exact_out, lede__xdb *db,
                      const lede__xcount *c, uint64_t most, uint64_t known)
{
    uint64_t n, articles;
    int rc;
    /* Xapian looked at every match until `most` articles were kept, and
     * counted those exactly; past that it skipped what could not rank.
     * When it looked at every passage, the articles it saw are all. */
    *exact_out = most >= c->docs || c->passages_most <= most;
    n = *exact_out ? c->articles_least : c->articles_estimated;
    if (!*exact_out) {
        if ((rc = lede__xdb_termfreq(&articles, db, LEDE__TERM_ARTICLE,
                                     strlen(LEDE__TERM_ARTICLE))) < 0)
            return rc;
        n = n > articles ? articles : n;
        n = n < known ? known : n;
    }
    *n_out = n;
    return 0;
}

uint64_t lede__count_at_least(unsigned flags)
{
    return flags & LEDE_SEARCH_COUNT ? UINT64_MAX : COUNT_EXACT_UP_TO;
}

int lede__count_articles(uint64_t *n_out, int *exact_out, lede_index *idx,
                         const lede__qnode *root, unsigned flags,
                         const struct lede__xcount *found, uint64_t known,
                         int all)
{
    lede__xdb *db = lede__index_db(idx);
    const uint64_t most = lede__count_at_least(flags);
    lede__xcount c;
    int rc;
    if (all) {
        *n_out = known;
        *exact_out = 1;
        return 0;
    }
    if (found != NULL)
        return from_count(n_out, exact_out, db, found, most, known);
    do
        rc = lede__xdb_count(&c, db, root, LEDE__SLOT_ARTICLE, most);
    while (rc < 0 && (rc = lede__index_shard_failed(idx, rc)) == 0);
    if (rc < 0)
        return rc;
    return from_count(n_out, exact_out, db, &c, most, known);
}
