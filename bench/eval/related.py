#!/usr/bin/env python3
"""Related stories measured: how often they share their article's section.

    LEDE_LIBRARY=BUILD/lib/.libs/liblede.so related.py INDEX_DIR [N]

INDEX_DIR is an index of a corpus whose articles carry a section (BBC
News built from its folders: `lede-index INDEX bbc-news/bbc`). For every
article, the top N (default 10) related stories (`lede-search --like ID`)
and, for comparison, the top N hits of a plain search on the article's
title (the article itself left out) are looked up, and the share of them
in the article's own section is averaged over all articles (an article
with no hits counts 0). Prints one Markdown table row each, with the
articles measured and the seconds taken.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "bindings", "python"))
import lede  # noqa: E402


def section(fields):
    v = fields.get("section")
    return v[0] if v else None


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip())
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 10
    idx = lede.Index(sys.argv[1])
    articles = [a for a, _path, _src in idx.articles()]
    like_share = title_share = 0.0
    measured = 0
    t_like = t_title = 0.0
    for aid in articles:
        art = idx.article(aid)
        own = section(art["fields"])
        if own is None:
            continue
        measured += 1
        t0 = time.perf_counter()
        hits = idx.search("", like=aid, limit=n, highlights=False)
        t1 = time.perf_counter()
        like_share += sum(section(h.fields) == own for h in hits) / n
        title = art["title"]
        got = []
        if title.strip():
            res = idx.search(title, limit=n + 1, plain=True, highlights=False)
            got = [h for h in res if h.article_id != aid][:n]
        t2 = time.perf_counter()
        title_share += sum(section(h.fields) == own for h in got) / n
        t_like += t1 - t0
        t_title += t2 - t1
    if measured == 0:
        sys.exit("related.py: no article has a section")
    print("| method | share of the top %d in the article's section | "
          "articles | seconds |" % n)
    print("|---|---|---|---|")
    print("| related stories (`--like`) | %.3f | %d | %.1f |"
          % (like_share / measured, measured, t_like))
    print("| plain search on the title | %.3f | %d | %.1f |"
          % (title_share / measured, measured, t_title))


if __name__ == "__main__":
    main()
