import { toHex } from '../bytes.js';
import { reject, type VendorRejection } from '../result.js';
import { CHARGE_MODE, CMD, commandName, LOGIN_RESULT, START_MODE, type CommandName } from './commands.js';
import { hex2, parseFrame, Reader, type Addressing, type ParseOptions } from './frame.js';

/**
 * Server → device frames read back: what a JUY board (or our simulator of one)
 * makes of the bytes we send, and how the vendor's own command samples are
 * checked. Pure; never throws.
 */

const invert = <T extends Record<string, number>>(o: T) => new Map(Object.entries(o).map(([k, v]) => [v, k as keyof T]));
const START_MODES = invert(START_MODE);
const CHARGE_MODES = invert(CHARGE_MODE);
const LOGIN_RESULTS = invert(LOGIN_RESULT);

export type DownlinkDetail =
  | { kind: 'login-reply'; heartbeatS: number; result: number; meaning?: keyof typeof LOGIN_RESULT; time: string }
  | { kind: 'heartbeat-reply' }
  | { kind: 'imei-report-reply' }
  | {
      kind: 'start';
      port: number;
      orderNo: number;
      startMode: number;
      startModeName?: keyof typeof START_MODE;
      cardNo: number;
      chargeMode: number;
      chargeModeName?: keyof typeof CHARGE_MODE;
      param: number;
      balanceFen: number;
    }
  | { kind: 'stop'; port: number; orderNo: number }
  | { kind: 'end-ack'; port: number; orderNo: number }
  | { kind: 'local-start-ack'; port: number; orderNo: number }
  | { kind: 'card-auth-reply'; port: number; cardNo: number; balanceFen: number; result: number }
  | { kind: 'query'; what: 'portData' | 'queryParams' | 'queryTariff' }
  | { kind: 'upgrade' }
  | { kind: 'other'; data: string };

export interface DecodedDownlink {
  ok: true;
  command: number;
  name: CommandName;
  imei?: string;
  addressing: Addressing;
  detail: DownlinkDetail;
}

function exact(data: Uint8Array, n: number, what: string): VendorRejection | undefined {
  if (data.length === n) return undefined;
  return reject('bad-length', 'DATA', `${what} is ${n} data bytes, the frame has ${data.length}`);
}

export function decodeDownlink(bytes: Uint8Array, options: ParseOptions = {}): DecodedDownlink | VendorRejection {
  const frame = parseFrame(bytes, options);
  if ('ok' in frame) return frame;
  const name = commandName(frame.command);
  if (!name) return reject('unknown-command', 'CMD', `0x${hex2(frame.command)} is not a JUY command`);
  const d = frame.data;
  const r = new Reader(d);
  let detail: DownlinkDetail;
  let bad: VendorRejection | undefined;
  switch (frame.command) {
    case CMD.login:
      if ((bad = exact(d, 9, 'a login answer (time 7, heartbeat, result)'))) return bad;
      {
        const time = toHex(r.bytesOf(7));
        const heartbeatS = r.u8();
        const result = r.u8();
        const meaning = LOGIN_RESULTS.get(result);
        detail = { kind: 'login-reply', heartbeatS, result, time, ...(meaning && { meaning }) };
      }
      break;
    case CMD.heartbeat:
    case CMD.imeiReport:
      if ((bad = exact(d, 1, 'an answer (one reserved byte)'))) return bad;
      detail = { kind: frame.command === CMD.heartbeat ? 'heartbeat-reply' : 'imei-report-reply' };
      break;
    case CMD.remoteStart:
      if ((bad = exact(d, 19, 'a start (port 1, order 4, start mode 1, card 4, charge mode 1, parameter 4, balance 4)'))) return bad;
      {
        const port = r.u8();
        const orderNo = r.u32();
        const startMode = r.u8();
        const cardNo = r.u32();
        const chargeMode = r.u8();
        const param = r.u32();
        const balanceFen = r.u32();
        const sm = START_MODES.get(startMode);
        const cm = CHARGE_MODES.get(chargeMode);
        detail = { kind: 'start', port, orderNo, startMode, ...(sm && { startModeName: sm }), cardNo, chargeMode, ...(cm && { chargeModeName: cm }), param, balanceFen };
      }
      break;
    case CMD.remoteStop:
    case CMD.end:
    case CMD.localStart:
      if ((bad = exact(d, 5, 'a port-and-order frame'))) return bad;
      {
        const port = r.u8();
        const orderNo = r.u32();
        const kind = frame.command === CMD.remoteStop ? 'stop' : frame.command === CMD.end ? 'end-ack' : 'local-start-ack';
        detail = { kind, port, orderNo };
      }
      break;
    case CMD.cardAuth:
      if ((bad = exact(d, 10, 'a card answer (port, card, balance, result)'))) return bad;
      detail = { kind: 'card-auth-reply', port: r.u8(), cardNo: r.u32(), balanceFen: r.u32(), result: r.u8() };
      break;
    case CMD.portData:
    case CMD.queryParams:
    case CMD.queryTariff:
      if ((bad = exact(d, 1, 'a query (one reserved byte)'))) return bad;
      detail = { kind: 'query', what: frame.command === CMD.portData ? 'portData' : frame.command === CMD.queryParams ? 'queryParams' : 'queryTariff' };
      break;
    case CMD.upgrade:
      if ((bad = exact(d, 1, 'an upgrade order (one reserved byte)'))) return bad;
      detail = { kind: 'upgrade' };
      break;
    default:
      detail = { kind: 'other', data: toHex(d) };
  }
  return { ok: true, command: frame.command, name, ...(frame.imei !== undefined && { imei: frame.imei }), addressing: frame.addressing, detail };
}
