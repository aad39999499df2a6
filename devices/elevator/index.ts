import { defineDeviceKind } from '../define-kind.js';
import * as s from './schemas.js';

export * from './schemas.js';
export * from './machine.js';

export const elevator = defineDeviceKind({
  kind: 'elevator',
  label: { zh: '加装电梯', en: 'Retrofitted elevator' },
  events: { 'card.swipe': s.CardSwipe, ride: s.Ride, fault: s.ElevatorFault, 'emergency.call': s.EmergencyCall },
  telemetry: s.ElevatorTelemetry,
  commands: { grant: s.ElevatorGrantCmd, deny: s.ElevatorDenyCmd },
  registration: s.ElevatorRegistration,
});
