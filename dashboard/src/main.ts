import { shedIdOf } from './shed/address.js';

/**
 * The entry, kept tiny: the address picks one of two chunks. `#/shed/<id>` is a
 * shed's public page (the QR code at the shed; no login, no sign-in screen
 * first), small enough for a phone on one bar of signal. Every other address
 * is the signed-in dashboard (shell.ts). Moving between the two reloads, so
 * neither carries the other's state.
 */
const root = document.getElementById('app')!;
const shedId = shedIdOf(location.hash);

// The dictionaries are not loaded yet, so this one line says it in both languages.
const failed = (): void => {
  const p = document.createElement('p');
  p.className = 'boot';
  p.dataset.testid = 'page-load-error';
  p.textContent = '页面没有加载成功，请刷新后再试。 The page did not load; please reload.';
  root.replaceChildren(p);
};

if (shedId !== undefined) {
  import('./shed/shed-page.js').then((m) => m.showShed(root, shedId), failed);
} else {
  import('./shell.js').catch(failed);
}

window.addEventListener('hashchange', () => {
  const next = shedIdOf(location.hash);
  if (shedId !== undefined ? next !== shedId : next !== undefined) location.reload();
});
