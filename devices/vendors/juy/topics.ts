import { reject, type VendorRejection } from '../result.js';
import { cmdHex } from './commands.js';
import { isImei } from './frame.js';

/**
 * JUY over MQTT (vendor document, "MQTT 主题定义"): the same binary frame is the
 * payload of
 *
 *     device → server   JUY/D2S/{IMEI}/{CMD}/DEV
 *     server → device   JUY/S2D/{IMEI}/{CMD}/SERVER
 *
 * with the IMEI as 15 ASCII digits. The document does not say how CMD is written;
 * we write two upper-case hex digits (`82`) and read that, `0x82`, or the decimal
 * (`130`). JUY commands are ≥ 0x81, so two digits are hex and three are decimal.
 */

export type JuyDirection = 'up' | 'down';

export interface JuyTopic {
  direction: JuyDirection;
  imei: string;
  command: number;
}

export type CmdFormat = 'hex' | '0x' | 'dec';

export function juyTopic(direction: JuyDirection, imei: string, command: number, format: CmdFormat = 'hex'): string {
  const cmd = format === 'dec' ? String(command) : format === '0x' ? `0x${cmdHex(command)}` : cmdHex(command);
  return direction === 'up' ? `JUY/D2S/${imei}/${cmd}/DEV` : `JUY/S2D/${imei}/${cmd}/SERVER`;
}

/** What a JUY device publishes and subscribes to, for the broker's ACL (one device stays inside its own IMEI). */
export function juyTopicFilters(imei: string): { publish: string; subscribe: string } {
  return { publish: `JUY/D2S/${imei}/+/DEV`, subscribe: `JUY/S2D/${imei}/+/SERVER` };
}

/** What the server subscribes to for every JUY device on the broker. */
export const JUY_UPLINK_FILTER = 'JUY/D2S/+/+/DEV';

function parseCmd(text: string): number | undefined {
  let n: number;
  if (/^0[xX][0-9A-Fa-f]{1,2}$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^[0-9A-Fa-f]{2}$/.test(text)) n = parseInt(text, 16);
  else if (/^\d{3}$/.test(text)) n = Number(text);
  else return undefined;
  return n <= 0xff ? n : undefined;
}

export function parseJuyTopic(topic: string): JuyTopic | VendorRejection {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== 'JUY') return reject('unknown-message', 'topic', 'not JUY/D2S/{IMEI}/{CMD}/DEV or JUY/S2D/{IMEI}/{CMD}/SERVER');
  const [, way, imei, cmdText, tail] = parts as [string, string, string, string, string];
  const direction: JuyDirection | undefined = way === 'D2S' && tail === 'DEV' ? 'up' : way === 'S2D' && tail === 'SERVER' ? 'down' : undefined;
  if (!direction) return reject('unknown-message', 'topic', `D2S…/DEV or S2D…/SERVER expected, got ${way.slice(0, 8)}…/${tail.slice(0, 8)}`);
  if (!isImei(imei)) return reject('schema', 'topic.IMEI', 'must be 15 ASCII digits');
  const command = parseCmd(cmdText);
  if (command === undefined) return reject('schema', 'topic.CMD', `"${cmdText.slice(0, 8)}" is not a command byte (82, 0x82 or 130)`);
  return { direction, imei, command };
}
