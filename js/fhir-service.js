// FHIR R4 terminology service over several code sets: which set answers a
// request (by `system`, a coding's system, an implicit value set's URL or a
// CodeSystem id), the CapabilityStatement, TerminologyCapabilities and the
// CodeSystem resources. Transport-free: every method takes a request object
// (plain, or read from `Parameters` by requestOf) and returns
// `{status, resource}`; js/fhir-http.js puts it on HTTP.
import { requestOf, validateCodeableConcept, implicitValueSet, valueSetUrlOf, defaultVersion, versions } from './medcode-fhir.js';

/** The FHIR version spoken. */
export const FHIR_VERSION = '4.0.1';

/** Issue types answered with 404 (the rest of an OperationOutcome's errors are 400, `exception` 500). */
const NOT_FOUND = new Set(['not-found']);

/** An OperationOutcome with one error issue. */
export function failure(code, text, where) {
  const issue = { severity: 'error', code, details: { text } };
  if (where) {
    issue.location = [where];
    issue.expression = [where];
  }
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

/** The HTTP status of an answer: 200, or 400/404/500 for an OperationOutcome by its first error's type. */
export function statusOf(resource) {
  if (resource.resourceType !== 'OperationOutcome') return 200;
  const error = resource.issue.find((i) => i.severity === 'error' || i.severity === 'fatal') ?? resource.issue[0];
  if (!error) return 400;
  if (NOT_FOUND.has(error.code)) return 404;
  if (error.code === 'exception') return 500;
  return 400;
}

function answer(resource) {
  return { status: statusOf(resource), resource };
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A short, safe echo of a request value in a message. */
function shown(v) {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

/**
 * The terminology service. `sets` maps a CodeSystem id (`icd10cm`, ...) to
 * its CodeSet; `software` is `{name, version}` and `base` the server's base
 * URL, both shown in the capability statements.
 */
export class FhirService {
  #sets;
  #byUri = new Map();
  #software;
  #base;
  #started = new Date().toISOString();

  constructor(sets, { software = { name: 'medcode', version: '0' }, base = '' } = {}) {
    this.#sets = new Map(sets);
    if (this.#sets.size === 0) throw new Error('FhirService: no code set to serve');
    for (const [id, set] of this.#sets) this.#byUri.set(set.system, { id, set });
    this.#software = software;
    this.#base = base;
  }

  /** The server's base URL (set once the server knows its port). */
  set base(url) {
    this.#base = url;
  }

  /** Each embedded system: `[id, CodeSet]`. */
  get systems() {
    return [...this.#sets];
  }

  /** GET metadata: the CapabilityStatement, or with `mode=terminology` the TerminologyCapabilities. */
  metadata(mode) {
    if (mode === undefined || mode === 'full' || mode === 'normative') return answer(this.#capabilityStatement());
    if (mode === 'terminology') return answer(this.#terminologyCapabilities());
    return answer(failure('invalid', `Unknown metadata mode '${shown(mode)}': use full, normative or terminology`, 'mode'));
  }

  #capabilityStatement() {
    const op = (name, resource) => ({ name, definition: `http://hl7.org/fhir/OperationDefinition/${resource}-${name}` });
    return {
      resourceType: 'CapabilityStatement',
      id: 'medcode',
      url: `${this.#base}/metadata`,
      version: this.#software.version,
      name: 'MedcodeTerminologyServer',
      title: 'medcode FHIR terminology server',
      status: 'active',
      experimental: false,
      date: this.#started,
      publisher: 'medcode',
      description: 'FHIR R4 terminology operations on the code systems embedded in medcode (ICD-10-CM, ICD-10-PCS, HCPCS Level II), answered locally from the official releases.',
      instantiates: ['http://hl7.org/fhir/CapabilityStatement/terminology-server'],
      kind: 'instance',
      software: { name: this.#software.name, version: this.#software.version },
      implementation: { description: 'medcode serve --fhir', url: this.#base },
      fhirVersion: FHIR_VERSION,
      format: ['application/fhir+json', 'json'],
      rest: [
        {
          mode: 'server',
          resource: [
            {
              type: 'CodeSystem',
              interaction: [{ code: 'read' }, { code: 'search-type' }],
              searchParam: [
                { name: 'url', type: 'uri' },
                { name: 'version', type: 'token' },
                { name: 'name', type: 'string' },
                { name: '_id', type: 'token' },
              ],
              operation: [op('lookup', 'CodeSystem'), op('validate-code', 'CodeSystem'), op('subsumes', 'CodeSystem')],
            },
            {
              type: 'ValueSet',
              operation: [op('expand', 'ValueSet'), op('validate-code', 'ValueSet')],
            },
          ],
        },
      ],
    };
  }

  #terminologyCapabilities() {
    const codeSystem = [];
    for (const [, set] of this.#sets) {
      const info = set.info();
      const newest = defaultVersion(info);
      codeSystem.push({
        uri: info.uri,
        version: versions(info).map((code) => ({
          code,
          isDefault: code === newest,
          property: ['parent', 'child', 'notSelectable', 'status', 'inactive', 'effectiveDate', 'retirementDate'],
        })),
      });
    }
    return {
      resourceType: 'TerminologyCapabilities',
      id: 'medcode',
      url: `${this.#base}/metadata?mode=terminology`,
      version: this.#software.version,
      name: 'MedcodeTerminologyCapabilities',
      status: 'active',
      date: this.#started,
      kind: 'instance',
      software: { name: this.#software.name, version: this.#software.version },
      codeSystem,
      expansion: { hierarchical: false, paging: true, incomplete: false, textFilter: 'Words of the titles and the lexicon (abbreviations, lay terms), or a code or the start of one' },
      codeSearch: 'all',
      validateCode: { translations: false },
      translation: { needsMap: true },
      closure: { translation: false },
    };
  }

  /** GET CodeSystem/{id}. */
  readCodeSystem(id) {
    const set = this.#sets.get(id);
    if (!set) return answer(failure('not-found', `CodeSystem/${shown(id)} is not known here; known: ${[...this.#sets.keys()].join(', ')}`));
    return answer(set.fhir.codeSystem(id));
  }

  /** GET CodeSystem?url=&version=&name=&_id=: a searchset Bundle. */
  searchCodeSystem(query) {
    const entries = [];
    for (const [id, set] of this.#sets) {
      const resource = set.fhir.codeSystem(id);
      if (query.url !== undefined && query.url !== resource.url) continue;
      if (query._id !== undefined && query._id !== id) continue;
      if (query.name !== undefined && !resource.name.toLowerCase().startsWith(String(query.name).toLowerCase())) continue;
      if (query.version !== undefined && !versions(set.info()).includes(String(query.version))) continue;
      entries.push({ fullUrl: `${this.#base}/CodeSystem/${id}`, resource, search: { mode: 'match' } });
    }
    return answer({ resourceType: 'Bundle', type: 'searchset', total: entries.length, link: [{ relation: 'self', url: `${this.#base}/CodeSystem` }], entry: entries });
  }

  /**
   * Runs an operation: `resourceType` CodeSystem or ValueSet, `id` the
   * instance (CodeSystem only) or null, `name` without its `$`.
   */
  operation(resourceType, id, name, input) {
    let request;
    try {
      request = requestOf(input);
    } catch (e) {
      return answer(failure('invalid', e.message, e.where));
    }
    if (!isObject(request)) return answer(failure('invalid', 'The request must be a Parameters resource or query parameters'));
    let fixed = null;
    if (id !== null) {
      if (resourceType !== 'CodeSystem') return answer(failure('not-found', `${resourceType}/${shown(id)} is not known here: use the implicit value sets ({system}?fhir_vs) with ${resourceType}/$${name}`));
      const set = this.#sets.get(id);
      if (!set) return answer(failure('not-found', `CodeSystem/${shown(id)} is not known here; known: ${[...this.#sets.keys()].join(', ')}`));
      fixed = set;
    }
    const key = `${resourceType}/${name}`;
    switch (key) {
      case 'CodeSystem/lookup':
        return this.#bySystem(request, fixed, (set, r) => set.fhir.lookup(r));
      case 'CodeSystem/subsumes':
        return this.#bySystem(request, fixed, (set, r) => set.fhir.subsumes(r), ['codingA', 'codingB']);
      case 'CodeSystem/validate-code':
        return this.#validate(request, fixed, false);
      case 'ValueSet/validate-code':
        return this.#validate(request, null, true);
      case 'ValueSet/expand':
        return this.#expand(request);
      default:
        return answer(failure('not-supported', `$${shown(name)} is not an operation on ${resourceType} here; see metadata for the operations served`));
    }
  }

  /** The set a system URI names, or null. */
  #set(uri) {
    return this.#byUri.get(uri)?.set ?? null;
  }

  /** The system a request names: `system`, or the system of its first coding (`codings` lists where to look). */
  #systemOf(request, codings = ['coding']) {
    if (typeof request.system === 'string') return request.system;
    for (const name of codings) {
      const c = request[name];
      if (isObject(c) && typeof c.system === 'string') return c.system;
    }
    return undefined;
  }

  #unknownSystem(uri) {
    return answer(failure('not-found', `A definition for CodeSystem '${shown(uri)}' could not be found; known: ${[...this.#byUri.keys()].join(', ')}`, 'system'));
  }

  /** Runs `op` on the set the request's system names (or `fixed`, an instance). */
  #bySystem(request, fixed, op, codings) {
    if (fixed) return answer(op(fixed, request));
    const uri = this.#systemOf(request, codings);
    if (uri === undefined) return answer(failure('invalid', 'No system: give `system` (or a coding with one), or call the operation on CodeSystem/{id}', 'system'));
    const set = this.#set(uri);
    return set ? answer(op(set, request)) : this.#unknownSystem(uri);
  }

  /** $validate-code on a code system (`inValueSet` false) or an implicit value set. */
  #validate(request, fixed, inValueSet) {
    let url;
    if (inValueSet) {
      url = valueSetUrlOf(request);
      if (url === undefined) return answer(failure('invalid', 'No value set: give `url`, an implicit value set such as http://hl7.org/fhir/sid/icd-10-cm?fhir_vs', 'url'));
      const vs = implicitValueSet(url);
      const set = vs && this.#set(vs.system);
      if (!set) return answer(failure('not-found', `A definition for the value set '${shown(url)}' could not be found: this server knows the implicit value sets of ${[...this.#byUri.keys()].map((u) => `${u}?fhir_vs`).join(', ')} (and ?fhir_vs=isa/CODE)`, 'url'));
      fixed = set;
    }
    const one = (set, r) => (inValueSet ? set.fhir.validateInValueSet(r) : set.fhir.validateCode(r));
    if (request.codeableConcept !== undefined && !fixed) {
      // Each coding goes to its own system's set.
      try {
        return answer(
          validateCodeableConcept(request, (fields, path) => {
            const set = this.#set(fields.system);
            if (!set) {
              const text = fields.system === undefined ? 'A coding has no system, so it cannot be validated' : `A definition for CodeSystem '${shown(fields.system)}' could not be found, so the code cannot be validated`;
              const issue = { severity: 'error', code: fields.system === undefined ? 'invalid' : 'not-found', details: { coding: [{ system: 'http://hl7.org/fhir/tools/CodeSystem/tx-issue-type', code: fields.system === undefined ? 'invalid-data' : 'not-found' }], text }, location: [`${path}.system`], expression: [`${path}.system`] };
              return { resourceType: 'Parameters', parameter: [{ name: 'issues', resource: { resourceType: 'OperationOutcome', issue: [issue] } }, { name: 'result', valueBoolean: false }] };
            }
            return relocated(set.fhir.validateCode({ coding: fields, ...pick(request, ['date', 'abstract', 'lenientDisplay']) }), 'Coding', path);
          }),
        );
      } catch (e) {
        return answer(failure('invalid', e.message, e.where));
      }
    }
    if (fixed) return answer(one(fixed, request));
    const uri = this.#systemOf(request);
    if (uri === undefined) {
      return answer(failure('invalid', 'No system: CodeSystem/$validate-code needs `system` (or a coding with one), or call it on CodeSystem/{id}; ValueSet/$validate-code needs `url`', 'system'));
    }
    const set = this.#set(uri);
    if (set) return answer(one(set, request));
    // An unknown system is an answer (result false), as terminology servers give it.
    const [first] = this.#sets.values();
    return answer(first.fhir.validateCode(request));
  }

  /** ValueSet/$expand: an implicit value set (`url`), or `system` with a filter. */
  #expand(request) {
    const url = valueSetUrlOf(request);
    let uri = request.system;
    if (url !== undefined) {
      const vs = implicitValueSet(url);
      if (!vs || !this.#set(vs.system)) {
        return answer(failure('not-found', `A definition for the value set '${shown(url)}' could not be found: this server knows the implicit value sets of ${[...this.#byUri.keys()].map((u) => `${u}?fhir_vs`).join(', ')} (and ?fhir_vs=isa/CODE)`, 'url'));
      }
      uri = vs.system;
    }
    if (uri === undefined) return answer(failure('invalid', 'No value set: give `url`, an implicit value set such as http://hl7.org/fhir/sid/icd-10-cm?fhir_vs', 'url'));
    const set = this.#set(uri);
    return set ? answer(set.fhir.expand(request)) : this.#unknownSystem(uri);
  }
}

/** The named fields of `request` that are set. */
function pick(request, names) {
  const out = {};
  for (const n of names) if (request[n] !== undefined) out[n] = request[n];
  return out;
}

/** `answer` with issue locations under `from` moved under `to` (`Coding.code` → `CodeableConcept.coding[0].code`). */
function relocated(answer, from, to) {
  if (answer.resourceType !== 'Parameters') return answer;
  for (const p of answer.parameter) {
    if (p.name !== 'issues') continue;
    p.resource.issue = p.resource.issue.map((i) => {
      if (!i.location) return i;
      const at = i.location[0].startsWith(`${from}.`) ? `${to}${i.location[0].slice(from.length)}` : i.location[0];
      return { ...i, location: [at], expression: [at] };
    });
  }
  return answer;
}
