import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordFor, startTestLinli, type TestLinli } from '../support/linli.js';

const E = 'estate-crud';
const P = `/api/estates/${E}`;
let linli: TestLinli;
const tokens: Record<string, string> = {};

/** A person with a role, logged in (no one-time password, to keep the test short). */
async function person(username: string, role: string): Promise<string> {
  const created = await linli.api('POST', '/api/users', { username, password: passwordFor(username), role, mustChangePassword: false });
  expect(created.status).toBe(201);
  return (await linli.api('POST', '/api/auth/login', { username, password: passwordFor(username) })).body.token;
}
const as = (who: string) => (method: string, path: string, body?: unknown) => linli.api(method, path, body, tokens[who]);
const plate = (p: string) => encodeURIComponent(p);

beforeAll(async () => {
  linli = await startTestLinli();
  expect((await linli.api('POST', '/api/estates', { id: E, name: '幸福小区' })).status).toBe(201);
  tokens.guard = await person('guard1', 'guard');
  tokens.volunteer = await person('vol1', 'volunteer');
  tokens.resident = await person('zhang3', 'resident');
  tokens.neighbour = await person('li4', 'resident');
});
afterAll(async () => {
  await linli?.stop();
});

describe('households', () => {
  it('are created, read, patched and listed in natural order', async () => {
    for (const [building, unit, room] of [['10', '1', '101'], ['3', '2', '501'], ['3', '2', '1201'], ['A', '1', '101']]) {
      expect((await linli.api('POST', `${P}/households`, { building, unit, room, areaM2: 88.5 })).status).toBe(201);
    }
    const dup = await linli.api('POST', `${P}/households`, { building: '3', unit: '2', room: '501' });
    expect(dup).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    const bad = await linli.api('POST', `${P}/households`, { building: '3-1', unit: '2', room: '501' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^body\.building: letters or digits/);

    const patched = await linli.api('PATCH', `${P}/households/3-2-501`, { parkingSpaces: 2, areaM2: null, note: '一位多车' });
    expect(patched.body).toMatchObject({ id: '3-2-501', parkingSpaces: 2, areaM2: null, note: '一位多车' });
    const list = await linli.api('GET', `${P}/households?limit=3`);
    expect(list.body).toMatchObject({ total: 4, limit: 3, offset: 0 });
    expect(list.body.items.map((h: any) => h.id)).toEqual(['3-2-501', '3-2-1201', '10-1-101']);
    expect((await linli.api('GET', `${P}/households?limit=3&offset=3`)).body.items.map((h: any) => h.id)).toEqual(['A-1-101']);
    expect((await linli.api('GET', `${P}/households?building=3`)).body.total).toBe(2);
    expect((await linli.api('GET', `${P}/households/9-9-999`)).status).toBe(404);
    expect((await linli.api('GET', '/api/estates/nowhere/households')).status).toBe(404);
  });
});

describe('residents, vehicles and cards', () => {
  let zhang: any;
  it('residents: the first is the primary contact; naming another primary moves it', async () => {
    zhang = (await linli.api('POST', `${P}/residents`, { householdId: '3-2-501', name: '张三', phone: '13800138000', username: 'zhang3' })).body;
    expect(zhang).toMatchObject({ householdId: '3-2-501', isPrimary: true, username: 'zhang3' });
    const wife = (await linli.api('POST', `${P}/residents`, { householdId: '3-2-501', name: '王芳', isPrimary: true })).body;
    expect(wife.isPrimary).toBe(true);
    expect((await linli.api('GET', `${P}/residents/${zhang.id}`)).body.isPrimary).toBe(false);
    const noHome = await linli.api('POST', `${P}/residents`, { householdId: '7-7-707', name: '无名' });
    expect(noHome.body.message).toMatch(/^body\.householdId: no household 7-7-707/);
    expect((await linli.api('PATCH', `${P}/residents/${wife.id}`, { phone: '027-87654321' })).body.phone).toBe('027-87654321');
    expect((await linli.api('GET', `${P}/residents?householdId=3-2-501`)).body.total).toBe(2);
  });

  it('vehicles: plates are normalised and validated; class rules hold on create and patch', async () => {
    const v = await linli.api('POST', `${P}/vehicles`, { plate: '鄂ａ·12345', householdId: '3-2-501', color: 'blue' });
    expect(v).toMatchObject({ status: 201, body: { plate: '鄂A12345', class: 'resident', householdId: '3-2-501' } });
    expect((await linli.api('POST', `${P}/vehicles`, { plate: '鄂A 12345', householdId: '3-2-501' })).status).toBe(409);
    const bad = await linli.api('POST', `${P}/vehicles`, { plate: '鄂A1234', householdId: '3-2-501' });
    expect(bad.body.message).toMatch(/^body\.plate: too short/);
    const orphan = await linli.api('POST', `${P}/vehicles`, { plate: '鄂B12345' });
    expect(orphan.body.message).toMatch(/^body\.householdId: a resident vehicle belongs to a household/);
    const monthly = await linli.api('POST', `${P}/vehicles`, { plate: '鄂B12345', class: 'monthly' });
    expect(monthly.body.message).toMatch(/^body\.validUntil: a monthly pass needs/);
    const pass = await linli.api('POST', `${P}/vehicles`, { plate: '鄂B12345', class: 'monthly', validFrom: '2025-01-01', validUntil: '2025-12-31' });
    expect(pass.status).toBe(201);
    expect((await linli.api('PATCH', `${P}/vehicles/${plate('鄂B12345')}`, { validFrom: '2026-01-01' })).body.message).toMatch(/^body\.validUntil: is before validFrom/);
    expect((await linli.api('POST', `${P}/vehicles`, { plate: '鄂A00000', class: 'blacklist', note: '多次冲卡' })).status).toBe(201);
    expect((await linli.api('POST', `${P}/vehicles`, { plate: '鄂A12399', householdId: '3-2-1201' })).status).toBe(201);

    const got = await linli.api('GET', `${P}/vehicles/${plate('鄂a12345')}`);
    expect(got.body).toMatchObject({ plate: '鄂A12345', color: 'blue' });
    expect((await linli.api('PATCH', `${P}/vehicles/${plate('鄂A12345')}`, { color: 'green', note: '新能源' })).body).toMatchObject({ color: 'green', note: '新能源', class: 'resident' });
    expect((await linli.api('GET', `${P}/vehicles?class=monthly`)).body.items.map((x: any) => x.plate)).toEqual(['鄂B12345']);
    expect((await linli.api('GET', `${P}/vehicles?householdId=3-2-501`)).body.total).toBe(1);
  });

  it('cards: belong to a household, optionally to one of its residents', async () => {
    const c = await linli.api('POST', `${P}/cards`, { cardId: 'IC-0001', householdId: '3-2-501', residentId: zhang.id, purposes: ['elevator', 'elevator'] });
    expect(c).toMatchObject({ status: 201, body: { cardId: 'IC-0001', status: 'active', purposes: ['elevator'], residentId: zhang.id } });
    const elsewhere = await linli.api('POST', `${P}/cards`, { cardId: 'IC-0002', householdId: '10-1-101', residentId: zhang.id });
    expect(elsewhere.body.message).toMatch(/^body\.residentId: .* is not a resident of household 10-1-101/);
    expect((await linli.api('POST', `${P}/cards`, { cardId: 'IC 0002', householdId: '10-1-101' })).body.message).toMatch(/^body\.cardId/);
    expect((await linli.api('PATCH', `${P}/cards/IC-0001`, { status: 'frozen' })).body.status).toBe('frozen');
    expect((await linli.api('GET', `${P}/cards?status=frozen&purpose=elevator`)).body.total).toBe(1);
    expect((await linli.api('GET', `${P}/cards?purpose=charger`)).body.total).toBe(0);
  });

  it('a household detail lists its residents, vehicles and cards; the list shows counts and plates', async () => {
    const h = (await linli.api('GET', `${P}/households/3-2-501`)).body;
    expect(h.residents).toHaveLength(2);
    expect(h.vehicles.map((v: any) => v.plate)).toEqual(['鄂A12345']);
    expect(h.cards.map((c: any) => c.cardId)).toEqual(['IC-0001']);
    const item = (await linli.api('GET', `${P}/households?building=3`)).body.items.find((x: any) => x.id === '3-2-501');
    expect(item).toMatchObject({ residentCount: 2, cardCount: 1, plates: ['鄂A12345'] });
  });

  it('deleting a resident keeps their cards with the household', async () => {
    const r = (await linli.api('POST', `${P}/residents`, { householdId: '3-2-1201', name: '赵六' })).body;
    await linli.api('POST', `${P}/cards`, { cardId: 'IC-0009', householdId: '3-2-1201', residentId: r.id });
    expect((await linli.api('DELETE', `${P}/residents/${r.id}`)).status).toBe(200);
    expect((await linli.api('GET', `${P}/cards/IC-0009`)).body).toMatchObject({ householdId: '3-2-1201', residentId: null });
  });

  it('a household with people, cars or cards is deleted only with ?cascade=true', async () => {
    const refused = await linli.api('DELETE', `${P}/households/3-2-1201`);
    expect(refused).toMatchObject({ status: 409, body: { code: 'HAS_DEPENDENTS' } });
    expect(refused.body.message).toMatch(/0 resident\(s\), 1 vehicle\(s\), 1 card\(s\).*cascade=true/);
    const gone = await linli.api('DELETE', `${P}/households/3-2-1201?cascade=true`);
    expect(gone.body).toEqual({ id: '3-2-1201', removed: { residents: 0, vehicles: 1, cards: 1 } });
    expect((await linli.api('GET', `${P}/vehicles/${plate('鄂A12399')}`)).status).toBe(404);
    expect((await linli.api('GET', `${P}/cards/IC-0009`)).status).toBe(404);
    expect((await linli.api('DELETE', `${P}/households/A-1-101`)).status).toBe(200);
    expect((await linli.api('DELETE', `${P}/vehicles/${plate('鄂A00000')}`)).body).toEqual({ plate: '鄂A00000' });
  });
});

describe('who sees and does what', () => {
  it('a resident cannot create or read the register, but sees their own household’s vehicles in full', async () => {
    const res = await as('resident')('POST', `${P}/vehicles`, { plate: '鄂C12345', householdId: '3-2-501' });
    expect(res.status).toBe(403);
    expect((await as('resident')('GET', `${P}/households`)).status).toBe(403);
    expect((await as('resident')('GET', `${P}/vehicles`)).status).toBe(403);
    const mine = await as('resident')('GET', '/api/me/vehicles');
    expect(mine.body.items.map((v: any) => [v.estateId, v.plate])).toEqual([[E, '鄂A12345']]);
    expect((await as('neighbour')('GET', '/api/me/vehicles')).body.items).toEqual([]);
  });

  it('a volunteer lists households and vehicles with plates and card ids masked, and cannot look plates up', async () => {
    const vol = as('volunteer');
    const households = (await vol('GET', `${P}/households?building=3`)).body.items;
    expect(households.find((h: any) => h.id === '3-2-501').plates).toEqual(['鄂A***45']);
    const detail = (await vol('GET', `${P}/households/3-2-501`)).body;
    expect(detail.vehicles.map((v: any) => v.plate)).toEqual(['鄂A***45']);
    expect(detail.cards.map((c: any) => c.cardId)).toEqual(['***001']);
    const vehicles = (await vol('GET', `${P}/vehicles`)).body.items.map((v: any) => v.plate);
    expect(vehicles).toEqual(['鄂A***45', '鄂B***45']);
    expect(JSON.stringify(await vol('GET', `${P}/cards`))).not.toContain('IC-0001');
    expect((await vol('GET', `${P}/vehicles?plate=鄂A1`)).status).toBe(403);
    expect((await vol('GET', `${P}/vehicles/${plate('鄂A12345')}`)).status).toBe(403);
    expect((await vol('PATCH', `${P}/households/3-2-501`, { note: 'x' })).status).toBe(403);
  });

  it('a guard looks a car up by plate ("did this car come in?") but sees it masked, and edits nothing', async () => {
    const g = as('guard');
    expect((await g('GET', `${P}/vehicles?plate=${plate('鄂A12')}`)).body.items.map((v: any) => v.plate)).toEqual(['鄂A***45']);
    const found = await g('GET', `${P}/vehicles/${plate('鄂A12345')}`);
    expect([found.status, found.body.plate, found.body.householdId]).toEqual([200, '鄂A***45', '3-2-501']);
    expect((await g('POST', `${P}/households`, { building: '5', unit: '1', room: '101' })).status).toBe(403);
    expect((await g('DELETE', `${P}/vehicles/${plate('鄂A12345')}`)).status).toBe(403);
  });
});

describe('docs', () => {
  it('the OpenAPI document describes the register routes', async () => {
    const doc = await (await fetch(`${linli.url}/docs/json`)).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/estates/{estateId}/households', '/api/estates/{estateId}/vehicles/{plate}', '/api/estates/{estateId}/import/households', '/api/me/vehicles']),
    );
  });
});
