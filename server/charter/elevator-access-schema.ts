import { z } from 'zod';
import { Floor } from '../../devices/index.js';
import { Clause } from './parking-schema.js';

/**
 * The elevator section of the charter (加装电梯使用公约), in two parts the lead
 * composes into the charter: who may ride (`ElevatorAccess`, read by
 * `server/elevator/access.ts`) and the limits behind the faults the gateway derives
 * from telemetry (`ElevatorFaultRules`, read by `server/elevator/watch.ts`).
 * A retrofitted elevator is paid for by the households that contributed; the
 * charter says what everyone else may do. Money is integer fen (100 fen = ¥1).
 */

const Fen = z.number().int().min(0);

export const ElevatorPayPerRide = z
  .object({
    clause: Clause.describe('按次付费乘梯的条款 (pay-per-ride)'),
    priceFen: Fen.describe('每次乘梯价格（分），从住户余额扣 (per ride, from the household balance)'),
    floors: z
      .enum(['any', 'ground-and-own'])
      .default('ground-and-own')
      .describe('付费乘梯可选楼层：任意楼层，或首层与本户楼层 (any floor, or the ground floors and the household’s own)'),
  })
  .describe('未出资住户按次付费乘梯 (households that did not contribute pay per ride)');
export type ElevatorPayPerRide = z.infer<typeof ElevatorPayPerRide>;

export const ElevatorPasses = z
  .object({
    clause: Clause.describe('医疗/临时通行证的条款 (medical and temporary passes)'),
    maxDays: z
      .number()
      .int()
      .min(1)
      .max(366)
      .default(30)
      .describe('一张通行证最长有效天数，签发时检查 (longest validity of one pass; checked when it is issued)'),
  })
  .describe('医疗或临时通行证：如行动不便的未出资住户、看护人员 (for a household that did not contribute but has a patient, a carer, …)');
export type ElevatorPasses = z.infer<typeof ElevatorPasses>;

export const ElevatorAccess = z
  .object({
    clause: Clause.describe('谁可以乘梯的条款：出资住户 (who may ride: the households that contributed)'),
    groundFloors: z
      .array(Floor)
      .min(1)
      .default([1])
      .describe('首层/出入口楼层，人人可选 (the ground or entrance floors everyone who may ride can choose)'),
    memberFloors: z
      .enum(['own-and-ground', 'all'])
      .default('own-and-ground')
      .describe('出资住户可选楼层：本户楼层与首层，或全部楼层 (members choose their own floor and the ground, or every floor)'),
    payPerRide: ElevatorPayPerRide.optional().describe('不填：未出资住户不能按次付费 (absent: no pay-per-ride)'),
    passes: ElevatorPasses,
    grantTtlS: z
      .number()
      .int()
      .min(1)
      .max(600)
      .default(30)
      .describe('刷卡后可选楼层的有效秒数 (how long the floor buttons stay enabled after a swipe)'),
  })
  .describe('乘梯资格：卡须登记到住户、未冻结、开通电梯用途 (card registered to a household, active, with the elevator purpose)');
export type ElevatorAccess = z.infer<typeof ElevatorAccess>;
export type ElevatorAccessInput = z.input<typeof ElevatorAccess>;

export const ElevatorFaultRules = z
  .object({
    clause: Clause.describe('电梯故障判定与处置的条款 (fault detection and response)'),
    doorOpenTooLongS: z
      .number()
      .int()
      .min(10)
      .max(3600)
      .default(120)
      .describe('开门持续超过此秒数视为长时间开门 (door open longer than this is a fault)'),
    stoppedBetweenFloorsS: z
      .number()
      .int()
      .min(1)
      .max(600)
      .default(30)
      .describe('停在门区外且关门超过此秒数视为非平层停梯，可能困人 (stopped outside a door zone, door shut, longer than this)'),
    // TSG T5002-2017 (电梯维护保养规则) requires routine maintenance (半月维保) at least every
    // 15 days, so the charter may shorten the interval but not stretch it. Cities piloting
    // on-demand maintenance (按需维保) would need this cap relaxed by their own approval.
    maintenanceIntervalDays: z
      .number()
      .int()
      .min(1)
      .max(15)
      .default(15)
      .describe('例行维保间隔天数，不超过15天 (routine maintenance interval; at most 15 days)'),
  })
  .describe('电梯故障判定 (derived faults and maintenance interval)');
export type ElevatorFaultRules = z.infer<typeof ElevatorFaultRules>;
export type ElevatorFaultRulesInput = z.input<typeof ElevatorFaultRules>;
