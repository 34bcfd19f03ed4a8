// The offline ICD-10-CM lookup page. Every piece of code-set data reaches the
// DOM through textContent / text nodes (see `el`), never through HTML parsing,
// so the page works under a strict CSP with no inline script or style.
import { open } from '../js/browser.js';
import '../js/medcode-input.js';

const PREFIX_LIMIT = 50;
const $ = (id) => document.getElementById(id);

const ui = {
  form: $('search'),
  input: $('q'),
  status: $('status'),
  statusLabel: $('status-label'),
  statusText: $('status-text'),
  more: $('status-more'),
  moreText: $('status-more-text'),
  result: $('result'),
  crumbs: $('crumbs'),
  crumbList: $('crumb-list'),
  code: $('result-code'),
  kind: $('result-kind'),
  title: $('result-title'),
  children: $('children'),
  childrenHeading: $('children-heading'),
  childrenList: $('children-list'),
  matches: $('matches'),
  matchesHeading: $('matches-heading'),
  matchesList: $('matches-list'),
  browse: $('browse'),
  browseList: $('browse-list'),
  copyLink: $('copy-link'),
  print: $('print'),
  printUrl: $('print-url'),
  release: $('release'),
  offline: $('offline'),
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

const hrefFor = (code) => '#' + encodeURIComponent(code);
const codeLabel = (entry) => (entry.kind === 'chapter' ? `Chapter ${entry.code}` : entry.code);

/** A short tag for a list entry: billable / block / chapter / not billable. */
function tagFor(entry) {
  if (entry.billable) return { text: 'billable', cls: 'tag tag-billable' };
  if (entry.kind === 'chapter') return { text: 'chapter', cls: 'tag tag-group' };
  if (entry.kind === 'block') return { text: 'block', cls: 'tag tag-group' };
  return { text: 'header · not billable', cls: 'tag tag-header' };
}

function codeItem(entry) {
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
    ),
  );
}

/** The entries directly under `entry` (none for a billable code). */
function childrenOf(cm, entry) {
  return cm.children(entry.code) ?? [];
}

function setStatus(state, label, text) {
  ui.status.dataset.state = state;
  ui.statusLabel.textContent = label;
  ui.statusText.textContent = text;
}

const isMalformed = (v) => v.issues.some((i) => i.reason === 'malformed');
const issueText = (v) => v.issues.map((i) => i.text).join(' ');

/** What the validation answer says about `entry` (null for unknown codes). */
function classify(v, entry) {
  if (v.result) return { state: 'billable', label: 'Billable code' };
  if (entry?.kind === 'chapter') return { state: 'group', label: 'Chapter' };
  if (entry?.kind === 'block') return { state: 'group', label: 'Block' };
  if (entry) return { state: 'header', label: 'Non-billable header' };
  if (isMalformed(v)) return { state: 'malformed', label: 'Malformed' };
  return { state: 'unknown', label: 'Unknown' };
}

function renderEntry(cm, entry, verdict) {
  ui.result.hidden = false;
  ui.result.dataset.state = verdict.state;
  ui.code.textContent = codeLabel(entry);
  ui.kind.textContent = verdict.label;
  ui.kind.className = `tag tag-${verdict.state}`;
  ui.title.textContent = entry.display;
  ui.printUrl.textContent = location.origin + location.pathname + hrefFor(entry.code);

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
  let children = childrenOf(cm, entry);
  let heading;
  if (children.length > 0) {
    const what = entry.kind === 'chapter' ? 'Blocks' : entry.kind === 'block' ? 'Categories' : 'Codes';
    heading = `${what} under ${codeLabel(entry)}`;
  } else if (entry.parent) {
    const parent = cm.lookup(entry.parent);
    children = parent ? childrenOf(cm, parent) : [];
    heading = `Codes under ${parent ? codeLabel(parent) : entry.parent}`;
  }
  ui.childrenList.replaceChildren(
    ...children.map((c) => {
      const item = codeItem(c);
      if (c.code === entry.code) item.firstChild.setAttribute('aria-current', 'true');
      return item;
    }),
  );
  ui.children.hidden = children.length === 0;
  const billable = children.filter((c) => c.billable).length;
  ui.childrenHeading.textContent =
    `${heading ?? ''} (${children.length}` + (billable ? `, ${billable} billable)` : ')');
}

function clearEntry() {
  ui.result.hidden = true;
  ui.crumbList.replaceChildren();
  ui.childrenList.replaceChildren();
}

function renderMatches(query, matches, entry) {
  // A billable leaf's only "match" is itself: nothing to add.
  const redundant = entry && matches.length === 1 && matches[0].code === entry.code;
  ui.matches.hidden = matches.length === 0 || redundant;
  ui.matchesList.replaceChildren(...(redundant ? [] : matches.map(codeItem)));
  const more = matches.length >= PREFIX_LIMIT ? ` — first ${PREFIX_LIMIT}, type more to narrow` : ` (${matches.length})`;
  ui.matchesHeading.textContent = `Codes starting with “${query}”${more}`;
}

/** Shows everything the page knows about `raw`; returns the canonical code if it names an entry. */
function render(cm, raw) {
  const query = raw.trim();
  if (query === '') {
    clearEntry();
    ui.matches.hidden = true;
    ui.matchesList.replaceChildren();
    setStatus('idle', 'Ready', 'Type a code, e.g. E11.9, the start of one, or words; or browse the chapters below.');
    ui.more.hidden = true;
    ui.browse.hidden = false;
    return null;
  }
  ui.browse.hidden = true;
  const v = cm.validate(query);
  const entry = v.display !== undefined ? cm.lookup(v.code) : null;
  const matches = cm.prefix(query, { limit: PREFIX_LIMIT });
  const verdict = classify(v, entry);

  if (entry) renderEntry(cm, entry, verdict);
  else clearEntry();
  renderMatches(query, matches, entry);

  let text = issueText(v);
  let more = '';
  if (v.result && v.issues.every((i) => i.severity === 'information')) {
    text = `${v.code} is a billable ${cm.info().name} code.` + (text ? ` (${text})` : '');
  }
  // "…needs a 7th character, one of A (…), B (…), …": the list of choices is
  // long and the children list shows the same; keep it one click away.
  const cut = text.indexOf(', one of ');
  if (entry && cut > 0 && !ui.children.hidden) {
    more = text;
    text = text.slice(0, cut) + ' — choose one of the codes below.';
  }
  if (!entry && matches.length > 0) {
    const n = matches.length >= PREFIX_LIMIT ? `${PREFIX_LIMIT}+` : String(matches.length);
    setStatus('prefix', 'Prefix', `“${query}” is not a code by itself; ${n} codes start with it.`);
  } else {
    setStatus(verdict.state, verdict.label, text);
  }
  ui.moreText.textContent = more;
  ui.more.hidden = more === '';
  return entry ? entry.code : null;
}

function codeFromHash() {
  const raw = location.hash.slice(1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function releaseLine(info) {
  const publisher = /\(([A-Z]{2,})\)/.exec(info.publisher)?.[1] ?? info.publisher;
  const billable = new Intl.NumberFormat('en-US').format(info.counts.billable);
  return `${info.name} ${info.release} · ${publisher} · ${billable} billable codes`;
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('sw.js', { scope: './' }).catch((e) => {
    console.warn('medcode: service worker not registered:', e);
  });
  const mark = () => {
    if (navigator.serviceWorker.controller) ui.offline.textContent = 'Saved for offline use.';
  };
  mark();
  navigator.serviceWorker.addEventListener('controllerchange', mark);
}

async function main() {
  registerServiceWorker();
  let cm;
  try {
    cm = await open('icd10cm');
  } catch (e) {
    setStatus('error', 'Error', `The code set could not be loaded: ${e.message}`);
    return;
  }
  const info = cm.info();
  ui.release.textContent = releaseLine(info);
  ui.release.title = `${info.publisher}; effective ${info.effective}; source ${info.source?.file ?? ''}`;
  ui.input.removeAttribute('disabled');
  // Browsing starts at the chapters (then blocks, categories, codes: children()).
  const chapters = [];
  for (let i = 1; i <= info.counts.chapters; i++) {
    const c = cm.lookup(String(i));
    if (c) chapters.push(c);
  }
  ui.browseList.replaceChildren(...chapters.map(codeItem));

  // The hash names what is shown; typing replaces it, links push it.
  let shown = null;
  const show = (raw, { fromHash = false } = {}) => {
    const code = render(cm, raw);
    const target = code ?? raw.trim();
    shown = target;
    const hash = target ? hrefFor(target) : '';
    if (!fromHash && location.hash !== hash) {
      history.replaceState(null, '', hash || location.pathname + location.search);
    }
  };

  // The search box is <medcode-input>: typing shows the page's answer for the
  // text; choosing a result (or a typed billable code) opens that code.
  ui.input.addEventListener('input', () => show(ui.input.text));
  ui.input.addEventListener('medcode-select', (event) => {
    // A typed code confirmed on blur is already shown: nothing to redraw.
    if (event.detail.code === shown) return;
    history.pushState(null, '', hrefFor(event.detail.code));
    show(event.detail.code, { fromHash: true });
  });
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
  window.addEventListener('hashchange', () => {
    const target = codeFromHash();
    if (target === shown) return;
    const fromLink = ui.result.contains(document.activeElement) || ui.matches.contains(document.activeElement);
    ui.input.text = target;
    show(target, { fromHash: true });
    if (fromLink && !ui.result.hidden) {
      ui.title.focus();
      window.scrollTo({ top: 0 });
    }
  });

  const initial = codeFromHash();
  ui.input.text = initial;
  show(initial, { fromHash: true });
  ui.input.focus();
  document.documentElement.dataset.ready = 'true';
}

main();
