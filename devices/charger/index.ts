import { defineDeviceKind } from '../define-kind.js';
import * as s from './schemas.js';

export * from './schemas.js';
export * from './machine.js';

export const charger = defineDeviceKind({
  kind: 'charger',
  label: { zh: '充电棚', en: 'Charging shed' },
  events: { 'port.state': s.PortStateEvent, 'port.request': s.PortRequest, alarm: s.ChargerAlarm },
  telemetry: s.ChargerTelemetry,
  commands: { start: s.ChargerStartCmd, stop: s.ChargerStopCmd, deny: s.ChargerDenyCmd },
  registration: s.ChargerRegistration,
});
