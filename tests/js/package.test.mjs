// The packed npm package, installed into an empty project: the root export,
// its `node` condition and the `medcode` bin work as a user gets them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mceValidOn } from './official.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('npm pack + install: import { open } from "medcode" and npx medcode work', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'medcode-consumer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir, ROOT], { encoding: 'utf8' }).trim().split('\n').pop();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: dir, stdio: 'pipe' });
  const script = "import { open } from 'medcode'; const cm = await open('icd10cm'); console.log(JSON.stringify([cm.isValid('e119'), cm.lookup('E11').billable, cm.info().counts.billable]));";
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [true, false, mceValidOn(20260401).length]);
  const cli = execFileSync(join(dir, 'node_modules/.bin/medcode'), ['lookup', 'E11.9'], { cwd: dir, encoding: 'utf8' });
  assert.match(cli, /^E11\.9 {2}billable {2}Type 2 diabetes mellitus without complications/);
});
