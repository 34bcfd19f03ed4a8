// Content script of the medcode extension: finds code-like tokens in the
// page's text nodes and in input/textarea values, asks the extension's
// service worker (where the wasm module runs) for their status in one message
// per batch, and marks them: codes in the text with CSS Custom Highlights
// (one StaticRange per code, no element added around it), fields with an
// attribute. A MutationObserver rescans only what changed. Hover on a code
// (hit-tested with caretPositionFromPoint) or on a marked field, or focus on
// a field or on the one keyboard reviewer, shows a card with the title, the
// status and suggestions. Everything is drawn with text nodes; nothing leaves
// the browser.
//
// Which codes: the systems chosen on the options page (the service worker
// hands over the settings). Token forms, each not inside a longer word:
//   ICD-10-CM   a letter, a digit, a letter or digit, then optionally a dot
//               and 1-4 letters/digits (E11.9, S72.001A, E11) or up to 4 more
//               without the dot (E119)
//   ICD-10-PCS  7 characters of 0-9 and A-Z without I and O, the first a digit
//               or B-D, F-H, X (0DTJ4ZZ)
//   HCPCS       a letter A-V and 4 digits, then up to 4 two-character
//               modifiers after a hyphen or a space (J1885-RT, E0601 KX)
// The service worker decides what each token is: a token is marked only when
// a chosen system knows it, or (as not a code) when its form says a code was
// meant (a dot, a hyphen before a known modifier), so words like "H2O",
// "A1C" or a 7-digit record number are not flagged.
//
// Date of service: today, a fixed day, or read from a field on the page (a
// CSS selector; ISO or MM/DD/YYYY), falling back to today with the card
// saying so. A change of the date or of the settings rescans the page.
(() => {
  'use strict';
  if (window.__medcodeContent) return;
  window.__medcodeContent = true;

  const BEFORE = '(?<![A-Za-z0-9.\\u00C0-\\u024F])';
  const AFTER = '(?![A-Za-z0-9\\u00C0-\\u024F]|\\.[A-Za-z0-9])';
  /** Each system's token (most specific first: the first alternative that fits wins) and its quick prefilter. */
  const FORMS = {
    hcpcs: ['[A-V][0-9]{4}(?:[- ][A-Z0-9]{2}(?![A-Za-z0-9])){0,4}', '[A-V][0-9]{4}'],
    icd10pcs: ['[0-9BCDFGHX][0-9A-HJ-NP-Z]{6}', '[0-9BCDFGHX][0-9A-HJ-NP-Z]{6}'],
    icd10cm: ['[A-Z][0-9][0-9A-Z](?:\\.[0-9A-Z]{1,4}|[0-9A-Z]{1,4})?', '[A-Z][0-9][0-9A-Z]'],
  };
  /** The token regex and prefilter of the chosen systems (none: a regex that never matches). */
  function formsOf(systems) {
    const on = Object.keys(FORMS).filter((id) => systems.includes(id));
    if (on.length === 0) return [/(?!)/g, /(?!)/];
    return [new RegExp(`${BEFORE}(${on.map((id) => FORMS[id][0]).join('|')})${AFTER}`, 'g'), new RegExp(on.map((id) => FORMS[id][1]).join('|'))];
  }
  let TOKEN;
  let QUICK;
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'TEMPLATE', 'CODE-CARD', 'MEDCODE-NAV', 'MEDCODE-LIVE', 'MEDCODE-CARD', 'SVG', 'svg']);
  const FIELDS = 'input:not([type]), input[type="text"], input[type="search"], textarea';
  const LABEL = { billable: 'Billable code', header: 'Header, not billable', invalid: 'Not a code', deleted: 'Deleted' };

  /** The service worker's one-letter statuses and systems. */
  const STATUS_OF = { b: 'billable', h: 'header', i: 'invalid', d: 'deleted' };
  const SYSTEM_OF = { c: 'icd10cm', p: 'icd10pcs', h: 'hcpcs' };
  /** Token -> its answer, {status, system, text} (text: what the mark covers), or null when not marked. */
  const known = new Map();
  /** The settings (from the service worker) and the date of service the answers in `known` are for. */
  let settings = { systems: ['icd10cm'], dos: { mode: 'today', selector: '', date: '' } };
  let dos = null;

  const send = (message) =>
    new Promise((resolve) => {
      try {
        chrome.runtime.sendMessage(message, (reply) => {
          void chrome.runtime.lastError;
          resolve(reply?.ok ? reply : null);
        });
      } catch {
        resolve(null); // the extension was reloaded or removed
      }
    });

  // ---- date of service ---------------------------------------------------

  const ymd = (y, m, d) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const today = () => {
    const d = new Date();
    return ymd(d.getFullYear(), d.getMonth() + 1, d.getDate());
  };
  /** The first date in `text` (2026-03-15 or 03/15/2026, 3/15/2026) as YYYY-MM-DD, or '' (none, or not a real day). */
  function parseDate(text) {
    const m = /(?<!\d)(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\/(\d{1,2})\/(\d{4}))(?!\d)/.exec(text ?? '');
    if (!m) return '';
    const [y, mo, d] = m[1] ? [m[1], m[2], m[3]] : [m[6], m[4], m[5]];
    const day = ymd(+y, +mo, +d);
    const t = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === day ? day : '';
  }
  /** The element `selector` names, in this frame's document or else in the top one (when this frame may read it). */
  function dosField(selector) {
    const docs = [document];
    try {
      if (window.top !== window && window.top.document) docs.push(window.top.document);
    } catch {
      // a frame of another origin: its own document only
    }
    for (const doc of docs) {
      try {
        const found = doc.querySelector(selector);
        if (found) return found;
      } catch {
        return null; // not a selector (the options page checks; a stored one may predate that)
      }
    }
    return null;
  }
  /** The date of service now: {date, how} (how: what the card says about where it came from). */
  function serviceDate() {
    const { mode, selector, date } = settings.dos;
    if (mode === 'fixed' && date) return { date, how: 'set in the options' };
    if (mode !== 'field' || !selector) return { date: today(), how: 'today' };
    const field = dosField(selector);
    if (!field) return { date: today(), how: `today: the page has no ${selector} field` };
    const raw = field.matches('input, textarea, select') ? field.value : field.textContent;
    const found = parseDate(raw);
    return found ? { date: found, how: `from ${selector}` } : { date: today(), how: `today: ${selector} holds no date` };
  }

  // ---- asking the service worker ------------------------------------------

  /** The module's own time for the last batch (the rest of the check is messaging). */
  let moduleMs;

  /** What a token's mark covers: the whole token, or an HCPCS code with its first `keep` modifiers. */
  const covered = (token, system, keep) => (system === 'hcpcs' ? token.slice(0, 5 + 3 * keep) : token);

  /** Asks for the answer of every token not known yet, in one message. */
  async function resolveTokens(tokens) {
    const ask = [...new Set(tokens)].filter((t) => !known.has(t));
    if (ask.length === 0) return 0;
    // Tokens never hold a line break: one string carries the batch each way.
    const reply = await send({ type: 'medcode/check', codes: ask.join('\n'), systems: settings.systems, date: dos.date });
    const ok = (k) => typeof reply?.[k] === 'string' && reply[k].length === ask.length;
    if (!ok('statuses') || !ok('systems') || !ok('keep')) return -1;
    ask.forEach((t, i) => {
      const status = STATUS_OF[reply.statuses[i]];
      const system = SYSTEM_OF[reply.systems[i]];
      known.set(t, status && system ? { status, system, text: covered(t, system, Number(reply.keep[i])) } : null);
    });
    moduleMs = reply.ms;
    return ask.length;
  }

  function skipped(node) {
    for (let el = node.parentElement; el; el = el.parentElement) {
      if (SKIP.has(el.tagName) || el.isContentEditable) return true;
    }
    return false;
  }

  /**
   * Text nodes under `root` that hold a token: [{node, tokens: [{at, text}]}].
   * One TreeWalker pass (no filter callback: one JS call per node is the slow
   * part); each node's text goes through a cheap prefilter (3 characters or
   * more, a capital then a digit) before its parent is looked at or the token
   * regex runs. (An XPath prefilter doing the same test with translate() in
   * the browser measured 2-3 times slower, on tables and on prose alike.)
   */
  function collect(root, out) {
    if (root.nodeType === Node.TEXT_NODE) {
      if (!skipped(root)) scanText(root, out);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_NODE) return;
    if (root.nodeType === Node.ELEMENT_NODE && (SKIP.has(root.tagName) || skipped(root))) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.data;
      if (text.length > 2 && QUICK.test(text) && !SKIP.has(n.parentNode.nodeName)) scanText(n, out, text);
    }
  }

  function scanText(node, out, text = node.data) {
    if (text.length < 3 || !QUICK.test(text)) return;
    const tokens = [];
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) tokens.push({ at: m.index, text: m[1] });
    if (tokens.length) out.push({ node, tokens });
  }

  // ---- marks: CSS Custom Highlights ------------------------------------
  //
  // Marks are not elements: each token gets a StaticRange in the Highlight of
  // its status (content.css styles ::highlight(medcode-billable) etc.), so the
  // page's DOM is left as it was (frameworks that own their text nodes keep
  // working) and marking costs no style or layout work beyond painting the
  // visible ranges. StaticRanges do not follow DOM changes, so the mutation
  // handler drops the marks of every text node that changed or left the page
  // and scans it again.
  //
  // Only the marks near the viewport are in the highlights: Chromium rebuilds
  // its markers from every registered range whenever the DOM changes, which
  // with 5,000 ranges would add ~50 ms to every frame after any change the
  // page makes. An IntersectionObserver on the elements holding marked text
  // (one viewport above and below) adds and removes their ranges as they come
  // near the viewport and leave it. So that the first frame after a scan
  // already shows the marks on screen, the scan itself measures its new
  // elements in document order (one layout read, no write in between) until
  // it is well past the bottom of that area, and hands the rest to the
  // observer in idle slices.

  /** Highlight name of each status (also the CSS: `::highlight(medcode-billable)`). */
  const HIGHLIGHT = { billable: 'medcode-billable', header: 'medcode-header', invalid: 'medcode-invalid', deleted: 'medcode-deleted' };
  const highlights = {};
  for (const [status, name] of Object.entries(HIGHLIGHT)) {
    highlights[status] = new Highlight();
    CSS.highlights.set(name, highlights[status]);
  }
  // Where the browser passes highlight types on to assistive technology, a
  // code that is not a code reads as an error (the type changes no painting).
  highlights.invalid.type = 'spelling-error';
  /** The code the keyboard reviewer is on, drawn above the others. */
  const current = new Highlight();
  current.priority = 1;
  CSS.highlights.set('medcode-current', current);

  /**
   * Text node -> its marks, in text order: [{node, el, start, end, code,
   * status, range}]; `range` (a StaticRange) is made when the mark is first
   * drawn, so marks far from the viewport cost one plain object each.
   */
  const marksOf = new WeakMap();
  /** Every marked text node (to count and to drop them all). */
  const markedNodes = new Set();
  /** Element -> its marked text nodes (the elements the observer watches). */
  const nodesOf = new Map();
  /** Elements near the viewport: their marks are in the highlights. */
  const near = new Set();

  const show = (list) => {
    for (const m of list) {
      m.range ??= new StaticRange({ startContainer: m.node, startOffset: m.start, endContainer: m.node, endOffset: m.end });
      highlights[m.status].add(m.range);
    }
  };
  const hide = (list) => {
    for (const m of list) if (m.range) highlights[m.status].delete(m.range);
  };

  const nearby = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        const el = e.target;
        const nodes = nodesOf.get(el);
        if (!nodes) continue;
        const b = e.boundingClientRect;
        if (!e.isIntersecting && b.width === 0 && b.height === 0 && el.parentElement && getComputedStyle(el).display === 'contents') {
          // No box of its own, so never "intersecting": watch its parent instead.
          retarget(el, el.parentElement);
          continue;
        }
        if (e.isIntersecting) {
          near.add(el);
          for (const n of nodes) show(marksOf.get(n));
        } else {
          near.delete(el);
          for (const n of nodes) hide(marksOf.get(n));
        }
      }
    },
    { rootMargin: '100% 0px 100% 0px' },
  );

  /** Moves the marked text nodes of `from` (an element without a box) to `to`. */
  function retarget(from, to) {
    const nodes = nodesOf.get(from);
    nodesOf.delete(from);
    near.delete(from);
    nearby.unobserve(from);
    for (const n of nodes) for (const m of marksOf.get(n)) m.el = to;
    const into = nodesOf.get(to);
    if (into) {
      for (const n of nodes) into.add(n);
      if (near.has(to)) for (const n of nodes) show(marksOf.get(n));
    } else {
      nodesOf.set(to, nodes);
      nearby.observe(to);
    }
  }

  /** Removes the marks of one text node. */
  function unmarkNode(node) {
    const list = marksOf.get(node);
    if (!list) return;
    hide(list);
    for (const m of list) if (m.range) current.delete(m.range);
    marksOf.delete(node);
    markedNodes.delete(node);
    const el = list[0].el;
    const nodes = nodesOf.get(el);
    nodes?.delete(node);
    if (nodes?.size === 0) {
      nodesOf.delete(el);
      near.delete(el);
      nearby.unobserve(el);
    }
  }

  /** Removes the marks of every text node under `root` (a node that left the page). */
  function unmarkTree(root) {
    if (markedNodes.size === 0) return;
    if (root.nodeType === Node.TEXT_NODE) return unmarkNode(root);
    if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (markedNodes.has(n)) unmarkNode(n);
  }

  /**
   * Makes a StaticRange per known token of each text node. Returns the marks
   * made and the elements holding them that are not watched yet.
   */
  function mark(found) {
    let marks = 0;
    const fresh = [];
    for (const { node, tokens } of found) {
      unmarkNode(node);
      const el = node.parentElement;
      if (!node.isConnected || !el) continue;
      const list = [];
      for (const t of tokens) {
        const answer = known.get(t.text);
        if (!answer) continue;
        const { status, system, text } = answer;
        list.push({ node, el, start: t.at, end: t.at + text.length, code: text, status, system, range: null });
      }
      if (list.length === 0) continue;
      marksOf.set(node, list);
      markedNodes.add(node);
      marks += list.length;
      const nodes = nodesOf.get(el);
      if (nodes) {
        nodes.add(node);
        if (near.has(el)) show(list);
      } else {
        nodesOf.set(el, new Set([node]));
        fresh.push(el);
      }
    }
    return [marks, fresh];
  }

  /** How many elements in a row past the bottom of the area end the scan's own measuring. */
  const PAST = 64;
  /** Elements the observer has yet to watch, and how many to hand it per idle slice. */
  let unwatched = [];
  const SLICE = 500;

  /**
   * Shows at once the marks of `fresh` elements near the viewport (the
   * observer's area: one viewport above and below), then queues them all for
   * the observer, which keeps that up to date from then on.
   */
  function place(fresh) {
    const h = innerHeight;
    const w = innerWidth;
    let past = 0;
    for (const el of fresh) {
      const r = el.getBoundingClientRect();
      if (r.top > 2 * h) {
        if (++past >= PAST) break;
        continue;
      }
      past = 0;
      if (r.bottom >= -h && r.right >= 0 && r.left <= w && (r.width || r.height)) {
        near.add(el);
        for (const n of nodesOf.get(el)) show(marksOf.get(n));
      }
    }
    if (fresh.length === 0) return;
    const idle = unwatched.length === 0;
    unwatched = unwatched.concat(fresh);
    if (idle) watchSlice();
  }

  function watchSlice() {
    const run = (deadline) => {
      let i = 0;
      while (i < unwatched.length && (i < SLICE || deadline?.timeRemaining() > 2)) {
        const el = unwatched[i++];
        if (nodesOf.has(el)) nearby.observe(el);
      }
      unwatched = unwatched.slice(i);
      if (unwatched.length) watchSlice();
    };
    if (window.requestIdleCallback) requestIdleCallback(run, { timeout: 100 });
    else setTimeout(run, 16);
  }

  /** A live Range over mark `m` (for its boxes on screen). */
  function rangeOf(m) {
    // (Clamped: a text node the page shortened keeps its old marks until the
    // rescan that its mutation record schedules.)
    const r = document.createRange();
    const n = m.node.length;
    r.setStart(m.node, Math.min(m.start, n));
    r.setEnd(m.node, Math.min(m.end, n));
    return r;
  }

  /** The mark painted under the point (x, y) in the viewport, or null. */
  function markAt(x, y) {
    if (markedNodes.size === 0) return null;
    let node;
    let offset;
    if (document.caretPositionFromPoint) {
      const p = document.caretPositionFromPoint(x, y);
      node = p?.offsetNode;
      offset = p?.offset;
    } else {
      const r = document.caretRangeFromPoint?.(x, y);
      node = r?.startContainer;
      offset = r?.startOffset;
    }
    const list = node && marksOf.get(node);
    if (!list) return null;
    for (const m of list) {
      if (offset < m.start || offset > m.end) continue;
      // The caret is the nearest one: check that the point is on the code's boxes.
      for (const b of rangeOf(m).getClientRects()) if (x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) return m;
    }
    return null;
  }

  // ---- input and textarea values ----------------------------------------

  function fieldTokens(el) {
    const out = [];
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(el.value ?? ''); m; m = TOKEN.exec(el.value ?? '')) out.push(m[1]);
    return out;
  }

  /** Marked field -> its codes, [{code, system}] (for its card). */
  const fieldCodes = new WeakMap();
  /** Fields marked now (to clear them all when the settings or the date change). */
  const markedFields = new Set();

  /** Marks a field with the worst status of its tokens (invalid > deleted > header > billable). */
  function markField(el, tokens) {
    const order = ['invalid', 'deleted', 'header', 'billable'];
    const answers = tokens.map((t) => known.get(t)).filter(Boolean);
    const worst = order.find((s) => answers.some((a) => a.status === s));
    if (worst) {
      el.setAttribute('data-medcode-status', worst);
      el.setAttribute('data-medcode-code', answers.map((a) => a.text).join(', '));
      fieldCodes.set(el, answers.map((a) => ({ code: a.text, system: a.system })));
      markedFields.add(el);
    } else unmarkField(el);
  }

  function unmarkField(el) {
    el.removeAttribute('data-medcode-status');
    el.removeAttribute('data-medcode-code');
    fieldCodes.delete(el);
    markedFields.delete(el);
  }

  // ---- scanning ---------------------------------------------------------

  let observer = null;
  const stats = { scans: 0 };
  /** Bumped when every answer is dropped (new settings or date): a scan of an older one marks nothing. */
  let generation = 0;

  /** The whole page: its root and every field. */
  const everything = () => [[document.body ?? document.documentElement], [...document.querySelectorAll(FIELDS)]];

  /** Drops every answer and every mark (the settings or the date of service changed). */
  function reset() {
    generation++;
    known.clear();
    for (const n of [...markedNodes]) unmarkNode(n);
    for (const f of [...markedFields]) unmarkField(f);
    current.clear();
    navAt = null;
    if (cardFor) hideCard(cardFor);
  }

  /**
   * Scans `roots` (nodes) and `fields`; records the timings on the root
   * element. When the date of service has changed since the last scan, the
   * whole page is scanned again instead.
   */
  async function scan(roots, fields) {
    const t0 = performance.now();
    const now = serviceDate();
    if (dos !== null && now.date !== dos.date) {
      reset();
      [roots, fields] = everything();
    }
    dos = now;
    const gen = generation;
    const found = [];
    for (const r of roots) collect(r, found);
    const values = fields.map((f) => ({ f, tokens: fieldTokens(f) }));
    const tokens = [];
    for (const f of found) for (const t of f.tokens) tokens.push(t.text);
    for (const v of values) tokens.push(...v.tokens);
    const t1 = performance.now();
    moduleMs = undefined;
    const asked = tokens.length ? await resolveTokens(tokens) : 0;
    if (gen !== generation) return; // dropped meanwhile: a newer scan covers the page
    const t2 = performance.now();
    const [marks, fresh] = mark(found);
    place(fresh);
    for (const v of values) markField(v.f, v.tokens);
    navSoon();
    const t3 = performance.now();
    stats.scans++;
    stats.last = {
      tokens: tokens.length,
      asked,
      marks,
      fields: values.length,
      ms: +(t3 - t0).toFixed(2),
      walkMs: +(t1 - t0).toFixed(2),
      checkMs: +(t2 - t1).toFixed(2),
      moduleMs,
      markMs: +(t3 - t2).toFixed(2),
    };
    probeFrame({ t0, last: stats.last });
  }

  /**
   * Records frameMs (from the start of the scan until the frame that shows its
   * marks is done, style, layout and paint included: a message posted from
   * requestAnimationFrame runs after that frame) and how many ranges are
   * drawn, then publishes the stats on the root element.
   */
  function probeFrame({ t0, last }) {
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        last.frameMs = +(performance.now() - t0).toFixed(2);
        last.drawn = Object.values(highlights).reduce((n, h) => n + h.size, 0);
        document.documentElement.setAttribute('data-medcode-scan', JSON.stringify(stats));
      };
      ch.port2.postMessage(0);
    });
  }

  // Mutations are gathered and scanned together on the next idle moment.
  let pendingNodes = new Set();
  let pendingFields = new Set();
  let timer = 0;
  function schedule() {
    if (timer || observer === null) return; // (before the start, the first scan covers everything)
    timer = setTimeout(() => {
      timer = 0;
      // Connected nodes with no pending ancestor (that one's scan covers them).
      const nodes = [];
      for (const n of pendingNodes) {
        if (!n.isConnected) continue;
        let p = n.parentNode;
        while (p && !pendingNodes.has(p)) p = p.parentNode;
        if (!p) nodes.push(n);
      }
      const fields = [...pendingFields].filter((f) => f.isConnected);
      pendingNodes = new Set();
      pendingFields = new Set();
      scan(nodes, fields);
    }, 16);
  }

  function onMutations(records) {
    for (const r of records) {
      if (r.type === 'characterData') {
        // The page changed a text node: its ranges no longer fit; look again.
        unmarkNode(r.target);
        pendingNodes.add(r.target);
        continue;
      }
      for (const n of r.removedNodes) unmarkTree(n);
      for (const n of r.addedNodes) {
        if (n.nodeType === Node.ELEMENT_NODE && (n.tagName === 'MEDCODE-NAV' || n.tagName === 'MEDCODE-LIVE' || n.tagName === 'MEDCODE-CARD')) continue;
        pendingNodes.add(n);
        if (n.nodeType === Node.ELEMENT_NODE) {
          if (n.matches(FIELDS)) pendingFields.add(n);
          for (const f of n.querySelectorAll(FIELDS)) pendingFields.add(f);
        }
      }
    }
    if (pendingNodes.size || pendingFields.size) schedule();
  }

  document.addEventListener(
    'input',
    (e) => {
      const el = e.composedPath()[0];
      if (el instanceof HTMLElement && el.matches(FIELDS)) {
        pendingFields.add(el);
        schedule();
      } else if (settings.dos.mode === 'field') schedule(); // perhaps the date field: the scan looks
    },
    true,
  );
  // A date field (type=date, a select) may say it changed with `change` only.
  document.addEventListener(
    'change',
    () => {
      if (settings.dos.mode === 'field') schedule();
    },
    true,
  );

  // ---- the card ---------------------------------------------------------

  const CARD_CSS = `
    :host { all: initial; position: fixed; z-index: 2147483647; display: block; max-width: 26rem; pointer-events: none; }
    :host([data-hoverable]) { pointer-events: auto; }
    :host([hidden]) { display: none; }
    .card { font: 14px/1.4 system-ui, sans-serif; color: #1b1f24; background: #fff; border: 1px solid #c5ccd6;
      border-radius: 8px; box-shadow: 0 6px 24px rgb(0 0 0 / 0.2); padding: 10px 12px; }
    .head { display: flex; gap: 8px; align-items: baseline; }
    .system { margin-left: auto; font-size: 11px; color: #4b5563; }
    .modifier { margin: 2px 0 0; font-size: 13px; }
    .code { font: 700 15px ui-monospace, 'DejaVu Sans Mono', monospace; }
    .status { font-size: 12px; font-weight: 600; padding: 0 7px; border-radius: 999px; border: 1px solid currentColor; }
    .billable { color: #17663a; } .header { color: #8a5300; } .invalid { color: #a8261d; } .deleted { color: #4b5563; }
    .title { margin: 4px 0 0; font-weight: 600; }
    .issue { margin: 4px 0 0; color: #4b5563; font-size: 13px; }
    ul { margin: 6px 0 0; padding: 0 0 0 16px; font-size: 13px; }
    .s { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-weight: 600; }
    .foot { margin: 6px 0 0; color: #6b7280; font-size: 11px; }
    @media (prefers-color-scheme: dark) {
      .card { color: #e6e9ee; background: #181c22; border-color: #3a424e; }
      .billable { color: #7fd69f; } .header { color: #f0c067; } .invalid { color: #f29a92; } .deleted, .issue, .foot, .system { color: #9aa4b1; }
    }`;
  let cardHost = null;
  let cardRoot = null;
  let cardFor = null;

  function el(tag, cls, text) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function ensureCard() {
    if (cardHost?.isConnected) return;
    cardHost = document.createElement('medcode-card');
    cardHost.hidden = true;
    cardHost.setAttribute('role', 'tooltip');
    cardHost.id = 'medcode-card';
    cardRoot = cardHost.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CARD_CSS);
    cardRoot.adoptedStyleSheets = [sheet];
    document.documentElement.append(cardHost);
  }

  // A card is for a target: a mark (a code in the text) or a marked field.
  const codesOf = (t) => (t.code ? [{ code: t.code, system: t.system }] : (fieldCodes.get(t) ?? []));
  const rectOf = (t) => (t.code ? rangeOf(t).getBoundingClientRect() : t.getBoundingClientRect());
  /** The element that carries aria-describedby for a target (the reviewer for marks). */
  const describedOf = (t) => (t.code ? nav : t);

  /**
   * Shows the card for `target`; resolves to the first card's answer (or
   * null). A card opened by the pointer on a code can be hovered itself
   * (WCAG 1.4.13); any other lets the pointer through, so it never blocks a
   * click on the page.
   */
  async function showCard(target, hoverable = false) {
    const codes = codesOf(target);
    if (codes.length === 0) return null;
    cancelHide();
    cardFor = target;
    const { date, how } = dos ?? serviceDate();
    const replies = await Promise.all(codes.slice(0, 4).map(({ code, system }) => send({ type: 'medcode/card', code, system, date })));
    if (cardFor !== target) return null;
    ensureCard();
    const box = el('div', 'card');
    for (const reply of replies) {
      if (!reply) continue;
      const c = reply.card;
      const head = el('div', 'head');
      head.append(el('span', 'code', c.code), el('span', `status ${c.status}`, LABEL[c.status]), el('span', 'system', c.system));
      box.append(head);
      if (c.display) box.append(el('p', 'title', c.display));
      for (const m of c.modifiers ?? []) box.append(el('p', 'modifier', `Modifier ${m.code}${m.display ? `: ${m.display}` : ''}`));
      if (c.status !== 'billable') for (const t of c.issues.slice(0, 2)) box.append(el('p', 'issue', t));
      if (c.suggestions.length) {
        const ul = el('ul');
        for (const s of c.suggestions) {
          const li = el('li');
          li.append(el('span', 's', s.code), ` ${s.display}`);
          ul.append(li);
        }
        box.append(el('p', 'issue', 'Suggestions:'), ul);
      }
      box.append(el('p', 'foot', `Date of service ${date} (${how}) · ${c.release} · checked in your browser`));
    }
    cardRoot.replaceChildren(box);
    cardHost.toggleAttribute('data-hoverable', hoverable);
    const r = rectOf(target);
    cardHost.hidden = false;
    const { width: w, height: h } = cardHost.getBoundingClientRect();
    let top;
    let left;
    if (target.code && r.right + 10 + w <= innerWidth - 4) {
      // Beside a code, so the codes above and below it (a column of codes)
      // stay free for the pointer: the card itself takes the pointer (it can
      // be hovered and read, WCAG 1.4.13), so it must not cover them.
      left = r.right + 10;
      top = Math.max(4, Math.min(r.top - 8, innerHeight - h - 4));
    } else {
      top = r.bottom + 6 + h > innerHeight && r.top - 6 - h > 0 ? r.top - 6 - h : r.bottom + 6;
      left = Math.max(4, Math.min(r.left, innerWidth - w - 4));
    }
    cardHost.style.setProperty('top', `${Math.round(top)}px`);
    cardHost.style.setProperty('left', `${Math.round(left)}px`);
    describedOf(target)?.setAttribute('aria-describedby', 'medcode-card');
    return replies[0]?.card ?? null;
  }

  function hideCard(target) {
    if (cardFor !== target) return;
    cancelHide();
    cardFor = null;
    if (cardHost) cardHost.hidden = true;
  }

  // The card stays while the pointer is on it (it can be read and its text
  // selected), and goes a moment after the pointer leaves the code and the card.
  let hideTimer = 0;
  function cancelHide() {
    clearTimeout(hideTimer);
    hideTimer = 0;
  }
  function hideSoon(target) {
    if (hideTimer) return;
    hideTimer = setTimeout(() => {
      hideTimer = 0;
      hideCard(target);
    }, 300);
  }

  // ---- pointer: fields by their element, codes by hit-testing the ranges ---

  const fieldOf = (e) => {
    const t = e.composedPath()[0];
    return t instanceof Element ? t.closest('[data-medcode-status]') : null;
  };
  const onCard = (e) => cardHost !== null && e.composedPath().includes(cardHost);
  let pointer = null;
  let pointerFrame = 0;
  /** Once a frame at most: which mark (if any) is under the pointer. */
  function pointerCheck() {
    pointerFrame = 0;
    const { x, y, card, field } = pointer;
    if (field) return;
    const m = card ? null : markAt(x, y);
    if (m) {
      if (cardFor !== m) showCard(m, true);
      else cancelHide();
    } else if (cardFor?.code && !card && cardHost?.hasAttribute('data-hoverable')) hideSoon(cardFor); // not the reviewer's card
    else if (card) cancelHide();
  }
  document.addEventListener(
    'mousemove',
    (e) => {
      pointer = { x: e.clientX, y: e.clientY, card: onCard(e), field: fieldOf(e) !== null };
      if (!pointerFrame && (markedNodes.size || cardFor)) pointerFrame = requestAnimationFrame(pointerCheck);
    },
    { passive: true, capture: true },
  );
  document.addEventListener('mouseover', (e) => {
    const f = fieldOf(e);
    if (f && f !== cardFor) showCard(f);
  });
  document.addEventListener('mouseout', (e) => {
    const f = fieldOf(e);
    if (f && !f.contains(e.relatedTarget)) hideCard(f);
  });
  document.addEventListener('focusin', (e) => {
    const f = fieldOf(e);
    if (f) showCard(f);
  });
  document.addEventListener('focusout', (e) => {
    const f = fieldOf(e);
    if (f) hideCard(f);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && cardFor) hideCard(cardFor);
  });

  // ---- keyboard: one tab stop that reviews the codes -----------------------
  //
  // Marks are not focusable (5,000 codes would be 5,000 tab stops). Instead
  // the extension adds one control, first in the tab order like a skip link
  // and shown only while focused: "medcode: 5,000 codes, 1,000 to check".
  // Enter, Space or ↓ goes to the next code to check (header, not a code,
  // deleted), ↑ or Shift+Enter to the previous one; → and ← step through
  // every code. The current code is scrolled into view and drawn as selected,
  // its card opens (the control's aria-describedby), and a polite live region
  // reads the code, its status, its title and its place ("3 of 1,000").

  const NAV_CSS = `
    .box { font: 13px/1.35 system-ui, sans-serif; color: #fff; background: #1f3a5f; border-radius: 6px;
      padding: 6px 10px; box-shadow: 0 4px 16px rgb(0 0 0 / 0.3); outline: 3px solid #8cc4ff; outline-offset: 1px; }
    .keys { display: block; font-size: 11px; color: #d6e6fa; }`;
  let nav = null;
  let navText = null;
  let navLive = null;
  /** The mark the reviewer is on (null: before the first). */
  let navAt = null;

  function ensureNav() {
    if (nav?.isConnected || !(document.documentElement instanceof HTMLElement)) return; // e.g. an SVG document
    nav = document.createElement('medcode-nav');
    nav.tabIndex = 0;
    nav.setAttribute('role', 'button');
    const root = nav.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(NAV_CSS);
    root.adoptedStyleSheets = [sheet];
    const box = el('div', 'box');
    navText = el('span', 'text');
    box.append(navText, el('span', 'keys', 'Enter or ↓: next to check · ↑: previous · → ←: every code · Esc: close'));
    root.append(box);
    // The live region is not inside the control: a button's content is
    // presentational, so a status inside it would not be exposed.
    if (!navLive?.isConnected) {
      const live = document.createElement('medcode-live');
      navLive = el('span', 'live');
      navLive.setAttribute('role', 'status');
      live.attachShadow({ mode: 'open' }).append(navLive);
      document.documentElement.append(live);
    }
    nav.addEventListener('keydown', onNavKey);
    nav.addEventListener('click', () => navMove(1, true));
    nav.addEventListener('focus', () => {
      if (navAt?.node.isConnected && marksOf.get(navAt.node)?.includes(navAt)) showMark(navAt);
    });
    nav.addEventListener('blur', () => {
      current.clear();
      if (cardFor === navAt) hideCard(navAt);
    });
    // First in the document (so first in the tab order), but outside <body>:
    // the page's `body > :first-child` rules keep matching what they matched.
    document.documentElement.prepend(nav);
  }

  function navLabel() {
    let all = 0;
    let check = 0;
    for (const n of markedNodes) {
      for (const m of marksOf.get(n)) {
        all++;
        if (m.status !== 'billable') check++;
      }
    }
    const text = `medcode: ${all.toLocaleString('en-US')} codes marked, ${check.toLocaleString('en-US')} to check`;
    navText.textContent = text;
    nav.setAttribute('aria-label', `${text}. Enter: next code to check; arrow keys: previous or next code; Escape: close the card.`);
    return all;
  }

  /** After a scan, when the page is idle: the reviewer is for the keyboard, not for the first frame. */
  let navPending = false;
  function navSoon() {
    if (navPending) return;
    navPending = true;
    // (The observer skips the reviewer's own insertion: no need to pause it.)
    const run = () => {
      navPending = false;
      updateNav();
    };
    if (window.requestIdleCallback) requestIdleCallback(run, { timeout: 300 });
    else setTimeout(run, 50);
  }

  /** Adds, updates or removes the reviewer after a scan. */
  function updateNav() {
    if (markedNodes.size === 0) {
      nav?.remove();
      return;
    }
    ensureNav();
    if (nav?.isConnected) navLabel();
  }

  function onNavKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const moves = { Enter: e.shiftKey ? [-1, true] : [1, true], ' ': [1, true], ArrowDown: [1, true], ArrowUp: [-1, true], ArrowRight: [1, false], ArrowLeft: [-1, false] };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    e.stopPropagation();
    navMove(...move);
  }

  /** The marks in document order, from `from` (exclusive) in direction `dir`. */
  function* marksFrom(from, dir) {
    const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
    let list = null;
    if (from?.node.isConnected) {
      walker.currentNode = from.node;
      list = marksOf.get(from.node) ?? [];
      const i = list.indexOf(from);
      list = dir > 0 ? list.slice(i + 1) : list.slice(0, Math.max(0, i)).reverse();
    } else if (dir < 0) {
      // Before the first: start from the end.
      while (walker.lastChild()) {}
      if (walker.currentNode.nodeType === Node.TEXT_NODE) {
        list = [...(marksOf.get(walker.currentNode) ?? [])].reverse();
      }
    }
    for (;;) {
      if (list) yield* list;
      const n = dir > 0 ? walker.nextNode() : walker.previousNode();
      if (!n) return;
      const l = marksOf.get(n);
      list = l ? (dir > 0 ? l : [...l].reverse()) : null;
    }
  }

  /** Moves the reviewer to the next (dir 1) or previous (-1) mark, only those to check if `check`. */
  async function navMove(dir, check) {
    let next = null;
    for (const m of marksFrom(navAt, dir)) {
      if (!check || m.status !== 'billable') {
        next = m;
        break;
      }
    }
    if (!next && check) {
      // Nothing left to check: say so and stay.
      navLive.textContent = dir > 0 ? 'No further code to check.' : 'No earlier code to check.';
      return;
    }
    if (!next) {
      navLive.textContent = dir > 0 ? 'Last code.' : 'First code.';
      return;
    }
    navAt = next;
    await showMark(next, check);
  }

  /** Draws `m` as the current code, scrolls it into view, opens its card and announces it. */
  async function showMark(m, check = m.status !== 'billable') {
    current.clear();
    m.range ??= new StaticRange({ startContainer: m.node, startOffset: m.start, endContainer: m.node, endOffset: m.end });
    current.add(m.range);
    const r = rangeOf(m).getBoundingClientRect();
    if (r.top < 0 || r.bottom > innerHeight || r.left < 0 || r.right > innerWidth) m.node.parentElement?.scrollIntoView({ block: 'center', inline: 'nearest' });
    const c = await showCard(m);
    if (navAt !== m) return;
    let place = 0;
    let total = 0;
    for (const n of markedNodes) {
      for (const x of marksOf.get(n)) if (!check || x.status !== 'billable') total++;
    }
    for (const x of marksFrom(m, -1)) if (!check || x.status !== 'billable') place++;
    const what = check ? 'to check' : 'codes';
    navLive.textContent = `${m.code}: ${LABEL[m.status]}${c?.display ? `, ${c.display}` : ''}. ${place + 1} of ${total} ${what}.`;
  }

  // ---- start ------------------------------------------------------------

  /** Takes `s` (the service worker's settings) into use: the chosen systems' token forms. */
  function apply(s) {
    if (s && Array.isArray(s.systems) && s.dos) settings = s;
    [TOKEN, QUICK] = formsOf(settings.systems);
  }

  /** Asks for the settings, then scans the whole page; from then on the observer scans what changes. */
  async function start() {
    apply((await send({ type: 'medcode/settings' }))?.settings);
    // Marking changes nothing in the DOM (highlights and attributes), so the
    // observer runs all the time: no change the page makes during a scan is lost.
    observer = new MutationObserver(onMutations);
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    scan(...everything());
  }

  // New settings from the options page: drop every mark and scan again
  // (only for the newest change, when several come in a row).
  let changes = 0;
  chrome.storage.onChanged.addListener(async (changed, area) => {
    if (area !== 'local' || !changed.settings || observer === null) return;
    const mine = ++changes;
    const reply = await send({ type: 'medcode/settings' });
    if (!reply || mine !== changes) return;
    apply(reply.settings);
    reset();
    dos = null;
    scan(...everything());
  });

  apply(null);
  start();
})();
