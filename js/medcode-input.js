// <medcode-input system="icd10cm">: a code picker for plain HTML forms.
//
// A WAI-ARIA 1.2 combobox (an <input role="combobox"> with a listbox popup,
// aria-activedescendant, arrow keys, Home/End, Enter, Escape) that searches
// codes and words as you type (CodeSet.find), highlights the matched words,
// shows header codes without letting them be chosen (Enter, click or → on a
// header lists its billable codes right under it), shows what the search
// lexicon read a term as (`chf → congestive heart failure | I50`) and which
// words no code matches, and is form-associated: the chosen code is the form
// value, `required` works, and a typed text that is not a billable code is an
// invalid state with the reason in words (words typed are never called a
// malformed code: they are asked to be chosen from the list).
//
// Everything is rendered with text nodes (no HTML parsing of data), styled in
// a shadow root through CSS custom properties and ::part(), light and dark.
// With the `worker` attribute the wasm runs in a Web Worker.
//
//   import 'medcode/input';           // defines <medcode-input>
//   <form><medcode-input name="dx" required></medcode-input></form>
import { open } from './browser.js';
import { run } from './medcode-ops.js';

/** Results shown when no `limit` attribute is given. */
const DEFAULT_LIMIT = 20;

const CSS = `
:host {
  --_bg: var(--medcode-bg, #ffffff);
  --_fg: var(--medcode-fg, #1b1f24);
  --_muted: var(--medcode-muted, #5b6470);
  --_border: var(--medcode-border, #c5ccd6);
  --_accent: var(--medcode-accent, #1d5c8f);
  --_active: var(--medcode-active-bg, #e4eef7);
  --_mark: var(--medcode-mark-bg, #fff1b8);
  --_mark-fg: var(--medcode-mark-fg, inherit);
  --_invalid: var(--medcode-invalid, #a8261d);
  --_ok: var(--medcode-billable, #17663a);
  --_header: var(--medcode-header, #8a5300);
  --_focus: var(--medcode-focus, #2f7ed8);
  --_radius: var(--medcode-radius, 8px);
  --_font: var(--medcode-font, inherit);
  --_code-font: var(--medcode-code-font, ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace);
  --_max-height: var(--medcode-popup-max-height, 22rem);
  display: inline-block;
  position: relative;
  width: 24rem;
  max-width: 100%;
  color: var(--_fg);
  font: var(--_font);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :host {
    --_bg: var(--medcode-bg, #181c22);
    --_fg: var(--medcode-fg, #e6e9ee);
    --_muted: var(--medcode-muted, #9aa4b1);
    --_border: var(--medcode-border, #3a424e);
    --_accent: var(--medcode-accent, #7db7ea);
    --_active: var(--medcode-active-bg, #1b2b3b);
    --_mark: var(--medcode-mark-bg, #5a4a12);
    --_invalid: var(--medcode-invalid, #f29a92);
    --_ok: var(--medcode-billable, #7fd69f);
    --_header: var(--medcode-header, #f0c067);
    --_focus: var(--medcode-focus, #7db7ea);
  }
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[part~='input'] {
  width: 100%;
  padding: 0.55em 0.7em;
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  background: var(--_bg);
  color: var(--_fg);
  font: inherit;
  font-family: var(--_code-font);
}
[part~='input']:focus { outline: 3px solid var(--_focus); outline-offset: 0; border-color: transparent; }
[part~='input'][aria-invalid='true'] { border-color: var(--_invalid); box-shadow: inset 3px 0 0 var(--_invalid); }
[part~='input']:disabled { opacity: 0.6; }
[part~='listbox'] {
  position: absolute;
  z-index: 10;
  left: 0;
  right: 0;
  margin: 4px 0 0;
  padding: 4px 0;
  max-height: var(--_max-height);
  overflow-y: auto;
  list-style: none;
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  background: var(--_bg);
  box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
}
[part~='listbox'][hidden] { display: none; }
[part~='option'] {
  display: grid;
  grid-template-columns: minmax(5.5em, auto) 1fr auto;
  gap: 0.6em;
  align-items: baseline;
  padding: 0.35em 0.7em;
  cursor: pointer;
  line-height: 1.35;
}
[part~='option'][data-depth='1'] { padding-left: 1.8em; }
[part~='option'][data-depth='2'] { padding-left: 2.9em; }
[part~='option'][aria-disabled='true'] { cursor: default; color: var(--_muted); }
[part~='option'].active { background: var(--_active); box-shadow: inset 3px 0 0 var(--_accent); }
[part~='code'] { font-family: var(--_code-font); font-weight: 650; color: var(--_accent); }
[part~='option'][aria-disabled='true'] [part~='code'] { color: var(--_muted); }
[part~='match'] { background: var(--_mark); color: var(--_mark-fg); border-radius: 2px; padding: 0 1px; }
[part~='tag'] { font-size: 0.75em; white-space: nowrap; color: var(--_ok); }
[part~='tag'].header { color: var(--_header); }
[part~='empty'] { padding: 0.35em 0.7em; color: var(--_muted); }
[part~='expansion'], [part~='unmatched'] { grid-column: 2 / -1; margin-top: -0.2em; font-size: 0.8em; color: var(--_muted); }
[part~='note'] { padding: 0.35em 0.7em; font-size: 0.85em; color: var(--_muted); border-bottom: 1px solid var(--_border); margin-bottom: 2px; }
[part~='message'] { margin: 0.3em 0 0; font-size: 0.85em; color: var(--_muted); }
[part~='message'].invalid { color: var(--_invalid); }
[part~='message'][hidden] { display: none; }
[part~='chips'] { list-style: none; margin: 0 0 0.3em; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3em; }
[part~='chips'][hidden] { display: none; }
[part~='chip'] { display: inline-flex; align-items: center; gap: 0.3em; border: 1px solid var(--_border); border-radius: 999px; padding: 0.05em 0.2em 0.05em 0.6em; font-size: 0.9em; }
[part~='chip'] [part~='code'] { font-weight: 600; }
[part~='chip-remove'] { border: 0; background: none; color: inherit; font: inherit; cursor: pointer; padding: 0 0.3em; border-radius: 999px; }
[part~='coverage'] { display: block; margin-top: 0.2em; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/** Creates an element with attributes; children are nodes or strings (text nodes). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

/** Ranges [start, end) of `text` covered by the words in `matched` (as written in `text`). */
export function matchRanges(text, matched) {
  const ranges = [];
  const isWord = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  for (const word of new Set(matched)) {
    if (!word) continue;
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
      if (!isWord(text[at - 1]) && !isWord(text[at + word.length])) ranges.push([at, at + word.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  return merged;
}

/** `display` as text nodes with `<mark part="match">` around the matched words. */
function highlighted(display, matched) {
  const out = [];
  let at = 0;
  for (const [s, e] of matchRanges(display, matched)) {
    if (s > at) out.push(document.createTextNode(display.slice(at, s)));
    out.push(h('mark', { part: 'match' }, display.slice(s, e)));
    at = e;
  }
  if (at < display.length) out.push(document.createTextNode(display.slice(at)));
  return out;
}

/**
 * Whether `text` is typed like a code of `system` rather than words (as the
 * module's `find` decides): for ICD-10-CM a letter, a digit (or the O/I
 * look-alikes of 0/1), then letters, digits and dots, 2–10 characters with a
 * digit; for the systems without dots one token of 1–16 letters and digits
 * with a digit.
 */
export function looksLikeCode(text, system = 'icd10cm') {
  const t = String(text ?? '').trim();
  if (String(system).startsWith('icd10cm')) return /^[A-Za-z][0-9OoIl][A-Za-z0-9.]{0,8}$/.test(t) && /[0-9]/.test(t);
  return /^[A-Za-z0-9]{1,16}$/.test(t) && /[0-9]/.test(t);
}

/** Markup-like characters: text holding them is checked as a code (and quoted back as text), not searched. */
const NOT_WORDS = /[<>={}[\]\\|^~`]/;
/** An ICD-10-CM block, e.g. `A00-A09`, `e08-e13`. */
const BLOCK = /^[A-Za-z][0-9][0-9A-Za-z](?:\.[0-9A-Za-z]+)?\s*-\s*[A-Za-z][0-9][0-9A-Za-z](?:\.[0-9A-Za-z]+)?$/;

/**
 * Whether `text` is words to search (`chf`, `heart attack`, `laparoscopic
 * appendectomy`) rather than a code to validate in any of `systems`: it holds
 * a letter, is not code-shaped in any of them (see `looksLikeCode`), is not
 * an ICD-10-CM block and holds no markup-like character. Words never get a
 * "malformed code" answer.
 */
export function isWords(text, systems = ['icd10cm']) {
  const t = String(text ?? '').trim();
  if (t === '' || NOT_WORDS.test(t) || !/\p{L}/u.test(t) || BLOCK.test(t)) return false;
  return ![].concat(systems).some((s) => looksLikeCode(t, s));
}

/** `from → to` for each lexicon expansion of a result, e.g. `chf → congestive heart failure | I50`. */
export function expansionText(expanded) {
  return (expanded ?? []).map((x) => `${x.from} → ${x.to}`).join('; ');
}

/**
 * The query words no result uses, when the results are partial matches (some
 * carry `unmatched`): the words every partial result leaves out, else those
 * of the best one. Empty when a code matches every word.
 */
export function unusedWords(results) {
  const partial = (results ?? []).filter((r) => r.unmatched?.length > 0);
  if (partial.length === 0) return [];
  const common = partial[0].unmatched.filter((w) => partial.every((r) => r.unmatched.includes(w)));
  return [...new Set(common.length > 0 ? common : partial[0].unmatched)];
}

/** The words `result` leaves out, when they are not just the `unused` ones the list's note names ('' otherwise). */
export function unmatchedText(result, unused = []) {
  const words = result.unmatched ?? [];
  if (words.length === 0 || (words.length === unused.length && words.every((w) => unused.includes(w)))) return '';
  return `not matched: ${words.join(', ')}`;
}

/** Runs `job` when the main thread is idle (soon, where there is no idle callback). */
export function whenIdle(job) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(job, { timeout: 2000 });
  else setTimeout(job, 0);
}

/** Answers requests in the page: the code sets are opened on first use. */
class LocalBackend {
  #sets = new Map();
  async open(systems, wasmUrl) {
    for (const id of systems) {
      if (this.#sets.has(id)) continue;
      const set = await open(id, wasmUrl ? { wasmUrl } : undefined);
      this.#sets.set(id, set);
      whenIdle(() => set.prepareSearch());
    }
  }
  async request(op, args) {
    return run(this.#sets, op, args);
  }
  close() {}
}

/** Answers requests in a module Web Worker (js/medcode-worker.js). */
class WorkerBackend {
  #worker;
  #next = 1;
  #pending = new Map();
  constructor() {
    this.#worker = new Worker(new URL('./medcode-worker.js', import.meta.url), { type: 'module', name: 'medcode-input' });
    this.#worker.addEventListener('message', (e) => {
      const p = this.#pending.get(e.data?.id);
      if (!p) return;
      this.#pending.delete(e.data.id);
      if (e.data.ok) p.resolve(e.data.value);
      else p.reject(new Error(e.data.error));
    });
    this.#worker.addEventListener('error', (e) => {
      for (const p of this.#pending.values()) p.reject(new Error(e.message || 'the medcode worker failed'));
      this.#pending.clear();
    });
  }
  #post(message) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }
  open(systems, wasmUrl) {
    return this.#post({ op: 'open', systems, wasmUrl: wasmUrl ? String(wasmUrl) : undefined });
  }
  request(op, args) {
    return this.#post({ op, args });
  }
  close() {
    this.#worker.terminate();
  }
}

let instances = 0;

/**
 * `<medcode-input>`: a search box for codes, form-associated. The tags below
 * are read by the Custom Elements Manifest analyzer (custom-elements.json).
 *
 * @tag medcode-input
 * @attr {string} system - Space-separated systems searched in order: icd10cm (default), icd10pcs, hcpcs, cpt.
 * @attr {string} name - The form field name.
 * @attr {string} value - A code, chosen if it is billable.
 * @attr {boolean} required - A code must be chosen.
 * @attr {boolean} disabled - The box is disabled.
 * @attr {string} placeholder - Shown in the empty box.
 * @attr {string} label - The accessible name (default: the text of its labels).
 * @attr {number} limit - Results listed (default 20, at most 1,000).
 * @attr {boolean} billable-only - List billable codes only.
 * @attr {string} date - Date of service, YYYY-MM-DD: a typed code is taken only if billable then.
 * @attr {string} within - Keep to ranges (E08-E13), chapters (19) or starts of codes (E11, 0DT).
 * @attr {boolean} multiple - Several codes, shown as chips and submitted as repeated form values.
 * @attr {boolean} worker - Run the wasm module in a Web Worker.
 * @attr {string} wasm-url - Where to fetch the wasm module from.
 * @fires medcode-ready - The code sets are loaded; detail {systems, worker}.
 * @fires medcode-select - A code was chosen; detail: its entry.
 * @fires medcode-change - The value changed; detail {value, entry} (multiple: {value, values, entries}).
 * @fires change - After each medcode-change, for plain form code.
 * @csspart input - The text box.
 * @csspart listbox - The list of results.
 * @csspart message - The line under the box (title of the choice, or why the text is not a code).
 * @csspart chips - With multiple: the list of codes chosen.
 * @csspart chip - One code chosen.
 * @csspart chip-remove - Its remove button.
 * @cssprop --medcode-bg - Background.
 * @cssprop --medcode-fg - Text colour.
 * @cssprop --medcode-accent - Accent colour.
 */
export class MedcodeInput extends HTMLElement {
  static formAssociated = true;
  static observedAttributes = ['system', 'disabled', 'placeholder', 'label', 'required', 'value', 'worker'];

  #internals = this.attachInternals();
  #root;
  #input;
  #listbox;
  #message;
  #live;
  #uid = `m${++instances}`;
  #backend = null;
  #ready = null;
  /** Options shown: `{entry, depth, selectable, id, el, expanded}`. */
  #options = [];
  #active = -1;
  #entry = null;
  /** With `multiple`: the entries chosen, in order. */
  #chosen = [];
  #chips;
  #invalid = '';
  #seq = 0;
  #oid = 0;
  #queued = null;
  #busy = false;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open', delegatesFocus: true });
    this.#root.adoptedStyleSheets = [styles()];
    const lb = `${this.#uid}-listbox`;
    this.#input = h('input', {
      part: 'input',
      type: 'text',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': lb,
      'aria-describedby': `${this.#uid}-message`,
      autocomplete: 'off',
      autocapitalize: 'off',
      spellcheck: 'false',
      maxlength: '256',
    });
    this.#listbox = h('ul', { part: 'listbox', role: 'listbox', id: lb, hidden: true });
    this.#message = h('p', { part: 'message', id: `${this.#uid}-message`, hidden: true });
    this.#live = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    this.#chips = h('ul', { part: 'chips', 'aria-label': 'Codes chosen', hidden: true });
    this.#root.append(this.#chips, this.#input, this.#listbox, this.#message, this.#live);
    this.#chips.addEventListener('click', (e) => {
      const button = e.target.closest?.('[part~="chip-remove"]');
      if (button) this.#unchoose(button.dataset.key);
    });

    this.#input.addEventListener('input', () => this.#onInput());
    this.#input.addEventListener('keydown', (e) => this.#onKey(e));
    this.#input.addEventListener('blur', () => this.#onBlur());
    // Keep the focus in the input while the mouse picks from the list.
    this.#listbox.addEventListener('mousedown', (e) => e.preventDefault());
    this.#listbox.addEventListener('click', (e) => {
      const li = e.target.closest?.('[role="option"]');
      const i = this.#options.findIndex((o) => o.el === li);
      if (i >= 0) this.#choose(i);
    });
    this.#listbox.addEventListener('mousemove', (e) => {
      const li = e.target.closest?.('[role="option"]');
      const i = this.#options.findIndex((o) => o.el === li);
      if (i >= 0 && i !== this.#active) this.#setActive(i, { scroll: false });
    });
  }

  connectedCallback() {
    // Like a native input, an empty box submits an empty value.
    if (!this.#entry) this.#internals.setFormValue('');
    this.#syncAttributes();
    this.#updateValidity();
    if (this.hasAttribute('value') && !this.#entry) this.#applyValueAttribute();
  }

  disconnectedCallback() {
    this.#backend?.close();
    this.#backend = null;
    this.#ready = null;
  }

  attributeChangedCallback(name) {
    if (name === 'system' || name === 'worker') {
      this.#backend?.close();
      this.#backend = null;
      this.#ready = null;
    }
    if (name === 'value' && this.isConnected) this.#applyValueAttribute();
    this.#syncAttributes();
    this.#updateValidity();
  }

  // ---- public API ------------------------------------------------------

  /** The ids of the systems searched, in order. */
  get systems() {
    const list = (this.getAttribute('system') ?? 'icd10cm').split(/[\s,]+/).filter(Boolean);
    return list.length ? [...new Set(list.map((s) => s.toLowerCase()))] : ['icd10cm'];
  }

  /** The chosen code (the form value), or '' when none is chosen; with `multiple`, the first chosen. */
  get value() {
    if (this.#multiple) return this.#chosen[0]?.code ?? '';
    return this.#entry ? this.#entry.code : '';
  }

  /** The chosen codes: with `multiple` every one in order, else the value alone (or none). */
  get values() {
    if (this.#multiple) return this.#chosen.map((e) => e.code);
    return this.#entry ? [this.#entry.code] : [];
  }

  get #multiple() {
    return this.hasAttribute('multiple');
  }

  /** Chooses `code` if it is a billable code of the systems (async; see `ready`). */
  set value(code) {
    this.setAttribute('value', code == null ? '' : String(code));
  }

  /** The chosen entry `{code, display, kind, billable, system, ...}`, or null. */
  get entry() {
    return this.#entry ? { ...this.#entry } : null;
  }

  /** What is typed in the box. Setting it does not open the list. */
  get text() {
    return this.#input.value;
  }

  set text(value) {
    this.#input.value = value == null ? '' : String(value);
    this.#close();
  }

  /** The reason the typed text is not a code ('' when it is valid or empty). */
  get invalidText() {
    return this.#invalid;
  }

  /** Resolves once the code sets are loaded (in the page or the worker). */
  get ready() {
    return this.#load();
  }

  get name() {
    return this.getAttribute('name') ?? '';
  }

  /** Reflects to the `name` attribute, as a native control's (frameworks such as React 19 set it as a property). */
  set name(value) {
    this.setAttribute('name', value == null ? '' : String(value));
  }

  get form() {
    return this.#internals.form;
  }

  get type() {
    return 'medcode-input';
  }

  get validity() {
    return this.#internals.validity;
  }

  get validationMessage() {
    return this.#internals.validationMessage;
  }

  get willValidate() {
    return this.#internals.willValidate;
  }

  get labels() {
    return this.#internals.labels;
  }

  checkValidity() {
    return this.#internals.checkValidity();
  }

  reportValidity() {
    return this.#internals.reportValidity();
  }

  /** Checks the typed text now (as on blur): chooses it when it is a billable code. */
  async commit() {
    await this.#commitText();
  }

  formResetCallback() {
    this.#chosen = [];
    this.#renderChips();
    this.#input.value = '';
    this.#setEntry(null, { silent: true });
    this.#setInvalid('');
    this.#close();
  }

  formDisabledCallback(disabled) {
    this.#input.disabled = disabled;
  }

  formStateRestoreCallback(state) {
    if (typeof state === 'string' && state) this.setAttribute('value', state);
  }

  // ---- internals -------------------------------------------------------

  #syncAttributes() {
    this.#input.disabled = this.hasAttribute('disabled') || this.matches(':disabled');
    const ph = this.getAttribute('placeholder');
    if (ph !== null) this.#input.placeholder = ph;
    else this.#input.removeAttribute('placeholder');
    const label = this.getAttribute('label') ?? [...(this.#internals.labels ?? [])].map((l) => l.textContent.trim()).join(' ');
    if (label) this.#input.setAttribute('aria-label', label);
    else this.#input.removeAttribute('aria-label');
    this.#input.required = this.hasAttribute('required');
    this.#input.setAttribute('aria-required', String(this.hasAttribute('required')));
  }

  #limit() {
    const n = Number(this.getAttribute('limit'));
    return Number.isFinite(n) && n > 0 ? Math.min(1000, Math.floor(n)) : DEFAULT_LIMIT;
  }

  #load() {
    if (!this.#ready) {
      this.#backend = this.hasAttribute('worker') && typeof Worker === 'function' ? new WorkerBackend() : new LocalBackend();
      const backend = this.#backend;
      this.#ready = backend.open(this.systems, this.getAttribute('wasm-url') ?? undefined).then(
        () => {
          this.dispatchEvent(new CustomEvent('medcode-ready', { detail: { systems: this.systems, worker: backend instanceof WorkerBackend } }));
        },
        (e) => {
          this.#setInvalid(`The code set could not be loaded: ${e.message}`);
          throw e;
        },
      );
    }
    return this.#ready;
  }

  async #request(op, args) {
    await this.#load();
    return this.#backend.request(op, args);
  }

  #common() {
    return { systems: this.systems, date: this.getAttribute('date') ?? '', within: this.getAttribute('within') ?? '' };
  }

  #onInput() {
    if (this.#entry && this.#input.value !== this.#entry.code) this.#setEntry(null);
    this.#setInvalid('');
    this.#search();
  }

  /** Queries for the current text; while a query runs, only the latest text waits. */
  async #search() {
    const seq = ++this.#seq;
    const text = this.#input.value;
    if (text.trim() === '') {
      this.#close();
      return;
    }
    if (this.#busy) {
      this.#queued = true;
      return;
    }
    this.#busy = true;
    let found;
    try {
      found = await this.#request('query', { ...this.#common(), text, limit: this.#limit(), billableOnly: this.hasAttribute('billable-only') });
    } catch {
      found = null;
    } finally {
      this.#busy = false;
    }
    if (this.#queued) {
      this.#queued = false;
      this.#search();
      return;
    }
    if (seq !== this.#seq || found === null) return;
    this.#render(found);
  }

  #render(found) {
    // Partial matches: say which words no code uses, above the list.
    const unused = unusedWords(found.results);
    this.#options = found.results.map((entry) => this.#option(entry, 0, unused));
    const note = unused.length > 0 ? `No code matches every word; not used: ${unused.join(', ')}` : '';
    this.#listbox.replaceChildren(
      ...(note ? [h('li', { part: 'note', role: 'presentation' }, note)] : []),
      ...this.#options.map((o) => o.el),
    );
    if (this.#options.length === 0) this.#listbox.append(h('li', { part: 'empty', role: 'presentation' }, 'No matching codes'));
    this.#listbox.dataset.mode = found.mode;
    this.#open();
    this.#setActive(-1);
    const n = this.#options.length;
    this.#live.textContent =
      n === 0 ? 'No matching codes.' : `${n} result${n === 1 ? '' : 's'}.` + (note ? ` ${note}.` : '') + ' Use the arrow keys to choose.';
  }

  #option(entry, depth, unused = []) {
    const selectable = entry.billable === true;
    const id = `${this.#uid}-o${++this.#oid}`;
    const label = entry.kind === 'chapter' ? `Chapter ${entry.code}` : entry.code;
    const tag = selectable ? 'billable' : entry.kind === 'chapter' || entry.kind === 'block' ? entry.kind : 'header';
    const el = h(
      'li',
      {
        part: selectable ? 'option' : 'option header',
        role: 'option',
        id,
        'aria-selected': 'false',
        'aria-disabled': selectable ? null : 'true',
        'data-code': entry.code,
        'data-kind': entry.kind,
        'data-billable': String(selectable),
        'data-depth': depth > 0 ? String(Math.min(depth, 2)) : null,
      },
      h('span', { part: 'code' }, label),
      h('span', { part: 'title' }, ...highlighted(entry.display, entry.matched ?? [])),
      h('span', { part: 'tag', class: selectable ? 'billable' : 'header' }, selectable ? 'billable' : `${tag} ▸`),
      selectable ? null : h('span', { class: 'sr' }, ', not billable; press Enter to list its codes'),
      // What the lexicon read a query term as, and the words this code leaves out.
      entry.expanded?.length > 0 ? h('span', { part: 'expansion' }, expansionText(entry.expanded)) : null,
      unmatchedText(entry, unused) ? h('span', { part: 'unmatched' }, unmatchedText(entry, unused)) : null,
    );
    return { entry, depth, selectable, id, el, expanded: false };
  }

  #open() {
    this.#listbox.hidden = false;
    this.#input.setAttribute('aria-expanded', 'true');
  }

  #close() {
    this.#listbox.hidden = true;
    this.#input.setAttribute('aria-expanded', 'false');
    this.#setActive(-1);
  }

  #isOpen() {
    return !this.#listbox.hidden;
  }

  #setActive(i, { scroll = true } = {}) {
    const old = this.#options[this.#active];
    if (old) {
      old.el.classList.remove('active');
      old.el.setAttribute('aria-selected', 'false');
    }
    this.#active = i;
    const o = this.#options[i];
    if (!o) {
      this.#input.removeAttribute('aria-activedescendant');
      return;
    }
    o.el.classList.add('active');
    o.el.setAttribute('aria-selected', 'true');
    this.#input.setAttribute('aria-activedescendant', o.id);
    if (scroll) o.el.scrollIntoView({ block: 'nearest' });
  }

  #onKey(e) {
    if (e.isComposing || e.altKey && e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    // With `multiple`, Backspace in the empty box removes the last code chosen.
    if (e.key === 'Backspace' && this.#multiple && this.#input.value === '' && this.#chosen.length) {
      e.preventDefault();
      const last = this.#chosen.at(-1);
      this.#unchoose(`${last.systemId}|${last.code}`);
      return;
    }
    const n = this.#options.length;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!this.#isOpen()) {
          if (n > 0 && this.#input.value.trim() !== '') this.#open();
          else this.#search();
          if (!e.altKey && n > 0) this.#setActive(0);
        } else if (n > 0) this.#setActive(this.#active < 0 ? 0 : (this.#active + 1) % n);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (!this.#isOpen() && n > 0) this.#open();
        if (n > 0) this.#setActive(this.#active <= 0 ? n - 1 : this.#active - 1);
        break;
      case 'Home':
      case 'End':
        if (!this.#isOpen() || n === 0) return;
        e.preventDefault();
        this.#setActive(e.key === 'Home' ? 0 : n - 1);
        break;
      case 'ArrowRight':
        if (this.#isOpen() && this.#active >= 0 && !this.#options[this.#active].selectable) {
          e.preventDefault();
          this.#expand(this.#active);
        }
        break;
      case 'Enter':
        if (this.#isOpen() && this.#active >= 0) {
          e.preventDefault();
          this.#choose(this.#active);
        } else {
          // Enter with no active option checks the typed text; the form may submit.
          this.#commitText();
        }
        break;
      case 'Escape':
        if (this.#isOpen()) {
          e.preventDefault();
          this.#close();
        }
        break;
      case 'Tab':
        this.#close();
        break;
      default:
    }
  }

  /** Chooses option `i`; a header is expanded instead (it cannot be chosen). */
  #choose(i) {
    const o = this.#options[i];
    if (!o) return;
    if (!o.selectable) {
      this.#expand(i);
      return;
    }
    this.#input.value = o.entry.code;
    this.#setInvalid('');
    this.#close();
    this.#picked(o.entry);
  }

  /** Lists the billable codes under header option `i` right below it. */
  async #expand(i) {
    const o = this.#options[i];
    if (!o || o.selectable) return;
    if (o.expanded) {
      this.#setActive(i + 1 < this.#options.length ? i + 1 : i);
      return;
    }
    o.expanded = true;
    let list;
    try {
      list = await this.#request('expand', { ...this.#common(), system: o.entry.systemId, code: o.entry.code });
    } catch {
      list = [];
    }
    const at = this.#options.indexOf(o);
    if (at < 0) return;
    const billableOnly = this.hasAttribute('billable-only');
    const known = new Set(this.#options.map((x) => `${x.entry.systemId}|${x.entry.code}`));
    const added = list
      .filter((e) => !known.has(`${e.systemId}|${e.code}`) && (!billableOnly || e.billable))
      .map((e) => this.#option(e, o.depth + 1));
    this.#options.splice(at + 1, 0, ...added);
    o.el.after(...added.map((x) => x.el));
    o.el.querySelector('[part~="tag"]').textContent = added.length ? `${o.entry.kind === 'chapter' || o.entry.kind === 'block' ? o.entry.kind : 'header'} ▾` : 'header';
    this.#live.textContent = `${added.length} code${added.length === 1 ? '' : 's'} under ${o.entry.code}.`;
    if (added.length) this.#setActive(at + 1);
  }

  #onBlur() {
    this.#close();
    this.#commitText();
  }

  /** The typed text becomes the value when it is a billable code; otherwise the box is invalid. */
  async #commitText() {
    const text = this.#input.value.trim();
    if (text === '' || (this.#entry && text === this.#entry.code)) {
      this.#setInvalid('');
      return;
    }
    // Words are a search, not a malformed code: ask for a code from the list.
    if (isWords(text, this.systems)) {
      this.#setInvalid(`“${text}” is not a code: choose one of the codes found for it.`);
      return;
    }
    let answer;
    try {
      answer = await this.#request('check', { ...this.#common(), text });
    } catch (e) {
      this.#setInvalid(`The code set could not be loaded: ${e.message}`);
      return;
    }
    if (this.#input.value.trim() !== text) return;
    if (answer.ok) {
      this.#input.value = answer.entry.code;
      this.#setInvalid('');
      this.#picked(answer.entry);
    } else {
      const also = answer.suggestions.length ? ` Did you mean ${answer.suggestions.slice(0, 3).map((s) => s.code).join(', ')}?` : '';
      this.#setInvalid(answer.text + also);
    }
  }

  async #applyValueAttribute() {
    const code = (this.getAttribute('value') ?? '').trim();
    if (code === (this.#entry?.code ?? '')) return;
    if (code === '') {
      this.#input.value = '';
      this.#setEntry(null, { silent: true });
      return;
    }
    this.#input.value = code;
    await this.#commitText();
  }

  /** `entry` was chosen: the value, then `medcode-select`, then `medcode-change` if the value changed. */
  #picked(entry) {
    if (this.#multiple) {
      this.#pickedAnother(entry);
      return;
    }
    const before = this.#entry?.code ?? '';
    this.#setEntry(entry, { silent: true });
    this.dispatchEvent(new CustomEvent('medcode-select', { detail: { ...entry }, bubbles: true, composed: true }));
    if (before !== entry.code) this.#changed(entry);
  }

  /** With `multiple`: `entry` joins the codes chosen (once), the box empties for the next. */
  #pickedAnother(entry) {
    const key = `${entry.systemId}|${entry.code}`;
    const added = !this.#chosen.some((e) => `${e.systemId}|${e.code}` === key);
    if (added) this.#chosen.push({ ...entry });
    this.#input.value = '';
    this.#renderChips();
    this.#live.textContent = added ? `${entry.code} added; ${this.#chosen.length} chosen.` : `${entry.code} is already chosen.`;
    this.dispatchEvent(new CustomEvent('medcode-select', { detail: { ...entry }, bubbles: true, composed: true }));
    if (added) this.#changedMany();
  }

  /** With `multiple`: removes the chosen code of `key` (`system|code`). */
  #unchoose(key) {
    const i = this.#chosen.findIndex((e) => `${e.systemId}|${e.code}` === key);
    if (i < 0) return;
    const [gone] = this.#chosen.splice(i, 1);
    this.#renderChips();
    this.#live.textContent = `${gone.code} removed; ${this.#chosen.length} chosen.`;
    this.#input.focus();
    this.#changedMany();
  }

  /** The chips of the codes chosen (text only) and the repeated form value. */
  #renderChips() {
    this.#chips.replaceChildren(
      ...this.#chosen.map((e) =>
        h(
          'li',
          { part: 'chip', title: e.display },
          h('span', { part: 'code' }, e.code),
          h('button', { part: 'chip-remove', type: 'button', 'aria-label': `Remove ${e.code}`, 'data-key': `${e.systemId}|${e.code}` }, '×'),
        ),
      ),
    );
    this.#chips.hidden = this.#chosen.length === 0;
    const data = new FormData();
    for (const e of this.#chosen) data.append(this.name, e.code);
    this.#internals.setFormValue(this.#chosen.length ? data : '');
    this.#updateValidity();
  }

  /** With `multiple`: `medcode-change` with every code chosen, then `change`. */
  #changedMany() {
    const values = this.#chosen.map((e) => e.code);
    this.dispatchEvent(new CustomEvent('medcode-change', { detail: { value: values[0] ?? '', values, entries: this.#chosen.map((e) => ({ ...e })) }, bubbles: true, composed: true }));
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /**
   * The value changed: `medcode-change` with the entry, then a standard
   * `change` (bubbling, as a native control's), so form code listening for
   * `change` hears it. (`input` already comes from the inner text box: it
   * is composed and reaches the page with this element as its target.)
   */
  #changed(entry) {
    this.dispatchEvent(new CustomEvent('medcode-change', { detail: { value: entry ? entry.code : '', entry: entry ? { ...entry } : null }, bubbles: true, composed: true }));
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  #setEntry(entry, { silent = false } = {}) {
    const before = this.#entry?.code ?? '';
    this.#entry = entry ? { ...entry } : null;
    this.#internals.setFormValue(entry ? entry.code : '', this.#input.value);
    if (entry) {
      this.#message.hidden = false;
      this.#message.className = 'selection';
      this.#message.setAttribute('part', 'message selection');
      // The title, and (as text) when the date of service is past what the
      // embedded releases cover.
      this.#message.replaceChildren(
        entry.display,
        entry.coverage ? h('span', { part: 'coverage', role: 'note' }, ` ${entry.coverage}`) : '',
      );
    } else if (!this.#invalid) {
      this.#message.hidden = true;
      this.#message.textContent = '';
    }
    this.#updateValidity();
    if (!silent && before !== (entry?.code ?? '')) this.#changed(entry);
  }

  #setInvalid(text) {
    this.#invalid = text;
    if (text) {
      this.#input.setAttribute('aria-invalid', 'true');
      this.#input.setAttribute('part', 'input invalid');
      this.#message.hidden = false;
      this.#message.className = 'invalid';
      this.#message.setAttribute('part', 'message invalid');
      this.#message.textContent = text;
      this.#internals.states?.add('invalid');
    } else {
      this.#input.removeAttribute('aria-invalid');
      this.#input.setAttribute('part', 'input');
      this.#internals.states?.delete('invalid');
      if (!this.#entry) {
        this.#message.hidden = true;
        this.#message.textContent = '';
      }
    }
    this.#updateValidity();
  }

  #updateValidity() {
    if (this.#invalid) this.#internals.setValidity({ badInput: true }, this.#invalid, this.#input);
    else if (this.hasAttribute('required') && (this.#multiple ? this.#chosen.length === 0 : !this.#entry)) this.#internals.setValidity({ valueMissing: true }, 'Choose a billable code.', this.#input);
    else this.#internals.setValidity({});
  }
}

if (typeof customElements !== 'undefined' && !customElements.get('medcode-input')) {
  customElements.define('medcode-input', MedcodeInput);
}
