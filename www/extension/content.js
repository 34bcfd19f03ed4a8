// Content script of the medcode extension: finds code-like tokens in the
// page's text nodes and in input/textarea values, asks the extension's
// service worker (where the wasm module runs) for their status in one message
// per batch, and marks them. A MutationObserver rescans only what changed.
// Hover or focus on a mark (or a marked field) shows a card with the title,
// the status and suggestions. Everything is drawn with text nodes; nothing
// leaves the browser.
//
// Token rule: a letter, a digit, a letter or digit, then optionally a dot and
// 1-4 letters/digits (E11.9, S72.001A, E11) or up to 4 more without the dot
// (E119). Tokens without a dot are marked only when they are codes or
// headers, so words like "H2O" or "A1C" are not flagged invalid.
(() => {
  'use strict';
  if (window.__medcodeContent) return;
  window.__medcodeContent = true;

  const TOKEN = /(?<![A-Za-z0-9.\u00C0-\u024F])([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4}|[0-9A-Z]{1,4})?)(?![A-Za-z0-9\u00C0-\u024F]|\.[A-Za-z0-9])/g;
  const QUICK = /[A-Z][0-9][0-9A-Z]/;
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'TEMPLATE', 'CODE-CARD', 'MEDCODE-MARK', 'MEDCODE-CARD', 'SVG', 'svg']);
  const FIELDS = 'input:not([type]), input[type="text"], input[type="search"], textarea';
  const LABEL = { billable: 'Billable code', header: 'Header, not billable', invalid: 'Not a code', deleted: 'Deleted' };

  /** Token -> status, for every token already answered. */
  const known = new Map();
  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };

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

  /** Asks for the status of every token not known yet, in one message. */
  async function resolveTokens(tokens) {
    const ask = [...new Set(tokens)].filter((t) => !known.has(t));
    if (ask.length === 0) return 0;
    const reply = await send({ type: 'medcode/check', codes: ask, date: today() });
    if (!reply) return -1;
    ask.forEach((t, i) => known.set(t, reply.statuses[i]));
    return ask.length;
  }

  const shown = (token, status) => status && (status !== 'invalid' || token.includes('.'));

  function skipped(node) {
    for (let el = node.parentElement; el; el = el.parentElement) {
      if (SKIP.has(el.tagName) || el.isContentEditable) return true;
    }
    return false;
  }

  /** Text nodes under `root` that hold a token: [{node, tokens: [{at, text}]}]. */
  function collect(root, out) {
    if (root.nodeType === Node.TEXT_NODE) {
      if (!skipped(root)) scanText(root, out);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_NODE) return;
    if (root.nodeType === Node.ELEMENT_NODE && (SKIP.has(root.tagName) || skipped(root))) return;
    // No filter callback (one JS call per node is the slow part): skip by parent.
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!SKIP.has(n.parentNode.nodeName)) scanText(n, out);
    }
  }

  function scanText(node, out) {
    const text = node.data;
    if (text.length < 3 || !QUICK.test(text)) return;
    const tokens = [];
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) tokens.push({ at: m.index, text: m[1] });
    if (tokens.length) out.push({ node, tokens });
  }

  /** Wraps the known tokens of each text node in <medcode-mark>. */
  function mark(found) {
    let marks = 0;
    for (const { node, tokens } of found) {
      if (!node.parentNode) continue;
      const text = node.data;
      const frag = document.createDocumentFragment();
      let at = 0;
      for (const t of tokens) {
        const status = known.get(t.text);
        if (!shown(t.text, status)) continue;
        if (t.at > at) frag.append(text.slice(at, t.at));
        const m = document.createElement('medcode-mark');
        // The status glyph (content.css ::after) is part of the accessible name.
        m.setAttribute('data-medcode-status', status);
        m.tabIndex = 0;
        m.textContent = t.text;
        frag.append(m);
        at = t.at + t.text.length;
        marks++;
      }
      if (at === 0) continue;
      if (at < text.length) frag.append(text.slice(at));
      node.replaceWith(frag);
    }
    return marks;
  }

  // ---- input and textarea values ----------------------------------------

  function fieldTokens(el) {
    const out = [];
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(el.value ?? ''); m; m = TOKEN.exec(el.value ?? '')) out.push(m[1]);
    return out;
  }

  /** The worst status of a field's tokens (invalid > deleted > header > billable). */
  function markField(el, tokens) {
    const order = ['invalid', 'deleted', 'header', 'billable'];
    const statuses = tokens.map((t) => known.get(t)).filter((s, i) => shown(tokens[i], s));
    const worst = order.find((s) => statuses.includes(s));
    if (worst) {
      el.setAttribute('data-medcode-status', worst);
      el.setAttribute('data-medcode-code', tokens.filter((t, i) => shown(t, known.get(t))).join(' '));
    } else {
      el.removeAttribute('data-medcode-status');
      el.removeAttribute('data-medcode-code');
    }
  }

  // ---- scanning ---------------------------------------------------------

  let observer = null;
  const stats = { scans: 0 };

  /** Scans `roots` (nodes) and `fields`; records the timings on the root element. */
  async function scan(roots, fields) {
    const t0 = performance.now();
    const found = [];
    for (const r of roots) collect(r, found);
    const values = fields.map((f) => ({ f, tokens: fieldTokens(f) }));
    const tokens = [];
    for (const f of found) for (const t of f.tokens) tokens.push(t.text);
    for (const v of values) tokens.push(...v.tokens);
    const t1 = performance.now();
    const asked = tokens.length ? await resolveTokens(tokens) : 0;
    const t2 = performance.now();
    observer?.disconnect();
    const marks = mark(found);
    for (const v of values) markField(v.f, v.tokens);
    observer?.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
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
      markMs: +(t3 - t2).toFixed(2),
    };
    // frameMs: until the frame that shows the marks is done (style, layout and
    // paint included): a message posted from requestAnimationFrame runs after it.
    const last = stats.last;
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        last.frameMs = +(performance.now() - t0).toFixed(2);
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
    if (timer) return;
    timer = setTimeout(() => {
      timer = 0;
      const nodes = [...pendingNodes].filter((n) => n.isConnected && ![...pendingNodes].some((o) => o !== n && o.contains(n)));
      const fields = [...pendingFields].filter((f) => f.isConnected);
      pendingNodes = new Set();
      pendingFields = new Set();
      scan(nodes, fields);
    }, 16);
  }

  function onMutations(records) {
    for (const r of records) {
      if (r.type === 'characterData') {
        const parent = r.target.parentElement;
        if (parent?.tagName === 'MEDCODE-MARK') {
          // The page changed a marked token: unwrap it and look again.
          const text = document.createTextNode(parent.textContent);
          parent.replaceWith(text);
          pendingNodes.add(text);
        } else pendingNodes.add(r.target);
        continue;
      }
      for (const n of r.addedNodes) {
        if (n.nodeType === Node.ELEMENT_NODE && (n.tagName === 'MEDCODE-MARK' || n.tagName === 'MEDCODE-CARD')) continue;
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
      }
    },
    true,
  );

  // ---- the card ---------------------------------------------------------

  const CARD_CSS = `
    :host { all: initial; position: fixed; z-index: 2147483647; display: block; max-width: 26rem; pointer-events: none; }
    :host([hidden]) { display: none; }
    .card { font: 14px/1.4 system-ui, sans-serif; color: #1b1f24; background: #fff; border: 1px solid #c5ccd6;
      border-radius: 8px; box-shadow: 0 6px 24px rgb(0 0 0 / 0.2); padding: 10px 12px; }
    .head { display: flex; gap: 8px; align-items: baseline; }
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
      .billable { color: #7fd69f; } .header { color: #f0c067; } .invalid { color: #f29a92; } .deleted, .issue, .foot { color: #9aa4b1; }
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

  async function showCard(target) {
    const codes = (target.tagName === 'MEDCODE-MARK' ? target.textContent : target.getAttribute('data-medcode-code') ?? '').split(' ').filter(Boolean);
    if (codes.length === 0) return;
    cardFor = target;
    const replies = await Promise.all(codes.slice(0, 4).map((code) => send({ type: 'medcode/card', code, date: today() })));
    if (cardFor !== target) return;
    ensureCard();
    const box = el('div', 'card');
    for (const reply of replies) {
      if (!reply) continue;
      const c = reply.card;
      const head = el('div', 'head');
      head.append(el('span', 'code', c.code), el('span', `status ${c.status}`, LABEL[c.status]));
      box.append(head);
      if (c.display) box.append(el('p', 'title', c.display));
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
      box.append(el('p', 'foot', `${c.release} · checked in your browser`));
    }
    cardRoot.replaceChildren(box);
    const r = target.getBoundingClientRect();
    cardHost.hidden = false;
    const h = cardHost.getBoundingClientRect().height;
    const top = r.bottom + 6 + h > innerHeight && r.top - 6 - h > 0 ? r.top - 6 - h : r.bottom + 6;
    cardHost.style.setProperty('top', `${Math.round(top)}px`);
    cardHost.style.setProperty('left', `${Math.round(Math.max(4, Math.min(r.left, innerWidth - cardHost.offsetWidth - 4)))}px`);
    target.setAttribute('aria-describedby', 'medcode-card');
  }

  function hideCard(target) {
    if (cardFor !== target) return;
    cardFor = null;
    if (cardHost) cardHost.hidden = true;
  }

  const markOf = (e) => {
    const t = e.composedPath()[0];
    return t instanceof Element ? t.closest('medcode-mark, [data-medcode-status]') : null;
  };
  document.addEventListener('mouseover', (e) => {
    const m = markOf(e);
    if (m && m !== cardFor) showCard(m);
  });
  document.addEventListener('mouseout', (e) => {
    const m = markOf(e);
    if (m && !m.contains(e.relatedTarget)) hideCard(m);
  });
  document.addEventListener('focusin', (e) => {
    const m = markOf(e);
    if (m) showCard(m);
  });
  document.addEventListener('focusout', (e) => {
    const m = markOf(e);
    if (m) hideCard(m);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && cardFor) hideCard(cardFor);
  });

  // ---- start ------------------------------------------------------------

  observer = new MutationObserver(onMutations);
  scan([document.body ?? document.documentElement], [...document.querySelectorAll(FIELDS)]);
})();
