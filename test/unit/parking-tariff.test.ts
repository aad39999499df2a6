import { describe, it, expect } from 'vitest';
import { Tariff, type TariffInput } from '../../server/charter/tariff-schema.js';
import { computeFee, duration, yuan, TariffError, type FeeLine } from '../../server/parking/tariff.js';

/** 'D2 07:10' → 2025-03-02 07:10 Beijing time, as epoch ms. Optional ':SS' seconds. */
const at = (s: string) => {
  const [, d, hm] = /^D(\d) (\d\d:\d\d(?::\d\d)?)$/.exec(s) ?? [];
  return Date.parse(`2025-03-0${d}T${hm!.length === 5 ? `${hm}:00` : hm}+08:00`);
};
/** A line as one readable string: 'night 22:20→00:00 200' (+ ' daily' when a cap cut it). */
const show = (l: FeeLine) => `${l.kind} ${l.from.slice(11, 16)}→${l.to.slice(11, 16)} ${l.fen}${l.capped ? ` ${l.capped}` : ''}`;

/** Day pricing only: 30 min free, first hour ¥5, then each started 30 min ¥1. */
const DAY: TariffInput = { clause: '3.1', freeMinutes: 30, firstPeriod: { minutes: 60, priceFen: 500 }, increment: { minutes: 30, priceFen: 100 } };
const tariff = (extra: Partial<TariffInput> = {}) => Tariff.parse({ ...DAY, ...extra });
/** Night 22:00–07:00, each started hour ¥1. */
const NIGHT = { from: '22:00', to: '07:00', unitMinutes: 60, priceFen: 100 };

const t = {
  day: tariff(),
  dayFromEntry: tariff({ chargeFreeMinutesWhenExceeded: true }),
  night: tariff({ night: NIGHT }),
  nightCap: tariff({ night: { ...NIGHT, capFen: 500 } }),
  earlyNight: tariff({ night: { ...NIGHT, from: '00:00', to: '06:00' } }),
  daily: tariff({ dailyCapFen: 2000 }),
  daily8: tariff({ dailyCapFen: 2000, dayBoundary: '08:00' }),
  visit: tariff({ dailyCapFen: 2000, perVisitCapFen: 5000 }),
  charter: tariff({ night: { ...NIGHT, capFen: 500 }, dailyCapFen: 2000, perVisitCapFen: 3000 }),
};

type Row = [name: string, tariff: Tariff, entry: string, exit: string, totalFen: number, lines: string[]];

// prettier-ignore
const ROWS: Row[] = [
  // 20 min ≤ 30 free → 0
  ['under free time', t.day, 'D1 10:00', 'D1 10:20', 0, ['free 10:00→10:20 0']],
  // exactly 30 min is still free
  ['exactly the free time', t.day, 'D1 10:00', 'D1 10:30', 0, ['free 10:00→10:30 0']],
  // 0 min: within the free time
  ['zero-length stay', t.day, 'D1 10:00', 'D1 10:00', 0, ['free 10:00→10:00 0']],
  // seconds dropped: 10:00 → 10:30 is 30 min → free
  ['seconds are dropped', t.day, 'D1 10:00:59', 'D1 10:30:59', 0, ['free 10:00→10:30 0']],
  // 31 min > 30; billed 10:30–10:31 = 1 day min → first period 500
  ['just over free, billed after it', t.day, 'D1 10:00', 'D1 10:31', 500, ['free 10:00→10:30 0', 'day 10:30→10:31 500']],
  // 31 min > 30; billed from entry: 31 min ≤ 60 → first period 500
  ['just over free, billed from entry', t.dayFromEntry, 'D1 10:00', 'D1 10:31', 500, ['day 10:00→10:31 500']],
  // billed 10:30–11:31 = 61 min → 500 + ⌈1/30⌉=1×100 = 600
  ['61 billed min after free', t.day, 'D1 10:00', 'D1 11:31', 600, ['free 10:00→10:30 0', 'day 10:30→11:31 600']],
  // billed 10:00–11:31 = 91 min → 500 + ⌈31/30⌉=2×100 = 700
  ['91 billed min from entry', t.dayFromEntry, 'D1 10:00', 'D1 11:31', 700, ['day 10:00→11:31 700']],
  // billed 10:30–11:30 = 60 min → first period only, 500
  ['first period only', t.day, 'D1 10:00', 'D1 11:30', 500, ['free 10:00→10:30 0', 'day 10:30→11:30 500']],
  // billed 90 min → 500 + 30/30=1×100 = 600 (a unit that ends exactly is not rounded up)
  ['one whole increment', t.day, 'D1 10:00', 'D1 12:00', 600, ['free 10:00→10:30 0', 'day 10:30→12:00 600']],
  // billed 105 min → 500 + ⌈45/30⌉=2×100 = 700
  ['increments, after free', t.day, 'D1 10:00', 'D1 12:15', 700, ['free 10:00→10:30 0', 'day 10:30→12:15 700']],
  // billed 135 min → 500 + ⌈75/30⌉=3×100 = 800
  ['increments, from entry', t.dayFromEntry, 'D1 10:00', 'D1 12:15', 800, ['day 10:00→12:15 800']],
  // day 20:30–22:00 = 90 → 500+1×100 = 600; night 22:00–00:00: ⌈120/60⌉=2 → 200;
  // 00:00–01:00: night meter 120→180, ⌈180/60⌉−2 = 1 → 100 (new day line); 600+200+100 = 900
  ['across midnight with night rate', t.night, 'D1 20:00', 'D2 01:00', 900,
    ['free 20:00→20:30 0', 'day 20:30→22:00 600', 'night 22:00→00:00 200', 'night 00:00→01:00 100']],
  // free 21:50–22:20; night 22:20–00:00 = 100 → ⌈100/60⌉=2 → 200; 00:00–07:00 meter 100→520:
  // ⌈520/60⌉=9 − 2 = 7 → 700; day 07:00–07:10 → first period 500; 200+700+500 = 1400
  ['21:50 → 07:10, night rate', t.night, 'D1 21:50', 'D2 07:10', 1400,
    ['free 21:50→22:20 0', 'night 22:20→00:00 200', 'night 00:00→07:00 700', 'day 07:00→07:10 500']],
  // as above with ¥5 a night: 200, then min(700, 500−200=300) = 300; + day 500 = 1000
  ['21:50 → 07:10, night cap', t.nightCap, 'D1 21:50', 'D2 07:10', 1000,
    ['free 21:50→22:20 0', 'night 22:20→00:00 200', 'night 00:00→07:00 300 night', 'day 07:00→07:10 500']],
  // day 20:30–22:00 = 90 → 600; night 200 + min(⌈540/60⌉−2=7 → 700, 300) = 300;
  // day meter resumes at 90: 07:00–08:00 → 90→150, increments start at 90, 120 → 200; 600+200+300+200 = 1300
  ['night cap, day meter resumes', t.nightCap, 'D1 20:00', 'D2 08:00', 1300,
    ['free 20:00→20:30 0', 'day 20:30→22:00 600', 'night 22:00→00:00 200', 'night 00:00→07:00 300 night', 'day 07:00→08:00 200']],
  // day 23:30–00:00 = 30 → 500; night 00:00–06:00 = 6×100 = 600; day 06:00–07:00, meter 30→90 → ⌈30/30⌉=1 → 100; 1200
  ['night window not crossing midnight', t.earlyNight, 'D1 23:00', 'D2 07:00', 1200,
    ['free 23:00→23:30 0', 'day 23:30→00:00 500', 'night 00:00→06:00 600', 'day 06:00→07:00 100']],
  // all billed time at night: ⌈30/60⌉=1 → 100; meter 30→330: ⌈330/60⌉=6 − 1 = 5 → 500; no first period; 600
  ['whole stay at night', t.night, 'D1 23:00', 'D2 05:00', 600,
    ['free 23:00→23:30 0', 'night 23:30→00:00 100', 'night 00:00→05:00 500']],
  // billed 08:30–20:00 = 690 → 500 + ⌈630/30⌉=21×100 = 2600 → daily cap 2000
  ['daily cap hit', t.daily, 'D1 08:00', 'D1 20:00', 2000, ['free 08:00→08:30 0', 'day 08:30→20:00 2000 daily']],
  // D1 10:30–24:00 = 810 → 500+⌈750/30⌉=25×100 = 3000 → 2000; D2 meter 810→2250: 73−25 = 48×100 → 2000;
  // D3 00:00–08:00 meter 2250→2730: ⌈2670/30⌉=89 − 73 = 16 → 1600; 2000+2000+1600 = 5600
  ['3-day stay, daily caps', t.daily, 'D1 10:00', 'D3 08:00', 5600,
    ['free 10:00→10:30 0', 'day 10:30→00:00 2000 daily', 'day 00:00→00:00 2000 daily', 'day 00:00→08:00 1600']],
  // as above, then the visit cap ¥50: 2000 + 2000 + min(1600, 1000) = 5000
  ['per-visit cap, applied last', t.visit, 'D1 10:00', 'D3 08:00', 5000,
    ['free 10:00→10:30 0', 'day 10:30→00:00 2000 daily', 'day 00:00→00:00 2000 daily', 'day 00:00→08:00 1000 visit']],
  // day runs 00:00–00:00: D1 18:30–24:00 = 330 → 500+⌈270/30⌉=9×100 = 1400; D2 meter 330→1050: 33−9 = 24 → 2400 → 2000; 3400
  ['dayBoundary 00:00 (compare next row)', t.daily, 'D1 18:00', 'D2 12:00', 3400,
    ['free 18:00→18:30 0', 'day 18:30→00:00 1400', 'day 00:00→12:00 2000 daily']],
  // day runs 08:00–08:00: 18:30–08:00 = 810 → 500+25×100 = 3000 → 2000; meter 810→1050: 33−25 = 8 → 800; 2800
  ['dayBoundary 08:00', t.daily8, 'D1 18:00', 'D2 12:00', 2800,
    ['free 18:00→18:30 0', 'day 18:30→08:00 2000 daily', 'day 08:00→12:00 800']],
  // D1: day 10:30–22:00 = 690 → 500+21×100 = 2600 → 2000 daily; night 22:00–00:00 = 200, but D1 is at its cap → 0 daily.
  // D2: night meter 120→540 → 7×100 = 700 → min(700, 500−200) = 300 night; day 07:00–22:00 meter 690→1590:
  //     ⌈1530/30⌉=51 − 21 = 30 → 3000 → min(3000, 2000−300) = 1700 daily → visit: min(1700, 3000−2300) = 700 visit;
  //     night 22:00–00:00 = 200, D2 at its cap (300+1700) → 0 daily.
  // D3: night 00:00–07:00 → 700 → 300 night → visit used up → 0 visit; day 07:00–09:00 → 4×100 → 0 visit. Total 3000.
  ['charter tariff: 2 nights, every cap', t.charter, 'D1 10:00', 'D3 09:00', 3000,
    ['free 10:00→10:30 0', 'day 10:30→22:00 2000 daily', 'night 22:00→00:00 0 daily', 'night 00:00→07:00 300 night',
     'day 07:00→22:00 700 visit', 'night 22:00→00:00 0 daily', 'night 00:00→07:00 0 visit', 'day 07:00→09:00 0 visit']],
];

describe('temporary parking fee (charter clause 3.1)', () => {
  it.each(ROWS)('%s', (_name, tariff, entry, exit, totalFen, lines) => {
    const fee = computeFee(at(entry), at(exit), tariff);
    expect(fee.totalFen).toBe(totalFen);
    expect(fee.lines.map(show)).toEqual(lines);
    expect(fee.clause).toBe('3.1');
    // every fee is the sum of its lines, and the lines tile the stay without gaps
    expect(fee.lines.reduce((s, l) => s + l.fen, 0)).toBe(fee.totalFen);
    expect(fee.lines.slice(1).every((l, i) => l.from === fee.lines[i]!.to)).toBe(true);
    expect(fee.minutes).toBe((Date.parse(fee.lines.at(-1)!.to) - Date.parse(fee.lines[0]!.from)) / 60_000);
  });
});

describe('the receipt sentence', () => {
  // prettier-ignore
  it.each([
    [t.day, 'D1 10:00', 'D1 10:20', '停车20分钟，在免费30分钟内，不收费'],
    [t.day, 'D1 10:00', 'D1 12:15', '停车2小时15分，免费30分钟，首1小时5元，之后每30分钟1元，共7元'],
    [t.dayFromEntry, 'D1 10:00', 'D1 12:15', '停车2小时15分，超过免费30分钟，从入场起计费，首1小时5元，之后每30分钟1元，共8元'],
    [t.nightCap, 'D1 21:50', 'D2 07:10', '停车9小时20分，免费30分钟，首1小时5元，夜间22:00至07:00每1小时1元，每晚封顶5元，共10元'],
    [t.visit, 'D1 10:00', 'D3 08:00', '停车1天22小时，免费30分钟，首1小时5元，之后每30分钟1元，每日封顶20元，单次封顶50元，共50元'],
  ])('%#: %s → %s', (tariff, entry, exit, sentence) => {
    expect(computeFee(at(entry), at(exit), tariff).explain).toBe(sentence);
  });
});

describe('bad stay times are typed errors', () => {
  it.each([
    ['exit before entry', at('D1 10:00'), at('D1 09:59'), 'exit-before-entry'],
    ['exit a second before entry', at('D1 10:00:01'), at('D1 10:00'), 'exit-before-entry'],
    ['entry not a time', Number.NaN, at('D1 10:00'), 'invalid-time'],
  ])('%s', (_name, entry, exit, code) => {
    const run = () => computeFee(entry, exit, t.day);
    expect(run).toThrow(TariffError);
    expect(run).toThrow(expect.objectContaining({ code }));
  });
});

describe('tariff schema', () => {
  it('fills in the defaults', () => {
    expect(Tariff.parse(DAY)).toMatchObject({ chargeFreeMinutesWhenExceeded: false, dayBoundary: '00:00' });
  });

  // prettier-ignore
  it.each([
    ['money not in whole fen', { ...DAY, firstPeriod: { minutes: 60, priceFen: 4.5 } }],
    ['a zero-minute increment', { ...DAY, increment: { minutes: 0, priceFen: 100 } }],
    ['24:00 is not a time of day', { ...DAY, dayBoundary: '24:00' }],
    ['a night that starts when it ends', { ...DAY, night: { ...NIGHT, to: '22:00' } }],
    ['a clause that is not a number', { ...DAY, clause: 'parking' }],
  ])('rejects %s', (_name, input) => {
    expect(Tariff.safeParse(input).success).toBe(false);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0分钟'], [45, '45分钟'], [60, '1小时'], [135, '2小时15分'], [1530, '1天1小时30分'], [2880, '2天'],
  ])('duration(%i) = %s', (min, text) => expect(duration(min)).toBe(text));

  it.each([
    [0, '0元'], [5, '0.05元'], [10, '0.1元'], [750, '7.5元'], [800, '8元'], [805, '8.05元'],
  ])('yuan(%i) = %s', (fen, text) => expect(yuan(fen)).toBe(text));
});
