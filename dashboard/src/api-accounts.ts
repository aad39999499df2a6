import type { Api } from './api.js';
import type { AssetFund, NewAsset, NewContribution, NewCost, Overview, Prepaid, Published, Statement } from './types-accounts.js';

/** 公开账目 (server/http/routes/accounts.ts), the committee's; paths built here only. */
const enc = encodeURIComponent;

export function accountsApi(api: Api, estateId: string) {
  const A = `/api/estates/${enc(estateId)}/accounts`;
  const asset = (id: string) => `${A}/assets/${enc(id)}`;
  return {
    overview: () => api.call<Overview>('GET', `${A}/assets`),
    addAsset: (body: NewAsset) => api.call<AssetFund>('POST', `${A}/assets`, body),
    contribute: (assetId: string, body: NewContribution) => api.call<unknown>('POST', `${asset(assetId)}/contributions`, body),
    addCost: (assetId: string, body: NewCost) => api.call<unknown>('POST', `${asset(assetId)}/costs`, body),
    prepaid: () => api.call<Prepaid>('GET', `${A}/prepaid`),
    /** A 409 says it is more than the household's balance. */
    refund: (householdId: string, amountFen: number, note?: string) => api.call<{ refundId: string; balanceFen: number }>('POST', `${A}/refunds`, { householdId, amountFen, ...(note ? { note } : {}) }),
    /** `month` 'YYYY-MM' (local). */
    statement: (assetId: string, month: string) => api.call<Statement>('GET', `${asset(assetId)}/statements/${enc(month)}`),
    /** The same statement as CSV for a spreadsheet; fetched with the token, which a plain link could not send. */
    statementCsv: (assetId: string, month: string) => api.download(`${asset(assetId)}/statements/${enc(month)}?format=csv`),
    /** Cancels an entered line with a reversal dated now; a 409 ALREADY_REVERSED if it was. */
    reverse: (assetId: string, kind: 'contributions' | 'costs', lineId: string, reason: string) => api.call<{ reversalId: string }>('POST', `${asset(assetId)}/${kind}/${enc(lineId)}/reverse`, { reason }),
    /** 公示 a month that is over: 409 ALREADY_PUBLISHED or MONTH_NOT_OVER otherwise. */
    publish: (assetId: string, month: string) => api.call<Published>('POST', `${asset(assetId)}/statements/${enc(month)}/publish`),
  };
}

export type AccountsApi = ReturnType<typeof accountsApi>;
