import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePush, decodeReply, encodeReply } from '../../devices/vendors/vzenith/index.js';

/** What the HTTP transport needs of the codec beyond the golden tests (issue 12): the plateid echo, and no throw on deep bodies. */

const FIXTURE = readFileSync(join(import.meta.dirname, '../../../shared/fixtures/devices/lpr-vzenith/http-alarminfoplate-r5.json'), 'utf8');
const ctx = { receivedAt: '2023-06-09T08:40:00.000Z', direction: 'in' as const, contentType: 'application/json' };

describe('the answer to a live plate result echoes its plateid (§2.1.2 item 4)', () => {
  it('alone, when there is nothing to do', () => {
    const r = encodeReply({ plateId: 21085 });
    expect(r.ok && r.json).toBe('{"Response_AlarmInfoPlate":{"plateid":21085}}');
    expect(decodeReply(r.ok ? r.json : '')).toMatchObject({ ok: true, reply: { idle: false, serial: [] } });
  });

  it('beside a command, after the vendor-ordered keys', () => {
    const cmd = { id: 'c1', ts: '2023-06-09T08:40:00.000Z', cmdId: 'c1', type: 'open', direction: 'in', display: '业主车辆 欢迎回家', expiresAt: '2099-01-01T00:00:00.000Z' };
    const r = encodeReply({ command: cmd, plateId: 7 });
    expect(r.ok && Object.keys(r.body.Response_AlarmInfoPlate as object)).toEqual(['info', 'serialData', 'plateid']);
    expect(encodeReply({ plateId: -1 })).toMatchObject({ ok: false, field: 'plateid' });
  });
});

describe('a push nested deeper than any real one is a dead letter, not a stack overflow', () => {
  it.each([100, 100_000, 1_000_000])('%i levels', (depth) => {
    const body = FIXTURE.replace('"rule_id": 1,', `"rule_id": 1, "x": ${'['.repeat(depth)}${']'.repeat(depth)},`);
    expect(decodePush(body, ctx)).toMatchObject({ ok: false, reason: 'schema', message: expect.stringContaining('nested deeper than 64 levels') });
  });

  it('brackets inside strings do not count', () => {
    const body = FIXTURE.replace('"user_data": ""', `"user_data": "${'['.repeat(200)}\\"${'{'.repeat(200)}"`);
    expect(decodePush(body, ctx)).toMatchObject({ ok: true });
  });
});
