import type { DutyApi } from '../api-duty.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { day } from '../format.js';
import { td } from '../messages/duty.js';
import { SKILLS } from '../roster-text.js';
import type { Roster, Skill } from '../types-duty.js';
import { errorLine, failureText, labelled, noteLine, say, whileBusy } from './form.js';

const skillLabel = (s: Skill) => td(`skill.${s}`);

/**
 * 换班 for one day: date, duty, who takes it. A volunteer swaps their own
 * shift; the committee also picks whose. Upcoming swaps are listed above.
 */
export function swapForm(o: { me: string; committee: boolean; api(): DutyApi | undefined; swapped(): void }): { el: HTMLElement; show(roster: Roster | null): void } {
  const list = h('ul', { testid: 'roster-swaps', class: 'rows' });
  const date = h('input', { type: 'date', testid: 'swap-date' });
  const skill = h('select', { testid: 'swap-skill' }, ...SKILLS.map((s) => h('option', { value: s }, skillLabel(s))));
  const from = h('select', { testid: 'swap-from' });
  const to = h('select', { testid: 'swap-to' });
  const error = errorLine('swap-error');
  const ok = noteLine('swap-ok');
  const submit = h('button', { type: 'submit', testid: 'swap-submit', class: 'btn btn--action' }, td('swap.submit'));
  const fromField = labelled(td('swap.from'), from);
  fromField.hidden = !o.committee;
  const form = h('form', { testid: 'swap-form', class: 'form', noValidate: true }, labelled(td('swap.date'), date), labelled(td('swap.skill'), skill), fromField, labelled(td('swap.to'), to), error, ok, submit);
  const names = (r: Roster | null) => (r?.volunteers ?? []).map((v) => v.username);
  let roster: Roster | null = null;

  /** Only people who can do the duty: the server skips anyone without the skill, which would leave nobody on. */
  function fillTo(): void {
    const who = o.committee ? from.value : o.me;
    const kept = to.value;
    const able = (roster?.volunteers ?? []).filter((v) => v.username !== who && (skill.value === 'general' || v.skills.includes(skill.value as Skill)));
    to.replaceChildren(h('option', { value: '' }, '—'), ...able.map((v) => h('option', { value: v.username, selected: v.username === kept }, v.username)));
  }
  from.addEventListener('change', fillTo);
  skill.addEventListener('change', fillTo);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    say(ok, undefined);
    if (!to.value) return (say(error, td('swap.needTo')), to.focus());
    const body = { date: date.value, skill: skill.value as Skill, from: o.committee ? from.value : o.me, to: to.value };
    void whileBusy(submit, t('busy'), async () => {
      try {
        await o.api()?.swap(body);
        say(error, undefined);
        say(ok, td('swap.done', { date: body.date, skill: skillLabel(body.skill), from: body.from, to: body.to }));
        o.swapped();
      } catch (err) {
        say(error, failureText(err, { date: td('swap.date'), to: td('swap.to') }));
      }
    });
  });

  return {
    el: h('div', {}, list, h('p', { class: 'hint' }, td('swap.hint')), form),
    show(next) {
      roster = next;
      const today = day(new Date().toISOString());
      const upcoming = (next?.swaps ?? []).filter((s) => s.date >= today).sort((a, b) => a.date.localeCompare(b.date));
      list.replaceChildren(...upcoming.map((s) => h('li', { testid: 'swap-item', class: 'row' }, td('swap.item', { date: s.date, skill: skillLabel(s.skill), from: s.from, to: s.to }))));
      date.value ||= today;
      date.min = today;
      // The duty I am on is the one I most likely want to swap.
      const mineSkill = next?.shifts.find((s) => s.usernames.includes(o.me))?.skill;
      if (mineSkill && !form.contains(document.activeElement)) skill.value = mineSkill;
      const chosen = from.value;
      from.replaceChildren(...names(next).map((n) => h('option', { value: n, selected: n === chosen }, n)));
      fillTo();
      form.hidden = !next;
    },
  };
}
