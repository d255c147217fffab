/*
 * rank.c - what lede needs of Lucene's BM25 beyond Xapian's.
 *
 * Lucene keeps a document's length in one byte (SmallFloat.intToByte4):
 * lengths below 24 exactly, larger ones as a small float with 4 significant
 * bits, always rounded down; BM25 then uses the decoded length. A faithful
 * Lucene BM25 must round lengths the same way, or documents near a step
 * swap places. The Lucene weight (xapian_lucene.cc) and explain.c both
 * call this.
 * Calls nothing else.
 */
#include "lede_int.h"

/* Lengths below this are stored as they are: 255 minus the code of the
 * largest int (2^31 - 1 encodes to 231). */
#define FREE_VALUES 24

/* Value v > 0 as 4 significant bits: 3 bits of mantissa (the leading one
 * implied) and the exponent above. */
static unsigned to_int4(uint64_t v)
{
    unsigned bits = 0;
    for (uint64_t x = v; x != 0; x >>= 1)
        bits++;
    if (bits < 4)
        return (unsigned)v; /* subnormal: stored as is */
    unsigned shift = bits - 4;
    return (unsigned)((v >> shift) & 0x07) | (shift + 1) << 3;
}

static uint64_t from_int4(unsigned code)
{
    uint64_t mantissa = code & 0x07;
    unsigned exp = code >> 3;
    if (exp == 0)
        return mantissa;
    return (mantissa | 0x08) << (exp - 1);
}

unsigned lede__lucene_norm(uint64_t length)
{
    if (length > INT32_MAX)
        length = INT32_MAX;
    if (length < FREE_VALUES)
        return (unsigned)length;
    return FREE_VALUES + to_int4(length - FREE_VALUES);
}

uint64_t lede__lucene_decode(unsigned code)
{
    code &= 0xff;
    if (code < FREE_VALUES)
        return code;
    return FREE_VALUES + from_int4(code - FREE_VALUES);
}

uint64_t lede__lucene_length(uint64_t length)
{
    return lede__lucene_decode(lede__lucene_norm(length));
}
