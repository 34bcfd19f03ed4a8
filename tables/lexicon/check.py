#!/usr/bin/env python3
"""Checks the curated search lexicon against the official code titles.

    python3 tables/lexicon/check.py            # check terms.tsv and pcs-morphology.tsv
    python3 tables/lexicon/check.py --find icd10cm congestive heart failure
                                               # show the codes whose words hold all of these
    python3 tables/lexicon/check.py --term chf # show what a term's alternatives reach

Standard library only. Prints one line per failure and exits 1 if there is any;
prints a summary and exits 0 otherwise.

Data read (read-only), all committed in this repository and stored gzipped
(read with the standard gzip module), so the check runs in a fresh clone:
- tables/icd10cm/icd10cm-tabular-2026-04.xml.gz: ICD-10-CM FY2026 April tabular;
- tables/releases/ (see its README.md): icd10cm-2027-addenda-transcribed/
  icd10cm_codes_addenda_2027.txt.gz, icd10pcs-2026-04/icd10pcs_order_2026.txt.gz,
  icd10pcs-2026-tables/icd10pcs_definitions_2026.xml.gz and
  hcpcs-2025-10/hcpcs_2025oct.tsv.gz.
Nothing outside the repository is read.

What is checked
- terms.tsv: the header; five columns; a lower-case term; systems from
  icd10cm, icd10pcs, hcpcs; kind from abbreviation, lay, procedure, supply;
  a term holding a word besides stop words; no term listed twice for one
  system (compared after tokenizing, stop words dropped, as the search reads
  queries); a source that names a public reference
  (an https URL or a CMS / NCHS / CDC / NIH publication) and no licensed one
  (SNOMED, UMLS, CPT, AMA, commercial encoders).
- Every alternative of the expansion: `=PREFIX` must be the prefix of at least
  one code of one of the row's systems; title words (tokenized like the search,
  stop words dropped) must all occur together in the words of one code (its
  title, plus for ICD-10-CM its inclusion terms) of one of the row's systems.
  Every system of the row must be reached by at least one alternative.
- The codes cited in the source (`ICD-10-CM I50 Heart failure`,
  `ICD-10-PCS 0DTJ4ZZ Resection of Appendix, ...`, `HCPCS E2601 General use ...`)
  must exist, their cited title must be the official title (or its beginning,
  for a long HCPCS description cut short), every system of the row must have a
  cited code, and the row's alternatives must reach each cited code (a matched
  code or family at or under it, or the cited code under a family).
- pcs-morphology.tsv: the header; part from suffix, root, approach; suffix
  alternatives are ICD-10-PCS root operations (definitions file, section 0 or
  1); approach alternatives are ICD-10-PCS approach values; every alternative's
  words occur together in at least one ICD-10-PCS title; root forms are unique.
  Then the compound words of COMPOUNDS below are split the way the runtime
  splits them (longest listed suffix first, the rest must be a listed root) and
  the body-part words of the root plus the operation words of the suffix must
  reach the expected PCS table.
- SPOT_CHECKS below: terms a coder would expect to land on a given family.
"""

import collections
import gzip
import os
import re
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RELEASES = os.path.join(ROOT, "tables", "releases")

CM_TABULAR = os.path.join(ROOT, "tables", "icd10cm", "icd10cm-tabular-2026-04.xml.gz")
CM_ADDENDA = os.path.join(RELEASES, "icd10cm-2027-addenda-transcribed", "icd10cm_codes_addenda_2027.txt.gz")
PCS_ORDER = os.path.join(RELEASES, "icd10pcs-2026-04", "icd10pcs_order_2026.txt.gz")
PCS_DEFS = os.path.join(RELEASES, "icd10pcs-2026-tables", "icd10pcs_definitions_2026.xml.gz")
HCPCS = os.path.join(RELEASES, "hcpcs-2025-10", "hcpcs_2025oct.tsv.gz")
HCPCS_DATE = "20251001"  # codes terminated on or before this day are not searched

TERMS = os.path.join(HERE, "terms.tsv")
MORPH = os.path.join(HERE, "pcs-morphology.tsv")

SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs")
KINDS = ("abbreviation", "lay", "procedure", "supply")
CITE_NAME = {"ICD-10-CM": "icd10cm", "ICD-10-PCS": "icd10pcs", "HCPCS": "hcpcs"}
STOP = set("and as at by for from in into of on or the to".split())
BANNED = re.compile(r"snomed|umls|\bcpt\b|\bama\b|american medical association|optum|3m |findacode|aapc|codify|encoder", re.I)
PUBLIC = re.compile(r"https://|\bCMS\b|\bNCHS\b|\bCDC\b|\bNIH\b|\bNLM\b|MedlinePlus|National Cancer Institute|NHLBI|NIDDK|NIAMS|NINDS|NIMH", re.I)
MAX_WORD = 40

# Compound procedure words: (word, expected ICD-10-PCS code prefix).
COMPOUNDS = [
    ("appendectomy", "0DTJ"), ("cholecystectomy", "0FT4"), ("hysterectomy", "0UT9"),
    ("nephrectomy", "0TT"), ("gastrectomy", "0DT6"), ("colectomy", "0DTE"),
    ("mastectomy", "0HT"), ("tonsillectomy", "0CTP"), ("adenoidectomy", "0CTQ"),
    ("splenectomy", "07TP"), ("thyroidectomy", "0GTK"), ("prostatectomy", "0VT0"),
    ("salpingectomy", "0UT"), ("oophorectomy", "0UT"), ("pneumonectomy", "0BT"),
    ("lobectomy", "0BT"), ("laminectomy", "0QB"), ("discectomy", "0SB"), ("diskectomy", "0RT"),
    ("esophagectomy", "0DT5"), ("pancreatectomy", "0FTG"), ("hepatectomy", "0FT0"),
    ("cystectomy", "0TTB"), ("laryngectomy", "0CTS"), ("orchiectomy", "0VT"),
    ("orchidectomy", "0VT"), ("vasectomy", "0VBQ"), ("parathyroidectomy", "0GTR"),
    ("adrenalectomy", "0GT"), ("ureterectomy", "0TT"), ("urethrectomy", "0TTD"),
    ("proctectomy", "0DTP"), ("sigmoidectomy", "0DTN"), ("ileectomy", "0DTB"),
    ("duodenectomy", "0DT9"), ("jejunectomy", "0DTA"), ("glossectomy", "0CT7"),
    ("uvulectomy", "0CTN"), ("vulvectomy", "0UTM"), ("cervicectomy", "0UTC"),
    ("meniscectomy", "0ST"), ("synovectomy", "0SB"), ("myomectomy", "0UB9"),
    ("tracheotomy", "0B9"), ("tracheostomy", "0B11"),
    ("colostomy", "0D1"), ("ileostomy", "0D1B"), ("gastrostomy", "0D16"),
    ("jejunostomy", "0D1A"), ("nephrostomy", "0T9"), ("cystostomy", "0T1B"),
    ("colonoscopy", "0DJD"), ("gastroscopy", "0DJ6"), ("esophagoscopy", "0DJ0"),
    ("sigmoidoscopy", "0DJD"), ("proctoscopy", "0DJD"), ("bronchoscopy", "0BJ0"),
    ("laryngoscopy", "0CJS"), ("cystoscopy", "0TJB"), ("ureteroscopy", "0TJ9"),
    ("arthroscopy", "0SJ"), ("hysteroscopy", "0UJD"), ("laparoscopy", "0WJ"),
    ("thoracoscopy", "0WJ"), ("nephroscopy", "0TJ5"), ("duodenoscopy", "0DJ0"),
    ("thoracentesis", "0W9"), ("arthrocentesis", "0S9"),
    ("pericardiocentesis", "0W9D"), ("amniocentesis", "109"),
    ("arthrodesis", "0SG"), ("nephrolithotomy", "0TC"),
    ("orchiopexy", "0VS"), ("nephropexy", "0TS"), ("gastropexy", "0DS6"),
    ("herniorrhaphy", "0YQ"), ("pyloroplasty", "0DQ7"),
    ("septoplasty", "09SM"), ("rhinoplasty", "090K"), ("arthroplasty", "0SR"),
    ("laparotomy", "0WJG"), ("thoracotomy", "0WJ8"), ("craniotomy", "0NJ0"),
    ("craniectomy", "0NB0"), ("adhesiolysis", "0DNW"), ("neurolysis", "01N"),
    ("episiotomy", "0W8N"), ("myringotomy", "099"), ("pyelolithotomy", "0TC"),
    ("cholecystostomy", "0F94"), ("fasciotomy", "0J8"), ("tenotomy", "0L8"),
    ("osteotomy", "0N8"), ("appendicectomy", "0DTJ"), ("myotomy", "0K8"),
]

# Terms and a family a coder expects among what they reach: (term, system, prefix).
SPOT_CHECKS = [
    ("chf", "icd10cm", "I50"), ("heart attack", "icd10cm", "I21"), ("gerd", "icd10cm", "K21"),
    ("uti", "icd10cm", "N390"), ("bph", "icd10cm", "N40"), ("htn", "icd10cm", "I10"),
    ("afib", "icd10cm", "I48"), ("copd", "icd10cm", "J44"), ("dm2", "icd10cm", "E11"),
    ("t2dm", "icd10cm", "E11"), ("dm1", "icd10cm", "E10"), ("ckd", "icd10cm", "N18"),
    ("esrd", "icd10cm", "N186"), ("aki", "icd10cm", "N17"), ("dvt", "icd10cm", "I82"),
    ("pe", "icd10cm", "I26"), ("cva", "icd10cm", "I63"), ("tia", "icd10cm", "G45"),
    ("stemi", "icd10cm", "I213"), ("nstemi", "icd10cm", "I214"), ("asd", "icd10cm", "Q211"),
    ("asd", "icd10cm", "F84"), ("high blood pressure", "icd10cm", "I10"),
    ("kidney stone", "icd10cm", "N20"), ("pink eye", "icd10cm", "H10"), ("shingles", "icd10cm", "B02"),
    ("strep throat", "icd10cm", "J020"), ("broken hip", "icd10cm", "S72"),
    ("appendectomy", "icd10pcs", "0DTJ"), ("lap chole", "icd10pcs", "0FT44"),
    ("c-section", "icd10pcs", "10D0"), ("cabg", "icd10pcs", "021"), ("egd", "icd10pcs", "0DJ0"),
    ("tka", "icd10pcs", "0SR"), ("turp", "icd10pcs", "0VT0"),
    ("wheelchair cushion", "hcpcs", "E2601"), ("wheelchair cushion", "hcpcs", "K0669"),
    ("cpap", "hcpcs", "E0601"), ("toradol", "hcpcs", "J1885"), ("flu shot", "hcpcs", "G0008"),
    # lab/vital lay phrases, history/status shorthand, coder defaults
    ("low potassium", "icd10cm", "E876"), ("high sodium", "icd10cm", "E870"), ("low platelets", "icd10cm", "D696"),
    ("elevated lfts", "icd10cm", "R7401"), ("elevated bp", "icd10cm", "R030"), ("blood in urine", "icd10cm", "R31"),
    ("dizzy", "icd10cm", "R42"), ("passed out", "icd10cm", "R55"), ("hx", "icd10cm", "Z9181"),
    ("fh", "icd10cm", "Z80"), ("s/p", "icd10cm", "Z95"), ("on coumadin", "icd10cm", "Z7901"),
    ("on insulin", "icd10cm", "Z794"), ("pcn allergy", "icd10cm", "Z880"), ("home o2", "icd10cm", "Z9981"),
    ("neuropathy", "icd10cm", "G629"), ("arthritis", "icd10cm", "M1990"), ("hiatal hernia", "icd10cm", "K449"),
    ("uncontrolled diabetes", "icd10cm", "E1165"), ("fx of ankle", "icd10cm", "S825"),
    ("paracentesis", "icd10pcs", "0W9G3"), ("lp", "icd10pcs", "009U3"), ("with biopsy", "icd10pcs", "0DBE8ZX"),
    ("total knee replacement", "icd10pcs", "0SRC0J"), ("prbc", "icd10pcs", "30233N1"), ("ivc filter", "icd10pcs", "06H03DZ"),
    ("ct", "icd10pcs", "BW2"), ("tlh", "icd10pcs", "0UT94"), ("cabg x2", "icd10pcs", "0211"),
    ("lasix", "hcpcs", "J1938"), ("iv", "hcpcs", "J3373"), ("duoneb", "hcpcs", "J7620"), ("dsmt", "hcpcs", "G0108"),
    ("lift chair", "hcpcs", "E0627"), ("afo", "hcpcs", "L19"),
    ("hx of cabg", "icd10cm", "Z951"), ("hx of mi", "icd10cm", "I252"), ("old mi", "icd10cm", "I252"),
    ("routine physical", "icd10cm", "Z000"), ("well child", "icd10cm", "Z0012"), ("flu shot", "icd10cm", "Z23"),
    ("medication refill", "icd10cm", "Z760"), ("cysto", "icd10pcs", "0TJB8"), ("cataract", "icd10pcs", "08DJ"),
    ("epo", "hcpcs", "J0885"), ("dialysis", "icd10pcs", "5A1D70Z"), ("chest tube", "icd10pcs", "0W9930Z"),
    ("tube thoracostomy", "icd10pcs", "0W9B30Z"), ("iv antibiotics", "icd10pcs", "3E03329"),
    ("mechanical ventilation", "icd10pcs", "5A1955Z"), ("d and c", "icd10pcs", "0UDB"), ("blood draw", "hcpcs", "S9529"),
    ("ankle brace", "hcpcs", "L1906"), ("back brace", "hcpcs", "L0625"),
]


# --------------------------------------------------------------------------- words

_FOLD = {}
for _chars, _base in [("ÀÁÂÃÄÅàáâãäå", "a"), ("Çç", "c"), ("ÈÉÊËèéêë", "e"), ("ÌÍÎÏìíîï", "i"),
                      ("Ññ", "n"), ("ÒÓÔÕÖØòóôõöø", "o"), ("ÙÚÛÜùúûü", "u"), ("Ýýÿ", "y")]:
    for _c in _chars:
        _FOLD[_c] = _base


def _fold(ch):
    if ch.isascii() and ch.isalnum():
        return ch.lower()
    return _FOLD.get(ch)


def words(text):
    """The words of text, as crates/medcode-tables/src/words.rs splits them."""
    out, word = [], []
    after_slash, last_sep = False, " "
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        f = _fold(ch)
        if f is not None:
            if not word:
                after_slash = last_sep == "/"
            if len(word) < MAX_WORD:
                word.append(f)
            i += 1
            continue
        next_is_letter = i + 1 < n and _fold(text[i + 1]) is not None
        if ch in "'\u2019" and word and next_is_letter:
            i += 1
            continue
        if (ch == "/" and len(word) == 1 and not after_slash and i + 1 < n
                and text[i + 1].isascii() and text[i + 1].isalpha()):
            j = i + 2
            one = j >= n or (_fold(text[j]) is None and text[j] != "/")
            if one and word[0].isalpha():
                i += 1
                continue
        last_sep = ch
        if word:
            out.append("".join(word))
            word = []
        i += 1
    if word:
        out.append("".join(word))
    return out


def query_words(text):
    """Words a query must match: stop words dropped."""
    return [w for w in words(text) if w not in STOP]


# --------------------------------------------------------------------------- data

class System:
    """Codes of one system: code -> title, code -> set of words, word -> codes."""

    def __init__(self, name):
        self.name = name
        self.title = {}
        self.alt_titles = collections.defaultdict(list)
        self.words = collections.defaultdict(set)
        self.postings = collections.defaultdict(set)

    def add(self, code, text, main=True):
        code = code.replace(".", "").upper()
        if main:
            self.title.setdefault(code, text)
        else:
            self.alt_titles[code].append(text)
        for w in words(text):
            self.words[code].add(w)
            self.postings[w].add(code)

    def find(self, text):
        """Codes holding every query word of text (exact words)."""
        ws = query_words(text)
        if not ws:
            return set()
        sets = sorted((self.postings.get(w, set()) for w in ws), key=len)
        out = set(sets[0])
        for s in sets[1:]:
            out &= s
        return out

    def family(self, prefix):
        prefix = prefix.replace(".", "").upper()
        return {c for c in self.title if c.startswith(prefix)}


def load_cm():
    cm = System("icd10cm")
    with gzip.open(CM_TABULAR) as f:
        root = ET.parse(f).getroot()
    for diag in root.iter("diag"):
        code = diag.findtext("name")
        cm.add(code, diag.findtext("desc") or "")
        inc = diag.find("inclusionTerm")
        if inc is not None:
            for note in inc.findall("note"):
                cm.add(code, note.text or "", main=False)
    with gzip.open(CM_ADDENDA, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("Add:"):
                cm.add(line[13:21].strip(), line[21:].strip())
    return cm


def load_pcs():
    pcs = System("icd10pcs")
    with gzip.open(PCS_ORDER, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if len(line) < 16 or line[14] != "1":
                continue
            code = line[6:13].strip()
            pcs.add(code, line[77:].strip())
    return pcs


def load_hcpcs():
    hc = System("hcpcs")
    with gzip.open(HCPCS, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            col = line.rstrip("\r\n").split("\t")
            if len(col) < 7 or col[1] != "3":
                continue
            if col[6] and col[6] <= HCPCS_DATE:
                continue
            hc.add(col[0], col[2])
            hc.add(col[0], col[3], main=False)
    return hc


def load_pcs_definitions():
    """Root operation names (sections 0 and 1) and approach names, lower case."""
    with gzip.open(PCS_DEFS) as f:
        root = ET.parse(f).getroot()
    ops, approaches = set(), set()
    for sec in root.findall("section"):
        for axis in sec.findall("axis"):
            for t in axis.findall("terms"):
                name = (t.findtext("title") or "").strip().lower()
                if axis.get("pos") == "3" and sec.get("code") in ("0", "1"):
                    ops.add(name)
                if axis.get("pos") == "5" and sec.get("code") == "0":
                    approaches.add(name)
    return ops, approaches


_SYS = {}


def system(name):
    if name not in _SYS:
        _SYS[name] = {"icd10cm": load_cm, "icd10pcs": load_pcs, "hcpcs": load_hcpcs}[name]()
    return _SYS[name]


# --------------------------------------------------------------------------- helpers

def alternatives(expansion):
    return [a.strip() for a in expansion.split(" | ")]


def reach(sysobj, alt):
    """Codes an alternative reaches in one system."""
    if alt.startswith("="):
        return sysobj.family(alt[1:])
    return sysobj.find(alt)


def read_tsv(path, header, failures):
    rows = []
    if not os.path.exists(path):
        failures.append(f"{os.path.basename(path)}: missing")
        return rows
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != "\t".join(header):
        failures.append(f"{os.path.basename(path)}:1: header must be {chr(9).join(header)!r}")
        return rows
    for n, line in enumerate(lines[1:], start=2):
        if line.strip() == "":
            failures.append(f"{os.path.basename(path)}:{n}: empty line")
            continue
        col = line.split("\t")
        if len(col) != len(header):
            failures.append(f"{os.path.basename(path)}:{n}: {len(col)} columns, want {len(header)}")
            continue
        if any(c != c.strip() for c in col):
            failures.append(f"{os.path.basename(path)}:{n}: a column has spaces around it")
        rows.append((n, dict(zip(header, col))))
    return rows


CITE = re.compile(r"\b(ICD-10-CM (?=[A-Z][0-9])|ICD-10-PCS (?=[0-9A-Z]{7} )|HCPCS (?=[A-Z][0-9]{4} ))"
                  r"([A-Z0-9][A-Z0-9.]{2,7}) ([^;]+)")


def norm_title(t):
    return " ".join(t.lower().split()).rstrip(" .,")


# --------------------------------------------------------------------------- terms.tsv

def check_terms(failures, stats):
    rows = read_tsv(TERMS, ["term", "systems", "expansion", "kind", "source"], failures)
    seen = {}
    for n, r in rows:
        where = f"terms.tsv:{n} {r['term']!r}"
        term = r["term"]
        if term != term.lower() or not query_words(term):
            failures.append(f"{where}: term must be lower case and hold a word besides stop words")
        systems = [s.strip() for s in r["systems"].split(",")]
        if not systems or any(s not in SYSTEMS for s in systems) or len(set(systems)) != len(systems):
            failures.append(f"{where}: systems {r['systems']!r} must be a comma list of {', '.join(SYSTEMS)}")
            continue
        if r["kind"] not in KINDS:
            failures.append(f"{where}: kind {r['kind']!r} must be one of {', '.join(KINDS)}")
        key_words = tuple(words(term))  # the runtime key keeps stop words (`on coumadin` is not `coumadin`)
        for s in systems:
            if (key_words, s) in seen:
                failures.append(f"{where}: already listed for {s} on line {seen[(key_words, s)]}")
            seen[(key_words, s)] = n
            stats[(s, r["kind"])] += 1
        src = r["source"]
        if BANNED.search(src):
            failures.append(f"{where}: source names a licensed or commercial reference: {src!r}")
        if not PUBLIC.search(src):
            failures.append(f"{where}: source names no public reference (URL or CMS/NCHS/CDC/NIH publication)")
        alts = alternatives(r["expansion"])
        reached = {s: set() for s in systems}
        for alt in alts:
            if alt == "":
                failures.append(f"{where}: empty alternative in {r['expansion']!r}")
                continue
            if alt.startswith("="):
                if not re.fullmatch(r"=[A-Z0-9][A-Z0-9.]*", alt):
                    failures.append(f"{where}: family {alt!r} must be =CODEPREFIX in capitals")
                    continue
            elif not query_words(alt):
                failures.append(f"{where}: alternative {alt!r} has no word besides stop words")
                continue
            hit = False
            for s in systems:
                codes = reach(system(s), alt)
                if codes:
                    hit = True
                    reached[s] |= codes
            if not hit:
                if alt.startswith("="):
                    failures.append(f"{where}: no {'/'.join(systems)} code starts with {alt[1:]!r}")
                else:
                    failures.append(f"{where}: no {'/'.join(systems)} code has all the words of {alt!r}"
                                    + _missing(systems, alt))
        for s in systems:
            if not reached[s]:
                failures.append(f"{where}: no alternative reaches a {s} code")
        cited = collections.defaultdict(list)
        for m in CITE.finditer(src):
            cited[CITE_NAME[m.group(1).strip()]].append((m.group(2), m.group(3).strip()))
        for s in systems:
            if not cited[s]:
                failures.append(f"{where}: source cites no {s} code with its title "
                                f"(e.g. 'ICD-10-CM I50 Heart failure')")
        for s, cites in cited.items():
            if s not in systems:
                failures.append(f"{where}: source cites a {s} code but systems is {r['systems']!r}")
                continue
            sysobj = system(s)
            for code, title in cites:
                c = code.replace(".", "")
                official = sysobj.title.get(c)
                if official is None:
                    failures.append(f"{where}: cited {s} code {code} does not exist")
                    continue
                options = [official] + sysobj.alt_titles.get(c, []) if s == "hcpcs" else [official]
                if not any(norm_title(o) == norm_title(title) or
                           (len(title) >= 12 and norm_title(o).startswith(norm_title(title)))
                           for o in options):
                    failures.append(f"{where}: cited title of {code} is {title!r}, official {official!r}")
                if not any(x.startswith(c) or c.startswith(x) for x in reached[s]):
                    failures.append(f"{where}: no alternative reaches the cited {s} code {code}")


def _missing(systems, alt):
    ws = query_words(alt)
    absent = [w for w in ws if all(w not in system(s).postings for s in systems)]
    return f" (words in no title: {', '.join(absent)})" if absent else " (the words never occur together)"


# --------------------------------------------------------------------------- morphology

def check_morphology(failures, stats):
    rows = read_tsv(MORPH, ["part", "form", "expansion", "source"], failures)
    ops, approaches = load_pcs_definitions()
    pcs = system("icd10pcs")
    table = {"suffix": {}, "root": {}, "approach": {}}
    for n, r in rows:
        where = f"pcs-morphology.tsv:{n} {r['part']} {r['form']!r}"
        part, form = r["part"], r["form"]
        if part not in table:
            failures.append(f"{where}: part must be suffix, root or approach")
            continue
        if form != form.lower() or not re.fullmatch(r"[a-z]+", form):
            failures.append(f"{where}: form must be lower-case letters")
        if form in table[part]:
            failures.append(f"{where}: {part} {form!r} listed twice (line {table[part][form][0]})")
        src = r["source"]
        if BANNED.search(src) or not PUBLIC.search(src):
            failures.append(f"{where}: source must be a public CMS/NIH reference, nothing licensed")
        alts = alternatives(r["expansion"])
        for alt in alts:
            # A suffix names a root operation, optionally with the approach the
            # procedure always takes (`centesis` -> `drainage percutaneous`).
            if part == "suffix" and alt not in ops and not any(
                    alt == f"{op} {ap}" for op in ops for ap in approaches):
                failures.append(f"{where}: {alt!r} is not an ICD-10-PCS root operation "
                                f"(optionally followed by an approach)")
            if part == "approach" and alt not in approaches:
                failures.append(f"{where}: {alt!r} is not an ICD-10-PCS approach")
            if not pcs.find(alt):
                failures.append(f"{where}: no ICD-10-PCS title has all the words of {alt!r}")
        table[part][form] = (n, alts)
        stats[part] += 1
    suffixes = sorted(table["suffix"], key=len, reverse=True)
    for word, prefix in COMPOUNDS:
        split = split_compound(word, suffixes, table["root"])
        if split is None:
            failures.append(f"compound {word!r}: no listed suffix leaves a listed root")
            continue
        root, suffix = split
        found = set()
        for body in table["root"][root][1]:
            for op in table["suffix"][suffix][1]:
                found |= pcs.find(body + " " + op)
        if not any(c.startswith(prefix) for c in found):
            failures.append(f"compound {word!r} = {root}+{suffix}: reaches no code under {prefix} "
                            f"({len(found)} codes, e.g. {sorted(found)[:3]})")
    stats["compounds"] = len(COMPOUNDS)


def split_compound(word, suffixes, roots):
    """The runtime's split: the longest listed suffix whose rest is a listed root."""
    for suf in suffixes:
        if word.endswith(suf) and word[: -len(suf)] in roots:
            return word[: -len(suf)], suf
    return None


# --------------------------------------------------------------------------- spot checks

def check_spots(failures):
    rows = read_tsv(TERMS, ["term", "systems", "expansion", "kind", "source"], [])
    by = collections.defaultdict(list)
    for _, r in rows:
        for s in r["systems"].split(","):
            by[(tuple(words(r["term"])), s.strip())].append(r)
    for term, s, prefix in SPOT_CHECKS:
        rs = by.get((tuple(words(term)), s))
        if not rs:
            failures.append(f"spot check {term!r} ({s}): not in terms.tsv")
            continue
        found = set()
        for r in rs:
            for alt in alternatives(r["expansion"]):
                found |= reach(system(s), alt)
        if not any(c.startswith(prefix) for c in found):
            failures.append(f"spot check {term!r} ({s}): reaches nothing under {prefix}")


# --------------------------------------------------------------------------- main

def show(s, codes, limit=25):
    sysobj = system(s)
    fam = collections.Counter(c[:3] for c in codes)
    print(f"  {s}: {len(codes)} codes; families {fam.most_common(8)}")
    for c in sorted(codes)[:limit]:
        print(f"    {c}  {sysobj.title[c]}")


def main(argv):
    if len(argv) > 2 and argv[1] == "--find":
        s, text = argv[2], " ".join(argv[3:])
        alt = text if text.startswith("=") else text
        show(s, reach(system(s), alt))
        return 0
    if len(argv) > 2 and argv[1] == "--term":
        want = tuple(query_words(" ".join(argv[2:])))
        for _, r in read_tsv(TERMS, ["term", "systems", "expansion", "kind", "source"], []):
            if tuple(query_words(r["term"])) == want:
                print(f"{r['term']} [{r['systems']}] {r['expansion']}")
                for s in r["systems"].split(","):
                    for alt in alternatives(r["expansion"]):
                        print(f" {alt}")
                        show(s.strip(), reach(system(s.strip()), alt), 8)
        return 0
    missing = [p for p in (CM_TABULAR, CM_ADDENDA, PCS_ORDER, PCS_DEFS, HCPCS) if not os.path.exists(p)]
    if missing:
        print("cannot check: missing data file(s): " + ", ".join(missing))
        print("(they are committed under tables/; is this a complete clone?)")
        return 2
    failures = []
    stats = collections.Counter()
    check_terms(failures, stats)
    check_morphology(failures, stats)
    check_spots(failures)
    for f in failures:
        print("FAIL", f)
    if failures:
        print(f"{len(failures)} failures")
        return 1
    for s in SYSTEMS:
        for k in KINDS:
            if stats[(s, k)]:
                print(f"ok terms {s} {k}: {stats[(s, k)]}")
    print(f"ok morphology: {stats['suffix']} suffixes, {stats['root']} roots, "
          f"{stats['approach']} approaches; {stats['compounds']} compound words; "
          f"{len(SPOT_CHECKS)} spot checks")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except BrokenPipeError:  # output piped into head
        sys.exit(0)
