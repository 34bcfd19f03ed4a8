// The typed API over one code system's wasm module. The module's exports take
// strings (or bytes written into its buffers); this wrapper turns every other
// JS value into false / null / a typed validation issue before it reaches the
// module, and turns the one string each call returns (JSON or tab-separated
// fields) into objects.

import { FhirTerminology } from './medcode-fhir.js';
import { HIT, HIT_WIDTH, ITEM, LOOKUP, PAIR, PREFIX, PREFIX_WIDTH, fieldsOf } from './wire.js';

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

/** The module answers `""` for unknown or malformed input, JSON otherwise. */
function parseOrNull(json) {
  return json === '' ? null : JSON.parse(json);
}

/**
 * An answer of `dataInfo`, `releases`, `notes`, `nextCharacters` or
 * `modifier`: a JSON string (`""`: null), or, from a module built with the
 * boundary crate's `serde` feature (the serde-wasm-bindgen trial, README
 * "Architecture"), the objects themselves (null: unknown).
 */
function fromWire(value) {
  return typeof value === 'string' ? parseOrNull(value) : value ?? null;
}

/** `options[name]` when `options` is an object, else undefined (null, numbers, strings...). */
function option(options, name) {
  return options !== null && typeof options === 'object' ? options[name] : undefined;
}

/**
 * The date of service in `options.date` as a number `yyyymmdd`: 0 when none
 * is given (the newest release answers), -1 when it is not a real day.
 * Strings `YYYY-MM-DD` (or `YYYYMMDD`) are read as written; a `Date` by its
 * local calendar day.
 */
function serviceDate(options) {
  const d = option(options, 'date');
  if (d === undefined || d === null) return 0;
  // Only date-sized strings are kept (a huge string is refused, not held).
  if (typeof d !== 'string' || d.length > 12) return readDate(d);
  // The same date strings come back call after call (one date, or the dates
  // of service of a claim file): each is read once.
  let value = readDates.get(d);
  if (value === undefined) {
    value = readDate(d);
    if (readDates.size >= 4096) readDates.clear();
    readDates.set(d, value);
  }
  return value;
}

/** Date strings read by `serviceDate`, with their values (at most 4,096). */
const readDates = new Map();

function readDate(d) {
  let y, m, day;
  if (d instanceof Date) {
    if (!Number.isFinite(d.getTime())) return -1;
    [y, m, day] = [d.getFullYear(), d.getMonth() + 1, d.getDate()];
  } else if (typeof d === 'string' && d.length <= 12) {
    const parts = /^\s*(\d{4})-?(\d{2})-?(\d{2})\s*$/.exec(d);
    if (parts === null) return -1;
    [y, m, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  } else {
    return -1;
  }
  const real = y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && day >= 1 && day <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  return real ? y * 10000 + m * 100 + day : -1;
}

/** A JS value named in a message: a string quoted (cut at 24 characters), else `the number value`. */
function describeValue(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 24 ? v.slice(0, 24) + '…' : v);
  return `the ${describe(v)} value`;
}

function describeDate(d) {
  return d instanceof Date ? 'an invalid Date' : describeValue(d);
}

function usable(code) {
  return typeof code === 'string' && code.length <= MAX_INPUT;
}

/** `claimFacts`' note finding types by number (`note_checks::encode`). */
const NOTE_CHECK_TYPES = Object.freeze(['excludes1', 'code-first-order', 'etiology-missing', 'use-additional-code']);

/** `claimFacts`' word for "this module has no notes". */
const NO_NOTES = 0xffffffff;

/** A note behind a `claimFacts` finding: where it is written, and its text, read from the module when first asked. */
class NoteRef {
  #words;
  #text;

  constructor(words, from, text) {
    this.#words = words;
    /** Where the note is written: a code (`E11`), a block (`E08-E13`) or a chapter (`4`). */
    this.from = from;
    this.#text = text;
  }

  /** The note as the tabular writes it. */
  get text() {
    return this.#words.text(this.#text);
  }

  toJSON() {
    return { from: this.from, text: this.text };
  }
}

/** The shared answer for a code without MCE edits (frozen). */
const NO_EDITS = Object.freeze([]);

/** Most codes one list call takes. */
const MAX_LIST = 1000;

/** `codes` joined by commas for a list call, or null unless an array of at most MAX_LIST short strings without commas. */
function joinCodes(codes) {
  if (!Array.isArray(codes) || codes.length > MAX_LIST) return null;
  for (const c of codes) if (!usable(c) || c.includes(',')) return null;
  return codes.join(',');
}

/** A result count from any JS value: a finite number clamped to 0..1000, else 20. */
function clampLimit(limit) {
  return Number.isFinite(limit) ? Math.max(0, Math.min(1000, Math.floor(limit))) : 20;
}

/** Decodes rows the module writes into its output buffer (UTF-8). */
const ROW_DECODER = new TextDecoder();

/** Longest input written straight into the module's input buffer. */
const FAST_INPUT = 16;

/**
 * Writes the short ASCII strings of `list` into `view`, each followed by a
 * line break (the separator), and the index of every other string that may
 * be a code into `slow`; returns the bytes written. Kept apart from
 * `isValidMany` so the engine optimizes this loop on its own.
 */
function writeBatch(list, view, slow) {
  let p = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (typeof c === 'string') {
      const len = c.length;
      if (len <= FAST_INPUT) {
        // Written first, kept only if every character is ASCII and none
        // is a line break.
        let seen = 0;
        for (let j = 0; j < len; j++) {
          const ch = c.charCodeAt(j);
          seen |= ch === 10 ? 0x80 : ch;
          view[p + j] = ch;
        }
        if (seen < 0x80) p += len;
        else slow.push(i);
      } else if (len <= MAX_INPUT) {
        slow.push(i);
      }
    }
    view[p++] = 10;
  }
  return p;
}

/** One code system (e.g. ICD-10-CM FY2026) answered by its wasm module. */
export class CodeSet {
  #wasm;
  #info;
  #memory;
  #input;
  #view;
  #restarts = 0;
  #fhir = null;

  /** @param wasm the initialized wasm-bindgen glue of one system */
  constructor(wasm) {
    this.#wasm = wasm;
    this.#attach();
    const releases = fromWire(wasm.releases());
    this.#info = Object.freeze({ ...JSON.parse(wasm.info()), dates: releases.length > 0, releases, newest: releases.at(-1) ?? null });
  }

  /** Takes the module's memory and input buffer (again after a restart). */
  #attach() {
    this.#memory = this.#wasm.moduleMemory();
    this.#input = this.#wasm.inputBuffer();
    this.#view = new Uint8Array(this.#memory.buffer, this.#input, 64);
  }

  /**
   * Called when a module call threw. A trap (`WebAssembly.RuntimeError`)
   * means a bug in the module, not bad input: its memory can no longer be
   * trusted, so the module is instantiated afresh from the compiled code and
   * the call answers as for unknown input. Anything else is rethrown.
   */
  /** What is cleared when the module is re-instantiated. */
  #forgetOnRestart = () => {};

  #recover(error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    this.#restarts++;
    this.#forgetOnRestart();
    this.#wasm.__wbg_reset_state();
    this.#attach();
  }

  /** How many times the module trapped and was re-instantiated (0 unless there is a bug). */
  get restarts() {
    return this.#restarts;
  }

  /**
   * Writes a short input (at most `FAST_INPUT` characters) into the module's
   * input buffer, so it crosses with no string allocated; true if every
   * character is ASCII (else the caller takes the string path).
   */
  #writeInput(code) {
    const view = this.#inputView();
    let seen = 0;
    for (let i = 0; i < code.length; i++) {
      const c = code.charCodeAt(i);
      seen |= c;
      view[i] = c;
    }
    return seen < 128;
  }

  /** The input buffer, re-viewed when the module's memory has grown. */
  #inputView() {
    if (this.#view.byteLength === 0) this.#view = new Uint8Array(this.#memory.buffer, this.#input, 64);
    return this.#view;
  }

  /** System URI, release, source and counts. */
  info() {
    return JSON.parse(JSON.stringify(this.#info));
  }

  /**
   * Every embedded table: `{table, source, rows, bytes, sha256}`, the same
   * rows as the package's `tables/fingerprint.csv`.
   */
  dataInfo() {
    try {
      return fromWire(this.#wasm.dataInfo());
    } catch (e) {
      this.#recover(e);
      return fromWire(this.#wasm.dataInfo());
    }
  }

  /** The FHIR system URI, e.g. `http://hl7.org/fhir/sid/icd-10-cm`. */
  get system() {
    return this.#info.uri;
  }

  /** FHIR terminology operations ($validate-code, $lookup, $expand) over this set: see medcode-fhir.js. */
  get fhir() {
    return (this.#fhir ??= new FhirTerminology(this));
  }

  /** The version of the embedded release, e.g. `2026`. */
  get version() {
    return this.#info.version;
  }

  /** Whether `code` is a billable code of the release; false for anything else. */
  isValid(code, options) {
    if (options !== undefined) return this.#isValidOn(code, serviceDate(options));
    if (typeof code !== 'string') return false;
    const n = code.length;
    try {
      if (n > FAST_INPUT) return n <= MAX_INPUT && this.#wasm.isValid(code);
      return this.#writeInput(code) ? this.#wasm.isValidInput(n) : this.#wasm.isValid(code);
    } catch (e) {
      this.#recover(e);
      return false;
    }
  }

  /**
   * The module's bulk checker, which `medcode check` and the page's file
   * check use (`checkBytes` in js/medcode-check.js): lines of CSV/TSV bytes
   * in, each line with five result fields per code column out. `columns`
   * and `dateColumn` are 0-based (`dateColumn` -1: none); `date` is the
   * date for rows without one (`yyyymmdd`, 0: the newest release).
   * `run(bytes, last)` answers whole lines and stops before one it leaves
   * to the caller: `{out, consumed, lines, stopped}`.
   */
  bulkChecker({ delimiter, columns, dateColumn = -1, date = 0 } = {}) {
    const index = (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31;
    if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || '"\r\n'.includes(delimiter)) {
      throw new MedcodeError(`bulkChecker: the delimiter ${describeValue(delimiter)} is not one ASCII character other than a quote or a line break`);
    }
    if (!Array.isArray(columns) || columns.length === 0 || !columns.every(index)) throw new MedcodeError('bulkChecker: columns must be a non-empty array of 0-based column numbers');
    if (dateColumn !== -1 && !index(dateColumn)) throw new MedcodeError('bulkChecker: dateColumn must be a 0-based column number or -1');
    if (date !== 0 && (!Number.isInteger(date) || date < 10000101 || date > 99991231)) throw new MedcodeError('bulkChecker: date must be yyyymmdd or 0');
    const bulk = new this.#wasm.BulkCheck(delimiter.charCodeAt(0), Uint32Array.from(columns), dateColumn, date);
    const guarded = (f) => {
      try {
        return f();
      } catch (e) {
        this.#recover(e);
        throw new MedcodeError(`the ${this.#info.name} module stopped during a bulk check and was restarted; this is a bug in medcode, please report it`, { cause: e });
      }
    };
    return {
      run: (bytes, last) => {
        if (!(bytes instanceof Uint8Array)) throw new MedcodeError(`bulkChecker: run takes a Uint8Array, not ${describeValue(bytes)}`);
        return guarded(() => {
          const out = bulk.run(bytes, last);
          return { out, consumed: bulk.consumed, lines: bulk.lines, stopped: bulk.stopped };
        });
      },
      summary: () => guarded(() => JSON.parse(bulk.summary())),
      free: () => bulk.free(),
    };
  }

  /** `isValid` for each element of an array (or iterable), in one call to the module. */
  isValidMany(codes, options) {
    if (codes == null || typeof codes[Symbol.iterator] !== 'function' || typeof codes === 'string') return [];
    const list = Array.isArray(codes) ? codes : Array.from(codes);
    const date = serviceDate(options);
    if (date !== 0) return list.map((c) => this.#isValidOn(c, date));
    const n = list.length;
    if (n === 0) return [];
    // Short ASCII strings are written into the module's batch buffer, one a
    // line; anything else is answered on its own afterwards.
    const size = n * (FAST_INPUT + 1);
    let at;
    try {
      at = this.#wasm.batchBuffer(size);
    } catch (e) {
      this.#recover(e);
      return list.map(() => false);
    }
    const slow = [];
    const p = writeBatch(list, new Uint8Array(this.#memory.buffer, at, size), slow);
    let answered;
    try {
      // The last separator is not part of the batch.
      answered = this.#wasm.isValidBatch(p - 1);
    } catch (e) {
      this.#recover(e);
      return list.map(() => false);
    }
    // The answers are written over the buffer's start, one byte a code (a
    // new view: the call may have grown the module's memory).
    const answers = new Uint8Array(this.#memory.buffer, at, Math.min(answered, n));
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = answers[i] === 1;
    for (const i of slow) out[i] = this.isValid(list[i]);
    return out;
  }

  /** The entry for `code` (`{code, display, kind, billable, system, parent}`) or null. */
  lookup(code, options) {
    const date = serviceDate(options);
    if (!usable(code) || date < 0) return null;
    const row = this.#lookupRow(code, date);
    if (row === '') return null;
    const f = fieldsOf(row);
    const out = {
      code: f[LOOKUP.code], display: f[LOOKUP.display], kind: f[LOOKUP.kind], billable: f[LOOKUP.billable] === '1',
      system: this.#info.uri, parent: f[LOOKUP.parent] === '' ? null : f[LOOKUP.parent],
    };
    if (f[LOOKUP.validFrom]) out.validFrom = f[LOOKUP.validFrom];
    if (f[LOOKUP.validTo]) out.validTo = f[LOOKUP.validTo];
    if (f[LOOKUP.short]) out.short = f[LOOKUP.short];
    return out;
  }

  /**
   * The module's `LOOKUP_ROW` for `code` ('' when unknown or malformed).
   * Short ASCII input goes through the input buffer and the row comes back
   * in the output buffer: no string is allocated in the module for either.
   */
  #lookupRow(code, date) {
    const n = code.length;
    if (n > FAST_INPUT) return this.#call('lookupRow', code, '', date);
    try {
      if (!this.#writeInput(code)) return this.#wasm.lookupRow(code, date);
      const len = this.#wasm.lookupInput(n, date);
      if (len === 0) return '';
      return ROW_DECODER.decode(new Uint8Array(this.#memory.buffer, this.#wasm.outputAt(), len));
    } catch (e) {
      this.#recover(e);
      return '';
    }
  }

  /** `isValid` on a date of service (`yyyymmdd`; 0: the newest release; < 0: not a date). */
  #isValidOn(code, date) {
    if (date === 0) return this.isValid(code);
    if (date < 0 || !usable(code)) return false;
    const n = code.length;
    try {
      if (n > FAST_INPUT) return this.#wasm.isValidOn(code, date);
      return this.#writeInput(code) ? this.#wasm.isValidInputOn(n, date) : this.#wasm.isValidOn(code, date);
    } catch (e) {
      this.#recover(e);
      return false;
    }
  }

  /**
   * The instructional notes of `code` (includes, inclusion terms, excludes1/2,
   * code first, use additional code, code also, notes, 7th characters):
   * `[{kind, text, from, char?, refs}]`, the code's own first, then those it
   * inherits from each level above it up to its chapter (`from` says where
   * each is written); `{inherited: false}` keeps the code's own. `refs` are
   * the codes the text names (`{text, code, through?, block?, incomplete?}`).
   * null for anything that is not a code of the release (or a system without notes).
   */
  notes(code, options) {
    if (!usable(code) || typeof this.#wasm.notes !== 'function') return null;
    return fromWire(this.#call('notes', code, '', option(options, 'inherited') !== false));
  }

  /** Direct children of `code` (blocks of a chapter, categories of a block, codes of a header), or null. */
  children(code) {
    return usable(code) ? parseOrNull(this.#call('children', code, '')) : null;
  }

  /** Ancestors of `code`, nearest first, up to its chapter; or null. */
  ancestors(code) {
    return usable(code) ? parseOrNull(this.#call('ancestors', code, '')) : null;
  }

  /** Categories and codes starting with `prefix`, in code order, at most `limit` (default 50). */
  prefix(prefix, options) {
    if (!usable(prefix)) return [];
    const limit = option(options, 'limit');
    const n = Number.isFinite(limit) ? Math.max(0, Math.min(10000, Math.floor(limit))) : 50;
    const rows = this.#call('prefixRows', prefix, '', n);
    if (rows === '') return [];
    // One string across the boundary: prefix rows (js/wire.js), one after another.
    const f = rows.split('\t');
    const system = this.#info.uri;
    const out = new Array(Math.floor(f.length / PREFIX_WIDTH));
    for (let i = 0, j = 0; j < out.length; i += PREFIX_WIDTH, j++) {
      out[j] = { code: f[i + PREFIX.code], display: f[i + PREFIX.display], kind: f[i + PREFIX.kind], billable: f[i + PREFIX.billable] === '1', system };
    }
    return out;
  }

  /**
   * Searches titles and inclusion terms: every word as a prefix, in any
   * order, abbreviations of the official short titles understood, typos
   * tolerated; at most `limit` (default 20, at most 1,000) results, best first.
   */
  search(text, options) {
    if (typeof text !== 'string') return [];
    return this.#rows(this.#call('searchRows', text.slice(0, 256), '', clampLimit(option(options, 'limit'))), 0);
  }

  /**
   * One search box: a code gives the code then the codes under it, the start
   * of a code the codes that start with it, a mistyped code the codes one edit
   * away, words a search. `{mode, results}`.
   */
  find(input, options) {
    if (typeof input !== 'string') return { mode: 'words', results: [] };
    const rows = this.#call('findRows', input.slice(0, 256), 'words', clampLimit(option(options, 'limit')));
    const tab = rows.indexOf('\t');
    const mode = tab < 0 ? rows : rows.slice(0, tab);
    return { mode, results: tab < 0 ? [] : this.#rows(rows, tab + 1) };
  }

  /**
   * Gets search ready: lists the codes with their ranks now (10-30 ms; each
   * module ships its word index), so the first `find` or `search` answers
   * at once. Call it when the page is idle; true if the system has titles to
   * search.
   */
  prepareSearch() {
    return this.#call('prepareSearch', undefined, false) === true;
  }

  /** Parses the hit rows the module writes (js/wire.js) from `start`. */
  #rows(rows, start) {
    if (rows.length <= start) return [];
    const f = (start === 0 ? rows : rows.slice(start)).split('\t');
    const system = this.#info.uri;
    const list = (field) => (field === '' ? [] : field.split(ITEM));
    const out = new Array(Math.floor(f.length / HIT_WIDTH));
    for (let i = 0, j = 0; j < out.length; i += HIT_WIDTH, j++) {
      out[j] = {
        code: f[i + HIT.code], display: f[i + HIT.display], kind: f[i + HIT.kind], billable: f[i + HIT.billable] === '1', system,
        matched: list(f[i + HIT.matched]), inclusion: f[i + HIT.inclusion] === '1',
        expanded: list(f[i + HIT.expanded]).map((p) => {
          const [from, to] = p.split(PAIR);
          return { from, to };
        }),
        unmatched: list(f[i + HIT.unmatched]),
      };
    }
    return out;
  }

  /** A FHIR `$validate-code`-shaped answer: `{result, code, system, version, display?, issues}`. */
  validate(code, options) {
    const date = serviceDate(options);
    if (date < 0) {
      const shown = describeDate(option(options, 'date'));
      return this.#failure(code, 'invalid-date', `${shown} is not a date of service: give a Date or a string YYYY-MM-DD`);
    }
    if (usable(code)) {
      const json = this.#call('validate', code, '', date);
      if (json !== '') return JSON.parse(json);
      return this.#failure(code, 'internal', `the ${this.#info.name} module stopped on ${JSON.stringify(code)} and was restarted; this is a bug in medcode, please report it`);
    }
    const why = typeof code === 'string'
      ? `it is ${code.length} characters long; codes have at most 8`
      : `the input is ${describe(code) === 'undefined' || describe(code) === 'null' ? describe(code) : 'a ' + describe(code)}, not a string`;
    const shown = typeof code === 'string' ? JSON.stringify(code.slice(0, 24)) + '…' : `the ${describe(code)} value`;
    return this.#failure(code, 'malformed', `${shown} is not a well-formed ${this.#info.name} code: ${why}`);
  }

  /**
   * ICD-10-PCS code builder: the characters that may follow `prefix` (0–6
   * characters) in a code valid on `options.date` (default: the newest
   * release), each `{ch, position, axis, label, definition, codes, code}`
   * (`code` is the finished code at position 7). `null` for bad input or
   * a system without PCS tables.
   */
  nextCharacters(prefix, options) {
    if (typeof prefix !== 'string' || prefix.length > MAX_INPUT) return null;
    const date = serviceDate(options);
    if (date < 0) return null;
    return fromWire(this.#call('nextCharacters', prefix, '', date));
  }

  /**
   * Medicare Code Editor edit attributes of `code` on `options.date`
   * (default: the newest release), e.g. `['adult', 'male']` (ICD-10-CM and
   * ICD-10-PCS; see README "Checking a claim"). `[]` for none, bad input or
   * another system.
   */
  mceEdits(code, options) {
    if (!usable(code) || typeof this.#wasm.mceEdits !== 'function') return [];
    const date = serviceDate(options);
    if (date < 0) return [];
    const list = this.#call('mceEdits', code, '', date);
    return list === '' ? [] : list.split(',');
  }

  /**
   * What a claim check needs of `codes` (principal first; an array of
   * strings, at most 1,000) on `options.date`, in one call to the module:
   * `{edits, notes}`. `edits`: the `mceEdits` of each code, in order.
   * `notes` (ICD-10-CM opened with `{notes: true}`; else null): the
   * instructional-note findings between the codes,
   * `[{type, i, j?, principal?, manifestation?, notes: [{from, text}]}]`,
   * `type` one of `excludes1`, `code-first-order`, `etiology-missing`,
   * `use-additional-code`, `i` and `j` indexes into `codes`. null when
   * `codes` is not such an array or the date is not a date.
   */
  claimFacts(codes, options) {
    const joined = joinCodes(codes);
    if (joined === null || typeof this.#wasm.claimFacts !== 'function') return null;
    const date = serviceDate(options);
    if (date < 0) return null;
    const w = this.#call('claimFacts', joined, null, date);
    if (w === null || w.length < 2) return null;
    const n = Math.min(w[0], codes.length);
    const edits = new Array(n);
    for (let k = 0; k < n; k++) edits[k] = this.#editNames(w[1 + 2 * k], w[2 + 2 * k]);
    let at = 1 + 2 * w[0];
    if (w[at] === NO_NOTES) return { edits, notes: null };
    const notes = new Array(w[at++]);
    for (let f = 0; f < notes.length; f++) {
      const type = NOTE_CHECK_TYPES[w[at]];
      const check = { type, i: w[at + 1] };
      if (type === 'excludes1') check.j = w[at + 2];
      else if (type === 'code-first-order') check.principal = w[at + 3] === 1;
      else if (type === 'etiology-missing') check.manifestation = w[at + 3] === 1;
      const list = new Array(w[at + 4]);
      at += 5;
      // Place ids belong to this instance of the module: read them now (text ids are the table's).
      for (let q = 0; q < list.length; q++, at += 2) list[q] = new NoteRef(this.#noteWords, this.#noteWords.from(w[at]), w[at + 1]);
      check.notes = list;
      notes[f] = check;
    }
    return { edits, notes };
  }

  /** MCE attribute names by bit, read once; and the frozen name lists per bit set. */
  #mceNames = null;
  #editLists = new Map();

  #editNames(lo, hi) {
    if (lo === 0 && hi === 0) return NO_EDITS;
    const key = hi * 4294967296 + lo;
    let names = this.#editLists.get(key);
    if (names === undefined) {
      this.#mceNames ??= this.#call('mceNames', undefined, '').split(',');
      const list = [];
      for (let b = 0; b < this.#mceNames.length && b < 64; b++) if ((b < 32 ? lo >>> b : hi >>> (b - 32)) & 1) list.push(this.#mceNames[b]);
      names = Object.freeze(list);
      this.#editLists.set(key, names);
    }
    return names;
  }

  /** Note texts and places by id, each read from the module once (places again after a restart: their ids are per instance). */
  #noteWords = (() => {
    const texts = new Map();
    const froms = new Map();
    this.#forgetOnRestart = () => froms.clear();
    const read = (cache, name, id) => {
      let v = cache.get(id);
      if (v === undefined) {
        v = this.#call(name, id, '');
        if (v !== '') cache.set(id, v);
      }
      return v;
    };
    return { text: (id) => read(texts, 'noteText', id), from: (id) => read(froms, 'noteFrom', id) };
  })();

  /** ICD-10-PCS: each character of `code` with its axis name and label, `[{position, axis, label}]`. */
  axisLabels(code) {
    if (!usable(code)) return [];
    return JSON.parse(this.#call('axisLabels', code, '[]'));
  }

  /**
   * An HCPCS modifier (`LT`, `RT`, `59`, `GA`…): `{code, display, short,
   * validFrom, validTo}`, or null when unknown (or not the HCPCS module).
   */
  modifier(code) {
    if (!usable(code)) return null;
    return fromWire(this.#call('modifier', code, ''));
  }

  /**
   * Whether the date of service (`{date}`, default today's local calendar
   * day) is past the last day the embedded releases cover
   * (`info().coverage.to`): `null` when it is not (or the set has no known
   * period), else `{date, to, release, text}` where `text` says so for a
   * page, a component or an extension to show. Answers for such a date come
   * with the warning `beyond-coverage`.
   */
  coverageOn(options) {
    const coverage = this.#info.coverage;
    if (!coverage) return null;
    const given = serviceDate(options);
    if (given === -1) return null;
    const day = given === 0 ? readDate(new Date()) : given;
    const to = Number(coverage.to.replaceAll('-', ''));
    if (day <= to) return null;
    const iso = `${String(day).slice(0, 4)}-${String(day).slice(4, 6)}-${String(day).slice(6)}`;
    const release = this.#info.newest?.name ?? this.#info.release;
    return {
      date: iso,
      to: coverage.to,
      release,
      text: `${iso} is after ${coverage.to}, the last day the newest embedded ${this.#info.name} release (${release}) covers: codes added or ended after ${coverage.to} are not known.`,
    };
  }

  /** True for CPT without a licensed table: only the format of codes is checked. */
  get formatOnly() {
    return this.#call('formatOnly', undefined, false);
  }

  /** A failed validation answered here, without the module. */
  #failure(code, reason, text) {
    return {
      result: false,
      code: typeof code === 'string' ? code.slice(0, 24) : '',
      system: this.#info.uri,
      version: this.#info.version,
      issues: [{ severity: 'error', code: reason === 'internal' ? 'exception' : 'invalid-code', reason, text }],
      suggestions: [],
    };
  }

  /** Calls export `name`; after a trap, restarts the module and answers `fallback`. */
  #call(name, arg, fallback, extra) {
    try {
      return this.#wasm[name](arg, extra);
    } catch (e) {
      this.#recover(e);
      return fallback;
    }
  }
}

/** The systems this package can open. */
export const SYSTEMS = Object.freeze(['icd10cm', 'icd10pcs', 'hcpcs', 'cpt']);

/** Other ways users name each system: its FHIR system URI and common names. */
const URIS = Object.freeze({
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10cm',
  'http://www.cms.gov/Medicare/Coding/ICD10': 'icd10pcs',
  'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets': 'hcpcs',
  'http://www.ama-assn.org/go/cpt': 'cpt',
  'HCPCS Level II': 'hcpcs',
  'HCPCS Level 2': 'hcpcs',
});

/**
 * The system id for `name`: an id (`icd10cm`), the name in any case and
 * punctuation (`ICD-10-CM`), or the FHIR system URI; null for anything else.
 */
export function systemId(name) {
  if (typeof name !== 'string' || name.length > 100) return null;
  if (Object.hasOwn(URIS, name)) return URIS[name];
  const id = name.toLowerCase().replace(/[\s._-]/g, '');
  return SYSTEMS.includes(id) ? id : null;
}

function describeName(name) {
  if (typeof name === 'string') return JSON.stringify(name.length > 40 ? name.slice(0, 40) + '…' : name);
  return `(${describe(name)})`;
}

/**
 * Makes `open(system, options)` over per-system loaders (each resolving to
 * the initialized wasm-bindgen glue of one module). Each system loads once; a
 * failed load is forgotten so the next call tries again.
 */
export function opener(loaders) {
  if (typeof loaders === 'function') {
    const load = loaders;
    loaders = Object.fromEntries(SYSTEMS.map((id) => [id, (options) => load(id, options)]));
  }
  const opened = new Map();
  return async function open(name, options) {
    const system = systemId(name);
    if (system === null || !Object.hasOwn(loaders, system)) {
      throw new MedcodeError(`unknown code system ${describeName(name)}; available: ${SYSTEMS.join(', ')} (or their names and FHIR system URIs)`);
    }
    options = options !== null && typeof options === 'object' ? options : {};
    // ICD-10-CM with its instructional notes is a module of its own.
    const module = system === 'icd10cm' && options.notes === true ? 'icd10cm-notes' : system;
    if (!opened.has(module)) {
      const loading = loaders[system]({ ...options, module }).then(
        (glue) => new CodeSet(glue),
        (e) => {
          opened.delete(module);
          throw new MedcodeError(`cannot load the ${module} module: ${e.message}`, { cause: e });
        },
      );
      opened.set(module, loading);
    }
    return opened.get(module);
  };
}
