import type { SimLog } from '../lib/sim-log.js';
import type { LinliApi } from './api-client.js';
import type { EstateLayout } from './layout.js';
import { householdIdOf, type EstateRegister } from './register.js';

/**
 * The demo estate's open accounts (公开账目): each crowdfunded asset with the
 * devices whose fees it collects, what households put in and what the
 * committee has paid out, so the committee's statements have something to show
 * from the first run. Elevators' contributions are their members' shares (the
 * cost split), so an elevator asset only names its device.
 *
 * Written once: an asset that exists already (a second run) is left as it is.
 */
export async function provisionAccounts(api: LinliApi, o: { estateId: string; layout: EstateLayout; register: EstateRegister; today: Date }, log: SimLog): Promise<number> {
  const e = `/api/estates/${encodeURIComponent(o.estateId)}/accounts`;
  const month = new Date(o.today.getTime() - 10 * 86_400_000).toISOString().slice(0, 10); // 10 days back: inside this month or the last
  const households = o.register.households.map(householdIdOf);
  const assets = [
    { id: 'gates', name: '南北门道闸与车牌识别', kind: 'gate', deviceIds: o.layout.gates.map((g) => g.gate.id), perHouseholdFen: 30_000, costs: [['maintenance', 45_000, '道闸年度保养']] },
    { id: 'sheds', name: '电动车充电棚', kind: 'shed', deviceIds: o.layout.sheds.map((s) => s.id), perHouseholdFen: 10_000, costs: [['electricity', 86_420, '充电棚电费（供电局账单）']] },
    ...o.layout.elevators.map((lift, i) => ({ id: `lift-${i + 1}`, name: lift.name, kind: 'elevator', deviceIds: [lift.id], perHouseholdFen: 0, costs: [] as unknown[][] })),
  ];
  let created = 0;
  for (const a of assets) {
    const made = await api.request('POST', `${e}/assets`, { id: a.id, name: a.name, kind: a.kind, deviceIds: a.deviceIds });
    if (made.status === 409) continue;
    if (made.status !== 201) {
      log.warn({ asset: a.id, status: made.status, body: made.body }, 'account asset not created');
      continue;
    }
    created++;
    // Every fifth household chipped in; the rest were counted in by the vote but paid later (not shown).
    for (const householdId of a.perHouseholdFen ? households.filter((_, i) => i % 5 === 0) : []) {
      await api.request('POST', `${e}/assets/${a.id}/contributions`, { householdId, amountFen: a.perHouseholdFen, at: month, note: '众筹款' });
    }
    for (const [category, amountFen, note] of a.costs) await api.request('POST', `${e}/assets/${a.id}/costs`, { category, amountFen, at: month, note });
  }
  log.info({ estateId: o.estateId, created }, 'open accounts ready');
  return created;
}
