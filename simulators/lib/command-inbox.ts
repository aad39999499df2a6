import { isId, parseCommand, type Ack, type DeviceKind } from '../../devices/index.js';

/** A command that passed its kind's schema. */
export type ParsedCommand = Record<string, unknown> & { type: string; cmdId: string; expiresAt?: string };

export type CommandResult = { ok: true } | { ok: false; error: string };

export type InboxOutcome =
  /** Not JSON or no usable cmdId: nothing can be acked. */
  | { action: 'drop'; reason: string }
  /** Seen before: send the same ack again, do not run it again. */
  | { action: 'reack'; ack: Ack }
  /** Refused without running it (schema, expired). */
  | { action: 'refuse'; cmdId: string; error: string }
  | { action: 'execute'; cmd: ParsedCommand };

const REMEMBERED_CMDS = 1_000; // far more than a gate sees between two resends (10 s)

/**
 * The device side of contract §Acks. MQTT 3.1.1 §4.3.2: QoS 1 may deliver a
 * command twice, and the gateway resends once on a lost ack — so a device
 * remembers each cmdId's answer and repeats it rather than moving the arm twice.
 */
export class CommandInbox {
  private readonly answered = new Map<string, Ack>();

  constructor(
    private readonly kind: DeviceKind,
    private readonly now: () => number = Date.now,
  ) {}

  receive(payload: Buffer | string): InboxOutcome {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString());
    } catch {
      return { action: 'drop', reason: 'cmd payload is not JSON' };
    }
    const cmdId = (json as { cmdId?: unknown } | null)?.cmdId;
    if (!isId(cmdId)) return { action: 'drop', reason: 'cmd has no valid cmdId' };

    const previous = this.answered.get(cmdId);
    if (previous) return { action: 'reack', ack: previous };

    const parsed = parseCommand(this.kind, json);
    if (!parsed.ok) return { action: 'refuse', cmdId, error: `invalid: ${parsed.message}`.slice(0, 200) };
    const cmd = parsed.message as ParsedCommand;
    // Contract §gate: a command whose expiresAt has passed is dropped and acked "expired".
    if (cmd.expiresAt !== undefined && Date.parse(cmd.expiresAt) <= this.now()) {
      return { action: 'refuse', cmdId, error: 'expired' };
    }
    return { action: 'execute', cmd };
  }

  /** Keeps the answer given to a cmdId, oldest forgotten first. */
  remember(ack: Ack): void {
    this.answered.set(ack.cmdId, ack);
    if (this.answered.size > REMEMBERED_CMDS) {
      const oldest = this.answered.keys().next().value;
      if (oldest !== undefined) this.answered.delete(oldest);
    }
  }
}
