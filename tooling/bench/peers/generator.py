"""The book's own window generator (Deep Learning with Python, listing 6.33), timed on a
random float32 series. Prints one JSON line: per-run milliseconds (CPU time of this
process, and wall time) for shuffled and in-order draws of `batches` batches.

usage: generator.py ROWS FEATURES LOOKBACK STEP DELAY BATCH_SIZE BATCHES RUNS
"""
import json
import sys
import time

import numpy as np


# Listing 6.33, as printed (np.zeros makes float64 samples, as in the book).
def generator(data, lookback, delay, min_index, max_index,
              shuffle=False, batch_size=128, step=6):
    if max_index is None:
        max_index = len(data) - delay - 1
    i = min_index + lookback
    while 1:
        if shuffle:
            rows = np.random.randint(
                min_index + lookback, max_index, size=batch_size)
        else:
            if i + batch_size >= max_index:
                i = min_index + lookback
            rows = np.arange(i, min(i + batch_size, max_index))
            i += len(rows)

        samples = np.zeros((len(rows),
                            lookback // step,
                            data.shape[-1]))
        targets = np.zeros((len(rows),))
        for j, row in enumerate(rows):
            indices = range(rows[j] - lookback, rows[j], step)
            samples[j] = data[indices]
            targets[j] = data[rows[j] + delay][1]
        yield samples, targets


def main():
    rows, features, lookback, step, delay, batch_size, batches, runs = map(int, sys.argv[1:9])
    np.random.seed(0)
    data = np.random.rand(rows, features).astype(np.float32)
    out = {"numpy": np.__version__}
    checksum = 0.0
    for name, shuffle in (("shuffled", True), ("in_order", False)):
        cpu, wall = [], []
        for _ in range(runs):
            gen = generator(data, lookback=lookback, delay=delay, min_index=0, max_index=None,
                            shuffle=shuffle, batch_size=batch_size, step=step)
            c0, t0 = time.process_time(), time.perf_counter()
            for _ in range(batches):
                samples, targets = next(gen)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - t0) * 1000)
            checksum += float(samples[0, 0, 0])
        out[name] = {"cpu_ms": cpu, "wall_ms": wall}
    out["checksum"] = checksum
    print(json.dumps(out))


if __name__ == "__main__":
    main()
