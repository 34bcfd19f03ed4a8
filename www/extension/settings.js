// The extension's settings, shared by the service worker and the options
// page (the content script asks the service worker for them). Kept in
// chrome.storage.local under `settings`: on this device only, never synced.
// The sites are not settings: they are the host permissions the user granted
// (chrome.permissions), which the service worker turns into content script
// registrations.

/** The systems the extension can mark, with their names. */
export const SYSTEM_NAMES = Object.freeze({ icd10cm: 'ICD-10-CM', icd10pcs: 'ICD-10-PCS', hcpcs: 'HCPCS Level II' });

/** Ways to get the date of service: today, a field on the page, a fixed day. */
export const DOS_MODES = Object.freeze(['today', 'field', 'fixed']);

/** What a fresh install uses: ICD-10-CM on today's date. */
export const DEFAULTS = Object.freeze({ systems: Object.freeze(['icd10cm']), dos: Object.freeze({ mode: 'today', selector: '', date: '' }) });

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(text) {
  if (typeof text !== 'string' || !ISO_DAY.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** `stored` (anything read from storage) as complete, well-formed settings. */
export function normalize(stored) {
  const s = stored && typeof stored === 'object' ? stored : {};
  const systems = Array.isArray(s.systems) ? Object.keys(SYSTEM_NAMES).filter((id) => s.systems.includes(id)) : [...DEFAULTS.systems];
  const dos = s.dos && typeof s.dos === 'object' ? s.dos : {};
  const mode = DOS_MODES.includes(dos.mode) ? dos.mode : 'today';
  const selector = typeof dos.selector === 'string' ? dos.selector.trim().slice(0, 500) : '';
  const date = isDay(dos.date) ? dos.date : '';
  return { systems, dos: { mode, selector, date } };
}

/** The stored settings (defaults where none). */
export async function loadSettings() {
  const { settings } = await chrome.storage.local.get('settings');
  return normalize(settings);
}

/** Stores `settings` (normalized first). */
export async function saveSettings(settings) {
  await chrome.storage.local.set({ settings: normalize(settings) });
}

/**
 * The match pattern for a site the user typed (`https://ehr.example.org`,
 * `ehr.example.org`, `http://10.0.0.5:8080/chart`, `https://*.example.org`):
 * `{pattern: 'https://ehr.example.org/*'}`, or `{error}` saying what is wrong.
 * Only http and https; no scheme means https. The path and the port are
 * dropped: access is to every page of the host, on any port (a match pattern
 * cannot name a port). A wildcard may only stand for the subdomains of a
 * domain of two labels or more; `<all_urls>`, `*` and `*.org` are refused.
 */
export function sitePattern(input) {
  const text = typeof input === 'string' ? input.trim() : '';
  const example = 'Type a site address such as https://ehr.example.org.';
  if (text === '') return { error: `No address given. ${example}` };
  if (text === '<all_urls>' || /^\*(:\/\/.*)?$/.test(text) || /^[a-z*]+:\/\/\*(\/.*)?$/i.test(text)) {
    return { error: `"${text}" would give access to every site; add the sites of your EHR one by one. ${example}` };
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/]+:\d+(\/|$)/.test(text) ? text : `https://${text}`;
  const scheme = withScheme.slice(0, withScheme.indexOf(':')).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { error: `"${text}" is not a web site (${scheme}:): only http and https sites can be added. ${example}` };
  // The URL parser does not take `*`: read a leading `*.` apart.
  const wild = /^https?:\/\/\*\./i.test(withScheme);
  let url;
  try {
    url = new URL(wild ? withScheme.replace('*.', 'wildcard.') : withScheme);
  } catch {
    return { error: `"${text}" is not a site address. ${example}` };
  }
  if (url.username || url.password) return { error: `"${text}" holds a user name or password; type the address alone. ${example}` };
  const host = wild ? url.hostname.replace(/^wildcard\./, '') : url.hostname;
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/.test(host)) {
    return { error: `"${text}" is not a site address (host "${host}"). ${example}` };
  }
  if (wild && !host.includes('.')) return { error: `"${text}" would give access to every site under .${host}; name the EHR's domain. ${example}` };
  return { pattern: `${scheme}://${wild ? '*.' : ''}${host}/*` };
}

/** The sites of the granted origins (match patterns of http and https only). */
export const siteOrigins = (origins) => (origins ?? []).filter((o) => /^https?:\/\/[^/]+\/\*$/.test(o) && !/^https?:\/\/\*\/\*$/.test(o));
