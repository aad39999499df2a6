import { randomBytes } from 'node:crypto';
import { ID_PATTERN } from '../../devices/index.js';

/**
 * Contract §Envelope: `id` is unique per device, and the gateway ignores a repeat.
 * A per-run tag keeps a restarted simulator from reusing the ids of its last run
 * (its counter starts again at 1, but the tag has moved on).
 */
export function runTag(): string {
  return Date.now().toString(36) + randomBytes(2).toString('hex');
}

export function createIdSource(deviceId: string, tag: string = runTag()): () => string {
  let counter = 0;
  return () => {
    counter++;
    const suffix = `-${tag}-${String(counter).padStart(6, '0')}`;
    // Ids are at most 64 characters: keep the tail of a long device id, which is what tells devices apart.
    const head = deviceId.slice(Math.max(0, deviceId.length - (64 - suffix.length)));
    const id = head.replace(/^[^A-Za-z0-9]+/, '') + suffix;
    if (!ID_PATTERN.test(id)) throw new Error(`message id "${id}" does not match the contract's id pattern`);
    return id;
  };
}
