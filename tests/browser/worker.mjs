// A module Web Worker that opens the code set and answers validate requests.
import { open } from '/js/browser.js';

const ready = open('icd10cm');
self.onmessage = async (event) => {
  const cm = await ready;
  self.postMessage({ valid: cm.isValid(event.data), lookup: cm.lookup(event.data), validate: cm.validate(event.data) });
};
