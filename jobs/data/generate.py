"""Regenerates the small CSV files the example jobs train on (seeded, so the output is identical).

Run from the repository root: python3 jobs/data/generate.py
Needs only numpy. The files are committed; nothing is downloaded.
"""
import numpy as np

rng = np.random.default_rng(20261128)


def blobs(n, first_id):
    """Three Gaussian classes in 6 dimensions, partly overlapping; integral ids from first_id."""
    centers = np.array([[0, 0, 0, 0, 0, 0], [2.0, 1.0, 0, -1, 0.5, 0], [0, 2.0, 1.5, 0, -1, 1]])
    labels = rng.integers(0, 3, n)
    x = centers[labels] + rng.normal(0, 1.0, (n, 6))
    rows = ["id,x1,x2,x3,x4,x5,x6,label"]
    for i in range(n):
        rows.append(",".join([str(first_id + 7 * i)] + [f"{v:.4f}" for v in x[i]] + [str(labels[i])]))
    return "\n".join(rows) + "\n"


def regression(n):
    """Two real-valued targets of 8 features, no id column (sample id = row index)."""
    x = rng.uniform(-1, 1, (n, 8))
    y1 = np.sin(2 * x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] + rng.normal(0, 0.05, n)
    y2 = x[:, 3] ** 2 - x[:, 4] + 0.3 * x[:, 5] + rng.normal(0, 0.05, n)
    rows = ["x1,x2,x3,x4,x5,x6,x7,x8,y1,y2"]
    for i in range(n):
        rows.append(",".join([f"{v:.4f}" for v in x[i]] + [f"{y1[i]:.4f}", f"{y2[i]:.4f}"]))
    return "\n".join(rows) + "\n"


for name, text in [
    ("blobs-train.csv", blobs(600, 1000)),
    ("blobs-validation.csv", blobs(150, 900000)),
    ("regression-train.csv", regression(800)),
    ("regression-validation.csv", regression(200)),
]:
    with open("jobs/data/" + name, "w") as f:
        f.write(text)
