import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEY_FILE, openCredentialBox } from '../../server/store/credential-box.js';

/** A camera's ISAPI password, sealed for the database: the key apart from it, bound to the device. */
const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'linli-box-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('credential box', () => {
  it('seals so that the sealed text holds no trace of the password, and opens it again for the same device', () => {
    const d = dir();
    const box = openCredentialBox(d);
    const sealed = box.seal('Hik-Pw-9rT2vQx7Lm', 'cam-1');
    expect(sealed).toMatch(/^v1\$[\w-]+\$[\w-]+\$[\w-]+$/);
    expect(sealed).not.toContain('Hik-Pw');
    expect(box.seal('Hik-Pw-9rT2vQx7Lm', 'cam-1')).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed, 'cam-1')).toBe('Hik-Pw-9rT2vQx7Lm');
    // Another process over the same data dir reads the same key.
    expect(openCredentialBox(d).open(sealed, 'cam-1')).toBe('Hik-Pw-9rT2vQx7Lm');
  });

  it('does not open for another device, another key, or a tampered value', () => {
    const box = openCredentialBox(dir());
    const sealed = box.seal('secret-password', 'cam-1');
    expect(box.open(sealed, 'cam-2')).toBeUndefined();
    expect(openCredentialBox(dir()).open(sealed, 'cam-1')).toBeUndefined();
    const parts = sealed.split('$');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    expect(box.open([...parts.slice(0, 3), ct.toString('base64url')].join('$'), 'cam-1')).toBeUndefined();
    for (const junk of ['', 'plain-password', 'v1$$$', 'v2$a$b$c']) expect(box.open(junk, 'cam-1')).toBeUndefined();
  });

  it('keeps its key in its own file, readable by the owner only, made only when first needed', () => {
    const d = dir();
    const box = openCredentialBox(d);
    expect(() => statSync(join(d, KEY_FILE))).toThrow();
    box.seal('x', 'cam-1');
    const st = statSync(join(d, KEY_FILE));
    expect(st.mode & 0o077).toBe(0);
    expect(Buffer.from(readFileSync(join(d, KEY_FILE), 'utf8'), 'base64url')).toHaveLength(32);
  });
});
