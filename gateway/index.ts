export * from './gateway.js';
export * from './ports.js';
export * from './events.js';
export { hashSecret, verifySecret, newSecret, digest } from './secrets.js';
export { CommandError, WrongEstateError, type CommandRequest, type CommandOutcome, type SendOptions } from './commands.js';
export { VendorDeviceError, type Transport, type VendorSeam } from './vendor.js';
export type { IntakeResult } from './intake.js';
