import { z } from 'zod';
import { Envelope, Direction } from '../envelope.js';
import { Id } from '../ids.js';

export const PlateColor = z.enum(['blue', 'yellow', 'green', 'white', 'black', 'unknown']);

export const PlateRead = Envelope.extend({
  type: z.literal('plate.read'),
  /** As read, e.g. 鄂A12345 or 鄂AD12345; "" when no plate was found. */
  plate: z.string().max(10),
  color: PlateColor,
  confidence: z.number().min(0).max(1),
  direction: Direction.optional(),
  imageRef: z.string().max(512).optional(),
});
export type PlateRead = z.infer<typeof PlateRead>;

export const CameraTelemetry = Envelope.extend({
  type: z.literal('telemetry').default('telemetry'),
  fps: z.number().min(0),
  cpuTempC: z.number(),
  rssi: z.number().optional(),
});

/** A camera is registered with the gate it serves and the lane direction. */
export const CameraRegistration = z.object({
  gateId: Id,
  direction: Direction,
});
