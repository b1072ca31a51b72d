"""Keras's Tokenizer and pad_sequences (Debian python3-keras-preprocessing), timed on the
texts in a JSON file (a list of strings, written by benches/tokenizer.ts so both sides read
the same reviews). Prints one JSON line: per-run milliseconds of fit_on_texts +
texts_to_sequences and of pad_sequences (wall and CPU time), plus checksums to compare results with ours.

usage: tokenizer.py TEXTS_JSON NUM_WORDS MAXLEN RUNS
"""
import json
import sys
import time

import keras_preprocessing
import numpy as np
from keras_preprocessing.sequence import pad_sequences
from keras_preprocessing.text import Tokenizer


def main():
    path, num_words, maxlen, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with open(path, encoding="utf-8") as f:
        texts = json.load(f)

    fit_ms, pad_ms, fit_cpu_ms, pad_cpu_ms = [], [], [], []
    sequences = padded = tokenizer = None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        tokenizer = Tokenizer(num_words=num_words)
        tokenizer.fit_on_texts(texts)
        sequences = tokenizer.texts_to_sequences(texts)
        fit_ms.append((time.perf_counter() - t0) * 1000)
        fit_cpu_ms.append((time.process_time() - c0) * 1000)
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        padded = pad_sequences(sequences, maxlen=maxlen)
        pad_ms.append((time.perf_counter() - t0) * 1000)
        pad_cpu_ms.append((time.process_time() - c0) * 1000)

    print(json.dumps({
        "keras_preprocessing": keras_preprocessing.__version__,
        "numpy": np.__version__,
        "fit_ms": fit_ms,
        "pad_ms": pad_ms,
        "fit_cpu_ms": fit_cpu_ms,
        "pad_cpu_ms": pad_cpu_ms,
        "vocabulary": len(tokenizer.word_index),
        "tokens": sum(len(s) for s in sequences),
        "id_sum": sum(sum(s) for s in sequences),
        "padded_shape": list(padded.shape),
        "padded_sum": int(padded.sum(dtype=np.int64)),
    }))


if __name__ == "__main__":
    main()
