// Load test of `medcode serve --fhir` on 127.0.0.1: requests per second,
// median and p99 latency at 1, 8 and 64 concurrent keep-alive clients, the
// errors (any answer but 200) and the server's resident memory after each
// level; next to a bare node:http server answering a fixed resource
// (bench/lib/http-baseline.mjs), measured in the same run. The request mix:
// $validate-code by GET (60%), $lookup (20%), $validate-code by POST with a
// Coding (10%), $expand with a word filter (10%).
//   node bench/fhir-server.mjs [SECONDS per level, default 3]   (also run by `npm run bench`)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { open } from '../js/node.js';

const file = (p) => fileURLToPath(new URL(p, import.meta.url));
const LEVELS = [1, 8, 64];

/** Starts a server process; resolves `{child, base}` once it prints its FHIR base. */
function start(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /FHIR R4 terminology at (\S+)/.exec(out);
      if (m) resolve({ child, base: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

/** Resident memory of a process, MB (Linux /proc). */
function rssMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The request mix: `[method, path, body?]`, cycling over real codes. */
function requests(base, codes, system) {
  const filters = ['diabetes', 'fracture of femur', 'chf', 'heart attack', 'pneumonia'];
  const out = [];
  for (let i = 0; i < 1000; i++) {
    const code = codes[i % codes.length];
    const k = i % 10;
    const q = `system=${encodeURIComponent(system)}&code=${encodeURIComponent(code)}`;
    if (k < 6) out.push(['GET', `${base}/CodeSystem/$validate-code?${q}`]);
    else if (k < 8) out.push(['GET', `${base}/CodeSystem/$lookup?${q}`]);
    else if (k < 9) out.push(['POST', `${base}/CodeSystem/$validate-code`, JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'coding', valueCoding: { system, code } }] })]);
    else out.push(['GET', `${base}/ValueSet/$expand?url=${encodeURIComponent(`${system}?fhir_vs`)}&filter=${encodeURIComponent(filters[i % filters.length])}&count=10`]);
  }
  return out;
}

/** One request over `agent`; resolves the HTTP status (0 on a network error). */
function send(agent, [method, url, body]) {
  return new Promise((resolve) => {
    const req = http.request(url, { method, agent, headers: body ? { 'Content-Type': 'application/fhir+json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** `clients` loops sending the mix for `seconds`: rate, latencies, errors. */
async function level(mix, clients, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const times = [];
  let errors = 0;
  let next = 0;
  const until = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const r = mix[next++ % mix.length];
      const t = performance.now();
      const status = await send(agent, r);
      times.push(performance.now() - t);
      if (status !== 200) errors++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, loop));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { clients, requests: times.length, rps: times.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

/** Runs both servers through every level. */
export async function runFhirServerBench(seconds = 3) {
  const cm = await open('icd10cm');
  const codes = cm.prefix('E', { limit: 2000 }).map((e) => e.code).concat(['E11.99', 'e119', 'S72.001', 'Z00.00']);
  const out = {};
  for (const [name, args] of [['medcode', [file('../js/cli.js'), 'serve', '--fhir', '--port', '0']], ['baseline', [file('lib/http-baseline.mjs')]]]) {
    const { child, base } = await start(args);
    try {
      const mix = requests(base, codes, cm.system);
      await level(mix, 8, 0.5); // warm-up: first search index, JIT
      const rows = [];
      const rssStart = rssMb(child.pid);
      for (const clients of LEVELS) rows.push({ ...(await level(mix, clients, seconds)), rssMb: rssMb(child.pid) });
      // Memory flat: the same load again after the others.
      rows.push({ ...(await level(mix, 8, seconds)), rssMb: rssMb(child.pid), again: true });
      out[name] = { rssStartMb: rssStart, rows };
    } finally {
      child.kill();
    }
  }
  return out;
}

export function printFhirServer(r) {
  console.log('\nFHIR server load test (medcode serve --fhir, 127.0.0.1; mix: 60% validate-code GET, 20% lookup, 10% validate-code POST Coding, 10% expand filter)');
  console.log('  clients     medcode req/s   p50 ms   p99 ms  errors  RSS MB | bare node:http req/s   ratio');
  r.medcode.rows.forEach((m, i) => {
    const b = r.baseline.rows[i];
    const label = `${m.clients}${m.again ? ' again' : ''}`;
    console.log(`  ${label.padEnd(9)} ${m.rps.toFixed(0).padStart(13)} ${m.p50.toFixed(2).padStart(8)} ${m.p99.toFixed(2).padStart(8)} ${String(m.errors).padStart(7)} ${m.rssMb.toFixed(0).padStart(7)} | ${b.rps.toFixed(0).padStart(20)} ${(m.rps / b.rps).toFixed(2).padStart(6)}×`);
  });
  console.log(`  server RSS after start-up and warm-up: ${r.medcode.rssStartMb.toFixed(0)} MB`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const seconds = Number(process.argv[2] ?? 3);
  const r = await runFhirServerBench(seconds);
  printFhirServer(r);
  console.log(JSON.stringify({ fhirServer: r }));
}
