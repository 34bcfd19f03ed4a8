// The load test's baseline: a bare node:http server answering every request
// with one fixed Parameters resource (no parsing, no lookup): the HTTP floor
// the FHIR server is compared with in the same run. Prints its URL.
import { createServer } from 'node:http';

const body = Buffer.from(JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'result', valueBoolean: true }] }));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/fhir+json', 'Content-Length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => console.log(`FHIR R4 terminology at http://127.0.0.1:${server.address().port}/fhir`));
