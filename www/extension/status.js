// What the extension says about each code-like token: the answers come from
// the medcode module (CodeSet), never from the content script.
//
//   billable  a billable code of the release (isValidMany, one call per batch)
//   header    a code of the release that is not billable (category, header,
//             a code missing its 7th character, a block)
//   deleted   validate(code, {date}) reports the code deleted as of `date`
//             (an issue with reason 'deleted'); the module does not take a
//             date yet, so no code is reported deleted today
//   invalid   anything else

/** `validate` with the date of service passed through (ignored by modules without date support). */
function validateOn(cm, code, date) {
  return date ? cm.validate(code, { date }) : cm.validate(code);
}

/** The status of one validation answer. */
export function statusOf(v) {
  if (v.result) return 'billable';
  if (v.issues.some((i) => i.reason === 'deleted')) return 'deleted';
  if (v.display !== undefined) return 'header';
  return 'invalid';
}

/** Statuses of `codes` (one entry each, same order): one batch call, then `validate` for the rest. */
export function statuses(cm, codes, date = '') {
  const valid = cm.isValidMany(codes);
  return codes.map((code, i) => (valid[i] ? 'billable' : statusOf(validateOn(cm, code, date))));
}

/** What the hover card shows for `code`. */
export function card(cm, code, date = '') {
  const v = validateOn(cm, code, date);
  return {
    code: v.code,
    status: statusOf(v),
    display: v.display ?? '',
    issues: v.issues.filter((i) => i.severity !== 'information' || !v.result).map((i) => i.text),
    suggestions: (v.suggestions ?? []).slice(0, 5),
    release: `${cm.info().name} ${cm.info().release}`,
  };
}
