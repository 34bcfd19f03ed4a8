// Compiled with `tsc --noEmit` by scripts/test.sh: the published types fit the
// way the README uses the API.
import { open, MedcodeError, SYSTEMS, type CodeSet, type Concept, type Validation, type Entry, type SearchResult, type Found, type FindMode, type Suggestion, type Note, type NextCharacter, type Modifier } from 'medcode';

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
  void [first, severity, edits, noteType, adult];
}
void claim;
