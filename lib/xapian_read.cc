/*
 * xapian_read.cc - every read of the C++ boundary: searches, counts, walks
 * of terms, documents and metadata, and what explanations and spelling
 * suggestions read.
 *
 * The C side hands over a finished query tree (query.c) and the search's
 * settings; this file turns them into a Xapian query and an Enquire, and
 * the MSet back into C hits. Each read runs in read() (xapian_int.h), so
 * one that meets a writer runs again when retry.c says. It decides
 * nothing: which value slot holds what, what a count's bounds mean and
 * what is retried are the C side's (search.c, retry.c). Calls error.c,
 * buf.c, alloc.c, retry.c, xapian_lucene.cc, xapian_shard.cc and
 * xapian_shim.cc (guard()'s
 * fail(), through xapian_int.h).
 */
#include "xapian_int.h"

#include <algorithm>

using lede_x::guard;
using lede_x::put;
using lede_x::read;

namespace
{

/* Docids a block of a count's sample. */
constexpr uint64_t SAMPLE_BLOCK = 64;

/* The Xapian query for a query tree of query.c's; for counting (count),
 * without the proximity pairs, which only weigh and never match a
 * passage that their words do not. */
Xapian::Query build(const lede__qnode *q, bool count = false)
{
    if (count && q->op == LEDE__Q_SCALE && q->nkids == 1 &&
        q->kids[0]->op == LEDE__Q_NEAR && q->kids[0]->proximity)
        return Xapian::Query::MatchNothing;
    std::vector<Xapian::Query> kids;
    kids.reserve(q->nkids);
    for (size_t i = 0; i < q->nkids; i++)
        kids.push_back(build(q->kids[i], count));
    switch (q->op) {
    case LEDE__Q_TERM:
        return Xapian::Query(std::string(q->term, q->len), q->wqf);
    case LEDE__Q_OR:
        return Xapian::Query(Xapian::Query::OP_OR, kids.begin(), kids.end());
    case LEDE__Q_AND:
        return Xapian::Query(Xapian::Query::OP_AND, kids.begin(), kids.end());
    case LEDE__Q_AND_NOT:
        return Xapian::Query(Xapian::Query::OP_AND_NOT, kids.begin(),
                             kids.end());
    case LEDE__Q_AND_MAYBE:
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, kids.begin(),
                             kids.end());
    case LEDE__Q_FILTER:
        return Xapian::Query(Xapian::Query::OP_FILTER, kids.begin(),
                             kids.end());
    case LEDE__Q_PHRASE:
        return Xapian::Query(Xapian::Query::OP_PHRASE, kids.begin(), kids.end(),
                             q->window);
    case LEDE__Q_NEAR:
        return Xapian::Query(Xapian::Query::OP_NEAR, kids.begin(), kids.end(),
                             q->window);
    case LEDE__Q_SCALE:
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, kids.at(0),
                             q->scale);
    case LEDE__Q_RANGE:
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, q->slot, q->lo,
                             q->hi);
    case LEDE__Q_ALL:
        return Xapian::Query::MatchAll;
    case LEDE__Q_NONE:
        return Xapian::Query::MatchNothing;
    }
    throw Xapian::InvalidArgumentError("unknown query operator");
}

/* A sample of a database's documents spread evenly over it, whatever the
 * order its articles were added in: every `every`-th block of SAMPLE_BLOCK
 * docids (a block holds whole articles but at its ends, as an article's
 * passages have docids in a row). Matches with weight 0; in a shard set
 * each shard is sampled alike. */
class Sample final : public Xapian::PostingSource
{
    uint64_t every_, last_ = 0, did_ = 0;

    // The first docid at or after d in the sample (past last_ at the end).
    uint64_t from(uint64_t d) const
    {
        uint64_t b = (d - 1) / SAMPLE_BLOCK;
        if (b % every_ != 0)
            d = (b / every_ + 1) * every_ * SAMPLE_BLOCK + 1;
        return d;
    }

  public:
    explicit Sample(uint64_t every) : every_(every)
    {
    }
    Sample *clone() const override
    {
        return new Sample(every_);
    }
    std::string name() const override
    {
        return "lede.Sample";
    }
    void init(const Xapian::Database &db) override
    {
        last_ = db.get_lastdocid();
        did_ = 0;
    }
    Xapian::doccount get_termfreq_min() const override
    {
        return 0;
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return Xapian::doccount(last_ / every_);
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return Xapian::doccount(last_);
    }
    void next(double) override
    {
        did_ = from(did_ + 1);
    }
    void skip_to(Xapian::docid d, double) override
    {
        if (d > did_)
            did_ = from(d);
    }
    bool at_end() const override
    {
        return did_ > last_;
    }
    Xapian::docid get_docid() const override
    {
        return Xapian::docid(did_);
    }
};

/* One try of a search (lede__xdb_search): read() may run it again. */
int search(lede__xhits *out, lede__xdb *db, const Xapian::Query &query,
           const lede__xsearch *p)
{
    lede__xhits_free(out);
    if (p->want_data != nullptr) // a new try: forget the last
        p->want_data(nullptr, 0, nullptr, 0, p->want_payload);
    Xapian::Enquire enq(db->db);
    if (p->parts > 0)
        enq.set_query(lede_x::only_shards(query, db, p->part, p->parts));
    else
        enq.set_query(query);
    // k2 = 0 and min_normlen = 0.5 are Xapian's defaults.
    if (p->lucene)
        enq.set_weighting_scheme(*lede_x::lucene_bm25(p->k1, p->b));
    else
        enq.set_weighting_scheme(
            Xapian::BM25Weight(p->k1, 0, p->k3, p->b, 0.5));
    if (p->collapse > 0)
        enq.set_collapse_key(p->key_slot, p->collapse);
    if (p->sort_value)
        enq.set_sort_by_value_then_relevance(p->sort_slot, true);
    const Xapian::doccount most = Xapian::doccount(
        std::min<uint64_t>(p->count_at_least, Xapian::doccount(-1)));
    // Looking at `most` matches is for a count that can be exact. When
    // the query's bounds (from its terms' frequencies, without matching)
    // show that more match, the count is an estimate either way, and the
    // matcher may prune from the start.
    Xapian::doccount check = most;
    if (most > 0 &&
        enq.get_mset(0, 0).get_uncollapsed_matches_lower_bound() > most)
        check = 0;
    Xapian::MSet mset = enq.get_mset(p->offset, p->limit, check);
    out->estimated = mset.get_matches_estimated();
    out->count.articles_least = mset.get_matches_lower_bound();
    out->count.articles_estimated = out->estimated;
    // More than `most` match (the bounds said so) though a match that
    // prunes may have seen fewer.
    out->count.passages_least = std::max<uint64_t>(
        mset.get_uncollapsed_matches_lower_bound(), check == most ? 0 : most);
    out->count.passages_most = mset.get_uncollapsed_matches_upper_bound();
    out->count.passages_estimated = mset.get_uncollapsed_matches_estimated();
    out->count.docs = db->db.get_doccount();
    out->v = static_cast<lede__xhit *>(
        lede__calloc(mset.size(), sizeof(lede__xhit)));
    if (out->v == nullptr)
        return lede__error_nomem();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        // The matcher has read the collapse key already.
        const std::string key = p->collapse > 0 ? it.get_collapse_key()
                                                : doc.get_value(p->key_slot);
        const std::string sig = doc.get_value(p->sig_slot);
        bool load = !p->no_data;
        if (load && p->want_data != nullptr)
            load = p->want_data(key.data(), key.size(), sig.data(), sig.size(),
                                p->want_payload) != 0;
        const std::string data = load ? doc.get_data() : "";
        lede__xhit *h = &out->v[out->n];
        h->score = it.get_weight();
        h->docid = *it;
        h->collapsed = it.get_collapse_count();
        h->data = out->arena.len;
        h->data_len = data.size();
        int rc = put(&out->arena, data);
        if (rc == 0)
            rc = lede__buf_putc(&out->arena, '\0');
        h->key = out->arena.len;
        h->key_len = key.size();
        if (rc == 0)
            rc = put(&out->arena, key);
        if (rc == 0)
            rc = lede__buf_putc(&out->arena, '\0');
        h->sig = out->arena.len;
        h->sig_len = sig.size();
        if (rc == 0)
            rc = put(&out->arena, sig);
        if (rc == 0)
            rc = lede__buf_putc(&out->arena, '\0');
        // What a merge of parts orders by (parallel.c).
        const std::string sort =
            p->parts > 0 && p->sort_value ? it.get_sort_key() : "";
        h->sort = out->arena.len;
        h->sort_len = sort.size();
        if (rc == 0)
            rc = put(&out->arena, sort);
        if (rc == 0)
            rc = lede__buf_putc(&out->arena, '\0');
        if (rc < 0)
            return rc;
        out->n++;
    }
    return 0;
}

/* The articles among the passages dids (sorted), without reading their
 * keys: an article's passages have docids in a row in its shard, the
 * first carrying the term `marker`, so two matches of a shard are of one
 * article unless an article starts after the first, up to the second. A
 * shard set's docids take turns between its shards. (A key read by a
 * look-up of its own, as a collapse does, costs several times the match;
 * the marker's posting list is a fraction of the keys' size.) */
uint64_t sample_articles(lede__xdb *db, const std::vector<Xapian::docid> &dids,
                         const std::string &marker)
{
    const Xapian::docid n =
        db->shards.empty() ? 1 : Xapian::docid(db->shards.size());
    const auto end = db->db.postlist_end(marker);
    uint64_t articles = 0;
    for (Xapian::docid s = 0; s < n; s++) {
        auto p = db->db.postlist_begin(marker);
        Xapian::docid prev = 0;
        for (Xapian::docid d : dids) {
            if ((d - 1) % n != s)
                continue;
            if (prev == 0) {
                articles++;
            } else {
                // A start of this shard in (prev, d]?
                p.skip_to(prev + 1);
                while (p != end && *p <= d && (*p - 1) % n != s)
                    ++p;
                articles += p != end && *p <= d;
            }
            prev = d;
        }
    }
    return articles;
}

/* The share of the docids of db (or of each of its shards) that Sample
 * (every) takes: every `every`-th block from the first, so a shard of a
 * few blocks has more than a 1/every share (its first block always in). */
double sampled_share(lede__xdb *db, uint64_t every)
{
    std::vector<Xapian::Database> one;
    const std::vector<Xapian::Database> &dbs =
        db->shards.empty() ? (one.push_back(db->db), one) : db->shards;
    uint64_t all = 0, taken = 0;
    for (const auto &d : dbs) {
        const uint64_t last = d.get_lastdocid();
        const uint64_t blocks = (last + SAMPLE_BLOCK - 1) / SAMPLE_BLOCK;
        all += last;
        if (blocks == 0)
            continue;
        // Blocks 0, every, ...: the last one taken may be cut short.
        const uint64_t lastb = (blocks - 1) / every * every;
        taken += lastb / every * SAMPLE_BLOCK +
                 std::min<uint64_t>(SAMPLE_BLOCK, last - lastb * SAMPLE_BLOCK);
    }
    return all == 0 || taken == 0 ? 0 : double(taken) / double(all);
}

} // namespace

extern "C" {

int lede__xdb_get_metadata(lede__buf *out, lede__xdb *db, const char *key)
{
    return read(db, [&] {
        lede__buf_clear(out);
        return put(out, db->db.get_metadata(key));
    });
}

int lede__xdb_doccount(uint64_t *out, lede__xdb *db)
{
    *out = 0;
    return read(db, [&] {
        *out = db->db.get_doccount();
        return 0;
    });
}

int lede__xdb_termfreq(uint64_t *out, lede__xdb *db, const char *term,
                       size_t len)
{
    *out = 0;
    return read(db, [&] {
        *out = db->db.get_termfreq(std::string(term, len));
        return 0;
    });
}

int lede__xdb_term_docs(lede__xdb *db, const char *term, size_t len,
                        lede__xdoc_fn fn, void *payload)
{
    return read(db, [&] {
        const std::string t(term, len);
        for (auto it = db->db.postlist_begin(t); it != db->db.postlist_end(t);
             ++it) {
            Xapian::Document doc = db->db.get_document(*it);
            const std::string data = doc.get_data();
            std::string values[LEDE__XDOC_SLOTS];
            lede__xdocinfo info = {*it, data.data(), data.size(), {}, {}};
            for (unsigned i = 0; i < LEDE__XDOC_SLOTS; i++) {
                values[i] = doc.get_value(i);
                info.value[i] = values[i].data();
                info.value_len[i] = values[i].size();
            }
            int rc = fn(&info, payload);
            if (rc != 0)
                return rc;
        }
        return 0;
    });
}

int lede__xdb_first_value(lede__buf *out, lede__xdb *db, const char *term,
                          size_t len, unsigned slot)
{
    return read(db, [&] {
        const std::string t(term, len);
        lede__buf_clear(out);
        auto it = db->db.postlist_begin(t);
        if (it == db->db.postlist_end(t))
            return int(LEDE_ENOTFOUND); // absent, not an error
        return put(out, db->db.get_document(*it).get_value(slot));
    });
}

int lede__xdb_metadata_walk(lede__xdb *db, const char *prefix,
                            lede__xmeta_fn fn, void *payload)
{
    return read(db, [&] {
        const std::string p(prefix);
        for (auto it = db->db.metadata_keys_begin(p);
             it != db->db.metadata_keys_end(p); ++it) {
            const std::string key = *it;
            const std::string value = db->db.get_metadata(key);
            int rc =
                fn(key.data(), key.size(), value.data(), value.size(), payload);
            if (rc != 0)
                return rc;
        }
        return 0;
    });
}

int lede__xdb_search(lede__xhits *out, lede__xdb *db, const lede__qnode *q,
                     const lede__xsearch *p)
{
    db->failed = -1;
    return guard([&] {
        const Xapian::Query query = build(q);
        return read(db, [&] { return search(out, db, query, p); });
    });
}

int lede__xdb_count(lede__xcount *out, lede__xdb *db, const lede__qnode *q,
                    unsigned key_slot, uint64_t at_least)
{
    *out = lede__xcount{};
    db->failed = -1;
    return guard([&] {
        const Xapian::Query query = build(q);
        const Xapian::doccount most = Xapian::doccount(
            std::min<uint64_t>(at_least, Xapian::doccount(-1)));
        return read(db, [&] {
            // The matcher looks at every match until `most` have been
            // kept, and counts the articles among them exactly; past
            // that it skips what cannot rank, and estimates. (Not with
            // BoolWeight, which walks in document order but, with a
            // collapse key, fails on some updated glass databases in
            // Xapian 1.4.22: "Unexpected end of posting list".)
            Xapian::Enquire enq(db->db);
            enq.set_query(query);
            enq.set_collapse_key(key_slot, 1);
            Xapian::MSet mset = enq.get_mset(0, 0, most);
            out->articles_least = mset.get_matches_lower_bound();
            out->articles_estimated = mset.get_matches_estimated();
            out->passages_least = mset.get_uncollapsed_matches_lower_bound();
            out->passages_most = mset.get_uncollapsed_matches_upper_bound();
            out->passages_estimated = mset.get_uncollapsed_matches_estimated();
            out->docs = db->db.get_doccount();
            return 0;
        });
    });
}

int lede__xdb_count_sample(lede__xcount *out, lede__xdb *db,
                           const lede__qnode *q, const char *first, size_t len,
                           uint64_t every)
{
    *out = lede__xcount{};
    db->failed = -1;
    return guard([&] {
        const Xapian::Query query(
            Xapian::Query::OP_FILTER, build(q, true),
            Xapian::Query((new Sample(every < 1 ? 1 : every))->release()));
        return read(db, [&] {
            // Nothing is weighed or skipped: every match in the sample is
            // listed, uncollapsed (all weigh 0).
            Xapian::Enquire enq(db->db);
            enq.set_query(query);
            enq.set_weighting_scheme(Xapian::BoolWeight());
            const Xapian::doccount docs = db->db.get_doccount();
            Xapian::MSet mset = enq.get_mset(0, docs, docs);
            std::vector<Xapian::docid> dids;
            dids.reserve(mset.size());
            for (auto m = mset.begin(); m != mset.end(); ++m)
                dids.push_back(*m);
            std::sort(dids.begin(), dids.end());
            const uint64_t articles =
                sample_articles(db, dids, std::string(first, len));
            // Scaled up by the share of the docids the sample took (in a
            // set, of each shard's own).
            const double share = sampled_share(db, every < 1 ? 1 : every);
            out->articles_least = articles;
            out->articles_estimated =
                share > 0 ? uint64_t(double(articles) / share + 0.5) : 0;
            out->passages_least = dids.size();
            out->passages_most = dids.size();
            out->passages_estimated = dids.size();
            out->docs = docs;
            return 0;
        });
    });
}

void lede__xhits_free(lede__xhits *hits)
{
    lede__free(hits->v);
    lede__buf_free(&hits->arena);
    hits->v = nullptr;
    hits->n = 0;
    hits->estimated = 0;
    hits->count = lede__xcount{};
}

int lede__xdb_allterms(lede__xdb *db, const char *prefix, size_t len,
                       lede__xterm_fn fn, void *payload)
{
    return read(db, [&] {
        const std::string p(prefix, len);
        for (auto it = db->db.allterms_begin(p); it != db->db.allterms_end(p);
             ++it) {
            const std::string t = *it;
            int rc = fn(t.data(), t.size(), it.get_termfreq(), payload);
            if (rc != 0)
                return rc;
        }
        return 0;
    });
}

/* Hands fn one passage of each matching article. An article's passages
 * have docids in a row in their shard, and Xapian 1.4 gives a spy a set's
 * matches shard by shard, each shard's in docid order (with the shard's
 * own docids): an article's matching passages come in a row, so one whose
 * key is the last one given is of an article handed on already. (A test
 * holds a set's facets to one index's.) */
class EachArticle final : public Xapian::MatchSpy
{
    lede__xarticle_fn fn_;
    void *payload_;
    unsigned slot_;
    std::string last_;

  public:
    int rc = 0;
    EachArticle(lede__xarticle_fn fn, void *payload, unsigned slot)
        : fn_(fn), payload_(payload), slot_(slot)
    {
    }
    void operator()(const Xapian::Document &doc, double) override
    {
        if (rc != 0)
            return;
        const std::string key = doc.get_value(slot_);
        if (key == last_)
            return;
        last_ = key;
        const std::string data = doc.get_data();
        rc = fn_(key.data(), key.size(), data.data(), data.size(), payload_);
    }
};

int lede__xdb_each_article(lede__xdb *db, const lede__qnode *q,
                           unsigned key_slot, lede__xarticle_fn fn,
                           void *payload)
{
    db->failed = -1;
    return guard([&] {
        const Xapian::Query query = build(q, true);
        return read(db, [&] {
            int rc = fn(nullptr, 0, nullptr, 0, payload);
            if (rc != 0)
                return rc;
            // Unweighted: every match is looked at, none skipped.
            Xapian::Enquire enq(db->db);
            enq.set_query(query);
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_docid_order(Xapian::Enquire::ASCENDING);
            EachArticle spy(fn, payload, key_slot);
            enq.add_matchspy(&spy);
            enq.get_mset(0, 0, db->db.get_doccount());
            return spy.rc;
        });
    });
}

/* The words of an expand set: not a prefixed term (an id, a title word,
 * a field value), not a number, and in MIN_DF passages at least: a word
 * of the article alone (a typo, "ofnew") finds nothing else. */
class Words final : public Xapian::ExpandDecider
{
    static constexpr Xapian::doccount MIN_DF = 3;
    const Xapian::Database &db_;

  public:
    explicit Words(const Xapian::Database &db) : db_(db)
    {
    }
    bool operator()(const std::string &t) const override
    {
        if (t.size() < 2 || (t[0] >= 'A' && t[0] <= 'Z'))
            return false;
        bool word = false;
        for (const char c : t)
            word = word || (!(c >= '0' && c <= '9') && c != '.' && c != ',');
        return word && db_.get_termfreq(t) >= MIN_DF;
    }
};

int lede__xdb_expand(lede__xdb *db, const uint64_t *docids, size_t n, size_t k,
                     lede__xweight_fn fn, void *payload)
{
    db->failed = -1;
    return guard([&] {
        return read(db, [&] {
            Xapian::RSet rset;
            for (size_t i = 0; i < n; i++)
                rset.add_document(Xapian::docid(docids[i]));
            Xapian::Enquire enq(db->db);
            const Words words(db->db);
            const Xapian::ESet eset =
                enq.get_eset(Xapian::termcount(k), rset, &words);
            for (auto it = eset.begin(); it != eset.end(); ++it) {
                const std::string t = *it;
                int rc = fn(t.data(), t.size(), it.get_weight(), payload);
                if (rc != 0)
                    return rc;
            }
            return 0;
        });
    });
}

int lede__xdb_term_names(lede__xdb *db, const char *prefix, size_t len,
                         char sep, lede__xterm_fn fn, void *payload)
{
    return read(db, [&] {
        const std::string p(prefix, len);
        auto it = db->db.allterms_begin(p);
        const auto end = db->db.allterms_end(p);
        while (it != end) {
            const std::string t = *it;
            const size_t at = t.find(sep, p.size());
            const std::string name =
                t.substr(p.size(), at == std::string::npos ? std::string::npos
                                                           : at - p.size());
            int rc = fn(name.data(), name.size(), 0, payload);
            if (rc != 0)
                return rc;
            if (at == std::string::npos)
                ++it;
            else
                it.skip_to(p + name + char(sep + 1));
        }
        return 0;
    });
}

int lede__xdb_spellings(lede__xdb *db, const char *prefix, size_t len,
                        lede__xterm_fn fn, void *payload)
{
    return read(db, [&] {
        const std::string p(prefix, len);
        auto it = db->db.spellings_begin();
        it.skip_to(p);
        for (; it != db->db.spellings_end(); ++it) {
            const std::string w = *it;
            if (w.compare(0, p.size(), p) != 0)
                break;
            int rc = fn(w.data(), w.size(), it.get_termfreq(), payload);
            if (rc != 0)
                return rc;
        }
        return 0;
    });
}

int lede__xdb_value(lede__buf *out, lede__xdb *db, uint64_t docid,
                    unsigned slot)
{
    return read(db, [&] {
        lede__buf_clear(out);
        return put(out, db->db.get_document(Xapian::docid(docid))
                            .get_value(Xapian::valueno(slot)));
    });
}

int lede__xdb_stats(lede__xdb *db, uint64_t *docs_out, double *avlen_out)
{
    return read(db, [&] {
        *docs_out = db->db.get_doccount();
        *avlen_out = db->db.get_avlength();
        return 0;
    });
}

int lede__xdb_doclen(lede__xdb *db, uint64_t docid, uint64_t *out)
{
    return read(db, [&] {
        *out = db->db.get_doclength(Xapian::docid(docid));
        return 0;
    });
}

int lede__xdb_wdf(lede__xdb *db, uint64_t docid, const char *term, size_t len,
                  uint64_t *out)
{
    return read(db, [&] {
        const std::string t(term, len);
        *out = 0;
        auto it = db->db.termlist_begin(Xapian::docid(docid));
        it.skip_to(t);
        if (it != db->db.termlist_end(Xapian::docid(docid)) && *it == t)
            *out = it.get_wdf();
        return 0;
    });
}

int lede__xdb_has_term(int *out, lede__xdb *db, uint64_t docid,
                       const char *term, size_t len)
{
    return read(db, [&] {
        const std::string t(term, len);
        *out = 0;
        auto it = db->db.termlist_begin(Xapian::docid(docid));
        it.skip_to(t);
        *out = it != db->db.termlist_end(Xapian::docid(docid)) && *it == t;
        return 0;
    });
}

int lede__xdb_positions(lede__xdb *db, uint64_t docid, const char *term,
                        size_t len, uint32_t **out, size_t *n_out)
{
    *out = nullptr;
    *n_out = 0;
    return read(db, [&] {
        const std::string t(term, len);
        std::vector<uint32_t> v;
        for (auto it = db->db.positionlist_begin(Xapian::docid(docid), t);
             it != db->db.positionlist_end(Xapian::docid(docid), t); ++it)
            v.push_back(*it);
        lede__free(*out);
        *out = static_cast<uint32_t *>(
            lede__malloc((v.size() ? v.size() : 1) * sizeof(uint32_t)));
        if (*out == nullptr)
            return lede__error_nomem();
        std::copy(v.begin(), v.end(), *out);
        *n_out = v.size();
        return 0;
    });
}

int lede__xdb_spelling(lede__buf *out, lede__xdb *db, const char *word,
                       size_t len, unsigned max_edits)
{
    return read(db, [&] {
        lede__buf_clear(out);
        return put(out, db->db.get_spelling_suggestion(std::string(word, len),
                                                       max_edits));
    });
}

int lede__xdb_value_range(uint64_t *count_out, lede__buf *lo_out,
                          lede__buf *hi_out, lede__xdb *db, unsigned slot)
{
    *count_out = 0;
    return read(db, [&] {
        lede__buf_clear(lo_out);
        lede__buf_clear(hi_out);
        *count_out = db->db.get_value_freq(slot);
        int rc = put(lo_out, db->db.get_value_lower_bound(slot));
        return rc < 0 ? rc : put(hi_out, db->db.get_value_upper_bound(slot));
    });
}

} // extern "C"
