#!/usr/bin/env node
// medcode command line: answers from the embedded tables, no network.
//   medcode lookup CODE...        title, status and ancestors of each code
//   medcode validate CODE...      the $validate-code answer in words
//   medcode children CODE...      the entries directly under each code
//   medcode prefix PREFIX [--limit N]
//   medcode info                  the embedded release
// With no CODE, codes are read from standard input, one a line.
// --json prints one JSON object per input line. Exit status 1 when an input
// is malformed or not in the release.
import { open } from './node.js';
import { createInterface } from 'node:readline';

const USAGE = `usage: medcode [--system icd10cm] [--json] <lookup|validate|children|prefix|info> [CODE...]
  lookup CODE...      title, billable or header status and ancestors
  validate CODE...    validity with the reason in words
  children CODE...    entries directly under a code
  prefix PREFIX       codes starting with PREFIX (--limit N, default 50)
  info                the embedded release and its counts
With no CODE, codes are read from standard input, one a line.`;

function parseArgs(argv) {
  const opts = { json: false, system: 'icd10cm', limit: 50, command: null, inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--system') opts.system = argv[++i];
    else if (a === '--limit') opts.limit = Number(argv[++i]);
    else if (a === '-h' || a === '--help') opts.command = 'help';
    else if (opts.command === null) opts.command = a;
    else opts.inputs.push(a);
  }
  return opts;
}

async function* inputs(opts) {
  if (opts.inputs.length > 0 || opts.command === 'info') {
    yield* opts.inputs;
    return;
  }
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== '') yield line;
  }
}

function status(entry) {
  if (entry.billable) return 'billable';
  if (entry.kind === 'chapter' || entry.kind === 'block') return entry.kind;
  return 'header, not billable';
}

function describeLookup(cm, input) {
  const v = cm.validate(input);
  const entry = v.display === undefined ? null : cm.lookup(input);
  if (!entry) return { ok: false, json: { input, ...v }, text: `${input}\n  ${v.issues.map((i) => i.text).join('\n  ')}` };
  const ancestors = cm.ancestors(input) ?? [];
  const lines = [`${entry.code}  ${status(entry)}  ${entry.display}`];
  for (const issue of v.issues) if (issue.severity !== 'information') lines.push(`  ${issue.text}`);
  if (ancestors.length) lines.push(`  in: ${ancestors.map((a) => `${a.code} ${a.display}`).join(' › ')}`);
  return { ok: true, json: { input, ...v, kind: entry.kind, billable: entry.billable, parent: entry.parent, ancestors: ancestors.map((a) => a.code) }, text: lines.join('\n') };
}

function describeValidate(cm, input) {
  const v = cm.validate(input);
  const head = `${v.code || JSON.stringify(input)}  ${v.result ? 'valid' : 'not valid'}${v.display ? '  ' + v.display : ''}`;
  return { ok: v.display !== undefined, json: { input, ...v }, text: [head, ...v.issues.map((i) => `  ${i.severity}: ${i.text}`)].join('\n') };
}

function describeChildren(cm, input) {
  const children = cm.children(input);
  if (children === null) return describeValidate(cm, input);
  const text = [input, ...children.map((c) => `  ${c.code}  ${status(c)}  ${c.display}`)].join('\n');
  return { ok: true, json: { input, children }, text };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts.command || opts.command === 'help') {
    console.log(USAGE);
    return opts.command === 'help' ? 0 : 2;
  }
  const cm = await open(opts.system);
  if (opts.command === 'info') {
    const info = cm.info();
    console.log(opts.json ? JSON.stringify(info) : `${info.name} ${info.release} (${info.publisher})\n  system ${info.uri} version ${info.version}\n  ${info.counts.billable} billable codes, ${info.counts.headers} headers, ${info.counts.categories} categories, ${info.counts.blocks} blocks, ${info.counts.chapters} chapters\n  source ${info.source.file} sha256 ${info.source.sha256} via ${info.source.via}`);
    return 0;
  }
  const describe = { lookup: describeLookup, validate: describeValidate, children: describeChildren }[opts.command];
  let failed = false;
  for await (const input of inputs(opts)) {
    if (opts.command === 'prefix') {
      const found = cm.prefix(input, { limit: opts.limit });
      if (opts.json) console.log(JSON.stringify({ input, entries: found }));
      else console.log([`${input}: ${found.length} shown`, ...found.map((c) => `  ${c.code}  ${status(c)}  ${c.display}`)].join('\n'));
      continue;
    }
    if (!describe) {
      console.error(`medcode: unknown command ${JSON.stringify(opts.command)}\n${USAGE}`);
      return 2;
    }
    const answer = describe(cm, input);
    failed ||= !answer.ok;
    console.log(opts.json ? JSON.stringify(answer.json) : answer.text);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(`medcode: ${e.message}`); process.exitCode = 2; },
);
