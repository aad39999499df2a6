import type { z } from 'zod';
import { parseCommand } from '../../parse.js';
import { toBase64 } from '../bytes.js';
import { reject, type VendorRejection } from '../result.js';
import { encodeDisplay } from '../led485/display.js';
import { encodeVoice } from '../led485/codec.js';
import type { BoardProfile, TextStyle } from '../led485/schemas.js';

/**
 * Contract gate commands → the body of the HTTP answer to a push or a comet poll
 * (`Response_AlarmInfoPlate`, vendor §2.6). The camera acts on what the answer
 * carries; an answer that was written proves the command was *delivered*, not
 * that the arm moved. Key order follows the vendor's examples, so an answer
 * equals the fixture it corresponds to byte for byte.
 */
export interface ReplyOptions {
  /**
   * How `open` lifts the arm: `info: "ok"` (§2.6.1; the camera pulses the output
   * configured on its web page) or an explicit pulse on one output (§2.6.6
   * `ivs_ioctrl`, value 2 = close then open after `pulseMs`).
   */
  open?: { via: 'info' } | { via: 'ioctrl'; io: 0 | 1 | 2 | 3; pulseMs: number };
  /** Who speaks `voice`: the RS-485 board (0x30 frame in `serialData`) or the camera's own speaker (§2.6.5). */
  voice?: { via: 'board' } | { via: 'camera'; volume?: number; female?: boolean };
  /** The board behind the camera: its address and line limits. */
  board?: z.input<typeof BoardProfile>;
  textStyle?: Partial<TextStyle>;
  /** 0 = the camera's RS-485 port 1 (§2.3). */
  serialChannel?: 0 | 1;
  /** ISO 8601 now: a command whose `expiresAt` has passed is refused as `expired`. */
  now?: string;
}

export interface ReplyInput {
  /** A contract gate command (`open`, `deny`, `display`); none for a plain heartbeat answer. */
  command?: unknown;
  /** Answer to a backlog record (§2.1.2): its plateid, and whether the camera should push the next one. */
  continuePushOffline?: { plateId: number; continue: boolean };
  /** Answer to a live plate result: §2.1.2 item 4 wants its `plateid` echoed in the answer. */
  plateId?: number;
}

export interface EncodedReply {
  ok: true;
  body: Record<string, unknown>;
  /** The HTTP body to write (application/json, UTF-8). */
  json: string;
  /** A text the board cannot show or say; the gate decision itself still goes out. */
  dropped: { what: 'display' | 'voice'; rejection: VendorRejection }[];
  warnings: string[];
}

/** The vendor's answer when there is nothing to do (a heartbeat or an idle comet poll). */
export const HEARTBEAT_OK = { status: 'ok' } as const;

export function encodeReply(input: ReplyInput, options: ReplyOptions = {}): EncodedReply | VendorRejection {
  const dropped: EncodedReply['dropped'] = [];
  const warnings: string[] = [];
  const r: Record<string, unknown> = {};
  if (input.command !== undefined) {
    const parsed = parseCommand('gate', input.command);
    if (!parsed.ok) {
      return reject(parsed.reason === 'unknown-type' ? 'unknown-command' : 'schema', parsed.field, parsed.message.replace(/^[^:]*: /, ''));
    }
    const cmd = parsed.message as { type: 'open' | 'deny' | 'display'; display: string; voice?: string; expiresAt?: string };
    if (cmd.expiresAt && options.now && Date.parse(cmd.expiresAt) <= Date.parse(options.now)) {
      return reject('expired', 'expiresAt', `${cmd.expiresAt} has passed (now ${options.now})`);
    }
    const openVia = options.open ?? { via: 'info' };
    if (cmd.type === 'open' && openVia.via === 'info') r.info = 'ok';
    if (cmd.type === 'deny') r.info = 'no';
    const serial: Uint8Array[] = [];
    if (cmd.voice && options.voice?.via === 'camera') {
      r.playserver_json_request = {
        type: 'ps_voice_play',
        voice: toBase64(new TextEncoder().encode(cmd.voice)),
        voice_interval: 0,
        voice_volume: options.voice.volume ?? 100,
        voice_male: options.voice.female === false ? 0 : 1, // §2.6.5: 0 male voice, 1 female voice
      };
    }
    if (cmd.type === 'open' && openVia.via === 'ioctrl') r.ivs_ioctrl = { delay: openVia.pulseMs, io: openVia.io, value: 2 };
    if (cmd.display) {
      const d = encodeDisplay(cmd.display, options.board, options.textStyle);
      if (d.ok) {
        serial.push(...d.frames);
        warnings.push(...d.warnings);
      } else dropped.push({ what: 'display', rejection: d });
    }
    if (cmd.voice && options.voice?.via !== 'camera') {
      const v = encodeVoice(cmd.voice, undefined, options.board?.address ?? 0);
      if (v.ok) {
        serial.push(v.frame);
        warnings.push(...v.warnings);
      } else dropped.push({ what: 'voice', rejection: v });
    }
    if (serial.length) {
      r.serialData = serial.map((f) => ({ serialChannel: options.serialChannel ?? 0, data: toBase64(f), dataLen: f.length }));
    }
  }
  if (input.continuePushOffline) {
    const { plateId, continue: more } = input.continuePushOffline;
    if (!Number.isInteger(plateId) || plateId < 0) return reject('schema', 'ContinuePushOffline.plateid', 'must be the record\'s plateid');
    r.ContinuePushOffline = { plateid: plateId, continue: more ? 1 : 0 };
  }
  if (input.plateId !== undefined) {
    if (!Number.isInteger(input.plateId) || input.plateId < 0) return reject('schema', 'plateid', 'must be the record\'s plateid');
    r.plateid = input.plateId;
  }
  const body = input.command === undefined && !input.continuePushOffline && input.plateId === undefined ? { ...HEARTBEAT_OK } : { Response_AlarmInfoPlate: r };
  return { ok: true, body, json: JSON.stringify(body), dropped, warnings };
}
