/*
 * xapian_lucene.cc - Lucene's BM25 as a Xapian weighting scheme.
 *
 * Xapian asks a weighting scheme for its statistics and its per-document
 * parts from inside the matcher, so this one must be C++: a subclass of
 * Xapian::Weight, kept beside the shim. How Lucene rounds a document's
 * length is rank.c's, shared with explain.c, so the scores --explain
 * prints are these. Calls rank.c.
 */
#include "xapian_int.h"

#include <cmath>

namespace
{

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

} // namespace

std::unique_ptr<Xapian::Weight> lede_x::lucene_bm25(double k1, double b)
{
    return std::make_unique<LuceneBM25>(k1, b);
}
