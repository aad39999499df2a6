import type { z } from 'zod';
import { ElevatorFault, EmergencyCall, Floor } from '../../elevator/schemas.js';
import { Timestamp } from '../../envelope.js';
import { isId } from '../../ids.js';
import { rejectBox, type BoxRejection } from './frame.js';
import { faultRow, FaultSource, type ServiceMode } from './fault-tables.js';

/**
 * A box reports the faults active now (an `info` frame's `fault` array, every
 * half second or so on the firmware that speaks this protocol), not raise/clear
 * events. The contract wants events, so the set is compared with the last one:
 * a contract code entering the set raises, one leaving clears. Codes are mapped
 * first and compared as contract codes: 平层关人 and 非平层关人 are both `trapped`,
 * and a box that moves from one to the other has not freed anyone.
 */

export type ElevatorFaultMessage = z.infer<typeof ElevatorFault>;
export type EmergencyCallMessage = z.infer<typeof EmergencyCall>;

export interface BoxEvent {
  message: ElevatorFaultMessage | EmergencyCallMessage;
  /** The box's own codes behind it (the vendor message kept for support). */
  vendorCodes: string[];
}

/** Persist this per lift (not per TCP connection) and pass it back with the next set. */
export interface FaultState {
  /** Base-36 receipt time (ms) of the first set this state saw: ids of a lost-and-remade state never repeat old ones. */
  epoch: string;
  /** Raises so far. */
  seq: number;
  /** Open effects (`fault:<code>`, `event:emergency.call`) → the id of the message that raised them. */
  open: Record<string, string>;
}

export interface DiffContext {
  /** The box's login id; the start of every message id. */
  eid: string;
  source: FaultSource;
  /** ISO 8601: when the frame was received (the frames carry no time). */
  receivedAt: string;
  /** The car's floor in the same frame, put on raised faults when it is a contract floor. */
  floor?: number;
}

export interface UnknownCode {
  code: string;
  reason: string;
}

export interface FaultDiff {
  /** Clears first, then raises, each in code order. */
  events: BoxEvent[];
  state: FaultState;
  /** Operating modes the set names (Chongqing 40–47): not faults, nothing raised. */
  modes: ServiceMode[];
  /** Codes the source's table does not explain. Each is still raised, as `unknown-<source>-<code>`. */
  unknown: UnknownCode[];
}

/** A code as a box writes it: 7, "7", "07" → "7"; "f9999" → "F9999". Undefined for anything else. */
export function normalizeFaultCode(raw: unknown): string | undefined {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 0 && raw <= 999_999 ? String(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim().toUpperCase();
  if (/^\d{1,6}$/.test(s)) return String(Number(s));
  return /^[A-Z]\d{1,6}$/.test(s) ? s : undefined;
}

export type Effect = { kind: 'fault'; code: string } | { kind: 'emergency.call' };

export interface Interpretation {
  /** Effect key (`fault:trapped`, `event:emergency.call`) → the effect and the box codes behind it. */
  effects: Map<string, { effect: Effect; vendorCodes: string[] }>;
  modes: ServiceMode[];
  unknown: UnknownCode[];
}

/** What a set of box codes means under a source's table. Pure; the same set always gives the same answer. */
export function interpretFaults(source: FaultSource, codes: readonly string[]): Interpretation {
  const effects: Interpretation['effects'] = new Map();
  const modes = new Set<ServiceMode>();
  const unknown: UnknownCode[] = [];
  const add = (key: string, effect: Effect, code: string) => {
    const e = effects.get(key) ?? { effect, vendorCodes: [] };
    if (!e.vendorCodes.includes(code)) e.vendorCodes.push(code);
    effects.set(key, e);
  };
  for (const code of codes) {
    const row = faultRow(source, code);
    const effect = row?.effect;
    if (effect && 'fault' in effect) add(`fault:${effect.fault}`, { kind: 'fault', code: effect.fault }, code);
    else if (effect && 'event' in effect) add(`event:${effect.event}`, { kind: 'emergency.call' }, code);
    else if (effect && 'mode' in effect) modes.add(effect.mode);
    else {
      // Never dropped: the box says something is wrong and nobody here can say what, so a person looks.
      const reason = effect?.unknown ?? `not in the ${source} table (registered fault numbering: ${source})`;
      if (!unknown.some((u) => u.code === code)) unknown.push({ code, reason: `${code}: ${reason}` });
      const fault = unknownFaultCode(source, code);
      add(`fault:${fault}`, { kind: 'fault', code: fault }, code);
    }
  }
  return { effects, modes: [...modes].sort(), unknown };
}

/** The contract code an unexplained box code is raised under, e.g. `unknown-elevatorcloud-99`. */
export function unknownFaultCode(source: FaultSource, code: string): string {
  return `unknown-${source}-${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

/**
 * The events between the last set and this one. `previous` undefined (a new lift,
 * or state lost): everything in the set is raised and nothing is cleared, since
 * we cannot know what the server still has open.
 *
 * Ids are deterministic: the same state and the same set give the same ids, so a
 * frame processed twice (a crash between emitting and saving the state) is
 * de-duplicated by intake; a frame repeating the last set gives no events at all.
 * A clear carries its raise's id plus `.off`.
 */
export function diffFaults(previous: FaultState | undefined, current: readonly string[], ctx: DiffContext): FaultDiff | BoxRejection {
  if (!FaultSource.safeParse(ctx.source).success) return rejectBox('schema', 'faultSource', `"${String(ctx.source).slice(0, 20)}" is not a fault numbering (${FaultSource.options.join(', ')})`);
  if (!Timestamp.safeParse(ctx.receivedAt).success) return rejectBox('schema', 'receivedAt', 'not an ISO 8601 time with a zone');
  const ms = Date.parse(ctx.receivedAt);
  if (!isId(ctx.eid) || ctx.eid.length > 32) return rejectBox('schema', 'eid', 'must be 1–32 of A-Z a-z 0-9 _ . - (a box id)');

  const now = interpretFaults(ctx.source, current);
  const state: FaultState = previous ? { epoch: previous.epoch, seq: previous.seq, open: { ...previous.open } } : { epoch: ms.toString(36), seq: 0, open: {} };
  const floor = ctx.floor !== undefined && Floor.safeParse(ctx.floor).success ? ctx.floor : undefined;
  const events: BoxEvent[] = [];

  for (const key of Object.keys(state.open).sort()) {
    if (now.effects.has(key)) continue;
    const raiseId = state.open[key]!;
    delete state.open[key];
    if (!key.startsWith('fault:')) continue; // an emergency call has no "over"
    events.push({ message: { id: `${raiseId}.off`, ts: ctx.receivedAt, type: 'fault', code: key.slice(6), active: false }, vendorCodes: [] });
  }
  for (const key of [...now.effects.keys()].sort()) {
    if (state.open[key]) continue;
    const { effect, vendorCodes } = now.effects.get(key)!;
    const id = `${ctx.eid}.${state.epoch}.${++state.seq}`;
    state.open[key] = id;
    const base = { id, ts: ctx.receivedAt, ...(floor !== undefined ? { floor } : {}) };
    const message: BoxEvent['message'] =
      effect.kind === 'fault' ? { ...base, type: 'fault', code: effect.code, active: true } : { ...base, type: 'emergency.call' };
    events.push({ message, vendorCodes });
  }
  // Everything above is built from checked parts; checked once more against the contract so a bad table row is a dead letter, not a bad event.
  for (const e of events) {
    const parsed = (e.message.type === 'fault' ? ElevatorFault : EmergencyCall).safeParse(e.message);
    if (!parsed.success) return rejectBox('schema', parsed.error.issues[0]!.path.join('.'), `${e.message.type}: ${parsed.error.issues[0]!.message}`);
  }
  return { events, state, modes: now.modes, unknown: now.unknown };
}
