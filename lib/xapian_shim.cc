/*
 * xapian_shim.cc - liblede's C++ boundary: a C interface over libxapian.
 *
 * Owns the Xapian objects (databases, shard sets, documents, stemmers) and
 * the translation of Xapian exceptions into lede error codes and the facts
 * C decides on (lede__xfail, the shard a network error names). It holds
 * no logic of its own: terms, positions, stored records, query trees and
 * value slots are all made in C and handed over finished, and whether a
 * failed read runs again is retry.c's answer. Searches are in
 * xapian_read.cc, Lucene's BM25 in xapian_lucene.cc, the copies and
 * filter of a parallel search in xapian_shard.cc; all four share
 * xapian_int.h. Every extern "C" body runs inside guard(), so no exception
 * crosses into C. Calls error.c, buf.c and retry.c.
 */
#include "xapian_int.h"

#include <sstream>

using lede_x::guard;
using lede_x::put;
using lede_x::read;

struct lede__xdoc {
    Xapian::Document doc; // the document being built
};

struct lede__stem {
    Xapian::Stem stem; // Snowball stemmer, or none
};

int lede_x::fail(int code, lede__xfail kind, const Xapian::Error &e,
                 lede__xdb *db) noexcept
{
    if (db != nullptr) {
        db->kind = kind;
        // A remote error names its connection as the shard was added.
        for (size_t i = 0; i < db->contexts.size(); i++) {
            if (kind == LEDE__XFAIL_NETWORK && !db->contexts[i].empty() &&
                db->contexts[i] == e.get_context())
                db->failed = long(i);
        }
    }
    if (code != LEDE_EINDEX)
        return lede__error_set(code, "%s", e.get_msg().c_str());
    // The description ends with the system's reason, such as "(No space
    // left on device)", which the message alone leaves out.
    return lede__error_set(code, "%s", e.get_description().c_str());
}

namespace
{

/* Open the database at path for reading into *out: opening races a writer
 * as reading does (the revision the version file names may be overwritten
 * while its tables are opened), and tries again while retry.c says. */
int open_reader(Xapian::Database *out, lede__xdb *db, const char *path)
{
    for (int attempt = 1;; attempt++) {
        int rc = guard(
            [&] {
                *out = Xapian::Database(path);
                return 0;
            },
            db);
        if (rc >= 0 || !lede__retry_read(db->kind, attempt))
            return rc;
    }
}

} // namespace

extern "C" {

int lede__xdb_open(lede__xdb **out, const char *path, int mode)
{
    *out = nullptr;
    return guard([&] {
        std::unique_ptr<lede__xdb> x(new lede__xdb());
        if (mode == LEDE_OPEN_READ) {
            if (int rc = open_reader(&x->db, x.get(), path); rc < 0)
                return rc;
        } else {
            int flags = mode == LEDE_OPEN_CREATE ? Xapian::DB_CREATE_OR_OPEN
                                                 : Xapian::DB_OPEN;
            x->wdb = Xapian::WritableDatabase(path,
                                              flags | Xapian::DB_BACKEND_GLASS);
            x->db = x->wdb;
            x->writable = true;
        }
        *out = x.release();
        return 0;
    });
}

int lede__xdb_open_scratch(lede__xdb **out, const char *path)
{
    *out = nullptr;
    return guard([&] {
        std::unique_ptr<lede__xdb> x(new lede__xdb());
        x->wdb = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN |
                                                    Xapian::DB_NO_SYNC |
                                                    Xapian::DB_BACKEND_GLASS);
        x->db = x->wdb;
        x->writable = true;
        *out = x.release();
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
        } else if (int rc = open_reader(&s, db, path); rc < 0) {
            return rc;
        }
        db->shards.push_back(s);
        db->contexts.push_back(context);
        db->paths.push_back(host != nullptr ? "" : path);
        db->copies.clear();
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
        db->paths.erase(db->paths.begin() + long(i));
        db->copies.clear();
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

lede__xfail lede__xdb_failure(const lede__xdb *db)
{
    return db->kind;
}

void lede__xdb_free(lede__xdb *db)
{
    if (db == nullptr)
        return;
    guard([&] {
        if (db->in_txn)
            db->wdb.cancel_transaction();
        db->copies.clear();
        db->db.close();
        return 0;
    });
    delete db;
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

int lede__xdb_delete_term(lede__xdb *db, const char *term, size_t len)
{
    return guard([&] {
        db->wdb.delete_document(std::string(term, len));
        return 0;
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
    return guard(
        [&] {
            *newer_out = db->db.reopen() ? 1 : 0;
            return 0;
        },
        db);
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

int lede__xdb_flush(lede__xdb *db)
{
    return guard([&] {
        // Xapian 1.4 has no call for this: listing every term writes the
        // buffered postings to the tables (not committing, as a
        // transaction may be open), and listing the spelling words merges
        // the spelling changes. Positions stay buffered (1.4.22 writes
        // them at its own threshold, 10,000 documents, or the commit).
        (void)db->wdb.allterms_begin();
        (void)db->wdb.spellings_begin();
        return 0;
    });
}

} // extern "C"
