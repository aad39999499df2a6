import { localMonthOf, monthRange } from '../accounts/months.js';
import type { Asset, AssetScope, ContributionRow, CostCategory, CostRow, FundSums, IncomeFact, LineRef, NewContribution, NewCost, NewPublication, NewReversal, Period, PrepaidSums, Publication, PublishedMonth, ReversibleKind } from '../accounts/types.js';

import { fromRow, insertObject } from './rows.js';
import type { Db } from './sqlite.js';

/**
 * Open accounts: the assets and what the committee enters (contributions,
 * costs), and read-only sums and rows over the ledgers other code writes
 * (paid stays, the charging ledger, elevator members and running costs).
 * Sums and rows are separate queries on purpose: a statement's lines are
 * checked against the sums. Entered lines are never edited nor deleted: a
 * mistake is cancelled by a reversal, and a month published on the notice
 * board takes no new line dated in it.
 */
/** Open ends of a period, as values every stored time sorts between; months for the running costs, kept per month. */
function bounds(p: Period) {
  return { lo: p.from ?? '0000-01-01T00:00:00.000Z', hi: p.to ?? '9999-12-31T23:59:59.999Z', loMonth: p.from ? localMonthOf(p.from) : '0000-00', hiMonth: p.to ? localMonthOf(p.to) : '9999-99' };
}
const IN_DEVICES = '(SELECT value FROM json_each(@devices))';
/** Times the estate model stores as typed (elevator members' joined_at may carry +08:00) compare as instants. */
const JOINED_IN = 'julianday(m.joined_at) >= julianday(@lo) AND julianday(m.joined_at) < julianday(@hi)';
/** A household's room label and its primary resident's name (the first one added if none is primary). */
const WHO = (t: string) => `h.building || '-' || h.unit || '-' || h.room AS label,
  (SELECT r.name FROM residents r WHERE r.estate_id = ${t}.estate_id AND r.household_id = ${t}.household_id ORDER BY r.is_primary DESC, r.created_at LIMIT 1) AS name`;
const HOUSEHOLD = (t: string) => `LEFT JOIN households h ON h.estate_id = ${t}.estate_id AND h.id = ${t}.household_id`;
/** The reversal of an entered line, if any (one at most: UNIQUE (kind, line_id)). */
const REVERSED_BY = (t: string, kind: ReversibleKind) => `LEFT JOIN account_reversals r ON r.kind = '${kind}' AND r.line_id = ${t}.id`;
/** A member's payment has no row id of its own: the elevator and household name it. */
const MEMBER_LINE_ID = `'member:' || m.elevator_id || ':' || m.household_id`;
/** The reversals of one kind dated in the period, summed with the lines they cancel. */
const REVERSED_IN = (kind: ReversibleKind) => `(SELECT COALESCE(SUM(amount_fen), 0) FROM account_reversals WHERE estate_id = @e AND asset_id = @a AND kind = '${kind}' AND at >= @lo AND at < @hi)`;

export function createAccountsRepo(db: Db) {
  const q = {
    assets: db.prepare('SELECT * FROM account_assets WHERE estate_id = ? ORDER BY created_at, id'),
    assetExists: db.prepare('SELECT 1 FROM account_assets WHERE estate_id = ? AND id = ?'),
    devices: db.prepare('SELECT asset_id, device_id FROM account_asset_devices WHERE estate_id = ? ORDER BY device_id'),
    deviceOwner: db.prepare('SELECT asset_id FROM account_asset_devices WHERE device_id = ?'),
    addDevice: db.prepare('INSERT INTO account_asset_devices (device_id, estate_id, asset_id) VALUES (?, ?, ?)'),
    isMember: db.prepare(`SELECT 1 FROM elevator_members m WHERE m.estate_id = @estateId AND m.household_id = @householdId AND m.elevator_id IN ${IN_DEVICES} LIMIT 1`),
    fund: db.prepare(`SELECT
      (SELECT COALESCE(SUM(amount_fen), 0) FROM account_contributions WHERE estate_id = @e AND asset_id = @a AND at >= @lo AND at < @hi)
        + ${REVERSED_IN('contribution')}
        + (SELECT COALESCE(SUM(m.paid_fen), 0) FROM elevator_members m WHERE m.estate_id = @e AND m.elevator_id IN ${IN_DEVICES} AND ${JOINED_IN}) AS contributions_fen,
      (SELECT COALESCE(SUM(fee_fen), 0) FROM stays WHERE estate_id = @e AND payment = 'paid' AND fee_fen > 0 AND payment_at >= @lo AND payment_at < @hi AND exit_gate IN ${IN_DEVICES}) AS parking_fen,
      (SELECT COALESCE(-SUM(l.amount_fen), 0) FROM charging_ledger l JOIN charging_sessions s ON s.id = l.session_id
        WHERE l.estate_id = @e AND l.kind = 'fee' AND l.at >= @lo AND l.at < @hi AND s.shed_id IN ${IN_DEVICES}) AS charging_fen,
      (SELECT COALESCE(-SUM(amount_fen), 0) FROM charging_ledger WHERE estate_id = @e AND kind = 'ride' AND at >= @lo AND at < @hi AND note IN ${IN_DEVICES}) AS rides_fen,
      (SELECT COALESCE(-SUM(amount_fen), 0) FROM charging_ledger WHERE @plans = 1 AND estate_id = @e AND kind = 'plan' AND at >= @lo AND at < @hi) AS plans_fen,
      (SELECT COALESCE(SUM(amount_fen), 0) FROM account_costs WHERE estate_id = @e AND asset_id = @a AND at >= @lo AND at < @hi)
        + ${REVERSED_IN('cost')}
        + (SELECT COALESCE(SUM(fen), 0) FROM elevator_running_costs WHERE estate_id = @e AND elevator_id IN ${IN_DEVICES} AND month >= @loMonth AND month < @hiMonth) AS costs_fen`),
    estateIncome: db.prepare(`SELECT
      (SELECT COALESCE(SUM(fee_fen), 0) FROM stays WHERE estate_id = @e AND payment = 'paid' AND fee_fen > 0 AND payment_at >= @lo AND payment_at < @hi)
        + (SELECT COALESCE(-SUM(amount_fen), 0) FROM charging_ledger WHERE estate_id = @e AND kind IN ('fee', 'ride', 'plan') AND at >= @lo AND at < @hi) AS fen`),
    paidStays: db.prepare(`SELECT payment_at AS at, fee_fen AS fen, exit_gate AS device, plate FROM stays WHERE estate_id = @e AND payment = 'paid' AND fee_fen > 0 AND payment_at >= @lo AND payment_at < @hi`),
    spending: db.prepare(`SELECT l.at, -l.amount_fen AS fen, l.kind, l.note, l.session_id, s.shed_id, s.card_id, d.name AS device_name
      FROM charging_ledger l LEFT JOIN charging_sessions s ON s.id = l.session_id LEFT JOIN devices d ON l.kind = 'ride' AND d.id = l.note
      WHERE l.estate_id = @e AND l.kind IN ('fee', 'ride', 'plan') AND l.at >= @lo AND l.at < @hi`),
    contributions: db.prepare(`SELECT c.id, c.at, c.household_id, c.amount_fen, c.note, r.id AS reversal_id, r.at AS reversal_at, ${WHO('c')}
      FROM account_contributions c ${HOUSEHOLD('c')} ${REVERSED_BY('c', 'contribution')}
      WHERE c.estate_id = @e AND c.asset_id = @a AND c.at >= @lo AND c.at < @hi`),
    // A reversal reads as the line it cancels (same household), dated when it was made; inner joins, so a reversal
    // that lost its line would be missing from the lines but not from the sums, and fail the check.
    contributionReversals: db.prepare(`SELECT r.id, r.at, r.amount_fen, r.reason, c.id AS line_id, c.at AS line_at, c.household_id, ${WHO('c')}
      FROM account_reversals r JOIN account_contributions c ON c.id = r.line_id ${HOUSEHOLD('c')}
      WHERE r.estate_id = @e AND r.asset_id = @a AND r.kind = 'contribution' AND r.at >= @lo AND r.at < @hi`),
    memberPayments: db.prepare(`SELECT ${MEMBER_LINE_ID} AS id, m.joined_at, m.household_id, m.paid_fen, m.kind, ${WHO('m')} FROM elevator_members m ${HOUSEHOLD('m')}
      WHERE m.estate_id = @e AND m.elevator_id IN ${IN_DEVICES} AND m.paid_fen > 0 AND ${JOINED_IN}`),
    costs: db.prepare(`SELECT k.id, k.at, k.category, k.amount_fen, k.note, k.recorded_by, r.id AS reversal_id, r.at AS reversal_at
      FROM account_costs k ${REVERSED_BY('k', 'cost')} WHERE k.estate_id = @e AND k.asset_id = @a AND k.at >= @lo AND k.at < @hi`),
    costReversals: db.prepare(`SELECT r.id, r.at, r.amount_fen, r.reason, r.recorded_by, k.id AS line_id, k.at AS line_at, k.category
      FROM account_reversals r JOIN account_costs k ON k.id = r.line_id
      WHERE r.estate_id = @e AND r.asset_id = @a AND r.kind = 'cost' AND r.at >= @lo AND r.at < @hi`),
    runningCosts: db.prepare(`SELECT id, month, kind, fen, note, recorded_by FROM elevator_running_costs WHERE estate_id = @e AND elevator_id IN ${IN_DEVICES} AND month >= @loMonth AND month < @hiMonth`),
    entered: {
      contribution: db.prepare('SELECT amount_fen FROM account_contributions WHERE estate_id = ? AND asset_id = ? AND id = ?'),
      cost: db.prepare('SELECT amount_fen FROM account_costs WHERE estate_id = ? AND asset_id = ? AND id = ?'),
    },
    reversalOf: db.prepare('SELECT id, at FROM account_reversals WHERE kind = ? AND line_id = ?'),
    keptElsewhere: {
      contribution: db.prepare(`SELECT 1 FROM elevator_members m WHERE m.estate_id = @e AND m.elevator_id IN ${IN_DEVICES} AND ${MEMBER_LINE_ID} = @id`),
      cost: db.prepare(`SELECT 1 FROM elevator_running_costs WHERE estate_id = @e AND elevator_id IN ${IN_DEVICES} AND id = @id`),
    },
    publishedThrough: db.prepare('SELECT MAX(month) AS month FROM account_publications WHERE estate_id = ? AND asset_id = ?'),
    publication: db.prepare('SELECT published_at AS at, published_by AS by, closing_fen, digest FROM account_publications WHERE estate_id = ? AND asset_id = ? AND month = ?'),
    publishedCsv: db.prepare('SELECT csv FROM account_publications WHERE estate_id = ? AND asset_id = ? AND month = ?'),
    publications: db.prepare(`SELECT p.asset_id, a.name AS asset_name, a.kind AS asset_kind, p.month, p.published_at, p.published_by, p.closing_fen, p.digest
      FROM account_publications p JOIN account_assets a ON a.estate_id = p.estate_id AND a.id = p.asset_id
      WHERE p.estate_id = ? ORDER BY p.month DESC, a.created_at, a.id`),
    publishedFile: db.prepare(`SELECT p.csv, p.digest, a.name AS asset_name FROM account_publications p JOIN account_assets a ON a.estate_id = p.estate_id AND a.id = p.asset_id
      WHERE p.estate_id = ? AND p.asset_id = ? AND p.month = ?`),
    prepaidFlows: db.prepare(`SELECT
      COALESCE(SUM(CASE WHEN at < @lo THEN amount_fen END), 0) AS opening,
      COALESCE(SUM(CASE WHEN at >= @lo AND at < @hi AND kind = 'topup' THEN amount_fen END), 0) AS topups,
      COALESCE(-SUM(CASE WHEN at >= @lo AND at < @hi AND kind = 'refund' THEN amount_fen END), 0) AS refunds,
      COALESCE(-SUM(CASE WHEN at >= @lo AND at < @hi AND kind IN ('fee', 'ride', 'plan') THEN amount_fen END), 0) AS spent
      FROM charging_ledger WHERE estate_id = @e`),
    ledgerBefore: db.prepare('SELECT COALESCE(SUM(amount_fen), 0) AS fen FROM charging_ledger WHERE estate_id = ? AND at < ?'),
    ledgerTotal: db.prepare('SELECT COALESCE(SUM(amount_fen), 0) AS fen FROM charging_ledger WHERE estate_id = ?'),
    accountsTotal: db.prepare('SELECT COALESCE(SUM(balance_fen), 0) AS fen, COUNT(CASE WHEN balance_fen <> 0 THEN 1 END) AS households FROM charging_accounts WHERE estate_id = ?'),
    prepaidAccounts: db.prepare(`SELECT a.household_id, a.balance_fen, ${WHO('a')} FROM charging_accounts a ${HOUSEHOLD('a')} WHERE a.estate_id = ? AND a.balance_fen <> 0 ORDER BY a.household_id`),
  };
  const args = (estateId: string, p: Period, scope?: AssetScope) => ({ e: estateId, ...bounds(p), a: scope?.assetId ?? null, devices: JSON.stringify(scope?.deviceIds ?? []), plans: scope?.plans ? 1 : 0 });
  const rows = (stmt: { all(a: unknown): unknown[] }, a: unknown) => stmt.all(a) as Record<string, unknown>[];
  const fen = (r: unknown) => (r as { fen: number }).fen;
  const ref = (id: unknown, at: unknown): LineRef | null => (id === null ? null : { id: id as string, at: at as string });
  /** A check and the write it allows, with no other writer (another process too) in between. */
  const atomically = <T>(fn: () => T): T => db.transaction(fn).immediate();
  /** The last month published for an asset if `at` falls in it or before: then nothing dated `at` may be added. */
  const lockedBy = (estateId: string, assetId: string, at: string): string | null => {
    const through = (q.publishedThrough.get(estateId, assetId) as { month: string | null }).month;
    return through !== null && localMonthOf(at) <= through ? through : null;
  };

  return {
    assets(estateId: string): Asset[] {
      const devices = q.devices.all(estateId) as { asset_id: string; device_id: string }[];
      return rows(q.assets, estateId).map((r) => ({ ...fromRow<Omit<Asset, 'deviceIds'>>(r)!, deviceIds: devices.filter((d) => d.asset_id === r.id).map((d) => d.device_id) }));
    },
    /** A new asset and its devices, or why not: the id is taken, or a device already belongs to another asset. */
    addAsset: db.transaction((a: Asset): 'exists' | { deviceTaken: string; by: string } | 'ok' => {
      if (q.assetExists.get(a.estateId, a.id)) return 'exists';
      for (const d of a.deviceIds) {
        const owner = q.deviceOwner.get(d) as { asset_id: string } | undefined;
        if (owner) return { deviceTaken: d, by: owner.asset_id };
      }
      insertObject(db, 'account_assets', { estateId: a.estateId, id: a.id, name: a.name, kind: a.kind, createdBy: a.createdBy, createdAt: a.createdAt });
      for (const d of a.deviceIds) q.addDevice.run(d, a.estateId, a.id);
      return 'ok';
    }),
    /** A new line, or the published month that forbids it (nothing written then). */
    addContribution: (c: NewContribution) =>
      atomically((): { published: string } | 'ok' => {
        const published = lockedBy(c.estateId, c.assetId, c.at);
        return published ? { published } : (insertObject(db, 'account_contributions', c), 'ok');
      }),
    addCost: (c: NewCost) =>
      atomically((): { published: string } | 'ok' => {
        const published = lockedBy(c.estateId, c.assetId, c.at);
        return published ? { published } : (insertObject(db, 'account_costs', c), 'ok');
      }),
    /** Cancels an entered line of this asset with a new line for minus its amount; a line is reversed once. */
    reverse: (r: NewReversal) =>
      atomically((): 'not-found' | { already: LineRef } | 'ok' => {
        const line = q.entered[r.kind].get(r.estateId, r.assetId, r.lineId) as { amount_fen: number } | undefined;
        if (!line) return 'not-found';
        const already = q.reversalOf.get(r.kind, r.lineId) as LineRef | undefined;
        if (already) return { already };
        insertObject(db, 'account_reversals', { ...r, amountFen: -line.amount_fen });
        return 'ok';
      }),
    /** Is this a line of the asset's statement that another page keeps (a member's payment, an elevator's running cost)? */
    /** The same lock for records kept on a device's own page (an elevator's members and running costs). */
    lockedForDevice(estateId: string, deviceId: string, at: string): string | null {
      const owner = q.deviceOwner.get(deviceId) as { asset_id: string } | undefined;
      return owner ? lockedBy(estateId, owner.asset_id, at) : null;
    },
    keptElsewhere: (kind: ReversibleKind, estateId: string, deviceIds: string[], lineId: string) => !!q.keptElsewhere[kind].get({ e: estateId, devices: JSON.stringify(deviceIds), id: lineId }),
    publication(estateId: string, assetId: string, month: string): Publication | null {
      return fromRow<Publication>(q.publication.get(estateId, assetId, month) as Record<string, unknown> | undefined) ?? null;
    },
    publishedCsv: (estateId: string, assetId: string, month: string) => (q.publishedCsv.get(estateId, assetId, month) as { csv: string } | undefined)?.csv,
    /** Every month put on the notice board, newest first, without the CSVs. */
    publications: (estateId: string) => rows(q.publications, estateId).map((r) => fromRow<PublishedMonth>(r)!),
    /** A published month's CSV as kept, its digest and the asset's name (to name the file); undefined if not published. */
    publishedFile: (estateId: string, assetId: string, month: string) =>
      fromRow<{ csv: string; digest: string; assetName: string }>(q.publishedFile.get(estateId, assetId, month) as Record<string, unknown> | undefined),
    addPublication: (p: NewPublication) => insertObject(db, 'account_publications', { estateId: p.estateId, assetId: p.assetId, month: p.month, publishedAt: p.at, publishedBy: p.by, closingFen: p.closingFen, digest: p.digest, csv: p.csv }),
    /** Is the household an elevator member of one of these devices (its payment already recorded there)? */
    isElevatorMember: (estateId: string, householdId: string, deviceIds: string[]) => !!q.isMember.get({ estateId, householdId, devices: JSON.stringify(deviceIds) }),

    fund(estateId: string, scope: AssetScope, p: Period): FundSums {
      return fromRow<FundSums>(q.fund.get(args(estateId, p, scope)) as Record<string, unknown>)!;
    },
    estateIncomeFen: (estateId: string, p: Period) => fen(q.estateIncome.get(args(estateId, p))),
    /** Every fee taken in the period, not yet attributed. */
    incomeFacts(estateId: string, p: Period): IncomeFact[] {
      const a = args(estateId, p);
      const parking = rows(q.paidStays, a).map((r): IncomeFact => ({ source: 'parking', at: r.at as string, amountFen: r.fen as number, deviceId: (r.device as string | null) ?? null, plate: r.plate as string }));
      const spending = rows(q.spending, a).map((r): IncomeFact => {
        const base = { at: r.at as string, amountFen: r.fen as number };
        if (r.kind === 'ride') return { ...base, source: 'ride', deviceId: r.note as string | null, elevator: (r.device_name ?? r.note ?? '') as string };
        if (r.kind === 'plan') return { ...base, source: 'plan', deviceId: null, planId: r.note as string | null };
        return { ...base, source: 'charging', deviceId: r.shed_id as string | null, cardId: r.card_id as string | null, sessionId: r.session_id as string | null };
      });
      return [...parking, ...spending];
    },
    contributions(estateId: string, scope: AssetScope, p: Period): ContributionRow[] {
      const a = args(estateId, p, scope);
      const who = (r: Record<string, unknown>) => ({ householdId: r.household_id as string, label: r.label as string | null, name: r.name as string | null });
      const entered = rows(q.contributions, a).map((r): ContributionRow => ({ id: r.id as string, at: r.at as string, ...who(r), amountFen: r.amount_fen as number, note: r.note as string | null, source: 'entered', reverses: null, reversedBy: ref(r.reversal_id, r.reversal_at) }));
      const reversals = rows(q.contributionReversals, a).map((r): ContributionRow => ({ id: r.id as string, at: r.at as string, ...who(r), amountFen: r.amount_fen as number, note: r.reason as string, source: 'reversal', reverses: ref(r.line_id, r.line_at), reversedBy: null }));
      /*
       * An elevator member's paidFen IS its contribution to the elevator: the committee records it once,
       * on the elevator's page, where the cost split and the buy-in refunds already read it. Copying it
       * into account_contributions would give two records that can drift apart, so the statement reads
       * it from there (dated joined_at) and the contributions route refuses a member household (409).
       * Households that are not members (a ground floor neighbour chipping in) are entered here.
       */
      const members = rows(q.memberPayments, a).map((r): ContributionRow => ({
        id: r.id as string,
        at: new Date(r.joined_at as string).toISOString(),
        ...who(r),
        amountFen: r.paid_fen as number,
        note: r.kind === 'buy-in' ? '加装电梯出资（后加入）' : '加装电梯出资',
        source: 'elevator-member',
        reverses: null,
        reversedBy: null,
      }));
      return [...entered, ...reversals, ...members];
    },
    costs(estateId: string, scope: AssetScope, p: Period): CostRow[] {
      const a = args(estateId, p, scope);
      const line = (r: Record<string, unknown>) => ({ id: r.id as string, at: r.at as string, category: r.category as CostCategory, amountFen: r.amount_fen as number, recordedBy: r.recorded_by as string });
      const entered = rows(q.costs, a).map((r): CostRow => ({ ...line(r), note: r.note as string | null, source: 'entered', reverses: null, reversedBy: ref(r.reversal_id, r.reversal_at) }));
      const reversals = rows(q.costReversals, a).map((r): CostRow => ({ ...line(r), note: r.reason as string, source: 'reversal', reverses: ref(r.line_id, r.line_at), reversedBy: null }));
      // Entered on the elevator's page per month: dated the month's first local day, and said so.
      const running = rows(q.runningCosts, a).map((r): CostRow => ({
        id: r.id as string,
        at: monthRange(r.month as string).from,
        category: r.kind as CostCategory,
        amountFen: r.fen as number,
        note: `电梯运行费用（电梯页录入）${r.note ? `：${r.note as string}` : ''}`,
        recordedBy: r.recorded_by as string,
        source: 'elevator-running-costs',
        reverses: null,
        reversedBy: null,
      }));
      return [...entered, ...reversals, ...running];
    },
    prepaid(estateId: string, p: Period): PrepaidSums {
      const f = q.prepaidFlows.get(args(estateId, p)) as { opening: number; topups: number; refunds: number; spent: number };
      return { openingFen: f.opening, topupsFen: f.topups, refundsFen: f.refunds, spentFen: f.spent, closingFen: fen(q.ledgerBefore.get(estateId, bounds(p).hi)) };
    },
    balances(estateId: string) {
      const accounts = q.accountsTotal.get(estateId) as { fen: number; households: number };
      return { accountsFen: accounts.fen, households: accounts.households, ledgerFen: fen(q.ledgerTotal.get(estateId)) };
    },
    /** Reads in one transaction: a statement's lines and sums see the same ledgers, even with writers in other processes. */
    snapshot: <T>(fn: () => T): T => db.transaction(fn)(),
    /** A statement read and what it lets be written (a publication), as one write transaction. */
    atomically,
    prepaidAccounts: (estateId: string) =>
      rows(q.prepaidAccounts, estateId).map((r) => ({ householdId: r.household_id as string, label: (r.label as string | null) ?? (r.household_id as string), name: r.name as string | null, balanceFen: r.balance_fen as number })),
  };
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
