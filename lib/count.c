/*
 * count.c - how many articles a query matches.
 *
 * Owns the count shown beside the hits: of articles, not passages. Up to
 * COUNT_EXACT_UP_TO passages it is exact; past that an estimate, unless
 * LEDE_SEARCH_COUNT asks for every match to be counted. With one passage
 * per article the ranked search itself looks at that many passages, so
 * an exact count costs no match of its own (when the query's bounds
 * show that more match, it looks at none beyond what ranking needs).
 * Past that, the estimate is not the ranked match's, which skips what
 * cannot rank and so estimates badly (a fourteenth of the true count
 * under a date range), but the articles in a sample of the index's
 * passages, every match in it looked at, scaled up. With another limit
 * per article, the count is a match of its own, collapsed on the
 * article.
 * Does not rank. Calls index.c and the shim.
 */
#include "lede_int.h"
#include "xapian_shim.h"

#include <string.h>

/* Matching passages looked at before the count of their articles becomes
 * an estimate: a tenth of a millisecond on a news index. */
#define COUNT_EXACT_UP_TO 500

/* Matching passages an estimate samples, about: its cost is that of
 * looking at as many matches, and 8 in 10 estimates are then within 12 %
 * of the true count on Reuters and BBC News (bench/eval/counts.py). */
#define COUNT_SAMPLE 200

/* An estimate of the articles matching root, when more than `most`
 * passages match and the ranked match (c) could only prune its way to
 * an estimate of its own, which is poor where a date range or an
 * exclusion cuts the matches (a fourteenth of the true count): the
 * articles in a sample of about COUNT_SAMPLE matching passages, spread
 * over the index (or over each shard), scaled up by the share of the
 * docids it took. */
static int sampled(uint64_t *n_out, lede_index *idx, const lede__qnode *root,
                   const lede__xcount *c)
{
    lede__xdb *db = lede__index_db(idx);
    uint64_t every = c->passages_estimated / COUNT_SAMPLE;
    lede__xcount s;
    int rc;
    if (every < 1)
        every = 1;
    do
        rc = lede__xdb_count_sample(&s, db, root, LEDE__TERM_ARTICLE,
                                    strlen(LEDE__TERM_ARTICLE), every);
    while (rc < 0 && (rc = lede__index_shard_failed(idx, rc)) == 0);
    if (rc == 0)
        *n_out = s.articles_estimated;
    return rc;
}

/* Articles from what Xapian said of a match (c) that looked at `most`
 * passages. */
static int from_count(uint64_t *n_out, int *exact_out, lede__xdb *db,
                      const lede__xcount *c, uint64_t most, uint64_t known)
{
    uint64_t n, articles;
    int rc;
    /* Xapian looked at every match until `most` passages were seen, and
     * counted their articles exactly; past that it skipped what could not
     * rank. When it looked at every passage, the articles it saw are all:
     * when its bound on passages says so, or when it saw fewer than
     * `most` (it cannot have stopped before `most`), as its upper bound
     * stays loose under a collapse (1,029 for 393 passages on BBC). */
    *exact_out =
        most >= c->docs || c->passages_most <= most || c->passages_least < most;
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
    if (found != NULL) {
        /* A remote shard cannot run the sample (xapian-tcpsrv knows no
         * posting source of lede's): its estimate is the ranked one. */
        if ((rc = from_count(n_out, exact_out, db, found, most, known)) < 0 ||
            *exact_out || lede__index_remote(idx))
            return rc;
        uint64_t n = 0, articles;
        if ((rc = sampled(&n, idx, root, found)) < 0 ||
            (rc = lede__xdb_termfreq(&articles, db, LEDE__TERM_ARTICLE,
                                     strlen(LEDE__TERM_ARTICLE))) < 0)
            return rc;
        n = n > articles ? articles : n;
        *n_out = n < known ? known : n;
        return 0;
    }
    do
        rc = lede__xdb_count(&c, db, root, LEDE__SLOT_ARTICLE, most);
    while (rc < 0 && (rc = lede__index_shard_failed(idx, rc)) == 0);
    if (rc < 0)
        return rc;
    return from_count(n_out, exact_out, db, &c, most, known);
}
