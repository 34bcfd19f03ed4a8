#!/usr/bin/env python3
"""Check tests/data/everyday-queries.tsv, the held-back everyday-query relevance set.

Standard library only. Verifies the file format, that every accepted code exists and is
valid on the target date (ICD-10-CM / ICD-10-PCS: MCE validity tables, start <= date <= end;
HCPCS: procedure record with no termination date in the October 2025 file), that every
prefix (`X*`) covers at least one such code, that each row cites a source naming its codes,
and the size / mix rules of the set.

Usage:
    python3 tests/data/check_everyday_queries.py [--date YYYYMMDD] [--tsv FILE]

Data read (read-only), all committed in this repository and stored gzipped (read with the
standard gzip module), so the check runs in a fresh clone:
    tables/registry/mce_icd10cm_validity.tsv.gz, tables/registry/mce_icd10pcs_validity.tsv.gz
    tables/releases/hcpcs-2025-10/hcpcs_2025oct.tsv.gz
Nothing outside the repository is read. Exit status 0 when every check passes, 1 otherwise.
"""
import argparse
import collections
import gzip
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
REGISTRY = REPO / "tables" / "registry"
RELEASES = REPO / "tables" / "releases"
CM_VALIDITY = REGISTRY / "mce_icd10cm_validity.tsv.gz"
PCS_VALIDITY = REGISTRY / "mce_icd10pcs_validity.tsv.gz"
HCPCS_FILE = RELEASES / "hcpcs-2025-10" / "hcpcs_2025oct.tsv.gz"
HEADER = ["system", "query", "accepted", "kind", "source"]
SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs")
KINDS = ("abbreviation", "lay", "clinical", "procedure", "supply", "drug", "typo", "official")
MINIMUM = {"icd10cm": 150, "icd10pcs": 80, "hcpcs": 50}   # bar after review
TARGET = {"icd10cm": 170, "icd10pcs": 95, "hcpcs": 60}    # size asked for
MAX_OFFICIAL_SHARE = 0.15
SYSTEM_LABEL = {"icd10cm": "ICD-10-CM", "icd10pcs": "ICD-10-PCS", "hcpcs": "HCPCS"}
# Sources must be public and freely usable: no SNOMED CT, UMLS, CPT/AMA or commercial encoders.
FORBIDDEN = re.compile(r"\b(snomed|umls|cpt|american medical association|current procedural terminology)\b", re.I)
ALLOWED_URL_HOST = re.compile(r"^https?://([a-z0-9-]+\.)*(medlineplus\.gov|cms\.gov|cdc\.gov|nih\.gov)(/|$)", re.I)

CM_RE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
PCS_RE = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")
PCS_PREFIX_RE = re.compile(r"^[0-9A-HJ-NP-Z]{3,6}$")
HCPCS_RE = re.compile(r"^[A-Z][0-9]{4}$")
HCPCS_PREFIX_RE = re.compile(r"^[A-Z][0-9]{2,3}$")


def check_data():
    missing = [str(p.relative_to(REPO)) for p in (CM_VALIDITY, PCS_VALIDITY, HCPCS_FILE) if not p.is_file()]
    if missing:
        sys.exit("check_everyday_queries: missing committed data file(s): " + ", ".join(missing))


def load_validity(path, date):
    valid = set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:3] != ["code", "start_yyyymmdd", "end_yyyymmdd"]:
            sys.exit(f"unexpected header in {path}: {header}")
        for line in f:
            code, start, end = line.rstrip("\n").split("\t")[:3]
            if int(start) <= date <= int(end):
                valid.add(code)
    return valid


def load_hcpcs(path):
    """Active HCPCS procedure codes: record id 3 and no termination date."""
    active = set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 7 and fields[1] == "3" and fields[6] == "":
                active.add(fields[0])
    return active


def check_token(system, tok, sets):
    """Return an error string, or None when the accepted token is well formed and valid."""
    prefix = tok.endswith("*")
    body = tok[:-1] if prefix else tok
    if system == "icd10cm":
        if not CM_RE.match(body):
            return f"malformed ICD-10-CM {'prefix' if prefix else 'code'} {tok!r} (dotted form expected, e.g. E11.22 or E11.4*)"
        if len(body) > 3 and body[3] != ".":
            return f"ICD-10-CM {tok!r} needs its dot after the category"
        nodot = body.replace(".", "")
        if prefix:
            if not any(c.startswith(nodot) for c in sets["icd10cm"]):
                return f"no valid ICD-10-CM code under {tok}"
        elif nodot not in sets["icd10cm"]:
            return f"ICD-10-CM {tok} is not a valid (billable) code on the target date"
    elif system == "icd10pcs":
        if prefix:
            if not PCS_PREFIX_RE.match(body):
                return f"malformed ICD-10-PCS prefix {tok!r} (3-6 characters then *)"
            if not any(c.startswith(body) for c in sets["icd10pcs"]):
                return f"no valid ICD-10-PCS code under {tok}"
        else:
            if not PCS_RE.match(body):
                return f"malformed ICD-10-PCS code {tok!r}"
            if body not in sets["icd10pcs"]:
                return f"ICD-10-PCS {tok} is not valid on the target date"
    else:
        if prefix:
            if not HCPCS_PREFIX_RE.match(body):
                return f"malformed HCPCS prefix {tok!r} (3-4 characters then *)"
            if not any(c.startswith(body) for c in sets["hcpcs"]):
                return f"no active HCPCS code under {tok}"
        else:
            if not HCPCS_RE.match(body):
                return f"malformed HCPCS code {tok!r}"
            if body not in sets["hcpcs"]:
                return f"HCPCS {tok} is not active (missing or terminated) in the October 2025 file"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--date", type=int, default=20261001, help="validity date for ICD-10-CM/PCS (default 20261001)")
    ap.add_argument("--tsv", default=str(HERE / "everyday-queries.tsv"))
    args = ap.parse_args()

    check_data()
    sets = {
        "icd10cm": load_validity(CM_VALIDITY, args.date),
        "icd10pcs": load_validity(PCS_VALIDITY, args.date),
        "hcpcs": load_hcpcs(HCPCS_FILE),
    }
    errors = []
    rows = []
    raw = Path(args.tsv).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit(f"{args.tsv}: not UTF-8 ({e})")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        errors.append(f"line 1: header must be {chr(9).join(HEADER)!r}")
    seen = set()
    for n, line in enumerate(lines[1:], start=2):
        if "\r" in line:
            errors.append(f"line {n}: carriage return")
        f = line.split("\t")
        if len(f) != 5:
            errors.append(f"line {n}: {len(f)} fields, 5 expected")
            continue
        system, query, accepted, kind, source = f
        where = f"line {n} ({system} {query!r})"
        if system not in SYSTEMS:
            errors.append(f"{where}: unknown system")
            continue
        if kind not in KINDS:
            errors.append(f"{where}: unknown kind {kind!r}")
        if not query or query != query.strip() or "  " in query:
            errors.append(f"{where}: query empty or with stray spaces")
        if (system, query) in seen:
            errors.append(f"{where}: duplicate query for this system")
        seen.add((system, query))
        toks = accepted.split(" ")
        if not accepted or "" in toks:
            errors.append(f"{where}: accepted must be codes separated by single spaces")
            toks = [t for t in toks if t]
        if len(set(toks)) != len(toks):
            errors.append(f"{where}: repeated accepted code")
        for t in toks:
            err = check_token(system, t, sets)
            if err:
                errors.append(f"{where}: {err}")
            base = t.rstrip("*")
            if base not in source:
                errors.append(f"{where}: source does not name {t}")
        if not source.strip():
            errors.append(f"{where}: empty source")
        if SYSTEM_LABEL[system] not in source:
            errors.append(f"{where}: source lacks the official {SYSTEM_LABEL[system]} title(s)")
        m = FORBIDDEN.search(source)
        if m:
            errors.append(f"{where}: source cites a non-free terminology ({m.group(0)})")
        for url in re.findall(r"https?://\S+", source):
            if not ALLOWED_URL_HOST.match(url):
                errors.append(f"{where}: URL outside the public sources allowed: {url}")
        rows.append((system, kind))

    by_system = collections.Counter(s for s, _ in rows)
    by_kind = collections.Counter(k for _, k in rows)
    for s in SYSTEMS:
        if by_system[s] < MINIMUM[s]:
            errors.append(f"{s}: {by_system[s]} rows, at least {MINIMUM[s]} required")
    total = len(rows)
    official_share = by_kind["official"] / total if total else 0.0
    if official_share > MAX_OFFICIAL_SHARE:
        errors.append(f"kind 'official' is {official_share:.1%} of rows (at most {MAX_OFFICIAL_SHARE:.0%})")

    print(f"everyday-queries: {total} rows; validity date {args.date}; data from tables/registry, tables/releases")
    for s in SYSTEMS:
        kinds = collections.Counter(k for ss, k in rows if ss == s)
        detail = ", ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k])
        print(f"  {s:9} {by_system[s]:4} (target {TARGET[s]}, minimum {MINIMUM[s]}): {detail}")
    print("  kinds: " + ", ".join(f"{k} {by_kind[k]}" for k in KINDS)
          + f"; official {official_share:.1%}, typo {by_kind['typo'] / total if total else 0:.1%}")
    if errors:
        for e in errors:
            print("ERROR " + e)
        print(f"FAILED: {len(errors)} error(s)")
        return 1
    print("OK: every accepted code is valid and every row is sourced")
    return 0


if __name__ == "__main__":
    sys.exit(main())
