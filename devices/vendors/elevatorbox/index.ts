export * from './frame.js';
export * from './fault-tables.js';
export * from './faults.js';
export * from './messages.js';
export * from './codec.js';
