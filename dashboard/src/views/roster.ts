import { dutyApi, type DutyApi } from '../api-duty.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { td } from '../messages/duty.js';
import { daysText, groupShifts, SKILLS } from '../roster-text.js';
import type { OnDutyNow, Roster, Shift, Skill, VolunteerScore } from '../types-duty.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, say } from './form.js';
import { section, type PageDeps, type PageView } from './page.js';
import { swapForm } from './roster-swap.js';

/** Shifts change on the hour: who is on duty now is asked again every minute. */
const NOW_REFRESH_MS = 60_000;

const skillLabel = (s: Skill) => td(`skill.${s}`);

/** "08:00–20:00", "20:00–次日 06:00", "全天". */
function hours(s: Shift): string {
  if (s.from === s.to) return td('allDay');
  return s.to < s.from ? `${s.from}–${td('nextDay')} ${s.to}` : `${s.from}–${s.to}`;
}

/** A name, bold when it is the person holding the phone. */
const person = (name: string, me: string) => h('span', { class: name === me ? 'roster__me' : undefined }, name);

/**
 * 值班表: who is on duty now per duty (门岗 / 充电棚 / 电梯 / 综合) and who is
 * next, the weekly shifts, 换班 for one day, the volunteers' points, and for
 * the committee the roster editor (PUT …/roster).
 */
export function rosterView(deps: PageDeps): PageView {
  const me = deps.user.username;
  const committee = deps.user.role === 'committee';
  const maintainer = committee || deps.user.role === 'volunteer';
  let api: DutyApi | undefined;
  let seq = 0;

  const error = errorLine('roster-error');
  const none = h('p', { testid: 'roster-none', class: 'hint', hidden: true }, td('roster.none'));
  const now = h('ul', { testid: 'roster-now', class: 'rows' });
  const backup = h('p', { testid: 'roster-committee', class: 'muted' });
  const shifts = h('div', { class: 'table-wrap' });
  const points = h('ol', { testid: 'roster-points', class: 'rows points' });
  const swap = maintainer ? swapForm({ me, committee, api: () => api, swapped: () => void load() }) : undefined;
  const editor = committee ? import('./roster-editor.js').then((m) => m.rosterEditor({ api: () => api, saved: () => void load() })) : undefined;
  const editorSlot = h('div');
  // An old tab after the server was updated asks for a chunk that is gone: a reload fetches the new one.
  void editor?.then((e) => editorSlot.replaceChildren(e.el), () => say(error, t('err.pageLoad')));

  function showNow(answer: OnDutyNow): void {
    const chains = answer.onDuty;
    now.replaceChildren(
      ...SKILLS.map((skill) => {
        const [first, ...next] = chains?.[skill] ?? [];
        const li = h(
          'li',
          { testid: 'roster-now-skill', class: 'row roster__now' },
          h('span', { class: 'roster__skill' }, skillLabel(skill)),
          first ? h('strong', { testid: 'on-duty', class: 'roster__on' }, person(first, me)) : h('span', { testid: 'on-duty', class: 'muted' }, td('now.nobody')),
          next.length ? h('span', { testid: 'on-duty-next', class: 'muted' }, td('now.next', { names: next.join('、') })) : undefined,
        );
        Object.assign(li.dataset, { skill, username: first ?? '' });
        return li;
      }),
    );
    say(backup, answer.committee?.length ? td('now.committee', { names: answer.committee.join('、') }) : undefined);
  }

  function showShifts(roster: Roster | null): void {
    const groups = groupShifts(roster?.shifts ?? []).sort((a, b) => a.days[0]! - b.days[0]! || a.shift.from.localeCompare(b.shift.from));
    if (!groups.length) return void shifts.replaceChildren(h('p', { testid: 'shifts-none', class: 'hint' }, td('shifts.none')));
    const th = (key: Parameters<typeof td>[0]) => h('th', {}, td(key));
    shifts.replaceChildren(
      h(
        'table',
        { testid: 'roster-shifts', class: 'table' },
        h('thead', {}, h('tr', {}, th('col.day'), th('col.time'), th('col.skill'), th('col.people'))),
        h(
          'tbody',
          {},
          ...groups.map(({ shift, days }) => {
            const names = shift.usernames.flatMap((n, i) => (i ? [' → ', person(n, me)] : [person(n, me)]));
            const tr = h('tr', { testid: 'shift-row' }, h('td', {}, daysText(days)), h('td', {}, hours(shift)), h('td', {}, skillLabel(shift.skill)), h('td', {}, ...names));
            Object.assign(tr.dataset, { skill: shift.skill, usernames: shift.usernames.join(' ') });
            return tr;
          }),
        ),
      ),
    );
  }

  function showPoints(items: VolunteerScore[]): void {
    if (!items.length) return void points.replaceChildren(h('li', { testid: 'roster-points-empty', class: 'hint' }, td('points.none')));
    points.replaceChildren(
      ...items.map((v, i) => {
        const li = h(
          'li',
          { testid: 'points-row', class: 'row points__row' },
          h('span', { class: 'points__rank' }, String(i + 1)),
          h('span', { class: 'points__who' }, person(v.username, me), h('span', { class: 'muted' }, ' ', v.skills.map(skillLabel).join('、'))),
          h('strong', { testid: 'points-value', class: 'points__n' }, td('points.n', { n: v.points })),
        );
        Object.assign(li.dataset, { username: v.username, points: String(v.points) });
        return li;
      }),
    );
  }

  async function load(): Promise<void> {
    if (!api) return;
    const mine = ++seq;
    try {
      const [{ roster }, onDuty, volunteers] = await Promise.all([api.roster(), api.onDuty(), api.volunteers()]);
      if (mine !== seq) return;
      say(error, undefined);
      none.hidden = !!roster;
      showNow(onDuty);
      showShifts(roster);
      showPoints(volunteers.items);
      swap?.show(roster);
      void editor?.then((e) => mine === seq && e.show(roster));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  async function refreshNow(): Promise<void> {
    const mine = seq;
    const answer = await api?.onDuty().catch(() => undefined);
    if (answer && mine === seq) showNow(answer);
  }
  const timer = setInterval(() => void refreshNow(), NOW_REFRESH_MS);

  const el = h(
    'main',
    { class: 'page', testid: 'roster-page' },
    h(
      'div',
      { class: 'toolbar' },
      estatePicker(deps.api, (id) => {
        api = dutyApi(deps.api, id);
        void load();
      }),
    ),
    h('h1', { class: 'summary__title' }, td('roster.title')),
    error,
    none,
    section('roster-now-section', td('now.title'), now, backup),
    section('roster-shifts-section', td('shifts.title'), shifts),
    swap ? section('roster-swap-section', td('swap.title'), swap.el) : undefined,
    section('roster-points-section', td('points.title'), points),
    editorSlot,
  );
  return {
    el,
    destroy() {
      seq += 1;
      clearInterval(timer);
    },
  };
}
