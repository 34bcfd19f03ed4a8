// What the extension says about each code-like token: the answers come from
// the medcode module (CodeSet), never from the content script.
//
//   billable  a billable code of the release (isValidMany, one call per batch)
//   header    a code of the release that is not billable (category, header,
//             a code missing its 7th character, a block)
//   deleted   a code that was billable but ended before the date of service
//             (lookup(code, {date}) gives its last day, validTo), asked of a
//             code set whose info() says `dates: true`
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

/** Whether the code set answers for a date of service (`info().dates`). */
const datesSupported = (cm) => cm.info?.().dates === true;

/**
 * Statuses of `codes` (one entry each, same order): one batch call
 * (isValidMany) on the date of service, then `lookup(code, {date})` for the
 * rest: a code that ended before the date is deleted, a known code that is
 * not billable is a header, anything else is invalid. Suggestions are left to
 * the card: computing them for every invalid token would cost more than the
 * whole scan.
 */
export function statuses(cm, codes, date = '') {
  const options = date !== '' && datesSupported(cm) ? { date } : undefined;
  const valid = cm.isValidMany(codes, options);
  return codes.map((code, i) => {
    if (valid[i]) return 'billable';
    const found = cm.lookup(code, options);
    if (found === null) return 'invalid';
    if (found.validTo !== undefined && (options === undefined || found.validTo < options.date)) return 'deleted';
    return 'header';
  });
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
