import { h } from '../dom.js';
import { tr } from '../messages/reports.js';
import { errorLine, labelled, say } from './form.js';

/** Local calendar dates 'YYYY-MM-DD', `to` included; the server reads them in the estate's time (UTC+8). */
export interface Period {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dateOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The last `days` days, today included. */
export function lastDays(days: number, today = new Date()): Period {
  return { from: dateOf(new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1))), to: dateOf(today) };
}

const PRESETS = { last7: 7, last30: 30 } as const;

/**
 * 时间范围: 最近 7 天 / 最近 30 天 (a pick shows it at once) or 自定义 dates and
 * 查看. `extra` controls (the usage page's 统计单位) sit in the same row and
 * show the period again when changed.
 */
export function periodPicker(onChange: (p: Period) => void, extra: { label: string; control: HTMLSelectElement }[] = []): { el: HTMLElement; period(): Period | undefined } {
  const preset = h(
    'select',
    { testid: 'period-preset' },
    h('option', { value: 'last7' }, tr('period.last7')),
    h('option', { value: 'last30' }, tr('period.last30')),
    h('option', { value: 'custom' }, tr('period.custom')),
  );
  const start = lastDays(PRESETS.last7);
  const from = h('input', { testid: 'period-from', type: 'date', value: start.from });
  const to = h('input', { testid: 'period-to', type: 'date', value: start.to });
  const submit = h('button', { type: 'submit', testid: 'period-show', class: 'btn btn--action' }, tr('period.show'));
  const error = errorLine('period-error');
  const form = h('form', { class: 'period no-print', testid: 'period', noValidate: true }, labelled(tr('period.range'), preset), labelled(tr('period.from'), from), labelled(tr('period.to'), to), ...extra.map((x) => labelled(x.label, x.control)), submit);

  const period = (): Period | undefined => (from.value && to.value && from.value <= to.value ? { from: from.value, to: to.value } : undefined);
  const show = () => {
    const p = period();
    say(error, p ? undefined : tr('period.bad'));
    if (p) onChange(p);
  };
  preset.addEventListener('change', () => {
    if (preset.value === 'custom') return from.focus();
    const p = lastDays(PRESETS[preset.value as keyof typeof PRESETS]);
    from.value = p.from;
    to.value = p.to;
    show();
  });
  for (const input of [from, to]) input.addEventListener('input', () => (preset.value = 'custom'));
  for (const x of extra) x.control.addEventListener('change', show);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    show();
  });
  return { el: h('div', {}, form, error), period };
}
