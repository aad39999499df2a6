import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { parseCommand, type Ack } from '../devices/index.js';
import type { DeviceSession, GatewayBus } from './events.js';
import type { Clock, CommandLog, CommandStatus } from './ports.js';

export interface CommandRequest {
  type: string;
  [field: string]: unknown;
}

export interface SendOptions {
  /**
   * The estate the command is sent for (the route's, the session's, the lane's).
   * A device of another estate is refused: the routes check every device id, and
   * this is the check behind them, so no stored mistake (a charter naming another
   * estate's gate) can move another estate's arm.
   */
  estateId: string;
  /** How long the command stays valid (and how long to wait for its ack). */
  ttlMs?: number;
  requestedBy?: string;
}

export interface CommandOutcome {
  cmdId: string;
  status: Extract<CommandStatus, 'acked' | 'rejected' | 'failed'>;
  latencyMs?: number;
  error?: string;
  /** What the ack proves when less than done (`delivered`). */
  note?: string;
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A command or retained config meant for one estate, addressed to a device of another. Nothing was sent. */
export class WrongEstateError extends Error {
  constructor(
    readonly deviceId: string,
    readonly deviceEstateId: string,
    readonly estateId: string,
  ) {
    super(`device ${deviceId} is not a device of estate ${estateId}: nothing sent`);
  }
}

/** Refuses (throws `WrongEstateError`, logged) to send to `device` for any estate but its own. */
export function assertSameEstate(device: DeviceSession, estateId: string, logger: Logger, what: string): void {
  if (device.estateId === estateId) return;
  logger.warn({ deviceId: device.deviceId, deviceEstateId: device.estateId, estateId, what }, 'refused: sent for another estate than the device’s');
  throw new WrongEstateError(device.deviceId, device.estateId, estateId);
}

export interface CommandsDeps {
  log: CommandLog;
  bus: GatewayBus;
  clock: Clock;
  logger: Logger;
  defaultTtlMs: number;
  publish: (device: DeviceSession, payload: Record<string, unknown>) => void;
}

interface InFlight {
  device: DeviceSession;
  payload: Record<string, unknown>;
  firstSentAt: number;
  attempts: number;
  ttlMs: number;
  timer: NodeJS.Timeout;
  resolve: (o: CommandOutcome) => void;
}

/** Time-sortable, unique, and inside the contract's id pattern. */
export function newCmdId(now: number): string {
  return `c${now.toString(36)}${randomBytes(5).toString('hex')}`;
}

/**
 * Contract §Acks: a command with no ack before its expiresAt is resent once,
 * then marked failed and raised. The resend keeps the cmdId, so a device that
 * did act but whose ack was lost acks again without acting twice, and carries a
 * fresh expiresAt, because the first one has passed by then.
 */
export function createCommands(deps: CommandsDeps) {
  const inFlight = new Map<string, InFlight>();
  const iso = (ms: number) => new Date(ms).toISOString();

  function send(device: DeviceSession, req: CommandRequest, opts: SendOptions): { cmdId: string; outcome: Promise<CommandOutcome> } {
    assertSameEstate(device, opts.estateId, deps.logger, `command ${req.type}`);
    const now = deps.clock.now();
    const ttlMs = opts.ttlMs ?? deps.defaultTtlMs;
    const cmdId = newCmdId(now);
    const payload = { ...req, id: cmdId, ts: iso(now), cmdId, expiresAt: iso(now + ttlMs) };
    const checked = parseCommand(device.kind, payload);
    if (!checked.ok) throw new CommandError(checked.message, checked.field);
    deps.log.create({
      cmdId,
      estateId: device.estateId,
      deviceId: device.deviceId,
      type: req.type,
      payload: checked.message,
      status: 'sent',
      attempts: 1,
      requestedBy: opts.requestedBy,
      createdAt: iso(now),
      expiresAt: payload.expiresAt,
    });
    const outcome = new Promise<CommandOutcome>((resolve) => {
      const entry: InFlight = { device, payload: checked.message, firstSentAt: now, attempts: 1, ttlMs, resolve, timer: undefined! };
      entry.timer = setTimeout(() => onDeadline(cmdId), ttlMs);
      inFlight.set(cmdId, entry);
    });
    deps.publish(device, checked.message);
    return { cmdId, outcome };
  }

  function onDeadline(cmdId: string): void {
    const entry = inFlight.get(cmdId);
    if (!entry) return;
    if (entry.attempts === 1) {
      const now = deps.clock.now();
      entry.attempts = 2;
      entry.payload = { ...entry.payload, ts: iso(now), expiresAt: iso(now + entry.ttlMs) };
      deps.log.update(cmdId, { status: 'resent', attempts: 2, expiresAt: String(entry.payload.expiresAt), payload: entry.payload });
      emit(entry, cmdId, 'resent');
      entry.timer = setTimeout(() => onDeadline(cmdId), entry.ttlMs);
      deps.publish(entry.device, entry.payload);
      return;
    }
    finish(cmdId, entry, { cmdId, status: 'failed', error: 'no ack' });
  }

  /** Called with every stored ack; an ack for a command not in flight (late, or foreign) changes nothing. */
  function onAck(device: DeviceSession, ack: Ack): void {
    const entry = inFlight.get(ack.cmdId);
    if (!entry || entry.device.deviceId !== device.deviceId) {
      deps.logger.debug({ deviceId: device.deviceId, cmdId: ack.cmdId }, 'ack for no command in flight');
      return;
    }
    const latencyMs = deps.clock.now() - entry.firstSentAt;
    const note = ack.note ? { note: ack.note } : {};
    const outcome: CommandOutcome = ack.ok
      ? { cmdId: ack.cmdId, status: 'acked', latencyMs, ...note }
      : { cmdId: ack.cmdId, status: 'rejected', latencyMs, error: ack.error ?? 'refused', ...note };
    finish(ack.cmdId, entry, outcome);
  }

  function finish(cmdId: string, entry: InFlight, outcome: CommandOutcome): void {
    clearTimeout(entry.timer);
    inFlight.delete(cmdId);
    deps.log.update(cmdId, {
      status: outcome.status,
      finishedAt: iso(deps.clock.now()),
      latencyMs: outcome.latencyMs,
      error: outcome.error,
      note: outcome.note,
    });
    emit(entry, cmdId, outcome.status, outcome);
    entry.resolve(outcome);
  }

  function emit(entry: InFlight, cmdId: string, status: CommandStatus, o?: CommandOutcome): void {
    deps.bus.emit('commandOutcome', {
      estateId: entry.device.estateId,
      deviceId: entry.device.deviceId,
      kind: entry.device.kind,
      cmdId,
      cmdType: String(entry.payload.type),
      status,
      latencyMs: o?.latencyMs,
      error: o?.error,
      ...(o?.note ? { note: o.note } : {}),
    });
  }

  return {
    send,
    onAck,
    inFlightCount: () => inFlight.size,
    /** Commands still waiting when the process stops are failed, not forgotten. */
    close(): void {
      for (const [cmdId, entry] of inFlight) finish(cmdId, entry, { cmdId, status: 'failed', error: 'gateway stopped' });
    },
  };
}

export type Commands = ReturnType<typeof createCommands>;
