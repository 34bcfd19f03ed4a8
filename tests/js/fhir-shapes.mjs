// Reading FHIR answers in the tests: a parameter's value, the issues, and an
// issue's shape as the HL7 tx-ecosystem expectations state it.
import assert from 'node:assert/strict';
import { TX_ISSUE_TYPE } from '../../js/medcode-fhir.js';

export const MESSAGE_ID = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id';

/** The value of parameter `name` (the first one), or undefined. */
export function param(p, name) {
  assert.equal(p.resourceType, 'Parameters', JSON.stringify(p).slice(0, 300));
  const row = p.parameter.find((x) => x.name === name);
  if (row === undefined) return undefined;
  const key = Object.keys(row).find((k) => k !== 'name');
  return row[key];
}

/** The issues of a Parameters answer ([] when none). */
export function issues(p) {
  const oo = param(p, 'issues');
  if (oo === undefined) return [];
  assert.equal(oo.resourceType, 'OperationOutcome');
  return oo.issue;
}

/** `{severity, code, tx, id, where}` of an issue, for comparing with the upstream expectations. */
export function shape(i) {
  const tx = i.details.coding?.find((c) => c.system === TX_ISSUE_TYPE)?.code;
  const id = i.extension?.find((e) => e.url === MESSAGE_ID)?.valueString;
  return { severity: i.severity, code: i.code, tx, id, where: i.expression?.[0] };
}
