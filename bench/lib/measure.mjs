// Timing, statistics and size helpers shared by bench/run.mjs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';

/** Keeps results alive so the JIT cannot drop the measured work. */
export let sink = 0;

export function median(xs) {
  return percentile(xs, 50);
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/**
 * Operations per second of `fn`, which performs `opsPerCall` operations per
 * call: `warmMs` of warm-up (JIT tiers, lazy tables), then `rounds` rounds of
 * at least `roundMs` each; the median round is reported.
 */
export function throughput(fn, opsPerCall, { warmMs = 300, rounds = 9, roundMs = 200 } = {}) {
  const run = (ms) => {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      sink ^= fn() ? 1 : 0;
      calls++;
      t = performance.now();
    }
    return (calls * opsPerCall * 1000) / (t - t0);
  };
  run(warmMs);
  const rates = [];
  for (let i = 0; i < rounds; i++) rates.push(run(roundMs));
  return median(rates);
}

/** Latency of single calls to `fn` in µs: median and p99 of `samples` timed calls after `warm` untimed ones. */
export function latency(fn, { warm = 1000, samples = 5000 } = {}) {
  for (let i = 0; i < warm; i++) sink ^= fn().length;
  const us = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    sink ^= fn().length;
    us[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return { median: median(us), p99: percentile(us, 99) };
}

/** Bytes of a file raw, gzip -9 and brotli quality 11 (window 24), as a server would send it. */
export function sizes(path) {
  const bytes = readFileSync(path);
  const { BROTLI_PARAM_QUALITY, BROTLI_PARAM_LGWIN, BROTLI_PARAM_SIZE_HINT } = zlib.constants;
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, {
      params: { [BROTLI_PARAM_QUALITY]: 11, [BROTLI_PARAM_LGWIN]: 24, [BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

/** Runs `node ...args` and resolves with its stdout parsed as JSON. */
export function nodeJson(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited with ${code}`));
      else resolve(JSON.parse(out));
    });
  });
}
