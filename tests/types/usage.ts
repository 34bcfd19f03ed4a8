// Compiled with `tsc --noEmit` by scripts/test.sh: the published types fit the
// way the README uses the API.
import { open, MedcodeError, SYSTEMS, type CodeSet, type Concept, type Validation, type Entry, type SearchResult, type Found, type FindMode, type Suggestion, type Note, type NextCharacter, type Modifier } from 'medcode';
import { MedcodeInput, isWords, looksLikeCode, matchRanges, type MedcodeChangeDetail, type MedcodeInputEntry, type MedcodeInputAttributes } from 'medcode/input';
import type { WorkerRequest, WorkerResponse, QueryAnswer, CheckAnswer } from 'medcode/worker';

async function main(): Promise<void> {
  const cm: CodeSet = await open('icd10cm');
  const ok: boolean = cm.isValid('E11.9') && cm.isValid(undefined);
  const many: boolean[] = cm.isValidMany(['E11.9', 42, null]);
  const c: Concept | null = cm.lookup('e119');
  const parent: string | null | undefined = c?.parent;
  const kids: Entry[] | null = cm.children('E11');
  const up: Entry[] | null = cm.ancestors('S72.001A');
  const found: Entry[] = cm.prefix('S72', { limit: 50 });
  const v: Validation = cm.validate('S72.001');
  const reason: string = v.issues[0]?.reason ?? 'none';
  const uri: string = cm.info().uri + cm.system + cm.version;
  // info() is typed per system: narrow on `system`.
  const info = cm.info();
  const chapters: number = info.system === 'icd10cm' ? info.counts.chapters : info.counts.codes;
  // @ts-expect-error: only the flat systems list their sources
  void info.sources;
  // Releases merged by scripts/build.sh --release, with their change reports.
  const added: string[] = info.updates.flatMap((u) => [...u.codes.added, ...u.modifiers.added]);
  void added;
  if (info.system === 'icd10cm') {
    const transcribed: boolean = info.addenda.transcribed;
    void transcribed;
  }
  if (info.system !== 'icd10cm') {
    const labels: number | undefined = info.builder?.tables;
    console.log(chapters, labels, info.licence, info.sources.length);
  }
  const tables: number = cm.dataInfo().reduce((n, t) => n + t.rows, cm.restarts);
  const dated: boolean = cm.isValid('E11.9', { date: '2020-01-01' }) && cm.validate('A04.7', { date: new Date() }).release !== cm.info().newest?.name;
  const from: string | undefined = cm.lookup('A04.7', { date: '2017-01-01' })?.validFrom;
  void dated;
  void from;
  void tables;
  const systems: readonly string[] = SYSTEMS;
  try {
    // @ts-expect-error: only known systems are accepted
    await open('snomed');
  } catch (e) {
    if (e instanceof MedcodeError) console.log(e.message);
  }
  const hits: SearchResult[] = cm.search('diab mell typ 2', { limit: 5 });
  const words: string[] = hits[0]?.matched ?? [];
  const box: Found = cm.find('E11.99');
  const ready: boolean = cm.prepareSearch();
  const mode: FindMode = box.mode;
  const suggested: Suggestion[] = cm.validate('E11.99').suggestions;
  const notes: Note[] | null = cm.notes('E11.9', { inherited: false });
  const kind: Note['kind'] | undefined = notes?.[0]?.kind;
  const through: string | undefined = notes?.[0]?.refs[0]?.through;
  // @ts-expect-error: inherited is a boolean
  cm.notes('E11.9', { inherited: 'no' });
  console.log(ok, many, parent, kids, up, found, reason, uri, systems, words, mode, suggested, kind, through);
}

void main();

// FHIR terminology answers (README "FHIR terminology answers").
async function fhir(): Promise<void> {
  const cm = await open('icd10cm');
  const answer = cm.fhir.validateCode({ code: 'e119', display: 'Type 2 diabetes mellitus without complications', date: '2024-05-01' });
  if (answer.resourceType === 'Parameters') {
    const result = answer.parameter.find((p) => p.name === 'result')?.valueBoolean;
    const issues = answer.parameter.find((p) => p.name === 'issues')?.resource?.issue ?? [];
    console.log(result, issues.map((i) => i.details.coding?.[0]?.code));
  } else {
    console.log(answer.issue[0]?.details.text);
  }
  const vs = cm.fhir.expand({ filter: 'diabetes insipidus', count: 10 });
  if (vs.resourceType === 'ValueSet') console.log(vs.expansion.total, vs.expansion.contains?.map((c) => c.code));
  const lookup = cm.fhir.lookup({ code: 'E11.6' });
  console.log(lookup.resourceType);
  // The requests are typed: a misspelt field is an error (any value is still answered at run time).
  // @ts-expect-error: the field is `code`
  cm.fhir.validateCode({ cod: 'E11.9' });
  // @ts-expect-error: count is a number
  cm.fhir.expand({ filter: 'diabetes', count: '10' });
  const body: unknown = JSON.parse('{"code": "E11.9"}');
  console.log(cm.fhir.validateCode(body as import('medcode').ValidateCodeRequest).resourceType, cm.fhir.expand().resourceType);
  // Codings, CodeableConcepts, Parameters, implicit value sets, $subsumes, the CodeSystem resource.
  cm.fhir.validateCode({ coding: { system: cm.system, code: 'E11.9' }, date: '2024-05-01' });
  cm.fhir.validateCode({ codeableConcept: { coding: [{ system: cm.system, code: 'E11.9' }], text: 'T2DM' } });
  cm.fhir.validateCode({ resourceType: 'Parameters', parameter: [{ name: 'code', valueCode: 'E11.9' }] });
  cm.fhir.validateInValueSet({ url: `${cm.system}?fhir_vs=isa/E11`, code: 'E11.9' });
  const s = cm.fhir.subsumes({ codeA: 'E11', codeB: 'E11.9' });
  if (s.resourceType === 'Parameters') console.log(s.parameter[0]?.valueCode);
  console.log(cm.fhir.codeSystem('icd10cm').content, cm.fhir.expand({ url: `${cm.system}?fhir_vs=isa/E11`, version: '2025' }).resourceType);
  // @ts-expect-error: a Coding needs its code
  cm.fhir.validateCode({ coding: { system: cm.system } });
}

void fhir();

// Other systems: the PCS builder, HCPCS modifiers, CPT format-only.
async function otherSystems(): Promise<void> {
  const pcs = await open('icd10pcs');
  const next: NextCharacter[] | null = pcs.nextCharacters('0DT', { date: '2026-04-01' });
  const firstLabel: string | null | undefined = next?.[0]?.label;
  const hcpcs = await open('hcpcs');
  const rt: Modifier | null = hcpcs.modifier('RT');
  const cpt = await open('cpt');
  const formatOnly: boolean = cpt.formatOnly;
  const short: string | undefined = pcs.lookup('0DTJ0ZZ')?.short;
  void [firstLabel, rt, formatOnly, short];
}
void otherSystems;

// Checking a claim (medcode/claim) and the facts it is built on.
async function claim(): Promise<void> {
  const { checkClaim, MCE_AGES } = await import('medcode/claim');
  const cm = await open('icd10cm', { notes: true });
  const pcs = await open('icd10pcs');
  const findings = checkClaim({ diagnoses: ['N40.0', { code: 'E11.9' }], procedures: ['0VT04ZZ'], sex: 'M', age: 70, date: '2024-03-01' }, { cm, pcs });
  const first: string | undefined = findings[0]?.reason;
  const severity: 'error' | 'warning' | 'information' | undefined = findings[0]?.severity;
  const edits: string[] = pcs.mceEdits('0VT04ZZ', { date: '2024-03-01' });
  const facts = cm.claimFacts(['G63', 'E11.9']);
  const noteType: string | undefined = facts?.notes?.[0]?.type;
  const adult: readonly [number, number] = MCE_AGES.adult;
  // @ts-expect-error: checkClaim takes the sets as {cm, pcs}
  checkClaim({}, cm);
  // @ts-expect-error: sex is F or M (female or male)
  checkClaim({ diagnoses: ['E11.9'], sex: 'X' }, { cm });
  // @ts-expect-error: codes are strings or {code}
  checkClaim({ diagnoses: [119] }, { cm });
  void [first, severity, edits, noteType, adult];
}
void claim;

// The web component (medcode/input): the element in the tag map, its
// properties, its events with their detail types.
function component(): void {
  const box = document.querySelector('medcode-input');
  if (box === null) return;
  const same: MedcodeInput = box;
  const made: MedcodeInput = document.createElement('medcode-input');
  made.setAttribute('system', 'icd10cm');
  box.value = 'E11.9';
  box.text = 'e11';
  const value: string = box.value;
  const entry: MedcodeInputEntry | null = box.entry;
  const from: string | undefined = entry?.systemId;
  const valid: boolean = box.checkValidity() && !box.validity.badInput && box.invalidText === '';
  const systems: string[] = box.systems;
  void box.ready.then(() => box.commit());
  box.addEventListener('medcode-change', (e) => {
    const detail: MedcodeChangeDetail = e.detail;
    const code: string | undefined = e.detail.entry?.code;
    console.log(detail.value, code);
  });
  box.addEventListener('medcode-ready', (e) => console.log(e.detail.systems, e.detail.worker));
  // They bubble: the form or the document can listen.
  document.addEventListener('medcode-select', (e) => console.log(e.detail.code, e.detail.billable, e.detail.display));
  // @ts-expect-error: medcode-change's detail is {value, entry}, not the entry
  box.addEventListener('medcode-change', (e) => e.detail.code);
  // @ts-expect-error: the chosen entry is read-only (set `value`)
  box.entry = null;
  const attributes: MedcodeInputAttributes = { system: 'icd10cm', required: true, 'billable-only': true, worker: true, multiple: true, within: 'E08-E13' };
  const chosen: string[] = box.values;
  box.addEventListener('medcode-change', (e) => console.log(e.detail.values?.length, chosen));
  // @ts-expect-error: values is read-only (choose codes in the box)
  box.values = [];
  const ranges: [number, number][] = matchRanges('Type 2 diabetes mellitus', ['diabetes']);
  console.log(same, value, from, valid, systems, attributes, ranges, isWords('heart attack', ['icd10cm']), looksLikeCode('E11.9'));
}
void component;

// The worker protocol (medcode/worker).
function workerProtocol(worker: Worker): void {
  const requests: WorkerRequest[] = [
    { id: 1, op: 'open', systems: ['icd10cm'] },
    { id: 2, op: 'query', args: { text: 'diab', systems: ['icd10cm'], limit: 10, billableOnly: true } },
    { id: 3, op: 'expand', args: { system: 'icd10cm', code: 'E11' } },
    { id: 4, op: 'check', args: { text: 'e119', systems: ['icd10cm'], date: '2024-05-01' } },
  ];
  for (const r of requests) worker.postMessage(r);
  // @ts-expect-error: a query needs its text
  const noText: WorkerRequest = { id: 5, op: 'query', args: { systems: ['icd10cm'] } };
  // @ts-expect-error: there is no `search` request
  const unknownOp: WorkerRequest = { id: 6, op: 'search', args: { text: 'diab', systems: ['icd10cm'] } };
  worker.addEventListener('message', (e: MessageEvent<WorkerResponse<'query'>>) => {
    if (!e.data.ok) return console.log(e.data.error);
    const answer: QueryAnswer = e.data.value;
    console.log(answer.mode, answer.results[0]?.systemId, answer.results[0]?.coverage);
  });
  const checked = (a: CheckAnswer): string => (a.ok ? a.entry.code : a.suggestions.map((s) => s.code).join(' ') + a.text);
  console.log(noText, unknownOp, checked);
}
void workerProtocol;
