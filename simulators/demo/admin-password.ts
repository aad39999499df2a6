import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface AdminPassword {
  password: string;
  source: 'env' | 'file' | 'generated';
  /** Where it is kept, when the demo keeps it. */
  file?: string;
}

const FILE = 'demo-admin-password';

/**
 * LINLI_ADMIN_PASSWORD if set; otherwise the one a previous demo run saved next to
 * the database (the admin account already has it); otherwise a new one, saved
 * with mode 600 so only this user can read it.
 */
export async function demoAdminPassword(dataDir: string, fromEnv: string | undefined): Promise<AdminPassword> {
  if (fromEnv) return { password: fromEnv, source: 'env' };
  const file = join(dataDir, FILE);
  const saved = await readFile(file, 'utf8').then(
    (s) => s.trim(),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    },
  );
  if (saved.length >= 8) return { password: saved, source: 'file', file };
  await mkdir(dataDir, { recursive: true });
  const password = randomBytes(12).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // writeFile's mode does not apply to a file that already existed
  return { password, source: 'generated', file };
}
