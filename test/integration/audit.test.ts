import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCharterVersion } from '../support/charter.js';
import { passwordFor, registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';

const E = 'estate-audit';
let linli: TestLinli;
beforeAll(async () => {
  linli = await startTestLinli();
  await registerDevice(linli, E, { id: 'gate-a1', kind: 'gate' });
});
afterAll(() => linli.stop());

describe('the committee’s audit list', () => {
  it('records who changed the charter, the estate, a device and a fee, every manual open, and every full plate history read; never a secret', async () => {
    const charter = aCharterVersion((p) => (p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 50, gates: ['gate-a1'] }]));
    await linli.api('POST', `/api/estates/${E}/charter/versions`, charter);
    await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501' });
    await linli.api('POST', `/api/estates/${E}/devices/gate-a1/rotate-secret`);
    await linli.api('POST', `/api/estates/${E}/gates/gate-a1/open`, { direction: 'in', reason: '送病人去医院', plate: '鄂A88888' });
    await linli.api('POST', '/api/users', { username: 'guard-z', password: passwordFor('guard-z'), role: 'guard', mustChangePassword: false });
    const guard = (await linli.api('POST', '/api/auth/login', { username: 'guard-z', password: passwordFor('guard-z') })).body.token;
    await linli.api('GET', `/api/estates/${E}/parking/stays?plate=${encodeURIComponent('鄂A88888')}`, undefined, guard);
    const refused = await linli.api('POST', `/api/estates/${E}/gates/gate-a1/open`, { direction: 'in', reason: '' });
    expect(refused.status).toBe(400);

    const items = (await linli.api('GET', `/api/estates/${E}/audit`)).body.items;
    const actions = items.map((i: any) => `${i.username}:${i.action}`);
    expect(actions).toEqual(expect.arrayContaining(['admin:charter.versions.create', 'admin:households.create', 'admin:devices.rotate-secret', 'admin:gates.open', 'guard-z:parking.plate-history.read']));
    expect(items.find((i: any) => i.action === 'gates.open')).toMatchObject({ target: 'gate-a1', detail: { reason: '送病人去医院', direction: 'in' } });
    expect(items.filter((i: any) => i.action === 'gates.open')).toHaveLength(1); // the refused one changed nothing
    expect(JSON.stringify(items)).not.toContain(passwordFor('guard-z'));
    // and only the committee reads it
    expect((await linli.api('GET', `/api/estates/${E}/audit`, undefined, guard)).status).toBe(403);
  });
});
