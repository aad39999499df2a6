import { h } from '../dom.js';
import { htmlLang, lang, onLangChange, setLang } from '../lang.js';
import type { ShedView } from '../types-charging.js';
import { minutesNow, portGrid } from './port-grid.js';
import { watchShed, type ShedSocketState } from './shed-socket.js';
import { ts } from './shed-words.js';

/** The minutes left count down on the phone between pushes; a port freeing up is pushed at once. */
const TICK_MS = 30_000;
const FETCH_TIMEOUT_MS = 10_000;

type Problem = 'notFound' | 'network' | undefined;

async function fetchShed(shedId: string): Promise<ShedView | 'notFound'> {
  const res = await fetch(`/api/public/sheds/${encodeURIComponent(shedId)}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (res.status === 404) return 'notFound';
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as ShedView;
}

/**
 * 充电棚, the page behind the QR code at the shed: no login. Which ports are
 * free right now, as they change (the shed's own socket, no reload), and when
 * none is, about when one will be. No cards, households or names: the server's
 * public view has none.
 */
export function showShed(root: HTMLElement, shedId: string): void {
  let view: ShedView | undefined;
  let receivedAt = 0;
  let problem: Problem;
  let live: ShedSocketState = 'connecting';

  const toggle = h('button', { type: 'button', testid: 'lang-toggle', class: 'btn btn--ghost', on: { click: () => setLang(lang() === 'zh' ? 'en' : 'zh') } });
  const brand = h('span', {});
  const name = h('h1', { testid: 'shed-name', class: 'shed__name' });
  const estate = h('p', { testid: 'shed-estate', class: 'shed__estate' });
  const alert = h('p', { testid: 'shed-error', class: 'form__error', attrs: { role: 'alert' }, hidden: true });
  const notice = h('p', { testid: 'shed-notice', class: 'form__error', attrs: { role: 'status' }, hidden: true });
  const count = h('p', { testid: 'shed-free', class: 'shed__count', attrs: { 'aria-live': 'polite' } });
  const total = h('span', { testid: 'shed-total', class: 'shed__total' });
  const next = h('p', { testid: 'shed-next', class: 'shed__next' });
  const grid = h('ul', { testid: 'ports', class: 'ports' });
  const status = h('p', { testid: 'shed-live', class: 'shed__live' });
  const signIn = h('a', { testid: 'shed-sign-in', class: 'shed__signin', href: '#/' });

  function render(): void {
    const ago = Date.now() - receivedAt;
    toggle.textContent = ts('lang.switch');
    toggle.setAttribute('aria-label', ts('lang.switchLabel'));
    toggle.setAttribute('lang', lang() === 'zh' ? 'en' : 'zh-CN');
    brand.textContent = ts('brand');
    name.textContent = view?.name || (problem ? ts('title') : ts('loading'));
    estate.textContent = view ? `${view.estate} · ${ts('title')}` : '';
    alert.textContent = problem ? ts(problem) : '';
    alert.hidden = !problem || (problem === 'network' && live === 'live');
    count.hidden = next.hidden = grid.hidden = !view;
    if (view) {
      count.dataset.free = String(view.free);
      count.className = `shed__count ${view.free > 0 ? 'shed__count--free' : 'shed__count--none'}`;
      total.textContent = ts('of', { n: view.ports.length });
      count.replaceChildren(h('span', {}, view.free > 0 ? ts('free', { n: view.free }) : ts('none')), total);
      // A safety alarm or maintenance is what a resident at the shed most needs to read first.
      const until = view.maintenance ? new Date(view.maintenance.until).toLocaleTimeString(htmlLang(), { hour: '2-digit', minute: '2-digit', hour12: false }) : '';
      notice.textContent = view.alarm ? ts('alarm', { title: view.alarm.title }) : view.maintenance ? ts('maintenance', { time: until, reason: view.maintenance.reason }) : '';
      notice.hidden = !view.alarm && !view.maintenance;
      const soon = view.free === 0 && view.nextFreeInMinutes !== null ? minutesNow(view.nextFreeInMinutes, ago) : undefined;
      next.textContent = soon === undefined ? '' : soon > 0 ? ts('next', { n: soon }) : ts('nextSoon');
      next.hidden = soon === undefined;
      grid.setAttribute('aria-label', ts('ports'));
      portGrid(grid, view.ports, ago);
      document.title = `${view.name} · ${ts('brand')}`;
    }
    status.dataset.state = live;
    const when = view ? ` · ${ts('updated', { time: new Date(receivedAt).toLocaleTimeString(htmlLang(), { hour: '2-digit', minute: '2-digit', hour12: false }) })}` : '';
    status.textContent = live === 'gone' ? '' : ts(`live.${live}`) + (live === 'live' ? when : '');
    signIn.textContent = ts('signIn');
  }

  function show(next: ShedView): void {
    view = next;
    receivedAt = Date.now();
    problem = undefined;
    render();
  }

  /** The first paint, and a fallback while the socket is down (a proxy that drops WebSockets). */
  async function load(): Promise<void> {
    try {
      const answer = await fetchShed(shedId);
      if (answer === 'notFound') {
        problem = 'notFound';
        view = undefined;
      } else if (live !== 'live' || !view) {
        show(answer);
        return;
      }
    } catch {
      problem = 'network';
    }
    render();
  }

  watchShed(shedId, {
    view: show,
    state(next) {
      live = next;
      if (next === 'gone') {
        problem = 'notFound';
        view = undefined;
      }
      if (next === 'reconnecting') void load(); // the socket is down: the plain GET may still get through
      render();
    },
  });
  setInterval(render, TICK_MS);
  onLangChange(render);

  document.documentElement.lang = htmlLang();
  root.replaceChildren(
    h('header', { class: 'header' }, h('div', { class: 'header__brand' }, h('span', { class: 'header__logo', attrs: { 'aria-hidden': 'true' } }, '邻'), brand), toggle),
    h('main', { class: 'page shed', testid: 'shed-page' }, name, estate, alert, notice, count, next, grid, status, signIn),
  );
  render();
  void load();
}
