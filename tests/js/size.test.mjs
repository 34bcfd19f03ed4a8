// The size budget: a module more than 5% past size-budget.json fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODULES, overBudget, readBudget } from '../../scripts/size.mjs';

test('every shipped module is within 5% of its recorded size', () => {
  assert.deepEqual(overBudget(), []);
});

test('the budget check fails on a module 5% past its budget', () => {
  const budget = readBudget();
  const tight = { modules: {} };
  for (const m of MODULES) tight.modules[m] = { raw: Math.floor(budget.modules[m].raw / 1.06), gzip: budget.modules[m].gzip };
  const problems = overBudget(tight);
  assert.equal(problems.length, MODULES.length);
  assert.match(problems[0], /raw \d+ bytes is \d+\.\d% over the recorded \d+ \(limit \+5%\)/);
});

test('the code section is found in every module and is most of the CPT module', async () => {
  const { codeBytes, measure } = await import('../../scripts/size.mjs');
  for (const m of MODULES) {
    const code = codeBytes(m);
    assert.ok(code && code.raw > 100_000 && code.raw < measure(m).raw, `${m}: ${JSON.stringify(code)}`);
    assert.ok(code.gzip < code.raw, m);
  }
  // The CPT module holds almost no data: its code is most of its bytes.
  assert.ok(codeBytes('pkg/cpt_bg.wasm').raw > measure('pkg/cpt_bg.wasm').raw * 0.8);
});
