import { z } from 'zod';
import { CommandBase, Envelope } from '../envelope.js';
import { Id } from '../ids.js';

/** Floors are signed: basements are negative. */
export const Floor = z.number().int().min(-5).max(99);

export const ELEVATOR_FAULT_CODES = [
  'trapped',
  'door-open-while-running',
  'stopped-outside-door-zone',
  'overspeed',
  'top-overrun',
  'bottom-overrun',
  'door-fault',
  'power-loss',
  'frequent-door-reopen',
  'ebike-detected',
  // Added: the car moved away from a landing with its doors open (开门走车, unintended car movement),
  // which monitoring boxes report apart from a door opening while running.
  'moving-with-door-open',
] as const;
/** "at least" these codes: a device may report others, kept as strings. */
export const ElevatorFaultCode = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be a lowercase fault code');

export const CardSwipe = Envelope.extend({
  type: z.literal('card.swipe'),
  cardId: Id,
  floor: Floor.optional(),
});
export const Ride = Envelope.extend({
  type: z.literal('ride'),
  from: Floor,
  to: Floor,
  cardId: Id.optional(),
});
export const ElevatorFault = Envelope.extend({
  type: z.literal('fault'),
  code: ElevatorFaultCode,
  active: z.boolean(),
  floor: Floor.optional(),
});
export const EmergencyCall = Envelope.extend({
  type: z.literal('emergency.call'),
  floor: Floor.optional(),
});
export const ElevatorTelemetry = Envelope.extend({
  type: z.literal('telemetry').default('telemetry'),
  floor: Floor,
  direction: z.enum(['up', 'down', 'idle']),
  doorOpen: z.boolean(),
  running: z.boolean(),
  loadPct: z.number().min(0).max(200).optional(),
  inDoorZone: z.boolean().optional(), // addition to v1 (devices/README.md): within a landing's door zone; absent = not known
});

export const ElevatorGrantCmd = CommandBase.extend({
  type: z.literal('grant'),
  cardId: Id,
  floors: z.array(Floor).max(100),
  ttlS: z.number().int().min(1).max(600),
});
export const ElevatorDenyCmd = CommandBase.extend({
  type: z.literal('deny'),
  cardId: Id,
  reason: z.string().max(64),
});

export const ElevatorRegistration = z.object({
  lowestFloor: Floor.default(1),
  highestFloor: Floor.default(7),
});
