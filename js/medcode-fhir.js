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

/** The FHIR version of a release name: `FY2027` → `2027`; the set's version otherwise. */
function versionOf(name, info) {
  const m = /^FY(\d{4})/.exec(name);
  return m ? m[1] : info.version;
}

/** The date of service `version` stands for: the start of its newest release; null when unknown. */
function dateOfVersion(info, version) {
  if (info.releases.length === 0) return version === info.version ? undefined : null;
  let found = null;
  for (const r of info.releases) if (versionOf(r.name, info) === version) found = r;
  return found ? found.start : null;
}

/** Every version the set can answer for, oldest first. */
function versions(info) {
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
    return guarded(() => this.#validateCode(request));
  }

  #validateCode(request) {
    if (!isObject(request)) return badRequest(`$validate-code needs a request object {code, display?, date?, system?, version?}, not ${describe(request)}`);
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
    return guarded(() => this.#lookup(request));
  }

  #lookup(request) {
    if (!isObject(request)) return badRequest(`$lookup needs a request object {code, date?, system?}, not ${describe(request)}`);
    const code = read(request, 'code');
    if (typeof code !== 'string' || code.trim() === '') {
      return badRequest(`No code to look up: 'code' must be a non-empty string, not ${typeof code === 'string' ? 'an empty one' : describe(code)}`, 'code');
    }
    const system = text(request, 'system');
    const date = read(request, 'date');
    const info = this.#about();
    if (system !== undefined && system !== info.uri) {
      return outcome(issue('error', 'not-found', 'not-found', `A definition for CodeSystem '${echo(system)}' could not be found, so the code cannot be looked up`, { where: 'system', messageId: 'UNKNOWN_CODESYSTEM' }));
    }
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
    return { resourceType: 'Parameters', parameter: rows };
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
    return guarded(() => this.#expand(request ?? {}));
  }

  #expand(request) {
    if (!isObject(request)) return badRequest(`$expand needs a request object {filter?, count?, offset?, date?, activeOnly?}, not ${describe(request)}`);
    const filter = text(request, 'filter');
    const system = text(request, 'system');
    const count = this.#integer(request, 'count', 100, MAX_COUNT);
    const offset = this.#integer(request, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const activeOnly = flag(request, 'activeOnly', false);
    const notSelectable = flag(request, 'notSelectable', undefined);
    const date = read(request, 'date');
    const info = this.#about();
    if (system !== undefined && system !== info.uri) {
      return outcome(issue('error', 'not-found', 'not-found', `A definition for CodeSystem '${echo(system)}' could not be found, so the value set cannot be expanded`, { where: 'system', messageId: 'UNKNOWN_CODESYSTEM' }));
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
    const key = JSON.stringify([words, checked ? day : '', activeOnly, notSelectable]);
    if (this.#last === null || this.#last.key !== key) this.#last = { key, ...this.#concepts(words, checked ? day : undefined, activeOnly, notSelectable) };
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
      url: `${info.uri}?fhir_vs`,
      name: `${info.name.replace(/[^A-Za-z0-9]/g, '')}All`,
      title: `All codes of ${info.name}`,
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
  #concepts(words, day, activeOnly, notSelectable) {
    let rows;
    let complete = true;
    if (words === '') {
      rows = this.#everything();
    } else {
      const found = this.#set.find(words, { limit: MAX_COUNT });
      rows = found.mode === 'code' || found.mode === 'prefix' ? found.results : this.#set.search(words, { limit: MAX_COUNT });
      complete = rows.length < MAX_COUNT;
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
