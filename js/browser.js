// Entry for browsers, Web Workers and bundlers: the module is fetched next to
// this file (bundlers resolve `new URL(..., import.meta.url)`).
import { CodeSet, MedcodeError, checkSystem, SYSTEMS } from './medcode.js';

export { CodeSet, MedcodeError, SYSTEMS };

const loaders = {
  icd10cm: async (wasmUrl) => {
    const glue = await import('../pkg/icd10cm.js');
    const exports = await glue.default({ module_or_path: wasmUrl ?? new URL('../pkg/icd10cm_bg.wasm', import.meta.url) });
    return new CodeSet(glue, exports.memory);
  },
};
const opened = new Map();

/**
 * Opens a code system. `options.wasmUrl` overrides where the module is fetched from.
 * @returns {Promise<CodeSet>}
 */
export async function open(system, options = {}) {
  checkSystem(system);
  if (!opened.has(system)) {
    const loading = loaders[system](options.wasmUrl).then(
      (set) => set,
      (e) => {
        opened.delete(system);
        throw new MedcodeError(`cannot load the ${system} module: ${e.message}`, { cause: e });
      },
    );
    opened.set(system, loading);
  }
  return opened.get(system);
}
