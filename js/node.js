// Entry for Node.js (>= 20): each system's module is read from the package folder.
import { readFile } from 'node:fs/promises';
import { CodeSet, MedcodeError, SYSTEMS, opener } from './medcode.js';

export { CodeSet, MedcodeError, SYSTEMS };

/** The wasm-bindgen glue of each system (static imports keep bundlers and CSP happy). */
const GLUE = {
  icd10cm: () => import('../pkg/icd10cm.js'),
  'icd10cm-notes': () => import('../pkg/icd10cm-notes.js'),
  icd10pcs: () => import('../pkg/icd10pcs.js'),
  hcpcs: () => import('../pkg/hcpcs.js'),
  cpt: () => import('../pkg/cpt.js'),
};

/**
 * Opens a code system: `await open('icd10cm')`, `open('icd10pcs')`,
 * `open('hcpcs')`, `open('cpt')` (or their names and FHIR system URIs);
 * `open('icd10cm', {notes: true})` loads ICD-10-CM with its instructional notes.
 * @returns {Promise<CodeSet>}
 */
export const open = opener(async (system, { module }) => {
  const glue = await GLUE[module]();
  const bytes = await readFile(new URL(`../pkg/${module}_bg.wasm`, import.meta.url));
  glue.initSync({ module: bytes });
  return glue;
});

/**
 * Opens a module built by `scripts/build.sh --table FILE` (a custom code
 * list): `glue` is its imported `custom.js`, `wasm` the bytes or URL of
 * `custom_bg.wasm`.
 * @returns {Promise<CodeSet>}
 */
export async function openModule(glue, wasm) {
  try {
    const bytes = wasm instanceof URL || typeof wasm === 'string' ? await readFile(wasm) : wasm;
    glue.initSync({ module: bytes });
    return new CodeSet(glue);
  } catch (e) {
    throw new MedcodeError(`cannot load the module: ${e.message}`, { cause: e });
  }
}
