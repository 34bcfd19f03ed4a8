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
