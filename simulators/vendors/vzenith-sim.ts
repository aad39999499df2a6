import { EventEmitter } from 'node:events';
import { decodeReply, type DecodedReply } from '../../devices/vendors/vzenith/index.js';

/**
 * A 臻识 Vzenith (R3/R5-class) plate camera speaking its vendor's HTTP push
 * protocol to its push URL — built from the vendor document and the fixtures in
 * `shared/fixtures/devices/lpr-vzenith/`, never from Linli's contract. Like the
 * real camera it POSTs `AlarmInfoPlate` for each car it reads (the R5 fixture's
 * shape, with its own `serialno` and a counting `plateid`), sends a heartbeat form
 * (`device_name`, `ipaddr`, `port`, `user_name`, `pass_wd`, `serialno`,
 * `channel_num`) that the server may hold open as a comet poll, and acts on every
 * answer it gets: `Response_AlarmInfoPlate.info == "ok"` pulses the relay (its
 * lane's arm lifts), the `serialData` RS-485 frames show on the LED board and
 * speak. When the arm is up and the car has gone through, the loop detector
 * reports it (`AlarmGioIn`, input 1 → 1). It takes no other way in: what the
 * server wants it to do comes only in answers to what it sent.
 *
 * Local events: 'reply' (Acted, what: 'plate' | 'poll'), 'open' (Acted),
 * 'error' is never emitted (failures are logged to `onFailure` and counted).
 */

export interface VzenithSimOptions {
  /** `connect.pushUrl` from the registration's answer. */
  pushUrl: string;
  /** The camera's `serialno` as registered. */
  serialNo: string;
  /** The camera's web login, sent in clear in every heartbeat (the server must never keep it). */
  webLogin?: { user: string; password: string };
  ipaddr?: string;
  deviceName?: string;
  /** Clock for the record times (tests share one with the server). */
  clock?: () => number;
  /**
   * After an open, the lane's car drives through and the loop detector reports it
   * (`AlarmGioIn`) this many ms later; unset, nothing drives through by itself
   * (the owner calls `gioIn()` when its car has passed).
   */
  driveThroughMs?: number;
  /** Called with a failure the camera swallowed (network down, a 5xx). */
  onFailure?: (what: string, err: unknown) => void;
}

/** What the camera did with one answer. */
export interface Acted {
  status: number;
  /** The reply decoded as the camera reads it; undefined when it could not (a 4xx/5xx body). */
  reply?: DecodedReply;
  /** `info: "ok"`: the relay pulsed, the arm lifts. */
  open: boolean;
  /** Lines the LED board shows (its temporary-text frames). */
  led: string[];
  /** What the board (or the camera's own speaker) says. */
  voice: string[];
  plateId?: number;
}

export interface PlateOptions {
  /** 0–100 as the camera reports it. */
  confidence?: number;
  /** §3.3 colour code: 1 blue, 2 yellow, 3 white, 4 black, 5 green; by default from the plate. */
  colorType?: number;
  /** A backlog record (`isoffline: 1`), made while the server could not be reached. */
  offline?: boolean;
  /** The camera's own offline whitelist opened the arm for it (`gioouts[].ctrltype = 2`). */
  whitelistOpened?: boolean;
  /** When the camera saw it (default now). */
  atMs?: number;
}

const BEIJING_MS = 8 * 3_600_000;
/** How long `close()` lets a held request finish before cutting it. */
const CLOSE_WAIT_MS = 3_000;

/** §3.3 colour of a plate as the camera's recogniser reports it: green for new-energy, yellow for 学/挂/large, white for 警/使. */
export function colorTypeOf(plate: string): number {
  if (plate === '') return 0;
  if (/[警使]$/.test(plate)) return 3;
  if (/^.[A-Z][DF][0-9]{5}$/.test(plate) || /^.[A-Z][0-9]{5}[DF]$/.test(plate)) return 5;
  if (/[学挂]$/.test(plate)) return 2;
  return 1;
}

/** The R5 fixture's `AlarmInfoPlate`, with this record's plate, id, time and flags. */
export function alarmInfoPlate(serialNo: string, plate: string, plateId: number, o: PlateOptions & { ipaddr?: string; deviceName?: string; atMs: number }): Record<string, unknown> {
  const license = plate === '' ? '_无_' : plate;
  const colorType = o.colorType ?? colorTypeOf(plate);
  const at = new Date(o.atMs);
  const beijing = new Date(o.atMs + BEIJING_MS);
  const rect = { bottom: 674, left: 1002, right: 1263, top: 565 };
  return {
    AlarmInfoPlate: {
      channel: 0,
      deviceName: o.deviceName ?? 'R5-V1.0',
      ipaddr: o.ipaddr ?? '192.168.55.131',
      result: {
        PlateResult: {
          bright: 0,
          carBright: 0,
          carColor: 255,
          car_brand: { brand: 255, type: 255, year: 65535 },
          carlocation: { RECT: { bottom: 0, left: 0, right: 0, top: 0 } },
          clean_time: 0,
          colorType,
          colorValue: 0,
          confidence: Math.max(0, Math.min(100, Math.round(o.confidence ?? (plate === '' ? 20 : 96)))),
          direction: 0,
          feature_code: true,
          // Pictures are left off, as the registration's instructions say (the server keeps none).
          imageFile: '',
          imageFileLen: 0,
          imageFragmentFile: '',
          imageFragmentFileLen: 0,
          gioouts: [0, 1, 2].map((io) => ({ ctrltype: io === 0 && o.whitelistOpened ? 2 : 0, ionum: String(io) })),
          is_fake_plate: 0,
          isoffline: o.offline ? 1 : 0,
          license,
          license_ext_type: 0,
          location: { RECT: rect },
          plate_distance: 0,
          plate_true_width: 25,
          plateid: plateId,
          plates: [{ color: colorType, license, plate_width: 281, pos: rect, type: colorType === 5 ? 19 : 1 }],
          timeStamp: {
            Timeval: {
              decday: beijing.getUTCDate(),
              dechour: beijing.getUTCHours(),
              decmin: beijing.getUTCMinutes(),
              decmon: beijing.getUTCMonth() + 1,
              decsec: beijing.getUTCSeconds(),
              decyear: beijing.getUTCFullYear(),
              sec: Math.floor(at.getTime() / 1000),
              usec: (at.getTime() % 1000) * 1000,
            },
          },
          timeUsed: 0,
          triggerType: 4,
          type: colorType === 5 ? 19 : 1,
        },
      },
      rule_id: 1,
      serialno: serialNo,
      user_data: '',
    },
  };
}

/** What a camera does with an answer: open or not, the LED lines and the voice, from the RS-485 frames. */
export function actOn(status: number, text: string): Acted {
  if (status < 200 || status >= 300) return { status, open: false, led: [], voice: [] };
  const d = decodeReply(text);
  if (!d.ok) return { status, open: false, led: [], voice: [] };
  const bodies = d.reply.serial.map((s) => ('ok' in s.frame ? undefined : s.frame.body));
  const led = bodies.filter((b) => b?.kind === 'temporary-text').map((b) => (b as { text: string }).text);
  const voice = [...bodies.filter((b) => b?.kind === 'voice').map((b) => (b as { text: string }).text), ...(d.reply.voice ? [d.reply.voice.text] : [])];
  const open = d.reply.open === true || (d.reply.ioctrl !== undefined && d.reply.ioctrl.value === 2);
  let plateId: number | undefined;
  try {
    const id = (JSON.parse(text) as { Response_AlarmInfoPlate?: { plateid?: unknown } }).Response_AlarmInfoPlate?.plateid;
    if (typeof id === 'number') plateId = id;
  } catch {
    // decodeReply read it, so it is JSON
  }
  return { status, reply: d.reply, open, led, voice, ...(plateId !== undefined ? { plateId } : {}) };
}

export class VzenithSim extends EventEmitter {
  readonly sent: { kind: 'plate' | 'heartbeat' | 'gio-in'; status: number }[] = [];
  /** The LED board's lines as the last answer left them. */
  board: string[] = [];
  /** Times the relay pulsed. */
  opens = 0;
  failures = 0;
  private plateSeq: number;
  private polling = false;
  private stopped = false;
  /** Cut network: nothing reaches the server; plate records are kept for the backlog. */
  private cut = false;
  private readonly backlog: { plate: string; o: PlateOptions & { atMs: number } }[] = [];
  private readonly inflight = new Set<AbortController>();
  private readonly now: () => number;

  constructor(readonly opts: VzenithSimOptions) {
    super();
    this.now = opts.clock ?? Date.now;
    this.plateSeq = 1 + (Math.floor(this.now() / 1000) % 100_000);
  }

  get linkUp(): boolean {
    return !this.cut;
  }

  /** The camera read a car ("" when it found no plate): POSTs `AlarmInfoPlate` and acts on the answer. */
  async plate(plate: string, o: PlateOptions = {}): Promise<Acted> {
    const atMs = o.atMs ?? this.now();
    if (this.cut && !o.offline) {
      // No server: the camera keeps the record and pushes it as backlog once the network is back.
      this.backlog.push({ plate, o: { ...o, atMs } });
      return { status: 0, open: false, led: [], voice: [] };
    }
    const body = alarmInfoPlate(this.opts.serialNo, plate, this.plateSeq++, { ...o, atMs, ipaddr: this.opts.ipaddr, deviceName: this.opts.deviceName });
    const acted = await this.post('plate', JSON.stringify(body), 'application/json');
    this.emit('reply', acted, 'plate');
    return acted;
  }

  /** §2.2: the loop detector's input 1 went to 1 (a car drove over it through the arm). */
  async gioIn(value: 0 | 1 = 1, source = 0): Promise<Acted> {
    const body = { AlarmGioIn: { deviceName: this.opts.deviceName ?? 'IVS', ipaddr: this.opts.ipaddr ?? '192.168.55.131', result: { TriggerResult: { source, value } }, serialno: this.opts.serialNo } };
    return this.post('gio-in', JSON.stringify(body), 'application/json');
  }

  /** One heartbeat form; with comet polling the server may hold it and answer with a command. */
  async heartbeat(): Promise<Acted> {
    const f = new FormData();
    const login = this.opts.webLogin ?? { user: 'admin', password: 'admin' };
    const fields = { device_name: this.opts.deviceName ?? 'IVS', ipaddr: this.opts.ipaddr ?? '192.168.55.131', port: '80', user_name: login.user, pass_wd: login.password, serialno: this.opts.serialNo, channel_num: '1' };
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    const acted = await this.post('heartbeat', f, undefined);
    this.emit('reply', acted, 'poll');
    return acted;
  }

  /**
   * Comet polling (设备注册 → comet 轮询): a heartbeat as soon as the last one was
   * answered; `gapMs` between them when the answer was idle or failed.
   */
  startPolling(gapMs = 200): void {
    if (this.polling) return;
    this.polling = true;
    void (async () => {
      while (this.polling && !this.stopped) {
        if (this.cut) {
          await sleep(gapMs);
          continue;
        }
        const acted = await this.heartbeat().catch(() => undefined);
        if (!acted || acted.status !== 200 || acted.reply?.idle) await sleep(gapMs);
      }
    })();
  }

  /** The network drops: pushes fail until `restoreLink()`; reads are kept for the backlog. */
  cutLink(): void {
    this.cut = true;
    for (const c of this.inflight) c.abort();
  }

  /** The network is back: the backlog goes up, oldest first, each answered with ContinuePushOffline. */
  async restoreLink(): Promise<void> {
    this.cut = false;
    for (const r of this.backlog.splice(0)) await this.plate(r.plate, { ...r.o, offline: true });
  }

  /** Adds a backlog record (a read made while the server could not hear it), pushed on `restoreLink()` or now if the link is up. */
  async offlineRecord(plate: string, o: { whitelistOpened: boolean; atMs: number }): Promise<Acted | undefined> {
    if (this.cut) {
      this.backlog.push({ plate, o: { ...o, offline: true } });
      return undefined;
    }
    return this.plate(plate, { ...o, offline: true });
  }

  /** Stops sending; a request the server is still holding is let finish (it answers within its comet hold), then cut. */
  async close(): Promise<void> {
    this.stopped = true;
    this.polling = false;
    const deadline = Date.now() + CLOSE_WAIT_MS;
    while (this.inflight.size > 0 && Date.now() < deadline) await sleep(20);
    for (const c of this.inflight) c.abort();
  }

  private async post(kind: 'plate' | 'heartbeat' | 'gio-in', body: string | FormData, contentType: string | undefined): Promise<Acted> {
    if (this.stopped) return { status: 0, open: false, led: [], voice: [] };
    const abort = new AbortController();
    this.inflight.add(abort);
    try {
      const res = await fetch(this.opts.pushUrl, { method: 'POST', body, signal: abort.signal, headers: contentType ? { 'content-type': contentType } : {} });
      const text = await res.text();
      this.sent.push({ kind, status: res.status });
      const acted = actOn(res.status, text);
      if (res.status >= 400) {
        this.failures++;
        this.opts.onFailure?.(kind, new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`));
      }
      this.apply(acted);
      return acted;
    } catch (err) {
      this.failures++;
      if (!this.stopped && !this.cut) this.opts.onFailure?.(kind, err);
      return { status: 0, open: false, led: [], voice: [] };
    } finally {
      this.inflight.delete(abort);
    }
  }

  /** The board shows what the answer sent; the relay pulses on `info: "ok"`. */
  private apply(acted: Acted): void {
    if (acted.led.length > 0) this.board = acted.led;
    if (acted.open) {
      this.opens++;
      this.emit('open', acted);
      const ms = this.opts.driveThroughMs;
      if (ms !== undefined) {
        setTimeout(() => {
          if (!this.stopped) this.gioIn(1).catch((err: unknown) => this.opts.onFailure?.('gio-in', err));
        }, ms);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
