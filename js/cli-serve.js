// `medcode serve`: the offline page (in a checkout that has www/) and, with
// --fhir, FHIR R4 terminology at /fhir on the embedded systems. Runs until
// stopped (Ctrl-C).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { open, SYSTEMS } from './node.js';
import { FhirService } from './fhir-service.js';
import { serve, PACKAGE_ROOT } from './serve.js';

/**
 * Opens the systems a FHIR server answers for: `only` (one id), or every
 * system whose module holds a code table (CPT's holds none unless a licensee
 * compiled one in).
 */
export async function fhirService(only) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const sets = [];
  for (const id of only ? [only] : SYSTEMS) {
    const set = await open(id);
    if (!set.formatOnly) sets.push([id, set]);
  }
  return new FhirService(sets, { software: { name: 'medcode', version } });
}

/** Starts the server and prints where it listens; resolves once listening. */
export async function serveCommand({ fhir, port, host, system }, print) {
  const page = existsSync(path.join(PACKAGE_ROOT, 'www', 'index.html'));
  if (!fhir && !page) throw Object.assign(new Error('serve: the offline page is not in this package (it comes with a checkout); use --fhir for the FHIR server'), { exitCode: 2 });
  const service = fhir ? await fhirService(system) : null;
  const server = await serve({ port, host, root: page ? PACKAGE_ROOT : null, fhir: service });
  if (page) print(`medcode: serving ${server.url}`);
  if (service) print(`medcode: FHIR R4 terminology at ${server.fhir} (${service.systems.map(([id]) => id).join(', ')}; ${server.fhir}/metadata)`);
  return server;
}
