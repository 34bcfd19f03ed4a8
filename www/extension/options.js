// The options page: the sites the extension marks codes on (optional host
// permissions, asked for when the user adds a site), the systems to mark and
// the date of service. Settings are saved as they change, in
// chrome.storage.local (settings.js). Every text is set as text.
import { isDay, loadSettings, saveSettings, sitePattern, siteOrigins } from './settings.js';

const $ = (id) => document.getElementById(id);

// ---- sites ----------------------------------------------------------------

/** Shows `text` as the site field's error (empty: no error). */
function siteError(text) {
  $('site-error').textContent = text;
  if (text) $('site').setAttribute('aria-invalid', 'true');
  else $('site').removeAttribute('aria-invalid');
}

/** `https://ehr.example.org/*` as the user thinks of it: `https://ehr.example.org`. */
const siteName = (pattern) => pattern.replace(/\/\*$/, '');

/** Lists the granted sites, each with a Remove button. */
async function renderSites() {
  const { origins } = await chrome.permissions.getAll();
  const sites = siteOrigins(origins).sort();
  const list = $('sites');
  list.replaceChildren(
    ...sites.map((pattern) => {
      const li = document.createElement('li');
      li.dataset.pattern = pattern;
      const name = document.createElement('span');
      name.className = 'site';
      name.textContent = siteName(pattern);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${siteName(pattern)}`);
      remove.addEventListener('click', () => removeSite(pattern));
      li.append(name, remove);
      return li;
    }),
  );
  $('no-sites').hidden = sites.length > 0;
}

/**
 * Adds the typed site: checks it, then asks the browser for access at once
 * (chrome.permissions.request needs the user's click or key press, so nothing
 * is awaited before it).
 */
function addSite(event) {
  event.preventDefault();
  const typed = $('site').value;
  const { pattern, error } = sitePattern(typed);
  if (error) {
    siteError(error);
    $('site').focus();
    return;
  }
  siteError('');
  chrome.permissions.request({ origins: [pattern] }).then(
    async (granted) => {
      if (!granted) {
        siteError(`The browser did not grant access to ${siteName(pattern)}: nothing is marked there.`);
        return;
      }
      $('site').value = '';
      await renderSites();
      $('site-status').textContent = `Added ${siteName(pattern)}. Reload its open pages to mark them.`;
    },
    (e) => siteError(`Could not add ${siteName(pattern)}: ${e?.message ?? e}`),
  );
}

async function removeSite(pattern) {
  const removed = await chrome.permissions.remove({ origins: [pattern] });
  await renderSites();
  $('site-status').textContent = removed ? `Removed ${siteName(pattern)}: its pages are no longer marked (after a reload).` : `Could not remove ${siteName(pattern)}.`;
  $('site').focus();
}

// ---- systems and date of service ------------------------------------------

const form = $('settings');

/** Puts `settings` into the form. */
function fill(settings) {
  for (const box of form.querySelectorAll('input[name="system"]')) box.checked = settings.systems.includes(box.value);
  for (const radio of form.querySelectorAll('input[name="dos"]')) radio.checked = radio.value === settings.dos.mode;
  $('dos-selector').value = settings.dos.selector;
  $('dos-date').value = settings.dos.date;
  enableDos();
}

/** Only the chosen way's own field can be edited. */
function enableDos() {
  const mode = form.querySelector('input[name="dos"]:checked')?.value ?? 'today';
  $('dos-selector').disabled = mode !== 'field';
  $('dos-date').disabled = mode !== 'fixed';
}

/** Whether `selector` is a CSS selector the browser accepts. */
function validSelector(selector) {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** The form's settings, or `{error, field}` when the date of service is incomplete. */
function read() {
  const systems = [...form.querySelectorAll('input[name="system"]:checked')].map((b) => b.value);
  const mode = form.querySelector('input[name="dos"]:checked')?.value ?? 'today';
  const selector = $('dos-selector').value.trim();
  const date = $('dos-date').value;
  if (mode === 'field' && selector === '') return { error: 'Type the CSS selector of the date field, e.g. #dos.', field: 'dos-selector' };
  if (mode === 'field' && !validSelector(selector)) return { error: `"${selector}" is not a CSS selector (e.g. #dos, input[name="service-date"]).`, field: 'dos-selector' };
  if (mode === 'fixed' && !isDay(date)) return { error: 'Choose the date of service.', field: 'dos-date' };
  return { systems, dos: { mode, selector, date } };
}

/** Saves the form when it is complete; says what is missing when not. */
async function save() {
  enableDos();
  const settings = read();
  for (const id of ['dos-selector', 'dos-date']) $(id).removeAttribute('aria-invalid');
  $('dos-error').textContent = settings.error ?? '';
  if (settings.error) {
    $(settings.field).setAttribute('aria-invalid', 'true');
    $('saved').textContent = '';
    return;
  }
  await saveSettings(settings);
  $('saved').textContent = settings.systems.length ? 'Saved.' : 'Saved. No system is chosen: nothing is marked.';
}

// ---- start ----------------------------------------------------------------

$('site-form').addEventListener('submit', addSite);
$('site').addEventListener('input', () => siteError(''));
form.addEventListener('change', save);
form.addEventListener('submit', (e) => e.preventDefault());
chrome.permissions.onAdded.addListener(renderSites);
chrome.permissions.onRemoved.addListener(renderSites);
fill(await loadSettings());
await renderSites();
document.documentElement.dataset.ready = '';
