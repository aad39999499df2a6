import { h } from '../dom.js';
import { yuan } from '../format.js';
import { tr } from '../messages/reports.js';
import type { ElevatorUsage } from '../types-reports.js';
import { COLORS, stat, stats } from './report-bits.js';
import { count, type Frame } from './usage-frame.js';

/** 电梯: rides over the period (up and down) and, per elevator, where people got on and off. */
export function elevatorsUsage(e: ElevatorUsage, f: Frame, name: (id: string) => string): HTMLElement {
  const s = e.series;
  const rides = count(tr('use.times'));
  return h(
    'div',
    { class: 'report', testid: 'usage-elevators' },
    stats(
      stat('usage-elevators-rides', tr('use.rides'), String(e.rides), `${tr('use.up')} ${e.up} · ${tr('use.down')} ${e.down}`),
      stat('usage-elevators-fees', tr('use.rideFees'), yuan(e.chargeFen)),
    ),
    f.draw({
      testid: 'chart-elevators-rides',
      title: tr('use.rides'),
      yLabel: tr('use.times'),
      whole: true,
      lines: [
        { label: tr('use.up'), values: s.up, color: COLORS.brand, format: rides, bars: -1 },
        { label: tr('use.down'), values: s.down, color: COLORS.amber, format: rides, bars: 1 },
      ],
    }),
    ...e.elevators.map((lift) => {
      const floors = lift.floors.map((x) => tr('use.floor', { n: x.floor }));
      const chart = f.drawOver({
        testid: 'chart-elevator-floors',
        title: tr('use.floorsChart', { name: name(lift.elevatorId) }),
        x: floors,
        ticks: floors,
        xLabel: tr('use.floorAxis'),
        yLabel: tr('use.times'),
        whole: true,
        lines: [
          { label: tr('use.boardings'), values: lift.floors.map((x) => x.boardings), color: COLORS.brand, format: rides, bars: -1 },
          { label: tr('use.alightings'), values: lift.floors.map((x) => x.alightings), color: COLORS.blue, format: rides, bars: 1 },
        ],
      });
      chart.dataset.elevatorId = lift.elevatorId;
      return chart;
    }),
  );
}
