// What the extension says about each code-like token: the answers come from
// the medcode modules (CodeSet), never from the content script.
//
//   billable  a billable code of the release (isValidMany, one call per batch)
//   header    a code of the release that is not billable (category, header,
//             a code missing its 7th character, a block)
//   deleted   a code that was billable but ended before the date of service
//             (lookup(code, {date}) gives its last day, validTo), asked of a
//             code set whose info() says `dates: true`
//   invalid   anything else (a code not yet valid on the date included)
//
// `classify` decides which system a token is a code of (ICD-10-CM,
// ICD-10-PCS, HCPCS Level II with its modifiers) and whether it is marked at
// all: a token that is not a valid code of any chosen system on the date is
// marked as invalid only when a system knows it (valid on other days), or
// where its form says a code was meant (a dotted ICD-10-CM code, an HCPCS
// code joined to known modifiers by a hyphen); otherwise it is left alone.

/** `validate` with the date of service passed through (ignored by modules without date support). */
function validateOn(cm, code, date) {
  return date ? cm.validate(code, { date }) : cm.validate(code);
}

/** The status of one validation answer. */
export function statusOf(v) {
  if (v.result) return 'billable';
  if (v.issues.some((i) => i.reason === 'deleted')) return 'deleted';
  if (v.issues.some((i) => i.reason === 'not-yet-valid')) return 'invalid';
  if (v.display !== undefined) return 'header';
  return 'invalid';
}

/** Whether the code set answers for a date of service (`info().dates`). */
const datesSupported = (cm) => cm.info?.().dates === true;

/**
 * Statuses of `codes` (one entry each, same order): one batch call
 * (isValidMany) on the date of service, then `lookup(code, {date})` for the
 * rest: a code that ended before the date is deleted, a known code that is
 * not billable is a header, anything else is invalid. Suggestions are left to
 * the card: computing them for every invalid token would cost more than the
 * whole scan.
 */
export function statuses(cm, codes, date = '') {
  const options = date !== '' && datesSupported(cm) ? { date } : undefined;
  const valid = cm.isValidMany(codes, options);
  return codes.map((code, i) => {
    if (valid[i]) return 'billable';
    const found = cm.lookup(code, options);
    if (found === null) return 'invalid';
    if (found.validTo !== undefined && (options === undefined || found.validTo < options.date)) return 'deleted';
    if (options !== undefined && found.validFrom !== undefined && found.validFrom > options.date) return 'invalid';
    return 'header';
  });
}

/** What the hover card shows for `code`. */
export function card(cm, code, date = '') {
  const v = validateOn(cm, code, date);
  return {
    code: v.code,
    status: statusOf(v),
    display: v.display ?? '',
    issues: v.issues.filter((i) => i.severity !== 'information' || !v.result).map((i) => i.text),
    suggestions: (v.suggestions ?? []).slice(0, 5),
    system: cm.info().name,
    release: `${cm.info().name} ${cm.info().release}`,
  };
}

// ---- systems and HCPCS modifiers ------------------------------------------

/** A token's form for each system (the content script finds tokens of these forms). */
const FORMS = {
  icd10cm: /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4}|[0-9A-Z]{1,4})?$/,
  icd10pcs: /^[0-9BCDFGHX][0-9A-HJ-NP-Z]{6}$/,
  hcpcs: /^[A-V][0-9]{4}(?:[- ][A-Z0-9]{2})*$/,
};
/** The order a token's systems are tried in: the most specific form first. */
const ORDER = ['hcpcs', 'icd10pcs', 'icd10cm'];
/** One letter per system in the service worker's answer. */
export const SYSTEM_LETTER = { icd10cm: 'c', icd10pcs: 'p', hcpcs: 'h' };
/** Statuses from best to worst. */
const RANK = ['billable', 'header', 'deleted', 'invalid'];
const worst = (a, b) => (RANK.indexOf(a) >= RANK.indexOf(b) ? a : b);

/** The systems among `on` (a Set of ids) whose form `token` has, most specific first. */
export function candidates(token, on) {
  return ORDER.filter((id) => on.has(id) && FORMS[id].test(token));
}

/** An HCPCS token split into its code and its modifiers: `{code, modifiers: [{sep, code}]}`. */
export function splitHcpcs(token) {
  return { code: token.slice(0, 5), modifiers: [...token.slice(5).matchAll(/([- ])([A-Z0-9]{2})/g)].map((m) => ({ sep: m[1], code: m[2] })) };
}

/**
 * The modifiers of an HCPCS token that belong to the code, and their status
 * on `date`: a modifier after a hyphen always belongs (unknown: invalid); one
 * after a space only if it is a known modifier (`E0601 KX`), so a word after a
 * code is not taken for one. Ended before the date: deleted; not yet valid:
 * invalid. Returns `{keep, status, found: [{code, modifier | null, status}]}`.
 */
export function modifiersOf(hcpcs, modifiers, date = '') {
  const found = [];
  let status = 'billable';
  for (const { sep, code } of modifiers) {
    const modifier = hcpcs.modifier(code);
    if (!modifier && sep !== '-') break;
    let s = 'billable';
    if (!modifier) s = 'invalid';
    else if (date && modifier.validTo && modifier.validTo < date) s = 'deleted';
    else if (date && modifier.validFrom && modifier.validFrom > date) s = 'invalid';
    found.push({ code, modifier, status: s });
    status = worst(status, s);
  }
  return { keep: found.length, status, found };
}

/**
 * The answer for each token (same order): `{status, system, keep}` or null
 * when the token is not marked. `sets` maps system ids to open CodeSets (the
 * chosen systems); each system answers its tokens in one batch (statuses), and
 * a token no system knows goes on to the next system its form fits. `keep`:
 * how many HCPCS modifiers the mark covers.
 */
export function classify(sets, tokens, date = '') {
  const on = new Set(Object.keys(sets));
  const out = tokens.map(() => null);
  let pending = tokens.map((token, i) => ({ token, i, systems: candidates(token, on), fallback: null }));
  while (pending.length) {
    const next = [];
    for (const id of ORDER) {
      const group = pending.filter((p) => p.systems[0] === id);
      if (group.length === 0) continue;
      const codes = group.map((p) => (id === 'hcpcs' ? p.token.slice(0, 5) : p.token));
      statuses(sets[id], codes, date).forEach((status, k) => {
        const p = group[k];
        const answer = id === 'hcpcs' ? hcpcsAnswer(sets.hcpcs, p.token, status, date) : { status, system: id, keep: 0 };
        if (answer.status !== 'invalid') {
          out[p.i] = answer;
          return;
        }
        const fallback = p.fallback ?? (flagged(sets[id], codes[k], p.token, id, answer) ? answer : null);
        if (p.systems.length > 1) next.push({ ...p, systems: p.systems.slice(1), fallback });
        else out[p.i] = fallback && { status: 'invalid', system: fallback.system, keep: fallback.keep };
      });
    }
    pending = next;
  }
  return out;
}

/** An HCPCS token's answer: the code's status with its modifiers'. */
function hcpcsAnswer(hcpcs, token, status, date) {
  const { modifiers } = splitHcpcs(token);
  const { keep, status: mods, found } = modifiersOf(hcpcs, modifiers, date);
  // A hyphen and known modifiers after the code: a code with modifiers was meant.
  const joined = keep > 0 && modifiers[0].sep === '-' && found.every((f) => f.modifier);
  return { status: status === 'invalid' ? 'invalid' : worst(status, mods), system: 'hcpcs', keep, joined };
}

/**
 * Whether a token that is not a valid code of `system` on the date is still
 * marked (as not a code): when the system knows the code (valid on other
 * days, or only its modifiers are wrong), or where its form says a code was
 * meant: a dotted ICD-10-CM code (E11.99), an HCPCS code joined by a hyphen
 * to known modifiers (A9999-RT). Other tokens are left alone (H2O, an MRN,
 * a part number).
 */
function flagged(set, code, token, system, answer) {
  if (system === 'icd10cm' && token.includes('.')) return true;
  if (system === 'hcpcs' && answer.joined) return true;
  return set.lookup(code) !== null;
}

/**
 * What the hover card shows for a marked `code` of `system`: `card` of the
 * code, and for an HCPCS code with modifiers each modifier's title and what
 * is wrong with any of them.
 */
export function cardOf(sets, system, code, date = '') {
  if (system !== 'hcpcs') return card(sets[system], code, date);
  const hcpcs = sets.hcpcs;
  const { code: base, modifiers } = splitHcpcs(code);
  const c = card(hcpcs, base, date);
  const { status, found } = modifiersOf(hcpcs, modifiers, date);
  if (found.length === 0) return c;
  const issues = [];
  for (const f of found) {
    if (!f.modifier) issues.push(`${f.code} is not an HCPCS modifier`);
    else if (f.status === 'deleted') issues.push(`Modifier ${f.code} ended on ${f.modifier.validTo}, before ${date}`);
    else if (f.status === 'invalid') issues.push(`Modifier ${f.code} takes effect on ${f.modifier.validFrom}, after ${date}`);
  }
  return {
    ...c,
    code: `${c.code}${found.map((f, i) => `${modifiers[i].sep}${f.code}`).join('')}`,
    status: c.status === 'invalid' ? 'invalid' : worst(c.status, status),
    issues: [...issues, ...c.issues],
    modifiers: found.map((f) => ({ code: f.code, display: f.modifier ? (f.modifier.short ?? f.modifier.display) : '' })),
  };
}
