#!/usr/bin/env python3
"""Sphinx 2.2 (Debian: sphinxsearch) as one of the systems of the benchmark.

    sphinx.py index DOCS.jsonl INDEX_DIR
    sphinx.py query INDEX_DIR QUERIES.tsv ROUNDS
    sphinx.py xmlpipe2 DOCS.jsonl IDS_OUT      (run by indexer, see below)

index: builds a plain Sphinx index of DOCS.jsonl (one article a line:
{"id", "title", "text", "date"}, title and date optional) in INDEX_DIR.
It writes INDEX_DIR/sphinx.conf and runs `indexer --quiet` on it. The
source is of type xmlpipe2: indexer runs `sphinx.py xmlpipe2`, which streams
the articles as xmlpipe2 XML (fields title and text; the date is not
indexed) and, as it goes, writes INDEX_DIR/ids.txt. Sphinx wants integer
document ids, so article N of the file (counting non-blank lines from 1) is
Sphinx document N, and line N of ids.txt holds its id (with backslash, CR
and LF written as \\\\, \\r and \\n, so that every id stays on one line).
Prints nothing on success; indexer's errors and warnings go to stderr.

query: starts `searchd --nodetach` on that config, listening for the MySQL
protocol (SphinxQL) on 127.0.0.1 on a free port (given with --listen, so
the config holds no port), waits until it answers, and over one connection
runs every query of QUERIES.tsv (QID<TAB>query) ROUNDS times:

    SELECT id, WEIGHT() FROM idx WHERE MATCH('...') LIMIT 10 OPTION ranker=bm25

The words of a query are OR-ed (w1 | w2 | w3), so that any of them
matches, as with the other systems; text in double quotes is a phrase
("w1 w2"). Words are the runs of \\w characters, as fts5_perf.py takes
them, and Sphinx's operator characters are escaped all the same. For every
query and round one line goes to stdout:

    QID<TAB>MICROSECONDS<TAB>NHITS

MICROSECONDS (with one decimal) runs from sending the query to having read
the whole result set (time.perf_counter_ns); NHITS is the number of rows
returned, at most 10. A query with no word is not sent; its lines say 0.0
and 0 hits (as fts5_perf.py does), and stderr says which they are.
clients: the same with N clients at once, each a thread with a connection
of its own running every query ROUNDS times, to one searchd; prints only
the queries answered per second (all clients' queries over the wall time
from the first query sent to the last answer read).

searchd is always stopped at the end (SIGTERM, then SIGKILL after 30 s),
also on errors and on SIGINT, SIGTERM and SIGHUP.

No Python module for Sphinx is installed by Debian's sphinxsearch (nor is
there a Debian package of sphinxapi.py), so this speaks SphinxQL itself:
the MySQL 4.1 handshake with an empty password (searchd does not check
it), COM_QUERY and the text result set. Python 3 standard library only.

Configuration (sphinx.conf in INDEX_DIR):
  index: morphology = stem_en (Porter's English stemmer, like FTS5's
      porter tokenizer); dict = keywords, min_word_len = 1, html_strip = 0
      are the defaults, written out for the record. Also by default: no
      stopwords, positions indexed (so phrases work), and the default
      charset_table: ASCII letters and digits, _ and Cyrillic are word
      characters, everything else (also accented letters) separates words.
      A query word of \w characters that Sphinx splits further becomes the
      AND of its parts, as it was split when indexed. There are no
      attributes, so indexer switches docinfo to none; its warning saying
      so is the one line of its output not passed on.
  indexer: mem_limit = 128M (the default, written out because it bounds
      indexer's peak memory); max_xmlpipe2_field = 16M (the default 2M
      would truncate very long articles).
  searchd: workers = threads (the default); watchdog = 0, so that searchd
      is one process rather than a watchdog and a child; no query log;
      log, pid file and binlog (binlog.meta and an empty binlog.001) in
      INDEX_DIR. The port is given on the command line (--listen).
  Ranking: Sphinx's ranker=bm25 gives a match 1000 * (fields matched) plus
      a BM25 below 1000 that uses k1 = 1.2 and no document length
      normalisation (b = 0). So an article matched in its title and text
      outranks one matched in the text only, whatever their BM25.

indexer and searchd are looked for on PATH, then in /usr/bin; if the
environment variable SPHINX_BIN_DIR is set, only there. If either is
missing, index and query exit with status 77 and one line on stderr.
"""

import json
import os
import re
import select
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

INDEX_NAME = "idx"
CONF_NAME = "sphinx.conf"
IDS_NAME = "ids.txt"
SKIP_STATUS = 77
START_TIMEOUT = 300.0   # seconds for searchd to load the index and answer
STOP_TIMEOUT = 30.0     # seconds for searchd to exit after SIGTERM
CATCH_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

USAGE = """usage: sphinx.py index DOCS.jsonl INDEX_DIR
       sphinx.py query INDEX_DIR QUERIES.tsv ROUNDS
       sphinx.py clients N INDEX_DIR QUERIES.tsv ROUNDS
       sphinx.py xmlpipe2 DOCS.jsonl IDS_OUT"""


def die(msg, status=1):
    sys.stderr.write("sphinx: %s\n" % msg)
    sys.exit(status)


# --- finding the programs ----------------------------------------------

def find_programs():
    """Paths of indexer and searchd, or exit with status 77."""
    only = os.environ.get("SPHINX_BIN_DIR")
    found = {}
    for name in ("indexer", "searchd"):
        if only is not None:
            path = shutil.which(name, path=only) if only else None
        else:
            path = shutil.which(name) or shutil.which(name, path="/usr/bin")
        if path is None:
            sys.stderr.write("sphinx: skipped: sphinxsearch is not installed "
                             "(Debian: sphinxsearch)\n")
            sys.exit(SKIP_STATUS)
        found[name] = os.path.abspath(path)
    return found


# --- index -------------------------------------------------------------

# Characters XML 1.0 does not allow (expat rejects them), and lone
# surrogates, which JSON's \\uD800 escapes can produce.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(s):
    if not isinstance(s, str):
        s = "" if s is None else str(s)
    s = _NOT_XML.sub(" ", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def id_line(doc_id):
    if not isinstance(doc_id, str):
        doc_id = "" if doc_id is None else str(doc_id)
    if "\\" in doc_id or "\n" in doc_id or "\r" in doc_id:
        doc_id = (doc_id.replace("\\", "\\\\").replace("\n", "\\n")
                  .replace("\r", "\\r"))
    return doc_id + "\n"


def cmd_xmlpipe2(docs_path, ids_path):
    """Stream DOCS.jsonl to stdout as xmlpipe2; write the id mapping."""
    out = open(sys.stdout.fileno(), "wb", buffering=1 << 20, closefd=False)
    n = 0
    with open(docs_path, encoding="utf-8", errors="replace") as docs, \
            open(ids_path, "w", encoding="utf-8", errors="backslashreplace",
                 newline="\n") as ids:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<sphinx:docset>\n')
        for lineno, line in enumerate(docs, start=1):
            if not line.strip():
                continue
            try:
                art = json.loads(line)
            except ValueError as e:
                die("%s:%d: bad JSON: %s" % (docs_path, lineno, e))
            n += 1
            ids.write(id_line(art.get("id")))
            parts = ['<sphinx:document id="%d">' % n]
            title = art.get("title")
            if title:
                parts.append("<title>%s</title>" % xml_text(title))
            parts.append("<text>%s</text></sphinx:document>\n"
                         % xml_text(art.get("text")))
            out.write("".join(parts).encode("utf-8"))
        out.write(b"</sphinx:docset>\n")
    out.flush()


def conf_path_ok(path):
    # A config value ends at the end of its line, '#' starts a comment and
    # a trailing backslash continues the line.
    return not any(c in path for c in "#\n\r") and not path.endswith("\\")


def write_conf(docs_path, index_dir):
    pipe = " ".join(shlex.quote(a) for a in (
        sys.executable, os.path.abspath(__file__), "xmlpipe2", docs_path,
        os.path.join(index_dir, IDS_NAME)))
    d = index_dir
    conf = f"""\
# Written by bench/perf/sphinx.py; see its docstring for the choices.
# searchd is started with --listen 127.0.0.1:PORT:mysql41 on a free port.

source src
{{
    type = xmlpipe2
    xmlpipe_command = {pipe}
    xmlpipe_field = title
    xmlpipe_field = text
}}

index {INDEX_NAME}
{{
    source = src
    path = {d}/{INDEX_NAME}
    morphology = stem_en
    dict = keywords
    min_word_len = 1
    html_strip = 0
}}

indexer
{{
    mem_limit = 128M
    max_xmlpipe2_field = 16M
}}

searchd
{{
    log = {d}/searchd.log
    pid_file = {d}/searchd.pid
    binlog_path = {d}
    workers = threads
    watchdog = 0
}}
"""
    path = os.path.join(index_dir, CONF_NAME)
    with open(path, "w", encoding="utf-8") as f:
        f.write(conf)
    return path


def cmd_index(docs_path, index_dir):
    progs = find_programs()
    docs_path = os.path.abspath(docs_path)
    if not os.path.isfile(docs_path):
        die("no such file: %s" % docs_path)
    index_dir = os.path.abspath(index_dir)
    for p in (docs_path, index_dir):
        if not conf_path_ok(p):
            die("cannot write a path with '#', a line break or a trailing "
                "backslash into sphinx.conf: %r" % p)
    os.makedirs(index_dir, exist_ok=True)
    conf = write_conf(docs_path, index_dir)
    # indexer writes its messages to stdout; with --quiet only errors and
    # warnings are left, and they belong on our stderr. One warning is
    # expected and left out: with no attributes there is no docinfo.
    for s in CATCH_SIGNALS:
        signal.signal(s, on_signal)
    proc = subprocess.Popen([progs["indexer"], "--config", conf, "--quiet",
                             INDEX_NAME], cwd=index_dir,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    try:
        with proc.stdout:
            for line in proc.stdout:
                if not line.startswith(b"WARNING: Attribute count is 0"):
                    sys.stderr.buffer.write(line)
                    sys.stderr.buffer.flush()
        rc = proc.wait()
    finally:
        if proc.poll() is None:         # interrupted: stop indexer too
            signal.pthread_sigmask(signal.SIG_BLOCK, CATCH_SIGNALS)
            proc.terminate()
            proc.wait()
    if rc != 0:
        die("indexer failed (status %d)" % rc)
    if not os.path.exists(os.path.join(index_dir, INDEX_NAME + ".sph")):
        die("indexer wrote no index into %s" % index_dir)


# --- SphinxQL over the MySQL protocol -----------------------------------

class SqlError(Exception):
    pass


CLIENT_LONG_PASSWORD = 0x1
CLIENT_LONG_FLAG = 0x4
CLIENT_PROTOCOL_41 = 0x200
CLIENT_TRANSACTIONS = 0x2000
CLIENT_SECURE_CONNECTION = 0x8000
SERVER_MORE_RESULTS_EXISTS = 0x8
UTF8_GENERAL_CI = 33
COM_QUERY = 3


def packet(seq, payload):
    if len(payload) >= 0xffffff:
        raise ValueError("query too long")
    return struct.pack("<I", len(payload))[:3] + bytes((seq,)) + payload


def query_packet(sql):
    return packet(0, bytes((COM_QUERY,)) + sql.encode("utf-8"))


def lenenc_int(buf, pos):
    """A length-encoded integer at buf[pos]: (value, next position)."""
    b = buf[pos]
    if b < 0xfb:
        return b, pos + 1
    if b == 0xfc:
        return buf[pos + 1] | buf[pos + 2] << 8, pos + 3
    if b == 0xfd:
        return int.from_bytes(buf[pos + 1:pos + 4], "little"), pos + 4
    if b == 0xfe:
        return int.from_bytes(buf[pos + 1:pos + 9], "little"), pos + 9
    raise SqlError("bad length-encoded integer")


def error_text(p):
    """The message of an ERR packet."""
    code = p[1] | p[2] << 8
    msg = p[3:]
    if msg[:1] == b"#":
        msg = msg[6:]
    return "error %d: %s" % (code, msg.decode("utf-8", "replace"))


def is_eof(p):
    return p[0] == 0xfe and len(p) < 9


class Connection:
    """One SphinxQL (MySQL protocol) connection; blocking I/O."""

    def __init__(self, sock):
        self.sock = sock
        self.rfile = sock.makefile("rb", buffering=1 << 16)

    def close(self):
        try:
            self.rfile.close()
        finally:
            self.sock.close()

    def read_packet(self):
        head = self.rfile.read(4)
        if len(head) < 4:
            raise ConnectionError("searchd closed the connection")
        n = head[0] | head[1] << 8 | head[2] << 16
        payload = self.rfile.read(n)
        if len(payload) < n:
            raise ConnectionError("searchd closed the connection")
        while n == 0xffffff:        # the payload goes on in the next packet
            head = self.rfile.read(4)
            if len(head) < 4:
                raise ConnectionError("searchd closed the connection")
            n = head[0] | head[1] << 8 | head[2] << 16
            more = self.rfile.read(n)
            if len(more) < n:
                raise ConnectionError("searchd closed the connection")
            payload += more
        return payload

    def handshake(self):
        greeting = self.read_packet()
        if greeting[:1] == b"\xff":
            raise SqlError(error_text(greeting))
        if greeting[:1] != b"\x0a":
            raise SqlError("not a MySQL protocol 10 greeting")
        caps = (CLIENT_LONG_PASSWORD | CLIENT_LONG_FLAG | CLIENT_PROTOCOL_41
                | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION)
        # capabilities, max packet size, charset, 23 zero bytes, user name,
        # and an empty auth response (length 0).
        reply = struct.pack("<IIB23x", caps, 1 << 24, UTF8_GENERAL_CI)
        reply += b"bench\x00" + b"\x00"
        self.sock.sendall(packet(1, reply))
        ok = self.read_packet()
        if ok[:1] == b"\xff":
            raise SqlError(error_text(ok))

    def read_result(self, keep_rows=False):
        """Read one response; return the number of rows (and the rows)."""
        nrows, rows = 0, []
        while True:
            p = self.read_packet()
            if p[0] == 0xff:
                raise SqlError(error_text(p))
            if p[0] == 0x00:                # OK: no result set
                pos = lenenc_int(p, 1)[1]   # affected rows
                pos = lenenc_int(p, pos)[1]  # last insert id
                status = p[pos] | p[pos + 1] << 8 if len(p) >= pos + 2 else 0
            else:
                ncols = lenenc_int(p, 0)[0]
                for _ in range(ncols):
                    self.read_packet()      # column definitions
                p = self.read_packet()
                if not is_eof(p):
                    raise SqlError("no EOF after the column definitions")
                while True:
                    p = self.read_packet()
                    if is_eof(p):
                        status = p[3] | p[4] << 8 if len(p) >= 5 else 0
                        break
                    if p[0] == 0xff:
                        raise SqlError(error_text(p))
                    nrows += 1
                    if keep_rows:
                        rows.append(text_row(p, ncols))
            if not status & SERVER_MORE_RESULTS_EXISTS:
                return (nrows, rows) if keep_rows else nrows

    def execute(self, sql):
        """Run one statement; return its rows as lists of str (or None)."""
        self.sock.sendall(query_packet(sql))
        return self.read_result(keep_rows=True)[1]


def text_row(p, ncols):
    row, pos = [], 0
    for _ in range(ncols):
        if p[pos] == 0xfb:
            row.append(None)
            pos += 1
        else:
            n, pos = lenenc_int(p, pos)
            row.append(p[pos:pos + n].decode("utf-8", "replace"))
            pos += n
    return row


# --- queries -----------------------------------------------------------

_SPHINX_SPECIAL = re.compile(r'([\\()|\-!@~"&/^$=<>*?%\[\]])')


def sphinx_word(w):
    return _SPHINX_SPECIAL.sub(r"\\\1", w)


def match_expr(text):
    """The Sphinx extended query for a line of QUERIES.tsv, or ''."""
    operands = []
    for phrase, plain in re.findall(r'"([^"]*)"|([^\s"]+)', text):
        if phrase:
            words = re.findall(r"\w+", phrase)
            if len(words) > 1:
                operands.append('"%s"' % " ".join(map(sphinx_word, words)))
            else:
                operands.extend(map(sphinx_word, words))
        else:
            operands.extend(map(sphinx_word, re.findall(r"\w+", plain)))
    return " | ".join(operands)


def sql_string(s):
    return s.replace("\\", "\\\\").replace("'", "\\'")


def select_sql(expr):
    return ("SELECT id, WEIGHT() FROM %s WHERE MATCH('%s') LIMIT 10 "
            "OPTION ranker=bm25" % (INDEX_NAME, sql_string(expr)))


def read_queries(path):
    queries, empty = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            qid, _, text = line.partition("\t")
            expr = match_expr(text)
            if expr:
                queries.append((qid, query_packet(select_sql(expr))))
            else:
                queries.append((qid, None))
                empty.append(qid)
    if empty:
        sys.stderr.write("sphinx: %d queries with no words, not run: %s%s\n"
                         % (len(empty), " ".join(empty[:5]),
                            " ..." if len(empty) > 5 else ""))
    return queries


# --- searchd -----------------------------------------------------------

class Interrupted(Exception):
    def __init__(self, signum):
        super().__init__("signal %d" % signum)
        self.signum = signum


_signals = {"defer": False, "pending": None}


def on_signal(signum, frame):
    if _signals["defer"]:
        _signals["pending"] = signum
    else:
        raise Interrupted(signum)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def searchd_output(index_dir):
    """What searchd printed (its messages go there as well as to its log)."""
    try:
        path = os.path.join(index_dir, "searchd.out")
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


_searchd = {"proc": None}      # the running searchd, for cmd_query to stop


def start_searchd(progs, conf, index_dir):
    """Start searchd and connect; return the connection (its port in
    _searchd["port"])."""
    said = ""
    for _ in range(3):
        port = free_port()
        args = [progs["searchd"], "--config", conf, "--nodetach",
                "--listen", "127.0.0.1:%d:mysql41" % port]
        with open(os.path.join(index_dir, "searchd.out"), "wb") as out:
            # A signal now would leave a searchd nobody knows of: defer it.
            _signals["defer"] = True
            try:
                _searchd["proc"] = subprocess.Popen(
                    args, cwd=index_dir, stdin=subprocess.DEVNULL,
                    stdout=out, stderr=subprocess.STDOUT)
            finally:
                _signals["defer"] = False
        if _signals["pending"] is not None:
            raise Interrupted(_signals["pending"])
        proc = _searchd["proc"]
        conn = connect(proc, port, time.monotonic() + START_TIMEOUT)
        if conn is not None:
            _searchd["port"] = port
            return conn
        # searchd exited before answering: again on another port if this
        # one was taken meanwhile, else give up.
        proc.wait()
        _searchd["proc"] = None
        said = searchd_output(index_dir)
        if "bind" not in said:
            break
    lines = [l for l in said.splitlines() if l.strip()][-12:]
    die("searchd did not start:\n" + "\n".join("  " + l for l in lines))


def connect(proc, port, deadline):
    """Connect and handshake; None if searchd exited first."""
    while True:
        if proc.poll() is not None:
            return None
        if time.monotonic() > deadline:
            die("searchd did not answer within %d s" % START_TIMEOUT)
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=1.0)
            break
        except OSError:
            time.sleep(0.02)
    # The connection may wait in the listen queue until searchd has loaded
    # the index; wait for its greeting without blocking.
    while True:
        if proc.poll() is not None:
            sock.close()
            return None
        if time.monotonic() > deadline:
            sock.close()
            die("searchd did not answer within %d s" % START_TIMEOUT)
        if select.select([sock], [], [], 0.1)[0]:
            break
    sock.settimeout(60.0)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = Connection(sock)
    try:
        conn.handshake()
        tables = [r[0] for r in conn.execute("SHOW TABLES")]
    except (OSError, SqlError) as e:
        conn.close()
        if proc.poll() is not None:
            return None
        die("searchd: %s" % e)
    if INDEX_NAME not in tables:
        conn.close()
        die("searchd does not serve index %s" % INDEX_NAME)
    # Blocking from now on: no poll() before every recv while timing.
    sock.settimeout(None)
    return conn


def stop_searchd(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cmd_query(index_dir, queries_path, rounds):
    progs = find_programs()
    index_dir = os.path.abspath(index_dir)
    conf = os.path.join(index_dir, CONF_NAME)
    if not os.path.isfile(conf):
        die("no %s in %s (run sphinx.py index first)" % (CONF_NAME, index_dir))
    queries = read_queries(queries_path)
    for s in CATCH_SIGNALS:
        signal.signal(s, on_signal)
    conn = None
    out = sys.stdout
    try:
        conn = start_searchd(progs, conf, index_dir)
        clock = time.perf_counter_ns
        for _ in range(rounds):
            for qid, pkt in queries:
                if pkt is None:
                    out.write("%s\t0.0\t0\n" % qid)
                    continue
                try:
                    t0 = clock()
                    conn.sock.sendall(pkt)
                    n = conn.read_result()
                    t1 = clock()
                except SqlError as e:
                    die("query %s: %s" % (qid, e))
                except OSError as e:
                    die("query %s: lost searchd (%s)" % (qid, e))
                out.write("%s\t%.1f\t%d\n" % (qid, (t1 - t0) / 1000, n))
        out.flush()
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, CATCH_SIGNALS)
        if conn is not None:
            conn.close()
        if _searchd["proc"] is not None:
            stop_searchd(_searchd["proc"])


def cmd_clients(nclients, index_dir, queries_path, rounds):
    progs = find_programs()
    index_dir = os.path.abspath(index_dir)
    conf = os.path.join(index_dir, CONF_NAME)
    if not os.path.isfile(conf):
        die("no %s in %s (run sphinx.py index first)" % (CONF_NAME, index_dir))
    pkts = [pkt for _, pkt in read_queries(queries_path) if pkt is not None]
    for s in CATCH_SIGNALS:
        signal.signal(s, on_signal)
    conns = []
    failed = []
    try:
        conns.append(start_searchd(progs, conf, index_dir))
        while len(conns) < nclients:
            c = connect(_searchd["proc"], _searchd["port"],
                        time.monotonic() + START_TIMEOUT)
            if c is None:
                die("searchd exited")
            conns.append(c)

        def client(conn):
            try:
                for _ in range(rounds):
                    for pkt in pkts:
                        conn.sock.sendall(pkt)
                        conn.read_result()
            except (SqlError, OSError) as e:
                failed.append(str(e))

        threads = [threading.Thread(target=client, args=(c,)) for c in conns]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        t1 = time.perf_counter()
        if failed:
            die("a client failed: %s" % failed[0])
        print("%.0f" % (nclients * rounds * len(pkts) / (t1 - t0)))
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, CATCH_SIGNALS)
        for c in conns:
            c.close()
        if _searchd["proc"] is not None:
            stop_searchd(_searchd["proc"])


def main(argv):
    if len(argv) < 2:
        die(USAGE, 2)
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == "index" and len(args) == 2:
            cmd_index(*args)
        elif cmd == "query" and len(args) == 3:
            try:
                rounds = int(args[2])
            except ValueError:
                rounds = -1
            if rounds < 0:
                die("ROUNDS must be a number >= 0", 2)
            cmd_query(args[0], args[1], rounds)
        elif cmd == "clients" and len(args) == 4:
            try:
                n, rounds = int(args[0]), int(args[3])
            except ValueError:
                n = rounds = -1
            if n < 1 or rounds < 0:
                die("N must be a number >= 1 and ROUNDS >= 0", 2)
            cmd_clients(n, args[1], args[2], rounds)
        elif cmd == "xmlpipe2" and len(args) == 2:
            cmd_xmlpipe2(*args)
        else:
            die(USAGE, 2)
    except Interrupted as e:
        sys.stderr.write("sphinx: interrupted\n")
        sys.exit(128 + e.signum)
    except BrokenPipeError:
        # stdout was closed early; do not complain again when exiting.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv)
