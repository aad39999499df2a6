import { z } from 'zod';
import { CommandBase, Envelope } from '../envelope.js';
import { Id } from '../ids.js';

export const PortNumber = z.number().int().min(1).max(64);
export const PortState = z.enum(['available', 'occupied', 'charging', 'full', 'fault', 'disabled']);
export type PortState = z.infer<typeof PortState>;

/**
 * Optional (an addition to contract v1): the device itself ended the charge on this
 * port (a JUY controller's 0x85 end report), so the session running there ends now.
 * `energyWh` is the device's own meter for that charge, when it counts per charge.
 */
export const PortEnded = z
  .object({
    energyWh: z.number().min(0).max(1_000_000).optional(),
    seconds: z.number().int().min(0).max(366 * 86_400).optional(),
  })
  .strict();
export const PortStateEvent = Envelope.extend({
  type: z.literal('port.state'),
  port: PortNumber,
  state: PortState,
  reason: z.string().max(64).optional(),
  ended: PortEnded.optional(),
});
export const PortRequest = Envelope.extend({
  type: z.literal('port.request'),
  port: PortNumber,
  cardId: Id,
});
export const ChargerAlarm = Envelope.extend({
  type: z.literal('alarm'),
  kind: z.enum(['smoke', 'overtemp', 'overcurrent', 'leakage', 'power-loss']),
  port: PortNumber.optional(),
  value: z.number().optional(),
  active: z.boolean(),
});
export const ChargerTelemetry = Envelope.extend({
  type: z.literal('telemetry').default('telemetry'),
  ports: z
    .array(
      z.object({
        port: PortNumber,
        powerW: z.number().min(0),
        energyWh: z.number().min(0),
        tempC: z.number(),
      }),
    )
    .max(64),
  ambientTempC: z.number().optional(),
});

export const ChargerStartCmd = CommandBase.extend({
  type: z.literal('start'),
  port: PortNumber,
  sessionId: Id,
  maxMinutes: z.number().int().min(1),
  maxWh: z.number().min(0).optional(),
});
export const ChargerStopCmd = CommandBase.extend({
  type: z.literal('stop'),
  port: PortNumber,
  reason: z.string().max(64),
});
export const ChargerDenyCmd = CommandBase.extend({
  type: z.literal('deny'),
  port: PortNumber,
  reason: z.string().max(64),
});

export const ChargerRegistration = z.object({
  ports: z.number().int().min(1).max(64).default(10),
});
