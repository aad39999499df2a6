import type { Api } from './api.js';
import type { Items } from './types.js';
import type { Alert, CostSplit, Lift, MaintenanceRecord, MaintenanceStatus, Rides, RunningCost, RunningCostKind, RunningCosts } from './types-elevator.js';

/** The elevators' API (server/http/routes/elevators.ts) and closing an alert; paths built here only. */
const enc = encodeURIComponent;

export function elevatorApi(api: Api, estateId: string) {
  const E = `/api/estates/${enc(estateId)}`;
  const L = (id: string) => `${E}/elevators/${enc(id)}`;
  return {
    list: () => api.call<Items<Lift>>('GET', `${E}/elevators`),
    /** Every alert of the elevator, newest first: open, recovered and closed. */
    faults: (id: string, limit = 50) => api.call<Items<Alert>>('GET', `${L(id)}/faults?limit=${limit}`),
    /** `from` inclusive, `to` exclusive, ISO with offset. */
    rides: (id: string, from: string, to: string) => api.call<Rides>('GET', `${L(id)}/rides?from=${enc(from)}&to=${enc(to)}`),
    costSplit: (id: string, totalFen: number) => api.call<CostSplit>('GET', `${L(id)}/cost-split?totalFen=${totalFen}`),
    /** `month` 'YYYY-MM' (Beijing). */
    runningCosts: (id: string, month: string) => api.call<RunningCosts>('GET', `${L(id)}/running-costs?month=${enc(month)}`),
    addRunningCost: (id: string, body: { month: string; kind: RunningCostKind; fen: number; note?: string }) => api.call<RunningCost>('POST', `${L(id)}/running-costs`, body),
    maintenance: (id: string) => api.call<{ items: MaintenanceRecord[]; status: MaintenanceStatus }>('GET', `${L(id)}/maintenance`),
    addMaintenance: (id: string, body: { doneBy: string; doneAt: string; what: string }) => api.call<MaintenanceRecord>('POST', `${L(id)}/maintenance`, body),
    /** A person closes an alert with a note of what was done (committee and volunteers). */
    closeAlert: (alertId: string, note: string) => api.call<Alert>('POST', `${E}/alerts/${enc(alertId)}/close`, { note }),
  };
}

export type ElevatorApi = ReturnType<typeof elevatorApi>;
