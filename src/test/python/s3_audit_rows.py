"""Prints the rows of an audit folder on S3 as pyarrow reads it with its own S3 client.

    s3_audit_rows.py ENDPOINT BUCKET/PATH/TO/audit [FILES]

ENDPOINT is http://HOST:PORT (path-style access); the key pair comes from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY. The folder is read as a plain hive-partitioned Parquet dataset (pyarrow's
defaults: names starting with _ or . are skipped), all I/O through pyarrow's S3 client; with FILES
(a text file holding `batch-audit files` output: one s3a:// URI a line) exactly those files are
read, as README says plain readers read a log on S3. One line per row, in training order (epoch,
phase, round, batch, partition, row), in the form the Java tests compare:
run_id|phase|epoch|round|batch|partition|row|sample_id|step|attempt|score|target|prediction,
with floats as their IEEE 754 bits (float32 for arrays, float64 for the score) so that nothing
depends on how either language prints numbers. Used by S3StoreIT.

S3Proxy's filesystem backend lists every folder of its disk also as an object of the folder's
size (4096 bytes) named like the folder, which pyarrow takes for a data file (real S3 has no such
objects; S3A's directory markers are empty); ListingFixes hides those from pyarrow's listing and
passes everything else to pyarrow's S3 client unchanged. And the AWS SDK in pyarrow 25 sends
flexible-checksum headers by default, which S3Proxy 2.6 answers with 501 Not Implemented: the two
AWS_*_CHECKSUM_* settings below turn them off (the SDK reads them when the S3 client starts).
"""
import os
import struct
import sys

os.environ.setdefault("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")
os.environ.setdefault("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")

import pyarrow.dataset as ds  # noqa: E402 (after the SDK settings)
from pyarrow import fs  # noqa: E402


def f32(x):
    return str(struct.unpack("<I", struct.pack("<f", x))[0])


def f64(x):
    return str(struct.unpack("<Q", struct.pack("<d", x))[0])


class ListingFixes(fs.FileSystemHandler):
    """pyarrow's S3 file system, minus the folder entries S3Proxy also lists as files."""

    def __init__(self, s3):
        self.s3 = s3

    def get_type_name(self):
        return "s3-listing-fixes"

    def normalize_path(self, path):
        return self.s3.normalize_path(path)

    def equals(self, other):
        return isinstance(other, ListingFixes) and self.s3.equals(other.s3)

    def get_file_info(self, paths):
        return self.s3.get_file_info(paths)

    def get_file_info_selector(self, selector):
        infos = self.s3.get_file_info(selector)
        folders = {i.path for i in infos if i.type == fs.FileType.Directory}
        return [i for i in infos if not (i.type == fs.FileType.File and i.path in folders)]

    def open_input_file(self, path):
        return self.s3.open_input_file(path)

    def open_input_stream(self, path):
        return self.s3.open_input_stream(path)

    def _read_only(self, *args):
        raise NotImplementedError("read only")

    create_dir = delete_dir = delete_dir_contents = delete_root_dir_contents = _read_only
    delete_file = move = copy_file = open_output_stream = open_append_stream = _read_only


def main(endpoint, path, listing=None):
    scheme, host = endpoint.split("://", 1)
    s3 = fs.S3FileSystem(
        access_key=os.environ["AWS_ACCESS_KEY_ID"],
        secret_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        endpoint_override=host,
        scheme=scheme,
        region="us-east-1",
    )
    files = fs.PyFileSystem(ListingFixes(s3))
    if listing is None:
        source, base = path, None
    else:
        with open(listing) as f:
            source = [u.strip()[len("s3a://"):] for u in f if u.startswith("s3a://")]
        base = path
    table = ds.dataset(
        source, filesystem=files, format="parquet", partitioning="hive", partition_base_dir=base
    ).to_table()
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
    main(*sys.argv[1:4])
