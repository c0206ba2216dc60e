"""Reads an audit log with pyarrow, pandas and polars, as a user would; for PythonReadersTest.

    python plain_readers.py AUDIT_DIR PANDAS_SNIPPET OUT_DIR

Writes OUT_DIR/pyarrow.txt, pandas.txt and polars.txt: one line per row in the order the reader
gave after sorting by the training-order keys (the same line format as the Java test's, floats as
their exact bits), and OUT_DIR/facts.json: the column names and types each reader saw.
PANDAS_SNIPPET is README's pandas example with its path set to AUDIT_DIR; it must leave the log,
sorted, in the variable `audit`.
"""

import json
import struct
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq

KEYS = ["epoch", "phase", "round", "batch", "partition", "row"]


def floats(values):
    a = np.asarray(values)
    if a.dtype != np.float32:
        raise SystemExit(f"expected float32 values, got {a.dtype}: {values!r}")
    return "[" + ",".join(f"f:{b:08x}" for b in a.view(np.uint32).tolist()) + "]"


def line(r):
    score = struct.unpack("<Q", struct.pack("<d", float(r["batch_score"])))[0]
    return (
        f"{r['phase']} epoch={r['epoch']} round={r['round']} batch={r['batch']}"
        f" partition={r['partition']} row={r['row']} sample_id={r['sample_id']}"
        f" run_id={r['run_id']} step={r['step']} attempt={r['attempt']} batch_score=d:{score:016x}"
        f" target={floats(r['target'])} prediction={floats(r['prediction'])}"
    )


def error_of(f):
    try:
        return f"no error: {f()}"
    except Exception as e:  # what README promises pandas does
        return f"{type(e).__name__}: {e}".splitlines()[0]


def columns_of(names, getter):
    cols = {n: getter(n) for n in names}
    return [dict(zip(cols, values)) for values in zip(*cols.values())]


NEEDED = KEYS + ["sample_id", "run_id", "step", "attempt", "batch_score", "target", "prediction"]


def main(audit, snippet, out):
    out = Path(out)
    facts = {}

    # pyarrow: a folder is read as a dataset, hive partitions on by default; the partition columns
    # come as dictionaries, which sort_by refuses, unless discovered without dictionaries.
    sort_keys = [(k, "ascending") for k in KEYS]
    default = pq.read_table(audit)
    facts["pyarrow_default"] = {f.name: str(f.type) for f in default.schema}
    facts["pyarrow_default"]["sort_by"] = error_of(lambda: default.sort_by(sort_keys).num_rows)
    plain = ds.HivePartitioning.discover(infer_dictionary=False)
    table = pq.read_table(audit, partitioning=plain).sort_by(sort_keys)
    facts["pyarrow"] = {f.name: str(f.type) for f in table.schema}
    rows = columns_of(NEEDED, lambda n: table.column(n).to_pylist())
    for r in rows:
        r["target"] = np.array(r["target"], dtype=np.float32)
        r["prediction"] = np.array(r["prediction"], dtype=np.float32)
    (out / "pyarrow.txt").write_text("".join(line(r) + "\n" for r in rows))

    # pandas: README's snippet, run as written there.
    raw = pd.read_parquet(audit)
    facts["pandas_raw"] = {
        "epoch_dtype": str(raw["epoch"].dtype),
        "epoch_categories": [int(c) for c in raw["epoch"].cat.categories],
        "phase_dtype": str(raw["phase"].dtype),
        # README: sorting by the raw categorical follows the categories, and max() refuses it
        "epochs_sorted_raw": [int(e) for e in raw.sort_values("epoch")["epoch"].unique()],
        "max_raw": error_of(lambda: raw["epoch"].max()),
    }
    scope = {}
    exec(compile(Path(snippet).read_text(), "README pandas snippet", "exec"), scope)
    df = scope["audit"]
    facts["pandas"] = {c: str(t) for c, t in df.dtypes.items()}
    rows = columns_of(NEEDED, lambda n: df[n].tolist())
    (out / "pandas.txt").write_text("".join(line(r) + "\n" for r in rows))

    # polars: a glob of the data files, hive partitions on.
    pdf = pl.read_parquet(f"{audit}/**/*.parquet", hive_partitioning=True).sort(KEYS)
    facts["polars"] = {c: str(t) for c, t in pdf.schema.items()}
    rows = columns_of(NEEDED, lambda n: pdf[n].to_list())
    for r in rows:
        r["target"] = np.array(r["target"], dtype=np.float32)
        r["prediction"] = np.array(r["prediction"], dtype=np.float32)
    (out / "polars.txt").write_text("".join(line(r) + "\n" for r in rows))

    (out / "facts.json").write_text(json.dumps(facts, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:])
