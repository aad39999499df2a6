import type { z } from 'zod';
import { PortStateEvent, type PortState } from '../../charger/schemas.js';
import { PORT_STATUS } from './commands.js';

export type PortStateMessage = z.infer<typeof PortStateEvent>;

/** One port of a 0x82 heartbeat. */
export interface PortReading {
  port: number;
  /** The status byte as sent. */
  code: number;
  /** The contract state; absent for a code this codec does not know (no event is made for it). */
  state?: PortState;
  reason?: string;
}

export function readPortStatus(port: number, code: number): PortReading {
  const known = PORT_STATUS[code];
  if (!known) return { port, code };
  return { port, code, state: known.state, ...(known.reason !== undefined && { reason: known.reason }) };
}

/**
 * The contract `port.state` events between two heartbeats: one per port whose
 * state (or fault reason) changed; every known port when there is no previous
 * list (the first heartbeat after a login). Pure; ids are `{id}.p{port}` from the
 * heartbeat's own message id.
 */
export function diffPortStates(
  previous: readonly PortReading[] | undefined,
  current: readonly PortReading[],
  envelope: { id: string; ts: string },
): PortStateMessage[] {
  const before = new Map((previous ?? []).map((p) => [p.port, p]));
  const out: PortStateMessage[] = [];
  for (const p of current) {
    if (p.state === undefined) continue;
    const was = before.get(p.port);
    if (previous && was && was.state === p.state && was.reason === p.reason) continue;
    const event = PortStateEvent.safeParse({
      id: `${envelope.id}.p${p.port}`,
      ts: envelope.ts,
      type: 'port.state',
      port: p.port,
      state: p.state,
      ...(p.reason !== undefined && { reason: p.reason }),
    });
    if (event.success) out.push(event.data);
  }
  return out;
}
