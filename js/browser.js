// Entry for browsers, Web Workers and bundlers: the module is fetched next to
// this file (bundlers resolve `new URL(..., import.meta.url)`).
import { CodeSet, MedcodeError, SYSTEMS, opener } from './medcode.js';

export { CodeSet, MedcodeError, SYSTEMS };

/**
 * Opens a code system: `await open('icd10cm')`; `options.wasmUrl` overrides
 * where the module is fetched from.
 * @returns {Promise<CodeSet>}
 */
export const open = opener({
  icd10cm: async ({ wasmUrl }) => {
    const glue = await import('../pkg/icd10cm.js');
    await glue.default({ module_or_path: wasmUrl ?? new URL('../pkg/icd10cm_bg.wasm', import.meta.url) });
    return glue;
  },
});
