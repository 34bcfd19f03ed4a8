// Entry for browsers, Web Workers and bundlers: each system's module is
// fetched next to this file (bundlers resolve `new URL(..., import.meta.url)`).
import { CodeSet, MedcodeError, SYSTEMS, opener } from './medcode.js';

export { CodeSet, MedcodeError, SYSTEMS };

/** The wasm-bindgen glue and module of each system (static URLs for bundlers). */
const MODULES = {
  icd10cm: [() => import('../pkg/icd10cm.js'), () => new URL('../pkg/icd10cm_bg.wasm', import.meta.url)],
  'icd10cm-notes': [() => import('../pkg/icd10cm-notes.js'), () => new URL('../pkg/icd10cm-notes_bg.wasm', import.meta.url)],
  icd10pcs: [() => import('../pkg/icd10pcs.js'), () => new URL('../pkg/icd10pcs_bg.wasm', import.meta.url)],
  hcpcs: [() => import('../pkg/hcpcs.js'), () => new URL('../pkg/hcpcs_bg.wasm', import.meta.url)],
  cpt: [() => import('../pkg/cpt.js'), () => new URL('../pkg/cpt_bg.wasm', import.meta.url)],
};

/**
 * Opens a code system: `await open('icd10cm')`, `open('icd10pcs')`,
 * `open('hcpcs')`, `open('cpt')`; `options.wasmUrl` overrides where the
 * module is fetched from; `open('icd10cm', {notes: true})` loads ICD-10-CM
 * with its instructional notes. Only the modules opened are downloaded.
 * @returns {Promise<CodeSet>}
 */
export const open = opener(async (system, { wasmUrl, module }) => {
  const [glueOf, urlOf] = MODULES[module];
  const glue = await glueOf();
  await glue.default({ module_or_path: wasmUrl ?? urlOf() });
  return glue;
});

/**
 * Opens a module built by `scripts/build.sh --table FILE` (a custom code
 * list): `glue` is its imported `custom.js`, `wasmUrl` where its
 * `custom_bg.wasm` is served.
 * @returns {Promise<CodeSet>}
 */
export async function openModule(glue, wasmUrl) {
  try {
    await glue.default({ module_or_path: wasmUrl });
    return new CodeSet(glue);
  } catch (e) {
    throw new MedcodeError(`cannot load the module: ${e.message}`, { cause: e });
  }
}
