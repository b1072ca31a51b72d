"""PyTorch peer of benches/train-step.ts.

One training step (forward, backward, RMSprop) of one of the chapter's models on the CPU, same
shapes as the tfjs side. Prints one JSON line: median milliseconds per step (wall and CPU).

Models: simpleRnn, lstm, gru, bidirectionalLstm (IMDB shapes: batch 128 x 500 tokens,
Embedding(10000, 32), 32 units, Dense(1, sigmoid)); conv1dText (Embedding(10000, 128) ->
Conv1D(32, 7, relu) -> MaxPool(5) -> Conv1D(32, 7, relu) -> GlobalMaxPool -> Dense(1, sigmoid));
gruTimeseries and convGruTimeseries (PRSA shapes: batch 128 x 120 steps x 18 features, MAE).
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


class LastStep(nn.Module):
    def __init__(self, rnn: nn.Module):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        out, _ = self.rnn(x)
        return out[:, -1]


class ChannelsFirst(nn.Module):
    """Keras Conv1D works on [batch, steps, channels]; torch's on [batch, channels, steps]."""

    def __init__(self, body: nn.Module):
        super().__init__()
        self.body = body

    def forward(self, x):
        return self.body(x.transpose(1, 2))


class GlobalMax(nn.Module):
    def forward(self, x):
        return x.max(dim=2).values


class ToSteps(nn.Module):
    def forward(self, x):
        return x.transpose(1, 2)


def build(name: str, args):
    rnn = {"simpleRnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
    if name in rnn:
        return nn.Sequential(
            nn.Embedding(10000, 32),
            LastStep(rnn[name](32, args.units, batch_first=True)),
            nn.Linear(args.units, 1),
            nn.Sigmoid(),
        ), "text"
    if name == "bidirectionalLstm":
        return nn.Sequential(
            nn.Embedding(10000, 32),
            LastStepBidirectional(nn.LSTM(32, args.units, batch_first=True, bidirectional=True)),
            nn.Linear(2 * args.units, 1),
            nn.Sigmoid(),
        ), "text"
    if name == "conv1dText":
        return nn.Sequential(
            nn.Embedding(10000, 128),
            ChannelsFirst(nn.Sequential(
                nn.Conv1d(128, 32, 7), nn.ReLU(), nn.MaxPool1d(5),
                nn.Conv1d(32, 32, 7), nn.ReLU(), GlobalMax(),
            )),
            nn.Linear(32, 1),
            nn.Sigmoid(),
        ), "text"
    if name == "gruTimeseries":
        return nn.Sequential(LastStep(nn.GRU(args.features, args.units, batch_first=True)), nn.Linear(args.units, 1)), "series"
    if name == "convGruTimeseries":
        return nn.Sequential(
            ChannelsFirst(nn.Sequential(
                nn.Conv1d(args.features, 32, 5), nn.ReLU(), nn.MaxPool1d(3),
                nn.Conv1d(32, 32, 5), nn.ReLU(), ToSteps(),
            )),
            LastStep(nn.GRU(32, args.units, batch_first=True)),
            nn.Linear(args.units, 1),
        ), "series"
    raise SystemExit(f"unknown model {name}")


class LastStepBidirectional(nn.Module):
    """Keras Bidirectional(LSTM) without return_sequences: forward's last step, backward's first."""

    def __init__(self, rnn: nn.Module):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        out, _ = self.rnn(x)
        h = out.shape[2] // 2
        return torch.cat([out[:, -1, :h], out[:, 0, h:]], dim=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--maxlen", type=int, default=500)
    parser.add_argument("--timesteps", type=int, default=120)
    parser.add_argument("--features", type=int, default=18)
    parser.add_argument("--units", type=int, default=32)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model, kind = build(args.model, args)
    # Keras's RMSprop as tfjs uses it: rho 0.9, epsilon 1e-7.
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    if kind == "text":
        x = torch.randint(0, 10000, (args.batch, args.maxlen))
        y = torch.randint(0, 2, (args.batch, 1)).float()
        loss_fn = nn.BCELoss()
    else:
        x = torch.randn(args.batch, args.timesteps, args.features)
        y = torch.randn(args.batch, 1)
        loss_fn = nn.L1Loss()

    def step() -> None:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    wall, cpu = [], []
    for _ in range(args.runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        step()
        wall.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
    print(json.dumps({
        "model": args.model,
        "median_ms": statistics.median(wall),
        "median_cpu_ms": statistics.median(cpu),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
