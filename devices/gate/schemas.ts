import { z } from 'zod';
import { CommandBase, Direction, Envelope, Timestamp } from '../envelope.js';

export const GateArmState = z.enum(['opening', 'open', 'closing', 'closed', 'fault']);
export type GateArmState = z.infer<typeof GateArmState>;

export const GateStateEvent = Envelope.extend({
  type: z.literal('gate.state'),
  state: GateArmState,
  faultCode: z.string().max(64).optional(),
});
export const GatePassage = Envelope.extend({
  type: z.literal('gate.passage'),
  direction: Direction,
  plate: z.string().max(10).optional(),
});
export const GateManual = Envelope.extend({
  type: z.literal('gate.manual'),
  action: z.enum(['open', 'close']),
  source: z.enum(['button', 'remote', 'offline-whitelist']),
  // Added to the contract (optional): which car a whitelist open let through, so it becomes a stay.
  plate: z.string().max(10).optional(),
  direction: Direction.optional(),
});
export const GateTelemetry = Envelope.extend({
  type: z.literal('telemetry').default('telemetry'),
  // Optional since a gate driven through a camera's relay reports neither.
  cycles: z.number().int().min(0).optional(),
  motorTempC: z.number().optional(),
  rssi: z.number().optional(),
  // Added (optional): the `config.version` the gate holds, so the committee sees who has the current whitelist.
  configVersion: z.number().int().min(0).optional(),
});

/** LED boards show two short lines; 64 characters is plenty and bounds the payload. */
const Display = z.string().max(64);
const Voice = z.string().max(128);

export const GateOpenCmd = CommandBase.extend({
  type: z.literal('open'),
  direction: Direction,
  plate: z.string().max(10).optional(),
  display: Display,
  voice: Voice.optional(),
  expiresAt: Timestamp,
});
export const GateDenyCmd = CommandBase.extend({
  type: z.literal('deny'),
  display: Display,
  voice: Voice.optional(),
  expiresAt: Timestamp,
});
export const GateDisplayCmd = CommandBase.extend({
  type: z.literal('display'),
  display: Display,
  voice: Voice.optional(),
});

export const GateConfig = z.object({
  version: z.number().int().min(0),
  offlineMode: z.enum(['whitelist', 'closed']),
  plates: z.array(z.string().max(10)).max(5000),
});
export type GateConfig = z.infer<typeof GateConfig>;
