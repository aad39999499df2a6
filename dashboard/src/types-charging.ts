/*
 * The charging sheds' answers and live pushes as the dashboard reads them.
 * Types only, from server/ through `import type` (erased by esbuild): the
 * public shed page imports this too and still carries none of the server.
 */
import type { Alert, Severity } from '../../server/alerts/types.js';
import type { ChargingSession, PortRecord } from '../../server/charging/records.js';
import type { CardRisk, PortRisk } from '../../server/charging/risk.js';
import type { PublicPort, shedView } from '../../server/charging/shed-view.js';
import type { chargingUsage } from '../../server/charging/usage.js';

export type { Alert, ChargingSession, PortRecord, PublicPort, Severity };
export type PortState = PublicPort['state'];

/** GET /api/public/sheds/:shedId, each item of …/charging/sheds, and the public socket's `{type:'shed'}`. */
export type ShedView = ReturnType<typeof shedView> & {
  shedId: string;
  name: string;
  estate: string;
  /** An open safety alarm (smoke, heat): why charging stopped. */
  alarm?: { title: string; since: string } | null;
  /** 维修中: the shed is in maintenance mode until then. */
  maintenance?: { until: string; reason: string } | null;
};

export type Usage = ReturnType<typeof chargingUsage>;
export type ShedUsage = Usage['sheds'][number];
export type PortUsage = Usage['ports'][number];

export interface Risk {
  ports: (PortRisk & { shedId: string })[];
  cards: CardRisk[];
}

export interface LedgerLine {
  id: string;
  kind: 'topup' | 'fee' | 'plan' | (string & {});
  amountFen: number;
  sessionId?: string | null;
  byUser?: string | null;
  note?: string | null;
  at: string;
}

export interface ChargingAccountView {
  householdId: string;
  balanceFen: number;
  planId: string | null;
  planValidUntil: string | null;
  ledger: LedgerLine[];
}

/** What the charging service pushes on `/live` (server/charging/service.ts, server/alerts/alerts.ts). */
export type ChargingPush =
  | { type: 'shed.changed'; kind: 'charger'; estateId: string; deviceId: string }
  | { type: 'charging.session.started' | 'charging.session.full' | 'charging.session.ended'; kind: 'charger'; estateId: string; deviceId: string; session: ChargingSession }
  | { type: 'charging.denied'; kind: 'charger'; estateId: string; deviceId: string; port: number; reason: string; clause: string; explain: string }
  /** To the one resident who asked (POST …/notify-free), once. */
  | { type: 'charging.port-free'; estateId: string; shedId: string }
  | ({ type: 'alert.raised' | 'alert.updated' } & Alert)
  | { type: 'alert.cleared'; id: string; estateId: string; deviceId: string; kind: string; at: string };
