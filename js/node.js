// Entry for Node.js (>= 20): the module is read from the package folder.
import { readFile } from 'node:fs/promises';
import { CodeSet, MedcodeError, checkSystem, SYSTEMS } from './medcode.js';

export { CodeSet, MedcodeError, SYSTEMS };

const loaders = {
  icd10cm: async () => {
    const glue = await import('../pkg/icd10cm.js');
    const bytes = await readFile(new URL('../pkg/icd10cm_bg.wasm', import.meta.url));
    const exports = glue.initSync({ module: bytes });
    return new CodeSet(glue, exports.memory);
  },
};
const opened = new Map();

/**
 * Opens a code system.
 * @returns {Promise<CodeSet>}
 */
export async function open(system) {
  checkSystem(system);
  if (!opened.has(system)) {
    const loading = loaders[system]().then(
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
