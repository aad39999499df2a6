import { z } from 'zod';
import { PortNumber } from '../../charger/schemas.js';
import { Timestamp } from '../../envelope.js';
import { Id } from '../../ids.js';

/** What the transport and registration tell the codec; validated, so a wrong setting is a rejection, not a wrong reading. */

export const Imei = z.string().regex(/^\d{15}$/, 'must be 15 ASCII digits (the module IMEI)');
export const OrderNo = z.number().int().min(0).max(0xffffffff);
/** Energy unit of the device's counters: 10 Wh (0.01 kWh, the document's tables) or 1 Wh (0.001 kWh, its V1.1 changelog). */
export const EnergyUnitWh = z.union([z.literal(10), z.literal(1)]);

export const PendingCommand = z.object({
  cmdId: Id,
  command: z.enum(['start', 'stop']),
  port: PortNumber,
  orderNo: OrderNo,
});
export type PendingCommand = z.infer<typeof PendingCommand>;

export const DecodeContext = z.object({
  /** The transport's receipt time: the envelope `ts` (JUY frames carry no clock) and the salt of periodic frames' ids. */
  receivedAt: Timestamp,
  /** The IMEI this connection logged in as (TCP) or the topic names (MQTT); a frame naming another is refused. */
  imei: Imei.optional(),
  addressing: z.enum(['auto', 'imei', 'none']).default('auto'),
  energyUnitWh: EnergyUnitWh.default(10),
  /** Ports registered for this shed; a report naming a higher port is refused. */
  ports: z.number().int().min(1).max(64).optional(),
  /** Commands sent and not yet answered: a 0x83/0x84 answer that matches one becomes its contract `ack`. */
  pending: z.array(PendingCommand).max(256).default([]),
});
export type DecodeContext = z.input<typeof DecodeContext>;

/** A contract card id that the board can carry: the card's 32-bit number in decimal (how we write it on the way in). */
export const DecimalCardId = z
  .string()
  .regex(/^\d{1,10}$/, 'must be the card number in decimal, as the JUY codec writes it (e.g. "0003123456")')
  .refine((s) => Number(s) <= 0xffffffff, 'is over the 32-bit card number a JUY board carries');

const Addressed = z.object({
  /** New (IMEI) format, TCP only: the IMEI goes after RESULT. */
  imei: Imei.optional(),
  /** Ports registered: a command for a higher port is refused before it is sent. */
  ports: z.number().int().min(1).max(64).optional(),
});

export const StartOptions = Addressed.extend({
  /** The device's order number; by default `orderNoFor(sessionId)`. */
  orderNo: OrderNo.min(1).optional(),
  /** 启动方式; by default `card` when a card is given, else `scan` (as the vendor sample). */
  startMode: z.enum(['scan', 'card', 'admin']).optional(),
  /** The card that asked (0x87), when the session answers a swipe. */
  cardId: DecimalCardId.optional(),
  /** 可用金额 (0.01 元): the household's balance, for the board to show; 0 when unknown. */
  balanceFen: z.number().int().min(0).max(0xffffffff).default(0),
  energyUnitWh: EnergyUnitWh.default(10),
});
export type StartOptions = z.input<typeof StartOptions>;

export const StopOptions = Addressed.extend({
  /** The order running on the port (the device refuses a stop for another order with answer 02). */
  orderNo: OrderNo.optional(),
  /** Or the session id it was started with: the order is `orderNoFor(sessionId)`. */
  sessionId: Id.optional(),
});
export type StopOptions = z.input<typeof StopOptions>;

export const DenyOptions = Addressed.extend({
  /** The card of the 0x87 being refused (the contract `deny` does not carry it). */
  cardId: DecimalCardId,
  balanceFen: z.number().int().min(0).max(0xffffffff).default(0),
  /** 认证结果 to send instead of the one derived from the reason. */
  result: z.number().int().min(1).max(255).optional(),
});
export type DenyOptions = z.input<typeof DenyOptions>;

export const LoginReplyOptions = z.object({
  result: z.enum(['ok', 'illegal', 'okImeiFormat']),
  /**
   * 心跳间隔, 10–250 s. Absent → 0, as the vendor's own sample answer sends it
   * (the device then keeps its own interval).
   */
  heartbeatS: z.number().int().min(10).max(250).optional(),
});
export type LoginReplyOptions = z.input<typeof LoginReplyOptions>;

export const CardAuthReplyOptions = Addressed.extend({
  port: PortNumber,
  cardId: DecimalCardId,
  balanceFen: z.number().int().min(0).max(0xffffffff).default(0),
  /** 认证结果 when refused (default 1, illegal account); ignored when allowed. */
  result: z.number().int().min(1).max(255).optional(),
});
export type CardAuthReplyOptions = z.input<typeof CardAuthReplyOptions>;

export const PortOrderOptions = Addressed.extend({ port: PortNumber, orderNo: OrderNo });
export type PortOrderOptions = z.input<typeof PortOrderOptions>;
