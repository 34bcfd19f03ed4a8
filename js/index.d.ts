// Types of the medcode package (root export; ESM).

/** Code systems this package can open. */
export type SystemId = 'icd10cm' | 'icd10pcs' | 'hcpcs' | 'cpt';

/** Level of an entry in the classification. */
export type Kind = 'chapter' | 'block' | 'category' | 'code';

/** Release, source, counts and table sizes of the embedded code system. */
/** What every module's `info()` says. */
interface InfoCommon {
  name: string;
  /** FHIR system URI, e.g. `http://hl7.org/fhir/sid/icd-10-cm`. */
  uri: string;
  /** FHIR `version`, e.g. `2026`. */
  version: string;
  /** The release in words, e.g. `FY2026, April 1 2026 update`. */
  release: string;
  /** First day the release applies to, `YYYY-MM-DD` (empty when undated). */
  effective: string;
  publisher: string;
  /** Whether answers depend on a date of service (the set carries validity history). */
  dates: boolean;
  /** Every release the history knows, oldest first. */
  releases: Release[];
  /** The newest release: what answers without a date use. */
  newest: Release | null;
  /**
   * The days the embedded releases cover, `YYYY-MM-DD`: from the first release
   * to the end of the newest one's period (an ICD-10 fiscal year ends on
   * September 30, an HCPCS quarter three months after it starts). A date of
   * service after `to` gets the warning `beyond-coverage`. `null` for CPT and
   * custom tables (no known period).
   */
  coverage: { from: string; to: string } | null;
  /** Number of abbreviations learned from the official short titles. */
  abbreviations: number;
  /**
   * Newer official releases merged with `scripts/build.sh --release FOLDER`
   * (`tables/updates/`), oldest first, each with what it changed: its change
   * report. Empty when the modules are built from the committed releases alone.
   */
  updates: MergedRelease[];
}

/** One newer release merged into the history, and what it changed. */
export interface MergedRelease {
  /** The official file, e.g. `icd10pcs_order_2028.txt` or `HCPC2026_JUL_ANWEB.xlsx`. */
  file: string;
  /** SHA-256 of its text (of its bytes for a workbook), as pinned in `tables/updates/UPDATES.tsv`. */
  sha256: string;
  /** First day of the release, `YYYY-MM-DD`. */
  effective: string;
  /** e.g. `FY2028`, `July 2026 quarter`. */
  release: string;
  codes: ReleaseChanges;
  /** HCPCS modifiers (empty lists elsewhere). */
  modifiers: ReleaseChanges;
}

/** Codes (keys, no dot) a release added, ended and retitled. */
export interface ReleaseChanges {
  added: string[];
  deleted: string[];
  retitled: string[];
}

/** `info()` of the ICD-10-CM modules (`icd10cm`, `icd10cm-notes`). */
export interface Icd10cmInfo extends InfoCommon {
  system: 'icd10cm';
  source: { file: string; sha256: string; via: string };
  counts: { chapters: number; blocks: number; categories: number; billable: number; headers: number; expanded: number };
  /** Bytes of each embedded table. */
  sizes: { codes: number; titles: number; outline: number; sevenths: number; search: number };
  /** The FY2027 code-title addenda: titles of the codes new on 2026-10-01 and of the 4 revised then (a transcription, `transcribed: true`). */
  addenda: { file: string; release: string; effective: string; sha256: string; transcribed: boolean; added: number; deleted: number; revised: number; note: string };
}

/** `info()` of ICD-10-PCS, HCPCS Level II, CPT and custom-list modules. */
export interface FlatInfo extends InfoCommon {
  /** `custom` for a module built with `scripts/build.sh --table`. */
  system: 'icd10pcs' | 'hcpcs' | 'cpt' | 'custom';
  licence: string;
  /** Whether the tables come from official release files (ICD-10-PCS, HCPCS). */
  official: boolean;
  /** Every source file read, with its SHA-256 and provenance. */
  sources: { file: string; sha256: string; via: string }[];
  counts: { codes: number; shortTitles: number; titleTemplates: number; billable: number; headers: number; dated: number; releases: number };
  /** Bytes of each embedded table. */
  sizes: { codes: number; titles: number; shorts: number; search: number; history: number };
  /** ICD-10-PCS: the code builder's tables. */
  builder?: { tables: number; sections: string; labelConflicts: number; axesBytes: number };
  /** HCPCS: the modifier table. */
  modifiers?: { codes: number; titled: number };
  /** CPT: whether a licensee's table is compiled in. */
  licensed?: boolean;
}

/** What `info()` answers: narrow on `system`. */
export type Info = Icd10cmInfo | FlatInfo;

/** A release of a code system. */
export interface Release {
  /** First day it applies, `YYYY-MM-DD`. */
  start: string;
  /** e.g. `FY2027` or `FY2026 April 2026 update`. */
  name: string;
}

/**
 * A date of service: a string `YYYY-MM-DD` (read as written) or a `Date` (its
 * local calendar day). Without one, the newest release answers.
 */
export interface DateOptions {
  date?: string | Date;
}

/** One embedded table, as listed in the package's `tables/fingerprint.csv`. */
export interface TableInfo {
  /** File name, e.g. `icd10cm.codes.fst`. */
  table: string;
  /** The official release it was compiled from. */
  source: string;
  rows: number;
  bytes: number;
  /** SHA-256 of the table's bytes, lowercase hex. */
  sha256: string;
}

/** An entry as `prefix`, `children` and `ancestors` return it. */
export interface Entry {
  /** The code with its dot (`E11.9`); a block as `A00-A09`; a chapter as `1`..`22`. */
  code: string;
  /** The official title, as text (never HTML). */
  display: string;
  kind: Kind;
  /** Whether the code may be reported; headers, blocks and chapters are not. */
  billable: boolean;
  /** FHIR system URI. */
  system: string;
}

/** An entry as `lookup` returns it. */
export interface Concept extends Entry {
  system: string;
  /** The parent's code (`E11` for `E11.9`), or null for a chapter. */
  parent: string | null;
  /** First day the code is valid for reporting, `YYYY-MM-DD` (codes that were never billable have none; nor has an HCPCS code valid since the first I/OCE quarter embedded, 2019-07-01, as it may be older). */
  validFrom?: string;
  /** Last day it was valid, `YYYY-MM-DD`; absent while it is still valid. */
  validTo?: string;
  /** The official short title (ICD-10-PCS, HCPCS, a licensee's CPT table) where it differs from `display`; absent when there is none or it equals `display` (`short ?? display` for a short label). */
  short?: string;
}

/** One character the ICD-10-PCS code builder offers after a prefix. */
export interface NextCharacter {
  ch: string;
  /** 1-based position it takes. */
  position: number;
  /** Axis name (`Body Part`), label and definition, where the PCS tables give them. */
  axis: string | null;
  label: string | null;
  definition: string | null;
  /** Codes valid on the date that start with the prefix and this character. */
  codes: number;
  /** The finished code, at position 7. */
  code: string | null;
}

/** An HCPCS Level II modifier. */
export interface Modifier {
  code: string;
  /** Its description; empty when the build's source lists the code only. */
  display: string;
  short: string | null;
  /** First day valid, `YYYY-MM-DD`; empty when it is the first I/OCE quarter embedded (2019-07-01): the modifier may be older. */
  validFrom: string;
  /** Empty while still valid. */
  validTo: string;
}

/** A code reference inside a note's text. */
export interface NoteRef {
  /** The reference as written: `E11.9`, `S72.0-`, `E08-E13`. */
  text: string;
  /** The code, or the first code of a range, dotted. */
  code: string;
  /** The last code of a range. */
  through?: string;
  /** The block whose range it is, when there is one (`E08-E13`). */
  block?: string;
  /** Written with a dash: a code under `code` is meant. */
  incomplete?: true;
}

/** An instructional note of the tabular. */
export interface Note {
  kind:
    | 'includes'
    | 'inclusionTerm'
    | 'excludes1'
    | 'excludes2'
    | 'codeFirst'
    | 'useAdditionalCode'
    | 'codeAlso'
    | 'note'
    | 'sevenChrNote'
    | 'sevenChrDef';
  /** The note as the tabular writes it. */
  text: string;
  /** Where it is written: a code (`E11`), a block (`E08-E13`) or a chapter (`4`). */
  from: string;
  /** For a 7th-character definition: the character. */
  char?: string;
  /** The codes of the release the text names. */
  refs: NoteRef[];
}

/** A finding of `validate`. */
export interface Issue {
  severity: 'error' | 'warning' | 'information';
  /** HL7 terminology issue type. */
  code: 'invalid-code' | 'not-selectable' | 'code-rule' | 'exception';
  /** The finding, for programs. */
  reason:
    | 'malformed'
    | 'unknown'
    | 'placeholder-missing'
    | 'seventh-not-allowed'
    | 'seventh-missing'
    | 'header'
    | 'grouping'
    | 'normalized'
    /** The module trapped (a bug) and was restarted; the answer is not known. */
    | 'internal'
    /** Deleted before the date of service (the text names when, and its successors). */
    | 'deleted'
    /** Takes effect after the date of service. */
    | 'not-yet-valid'
    /** The date is before the code system applies. */
    | 'date-out-of-range'
    /** The date is after the last day the newest embedded release covers (`info().coverage.to`): codes added or ended since are not known (a warning). */
    | 'beyond-coverage'
    /** Valid, but no reachable source has its title (codes new in FY2027). */
    | 'no-title'
    /** Its status on the date differs from the embedded tabular (e.g. billable then, a header now). */
    | 'status-on-date'
    /** `options.date` is not a real day. */
    | 'invalid-date';
  /** What is wrong, in words, naming the input. */
  text: string;
}

/** A code `validate` suggests instead of the input. */
export interface Suggestion {
  /** The code with its dot. */
  code: string;
  /** Its official title. */
  display: string;
}

/** What a query term was read as, through the search lexicon. */
export interface Expansion {
  /** The words as typed, e.g. `chf`, `heart attack`, `appendectomy`. */
  from: string;
  /** What they were read as: title words or a code family, alternatives separated by ` | `, e.g. `congestive heart failure | I50`. */
  to: string;
}

/** A result of `search` or `find`. */
export interface SearchResult extends Entry {
  /** The words of `display`, as written there, that the query matched (for highlighting). */
  matched: string[];
  /**
   * True when some query word matched only an inclusion term of the code, not its title, or
   * (ICD-10-CM) only a clause of its title naming what the code lacks or leaves unknown
   * (`hemorrhage` in "…, without hemorrhage or perforation"); such a match ranks after title matches.
   */
  inclusion: boolean;
  /** The query terms this result was found through the lexicon for (`CHF → congestive heart failure | I50`). */
  expanded: Expansion[];
  /** Query words this result does not match: set on the best partial matches when no code matches every word. */
  unmatched: string[];
}

/** How `find` read its input. */
export type FindMode = 'code' | 'prefix' | 'did-you-mean' | 'words';

/** The answer of `find`. */
export interface Found {
  mode: FindMode;
  results: SearchResult[];
}

/** A FHIR `$validate-code`-shaped answer. */
export interface Validation {
  /** True exactly when the input is a billable code of the release. */
  result: boolean;
  /** The normalized, dotted code (the input, cut to 24 characters, when malformed). */
  code: string;
  system: string;
  version: string;
  /** The release the answer used (with a history), e.g. `FY2027`. */
  release?: string;
  /** The date of service the answer is for, `YYYY-MM-DD`. */
  date?: string;
  /** The official title, when the code exists (headers included). */
  display?: string;
  issues: Issue[];
  /** For an input that is not a billable code: codes one edit away, or the completions of a code missing its 7th character. */
  suggestions: Suggestion[];
}

/** A note finding between the codes given to `claimFacts` (`i`, `j` index them). */
export interface NoteCheck {
  type: 'excludes1' | 'code-first-order' | 'etiology-missing' | 'use-additional-code';
  i: number;
  /** Excludes1: the code the note names. */
  j?: number;
  /** code-first-order: the first (principal) code has a code-first note and nothing it names is listed. */
  principal?: boolean;
  /** etiology-missing: the MCE lists the code as a manifestation code. */
  manifestation?: boolean;
  /** The notes behind the finding, with where each is written. */
  notes: { from: string; text: string }[];
}

/** `claimFacts`: MCE edits per code, in order, and note findings (null without the notes module). */
export interface ClaimFacts {
  edits: string[][];
  notes: NoteCheck[] | null;
}

/** One code system answered by its wasm module. Every method accepts any JS value. */
/** How a file's lines are laid out, for `CodeSet.bulkChecker`. */
export interface BulkCheckConfig {
  /** `,` or a tab. */
  delimiter: string;
  /** The code columns, 0-based. */
  columns: number[];
  /** The date-of-service column, 0-based; -1 (the default) for none. */
  dateColumn?: number;
  /** The date for rows without one as `yyyymmdd`; 0 (the default): the newest release. */
  date?: number;
}

/** A bulk checker over one code set (see `CodeSet.bulkChecker`). */
export interface BulkChecker {
  /** Answers the whole lines of `bytes` (with `last`, also the line without a break at the end). */
  run(bytes: Uint8Array, last: boolean): { out: Uint8Array; consumed: number; lines: number; stopped: boolean };
  /** The counts over the lines answered so far. */
  summary(): { rows: number; codes: number; failedRows: number; statuses: [string, number][] };
  /** Frees the checker's memory in the module. */
  free(): void;
}

export declare class CodeSet {
  private constructor();
  /** FHIR system URI. */
  readonly system: string;
  /** Release version. */
  readonly version: string;
  info(): Info;
  /** Every embedded table with its source release, rows, bytes and SHA-256. */
  dataInfo(): TableInfo[];
  /** How many times the module trapped and was re-instantiated (0 unless medcode has a bug). */
  readonly restarts: number;
  /** A billable code of the release? Case, surrounding spaces and the dot do not matter; anything else is false. */
  isValid(code: unknown, options?: DateOptions): boolean;
  /** `isValid` for each element, in one call into the module. */
  isValidMany(codes: Iterable<unknown>, options?: DateOptions): boolean[];
  /**
   * The module's bulk checker (what `medcode check` and the page's file
   * check use): lines of CSV/TSV bytes in, each line with five result
   * fields per code column out; `run` stops before a line it leaves to the
   * caller (a quote, a bad date, a missing column, non-ASCII code cells).
   */
  bulkChecker(config: BulkCheckConfig): BulkChecker;
  /** The entry, or null when unknown or malformed (`validate` says which). */
  lookup(code: unknown, options?: DateOptions): Concept | null;
  /** Instructional notes, the code's own then inherited ones up to its chapter (`inherited: false`: its own); null when unknown or malformed. */
  notes(code: unknown, options?: { inherited?: boolean }): Note[] | null;
  /** ICD-10-PCS code builder: characters allowed after a 0–6 character prefix; null for bad input or another system. */
  nextCharacters(prefix: unknown, options?: { date?: string | Date }): NextCharacter[] | null;
  /** ICD-10-PCS: each character of a code with its axis name and label. */
  axisLabels(code: unknown): { position: number; axis: string | null; label: string | null }[];
  /** HCPCS modifier (`LT`, `RT`, `59`…), or null. */
  modifier(code: unknown): Modifier | null;
  /**
   * Whether the date of service (default: today) is past the last day the
   * embedded releases cover (`info().coverage.to`): null when not, else what
   * to show (`text`). Answers for such a date carry the warning `beyond-coverage`.
   */
  coverageOn(options?: DateOptions): { date: string; to: string; release: string; text: string } | null;
  /** True for CPT without a licensed table: only the format of codes is checked. */
  readonly formatOnly: boolean;
  /** Medicare Code Editor edit attributes of a code on the date (`['adult', 'male']`); ICD-10-CM and ICD-10-PCS, `[]` otherwise. */
  mceEdits(code: unknown, options?: DateOptions): string[];
  /** A list of codes in one call: each code's MCE edits and (ICD-10-CM opened with `{notes: true}`) the note findings between them; null for bad input. */
  claimFacts(codes: unknown, options?: DateOptions): ClaimFacts | null;
  /** Entries directly under `code`, or null when unknown or malformed. */
  children(code: unknown): Entry[] | null;
  /** Ancestors nearest first, up to the chapter; null when unknown or malformed. */
  ancestors(code: unknown): Entry[] | null;
  /** Categories and codes starting with `prefix`, in code order, at most `limit` (default 50, at most 10,000). */
  prefix(prefix: unknown, options?: { limit?: number }): Entry[];
  /** Words (prefixes, any order, short-title abbreviations, typos) over titles and inclusion terms; default limit 20, at most 1,000. */
  search(text: unknown, options?: { limit?: number }): SearchResult[];
  /** One search box: code, code prefix, did-you-mean for a mistyped code, or words. */
  find(input: unknown, options?: { limit?: number }): Found;
  /**
   * Builds the word index now (ICD-10-PCS and HCPCS build it on first use,
   * 40-300 ms), so the first `find`/`search` answers at once; call it when
   * the page is idle. True if the system has titles to search.
   */
  prepareSearch(): boolean;
  /** Validity with the reason in words and for programs. */
  validate(code: unknown, options?: DateOptions): Validation;
  /** FHIR R4 terminology operations over this set ($validate-code, $lookup, $expand). */
  readonly fhir: FhirTerminology;
}

// --- FHIR terminology answers (js/medcode-fhir.js) ---------------------------

/** One `Parameters.parameter` row (`value[x]`, `resource` or `part`). */
export interface FhirParameter {
  name: string;
  valueBoolean?: boolean;
  valueCode?: string;
  valueString?: string;
  valueUri?: string;
  valueCanonical?: string;
  valueDateTime?: string;
  valueInteger?: number;
  valueCoding?: { system: string; code: string; display?: string };
  resource?: OperationOutcome;
  part?: FhirParameter[];
}

/** A FHIR R4 `Parameters` resource. */
export interface Parameters {
  resourceType: 'Parameters';
  parameter: FhirParameter[];
}

/** One issue of an OperationOutcome, typed as the HL7 terminology ecosystem types them. */
export interface OperationOutcomeIssue {
  severity: 'error' | 'warning' | 'information';
  /** FHIR issue type, e.g. `code-invalid`, `business-rule`, `invalid`, `not-found`. */
  code: string;
  /** `operationoutcome-message-id`: the ecosystem's message for the same finding. */
  extension?: { url: string; valueString: string }[];
  /** `coding` holds the `tx-issue-type` (`invalid-code`, `invalid-display`, `code-rule`, `not-found`, `invalid-data`, `code-comment`...). */
  details: { coding?: { system: string; code: string }[]; text: string };
  location?: string[];
  expression?: string[];
  /** medcode's own reason (`unknown`, `header`, `deleted`, `normalized`, `display`...). */
  diagnostics?: string;
}

/** A FHIR R4 `OperationOutcome`: the answer to a request that cannot be processed. */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

/** One concept of an expansion. */
export interface ExpansionConcept {
  system: string;
  code: string;
  display: string;
  /** Not selectable: a header, or a code not valid on the date. */
  abstract?: true;
  /** Deleted by the date of service. */
  inactive?: true;
}

/** A FHIR R4 `ValueSet` with its expansion. */
export interface ExpandedValueSet {
  resourceType: 'ValueSet';
  /** The implicit value set of the whole code system, `{uri}?fhir_vs`. */
  url: string;
  name: string;
  title: string;
  status: 'active';
  compose: { include: { system: string; version: string }[] };
  expansion: {
    identifier: string;
    timestamp: string;
    /** Absent when a word filter reached 1,000 matches. */
    total?: number;
    offset: number;
    parameter: FhirParameter[];
    contains?: ExpansionConcept[];
  };
}

/** A FHIR `Coding`. */
export interface Coding {
  system?: string;
  version?: string;
  code: string;
  display?: string;
}

/** A FHIR `CodeableConcept`: valid when one of its codings is. */
export interface CodeableConcept {
  coding: Coding[];
  text?: string;
}

/** A request as a FHIR `Parameters` resource (what a client POSTs); read into the plain request. */
export interface ParametersRequest {
  resourceType: 'Parameters';
  parameter: FhirParameter[];
}

/** A `$validate-code` request naming the code as a Coding or a CodeableConcept. */
export type ValidateCodingRequest = Omit<ValidateCodeRequest, 'code' | 'display' | 'system' | 'version'> &
  ({ coding: Coding } | { codeableConcept: CodeableConcept });

/** A ValueSet `$validate-code` request: an implicit value set (`{uri}?fhir_vs`, `{uri}?fhir_vs=isa/CODE`) and the code. */
export type ValueSetValidateRequest = (ValidateCodeRequest | ValidateCodingRequest) & { url: string };

/** A `$subsumes` request: two codes (or codings) of the set. */
export interface SubsumesRequest {
  codeA?: string;
  codeB?: string;
  codingA?: Coding;
  codingB?: Coding;
  system?: string;
  version?: string;
  date?: string | Date;
}

/** A FHIR R4 `CodeSystem` resource describing an embedded system (`content: not-present`). */
export interface CodeSystemResource {
  resourceType: 'CodeSystem';
  id: string;
  url: string;
  version: string;
  name: string;
  title: string;
  status: 'active';
  caseSensitive: false;
  valueSet: string;
  hierarchyMeaning: 'is-a';
  content: 'not-present';
  count?: number;
  filter: { code: string; description: string; operator: string[]; value: string }[];
  property: { code: string; uri: string; description: string; type: string }[];
}

/** A `$validate-code` request. */
export interface ValidateCodeRequest {
  code: string;
  /** Checked against the official title (exact; whitespace- or case-only differences are named). */
  display?: string;
  /** Date of service; the newest release answers without one. */
  date?: string | Date;
  /** Must be the set's URI when given. */
  system?: string;
  /** A release version (`2016`..`2027` for ICD-10-CM): answers as of its newest release. */
  version?: string;
  /** Accept abstract (non-billable) concepts; default false. */
  abstract?: boolean;
  /** A wrong display is a warning (default true) or an error that makes the result false. */
  lenientDisplay?: boolean;
}

/** An `$expand` request over the whole code system. */
export interface ExpandRequest {
  /** A code or start of one (the codes under it), or search words. */
  filter?: string;
  /** Page size, default 100, at most 1,000. */
  count?: number;
  offset?: number;
  date?: string | Date;
  /** Leave out codes deleted by the date. */
  activeOnly?: boolean;
  /** `false`: selectable (billable) codes only; `true`: headers only. */
  notSelectable?: boolean;
  system?: string;
  /** An implicit value set: `{uri}?fhir_vs` (default) or `{uri}?fhir_vs=isa/CODE` (the code and all under it). */
  url?: string;
  /** A release version: the expansion as of its newest release. */
  version?: string;
}

/** A `$lookup` request. */
export interface LookupRequest {
  code: string;
  /** Date of service; the newest release answers without one. */
  date?: string | Date;
  /** Must be the set's URI when given. */
  system?: string;
  /** A release version. */
  version?: string;
  /** Only these properties (`parent`, `child`, `notSelectable`, `status`, ...). */
  property?: string[];
}

/**
 * FHIR terminology operations over one set (`set.fhir`). Never throws: bad
 * requests get an OperationOutcome. The parameters are typed as the requests
 * they read; any other value (say an unchecked JSON body, passed `as
 * ValidateCodeRequest`) is answered with an OperationOutcome too.
 */
export declare class FhirTerminology {
  private constructor();
  readonly system: string;
  /** CodeSystem/$validate-code: `result`, `code`, `normalized-code`, `display`, `inactive`, `message`, `issues`, `system`, `version`. */
  validateCode(request: ValidateCodeRequest | ValidateCodingRequest | ParametersRequest): Parameters | OperationOutcome;
  /** ValueSet/$validate-code on an implicit value set: as validateCode, and a code outside it is `not-in-vs`. */
  validateInValueSet(request: ValueSetValidateRequest | ParametersRequest): Parameters | OperationOutcome;
  /** CodeSystem/$lookup: name, version, display, designation, abstract, properties parent/child/notSelectable/inactive/status/effectiveDate/retirementDate. */
  lookup(request: LookupRequest | (Omit<LookupRequest, 'code'> & { coding: Coding }) | ParametersRequest): Parameters | OperationOutcome;
  /** CodeSystem/$subsumes: Parameters with `outcome` `equivalent`, `subsumes`, `subsumed-by` or `not-subsumed`. */
  subsumes(request: SubsumesRequest | ParametersRequest): Parameters | OperationOutcome;
  /** ValueSet/$expand of an implicit value set (no request: the first 100 codes of the whole system). */
  expand(request?: ExpandRequest | ParametersRequest): ExpandedValueSet | OperationOutcome;
  /** The CodeSystem resource of this set, with `id` as a server names it. */
  codeSystem(id: string): CodeSystemResource;
}

/** Thrown (as a rejection) by `open` for an unknown system or a module that cannot load. */
export declare class MedcodeError extends Error {
  name: 'MedcodeError';
}

/** The systems this package can open. */
export declare const SYSTEMS: readonly SystemId[];

/**
 * Opens a code system (loading its wasm module once; later calls share it).
 * In browsers `options.wasmUrl` overrides where the module is fetched from.
 */
export declare function open(system: SystemId, options?: { wasmUrl?: string | URL; notes?: boolean }): Promise<CodeSet>;

/** Opens a module built with `scripts/build.sh --table FILE` (or `--cpt FILE`): its glue and its wasm. */
export declare function openModule(glue: unknown, wasm: string | URL | Uint8Array): Promise<CodeSet>;
