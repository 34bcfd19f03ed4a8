#!/usr/bin/env node
// Serves the repository root for the offline lookup page in www/ (the server
// is js/serve.js; `medcode serve --fhir` adds FHIR). Development use: it
// binds 127.0.0.1.
//
//   node scripts/serve.mjs [PORT]        (or PORT=8081 node scripts/serve.mjs)
//
// PORT defaults to 8080; 0 picks any free port. Prints one line once listening:
//   medcode: serving http://127.0.0.1:PORT/www/
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { serve, parsePort } from '../js/serve.js';

export { serve, CSP } from '../js/serve.js';

const isMain = (() => {
  try {
    return process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
})();

if (isMain) {
  try {
    const raw = process.argv[2] ?? process.env.PORT ?? '8080';
    const { url } = await serve({ port: parsePort(raw) });
    console.log(`medcode: serving ${url}`);
  } catch (e) {
    console.error(`medcode: ${e.message}`);
    process.exit(1);
  }
}
