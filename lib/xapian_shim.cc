/*
 * xapian_shim.cc - liblede's only C++: a C interface over libxapian.
 *
 * Owns the Xapian objects (databases, documents, stemmers, enquiries) and
 * the translation of Xapian exceptions into lede error codes. It holds no
 * logic of its own: terms, positions, stored records and query trees are
 * all made in C and handed over finished, except Lucene's BM25, which is a
 * Xapian weighting scheme and so must be C++ (its length rounding is
 * rank.c's). Every extern "C" body runs inside guard(), so no exception
 * crosses into C. Calls error.c, buf.c and rank.c.
 */
#include "xapian_shim.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace
{

int fail(int code, const Xapian::Error &e)
{
    return lede__error_set(code, "%s", e.get_msg().c_str());
}

template <class F> int guard(F &&body) noexcept
{
    try {
        return body();
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return fail(LEDE_ENOTFOUND, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return fail(LEDE_ELOCKED, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return fail(LEDE_ECORRUPT, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return fail(LEDE_EINVAL, e);
    } catch (const Xapian::Error &e) {
        // The description ends with the system's reason, such as "(No
        // space left on device)", which the message alone leaves out.
        return lede__error_set(LEDE_EINDEX, "%s", e.get_description().c_str());
    } catch (const std::bad_alloc &) {
        return lede__error_nomem();
    } catch (...) {
        return lede__error_set(LEDE_ERROR, "unexpected C++ exception");
    }
}

/* A reader whose snapshot was overwritten by a writer reopens and tries
 * again; Xapian keeps the previous revision, so this succeeds unless two
 * commits land during one attempt. A reader racing a writer can also meet
 * a block the writer has just reused, which glass reports as corruption:
 * if reopening finds a newer revision, that was the race, and the reader
 * tries again; if not, the corruption is real. Reopening reads the new
 * revision's root blocks, so it can meet the writer too: that is one more
 * attempt, not a failure. */
const int REOPEN_TRIES = 5;

/* Retries of either kind, process-wide, for tests and diagnostics. */
std::atomic<long> retries{0};

template <class F> int with_reopen(Xapian::Database &db, F &&body)
{
    for (int attempt = 1;; attempt++) {
        std::optional<Xapian::DatabaseCorruptError> corrupt;
        try {
            return body();
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt == REOPEN_TRIES)
                throw;
        } catch (const Xapian::DatabaseCorruptError &e) {
            if (attempt == REOPEN_TRIES)
                throw;
            corrupt.emplace(e);
        }
        retries++;
        bool newer;
        try {
            newer = db.reopen();
        } catch (const Xapian::DatabaseModifiedError &) {
            continue;
        } catch (const Xapian::DatabaseCorruptError &) {
            continue;
        }
        if (corrupt && !newer)
            throw *corrupt;
    }
}

/* Opening for reading races a writer the same way: the revision named in
 * the version file may be overwritten while its tables are opened. */
Xapian::Database open_reader(const char *path)
{
    for (int attempt = 1;; attempt++) {
        try {
            return Xapian::Database(path);
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt == REOPEN_TRIES)
                throw;
        } catch (const Xapian::DatabaseCorruptError &) {
            if (attempt == REOPEN_TRIES)
                throw;
        }
        retries++;
    }
}

int put(lede__buf *out, const std::string &s)
{
    return lede__buf_put(out, s.data(), s.size());
}

} // namespace

struct lede__xdb {
    Xapian::Database db;                  // every read goes through this
    Xapian::WritableDatabase wdb;         // the same database when writable
    bool writable;                        // wdb is open
    bool in_txn;                          // a transaction is open on wdb
    std::vector<Xapian::Database> shards; // a shard set's shards, in order
    std::vector<std::string> contexts;    // how Xapian names each in errors
    long failed = -1; // the shard the last search lost, or -1
};

struct lede__xdoc {
    Xapian::Document doc; // the document being built
};

struct lede__stem {
    Xapian::Stem stem; // Snowball stemmer, or none
};

extern "C" {

int lede__xdb_open(lede__xdb **out, const char *path, int mode)
{
    *out = nullptr;
    return guard([&] {
        lede__xdb *x = new lede__xdb();
        try {
            if (mode == LEDE_OPEN_READ) {
                x->db = open_reader(path);
            } else {
                int flags = mode == LEDE_OPEN_CREATE ? Xapian::DB_CREATE_OR_OPEN
                                                     : Xapian::DB_OPEN;
                x->wdb = Xapian::WritableDatabase(
                    path, flags | Xapian::DB_BACKEND_GLASS);
                x->db = x->wdb;
                x->writable = true;
            }
        } catch (...) {
            delete x;
            throw;
        }
        *out = x;
        return 0;
    });
}

int lede__xdb_open_set(lede__xdb **out)
{
    *out = nullptr;
    return guard([&] {
        *out = new lede__xdb();
        return 0;
    });
}

int lede__xdb_add_shard(lede__xdb *db, const char *path, const char *host,
                        unsigned port, unsigned timeout_ms)
{
    return guard([&] {
        // Xapian's remote errors carry this context (RemoteTcpClient's).
        std::string context;
        Xapian::Database s;
        if (host != nullptr) {
            s = Xapian::Remote::open(host, port, timeout_ms, timeout_ms);
            context = "remote:tcp(" + std::string(host) + ":" +
                      std::to_string(port) + ")";
        } else {
            s = open_reader(path);
        }
        db->shards.push_back(s);
        db->contexts.push_back(context);
        db->db.add_database(s);
        return 0;
    });
}

int lede__xdb_shard_metadata(lede__buf *out, lede__xdb *db, size_t i,
                             const char *key)
{
    return guard([&] {
        lede__buf_clear(out);
        int rc = put(out, db->shards.at(i).get_metadata(key));
        return rc == 0 ? lede__buf_reserve(out, 0) : rc;
    });
}

int lede__xdb_drop_shard(lede__xdb *db, size_t i)
{
    return guard([&] {
        db->shards.erase(db->shards.begin() + long(i));
        db->contexts.erase(db->contexts.begin() + long(i));
        Xapian::Database all;
        for (const auto &s : db->shards)
            all.add_database(s);
        db->db = all;
        db->failed = -1;
        return 0;
    });
}

long lede__xdb_failed_shard(const lede__xdb *db)
{
    return db->failed;
}

void lede__xdb_free(lede__xdb *db)
{
    if (db == nullptr)
        return;
    guard([&] {
        if (db->in_txn)
            db->wdb.cancel_transaction();
        db->db.close();
        return 0;
    });
    delete db;
}

int lede__xdb_get_metadata(lede__buf *out, lede__xdb *db, const char *key)
{
    return guard([&] {
        return with_reopen(db->db, [&] {
            lede__buf_clear(out);
            return put(out, db->db.get_metadata(key));
        });
    });
}

int lede__xdb_set_metadata(lede__xdb *db, const char *key, const char *value,
                           size_t len)
{
    return guard([&] {
        db->wdb.set_metadata(key, std::string(value, len));
        return 0;
    });
}

int lede__xdb_begin(lede__xdb *db)
{
    return guard([&] {
        if (!db->in_txn) {
            db->wdb.begin_transaction(true);
            db->in_txn = true;
        }
        return 0;
    });
}

int lede__xdb_cancel(lede__xdb *db)
{
    return guard([&] {
        if (db->in_txn) {
            db->in_txn = false;
            db->wdb.cancel_transaction();
        }
        return 0;
    });
}

int lede__xdb_commit(lede__xdb *db)
{
    return guard([&] {
        if (db->in_txn) {
            // Whatever happens, the transaction is over: on failure Xapian
            // has discarded it and the index keeps its last commit.
            db->in_txn = false;
            db->wdb.commit_transaction();
        }
        return 0;
    });
}

int lede__xdb_doccount(uint64_t *out, lede__xdb *db)
{
    *out = 0;
    return guard([&] {
        return with_reopen(db->db, [&] {
            *out = db->db.get_doccount();
            return 0;
        });
    });
}

int lede__xdb_termfreq(uint64_t *out, lede__xdb *db, const char *term,
                       size_t len)
{
    *out = 0;
    return guard([&] {
        return with_reopen(db->db, [&] {
            *out = db->db.get_termfreq(std::string(term, len));
            return 0;
        });
    });
}

int lede__xdb_delete_term(lede__xdb *db, const char *term, size_t len)
{
    return guard([&] {
        db->wdb.delete_document(std::string(term, len));
        return 0;
    });
}

int lede__xdb_term_docs(lede__xdb *db, const char *term, size_t len,
                        lede__xdoc_fn fn, void *payload)
{
    return guard([&] {
        const std::string t(term, len);
        return with_reopen(db->db, [&] {
            for (auto it = db->db.postlist_begin(t);
                 it != db->db.postlist_end(t); ++it) {
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
    });
}

int lede__xdb_first_value(lede__buf *out, lede__xdb *db, const char *term,
                          size_t len, unsigned slot)
{
    return guard([&] {
        const std::string t(term, len);
        return with_reopen(db->db, [&] {
            lede__buf_clear(out);
            auto it = db->db.postlist_begin(t);
            if (it == db->db.postlist_end(t))
                return int(LEDE_ENOTFOUND); // absent, not an error
            return put(out, db->db.get_document(*it).get_value(slot));
        });
    });
}

int lede__xdb_metadata_walk(lede__xdb *db, const char *prefix,
                            lede__xmeta_fn fn, void *payload)
{
    return guard([&] {
        const std::string p(prefix);
        return with_reopen(db->db, [&] {
            for (auto it = db->db.metadata_keys_begin(p);
                 it != db->db.metadata_keys_end(p); ++it) {
                const std::string key = *it;
                const std::string value = db->db.get_metadata(key);
                int rc = fn(key.data(), key.size(), value.data(), value.size(),
                            payload);
                if (rc != 0)
                    return rc;
            }
            return 0;
        });
    });
}

int lede__xdb_check(uint64_t *errors_out, lede__buf *report, const char *path)
{
    *errors_out = 0;
    return guard([&] {
        std::ostringstream out;
        // No options: check every table, report only problems.
        *errors_out = Xapian::Database::check(path, 0, &out);
        return put(report, out.str());
    });
}

int lede__xdoc_new(lede__xdoc **out)
{
    *out = nullptr;
    return guard([&] {
        *out = new lede__xdoc();
        return 0;
    });
}

void lede__xdoc_free(lede__xdoc *doc)
{
    delete doc;
}

int lede__xdoc_clear(lede__xdoc *doc)
{
    return guard([&] {
        doc->doc = Xapian::Document();
        return 0;
    });
}

int lede__xdoc_posting(lede__xdoc *doc, const char *term, size_t len,
                       uint32_t pos, uint32_t wdfinc)
{
    return guard([&] {
        doc->doc.add_posting(std::string(term, len), pos, wdfinc);
        return 0;
    });
}

int lede__xdoc_boolean(lede__xdoc *doc, const char *term, size_t len)
{
    return guard([&] {
        doc->doc.add_boolean_term(std::string(term, len));
        return 0;
    });
}

int lede__xdoc_value(lede__xdoc *doc, unsigned slot, const char *value,
                     size_t len)
{
    return guard([&] {
        doc->doc.add_value(slot, std::string(value, len));
        return 0;
    });
}

int lede__xdoc_data(lede__xdoc *doc, const char *data, size_t len)
{
    return guard([&] {
        doc->doc.set_data(std::string(data, len));
        return 0;
    });
}

int lede__xdb_add(lede__xdb *db, lede__xdoc *doc)
{
    return guard([&] {
        db->wdb.add_document(doc->doc);
        return 0;
    });
}

int lede__xdb_set_data(lede__xdb *db, uint64_t docid, const char *data,
                       size_t len)
{
    return guard([&] {
        const Xapian::docid did = static_cast<Xapian::docid>(docid);
        Xapian::Document doc = db->wdb.get_document(did);
        doc.set_data(std::string(data, len));
        db->wdb.replace_document(did, doc);
        return 0;
    });
}

int lede__stem_new(lede__stem **out, lede__buf *name_out, const char *lang)
{
    *out = nullptr;
    return guard([&] {
        lede__stem *s = new lede__stem{Xapian::Stem(lang)};
        if (name_out != nullptr) {
            // get_description() is "Xapian::Stem(english)", or
            // "Xapian::Stem()" for "none".
            std::string d = s->stem.get_description();
            std::string::size_type a = d.find('('), b = d.rfind(')');
            std::string name = a != std::string::npos && b > a + 1
                                   ? d.substr(a + 1, b - a - 1)
                                   : std::string("none");
            lede__buf_clear(name_out);
            int rc = put(name_out, name);
            if (rc < 0) {
                delete s;
                return rc;
            }
        }
        *out = s;
        return 0;
    });
}

void lede__stem_free(lede__stem *s)
{
    delete s;
}

int lede__stem_word(lede__buf *out, lede__stem *s, const char *word, size_t len)
{
    return guard([&] {
        lede__buf_clear(out);
        return put(out, s->stem(std::string(word, len)));
    });
}

} // extern "C"

namespace
{

Xapian::Query build(const lede__qnode *q)
{
    std::vector<Xapian::Query> kids;
    kids.reserve(q->nkids);
    for (size_t i = 0; i < q->nkids; i++)
        kids.push_back(build(q->kids[i]));
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

/* Lucene's BM25 (Lucene 8 and later, as Anserini runs it):
 *   weight = factor * wqf * log(1 + (N - df + 0.5) / (df + 0.5))
 *   score  = weight * wdf / (wdf + k1 * (1 - b + b * L / avgdl))
 * where L is the document length rounded as Lucene's one-byte norms round
 * it (rank.c), and wqf counts a word given n times n times, as Anserini's
 * query boosts do. Lucene leaves out BM25's (k1 + 1) factor, which scales
 * every score alike. */
class LuceneBM25 final : public Xapian::Weight
{
    double k1_, b_;
    double weight_ = 0;
    double norm_[256] = {}; // the denominator's k1 part, per norm byte

  public:
    LuceneBM25(double k1, double b) : k1_(k1), b_(b)
    {
        need_stat(COLLECTION_SIZE);
        need_stat(TERMFREQ);
        need_stat(AVERAGE_LENGTH);
        need_stat(DOC_LENGTH);
        need_stat(WDF);
        need_stat(WQF);
    }

    std::string name() const override
    {
        return "lede.LuceneBM25";
    }

    Xapian::Weight *clone() const override
    {
        return new LuceneBM25(k1_, b_);
    }

    void init(double factor) override
    {
        double n = get_collection_size(), df = get_termfreq();
        weight_ =
            factor * get_wqf() * std::log(1 + (n - df + 0.5) / (df + 0.5));
        double avg = get_average_length();
        for (unsigned i = 0; i < 256; i++)
            norm_[i] =
                k1_ *
                (1 - b_ +
                 (avg > 0 ? b_ * double(lede__lucene_decode(i)) / avg : 0));
    }

    double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen,
                       Xapian::termcount) const override
    {
        if (wdf == 0)
            return 0;
        return weight_ * wdf / (wdf + norm_[lede__lucene_norm(doclen)]);
    }

    double get_maxpart() const override
    {
        return weight_;
    }

    double get_sumextra(Xapian::termcount, Xapian::termcount) const override
    {
        return 0;
    }

    double get_maxextra() const override
    {
        return 0;
    }
};

/* One search (lede__xdb_search), retried after a writer's commit. */
int search(lede__xhits *out, lede__xdb *db, const Xapian::Query &query,
           const lede__xsearch *p)
{
    return with_reopen(db->db, [&] {
        lede__xhits_free(out);
        if (p->want_data != nullptr) // a new try: forget the last
            p->want_data(nullptr, 0, nullptr, 0, p->want_payload);
        Xapian::Enquire enq(db->db);
        enq.set_query(query);
        // k2 = 0 and min_normlen = 0.5 are Xapian's defaults.
        if (p->lucene)
            enq.set_weighting_scheme(LuceneBM25(p->k1, p->b));
        else
            enq.set_weighting_scheme(
                Xapian::BM25Weight(p->k1, 0, p->k3, p->b, 0.5));
        if (p->collapse > 0)
            enq.set_collapse_key(LEDE__SLOT_ARTICLE, p->collapse);
        if (p->sort_date)
            enq.set_sort_by_value_then_relevance(LEDE__SLOT_DATE, true);
        Xapian::MSet mset = enq.get_mset(p->offset, p->limit);
        out->estimated = mset.get_matches_estimated();
        out->v = static_cast<lede__xhit *>(
            lede__calloc(mset.size(), sizeof(lede__xhit)));
        if (out->v == nullptr)
            return lede__error_nomem();
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            // The matcher has read the collapse key already.
            const std::string key = p->collapse > 0
                                        ? it.get_collapse_key()
                                        : doc.get_value(LEDE__SLOT_ARTICLE);
            const std::string sig = doc.get_value(LEDE__SLOT_SIMHASH);
            bool load = !p->no_data;
            if (load && p->want_data != nullptr)
                load = p->want_data(key.data(), key.size(), sig.data(),
                                    sig.size(), p->want_payload) != 0;
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
            if (rc < 0)
                return rc;
            out->n++;
        }
        return 0;
    });
}

/* Which shard a remote error came from: it names its connection. */
void note_failed(lede__xdb *db, const Xapian::NetworkError &e)
{
    for (size_t i = 0; i < db->contexts.size(); i++) {
        if (!db->contexts[i].empty() && db->contexts[i] == e.get_context())
            db->failed = long(i);
    }
}

} // namespace

extern "C" {

int lede__xdb_search(lede__xhits *out, lede__xdb *db, const lede__qnode *q,
                     const lede__xsearch *p)
{
    db->failed = -1;
    return guard([&] {
        Xapian::Query query = build(q);
        try {
            return search(out, db, query, p);
        } catch (const Xapian::NetworkError &e) {
            note_failed(db, e);
            throw;
        }
    });
}

int lede__xdb_count(uint64_t *out, int *exact_out, lede__xdb *db,
                    const lede__qnode *q, uint64_t at_least)
{
    *out = 0;
    *exact_out = 0;
    db->failed = -1;
    return guard([&] {
        Xapian::Query query = build(q);
        const Xapian::doccount most = Xapian::doccount(
            std::min<uint64_t>(at_least, Xapian::doccount(-1)));
        try {
            return with_reopen(db->db, [&] {
                // The matcher looks at every match until `most` have been
                // kept, and counts the articles among them exactly; past
                // that it skips what cannot rank, and estimates. (Not with
                // BoolWeight, which walks in document order but, with a
                // collapse key, fails on some updated glass databases in
                // Xapian 1.4.22: "Unexpected end of posting list".)
                Xapian::Enquire enq(db->db);
                enq.set_query(query);
                enq.set_collapse_key(LEDE__SLOT_ARTICLE, 1);
                Xapian::MSet mset = enq.get_mset(0, 0, most);
                // Every passage was looked at: the articles seen are all.
                *exact_out = most >= db->db.get_doccount() ||
                             mset.get_uncollapsed_matches_upper_bound() <= most;
                *out = *exact_out ? mset.get_matches_lower_bound()
                                  : mset.get_matches_estimated();
                return 0;
            });
        } catch (const Xapian::NetworkError &e) {
            note_failed(db, e);
            throw;
        }
    });
}

void lede__xhits_free(lede__xhits *hits)
{
    lede__free(hits->v);
    lede__buf_free(&hits->arena);
    hits->v = nullptr;
    hits->n = 0;
    hits->estimated = 0;
}

int lede__xdb_allterms(lede__xdb *db, const char *prefix, size_t len,
                       lede__xterm_fn fn, void *payload)
{
    return guard([&] {
        const std::string p(prefix, len);
        return with_reopen(db->db, [&] {
            for (auto it = db->db.allterms_begin(p);
                 it != db->db.allterms_end(p); ++it) {
                const std::string t = *it;
                int rc = fn(t.data(), t.size(), it.get_termfreq(), payload);
                if (rc != 0)
                    return rc;
            }
            return 0;
        });
    });
}

int lede__xdb_spellings(lede__xdb *db, const char *prefix, size_t len,
                        lede__xterm_fn fn, void *payload)
{
    return guard([&] {
        const std::string p(prefix, len);
        return with_reopen(db->db, [&] {
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
    });
}

int lede__xdb_value(lede__buf *out, lede__xdb *db, uint64_t docid,
                    unsigned slot)
{
    return guard([&] {
        return with_reopen(db->db, [&] {
            lede__buf_clear(out);
            return put(out, db->db.get_document(Xapian::docid(docid))
                                .get_value(Xapian::valueno(slot)));
        });
    });
}

int lede__xdb_stats(lede__xdb *db, uint64_t *docs_out, double *avlen_out)
{
    return guard([&] {
        return with_reopen(db->db, [&] {
            *docs_out = db->db.get_doccount();
            *avlen_out = db->db.get_avlength();
            return 0;
        });
    });
}

int lede__xdb_doclen(lede__xdb *db, uint64_t docid, uint64_t *out)
{
    return guard([&] {
        return with_reopen(db->db, [&] {
            *out = db->db.get_doclength(Xapian::docid(docid));
            return 0;
        });
    });
}

int lede__xdb_wdf(lede__xdb *db, uint64_t docid, const char *term, size_t len,
                  uint64_t *out)
{
    return guard([&] {
        const std::string t(term, len);
        return with_reopen(db->db, [&] {
            *out = 0;
            auto it = db->db.termlist_begin(Xapian::docid(docid));
            it.skip_to(t);
            if (it != db->db.termlist_end(Xapian::docid(docid)) && *it == t)
                *out = it.get_wdf();
            return 0;
        });
    });
}

int lede__xdb_positions(lede__xdb *db, uint64_t docid, const char *term,
                        size_t len, uint32_t **out, size_t *n_out)
{
    *out = nullptr;
    *n_out = 0;
    return guard([&] {
        const std::string t(term, len);
        return with_reopen(db->db, [&] {
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
    });
}

int lede__xdb_compact(lede__xdb *db, const char *dest)
{
    return guard([&] {
        db->db.compact(dest, Xapian::DBCOMPACT_NO_RENUMBER);
        return 0;
    });
}

int lede__xdb_reopen(lede__xdb *db, int *newer_out)
{
    *newer_out = 0;
    return guard([&] {
        *newer_out = db->db.reopen() ? 1 : 0;
        return 0;
    });
}

long lede__xdb_retries(void)
{
    return retries.load();
}

int lede__xdb_merge(const char *const *srcs, size_t n, const char *dest,
                    lede__xmerge_fn fn)
{
    // Xapian calls the compactor from inside compact(): a failure of fn
    // leaves it through an exception, and its code is kept here.
    struct merger : Xapian::Compactor {
        lede__xmerge_fn fn;
        int rc = 0;
        std::string
        resolve_duplicate_metadata(const std::string &key, size_t num_tags,
                                   const std::string tags[]) override
        {
            std::vector<const char *> v(num_tags);
            std::vector<size_t> l(num_tags);
            for (size_t i = 0; i < num_tags; i++) {
                v[i] = tags[i].data();
                l[i] = tags[i].size();
            }
            // The key comes as the table holds it, after a two-byte
            // marker of user metadata ("\0\xc0" in glass).
            size_t skip = key.size() >= 2 && key[0] == '\0' ? 2 : 0;
            lede__buf out = LEDE__BUF_INIT;
            rc = fn(&out, key.data() + skip, key.size() - skip, v.data(),
                    l.data(), num_tags);
            std::string r(out.data ? out.data : "", out.len);
            lede__buf_free(&out);
            if (rc < 0)
                throw Xapian::InvalidOperationError("metadata merge failed");
            return r;
        }
    } m;
    m.fn = fn;
    int rc = guard([&] {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(srcs[i]));
        all.compact(dest, 0, 0, m);
        return 0;
    });
    if (m.rc == LEDE_ENOMEM)
        return lede__error_nomem();
    if (m.rc < 0)
        return lede__error_set(m.rc, "cannot merge the shards' metadata");
    return rc;
}

int lede__xdb_add_spelling(lede__xdb *db, const char *word, size_t len,
                           uint64_t count)
{
    return guard([&] {
        db->wdb.add_spelling(std::string(word, len),
                             static_cast<Xapian::termcount>(count));
        return 0;
    });
}

int lede__xdb_spelling(lede__buf *out, lede__xdb *db, const char *word,
                       size_t len, unsigned max_edits)
{
    return guard([&] {
        const std::string w(word, len);
        return with_reopen(db->db, [&] {
            lede__buf_clear(out);
            return put(out, db->db.get_spelling_suggestion(w, max_edits));
        });
    });
}

int lede__xdb_value_range(uint64_t *count_out, lede__buf *lo_out,
                          lede__buf *hi_out, lede__xdb *db, unsigned slot)
{
    *count_out = 0;
    return guard([&] {
        return with_reopen(db->db, [&] {
            lede__buf_clear(lo_out);
            lede__buf_clear(hi_out);
            *count_out = db->db.get_value_freq(slot);
            int rc = put(lo_out, db->db.get_value_lower_bound(slot));
            return rc < 0 ? rc
                          : put(hi_out, db->db.get_value_upper_bound(slot));
        });
    });
}

} // extern "C"
