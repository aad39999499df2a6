import type { Api } from './api.js';
import type { Items } from './types.js';
import type { AuditEntry, AuditFilter, Bucket, ChargerUsage, ElevatorUsage, GateUsage, Uptime } from './types-reports.js';

/** The committee's reports (issue 7): uptime, usage, the audit list; paths built here only. */
const enc = encodeURIComponent;

const query = (params: Record<string, string | number | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${enc(String(v))}`)
    .join('&');

export function reportsApi(api: Api, estateId: string) {
  const E = `/api/estates/${enc(estateId)}`;
  /** `from`, `to`: local dates 'YYYY-MM-DD', `to` included (the server reads them in UTC+8). */
  const usage = <T>(what: string, from: string, to: string, bucket: Bucket) => api.call<T>('GET', `${E}/reports/usage/${what}?${query({ from, to, bucket })}`);
  return {
    uptime: (from: string, to: string) => api.call<Uptime>('GET', `${E}/reports/uptime?${query({ from, to })}`),
    gates: (from: string, to: string, bucket: Bucket) => usage<GateUsage>('gates', from, to, bucket),
    chargers: (from: string, to: string, bucket: Bucket) => usage<ChargerUsage>('chargers', from, to, bucket),
    elevators: (from: string, to: string, bucket: Bucket) => usage<ElevatorUsage>('elevators', from, to, bucket),
    /** Newest first; `from`/`to` ISO with offset. */
    audit: (f: AuditFilter, limit = 200) => api.call<Items<AuditEntry>>('GET', `${E}/audit?${query({ ...f, limit })}`),
  };
}

export type ReportsApi = ReturnType<typeof reportsApi>;
