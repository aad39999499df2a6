import { foundation } from './001-foundation.js';
import { estateModel } from './002-estate-model.js';
import { charterParking } from './003-charter-parking.js';
import { chargingAlerts } from './004-charging-alerts.js';
import { elevators } from './005-elevators.js';
import { rosterNotify } from './006-roster-notify.js';
import { maintenancePeriods } from './007-maintenance-periods.js';
import { usageIndexes } from './008-usage-indexes.js';
import { audit } from './009-audit.js';
import { openAccounts } from './010-open-accounts.js';
import { usageRollup } from './011-usage-rollup.js';
import { chargingMeterStart } from './012-charging-meter-start.js';
import { accountCorrections } from './013-account-corrections.js';
import { userEstate } from './014-user-estate.js';
import { loginThrottle } from './015-login-throttle.js';
import { notifyAllowedHosts } from './016-notify-allowed-hosts.js';
import { vendorDevices } from './017-vendor-devices.js';
import type { Migration } from './migration.js';

export type { Migration };

/** Every migration, one file each, numbered; `migrate()` applies the ones a database lacks, in order. */
export const MIGRATIONS: Migration[] = [foundation, estateModel, charterParking, chargingAlerts, elevators, rosterNotify, maintenancePeriods, usageIndexes, audit, openAccounts, usageRollup, chargingMeterStart, accountCorrections, userEstate, loginThrottle, notifyAllowedHosts, vendorDevices];
