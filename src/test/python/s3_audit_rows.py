"""Prints the rows of an audit folder on S3 as pyarrow reads it with its own S3 client.

    s3_audit_rows.py ENDPOINT BUCKET/PATH/TO/audit

ENDPOINT is http://HOST:PORT (path-style access); the key pair comes from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY. The folder is read as a plain hive-partitioned Parquet dataset (pyarrow's
defaults: names starting with _ or . are skipped). One line per row, in training order (epoch,
phase, round, batch, partition, row), in the form the Java tests compare:
run_id|phase|epoch|round|batch|partition|row|sample_id|step|attempt|score|target|prediction,
with floats as their IEEE 754 bits (float32 for arrays, float64 for the score) so that nothing
depends on how either language prints numbers. Used by S3StoreIT.
"""
import os
import struct
import sys

import pyarrow.dataset as ds
from pyarrow import fs


def f32(x):
    return str(struct.unpack("<I", struct.pack("<f", x))[0])


def f64(x):
    return str(struct.unpack("<Q", struct.pack("<d", x))[0])


def main(endpoint, path):
    scheme, host = endpoint.split("://", 1)
    s3 = fs.S3FileSystem(
        access_key=os.environ["AWS_ACCESS_KEY_ID"],
        secret_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        endpoint_override=host,
        scheme=scheme,
        region="us-east-1",
    )
    table = ds.dataset(path, filesystem=s3, format="parquet", partitioning="hive").to_table()
    rows = table.to_pylist()
    rows.sort(key=lambda r: (r["epoch"], r["phase"], r["round"], r["batch"], r["partition"], r["row"]))
    out = sys.stdout
    for r in rows:
        out.write(
            "|".join(
                [
                    r["run_id"],
                    r["phase"],
                    str(r["epoch"]),
                    str(r["round"]),
                    str(r["batch"]),
                    str(r["partition"]),
                    str(r["row"]),
                    str(r["sample_id"]),
                    str(r["step"]),
                    str(r["attempt"]),
                    f64(r["batch_score"]),
                    "[" + ", ".join(f32(v) for v in r["target"]) + "]",
                    "[" + ", ".join(f32(v) for v in r["prediction"]) + "]",
                ]
            )
            + "\n"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
