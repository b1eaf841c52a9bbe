#!/usr/bin/python3
"""The peers bench/compare.sh measures echotrace against, on the same records and queries.

  peers.py subset CORPUS_DIR OUT_DIR            the records with a body, one JSONL per input file;
                                                prints {"records", "text_bytes"} (title + body, UTF-8)
  peers.py queries SET_DIR N OUT_FILE           N one-word queries (title words of 5+ letters, picked
                                                frequency-weighted with a fixed-seed Park-Miller generator)
  peers.py xapian-index SET_DIR DB              Xapian alone: title (x3) and body, English stemming
                                                (STEM_SOME), positions; one commit; prints seconds
  peers.py fts5-index SET_DIR DB                SQLite FTS5 (porter unicode61 tokenizer) over title, body
  peers.py search xapian|fts5 DB QUERIES LIMIT  per-query latency, after 20 unmeasured warm-up queries
  peers.py minhash SET_DIR                      near-duplicates as datasketch's MinHash + MinHashLSH do them
                                                (64 permutations, 16 bands; numpy, python3-numpy); docs/s

Xapian is python3-xapian (Debian), SQLite is python3's sqlite3 module (Debian's libsqlite3 with FTS5).
The search mode of each peer returns what a results page shows: Xapian the ranked docids (no text,
no snippets: the bare match), FTS5 the ranked rows with the title and a highlighted body snippet.
Timings are in-process (time.perf_counter around the library call); the Python call overhead
(a few microseconds) counts against the peers, not echotrace.
"""
import json
import math
import os
import sqlite3
import sys
import time


def records(set_dir):
    for name in sorted(os.listdir(set_dir)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(set_dir, name), encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def subset(corpus_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    n = text_bytes = 0
    for name in sorted(os.listdir(corpus_dir)):
        if not name.endswith(".jsonl"):
            continue
        kept = []
        with open(os.path.join(corpus_dir, name), encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if (r.get("body") or "").strip():
                    kept.append(line if line.endswith("\n") else line + "\n")
                    text_bytes += len((r.get("title") or "").encode()) + len(r["body"].encode())
        if kept:
            with open(os.path.join(out_dir, name), "w", encoding="utf-8") as out:
                out.writelines(kept)
            n += len(kept)
    print(json.dumps({"records": n, "text_bytes": text_bytes}))


def queries(set_dir, want, out_file):
    words = []
    for r in records(set_dir):
        for tok in (r.get("title") or "").lower().split():
            tok = tok.strip("".join(chr(c) for c in range(128) if not chr(c).isalpha()))
            if len(tok) >= 5 and tok.isascii() and tok.isalpha():
                words.append(tok)
    seed = 20240601
    with open(out_file, "w") as out:
        for _ in range(want):
            seed = (seed * 16807) % 2147483647
            out.write(words[seed % len(words)] + "\n")


def xapian_index(set_dir, path):
    import xapian
    start = time.perf_counter()
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    for r in records(set_dir):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(r.get("title") or "", 1, "S")
        tg.index_text(r.get("title") or "", 3)
        tg.increase_termpos()
        tg.index_text(r["body"])
        doc.add_boolean_term("XSRC" + (r.get("source") or ""))
        doc.add_value(0, (r.get("date") or "").replace("-", ""))
        db.add_document(doc)
    db.commit()
    db.close()
    print(json.dumps({"seconds": time.perf_counter() - start}))


def fts5_index(set_dir, path):
    start = time.perf_counter()
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61')")
    con.executemany("INSERT INTO t(title, body) VALUES(?, ?)",
                    ((r.get("title") or "", r["body"]) for r in records(set_dir)))
    con.commit()
    con.close()
    print(json.dumps({"seconds": time.perf_counter() - start}))


def percentile(values, p):  # nearest rank, as bench/search_latency.cc
    s = sorted(values)
    rank = min(max(math.ceil(p * len(s)), 1), len(s))
    return s[rank - 1]


def search(kind, path, queries_file, limit):
    with open(queries_file) as f:
        qs = [line.strip() for line in f if line.strip()]
    if kind == "xapian":
        import xapian
        db = xapian.Database(path)
        qp = xapian.QueryParser()
        qp.set_stemmer(xapian.Stem("english"))
        qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        qp.set_database(db)
        qp.set_default_op(xapian.Query.OP_AND)

        def run(q):
            enquire = xapian.Enquire(db)
            enquire.set_query(qp.parse_query(q, xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_BOOLEAN))
            return [m.docid for m in enquire.get_mset(0, limit)]
    else:
        con = sqlite3.connect(path)
        sql = ("SELECT rowid, title, snippet(t, 1, '<mark>', '</mark>', '…', 40) FROM t WHERE t MATCH ? "
               "ORDER BY rank LIMIT ?")

        def run(q):
            return con.execute(sql, ('"' + q.replace('"', '') + '"', limit)).fetchall()

    for q in qs[:20]:
        run(q)
    ms = []
    for q in qs:
        start = time.perf_counter()
        run(q)
        ms.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"p50_ms": round(percentile(ms, 0.5), 3), "p99_ms": round(percentile(ms, 0.99), 3),
                      "mean_ms": round(sum(ms) / len(ms), 3), "queries": len(ms)}))


def minhash(set_dir, num_perm, bands):
    """datasketch's MinHash + MinHashLSH, re-implemented with numpy (datasketch
    itself is on PyPI only): sha1_hash32 of each word 3-gram, num_perm
    permutations ((a * h + b) mod (2^61 - 1)) & (2^32 - 1), the minimum per
    permutation; LSH with `bands` bands of num_perm / bands rows, each document
    queried against the buckets and then inserted (as echotrace's dedup
    does). Prints documents/s over shingling, hashing and LSH."""
    import hashlib
    import re
    import numpy as np
    docs = [((r.get("title") or "") + "\n" + (r.get("body") or "")) for r in records(set_dir)]
    prime = np.uint64((1 << 61) - 1)
    max_hash = np.uint64((1 << 32) - 1)
    gen = np.random.RandomState(1)  # datasketch's default seed
    a = gen.randint(1, int(prime), size=num_perm, dtype=np.uint64)
    b = gen.randint(0, int(prime), size=num_perm, dtype=np.uint64)
    rows = num_perm // bands
    tables = [dict() for _ in range(bands)]
    word = re.compile(r"\w+")
    candidates = 0
    start = time.perf_counter()
    for key, text in enumerate(docs):
        words = word.findall(text.lower())
        shingles = {" ".join(words[i:i + 3]).encode("utf-8") for i in range(max(0, len(words) - 2))}
        if not shingles:
            continue
        hv = np.array([int.from_bytes(hashlib.sha1(s).digest()[:4], "little") for s in shingles], dtype=np.uint64)
        phv = np.bitwise_and((np.outer(hv, a) + b) % prime, max_hash)
        sig = phv.min(axis=0)
        found = set()
        for band in range(bands):
            bucket = bytes(sig[band * rows:(band + 1) * rows].byteswap().data)
            hits = tables[band].setdefault(bucket, [])
            found.update(hits)
            hits.append(key)
        candidates += len(found)
    seconds = time.perf_counter() - start
    print(json.dumps({"documents": len(docs), "seconds": round(seconds, 2), "docs_per_s": round(len(docs) / seconds),
                      "candidates": candidates}))


def main(argv):
    if len(argv) >= 3 and argv[1] == "subset":
        subset(argv[2], argv[3])
    elif len(argv) == 5 and argv[1] == "queries":
        queries(argv[2], int(argv[3]), argv[4])
    elif len(argv) == 4 and argv[1] == "xapian-index":
        xapian_index(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "fts5-index":
        fts5_index(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "minhash":
        minhash(argv[2], 64, 16)
    elif len(argv) == 6 and argv[1] == "search":
        search(argv[2], argv[3], argv[4], int(argv[5]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
