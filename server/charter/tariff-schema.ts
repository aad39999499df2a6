import { z } from 'zod';

/**
 * The temporary-parking tariff (临时停车收费标准) as the charter states it: cars of
 * visitors without a pass and unknown cars pay it, computed at exit by
 * `server/parking/tariff.ts` (which documents exactly how a stay is priced).
 * Every money value is integer fen (100 fen = ¥1); times of day are local Beijing
 * time (UTC+8) as 'HH:MM'.
 */

// Same rule as `Clause` in parking-schema.ts, repeated here because that file imports this one.
const Clause = z.string().regex(/^\d+(\.\d+)*$/, 'a clause number like 3.1');
const Fen = z.number().int().min(0);
const Minutes = z.number().int().min(1);
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59');

export const TariffPeriod = z.object({
  minutes: Minutes.describe('时长（分钟）length in minutes'),
  priceFen: Fen.describe('价格（分）price in fen'),
});
export type TariffPeriod = z.infer<typeof TariffPeriod>;

export const NightRate = z
  .object({
    from: TimeOfDay.describe('夜间开始，如 22:00 (night starts, local time)'),
    to: TimeOfDay.describe('夜间结束，如 07:00；早于开始即跨午夜 (night ends; earlier than `from` means it crosses midnight)'),
    unitMinutes: Minutes.describe('夜间计费单位（分钟），不足一个单位按一个单位收 (night unit; a started unit is charged)'),
    priceFen: Fen.describe('夜间每单位价格（分）price per night unit in fen'),
    capFen: Fen.optional().describe('每晚封顶（分），不填则不封顶 (most one night costs)'),
  })
  .refine((n) => n.from !== n.to, { message: 'night `from` and `to` must differ', path: ['to'] });
export type NightRate = z.infer<typeof NightRate>;

export const Tariff = z
  .object({
    clause: Clause.describe('公约条款编号，每笔收费都引用它 (clause every fee cites), e.g. 3.1'),
    freeMinutes: z.number().int().min(0).describe('免费停车时长（分钟），如 30 (free minutes)'),
    chargeFreeMinutesWhenExceeded: z
      .boolean()
      .default(false)
      .describe('超出免费时长后，是否从入场起计费 (once over the free time, bill from entry instead of from the end of the free time)'),
    firstPeriod: TariffPeriod.describe('首段：如首1小时5元 (first period, e.g. first 60 min ¥5)'),
    increment: TariffPeriod.describe('之后每段：如每30分钟1元，不足一段按一段收 (then each started increment, e.g. 30 min ¥1)'),
    night: NightRate.optional().describe('夜间收费，夜间时段内取代日间收费；不填则全天按日间收费 (night rate replaces day pricing inside the window)'),
    dailyCapFen: Fen.optional().describe('每日封顶（分），按计费日计算 (most one day costs; days start at dayBoundary)'),
    perVisitCapFen: Fen.optional().describe('单次停车封顶（分），最后计算 (most one visit costs, applied last)'),
    dayBoundary: TimeOfDay.default('00:00').describe('计费日起点，如 00:00 或 08:00 (when a new day starts for the daily cap)'),
  })
  .describe('临时停车收费标准 (temporary parking tariff), fees computed at exit');
export type Tariff = z.infer<typeof Tariff>;
/** What a charter file may leave out (the defaults fill it in). */
export type TariffInput = z.input<typeof Tariff>;
