import { reportsApi } from '../api-reports.js';
import { h } from '../dom.js';
import { shortTime, yuan } from '../format.js';
import { roleLabel, t } from '../i18n.js';
import { actionLabel, GROUPS, tl, type AuditKey, type Group } from '../messages/audit.js';
import type { AuditEntry, AuditFilter } from '../types-reports.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, labelled, say, whileBusy } from './form.js';
import type { PageDeps, PageView } from './page.js';

/** As many as one look needs; narrower filters find older ones. */
const LIMIT = 200;

/** A local date's start as ISO; `plusDays` 1 gives the next day's, so "to" includes its whole day. */
const dayStart = (value: string, plusDays = 0) => {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
};

/** The few fields of a request worth a line: why, a plate, an amount. Secrets never reach the log (server/http/audit.ts). */
function detailText(detail: Record<string, unknown>): string {
  const out: string[] = [];
  for (const key of ['reason', 'note', 'plate', 'name']) if (typeof detail[key] === 'string' && detail[key]) out.push(detail[key] as string);
  for (const key of ['amountFen', 'fen']) if (typeof detail[key] === 'number') out.push(yuan(detail[key] as number));
  return out.join(' · ');
}

function row(e: AuditEntry): HTMLElement {
  const detail = detailText(e.detail);
  const li = h(
    'li',
    { testid: 'audit-item', class: 'row' },
    h('div', { class: 'row__head' }, h('span', { testid: 'audit-action', class: 'row__title' }, actionLabel(e.action)), h('time', { class: 'muted', attrs: { datetime: e.at } }, shortTime(e.at))),
    h('span', { testid: 'audit-who' }, tl('audit.by', { user: e.username, role: roleLabel(e.role) })),
    e.target ? h('span', { testid: 'audit-target', class: 'muted' }, tl('audit.target', { target: e.target })) : undefined,
    detail ? h('p', { testid: 'audit-detail', class: 'row__text' }, detail) : undefined,
  );
  li.dataset.action = e.action;
  li.dataset.id = String(e.id);
  return li;
}

/**
 * 操作记录, the committee's audit list: who did what and when — the charter,
 * the register, devices, fees and top-ups, manual gate opens, reads of a
 * car's plate history — newest first, by person, kind of action and dates.
 */
export function auditView(deps: PageDeps): PageView {
  let estateId: string | undefined;
  let seq = 0;
  const who = h('input', { testid: 'audit-who-filter', attrs: { list: 'audit-people', maxlength: 64, autocomplete: 'off', spellcheck: 'false', placeholder: tl('audit.whoHint') } });
  const people = h('datalist', { id: 'audit-people' });
  const what = h('select', { testid: 'audit-action-filter' }, h('option', { value: '' }, tl('audit.all')), ...Object.keys(GROUPS).map((g) => h('option', { value: g }, tl(`group.${g}` as AuditKey))));
  const from = h('input', { testid: 'audit-from', type: 'date' });
  const to = h('input', { testid: 'audit-to', type: 'date' });
  const submit = h('button', { type: 'submit', testid: 'audit-show', class: 'btn btn--action' }, tl('audit.show'));
  const error = errorLine('audit-error');
  const count = h('p', { testid: 'audit-count', class: 'hint' });
  const list = h('ul', { testid: 'audit-list', class: 'rows' });
  const form = h('form', { class: 'period', noValidate: true }, labelled(tl('audit.who'), who), people, labelled(tl('audit.what'), what), labelled(tl('audit.from'), from), labelled(tl('audit.to'), to), submit);

  async function load(): Promise<void> {
    if (!estateId) return;
    const mine = ++seq;
    const api = reportsApi(deps.api, estateId);
    const base: AuditFilter = { username: who.value.trim() || undefined, from: from.value ? dayStart(from.value) : undefined, to: to.value ? dayStart(to.value, 1) : undefined };
    const prefixes: readonly (string | undefined)[] = what.value ? GROUPS[what.value as Group] : [undefined];
    try {
      // One call per prefix of the chosen kind, merged newest first.
      const answers = await Promise.all(prefixes.map((action) => api.audit({ ...base, action }, LIMIT)));
      if (mine !== seq) return;
      const items = answers.flatMap((a) => a.items).sort((a, b) => b.id - a.id).slice(0, LIMIT);
      say(error, undefined);
      list.replaceChildren(...(items.length ? items.map(row) : [h('li', { testid: 'audit-empty', class: 'hint' }, tl('audit.none'))]));
      count.textContent = !items.length ? '' : items.length < LIMIT ? tl('audit.count', { n: items.length }) : tl('audit.more', { max: LIMIT });
      const known = new Set([...people.options].map((o) => o.value));
      for (const e of items) if (!known.has(e.username)) (known.add(e.username), people.append(h('option', { value: e.username })));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void whileBusy(submit, t('busy'), load);
  });
  what.addEventListener('change', () => void load());

  const el = h(
    'main',
    { class: 'page', testid: 'audit-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, (id) => ((estateId = id), void load()))),
    h('h1', { class: 'summary__title' }, t('nav.audit')),
    form,
    error,
    h('section', { class: 'card section' }, count, list),
  );
  return { el, destroy: () => void (seq += 1) };
}
