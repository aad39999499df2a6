import type { SimLog } from '../lib/sim-log.js';
import type { LinliApi } from './api-client.js';
import type { DeviceSpec } from './layout.js';

/**
 * Registers the estate and its devices through the HTTP API and returns each
 * device's secret. Idempotent: an estate that exists is fine (409), and a device
 * that exists gets a fresh secret (rotate-secret), since a secret is shown only once.
 */
export async function provision(
  api: LinliApi,
  estate: { id: string; name: string },
  specs: DeviceSpec[],
  log: SimLog,
): Promise<Map<string, string>> {
  const created = await api.expect([201, 409], 'POST', '/api/estates', estate);
  log.info({ estateId: estate.id, existed: created.status === 409 }, 'estate ready');
  const secrets = new Map<string, string>();
  for (const spec of specs) secrets.set(spec.id, await registerDevice(api, estate.id, spec, log));
  return secrets;
}

async function registerDevice(api: LinliApi, estateId: string, spec: DeviceSpec, log: SimLog): Promise<string> {
  const base = `/api/estates/${encodeURIComponent(estateId)}/devices`;
  const body = { id: spec.id, kind: spec.kind, name: spec.name, ...spec.registration };
  const res = await api.expect<{ secret?: string }>([201, 409], 'POST', base, body);
  if (res.status === 201 && res.body.secret) {
    log.debug({ deviceId: spec.id }, 'device registered');
    return res.body.secret;
  }
  const rotated = await api.expect<{ secret: string }>([200, 201], 'POST', `${base}/${encodeURIComponent(spec.id)}/rotate-secret`);
  log.debug({ deviceId: spec.id }, 'device existed: secret rotated');
  return rotated.body.secret;
}
