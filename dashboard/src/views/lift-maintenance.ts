import type { ElevatorApi } from '../api-elevator.js';
import { h } from '../dom.js';
import { day, localInput, shortTime } from '../format.js';
import { t } from '../i18n.js';
import { te } from '../messages/elevator.js';
import type { MaintenanceRecord, MaintenanceStatus } from '../types-elevator.js';
import { errorLine, failureText, labelled, noteLine, say, whileBusy } from './form.js';

function recordRow(m: MaintenanceRecord): HTMLElement {
  const li = h(
    'li',
    { testid: 'maint-item', class: 'row' },
    h('div', { class: 'row__head' }, h('time', { testid: 'maint-done-at', class: 'row__title', dateTime: m.doneAt }, shortTime(m.doneAt)), h('span', { testid: 'maint-done-by' }, m.doneBy)),
    h('p', { testid: 'maint-what', class: 'row__text' }, m.what),
    h('span', { class: 'muted' }, te('maint.by', { user: m.recordedBy })),
  );
  li.dataset.id = m.id;
  return li;
}

/** 下次保养 and, when it has passed (or there was never one), 已逾期 in red. */
function statusLine(s: MaintenanceStatus): HTMLElement[] {
  const next = h('p', { testid: 'maint-next', class: 'row__title' }, s.nextDue ? te('maint.next', { d: day(s.nextDue) }) : te('maint.never'));
  if (s.nextDue) next.dataset.due = s.nextDue;
  return s.overdue
    ? [next, h('p', { testid: 'maint-overdue', class: 'form__error', attrs: { role: 'alert' } }, te('maint.overdueLong', { n: s.intervalDays }))]
    : [next, h('p', { class: 'hint' }, te('maint.interval', { n: s.intervalDays }))];
}

/** 添加记录: who serviced the lift, when, and what they did (committee and volunteers). */
function addForm(add: (body: { doneBy: string; doneAt: string; what: string }) => Promise<MaintenanceRecord>): HTMLElement {
  const doneBy = h('input', { testid: 'maint-by', attrs: { maxlength: 100, autocomplete: 'off' } });
  const doneAt = h('input', { testid: 'maint-at', type: 'datetime-local', value: localInput(Date.now()) });
  const what = h('textarea', { testid: 'maint-what-input', attrs: { maxlength: 500, rows: 2, placeholder: te('maint.whatHint') } });
  const error = errorLine('maint-error');
  const done = noteLine('maint-done');
  const submit = h('button', { type: 'submit', testid: 'maint-submit', class: 'btn btn--primary' }, te('maint.submit'));
  const form = h('form', { testid: 'maint-form', class: 'form', noValidate: true }, h('h3', { class: 'usage__title' }, te('maint.add')), labelled(te('maint.doneBy'), doneBy), labelled(te('maint.doneAt'), doneAt), labelled(te('maint.what'), what), error, done, submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    say(error, undefined);
    say(done, undefined);
    const by = doneBy.value.trim();
    const text = what.value.trim();
    if (!by) return (say(error, t('err.required', { field: te('maint.doneBy') })), doneBy.focus());
    if (!doneAt.value) return (say(error, t('err.required', { field: te('maint.doneAt') })), doneAt.focus());
    if (text.length < 2) return (say(error, t('err.required', { field: te('maint.what') })), what.focus());
    void whileBusy(submit, t('busy'), async () => {
      try {
        const rec = await add({ doneBy: by, doneAt: new Date(doneAt.value).toISOString(), what: text });
        say(done, te('maint.added', { d: day(rec.nextDue) }));
        what.value = '';
        doneAt.value = localInput(Date.now());
      } catch (err) {
        say(error, failureText(err, { doneBy: te('maint.doneBy'), doneAt: te('maint.doneAt'), what: te('maint.what') }));
      }
    });
  });
  return form;
}

/** 维保记录: the service visits of one elevator, when the next is due, and adding a visit. */
export function liftMaintenance(o: { canAdd: boolean; onAdded(): void }): { el: HTMLElement; show(api: ElevatorApi, liftId: string): Promise<void> } {
  let target: { api: ElevatorApi; liftId: string } | undefined;
  let seq = 0;
  const status = h('div', { testid: 'maint-status' });
  const list = h('ul', { testid: 'maint-list', class: 'rows' });
  const error = errorLine('maint-load-error');

  async function show(api: ElevatorApi, liftId: string): Promise<void> {
    target = { api, liftId };
    const mine = ++seq;
    try {
      const r = await api.maintenance(liftId);
      if (mine !== seq) return;
      say(error, undefined);
      status.replaceChildren(...statusLine(r.status));
      list.replaceChildren(...(r.items.length ? r.items.map(recordRow) : [h('li', { testid: 'maint-empty', class: 'hint' }, te('maint.none'))]));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  const form = o.canAdd
    ? addForm(async (body) => {
        if (!target) throw new Error('no elevator chosen');
        const { api, liftId } = target;
        const rec = await api.addMaintenance(liftId, body);
        await show(api, liftId);
        o.onAdded();
        return rec;
      })
    : undefined;
  return { el: h('div', {}, error, status, list, form), show };
}
