import type { z } from 'zod';
import type { PlateRead } from '../../camera/schemas.js';
import type { GateManual, GatePassage } from '../../gate/schemas.js';
import { reject, type VendorRejection } from '../result.js';

/**
 * A contract message a vendor message became, with the kind it belongs to: one
 * Vzenith camera is both its lane's `camera` (plate.read) and `gate`
 * (gate.passage, gate.manual).
 */
export type VendorEvent =
  | { kind: 'camera'; message: z.infer<typeof PlateRead> }
  | { kind: 'gate'; message: z.infer<typeof GatePassage> | z.infer<typeof GateManual> };

/** The first zod issue as a dead letter whose field is the vendor's dotted path. */
export function deadLetterFromZod(error: z.ZodError, root: string): VendorRejection {
  const issue = error.issues[0]!;
  const field = [root, ...issue.path.map(String)].filter((p) => p !== '').join('.');
  return reject('schema', field, issue.message);
}

/** Keys whose values are image contents: the raw message kept for support holds their length, not the bytes. */
const IMAGE_KEYS = new Set(['imageFile', 'imageFragmentFile', 'full_image_content', 'small_image_content']);

/** The vendor's message as kept beside the event for support: images replaced by their size. */
export function forSupport(json: unknown): unknown {
  return JSON.parse(
    JSON.stringify(json, (key, value) =>
      IMAGE_KEYS.has(key) && typeof value === 'string' && value.length > 0 ? `<${value.length} base64 characters, stored apart>` : value,
    ),
  );
}
