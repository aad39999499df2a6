import type { ElevatorApi } from '../api-elevator.js';
import { h } from '../dom.js';
import { te } from '../messages/elevator.js';
import type { Lift, Rides } from '../types-elevator.js';
import { columnChart, rowChart } from './bar-chart.js';
import { errorLine, failureText, say } from './form.js';
import { floorText } from './lift-card.js';

/** A week: enough to see which floors use the lift and when, few enough rides to read at a glance. */
const DAYS = 7;
const DAY_MS = 86_400_000;

/** Every floor the lift serves, top floor first (as the building stands), and any other floor a ride reached. */
function floorsOf(lift: Lift, byFloor: Record<string, number>): number[] {
  const seen = Object.keys(byFloor).map(Number).filter(Number.isInteger);
  const low = lift.props.lowestFloor ?? Math.min(...seen, 1);
  const high = lift.props.highestFloor ?? Math.max(...seen, low);
  const all = new Set(seen);
  for (let f = low; f <= high; f++) all.add(f);
  return [...all].sort((a, b) => b - a);
}

function peak<T>(entries: [T, number][]): [T, number] | undefined {
  return entries.reduce<[T, number] | undefined>((best, e) => (e[1] > (best?.[1] ?? 0) ? e : best), undefined);
}

function charts(lift: Lift, r: Rides): Element[] {
  if (!r.total) return [h('p', { testid: 'rides-none', class: 'hint' }, te('rides.none'))];
  const floors = floorsOf(lift, r.byFloor).map((f): [number, number] => [f, r.byFloor[String(f)] ?? 0]);
  const topFloor = peak(floors);
  const topHour = peak(r.byHour.map((n, hour): [number, number] => [hour, n]));
  const byFloor = rowChart(
    floors.map(([f, n]) => ({ key: f, value: n, label: `${floorText(f)}${te('floorUnit')}`, title: te('rides.floorBar', { f: floorText(f), n }) })),
    { testid: 'rides-by-floor', barTestid: 'rides-floor-bar', dataKey: 'floor', title: te('rides.byFloor') },
  );
  const byHour = columnChart(
    r.byHour.map((n, hour) => ({ key: hour, value: n, label: hour % 6 === 0 ? String(hour) : '', title: te('rides.hourBar', { h: hour, n }) })),
    { testid: 'rides-by-hour', barTestid: 'rides-hour-bar', dataKey: 'hour', title: te('rides.byHour') },
  );
  return [
    h('p', { class: 'usage__caption' }, te('rides.byFloor'), topFloor ? h('span', { testid: 'rides-peak-floor' }, ' · ', te('rides.peakFloor', { f: floorText(topFloor[0]), n: topFloor[1] })) : undefined),
    byFloor,
    h('p', { class: 'usage__caption' }, te('rides.byHour'), topHour ? h('span', { testid: 'rides-peak-hour' }, ' · ', te('rides.peakHour', { h: topHour[0], n: topHour[1] })) : undefined),
    byHour,
  ];
}

/** 乘梯统计: the last week's rides of one elevator, by the floor ridden to and by hour of the day. */
export function liftRides(): { el: HTMLElement; show(api: ElevatorApi, lift: Lift): Promise<void> } {
  const total = h('p', { testid: 'rides-total', class: 'stat__big' });
  const out = h('div', { class: 'sections' });
  const error = errorLine('rides-error');
  let seq = 0;

  async function show(api: ElevatorApi, lift: Lift): Promise<void> {
    const mine = ++seq;
    const to = Date.now();
    try {
      const r = await api.rides(lift.id, new Date(to - DAYS * DAY_MS).toISOString(), new Date(to).toISOString());
      if (mine !== seq) return;
      say(error, undefined);
      total.textContent = te('rides.total', { n: r.total });
      total.dataset.total = String(r.total);
      out.replaceChildren(...charts(lift, r));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  return { el: h('div', {}, error, total, out), show };
}
