#!/usr/bin/env python3
"""Writes the committed seed corpus (fuzz/corpus/<target>/) from small slices
of the committed tabular (tables/icd10cm/*.xml.gz) and of the tables build.rs
compiles from it. Run from the repository root: python3 fuzz/make_seeds.py"""
import gzip, hashlib, os, struct
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAB = os.path.join(ROOT, "tables/icd10cm/icd10cm-tabular-2026-04.xml.gz")
OUT = os.path.join(ROOT, "fuzz/corpus")


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def name_of(diag):
    return diag.findtext("name")


def prune(diag, keep):
    """Keeps the child diags on the way to the codes in `keep`, and all of
    their subtrees; drops the bulky inclusion and excludes notes."""
    for child in list(diag):
        if child.tag == "diag":
            n = name_of(child).replace(".", "")
            if not any(k.startswith(n) or n.startswith(k) for k in keep):
                diag.remove(child)
            else:
                prune(child, keep)
        elif child.tag in ("inclusionTerm", "excludes1", "excludes2", "includes", "codeFirst", "useAdditionalCode", "codeAlso"):
            diag.remove(child)


def slice_of(root, chapter_no, sections, keep):
    ch = next(c for c in root.iter("chapter") if c.findtext("name") == chapter_no)
    out = ET.Element("ICD10CM.tabular")
    ET.SubElement(out, "version").text = "2026"
    c = ET.SubElement(out, "chapter")
    ET.SubElement(c, "name").text = chapter_no
    ET.SubElement(c, "desc").text = ch.findtext("desc")
    for sec in ch.iter("section"):
        if sec.get("id") not in sections:
            continue
        s = ET.SubElement(c, "section", id=sec.get("id"))
        ET.SubElement(s, "desc").text = sec.findtext("desc")
        for d in sec.findall("diag"):
            if any(k.startswith(name_of(d)) for k in keep):
                prune(d, keep)
                s.append(d)
    return ET.tostring(out, encoding="unicode")


def main():
    root = ET.fromstring(gzip.decompress(open(TAB, "rb").read()))
    seeds = {
        "a00_cholera": ("1", {"A00-A09"}, ["A00", "A01"]),
        "b10_single_category_block": ("1", {"B10"}, ["B10"]),
        "c00_heading_section": ("2", {"C00-C75", "C00-C14"}, ["C00", "C01"]),
        "c4a_letter_in_category": ("2", {"C43-C44"}, ["C4A1"]),
        "s06_seventh_exceptions": ("19", {"S00-S09"}, ["S061X0", "S061X7", "S061X8"]),
        "s32_placeholder_x": ("19", {"S30-S39"}, ["S329"]),
        "s72_seventh_characters": ("19", {"S70-S79"}, ["S72001", "S72002"]),
        "t36_x_in_code": ("19", {"T36-T50"}, ["T360X1", "T360X2"]),
        "e11_diabetes": ("4", {"E08-E13"}, ["E119", "E1165", "E11610"]),
    }
    for name, (ch, secs, keep) in seeds.items():
        write("tabular", name + ".xml", slice_of(root, ch, secs, keep))
        write("lookup_oracle", name, hashlib.sha256(name.encode()).digest() * 8)
    # tables_text: 8 bytes of a packed value, then outline / sevenths text.
    write("tables_text", "outline", struct.pack("<Q", 0x2_0000_0123 << 0 | 3) + b"C\t1\tA00-A09 A15-A19\nB\tA00-A09\tA00 A01\nB\tA15-A19\tA15\n")
    write("tables_text", "sevenths", struct.pack("<Q", (5 << 33) | (2 << 28) | (1 << 3) | (77 << 4) | 7) + b"A12 D13 S14\n05 16\nA3 B4 C5 D6 E7 F8 G9 H10 J11 K12 M13 N14 P15 Q16 R17 S18\n")
    write("tables_text", "damaged", struct.pack("<Q", 0xFFFF_FFFF_FFFF_FFFF) + b"C\t\nB\tX\t\t\nZ\ta\tb\n\xc3\xa9 12 A\n")
    for i, s in enumerate([b"E11.9", b" s72.001a ", b"A00-A09", b"e11.", b"E1.19", b"\xef\xbc\xa5\xef\xbc\x91\xef\xbc\x91", b"\x0bE119\x0b", b"T36.0X1A", b"C4A.1", b"E11-", b"1", b"E" * 17]):
        write("normalize", f"seed{i:02}", s)
    for i in range(4):
        write("titles", f"seed{i}", hashlib.sha256(bytes([i])).digest() * (4 * (i + 1)))


main()
