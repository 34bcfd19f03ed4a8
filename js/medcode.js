// The typed API over one code system's wasm module. The module's exports take
// strings; this wrapper turns every other JS value into false / null / a typed
// validation issue before it reaches the module, and parses the one JSON
// string each call returns.

/** Longest string handed to the module; longer input is answered here. */
const MAX_INPUT = 64;

/** Error thrown by `open()` for an unknown system or a module that cannot load. */
export class MedcodeError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'MedcodeError';
  }
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function parseOrNull(json) {
  if (json === '') return null;
  const value = JSON.parse(json);
  return value && value.error !== undefined ? null : value;
}

function usable(code) {
  return typeof code === 'string' && code.length <= MAX_INPUT;
}

/** One code system (e.g. ICD-10-CM FY2026) answered by its wasm module. */
export class CodeSet {
  #wasm;
  #info;

  /** @param wasm the initialized wasm-bindgen glue of one system */
  constructor(wasm) {
    this.#wasm = wasm;
    this.#info = Object.freeze(JSON.parse(wasm.info()));
  }

  /** System URI, release, source and counts. */
  info() {
    return JSON.parse(JSON.stringify(this.#info));
  }

  /** The FHIR system URI, e.g. `http://hl7.org/fhir/sid/icd-10-cm`. */
  get system() {
    return this.#info.uri;
  }

  /** The version of the embedded release, e.g. `2026`. */
  get version() {
    return this.#info.version;
  }

  /** Whether `code` is a billable code of the release; false for anything else. */
  isValid(code) {
    return usable(code) && this.#wasm.isValid(code);
  }

  /** `isValid` for each element of an array (or iterable), in one call to the module. */
  isValidMany(codes) {
    if (codes == null || typeof codes[Symbol.iterator] !== 'function' || typeof codes === 'string') return [];
    const list = Array.isArray(codes) ? codes : Array.from(codes);
    const parts = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      parts[i] = usable(c) && c.indexOf('\n') < 0 ? c : '';
    }
    if (parts.length === 0) return [];
    const bytes = this.#wasm.isValidJoined(parts.join('\n'));
    const out = new Array(parts.length);
    for (let i = 0; i < parts.length; i++) out[i] = bytes[i] === 1;
    return out;
  }

  /** The entry for `code` (`{code, display, kind, billable, system, parent}`) or null. */
  lookup(code) {
    return usable(code) ? parseOrNull(this.#wasm.lookup(code)) : null;
  }

  /** Direct children of `code` (blocks of a chapter, categories of a block, codes of a header), or null. */
  children(code) {
    return usable(code) ? parseOrNull(this.#wasm.children(code)) : null;
  }

  /** Ancestors of `code`, nearest first, up to its chapter; or null. */
  ancestors(code) {
    return usable(code) ? parseOrNull(this.#wasm.ancestors(code)) : null;
  }

  /** Categories and codes starting with `prefix`, in code order, at most `limit` (default 50). */
  prefix(prefix, { limit = 50 } = {}) {
    if (!usable(prefix)) return [];
    const n = Number.isFinite(limit) ? Math.max(0, Math.min(10000, Math.floor(limit))) : 50;
    return parseOrNull(this.#wasm.prefix(prefix, n)) ?? [];
  }

  /** A FHIR `$validate-code`-shaped answer: `{result, code, system, version, display?, issues}`. */
  validate(code) {
    if (usable(code)) return JSON.parse(this.#wasm.validate(code));
    const why = typeof code === 'string'
      ? `it is ${code.length} characters long; codes have at most 8`
      : `the input is ${describe(code) === 'undefined' || describe(code) === 'null' ? describe(code) : 'a ' + describe(code)}, not a string`;
    const shown = typeof code === 'string' ? JSON.stringify(code.slice(0, 24)) + '…' : `the ${describe(code)} value`;
    return {
      result: false,
      code: typeof code === 'string' ? code.slice(0, 24) : '',
      system: this.#info.uri,
      version: this.#info.version,
      issues: [{ severity: 'error', code: 'invalid-code', reason: 'malformed', text: `${shown} is not a well-formed ${this.#info.name} code: ${why}` }],
    };
  }
}

/** The systems this package can open, with the module each loads. */
export const SYSTEMS = Object.freeze(['icd10cm']);

/** Checks the system name; returns it or throws MedcodeError. */
export function checkSystem(system) {
  if (!SYSTEMS.includes(system)) {
    throw new MedcodeError(`unknown code system ${JSON.stringify(String(system))}; available: ${SYSTEMS.join(', ')}`);
  }
  return system;
}
