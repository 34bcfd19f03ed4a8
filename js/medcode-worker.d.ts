// Types of medcode/worker (js/medcode-worker.js): the message protocol of the
// Web Worker that <medcode-input worker> starts, and the answers of the
// requests it runs (js/medcode-ops.js). The module exports nothing: loaded as
// a module worker, it listens for messages, e.g.
//
//   worker.postMessage({ id: 1, op: 'open', systems: ['icd10cm'] } satisfies WorkerRequest);
//   worker.postMessage({ id: 2, op: 'check', args: { text: 'e119', systems: ['icd10cm'] } } satisfies WorkerRequest);
import type { Concept, Entry, FindMode, SearchResult, Suggestion, SystemId } from './index.js';

/** What the worker adds to every entry it answers with. */
export interface Answered {
  /** The id of the system the entry comes from (`icd10cm`...); `system` is its FHIR URI. */
  systemId: SystemId;
  /** What to say when the date of service is past what the embedded releases cover (`CodeSet.coverageOn`), or `''`. */
  coverage: string;
}

/** A result of `query`: a `find` result of one of the systems. */
export interface QueryResult extends SearchResult, Answered {}

/** A code `expand` lists under a header (no query words matched it). */
export interface ExpandedEntry extends Entry, Answered {
  matched: [];
  inclusion: false;
}

/** The entry of a billable code `check` accepted. */
export interface CheckedEntry extends Concept, Answered {
  matched: [];
  inclusion: false;
}

/** Any entry the worker answers with (the chosen entry of `<medcode-input>` is one). */
export type AnsweredEntry = QueryResult | ExpandedEntry | CheckedEntry;

/** `query`: `find` in each system, in order, cut to `limit` (default 20) in all. */
export interface QueryArgs {
  text: string;
  systems: readonly SystemId[];
  limit?: number;
  /** Keep billable codes only. */
  billableOnly?: boolean;
  /** Date of service, `YYYY-MM-DD` (`''` or absent: the newest release). */
  date?: string;
}

/** The answer of `query`: how the first system read the text, and the results. */
export interface QueryAnswer {
  mode: FindMode;
  results: QueryResult[];
}

/** `expand`: the billable codes under a category or code (at most 500), or the children of a block or chapter. */
export interface ExpandArgs {
  system: SystemId;
  code: string;
  date?: string;
}

/** `check`: a typed text, validated in each system in order. */
export interface CheckArgs {
  text: string;
  systems: readonly SystemId[];
  date?: string;
}

/** The answer of `check`: the first system that knows the text as a billable code, else the first system's reason and suggestions. */
export type CheckAnswer = { ok: true; entry: CheckedEntry } | { ok: false; text: string; suggestions: Suggestion[] };

/** Opens the code sets (once each); answers the ids open so far. Send it before any other request. */
export interface OpenRequest {
  /** Echoed in the response. */
  id: number;
  op: 'open';
  systems: readonly SystemId[];
  /** Where to fetch the module from (default: next to the package's glue). */
  wasmUrl?: string;
}

export interface QueryRequest {
  id: number;
  op: 'query';
  args: QueryArgs;
}

export interface ExpandRequest {
  id: number;
  op: 'expand';
  args: ExpandArgs;
}

export interface CheckRequest {
  id: number;
  op: 'check';
  args: CheckArgs;
}

/** A message to the worker. */
export type WorkerRequest = OpenRequest | QueryRequest | ExpandRequest | CheckRequest;

/** The `value` of a successful response, by the request's `op`. */
export interface WorkerAnswers {
  open: SystemId[];
  query: QueryAnswer;
  expand: ExpandedEntry[];
  check: CheckAnswer;
}

/** A message from the worker: the answer to request `id`, or the error it raised (an unknown system, an unknown `op`...). */
export type WorkerResponse<Op extends WorkerRequest['op'] = WorkerRequest['op']> =
  | { id: number; ok: true; value: WorkerAnswers[Op] }
  | { id: number; ok: false; error: string };
