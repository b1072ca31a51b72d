"""Keras's hashing_trick and Tokenizer.sequences_to_matrix (Debian python3-keras-preprocessing),
timed on the texts in a JSON file written by benches/encoding.ts, so both sides read the same
reviews. Prints one JSON line: per-run milliseconds and checksums to compare results with ours.

usage: encoding.py TEXTS_JSON NUM_WORDS RUNS
"""
import json
import sys
import time

import keras_preprocessing
import numpy as np
from keras_preprocessing.text import Tokenizer, hashing_trick


def timed(fn, runs):
    out, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out, result


def main():
    path, num_words, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, encoding="utf-8") as f:
        texts = json.load(f)

    md5_ms, md5_ids = timed(lambda: [hashing_trick(t, 1000, hash_function="md5") for t in texts], runs)
    default_ms, _ = timed(lambda: [hashing_trick(t, 1000) for t in texts], runs)

    tokenizer = Tokenizer(num_words=num_words)
    tokenizer.fit_on_texts(texts)
    sequences = tokenizer.texts_to_sequences(texts)
    result = {
        "keras_preprocessing": keras_preprocessing.__version__,
        "md5_ms": md5_ms,
        "md5_id_sum": sum(sum(ids) for ids in md5_ids),
        "default_ms": default_ms,
    }
    for mode in ("binary", "tfidf"):
        ms, matrix = timed(lambda: tokenizer.sequences_to_matrix(sequences, mode=mode), runs)
        result[mode + "_ms"] = ms
        result[mode + "_sum"] = float(matrix.sum())
        del matrix
    print(json.dumps(result))


if __name__ == "__main__":
    main()
