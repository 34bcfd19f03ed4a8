// `medcode check FILE|-`: the rows of a CSV or TSV file (or standard input)
// with result columns per code column, as CSV (the input's delimiter) or
// JSON Lines; a summary on standard error, and a progress line there when
// it is a terminal. Streams: memory stays flat whatever the file's size.
import { createReadStream, statSync } from 'node:fs';
import { open } from './node.js';
import { checkBytes, lineBatches } from './medcode-check.js';
import { checkClaimBatches } from './medcode-claims-check.js';

/** Writes text and bytes in chunks of about 64 KB, waiting when the output is full. */
function writer(stream) {
  let buffer = '';
  const send = async (data) => {
    if (!stream.write(data)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  return {
    async write(data) {
      if (typeof data !== 'string') {
        await this.flush();
        return send(data);
      }
      buffer += data;
      if (buffer.length >= 1 << 16) await this.flush();
    },
    async flush() {
      if (buffer === '') return;
      const text = buffer;
      buffer = '';
      await send(text);
    },
  };
}

/** A progress line on a terminal: rows, rate, and the time left when the size is known. */
function progress(total) {
  if (!process.stderr.isTTY) return { tick() {}, done() {} };
  const start = performance.now();
  let last = 0;
  return {
    tick(rows, bytes) {
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      const rate = rows / ((now - start) / 1000);
      const eta = total && bytes ? ` ETA ${Math.max(0, ((total - bytes) / bytes) * ((now - start) / 1000)).toFixed(0)} s` : '';
      process.stderr.write(`\r${rows.toLocaleString('en-US')} rows, ${Math.round(rate).toLocaleString('en-US')} rows/s${eta}   `);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

/** `1234567` as `1,234,567` (without Intl, whose first use costs tens of milliseconds). */
function grouped(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The summary printed on standard error at the end. */
function summaryText(s, seconds) {
  const lines = [`medcode check: ${grouped(s.rows)} rows, ${grouped(s.codes)} codes in ${seconds.toFixed(1)} s; ${grouped(s.failedRows)} rows fail`];
  for (const [status, n] of Object.entries(s.statuses).sort((a, b) => b[1] - a[1])) lines.push(`  ${status.padEnd(20)} ${grouped(n)}`);
  for (const m of s.malformed) lines.push(`  ${m}`);
  return lines.join('\n');
}

/** The summary of `check --claims`: claims, those with an error, findings per severity and type. */
function claimSummaryText(s, seconds) {
  const n = grouped;
  const lines = [`medcode check --claims: ${n(s.claims)} claims (${n(s.rows)} rows) in ${seconds.toFixed(1)} s; ${n(s.failedClaims)} with an error`];
  for (const [kind, count] of Object.entries(s.findings).sort((a, b) => b[1] - a[1])) lines.push(`  ${kind.padEnd(34)} ${n(count)}`);
  for (const m of s.malformed) lines.push(`  ${m}`);
  return lines.join('\n');
}

/** Runs `medcode check`; returns the exit status (1 when any row fails). */
export async function check(file, options, print) {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const total = file === '-' ? 0 : statSync(file).size;
  const out = writer(process.stdout);
  const bar = progress(total);
  const start = performance.now();
  const io = { write: (text) => out.write(text), progress: (rows) => bar.tick(rows, input.bytesRead) };
  const source = file === '-' ? 'standard input' : file;
  if (options.claims) {
    const summary = await checkClaimBatches(lineBatches(input.setEncoding('utf8')), { ...options, open, source }, io);
    await out.flush();
    bar.done();
    process.stderr.write(claimSummaryText(summary, (performance.now() - start) / 1000) + '\n');
    return summary.failedClaims > 0 ? 1 : 0;
  }
  const summary = await checkBytes(input, { ...options, open, source }, io);
  await out.flush();
  bar.done();
  process.stderr.write(summaryText(summary, (performance.now() - start) / 1000) + '\n');
  return summary.failedRows > 0 ? 1 : 0;
}
