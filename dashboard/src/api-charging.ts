import { ApiError, type Api } from './api.js';
import type { Items } from './types.js';
import type { Alert, ChargingAccountView, ChargingSession, Risk, ShedView, Usage } from './types-charging.js';

/** The charging sheds' API (server/http/routes/charging.ts) for signed-in people; paths built here only. */
const enc = encodeURIComponent;

export function chargingApi(api: Api, estateId: string) {
  const E = `/api/estates/${enc(estateId)}`;
  const C = `${E}/charging`;
  return {
    sheds: () => api.call<Items<ShedView>>('GET', `${C}/sheds`),
    mySessions: () => api.call<Items<ChargingSession>>('GET', `${C}/my-sessions`),
    stop: (sessionId: string) => api.call<ChargingSession | undefined>('POST', `${C}/sessions/${enc(sessionId)}/stop`, {}),
    /** A live `charging.port-free` comes once, to this person, when a port of the shed frees up. */
    notifyFree: (shedId: string) => api.call<{ ok: true }>('POST', `${C}/sheds/${enc(shedId)}/notify-free`, {}),
    account: (householdId: string) => api.call<ChargingAccountView>('GET', `${C}/accounts/${enc(householdId)}`),
    topup: (householdId: string, amountFen: number, note?: string) =>
      api.call<{ balanceFen: number }>('POST', `${C}/accounts/${enc(householdId)}/topup`, { amountFen, ...(note ? { note } : {}) }),
    householdExists: (householdId: string) =>
      api.call<unknown>('GET', `${E}/households/${enc(householdId)}`).then(
        () => true,
        (err: unknown) => (err instanceof ApiError && err.status === 404 ? false : Promise.reject(err)),
      ),
    /** `from` inclusive, `to` exclusive, ISO with offset. */
    usage: (from: string, to: string, shedId?: string) => api.call<Usage>('GET', `${C}/usage?from=${enc(from)}&to=${enc(to)}${shedId ? `&shedId=${enc(shedId)}` : ''}`),
    risk: () => api.call<Risk>('GET', `${C}/risk`),
    openAlerts: () => api.call<Items<Alert>>('GET', `${E}/alerts?status=open`),
  };
}

export type ChargingApi = ReturnType<typeof chargingApi>;
