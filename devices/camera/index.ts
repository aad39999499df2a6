import { defineDeviceKind } from '../define-kind.js';
import { CameraRegistration, CameraTelemetry, PlateRead } from './schemas.js';

export * from './schemas.js';

export const camera = defineDeviceKind({
  kind: 'camera',
  label: { zh: '车牌识别相机', en: 'Plate camera' },
  events: { 'plate.read': PlateRead },
  telemetry: CameraTelemetry,
  commands: {},
  registration: CameraRegistration,
});
