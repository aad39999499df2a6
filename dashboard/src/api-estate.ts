import type { Api } from './api.js';
import type { Items } from './types.js';
import type {
  CharterChange,
  CharterVersion,
  HouseholdSummary,
  ImportOk,
  Lanes,
  ManualOpen,
  NewPass,
  Page,
  PassIssued,
  Stay,
  UnmatchedExit,
  Vehicle,
  VisitorPass,
} from './types-estate.js';

/** The estate's API (server/README.md, issue 3), one small client per audience; paths built here only. */
const enc = encodeURIComponent;
const under = (estateId: string) => `/api/estates/${enc(estateId)}`;

export function parkingApi(api: Api, estateId: string) {
  const E = under(estateId);
  return {
    lanes: () => api.call<Lanes>('GET', `${E}/parking/lanes`),
    openStays: () => api.call<Items<Stay>>('GET', `${E}/parking/stays?open=true&limit=1000`),
    openGate: (gateId: string, body: { direction: 'in' | 'out'; reason: string; plate?: string }) =>
      api.call<{ id: string; cmdId: string | null }>('POST', `${E}/gates/${enc(gateId)}/open`, body),
    unmatched: () => api.call<Items<UnmatchedExit>>('GET', `${E}/parking/unmatched-exits`),
    /** With a stay: matched to that car. Without: closed with the charter's default fee. */
    resolve: (id: string, stayId?: string) => api.call<{ stay?: Stay }>('POST', `${E}/parking/unmatched-exits/${enc(id)}/resolve`, stayId ? { stayId } : {}),
    payCash: (stayId: string) => api.call<{ stay: Stay }>('POST', `${E}/parking/stays/${enc(stayId)}/pay`, { method: 'cash' }),
    manualOpens: () => api.call<Items<ManualOpen>>('GET', `${E}/parking/manual-opens?limit=200`),
  };
}

export function registerApi(api: Api, estateId: string) {
  const E = under(estateId);
  return {
    households: (limit: number, offset: number) => api.call<Page<HouseholdSummary>>('GET', `${E}/households?limit=${limit}&offset=${offset}`),
    vehicles: (limit: number, offset: number) => api.call<Page<Vehicle>>('GET', `${E}/vehicles?limit=${limit}&offset=${offset}`),
    addVehicle: (body: Record<string, unknown>) => api.call<Vehicle>('POST', `${E}/vehicles`, body),
    /** The spreadsheet as it is; a 422 carries the row errors (ApiError.body). */
    importCsv: (file: Blob, dryRun: boolean) => api.upload<ImportOk>(`${E}/import/households${dryRun ? '?dryRun=true' : ''}`, file, 'text/csv'),
  };
}

export function charterApi(api: Api, estateId: string) {
  const E = under(estateId);
  return {
    versions: () => api.call<Items<CharterVersion>>('GET', `${E}/charter/versions`),
    diff: (from: number, to: number) => api.call<{ from: number; to: number; changes: CharterChange[] }>('GET', `${E}/charter/diff?from=${from}&to=${to}`),
  };
}

export function residentApi(api: Api, estateId: string) {
  const E = under(estateId);
  return {
    myVehicles: () => api.call<Items<Vehicle>>('GET', '/api/me/vehicles'),
    passes: () => api.call<Items<VisitorPass>>('GET', `${E}/visitor-passes`),
    addPass: (body: NewPass) => api.call<PassIssued>('POST', `${E}/visitor-passes`, body),
    cancelPass: (id: string) => api.call<{ id: string }>('DELETE', `${E}/visitor-passes/${enc(id)}`),
    myStays: () => api.call<Items<Stay>>('GET', `${E}/parking/my-stays`),
  };
}
