import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCharterVersion } from '../support/charter.js';
import { anAck, aPlateRead, connectDevice, type TestDevice } from '../support/devices.js';
import { waitFor } from '../support/linli.js';
import { A, startTwoEstates, type TwoEstates } from './two-estates.js';

/*
 * Issue 11, finding 2: plates reached volunteers in full wherever the key was not
 * `plate` (plateRead, candidates, and inside explain, display and voice). Masking is
 * now by role over the whole answer: only the committee reads plates in full; guards
 * and volunteers get 鄂A***45 everywhere; a volunteer may not look a plate up at all.
 */

const P = `/api/estates/${A}`;
/** A full plate: province + letter + 5–6 characters, none masked (with or without a separator). */
const FULL_PLATE = /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·\s]?[A-Z0-9]{5,6}/g;
const fullPlates = (x: unknown) => JSON.stringify(x).match(FULL_PLATE) ?? [];
/** The fields the issue names, wherever they sit in an answer. */
const NAMED = new Set(['plateRead', 'candidates', 'explain', 'display', 'voice']);
function namedFields(x: unknown, out: Record<string, unknown[]> = {}): Record<string, unknown[]> {
  if (Array.isArray(x)) x.forEach((v) => namedFields(v, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (NAMED.has(k) && v !== undefined && v !== null) (out[k] ??= []).push(v);
      namedFields(v, out);
    }
  }
  return out;
}

let t: TwoEstates;
let gate: TestDevice;
let camIn: TestDevice;
let camOut: TestDevice;
const live: Record<string, any[]> = {};

const read = (cam: TestDevice, plate: string) => cam.send('event', aPlateRead({ plate, confidence: 0.97 }));

beforeAll(async () => {
  t = await startTwoEstates();
  const committee = t.accounts[A]!.committee;
  const c = (method: string, path: string, body?: unknown) => t.as(committee, method, path, body);
  const secrets: Record<string, string> = {};
  for (const d of [
    { id: 'gate-a1', kind: 'gate', name: '北门道闸' },
    { id: 'cam-a1-in', kind: 'camera', gateId: 'gate-a1', direction: 'in' },
    { id: 'cam-a1-out', kind: 'camera', gateId: 'gate-a1', direction: 'out' },
  ]) {
    const r = await c('POST', `${P}/devices`, d);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    secrets[d.id] = r.body.secret;
  }
  // A window pass named after the van it lets in: the LED board and the voice say its plate.
  const charter = aCharterVersion((p) => {
    p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 50, reservedForResidents: 10, gates: ['gate-a1'] }];
    p.windowPasses = [{ id: 'milk', clause: '2.10', name: '鄂A66666 送奶车', plates: ['鄂A66666'], lotId: 'lot-main', from: '00:00', to: '23:59' }];
  });
  const setup = [
    await c('POST', `${P}/charter/versions`, charter),
    await c('POST', `${P}/households`, { building: '3', unit: '2', room: '501', parkingSpaces: 1 }),
    await c('POST', `${P}/vehicles`, { plate: '鄂A12345', class: 'resident', householdId: '3-2-501' }),
    await c('POST', `${P}/cards`, { cardId: 'IC-300501', householdId: '3-2-501' }),
    await c('POST', `${P}/residents`, { householdId: '3-2-501', name: '王小芳', phone: '13812345678', username: t.accounts[A]!.resident.username }),
  ];
  expect(setup.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);

  for (const role of ['committee', 'volunteer', 'guard'] as const) live[role] = (await t.live(t.accounts[A]![role].token)).messages;
  gate = await connectDevice(t.linli.mqttUrl, A, 'gate-a1', secrets['gate-a1']!);
  gate.client.on('message', (topic, payload) => {
    if (topic === gate.topic('cmd')) void gate.send('ack', anAck(JSON.parse(payload.toString()).cmdId));
  });
  await gate.client.subscribeAsync(gate.topic('cmd'), { qos: 1 });
  camIn = await connectDevice(t.linli.mqttUrl, A, 'cam-a1-in', secrets['cam-a1-in']!);
  camOut = await connectDevice(t.linli.mqttUrl, A, 'cam-a1-out', secrets['cam-a1-out']!);

  // A resident's car in, the milk van in (its plate on the board), a visitor in, and an exit with no entry (candidates).
  for (const [cam, plate] of [[camIn, '鄂A12345'], [camIn, '鄂A66666'], [camIn, '湘A88888'], [camOut, '粤B55555']] as const) {
    const n = gate.commands.length;
    await read(cam, plate);
    await waitFor(() => gate.commands.length > n, 3000, `the gate's command for ${plate}`);
  }
  await waitFor(() => live.committee!.filter((m) => m.type === 'parking.decision').length === 4, 3000, 'four decisions live');
  await waitFor(() => live.volunteer!.filter((m) => m.type === 'parking.decision').length === 4, 3000, 'four decisions to the volunteer');
});

afterAll(async () => {
  for (const d of [gate, camIn, camOut]) await d?.close();
  await t?.stop();
});

describe('a volunteer and a guard read no full plate, whatever the key', () => {
  for (const role of ['volunteer', 'guard'] as const) {
    it(`…/parking/decisions as a ${role}: plateRead, candidates, explain, display carry no full plate`, async () => {
      const r = await t.as(t.accounts[A]![role], 'GET', `${P}/parking/decisions`);
      expect(r.status).toBe(200);
      expect(r.body.items).toHaveLength(4);
      const named = namedFields(r.body);
      expect(Object.keys(named).sort()).toEqual(['display', 'explain', 'plateRead']);
      expect(named.plateRead!.sort()).toEqual(['湘A***88', '粤B***55', '鄂A***45', '鄂A***66']);
      expect(named.display).toContain('鄂A***66 送奶车 欢迎');
      expect(fullPlates(r.body)).toEqual([]);
    });

    it(`…/parking/lanes as a ${role}: the last decision per lane carries no full plate`, async () => {
      const r = await t.as(t.accounts[A]![role], 'GET', `${P}/parking/lanes`);
      expect(r.status).toBe(200);
      const g = r.body.lots[0].gates[0];
      expect([g.lastIn.plateRead, g.lastOut.plateRead]).toEqual(['湘A***88', '粤B***55']);
      expect(fullPlates(r.body)).toEqual([]);
    });

    it(`the live parking.decision to a ${role}: plateRead, candidates, explain, display carry no full plate`, async () => {
      const decisions = live[role]!.filter((m) => m.type === 'parking.decision');
      const named = namedFields(decisions);
      expect(named.plateRead!.sort()).toEqual(['湘A***88', '粤B***55', '鄂A***45', '鄂A***66']);
      // The exit with no entry lists the cars inside as candidates, masked too.
      const unmatched = decisions.find((m) => m.plateRead === '粤B***55');
      expect(unmatched.candidates.map((c: any) => c.plate).sort()).toEqual(['湘A***88', '鄂A***45', '鄂A***66']);
      expect(named.explain!.join(' ')).toContain('鄂A***45');
      expect(fullPlates(live[role])).toEqual([]);
    });

    it(`the gate's commands as a ${role}: display and voice carry no full plate`, async () => {
      const r = await t.as(t.accounts[A]![role], 'GET', `${P}/commands?deviceId=gate-a1`);
      const voices = r.body.items.map((c: any) => c.payload.voice);
      expect(voices).toContain('鄂A***66，送奶车，欢迎');
      expect(fullPlates(r.body)).toEqual([]);
    });
  }

  it('the committee still reads every one of them in full', async () => {
    const committee = t.accounts[A]!.committee;
    const decisions = (await t.as(committee, 'GET', `${P}/parking/decisions`)).body;
    expect(namedFields(decisions).plateRead!.sort()).toEqual(['湘A88888', '粤B55555', '鄂A12345', '鄂A66666']);
    expect(namedFields(decisions).display).toContain('鄂A66666 送奶车 欢迎');
    const lanes = (await t.as(committee, 'GET', `${P}/parking/lanes`)).body;
    expect(lanes.lots[0].gates[0].lastIn.plateRead).toBe('湘A88888');
    const pushed = live.committee!.find((m) => m.type === 'parking.decision' && m.plateRead === '粤B55555');
    expect(pushed.candidates.map((c: any) => c.plate).sort()).toEqual(['湘A88888', '鄂A12345', '鄂A66666']);
    const voices = (await t.as(committee, 'GET', `${P}/commands?deviceId=gate-a1`)).body.items.map((c: any) => c.payload.voice);
    expect(voices).toContain('鄂A66666，送奶车，欢迎');
    expect((await t.as(committee, 'GET', `${P}/vehicles/${encodeURIComponent('鄂A12345')}`)).body.plate).toBe('鄂A12345');
  });
});

describe('looking a car or a card up by plate or card id', () => {
  const lookups = [
    ['query.plate', `${P}/parking/decisions?plate=${encodeURIComponent('鄂A12345')}`],
    ['query.plate', `${P}/vehicles?plate=${encodeURIComponent('鄂A1')}`],
    ['params.plate', `${P}/vehicles/${encodeURIComponent('鄂A12345')}`],
    ['params.cardId', `${P}/cards/IC-300501`],
  ] as const;

  for (const [field, path] of lookups) {
    it(`a volunteer may not (${field}): 403 naming the field`, async () => {
      const r = await t.as(t.accounts[A]!.volunteer, 'GET', path);
      expect(r.status).toBe(403);
      expect(r.body.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: a volunteer may not look up`));
    });
  }

  it('a guard may ("did this car come in?"): the answer stays masked, and the read is audited', async () => {
    const guard = t.accounts[A]!.guard;
    const decisions = await t.as(guard, 'GET', lookups[0][1]);
    expect(decisions.status).toBe(200);
    expect(decisions.body.items.map((d: any) => d.plateRead)).toEqual(['鄂A***45']);
    const card = await t.as(guard, 'GET', lookups[3][1]);
    expect([card.status, card.body.cardId]).toEqual([200, '***501']);
    expect(fullPlates(decisions.body)).toEqual([]);
    const audit = (await t.as(t.accounts[A]!.committee, 'GET', `${P}/audit?username=${guard.username}`)).body.items;
    expect(audit.map((a: any) => [a.action, a.target])).toEqual(
      expect.arrayContaining([
        ['parking.plate-history.read', '鄂A12345'],
        ['cards.lookup.read', 'IC-300501'],
      ]),
    );
  });
});

describe('a resident', () => {
  it('sees their own household’s car, card, name and phone in full, and no one else’s plate', async () => {
    const resident = t.accounts[A]!.resident;
    const mine = await t.as(resident, 'GET', '/api/me/vehicles');
    expect(mine.body.items.map((v: any) => v.plate)).toEqual(['鄂A12345']);
    const stays = (await t.as(resident, 'GET', `${P}/parking/my-stays`)).body.items;
    expect(stays.map((s: any) => s.plate)).toEqual(['鄂A12345']);
    // The charter names the milk van's plate: the committee's business, not a neighbour's.
    const charter = (await t.as(resident, 'GET', `${P}/charter`)).body;
    expect(charter.document.parking.windowPasses[0]).toMatchObject({ name: '鄂A***66 送奶车', plates: ['鄂A***66'] });
    expect(fullPlates(charter)).toEqual([]);
    expect((await t.as(t.accounts[A]!.committee, 'GET', `${P}/charter`)).body.document.parking.windowPasses[0].plates).toEqual(['鄂A66666']);
  });

  it('a volunteer reads the resident masked: 王*芳, 138****5678, ***501', async () => {
    const h = (await t.as(t.accounts[A]!.volunteer, 'GET', `${P}/households/3-2-501`)).body;
    expect(h.residents.map((r: any) => [r.name, r.phone])).toEqual([['王*芳', '138****5678']]);
    expect(h.cards.map((c: any) => c.cardId)).toEqual(['***501']);
    expect(JSON.stringify(h)).not.toMatch(/王小芳|13812345678|IC-300501|鄂A12345/);
  });
});
