"""Reference values for the learning-rate finder's analysis, computed independently with numpy.

Writes src/recipe/fixtures/lr-find-reference.json: a noisy synthetic range test (rates, losses)
and what fastai/Lightning-style analysis gives for it: the bias-corrected moving average
(beta 0.9), the index of the loss minimum, and the steepest point of np.gradient of the smoothed
loss against log10(rate) between step 10 and the minimum. Run: python3 scripts/lr-find-reference.py
"""
import json
import math
from pathlib import Path

import numpy as np

steps = 120
lrs = [1e-6 * (1.0 / 1e-6) ** (i / (steps - 1)) for i in range(steps)]
losses = []
for i, lr in enumerate(lrs):
    t = math.log10(lr)
    clean = 2.3 - 1.5 / (1 + math.exp(-3 * (t + 3))) + (10 * (t + 1) ** 2 if t > -1 else 0)
    losses.append(clean + 0.08 * math.sin(i * 1.7) + 0.05 * math.cos(i * 0.31))

beta = 0.9
avg = 0.0
smoothed = []
for i, loss in enumerate(losses):
    avg = beta * avg + (1 - beta) * loss
    smoothed.append(avg / (1 - beta ** (i + 1)))
smoothed = np.array(smoothed)
min_index = int(np.argmin(smoothed))
gradient = np.gradient(smoothed, np.log10(lrs))
end = max(min_index, 12)
steepest_index = 10 + int(np.argmin(gradient[10:end]))

out = Path(__file__).resolve().parent.parent / "src" / "recipe" / "fixtures" / "lr-find-reference.json"
out.write_text(json.dumps({
    "generator": "scripts/lr-find-reference.py (numpy " + np.__version__ + ")",
    "lrs": lrs,
    "losses": losses,
    "smoothed": smoothed.tolist(),
    "minIndex": min_index,
    "steepestIndex": steepest_index,
}, indent=1) + "\n")
print(out, "steepest", steepest_index, lrs[steepest_index], "min", min_index)
