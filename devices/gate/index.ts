import { z } from 'zod';
import { defineDeviceKind } from '../define-kind.js';
import * as s from './schemas.js';

export * from './schemas.js';
export * from './machine.js';

export const gate = defineDeviceKind({
  kind: 'gate',
  label: { zh: '道闸', en: 'Barrier gate' },
  events: { 'gate.state': s.GateStateEvent, 'gate.passage': s.GatePassage, 'gate.manual': s.GateManual },
  telemetry: s.GateTelemetry,
  commands: { open: s.GateOpenCmd, deny: s.GateDenyCmd, display: s.GateDisplayCmd },
  config: s.GateConfig,
  registration: z.object({}),
});
