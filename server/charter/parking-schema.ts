import { z } from 'zod';
import { Id } from '../../devices/index.js';
import { DeviceRef } from './device-refs.js';
import { Tariff } from './tariff-schema.js';

/** Every rule carries the clause id of the charter text it implements; decisions cite it. */
export const Clause = z.string().regex(/^\d+(\.\d+)*$/, 'a clause number like 2.1').describe('条款编号 clause number, e.g. 2.1');
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const Fen = z.number().int().min(0);

export const Lot = z.object({
  id: Id,
  name: z.string().min(1).max(50),
  capacity: z.number().int().min(0).describe('spaces in the lot'),
  reservedForResidents: z.number().int().min(0).default(0).describe('spaces visitors and temporary cars may not take'),
  gates: z.array(DeviceRef('gate')).min(1).describe('gate controllers that lead into this lot (devices of this estate)'),
});

const ClassRule = z.object({ clause: Clause });

export const ParkingClasses = z.object({
  resident: ClassRule.extend({ say: z.string().max(32).default('业主车辆 欢迎回家') }),
  monthly: ClassRule.extend({ graceDays: z.number().int().min(0).max(90).default(0), say: z.string().max(32).default('月租车 欢迎回家') }),
  internal: ClassRule.extend({ say: z.string().max(32).default('内部车辆 请通行') }),
  blacklist: ClassRule.extend({ say: z.string().max(32).default('禁止通行 请联系值班') }),
  emergency: ClassRule.extend({
    /** Plates matching any of these always open (police 警, 应急 fire and rescue), registered or not. */
    platePatterns: z.array(z.string().max(40)).default(['警$', '^应急']),
    say: z.string().max(32).default('紧急车辆 请通行'),
  }),
  visitor: ClassRule.extend({
    monthlyQuotaPerHousehold: z.number().int().min(0).default(10),
    maxPassHours: z.number().int().min(1).max(24 * 30).default(24),
    /** Visitors with a pass park free, or pay the temporary tariff like anyone else. */
    free: z.boolean().default(true),
    say: z.string().max(32).default('访客车辆 欢迎光临'),
  }),
  temporary: ClassRule.extend({ allowed: z.boolean().default(true) }),
});

/** 一位多车: a household with N spaces and more cars. */
export const GroupRule = z.object({
  clause: Clause,
  overflowMayEnter: z.boolean().default(true).describe('may another group car enter when the group’s spaces are full'),
  overflowPaysTemporary: z.boolean().default(true).describe('does the overflow car pay the temporary tariff'),
  billingStopsWhenGroupCarLeaves: z.boolean().default(true).describe('does its billing stop when a group car leaves'),
});

/** A time window in which some cars may enter as if residents (e.g. office spaces 18:00–08:00). */
export const WindowPass = z.object({
  id: Id,
  clause: Clause,
  name: z.string().min(1).max(50),
  plates: z.array(z.string().max(10)).default([]).describe('plates this pass covers'),
  allResidents: z.boolean().default(false).describe('covers every resident vehicle (e.g. residents in a neighbour’s lot at night)'),
  lotId: Id,
  days: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5, 6, 7]).describe('ISO weekdays, 1 = Monday'),
  from: TimeOfDay,
  to: TimeOfDay,
});

export const ParkingSection = z.object({
  lots: z.array(Lot).min(1),
  classes: ParkingClasses,
  groups: GroupRule,
  windowPasses: z.array(WindowPass).default([]),
  tariff: Tariff,
  plates: z.object({
    clause: Clause,
    fuzzyThreshold: z.number().min(0).max(1).default(0.85).describe('a fuzzy match scoring at least this opens; below asks the guard'),
    repeatWindowS: z.number().int().min(0).max(600).default(15).describe('a repeated read of the same plate on a lane within this is ignored'),
  }),
  exit: z.object({
    clause: Clause,
    /** `before-open`: the arm stays down until the fee is paid; `owe`: open and record the fee as owed. */
    payment: z.enum(['before-open', 'owe']).default('before-open'),
    /** An exit with no recorded entry: ask the guard, or charge the default fee. */
    unmatched: z.enum(['guard', 'charge-default']).default('guard'),
    unmatchedDefaultFeeFen: Fen.default(1000),
  }),
  arrears: z.object({
    clause: Clause,
    /** Arrears from earlier visits are shown at entry; at or above this the car is refused. */
    denyEntryAtFen: Fen.optional(),
  }),
  offline: z.object({
    clause: Clause,
    mode: z.enum(['whitelist', 'closed']).default('whitelist'),
    classes: z.array(z.enum(['resident', 'monthly', 'internal', 'emergency'])).default(['resident', 'monthly', 'emergency']),
  }),
});
export type ParkingSection = z.infer<typeof ParkingSection>;
