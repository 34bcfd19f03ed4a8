// Entry for Node.js (>= 20): the module is read from the package folder.
import { readFile } from 'node:fs/promises';
import { CodeSet, MedcodeError, SYSTEMS, opener } from './medcode.js';

export { CodeSet, MedcodeError, SYSTEMS };

/**
 * Opens a code system: `await open('icd10cm')`.
 * @returns {Promise<CodeSet>}
 */
export const open = opener({
  icd10cm: async () => {
    const glue = await import('../pkg/icd10cm.js');
    const bytes = await readFile(new URL('../pkg/icd10cm_bg.wasm', import.meta.url));
    glue.initSync({ module: bytes });
    return glue;
  },
});
