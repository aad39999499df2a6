import type { Direction } from '../../devices/index.js';
import type { SimLog } from '../lib/sim-log.js';
import type { LinliApi } from './api-client.js';

/**
 * The people around a gate who act through the Linli API: the guard in the booth
 * (a `guard` login) and the payment provider confirming a driver's QR-code payment
 * (the committee's session, as the provider's webhook would). Only ever called
 * when the server asked: a fee at an exit, or `请稍候` (the guard must decide).
 */
export interface GuardDesk {
  /** The driver at an exit pays the fee the board shows; resolves with the fee paid (fen), or undefined. */
  pay(gateId: string, plateRead: string, plate: string, method: 'online' | 'cash'): Promise<number | undefined>;
  /** The guard lets the car through by hand (`POST …/gates/:gateId/open`, with the plate and a reason). */
  open(gateId: string, direction: Direction, plate: string, reason: string): Promise<boolean>;
  /** An exit with no entry on record: the guard matches it to the car's stay and lets it out; resolves with the fee taken (fen). */
  resolveUnmatched(gateId: string, plateRead: string, plate: string): Promise<number | undefined>;
  /** After a hand-opened exit: a fee left owed on the car's stay is paid in cash at the booth. */
  collectOwed(plate: string): Promise<number>;
}

interface Decision {
  direction: Direction;
  plateRead: string;
  plate?: string;
  action: string;
  feeFen?: number;
  stayId?: string;
}
interface StayRow {
  id: string;
  plate: string;
  exitAt?: string;
  feeFen?: number;
  payment: string;
}
interface Unmatched {
  id: string;
  gateId: string;
  plateRead: string;
  candidates: { plate: string; stayId: string }[];
}

/**
 * Whether a plate the guard is shown is this car's: only the committee reads plates
 * in full, a guard sees 鄂A***45 (first two and last two characters) and has the car
 * in front of them.
 */
export function shownPlateIs(shown: string | undefined, plate: string): boolean {
  if (!shown) return false;
  if (!shown.includes('*')) return shown === plate;
  return plate.length > 4 && shown.slice(0, 2) === plate.slice(0, 2) && shown.slice(-2) === plate.slice(-2);
}

export function apiGuardDesk(o: { estateId: string; guard: LinliApi; payments: LinliApi; log: SimLog }): GuardDesk {
  const e = `/api/estates/${encodeURIComponent(o.estateId)}`;
  const enc = encodeURIComponent;

  const settle = async (stayId: string, method: 'online' | 'cash'): Promise<number | undefined> => {
    // Cash goes through the guard's hands; an online payment is confirmed by the provider.
    const who = method === 'cash' ? o.guard : o.payments;
    const paid = await who.request<{ stay?: StayRow }>('POST', `${e}/parking/stays/${enc(stayId)}/pay`, { method });
    if (paid.status !== 200) {
      o.log.warn({ stayId, status: paid.status, body: paid.body }, 'parking fee not paid');
      return undefined;
    }
    return paid.body.stay?.feeFen ?? 0;
  };

  return {
    async pay(gateId, plateRead, plate, method) {
      const found = await o.guard.request<{ items: Decision[] }>('GET', `${e}/parking/decisions?gateId=${enc(gateId)}&limit=5`);
      const decision = found.status === 200 ? found.body.items.find((d) => d.direction === 'out' && d.action === 'deny' && d.stayId && (shownPlateIs(d.plateRead, plateRead) || shownPlateIs(d.plate, plate))) : undefined;
      if (!decision?.stayId) {
        o.log.warn({ gateId, plate }, 'no exit decision with a fee found for this car');
        return undefined;
      }
      return settle(decision.stayId, method);
    },

    async open(gateId, direction, plate, reason) {
      const res = await o.guard.request('POST', `${e}/gates/${enc(gateId)}/open`, { direction, plate, reason });
      if (res.status !== 202) o.log.warn({ gateId, status: res.status, body: res.body }, 'guard could not open the gate');
      return res.status === 202;
    },

    async resolveUnmatched(gateId, plateRead, plate) {
      const list = await o.guard.request<{ items: Unmatched[] }>('GET', `${e}/parking/unmatched-exits`);
      if (list.status !== 200) return undefined;
      const mine = list.body.items.filter((u) => u.gateId === gateId && shownPlateIs(u.plateRead, plateRead)).at(-1);
      if (!mine) return undefined;
      // The guard walks out, looks at the car, and picks its stay from the likeliest cars inside.
      const stayId = mine.candidates.find((c) => shownPlateIs(c.plate, plate))?.stayId;
      const res = await o.guard.request<{ stay?: StayRow }>('POST', `${e}/parking/unmatched-exits/${enc(mine.id)}/resolve`, stayId ? { stayId } : { note: '现场核对无入场记录' });
      if (res.status !== 200) {
        o.log.warn({ gateId, status: res.status, body: res.body }, 'guard could not resolve the unmatched exit');
        return undefined;
      }
      const stay = res.body.stay;
      if (stay && (stay.feeFen ?? 0) > 0 && stay.payment === 'owed') return (await settle(stay.id, 'cash')) ?? 0;
      return 0;
    },

    async collectOwed(plate) {
      const res = await o.guard.request<{ items: StayRow[] }>('GET', `${e}/parking/stays?plate=${enc(plate)}&limit=5`);
      const owed = res.status === 200 ? res.body.items.find((s) => s.exitAt && s.payment === 'owed' && (s.feeFen ?? 0) > 0) : undefined;
      return owed ? ((await settle(owed.id, 'cash')) ?? 0) : 0;
    },
  };
}
