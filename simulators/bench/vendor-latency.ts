import type { LinliApi } from '../estate/api-client.js';
import { benchCharter } from './plate-latency.js';

/**
 * 臻识 Vzenith HTTP push of a plate → the HTTP answer that opens the arm,
 * measured where the camera feels it: from the POST leaving this process to the
 * answer's last byte, one request at a time as a camera sends them, over a
 * kept-alive connection. Between the two the server decodes the push, stores the
 * plate.read (fsynced group commit), lets the rules decide, and writes the
 * decision into the answer with the LED/voice frames.
 */
export async function measureVendorPlateToOpen(api: LinliApi, httpUrl: string, estateId: string, samples: number): Promise<number[]> {
  const gateId = 'bench-vz-gate';
  await api.expect([201, 409], 'POST', '/api/estates', { id: estateId, name: '基准测试小区（臻识相机）' });
  const cam = await api.expect<{ connect: { pushUrl: string } }>([201], 'POST', `/api/estates/${estateId}/devices`, {
    id: 'bench-vz-cam',
    kind: 'camera',
    vendor: 'vzenith',
    serialNo: 'be4c0001-00000001',
    transport: 'http',
    gateId,
    direction: 'in',
  });
  await api.expect([201], 'POST', `/api/estates/${estateId}/charter/versions`, benchCharter(gateId));
  // The camera reaches the server at the address registration gave it; here, the bench's own.
  const url = new URL(new URL(cam.body.connect.pushUrl).pathname, httpUrl).toString();
  const latencies: number[] = [];
  for (let i = -5; i < samples; i++) {
    const plate = `鄂B${String(20000 + i + 5).padStart(5, '0')}`;
    const body = platePush(plate, 50_000 + i + 5);
    const t0 = process.hrtime.bigint();
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const text = await res.text();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const opened = res.status === 200 && (JSON.parse(text) as { Response_AlarmInfoPlate?: { info?: string } }).Response_AlarmInfoPlate?.info === 'ok';
    if (!opened) throw new Error(`the camera's push of ${plate} was answered ${res.status} ${text.slice(0, 200)}: not an opening answer`);
    if (i >= 0) latencies.push(ms); // the first few warm the connection and the rules
    await new Promise((r) => setTimeout(r, 20));
  }
  return latencies.sort((a, b) => a - b);
}

/** An R5 AlarmInfoPlate as the camera sends it (vendor "HTTP 推送" §2.1), no images, captured now. */
function platePush(license: string, plateid: number): string {
  const now = Date.now();
  const bj = new Date(now + 8 * 3_600_000);
  return JSON.stringify({
    AlarmInfoPlate: {
      channel: 0,
      deviceName: 'R5-V1.0',
      ipaddr: '192.168.55.131',
      result: {
        PlateResult: {
          colorType: 1,
          confidence: 96,
          direction: 0,
          imageFile: '',
          imageFileLen: 0,
          imageFragmentFile: '',
          imageFragmentFileLen: 0,
          gioouts: [{ ctrltype: 0, ionum: '0' }],
          is_fake_plate: 0,
          isoffline: 0,
          license,
          plateid,
          plates: [{ color: 1, license, type: 1 }],
          timeStamp: {
            Timeval: { decday: bj.getUTCDate(), dechour: bj.getUTCHours(), decmin: bj.getUTCMinutes(), decmon: bj.getUTCMonth() + 1, decsec: bj.getUTCSeconds(), decyear: bj.getUTCFullYear(), sec: Math.floor(now / 1000), usec: (now % 1000) * 1000 },
          },
          triggerType: 4,
          type: 1,
        },
      },
      rule_id: 1,
      serialno: 'be4c0001-00000001',
      user_data: '',
    },
  });
}
