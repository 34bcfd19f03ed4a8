// The fixed, seeded input list both implementations answer: the same strings
// in the same order on every run.

/** A small seeded PRNG (mulberry32), so the list is identical across runs. */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes a dotted code the way users type it: as is, lower case, without the dot, padded. */
function typed(code, r) {
  const x = r();
  if (x < 0.4) return code;
  if (x < 0.6) return code.toLowerCase();
  if (x < 0.8) return code.replace('.', '');
  if (x < 0.9) return ` ${code} `;
  return code.replace('.', '').toLowerCase();
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * `n` inputs: 45 % billable codes, 20 % header (non-billable) codes and
 * categories, 35 % invalid (a billable code with a changed last character,
 * random letters and digits, empty or blank strings, malformed text), each
 * written in a random mix of cases, dots and padding.
 * @param {{code: string, billable: boolean}[]} entries  the dumped code set
 */
export function mixedInputs(entries, n = 10_000, seed = 2026) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const billable = entries.filter((e) => e.billable).map((e) => e.code);
  const headers = entries.filter((e) => !e.billable).map((e) => e.code);
  const known = new Set(entries.map((e) => e.code));
  const odd = ['', '   ', 'E11.', 'not a code', 'E11.9 extra', '12345', 'ZZZ', 'S72.001AA', 'U07.1X'];
  const out = [];
  while (out.length < n) {
    const x = r();
    if (x < 0.45) out.push(typed(pick(billable), r));
    else if (x < 0.65) out.push(typed(pick(headers), r));
    else if (x < 0.85) {
      const c = pick(billable);
      const changed = c.slice(0, -1) + ALNUM[Math.floor(r() * ALNUM.length)];
      if (!known.has(changed)) out.push(typed(changed, r));
    } else if (x < 0.95) {
      let s = '';
      for (let i = 3 + Math.floor(r() * 5); i > 0; i--) s += ALNUM[Math.floor(r() * ALNUM.length)];
      out.push(typed(s, r));
    } else out.push(pick(odd));
  }
  return out;
}
