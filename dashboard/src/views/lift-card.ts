import { h } from '../dom.js';
import { day } from '../format.js';
import { t } from '../i18n.js';
import { te } from '../messages/elevator.js';
import type { ElevatorLiveState, Lift } from '../types-elevator.js';
import { since } from './device-row.js';

/** Floors as the car's panel shows them: basements as B1, B2. */
export const floorText = (floor: number): string => (floor < 0 ? `B${-floor}` : String(floor));

const ARROW = { up: '▲', down: '▼', idle: '●' } as const;
type Direction = keyof typeof ARROW;

function runTime(seconds: number): string {
  return seconds < 3600 ? te('minutes', { n: Math.floor(seconds / 60) }) : te('hours', { n: Math.round(seconds / 360) / 10 });
}

/** The big floor number and arrow, as on the car's own panel, and the door, motion and load in words beside it. */
function panel(s: ElevatorLiveState): HTMLElement {
  const dir: Direction = s.direction === 'up' || s.direction === 'down' ? s.direction : 'idle';
  const arrow = h('span', { testid: 'lift-direction', class: `lift__arrow lift__arrow--${dir}`, attrs: { 'aria-hidden': 'true' } }, ARROW[dir]);
  arrow.dataset.direction = dir;
  const door = h('span', { testid: 'lift-door', class: `tag ${s.doorOpen ? 'tag--door-open' : ''}` }, te(s.doorOpen ? 'door.open' : 'door.closed'));
  door.dataset.open = String(!!s.doorOpen);
  const motion = h('span', { testid: 'lift-running', class: `tag ${s.running ? 'tag--charging' : ''}` }, te(s.running ? 'running' : 'stopped'));
  motion.dataset.running = String(!!s.running);
  return h(
    'div',
    { class: 'lift__live' },
    h('div', { testid: 'lift-panel', class: 'lift__panel' }, h('span', { testid: 'lift-floor', class: 'lift__floor' }, floorText(s.floor!)), h('span', { class: 'lift__unit' }, te('floorUnit')), arrow),
    h(
      'div',
      { class: 'lift__facts' },
      h('span', { testid: 'lift-dir-text', class: 'lift__dir' }, te(`dir.${dir}`)),
      door,
      motion,
      s.loadPct !== undefined && s.loadPct !== null ? h('span', { testid: 'lift-load', class: 'tag' }, te('load', { p: Math.round(s.loadPct) })) : undefined,
    ),
  );
}

function counters(s: ElevatorLiveState): HTMLElement {
  const stat = (testid: string, label: string, value: string) => h('div', { class: 'stat' }, h('dt', {}, label), h('dd', { testid }, value));
  return h('dl', { class: 'stats' }, stat('lift-runs', te('runs'), String(s.runs)), stat('lift-door-cycles', te('doorCycles'), String(s.doorCycles)), stat('lift-run-time', te('runTime'), runTime(s.runSeconds)));
}

function maintenance(l: Lift): HTMLElement {
  const m = l.maintenance;
  return h(
    'p',
    { class: 'lift__maint' },
    h('span', { testid: 'lift-next-due' }, m.nextDue ? te('maint.next', { d: day(m.nextDue) }) : te('maint.never')),
    m.overdue ? h('span', { testid: 'lift-overdue', class: 'badge badge--off' }, te('maint.overdue')) : undefined,
  );
}

/**
 * One elevator as it is now: name, online, open faults, the floor it is at (big),
 * its direction, door, motion and load, the wear counters and the next service.
 * Rebuilt whole on each `elevator.state` push: it holds no form to lose.
 */
export function liftCard(l: Lift): HTMLElement {
  const s = l.state;
  const live = s && s.floor !== undefined && s.floor !== null;
  const faults = l.openFaults.length;
  const card = h(
    'article',
    { testid: 'lift', class: `card lift ${faults ? 'lift--fault' : ''}` },
    h(
      'div',
      { class: 'gate__head' },
      h('div', { class: 'gate__title' }, h('span', { testid: 'lift-name', class: 'gate__name' }, l.name || l.id), h('code', { class: 'code' }, l.id)),
      h(
        'div',
        { class: 'lift__badges' },
        faults ? h('span', { testid: 'lift-faults', class: 'badge badge--off' }, te('faultsOpen', { n: faults })) : undefined,
        h('span', { testid: 'lift-online', class: `badge ${l.online ? 'badge--on' : 'badge--off'}` }, t(l.online ? 'devices.online' : 'devices.offline')),
      ),
    ),
    live ? panel(s) : h('p', { testid: 'lift-no-state', class: 'hint' }, te('noState')),
    s ? counters(s) : undefined,
    maintenance(l),
    s ? h('p', { class: 'muted lift__updated' }, te('updated'), ' ', since(s.updatedAt)) : undefined,
  );
  card.dataset.liftId = l.id;
  card.dataset.state = l.online ? 'online' : 'offline';
  if (live) card.dataset.floor = String(s.floor);
  return card;
}
