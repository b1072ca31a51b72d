"""PyTorch peer of benches/inference.ts.

Inference over IMDB test reviews, the same work as `predictText`: Keras's tokenizer
(keras_preprocessing, loaded from the JSON our Tokenizer wrote, so both sides give the same
ids), pad_sequences (pre, maxlen), then the model's forward pass under torch.inference_mode,
chunk by chunk. The models are train_step.py's, the same architectures and shapes as ours.
Prints one JSON line: per-run milliseconds (wall and CPU) of the whole pass and of the forward
passes alone, and the sum of the padded ids (to check that both sides fed the same tokens).

usage: inference.py MODEL TEXTS_JSON TOKENIZER_JSON --maxlen 500 --chunk 256 --runs 1 --threads 2
"""
import argparse
import json
import time

import numpy as np
import torch
from keras_preprocessing.sequence import pad_sequences
from keras_preprocessing.text import tokenizer_from_json

from train_step import build


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("texts")
    parser.add_argument("tokenizer")
    parser.add_argument("--maxlen", type=int, default=500)
    parser.add_argument("--chunk", type=int, default=256)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--units", type=int, default=32)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(args.texts, encoding="utf-8") as f:
        texts = json.load(f)
    with open(args.tokenizer, encoding="utf-8") as f:
        tokenizer = tokenizer_from_json(f.read())
    # build() reads only the sizes below from its arguments.
    model, _ = build(args.model, argparse.Namespace(units=args.units, features=0))
    model.eval()

    def run():
        forward = 0.0
        id_sum = 0
        outputs = 0
        for start in range(0, len(texts), args.chunk):
            chunk = texts[start:start + args.chunk]
            padded = pad_sequences(tokenizer.texts_to_sequences(chunk), maxlen=args.maxlen, padding="pre", truncating="pre")
            id_sum += int(padded.sum(dtype=np.int64))
            t0 = time.perf_counter()
            with torch.inference_mode():
                scores = model(torch.from_numpy(padded.astype(np.int64)))
            forward += time.perf_counter() - t0
            outputs += scores.shape[0]
        return forward * 1000.0, id_sum, outputs

    # Warm-up on one chunk: the first forward pass allocates and picks kernels.
    with torch.inference_mode():
        model(torch.zeros((min(args.chunk, len(texts)), args.maxlen), dtype=torch.int64))
    wall, cpu, forward = [], [], []
    id_sum = outputs = 0
    for _ in range(args.runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        f_ms, id_sum, outputs = run()
        wall.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
        forward.append(f_ms)
    print(json.dumps({
        "model": args.model,
        "wall_ms": wall,
        "cpu_ms": cpu,
        "forward_ms": forward,
        "id_sum": id_sum,
        "outputs": outputs,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
