/*
 * xapian_int.h - what the C++ files of the shim share; C++ only.
 *
 * The database handle, guard() and read(). guard() turns every exception
 * into a lede error code, with what it was (lede__xfail) noted on the
 * handle; read() runs a read again for as long as retry.c says, reopening
 * the database in between. Neither decides anything itself.
 */
#ifndef LEDE_XAPIAN_INT_H
#define LEDE_XAPIAN_INT_H

#include "xapian_shim.h"

#include <xapian.h>

#include <memory>
#include <new>
#include <string>
#include <vector>

struct lede__xdb {
    Xapian::Database db;                  // every read goes through this
    Xapian::WritableDatabase wdb;         // the same database when writable
    bool writable = false;                // wdb is open
    bool in_txn = false;                  // a transaction is open on wdb
    std::vector<Xapian::Database> shards; // a shard set's shards, in order
    std::vector<std::string> contexts;    // how Xapian names each in errors
    std::vector<std::string> paths;       // each shard's path ("": remote)
    // Copies over the same shards, one per thread of a parallel search
    // (xapian_shard.cc): a Xapian object serves one thread at a time.
    std::vector<std::unique_ptr<lede__xdb>> copies;
    lede__xfail kind = LEDE__XFAIL_NONE; // what the last failing call met
    long failed = -1; // the shard its connection names, or -1
};

namespace lede_x
{

/* Record code with e's message, and note on db (when not NULL) what e
 * was: kind and, for a network error, the shard its connection names. */
int fail(int code, lede__xfail kind, const Xapian::Error &e,
         lede__xdb *db) noexcept;

/* body() with every exception turned into a lede error code. */
template <class F> int guard(F &&body, lede__xdb *db = nullptr) noexcept
{
    if (db != nullptr)
        db->kind = LEDE__XFAIL_NONE;
    try {
        return body();
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return fail(LEDE_ENOTFOUND, LEDE__XFAIL_OTHER, e, db);
    } catch (const Xapian::DatabaseLockError &e) {
        return fail(LEDE_ELOCKED, LEDE__XFAIL_OTHER, e, db);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return fail(LEDE_ECORRUPT, LEDE__XFAIL_CORRUPT, e, db);
    } catch (const Xapian::InvalidArgumentError &e) {
        return fail(LEDE_EINVAL, LEDE__XFAIL_OTHER, e, db);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return fail(LEDE_EINDEX, LEDE__XFAIL_MODIFIED, e, db);
    } catch (const Xapian::NetworkError &e) {
        return fail(LEDE_EINDEX, LEDE__XFAIL_NETWORK, e, db);
    } catch (const Xapian::Error &e) {
        return fail(LEDE_EINDEX, LEDE__XFAIL_OTHER, e, db);
    } catch (const std::bad_alloc &) {
        return lede__error_nomem();
    } catch (...) {
        return lede__error_set(LEDE_ERROR, "unexpected C++ exception");
    }
}

/* A read of db: body() under guard(), run again, after a reopen, while
 * retry.c says its failure was a race with a writer. body() must be able
 * to start over. */
template <class F> int read(lede__xdb *db, F &&body) noexcept
{
    db->failed = -1;
    for (int attempt = 1;; attempt++) {
        int rc = guard(body, db);
        const lede__xfail kind = db->kind;
        if (rc >= 0 || !lede__retry_read(kind, attempt))
            return rc;
        bool newer = false;
        int again = guard(
            [&] {
                newer = db->db.reopen();
                return 0;
            },
            db);
        if (!lede__retry_reopened(kind, db->kind, newer)) {
            if (again < 0)
                return again;
            db->kind = kind;
            return rc;
        }
    }
}

inline int put(lede__buf *out, const std::string &s)
{
    return lede__buf_put(out, s.data(), s.size());
}

/* query restricted to the documents of db's shards i with
 * i % parts == part (xapian_shard.cc). */
Xapian::Query only_shards(const Xapian::Query &query, const lede__xdb *db,
                          size_t part, size_t parts);

/* Lucene's BM25 (xapian_lucene.cc). */
std::unique_ptr<Xapian::Weight> lucene_bm25(double k1, double b);

} // namespace lede_x

#endif /* LEDE_XAPIAN_INT_H */
