// The offline code lookup page: ICD-10-CM, ICD-10-PCS (with a code builder),
// HCPCS Level II and CPT (format check only). Only the chosen system's wasm
// module is loaded; the service worker keeps all of them for offline use.
// Every piece of code-set data reaches the DOM through textContent / text
// nodes (see `el`), never through HTML parsing, so the page works under a
// strict CSP with no inline script or style.
//
// Addresses: `#<system>/<code>` (e.g. `#icd10pcs/0DTJ0ZZ`, `#hcpcs/E0114`),
// `#<system>` for a system's start page; old links `#E11.9` open ICD-10-CM.
//
// Words (`chf`, `laparoscopic appendectomy`) are a search, never a malformed
// code: they list the codes found, each with what the search lexicon read a
// term as (`chf → congestive heart failure | I50`); code-shaped input is
// validated.
import { open } from '../js/browser.js';
import { expansionText, isWords, unmatchedText, unusedWords, whenIdle } from '../js/medcode-input.js';
import { setupFileCheck } from './filecheck.js';

const PREFIX_LIMIT = 50;
const WORDS_LIMIT = 25;
const $ = (id) => document.getElementById(id);
const number = new Intl.NumberFormat('en-US');

/** What the page says about each system before its module is loaded. */
const SYSTEMS = {
  icd10cm: {
    name: 'ICD-10-CM',
    placeholder: 'e.g. E11.9, e119, S72.001A, E08-E13, diabetes',
    hint: 'Any case, with or without the dot. Words search titles and inclusion terms. Chapters are 1–22; blocks look like A00-A09.',
    idle: 'Type a code, e.g. E11.9, the start of one, or words; or browse the chapters below.',
  },
  icd10pcs: {
    name: 'ICD-10-PCS',
    placeholder: 'e.g. 0DTJ0ZZ, 0DT, resection appendix',
    hint: 'Seven letters and digits, no dot; the first three name a table. Or build a code one character at a time below.',
    idle: 'Type a code or words, or build a code below: choose the section, then each next character.',
  },
  hcpcs: {
    name: 'HCPCS Level II',
    placeholder: 'e.g. E0114, e011, crutch',
    hint: 'A letter and four digits. Codes deleted in earlier quarters are shown with their dates. Modifiers: see the box below.',
    idle: 'Type a code, the start of one, or words; or browse by first letter below.',
  },
  cpt: {
    name: 'CPT',
    placeholder: 'e.g. 99213, 0001U, 1234F',
    hint: 'Five characters. Only the form of a code is checked: no CPT titles ship with medcode.',
    idle: 'Type a CPT code to check its form.',
  },
};
const DEFAULT_SYSTEM = 'icd10cm';

const ui = {
  systemName: $('system-name'),
  systems: $('systems'),
  form: $('search'),
  input: $('q'),
  hint: $('hint'),
  status: $('status'),
  statusLabel: $('status-label'),
  statusText: $('status-text'),
  more: $('status-more'),
  moreText: $('status-more-text'),
  notice: $('notice'),
  noticeText: $('notice-text'),
  builder: $('builder'),
  builderBack: $('builder-back'),
  builderReset: $('builder-reset'),
  builderSlots: $('builder-slots'),
  builderPath: $('builder-path'),
  builderStep: $('builder-step'),
  builderOptions: $('builder-options'),
  builderLive: $('builder-live'),
  result: $('result'),
  crumbs: $('crumbs'),
  crumbList: $('crumb-list'),
  resultSystem: $('result-system'),
  code: $('result-code'),
  kind: $('result-kind'),
  title: $('result-title'),
  facts: $('facts'),
  axes: $('axes'),
  axesBody: $('axes-body'),
  children: $('children'),
  childrenHeading: $('children-heading'),
  childrenList: $('children-list'),
  modifiers: $('modifiers'),
  modifierForm: $('modifier-form'),
  modifierInput: $('modifier-input'),
  modifierOut: $('modifier-out'),
  matches: $('matches'),
  matchesHeading: $('matches-heading'),
  matchesNote: $('matches-note'),
  matchesList: $('matches-list'),
  browse: $('browse'),
  browseHeading: $('browse-heading'),
  browseList: $('browse-list'),
  copyLink: $('copy-link'),
  print: $('print'),
  printUrl: $('print-url'),
  release: $('release'),
  offline: $('offline'),
  coverage: $('coverage'),
  coverageText: $('coverage-text'),
};

/**
 * Creates an element. `props`: `class`, `text` (set as textContent) and any
 * attribute (set with setAttribute). Children: nodes, or strings (text nodes).
 */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** The page's state: the system shown and its code set (null while loading). */
const state = { system: DEFAULT_SYSTEM, cm: null, info: null, loading: 0, shown: null, builder: '' };

const isFlat = () => state.system !== 'icd10cm';
const hrefFor = (code, system = state.system) => `#${system}` + (code ? '/' + encodeURIComponent(code) : '');
const codeLabel = (entry) => (entry.kind === 'chapter' ? `Chapter ${entry.code}` : entry.code);

/** The system and code a hash names; a hash with no known system is an ICD-10-CM code (old links). */
function parseHash(hash = location.hash) {
  let raw = hash.startsWith('#') ? hash.slice(1) : hash;
  try {
    raw = decodeURIComponent(raw);
  } catch {
    // Keep the raw text: it is shown as typed and answered as unknown.
  }
  const slash = raw.indexOf('/');
  const head = slash < 0 ? raw : raw.slice(0, slash);
  if (Object.hasOwn(SYSTEMS, head)) return { system: head, code: slash < 0 ? '' : raw.slice(slash + 1) };
  return { system: DEFAULT_SYSTEM, code: raw };
}

/** A short tag for a list entry. */
function tagFor(entry) {
  if (entry.billable) return { text: isFlat() ? 'valid' : 'billable', cls: 'tag tag-billable' };
  if (entry.kind === 'chapter') return { text: 'chapter', cls: 'tag tag-group' };
  if (entry.kind === 'block') return { text: 'block', cls: 'tag tag-group' };
  if (isFlat() && entry.kind === 'category') return { text: 'table · not a code', cls: 'tag tag-group' };
  if (isFlat() && entry.kind === 'code') return { text: 'not valid now', cls: 'tag tag-deleted' };
  return { text: 'header · not billable', cls: 'tag tag-header' };
}

/**
 * A list row; a search result also says what the lexicon read a term as and
 * which words it leaves out (beyond the `unused` ones the list's note names).
 */
function codeItem(entry, unused = []) {
  const tag = tagFor(entry);
  return el(
    'li',
    {},
    el(
      'a',
      { href: hrefFor(entry.code), class: 'code-link', 'data-code': entry.code, 'data-billable': String(entry.billable) },
      el('span', { class: 'code', text: codeLabel(entry) }),
      el('span', { class: 'title', text: entry.display }),
      el('span', { class: tag.cls, text: tag.text }),
      entry.expanded?.length > 0 ? el('span', { class: 'expansion', text: expansionText(entry.expanded) }) : null,
      unmatchedText(entry, unused) ? el('span', { class: 'unmatched', text: unmatchedText(entry, unused) }) : null,
    ),
  );
}

function setStatus(kind, label, text) {
  ui.status.dataset.state = kind;
  ui.statusLabel.textContent = label;
  ui.statusText.textContent = text;
}

const isMalformed = (v) => v.issues.some((i) => i.reason === 'malformed' || i.reason === 'bad-axis');
const isDated = (v) => v.issues.some((i) => i.reason === 'deleted' || i.reason === 'not-yet-valid');

/** The issue texts; a code outside its dates is said so once (not also "a header"). */
function issueText(v) {
  const issues = isDated(v) ? v.issues.filter((i) => i.reason !== 'header') : v.issues;
  return issues.map((i) => i.text).join(' ');
}

/** What the validation answer says about `entry` (null for unknown codes). */
function classify(v, entry) {
  if (v.result) return { state: 'billable', label: isFlat() ? 'Valid code' : 'Billable code' };
  if (isDated(v)) return { state: 'deleted', label: v.issues.some((i) => i.reason === 'deleted') ? 'Deleted code' : 'Not yet valid' };
  if (entry?.kind === 'chapter') return { state: 'group', label: 'Chapter' };
  if (entry?.kind === 'block') return { state: 'group', label: 'Block' };
  if (entry && isFlat() && entry.kind === 'category') return { state: 'group', label: 'Table' };
  if (entry) return { state: 'header', label: 'Non-billable header' };
  if (isMalformed(v)) return { state: 'malformed', label: 'Malformed' };
  return { state: 'unknown', label: 'Unknown' };
}

/**
 * "from 2016-10-01, still valid in …" / "from … to …"; a dated code without
 * `validFrom` is one the history holds from its first release on while the
 * system is older (HCPCS: the I/OCE tables start in 2019), so its start is
 * not known: "since before 2019-07-01 (…)".
 */
function validity(entry) {
  const unknownStart = !entry.validFrom && entry.kind === 'code' && state.info.coverage;
  if (!entry.validFrom && !entry.validTo && !unknownStart) return null;
  const from = entry.validFrom
    ? `from ${entry.validFrom}`
    : unknownStart
      ? `since before ${state.info.coverage.from} (the first release the embedded history holds)`
      : 'until';
  if (entry.validTo) return `${from} to ${entry.validTo}`;
  return `${from}; still valid in the ${state.info.name} ${state.info.release} release`;
}

function setFacts(pairs) {
  const nodes = [];
  for (const [term, value, key] of pairs) {
    if (!value) continue;
    nodes.push(el('dt', { text: term }), el('dd', { text: value, 'data-fact': key }));
  }
  ui.facts.replaceChildren(...nodes);
  ui.facts.hidden = nodes.length === 0;
}

/** ICD-10-PCS: one table row per character of `code`, with its axis and meaning. */
function setAxes(code) {
  const labels = state.system === 'icd10pcs' ? state.cm.axisLabels(code) : [];
  ui.axesBody.replaceChildren(
    ...labels.map((a) =>
      el(
        'tr',
        {},
        el('td', { text: String(a.position) }),
        el('td', { text: a.axis ?? '' }),
        el('td', { class: 'code', text: code[a.position - 1] ?? '' }),
        el('td', { text: a.label ?? '' }),
      ),
    ),
  );
  ui.axes.hidden = labels.length === 0;
}

function cardHead(code, verdict) {
  ui.result.hidden = false;
  ui.result.dataset.state = verdict.state;
  ui.result.dataset.system = state.system;
  ui.resultSystem.textContent = state.info.name;
  ui.code.textContent = code;
  ui.kind.textContent = verdict.label;
  ui.kind.className = `tag tag-${verdict.state}`;
}

function renderEntry(entry, verdict) {
  const { cm, info } = state;
  cardHead(codeLabel(entry), verdict);
  ui.title.textContent = entry.display;
  ui.printUrl.textContent = location.origin + location.pathname + hrefFor(entry.code);
  setFacts([
    ['Short title', entry.short && entry.short !== entry.display ? entry.short : null, 'short'],
    ['Valid', validity(entry), 'validity'],
    ['Release', `${info.name} ${info.release}`, 'release'],
  ]);
  setAxes(entry.code);

  const ancestors = cm.ancestors(entry.code) ?? [];
  ui.crumbList.replaceChildren(
    ...ancestors
      .slice()
      .reverse()
      .map((a) =>
        el(
          'li',
          {},
          el(
            'a',
            { href: hrefFor(a.code), 'data-code': a.code },
            el('span', { class: 'code', text: codeLabel(a) }),
            ' ',
            el('span', { class: 'title', text: a.display }),
          ),
        ),
      ),
    el('li', { 'aria-current': 'location' }, el('span', { class: 'code', text: codeLabel(entry) })),
  );
  ui.crumbs.hidden = ancestors.length === 0;

  // A header lists its children; a leaf code lists its siblings (itself marked).
  let children = cm.children(entry.code) ?? [];
  let heading;
  let siblings = false;
  if (children.length > 0) {
    const what = entry.kind === 'chapter' ? 'Blocks' : entry.kind === 'block' ? 'Categories' : 'Codes';
    heading = `${what} under ${codeLabel(entry)}`;
  } else if (entry.parent) {
    const parent = cm.lookup(entry.parent);
    children = parent ? cm.children(parent.code) ?? [] : [];
    heading = `Codes under ${parent ? codeLabel(parent) : entry.parent}`;
    siblings = true;
  }
  ui.childrenList.replaceChildren(
    ...children.map((c) => {
      const item = codeItem(c);
      if (c.code === entry.code) item.firstChild.setAttribute('aria-current', 'true');
      return item;
    }),
  );
  ui.children.hidden = children.length === 0;
  // A leaf's siblings are context on screen, not part of its printed card.
  ui.children.toggleAttribute('data-siblings', siblings);
  const billable = children.filter((c) => c.billable).length;
  const word = isFlat() ? 'valid' : 'billable';
  ui.childrenHeading.textContent = `${heading ?? ''} (${children.length}` + (billable ? `, ${billable} ${word})` : ')');
}

function clearEntry() {
  ui.result.hidden = true;
  ui.crumbList.replaceChildren();
  ui.childrenList.replaceChildren();
  ui.axesBody.replaceChildren();
  ui.facts.replaceChildren();
}

function renderMatches(query, matches, entry, { hide = false } = {}) {
  // A leaf's only "match" is itself: nothing to add.
  const redundant = hide || (entry && matches.length === 1 && matches[0].code === entry.code);
  ui.matches.hidden = matches.length === 0 || redundant;
  ui.matchesList.replaceChildren(...(redundant ? [] : matches.map((m) => codeItem(m))));
  const more = matches.length >= PREFIX_LIMIT ? ` — first ${PREFIX_LIMIT}, type more to narrow` : ` (${matches.length})`;
  ui.matchesHeading.textContent = `Codes starting with “${query}”${more}`;
  ui.matchesNote.textContent = '';
  ui.matchesNote.hidden = true;
}

/**
 * Words typed: the codes the search finds, best first, each with what the
 * lexicon read a term as; when no code matches every word, the words left
 * out. The status never calls words a malformed code.
 */
function renderWords(query) {
  const { cm, system } = state;
  clearEntry();
  // The builder follows codes; a search has none to stand on.
  ui.builder.hidden = true;
  const results = cm.search(query, { limit: WORDS_LIMIT });
  const unused = unusedWords(results);
  ui.matches.hidden = results.length === 0;
  ui.matchesList.replaceChildren(...results.map((r) => codeItem(r, unused)));
  const more = results.length >= WORDS_LIMIT ? ` — best ${WORDS_LIMIT}, type more to narrow` : ` (${results.length})`;
  ui.matchesHeading.textContent = `Codes found for “${query}”${more}`;
  ui.matchesNote.textContent = unused.length > 0 ? `No code matches every word; not used: ${unused.join(', ')}` : '';
  ui.matchesNote.hidden = unused.length === 0;
  let text;
  if (results.length === 0) text = `No ${SYSTEMS[system].name} code matches “${query}”. Try other words, or type a code.`;
  else if (unused.length > 0) text = `No code matches every word of “${query}”: the closest codes are below.`;
  else {
    const n = results.length >= WORDS_LIMIT ? `${WORDS_LIMIT}+` : String(results.length);
    text = `${n} ${results.length === 1 ? 'code matches' : 'codes match'} “${query}”: choose one below.`;
  }
  setStatus('words', 'Words', text);
  return null;
}

/** CPT without a licensed table: only the form of the code is known. */
function renderFormatOnly(query) {
  const { cm, info } = state;
  const v = cm.validate(query);
  const text = v.issues.map((i) => i.text).join(' ');
  if (v.result) {
    const verdict = { state: 'formatonly', label: 'Form only' };
    cardHead(v.code, verdict);
    ui.title.textContent = 'Title not known: no licensed CPT table is compiled in';
    ui.printUrl.textContent = location.origin + location.pathname + hrefFor(v.code);
    setFacts([
      ['Checked', 'the form of the code only', 'checked'],
      ['Licence', info.licence, 'licence'],
    ]);
    ui.axes.hidden = true;
    ui.crumbs.hidden = true;
    ui.children.hidden = true;
    setStatus('formatonly', 'Form only', text);
  } else if (isWords(query, [state.system])) {
    clearEntry();
    setStatus('words', 'Words', `No ${info.name} titles ship with medcode, so words cannot be searched: type a ${info.name} code to check its form.`);
  } else {
    clearEntry();
    setStatus(isMalformed(v) ? 'malformed' : 'unknown', isMalformed(v) ? 'Malformed' : 'Unknown', text);
  }
  renderMatches(query, [], null);
  return v.result ? v.code : null;
}

/** The longest start of `query` the PCS builder can stand on ('' if none). */
function builderPrefix(query, entry) {
  const q = query.toUpperCase();
  if (q.length === 7 && entry?.billable && entry.code === q) return q;
  for (let n = Math.min(q.length, 6); n > 0; n--) {
    const next = state.cm.nextCharacters(q.slice(0, n));
    if (next && next.length > 0) return q.slice(0, n);
  }
  return '';
}

/** Shows everything the page knows about `raw`; returns the canonical code if it names an entry. */
function render(raw) {
  const { cm, system } = state;
  const query = raw.trim();
  ui.more.hidden = true;
  if (query === '') {
    clearEntry();
    ui.matches.hidden = true;
    ui.matchesList.replaceChildren();
    setStatus('idle', 'Ready', SYSTEMS[system].idle);
    ui.browse.hidden = ui.browseList.childElementCount === 0;
    if (system === 'icd10pcs') renderBuilder('');
    return null;
  }
  ui.browse.hidden = true;
  if (cm.formatOnly) return renderFormatOnly(query);
  const v = cm.validate(query);
  const entry = v.display !== undefined ? cm.lookup(v.code) : null;
  const matches = cm.prefix(query, { limit: PREFIX_LIMIT });
  // Words (not a code, not the start of one) are searched, not validated.
  if (!entry && matches.length === 0 && isWords(query, [system])) return renderWords(query);
  const verdict = classify(v, entry);

  // ICD-10-PCS: the builder follows what is shown, up to its longest valid start.
  let built = null;
  if (system === 'icd10pcs') {
    built = builderPrefix(query, entry);
    renderBuilder(built);
  }

  if (entry) renderEntry(entry, verdict);
  else clearEntry();
  // The builder already lists what follows a PCS prefix, with counts.
  renderMatches(query, matches, entry, { hide: built !== null && built === query.toUpperCase() && !entry });

  let text = issueText(v);
  let more = '';
  if (v.result && v.issues.every((i) => i.severity === 'information')) {
    const what = isFlat() ? 'valid' : 'billable';
    text = `${v.code} is a ${what} ${state.info.name} code.` + (text ? ` (${text})` : '');
  }
  // "…needs a 7th character, one of A (…), B (…), …": the list of choices is
  // long and the children list shows the same; keep it one click away.
  const cut = text.indexOf(', one of ');
  if (entry && cut > 0 && !ui.children.hidden) {
    more = text;
    text = text.slice(0, cut) + ' — choose one of the codes below.';
  }
  if (!entry && built !== null && built === query.toUpperCase()) {
    const codes = cm.nextCharacters(built).reduce((n, c) => n + c.codes, 0);
    const what = codes === 1 ? 'valid code' : 'valid codes';
    setStatus('prefix', 'Prefix', `“${query}” is the start of ${number.format(codes)} ${what}: choose the next character below.`);
  } else if (!entry && matches.length > 0) {
    const n = matches.length >= PREFIX_LIMIT ? `${PREFIX_LIMIT}+` : String(matches.length);
    setStatus('prefix', 'Prefix', `“${query}” is not a code by itself; ${n} codes start with it.`);
  } else {
    setStatus(verdict.state, verdict.label, text);
  }
  ui.moreText.textContent = more;
  ui.more.hidden = more === '';
  return entry ? entry.code : null;
}

// ---- ICD-10-PCS code builder ------------------------------------------------

const POSITIONS = 7;

/** The builder at `prefix`: the characters chosen, then the allowed next ones. */
function renderBuilder(prefix) {
  const { cm } = state;
  state.builder = prefix;
  ui.builder.hidden = false;
  ui.builder.dataset.prefix = prefix;
  ui.builderSlots.replaceChildren(
    ...Array.from({ length: POSITIONS }, (_, i) =>
      el('span', { class: i < prefix.length ? 'slot filled' : 'slot', text: prefix[i] ?? '·' }),
    ),
  );
  // Each chosen character, as the step that offered it described it.
  const path = [];
  for (let i = 0; i < prefix.length; i++) {
    const offered = (cm.nextCharacters(prefix.slice(0, i)) ?? []).find((c) => c.ch === prefix[i]);
    const axis = offered?.axis ?? `Character ${i + 1}`;
    const label = offered?.label ?? '(no label in the axis table)';
    path.push(
      el(
        'li',
        { 'data-position': i + 1 },
        el('span', { class: 'code', text: prefix[i] }),
        ' ',
        el('span', { class: 'axis', text: axis }),
        ' ',
        el('span', { class: 'label', text: label }),
        ' ',
        el('button', {
          type: 'button',
          class: 'link-button',
          'data-length': i,
          'aria-label': `Change character ${i + 1} (${axis}: ${label})`,
          text: 'change',
        }),
      ),
    );
  }
  ui.builderPath.replaceChildren(...path);
  ui.builderPath.hidden = path.length === 0;
  ui.builderBack.disabled = prefix.length === 0;
  ui.builderReset.disabled = prefix.length === 0;

  if (prefix.length >= POSITIONS) {
    ui.builderStep.textContent = `Complete: ${prefix} — its card is below.`;
    ui.builderOptions.replaceChildren();
    ui.builderOptions.hidden = true;
    return;
  }
  const next = cm.nextCharacters(prefix) ?? [];
  const axis = next.find((c) => c.axis)?.axis ?? `Character ${prefix.length + 1}`;
  ui.builderStep.textContent =
    `Character ${prefix.length + 1} of ${POSITIONS}: ${axis} — ${next.length} ${next.length === 1 ? 'choice' : 'choices'}` +
    (prefix ? ` after ${prefix}` : '');
  ui.builderOptions.hidden = false;
  ui.builderOptions.replaceChildren(
    ...next.map((c) => {
      const count = c.code ? `→ ${c.code}` : `${number.format(c.codes)} ${c.codes === 1 ? 'code' : 'codes'}`;
      return el(
        'li',
        {},
        el(
          'button',
          { type: 'button', class: 'option', 'data-ch': c.ch, 'data-codes': c.codes, 'data-code': c.code },
          el('span', { class: 'ch code', text: c.ch }),
          el(
            'span',
            { class: 'meaning' },
            el('span', { class: c.label ? 'label' : 'label muted', text: c.label ?? '(no label in the axis table)' }),
            c.definition ? el('span', { class: 'definition', text: c.definition }) : null,
          ),
          el('span', { class: 'count', text: count }),
        ),
      );
    }),
  );
}

/** Opens `code` (or a prefix) as a new history entry, as a link would. */
function go(code) {
  const hash = hrefFor(code);
  if (location.hash !== hash) history.pushState(null, '', hash);
  ui.input.text = code;
  show(code, { fromHash: true });
}

/** After a builder step: focus the first choice, or the card once the code is complete. */
function focusBuilder(fallback) {
  const first = ui.builderOptions.querySelector('button');
  if (!ui.builderOptions.hidden && first) first.focus();
  else if (!ui.result.hidden) ui.title.focus();
  else fallback?.focus();
}

function setupBuilder() {
  ui.builderOptions.addEventListener('click', (event) => {
    const button = event.target.closest('button.option');
    if (!button) return;
    const code = state.builder + button.dataset.ch;
    ui.builderLive.textContent = `Chose ${button.dataset.ch}: ${button.querySelector('.label').textContent}.`;
    go(code);
    focusBuilder();
  });
  // Arrow keys move between the choices; Backspace steps back.
  ui.builderOptions.addEventListener('keydown', (event) => {
    const buttons = [...ui.builderOptions.querySelectorAll('button.option')];
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') j = Math.min(buttons.length - 1, i + 1);
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') j = Math.max(0, i - 1);
    else if (event.key === 'Home') j = 0;
    else if (event.key === 'End') j = buttons.length - 1;
    else if (event.key === 'Backspace' && state.builder) {
      event.preventDefault();
      go(state.builder.slice(0, -1));
      focusBuilder();
      return;
    }
    if (j === null) return;
    event.preventDefault();
    buttons[j].focus();
  });
  ui.builderPath.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-length]');
    if (!button) return;
    go(state.builder.slice(0, Number(button.dataset.length)));
    focusBuilder();
  });
  ui.builderBack.addEventListener('click', () => {
    go(state.builder.slice(0, -1));
    ui.builderLive.textContent = state.builder ? `Back to ${state.builder}.` : 'Back to the sections.';
    if (ui.builderBack.disabled) focusBuilder();
  });
  ui.builderReset.addEventListener('click', () => {
    go('');
    ui.builderLive.textContent = 'Started over: choose the section.';
    focusBuilder();
  });
}

// ---- HCPCS modifiers and browsing -----------------------------------------------

function renderModifier() {
  const raw = ui.modifierInput.value.trim();
  if (raw === '') {
    ui.modifierOut.textContent = '';
    delete ui.modifierOut.dataset.found;
    return;
  }
  const m = state.cm.modifier(raw);
  ui.modifierOut.dataset.found = String(m !== null);
  if (!m) {
    ui.modifierOut.textContent = `“${raw}” is not an HCPCS modifier of the ${state.info.release} table.`;
    return;
  }
  const what = m.display || 'no description: the source table lists modifier codes and dates only';
  // No validFrom: valid since the first I/OCE release embedded, and perhaps long before.
  const from = m.validFrom ? `valid from ${m.validFrom}` : `valid since before ${state.info.coverage?.from ?? 'the embedded history'}`;
  const dates = m.validTo ? `${from} to ${m.validTo}` : `${from}, still valid`;
  ui.modifierOut.textContent = `${m.code}: ${what}; ${dates}.`;
}

/** The start page's list: chapters (ICD-10-CM) or first letters (HCPCS). */
function browseItems() {
  const { cm, info, system } = state;
  if (system === 'icd10cm') {
    ui.browseHeading.textContent = 'Browse the chapters';
    const chapters = [];
    for (let i = 1; i <= info.counts.chapters; i++) {
      const c = cm.lookup(String(i));
      if (c) chapters.push(codeItem(c));
    }
    return chapters;
  }
  if (system === 'hcpcs') {
    ui.browseHeading.textContent = 'Browse by first letter';
    const items = [];
    for (let i = 0; i < 26; i++) {
      const letter = String.fromCharCode(65 + i);
      const codes = cm.prefix(letter, { limit: 10000 });
      if (codes.length === 0) continue;
      const valid = codes.filter((c) => c.billable).length;
      items.push(
        el(
          'li',
          {},
          el(
            'a',
            { href: hrefFor(letter), class: 'code-link', 'data-code': letter },
            el('span', { class: 'code', text: `${letter}····` }),
            el('span', { class: 'title', text: `${number.format(codes.length)} codes starting with ${letter}` }),
            el('span', { class: 'tag tag-billable', text: `${number.format(valid)} valid` }),
          ),
        ),
      );
    }
    return items;
  }
  return [];
}

function releaseLine(info, formatOnly) {
  const publisher = /\(([A-Z]{2,})\)/.exec(info.publisher)?.[1] ?? info.publisher;
  if (formatOnly) return `${info.name} · ${info.release} · ${publisher}`;
  const count = number.format(info.counts.billable);
  return `${info.name} ${info.release} · ${publisher} · ${count} ${isFlat() ? 'valid' : 'billable'} codes`;
}

// ---- Systems, addresses and start-up -------------------------------------------

/** Shows `raw` and records it as shown; the hash is replaced unless it already names it. */
function show(raw, { fromHash = false } = {}) {
  if (!state.cm) return;
  const code = render(raw);
  const target = code ?? raw.trim();
  state.shown = `${state.system}/${target}`;
  const hash = hrefFor(target);
  if (!fromHash && location.hash !== hash) history.replaceState(null, '', hash);
}

/** Loads `system` (only its module is fetched) and lays the page out for it. */
async function switchTo(system) {
  const ticket = ++state.loading;
  const names = SYSTEMS[system];
  state.system = system;
  state.cm = null;
  state.shown = null;
  for (const radio of ui.systems.querySelectorAll('input[name="system"]')) radio.checked = radio.value === system;
  ui.systemName.textContent = names.name;
  document.title = `${names.name} lookup · medcode`;
  document.documentElement.dataset.system = system;
  delete document.documentElement.dataset.loaded;
  ui.input.setAttribute('disabled', '');
  ui.input.setAttribute('system', system);
  ui.input.setAttribute('placeholder', names.placeholder);
  ui.hint.textContent = names.hint;
  for (const section of [ui.builder, ui.modifiers, ui.notice, ui.coverage, ui.browse, ui.matches, ui.more]) section.hidden = true;
  clearEntry();
  setStatus('loading', 'Loading', `Loading ${names.name}…`);
  let cm;
  try {
    cm = await open(system);
  } catch (e) {
    if (ticket === state.loading) setStatus('error', 'Error', `The ${names.name} code set could not be loaded: ${e.message}`);
    return false;
  }
  if (ticket !== state.loading) return false;
  state.cm = cm;
  state.info = cm.info();
  ui.release.textContent = releaseLine(state.info, cm.formatOnly);
  ui.release.title = `${state.info.publisher}; effective ${state.info.effective || 'n/a'}; ${state.info.licence}`;
  // Today past what the embedded releases cover (an HCPCS quarter, an ICD-10
  // fiscal year): say so, as text, above every answer.
  const stale = cm.coverageOn();
  ui.coverage.hidden = stale === null;
  ui.coverageText.textContent = stale ? `${stale.text} Answers are as of ${stale.release}.` : '';
  ui.browseList.replaceChildren(...browseItems());
  ui.modifiers.hidden = system !== 'hcpcs';
  ui.modifierInput.value = '';
  ui.modifierOut.textContent = '';
  ui.notice.hidden = !cm.formatOnly;
  if (cm.formatOnly) {
    ui.noticeText.textContent =
      `${state.info.publisher}. ${state.info.licence}. ` +
      'This page checks only whether a code has the form of a CPT code — not whether it exists or what it means.';
  }
  ui.input.removeAttribute('disabled');
  document.documentElement.dataset.loaded = system;
  // The first search lists the codes with their ranks (10-30 ms): do it
  // while the coder reads the page, so the first words typed answer at once.
  if (!cm.formatOnly) whenIdle(() => state.cm === cm && cm.prepareSearch());
  return true;
}


function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('sw.js', { scope: './' }).catch((e) => {
    console.warn('medcode: service worker not registered:', e);
  });
  const mark = () => {
    if (navigator.serviceWorker.controller) ui.offline.textContent = 'Saved for offline use (all code systems).';
  };
  mark();
  navigator.serviceWorker.addEventListener('controllerchange', mark);
}

/** Shows what the hash names, loading its system first when it changed. */
async function followHash({ focus = false } = {}) {
  const { system, code } = parseHash();
  if (system !== state.system || !state.cm) {
    if (!(await switchTo(system))) return;
  } else if (`${system}/${code}` === state.shown) {
    return;
  }
  ui.input.text = code;
  show(code, { fromHash: true });
  if (focus && !ui.result.hidden) {
    ui.title.focus();
    window.scrollTo({ top: 0 });
  }
}

async function main() {
  registerServiceWorker();
  setupBuilder();
  setupFileCheck(() => state.system);

  // The search box is <medcode-input>: typing shows the page's answer for the
  // text; choosing a result (or a typed valid code) opens that code.
  ui.input.addEventListener('input', () => show(ui.input.text));
  ui.input.addEventListener('medcode-select', (event) => {
    // A typed code confirmed on blur is already shown: nothing to redraw.
    if (`${state.system}/${event.detail.code}` === state.shown) return;
    go(event.detail.code);
  });
  ui.systems.addEventListener('change', (event) => {
    const system = event.target.value;
    if (!Object.hasOwn(SYSTEMS, system) || system === state.system) return;
    history.pushState(null, '', hrefFor('', system));
    followHash().then(() => document.documentElement.dataset.ready === 'true' && ui.input.focus());
  });
  ui.modifierForm.addEventListener('submit', (event) => event.preventDefault());
  ui.modifierInput.addEventListener('input', renderModifier);
  ui.copyLink.addEventListener('click', async () => {
    const url = location.origin + location.pathname + location.hash;
    try {
      await navigator.clipboard.writeText(url);
      ui.copyLink.textContent = 'Link copied';
    } catch {
      ui.copyLink.textContent = 'Copy failed: use the address bar';
    }
    setTimeout(() => (ui.copyLink.textContent = 'Copy link'), 2000);
  });
  ui.print.addEventListener('click', () => window.print());
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    // Enter on a prefix with no exact entry opens the first match.
    const first = ui.matches.hidden ? null : ui.matchesList.querySelector('a');
    if (ui.result.hidden && first) first.click();
  });
  // Back/forward and links: the hash names what is shown.
  // (A link to a fragment fires popstate too, before hashchange.)
  window.addEventListener('popstate', () => {
    const fromLink = [ui.result, ui.matches, ui.browse].some((section) => section.contains(document.activeElement));
    followHash({ focus: fromLink });
  });

  await followHash();
  ui.input.focus();
  document.documentElement.dataset.ready = 'true';
}

main();
