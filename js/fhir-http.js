// FHIR R4 over HTTP for a FhirService (js/fhir-service.js): reads the path,
// the query and a JSON body into a request, and writes the answer as
// application/fhir+json. Node only (node:http request and response).
//
//   GET  [base]/metadata[?mode=terminology]
//   GET  [base]/CodeSystem[?url=&version=&name=&_id=]    GET [base]/CodeSystem/{id}
//   GET|POST [base]/CodeSystem[/{id}]/$lookup | $validate-code | $subsumes
//   GET|POST [base]/ValueSet/$expand | $validate-code
import { failure, statusOf } from './fhir-service.js';
import { requestOf } from './medcode-fhir.js';

/** Largest request body read (a Parameters resource is a few kB). */
export const MAX_BODY = 1 << 20;

/** Query parameters read as booleans and as whole numbers; the rest stay strings. */
const BOOLEANS = new Set(['abstract', 'activeOnly', 'notSelectable', 'lenient-display-validation', 'includeDesignations', 'includeDefinition', 'excludeNested', 'excludeNotForUI', 'excludePostCoordinated', 'inferSystem', '_pretty']);
const INTEGERS = new Set(['count', 'offset']);
/** Query parameters that may repeat. */
const REPEATED = new Set(['property', 'designation']);
/** Query parameters of the HTTP layer itself, not passed to the operation. */
const CONTROL = new Set(['_format', '_pretty', '_summary', '_elements']);

const JSON_TYPES = /^application\/(fhir\+)?json\s*(;|$)/i;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Thrown for a request that cannot be read; answered with its status and an OperationOutcome. */
class HttpError extends Error {
  constructor(status, code, message, where) {
    super(message);
    this.status = status;
    this.code = code;
    this.where = where;
  }
}

/** Query parameters as a request object: booleans and integers typed, repeated names as arrays where FHIR allows. */
export function queryRequest(params) {
  const out = Object.create(null);
  for (const [rawName, value] of params) {
    const name = rawName === 'lenient-display-validation' ? 'lenientDisplay' : rawName;
    if (CONTROL.has(rawName)) continue;
    let typed = value;
    if (BOOLEANS.has(rawName)) {
      if (value !== 'true' && value !== 'false') throw new HttpError(400, 'invalid', `Query parameter '${rawName}' must be true or false, not '${value.slice(0, 40)}'`, rawName);
      typed = value === 'true';
    } else if (INTEGERS.has(rawName)) {
      if (!/^\d{1,9}$/.test(value)) throw new HttpError(400, 'invalid', `Query parameter '${rawName}' must be a whole number from 0, not '${value.slice(0, 40)}'`, rawName);
      typed = Number(value);
    }
    if (REPEATED.has(name)) (out[name] ??= []).push(typed);
    else if (name in out) throw new HttpError(400, 'invalid', `Query parameter '${rawName}' is given twice`, rawName);
    else out[name] = typed;
  }
  return out;
}

/** Reads a JSON body of at most MAX_BODY bytes. */
async function readBody(req) {
  const type = req.headers['content-type'] ?? '';
  if (!JSON_TYPES.test(type)) {
    throw new HttpError(415, 'not-supported', `Content-Type '${String(type).slice(0, 60)}' is not supported: send application/fhir+json (a Parameters resource)`);
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'too-costly', `The request body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'structure', `The body is not JSON: ${e.message}`);
  }
}

/** Whether the client accepts JSON (no Accept, `*\/*`, JSON, or `_format=json`). */
function acceptsJson(req, format) {
  if (format !== null) return /^(json|application\/(fhir\+)?json)$/i.test(format.split(';')[0].trim());
  const accept = req.headers.accept;
  if (!accept) return true;
  return accept.split(',').some((t) => /^\s*(\*\/\*|application\/\*|application\/(fhir\+)?json)\s*(;|$)/i.test(t));
}

/** Writes a FHIR resource. */
function write(res, status, resource, { pretty = false, headers = {} } = {}) {
  const body = Buffer.from(JSON.stringify(resource, null, pretty ? 2 : undefined));
  res.writeHead(status, { ...headers, 'Content-Type': FHIR_JSON, 'Content-Length': body.length });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The route of a path under the base: `{kind, type?, id?, op?}` or null. */
export function route(rest) {
  const parts = rest.split('/').filter((s) => s !== '');
  if (parts.length === 1 && parts[0] === 'metadata') return { kind: 'metadata' };
  const [type, second, third] = parts;
  if (type !== 'CodeSystem' && type !== 'ValueSet') return null;
  if (parts.length === 1) return { kind: 'search', type };
  if (parts.length === 2 && second.startsWith('$')) return { kind: 'operation', type, id: null, op: second.slice(1) };
  if (parts.length === 2) return { kind: 'read', type, id: second };
  if (parts.length === 3 && third.startsWith('$')) return { kind: 'operation', type, id: second, op: third.slice(1) };
  return null;
}

/**
 * The HTTP handler of `service` under `prefix` (`/fhir`): returns
 * `handle(req, res, url)`, which answers and returns true when the path is
 * under the prefix, false otherwise. `headers` go on every answer (the static
 * server's security headers); CORS lets pages on other origins read answers
 * (public code-set data; no credentials are read).
 */
export function fhirHandler(service, { prefix = '/fhir', headers = {} } = {}) {
  const common = {
    ...headers,
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'Content-Type',
  };
  return async (req, res, url) => {
    const { pathname } = url;
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return false;
    const pretty = url.searchParams.get('_pretty') === 'true';
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...common, 'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type, Accept', 'Access-Control-Max-Age': '600' });
        res.end();
        return true;
      }
      if (!['GET', 'HEAD', 'POST'].includes(req.method)) {
        throw new HttpError(405, 'not-supported', `${req.method} is not supported: use GET or POST`);
      }
      if (!acceptsJson(req, url.searchParams.get('_format'))) {
        throw new HttpError(406, 'not-supported', 'Only JSON is served (application/fhir+json): ask with _format=json or Accept: application/fhir+json');
      }
      let rest;
      try {
        rest = decodeURIComponent(pathname.slice(prefix.length));
      } catch {
        throw new HttpError(400, 'invalid', 'The path is not valid percent-encoding');
      }
      const r = route(rest);
      if (r === null) throw new HttpError(404, 'not-found', `Nothing at ${rest.slice(0, 80) || '/'}: see ${prefix}/metadata for what is served`);
      if (req.method === 'POST' && r.kind !== 'operation') throw new HttpError(405, 'not-supported', `POST is only for operations ($lookup, $validate-code, $subsumes, $expand)`);
      const query = queryRequest(url.searchParams);
      let out;
      if (r.kind === 'metadata') out = service.metadata(query.mode);
      else if (r.kind === 'read') out = r.type === 'CodeSystem' ? service.readCodeSystem(r.id) : { status: 404, resource: failure('not-found', `ValueSet/${r.id.slice(0, 40)} is not known here: use the implicit value sets ({system}?fhir_vs)`) };
      else if (r.kind === 'search') out = r.type === 'CodeSystem' ? service.searchCodeSystem(query) : { status: 200, resource: { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] } };
      else {
        const input = req.method === 'POST' ? postRequest(await readBody(req), query) : query;
        out = service.operation(r.type, r.id, r.op, input);
      }
      write(res, out.status, out.resource, { pretty, headers: common });
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      if (e instanceof HttpError) {
        const extra = e.status === 405 ? { ...common, Allow: 'GET, HEAD, POST, OPTIONS' } : common;
        write(res, e.status, failure(e.code, e.message, e.where), { pretty, headers: extra });
      } else {
        const resource = failure('exception', `The server failed: ${e instanceof Error ? e.message : String(e)}`);
        write(res, statusOf(resource), resource, { pretty, headers: common });
      }
    }
    return true;
  };
}

/** A POST body (a Parameters resource) read into a request, with the query's parameters where the body does not give them. */
function postRequest(body, query) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'structure', 'The body must be a JSON object: a Parameters resource');
  if (body.resourceType !== 'Parameters') {
    const what = body.resourceType === undefined ? 'a JSON object without resourceType' : `a ${String(body.resourceType).slice(0, 40)}`;
    throw new HttpError(400, 'not-supported', `The body is ${what}: send a Parameters resource (a Coding goes in its 'coding' parameter, a CodeableConcept in 'codeableConcept')`);
  }
  let fields;
  try {
    fields = requestOf(body);
  } catch (e) {
    throw new HttpError(400, 'invalid', e.message, e.where);
  }
  return Object.assign(Object.create(null), query, fields);
}
