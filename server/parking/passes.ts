import { randomUUID } from 'node:crypto';
import type { ParkingSection } from '../charter/parking-schema.js';
import type { ParkingRepo } from '../store/parking-repo.js';
import { localMonth } from './local-time.js';
import { validatePlate } from './plates.js';
import type { VisitorPass } from './types.js';

export type PassResult = { ok: true; pass: VisitorPass; usedThisMonth: number; quota: number } | { ok: false; field: string; message: string };

/**
 * A resident registers a visitor's car for a time window; the charter sets the
 * longest window and how many passes a household may issue per calendar month.
 */
export function issueVisitorPass(repo: ParkingRepo, p: ParkingSection, req: { estateId: string; householdId: string; plate: string; validFrom: number; validTo: number; by: string; now: number }): PassResult {
  const c = p.classes.visitor;
  const plate = validatePlate(req.plate);
  if (!plate.ok) return { ok: false, field: 'plate', message: `plate: ${plate.reason}` };
  if (req.validTo <= req.validFrom) return { ok: false, field: 'validTo', message: 'validTo: must be after validFrom' };
  if (req.validTo < req.now) return { ok: false, field: 'validTo', message: 'validTo: already in the past' };
  if (req.validTo - req.validFrom > c.maxPassHours * 3_600_000) {
    return { ok: false, field: 'validTo', message: `validTo: a visitor pass lasts at most ${c.maxPassHours} hours (charter clause ${c.clause})` };
  }
  const month = localMonth(req.validFrom);
  const used = repo.passesIssuedBetween(req.estateId, req.householdId, new Date(month.from).toISOString(), new Date(month.to).toISOString());
  if (used >= c.monthlyQuotaPerHousehold) {
    return { ok: false, field: 'householdId', message: `本月访客通行证已用完（${c.monthlyQuotaPerHousehold}张，公约第${c.clause}条） / this month's quota of ${c.monthlyQuotaPerHousehold} passes is used up` };
  }
  const pass: VisitorPass = {
    id: `pass-${randomUUID()}`,
    estateId: req.estateId,
    householdId: req.householdId,
    plate: plate.plate,
    validFrom: new Date(req.validFrom).toISOString(),
    validTo: new Date(req.validTo).toISOString(),
    issuedBy: req.by,
    createdAt: new Date(req.now).toISOString(),
  };
  repo.addPass(pass);
  return { ok: true, pass, usedThisMonth: used + 1, quota: c.monthlyQuotaPerHousehold };
}
