import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { anAck, connectDevice, type TestDevice } from '../support/devices.js';
import { registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

const E = 'estate-cmd';
let linli: TestLinli;
let gate: TestDevice;
let live: WebSocket;
const liveMessages: any[] = [];

beforeAll(async () => {
  // A short ack window keeps the resend path fast to test; production default is 10 s.
  linli = await startTestLinli({ LINLI_CMD_ACK_TIMEOUT_MS: '400' });
  const secret = await registerDevice(linli, E, { id: 'gate-e1', kind: 'gate' });
  gate = await connectDevice(linli.mqttUrl, E, 'gate-e1', secret);
  await gate.client.subscribeAsync(gate.topic('cmd'), { qos: 1 });
  live = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${linli.token}`);
  live.on('message', (m) => liveMessages.push(JSON.parse(m.toString())));
  await new Promise((r) => live.once('open', r));
});
afterAll(async () => {
  live.close();
  await gate.close();
  await linli.stop();
});

const commandRow = async (cmdId: string) =>
  (await linli.api('GET', `/api/estates/${E}/commands?deviceId=gate-e1`)).body.items.find((c: any) => c.cmdId === cmdId);

describe('commands', () => {
  it('a command reaches the gate, its ack is matched, and the outcome is stored and pushed live', async () => {
    const res = await linli.api('POST', `/api/estates/${E}/devices/gate-e1/commands`, { type: 'display', display: '临时车 免费30分钟', voice: '欢迎光临' });
    expect(res.status).toBe(202);
    const cmdId = res.body.cmdId;
    const cmd = await waitFor(() => gate.commands.find((c) => c.cmdId === cmdId), 3000, 'command at gate');
    expect(cmd).toMatchObject({ type: 'display', display: '临时车 免费30分钟', id: cmdId });
    expect(Date.parse(cmd.expiresAt)).toBeGreaterThan(Date.now() - 1000);
    await gate.send('ack', anAck(cmdId));
    const row = await waitFor(async () => (await commandRow(cmdId))?.status === 'acked' && (await commandRow(cmdId)), 3000, 'acked');
    expect(row.attempts).toBe(1);
    expect(row.latencyMs).toBeGreaterThanOrEqual(0);
    await waitFor(() => liveMessages.find((m) => m.type === 'command.outcome' && m.cmdId === cmdId && m.status === 'acked'), 3000, 'live outcome');
  });

  it('a refusal from the device is recorded with its error', async () => {
    const { cmdId } = (await linli.api('POST', `/api/estates/${E}/devices/gate-e1/commands`, { type: 'display', display: '暂停服务' })).body;
    await waitFor(() => gate.commands.find((c) => c.cmdId === cmdId));
    await gate.send('ack', anAck(cmdId, { ok: false, error: 'expired' }));
    const row = await waitFor(async () => (await commandRow(cmdId))?.status === 'rejected' && (await commandRow(cmdId)));
    expect(row.error).toBe('expired');
  });

  it('an unacked command is resent once with the same cmdId and a fresh expiry, then marked failed', async () => {
    const { cmdId } = (await linli.api('POST', `/api/estates/${E}/devices/gate-e1/commands`, { type: 'display', display: '请稍候' })).body;
    const row = await waitFor(async () => (await commandRow(cmdId))?.status === 'failed' && (await commandRow(cmdId)), 5000, 'failed');
    const copies = gate.commands.filter((c) => c.cmdId === cmdId);
    expect(copies).toHaveLength(2);
    expect(Date.parse(copies[1]!.expiresAt)).toBeGreaterThan(Date.parse(copies[0]!.expiresAt));
    expect(row).toMatchObject({ attempts: 2, error: 'no ack' });
    const statuses = liveMessages.filter((m) => m.cmdId === cmdId).map((m) => m.status);
    expect(statuses).toEqual(['resent', 'failed']);
    // a late ack after failure changes nothing
    await gate.send('ack', anAck(cmdId));
    expect((await commandRow(cmdId)).status).toBe('failed');
  });

  it('a command that would break the contract is refused before it is sent, naming the field', async () => {
    const res = await linli.api('POST', `/api/estates/${E}/devices/gate-e1/commands`, { type: 'open', display: '欢迎' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/body\.direction/);
    const unknown = await linli.api('POST', `/api/estates/${E}/devices/gate-e1/commands`, { type: 'self-destruct' });
    expect(unknown.status).toBe(400);
  });
});
