"""gensim's loader (Debian python3-gensim) on a GloVe text file without a header:
KeyedVectors.load_word2vec_format(path, binary=False, no_header=True). Prints one JSON
line: per-run milliseconds, the word count, a checksum, and gensim's answers to
most_similar('king') and king - man + woman, to compare with ours.

usage: glove_gensim.py GLOVE_TXT_OR_GZ RUNS
"""
import json
import sys
import time

import numpy as np
from gensim.models import KeyedVectors


def main():
    path, runs = sys.argv[1], int(sys.argv[2])
    times = []
    cpu = []
    kv = None
    for _ in range(runs):
        kv = None
        t0 = time.perf_counter()
        c0 = time.process_time()
        kv = KeyedVectors.load_word2vec_format(path, binary=False, no_header=True)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    t0 = time.perf_counter()
    nearest = [w for w, _ in kv.most_similar("king", topn=5)]
    analogy = [w for w, _ in kv.most_similar(positive=["king", "woman"], negative=["man"], topn=3)]
    similar_ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({
        "ms": times,
        "cpu_ms": cpu,
        "words": len(kv.index_to_key),
        "dim": kv.vector_size,
        "row_sums": {w: float(np.sum(kv[w], dtype=np.float64)) for w in ("the", "king", "queen")},
        "nearest_king": nearest,
        "king_man_woman": analogy,
        "similar_ms": similar_ms,
    }))


main()
