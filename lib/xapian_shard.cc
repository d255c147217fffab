/*
 * xapian_shard.cc - what a parallel search needs of the C++ boundary:
 * copies of a shard set's database, one per thread, and a filter that
 * keeps one part of the set's shards.
 *
 * Xapian 1.4 gives a match over several databases the statistics of all
 * of them (documents, average length, term frequencies) and weighs each
 * document with them; it has no public way to hand those statistics to a
 * match over one shard. So each thread runs the query over the whole set
 * through its own copy (a Xapian object serves one thread at a time),
 * filtered to the documents of its own shards: the weights are those of
 * the one-thread search, computed by the same code. The filter is a
 * PostingSource, which Xapian clones for each sub-database and gives that
 * sub-database in init(); it tells its shards by their UUIDs. Which
 * threads run and how their hits are merged is parallel.c's. Calls
 * error.c, buf.c, retry.c and xapian_shim.cc (guard()'s fail(),
 * through xapian_int.h).
 */
#include "xapian_int.h"

#include <algorithm>
#include <set>

using lede_x::guard;
using lede_x::put;
using lede_x::read;

namespace
{

/* Every document of the sub-databases whose UUID is one of uuids_, and
 * nothing of the others. */
class ShardSource final : public Xapian::PostingSource
{
    std::vector<std::string> uuids_; // the shards kept
    Xapian::Database db_;            // the sub-database given to init()
    Xapian::PostingIterator it_;     // its documents, when kept
    Xapian::PostingIterator end_;    // their end
    Xapian::doccount n_ = 0;         // documents matched
    bool started_ = false;           // next() or skip_to() was called

  public:
    explicit ShardSource(std::vector<std::string> uuids)
        : uuids_(std::move(uuids))
    {
    }

    ShardSource *clone() const override
    {
        return new ShardSource(uuids_);
    }

    void init(const Xapian::Database &db) override
    {
        db_ = db;
        started_ = false;
        n_ = 0;
        it_ = end_ = Xapian::PostingIterator();
        const std::string u = db.get_uuid();
        if (std::find(uuids_.begin(), uuids_.end(), u) == uuids_.end())
            return;
        n_ = db.get_doccount();
        // "" lists every document.
        it_ = db_.postlist_begin("");
        end_ = db_.postlist_end("");
    }

    Xapian::doccount get_termfreq_min() const override
    {
        return n_;
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return n_;
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return n_;
    }

    void next(double) override
    {
        if (!started_)
            started_ = true;
        else if (it_ != end_)
            ++it_;
    }

    void skip_to(Xapian::docid did, double) override
    {
        started_ = true;
        if (it_ != end_)
            it_.skip_to(did);
    }

    bool at_end() const override
    {
        return it_ == end_;
    }

    Xapian::docid get_docid() const override
    {
        return *it_;
    }

    std::string get_description() const override
    {
        return "lede shard filter";
    }
};

/* The revision of each of db's shards. */
std::vector<Xapian::rev> revisions(const lede__xdb *db)
{
    std::vector<Xapian::rev> v;
    for (const auto &s : db->shards)
        v.push_back(s.get_revision());
    return v;
}

} // namespace

Xapian::Query lede_x::only_shards(const Xapian::Query &query,
                                  const lede__xdb *db, size_t part,
                                  size_t parts)
{
    std::vector<std::string> uuids;
    for (size_t i = part; i < db->shards.size(); i += parts)
        uuids.push_back(db->shards[i].get_uuid());
    return Xapian::Query(Xapian::Query::OP_FILTER, query,
                         Xapian::Query((new ShardSource(uuids))->release()));
}

extern "C" {

int lede__xdb_shards_local(size_t *out, lede__xdb *db)
{
    *out = 0;
    return read(db, [&] {
        std::set<std::string> seen;
        *out = 0;
        for (size_t i = 0; i < db->shards.size(); i++) {
            // A shard copied from another has its UUID: the filter
            // could not tell the two apart.
            const std::string u = db->shards[i].get_uuid();
            if (db->paths[i].empty() || u.empty() || !seen.insert(u).second)
                return 0;
        }
        *out = db->shards.size();
        return 0;
    });
}

int lede__xdb_copy(lede__xdb **out, int *same_out, lede__xdb *db, size_t w)
{
    *out = nullptr;
    *same_out = 0;
    return guard([&] {
        if (db->copies.size() <= w)
            db->copies.resize(w + 1);
        std::unique_ptr<lede__xdb> &c = db->copies[w];
        if (!c) {
            std::unique_ptr<lede__xdb> fresh(new lede__xdb());
            for (const auto &p : db->paths) {
                Xapian::Database s(p);
                fresh->shards.push_back(s);
                fresh->contexts.push_back("");
                fresh->paths.push_back(p);
                fresh->db.add_database(s);
            }
            c = std::move(fresh);
        }
        const std::vector<Xapian::rev> want = revisions(db);
        if (revisions(c.get()) != want)
            c->db.reopen(); // the copy is behind: it can only catch up
        *same_out = revisions(c.get()) == want;
        *out = c.get();
        return 0;
    });
}

int lede__xdb_same_revision(int *out, lede__xdb *a, lede__xdb *b)
{
    *out = 0;
    return guard([&] {
        *out = revisions(a) == revisions(b);
        return 0;
    });
}

int lede__xdb_fill_data(lede__xhits *xh, lede__xdb *db, const lede__xsearch *p)
{
    return read(db, [&] {
        if (p->want_data != nullptr) // a new try: forget the last
            p->want_data(nullptr, 0, nullptr, 0, p->want_payload);
        for (size_t i = 0; i < xh->n; i++) {
            lede__xhit *h = &xh->v[i];
            const char *a = xh->arena.data;
            bool load = !p->no_data;
            if (load && p->want_data != nullptr)
                load = p->want_data(a + h->key, h->key_len, a + h->sig,
                                    h->sig_len, p->want_payload) != 0;
            if (!load)
                continue;
            const std::string data =
                db->db.get_document(Xapian::docid(h->docid)).get_data();
            h->data = xh->arena.len;
            h->data_len = data.size();
            int rc = put(&xh->arena, data);
            if (rc == 0)
                rc = lede__buf_putc(&xh->arena, '\0');
            if (rc < 0)
                return rc;
        }
        return 0;
    });
}

} // extern "C"
