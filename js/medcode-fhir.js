// FHIR R4 terminology answers over one CodeSet, in the page: what a
// terminology server returns for CodeSystem/$validate-code, $lookup and
// ValueSet/$expand, built from the set's own validate/lookup/search answers.
// Issue types follow the HL7 terminology ecosystem (tx-issue-type); see
// docs/fhir-tx-tests.md for the upstream test cases this answers like.

/** Code system of the issue types terminology servers put in `issue.details`. */
export const TX_ISSUE_TYPE = 'http://hl7.org/fhir/tools/CodeSystem/tx-issue-type';

/** Extension naming the server message an issue corresponds to. */
const MESSAGE_ID = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id';

/** Longest string echoed back from a request. */
const ECHO = 64;

/** Most concepts one expansion page holds. */
const MAX_COUNT = 1000;

function isObject(v) {
  return v !== null && typeof v === 'object';
}

function echo(s) {
  return s.length > ECHO ? s.slice(0, ECHO) + '…' : s;
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`;
}

/**
 * One OperationOutcome issue: FHIR issue type `code`, terminology issue type
 * `tx` (or none), text, where (`location`/`expression`), the equivalent
 * ecosystem message id, and medcode's own reason as `diagnostics`.
 */
function issue(severity, code, tx, text, { where, messageId, reason } = {}) {
  const out = { severity, code };
  if (messageId) out.extension = [{ url: MESSAGE_ID, valueString: messageId }];
  out.details = tx ? { coding: [{ system: TX_ISSUE_TYPE, code: tx }], text } : { text };
  if (where) {
    out.location = [where];
    out.expression = [where];
  }
  if (reason) out.diagnostics = reason;
  return out;
}

/** An OperationOutcome: what a server answers (HTTP 4xx) to a request it cannot process. */
function outcome(...issues) {
  return { resourceType: 'OperationOutcome', issue: issues };
}

/** A request that cannot be processed: `invalid` / `invalid-data`. */
function badRequest(text, where) {
  return outcome(issue('error', 'invalid', 'invalid-data', text, { where }));
}

/**
 * A medcode validation issue as an OperationOutcome issue, by its reason:
 * unknown or malformed codes are `invalid-code`; headers, blocks, chapters
 * and codes missing their 7th character are abstract (tx `code-rule`, as the
 * ecosystem's ABSTRACT_CODE_NOT_ALLOWED); a code deleted before the date of
 * service is valid but not active (`code-rule`, STATUS_CODE_WARNING_CODE).
 */
function fromMedcode(i) {
  const { severity, reason, text } = i;
  switch (reason) {
    case 'unknown':
    case 'malformed':
    case 'placeholder-missing':
    case 'seventh-not-allowed':
    case 'not-yet-valid':
      return issue(severity, 'code-invalid', 'invalid-code', text, { where: 'code', messageId: 'Unknown_Code_in_Version', reason });
    case 'header':
    case 'grouping':
    case 'seventh-missing':
      return issue(severity, 'business-rule', 'code-rule', text, { where: 'code', messageId: 'ABSTRACT_CODE_NOT_ALLOWED', reason });
    case 'deleted':
      return issue(severity, 'business-rule', 'code-rule', text, { where: 'code', messageId: 'STATUS_CODE_WARNING_CODE', reason });
    case 'normalized':
      return issue(severity, 'business-rule', 'code-rule', text, { where: 'code', messageId: 'CODE_CASE_DIFFERENCE', reason });
    case 'date-out-of-range':
      return severity === 'error'
        ? issue(severity, 'not-found', 'not-found', text, { where: 'date', messageId: 'UNKNOWN_CODESYSTEM_VERSION', reason })
        : issue(severity, 'informational', 'code-comment', text, { where: 'date', reason });
    case 'invalid-date':
      return issue(severity, 'invalid', 'invalid-data', text, { where: 'date', reason });
    case 'internal':
      return issue(severity, 'exception', null, text, { where: 'code', reason });
    default:
      // no-title, status-on-date and anything newer: notes about the answer.
      return issue(severity, 'informational', 'code-comment', text, { where: 'code', reason });
  }
}

/** Collapses runs of whitespace and trims. */
function squash(s) {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The issue for a `display` that is not the official title, or null when it
 * is. A display differing only in whitespace or only in letter case is named
 * as such. Lenient (the default): a warning, the result stands; strict: an
 * error and the result is false (the ecosystem's lenient-display-validation).
 */
function displayIssue(given, official, code, lenient) {
  if (given === official) return null;
  const severity = lenient ? 'warning' : 'error';
  const a = squash(given);
  const b = squash(official);
  let text, id;
  if (a === b) {
    text = `Wrong whitespace in display '${echo(given)}' for ${code}: the display is '${official}'`;
    id = 'Display_Name_WS_for__should_be_one_of__instead_of';
  } else if (a.toLowerCase() === b.toLowerCase()) {
    text = `The display '${echo(given)}' for ${code} differs from '${official}' only in letter case`;
    id = 'Display_Name_for__should_be_one_of__instead_of';
  } else {
    text = `Wrong display '${echo(given)}' for ${code}: the display is '${official}'`;
    id = 'Display_Name_for__should_be_one_of__instead_of';
  }
  return issue(severity, 'invalid', 'invalid-display', text, { where: 'display', messageId: id, reason: 'display' });
}

/** A Parameters resource from `[name, value-key, value]` rows, rows with an undefined value left out. */
function parameters(rows) {
  const parameter = [];
  for (const [name, key, value] of rows) if (value !== undefined) parameter.push({ name, [key]: value });
  return { resourceType: 'Parameters', parameter };
}

/** Reads `request[name]` (a throwing getter reads as a thrown error). */
function read(request, name) {
  return request[name];
}

/** A boolean request option: undefined/null gives `fallback`; anything else but a boolean is an error. */
function flag(request, name, fallback) {
  const v = read(request, name);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new RequestError(`'${name}' must be a boolean, not ${describe(v)}`, name);
  return v;
}

/** A request that cannot be processed, raised inside and answered as an OperationOutcome. */
class RequestError extends Error {
  constructor(message, where) {
    super(message);
    this.where = where;
  }
}

/** Runs `body`, answering a RequestError or a throwing getter as an OperationOutcome. */
function guarded(body) {
  try {
    return body();
  } catch (e) {
    if (e instanceof RequestError) return badRequest(e.message, e.where);
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return outcome(issue('error', 'exception', null, `reading the request failed: ${echo(what)}`));
  }
}

/** A string request field, or undefined; anything else is an error. */
function text(request, name) {
  const v = read(request, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new RequestError(`'${name}' must be a string, not ${describe(v)}`, name);
  return v;
}

/** The release (`{name, start, version}`) a date `YYYY-MM-DD` falls in, or null. */
function releaseOn(info, day) {
  let found = null;
  for (const r of info.releases) if (r.start <= day) found = r;
  return found && { ...found, version: versionOf(found.name, info) };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The FHIR version of a release name, as validate names it (src/dated.rs
 * fhir_version): `FY2027` → `2027`, an HCPCS quarter `January 2025 quarter`
 * → `2025-01`; the set's version otherwise.
 */
function versionOf(name, info) {
  const m = /^FY(\d{4})/.exec(name);
  if (m) return m[1];
  const q = /^([A-Z][a-z]+) (\d{4}) quarter$/.exec(name);
  const month = q ? MONTHS.indexOf(q[1]) + 1 : 0;
  return month > 0 ? `${q[2]}-${String(month).padStart(2, '0')}` : info.version;
}

/** The date of service `version` stands for: the start of its newest release; null when unknown. */
function dateOfVersion(info, version) {
  if (info.releases.length === 0) return version === info.version ? undefined : null;
  let found = null;
  for (const r of info.releases) if (versionOf(r.name, info) === version) found = r;
  return found ? found.start : null;
}

/** The version answered without a date or version: the newest embedded release's (`2027`), or the set's own. */
export function defaultVersion(info) {
  return info.newest ? versionOf(info.newest.name, info) : info.version;
}

/** Every version the set can answer for, oldest first. */
export function versions(info) {
  if (info.releases.length === 0) return [info.version];
  return [...new Set(info.releases.map((r) => versionOf(r.name, info)))];
}

/** The answer when `system` is not the set's URI: not-found, as for an unknown code system. */
function unknownSystem(system, code) {
  const text = `A definition for CodeSystem '${echo(system)}' could not be found, so the code cannot be validated`;
  return parameters([
    ['code', 'valueCode', code],
    ['issues', 'resource', outcome(issue('error', 'not-found', 'not-found', text, { where: 'system', messageId: 'UNKNOWN_CODESYSTEM' }))],
    ['message', 'valueString', text],
    ['result', 'valueBoolean', false],
    ['system', 'valueUri', echo(system)],
    ['x-caused-by-unknown-system', 'valueCanonical', echo(system)],
  ]);
}

/** A random UUID (an expansion's identifier). */
function uuid() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** FHIR parameter names spelled differently in medcode's request objects. */
const PARAMETER_KEYS = Object.freeze({ 'lenient-display-validation': 'lenientDisplay' });

/** Parameters that may be given more than once (their values come as an array). */
const REPEATED = new Set(['property', 'designation', 'tx-resource', 'useSupplement', 'exclude-system', 'system-version', 'check-system-version', 'force-system-version']);

/** The value of one `Parameters.parameter`: its `value[x]`, `resource`, or its parts as an object. */
function parameterValue(p, where) {
  for (const key of Object.keys(p)) {
    if (key.startsWith('value') && key.length > 5) return p[key];
  }
  if (p.resource !== undefined) return p.resource;
  if (Array.isArray(p.part)) return fromParts(p.part, `${where}.part`);
  throw new RequestError(`${where} ('${echo(p.name)}') has no value`, where);
}

function fromParts(list, where) {
  if (!Array.isArray(list)) throw new RequestError(`${where} must be an array of parameters, not ${describe(list)}`, where);
  const out = Object.create(null);
  list.forEach((p, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(p) || typeof p.name !== 'string' || p.name === '') throw new RequestError(`${at} has no name`, at);
    const key = Object.hasOwn(PARAMETER_KEYS, p.name) ? PARAMETER_KEYS[p.name] : p.name;
    const value = parameterValue(p, at);
    if (REPEATED.has(key)) (out[key] ??= []).push(value);
    else if (key in out) throw new RequestError(`parameter '${echo(p.name)}' is given twice (${at})`, at);
    else out[key] = value;
  });
  return out;
}

/**
 * A request object from what a caller or an HTTP client sends: a plain
 * object as it is, or a FHIR `Parameters` resource read into one (`code`,
 * `system`, `coding`, `codeableConcept`, `lenient-display-validation` as
 * `lenientDisplay`, ...). Names that repeat where FHIR allows it (`property`)
 * give arrays; any other repeated name is an error.
 */
export function requestOf(input) {
  if (!isObject(input) || read(input, 'resourceType') !== 'Parameters') return input;
  const list = read(input, 'parameter');
  return list === undefined ? Object.create(null) : fromParts(list, 'Parameters.parameter');
}

/** Whether `p` is one of the parts `path.` names, e.g. `code` of `Coding.code`. */
function relocate(i, path) {
  if (!path || !i.location) return i;
  const at = `${path}.${i.location[0]}`;
  return { ...i, location: [at], expression: [at] };
}

/** The `Coding` fields as request fields: `{code, system, version, display}`. */
function codingFields(coding, where) {
  if (!isObject(coding) || Array.isArray(coding)) throw new RequestError(`'${where}' must be a Coding object {system, code, display?}, not ${describe(coding)}`, where);
  const out = {};
  for (const name of ['code', 'system', 'version', 'display']) {
    const v = read(coding, name);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new RequestError(`'${where}.${name}' must be a string, not ${describe(v)}`, `${where}.${name}`);
    out[name] = v;
  }
  return out;
}

/** The parts of a Coding echoed back in a CodeableConcept answer (strings cut to length). */
function echoCoding(c) {
  const out = {};
  for (const name of ['system', 'version', 'code', 'display']) if (typeof c[name] === 'string') out[name] = echo(c[name]);
  return out;
}

/**
 * `$validate-code` of a CodeableConcept: each coding is validated by
 * `validateCoding(fields, path)` (a Parameters answer with issues located at
 * `CodeableConcept.coding[i]`); the concept is valid when one coding is. The
 * answer names the first valid coding (or the first coding); issues of the
 * other codings become warnings when one coding is valid.
 */
export function validateCodeableConcept(request, validateCoding) {
  const cc = read(request, 'codeableConcept');
  if (!isObject(cc) || Array.isArray(cc)) throw new RequestError(`'codeableConcept' must be a CodeableConcept object {coding: [...]}, not ${describe(cc)}`, 'codeableConcept');
  const codings = read(cc, 'coding');
  if (!Array.isArray(codings) || codings.length === 0) {
    throw new RequestError('No code to validate: the CodeableConcept has no coding', 'CodeableConcept.coding');
  }
  if (codings.length > 100) throw new RequestError(`A CodeableConcept with ${codings.length} codings is too many to validate (at most 100)`, 'CodeableConcept.coding');
  const common = {};
  for (const name of ['date', 'abstract', 'lenientDisplay', 'url', 'valueSet']) {
    const v = read(request, name);
    if (v !== undefined) common[name] = v;
  }
  const answers = codings.map((c, i) => {
    const path = `CodeableConcept.coding[${i}]`;
    const fields = codingFields(c, path);
    return { fields, answer: validateCoding({ ...common, ...fields }, path) };
  });
  const valueOf = (answer, name) => answer.parameter?.find((p) => p.name === name);
  const good = answers.find(({ answer }) => valueOf(answer, 'result')?.valueBoolean === true);
  const chosen = good ?? answers[0];
  const issues = [];
  for (const a of answers) {
    if (a.answer.resourceType === 'OperationOutcome') {
      issues.push(...a.answer.issue);
      continue;
    }
    const found = valueOf(a.answer, 'issues');
    for (const i of found ? found.resource.issue : []) issues.push(good && a !== good && i.severity === 'error' ? { ...i, severity: 'warning' } : i);
  }
  const message = issues.filter((i) => i.severity !== 'information').map((i) => i.details.text).join('; ');
  const from = (name) => (chosen.answer.resourceType === 'Parameters' ? valueOf(chosen.answer, name) : undefined);
  const text = read(cc, 'text');
  const echoed = { coding: codings.map((c) => echoCoding(c)) };
  if (typeof text === 'string') echoed.text = echo(text);
  const rows = [{ name: 'codeableConcept', valueCodeableConcept: echoed }];
  for (const name of ['code', 'display', 'inactive']) if (good && from(name)) rows.push(from(name));
  if (issues.length > 0) rows.push({ name: 'issues', resource: outcome(...issues) });
  if (message !== '') rows.push({ name: 'message', valueString: message });
  if (good && from('normalized-code')) rows.push(from('normalized-code'));
  rows.push({ name: 'result', valueBoolean: Boolean(good) });
  for (const name of ['system', 'version']) if (good && from(name)) rows.push(from(name));
  return { resourceType: 'Parameters', parameter: rows };
}

/**
 * Reads an implicit value set URL of a code system: `{uri}?fhir_vs` (every
 * code) or `{uri}?fhir_vs=isa/{code}` (the code and everything under it).
 * @returns {{system: string, isa?: string} | null}
 */
export function implicitValueSet(url) {
  if (typeof url !== 'string') return null;
  const m = /^([^?|]+)\?fhir_vs(?:=isa\/([^&|]+))?(?:\|.*)?$/.exec(url);
  if (!m) return null;
  if (m[2] === undefined) return { system: m[1] };
  let isa;
  try {
    isa = decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  return { system: m[1], isa };
}

/** The value set URL a request names: `url`, or the `url` of an inline `valueSet`; undefined when none. */
export function valueSetUrlOf(request) {
  const url = read(request, 'url');
  if (typeof url === 'string') return url;
  const inline = read(request, 'valueSet');
  return isObject(inline) && typeof inline.url === 'string' ? inline.url : undefined;
}

/** The answer when a code is valid in the code system but not in the value set asked about. */
function notInValueSet(answer, url, code, why) {
  const text = `The code '${echo(code)}' is not in the value set '${echo(url)}'${why ? `: ${why}` : ''}`;
  const rows = answer.parameter.filter((p) => p.name !== 'result' && p.name !== 'message' && p.name !== 'issues');
  const old = answer.parameter.find((p) => p.name === 'issues');
  const issues = [
    issue('error', 'code-invalid', 'not-in-vs', text, { where: 'code', messageId: 'None_of_the_provided_codes_are_in_the_value_set_one' }),
    ...(old ? old.resource.issue : []),
  ];
  const message = issues.filter((i) => i.severity !== 'information').map((i) => i.details.text).join('; ');
  rows.push({ name: 'issues', resource: outcome(...issues) }, { name: 'message', valueString: message }, { name: 'result', valueBoolean: false });
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { resourceType: 'Parameters', parameter: rows };
}

/**
 * FHIR terminology operations over one code set (`set.fhir`). Every method
 * takes one request object and returns a FHIR resource, never throws: a
 * `Parameters` / `ValueSet` answer, or an `OperationOutcome` for a request
 * that cannot be processed (what a server sends with HTTP 4xx).
 */
export class FhirTerminology {
  #set;
  /** Every category and code of the set in code order, built on the first unfiltered expansion. */
  #all = null;
  /** The last expansion's concepts before paging, with the key of the request they answer. */
  #last = null;

  /** The set's info(), read once (it does not change). */
  #info = null;

  /** @param set the CodeSet answered for */
  constructor(set) {
    this.#set = set;
  }

  /** `set.info()`, read on first use. */
  #about() {
    return (this.#info ??= this.#set.info());
  }

  /** The set's FHIR system URI. */
  get system() {
    return this.#set.system;
  }

  /** Checks that `system` (when given) is the set's URI; the not-found answer otherwise. */
  #otherSystem(system, code) {
    return system !== undefined && system !== this.#set.system ? unknownSystem(system, code) : null;
  }

  /**
   * CodeSystem/$validate-code: `{code, display?, date?, system?, version?,
   * abstract?, lenientDisplay?}` → Parameters with `result`, `code` (as
   * given), `normalized-code` (when the input was read as another code),
   * `display` (the official title), `inactive`, `message`, `issues`
   * (OperationOutcome), `system`, `version`.
   */
  validateCode(request) {
    return guarded(() => this.#validateCode(requestOf(request)));
  }

  /**
   * ValueSet/$validate-code on an implicit value set of this system
   * (`url` `{uri}?fhir_vs` or `{uri}?fhir_vs=isa/{code}`): as validateCode,
   * and a code outside the value set is `not-in-vs`.
   */
  validateInValueSet(request) {
    return guarded(() => {
      request = requestOf(request);
      if (!isObject(request)) return badRequest(`$validate-code needs a request object {url, code, ...}, not ${describe(request)}`);
      const url = this.#valueSetUrl(request);
      if (typeof url !== 'string') return url;
      const vs = implicitValueSet(url);
      if (read(request, 'codeableConcept') !== undefined) {
        return validateCodeableConcept(request, (fields, path) => this.#inValueSet(vs, url, this.#validateOne(fields, path), fields.code));
      }
      return this.#inValueSet(vs, url, this.#validateCode(request), read(request, 'code') ?? read(request, 'coding')?.code);
    });
  }

  /** The value set URL of a request (`url`, or `valueSet.url`), or the OperationOutcome when it is not one this set answers. */
  #valueSetUrl(request) {
    const url = valueSetUrlOf(request);
    if (url === undefined) return badRequest('No value set: give `url` (an implicit value set such as ' + `'${this.#set.system}?fhir_vs'`, 'url');
    const vs = implicitValueSet(url);
    if (vs === null || vs.system !== this.#set.system) {
      return outcome(issue('error', 'not-found', 'not-found', `A definition for the value set '${echo(url)}' could not be found: this server knows the implicit value sets of its code systems ('${this.#set.system}?fhir_vs' and '${this.#set.system}?fhir_vs=isa/CODE')`, { where: 'url', messageId: 'Unable_to_resolve_value_Set_' }));
    }
    return url;
  }

  /** `answer` (a code system validation) narrowed to the implicit value set `vs`. */
  #inValueSet(vs, url, answer, code) {
    if (answer.resourceType !== 'Parameters') return answer;
    const result = answer.parameter.find((p) => p.name === 'result')?.valueBoolean;
    if (!result) return notInValueSet(answer, url, typeof code === 'string' ? code : '', '');
    if (vs.isa === undefined) return answer;
    const normalized = answer.parameter.find((p) => p.name === 'normalized-code')?.valueCode ?? code;
    const top = this.#set.lookup(vs.isa);
    if (top === null) return notInValueSet(answer, url, normalized, `'${echo(vs.isa)}' is not a code of ${this.#set.system}`);
    const line = this.#set.ancestors(normalized) ?? [];
    const within = this.#same(normalized, top.code) || line.some((a) => a.code === top.code);
    return within ? answer : notInValueSet(answer, url, normalized, `it is not ${top.code} or under it`);
  }

  /** Whether two spellings name the same entry. */
  #same(a, b) {
    const x = this.#set.lookup(a);
    return x !== null && x.code === b;
  }

  #validateCode(request) {
    if (!isObject(request)) return badRequest(`$validate-code needs a request object {code, display?, date?, system?, version?}, not ${describe(request)}`);
    if (read(request, 'codeableConcept') !== undefined) {
      return validateCodeableConcept(request, (fields, path) => this.#validateOne(fields, path));
    }
    const coding = read(request, 'coding');
    if (coding !== undefined) {
      const fields = codingFields(coding, 'coding');
      const rest = {};
      for (const name of ['date', 'abstract', 'lenientDisplay']) if (read(request, name) !== undefined) rest[name] = read(request, name);
      return this.#validateOne({ ...rest, ...fields }, 'Coding');
    }
    return this.#validateOne(request, '');
  }

  /** Validates one code (`request.code`), issues located under `path` (`Coding`, `CodeableConcept.coding[0]`) when given. */
  #validateOne(request, path) {
    const answer = this.#validatePlain(request);
    if (!path || answer.resourceType !== 'Parameters') return answer;
    for (const p of answer.parameter) {
      if (p.name === 'issues') p.resource = { ...p.resource, issue: p.resource.issue.map((i) => relocate(i, path)) };
    }
    return answer;
  }

  #validatePlain(request) {
    const code = read(request, 'code');
    if (typeof code !== 'string' || code.trim() === '') {
      return badRequest(`No code to validate: 'code' must be a non-empty string, not ${typeof code === 'string' ? 'an empty one' : describe(code)}`, 'code');
    }
    const display = text(request, 'display');
    const system = text(request, 'system');
    const version = text(request, 'version');
    const abstract = flag(request, 'abstract', false);
    const lenient = flag(request, 'lenientDisplay', true);
    let date = read(request, 'date');
    const shown = echo(code);
    const other = this.#otherSystem(system, shown);
    if (other) return other;
    const info = this.#about();
    const extra = [];
    if (version !== undefined) {
      const day = dateOfVersion(info, version);
      if (day === null) {
        const text = `A definition for CodeSystem '${info.uri}' version '${echo(version)}' could not be found, so the code cannot be validated. Valid versions: ${versions(info).join(', ')}`;
        return parameters([
          ['code', 'valueCode', shown],
          ['issues', 'resource', outcome(issue('error', 'not-found', 'not-found', text, { where: 'version', messageId: 'UNKNOWN_CODESYSTEM_VERSION' }))],
          ['message', 'valueString', text],
          ['result', 'valueBoolean', false],
          ['system', 'valueUri', info.uri],
          ['version', 'valueString', echo(version)],
        ]);
      }
      if (date === undefined || date === null) date = day;
    }
    const v = this.#set.validate(code, date === undefined || date === null ? undefined : { date });
    if (version !== undefined && v.version !== version && !v.issues.some((i) => i.reason === 'invalid-date')) {
      extra.push(issue('error', 'invalid', 'invalid-data', `version '${version}' was asked for, but the date of service ${v.date} falls in ${v.release || 'no release'} (version ${v.version})`, { where: 'version', reason: 'version-mismatch' }));
    }
    // With `abstract: true` a header (or block, chapter, code missing its 7th
    // character) is accepted: its issue becomes a note.
    // A code deleted as a billable code that the tabular still holds as a
    // header is an abstract concept too.
    const header = v.issues.some((i) => i.code === 'not-selectable');
    const allowed = (i) => abstract && (i.code === 'not-selectable' || (i.reason === 'deleted' && header));
    const errors = v.issues.filter((i) => i.severity === 'error');
    let result = v.result || (errors.length > 0 && errors.every(allowed));
    const issues = v.issues.map((i) => allowed(i)
      ? issue('information', 'informational', 'code-comment', `${i.text} (allowed here: abstract concepts were asked for)`, { where: 'code', reason: i.reason })
      : fromMedcode(i));
    if (display !== undefined && v.display !== undefined) {
      const d = displayIssue(display, v.display, v.code, lenient);
      if (d) {
        issues.push(d);
        if (d.severity === 'error') result = false;
      }
    } else if (display !== undefined && v.result) {
      issues.push(issue('information', 'informational', 'display-comment', `The display '${echo(display)}' for ${v.code} was not checked: no embedded source gives its title`, { where: 'display', reason: 'display-unchecked' }));
    }
    issues.push(...extra);
    if (extra.length > 0) result = false;
    // Inactive: deleted, and not kept as a header either.
    const deleted = v.issues.some((i) => i.reason === 'deleted') && !header;
    const message = issues.filter((i) => i.severity !== 'information').map((i) => i.details.text).join('; ');
    const known = v.result || v.display !== undefined;
    return parameters([
      ['code', 'valueCode', shown],
      ['display', 'valueString', v.display],
      ['inactive', 'valueBoolean', deleted ? true : undefined],
      ['issues', 'resource', issues.length > 0 ? outcome(...issues) : undefined],
      ['message', 'valueString', message === '' ? undefined : message],
      ['normalized-code', 'valueCode', known && v.code !== code ? v.code : undefined],
      ['result', 'valueBoolean', result],
      ['system', 'valueUri', v.system],
      ['version', 'valueString', v.version],
    ]);
  }

  /**
   * CodeSystem/$lookup: `{code, date?, system?}` → Parameters with `name`,
   * `version`, `display`, `code`, `system`, `abstract`, a `designation` (the
   * official title, preferred, en-US) and properties `parent`, `child` (each),
   * `notSelectable`, `status`, `inactive`, `effectiveDate`, `retirementDate`.
   * An unknown code gives an OperationOutcome (not-found).
   */
  lookup(request) {
    return guarded(() => this.#lookup(requestOf(request)));
  }

  /**
   * The `{code, system, version, date}` of a request that names one code:
   * plainly or as a `coding`; `date` follows from `version` when only that is
   * given. Returns an OperationOutcome instead when the system or version is
   * not this set's.
   */
  #oneCode(request, op) {
    if (!isObject(request)) return badRequest(`${op} needs a request object {code, date?, system?, version?}, not ${describe(request)}`);
    const coding = read(request, 'coding');
    const fields = coding === undefined ? { code: read(request, 'code'), system: text(request, 'system'), version: text(request, 'version') } : codingFields(coding, 'coding');
    const where = coding === undefined ? '' : 'Coding.';
    const { code, system, version } = fields;
    if (typeof code !== 'string' || code.trim() === '') {
      return badRequest(`No code to look up: 'code' must be a non-empty string, not ${typeof code === 'string' ? 'an empty one' : describe(code)}`, `${where}code`);
    }
    const info = this.#about();
    if (system !== undefined && system !== info.uri) {
      return outcome(issue('error', 'not-found', 'not-found', `A definition for CodeSystem '${echo(system)}' could not be found, so the code cannot be looked up`, { where: `${where}system`, messageId: 'UNKNOWN_CODESYSTEM' }));
    }
    let date = read(request, 'date');
    if (version !== undefined) {
      const day = dateOfVersion(info, version);
      if (day === null) return this.#unknownVersion(version, `${where}version`);
      if (date === undefined || date === null) date = day;
    }
    return { code, date };
  }

  /** The OperationOutcome for a version of this system that is not embedded. */
  #unknownVersion(version, where = 'version') {
    const info = this.#about();
    const text = `A definition for CodeSystem '${info.uri}' version '${echo(version)}' could not be found. Valid versions: ${versions(info).join(', ')}`;
    return outcome(issue('error', 'not-found', 'not-found', text, { where, messageId: 'UNKNOWN_CODESYSTEM_VERSION' }));
  }

  #lookup(request) {
    const asked = this.#oneCode(request, '$lookup');
    if (asked.resourceType) return asked;
    const { code, date } = asked;
    const info = this.#about();
    const wanted = read(request, 'property');
    const keep = Array.isArray(wanted) ? new Set(wanted.filter((w) => typeof w === 'string')) : typeof wanted === 'string' ? new Set([wanted]) : null;
    const options = date === undefined || date === null ? undefined : { date };
    const c = this.#set.lookup(code, options);
    if (c === null) {
      const v = this.#set.validate(code, options);
      const why = v.issues.find((i) => i.severity === 'error');
      const text = `Unknown code '${echo(code)}' in the CodeSystem '${info.uri}'${why ? `: ${why.text}` : ''}`;
      return outcome(issue('error', 'not-found', 'invalid-code', text, { where: 'code', messageId: 'Unknown_Code_in_Version', reason: why ? why.reason : 'unknown' }));
    }
    const v = this.#set.validate(c.code, options);
    const day = v.date;
    const retired = c.validTo !== undefined && day !== undefined && c.validTo < day;
    const early = c.validFrom !== undefined && day !== undefined && c.validFrom > day;
    const inactive = retired || early;
    const property = (name, key, value, description) => {
      if (keep && !keep.has(name)) return null;
      const part = [{ name: 'code', valueCode: name }, { name: 'value', [key]: value }];
      if (description !== undefined) part.push({ name: 'description', valueString: description });
      return { name: 'property', part };
    };
    const rows = [
      { name: 'abstract', valueBoolean: !c.billable },
      { name: 'code', valueCode: c.code },
    ];
    // Codes newer than the embedded tabular have no title: no display then.
    if (c.display !== '') {
      rows.push({
        name: 'designation',
        part: [
          { name: 'language', valueCode: 'en-US' },
          { name: 'use', valueCoding: { system: 'http://terminology.hl7.org/CodeSystem/hl7TermMaintInfra', code: 'preferredForLanguage', display: 'Preferred For Language' } },
          { name: 'value', valueString: c.display },
        ],
      });
      rows.push({ name: 'display', valueString: c.display });
    }
    rows.push({ name: 'name', valueString: info.name });
    if (c.parent !== null) {
      const p = this.#set.lookup(c.parent);
      rows.push(property('parent', 'valueCode', c.parent, p ? p.display : undefined));
    }
    for (const child of this.#set.children(c.code) ?? []) rows.push(property('child', 'valueCode', child.code, child.display));
    rows.push(property('notSelectable', 'valueBoolean', !c.billable));
    rows.push(property('inactive', 'valueBoolean', inactive));
    // `retired` after its last day; a code not yet in effect has no status on the date.
    if (!early) rows.push(property('status', 'valueCode', retired ? 'retired' : 'active'));
    if (c.validFrom !== undefined) rows.push(property('effectiveDate', 'valueDateTime', c.validFrom));
    if (c.validTo !== undefined) rows.push(property('retirementDate', 'valueDateTime', c.validTo));
    rows.push({ name: 'system', valueUri: info.uri });
    rows.push({ name: 'version', valueString: v.version });
    return { resourceType: 'Parameters', parameter: rows.filter((r) => r !== null) };
  }

  /**
   * CodeSystem/$subsumes: `{codeA, codeB, system?, version?, date?}` (or
   * `codingA`/`codingB`) → Parameters with `outcome`: `equivalent` (the same
   * entry, however spelt), `subsumes` (A is an ancestor of B: its block,
   * chapter, category or header), `subsumed-by`, or `not-subsumed`. An
   * unknown code gives an OperationOutcome (`invalid-code`).
   */
  subsumes(request) {
    return guarded(() => this.#subsumes(requestOf(request)));
  }

  #subsumes(request) {
    if (!isObject(request)) return badRequest(`$subsumes needs a request object {codeA, codeB, system?}, not ${describe(request)}`);
    const found = [];
    for (const side of ['A', 'B']) {
      const coding = read(request, `coding${side}`);
      const fields = coding === undefined ? { code: read(request, `code${side}`), system: text(request, 'system'), version: text(request, 'version') } : codingFields(coding, `coding${side}`);
      const asked = this.#oneCode({ code: fields.code, system: fields.system, version: fields.version, date: read(request, 'date') }, '$subsumes');
      if (asked.resourceType) {
        const i = asked.issue[0];
        return i.location?.[0] === 'code' ? badRequest(`No code${side}: 'code${side}' must be a non-empty string, not ${describe(fields.code)}`, `code${side}`) : asked;
      }
      const entry = this.#set.lookup(asked.code, asked.date === undefined || asked.date === null ? undefined : { date: asked.date });
      if (entry === null) {
        const text = `Unknown code '${echo(asked.code)}' in the CodeSystem '${this.#set.system}' (code${side})`;
        return outcome(issue('error', 'invalid', 'invalid-code', text, { where: `code${side}`, messageId: 'Unknown_Code_in_Version' }));
      }
      found.push(entry.code);
    }
    const [a, b] = found;
    let result = 'not-subsumed';
    if (a === b) result = 'equivalent';
    else if ((this.#set.ancestors(b) ?? []).some((x) => x.code === a)) result = 'subsumes';
    else if ((this.#set.ancestors(a) ?? []).some((x) => x.code === b)) result = 'subsumed-by';
    return { resourceType: 'Parameters', parameter: [{ name: 'outcome', valueCode: result }] };
  }

  /**
   * The CodeSystem resource of this set (`id` as the server names it):
   * url, version, the properties `$lookup` returns and the filters `$expand`
   * takes; `content` is `not-present` (the concepts come from the operations).
   */
  codeSystem(id) {
    const info = this.#about();
    const all = versions(info);
    const counts = info.counts ?? {};
    const resource = {
      resourceType: 'CodeSystem',
      id,
      url: info.uri,
      version: defaultVersion(info),
      name: info.name.replace(/[^A-Za-z0-9]/g, ''),
      title: info.name,
      status: 'active',
      experimental: false,
      publisher: info.publisher ?? undefined,
      description: `${info.name} as embedded in medcode: versions ${all.join(', ')} (validity by date of service); titles and hierarchy from ${info.release}${info.source?.file ? ` (${info.source.file})` : ''}`,
      caseSensitive: false,
      valueSet: `${info.uri}?fhir_vs`,
      hierarchyMeaning: 'is-a',
      compositional: false,
      versionNeeded: false,
      content: 'not-present',
      count: Number.isInteger(counts.billable) && Number.isInteger(counts.headers) ? counts.billable + counts.headers : undefined,
      filter: [
        { code: 'concept', description: 'The code and every entry under it (`{uri}?fhir_vs=isa/CODE`)', operator: ['is-a'], value: 'a code' },
        { code: 'notSelectable', description: '$expand parameter notSelectable: true keeps headers only, false billable codes only', operator: ['='], value: 'true or false' },
      ],
      property: [
        { code: 'parent', uri: 'http://hl7.org/fhir/concept-properties#parent', description: 'The entry one level up', type: 'code' },
        { code: 'child', uri: 'http://hl7.org/fhir/concept-properties#child', description: 'An entry one level down', type: 'code' },
        { code: 'notSelectable', uri: 'http://hl7.org/fhir/concept-properties#notSelectable', description: 'Not billable: a header, block, chapter or a code missing its 7th character', type: 'boolean' },
        { code: 'status', uri: 'http://hl7.org/fhir/concept-properties#status', description: 'active, or retired after its last day', type: 'code' },
        { code: 'inactive', uri: 'http://hl7.org/fhir/concept-properties#inactive', description: 'Not valid on the date of service', type: 'boolean' },
        { code: 'effectiveDate', uri: 'http://hl7.org/fhir/concept-properties#effectiveDate', description: 'First day of validity', type: 'dateTime' },
        { code: 'retirementDate', uri: 'http://hl7.org/fhir/concept-properties#retirementDate', description: 'Last day of validity', type: 'dateTime' },
      ],
    };
    return JSON.parse(JSON.stringify(resource));
  }

  /**
   * ValueSet/$expand of the whole code system (`{uri}?fhir_vs`):
   * `{filter?, count?, offset?, date?, activeOnly?, notSelectable?}` →
   * ValueSet with `expansion` (`total`, `offset`, `parameter`, `contains[]`
   * of `{system, code, display, abstract?, inactive?}`). A filter is read as
   * `find` reads it (a code or start of one gives the codes under it) or else
   * as search words (best first, at most 1,000 matches: beyond that `total`
   * is left out). Without a filter, every category and code in code order.
   * `notSelectable: false` keeps billable codes only, `true` headers only.
   */
  expand(request) {
    return guarded(() => this.#expand(requestOf(request ?? {})));
  }

  #expand(request) {
    if (!isObject(request)) return badRequest(`$expand needs a request object {filter?, count?, offset?, date?, activeOnly?}, not ${describe(request)}`);
    const filter = text(request, 'filter');
    let system = text(request, 'system');
    let isa;
    if (read(request, 'url') !== undefined || read(request, 'valueSet') !== undefined) {
      const url = this.#valueSetUrl(request);
      if (typeof url !== 'string') return url;
      const vs = implicitValueSet(url);
      system = vs.system;
      isa = vs.isa;
    }
    const pinned = text(request, 'version');
    const count = this.#integer(request, 'count', 100, MAX_COUNT);
    const offset = this.#integer(request, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const activeOnly = flag(request, 'activeOnly', false);
    const notSelectable = flag(request, 'notSelectable', undefined);
    let date = read(request, 'date');
    const info = this.#about();
    if (system !== undefined && system !== info.uri) {
      return outcome(issue('error', 'not-found', 'not-found', `A definition for CodeSystem '${echo(system)}' could not be found, so the value set cannot be expanded`, { where: 'system', messageId: 'UNKNOWN_CODESYSTEM' }));
    }
    if (pinned !== undefined) {
      const day = dateOfVersion(info, pinned);
      if (day === null) return this.#unknownVersion(pinned);
      if (date === undefined || date === null) date = day ?? date;
    }
    let top = null;
    if (isa !== undefined) {
      top = this.#set.lookup(isa);
      if (top === null) return outcome(issue('error', 'not-found', 'invalid-code', `Unknown code '${echo(isa)}' in the CodeSystem '${info.uri}': the value set '${info.uri}?fhir_vs=isa/${echo(isa)}' cannot be expanded`, { where: 'url', messageId: 'Unknown_Code_in_Version' }));
    }
    // The date of service, checked as validate checks it.
    const probe = this.#set.validate('', date === undefined || date === null ? undefined : { date });
    const bad = probe.issues.find((i) => i.reason === 'invalid-date');
    if (bad) return badRequest(bad.text, 'date');
    const dated = date !== undefined && date !== null;
    // With a validity history every row is checked on the date answered (the
    // newest release without one), as validateCode checks it.
    const day = probe.date;
    const checked = info.dates && day !== undefined;
    const release = day !== undefined ? releaseOn(info, day) : null;
    const version = release ? release.version : info.version;
    const words = filter === undefined ? '' : filter.trim();
    const key = JSON.stringify([words, checked ? day : '', activeOnly, notSelectable, top ? top.code : '']);
    if (this.#last === null || this.#last.key !== key) this.#last = { key, ...this.#concepts(words, checked ? day : undefined, activeOnly, notSelectable, top ? top.code : undefined) };
    const { contains, complete } = this.#last;
    const page = contains.slice(offset, offset + count).map((c) => {
      const out = { system: info.uri, code: c.code, display: c.display };
      if (!c.selectable) out.abstract = true;
      if (c.inactive) out.inactive = true;
      return out;
    });
    const parameter = [];
    if (filter !== undefined) parameter.push({ name: 'filter', valueString: echo(filter) });
    if (dated) parameter.push({ name: 'date', valueDateTime: day });
    parameter.push({ name: 'count', valueInteger: count }, { name: 'offset', valueInteger: offset });
    if (activeOnly) parameter.push({ name: 'activeOnly', valueBoolean: true });
    if (notSelectable !== undefined) parameter.push({ name: 'notSelectable', valueBoolean: notSelectable });
    parameter.push({ name: 'used-codesystem', valueUri: `${info.uri}|${version}` });
    const expansion = { identifier: `urn:uuid:${uuid()}`, timestamp: new Date().toISOString() };
    if (complete) expansion.total = contains.length;
    expansion.offset = offset;
    expansion.parameter = parameter;
    if (page.length > 0) expansion.contains = page;
    return {
      resourceType: 'ValueSet',
      url: top ? `${info.uri}?fhir_vs=isa/${top.code}` : `${info.uri}?fhir_vs`,
      name: `${info.name.replace(/[^A-Za-z0-9]/g, '')}${top ? 'IsA' : 'All'}`,
      title: top ? `${top.code} and everything under it in ${info.name}` : `All codes of ${info.name}`,
      status: 'active',
      compose: { include: [{ system: info.uri, version }] },
      expansion,
    };
  }

  /**
   * The concepts an expansion lists before paging: `{contains, complete}`,
   * each `{code, display, selectable, inactive}`. On `day` (when the set has
   * a history) a code not yet in effect is left out and one deleted by then
   * is inactive.
   */
  #concepts(words, day, activeOnly, notSelectable, isa) {
    let rows;
    let complete = true;
    const under = isa === undefined ? null : this.#under(isa);
    if (words === '') {
      rows = under ?? this.#everything();
    } else {
      const found = this.#set.find(words, { limit: MAX_COUNT });
      rows = found.mode === 'code' || found.mode === 'prefix' ? found.results : this.#set.search(words, { limit: MAX_COUNT });
      complete = rows.length < MAX_COUNT;
      if (under) {
        const inside = new Set(under.map((r) => r.code));
        rows = rows.filter((r) => inside.has(r.code));
      }
    }
    const contains = [];
    for (const r of rows) {
      let selectable = r.billable;
      let inactive = false;
      if (day !== undefined) {
        selectable = this.#set.isValid(r.code, { date: day });
        // `r.billable` is the newest release's status; a code not valid on
        // the day has validity dates that say why (headers have none).
        if (!selectable && r.kind !== 'block' && r.kind !== 'chapter') {
          const l = this.#set.lookup(r.code, { date: day });
          // Not yet in effect on the date: not part of that version at all.
          if (l && l.validFrom !== undefined && l.validFrom > day) continue;
          if (l && l.validTo !== undefined && l.validTo < day) inactive = true;
        }
      }
      if (inactive && activeOnly) continue;
      if (notSelectable === true && selectable) continue;
      if (notSelectable === false && !selectable) continue;
      contains.push({ code: r.code, display: r.display, selectable, inactive });
    }
    return { contains, complete };
  }

  /** A whole-number request option in 0..max; undefined/null gives `fallback`. */
  #integer(request, name, fallback, max) {
    const v = read(request, name);
    if (v === undefined || v === null) return fallback;
    if (!Number.isInteger(v) || v < 0) throw new RequestError(`'${name}' must be a whole number from 0, not ${typeof v === 'number' ? String(v) : describe(v)}`, name);
    return Math.min(v, max);
  }

  /** `code` and every entry under it, in code order (each entry before its children). */
  #under(code) {
    const top = this.#set.lookup(code);
    if (top === null) return [];
    const out = [];
    const walk = (entry) => {
      out.push(entry);
      for (const child of this.#set.children(entry.code) ?? []) walk(child);
    };
    walk(top);
    return out;
  }

  /** Every category and code in code order (prefixes split until each answer is complete). */
  #everything() {
    if (this.#all !== null) return this.#all;
    const all = [];
    const walk = (p) => {
      const rows = this.#set.prefix(p, { limit: 10000 });
      if (rows.length < 10000) {
        all.push(...rows);
        return;
      }
      // Too many under `p`: take the entry equal to `p` (if any), then each longer prefix in order.
      const exact = this.#set.prefix(p, { limit: 1 })[0];
      if (exact && exact.code.replace('.', '') === p.replace('.', '')) all.push(exact);
      for (const ch of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ') walk(p + ch);
    };
    for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') walk(ch);
    this.#all = all;
    return all;
  }
}
