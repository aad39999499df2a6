import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Hikvision ISAPI entrance camera, as far as Linli sees one (issue 12, item 3):
 *
 * - it pushes `EventNotificationAlert` to its HTTP listening host (our push URL):
 *   ANPR reads as plain XML or as multipart/form-data with a JPEG, and heartbeats
 *   (`eventState` inactive) — the XML in the shape of the fixture
 *   `shared/fixtures/devices/lpr-hikvision/isapi-anpr-deepinview-v5.8.xml`;
 * - it serves the ISAPI calls Linli makes, behind HTTP Digest (MD5, qop auth, as
 *   the cameras ask): it challenges, checks every answer against its own login
 *   (its own MD5, not Linli's code), refuses a replayed `nc`, and keeps the
 *   barrier's state: `barrierGate` open/close/lock/unlock, `barrierGateStatus`
 *   (0 moving, 1 closed, 2 open), `voiceBroadcastInfo`, the LCD, and the plate
 *   list (`licensePlateAuditData` add, `DelLicensePlateAuditData`, `searchLPListAudit`
 *   in pages).
 *
 * A "locked" barrier answers an open with statusCode 1 and does not move, as
 * field notes say real ones do. Imports nothing of Linli's server or gateway.
 */

export interface HikvisionSimOptions {
  serialNo: string;
  username: string;
  password: string;
  /** The barrier is locked: opens are accepted (statusCode 1) and the arm stays down. */
  locked?: boolean;
  /** How long the arm takes to reach 开到位 (status 0 meanwhile). Default 150 ms. */
  armRiseMs?: number;
  /** The arm comes down by itself this long after it is fully open (the camera's auto-close). Default: stays open until closed. */
  autoCloseMs?: number;
  /** A nonce is good for this many uses; then a 401 with `stale=TRUE`. Default: unlimited. */
  nonceUses?: number;
  realm?: string;
}

export interface SimCall {
  method: string;
  path: string;
  /** Whether the Digest answer was right. */
  authorized: boolean;
  /** The Authorization header's fields, when one was sent. */
  digest?: Record<string, string>;
  body: string;
  at: number;
}

type Arm = 'closed' | 'rising' | 'open';
const ARM_CODE: Record<Arm, number> = { closed: 1, rising: 0, open: 2 };

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const XML_OK = (path: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ResponseStatus version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">\n<requestURL>${path}</requestURL>\n<statusCode>1</statusCode>\n<statusString>OK</statusString>\n<subStatusCode>ok</subStatusCode>\n</ResponseStatus>`;
const XML_ERR = (path: string, code: number, sub: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ResponseStatus version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">\n<requestURL>${path}</requestURL>\n<statusCode>${code}</statusCode>\n<statusString>Invalid Operation</statusString>\n<subStatusCode>${sub}</subStatusCode>\n</ResponseStatus>`;
const JSON_OK = JSON.stringify({ statusCode: 1, statusString: 'OK', subStatusCode: 'ok' });

/** `Digest username="…", realm="…", nc=00000001, …` → its fields. */
function parseAuthorization(header: string): Record<string, string> | undefined {
  const m = /^Digest\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  const re = /([a-z0-9-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (const f of m[1]!.matchAll(re)) out[f[1]!.toLowerCase()] = f[2] !== undefined ? f[2].replace(/\\(.)/g, '$1') : f[3]!;
  return out;
}

export function createHikvisionSim(opts: HikvisionSimOptions) {
  const realm = opts.realm ?? `IP Camera(${opts.serialNo.slice(-8)})`;
  /** Nonces issued, with the highest nc seen and how many times each was used. */
  const nonces = new Map<string, { lastNc: number; uses: number }>();
  const calls: SimCall[] = [];
  const cnonces = new Set<string>();
  const state = {
    arm: 'closed' as Arm,
    locked: opts.locked ?? false,
    /** ctrlMode of every accepted barrier call, in order. */
    barrier: [] as string[],
    voice: [] as string[],
    lcd: [] as unknown[],
    whitelist: new Set<string>(),
    /** When the arm last reached 开到位 (ms since epoch). */
    openedAt: undefined as number | undefined,
  };
  let server: Server | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  function challenge(res: ServerResponse, stale = false): void {
    const nonce = randomBytes(16).toString('hex');
    nonces.set(nonce, { lastNc: 0, uses: 0 });
    res.writeHead(401, { 'www-authenticate': `Digest qop="auth", realm="${realm}", nonce="${nonce}", stale="${stale ? 'TRUE' : 'FALSE'}"`, 'content-type': 'application/xml' });
    res.end(XML_ERR('', 4, 'unauthorized'));
  }

  /** RFC 7616 §3.4.1 checked here with our own MD5: true, 'stale', or false. */
  function verify(method: string, uri: string, d: Record<string, string> | undefined): true | 'stale' | false {
    if (!d) return false;
    const n = d.nonce !== undefined ? nonces.get(d.nonce) : undefined;
    if (!n || d.username !== opts.username || d.realm !== realm || d.uri !== uri || d.qop !== 'auth' || !d.cnonce || !d.nc) return false;
    const nc = parseInt(d.nc, 16);
    if (!(nc > n.lastNc)) return false; // a replayed or reordered nc
    const ha1 = md5(`${opts.username}:${realm}:${opts.password}`);
    const ha2 = md5(`${method}:${uri}`);
    const expected = md5(`${ha1}:${d.nonce}:${d.nc}:${d.cnonce}:auth:${ha2}`);
    if (expected !== d.response) return false;
    if (opts.nonceUses !== undefined && n.uses >= opts.nonceUses) return 'stale';
    n.lastNc = nc;
    n.uses++;
    cnonces.add(d.cnonce);
    return true;
  }

  function barrier(ctrlMode: string): void {
    state.barrier.push(ctrlMode);
    if (ctrlMode === 'lock') state.locked = true;
    else if (ctrlMode === 'unlock') state.locked = false;
    else if (ctrlMode === 'close' && !state.locked) state.arm = 'closed';
    else if (ctrlMode === 'open' && !state.locked && state.arm !== 'open') {
      state.arm = 'rising';
      later(opts.armRiseMs ?? 150, () => {
        if (state.arm !== 'rising') return;
        state.arm = 'open';
        state.openedAt = Date.now();
        if (opts.autoCloseMs !== undefined) later(opts.autoCloseMs, () => void (state.arm = 'closed'));
      });
    }
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1024 * 1024) break;
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const uri = req.url ?? '/';
    const body = await readBody(req);
    const digest = req.headers.authorization ? parseAuthorization(req.headers.authorization) : undefined;
    const ok = verify(method, uri, digest);
    calls.push({ method, path: uri, authorized: ok === true, ...(digest ? { digest } : {}), body, at: Date.now() });
    if (ok !== true) return challenge(res, ok === 'stale');
    const path = uri.split('?')[0]!;
    const xml = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'application/xml; charset="UTF-8"' });
      res.end(text);
    };
    const json = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset="UTF-8"' });
      res.end(text);
    };
    let m: RegExpExecArray | null;
    if ((m = /^\/ISAPI\/Parking\/channels\/(\d+)\/barrierGate$/.exec(path)) && method === 'PUT') {
      const mode = /<ctrlMode>(\w+)<\/ctrlMode>/.exec(body)?.[1];
      if (!mode || !['open', 'close', 'lock', 'unlock'].includes(mode)) return xml(400, XML_ERR(uri, 5, 'badXmlContent'));
      barrier(mode);
      return xml(200, XML_OK(uri)); // a locked barrier says OK too
    }
    if (/^\/ISAPI\/Parking\/channels\/\d+\/barrierGate\/barrierGateStatus$/.test(path) && method === 'GET') {
      return xml(200, `<?xml version="1.0" encoding="UTF-8"?>\n<BarrierGateStatus version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">\n<barrierGateStatus>${ARM_CODE[state.arm]}</barrierGateStatus>\n</BarrierGateStatus>`);
    }
    if (/^\/ISAPI\/Parking\/channels\/\d+\/voiceBroadcastInfo$/.test(path) && method === 'PUT') {
      const tts = /<TTSInfo>([\s\S]*?)<\/TTSInfo>/.exec(body)?.[1];
      if (tts === undefined) return xml(400, XML_ERR(uri, 5, 'badXmlContent'));
      state.voice.push(tts.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'));
      return xml(200, XML_OK(uri));
    }
    if (path === '/ISAPI/System/LCDScreen/displayInfo' && method === 'POST') {
      try {
        state.lcd.push(JSON.parse(body));
      } catch {
        return json(400, JSON.stringify({ statusCode: 5, statusString: 'Invalid JSON Format', subStatusCode: 'badJsonFormat' }));
      }
      return json(200, JSON_OK);
    }
    if (/^\/ISAPI\/Traffic\/channels\/\d+\/licensePlateAuditData\/record$/.test(path) && method === 'PUT') {
      try {
        const rows = (JSON.parse(body) as { LicensePlateInfoList?: { LicensePlate?: string }[] }).LicensePlateInfoList ?? [];
        for (const r of rows) if (r.LicensePlate) state.whitelist.add(r.LicensePlate);
      } catch {
        return json(400, JSON.stringify({ statusCode: 5, statusString: 'Invalid JSON Format', subStatusCode: 'badJsonFormat' }));
      }
      return json(200, JSON_OK);
    }
    if (/^\/ISAPI\/Traffic\/channels\/\d+\/DelLicensePlateAuditData$/.test(path) && method === 'PUT') {
      try {
        const plate = (JSON.parse(body) as { CompoundCond?: { licensePlate?: string } }).CompoundCond?.licensePlate;
        if (plate) state.whitelist.delete(plate);
      } catch {
        return json(400, JSON.stringify({ statusCode: 5, statusString: 'Invalid JSON Format', subStatusCode: 'badJsonFormat' }));
      }
      return json(200, JSON_OK);
    }
    if (/^\/ISAPI\/Traffic\/channels\/\d+\/searchLPListAudit$/.test(path) && method === 'POST') {
      const num = (tag: string) => Number(new RegExp(`<${tag}>(\\d+)</${tag}>`).exec(body)?.[1] ?? NaN);
      const searchId = /<searchID>([\w-]+)<\/searchID>/.exec(body)?.[1];
      const position = num('searchResultPosition');
      const max = num('maxResults');
      if (!searchId || !Number.isInteger(position) || !Number.isInteger(max)) return xml(400, XML_ERR(uri, 5, 'badXmlContent'));
      const all = [...state.whitelist];
      const page = all.slice(position, position + max);
      const more = position + page.length < all.length;
      const rows = page.map((p, i) => `<LicensePlateInfo><id>${position + i + 1}</id><LicensePlate>${p}</LicensePlate><listType>whiteList</listType></LicensePlateInfo>`).join('');
      return xml(
        200,
        `<?xml version="1.0" encoding="UTF-8"?>\n<LPListAuditSearchResult version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"><searchID>${searchId}</searchID><responseStatusStrg>${more ? 'MORE' : 'OK'}</responseStatusStrg><numOfMatches>${page.length}</numOfMatches><totalMatches>${all.length}</totalMatches><LicensePlateInfoList>${rows}</LicensePlateInfoList></LPListAuditSearchResult>`,
      );
    }
    return xml(404, XML_ERR(uri, 4, 'notSupport'));
  }

  // ── what the camera pushes ─────────────────────────────────────────────────────────────────────

  let uuidSeq = 0;
  /** Camera-local time with its zone, as the fixture writes `dateTime` (China: +08:00). */
  const localTime = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;

  /** An ANPR `EventNotificationAlert` in the fixture's shape; the plate with its colour word in front, as Chinese cameras send it. */
  function anprXml(plate: string, o: { atMs?: number; uuid?: string; colour?: 'blue' | 'yellow' | 'green'; withPicture?: boolean } = {}): string {
    const colour = o.colour ?? 'blue';
    const word = { blue: '蓝', yellow: '黄', green: '绿' }[colour];
    const uuid = o.uuid ?? `sim${Date.now().toString(36)}${(uuidSeq++).toString(36)}`;
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">',
      '<ipAddress>192.168.1.64</ipAddress>',
      '<portNo>80</portNo>',
      '<protocol>HTTP</protocol>',
      `<macAddress>${opts.serialNo.replace(/[^\w:.-]/g, '')}</macAddress>`,
      '<channelID>1</channelID>',
      `<dateTime>${localTime(o.atMs ?? Date.now())}</dateTime>`,
      '<activePostCount>1</activePostCount>',
      '<eventType>ANPR</eventType>',
      '<eventState>active</eventState>',
      '<eventDescription>ANPR</eventDescription>',
      '<channelName>Camera 01</channelName>',
      '<ANPR>',
      '<country>3</country>',
      `<licensePlate>${word}${plate}</licensePlate>`,
      '<line>1</line>',
      '<direction>forward</direction>',
      '<confidenceLevel>96</confidenceLevel>',
      `<plateType>${colour === 'green' ? 'newEnergy' : '92TypeCivil'}</plateType>`,
      `<plateColor>${colour}</plateColor>`,
      '<licenseBright>79</licenseBright>',
      '<vehicleType>vehicle</vehicleType>',
      `<originalLicensePlate>${word}${plate}</originalLicensePlate>`,
      '<vehicleListName>otherList</vehicleListName>',
      ...(o.withPicture ? ['<pictureInfoList>', '<pictureInfo>', '<fileName>licensePlatePicture.jpg</fileName>', '<type>licensePlatePicture</type>', '<dataType>0</dataType>', '</pictureInfo>', '</pictureInfoList>'] : []),
      '</ANPR>',
      `<UUID>${uuid}</UUID>`,
      '</EventNotificationAlert>',
    ].join('\n');
  }

  function heartbeatXml(atMs = Date.now()): string {
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">',
      '<ipAddress>192.168.1.64</ipAddress>',
      '<portNo>80</portNo>',
      '<protocol>HTTP</protocol>',
      '<channelID>1</channelID>',
      `<dateTime>${localTime(atMs)}</dateTime>`,
      '<activePostCount>0</activePostCount>',
      '<eventType>videoloss</eventType>',
      '<eventState>inactive</eventState>',
      '<eventDescription>videoloss alarm</eventDescription>',
      '</EventNotificationAlert>',
    ].join('\n');
  }

  /** A small JPEG-looking picture (SOI, APP0, filler, EOI) for multipart pushes. */
  const jpeg = (bytes = 2048) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(bytes), Buffer.from([0xff, 0xd9])]);

  /** The XML as multipart/form-data with a plate picture, as cameras with "upload picture" on send it. */
  function multipart(xml: string, picture = jpeg()): { body: Buffer; contentType: string } {
    const boundary = `boundary${randomBytes(8).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="anpr.xml"; filename="anpr.xml"\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(xml)}\r\n\r\n${xml}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="licensePlatePicture.jpg"; filename="licensePlatePicture.jpg"\r\nContent-Type: image/jpeg\r\nContent-Length: ${picture.length}\r\n\r\n`),
      picture,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { body, contentType: `multipart/form-data; boundary=${boundary}` };
  }

  async function post(url: string, body: string | Buffer, contentType: string): Promise<{ status: number; text: string }> {
    const res = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': contentType } });
    return { status: res.status, text: await res.text() };
  }

  return {
    state,
    calls,
    /** Every distinct client nonce that authenticated a call. */
    cnonces,
    realm,
    anprXml,
    heartbeatXml,
    multipart,
    jpeg,
    /** Pushes a plate read to the listening host, as XML or multipart with a picture. */
    pushPlate(url: string, plate: string, o: { multipart?: boolean; atMs?: number; uuid?: string; colour?: 'blue' | 'yellow' | 'green' } = {}) {
      const xml = anprXml(plate, { ...o, withPicture: o.multipart });
      if (!o.multipart) return post(url, xml, 'application/xml; charset="UTF-8"');
      const m = multipart(xml);
      return post(url, m.body, m.contentType);
    },
    heartbeat: (url: string) => post(url, heartbeatXml(), 'application/xml; charset="UTF-8"'),
    post,
    lock(locked: boolean) {
      state.locked = locked;
    },
    /** Brings the arm down (the car has passed). */
    closeArm() {
      state.arm = 'closed';
    },
    async start(port = 0, host = '127.0.0.1'): Promise<string> {
      server = createServer((req, res) => {
        handle(req, res).catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, host, resolve));
      const a = server.address() as AddressInfo;
      return `${host}:${a.port}`;
    },
    async stop(): Promise<void> {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

export type HikvisionSim = ReturnType<typeof createHikvisionSim>;
