"""Python bindings of liblede, through ctypes.

    import lede
    with lede.Index("news.idx", mode="create") as idx:
        idx.add("a1", title="Leaders meet", body="The summit in Singapore...")
        idx.commit()
        for hit in idx.search("Singapore summit"):
            print(hit.score, hit.article_id, hit.snippet("[", "]"))

Dates go in as datetime.datetime (naive ones are taken as UTC),
datetime.date (midnight UTC) or seconds since 1970, and come out as
timezone-aware datetime.datetime in UTC, or None. Index.sync() reports
what it could not use, file by file and line by line, in its "problems".

The library is found through the LEDE_LIBRARY environment variable (a path
to liblede.so), else by the system's usual search. Failures raise
lede.Error, whose .code is the LEDE_E* code and whose message is the
library's. Handles follow the C library's rule: one thread at a time per
Index; open one Index per thread.

The structures below mirror include/lede.h field for field; their version
numbers say which layout they are.
"""

import collections
import ctypes
import ctypes.util
import datetime
import os

__all__ = ["Error", "Index", "Hit", "SyncProblem", "version", "tokenize",
           "NO_DATE"]

NO_DATE = -(2**63)

# Return codes (lede_error_code).
OK = 0
ERROR = -1
ENOMEM = -2
EINVAL = -3
ENOTFOUND = -4
EINDEX = -5
ECORRUPT = -6
EUSER = -7
ELOCKED = -8
EIO = -9
ELIMIT = -10

_MODES = {"read": 0, "write": 1, "create": 2}

SEARCH_ALL = 1 << 0
SEARCH_NO_DEDUP = 1 << 1
SEARCH_SORT_DATE = 1 << 2
SEARCH_EXPLAIN = 1 << 3
SEARCH_PLAIN = 1 << 4
SEARCH_KEEP_STOPWORDS = 1 << 5
SEARCH_NO_HIGHLIGHTS = 1 << 7
SEARCH_COUNT = 1 << 8

WEIGHT_BM25 = 0
WEIGHT_BM25_LUCENE = 1

# The search defaults of include/lede.h (LEDE_DEFAULT_*).
DEFAULT_K1 = 1.2
DEFAULT_B = 0.8
DEFAULT_K3 = 100.0
DEFAULT_TITLE_WEIGHT = 0.5
DEFAULT_PROXIMITY = 0.15

_c_char_p = ctypes.c_char_p
_size_t = ctypes.c_size_t


class _IndexOptions(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("mode", ctypes.c_int),
        ("language", _c_char_p),
        ("passage_words", ctypes.c_uint),
        ("passage_overlap", ctypes.c_int),
        ("lock_wait_ms", ctypes.c_int),
        ("stopwords", _c_char_p),
        ("paragraph_passages", ctypes.c_int),
        ("remote_timeout_ms", ctypes.c_uint),
        ("allow_partial", ctypes.c_int),
        ("lock_wait_cb", ctypes.c_void_p),
        ("lock_wait_payload", ctypes.c_void_p),
        ("fields", _c_char_p),
    ]


class _Field(ctypes.Structure):
    _fields_ = [("name", _c_char_p), ("value", _c_char_p)]


class _Article(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("id", _c_char_p),
        ("title", _c_char_p),
        ("title_len", _size_t),
        ("body", _c_char_p),
        ("body_len", _size_t),
        ("date", ctypes.c_int64),
        ("url", _c_char_p),
        ("fields", ctypes.POINTER(_Field)),
        ("n_fields", _size_t),
        ("path", _c_char_p),
    ]


class _IndexInfo(ctypes.Structure):
    _fields_ = [
        ("articles", ctypes.c_uint64),
        ("passages", ctypes.c_uint64),
        ("language", _c_char_p),
        ("passage_words", ctypes.c_uint),
        ("passage_overlap", ctypes.c_int),
    ]


class _ReadOptions(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("format", ctypes.c_int),
        ("id", _c_char_p),
        ("max_file_bytes", ctypes.c_uint64),
        ("max_article_bytes", _size_t),
        ("max_ratio", ctypes.c_uint),
        ("json_id", _c_char_p),
        ("json_title", _c_char_p),
        ("json_text", _c_char_p),
        ("json_date", _c_char_p),
        ("json_url", _c_char_p),
    ]


class _SyncStats(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_uint64)
        for name in (
            "added",
            "updated",
            "deleted",
            "unchanged",
            "skipped",
            "errors",
            "files_total",
            "files_done",
            "bytes_total",
            "bytes_done",
            "commits",
        )
    ]


class _SyncOptions(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("read", _ReadOptions),
        ("delete_vanished", ctypes.c_int),
        ("follow_symlinks", ctypes.c_int),
        ("batch", _size_t),
        ("cb", ctypes.c_void_p),
        ("payload", ctypes.c_void_p),
    ]


class _SearchOptions(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("limit", _size_t),
        ("offset", _size_t),
        ("k1", ctypes.c_double),
        ("b", ctypes.c_double),
        ("per_article", ctypes.c_uint),
        ("flags", ctypes.c_uint),
        ("title_weight", ctypes.c_double),
        ("date_from", ctypes.c_int64),
        ("date_to", ctypes.c_int64),
        ("snippet_words", ctypes.c_uint),
        ("weighting", ctypes.c_int),
        ("k3", ctypes.c_double),
        ("proximity", ctypes.c_double),
        ("max_time_ms", ctypes.c_uint),
        ("threads", ctypes.c_uint),
        ("facets", _c_char_p),
        ("facet_limit", ctypes.c_uint),
        ("like", _c_char_p),
    ]


_ARTICLES_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p,
                                ctypes.c_char_p, ctypes.c_void_p)


class _FacetValue(ctypes.Structure):
    _fields_ = [("value", _c_char_p), ("articles", ctypes.c_uint64)]


class _Span(ctypes.Structure):
    _fields_ = [("start", _size_t), ("end", _size_t)]


class _Explain(ctypes.Structure):
    _fields_ = [
        ("term", _c_char_p),
        ("tf", ctypes.c_uint64),
        ("df", ctypes.c_uint64),
        ("idf", ctypes.c_double),
        ("length", ctypes.c_uint64),
        ("weight", ctypes.c_double),
    ]


class _SyncEvent(ctypes.Structure):
    _fields_ = [
        ("kind", ctypes.c_int),
        ("path", _c_char_p),
        ("line", ctypes.c_uint64),
        ("message", _c_char_p),
        ("stats", ctypes.POINTER(_SyncStats)),
        ("warning", ctypes.c_int),
    ]


# lede_sync_event_kind values that report a file, or a part of one, that
# was not used as it was.
_SYNC_KINDS = {1: "skipped", 2: "problem", 3: "warning"}

_SYNC_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(_SyncEvent),
                            ctypes.c_void_p)

_TOKEN_CB = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, _size_t, _size_t, _size_t, ctypes.c_void_p
)


def _load():
    path = os.environ.get("LEDE_LIBRARY") or ctypes.util.find_library("lede")
    if not path:
        raise OSError("liblede not found: set LEDE_LIBRARY to its path")
    lib = ctypes.CDLL(path)
    vp = ctypes.c_void_p
    sigs = {
        "lede_version": (_c_char_p, []),
        "lede_error_last": (_c_char_p, []),
        "lede_strerror": (_c_char_p, [ctypes.c_int]),
        "lede_free": (None, [vp]),
        "lede_tokenize": (ctypes.c_int, [vp, _size_t, _TOKEN_CB, vp]),
        "lede_index_open": (
            ctypes.c_int,
            [ctypes.POINTER(vp), _c_char_p, ctypes.POINTER(_IndexOptions)],
        ),
        "lede_index_free": (None, [vp]),
        "lede_index_close": (ctypes.c_int, [vp]),
        "lede_index_reopen": (ctypes.c_int, [vp]),
        "lede_index_add": (ctypes.c_int, [vp, ctypes.POINTER(_Article)]),
        "lede_index_delete": (ctypes.c_int, [vp, _c_char_p]),
        "lede_index_commit": (ctypes.c_int, [vp]),
        "lede_index_stat": (ctypes.c_int, [ctypes.POINTER(_IndexInfo), vp]),
        "lede_index_sync": (
            ctypes.c_int,
            [
                ctypes.POINTER(_SyncStats),
                vp,
                ctypes.POINTER(_c_char_p),
                _size_t,
                ctypes.POINTER(_SyncOptions),
            ],
        ),
        # The _n forms: a str may hold a NUL, which must be refused, not
        # cut at as a C string would be.
        "lede_search_n": (
            ctypes.c_int,
            [ctypes.POINTER(vp), vp, _c_char_p, _size_t,
             ctypes.POINTER(_SearchOptions)],
        ),
        "lede_query_describe_n": (
            ctypes.c_int,
            [ctypes.POINTER(vp), vp, _c_char_p, _size_t,
             ctypes.POINTER(_SearchOptions)],
        ),
        "lede_results_free": (None, [vp]),
        "lede_results_count": (_size_t, [vp]),
        "lede_results_estimated": (ctypes.c_uint64, [vp]),
        "lede_results_exact": (ctypes.c_int, [vp]),
        "lede_results_suggestion": (_c_char_p, [vp]),
        "lede_results_note": (_c_char_p, [vp]),
        "lede_results_score": (ctypes.c_double, [vp, _size_t]),
        "lede_results_article_id": (_c_char_p, [vp, _size_t]),
        "lede_results_title": (_c_char_p, [vp, _size_t]),
        "lede_results_passage": (ctypes.c_uint, [vp, _size_t]),
        "lede_results_start": (_size_t, [vp, _size_t]),
        "lede_results_end": (_size_t, [vp, _size_t]),
        "lede_results_text": (_c_char_p, [vp, _size_t]),
        "lede_results_date": (ctypes.c_int64, [vp, _size_t]),
        "lede_results_url": (_c_char_p, [vp, _size_t]),
        "lede_results_similar": (ctypes.c_uint, [vp, _size_t]),
        "lede_results_fields": (
            ctypes.POINTER(_Field),
            [vp, _size_t, ctypes.POINTER(_size_t)],
        ),
        "lede_index_fields": (ctypes.c_int, [ctypes.POINTER(vp), vp]),
        "lede_index_article": (ctypes.c_int,
                               [ctypes.POINTER(vp), vp, _c_char_p]),
        "lede_stored_free": (None, [vp]),
        "lede_stored_article": (ctypes.POINTER(_Article), [vp]),
        "lede_stored_source": (_c_char_p, [vp]),
        "lede_stored_passage_count": (_size_t, [vp]),
        "lede_stored_passage": (
            ctypes.c_int,
            [vp, _size_t, ctypes.POINTER(_size_t), ctypes.POINTER(_size_t)],
        ),
        "lede_index_articles": (ctypes.c_int,
                                [vp, _c_char_p, _ARTICLES_CB, vp]),
        "lede_results_facet_count": (_size_t, [vp]),
        "lede_results_facet": (
            ctypes.POINTER(_FacetValue),
            [vp, _size_t, ctypes.POINTER(_c_char_p),
             ctypes.POINTER(ctypes.c_uint64), ctypes.POINTER(_size_t)],
        ),
        "lede_results_highlights": (
            ctypes.POINTER(_Span),
            [vp, _size_t, ctypes.POINTER(_size_t)],
        ),
        "lede_results_snippet": (
            ctypes.c_int,
            [ctypes.POINTER(vp), vp, _size_t, _c_char_p, _c_char_p],
        ),
        "lede_results_explain": (
            ctypes.POINTER(_Explain),
            [vp, _size_t, ctypes.POINTER(_size_t)],
        ),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = args
    return lib


_lib = _load()


class Error(Exception):
    """A failed liblede call: .code is the LEDE_E* code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _check(rc):
    if rc < 0:
        raise Error(rc, _lib.lede_error_last().decode("utf-8", "replace"))
    return rc


def _enc(s):
    return None if s is None else s.encode("utf-8")


def _dec(b):
    return None if b is None else b.decode("utf-8")


def _taken_string(ptr):
    """A char * the library gave us to free: its text, freed."""
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        _lib.lede_free(ptr)


def version():
    """The version of the liblede that was loaded."""
    return _dec(_lib.lede_version())


def tokenize(text):
    """The words lede indexes in text: (word, start, end) tuples, with
    byte offsets into text's UTF-8 encoding."""
    data = text.encode("utf-8")
    out = []

    def cb(tok, n, start, end, _payload):
        out.append((ctypes.string_at(tok, n).decode("utf-8"), start, end))
        return 0

    _check(_lib.lede_tokenize(data, len(data), _TOKEN_CB(cb), None))
    return out


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _seconds(date, name="date", end_of_day=False):
    """Seconds since 1970 (UTC) of a datetime, a date (its first second,
    or with end_of_day its last, as date:A..B reads a day) or a number."""
    if date is None:
        return NO_DATE
    if isinstance(date, datetime.datetime):
        if date.tzinfo is None:
            date = date.replace(tzinfo=datetime.timezone.utc)
        return (date - _EPOCH) // datetime.timedelta(seconds=1)
    if isinstance(date, datetime.date):
        return (date - _EPOCH.date()).days * 86400 + (
            86399 if end_of_day else 0)
    if isinstance(date, bool) or not isinstance(date, (int, float)):
        raise TypeError("%s must be a datetime.datetime, a datetime.date or "
                        "seconds since 1970, not %s"
                        % (name, type(date).__name__))
    return int(date)


def _datetime(seconds):
    """The UTC datetime of seconds since 1970; None for NO_DATE, and for a
    date outside datetime's years 1 to 9999."""
    if seconds == NO_DATE:
        return None
    try:
        return _EPOCH + datetime.timedelta(seconds=seconds)
    except OverflowError:
        return None


SyncProblem = collections.namedtuple("SyncProblem",
                                     "kind path line message")
SyncProblem.__doc__ = """What a sync could not use as it was. kind:
"skipped" (the whole file), "problem" (a part of it, at line, was
skipped) or "warning" (used, with a caveat); line: from 1, or None;
message: why."""


class Hit:
    """One passage of a search's results."""

    def __init__(self, results, i):
        self._res = results
        self._i = i
        res, lib = results._ptr, _lib
        self.score = lib.lede_results_score(res, i)
        self.article_id = _dec(lib.lede_results_article_id(res, i))
        self.title = _dec(lib.lede_results_title(res, i))
        self.passage = lib.lede_results_passage(res, i)
        self.start = lib.lede_results_start(res, i)
        self.end = lib.lede_results_end(res, i)
        self.text = _dec(lib.lede_results_text(res, i))
        date = lib.lede_results_date(res, i)
        #: seconds since 1970, or None: the article's date as stored
        self.timestamp = None if date == NO_DATE else date
        #: the same as a timezone-aware datetime in UTC, or None
        self.date = _datetime(date)
        self.url = _dec(lib.lede_results_url(res, i)) or None
        self.similar = lib.lede_results_similar(res, i)
        n = _size_t()
        fv = lib.lede_results_fields(res, i, ctypes.byref(n))
        #: the article's keyword fields: {"author": ["A", "B"], ...}, each
        #: name's values in the order given
        self.fields = {}
        for k in range(n.value):
            self.fields.setdefault(_dec(fv[k].name), []).append(
                _dec(fv[k].value))
        spans = lib.lede_results_highlights(res, i, ctypes.byref(n))
        self.highlights = [(spans[k].start, spans[k].end) for k in range(n.value)]
        ex = lib.lede_results_explain(res, i, ctypes.byref(n))
        self.explain = [
            {
                "term": _dec(ex[k].term),
                "tf": ex[k].tf,
                "df": ex[k].df,
                "idf": ex[k].idf,
                "length": ex[k].length,
                "weight": ex[k].weight,
            }
            for k in range(n.value)
        ]

    def snippet(self, hi_start="", hi_end=""):
        """The passage's snippet, matches wrapped in hi_start and hi_end."""
        out = ctypes.c_void_p()
        _check(
            _lib.lede_results_snippet(
                ctypes.byref(out),
                self._res._ptr,
                self._i,
                _enc(hi_start),
                _enc(hi_end),
            )
        )
        return _taken_string(out)

    def __repr__(self):
        return "Hit(%r, passage=%d, score=%.4f)" % (
            self.article_id,
            self.passage,
            self.score,
        )


class Results:
    """The passages a search found, best first; a sequence of Hit."""

    def __init__(self, ptr):
        self._ptr = ptr
        self._hits = [Hit(self, i) for i in range(_lib.lede_results_count(ptr))]
        # Matching articles, and whether that is exact or an estimate:
        # the names of lede-search --json's "total" and "total_exact".
        self.total = _lib.lede_results_estimated(ptr)
        self.total_exact = bool(_lib.lede_results_exact(ptr))
        self.suggestion = _dec(_lib.lede_results_suggestion(ptr))
        self.note = _dec(_lib.lede_results_note(ptr))
        #: the facets asked for: {"section": {"distinct": 5, "values":
        #: [("politics", 12), ...]}, ...}, in the order asked
        self.facets = {}
        for f in range(_lib.lede_results_facet_count(ptr)):
            name, distinct, n = _c_char_p(), ctypes.c_uint64(), _size_t()
            v = _lib.lede_results_facet(ptr, f, ctypes.byref(name),
                                        ctypes.byref(distinct), ctypes.byref(n))
            self.facets[_dec(name.value)] = {
                "distinct": distinct.value,
                "values": [(_dec(v[k].value), v[k].articles)
                           for k in range(n.value)],
            }

    @property
    def estimated(self):
        """The old name of total, kept for the programs that use it."""
        return self.total

    @property
    def exact(self):
        """The old name of total_exact, kept for the programs that use
        it."""
        return self.total_exact

    def __len__(self):
        return len(self._hits)

    def __getitem__(self, i):
        return self._hits[i]

    def __iter__(self):
        return iter(self._hits)

    def __del__(self):
        if getattr(self, "_ptr", None):
            _lib.lede_results_free(self._ptr)
            self._ptr = None


def _search_options(limit, offset, k1, b, per_article, require_all, dedup,
                    sort_date, explain, title_weight, date_from, date_to,
                    snippet_words, plain=False, keep_stopwords=False,
                    lucene=False, k3=DEFAULT_K3, proximity=DEFAULT_PROXIMITY):
    o = _SearchOptions()
    o.version = 6
    o.limit = limit
    o.offset = offset
    o.k1 = k1
    o.b = b
    o.per_article = per_article
    o.flags = (
        (SEARCH_ALL if require_all else 0)
        | (0 if dedup else SEARCH_NO_DEDUP)
        | (SEARCH_SORT_DATE if sort_date else 0)
        | (SEARCH_EXPLAIN if explain else 0)
        | (SEARCH_PLAIN if plain else 0)
        | (SEARCH_KEEP_STOPWORDS if keep_stopwords else 0)
    )
    o.weighting = WEIGHT_BM25_LUCENE if lucene else WEIGHT_BM25
    o.k3 = k3
    o.proximity = proximity
    o.title_weight = title_weight
    o.date_from = _seconds(date_from, "date_from")
    o.date_to = _seconds(date_to, "date_to", end_of_day=True)
    o.snippet_words = snippet_words
    return o


class Index:
    """An open lede index. mode: "read" (the default) or "write" an
    index that exists, or "create" one where there is none (and write)."""

    def __init__(self, path, mode="read", language=None, passage_words=0,
                 passage_overlap=-1, lock_wait_ms=0, stopwords=None,
                 paragraph_passages=False, fields=None):
        if mode not in _MODES:
            raise ValueError("mode must be read, write or create")
        o = _IndexOptions(6, _MODES[mode], _enc(language), passage_words,
                          passage_overlap, lock_wait_ms, _enc(stopwords),
                          1 if paragraph_passages else 0, 0, 0, None, None,
                          _enc(",".join(fields) if fields else None))
        ptr = ctypes.c_void_p()
        rc = _lib.lede_index_open(ctypes.byref(ptr), _enc(os.fspath(path)),
                                  ctypes.byref(o))
        if rc == ENOTFOUND and mode == "write":
            # "write" opens an index that exists; a new one is "create".
            raise Error(rc, _lib.lede_error_last().decode("utf-8", "replace")
                        + ' (use mode="create" to make one)')
        _check(rc)
        self._ptr = ptr

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.free()

    def __del__(self):
        self.free()

    def free(self):
        """Release the handle; uncommitted changes are discarded."""
        if getattr(self, "_ptr", None):
            _lib.lede_index_free(self._ptr)
            self._ptr = None

    def _handle(self):
        if not self._ptr:
            raise Error(EINVAL, "the index handle was freed")
        return self._ptr

    def close(self):
        """Close the index (releasing a writer's lock) but keep the handle."""
        _check(_lib.lede_index_close(self._handle()))

    def reopen(self):
        """Let a reader see commits made since it opened the index."""
        _check(_lib.lede_index_reopen(self._handle()))

    def add(self, article_id, title="", body="", date=None, url=None,
            fields=None, path=None):
        """Add an article, or replace the one with the same id. fields:
        {"author": "A"} or {"tag": ["x", "y"]}, or (name, value) pairs;
        path: where it came from in its corpus, for dir: filters."""
        t, bd = _enc(title or ""), _enc(body or "")
        pairs = []
        items = fields.items() if isinstance(fields, dict) else fields or []
        for name, value in items:
            one = isinstance(value, (str, bytes))
            for v in [value] if one else value:
                pairs.append((_enc(name),
                              v if isinstance(v, bytes) else _enc(v)))
        fv = (_Field * max(len(pairs), 1))(*pairs)
        a = _Article(3, _enc(article_id), t, len(t), bd, len(bd),
                     _seconds(date), _enc(url), fv if pairs else None,
                     len(pairs), _enc(path))
        _check(_lib.lede_index_add(self._handle(), ctypes.byref(a)))

    def article(self, article_id):
        """The article with this id, whole, as a dict: id, title, text
        (byte for byte as indexed), date (a timezone-aware datetime in
        UTC, or None) and timestamp (seconds since 1970, or None),
        url, fields ({"author": ["A"], ...}), path, source and passages
        ([(start, end), ...]). Raises Error (NOTFOUND) when there is
        none."""
        ptr = ctypes.c_void_p()
        _check(_lib.lede_index_article(ctypes.byref(ptr), self._handle(),
                                       _enc(article_id)))
        try:
            a = _lib.lede_stored_article(ptr).contents
            fields = {}
            for k in range(a.n_fields):
                fields.setdefault(_dec(a.fields[k].name), []).append(
                    _dec(a.fields[k].value))
            passages = []
            for i in range(_lib.lede_stored_passage_count(ptr)):
                st, en = _size_t(), _size_t()
                _check(_lib.lede_stored_passage(ptr, i, ctypes.byref(st),
                                                ctypes.byref(en)))
                passages.append((st.value, en.value))
            return {
                "id": _dec(a.id),
                "title": ctypes.string_at(a.title, a.title_len).decode(),
                "text": ctypes.string_at(a.body, a.body_len).decode(),
                "date": _datetime(a.date),
                "timestamp": None if a.date == NO_DATE else a.date,
                "url": _dec(a.url),
                "fields": fields,
                "path": _dec(a.path),
                "source": _dec(_lib.lede_stored_source(ptr)),
                "passages": passages,
            }
        finally:
            _lib.lede_stored_free(ptr)

    def articles(self, dir=None):
        """Every article as (id, path, source), in the index's order; with
        dir, only those under that folder of the corpus."""
        out, error = [], []

        def each(article_id, path, source, payload):
            try:
                out.append((_dec(article_id), _dec(path), _dec(source)))
                return 0
            except BaseException as e:  # never across the C frames
                error.append(e)
                return 1

        cb = _ARTICLES_CB(each)
        rc = _lib.lede_index_articles(self._handle(), _enc(dir), cb, None)
        if error:
            raise error[0]
        _check(rc)
        return out

    def fields(self):
        """The names of the index's keyword fields: the standard ones,
        those it declares and those its articles carry."""
        ptr = ctypes.c_void_p()
        _check(_lib.lede_index_fields(ctypes.byref(ptr), self._handle()))
        return _taken_string(ptr).split(",")

    def delete(self, article_id):
        """Delete an article and all its passages."""
        _check(_lib.lede_index_delete(self._handle(), _enc(article_id)))

    def commit(self):
        """Make the changes durable and visible, atomically."""
        _check(_lib.lede_index_commit(self._handle()))

    def stat(self):
        """The index's counts and settings, as a dict."""
        info = _IndexInfo()
        _check(_lib.lede_index_stat(ctypes.byref(info), self._handle()))
        return {
            "articles": info.articles,
            "passages": info.passages,
            "language": _dec(info.language),
            "passage_words": info.passage_words,
            "passage_overlap": info.passage_overlap,
        }

    def sync(self, *roots, delete_vanished=True, batch=0, progress=None):
        """Bring the index in step with files under roots: a dict of the
        counts (added, updated, ..., skipped, errors), and under
        "problems" a list of SyncProblem, in the order they were met: the
        files skipped, the parts of files skipped and the warnings.
        progress, if given, is called with a dict of the counts so far
        after each file and within a file every 1000 articles or 1 MiB
        read; its bytes_done counts the bytes read of the file being read
        (of a .gz file, its compressed bytes) against bytes_total. An
        exception progress raises stops the sync (the work done so far
        is committed) and is raised again from sync()."""
        problems = []
        raised = []

        def on_event(ev, _payload):
            if raised:
                return 1
            e = ev.contents
            if e.kind == 0 and progress is not None:
                s = e.stats.contents
                try:
                    progress({name: getattr(s, name)
                              for name, _ in _SyncStats._fields_})
                except BaseException as exc:  # pylint: disable=broad-except
                    # ctypes would print and drop it: keep it for sync()
                    raised.append(exc)
                    return 1
            kind = _SYNC_KINDS.get(e.kind)
            if kind is not None:
                problems.append(SyncProblem(
                    kind, os.fsdecode(e.path) if e.path else None,
                    e.line or None,
                    e.message.decode("utf-8", "replace") if e.message
                    else ""))
            return 0

        cb = _SYNC_CB(on_event)
        o = _SyncOptions()
        o.version = 1
        o.read.version = 1
        o.delete_vanished = 1 if delete_vanished else 0
        o.batch = batch
        o.cb = ctypes.cast(cb, ctypes.c_void_p)
        arr = (_c_char_p * len(roots))(*[_enc(os.fspath(r)) for r in roots])
        st = _SyncStats()
        rc = _lib.lede_index_sync(ctypes.byref(st), self._handle(), arr,
                                  len(roots), ctypes.byref(o))
        if raised:
            raise raised[0]
        _check(rc)
        out = {name: getattr(st, name) for name, _ in _SyncStats._fields_}
        out["problems"] = problems
        return out

    def search(self, query, limit=10, offset=0, k1=DEFAULT_K1, b=DEFAULT_B,
               per_article=1, require_all=False, dedup=True, sort_date=False,
               explain=False, title_weight=DEFAULT_TITLE_WEIGHT,
               date_from=None, date_to=None, snippet_words=0, plain=False,
               keep_stopwords=False, lucene=False, k3=DEFAULT_K3,
               proximity=DEFAULT_PROXIMITY, highlights=True, max_time=None,
               count=False, threads=1, facets=None, facet_limit=0,
               like=None):
        """The best passages for query: a Results sequence of Hit. With
        highlights=False the query's words are not looked for in the
        texts: no highlights, and a snippet is the whole passage.
        date_from and date_to (inclusive) are each a datetime.datetime,
        a datetime.date (date_to: up to the end of that day, in UTC), or
        seconds since 1970. A search taking longer than max_time seconds
        raises Error (LIMIT). Results.total is the number of matching
        articles, exact when Results.total_exact is True (and always with
        count=True), else an estimate; as "total" and "total_exact" in
        lede-search --json. (Results.estimated and Results.exact are
        their old names.) threads: on a set of local shards, the threads
        searching it at once (0: one a shard, at most one a CPU; 1, the
        default: one),
        with the same results whatever their number. facets: field names
        and date:year, date:month or date:day (a list or a comma-separated
        string), counted over every matching article into
        Results.facets, facet_limit values each (0: 20). like: an article
        id: the articles most like it (not it, nor its near-duplicates),
        query (which may be "") only narrowing."""
        o = _search_options(limit, offset, k1, b, per_article, require_all,
                            dedup, sort_date, explain, title_weight,
                            date_from, date_to, snippet_words, plain,
                            keep_stopwords, lucene, k3, proximity)
        if not highlights:
            o.flags |= SEARCH_NO_HIGHLIGHTS
        if max_time is not None:
            o.max_time_ms = max(1, int(round(max_time * 1000)))
        if count:
            o.flags |= SEARCH_COUNT
        if threads < 0:
            raise ValueError("threads must be >= 0")
        o.threads = threads
        if facet_limit < 0:
            raise ValueError("facet_limit must be >= 0")
        if facets:
            spec = facets if isinstance(facets, str) else ",".join(facets)
            o.facets = _enc(spec)
            o.facet_limit = facet_limit
        if like is not None:
            o.like = _enc(like)
        ptr = ctypes.c_void_p()
        q = _enc(query)
        _check(_lib.lede_search_n(ctypes.byref(ptr), self._handle(), q,
                                  len(q), ctypes.byref(o)))
        return Results(ptr)

    def describe(self, query, **kw):
        """How lede reads query, as an S-expression."""
        o = _search_options(
            kw.get("limit", 10), 0, kw.get("k1", DEFAULT_K1),
            kw.get("b", DEFAULT_B), 1, kw.get("require_all", False), True,
            False, False, kw.get("title_weight", DEFAULT_TITLE_WEIGHT), None,
            None, 0, kw.get("plain", False), kw.get("keep_stopwords", False),
            False, DEFAULT_K3, kw.get("proximity", DEFAULT_PROXIMITY))
        out = ctypes.c_void_p()
        q = _enc(query)
        _check(_lib.lede_query_describe_n(ctypes.byref(out), self._handle(),
                                          q, len(q), ctypes.byref(o)))
        return _taken_string(out)
