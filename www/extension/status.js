// What the extension says about each code-like token: the answers come from
// the medcode module (CodeSet), never from the content script.
//
//   billable  a billable code of the release (isValidMany, one call per batch)
//   header    a code of the release that is not billable (category, header,
//             a code missing its 7th character, a block)
//   deleted   validate(code, {date}) reports the code deleted as of `date`
//             (an issue with reason 'deleted'), asked only of a code set whose
//             info() says `dates: true`; none does yet, so no code is
//             reported deleted today
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

/** Whether the code set answers for a date of service (a future `info().dates`; none does yet). */
const datesSupported = (cm) => cm.info?.().dates === true;

/**
 * Statuses of `codes` (one entry each, same order): one batch call
 * (isValidMany), `lookup` for the rest (a header is known, an invalid code
 * is not), and `validate(code, {date})` only for unknown codes of a code set
 * that supports dates, where it can say "deleted". Suggestions are left to
 * the card: computing them for every invalid token would cost more than the
 * whole scan.
 */
export function statuses(cm, codes, date = '') {
  const valid = cm.isValidMany(codes);
  const dated = date !== '' && datesSupported(cm);
  return codes.map((code, i) => {
    if (valid[i]) return 'billable';
    if (cm.lookup(code) !== null) return 'header';
    return dated ? statusOf(validateOn(cm, code, date)) : 'invalid';
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
