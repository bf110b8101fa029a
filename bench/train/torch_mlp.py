"""The seed MLP in PyTorch, timed like `labkit bench train`: the reference for bench/train/run.mjs.

3072-1024-512-10, each hidden layer Linear -> BatchNorm1d -> ReLU -> Dropout(0.3), softmax
cross-entropy, Adam(lr 1e-3); CIFAR-shaped random batches (4 cycled, as labkit does); warm-up
batches excluded; every training batch synchronised by reading the loss back (`.item()`).
Prints one JSON object. Usage: python3 torch_mlp.py --threads 1 --batches 30 --warmup 3 --batch-size 128
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


def build(hidden=(1024, 512), inputs=3072, classes=10, dropout=0.3):
    layers, width = [], inputs
    for units in hidden:
        layers += [nn.Linear(width, units), nn.BatchNorm1d(units), nn.ReLU(), nn.Dropout(dropout)]
        width = units
    layers.append(nn.Linear(width, classes))
    return nn.Sequential(*layers)


def summary(ms, batch_size):
    return {
        "samplesPerSec": len(ms) * batch_size * 1000 / sum(ms),
        "medianMs": statistics.median(ms),
        "minMs": min(ms),
        "maxMs": max(ms),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    data = [
        (torch.randn(args.batch_size, 3072), torch.randint(0, 10, (args.batch_size,)))
        for _ in range(min(4, max(1, args.batches)))
    ]

    model.train()
    train_ms = []
    for i in range(args.warmup + args.batches):
        x, y = data[i % len(data)]
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        logits = model(x)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        loss.item()
        (logits.argmax(1) == y).sum().item()
        if i >= args.warmup:
            train_ms.append((time.perf_counter() - start) * 1000)

    model.eval()
    inference_ms = []
    with torch.no_grad():
        for i in range(args.warmup + args.batches):
            x, _ = data[i % len(data)]
            start = time.perf_counter()
            model(x).numpy()
            if i >= args.warmup:
                inference_ms.append((time.perf_counter() - start) * 1000)

    train = summary(train_ms, args.batch_size)
    inference = summary(inference_ms, args.batch_size)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "batchSize": args.batch_size,
        "batches": args.batches,
        "warmupBatches": args.warmup,
        "samplesPerSec": train["samplesPerSec"],
        "inferenceSamplesPerSec": inference["samplesPerSec"],
        "trainMsPerBatch": {k: train[k] for k in ("medianMs", "minMs", "maxMs")},
    }))


if __name__ == "__main__":
    main()
