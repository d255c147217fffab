#!/usr/bin/env python3
"""Convert a judged test collection to what lede and the other systems read.

    convert.py COLLECTION DATA_DIR OUT_DIR

COLLECTION is cranfield, cisi, med, adi or cacm; DATA_DIR holds its files as
the collection's README describes them. Writes into OUT_DIR:

  docs.jsonl      one article per line: {"id", "title", "text"}
  onefield.jsonl  the same with the title put in the text and no title
                  (Anserini's setting: title and text in one field)
  queries.tsv     QID<TAB>query, one per line
  qrels.txt       TREC qrels: QID 0 DOCID GAIN (GAIN >= 1 is relevant)

Python 3 standard library only.
"""

import html
import json
import os
import re
import sys
import tarfile


def smart_records(path, encoding="latin-1"):
    """The records of a SMART file: (id, {field letter: text})."""
    with open(path, encoding=encoding) as f:
        text = f.read()
    records = []
    cur_id, fields, field = None, {}, None
    for line in text.splitlines():
        m = re.match(r"^\.([A-Z])(?:\s+(\S+))?\s*$", line)
        if m and m.group(1) == "I":
            if cur_id is not None:
                records.append((cur_id, fields))
            cur_id, fields, field = m.group(2), {}, None
        elif m and m.group(2) is None:
            field = m.group(1)
            fields.setdefault(field, [])
        elif field is not None:
            fields[field].append(line)
    if cur_id is not None:
        records.append((cur_id, fields))
    return [(i, {k: "\n".join(v).strip() for k, v in f.items()}) for i, f in records]


def one_line(s):
    return " ".join(s.split())


def smart_docs(path):
    docs = []
    for doc_id, f in smart_records(path):
        docs.append((str(int(doc_id)), one_line(f.get("T", "")), f.get("W", "")))
    return docs


def smart_queries(path, ordinal=False):
    """Queries; with ordinal, numbered 1.. in file order (Cranfield)."""
    out = []
    for n, (qid, f) in enumerate(smart_records(path), start=1):
        text = " ".join(f.get(k, "") for k in ("T", "W") if f.get(k))
        out.append((str(n) if ordinal else str(int(qid)), one_line(text)))
    return out


def rel_pairs(path, fields):
    """(qid, docid, gain) from a whitespace-separated judgments file;
    fields gives the positions of query, document and judgment (None:
    every listed pair is relevant)."""
    out = []
    with open(path, encoding="latin-1") as f:
        for line in f:
            p = line.split()
            if not p:
                continue
            q, d = str(int(p[fields[0]])), str(int(p[fields[1]]))
            g = 1 if fields[2] is None else int(p[fields[2]])
            out.append((q, d, g))
    return out


def cranfield(data):
    docs = smart_docs(os.path.join(data, "cran.all.1400"))
    queries = smart_queries(os.path.join(data, "cran.qry"), ordinal=True)
    qrels = []
    for q, d, code in rel_pairs(os.path.join(data, "cranqrel"), (0, 1, 2)):
        if 1 <= code <= 4:  # 1 is best; -1 is "no interest"
            qrels.append((q, d, 5 - code))
    return docs, queries, qrels


def smart(prefix, rel_fields):
    """A SMART collection whose files are PREFIX.ALL, .QRY and .REL, the
    judgments' query, document and (absent) judgment at rel_fields."""
    def read(data):
        path = os.path.join(data, prefix)
        return (smart_docs(path + ".ALL"), smart_queries(path + ".QRY"),
                rel_pairs(path + ".REL", rel_fields))
    return read


def cacm_id(name):
    """CACM-0756 and CACM-756 are one document: no leading zeros."""
    m = re.match(r"CACM-0*(\d+)", name)
    return "CACM-" + m.group(1)


def cacm(data):
    docs = []
    with tarfile.open(os.path.join(data, "cacm.tar.gz")) as tar:
        for member in tar.getmembers():
            base = os.path.basename(member.name)
            if not member.isfile() or not base.endswith(".html"):
                continue
            raw = tar.extractfile(member).read().decode("latin-1")
            body = re.sub(r"(?is)</?(html|pre)>", "", raw)
            body = html.unescape(body).strip("\n")
            lines = body.split("\n")
            title = one_line(lines[0]) if lines else ""
            rest = "\n".join(lines[1:]).strip()
            docs.append((cacm_id(base[:-5]), title, rest))
    docs.sort(key=lambda d: int(d[0][5:]))
    queries = []
    with open(os.path.join(data, "topics.cacm.txt"), encoding="latin-1") as f:
        text = f.read()
    for m in re.finditer(r"(?s)<DOCNO>\s*(\d+)\s*</DOCNO>(.*?)</DOC>", text):
        queries.append((m.group(1), one_line(m.group(2))))
    qrels = []
    with open(os.path.join(data, "qrels.cacm.txt"), encoding="latin-1") as f:
        for line in f:
            p = line.split()
            if len(p) == 4:
                qrels.append((p[0], cacm_id(p[2]), int(p[3])))
    return docs, queries, qrels


READERS = {"cranfield": cranfield, "cisi": smart("CISI", (0, 1, None)),
           "med": smart("MED", (0, 2, None)), "adi": smart("ADI", (0, 1, None)),
           "cacm": cacm}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in READERS:
        sys.exit("usage: convert.py {%s} DATA_DIR OUT_DIR" % ",".join(READERS))
    name, data, out = sys.argv[1:]
    docs, queries, qrels = READERS[name](data)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "docs.jsonl"), "w", encoding="utf-8") as f:
        for doc_id, title, text in docs:
            f.write(json.dumps({"id": doc_id, "title": title, "text": text},
                               ensure_ascii=False) + "\n")
    with open(os.path.join(out, "onefield.jsonl"), "w", encoding="utf-8") as f:
        for doc_id, title, text in docs:
            both = title + "\n\n" + text if title else text
            f.write(json.dumps({"id": doc_id, "text": both},
                               ensure_ascii=False) + "\n")
    with open(os.path.join(out, "queries.tsv"), "w", encoding="utf-8") as f:
        for qid, text in queries:
            f.write("%s\t%s\n" % (qid, text))
    with open(os.path.join(out, "qrels.txt"), "w", encoding="utf-8") as f:
        for q, d, g in qrels:
            f.write("%s 0 %s %d\n" % (q, d, g))
    print("%s: %d documents, %d queries, %d judgments" %
          (name, len(docs), len(queries), len(qrels)), file=sys.stderr)


if __name__ == "__main__":
    main()
