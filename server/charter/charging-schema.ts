import { z } from 'zod';
import { Id } from '../../devices/index.js';
import { DeviceRef } from './device-refs.js';
import { Clause } from './parking-schema.js';

/**
 * The charging-shed section of the charter (电动自行车充电公约): who may charge, for how
 * long, how many ports a shed's wiring carries at once, what it costs, when a
 * battery counts as full, and the temperatures that stop a session. The rules in
 * `server/charging/` read it and cite the clause of the part they apply.
 * Money is integer fen (100 fen = ¥1); times of day are Beijing time 'HH:MM'.
 */

const Fen = z.number().int().min(0);
const Watts = z.number().positive();
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59');

export const ChargingPlan = z
  .object({
    id: Id,
    name: z.string().min(1).max(30).describe('套餐名称，如 包月充电 (plan name)'),
    priceFen: Fen.describe('套餐价格（分）price in fen'),
    days: z.number().int().min(1).max(366).describe('有效天数，如 30 (days a purchase lasts)'),
    clause: Clause,
  })
  .describe('充电套餐：一户购买后在有效期内充电 (a plan a household buys; sessions in its validity are covered)');
export type ChargingPlan = z.infer<typeof ChargingPlan>;

export const ChargingAccess = z
  .object({
    clause: Clause.describe('谁可以充电的条款 (who may charge)'),
    payment: z
      .enum(['balance', 'plan', 'balance-or-plan'])
      .default('balance-or-plan')
      .describe('付费方式：预存余额按次扣费、套餐、或二者之一（有效套餐优先）(prepaid balance, plan, or either; a valid plan is used first)'),
    minBalanceFen: Fen.default(100).describe('开始充电所需的最低余额（分）(least balance to start a pay-per-use session)'),
    plans: z.array(ChargingPlan).default([]).describe('可购买的套餐 (plans on offer)'),
  })
  .describe('充电资格：卡须登记到住户、未冻结、开通充电用途 (card registered to a household, active, with the charger purpose)');

export const Curfew = z
  .object({
    clause: Clause,
    from: TimeOfDay.describe('夜间开始，如 23:00 (curfew starts)'),
    to: TimeOfDay.describe('夜间结束，如 06:00；早于开始即跨午夜 (curfew ends; earlier than `from` crosses midnight)'),
    mode: z.enum(['deny', 'limit']).describe('deny: 夜间不开始新的充电; limit: 夜间开始的充电限时 (no new sessions, or night sessions limited)'),
    limitMinutes: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('limit 模式下夜间充电最长分钟数；不填则充到夜间结束 (longest night session; absent: until the curfew ends)'),
  })
  .refine((c) => c.from !== c.to, { message: 'curfew `from` and `to` must differ', path: ['to'] })
  .describe('夜间禁充/限充 (night curfew)');
export type Curfew = z.infer<typeof Curfew>;

export const ChargingSessionRules = z.object({
  clause: Clause.describe('单次充电时长/电量上限的条款 (session limits)'),
  maxMinutes: z.number().int().min(1).max(24 * 60).default(480).describe('单次充电最长分钟数 (longest session)'),
  maxWh: z.number().positive().optional().describe('单次充电最多电量（Wh）(most energy one session may take)'),
  curfew: Curfew.optional(),
});

const BreakerLimits = {
  maxChargingPorts: z.number().int().min(1).optional().describe('同时充电的端口数上限 (ports charging at once)'),
  maxTotalW: Watts.optional().describe('同时充电总功率上限（W）(total draw the shed’s wiring carries)'),
};

export const ShedBreakerOverride = z
  .object({
    clause: Clause.optional().describe('该棚的专门条款；不填引用总条款 (its own clause; absent: the breaker clause)'),
    ...BreakerLimits,
    whenOver: z.enum(['queue', 'deny']).optional(),
  })
  .describe('某个充电棚的线路限额，只替换写出的字段 (one shed’s limits; replaces only the fields given)');

export const ChargingBreaker = z
  .object({
    clause: Clause.describe('线路负荷条款 (wiring load)'),
    ...BreakerLimits,
    whenOver: z.enum(['queue', 'deny']).default('queue').describe('超过限额时：排队等待或拒绝 (over the budget: queue or refuse)'),
    newSessionW: Watts.default(200).describe('新开始的充电按此功率预估，直到遥测报来实际功率（W）(assumed draw of a session just starting)'),
    sheds: z.record(DeviceRef('charger'), ShedBreakerOverride).default({}).describe('按充电棚（设备 id）的限额 (per-shed overrides by device id)'),
  })
  .describe('充电棚线路负荷 (breaker budget per shed)');
export type ChargingBreaker = z.infer<typeof ChargingBreaker>;

export const OccupancyFee = z
  .object({
    graceMinutes: z.number().int().min(0).default(30).describe('充满后免费占位分钟数 (free minutes after full)'),
    perHourFen: Fen.describe('超时占位每小时价格（分）(per hour beyond the grace)'),
    unitMinutes: z.number().int().min(1).default(60).describe('计费单位，不足一个单位按一个单位收 (a started unit is charged)'),
  })
  .describe('充满后占位费 (occupancy after full)');

const PricingBase = {
  clause: Clause.describe('充电收费条款，每笔费用引用它 (clause every fee cites)'),
  startFeeFen: Fen.optional().describe('每次启动费（分）(per-session start fee)'),
  occupancy: OccupancyFee.optional(),
  planCoversCharging: z.boolean().default(true).describe('套餐用户只付占位费 (a plan holder pays occupancy only)'),
};
const UnitMinutes = z.number().int().min(1).default(60).describe('计时单位（分钟），不足一个单位按一个单位收 (a started unit is charged)');

export const ChargingTier = z.object({
  upToW: Watts.describe('本档最高功率（W，含）(highest power of this tier, inclusive)'),
  perHourFen: Fen.describe('本档每小时价格（分）'),
});

export const ChargingPricing = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('time'), ...PricingBase, perHourFen: Fen.describe('每小时价格（分）'), unitMinutes: UnitMinutes }),
    z.object({ mode: z.literal('energy'), ...PricingBase, perKwhFen: Fen.describe('每度电价格（分），合计向上取整到分 (per kWh; rounded up to a whole fen)') }),
    z.object({
      mode: z.literal('tier'),
      ...PricingBase,
      tiers: z
        .array(ChargingTier)
        .min(1)
        .refine((ts) => ts.every((t, i) => i === 0 || t.upToW > ts[i - 1]!.upToW), { message: 'tiers must rise in upToW' })
        .describe('按本次充电最高功率选档，高于最高档按最高档 (tier chosen by the highest power reached)'),
      unitMinutes: UnitMinutes,
    }),
  ])
  .describe('充电收费：按时、按电量或按功率分档计时 (time, energy, or time priced by power tier)');
export type ChargingPricing = z.infer<typeof ChargingPricing>;

export const ChargingDetection = z
  .object({
    clause: Clause.describe('充满、拔出、超功率的判定条款'),
    fullBelowW: Watts.default(15).describe('功率持续低于此值视为充满（W）(below this, continuously, means full)'),
    fullForMinutes: z.number().int().min(1).default(10).describe('低于 fullBelowW 持续多少分钟判为充满'),
    unplugBelowW: Watts.default(3).describe('充电中功率突降到此值以下视为已拔出（W）(a drop below this means unplugged)'),
    overPowerW: Watts.default(1000).describe('单口功率上限（W），超过即停 (per-port power limit)'),
  })
  .refine((d) => d.unplugBelowW < d.fullBelowW && d.fullBelowW < d.overPowerW, {
    message: 'need unplugBelowW < fullBelowW < overPowerW',
    path: ['fullBelowW'],
  });
export type ChargingDetection = z.infer<typeof ChargingDetection>;

export const ChargingSafety = z.object({
  clause: Clause.describe('消防安全条款 (fire safety)'),
  maxPortTempC: z.number().min(20).max(150).default(60).describe('端口温度上限（°C），超过即停'),
  maxAmbientTempC: z.number().min(20).max(150).optional().describe('棚内温度上限（°C），超过即停且不开始新的充电'),
});
export type ChargingSafety = z.infer<typeof ChargingSafety>;

export const ChargingSection = z
  .object({
    access: ChargingAccess,
    session: ChargingSessionRules,
    breaker: ChargingBreaker,
    pricing: ChargingPricing,
    detection: ChargingDetection,
    safety: ChargingSafety,
  })
  .describe('电动自行车充电棚 (e-bike charging sheds)');
export type ChargingSection = z.infer<typeof ChargingSection>;
/** What a charter file may leave out (the defaults fill it in). */
export type ChargingSectionInput = z.input<typeof ChargingSection>;
