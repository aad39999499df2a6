import { describe, expect, it } from 'vitest';
import { callAddress, checkVendorFields, drivesItsGate, pushesHttp, VENDORS, withoutVendorFields } from '../../server/vendors/registration.js';
import { connectFor, httpBaseOf, newPushToken, PUSH_TOKEN, tokenHash, type Endpoints } from '../../server/vendors/connect.js';

/** Registration of devices bought from vendors (issue 12): the fields beyond the kind's, and what the answer tells the committee. */

const ok = (r: ReturnType<typeof checkVendorFields>) => {
  if (!r.ok) throw new Error(r.message);
  return r.choice;
};

describe('checkVendorFields', () => {
  it('a device without vendor fields is a Linli device over MQTT, as before', () => {
    expect(ok(checkVendorFields('gate', {}))).toEqual({ vendor: 'linli', transport: 'mqtt', serialNo: null, settings: {} });
    expect(ok(checkVendorFields('camera', { gateId: 'g1', direction: 'in' }))).toMatchObject({ vendor: 'linli' });
  });

  it('a 臻识 camera: serialno required and checked, HTTP by default, its settings filled with defaults', () => {
    const c = ok(checkVendorFields('camera', { vendor: 'vzenith', serialNo: 'fe71e106-57263272' }));
    expect(c).toMatchObject({ vendor: 'vzenith', transport: 'http', serialNo: 'fe71e106-57263272' });
    expect(c.settings).toMatchObject({ heartbeat: 'comet', heartbeatS: 30, replyWaitMs: 1500, cometHoldMs: 1000, open: { via: 'info' }, voice: { via: 'board' } });
    expect(ok(checkVendorFields('camera', { vendor: 'vzenith', serialNo: 'fe71e106-57263272', transport: 'mqtt' })).transport).toBe('mqtt');
    const tuned = ok(checkVendorFields('camera', { vendor: 'vzenith', serialNo: 'a-1', vendorSettings: { heartbeat: 'plain', open: { via: 'ioctrl', io: 1 }, board: { maxLines: 2 } } }));
    expect(tuned.settings).toMatchObject({ heartbeat: 'plain', open: { via: 'ioctrl', io: 1, pulseMs: 500 }, board: { address: 0, maxLines: 2, maxLineBytes: 32 } });
  });

  it('a Hikvision camera: address, login and password required; the password is the secret, never a setting', () => {
    const c = ok(checkVendorFields('camera', { vendor: 'hikvision', serialNo: 'DS-2CD-E123', address: '192.168.1.64:8080', username: 'linli', password: 'p@ss word' }));
    expect(c).toMatchObject({ vendor: 'hikvision', transport: 'http', call: { address: 'http://192.168.1.64:8080', username: 'linli' }, secret: 'p@ss word' });
    expect(JSON.stringify(c.settings)).not.toContain('p@ss');
  });

  it('JUY by IMEI over TCP (or MQTT), elevator boxes by eid over TCP', () => {
    expect(ok(checkVendorFields('charger', { vendor: 'juy', serialNo: '867924030000001', ports: 10 }))).toMatchObject({ transport: 'tcp', serialNo: '867924030000001' });
    expect(ok(checkVendorFields('charger', { vendor: 'juy', serialNo: '867924030000001', transport: 'mqtt' })).transport).toBe('mqtt');
    expect(ok(checkVendorFields('elevator', { vendor: 'elevatorcloud', serialNo: 'E-0042' }))).toMatchObject({ transport: 'tcp', serialNo: 'E-0042' });
  });

  it.each([
    ['camera', { vendor: 'acme' }, /^body\.vendor: /],
    ['charger', { vendor: 'vzenith', serialNo: 'a-1' }, /^body\.vendor: a vzenith device is registered as camera, not as a charger/],
    ['camera', { vendor: 'vzenith' }, /^body\.serialNo: required for a vzenith device/],
    ['camera', { vendor: 'vzenith', serialNo: 'has space' }, /^body\.serialNo: must be/],
    ['camera', { vendor: 'vzenith', serialNo: 'x'.repeat(33) }, /^body\.serialNo: /],
    ['camera', { vendor: 'vzenith', serialNo: 'a-1', transport: 'tcp' }, /^body\.transport: a vzenith camera speaks http or mqtt, not tcp/],
    ['camera', { vendor: 'vzenith', serialNo: 'a-1', transport: 'udp' }, /^body\.transport: /],
    ['camera', { vendor: 'vzenith', serialNo: 'a-1', vendorSettings: { heartbeatS: 0 } }, /^body\.vendorSettings\.heartbeatS: /],
    ['camera', { vendor: 'vzenith', serialNo: 'a-1', vendorSettings: { colour: 'red' } }, /^body\.vendorSettings: /],
    ['camera', { vendor: 'vzenith', serialNo: 'a-1', vendorSettings: { open: { via: 'ioctrl', io: 7 } } }, /^body\.vendorSettings\.open\.io: /],
    ['camera', { vendor: 'vzenith', serialNo: 'a-1', password: 'x' }, /^body\.password: only a camera Linli calls/],
    ['camera', { vendor: 'hikvision', serialNo: 'h-1', username: 'u', password: 'p' }, /^body\.address: required/],
    ['camera', { vendor: 'hikvision', serialNo: 'h-1', address: 'ftp://cam', username: 'u', password: 'p' }, /^body\.address: must be/],
    ['camera', { vendor: 'hikvision', serialNo: 'h-1', address: 'http://admin:pw@cam', username: 'u', password: 'p' }, /^body\.address: must be/],
    ['camera', { vendor: 'hikvision', serialNo: 'h-1', address: 'cam', password: 'p' }, /^body\.username: required/],
    ['camera', { vendor: 'hikvision', serialNo: 'h-1', address: 'cam', username: 'u' }, /^body\.password: required/],
    ['charger', { vendor: 'juy', serialNo: '12345' }, /^body\.serialNo: must be the controller’s IMEI/],
    ['elevator', { vendor: 'elevatorcloud', serialNo: 'E-1', transport: 'http' }, /^body\.transport: /],
    ['gate', { vendor: 'linli', transport: 'http' }, /^body\.transport: a linli gate speaks mqtt/],
    ['gate', { vendor: 'linli', vendorSettings: { a: 1 } }, /^body\.vendorSettings: a linli device takes none/],
  ] as const)('%s %j → %s', (kind, body, message) => {
    const r = checkVendorFields(kind, body as Record<string, unknown>);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
    expect(!r.ok && r.field).toMatch(/^body\./);
  });

  it('every vendor of the contract is known, and the kind’s own fields pass through untouched', () => {
    expect([...VENDORS]).toEqual(['linli', 'vzenith', 'hikvision', 'juy', 'elevatorcloud']);
    expect(withoutVendorFields({ vendor: 'vzenith', serialNo: 'a', transport: 'http', address: 'x', username: 'u', password: 'p', vendorSettings: {}, gateId: 'g', direction: 'in' })).toEqual({ gateId: 'g', direction: 'in' });
    expect(pushesHttp({ vendor: 'vzenith', transport: 'http' })).toBe(true);
    expect(pushesHttp({ vendor: 'vzenith', transport: 'mqtt' })).toBe(false);
    expect(drivesItsGate({ vendor: 'vzenith', transport: 'http' }, 'camera')).toBe(true);
    expect(drivesItsGate({ vendor: 'linli', transport: 'mqtt' }, 'camera')).toBe(false);
  });

  it('callAddress takes a host, host:port or http(s) URL and nothing with a login in it', () => {
    expect(callAddress('192.168.1.64')).toBe('http://192.168.1.64');
    expect(callAddress('https://cam.local:8443/ISAPI')).toBe('https://cam.local:8443');
    expect(callAddress('javascript:alert(1)')).toBeUndefined();
    expect(callAddress('http://u:p@cam')).toBeUndefined();
  });
});

describe('connect: what the committee types into the device', () => {
  const endpoints: Endpoints = { httpBase: 'http://192.168.1.10:3000', mqtt: { host: '192.168.1.10', port: 1883 }, tcp: {} };
  const running = (name: string) => name === 'vzenith-http';
  const vz = ok(checkVendorFields('camera', { vendor: 'vzenith', serialNo: 'fe71e106-57263272' }));

  it('a 臻识 camera over HTTP: the push URL with its token, split as the camera’s page asks, in Chinese and English', () => {
    const { token } = newPushToken();
    const c = connectFor({ id: 'cam-1', secret: 's', choice: vz, token, gateId: 'gate-1', endpoints, running });
    expect(c.pushUrl).toBe(`http://192.168.1.10:3000/vendor/vzenith/${token}`);
    expect(c.http).toEqual({ host: '192.168.1.10', port: 3000, path: `/vendor/vzenith/${token}`, ssl: false });
    expect(c.instructions.zh).toContain('地址填 192.168.1.10，端口填 3000');
    expect(c.instructions.zh).toContain(`推送地址（URL）填 /vendor/vzenith/${token}`);
    expect(c.instructions.zh).toContain('comet 轮询');
    expect(c.instructions.zh).toContain('fe71e106-57263272');
    expect(c.instructions.zh).toContain('道闸 gate-1');
    expect(c.instructions.en).toContain('port 3000');
    expect(c.notice).toBeUndefined();
    expect(c.mqtt).toBeUndefined();
  });

  it('an MQTT device gets the broker, its id and its secret; a transport not running yet gets a notice, not a pretence', () => {
    const linli = connectFor({ id: 'gate-1', secret: 'sek', choice: ok(checkVendorFields('gate', {})), endpoints, running });
    expect(linli.mqtt).toEqual({ host: '192.168.1.10', port: 1883, clientId: 'gate-1', username: 'gate-1', password: 'sek' });
    expect(linli.notice).toBeUndefined();
    const vzMqtt = connectFor({ id: 'cam-2', secret: 'sek', choice: { ...vz, transport: 'mqtt' }, endpoints, running });
    expect(vzMqtt.mqtt).toMatchObject({ clientId: 'cam-2' });
    expect(vzMqtt.notice?.en).toContain('does not yet take vzenith devices over MQTT');
  });

  it('a TCP device: connect.tcp only where a listener runs', () => {
    const juy = ok(checkVendorFields('charger', { vendor: 'juy', serialNo: '867924030000001' }));
    expect(connectFor({ id: 's', secret: 'x', choice: juy, endpoints, running }).tcp).toBeUndefined();
    const listening = connectFor({ id: 's', secret: 'x', choice: juy, endpoints: { ...endpoints, tcp: { juy: { host: '192.168.1.10', port: 9001 } } }, running: () => true });
    expect(listening.tcp).toEqual({ host: '192.168.1.10', port: 9001 });
    expect(listening.instructions.zh).toContain('端口 9001');
  });

  it('tokens are 43 base64url characters, random, and only their SHA-256 is kept', () => {
    const a = newPushToken();
    const b = newPushToken();
    expect(a.token).toMatch(PUSH_TOKEN);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(tokenHash(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.token);
  });

  it('the address devices reach: LINLI_PUBLIC_URL, else the listen address, else (listening everywhere) a LAN address', () => {
    expect(httpBaseOf('https://linli.example.org/', '127.0.0.1', 3000)).toBe('https://linli.example.org');
    expect(httpBaseOf(undefined, '192.168.1.10', 3000)).toBe('http://192.168.1.10:3000');
    expect(httpBaseOf(undefined, '0.0.0.0', 3000)).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:3000$/);
  });
});
