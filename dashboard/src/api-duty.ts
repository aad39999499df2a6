import type { Api } from './api.js';
import type { Items } from './types.js';
import type { Alert, AlertDetail, DeviceHistory, Inbox, OnDutyNow, Roster, Skill, VolunteerScore } from './types-duty.js';

/** The duty API (server/http/routes/duty.ts): inbox, claim, resolve, roster, swaps, maintenance mode. Paths built here only. */
const enc = encodeURIComponent;

export function dutyApi(api: Api, estateId: string) {
  const E = `/api/estates/${enc(estateId)}`;
  const A = (id: string) => `${E}/alerts/${enc(id)}`;
  const D = (id: string) => `${E}/devices/${enc(id)}`;
  return {
    inbox: () => api.call<Inbox>('GET', `${E}/alerts/inbox`),
    alert: (id: string) => api.call<AlertDetail>('GET', A(id)),
    /** 我来处理: a 400 says someone else was quicker. */
    claim: (id: string) => api.call<Alert>('POST', `${A(id)}/claim`),
    /** 已处理, with what was done (≥ 2 characters, as the server requires). */
    resolve: (id: string, note: string) => api.call<Alert>('POST', `${A(id)}/resolve`, { note }),
    history: (deviceId: string) => api.call<DeviceHistory>('GET', `${D(deviceId)}/history`),
    /** `until`: ISO with offset, in the future. */
    startMaintenance: (deviceId: string, until: string, reason: string) => api.call<{ deviceId: string; until: string }>('POST', `${D(deviceId)}/maintenance-mode`, { until, reason }),
    endMaintenance: (deviceId: string) => api.call<{ deviceId: string; ended: true }>('DELETE', `${D(deviceId)}/maintenance-mode`),
    roster: () => api.call<{ roster: Roster | null }>('GET', `${E}/roster`),
    saveRoster: (roster: Roster) => api.call<{ ok: true }>('PUT', `${E}/roster`, roster),
    onDuty: () => api.call<OnDutyNow>('GET', `${E}/roster/now`),
    /** A volunteer swaps their own shift (`from` is them); the committee anyone's. */
    swap: (body: { date: string; skill: Skill; from: string; to: string }) => api.call<{ ok: true }>('POST', `${E}/roster/swaps`, body),
    volunteers: () => api.call<Items<VolunteerScore>>('GET', `${E}/volunteers`),
  };
}

export type DutyApi = ReturnType<typeof dutyApi>;
