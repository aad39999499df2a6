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
  // Added (optional): what real cameras also say of a read (臻识 `type`/`is_fake_plate`, Hikvision `plateType`).
  /** The plate's kind as the camera names it (`standard`, `new-energy`, `police`, …, or the vendor's number as text). */
  plateType: z.string().max(32).optional(),
  /** A new-energy plate (green, 8 characters): some charters price them apart. */
  newEnergy: z.boolean().optional(),
  /** The camera judged the plate a fake (a printed or photographed plate): never opens by itself. */
  fakePlate: z.boolean().optional(),
});
export type PlateRead = z.infer<typeof PlateRead>;

export const CameraTelemetry = Envelope.extend({
  type: z.literal('telemetry').default('telemetry'),
  // Optional since real cameras report neither (臻识, Hikvision): a telemetry reading may carry only what the camera knows.
  fps: z.number().min(0).optional(),
  cpuTempC: z.number().optional(),
  rssi: z.number().optional(),
});

/** A camera is registered with the gate it serves and the lane direction. */
export const CameraRegistration = z.object({
  gateId: Id,
  direction: Direction,
});
