import type { Logger } from 'pino';
import type { DeviceSession, Gateway } from '../../gateway/index.js';
import {
  diffPortStates,
  encodeDeny,
  encodeLoginReply,
  encodeStart,
  encodeStop,
  loginReplyFor,
  type DecodedUplink,
  type EncodedCommand,
  type PendingCommand,
  type PortReading,
} from '../../devices/vendors/juy/index.js';
import type { VendorRejection } from '../../devices/vendors/result.js';

/**
 * What a JUY shed controller's conversation needs whatever carries its frames (raw TCP,
 * MQTT topics): per device, the start/stop commands waiting for their answer, the order
 * running on each port, the latest swipe on each port (the start or refusal that answers
 * it names its card) and the last heartbeat's port list (changes → `port.state`). A
 * transport hands it decoded frames and writes what it returns; it hands it the rules'
 * commands and writes the bytes it encodes.
 *
 * Written for the MQTT transport (server/vendors/juy-mqtt.ts); server/vendors/juy-tcp.ts
 * holds the same logic inline and could use this module as is.
 */

/** A swipe is answered (start or deny) for this long; a later command for the port does not name its card. */
const SWIPE_MEMORY_MS = 60_000;

interface DeviceState {
  pending: (PendingCommand & { sentAtMs: number })[];
  orders: Map<number, number>;
  swipes: Map<number, { cardId: string; atMs: number }>;
  previousPorts?: PortReading[];
}

/** How the device's frames are addressed now (IMEI format over TCP after 0xF0), and its registered ports. */
export interface JuyLink {
  imei?: string;
  imeiFormat: boolean;
  ports?: number;
}

export interface JuySessionDeps {
  gateway: Gateway;
  log: Logger;
  now: () => number;
  /** The seam's source name (`juy-tcp`, `juy-mqtt`). */
  source: string;
  transport: 'tcp' | 'mqtt';
  heartbeatS: number;
  sessionOnPort?: (deviceId: string, port: number) => string | undefined;
}

export type Encoded = { ok: true; bytes: Uint8Array; written: (err?: Error | null) => void } | { ok: false };

export function createJuySessions(deps: JuySessionDeps) {
  const state = new Map<string, DeviceState>();
  const iso = (ms = deps.now()) => new Date(ms).toISOString();
  const stateOf = (deviceId: string): DeviceState => {
    let s = state.get(deviceId);
    if (!s) state.set(deviceId, (s = { pending: [], orders: new Map(), swipes: new Map() }));
    return s;
  };

  function ack(device: DeviceSession | string, cmdId: string, ok: boolean, words: string): void {
    const deviceId = typeof device === 'string' ? device : device.deviceId;
    const message = { id: `${cmdId}.${ok ? 'w' : 'x'}`, ts: iso(), type: 'ack', cmdId, ok, ...(ok ? { note: words.slice(0, 200) } : { error: words.slice(0, 200) }) };
    deps.gateway.vendorIntake.submit(deps.source, deviceId, 'ack', message).catch((err: Error) => deps.log.warn({ err: err.message, cmdId }, 'ack not stored'));
  }

  /** The frame beside its messages, for support: JSON text, the bytes in hex. */
  const rawOf = (d: DecodedUplink) => ({ vendor: 'juy', raw: JSON.stringify({ command: d.name, hex: d.raw }) });

  async function submitAll(deviceId: string, d: DecodedUplink): Promise<void> {
    const raw = rawOf(d);
    for (const m of d.messages) {
      if (m.channel === 'status') continue; // presence comes from the connection
      await deps.gateway.vendorIntake.submit(deps.source, deviceId, m.channel, m.message as unknown as Record<string, unknown>, raw);
    }
  }

  return {
    ack,
    /** What the codec needs of this device's state to read its next frame. */
    pending: (deviceId: string) => stateOf(deviceId).pending.map(({ sentAtMs: _, ...p }) => p),
    /**
     * A rules' command for the device behind `via`: the bytes to write (and what to do once
     * written), or nothing (already acked as refused).
     */
    encode(device: DeviceSession, payload: Record<string, unknown>, via: string, link: JuyLink): Encoded {
      const cmdId = String(payload.cmdId);
      const st = stateOf(via);
      const port = Number(payload.port);
      const addressed = { ...(link.imeiFormat && link.imei ? { imei: link.imei } : {}), ...(link.ports ? { ports: link.ports } : {}) };
      const swipe = st.swipes.get(port);
      const card = swipe && deps.now() - swipe.atMs < SWIPE_MEMORY_MS ? swipe.cardId : undefined;
      let encoded: EncodedCommand | VendorRejection;
      if (payload.type === 'start') encoded = encodeStart(payload, { ...addressed, ...(card ? { cardId: card } : {}) });
      else if (payload.type === 'stop') {
        const sessionId = st.orders.has(port) ? undefined : deps.sessionOnPort?.(via, port);
        encoded = encodeStop(payload, { ...addressed, ...(st.orders.has(port) ? { orderNo: st.orders.get(port)! } : sessionId ? { sessionId } : {}) });
      } else if (payload.type === 'deny') {
        if (!card) {
          ack(device, cmdId, false, `deny: no swipe on port ${port} to answer (a JUY board is refused only in answer to its 0x87)`);
          return { ok: false };
        }
        encoded = encodeDeny(payload, { ...addressed, cardId: card });
      } else {
        ack(device, cmdId, false, `unencodable: a JUY controller takes start, stop and deny, not ${String(payload.type).slice(0, 20)}`);
        return { ok: false };
      }
      if (!encoded.ok) {
        ack(device, cmdId, false, `${encoded.reason}: ${encoded.message}`);
        return { ok: false };
      }
      const enc = encoded;
      if (enc.pending) {
        st.pending = [...st.pending.filter((p) => p.cmdId !== cmdId && deps.now() - p.sentAtMs < 60_000).slice(-200), { ...enc.pending, sentAtMs: deps.now() }];
        if (payload.type === 'start' && enc.orderNo !== undefined) st.orders.set(port, enc.orderNo);
      }
      if (payload.type !== 'stop') st.swipes.delete(port);
      return {
        ok: true,
        bytes: enc.bytes,
        written: (err) => {
          if (err) {
            st.pending = st.pending.filter((p) => p.cmdId !== cmdId);
            return ack(device, cmdId, false, 'not written: the connection closed');
          }
          // The device never answers a refusal: written is all that can be proved.
          if (payload.type === 'deny') ack(device, cmdId, true, `written to the controller (0x87 refusal, over ${deps.transport.toUpperCase()}); the device does not answer it`);
        },
      };
    },
    /**
     * A decoded frame of a logged-in device: its messages stored, its state updated. Resolves
     * with the answer to write, only once stored (an end report unanswered is resent, never lost).
     */
    async handle(deviceId: string, d: DecodedUplink): Promise<Uint8Array | undefined> {
      const st = stateOf(deviceId);
      const detail = d.detail;
      switch (detail.kind) {
        case 'login': {
          // (Again) on this connection: answered, its port list starts over.
          st.previousPorts = undefined;
          const reply = encodeLoginReply(loginReplyFor(detail, { registered: true, transport: deps.transport, heartbeatS: deps.heartbeatS }));
          return reply instanceof Uint8Array ? reply : undefined;
        }
        case 'heartbeat': {
          const events = diffPortStates(st.previousPorts, detail.ports, { id: d.id, ts: d.ts });
          for (const e of events) await deps.gateway.vendorIntake.submit(deps.source, deviceId, 'event', e as unknown as Record<string, unknown>, rawOf(d));
          st.previousPorts = detail.ports;
          break;
        }
        case 'card-auth':
          if (detail.answer === 'start-or-deny') st.swipes.set(detail.port, { cardId: detail.cardId, atMs: deps.now() });
          else deps.log.info({ deviceId, port: detail.port }, 'card balance query: not answered (the balance is not the transport’s to tell)');
          await submitAll(deviceId, d);
          break;
        case 'start-answer':
        case 'stop-answer':
          await submitAll(deviceId, d);
          if (detail.cmdId) st.pending = st.pending.filter((p) => p.cmdId !== detail.cmdId);
          if (detail.kind === 'stop-answer' && detail.ok && st.orders.get(detail.port) === detail.orderNo) st.orders.delete(detail.port);
          break;
        case 'end':
          await submitAll(deviceId, d);
          if (st.orders.get(detail.port) === detail.orderNo) st.orders.delete(detail.port);
          break;
        case 'local-start':
          st.orders.set(detail.port, detail.orderNo);
          await submitAll(deviceId, d);
          break;
        default:
          await submitAll(deviceId, d);
      }
      return d.reply;
    },
    /** A new connection: the port list starts over (every port is reported after a login). */
    reconnected(deviceId: string): void {
      stateOf(deviceId).previousPorts = undefined;
    },
    forget(deviceId: string): void {
      state.delete(deviceId);
    },
  };
}

export type JuySessions = ReturnType<typeof createJuySessions>;
