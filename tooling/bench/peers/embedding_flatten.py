"""PyTorch peer of benches/embedding-flatten.ts.

One training step (forward, backward, RMSprop) of Embedding(10000, 8) -> Flatten ->
Linear(160, 1) -> sigmoid with binary cross-entropy, batch 32 x 20 tokens, on the CPU.
Prints one JSON line: the median milliseconds per step and how they were measured.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--vocab", type=int, default=10000)
    parser.add_argument("--dim", type=int, default=8)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--maxlen", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    model = nn.Sequential(
        nn.Embedding(args.vocab, args.dim),
        nn.Flatten(),
        nn.Linear(args.maxlen * args.dim, 1),
        nn.Sigmoid(),
    )
    # Keras's RMSprop defaults, as tfjs layers uses them: lr 1e-3, rho 0.9, epsilon 1e-7.
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = nn.BCELoss()

    pool = 16
    xs = [torch.randint(0, args.vocab, (args.batch, args.maxlen)) for _ in range(pool)]
    ys = [torch.randint(0, 2, (args.batch, 1)).float() for _ in range(pool)]

    def step(i: int) -> float:
        optimizer.zero_grad()
        loss = loss_fn(model(xs[i % pool]), ys[i % pool])
        loss.backward()
        optimizer.step()
        return loss.item()

    for i in range(args.warmup):
        step(i)
    times = []
    cpu_times = []
    for i in range(args.runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        step(i)
        times.append((time.perf_counter() - t0) * 1000.0)
        cpu_times.append((time.process_time() - c0) * 1000.0)

    print(json.dumps({
        "median_ms": statistics.median(times),
        "median_cpu_ms": statistics.median(cpu_times),
        "runs": args.runs,
        "threads": args.threads,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
