// Types of medcode/input (js/medcode-input.js): the <medcode-input> element,
// its events and the text helpers the module exports. Importing the module
// defines the element (`customElements.define('medcode-input', ...)`).
import type { Expansion } from './index.js';
import type { AnsweredEntry } from './medcode-worker.js';

/**
 * The chosen entry: the code's `code`, `display`, `kind`, `billable` and
 * `system` (FHIR URI), with `systemId`, `matched`, `inclusion` and
 * `coverage`; chosen from the list it is a search result (`expanded`,
 * `unmatched`), typed and checked it is a `lookup` entry (`parent`,
 * `validFrom`...).
 */
export type MedcodeInputEntry = AnsweredEntry;

/** `detail` of `medcode-select`: the entry chosen (a copy). */
export type MedcodeSelectDetail = MedcodeInputEntry;

/** `detail` of `medcode-change`: the new value (`''` when typing cleared it) and its entry. */
export interface MedcodeChangeDetail {
  value: string;
  /** Without `multiple`. */
  entry?: MedcodeInputEntry | null;
  /** With `multiple`: every code chosen, in order, and their entries. */
  values?: string[];
  entries?: MedcodeInputEntry[];
}

/** `detail` of `medcode-ready`: the systems loaded, and whether they run in the Web Worker. */
export interface MedcodeReadyDetail {
  systems: string[];
  worker: boolean;
}

/** The events `<medcode-input>` dispatches, with the element's own ones. */
export interface MedcodeInputEventMap extends HTMLElementEventMap {
  /** A code was chosen (bubbles, composed). */
  'medcode-select': CustomEvent<MedcodeSelectDetail>;
  /** The value changed: a code was chosen, or typing cleared it (bubbles, composed). */
  'medcode-change': CustomEvent<MedcodeChangeDetail>;
  /** The code sets are loaded (on the element only). */
  'medcode-ready': CustomEvent<MedcodeReadyDetail>;
}

/**
 * The element's attributes, for typing them in templates (JSX and the like).
 * Boolean attributes are on when present.
 */
export interface MedcodeInputAttributes {
  /** Space-separated systems searched in order (default `icd10cm`). */
  system?: string;
  name?: string;
  /** A code, accepted if billable. */
  value?: string;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
  /** Accessible name of the box (default: the text of its `<label>`s). */
  label?: string;
  /** Results listed (default 20, at most 1,000). */
  limit?: number | string;
  /** List billable codes only. */
  'billable-only'?: boolean;
  /** Several codes, submitted as repeated form values. */
  multiple?: boolean;
  /** Keep to part of a classification: ranges (`E08-E13`), chapters (`19`) or starts of codes (`E11`, `0DT`). */
  within?: string;
  /** Date of service, `YYYY-MM-DD`. */
  date?: string;
  /** Run the wasm module in a module Web Worker (js/medcode-worker.js). */
  worker?: boolean;
  /** Where to fetch the module from (default: next to the package). */
  'wasm-url'?: string;
}

/**
 * `<medcode-input>`: a WAI-ARIA combobox that searches codes and words and is
 * form-associated (the chosen code is the form value; `required` and a typed
 * text that is not a billable code set its validity). Attributes: see
 * `MedcodeInputAttributes`.
 */
export declare class MedcodeInput extends HTMLElement {
  static readonly formAssociated: true;
  static readonly observedAttributes: readonly ['system', 'disabled', 'placeholder', 'label', 'required', 'value', 'worker'];

  /** The ids of the systems searched, in order (from `system`, lowercased; default `['icd10cm']`). */
  readonly systems: string[];
  /** The chosen code (the form value), or `''`. Setting it chooses the code if it is billable (async: see `ready`). */
  get value(): string;
  set value(code: string | null | undefined);
  /** Every code chosen: with `multiple` all in order, else the value alone (or none). */
  readonly values: string[];
  /** The chosen entry (a copy), or null. */
  readonly entry: MedcodeInputEntry | null;
  /** What is typed in the box. Setting it does not open the list. */
  get text(): string;
  set text(value: string | null | undefined);
  /** Why the typed text is not a code (`''` when it is valid or empty). */
  readonly invalidText: string;
  /** Resolves once the code sets are loaded (in the page or the worker); rejects when they cannot be. */
  readonly ready: Promise<void>;
  /** The `name` attribute (`''` without one); setting it sets the attribute. */
  get name(): string;
  set name(value: string | null | undefined);
  readonly form: HTMLFormElement | null;
  readonly type: 'medcode-input';
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  readonly labels: NodeList;
  checkValidity(): boolean;
  reportValidity(): boolean;
  /** Checks the typed text now (as on blur): chooses it when it is a billable code. */
  commit(): Promise<void>;

  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string): void;
  formResetCallback(): void;
  formDisabledCallback(disabled: boolean): void;
  formStateRestoreCallback(state: unknown): void;

  addEventListener<K extends keyof MedcodeInputEventMap>(
    type: K,
    listener: (this: MedcodeInput, ev: MedcodeInputEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof MedcodeInputEventMap>(
    type: K,
    listener: (this: MedcodeInput, ev: MedcodeInputEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'medcode-input': MedcodeInput;
  }
  /** `medcode-select` and `medcode-change` bubble out of the element (and its shadow roots): a form, the document or the window can listen. */
  interface GlobalEventHandlersEventMap {
    'medcode-select': CustomEvent<MedcodeSelectDetail>;
    'medcode-change': CustomEvent<MedcodeChangeDetail>;
  }
}

/** Ranges `[start, end)` of `text` covered by the words in `matched`, as written in `text` (whole words, merged). */
export declare function matchRanges(text: string, matched: Iterable<string>): [number, number][];

/** Whether `text` is typed like a code of `system` (default `icd10cm`) rather than words, as `find` decides. */
export declare function looksLikeCode(text: unknown, system?: string): boolean;

/** Whether `text` is words to search rather than a code to validate in any of `systems` (default `['icd10cm']`). */
export declare function isWords(text: unknown, systems?: string | readonly string[]): boolean;

/** `from → to` for each lexicon expansion of a result, joined with `; ` (e.g. `chf → congestive heart failure | I50`). */
export declare function expansionText(expanded: readonly Expansion[] | null | undefined): string;

/** The query words no result uses, when the results are partial matches; `[]` when a code matches every word. */
export declare function unusedWords(results: readonly { unmatched?: readonly string[] }[] | null | undefined): string[];

/** `not matched: …` for the words `result` leaves out, unless they are just the `unused` ones (`''` then). */
export declare function unmatchedText(result: { unmatched?: readonly string[] }, unused?: readonly string[]): string;

/** Runs `job` when the main thread is idle (soon, where there is no idle callback). */
export declare function whenIdle(job: () => void): void;
