import { matchPlate } from './plate-match.js';
import { validatePlate } from './plates.js';
import { endOfLocalDate, inDailyWindow, yuan } from './local-time.js';
import type { GateDecision, GateFacts, RegisteredVehicle } from './facts.js';

/**
 * Entry decisions: a list of rules tried in order; the first that decides wins.
 * Each cites its charter clause. Pure: everything comes in through GateFacts.
 */
type Matched = { plate: string; vehicle?: RegisteredVehicle; fuzzy?: number };
type EntryRule = { id: string; decide: (f: GateFacts, m: Matched) => GateDecision | undefined };

/** Below the threshold but this close to a registered plate: a person should look, not a stranger's tariff. */
const GUARD_FLOOR = 0.5;
const DAY_MS = 24 * 3_600_000;

const open = (d: Omit<GateDecision, 'action' | 'billable'> & { billable?: boolean }): GateDecision => ({ action: 'open', billable: false, ...d });
const deny = (d: Omit<GateDecision, 'action' | 'billable'>): GateDecision => ({ action: 'deny', billable: false, ...d });

function freeSpaces(f: GateFacts, forVisitor: boolean): number {
  const usable = forVisitor ? f.lot.capacity - f.lot.reservedForResidents : f.lot.capacity;
  return Math.max(0, usable - f.occupancy.total);
}

/** Is a registered vehicle's validity current, in grace (monthly), or over? */
function validity(v: RegisteredVehicle, atMs: number, graceDays: number): 'valid' | 'grace' | 'expired' | 'not-yet' {
  if (v.validFrom && Date.parse(`${v.validFrom}T00:00:00+08:00`) > atMs) return 'not-yet';
  if (!v.validUntil) return 'valid';
  const end = endOfLocalDate(v.validUntil);
  if (atMs < end) return 'valid';
  return atMs < end + graceDays * DAY_MS ? 'grace' : 'expired';
}

const emergencyPlate: EntryRule = {
  id: 'emergency-plate',
  decide: (f, m) => {
    const c = f.parking.classes.emergency;
    const hit = c.platePatterns.some((p) => new RegExp(p).test(m.plate)) || m.vehicle?.vehicleClass === 'emergency';
    return hit ? open({ clause: c.clause, vehicleClass: 'emergency', plate: m.plate, display: c.say, explain: `${m.plate} 是紧急车辆，按公约第${c.clause}条随时放行` }) : undefined;
  },
};

const blacklist: EntryRule = {
  id: 'blacklist',
  decide: (f, m) => {
    const c = f.parking.classes.blacklist;
    return m.vehicle?.vehicleClass === 'blacklist'
      ? deny({ clause: c.clause, vehicleClass: 'blacklist', plate: m.plate, display: c.say, explain: `${m.plate} 在禁止通行名单上（公约第${c.clause}条）` })
      : undefined;
  },
};

const internal: EntryRule = {
  id: 'internal',
  decide: (f, m) => {
    const c = f.parking.classes.internal;
    if (m.vehicle?.vehicleClass !== 'internal' || validity(m.vehicle, f.atMs, 0) !== 'valid') return undefined;
    return open({ clause: c.clause, vehicleClass: 'internal', plate: m.plate, display: c.say, explain: `${m.plate} 是登记的内部/服务车辆，按公约第${c.clause}条放行` });
  },
};

const resident: EntryRule = {
  id: 'resident',
  decide: (f, m) => {
    const v = m.vehicle;
    const c = f.parking.classes.resident;
    if (v?.vehicleClass !== 'resident' || validity(v, f.atMs, 0) !== 'valid') return undefined;
    const base = { vehicleClass: 'resident' as const, plate: m.plate, householdId: v.householdId };
    const spaces = v.householdId ? f.householdSpaces(v.householdId) : 0;
    if (!v.householdId || spaces === 0 || f.groupInside(v.householdId) < spaces) {
      return open({ ...base, clause: c.clause, display: c.say, explain: `${m.plate} 是业主车辆，按公约第${c.clause}条免费进入` });
    }
    const g = f.parking.groups;
    if (!g.overflowMayEnter) {
      return deny({ ...base, clause: g.clause, display: '家庭车位已满 请勿进入', explain: `本户${spaces}个车位都已有车在场，公约第${g.clause}条规定同户其他车辆此时不能进入` });
    }
    if (freeSpaces(f, false) === 0) return deny({ ...base, clause: f.parking.classes.temporary.clause, display: '车位已满', explain: '停车场已满，本户车位也已占满' });
    const pays = g.overflowPaysTemporary;
    return open({
      ...base,
      clause: g.clause,
      overflow: true,
      billable: pays,
      display: pays ? '家庭车位已满 按临时车计费' : c.say,
      explain: `本户${spaces}个车位已满，按公约第${g.clause}条允许进入${pays ? '，按临时车收费' : '，不收费'}`,
    });
  },
};

const monthly: EntryRule = {
  id: 'monthly',
  decide: (f, m) => {
    const v = m.vehicle;
    const c = f.parking.classes.monthly;
    if (v?.vehicleClass !== 'monthly') return undefined;
    const state = validity(v, f.atMs, c.graceDays);
    const base = { clause: c.clause, vehicleClass: 'monthly' as const, plate: m.plate, householdId: v.householdId };
    if (state === 'valid') return open({ ...base, display: c.say, explain: `${m.plate} 月租有效至${v.validUntil ?? '长期'}，按公约第${c.clause}条放行` });
    if (state === 'grace') return open({ ...base, display: '月租已到期 请续费', explain: `${m.plate} 月租已于${v.validUntil}到期，仍在公约第${c.clause}条的${c.graceDays}天宽限期内，放行并提醒续费` });
    return undefined; // expired beyond grace (or not yet valid): a temporary car from here on
  },
};

const visitorPass: EntryRule = {
  id: 'visitor-pass',
  decide: (f, m) => {
    const pass = f.activePass(m.plate);
    const c = f.parking.classes.visitor;
    if (!pass) return undefined;
    return open({
      clause: c.clause,
      vehicleClass: 'visitor',
      plate: m.plate,
      householdId: pass.householdId,
      billable: !c.free,
      display: c.say,
      explain: `${m.plate} 有住户${pass.householdId}登记的访客通行证（至${pass.validTo.slice(0, 16).replace('T', ' ')}），按公约第${c.clause}条放行${c.free ? '，不收费' : '，按临时车收费'}`,
    });
  },
};

const windowPass: EntryRule = {
  id: 'window-pass',
  decide: (f, m) => {
    const isResident = m.vehicle?.vehicleClass === 'resident';
    const w = f.parking.windowPasses.find(
      (p) => p.lotId === f.lot.id && (p.plates.includes(m.plate) || (p.allResidents && isResident)) && inDailyWindow(f.atMs, p.from, p.to, p.days),
    );
    if (!w) return undefined;
    return open({ clause: w.clause, vehicleClass: 'window', plate: m.plate, display: `${w.name} 欢迎`, explain: `${m.plate} 在“${w.name}”时段（${w.from}–${w.to}）内，按公约第${w.clause}条放行` });
  },
};

const temporary: EntryRule = {
  id: 'temporary',
  decide: (f, m) => {
    const c = f.parking.classes.temporary;
    const base = { clause: c.clause, vehicleClass: 'temporary' as const, plate: m.plate };
    if (!c.allowed) return deny({ ...base, display: '非本小区车辆 请勿进入', explain: `公约第${c.clause}条不允许未登记车辆进入` });
    const free = freeSpaces(f, true);
    if (free === 0) return deny({ ...base, display: '车位已满 余位0', voice: '车位已满，请勿进入', explain: `访客可用车位已满（共${f.lot.capacity}个，其中${f.lot.reservedForResidents}个留给业主）` });
    const owed = f.arrearsFen(m.plate);
    const a = f.parking.arrears;
    if (owed > 0 && a.denyEntryAtFen !== undefined && owed >= a.denyEntryAtFen) {
      return deny({ ...base, clause: a.clause, display: `请先补缴欠费 ${yuan(owed)}`, explain: `${m.plate} 此前欠费${yuan(owed)}，按公约第${a.clause}条补缴后才能进入` });
    }
    const t = f.parking.tariff;
    const note = owed > 0 ? ` 欠费${yuan(owed)}` : '';
    // 余位 after this car: what the next visitor will find.
    return open({
      ...base,
      billable: true,
      display: `临时车 免费${t.freeMinutes}分钟${note} 余位${free - 1}`,
      voice: `临时车，免费停车${t.freeMinutes}分钟`,
      explain: `${m.plate} 未登记，按公约第${c.clause}条作为临时车进入，免费${t.freeMinutes}分钟，之后按第${t.clause}条收费${owed > 0 ? `；此前欠费${yuan(owed)}` : ''}`,
    });
  },
};

export const ENTRY_RULES: EntryRule[] = [emergencyPlate, blacklist, internal, resident, monthly, visitorPass, windowPass, temporary];

/** Plate → registered vehicle, exact or fuzzy; a near miss goes to the guard. */
export function resolvePlate(f: GateFacts): { matched: Matched } | { decision: GateDecision } {
  const p = f.parking.plates;
  const raw = f.plateRead.trim();
  const check = validatePlate(raw);
  if (!raw || !check.ok) {
    return { decision: { action: 'guard', billable: false, clause: p.clause, plate: raw || undefined, display: '未识别车牌 请稍候', explain: raw ? `车牌“${raw}”无法识别，按公约第${p.clause}条请值班人员确认` : `没有识别到车牌，按公约第${p.clause}条请值班人员确认` } };
  }
  const m = matchPlate(check.plate, f.confidence, f.registeredPlates, { threshold: p.fuzzyThreshold });
  if (m.kind === 'exact') return { matched: { plate: m.plate, vehicle: f.vehicle(m.plate) } };
  if (m.kind === 'fuzzy') return { matched: { plate: m.plate, vehicle: f.vehicle(m.plate), fuzzy: m.score } };
  const near = m.candidates.filter((c) => c.score >= GUARD_FLOOR);
  if (near.length > 0) {
    return { decision: { action: 'guard', billable: false, clause: p.clause, plate: check.plate, candidates: near, display: '车牌待确认 请稍候', explain: `识别为${check.plate}，与登记车辆${near[0]!.plate}相近但把握不足（低于公约第${p.clause}条的阈值），请值班人员确认` } };
  }
  return { matched: { plate: check.plate } };
}

export function decideEntry(f: GateFacts): GateDecision {
  const r = resolvePlate(f);
  if ('decision' in r) return r.decision;
  for (const rule of ENTRY_RULES) {
    const d = rule.decide(f, r.matched);
    if (d) return r.matched.fuzzy !== undefined ? { ...d, explain: `${d.explain}（车牌按相似度${r.matched.fuzzy.toFixed(2)}匹配）` } : d;
  }
  throw new Error('the temporary rule decides every car');
}
