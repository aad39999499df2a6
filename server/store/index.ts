import { openDatabase, openSideConnection, type OpenOptions } from './sqlite.js';
import { createIntakeSink } from './intake-sink.js';
import { createCounters, createDeviceRepo, createEstateRepo, createPresenceLog } from './devices-repo.js';
import { createCommandLog, createHistoryRepo } from './history-repo.js';
import { createUserRepo } from './users-repo.js';
import { createCharterRepo } from './charter-repo.js';
import { createParkingRepo } from './parking-repo.js';
import { createChargingRepo } from './charging-repo.js';
import { createAlertsRepo } from './alerts-repo.js';
import { createElevatorRepo } from './elevator-repo.js';
import { createRosterRepo } from './roster-repo.js';
import { createDeliveriesRepo } from './deliveries-repo.js';
import { createAuditRepo } from './audit-repo.js';
import { createEstateModelRepo } from './estate-model-repo.js';
import { createAccountsRepo } from './accounts-repo.js';
import { createLoginFailureRepo } from './login-failures-repo.js';
import { createVendorRepo } from './vendor-repo.js';
import { openCredentialBox } from './credential-box.js';
import { createUsageReports } from '../reports/usage-reports.js';
import type { Store } from './types.js';

export * from './types.js';

export function openSqliteStore(opts: OpenOptions): Store {
  const db = openDatabase(opts);
  const side = openSideConnection(opts);
  const counters = createCounters(side);
  const devices = createDeviceRepo(db);
  return {
    estates: createEstateRepo(db),
    devices,
    history: createHistoryRepo(db),
    users: createUserRepo(db),
    intake: createIntakeSink(db),
    presence: createPresenceLog(db),
    commands: createCommandLog(side),
    counters,
    estateModel: createEstateModelRepo(db),
    charters: createCharterRepo(db),
    // Decisions and stays are derived from stored device events: crash-safe writes without an fsync keep the gate fast.
    parking: createParkingRepo(side),
    // Money moves (balances, fees) and safety alerts are written with a full fsync.
    charging: createChargingRepo(db),
    alerts: createAlertsRepo(db),
    elevators: createElevatorRepo(db),
    roster: createRosterRepo(db),
    // Delivery attempts are our own records, not device data: the side connection, no fsync per attempt.
    deliveries: createDeliveriesRepo(side),
    audit: createAuditRepo(db),
    // Read-only aggregations for the committee's charts (issue 7).
    usage: createUsageReports(db),
    // Open accounts: assets, contributions, costs; reads the money ledgers (full fsync, like the charging balances).
    accounts: createAccountsRepo(db),
    // Wrong passwords, so a restart keeps a login lock (issue 11).
    loginFailures: createLoginFailureRepo(db),
    // Devices bought from a vendor: registered with their device row, in one transaction.
    vendors: createVendorRepo(db, devices, openCredentialBox(opts.dataDir)),
    close() {
      counters.close();
      side.close();
      db.close();
    },
  };
}
