"""The book's listing 6.10, as printed, on a GloVe text file (gzip-opened when the
name ends in .gz, since that is the file the benchmark reads). Prints one JSON line:
per-run milliseconds, the word count and a checksum of the vectors of a few words.

usage: glove_book.py GLOVE_TXT_OR_GZ RUNS
"""
import gzip
import json
import sys
import time

import numpy as np


def load(path):
    embeddings_index = {}
    f = gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")
    for line in f:
        values = line.split()
        word = values[0]
        coefs = np.asarray(values[1:], dtype="float32")
        embeddings_index[word] = coefs
    f.close()
    return embeddings_index


def main():
    path, runs = sys.argv[1], int(sys.argv[2])
    times = []
    cpu = []
    index = None
    for _ in range(runs):
        index = None
        t0 = time.perf_counter()
        c0 = time.process_time()
        index = load(path)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    check = {w: float(np.sum(index[w], dtype=np.float64)) for w in ("the", "king", "queen") if w in index}
    print(json.dumps({"ms": times, "cpu_ms": cpu, "words": len(index), "dim": len(index["the"]), "row_sums": check}))


main()
