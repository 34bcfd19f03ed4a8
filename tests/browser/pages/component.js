// Test page script: records the component's events for the browser tests.
import '/js/medcode-input.js';

window.__events = [];
for (const type of ['medcode-select', 'medcode-change']) {
  document.addEventListener(type, (e) => {
    window.__events.push({ type, target: e.target.id, detail: e.detail });
    document.getElementById('log').textContent = `${type}: ${e.detail.code ?? e.detail.value}`;
  });
}
// What plain form code hears: the standard change and input events, on the form.
window.__formEvents = [];
for (const type of ['change', 'input']) {
  document.getElementById('claim').addEventListener(type, (e) => window.__formEvents.push({ type, target: e.target.id, value: e.target.value }));
}
document.getElementById('claim').addEventListener('submit', (e) => {
  e.preventDefault();
  window.__submitted = Object.fromEntries(new FormData(e.target));
});
document.documentElement.dataset.ready = 'true';
