import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A credential we must present to a device (a Hikvision camera's ISAPI password)
 * cannot be hashed: we need it back. It is sealed with AES-256-GCM under a key
 * kept in its own file beside the database (`device-credentials.key`, 0600), so
 * the SQLite file, its WAL and a copy of either hold only ciphertext. Sealed form:
 * `v1$<iv>$<tag>$<ciphertext>` (base64url); the device id is the additional data,
 * so a sealed value copied to another device's row does not open.
 */
export const KEY_FILE = 'device-credentials.key';
const KEY_BYTES = 32;

export interface CredentialBox {
  seal(plain: string, deviceId: string): string;
  /** undefined when the value does not open (another key, another device, tampered). */
  open(sealed: string, deviceId: string): string | undefined;
}

function loadKey(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE);
  try {
    const fd = openSync(path, 'wx', 0o600); // created once; never overwritten
    try {
      writeSync(fd, randomBytes(KEY_BYTES).toString('base64url'));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
  if (key.length !== KEY_BYTES) throw new Error(`${path}: not a ${KEY_BYTES}-byte key; restore it from the backup made with the database`);
  return key;
}

export function openCredentialBox(dataDir: string): CredentialBox {
  let key: Buffer | undefined;
  const k = () => (key ??= loadKey(dataDir));
  return {
    seal(plain, deviceId) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k(), iv);
      c.setAAD(Buffer.from(deviceId));
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('$');
    },
    open(sealed, deviceId) {
      const [v, iv, tag, ct] = sealed.split('$');
      if (v !== 'v1' || !iv || !tag || ct === undefined) return undefined;
      try {
        const d = createDecipheriv('aes-256-gcm', k(), Buffer.from(iv, 'base64url'));
        d.setAAD(Buffer.from(deviceId));
        d.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
