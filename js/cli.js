#!/usr/bin/env node
// medcode command line: answers from the embedded tables, no network.
// Arguments are read by node:util parseArgs in strict mode: an unknown
// command or option, or an option without its value, is a usage error
// (exit status 2) before anything is opened or read. `medcode help` lists
// the commands, `medcode COMMAND --help` says what one does.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { open, SYSTEMS } from './node.js';
import { checkClaim } from './medcode-claim.js';
import { check } from './cli-check.js';
import { serveCommand } from './cli-serve.js';

/** Thrown for a usage error: printed with the usage line, exit status 2. */
class UsageError extends Error {
  usage = true;
}

const OPTIONS = {
  system: { type: 'string', short: 's' },
  date: { type: 'string', short: 'd' },
  limit: { type: 'string', short: 'n' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  // claim
  procedure: { type: 'string', short: 'p', multiple: true },
  sex: { type: 'string' },
  age: { type: 'string' },
  // fhir validate-code
  display: { type: 'string' },
  // check
  'code-column': { type: 'string', short: 'c', multiple: true },
  'date-column': { type: 'string' },
  header: { type: 'boolean' },
  'no-header': { type: 'boolean' },
  claims: { type: 'boolean' },
  'claim-column': { type: 'string' },
  // serve
  fhir: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
};

const GLOBAL = `Options for every command:
  -s, --system ID    ${SYSTEMS.join(', ')} (default icd10cm)
  -d, --date DATE    date of service, YYYY-MM-DD (default: the newest release)
      --json         one JSON object per answer
  -h, --help         this help`;

/** Each command: its usage line, what it does, the options it takes beyond the global ones, and how it runs. */
const COMMANDS = {
  lookup: { args: 'CODE...', about: 'title, billable or header status and ancestors of each code', stdin: true },
  validate: { args: 'CODE...', about: 'validity on the date with the reason in words', stdin: true },
  children: { args: 'CODE...', about: 'the entries directly under each code', stdin: true },
  ancestors: { args: 'CODE...', about: 'the entries above each code, nearest first, up to its chapter', stdin: true },
  prefix: { args: 'PREFIX...', about: 'codes starting with each prefix', options: ['limit'], stdin: true },
  search: { args: 'WORDS...', about: 'codes whose titles or lexicon terms match the words (one query)', options: ['limit'] },
  find: { args: 'TEXT...', about: 'one search box: a code, the start of a code, a mistyped code or words', options: ['limit'] },
  notes: { args: 'CODE...', about: 'instructional notes of each code, its own then inherited (ICD-10-CM)', stdin: true },
  claim: {
    args: 'DIAGNOSIS...',
    about: 'checks a claim: ICD-10-CM diagnoses (the first is principal), ICD-10-PCS procedures, sex and age',
    options: ['procedure', 'sex', 'age'],
  },
  fhir: {
    args: 'validate-code CODE | lookup CODE | expand [FILTER]',
    about: 'the FHIR R4 terminology answer (Parameters, ValueSet or OperationOutcome) as JSON',
    options: ['display', 'limit'],
  },
  check: {
    args: 'FILE|-',
    about: 'checks every code of a CSV or TSV file (or standard input): the rows out with result columns, a summary on standard error',
    options: ['code-column', 'date-column', 'header', 'no-header', 'claims', 'claim-column'],
  },
  serve: {
    args: '',
    about: 'serves FHIR R4 terminology at /fhir with --fhir ($lookup, $validate-code, $subsumes, $expand on every embedded system; --system for one), and the offline page in a checkout',
    options: ['fhir', 'port', 'host'],
  },
  info: { args: '', about: 'the embedded release, its counts and sources' },
  help: { args: '[COMMAND]', about: 'this list, or what one command does' },
};

const OPTION_HELP = {
  limit: '  -n, --limit N      at most N answers (prefix: 50, search and find: 10, fhir expand: 100)',
  procedure: '  -p, --procedure CODE  an ICD-10-PCS procedure (repeat for more)',
  sex: '      --sex F|M      the patient\'s sex',
  age: '      --age YEARS    the patient\'s age in years',
  display: '      --display TEXT the display to check against the official title (validate-code)',
  'code-column': '  -c, --code-column COL[:SYSTEM]  a code column by header name or number, with its system (repeat for more;\n                     default: the columns named like dx, diag, icd, hcpcs, proc, code; else the first)',
  'date-column': '      --date-column COL  the date of service per row (default: a column named like date of service;\n                     rows without one use --date)',
  header: '      --header       the first row is a header (default: found out from its cells)',
  'no-header': '      --no-header    the first row is data',
  claims: '      --claims       group rows into claims (by the claim column) and check each claim: one line per finding\n                     (diagnoses from dx columns in order, procedures from px columns or COL:icd10pcs, sex, age, date)',
  'claim-column': '      --claim-column COL  the claim id (default: a column named claim, claim_id, encounter...)',
  fhir: '      --fhir         answer FHIR R4 terminology requests under /fhir',
  port: '      --port N       the port (default 8080; 0 picks a free one)',
  host: '      --host ADDR    the address to listen on (default 127.0.0.1; there is no TLS or login: put a proxy in front)',
};

function usage() {
  const lines = Object.entries(COMMANDS).map(([name, c]) => {
    const left = `${name} ${c.args}`;
    return left.length > 20 ? `  ${left}\n  ${''.padEnd(20)}  ${c.about}` : `  ${left.padEnd(20)}  ${c.about}`;
  });
  return `usage: medcode [options] COMMAND [ARGS]\n${lines.join('\n')}\n${GLOBAL}\n  -V, --version      the package version and the embedded releases\nWith no CODE, lookup, validate, children, ancestors, prefix and notes read\ncodes from standard input, one a line. Exit status 1 when an input is\nmalformed or not in the release (validate: not valid on the date; search:\nnothing found; claim: a finding is an error), 2 on a usage error.`;
}

function commandHelp(name) {
  const c = COMMANDS[name];
  const extra = (c.options ?? []).map((o) => OPTION_HELP[o]);
  const stdin = c.stdin ? '\nWith no argument, reads them from standard input, one a line.' : '';
  return `usage: medcode ${name} [options] ${c.args}\n${c.about}.${stdin}\n${[...extra, GLOBAL].join('\n')}`;
}

/** The date option: a real calendar day written YYYY-MM-DD. */
function parseDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (!d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new UsageError(`--date: ${JSON.stringify(text)} is not a date; write it YYYY-MM-DD`);
  }
  return text;
}

function parseCount(name, text, { min = 1 } = {}) {
  if (!/^\d{1,7}$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name}: ${JSON.stringify(text)} is not a whole number of at least ${min}`);
  }
  return Number(text);
}

/** Reads the command line; throws UsageError for anything it cannot take. */
function readCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e.message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.version) return { command: 'version', values, args };
  if (command === undefined) {
    if (values.help) return { command: 'help', values, args: [] };
    throw new UsageError('no command given');
  }
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  if (command === 'help') {
    if (args.length > 1 || (args[0] !== undefined && !Object.hasOwn(COMMANDS, args[0]))) {
      throw new UsageError(`help: unknown command ${JSON.stringify(args.join(' '))}`);
    }
    return { command, values, args };
  }
  if (values.help) return { command: 'help', values, args: [command] };
  if (command === 'notes' && values.system !== undefined && values.system !== 'icd10cm') {
    throw new UsageError(`notes: the instructional notes are ICD-10-CM's (--system icd10cm)`);
  }
  const allowed = new Set(['system', 'date', 'json', 'help', 'version', ...(COMMANDS[command].options ?? [])]);
  for (const name of Object.keys(values)) {
    if (!allowed.has(name)) throw new UsageError(`${command} takes no --${name} option`);
  }
  if (values.system !== undefined && !SYSTEMS.includes(values.system)) {
    throw new UsageError(`--system: ${JSON.stringify(values.system)} is not one of ${SYSTEMS.join(', ')}`);
  }
  const options = {
    system: values.system ?? 'icd10cm',
    date: values.date === undefined ? undefined : parseDate(values.date),
    limit: values.limit === undefined ? undefined : parseCount('limit', values.limit),
    json: values.json === true,
  };
  if (values.age !== undefined) options.age = parseCount('age', values.age, { min: 0 });
  if (values.sex !== undefined) {
    if (!/^[FM]$/i.test(values.sex)) throw new UsageError(`--sex: ${JSON.stringify(values.sex)} is not F or M`);
    options.sex = values.sex.toUpperCase();
  }
  options.procedures = values.procedure ?? [];
  options.display = values.display;
  if (command === 'fhir') {
    const [op, ...rest] = args;
    if (!['validate-code', 'lookup', 'expand'].includes(op)) {
      throw new UsageError(`fhir: ${op === undefined ? 'no operation given' : `unknown operation ${JSON.stringify(op)}`}; use validate-code, lookup or expand`);
    }
    if (op !== 'expand' && rest.length !== 1) throw new UsageError(`fhir ${op}: give one CODE`);
  }
  if ((command === 'search' || command === 'find' || command === 'claim') && args.length === 0) {
    throw new UsageError(`${command}: give ${COMMANDS[command].args}`);
  }
  if (command === 'info' && args.length > 0) throw new UsageError('info takes no arguments');
  if (command === 'serve') {
    if (args.length > 0) throw new UsageError('serve takes no arguments');
    if (options.date !== undefined) throw new UsageError('serve takes no --date: each request names its date');
    options.fhir = values.fhir === true;
    options.port = values.port === undefined ? 8080 : parseCount('port', values.port, { min: 0 });
    if (options.port > 65535) throw new UsageError(`--port: ${options.port} is not a port (0-65535)`);
    options.host = values.host ?? '127.0.0.1';
    options.only = values.system;
  }
  if (command === 'check') {
    if (args.length !== 1) throw new UsageError('check: give one FILE, or - for standard input');
    if (values.header && values['no-header']) throw new UsageError('check: --header and --no-header both given');
    options.codeColumns = values['code-column'] ?? [];
    options.dateColumn = values['date-column'];
    options.header = values.header ? true : values['no-header'] ? false : undefined;
    options.claims = values.claims === true;
    options.claimColumn = values['claim-column'];
    if (options.claimColumn !== undefined && !options.claims) throw new UsageError('check: --claim-column needs --claims');
    if (args[0] === '-' && process.stdin.isTTY) throw new UsageError('check: standard input is a terminal; pipe a file in or give its name');
  }
  return { command, options, args };
}

/** The inputs of a command: its arguments, or standard input's lines when piped (never a wait on a terminal). */
async function* inputs(command, args) {
  if (args.length > 0 || !COMMANDS[command].stdin) {
    yield* args;
    return;
  }
  if (process.stdin.isTTY) throw new UsageError(`${command}: give ${COMMANDS[command].args}, or pipe them in one a line`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== '') yield line.trim();
  }
}

function status(entry) {
  if (entry.billable) return 'billable';
  if (entry.kind === 'chapter' || entry.kind === 'block') return entry.kind;
  return 'header, not billable';
}

const row = (e) => `  ${e.code}  ${status(e)}  ${e.display}`;

/** The answer for an input that is not a code of the release: why, as validate says it. */
function unknown(set, input, o) {
  return { ...ANSWER.validate(set, input, o), ok: false };
}

/** Each command's answer for one input: ok (false sets exit status 1), its JSON and its text. */
const ANSWER = {
  lookup(set, input, o) {
    const v = set.validate(input, o);
    const entry = v.display === undefined ? null : set.lookup(input, o);
    if (!entry) return { ok: false, json: { input, ...v }, text: `${input}\n  ${v.issues.map((i) => i.text).join('\n  ')}` };
    const ancestors = set.ancestors(input) ?? [];
    const lines = [`${entry.code}  ${v.result ? status(entry) : v.issues[0]?.reason ?? status(entry)}  ${entry.display}`];
    for (const issue of v.issues) if (issue.severity !== 'information') lines.push(`  ${issue.text}`);
    if (ancestors.length) lines.push(`  in: ${ancestors.map((a) => `${a.code} ${a.display}`).join(' › ')}`);
    const json = { input, ...v, kind: entry.kind, billable: entry.billable, parent: entry.parent, ancestors: ancestors.map((a) => a.code) };
    return { ok: true, json, text: lines.join('\n') };
  },
  validate(set, input, o) {
    const v = set.validate(input, o);
    const head = `${v.code || JSON.stringify(input)}  ${v.result ? 'valid' : 'not valid'}${v.display ? '  ' + v.display : ''}`;
    return { ok: v.result, json: { input, ...v }, text: [head, ...v.issues.map((i) => `  ${i.severity}: ${i.text}`)].join('\n') };
  },
  children(set, input, o) {
    const children = set.children(input);
    if (children === null) return unknown(set, input, o);
    return { ok: true, json: { input, children }, text: [input, ...children.map(row)].join('\n') };
  },
  ancestors(set, input, o) {
    const ancestors = set.ancestors(input);
    if (ancestors === null) return unknown(set, input, o);
    return { ok: true, json: { input, ancestors }, text: [input, ...ancestors.map(row)].join('\n') };
  },
  prefix(set, input, o) {
    const entries = set.prefix(input, { limit: o.limit ?? 50 });
    return { ok: true, json: { input, entries }, text: [`${input}: ${entries.length} shown`, ...entries.map(row)].join('\n') };
  },
  notes(set, input) {
    const notes = set.notes(input);
    if (notes === null) return { ok: false, json: { input, notes: null }, text: `${input}\n  not a code of the release` };
    const lines = notes.map((n) => `  ${n.kind}${n.char ? ` ${n.char}` : ''} (${n.from}): ${n.text}`);
    return { ok: true, json: { input, notes }, text: [input, ...(lines.length ? lines : ['  no notes'])].join('\n') };
  },
};

function searchText(found, query) {
  const lines = [`${query}: ${found.results.length} shown${found.mode ? ` (${found.mode})` : ''}`];
  for (const r of found.results) {
    let line = row(r);
    if (r.expanded?.length) line += `   [${r.expanded.map((x) => `${x.from} → ${x.to}`).join('; ')}]`;
    if (r.unmatched?.length) line += `   (not used: ${r.unmatched.join(' ')})`;
    lines.push(line);
  }
  return lines.join('\n');
}

async function versionText() {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const lines = [`medcode ${version}`];
  for (const system of SYSTEMS) {
    const info = (await open(system)).info();
    lines.push(`  ${system.padEnd(9)} ${info.name} ${info.release}`);
  }
  return lines.join('\n');
}

/** Runs a command; returns the exit status. `print` takes each answer's text or JSON line. */
async function run(argv, print = console.log) {
  const { command, options, args } = readCommandLine(argv);
  if (command === 'version') {
    print(await versionText());
    return 0;
  }
  if (command === 'help') {
    print(args[0] ? commandHelp(args[0]) : usage());
    return 0;
  }
  const dated = options.date === undefined ? {} : { date: options.date };
  const out = (answer) => print(options.json ? JSON.stringify(answer.json) : answer.text);
  if (command === 'info') {
    const info = (await open(options.system)).info();
    print(options.json ? JSON.stringify(info) : `${info.name} ${info.release} (${info.publisher})\n  system ${info.uri} version ${info.version}\n  ${info.counts.billable} billable codes, ${info.counts.headers} headers, ${info.counts.categories} categories, ${info.counts.blocks} blocks, ${info.counts.chapters} chapters\n  source ${info.source.file} sha256 ${info.source.sha256} via ${info.source.via}`);
    return 0;
  }
  if (command === 'search' || command === 'find') {
    const set = await open(options.system);
    const query = args.join(' ');
    const limit = options.limit ?? 10;
    const found = command === 'find' ? set.find(query, { limit }) : { mode: null, results: set.search(query, { limit }) };
    out({ json: { input: query, ...found }, text: searchText(found, query) });
    return found.results.length > 0 ? 0 : 1;
  }
  if (command === 'claim') {
    const cm = await open('icd10cm', { notes: true });
    const pcs = options.procedures.length ? await open('icd10pcs') : undefined;
    const claim = { diagnoses: args, procedures: options.procedures, ...dated };
    if (options.sex !== undefined) claim.sex = options.sex;
    if (options.age !== undefined) claim.age = options.age;
    const findings = checkClaim(claim, { cm, pcs });
    const text = findings.length
      ? findings.map((f) => `${f.severity}  ${f.type}  ${f.codes.length ? `${f.codes.join(' ')}: ` : ''}${f.reason}${f.suggestions?.length ? ` (instead: ${f.suggestions.join(', ')})` : ''}`).join('\n')
      : 'no findings';
    out({ json: { claim, findings }, text });
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  }
  if (command === 'check') return check(args[0], options, print);
  if (command === 'serve') {
    await serveCommand({ fhir: options.fhir, port: options.port, host: options.host, system: options.only }, print);
    return new Promise(() => {});
  }
  if (command === 'fhir') {
    const set = await open(options.system);
    const [op, code] = args;
    let answer;
    if (op === 'validate-code') answer = set.fhir.validateCode({ code, ...dated, ...(options.display === undefined ? {} : { display: options.display }) });
    else if (op === 'lookup') answer = set.fhir.lookup({ code, ...dated });
    else answer = set.fhir.expand({ ...(code === undefined ? {} : { filter: args.slice(1).join(' ') }), count: options.limit ?? 100, ...dated });
    print(JSON.stringify(answer, null, options.json ? undefined : 2));
    if (answer.resourceType === 'OperationOutcome') return 1;
    const result = answer.parameter?.find((p) => p.name === 'result');
    return result && result.valueBoolean === false ? 1 : 0;
  }
  const set = await open(options.system, { notes: command === 'notes' });
  let failed = false;
  for await (const input of inputs(command, args)) {
    const answer = ANSWER[command](set, input, { ...dated, limit: options.limit });
    failed ||= !answer.ok;
    out(answer);
  }
  return failed ? 1 : 0;
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    const hint = 'usage: medcode [options] COMMAND [ARGS]; `medcode help` lists the commands';
    console.error(e?.usage === true ? `medcode: ${e.message}\n${hint}` : `medcode: ${e.message}`);
    process.exitCode = e?.exitCode ?? 2;
  },
);
