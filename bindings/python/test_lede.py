"""Tests of the Python bindings against a real index on disk.

Run with LEDE_LIBRARY pointing at liblede.so:
    LEDE_LIBRARY=lib/.libs/liblede.so python3 -m unittest test_lede
"""

import datetime
import gzip
import os
import shutil
import tempfile
import unittest

import lede

SINGAPORE = (
    "The leaders met in Singapore on 12 June 2018. "
    "It was the first summit between the two countries."
)
HANOI = "The second summit took place in Hanoi in February 2019."
UTC = datetime.timezone.utc


class IndexTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lede-py.")
        self.path = os.path.join(self.dir, "idx")
        with lede.Index(self.path, mode="create") as idx:
            idx.add("sg", title="Singapore meeting", body=SINGAPORE,
                    date=1528761600, url="https://example.org/sg")
            idx.add("hn", title="Hanoi meeting", body=HANOI)
            idx.commit()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_write_mode_needs_an_index(self):
        # "write" opens an index that exists: on a new path the error says
        # which mode makes one, and nothing is created.
        path = os.path.join(self.dir, "new")
        with self.assertRaises(lede.Error) as cm:
            lede.Index(path, mode="write")
        self.assertEqual(cm.exception.code, lede.ENOTFOUND)
        self.assertEqual(
            str(cm.exception),
            path + ': no such index (use mode="create" to make one)')
        self.assertFalse(os.path.exists(path))
        with self.assertRaises(lede.Error) as cm:
            lede.Index(path)
        self.assertEqual(str(cm.exception), path + ": no such index")
        with lede.Index(path, mode="create") as idx:
            idx.add("n1", title="New", body="A new index.")
            idx.commit()
        with lede.Index(path, mode="write") as idx:
            self.assertEqual(idx.stat()["articles"], 1)

    def test_fields(self):
        # Fields in, filters on them, values out as written; the index
        # lists its fields, the declared one among them.
        path = os.path.join(self.dir, "f")
        with lede.Index(path, mode="create", fields=["desk"]) as idx:
            idx.add("a", title="Summit", body=SINGAPORE,
                    fields={"author": ["Alex Wong", "Mia Chen"],
                            "section": "World"}, path="asia/a.txt")
            idx.add("b", title="Second summit", body=HANOI,
                    fields=[("section", "Politics"), ("desk", "Foreign")])
            idx.add("c", title="Third", body="The summit in Hanoi, in "
                    "February 2019, was the second summit.",
                    fields={"section": "world"})
            idx.add("d", title="Cup", body="The cup final went to "
                    "penalties.", fields={"section": "sport"})
            idx.commit()
            self.assertEqual(idx.fields(), ["author", "desk", "section",
                                            "source", "tag"])
        with lede.Index(path) as idx:
            hits = idx.search('summit author:"mia chen"')
            self.assertEqual([h.article_id for h in hits], ["a"])
            self.assertEqual(hits[0].fields, {
                "author": ["Alex Wong", "Mia Chen"], "section": ["World"]})
            hits = idx.search("summit -section:world")
            self.assertEqual([h.article_id for h in hits], ["b"])
            self.assertEqual(hits[0].fields, {"section": ["Politics"],
                                              "desk": ["Foreign"]})
            self.assertEqual(
                [h.article_id for h in idx.search("dir:asia")], ["a"])
            with self.assertRaises(lede.Error) as cm:
                idx.search("summit region:x")
            self.assertIn("unknown field 'region:'", str(cm.exception))
            res = idx.search("summit", facets=["section", "author"])
            self.assertEqual(res.facets, {
                "section": {"distinct": 2,
                            "values": [("World", 2), ("Politics", 1)]},
                "author": {"distinct": 2,
                           "values": [("Alex Wong", 1), ("Mia Chen", 1)]},
            })
            res = idx.search("summit", facets="section", facet_limit=1)
            self.assertEqual(res.facets["section"]["values"],
                             [("World", 2)])
            self.assertEqual(idx.search("summit").facets, {})
            art = idx.article("a")
            self.assertEqual(art["text"], SINGAPORE)
            self.assertEqual(art["path"], "asia/a.txt")
            self.assertEqual(art["fields"]["author"], ["Alex Wong", "Mia Chen"])
            self.assertIsNone(art["date"])
            self.assertEqual([a for a, _p, _s in idx.articles("asia")], ["a"])
            with self.assertRaises(lede.Error) as cm:
                idx.article("nope")
            self.assertEqual(cm.exception.code, lede.ENOTFOUND)
            # Related stories: never the article itself.
            related = [h.article_id for h in idx.search("", like="b")]
            self.assertNotIn("b", related)
            self.assertEqual(sorted(related), ["a", "c"])
            self.assertEqual(
                sorted(h.article_id for h in idx.search("section:world",
                                                        like="b")),
                ["a", "c"])
            self.assertEqual(
                [h.article_id for h in idx.search("-section:world",
                                                  like="b")], [])
        with lede.Index(path, mode="write") as idx:
            with self.assertRaises(lede.Error) as cm:
                idx.add("c", title="T", fields={"Bad": "x"})
            self.assertEqual(cm.exception.code, lede.EINVAL)

    def test_results_total(self):
        # The names of lede-search --json ("total", "total_exact"), and
        # the old ones as aliases.
        with lede.Index(self.path) as idx:
            hits = idx.search("summit", limit=1)
            counted = idx.search("summit", limit=1, count=True)
        self.assertEqual(len(hits), 1)
        self.assertEqual((hits.total, hits.total_exact), (2, True))
        self.assertEqual((hits.estimated, hits.exact), (2, True))
        self.assertEqual((counted.total, counted.total_exact), (2, True))

    def test_threads_same_results(self):
        # A set of two local shards (a stub file listing two indexes)
        # searched by two threads gives what one thread gives; a negative
        # number of threads is refused.
        words = ["summit", "leaders", "harbour", "ferry", "storm", "tide"]
        stub = os.path.join(self.dir, "set")
        with open(stub, "w", encoding="utf-8") as f:
            for s in range(2):
                shard = os.path.join(self.dir, "shard%d" % s)
                f.write("auto %s\n" % shard)
                with lede.Index(shard, mode="create") as idx:
                    for i in range(s, 40, 2):
                        body = " ".join(words[(i * k) % 6]
                                        for k in range(1, 12 + i % 7))
                        idx.add("a%02d" % i, title="T%d" % i, body=body + ".")
                    idx.commit()
        with lede.Index(stub) as idx:
            for query in ("summit", "storm OR tide", '"harbour ferry"'):
                one = idx.search(query, limit=50, threads=1)
                two = idx.search(query, limit=50, threads=2)
                self.assertGreater(len(one), 0)
                self.assertEqual([(h.article_id, h.passage, h.score)
                                  for h in one],
                                 [(h.article_id, h.passage, h.score)
                                  for h in two])
                self.assertEqual(one.total, two.total)
            with self.assertRaises(ValueError):
                idx.search("summit", threads=-1)

    def test_version(self):
        self.assertRegex(lede.version(), r"^\d+\.\d+\.\d+$")

    def test_stat(self):
        with lede.Index(self.path) as idx:
            st = idx.stat()
        self.assertEqual(st["articles"], 2)
        self.assertEqual(st["passages"], 2)
        self.assertEqual(st["language"], "english")
        self.assertEqual(st["passage_words"], 200)
        self.assertEqual(st["passage_overlap"], 1)

    def test_search_ranks_and_offsets(self):
        with lede.Index(self.path) as idx:
            hits = idx.search("Singapore summit", explain=True)
        self.assertEqual([h.article_id for h in hits], ["sg", "hn"])
        sg = hits[0]
        self.assertEqual(sg.title, "Singapore meeting")
        self.assertEqual(sg.passage, 0)
        self.assertEqual((sg.start, sg.end), (0, len(SINGAPORE)))
        self.assertEqual(sg.text, SINGAPORE)
        self.assertEqual(sg.date, datetime.datetime(2018, 6, 12, tzinfo=UTC))
        self.assertEqual(sg.date.tzinfo, UTC)
        self.assertEqual(sg.timestamp, 1528761600)
        self.assertEqual(sg.url, "https://example.org/sg")
        self.assertIsNone(hits[1].date)
        self.assertIsNone(hits[1].timestamp)
        self.assertIsNone(hits[1].url)
        # "Singapore" at byte 19, "summit" at byte 63 of the passage.
        self.assertEqual(sg.highlights, [(19, 28), (63, 69)])
        self.assertEqual(
            sg.snippet("[", "]"),
            "The leaders met in [Singapore] on 12 June 2018. It was the "
            "first [summit] between the two countries.",
        )
        self.assertAlmostEqual(sum(e["weight"] for e in sg.explain),
                               sg.score, places=9)
        with lede.Index(self.path) as idx:
            plain = idx.search("Singapore summit", highlights=False)[0]
        self.assertEqual((plain.article_id, plain.text), ("sg", SINGAPORE))
        self.assertEqual(plain.highlights, [])
        self.assertEqual(plain.snippet("[", "]"), SINGAPORE)
        self.assertGreater(sg.score, hits[1].score)
        self.assertEqual(hits.estimated, 2)

    def test_edge_articles(self):
        # No body, no title, neither (found by its date), one word, a
        # 64-byte word, other scripts: every field is exact, and where
        # there is no text it is "" (not bytes from memory).
        long_word = "abcdefghij" * 6 + "abcd"
        scripts = "火山が噴火した。Ηφαίστειο εξερράγη. Вулкан проснулся."
        path = os.path.join(self.dir, "edge")
        with lede.Index(path, mode="create") as idx:
            idx.add("no-body", title="Volcano erupts near the coast")
            idx.add("no-title", body="A volcano erupted at dawn.")
            idx.add("nothing", date=1551398400)
            idx.add("one-word", body="Volcano")
            idx.add("long-word", title=long_word, body=long_word)
            idx.add("scripts", title="Вулкан", body=scripts)
            idx.commit()
        with lede.Index(path) as idx:
            hits = idx.search("volcano", explain=True)
            self.assertEqual(
                [(h.article_id, h.title, h.text, h.highlights, h.snippet("[", "]"))
                 for h in hits],
                [("one-word", "", "Volcano", [(0, 7)], "[Volcano]"),
                 ("no-body", "Volcano erupts near the coast", "", [], ""),
                 ("no-title", "", "A volcano erupted at dawn.", [(2, 9)],
                  "A [volcano] erupted at dawn.")])
            self.assertEqual((hits[1].start, hits[1].end), (0, 0))
            self.assertEqual([e["term"] for e in hits[1].explain],
                             ["title:volcano"])
            (nothing,) = idx.search("date:2019-03-01")
            self.assertEqual((nothing.article_id, nothing.title, nothing.text,
                              nothing.snippet(), nothing.url),
                             ("nothing", "", "", "", None))
            (hit,) = idx.search(long_word)
            self.assertEqual((hit.title, hit.text, hit.highlights),
                             (long_word, long_word, [(0, 64)]))
            (hit,) = idx.search("вулкан")
            self.assertEqual((hit.title, hit.text, hit.highlights),
                             ("Вулкан", scripts, [(61, 73)]))
            self.assertEqual(
                hit.snippet("[", "]"),
                "火山が噴火した。Ηφαίστειο εξερράγη. [Вулкан] проснулся.")

    def test_search_options(self):
        with lede.Index(self.path) as idx:
            self.assertEqual(len(idx.search("summit", limit=1)), 1)
            self.assertEqual(
                [h.article_id for h in idx.search("summit Singapore",
                                                  require_all=True)],
                ["sg"])
            self.assertEqual(
                [h.article_id for h in idx.search("summit", date_from=0)],
                ["sg"])
            self.assertEqual(idx.describe("summits -Hanoi"),
                             "(AND_NOT (OR summit (SCALE 0.5 title:summit)) "
                             "(OR hanoi (SCALE 0.5 title:hanoi)))")
            # Plain text: the sign and quotes are not read; the two words
            # side by side count again where they are near each other.
            self.assertEqual(idx.describe('"summits" -Hanoi', plain=True,
                                          title_weight=0),
                             "(OR summit hanoi "
                             "(SCALE 0.15 (NEAR 4 summit hanoi)))")
            self.assertEqual(idx.describe("the summit", title_weight=0),
                             "summit")
            self.assertEqual(idx.describe("the summit", title_weight=0,
                                          keep_stopwords=True,
                                          proximity=0),
                             "(OR the summit)")
            lucene = idx.search("summit", lucene=True, k1=0.9, b=0.4,
                                explain=True)
            self.assertAlmostEqual(sum(e["weight"] for e in lucene[0].explain),
                                   lucene[0].score, places=9)

    def test_dates(self):
        path = os.path.join(self.dir, "dated")
        with lede.Index(path, mode="create") as idx:
            # A date, an aware datetime (07:43:41 UTC) and seconds.
            idx.add("d1", body="Cocoa prices rose.",
                    date=datetime.date(1987, 2, 26))
            idx.add("d2", body="Cocoa exports fell.",
                    date=datetime.datetime(
                        1987, 3, 2, 9, 43, 41,
                        tzinfo=datetime.timezone(datetime.timedelta(hours=2))))
            idx.add("d3", body="Cocoa talks resumed.", date=542246400)
            idx.add("d4", body="Cocoa without a date.")
            idx.commit()
            hits = {h.article_id: h for h in idx.search("cocoa")}
            self.assertEqual(hits["d1"].date,
                             datetime.datetime(1987, 2, 26, tzinfo=UTC))
            self.assertEqual(hits["d2"].date,
                             datetime.datetime(1987, 3, 2, 7, 43, 41,
                                               tzinfo=UTC))
            self.assertEqual(hits["d2"].timestamp, 541669421)
            self.assertEqual(hits["d3"].date,
                             datetime.datetime(1987, 3, 9, tzinfo=UTC))
            self.assertIsNone(hits["d4"].date)

            def ids(**kw):
                return sorted(h.article_id for h in idx.search("cocoa", **kw))

            self.assertEqual(ids(date_from=datetime.date(1987, 3, 1)),
                             ["d2", "d3"])
            # date_to as a date takes in the whole day; as a datetime,
            # up to that moment.
            self.assertEqual(ids(date_to=datetime.date(1987, 3, 2)),
                             ["d1", "d2"])
            self.assertEqual(
                ids(date_to=datetime.datetime(1987, 3, 2, 7, 43, 40)), ["d1"])
            self.assertEqual(ids(date_from=datetime.datetime(
                1987, 3, 2, 7, 43, 41, tzinfo=UTC)), ["d2", "d3"])
            self.assertEqual(ids(date_from=541669422), ["d3"])
            self.assertEqual(ids(date_from=datetime.date(1987, 2, 26),
                                 date_to=datetime.date(1987, 2, 26)), ["d1"])
            with self.assertRaises(TypeError) as cm:
                idx.search("cocoa", date_from="1987-03-01")
            self.assertEqual(str(cm.exception),
                             "date_from must be a datetime.datetime, a "
                             "datetime.date or seconds since 1970, not str")

    def test_suggestion(self):
        with lede.Index(self.path) as idx:
            hits = idx.search("Singapre")
        self.assertEqual(len(hits), 0)
        self.assertEqual(hits.suggestion, "singapore")

    def test_offset_past_the_end_is_told(self):
        with lede.Index(self.path) as idx:
            hits = idx.search("summit", offset=5)
        self.assertEqual(len(hits), 0)
        self.assertEqual(hits.note, "offset 5 is past the last result "
                         "(the query matches 2 articles)")

    def test_errors(self):
        with lede.Index(self.path) as idx:
            with self.assertRaises(lede.Error) as cm:
                idx.search('"Singapore summit')
            self.assertEqual(cm.exception.code, lede.EINVAL)
            self.assertIn("column 1", str(cm.exception))
            with self.assertRaises(lede.Error) as cm:
                idx.add("x", body="read-only")
            self.assertEqual(cm.exception.code, lede.EINVAL)
        with self.assertRaises(lede.Error) as cm:
            lede.Index(os.path.join(self.dir, "missing"))
        self.assertEqual(cm.exception.code, lede.ENOTFOUND)
        self.assertIn("missing", str(cm.exception))
        with lede.Index(self.path, mode="write") as idx:
            with self.assertRaises(lede.Error) as cm:
                lede.Index(self.path, mode="write")
            self.assertEqual(cm.exception.code, lede.ELOCKED)
            with self.assertRaises(lede.Error) as cm:
                idx.delete("no-such-article")
            self.assertEqual(cm.exception.code, lede.ENOTFOUND)

    def test_nul_byte_refused(self):
        # A C string would end at the NUL and drop the restriction after
        # it: "summit" alone matches both articles.
        with lede.Index(self.path) as idx:
            with self.assertRaises(lede.Error) as cm:
                idx.search("summit\x00 NOT summit")
            self.assertEqual(cm.exception.code, lede.EINVAL)
            self.assertEqual(str(cm.exception),
                             "query: a NUL byte at column 7")
            with self.assertRaises(lede.Error) as cm:
                idx.describe("caf\u00e9\x00")
            self.assertEqual(str(cm.exception),
                             "query: a NUL byte at column 5")
            self.assertEqual(len(idx.search("summit NOT hanoi")), 1)

    def test_limits(self):
        with lede.Index(self.path) as idx:
            with self.assertRaises(lede.Error) as cm:
                idx.search("(" * 65 + "summit" + ")" * 65)
            self.assertEqual(cm.exception.code, lede.EINVAL)
            self.assertEqual(
                str(cm.exception),
                "query: more than 64 levels of parentheses at column 65")
            with self.assertRaises(lede.Error) as cm:
                idx.search("byline:smith summit")
            self.assertIn("unknown field 'byline:'", str(cm.exception))
            self.assertEqual(len(idx.search("summit", max_time=60)), 2)

    def test_reader_sees_commits_after_reopen(self):
        reader = lede.Index(self.path)
        with lede.Index(self.path, mode="write") as w:
            w.delete("hn")
            w.commit()
        self.assertEqual(reader.stat()["articles"], 2)
        reader.reopen()
        self.assertEqual(reader.stat()["articles"], 1)
        reader.close()
        with self.assertRaises(lede.Error) as cm:
            reader.stat()
        self.assertEqual(cm.exception.code, lede.EINVAL)
        reader.free()

    def test_sync(self):
        corpus = os.path.join(self.dir, "corpus")
        os.mkdir(corpus)
        with open(os.path.join(corpus, "a.txt"), "w") as f:
            f.write("Harbour news\n\nThe ferry runs again.\n")
        with gzip.open(os.path.join(corpus, "b.txt.gz"), "wt") as f:
            f.write("Lighthouse\n\nThe lighthouse keeper retired.\n")
        sync_path = os.path.join(self.dir, "sync")
        with lede.Index(sync_path, mode="create") as idx:
            st = idx.sync(corpus)
            self.assertEqual((st["added"], st["files_total"]), (2, 2))
            st = idx.sync(corpus)
            self.assertEqual((st["added"], st["unchanged"]), (0, 2))
            self.assertEqual([h.article_id for h in idx.search("keeper")],
                             ["b.txt"])
            self.assertEqual(st["problems"], [])

    def test_sync_progress(self):
        corpus = os.path.join(self.dir, "corpus")
        os.mkdir(corpus)
        path = os.path.join(corpus, "big.jsonl.gz")
        with gzip.open(path, "wt") as f:
            for i in range(3000):
                words = " ".join("%x" % ((i * 7919 + w * 104729) ** 3 % 999983)
                                 for w in range(40))
                f.write('{"id":"b%d","title":"Report","text":"%s"}\n'
                        % (i, words))
        size = os.path.getsize(path)
        seen = []
        with lede.Index(os.path.join(self.dir, "sync"), mode="create") as idx:
            st = idx.sync(corpus, progress=lambda s: seen.append(
                (s["bytes_done"], s["bytes_total"], s["files_done"])))
        self.assertEqual((st["bytes_done"], st["bytes_total"]), (size, size))
        within = [d for d, t, f in seen if f == 0 and 0 < d < size]
        self.assertGreaterEqual(len(within), 2)
        self.assertEqual(within, sorted(within))
        self.assertEqual(seen[-1], (size, size, 1))

    def test_sync_progress_raises(self):
        corpus = os.path.join(self.dir, "corpus")
        os.mkdir(corpus)
        with open(os.path.join(corpus, "big.jsonl"), "w") as f:
            for i in range(2500):
                f.write('{"id":"r%d","title":"Ferry","text":"The ferry '
                        'runs at dawn."}\n' % i)
        calls = []

        def progress(counts):
            calls.append(counts["bytes_done"])
            raise ValueError("enough")

        path = os.path.join(self.dir, "raised")
        with lede.Index(path, mode="create") as idx:
            with self.assertRaisesRegex(ValueError, "^enough$"):
                idx.sync(corpus, progress=progress)
            self.assertEqual(len(calls), 1)
        # what was done before the stop is committed, and the next sync
        # finishes the file
        with lede.Index(path, mode="write") as idx:
            st = idx.sync(corpus)
            self.assertEqual(idx.stat()["articles"], 2500)
            self.assertEqual(st["added"] + st["unchanged"], 2500)

    def test_sync_problems(self):
        corpus = os.path.join(self.dir, "corpus")
        os.mkdir(corpus)
        with open(os.path.join(corpus, "n.jsonl"), "w") as f:
            f.write('{"id":"j1","title":"One","text":"The ferry runs."}\n'
                    '{"id": broken\n'
                    '{"id":"j3","text":"Late ferry.","date":"yesterday"}\n')
        data = gzip.compress(b"Lighthouse\n\nThe lighthouse keeper.\n")
        with open(os.path.join(corpus, "t.txt.gz"), "wb") as f:
            f.write(data[:20])
        with lede.Index(os.path.join(self.dir, "sync"), mode="create") as idx:
            st = idx.sync(corpus)
            self.assertEqual((st["added"], st["skipped"], st["errors"]),
                             (2, 1, 1))
            self.assertEqual(st["problems"], [
                lede.SyncProblem(
                    "problem", os.path.join(corpus, "n.jsonl"), 2,
                    "malformed JSON at column 13: invalid token near "
                    "'broken'; line skipped"),
                lede.SyncProblem(
                    "warning", os.path.join(corpus, "n.jsonl"), 3,
                    "date 'yesterday' not understood; the article is kept "
                    "without a date"),
                lede.SyncProblem(
                    "skipped", os.path.join(corpus, "t.txt.gz"), None,
                    "gzip data is truncated (the file ends inside a "
                    "stream, at byte 20)"),
            ])
            self.assertEqual(st["problems"][0].line, 2)

    def test_tokenize(self):
        self.assertEqual(
            lede.tokenize("Naïve 1,000 CAFÉS"),
            [("naïve", 0, 6), ("1000", 7, 12), ("cafés", 13, 19)],
        )


if __name__ == "__main__":
    unittest.main()
